//! Completions as people type: the lexicon's terms (drug and brand names, abbreviations, lay
//! and clinical words; never its misspellings) and the approaches' labels, matched by the start
//! of the whole term first, then by the start of any of its words.

use std::collections::HashSet;

use crate::index::SearchIndex;
use crate::lexicon::SynonymKind;

/// The terms an index can complete, built once per opened index.
#[derive(Debug, Clone, Default)]
pub struct Suggester {
    /// `(lowercase, as written)`, shortest first, each term once.
    terms: Vec<(String, String)>,
}

impl Suggester {
    pub fn new(index: &SearchIndex) -> Self {
        let groups = index.lexicon.groups();
        // A misspelling group lists its misspellings as terms, and the correct word's group
        // lists them again among its narrower terms: neither place is offered.
        let misspellings: HashSet<&String> = groups
            .iter()
            .filter(|group| group.kind == SynonymKind::Misspelling)
            .flat_map(|group| &group.terms)
            .collect();
        let lexicon = groups
            .iter()
            .flat_map(|group| group.terms.iter().chain(&group.narrower))
            .filter(|term| !misspellings.contains(term));
        let labels = index.taxonomy.approaches().iter().map(|a| &a.label);
        let mut terms: Vec<(String, String)> = lexicon
            .chain(labels)
            .map(|term| (term.to_lowercase(), term.clone()))
            .collect();
        terms.sort_by(|a, b| a.0.len().cmp(&b.0.len()).then_with(|| a.0.cmp(&b.0)));
        terms.dedup_by(|a, b| a.0 == b.0);
        Suggester { terms }
    }

    /// Up to `limit` completions of `typed`: terms that start with it, then terms with a word
    /// that starts with it, shorter terms first.
    pub fn complete(&self, typed: &str, limit: usize) -> Vec<String> {
        let typed = typed.trim().to_lowercase();
        if typed.is_empty() {
            return Vec::new();
        }
        let starts = self.terms.iter().filter(|(key, _)| key.starts_with(&typed));
        let inside = self.terms.iter().filter(|(key, _)| {
            !key.starts_with(&typed)
                && key
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|word| word.starts_with(&typed))
        });
        starts
            .chain(inside)
            .take(limit)
            .map(|(_, term)| term.clone())
            .collect()
    }
}
