//! Statuses that exclude each other. A cancer is HER2-positive or it is not, and a passage about
//! HER2-positive disease alone does not answer "treatment for her2 negative mbc", however many
//! words it shares with the question. The embedding model hardly tells "positive" from
//! "negative", and put the first treatment for HER2-positive disease first for that question.
//! The lexicon names such pairs (`[[contrary]]`); this module finds the side a query takes and
//! the passages that take only the other, which a search then lists after the rest.

use crate::index::StoredPassage;
use crate::lexicon::Lexicon;

/// One side a query takes: its groups and name, and those of the side it excludes.
#[derive(Debug, Clone)]
struct Taken {
    own: Vec<usize>,
    other: Vec<usize>,
    /// "HER2-positive, not HER2-negative": what a passage on the other side is about.
    why: String,
}

/// The sides a query takes, one per `[[contrary]]` pair of which it names one side only. A
/// query that names both sides ("her2 positive or negative") takes none.
#[derive(Debug, Clone, Default)]
pub struct Sides {
    taken: Vec<Taken>,
}

impl Sides {
    /// The sides taken by a query that names the lexicon groups `named`.
    pub fn of_query(lexicon: &Lexicon, named: &[usize]) -> Sides {
        let names = |side: &[usize]| side.iter().any(|g| named.contains(g));
        let taken = lexicon
            .contrary()
            .iter()
            .filter_map(|pair| {
                let [first, second] = &pair.sides;
                let (own, other) = match (names(first), names(second)) {
                    (true, false) => (0, 1),
                    (false, true) => (1, 0),
                    _ => return None,
                };
                Some(Taken {
                    own: pair.sides[own].clone(),
                    other: pair.sides[other].clone(),
                    why: format!("{}, not {}", pair.names[other], pair.names[own]),
                })
            })
            .collect();
        Sides { taken }
    }

    pub fn is_empty(&self) -> bool {
        self.taken.is_empty()
    }

    /// Why `passage` does not answer the query, if it names the other side of a pair the query
    /// takes and nothing of the query's side, in its title, section or text: "HER2-positive,
    /// not HER2-negative", by the pair's names.
    pub fn rules_out(&self, lexicon: &Lexicon, passage: &StoredPassage) -> Option<String> {
        self.rules_out_texts(lexicon, [&passage.title, &passage.section, &passage.text])
    }

    fn rules_out_texts(&self, lexicon: &Lexicon, texts: [&str; 3]) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let named: Vec<usize> = texts
            .into_iter()
            .flat_map(|text| lexicon.groups_in(text))
            .collect();
        let names = |side: &[usize]| side.iter().any(|g| named.contains(g));
        self.taken
            .iter()
            .find(|taken| names(&taken.other) && !names(&taken.own))
            .map(|taken| taken.why.clone())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::lexicon::BUNDLED;

    fn lexicon() -> Lexicon {
        Lexicon::parse(BUNDLED, Path::new("lexicon.toml")).unwrap()
    }

    fn sides_of(lexicon: &Lexicon, query: &str) -> Sides {
        Sides::of_query(lexicon, &lexicon.groups_in(query))
    }

    /// A passage's title, section and text.
    fn passage<'a>(section: &'a str, text: &'a str) -> [&'a str; 3] {
        ["Treatment", section, text]
    }

    #[test]
    fn a_passage_on_the_other_status_alone_is_ruled_out() {
        let lexicon = lexicon();
        let sides = sides_of(&lexicon, "treatment for her2 negative mbc");
        let positive = passage(
            "The first treatment for HER2-positive metastatic breast cancer",
            "Two antibodies are given with a taxane.",
        );
        assert_eq!(
            sides.rules_out_texts(&lexicon, positive).as_deref(),
            Some("HER2-positive, not HER2-negative")
        );
    }

    #[test]
    fn a_passage_naming_both_statuses_or_neither_is_kept() {
        let lexicon = lexicon();
        let sides = sides_of(&lexicon, "her2-negative treatment");
        let both = passage(
            "HER2-low disease",
            "T-DXd can also help cancers that are not HER2-positive but HER2-low.",
        );
        let neither = passage("Treatment lines", "Treatment is given as a sequence.");
        assert_eq!(sides.rules_out_texts(&lexicon, both), None);
        assert_eq!(sides.rules_out_texts(&lexicon, neither), None);
    }

    #[test]
    fn a_query_naming_both_statuses_or_none_takes_no_side() {
        let lexicon = lexicon();
        assert!(sides_of(&lexicon, "her2 positive versus her2 negative").is_empty());
        assert!(sides_of(&lexicon, "treatment for metastatic breast cancer").is_empty());
        assert!(!sides_of(&lexicon, "triple negative chemo").is_empty());
    }
}
