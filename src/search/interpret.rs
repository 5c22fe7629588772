//! Interpreting what a person typed: the parsed query's words analyzed, their spelling judged
//! (`spelling.rs`), lexicon synonyms found, the concepts the query asks about weighed, and all
//! of it turned into a [`Plan`] (`plan.rs` says how each part becomes a tantivy query).

use std::collections::BTreeSet;

use tantivy::query::{BoostQuery, Query};

use super::feedback;
use super::plan::{EXPANSION_WEIGHT, LabeledClause, Plan, QueryBuilder, terms_of};
use super::results::{AbsentWord, Correction, ExpandedTerm, SearchRequest};
use super::spelling;
use crate::analysis::{AnalyzedWord, analyze_words, medical_analyzer};
use crate::index::{Fields, SearchIndex, Snapshot};
use crate::lexicon::LexiconMatch;
use crate::query::{Clause, parse_user_query};
use crate::{Error, Result};

/// Longest query accepted, in characters; longer text is cut (a pasted page is still searched).
pub const MAX_QUERY_CHARS: usize = 2_000;
/// Longer "words" are not words: the tokenizer leaves them out.
const MAX_WORD_CHARS: usize = 100;
/// At most this many free words are scored; the rest of a very long query is ignored.
const MAX_QUERY_WORDS: usize = 64;

/// A query turned into a plan, with what spelling and the lexicon did to it.
pub struct PlannedQuery {
    pub plan: Plan,
    pub expanded: Vec<ExpandedTerm>,
    pub corrections: Vec<Correction>,
    /// Words no passage uses, as typed, with close corpus words to suggest.
    pub absent: Vec<AbsentWord>,
    /// What the query asks about, word by word: what "is a passage about it" is measured
    /// against (`about.rs`).
    pub concepts: Vec<Concept>,
    /// The query as searched, for the embedding model: its words and phrases with spelling
    /// corrections made, without its exclusions.
    pub semantic_text: String,
}

/// One thing a query asks about: a word, a phrase or a lexicon term, with the analyzed terms
/// that count as it (its own, and each synonym's; every term of an alternative must be present).
#[derive(Debug, Clone, PartialEq)]
pub struct Concept {
    pub alternatives: Vec<Vec<String>>,
    /// How informative it is: the inverse document frequency of its rarest own term.
    pub weight: f32,
}

/// Plans the search `request` asks for.
pub fn plan_query(
    index: &SearchIndex,
    snapshot: &Snapshot,
    request: &SearchRequest,
) -> Result<PlannedQuery> {
    index.taxonomy.ensure_known(&request.approaches)?;
    let text: String = request.query.chars().take(MAX_QUERY_CHARS).collect();
    if text.trim().is_empty() && request.approaches.is_empty() {
        return Err(Error::Query("the query is empty: give some words to search for, e.g. mbc search \"bone metastases\"".into()));
    }
    let mut analyzer = medical_analyzer();
    let builder = QueryBuilder::new(index.fields);
    let mut planned = PlannedQuery {
        plan: Plan {
            filter: builder.approach_filter(&request.approaches),
            ..Plan::default()
        },
        expanded: Vec::new(),
        corrections: Vec::new(),
        absent: Vec::new(),
        concepts: Vec::new(),
        semantic_text: String::new(),
    };
    let mut semantic_parts = Vec::new();
    let mut content_words = 0;
    for clause in parse_user_query(&text).clauses {
        match clause {
            Clause::Words(typed) => {
                let mut words = analyze_words(&mut analyzer, &typed);
                words.truncate(MAX_QUERY_WORDS);
                let searched = if request.exact {
                    typed.clone()
                } else {
                    spell(index, snapshot, &mut words, &typed, &mut planned)?
                };
                semantic_parts.push(searched);
                let matches =
                    add_free_words(index, &builder, &mut planned, &words, request.exact, &typed);
                planned
                    .concepts
                    .extend(concepts_of(snapshot, index.fields, &words, matches)?);
                content_words += words.iter().map(|w| &w.term).collect::<BTreeSet<_>>().len();
            }
            Clause::Phrase(phrase) => {
                let words = analyze_words(&mut analyzer, &phrase);
                if let Some(query) = builder.words_anywhere(&words, 0) {
                    let plan = &mut planned.plan;
                    plan.highlight_terms
                        .extend(terms_of(&words).map(String::from));
                    plan.scoring.push(LabeledClause {
                        label: format!("\"{phrase}\""),
                        query: query.box_clone(),
                    });
                    plan.required.push(query);
                    let own: Vec<String> = words.iter().map(|w| w.term.clone()).collect();
                    let weight = weight_of(snapshot, index.fields, &own)?;
                    planned.concepts.push(Concept {
                        alternatives: vec![own],
                        weight,
                    });
                }
                semantic_parts.push(phrase);
            }
            Clause::Exclude(excluded) => {
                let words = analyze_words(&mut analyzer, &excluded);
                planned
                    .plan
                    .excluded
                    .extend(builder.words_anywhere_unscored(&words));
            }
        }
    }
    if planned.plan.is_empty() {
        return Err(Error::Query(nothing_to_search(
            &request.query,
            &planned.plan,
        )));
    }
    if request.feedback {
        feedback::expand(&mut planned.plan, snapshot, index.fields, content_words)?;
    }
    planned.semantic_text = semantic_parts.join(" ");
    Ok(planned)
}

/// Why a query has nothing to search for, said so that the person can fix it.
fn nothing_to_search(query: &str, plan: &Plan) -> String {
    let shown: String = query.trim().chars().take(60).collect();
    let longest = query
        .split_whitespace()
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(0);
    if !plan.excluded.is_empty() {
        "nothing to search for: the query only excludes words; add the words to look for, e.g. \"chemotherapy -hair\"".to_string()
    } else if longest > MAX_WORD_CHARS {
        format!(
            "nothing to search for: words of more than {MAX_WORD_CHARS} characters are not searched (the query has one of {longest})"
        )
    } else {
        format!(
            "nothing searchable in \"{shown}\": it has only very common words or symbols; try the words that matter, e.g. \"hormone therapy side effects\""
        )
    }
}

/// Judges the spelling of each word ([`spelling::judge`]): corrections replace the word's term
/// and are recorded, absent words are recorded. Returns the clause's text as searched: `typed`
/// with each corrected word replaced.
fn spell(
    index: &SearchIndex,
    snapshot: &Snapshot,
    words: &mut [AnalyzedWord],
    typed: &str,
    planned: &mut PlannedQuery,
) -> Result<String> {
    let mut searched = String::with_capacity(typed.len());
    let mut copied = 0;
    for word in words.iter_mut() {
        let original = typed.get(word.range.clone()).unwrap_or(&word.term);
        match spelling::judge(snapshot, index.fields, &index.lexicon, word, original)? {
            spelling::Verdict::Known => {}
            spelling::Verdict::Absent { suggestions } => planned.absent.push(AbsentWord {
                word: original.to_string(),
                suggestions,
            }),
            spelling::Verdict::Corrected { term, shown } => {
                searched.push_str(&typed[copied..word.range.start]);
                searched.push_str(&shown);
                copied = word.range.end;
                planned.corrections.push(Correction {
                    from: original.to_string(),
                    to: shown,
                });
                word.term = term;
            }
        }
    }
    searched.push_str(&typed[copied..]);
    Ok(searched)
}

/// The concepts of a clause's free words: each lexicon match (with its expansions as
/// alternatives) and each word no match covers.
fn concepts_of(
    snapshot: &Snapshot,
    fields: Fields,
    words: &[AnalyzedWord],
    matches: Vec<LexiconMatch>,
) -> Result<Vec<Concept>> {
    let mut covered = vec![false; words.len()];
    let mut concepts = Vec::new();
    for found in matches {
        let span = &words[found.start..found.start + found.len];
        covered[found.start..found.start + found.len].fill(true);
        let own: Vec<String> = span.iter().map(|w| w.term.clone()).collect();
        let weight = weight_of(snapshot, fields, &own)?;
        let mut alternatives = vec![own];
        alternatives.extend(
            found
                .expansions
                .iter()
                .map(|e| e.words.iter().map(|w| w.term.clone()).collect()),
        );
        concepts.push(Concept {
            alternatives,
            weight,
        });
    }
    let mut seen = BTreeSet::new();
    for (word, _) in words.iter().zip(&covered).filter(|(_, c)| !**c) {
        if seen.insert(word.term.clone()) {
            let own = vec![word.term.clone()];
            let weight = weight_of(snapshot, fields, &own)?;
            concepts.push(Concept {
                alternatives: vec![own],
                weight,
            });
        }
    }
    Ok(concepts)
}

/// BM25's inverse document frequency of the rarest of `terms` in the passage bodies: a term no
/// passage has weighs the most.
fn weight_of(snapshot: &Snapshot, fields: Fields, terms: &[String]) -> Result<f32> {
    let (passages, rarest) = snapshot.read(|s| {
        let rarest = terms
            .iter()
            .map(|t| spelling::doc_freq(s, &[fields.body], t))
            .min()
            .unwrap_or(0);
        Ok((s.num_docs(), rarest))
    })?;
    let (n, df) = (passages as f32, rarest as f32);
    Ok((1.0 + (n - df + 0.5) / (df + 0.5)).ln())
}

/// Free words: each word scored in every field, lexicon expansions at a lower weight, and a
/// proximity bonus for the words together. Returns the lexicon's matches among the words.
fn add_free_words(
    index: &SearchIndex,
    builder: &QueryBuilder,
    planned: &mut PlannedQuery,
    words: &[AnalyzedWord],
    exact: bool,
    text: &str,
) -> Vec<LexiconMatch> {
    let plan = &mut planned.plan;
    for word in words {
        if let Some(query) = builder.words_anywhere(std::slice::from_ref(word), 0) {
            plan.scoring.push(LabeledClause {
                label: word.term.clone(),
                query,
            });
        }
    }
    plan.highlight_terms
        .extend(terms_of(words).map(String::from));
    for pair in words.windows(2) {
        if let Some(query) = builder.proximity(pair) {
            plan.proximity.push(LabeledClause {
                label: format!("near: {} {}", pair[0].term, pair[1].term),
                query,
            });
        }
    }
    if exact {
        return Vec::new();
    }
    let matches = index.lexicon.matches(words);
    for found in &matches {
        let matched = &words[found.start..found.start + found.len];
        let from = text
            .get(matched[0].range.start..matched[matched.len() - 1].range.end)
            .unwrap_or_default()
            .to_string();
        for expansion in &found.expansions {
            let Some(query) = builder.words_anywhere(&expansion.words, 0) else {
                continue;
            };
            let boosted: Box<dyn Query> = Box::new(BoostQuery::new(query, EXPANSION_WEIGHT));
            plan.scoring.push(LabeledClause {
                label: format!("also: {}", expansion.text),
                query: boosted,
            });
            plan.highlight_terms
                .extend(terms_of(&expansion.words).map(String::from));
            planned.expanded.push(ExpandedTerm {
                term: expansion.text.clone(),
                kind: expansion.kind,
                from: from.clone(),
                canonical: expansion.canonical,
                in_results: false,
            });
        }
    }
    matches
}
