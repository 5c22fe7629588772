//! Symptoms that need urgent care (`urgent.toml`): a question that names one never ends in
//! "nothing found", and the passages that name the symptom *and* say to get help at once come
//! first, however the question is phrased. The list is data, kept beside the lexicon; like
//! it, each index generation keeps it analyzed (`urgent.json`).
//!
//! ```toml
//! actions = ["straight away", "at once", "emergency"]   # words that say "get help now"
//!
//! [[symptom]]
//! name = "fever during treatment"
//! terms = ["fever", "high temperature", "chills"]
//! unless = ["room temperature"]                       # words or phrases of another sense
//! ```
//!
//! A term matches a query or a passage when all its words are there (after analysis, in any
//! order): "weak legs" matches "my legs feel weak". A query's synonyms count too, a synonym of
//! several words only as a whole ([`QueryTerms`]). In a query, a term led by a negation ("cant
//! walk") needs the word it negates soon after the negation: "I cant breathe when I walk the
//! stairs" does not say the person cannot walk.

use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::analysis::{
    analyze_words, canonical, canonical_written, is_negation, kept_among_stop_words,
    medical_analyzer, written_words,
};
use crate::{Error, Result};

/// File name of the list inside a corpus directory (an index generation keeps it analyzed,
/// [`INDEXED_FILE_NAME`]).
pub const FILE_NAME: &str = "urgent.toml";

/// File name of the list an index generation keeps, analyzed ([`UrgentSymptoms::to_indexed`]):
/// parsing the TOML and analyzing its terms took a sixth of a one-shot lexical search.
pub const INDEXED_FILE_NAME: &str = "urgent.json";

/// The list shipped with `mbc`, used when a corpus has none of its own.
pub const BUNDLED: &str = include_str!("../corpus/urgent.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SymptomsFile {
    actions: Vec<String>,
    #[serde(default)]
    symptom: Vec<SymptomEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SymptomEntry {
    name: String,
    terms: Vec<String>,
    /// Terms that count only with all their words as written, in order: "doesnt know who i am",
    /// whose stop words, dropped, would leave "doesnt know" (as in "the doctor doesnt know why").
    #[serde(default)]
    as_written: Vec<String>,
    #[serde(default)]
    unless: Vec<String>,
}

/// One symptom that needs urgent care.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Symptom {
    pub name: String,
    /// Each term's analyzed words.
    pub terms: Vec<Vec<String>>,
    /// For each term that analysis leaves as one word of several written ("very confused" as
    /// `confus`, "very" being a stop word), and each term listed `as_written`, its words as
    /// written, which a query must have together; empty for the others. Read as its one word,
    /// "very confused" made "im confused about which treatment to choose" a question about
    /// sudden confusion.
    pub written: Vec<Vec<String>>,
    /// For each term, whether a negation leads it ("cant walk", "wont stop vomiting"): its
    /// second word is what is negated, which a query must have soon after the negation.
    pub negated: Vec<bool>,
    /// Analyzed words that mean the terms are used in another sense, when the query itself
    /// has one (not a synonym of its words: "should i go to work", "work" read as "job" too, lost
    /// the notice on a fever through "temp job").
    pub unless: Vec<String>,
    /// Phrases that mean another sense, their words as written ([`canonical_written`]), when the
    /// query has one as written: "room temperature", while "im in my room" keeps the notice.
    pub unless_written: Vec<Vec<String>>,
}

/// The urgent symptoms and the words that say to act at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrgentSymptoms {
    pub symptoms: Vec<Symptom>,
    /// Each action phrase's analyzed words.
    pub actions: Vec<Vec<String>>,
}

impl UrgentSymptoms {
    /// Parses the list; a term or action with no searchable words is an error.
    pub fn parse(text: &str, origin: &Path) -> Result<Self> {
        let data_error = |message: String| Error::DataFile {
            path: origin.to_path_buf(),
            message,
        };
        let file: SymptomsFile = toml::from_str(text).map_err(|e| data_error(e.to_string()))?;
        let mut analyzer = medical_analyzer();
        // Its own, since `words_of` holds `analyzer`.
        let mut written_analyzer = medical_analyzer();
        let mut words_of = |phrase: &str| -> Result<Vec<String>> {
            let words: Vec<String> = analyze_words(&mut analyzer, phrase)
                .into_iter()
                .map(|w| w.term)
                .collect();
            if words.is_empty() {
                return Err(data_error(format!("`{phrase}` has no searchable words")));
            }
            Ok(words)
        };
        let actions = file
            .actions
            .iter()
            .map(|a| words_of(a))
            .collect::<Result<_>>()?;
        let symptoms = file
            .symptom
            .iter()
            .map(|s| {
                let mut terms: Vec<Vec<String>> =
                    s.terms.iter().map(|t| words_of(t)).collect::<Result<_>>()?;
                let mut written: Vec<Vec<String>> = s
                    .terms
                    .iter()
                    .zip(&terms)
                    .map(|(term, words)| {
                        kept_among_stop_words(&mut written_analyzer, term, words)
                            .map(|(written, _)| canonical(written))
                            .unwrap_or_default()
                    })
                    .collect();
                let mut negated: Vec<bool> = s
                    .terms
                    .iter()
                    .zip(&terms)
                    .map(|(term, words)| words.len() > 1 && leads_with_negation(term))
                    .collect();
                // Its words in order are the whole test: no negation rule of its own.
                for phrase in &s.as_written {
                    terms.push(words_of(phrase)?);
                    written.push(canonical_written(phrase));
                    negated.push(false);
                }
                let (phrases, words): (Vec<&String>, Vec<&String>) =
                    s.unless.iter().partition(|u| written_words(u).len() > 1);
                Ok(Symptom {
                    name: s.name.clone(),
                    terms,
                    written,
                    negated,
                    unless: words
                        .into_iter()
                        .map(|u| words_of(u))
                        .collect::<Result<Vec<_>>>()?
                        .concat(),
                    unless_written: phrases.into_iter().map(|u| canonical_written(u)).collect(),
                })
            })
            .collect::<Result<_>>()?;
        Ok(UrgentSymptoms { symptoms, actions })
    }

    /// The list, analyzed, as an index keeps it ([`INDEXED_FILE_NAME`]).
    pub fn to_indexed(&self) -> String {
        serde_json::to_string(self).expect("an urgent list serializes")
    }

    /// Reads the list an index keeps ([`UrgentSymptoms::to_indexed`]); its terms were checked
    /// when the index was built, so only its shape is checked here.
    pub fn parse_indexed(text: &str, origin: &Path) -> Result<Self> {
        let data_error = |message: String| Error::DataFile {
            path: origin.to_path_buf(),
            message,
        };
        let list: UrgentSymptoms =
            serde_json::from_str(text).map_err(|e| data_error(e.to_string()))?;
        for symptom in &list.symptoms {
            let terms = symptom.terms.len();
            if symptom.written.len() != terms || symptom.negated.len() != terms {
                return Err(data_error(format!(
                    "symptom `{}` has a term without its written words or negation",
                    symptom.name
                )));
            }
            // A negated term's second word is what is negated.
            let unusable = symptom
                .terms
                .iter()
                .zip(&symptom.negated)
                .find(|(term, negated)| term.is_empty() || (**negated && term.len() < 2));
            if let Some((term, _)) = unusable {
                return Err(data_error(format!(
                    "symptom `{}` holds a term it cannot use: {term:?}",
                    symptom.name
                )));
            }
        }
        if list.actions.iter().any(|a| a.is_empty()) {
            return Err(data_error("holds an action with no words".into()));
        }
        Ok(list)
    }

    /// Reads `urgent.toml` from a directory, falling back to the bundled list; returns the list
    /// and the TOML text it came from.
    pub fn load_from_dir(dir: Option<&Path>) -> Result<(Self, String)> {
        let (text, origin) = crate::corpus::read_data_file(dir, FILE_NAME, BUNDLED)?;
        Ok((Self::parse(&text, &origin)?, text))
    }

    /// The symptoms a text with these analyzed terms names.
    pub fn named_in(&self, terms: &QueryTerms) -> Vec<&Symptom> {
        self.symptoms
            .iter()
            .filter(|s| s.terms_in(terms).next().is_some())
            .filter(|s| !s.unless.iter().any(|u| terms.has_own(u)))
            .filter(|s| !s.unless_written.iter().any(|u| terms.has_written(u)))
            .collect()
    }
}

impl Symptom {
    /// The symptom's terms that a text with these analyzed terms contains.
    pub fn terms_in<'a>(
        &'a self,
        terms: &'a QueryTerms,
    ) -> impl Iterator<Item = &'a Vec<String>> + 'a {
        self.terms
            .iter()
            .zip(&self.written)
            .zip(self.negated.iter().copied())
            .filter(|((term, written), negated)| {
                // Words the query has as written name the term even when no passage has them,
                // and so they are not among the query's words ("she has 39 degrees").
                let named = if written.is_empty() {
                    terms.covers(term)
                } else {
                    terms.has_written(written)
                };
                named && (!*negated || terms.negates(&term[0], &term[1]))
            })
            .map(|((term, _), _)| term)
    }
}

/// Whether a term's first word is a negation: "cant", "can't", "not", "cannot".
fn leads_with_negation(term: &str) -> bool {
    written_words(term)
        .first()
        .is_some_and(|w| is_negation(w) || matches!(w.as_str(), "not" | "cannot"))
}

/// How many words after a negation the word it negates may come: "can't walk", "can't really
/// walk", "haven't had a wee" (the negated word third, after two stop words).
const NEGATION_REACH: usize = 3;

/// The analyzed words a symptom term may be matched against: words that combine freely (the
/// query's own, and its synonyms': "tingling", read as numbness, and "legs" name numb legs),
/// and phrases whose words count only where a term has them all (a synonym whose words would
/// say something else apart: see `search::interpret::concept_terms`).
#[derive(Debug, Default)]
pub struct QueryTerms<'a> {
    words: FxHashSet<&'a str>,
    phrases: Vec<&'a [String]>,
    /// The query's words as written ([`canonical_written`]), for the terms that need them.
    written: Vec<String>,
    /// The same words, for one lookup.
    written_set: FxHashSet<String>,
    /// The positions of the query's own analyzed words, for the terms led by a negation.
    positions: FxHashMap<String, Vec<usize>>,
    /// Every word that can count towards covering a term: those of `words` and `phrases`, and
    /// the negations among `positions`. One lookup rules out a term, as nearly every one of
    /// the urgent list's hundreds of terms is at every search.
    known: FxHashSet<String>,
}

impl<'a> QueryTerms<'a> {
    /// A word of the query itself, or a synonym of one word.
    pub fn add_word(&mut self, word: &'a str) {
        self.words.insert(word);
        self.known.insert(word.to_string());
    }

    /// A phrase: its words count only where a term has them all.
    pub fn add_phrase(&mut self, words: &'a [String]) {
        if let [word] = words {
            self.add_word(word);
        } else {
            self.known.extend(words.iter().cloned());
            self.phrases.push(words);
        }
    }

    /// The query as typed (once), for the terms that need their words as written or in place.
    pub fn add_written(&mut self, text: &str) {
        let written = canonical_written(text);
        let contracted = written.join(" ");
        self.written_set.extend(written.iter().cloned());
        self.written.extend(written);
        for word in analyze_words(&mut medical_analyzer(), &contracted) {
            let parts = word.parts.into_iter().chain([(word.position, word.term)]);
            for (position, term) in parts {
                if is_negation(&term) {
                    self.known.insert(term.clone());
                }
                self.positions.entry(term).or_default().push(position);
            }
        }
    }

    /// True unless the query has `negation` with `word` nowhere within [`NEGATION_REACH`]
    /// words after it. Where either came from a synonym, whose place is unknown, it is true.
    fn negates(&self, negation: &str, word: &str) -> bool {
        let (Some(negations), Some(words)) =
            (self.positions.get(negation), self.positions.get(word))
        else {
            return true;
        };
        negations.iter().any(|n| {
            words
                .iter()
                .any(|w| (n + 1..=n + NEGATION_REACH).contains(w))
        })
    }

    /// True when the query has `written` together, in order (true for none).
    fn has_written(&self, written: &[String]) -> bool {
        let Some(first) = written.first() else {
            return true;
        };
        // Most of the list's hundreds of phrases are ruled out by their first word.
        self.written_set.contains(first.as_str())
            && self.written.windows(written.len()).any(|w| w == written)
    }

    /// True when `word` is one of the query's own analyzed words, as written ([`add_written`]),
    /// not a synonym of one.
    ///
    /// [`add_written`]: QueryTerms::add_written
    fn has_own(&self, word: &str) -> bool {
        self.positions.contains_key(word)
    }

    /// True when the query names `term` (its analyzed words): each of them is a word of the
    /// query, or of a phrase all of whose words are in `term`.
    pub fn names(&self, term: &[String]) -> bool {
        self.covers(term)
    }

    /// True when every word of `term` is a word of the query, or belongs to a phrase all of
    /// whose words are in `term`.
    fn covers(&self, term: &[String]) -> bool {
        let whole = |phrase: &[String]| phrase.iter().all(|w| term.contains(w));
        term.iter().all(|w| {
            let w = w.as_str();
            self.known.contains(w)
                && (self.words.contains(w)
                    || self.phrases.iter().any(|p| p.iter().any(|pw| pw == w) && whole(p))
                    // A negation written out ("cannot") is dropped from the query's words, as
                    // a stop word, but is in its written words as its contraction ("cant").
                    || (self.positions.contains_key(w) && is_negation(w)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms_of(text: &str) -> Vec<String> {
        analyze_words(&mut medical_analyzer(), text)
            .into_iter()
            .map(|w| w.term)
            .collect()
    }

    fn set(terms: &[String]) -> QueryTerms<'_> {
        let mut set = QueryTerms::default();
        terms.iter().for_each(|t| set.add_word(t));
        set
    }

    /// True when `query`, its own words and as written, names a symptom of `list`.
    fn names_any(list: &UrgentSymptoms, query: &str) -> bool {
        let words = terms_of(query);
        let mut terms = set(&words);
        terms.add_written(query);
        !list.named_in(&terms).is_empty()
    }

    /// A list of one symptom with the table's `fields` (its terms and exceptions).
    fn one_symptom(fields: &str) -> UrgentSymptoms {
        let text = format!("actions = [\"urgent\"]\n[[symptom]]\nname = \"symptom\"\n{fields}\n");
        UrgentSymptoms::parse(&text, Path::new("urgent.toml")).unwrap()
    }

    fn bundled() -> UrgentSymptoms {
        UrgentSymptoms::parse(BUNDLED, Path::new("urgent.toml")).unwrap()
    }

    #[test]
    fn the_list_an_index_keeps_reads_back_as_the_list_it_was_made_from() {
        let list = bundled();
        let indexed = UrgentSymptoms::parse_indexed(&list.to_indexed(), Path::new("urgent.json"));
        assert_eq!(indexed.unwrap(), list);
    }

    #[test]
    fn an_indexed_list_with_a_term_it_cannot_use_is_refused() {
        let mut list = bundled();
        list.symptoms[0].written.pop();
        let err = UrgentSymptoms::parse_indexed(&list.to_indexed(), Path::new("urgent.json"));
        assert!(err.unwrap_err().to_string().contains("urgent.json"));
        let mut list = bundled();
        list.symptoms[0].terms[0].clear();
        let err = UrgentSymptoms::parse_indexed(&list.to_indexed(), Path::new("urgent.json"));
        assert!(err.unwrap_err().to_string().contains("cannot use"));
    }

    #[test]
    fn the_bundled_list_parses() {
        let list = bundled();
        assert!(list.symptoms.len() >= 8 && !list.actions.is_empty());
    }

    #[test]
    fn a_symptom_matches_its_words_in_any_order() {
        let list = bundled();
        let named = list.named_in(&set(&terms_of("my legs feel weak and numb")));
        assert!(!named.is_empty(), "weak legs");
        assert!(
            list.named_in(&set(&terms_of("what is a liquid biopsy")))
                .is_empty()
        );
        // "a fit" is listed as written: "fit" alone is also health ("stay fit").
        let fit = "my wife just had a fit";
        let words = terms_of(fit);
        let mut terms = set(&words);
        terms.add_written(fit);
        assert!(!list.named_in(&terms).is_empty());
        assert!(
            list.named_in(&set(&terms_of("how should a compression sleeve fit")))
                .is_empty(),
            "a sleeve that fits is not a seizure"
        );
    }

    #[test]
    fn a_term_that_stop_words_make_a_phrase_needs_them_as_written() {
        let list = bundled();
        let named = |query: &str| -> Vec<String> {
            let words = terms_of(query);
            let mut terms = set(&words);
            terms.add_written(query);
            list.named_in(&terms)
                .iter()
                .map(|s| s.name.clone())
                .collect()
        };
        assert!(named("im confused about which treatment to choose").is_empty());
        assert!(named("always thirsty on chemo").is_empty());
        assert!(!named("mum is very confused today").is_empty());
        assert!(!named("very thirsty on zometa").is_empty());
    }

    #[test]
    fn a_term_listed_as_written_needs_all_its_words_in_order() {
        let list = one_symptom("terms = []\nas_written = [\"doesnt know who i am\"]");
        let named = |query: &str| names_any(&list, query);
        assert!(named("mum suddenly doesnt know who i am"));
        assert!(!named("the doctor doesnt know why my back hurts"));
        assert!(!named("who i am doesnt know"));
    }

    #[test]
    fn a_phrase_as_written_is_the_same_with_or_without_apostrophes_or_a_contraction() {
        let list = one_symptom("terms = []\nas_written = [\"don't want to live anymore\"]");
        let named = |query: &str| names_any(&list, query);
        assert!(named("I do not want to live anymore"));
        assert!(named("i dont want to live anymore"));
        assert!(named("I don\u{2019}t want to live anymore"));
        assert!(!named("I want to live"));
    }

    #[test]
    fn an_exception_of_several_words_counts_only_as_written() {
        let list = one_symptom("terms = [\"temperature\"]\nunless = [\"room temperature\"]");
        let named = |query: &str| names_any(&list, query);
        assert!(!named("keep the tablets at room temperature"));
        assert!(named("a high temperature, i am in my room"));
    }

    #[test]
    fn a_negated_term_needs_the_negated_word_soon_after_the_negation() {
        let list = bundled();
        let names_spinal = |query: &str| {
            let words = terms_of(query);
            let mut terms = set(&words);
            terms.add_written(query);
            list.named_in(&terms)
                .iter()
                .any(|s| s.name == "spinal cord compression")
        };
        assert!(!names_spinal("I cant breathe when I walk the stairs"));
        assert!(names_spinal("I can't walk"));
        assert!(names_spinal("she cant really walk today"));
        assert!(names_spinal("I havent had a wee since yesterday"));
        let vomiting = terms_of("her vomiting won't stop");
        let mut terms = set(&vomiting);
        terms.add_written("her vomiting won't stop");
        assert!(
            !list.named_in(&terms).is_empty(),
            "the negation after its subject"
        );
    }

    #[test]
    fn the_words_of_a_phrase_count_only_as_a_whole() {
        let list = bundled();
        let named = |words: &[String], phrases: &[Vec<String>]| {
            let mut terms = set(words);
            phrases.iter().for_each(|p| terms.add_phrase(p));
            list.named_in(&terms)
                .iter()
                .map(|s| s.name.clone())
                .collect::<Vec<_>>()
        };
        // "breathless walking", with "can't breathe" as a synonym of "breathless", a phrase.
        let walking = named(
            &terms_of("breathless walking"),
            &[terms_of("can't breathe")],
        );
        assert!(
            !walking.contains(&"spinal cord compression".to_string()),
            "{walking:?}"
        );
        assert!(
            walking.contains(&"sudden breathlessness or chest pain".to_string()),
            "the whole synonym is an urgent term: {walking:?}"
        );
        // "tingling legs", with "pins and needles" as a synonym of "tingling", a phrase.
        let tingling = named(&terms_of("tingling legs"), &[terms_of("pins and needles")]);
        assert_eq!(tingling, ["spinal cord compression"]);
    }

    #[test]
    fn the_action_phrases_are_analyzed_as_the_texts_words_are() {
        // The urgent rule searches for them as terms (`search::urgent`).
        let says_to_act = |text: &str| {
            let terms = terms_of(text);
            let terms = set(&terms);
            bundled().actions.iter().any(|a| terms.covers(a))
        };
        assert!(says_to_act("Call the 24-hour line straight away."));
        assert!(!says_to_act("Tiredness tends to build up over time."));
    }
}
