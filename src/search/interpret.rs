//! Interpreting what a person typed: the parsed query's words analyzed, their spelling judged
//! (`spelling.rs`), lexicon synonyms found, the concepts the query asks about weighed, and all
//! of it turned into a [`Plan`] (`plan.rs` says how each part becomes a tantivy query).

use std::collections::BTreeSet;

use tantivy::query::{BoostQuery, DisjunctionMaxQuery, Query};

use super::contrary::Sides;
use super::feedback;
use super::like;
use super::plan::{EXPANSION_WEIGHT, LabeledClause, Plan, QueryBuilder, terms_of};
use super::results::{AbsentWord, Correction, ExpandedTerm, QueryKind, SearchRequest};
use super::spelling;
use super::subject;
use crate::analysis::{
    AnalyzedWord, WordKind, analyze_words, flat_terms, is_negation, medical_analyzer,
    without_apostrophes,
};
use crate::index::{Fields, SearchIndex, Snapshot};
use crate::lexicon::{Expansion, Lexicon, LexiconMatch, SynonymKind};
use crate::query::{Clause, parse_user_query};
use crate::symptoms::QueryTerms;
use crate::{Error, Result};

/// Longest query accepted, in characters; longer text is cut (a pasted page is still searched).
pub const MAX_QUERY_CHARS: usize = 10_000;
/// Longest text searched for passages like it (`--like`), in characters: a long article.
pub const MAX_LIKE_CHARS: usize = 200_000;
/// Longer "words" are not words: the tokenizer leaves them out.
const MAX_WORD_CHARS: usize = 100;
/// At most this many free words are scored; the rest of a very long query is ignored.
pub const MAX_QUERY_WORDS: usize = 512;
/// Queries of more words than this are pasted or dictated text rather than typed keywords
/// (the longest people's question has 32 words; two MED queries, of 57 and 62, count as
/// long): their spelling is not corrected (a word a pasted text has but no passage uses is
/// rare, not misspelt), they are read as words (quotation marks and dashes are not query
/// syntax), and a middling similarity needs more to count
/// ([`Thresholds::for_long_text`](crate::embed::calibration::Thresholds::for_long_text)).
/// Measured with `scripts/bench-quality.sh` (the long-query rows); see the README's "Long and
/// pasted queries".
pub const LONG_QUERY_WORDS: usize = 40;

/// Words people type into a search box that say nothing about what they ask: greetings and
/// thanks, chat abbreviations ("ngl im scared" was nothing found) and spellings ("shud", "wats",
/// "bc", "w" for "with"), intensifiers ("super tired", "freaking out"), "stuff", "vs" (it asks for a
/// comparison, not about anything), words that only colour a sentence ("actually", "really",
/// "kinda", "now"), words that report what someone said ("my oncologist said my cancer has
/// progressed": what was said is the question), "got"
/// (as in "i've got", which no text says), stop words written without their apostrophe
/// ("whats", "im", "hes"), and the kind of text a nurse is looking for ("handout", "leaflet",
/// "patient education"): every text here is one; and the units and words of an amount of
/// medicine ("mg", "dosage"), which no text gives (a question for one gets the note that says
/// so, `search::dose`). They are left out of a typed query as stop words are.
/// Kept in, a word no passage uses weighs the most in judging whether a passage is about the
/// query, so "is it ok to exercise during chemo" was judged to be about nothing in lexical
/// mode. Negations without their apostrophe ("dont", "cant") stay, as "not" does
/// ([`is_negation`]).
const QUERY_FILLERS: [&str; 96] = [
    "actually",
    "afaik",
    "anymore",
    "anyway",
    "anyways",
    "basically",
    "bc",
    "brochure",
    "brochures",
    "btw",
    "coz",
    "cud",
    "cuz",
    "dosage",
    "dosages",
    "education",
    "educational",
    "factsheet",
    "factsheets",
    "fr",
    "freaking",
    "fyi",
    "gonna",
    "got",
    "handout",
    "handouts",
    "hello",
    "hes",
    "hey",
    "hi",
    "hows",
    "idk",
    "im",
    "imho",
    "imo",
    "ive",
    "kinda",
    "leaflet",
    "leaflets",
    "literally",
    "lmao",
    "lol",
    "mcg",
    "mg",
    "mgs",
    "microgram",
    "micrograms",
    "milligram",
    "milligrams",
    "ngl",
    "now",
    "ok",
    "okay",
    "omg",
    "pamphlet",
    "pamphlets",
    "please",
    "pls",
    "plz",
    "really",
    "rn",
    "said",
    "says",
    "shes",
    "shud",
    "smh",
    "sorry",
    "stuff",
    "super",
    "tbh",
    "thank",
    "thanks",
    "thankyou",
    "thats",
    "theres",
    "theyre",
    "theyve",
    "tho",
    "thx",
    "told",
    "u",
    "ur",
    "vs",
    "w",
    "wanna",
    "wat",
    "wats",
    "weve",
    "whats",
    "whens",
    "wheres",
    "whos",
    "whys",
    "wud",
    "youre",
    "youve",
];

/// Words that, with 's, 're, 've, 'll, 'd or 'm, make a contraction that says nothing about
/// what is asked: "what's", "i'm", "they're", "who's", "you'll".
const CONTRACTED: [&str; 17] = [
    "he", "here", "how", "i", "it", "let", "she", "that", "there", "they", "we", "what", "when",
    "where", "who", "why", "you",
];

/// Whether `word`, as typed, is a contraction of one of the [`CONTRACTED`] words.
fn is_contraction(word: &str) -> bool {
    let Some((head, tail)) = word.split_once(crate::analysis::is_apostrophe) else {
        return false;
    };
    let tails = ["s", "re", "ve", "ll", "d", "m"];
    CONTRACTED.iter().any(|c| c.eq_ignore_ascii_case(head))
        && tails.iter().any(|t| t.eq_ignore_ascii_case(tail))
}

/// Whether the word at `range` of `typed` is written as a name: with a capital letter inside a
/// sentence ("Dr Okonkwo", "from Llanfairfechan"), not at its start.
fn is_proper_name(typed: &str, range: &std::ops::Range<usize>) -> bool {
    let capital = typed[range.clone()]
        .chars()
        .next()
        .is_some_and(char::is_uppercase);
    let earlier = &typed[..range.start];
    let sentence = earlier.trim_end();
    let gap = &earlier[sentence.len()..];
    let before = sentence.chars().next_back();
    capital
        && !gap.contains('\n')
        && before.is_some_and(|c| !matches!(c, '.' | '!' | '?' | ':' | '"' | '('))
}

/// Whether the word at `range` of `typed` is the name a person gives themselves or someone
/// ("hi my name is maria", "my mums name is Ewa"): "maria", in no passage, made a question about
/// hand-foot syndrome "nothing found".
fn is_introduced_name(typed: &str, range: &std::ops::Range<usize>) -> bool {
    const LEADS: [&str; 4] = ["name is", "name's", "name\u{2019}s", "my names"];
    let before = typed[..range.start].trim_end();
    // Only the end of what came before can hold a lead: a pasted page is not lowered whole
    // for each of its words.
    let tail = before
        .char_indices()
        .rev()
        .nth(8)
        .map_or(before, |(at, _)| &before[at..])
        .to_lowercase();
    LEADS.iter().any(|lead| tail.ends_with(lead))
}

/// Whether `word`, as typed, is one of the [`QUERY_FILLERS`] (with or without its apostrophe)
/// or a contraction that says nothing ([`is_contraction`]). Before apostrophes were dropped
/// here, "i'm scared of chemo", "shouldn't i have chemo" and "what's HER2?" were each judged to
/// be about nothing: the analyzer reads "i'm" as "im", but the typed word was compared.
fn is_filler(word: &str) -> bool {
    let bare = without_apostrophes(word);
    QUERY_FILLERS.iter().any(|f| f.eq_ignore_ascii_case(&bare))
        || is_contraction(word)
        || is_amount(&bare)
}

/// True for an amount of medicine written as one word: "20mg", "2.5mg", "100mcg", "5ml".
pub(super) fn is_amount(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    ["mg", "mgs", "mcg", "ml"].iter().any(|unit| {
        lower.strip_suffix(unit).is_some_and(|number| {
            !number.is_empty() && number.chars().all(|c| c.is_ascii_digit() || c == '.')
        })
    })
}

/// Words that count the units of a [span of time](in_time_spans): "couple", "few", "two" (and
/// digits), with the "of" and "a" that go between ("a couple of", "a few"); those two alone
/// are no count.
const SPAN_COUNTS: [&str; 14] = [
    "couple", "few", "several", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "of", "a",
];

/// The units of a [span of time](in_time_spans).
const SPAN_UNITS: [&str; 12] = [
    "hour", "hours", "day", "days", "night", "nights", "week", "weeks", "month", "months", "year",
    "years",
];

/// Units of time that "last" or "past" make a point in time, one unit back: "last night",
/// "last week", "in the past year".
const POINT_UNITS: [&str; 12] = [
    "night",
    "week",
    "weekend",
    "month",
    "year",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// For each of `words`, whether it belongs to a span of time that says how long something has
/// gone on or when it happened: "last" or "past", a count, and a unit ("over the last couple
/// of days", "for the past 3 weeks"), or "last" or "past" and one of the [`POINT_UNITS`] ("last
/// night", "past week"). Such a span says when, not what. Kept in, it made "the last days" of the
/// text on the end of life the subject of "mum has brain mets and over the last couple of
/// days one side of her face has drooped", ahead of the urgent advice, and put two of its
/// passages under the advice on seizures for "she had a fit last night". Without a count ("the
/// last days of life", "last weeks") or followed by "of" ("the last week of life") the words
/// stay.
fn in_time_spans(typed: &str, words: &[AnalyzedWord]) -> Vec<bool> {
    let lower: Vec<String> = words
        .iter()
        .map(|w| typed[w.range.clone()].to_lowercase())
        .collect();
    let is_count = |w: &str| {
        SPAN_COUNTS.contains(&w) || (!w.is_empty() && w.chars().all(|c| c.is_ascii_digit()))
    };
    let mut span = vec![false; words.len()];
    for start in (0..lower.len()).filter(|&i| matches!(lower[i].as_str(), "last" | "past")) {
        let (mut end, mut counts) = (start + 1, 0);
        while end < lower.len() && is_count(&lower[end]) {
            counts += usize::from(!matches!(lower[end].as_str(), "of" | "a"));
            end += 1;
        }
        let counted = counts > 0
            && lower
                .get(end)
                .is_some_and(|unit| SPAN_UNITS.contains(&unit.as_str()));
        let point = counts == 0
            && lower
                .get(end)
                .is_some_and(|unit| POINT_UNITS.contains(&unit.as_str()))
            && !followed_by_of(typed, &words[end]);
        if counted || point {
            span[start..=end].fill(true);
        }
    }
    span
}

/// Whether the next word written after `word` is "of" ("the last week of life").
fn followed_by_of(typed: &str, word: &AnalyzedWord) -> bool {
    typed[word.range.end..]
        .split_whitespace()
        .next()
        .is_some_and(|next| next.eq_ignore_ascii_case("of"))
}

/// `words` without the [fillers](is_filler) and [spans of time](in_time_spans), except those
/// inside a lexicon phrase the query uses: "got" says nothing in "i've got bone mets", but "how
/// long have i got" asks about the prognosis.
fn without_fillers(
    index: &SearchIndex,
    typed: &str,
    words: Vec<AnalyzedWord>,
) -> Vec<AnalyzedWord> {
    let mut kept = vec![false; words.len()];
    for found in index
        .lexicon
        .matches(typed, &words)
        .iter()
        .filter(|m| m.phrase)
    {
        kept[found.start..found.start + found.len].fill(true);
    }
    let spans = in_time_spans(typed, &words);
    words
        .into_iter()
        .zip(kept.into_iter().zip(spans))
        .filter(|(w, (kept, span))| *kept || !(*span || is_filler(&typed[w.range.clone()])))
        .map(|(w, _)| w)
        .collect()
}

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
    /// True for a long text rather than typed keywords ([`LONG_QUERY_WORDS`]).
    pub long: bool,
    /// True when the query names another cancer that no passage names (`subject.rs`): it is
    /// about nothing in the corpus, whatever else it shares with the texts.
    pub names_another_cancer: bool,
    /// Plain names for the embedding model ([`PlannedQuery::embedding_text`]): the generic
    /// name of each brand name the query uses ("sacituzumab govitecan" for "trodelvy"), and
    /// the clinical word for an everyday phrase of [`PHRASE_WORDS`] or more words ("tiredness"
    /// for "cant get out of bed"), or of two that no passage writes ("ascites" for "tummy is
    /// swollen"); none in a query too long for them or naming an urgent
    /// symptom ([`PLAIN_NAME_CONCEPTS`]).
    pub plain_names: Vec<String>,
    /// The statuses the query takes (HER2-negative, after the menopause): a passage that
    /// names only their contraries is listed after the rest ([`Sides`]).
    pub sides: Sides,
    /// True when only the start of a typed query was searched: its first [`MAX_QUERY_CHARS`]
    /// characters, or [`MAX_QUERY_WORDS`] words of a clause.
    pub cut: bool,
}

/// The most concepts a query may have for its plain names ([`PlannedQuery::plain_names`]) to
/// reach the embedding model. The small model knows generic names far better than brands: it put general
/// side-effect passages above sacituzumab govitecan's for "trodelvy side effects", where the
/// drug is the subject. In a longer question the drug is context and its generic name pulls
/// the query towards passages describing the drug ("on enhertu and got a new cough and short of
/// breath" lost the passage on T-DXd's lung inflammation). A question that names an urgent
/// symptom is about the symptom however short, so it never gets them ("patient on trodelvy has
/// spiked a temperature" put general urgent advice above the advice on fever). Only the
/// generic name is added, never the rest of a lexicon group, so the query still embeds as the
/// question asked. Four concepts rather than three was chosen on the development set ("why do i
/// need liver blood tests on verzenio": answer 5th → 3rd), with every other set and
/// mode the same or better and MED unchanged.
const PLAIN_NAME_CONCEPTS: usize = 4;

/// An everyday phrase of this many words or more that the lexicon reads as a clinical word
/// gives the model that word too. Such a phrase is often an idiom whose literal words mislead
/// the model: "cant get out of bed" embedded close to advice on bedtimes (text 28 on sleep put
/// its sleep habits first and cancer-related fatigue 6th); with "tiredness" beside it, the
/// passage on fatigue leads. Shorter phrases ("short of breath", "spread to the liver") say
/// what they mean, and the model reads them well, unless no passage writes them: "her tummy
/// is swollen" embedded close to the advice on a swollen arm (seven arm passages led, the
/// passage on fluid in the belly 10th), and with "ascites" beside it that passage leads. Every
/// question set and MED were unchanged by either (stops 42 and 53).
const PHRASE_WORDS: usize = 3;

impl PlannedQuery {
    /// The text given to the embedding model: the query as searched, and the plain names
    /// [`plan_query`] kept for it (see [`PLAIN_NAME_CONCEPTS`]).
    pub fn embedding_text(&self) -> std::borrow::Cow<'_, str> {
        if self.plain_names.is_empty() {
            return self.semantic_text.as_str().into();
        }
        format!("{} {}", self.semantic_text, self.plain_names.join(" ")).into()
    }
}

/// One thing a query asks about: a word, a phrase or a lexicon term, with the analyzed terms
/// that count as it (its own, and each synonym's; every term of an alternative must be present).
#[derive(Debug, Clone, PartialEq)]
pub struct Concept {
    pub alternatives: Vec<Vec<String>>,
    /// How informative it is: the inverse document frequency of its rarest own term (of its
    /// commonest synonym when no passage has its own terms), times how often the query uses
    /// it.
    pub weight: f32,
    /// True for a lexicon term that names a person ("mum", "husband"): see
    /// [`super::about::people_weigh_least`].
    pub person: bool,
}

/// The visible characters of `query`, at most `max_chars` of them, cut at the end of a word:
/// a word cut in two was searched, and reported as one no passage uses ("th").
fn start_of(query: &str, max_chars: usize) -> String {
    let mut visible = query.chars().filter(|&c| !crate::analysis::is_invisible(c));
    let mut text: String = visible.by_ref().take(max_chars).collect();
    let cut_inside_a_word = visible.next().is_some_and(|c| !c.is_whitespace());
    if cut_inside_a_word && let Some(end) = text.rfind(char::is_whitespace) {
        text.truncate(end);
    }
    text
}

/// Plans the search `request` asks for.
pub fn plan_query(
    index: &SearchIndex,
    snapshot: &Snapshot,
    request: &SearchRequest,
) -> Result<PlannedQuery> {
    index.taxonomy.ensure_known(&request.approaches)?;
    let like = matches!(request.kind, QueryKind::Like { .. });
    let max_chars = if like {
        MAX_LIKE_CHARS
    } else {
        MAX_QUERY_CHARS
    };
    let text = start_of(&request.query, max_chars);
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
        long: false,
        names_another_cancer: false,
        plain_names: Vec::new(),
        sides: Sides::default(),
        cut: !like && request.query.chars().nth(max_chars).is_some(),
    };
    let mut named_groups = Vec::new();
    let mut semantic_parts = Vec::new();
    let mut content_words = 0;
    let typed = match &request.kind {
        QueryKind::Typed | QueryKind::Approach => parse_user_query(&text).clauses,
        QueryKind::Like { .. } => Vec::new(),
    };
    let long = like || is_long(&typed);
    // A long text (pasted, or to find passages like) is all words: its quotation marks and
    // dashes quote and join rather than demand or exclude.
    let clauses = match long {
        true => vec![Clause::Words(text.clone())],
        false => typed,
    };
    planned.long = long;
    if let QueryKind::Like { passage, document } = &request.kind {
        let excluded = &mut planned.plan.excluded;
        excluded.extend(passage.as_deref().map(|id| builder.passage(id)));
        excluded.extend(document.as_deref().map(|id| builder.document(id)));
    }
    for clause in clauses {
        match clause {
            Clause::Words(typed) => {
                let mut typed = match request.exact || like {
                    true => typed,
                    false => slashes_as_alternatives(index, snapshot, &mut analyzer, &typed)?,
                };
                let mut words = analyze_words(&mut analyzer, &typed);
                if like {
                    words = like::distinctive(snapshot, index.fields, words)?;
                } else {
                    words = without_fillers(index, &typed, words);
                    if words.len() > MAX_QUERY_WORDS {
                        // What is searched, shown as `searched` and given to the model, ends
                        // with the last word searched: it was the whole text.
                        planned.cut = true;
                        let end = words[MAX_QUERY_WORDS - 1].range.end.min(typed.len());
                        let end = (0..=end).rev().find(|&i| typed.is_char_boundary(i));
                        typed.truncate(end.unwrap_or(0));
                        words.truncate(MAX_QUERY_WORDS);
                    }
                }
                let absent_before = planned.absent.len();
                let mut numbers = Vec::new();
                let searched = if like {
                    typed.clone()
                } else if request.exact {
                    absent_as_typed(snapshot, index.fields, &typed, &words, &mut planned.absent)?;
                    typed.clone()
                } else {
                    spell(
                        index,
                        snapshot,
                        &mut words,
                        &typed,
                        !long,
                        &mut numbers,
                        &mut planned,
                    )?
                };
                semantic_parts.push(searched);
                let matches = add_free_words(
                    index,
                    snapshot,
                    &builder,
                    &mut planned,
                    &words,
                    request.exact,
                    &typed,
                )?;
                note_plain_names(
                    snapshot,
                    index.fields,
                    &words,
                    &matches,
                    &mut planned.plain_names,
                )?;
                named_groups.extend(matches.iter().map(|m| m.group));
                forget_words_in_phrases(
                    &mut planned.absent,
                    absent_before,
                    &typed,
                    &words,
                    &matches,
                );
                if !long {
                    let names_a_medicine = matches
                        .iter()
                        .any(|m| index.lexicon.groups()[m.group].kind == SynonymKind::Brand);
                    let clause = subject::ClauseWords {
                        typed: &typed,
                        words: &words,
                        names_a_medicine,
                    };
                    note_unnamed_cancers(snapshot, &builder, &clause, &mut planned)?;
                }
                absent_lexicon_terms(
                    snapshot,
                    index.fields,
                    &typed,
                    &words,
                    &matches,
                    &mut planned.absent,
                )?;
                let concepts = concepts_of(
                    snapshot,
                    index.fields,
                    &index.lexicon,
                    &typed,
                    &words,
                    matches,
                    long,
                )?;
                planned.concepts.extend(
                    concepts
                        .into_iter()
                        .filter(|c| !is_one_of_the_numbers(c, &numbers)),
                );
                content_words += words.iter().map(|w| &w.term).collect::<BTreeSet<_>>().len();
            }
            Clause::Phrase(phrase) => {
                let words = analyze_words(&mut analyzer, &phrase);
                named_groups.extend(
                    index
                        .lexicon
                        .matches(&phrase, &words)
                        .iter()
                        .map(|m| m.group),
                );
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
                        person: false,
                    });
                }
                semantic_parts.push(phrase);
            }
            Clause::Exclude(excluded) => {
                let words = analyze_words(&mut analyzer, &excluded);
                // An exclusion that no passage matches changes nothing, and is left out: as
                // an exclusion, tantivy's phrase scorer with no match at all stops on its
                // debug assertion ("target (0) should be greater than or equal to doc"), and
                // `bone -pain-her2` failed as a damaged index in a debug build.
                if let Some(query) = builder.words_anywhere_unscored(&words)
                    && snapshot.read(|s| query.count(s))? > 0
                {
                    planned.plan.excluded.push(query);
                }
            }
        }
    }
    if planned.plan.is_empty() && like {
        return Err(Error::Query(
            "nothing in the corpus is like this text: no passage uses any of its words".into(),
        ));
    }
    if planned.plan.is_empty() {
        return Err(Error::Query(nothing_to_search(
            &request.query,
            &planned.plan,
        )));
    }
    if request.feedback {
        feedback::expand(&mut planned.plan, index, snapshot, content_words)?;
    }
    planned.semantic_text = semantic_parts.join(" ");
    // A passage like another is like it, whatever the statuses it names.
    if !like && !request.exact {
        planned.sides = Sides::of_query(&index.lexicon, &named_groups);
    }
    // Where the drug is context rather than the subject, the model gets the words as searched.
    let names_urgent = || {
        !index
            .symptoms
            .named_in(&concept_terms(&planned.concepts, &planned.semantic_text))
            .is_empty()
    };
    if planned.concepts.len() > PLAIN_NAME_CONCEPTS || names_urgent() {
        planned.plain_names.clear();
    }
    Ok(planned)
}

/// Every analyzed term that counts as one of the concepts, as the urgent rule reads them: the
/// query's own words (each concept's first alternative) and its one-word synonyms, while a
/// synonym of several words counts only as a whole. Read word by word, a synonym lends words
/// the person never used to terms it has no part in: "breathless" ("can't breathe") and
/// "walking" named "cant walk", a sign of spinal cord compression, and "lose her hair" ("hair
/// falling out") and "pain in her hip" named a fall on the hip. `text` is the query as searched,
/// for the terms that need their words as written ([`crate::symptoms::Symptom::written`]).
pub fn concept_terms<'a>(concepts: &'a [Concept], text: &str) -> QueryTerms<'a> {
    let mut terms = QueryTerms::default();
    terms.add_written(text);
    for concept in concepts {
        let Some((own, synonyms)) = concept.alternatives.split_first() else {
            continue;
        };
        own.iter().for_each(|w| terms.add_word(w));
        for synonym in synonyms {
            if synonym.len() > 1 {
                terms.add_phrase(synonym);
            } else {
                synonym.iter().for_each(|w| terms.add_word(w));
            }
        }
    }
    terms
}

/// True for a query of more than [`LONG_QUERY_WORDS`] words, phrases included.
fn is_long(clauses: &[Clause]) -> bool {
    let words: usize = clauses
        .iter()
        .map(|clause| match clause {
            Clause::Words(text) | Clause::Phrase(text) => text.split_whitespace().count(),
            Clause::Exclude(_) => 0,
        })
        .sum();
    words > LONG_QUERY_WORDS
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
            "nothing searchable in \"{shown}\": it has only very common words or symbols; say what it is about in a few words, e.g. \"bone pain\", \"feeling low\" or \"letrozole side effects\""
        )
    }
}

/// True when `concept` is nothing but one of `numbers` (see [`spell`]), which are not weighed.
fn is_one_of_the_numbers(concept: &Concept, numbers: &[String]) -> bool {
    matches!(concept.alternatives.as_slice(), [one] if matches!(one.as_slice(), [term] if numbers.contains(term)))
}

/// `word` as the person wrote it in `typed`.
fn as_typed<'a>(typed: &'a str, word: &'a AnalyzedWord) -> &'a str {
    typed.get(word.range.clone()).unwrap_or(&word.term)
}

/// True for a word of digits only, with at most one decimal point ("85", "38.5").
fn is_number(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_digit())
        && word.chars().all(|c| c.is_ascii_digit() || c == '.')
        && word.matches('.').count() <= 1
}

/// Judges the spelling of each word ([`spelling::judge`]): corrections replace the word's term
/// (a word read as two becomes the two words) and are recorded once each (only when `correct`;
/// otherwise the correction is only suggested), and so are absent words. Returns the clause's
/// text as searched: `typed` with each corrected word replaced.
fn spell(
    index: &SearchIndex,
    snapshot: &Snapshot,
    words: &mut Vec<AnalyzedWord>,
    typed: &str,
    correct: bool,
    numbers: &mut Vec<String>,
    planned: &mut PlannedQuery,
) -> Result<String> {
    let mut searched = String::with_capacity(typed.len());
    let mut copied = 0;
    let mut spelt = Vec::with_capacity(words.len() + 1);
    // Positions added by words read as two: the words after them move along.
    let mut added = 0;
    let all_numbers = words.iter().all(|w| is_number(as_typed(typed, w)));
    for mut word in std::mem::take(words) {
        word.position += added;
        for (position, _) in &mut word.parts {
            *position += added;
        }
        let range = word.range.clone();
        let original = as_typed(typed, &word).to_string();
        // A name given in an introduction is neither corrected nor reported: it is in no text,
        // and says nothing of what is asked ("hi my name is maria").
        let verdict = if planned.absent.iter().any(|a| a.word == original)
            || is_negation(&original)
            || is_introduced_name(typed, &range)
        {
            spelling::Verdict::Known
        } else {
            spelling::judge(snapshot, index.fields, &index.lexicon, &word, &original)?
        };
        let shown = match verdict {
            spelling::Verdict::Known => None,
            // A number no passage has ("chemo at 85", "diarrhoea 8 times") is an age, a count
            // or a dose: the texts speak of these in words, and weighed as the rarest word of
            // the question it made the whole question nothing found. It is kept for lexicon
            // phrases ("8 year old") and the model, but neither reported nor weighed.
            spelling::Verdict::Absent { .. } if !all_numbers && is_number(&original) => {
                numbers.push(word.term.clone());
                None
            }
            spelling::Verdict::Absent { suggestions } => {
                planned.absent.push(AbsentWord {
                    word: original.clone(),
                    suggestions,
                });
                None
            }
            spelling::Verdict::Corrected { shown, .. } | spelling::Verdict::Split { shown, .. }
                if !correct =>
            {
                planned.absent.push(AbsentWord {
                    word: original.clone(),
                    suggestions: vec![shown],
                });
                None
            }
            spelling::Verdict::Corrected { term, shown } => {
                word.term = term;
                Some(shown)
            }
            spelling::Verdict::Split {
                terms: [first, second],
                shown,
            } => {
                // Searched as if typed apart: the second word follows the first.
                let mut next = word.clone();
                next.term = second;
                next.position += 1;
                word.term = first;
                spelt.push(word);
                word = next;
                added += 1;
                Some(shown)
            }
        };
        spelt.push(word);
        let Some(shown) = shown else {
            continue;
        };
        searched.push_str(&typed[copied..range.start]);
        searched.push_str(&shown);
        copied = range.end;
        let correction = Correction {
            from: original,
            to: shown,
        };
        // A word the query repeats is replaced each time but reported once.
        if !planned.corrections.contains(&correction) {
            planned.corrections.push(correction);
        }
    }
    *words = spelt;
    searched.push_str(&typed[copied..]);
    Ok(searched)
}

/// Drops, from the absent words recorded for this clause (those from index `from` on), the
/// words of the lexicon phrases it matched. No passage may use "old", but "my 4 year old" is
/// understood (as young children), so it is not reported as absent.
fn forget_words_in_phrases(
    absent: &mut Vec<AbsentWord>,
    from: usize,
    typed: &str,
    words: &[AnalyzedWord],
    matches: &[LexiconMatch],
) {
    let phrased: Vec<&str> = matches
        .iter()
        .filter(|m| m.len > 1)
        .flat_map(|m| &words[m.start..m.start + m.len])
        .filter_map(|w| typed.get(w.range.clone()))
        .collect();
    let added = absent.split_off(from);
    absent.extend(added.into_iter().filter(|a| !phrased.contains(&&*a.word)));
}

/// Records the other cancers the clause names and no passage does as absent, whole.
fn note_unnamed_cancers(
    snapshot: &Snapshot,
    builder: &QueryBuilder,
    clause: &subject::ClauseWords,
    planned: &mut PlannedQuery,
) -> Result<()> {
    for name in subject::unnamed_cancers(snapshot, builder, clause)? {
        planned.names_another_cancer = true;
        // Its words, reported one by one, are now reported once, together.
        planned
            .absent
            .retain(|a| !name.split_whitespace().any(|w| w == a.word));
        planned.absent.push(AbsentWord {
            word: name,
            suggestions: Vec::new(),
        });
    }
    Ok(())
}

/// Records as absent, whole, each lexicon term of the query that no passage uses, nor any of
/// its synonyms (a term counts as used when every one of its words is, in any field: "school-age
/// children" is a heading's words): the lexicon knows "dcis", so it is not a misspelling, but
/// no text is about it.
fn absent_lexicon_terms(
    snapshot: &Snapshot,
    fields: Fields,
    typed: &str,
    words: &[AnalyzedWord],
    matches: &[LexiconMatch],
    absent: &mut Vec<AbsentWord>,
) -> Result<()> {
    let searched = fields.searched();
    for found in matches {
        let span = &words[found.start..found.start + found.len];
        let own: Vec<String> = span.iter().map(|w| w.term.clone()).collect();
        let synonyms = found
            .expansions
            .iter()
            .map(|e| e.words.iter().map(|w| w.term.clone()).collect::<Vec<_>>());
        let alternatives: Vec<Vec<String>> = std::iter::once(own).chain(synonyms).collect();
        let used = snapshot.read(|s| {
            Ok(alternatives
                .iter()
                .any(|terms| spelling::uses_all(s, &searched, terms)))
        })?;
        if used {
            continue;
        }
        let (Some(first), Some(last)) = (span.first(), span.last()) else {
            continue;
        };
        let word = &typed[first.range.start..last.range.end];
        if !absent.iter().any(|a| a.word == word) {
            absent.push(AbsentWord {
                word: word.to_string(),
                suggestions: Vec::new(),
            });
        }
    }
    Ok(())
}

/// The concepts of a clause's free words: each lexicon match (with its expansions as
/// alternatives) and each word no match covers.
fn concepts_of(
    snapshot: &Snapshot,
    fields: Fields,
    lexicon: &Lexicon,
    typed: &str,
    words: &[AnalyzedWord],
    matches: Vec<LexiconMatch>,
    long: bool,
) -> Result<Vec<Concept>> {
    // The concept each word belongs to.
    let mut owner: Vec<Option<usize>> = vec![None; words.len()];
    let mut concepts = Vec::new();
    for found in matches {
        let span = found.start..found.start + found.len;
        owner[span.clone()].fill(Some(concepts.len()));
        let own: Vec<String> = words[span].iter().map(|w| w.term.clone()).collect();
        let mut alternatives = vec![own];
        alternatives.extend(
            found
                .expansions
                .iter()
                .map(|e| e.words.iter().map(|w| w.term.clone()).collect()),
        );
        let weight = concept_weight(snapshot, fields, &alternatives)?;
        concepts.push(Concept {
            alternatives,
            weight,
            person: lexicon.groups()[found.group].person,
        });
    }
    let uncovered: Vec<AnalyzedWord> = words
        .iter()
        .zip(&owner)
        .filter(|(_, o)| o.is_none())
        .map(|(w, _)| w.clone())
        .collect();
    // A word the query repeats weighs as often as it is used: the subject of a pasted
    // paragraph is what a passage must share to be about it.
    for (word, count) in distinct_words(&uncovered) {
        for (w, o) in words.iter().zip(owner.iter_mut()) {
            if o.is_none() && w.term == word.term {
                *o = Some(concepts.len());
            }
        }
        let mut alternatives = vec![own_terms(snapshot, fields, word)?];
        // A negation without its apostrophe is covered by "not", and weighs as "not" does.
        if typed.get(word.range.clone()).is_some_and(is_negation) {
            alternatives.push(vec!["not".to_string()]);
        }
        let weighed = alternatives.last().expect("one alternative at least");
        let (idf, passages) = idf(snapshot, fields, &[weighed])?;
        // The names in a pasted letter (people, places) are in no passage and say nothing of
        // whether the corpus answers it, but as concepts no passage has they weighed most of all
        // and hid what it was about. Other words no passage uses stay: in a pasted abstract they
        // are its subject ("biliary atresia"), in a short question what is asked ("my cat").
        if passages == 0
            && (long && is_proper_name(typed, &word.range)
                || is_introduced_name(typed, &word.range))
        {
            continue;
        }
        let weight = idf * count as f32;
        concepts.push(Concept {
            alternatives,
            weight,
            person: false,
        });
    }
    Ok(join_either(concepts, &owner, typed, words))
}

/// What a passage must have to cover `word`: its term, or, for a compound that no passage
/// has whole ("hair-loss", or "hairloss" read as two), its parts, which the texts write apart.
fn own_terms(snapshot: &Snapshot, fields: Fields, word: &AnalyzedWord) -> Result<Vec<String>> {
    let whole = vec![word.term.clone()];
    if word.kind != WordKind::Compound || word.parts.len() < 2 {
        return Ok(whole);
    }
    let seen = snapshot.read(|s| Ok(spelling::doc_freq(s, &[fields.body], &word.term)))?;
    Ok(match seen {
        0 => word.parts.iter().map(|(_, part)| part.clone()).collect(),
        _ => whole,
    })
}

/// "ibrance/kisqali" or "tamoxifen/letrozole": words joined by a slash that the texts never
/// join, each of them a word the texts or the lexicon know, are alternatives. The slash gets
/// spaces around it, so the words are read one by one and [`join_either`] joins them as it
/// does words on either side of an "or". Read as one compound, such a query needed a passage
/// with every part in a row, and reported the whole missing: "ibrance/kisqali/verzenio which
/// is best" found nothing. "HER2/neu" and "CDK4/6", which the texts write, stay whole.
fn slashes_as_alternatives(
    index: &SearchIndex,
    snapshot: &Snapshot,
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
    typed: &str,
) -> Result<String> {
    // A stop word ("and/or") is known: it is left out as it would be on its own.
    let known = |analyzer: &mut tantivy::tokenizer::TextAnalyzer, text: &str| -> Result<bool> {
        match analyze_words(analyzer, text).as_slice() {
            [] => Ok(true),
            [word] => Ok(matches!(
                spelling::judge(snapshot, index.fields, &index.lexicon, word, text)?,
                spelling::Verdict::Known
            )),
            _ => Ok(false),
        }
    };
    let mut split = String::with_capacity(typed.len() + 8);
    'pieces: for piece in typed.split_inclusive(char::is_whitespace) {
        let word = piece.trim_end();
        if !word.contains('/')
            || !word.split('/').all(|p| p.chars().any(char::is_alphabetic))
            || known(analyzer, word)?
        {
            split.push_str(piece);
            continue;
        }
        for part in word.split('/') {
            if !known(analyzer, part)? {
                split.push_str(piece);
                continue 'pieces;
            }
        }
        split.push_str(&piece.replace('/', " / "));
    }
    Ok(split)
}

/// "lung or bronchi": the concepts of the words on either side of an "or" (or a slash, see
/// [`slashes_as_alternatives`]) become one, with the alternatives of both, weighing as the
/// commoner: a passage that has either covers it. Only single words are joined: in "liver or
/// lung metastases" the "or" joins "liver" to "lung", not to the phrase "lung metastases" the
/// lexicon reads.
fn join_either(
    concepts: Vec<Concept>,
    owner: &[Option<usize>],
    typed: &str,
    words: &[AnalyzedWord],
) -> Vec<Concept> {
    // The concept each one is joined into (itself, or an earlier one).
    let mut into: Vec<usize> = (0..concepts.len()).collect();
    let root = |into: &[usize], mut c: usize| {
        while into[c] != c {
            c = into[c];
        }
        c
    };
    let one_word = |c: usize| concepts[c].alternatives[0].len() == 1;
    for (i, pair) in words.windows(2).enumerate() {
        let gap = typed.get(pair[0].range.end..pair[1].range.start);
        let gap = gap.map(str::trim);
        if !gap.is_some_and(|g| g.eq_ignore_ascii_case("or") || g == "/") {
            continue;
        }
        if let (Some(a), Some(b)) = (owner[i], owner[i + 1])
            && one_word(a)
            && one_word(b)
        {
            let (a, b) = (root(&into, a), root(&into, b));
            into[a.max(b)] = a.min(b);
        }
    }
    let mut joined: Vec<Option<Concept>> = Vec::with_capacity(concepts.len());
    for (c, concept) in concepts.into_iter().enumerate() {
        let r = root(&into, c);
        match joined.get_mut(r).and_then(Option::as_mut) {
            Some(first) if r != c => {
                first.alternatives.extend(concept.alternatives);
                first.weight = first.weight.min(concept.weight);
                joined.push(None);
            }
            _ => joined.push(Some(concept)),
        }
    }
    joined.into_iter().flatten().collect()
}

/// BM25's inverse document frequency of the rarest of `terms` in the passage bodies: a term no
/// passage has weighs the most.
fn weight_of(snapshot: &Snapshot, fields: Fields, terms: &[String]) -> Result<f32> {
    Ok(idf(snapshot, fields, &[terms])?.0)
}

/// The weight of a lexicon concept, whose `alternatives` are its own terms first, then its
/// synonyms': its own terms' [`weight_of`], unless no passage has them. Then the weight is that
/// of its commonest synonym: "dad" is absent from texts that say "parent", and weighing it as
/// the rarest word of all made one concept outweigh the rest of "my dad has breast cancer".
fn concept_weight(
    snapshot: &Snapshot,
    fields: Fields,
    alternatives: &[Vec<String>],
) -> Result<f32> {
    let alternatives: Vec<&[String]> = alternatives.iter().map(Vec::as_slice).collect();
    let (own, own_df) = idf(snapshot, fields, &alternatives[..1])?;
    if own_df > 0 || alternatives.len() == 1 {
        return Ok(own);
    }
    Ok(idf(snapshot, fields, &alternatives[1..])?.0)
}

/// BM25's inverse document frequency, in the passage bodies, of the commonest of
/// `alternatives` (each as common as its rarest term), and that alternative's document
/// frequency.
fn idf(snapshot: &Snapshot, fields: Fields, alternatives: &[&[String]]) -> Result<(f32, u64)> {
    let (passages, commonest) = snapshot.read(|s| {
        let rarest_term = |terms: &&[String]| {
            terms
                .iter()
                .map(|t| spelling::doc_freq(s, &[fields.body], t))
                .min()
                .unwrap_or(0)
        };
        Ok((
            s.num_docs(),
            alternatives.iter().map(rarest_term).max().unwrap_or(0),
        ))
    })?;
    let (n, df) = (passages as f32, commonest as f32);
    Ok(((1.0 + (n - df + 0.5) / (df + 0.5)).ln(), commonest))
}

/// What `--explain` calls a matched term's expansions: the first few, and how many there are.
fn expansions_label(expansions: &[String]) -> String {
    const SHOWN: usize = 3;
    match expansions.len() {
        n if n <= SHOWN => format!("also: {}", expansions.join(" | ")),
        n => format!(
            "also: {} | … (the best of {n})",
            expansions[..SHOWN].join(" | ")
        ),
    }
}

/// Each distinct word of a clause (by its term), first occurrence first, with its count.
fn distinct_words(words: &[AnalyzedWord]) -> Vec<(&AnalyzedWord, usize)> {
    let mut distinct: Vec<(&AnalyzedWord, usize)> = Vec::new();
    for word in words {
        match distinct.iter_mut().find(|(seen, _)| seen.term == word.term) {
            Some((_, count)) => *count += 1,
            None => distinct.push((word, 1)),
        }
    }
    distinct
}

/// Free words: each word scored in every field, lexicon expansions at a lower weight, and a
/// proximity bonus for the words together. Returns the lexicon's matches among the words.
fn add_free_words(
    index: &SearchIndex,
    snapshot: &Snapshot,
    builder: &QueryBuilder,
    planned: &mut PlannedQuery,
    words: &[AnalyzedWord],
    exact: bool,
    text: &str,
) -> Result<Vec<LexiconMatch>> {
    let plan = &mut planned.plan;
    // One clause per distinct word, weighted by how often the query uses it (BM25's raw
    // query-term frequency, as Lucene counts it): the word a pasted paragraph repeats is its
    // subject.
    for (word, count) in distinct_words(words) {
        if let Some(query) = builder.words_anywhere(std::slice::from_ref(word), 0) {
            let (label, query): (String, Box<dyn Query>) = match count {
                1 => (word.term.clone(), query),
                n => (
                    format!("{} ×{n}", word.term),
                    Box::new(BoostQuery::new(query, n as f32)),
                ),
            };
            plan.scoring.push(LabeledClause { label, query });
        }
    }
    plan.highlight_terms
        .extend(terms_of(words).map(String::from));
    // Each pair of different words once: "bone bone" is not a pair, and a pair a long text
    // repeats is still one bonus.
    let mut pairs = BTreeSet::new();
    for pair in words.windows(2) {
        if pair[0].term == pair[1].term || !pairs.insert((&pair[0].term, &pair[1].term)) {
            continue;
        }
        if let Some(query) = builder.proximity(pair) {
            plan.proximity.push(LabeledClause {
                label: format!("near: {} {}", pair[0].term, pair[1].term),
                query,
            });
        }
    }
    if exact {
        return Ok(Vec::new());
    }
    let matches = index.lexicon.matches(text, words);
    let unindexed = matches
        .iter()
        .map(|found| {
            let matched = &words[found.start..found.start + found.len];
            no_passage_has(snapshot, index.fields, matched)
        })
        .collect::<Result<Vec<bool>>>()?;
    add_expansions(builder, planned, words, &matches, &unindexed, text);
    Ok(matches)
}

/// In a search of the words as typed, each word no passage uses, named as typed: nothing is
/// corrected or suggested, but a word searched in vain is still said to be ("No passage
/// mentions …"), as in any other search. A negation typed without its apostrophe is not named:
/// no text spells it so, and a passage with "not" covers it.
fn absent_as_typed(
    snapshot: &Snapshot,
    fields: Fields,
    typed: &str,
    words: &[AnalyzedWord],
    absent: &mut Vec<AbsentWord>,
) -> Result<()> {
    for word in words {
        let written = &typed[word.range.clone()];
        if is_negation(written) || absent.iter().any(|a| a.word == written) {
            continue;
        }
        if no_passage_has(snapshot, fields, std::slice::from_ref(word))? {
            absent.push(AbsentWord {
                word: written.to_string(),
                suggestions: Vec::new(),
            });
        }
    }
    Ok(())
}

/// Whether no passage writes `matched`, a phrase of several words, as typed (in its text or
/// its heading): then the lexicon's words for it are the corpus's only words for what it says.
fn written_nowhere(snapshot: &Snapshot, fields: Fields, matched: &[AnalyzedWord]) -> Result<bool> {
    if matched.len() < 2 || matched.iter().any(|w| !w.parts.is_empty()) {
        return Ok(false);
    }
    let phrase: Vec<(usize, String)> = matched
        .iter()
        .map(|w| (w.position, w.term.clone()))
        .collect();
    snapshot.read(|s| {
        Ok([fields.body, fields.section]
            .into_iter()
            .all(|field| spelling::passages_with_phrase(s, field, &phrase) == 0))
    })
}

/// Whether no passage has any of `words`' terms, in any field searched: then the typed words
/// add nothing to a passage's score, and their expansions are all there is of them.
fn no_passage_has(snapshot: &Snapshot, fields: Fields, words: &[AnalyzedWord]) -> Result<bool> {
    let searched = fields.searched();
    snapshot.read(|s| {
        Ok(flat_terms(words)
            .iter()
            .all(|(term, _)| spelling::doc_freq(s, &searched, term) == 0))
    })
}

/// Adds to `plain_names` the plain name (the group's first term) of each brand name in
/// `matches`, and of each everyday phrase of [`PHRASE_WORDS`] or more words or of two that no
/// passage writes ([`written_nowhere`]), unless the query already uses it or it is already
/// there.
fn note_plain_names(
    snapshot: &Snapshot,
    fields: Fields,
    words: &[AnalyzedWord],
    matches: &[LexiconMatch],
    plain_names: &mut Vec<String>,
) -> Result<()> {
    let used: BTreeSet<&str> = words.iter().map(|w| w.term.as_str()).collect();
    for m in matches {
        for generic in m.expansions.iter().filter(|e| e.canonical) {
            let in_query = generic.words.iter().all(|w| used.contains(w.term.as_str()));
            if in_query || plain_names.contains(&generic.text) {
                continue;
            }
            // The phrase is looked up in the index only where its answer decides.
            let wanted = match generic.kind {
                SynonymKind::Brand => true,
                SynonymKind::Lay if m.len >= PHRASE_WORDS => true,
                SynonymKind::Lay if m.len > 1 => {
                    written_nowhere(snapshot, fields, &words[m.start..m.start + m.len])?
                }
                _ => false,
            };
            if wanted {
                plain_names.push(generic.text.clone());
            }
        }
    }
    Ok(())
}

/// An expansion, how many of the query's matches it expands, and the first of them.
struct Counted<'a> {
    expansion: &'a Expansion,
    count: usize,
    first_match: usize,
}

/// The lexicon's expansions of the matched words, each once at [`EXPANSION_WEIGHT`] times the
/// number of matches it expands (like a repeated word), and recorded once per matched text.
/// The expansions of one match are one clause, which counts the best of them. The expansions of
/// words no passage has (`unindexed`, per match) count as the typed words would: "is mbc
/// hereditary" is asking about what the texts call "inherited", and at a synonym's discount
/// the question's one distinctive word weighed less than "metastatic breast cancer".
fn add_expansions(
    builder: &QueryBuilder,
    planned: &mut PlannedQuery,
    words: &[AnalyzedWord],
    matches: &[LexiconMatch],
    unindexed: &[bool],
    text: &str,
) {
    let mut counted: Vec<Counted> = Vec::new();
    for (m, found) in matches.iter().enumerate() {
        let matched = &words[found.start..found.start + found.len];
        let from = text
            .get(matched[0].range.start..matched[matched.len() - 1].range.end)
            .unwrap_or_default()
            .to_string();
        // The typed words joined or split by a hyphen ("side-effects" for "side effects") are
        // already searched as typed: searched again, the phrase counted twice. They are left
        // out here, not in the lexicon's expansions, because the concept still needs them as
        // an alternative: a typed "side-effects" is no term of the index, and "side effects"
        // is what covers it and keeps it from being reported missing (`concepts_of`).
        let parts: Vec<&str> = flat_terms(matched).into_iter().map(|(t, _)| t).collect();
        let same_words = |e: &Expansion| {
            flat_terms(&e.words)
                .iter()
                .map(|(t, _)| *t)
                .eq(parts.iter().copied())
        };
        for expansion in found.expansions.iter().filter(|e| !same_words(e)) {
            match counted
                .iter_mut()
                .find(|c| c.expansion.text == expansion.text)
            {
                Some(seen) => seen.count += 1,
                None => counted.push(Counted {
                    expansion,
                    count: 1,
                    first_match: m,
                }),
            }
            let recorded = planned
                .expanded
                .iter()
                .any(|e| e.term == expansion.text && e.from == from);
            if !recorded {
                planned.expanded.push(ExpandedTerm {
                    term: expansion.text.clone(),
                    kind: expansion.kind,
                    from: from.clone(),
                    canonical: expansion.canonical,
                    in_results: false,
                });
            }
        }
    }
    let plan = &mut planned.plan;
    // One clause per matched term: the best of its expansions counts. Summed, a passage that
    // lists every name for a thing (a glossary entry) outscored one that uses a name once.
    // `counted` is in the order of the matches, so each match's expansions are adjacent.
    for group in counted.chunk_by(|a, b| a.first_match == b.first_match) {
        let mut labels = Vec::new();
        let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
        for Counted {
            expansion, count, ..
        } in group
        {
            let Some(query) = builder.words_anywhere(&expansion.words, 0) else {
                continue;
            };
            labels.push(match count {
                1 => expansion.text.clone(),
                n => format!("{} ×{n}", expansion.text),
            });
            let weight = match unindexed[group[0].first_match] {
                true => 1.0,
                false => EXPANSION_WEIGHT,
            };
            disjuncts.push(Box::new(BoostQuery::new(query, weight * *count as f32)));
            plan.highlight_terms
                .extend(terms_of(&expansion.words).map(String::from));
        }
        if disjuncts.is_empty() {
            continue;
        }
        plan.scoring.push(LabeledClause {
            label: expansions_label(&labels),
            query: Box::new(DisjunctionMaxQuery::new(disjuncts)),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_query_ends_at_a_whole_word() {
        assert_eq!(start_of("side effects of chemo", 14), "side effects");
        assert_eq!(start_of("side effects of chemo", 12), "side effects");
        assert_eq!(start_of("side effects", 40), "side effects");
        // One long word has nowhere to be cut but inside it.
        assert_eq!(start_of("abcdefgh", 3), "abc");
    }

    #[test]
    fn a_name_given_in_an_introduction_is_known_as_one() {
        let introduced = |text: &str, word: &str| {
            let start = text.find(word).expect("the word is in the text");
            is_introduced_name(text, &(start..start + word.len()))
        };
        assert!(introduced("hi my name is maria i have cancer", "maria"));
        assert!(introduced("My mums name’s Ewa", "Ewa"));
        assert!(introduced("my names  jo", "jo"));
        assert!(!introduced("what is the name of the drug", "drug"));
        assert!(!introduced("my name is on the list", "list"));
    }

    /// Whether `word`, the first time it occurs in `text`, is written as a name.
    fn name_in(text: &str, word: &str) -> bool {
        let start = text.find(word).expect("the word is in the text");
        is_proper_name(text, &(start..start + word.len()))
    }

    /// The words of `text` that [`in_time_spans`] marks, as typed.
    fn spans_in(text: &str) -> Vec<&str> {
        let words: Vec<AnalyzedWord> = text
            .split(' ')
            .scan(0, |start, word| {
                let range = *start..*start + word.len();
                *start += word.len() + 1;
                Some(range)
            })
            .enumerate()
            .map(|(position, range)| AnalyzedWord {
                term: text[range.clone()].to_lowercase(),
                kind: crate::analysis::WordKind::Simple,
                position,
                range,
                parts: Vec::new(),
            })
            .collect();
        let spans = in_time_spans(text, &words);
        words
            .iter()
            .zip(spans)
            .filter(|(_, span)| *span)
            .map(|(w, _)| &text[w.range.clone()])
            .collect()
    }

    #[test]
    fn a_counted_span_of_time_is_marked_and_the_last_days_of_life_are_not() {
        let face = "over the last couple of days her face has drooped";
        assert_eq!(spans_in(face), ["last", "couple", "of", "days"]);
        assert_eq!(
            spans_in("pain for the Past 3 weeks"),
            ["Past", "3", "weeks"]
        );
        assert!(spans_in("what happens in the last days of life").is_empty());
        assert!(spans_in("changes in the last few").is_empty());
        assert!(spans_in("the last of the chemo").is_empty());
    }

    #[test]
    fn last_night_or_the_past_week_is_when_and_the_last_week_of_life_is_what() {
        assert_eq!(spans_in("she had a fit last night"), ["last", "night"]);
        assert_eq!(spans_in("worse in the Past week"), ["Past", "week"]);
        assert_eq!(spans_in("scan last Tuesday"), ["last", "Tuesday"]);
        assert!(spans_in("what happens in the last week of life").is_empty());
        assert!(spans_in("is this the last line").is_empty());
    }

    #[test]
    fn a_capital_inside_a_sentence_makes_a_name_and_one_at_its_start_does_not() {
        let text = "Dear Dr Okonkwo, thank you.\nKind regards, Nurse Quinlan. She starts soon";
        assert!(name_in(text, "Okonkwo"));
        assert!(name_in(text, "Quinlan"));
        assert!(!name_in(text, "Dear"));
        assert!(!name_in(text, "Kind"));
        assert!(!name_in(text, "She"));
        assert!(!name_in(text, "thank"));
    }
}
