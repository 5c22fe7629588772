//! A stored passage's terms, analyzed once and kept with it: which terms it has (to judge how
//! much of a query it covers) and where each term of its text is (to highlight matches). A
//! server answering the same passages again and again spent a fifth of each search analyzing
//! them anew.

use std::collections::BTreeSet;
use std::ops::Range;

use super::for_each_term;

/// Distinct terms, sorted and packed into one string: a few bytes a term, where a set of
/// `String`s would take some fifty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermSet {
    text: String,
    /// Where each term ends in `text`; a term starts where the one before ends.
    ends: Vec<u32>,
}

impl TermSet {
    pub fn of<'a>(terms: impl IntoIterator<Item = &'a str>) -> TermSet {
        let sorted: BTreeSet<&str> = terms.into_iter().collect();
        let mut set = TermSet::default();
        for term in sorted {
            set.text.push_str(term);
            set.ends.push(to_u32(set.text.len()));
        }
        set
    }

    pub fn contains(&self, term: &str) -> bool {
        self.index_of(term).is_some()
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn index_of(&self, term: &str) -> Option<u32> {
        let (mut low, mut high) = (0, self.ends.len());
        while low < high {
            let middle = (low + high) / 2;
            match self.get(middle).cmp(term) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Some(to_u32(middle)),
            }
        }
        None
    }

    fn get(&self, index: usize) -> &str {
        let start = index.checked_sub(1).map_or(0, |i| self.ends[i] as usize);
        &self.text[start..self.ends[index] as usize]
    }
}

/// The terms of a passage's title, section and text, and where each term of the text is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PassageTerms {
    /// Every term of the title, section and text, compounds with their parts.
    pub all: TermSet,
    /// The text's terms, in order: the term's index in `all` and its byte range in the text.
    tokens: Vec<(u32, Range<u32>)>,
}

impl PassageTerms {
    pub fn of(title: &str, section: &str, text: &str) -> PassageTerms {
        let mut found: Vec<(String, Range<usize>)> = Vec::new();
        let mut heading: Vec<String> = Vec::new();
        for_each_term(text, |term, range, _| found.push((term.to_string(), range)));
        for words in [title, section] {
            for_each_term(words, |term, _, _| heading.push(term.to_string()));
        }
        let all = TermSet::of(
            found
                .iter()
                .map(|(term, _)| term.as_str())
                .chain(heading.iter().map(String::as_str)),
        );
        let tokens = found
            .iter()
            .filter_map(|(term, range)| {
                let index = all.index_of(term)?;
                Some((index, to_u32(range.start)..to_u32(range.end)))
            })
            .collect();
        PassageTerms { all, tokens }
    }

    /// Byte ranges of the text whose term is one of `terms`, in order (overlapping where a
    /// compound and its parts both are).
    pub fn ranges_of(&self, terms: &BTreeSet<String>) -> Vec<Range<usize>> {
        let mut wanted: Vec<u32> = terms.iter().filter_map(|t| self.all.index_of(t)).collect();
        if wanted.is_empty() {
            return Vec::new();
        }
        wanted.sort_unstable();
        self.tokens
            .iter()
            .filter(|(index, _)| wanted.binary_search(index).is_ok())
            .map(|(_, range)| range.start as usize..range.end as usize)
            .collect()
    }
}

/// Byte offsets and term indices are kept as `u32`: a passage is a few kilobytes, never 4 GB.
fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, medical_analyzer};

    const TITLE: &str = "HER2-targeted therapy";
    const SECTION: &str = "Antibodies: trastuzumab (Herceptin)";
    const TEXT: &str = "Dying cells, ER+ and HER2/neu tumours: T-DXd is given after \
                        trastuzumab. Café-au-lait spots aren't cancers.";

    #[test]
    fn a_passage_has_every_term_the_analyzer_makes_of_its_title_section_and_text() {
        let mut analyzer = medical_analyzer();
        let expected: BTreeSet<String> = [TITLE, SECTION, TEXT]
            .iter()
            .flat_map(|text| analyze(&mut analyzer, text))
            .map(|token| token.term)
            .collect();
        let terms = PassageTerms::of(TITLE, SECTION, TEXT);
        assert_eq!(terms.all.len(), expected.len());
        for term in &expected {
            assert!(terms.all.contains(term), "{term} missing");
        }
        assert!(!terms.all.contains("tamoxifen"));
        assert!(!terms.all.contains(""));
    }

    #[test]
    fn ranges_are_where_the_analyzer_finds_the_terms_in_the_text() {
        let mut analyzer = medical_analyzer();
        let wanted: BTreeSet<String> = ["her2", "trastuzumab", "die", "er+"]
            .map(String::from)
            .into();
        let expected: Vec<Range<usize>> = analyze(&mut analyzer, TEXT)
            .into_iter()
            .filter(|token| wanted.contains(&token.term))
            .map(|token| token.range)
            .collect();
        assert!(expected.len() >= 4, "{expected:?}");
        let terms = PassageTerms::of(TITLE, SECTION, TEXT);
        assert_eq!(terms.ranges_of(&wanted), expected);
        assert_eq!(
            terms.ranges_of(&BTreeSet::new()),
            Vec::<Range<usize>>::new()
        );
    }
}
