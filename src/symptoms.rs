//! Symptoms that need urgent care (`urgent.toml`): a question that names one never ends in
//! "nothing found", and the passages that name the symptom *and* say to get help at once come
//! first, however the question is phrased. The list is data, kept beside the lexicon and
//! copied into each index generation like it.
//!
//! ```toml
//! actions = ["straight away", "at once", "emergency"]   # words that say "get help now"
//!
//! [[symptom]]
//! name = "fever during treatment"
//! terms = ["fever", "high temperature", "chills"]
//! unless = []                                           # words that mean another sense
//! ```
//!
//! A term matches a query or a passage when all its words are there (after analysis, in any
//! order): "weak legs" matches "my legs feel weak".

use std::collections::HashSet;
use std::hash::BuildHasher;
use std::path::Path;

use serde::Deserialize;

use crate::analysis::{analyze_words, medical_analyzer};
use crate::{Error, Result};

/// File name of the list inside a corpus directory (and inside each index generation).
pub const FILE_NAME: &str = "urgent.toml";

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
    #[serde(default)]
    unless: Vec<String>,
}

/// One symptom that needs urgent care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symptom {
    pub name: String,
    /// Each term's analyzed words.
    pub terms: Vec<Vec<String>>,
    /// Analyzed words that mean the terms are used in another sense.
    pub unless: Vec<String>,
}

/// The urgent symptoms and the words that say to act at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
                Ok(Symptom {
                    name: s.name.clone(),
                    terms: s.terms.iter().map(|t| words_of(t)).collect::<Result<_>>()?,
                    unless: s
                        .unless
                        .iter()
                        .map(|u| words_of(u))
                        .collect::<Result<Vec<_>>>()?
                        .concat(),
                })
            })
            .collect::<Result<_>>()?;
        Ok(UrgentSymptoms { symptoms, actions })
    }

    /// Reads `urgent.toml` from a directory, falling back to the bundled list; returns the list
    /// and the TOML text it came from.
    pub fn load_from_dir(dir: Option<&Path>) -> Result<(Self, String)> {
        let (text, origin) = crate::corpus::read_data_file(dir, FILE_NAME, BUNDLED)?;
        Ok((Self::parse(&text, &origin)?, text))
    }

    /// The symptoms a text with these analyzed terms names.
    pub fn named_in<S: BuildHasher>(&self, terms: &HashSet<&str, S>) -> Vec<&Symptom> {
        self.symptoms
            .iter()
            .filter(|s| s.terms_in(terms).next().is_some())
            .filter(|s| !s.unless.iter().any(|u| terms.contains(u.as_str())))
            .collect()
    }
}

impl Symptom {
    /// The symptom's terms that a text with these analyzed terms contains.
    pub fn terms_in<'a, S: BuildHasher>(
        &'a self,
        terms: &'a HashSet<&str, S>,
    ) -> impl Iterator<Item = &'a Vec<String>> + 'a {
        self.terms.iter().filter(|t| contains_all(terms, t))
    }
}

fn contains_all<S: BuildHasher>(terms: &HashSet<&str, S>, words: &[String]) -> bool {
    words.iter().all(|w| terms.contains(w.as_str()))
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

    fn set(terms: &[String]) -> HashSet<&str> {
        terms.iter().map(String::as_str).collect()
    }

    fn bundled() -> UrgentSymptoms {
        UrgentSymptoms::parse(BUNDLED, Path::new("urgent.toml")).unwrap()
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
        assert!(
            !list
                .named_in(&set(&terms_of("my wife just had a fit")))
                .is_empty()
        );
        assert!(
            list.named_in(&set(&terms_of("how should a compression sleeve fit")))
                .is_empty(),
            "a sleeve that fits is not a seizure"
        );
    }

    #[test]
    fn the_action_phrases_are_analyzed_as_the_texts_words_are() {
        // The urgent rule searches for them as terms (`search::urgent`).
        let says_to_act = |text: &str| {
            let terms = terms_of(text);
            let terms = set(&terms);
            bundled().actions.iter().any(|a| contains_all(&terms, a))
        };
        assert!(says_to_act("Call the 24-hour line straight away."));
        assert!(!says_to_act("Tiredness tends to build up over time."));
    }
}
