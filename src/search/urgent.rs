//! The urgent-symptom rule ([`crate::symptoms`]): when a query names a symptom that needs
//! urgent care, the passage that names that symptom, says to get help at once and fits the
//! query's words best comes first, and the search never answers "nothing found". It is a
//! safety rule, applied after ranking and independent of it (the same advice leads in every
//! mode): however a person phrases "temperature 38.5 on chemo", the advice to
//! call straight away is what they read first.

use std::collections::BTreeSet;

use tantivy::collector::TopDocs;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Term};

use super::interpret::{Concept, concept_terms};
use super::plan::Plan;
use super::results::{AbsentWord, Correction};
use crate::Result;
use crate::analysis::{medical_analyzer, word_terms};
use crate::index::{Fields, SearchIndex, Snapshot};
use crate::symptoms::Symptom;

/// How far apart the words of a symptom term may stand in a passage that names it "near":
/// a clause ("weakness or heaviness in the legs"), in either order.
const NEAR_SLOP: u32 = 6;

/// What the rule found for a query.
#[derive(Debug, Clone, Default)]
pub struct UrgentFirst {
    /// The names of the urgent symptoms the query names.
    pub symptoms: Vec<String>,
    /// Of the passages that name one of them and say to act at once, the one that fits the
    /// query's words best: put first in every mode. The rest of the advice keeps its place in
    /// the ranking, so a question that only mentions a symptom ("can I drive after a seizure")
    /// still finds its answer near the top.
    pub advice: Option<DocAddress>,
    /// When the query names them only if a word no passage uses means a word suggested for it
    /// ("fiver 38 on chemo", if "fiver" means "fever"): that word and the suggestion.
    pub if_meant: Vec<Correction>,
    /// The words of the named symptoms' terms, and of the actions: the advice's snippet is the
    /// part of it that says to act and names the symptom, whatever the query's own words.
    pub symptom_terms: BTreeSet<String>,
    pub action_terms: BTreeSet<String>,
}

/// The urgent symptoms a query names (through its words or their synonyms; `text` is the query
/// as searched), and the passage whose advice for them fits the query best. A query that names none may
/// name one through a suggestion for a word no passage uses (`absent`): "fiver", a real word,
/// is never replaced by "fever", but a person who meant fever on chemotherapy must not read
/// "nothing found". The advice then comes first, and the results say on what condition.
pub fn urgent_first(
    index: &SearchIndex,
    snapshot: &Snapshot,
    concepts: &[Concept],
    text: &str,
    absent: &[AbsentWord],
    plan: &Plan,
) -> Result<UrgentFirst> {
    let mut terms = concept_terms(concepts, text);
    let mut named = index.symptoms.named_in(&terms);
    let meant = match named.is_empty() {
        true => symptom_if_meant(index, concepts, text, absent),
        false => None,
    };
    if let Some((_, words)) = &meant {
        words.iter().for_each(|w| terms.add_word(w));
        named = index.symptoms.named_in(&terms);
    }
    if named.is_empty() {
        return Ok(UrgentFirst::default());
    }
    // A symptom's group names several ("sudden severe headache, weakness on one side or loss
    // of vision"): the advice that names the term the query used ("sudden headache" for "got
    // the worst headache suddenly") is preferred, first where the term's words stand together
    // ("a sudden, severe headache", not "headaches … sudden confusion"), then anywhere; the
    // rest of the group's advice is taken only when none names it.
    let asked: Vec<&Vec<String>> = named.iter().flat_map(|s| s.terms_in(&terms)).collect();
    let advice = advice_query(index.fields, &named, &index.symptoms.actions, concepts);
    let requirements = [
        Some(near(index.fields, asked.iter().copied())),
        Some(any_of(index.fields, asked.iter().copied())),
        None,
    ];
    // Advice given for another drug is not about the one the person takes: "diarrhoea 7 times
    // today on verzenio" was led by the advice on sacituzumab govitecan.
    let drugs = match own_drug_or_none(index, text) {
        Some(own) => vec![Some(own), None],
        None => vec![None],
    };
    let mut top = Vec::new();
    'found: for drug in drugs {
        for required in &requirements {
            let required = [required.as_ref(), drug.as_ref()]
                .into_iter()
                .flatten()
                .map(|q| q.box_clone())
                .collect::<Vec<_>>();
            let query = with_required(advice.box_clone(), required, plan);
            top = snapshot.search(&*query, &TopDocs::with_limit(1).order_by_score())?;
            if !top.is_empty() {
                break 'found;
            }
        }
    }
    let symptom_terms = named
        .iter()
        .flat_map(|s| &s.terms)
        .flatten()
        .cloned()
        .collect();
    let action_terms = index.symptoms.actions.iter().flatten().cloned().collect();
    // A symptom may be listed in two parts, each with its own exceptions: it is named once.
    let mut symptoms: Vec<String> = Vec::new();
    for symptom in &named {
        if !symptoms.contains(&symptom.name) {
            symptoms.push(symptom.name.clone());
        }
    }
    Ok(UrgentFirst {
        symptom_terms,
        action_terms,
        symptoms,
        advice: top.into_iter().map(|(_, address)| address).next(),
        if_meant: meant
            .into_iter()
            .map(|(correction, _)| correction)
            .collect(),
    })
}

/// The first suggestion for a word no passage uses with which the query would name an urgent
/// symptom, with the suggestion's analyzed words.
fn symptom_if_meant(
    index: &SearchIndex,
    concepts: &[Concept],
    text: &str,
    absent: &[AbsentWord],
) -> Option<(Correction, Vec<String>)> {
    let mut analyzer = medical_analyzer();
    absent.iter().find_map(|word| {
        word.suggestions.iter().find_map(|suggestion| {
            let words = word_terms(&mut analyzer, suggestion);
            let mut terms = concept_terms(concepts, text);
            words.iter().for_each(|w| terms.add_word(w));
            let names = !index.symptoms.named_in(&terms).is_empty();
            names.then(|| {
                let correction = Correction {
                    from: word.word.clone(),
                    to: suggestion.clone(),
                };
                (correction, words)
            })
        })
    })
}

/// Passages that name a drug the query names, or no drug at all; `None` when the query names
/// no drug.
fn own_drug_or_none(index: &SearchIndex, text: &str) -> Option<Box<dyn Query>> {
    let (named, others) = index.lexicon.drug_names(text);
    if named.is_empty() {
        return None;
    }
    let no_other_drug = BooleanQuery::new(vec![
        (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
        (Occur::MustNot, any_of(index.fields, &others)),
    ]);
    Some(Box::new(BooleanQuery::new(vec![
        (Occur::Should, any_of(index.fields, &named)),
        (Occur::Should, Box::new(no_other_drug)),
    ])))
}

/// `query`, for passages that also match each of `required` (the symptom terms a query named,
/// the drugs it allows) and pass the search's own filter, required phrases and exclusions.
fn with_required(
    query: Box<dyn Query>,
    required: Vec<Box<dyn Query>>,
    plan: &Plan,
) -> Box<dyn Query> {
    let mut clauses = vec![(Occur::Must, query)];
    for required in required {
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(required, 0.0))));
    }
    if let Some(constraints) = plan.constraints() {
        let constraints = ConstScoreQuery::new(constraints, 0.0);
        clauses.push((Occur::Must, Box::new(constraints)));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// What naming one more of the symptoms' terms adds to an advice passage's score, next to the
/// query's own words: enough to decide between passages the query's words hardly tell apart.
const SYMPTOM_TERM_SCORE: f32 = 0.2;

/// Passages that name one of the symptoms and contain an action, scored by the query's own
/// words: of several urgent passages, the one about what was asked comes first. Where the
/// query's words are not in any ("mum doesnt recognise me") or hardly tell them apart ("she
/// passed out", whose one word is also in "passing urine"), the passage that names more of
/// the symptoms' terms does: the advice on collapse and blacking out, not a list of signs of
/// infection.
fn advice_query(
    fields: Fields,
    symptoms: &[&Symptom],
    actions: &[Vec<String>],
    concepts: &[Concept],
) -> Box<dyn Query> {
    // Each distinct term once: a term listed as written in several ways ("she collapsed", "he
    // collapsed") is one term to a passage.
    let mut terms: Vec<&Vec<String>> = symptoms.iter().flat_map(|s| &s.terms).collect();
    terms.sort();
    terms.dedup();
    let named = any_of(fields, terms.iter().copied());
    let acts = any_of(fields, actions);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
        (Occur::Must, Box::new(ConstScoreQuery::new(named, 0.0))),
        (Occur::Must, Box::new(ConstScoreQuery::new(acts, 0.0))),
    ];
    clauses.extend(terms.into_iter().map(|term| {
        let named = any_of(fields, [term]);
        let counted: Box<dyn Query> = Box::new(ConstScoreQuery::new(named, SYMPTOM_TERM_SCORE));
        (Occur::Should, counted)
    }));
    // A concept of several words counts where they stand together, as the lexicon term or the
    // phrase it is: "running a fever" counted "run" in the heading "When hormonal options run
    // out" and "fever" in its text, and the advice on one drug led every fever question that
    // said "running".
    clauses.extend(
        concepts
            .iter()
            .map(|c| (Occur::Should, near(fields, &c.alternatives))),
    );
    Box::new(BooleanQuery::new(clauses))
}

/// A query matching passages that contain all the words of any of `phrases`, in the text or
/// the section heading.
fn any_of<'a>(
    fields: Fields,
    phrases: impl IntoIterator<Item = &'a Vec<String>>,
) -> Box<dyn Query> {
    let alternatives: Vec<(Occur, Box<dyn Query>)> = phrases
        .into_iter()
        .map(|words| {
            let all: Vec<(Occur, Box<dyn Query>)> = words
                .iter()
                .map(|word| (Occur::Must, in_text_or_heading(fields, word)))
                .collect();
            (
                Occur::Should,
                Box::new(BooleanQuery::new(all)) as Box<dyn Query>,
            )
        })
        .collect();
    Box::new(BooleanQuery::new(alternatives))
}

/// A query matching passages whose text or heading holds all the words of any of `phrases`
/// within [`NEAR_SLOP`] positions of each other, in any order.
fn near<'a>(fields: Fields, phrases: impl IntoIterator<Item = &'a Vec<String>>) -> Box<dyn Query> {
    let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for words in phrases {
        if let [word] = words.as_slice() {
            alternatives.push((Occur::Should, in_text_or_heading(fields, word)));
            continue;
        }
        for field in [fields.body, fields.section] {
            let terms = words
                .iter()
                .enumerate()
                .map(|(i, w)| (i, Term::from_field_text(field, w)))
                .collect();
            let phrase = PhraseQuery::new_with_offset_and_slop(terms, NEAR_SLOP);
            alternatives.push((Occur::Should, Box::new(phrase)));
        }
    }
    Box::new(BooleanQuery::new(alternatives))
}

fn in_text_or_heading(fields: Fields, word: &str) -> Box<dyn Query> {
    let term = |field| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, word),
            IndexRecordOption::WithFreqs,
        ))
    };
    Box::new(BooleanQuery::new(vec![
        (Occur::Should, term(fields.body)),
        (Occur::Should, term(fields.section)),
    ]))
}
