//! Completions as people type: the lexicon's terms (drug and brand names, abbreviations, lay
//! and clinical words; never its misspellings) and the approaches' labels, matched by the start
//! of the whole term first, then by the start of any of its words. A lexicon group is offered
//! only when the corpus uses one of its terms: a suggestion that leads to "nothing found" (a
//! curator's corpus without "zoladex") is worse than none.

use std::collections::HashSet;

use crate::Result;
use crate::analysis::{medical_analyzer, word_terms};
use crate::index::SearchIndex;
use crate::lexicon::{SynonymGroup, SynonymKind};
use crate::search::spelling;

/// The terms an index can complete, built once per opened index.
#[derive(Debug, Clone, Default)]
pub struct Suggester {
    /// `(lowercase, as written)`, shortest first, each term once.
    terms: Vec<(String, String)>,
}

impl Suggester {
    pub fn new(index: &SearchIndex) -> Result<Self> {
        let groups = index.lexicon.groups();
        let used = used_groups(index, groups)?;
        // A misspelling group lists its misspellings as terms, and the correct word's group
        // lists them again among its narrower terms: neither place is offered.
        let misspellings: HashSet<&String> = groups
            .iter()
            .filter(|group| group.kind == SynonymKind::Misspelling)
            .flat_map(|group| &group.terms)
            .collect();
        let lexicon = groups
            .iter()
            .zip(&used)
            .filter(|(_, used)| **used)
            .flat_map(|(group, _)| {
                let variants = group
                    .narrower
                    .iter()
                    .filter(|n| !is_spelling_variant(n, &group.terms));
                group.terms.iter().chain(variants)
            })
            .filter(|term| !misspellings.contains(term));
        let labels = index.taxonomy.approaches().iter().map(|a| &a.label);
        let mut terms: Vec<(String, String)> = lexicon
            .chain(labels)
            .map(|term| (term.to_lowercase(), term.clone()))
            .collect();
        terms.sort_by(|a, b| a.0.len().cmp(&b.0.len()).then_with(|| a.0.cmp(&b.0)));
        terms.dedup_by(|a, b| a.0 == b.0);
        Ok(Suggester { terms })
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

/// For each group, whether the corpus uses one of its terms: every word of it, in any searched
/// field (as a search finds a term through its synonyms).
fn used_groups(index: &SearchIndex, groups: &[SynonymGroup]) -> Result<Vec<bool>> {
    let mut analyzer = medical_analyzer();
    let searched = index.fields.searched();
    index.snapshot().read(|searcher| {
        Ok(groups
            .iter()
            .map(|group| {
                group.terms.iter().chain(&group.narrower).any(|term| {
                    let words = word_terms(&mut analyzer, term);
                    !words.is_empty() && spelling::uses_all(searcher, &searched, &words)
                })
            })
            .collect())
    })
}

/// True when `narrower` is a drug's name misspelt ("letrozol" under "letrozole"): a word the
/// English list lacks, within a letter or two of one of the group's `terms`. A drug's group lists
/// its misspellings among its narrower terms, so that they are searched, but they are not
/// names to offer.
fn is_spelling_variant(narrower: &str, terms: &[String]) -> bool {
    let lower = narrower.to_lowercase();
    let close = |term: &String| {
        strsim::osa_distance(&lower, &term.to_lowercase()) <= (lower.chars().count() / 5).max(1)
    };
    let english = lower.split_whitespace().all(crate::english::contains);
    !english && terms.iter().any(close)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(list: &[&str]) -> Vec<String> {
        list.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn a_drugs_misspelling_is_a_variant_and_a_word_it_also_searches_is_not() {
        let letrozole = terms(&["letrozole", "femara"]);
        assert!(is_spelling_variant("letrozol", &letrozole));
        assert!(is_spelling_variant("Letrazole", &letrozole));
        assert!(!is_spelling_variant("aromatase inhibitor", &letrozole));
        // English words one letter from a term are what the texts say, not slips.
        assert!(!is_spelling_variant(
            "employer",
            &terms(&["employed", "job"])
        ));
        assert!(!is_spelling_variant("fall", &terms(&["fell", "fallen"])));
    }
}
