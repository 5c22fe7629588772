//! Texts that lead the results only when they are asked for. A text on what to expect as
//! someone is dying answers "is it normal she sleeps all day" and "shes not eating anything"
//! well enough to come first, and a family asking about a tired mother should not read it
//! first, unasked. Its metadata names the words that ask for it (`first_only_when_asked`). For
//! a query that names none of them, its passages still come up where they rank, except first:
//! the first passage of another text that answers about as well leads instead.
//!
//! A position rule rather than a discount: multiplying such passages' scores by 0.7 put the
//! same text 5th, or out of the top ten, for "her hands and feet are cold and blotchy" and
//! "can she still hear us", which it alone answers (benchmark log, stop 51). Now it is second.

use crate::analysis::{medical_analyzer, word_terms};
use crate::symptoms::QueryTerms;

/// The least share of a waiting passage's score that a passage of another text needs to lead
/// instead of it: within a fifth, the margin by which a reviewed text comes before a dated one
/// that answers as well ([`super::UNREVIEWED_WEIGHT`]). At a half, any passage first in one of
/// a hybrid search's two rankings qualified, and "her mouth is very dry" was led by a passage
/// on hormone therapy; at 0.8 the text on the last days keeps the lead where nothing else is
/// near ("she is hardly passing any urine", "should she have a drip").
pub const LEAD_SHARE: f32 = 0.8;

/// Whether a query asks for the texts that wait to be asked for.
pub struct Asked<'a> {
    terms: &'a QueryTerms<'a>,
    /// The answer for each list of phrases met so far: every passage of a text carries its
    /// text's list, which is analyzed once.
    answered: Vec<(Vec<String>, bool)>,
}

impl<'a> Asked<'a> {
    /// `terms` are the query's analyzed words and synonyms.
    pub fn new(terms: &'a QueryTerms<'a>) -> Self {
        Asked {
            terms,
            answered: Vec::new(),
        }
    }

    /// True when `phrases` (a text's `first_only_when_asked`) is empty or the query names one
    /// of them: each of a phrase's words, in any order and any form ("die" names "dying").
    pub fn asks_for(&mut self, phrases: &[String]) -> bool {
        if phrases.is_empty() {
            return true;
        }
        if let Some((_, asked)) = self.answered.iter().find(|(p, _)| p == phrases) {
            return *asked;
        }
        let mut analyzer = medical_analyzer();
        let asked = phrases.iter().any(|phrase| {
            let words = word_terms(&mut analyzer, phrase);
            !words.is_empty() && self.terms.names(&words)
        });
        self.answered.push((phrases.to_vec(), asked));
        asked
    }
}

/// Puts a passage that may lead first, when the first of `ranked` (best first, by `score`)
/// waits to be asked for and one further down, that may lead, has at least [`LEAD_SHARE`] of
/// its score. The passages between keep their order. Returns whether it moved one.
pub fn lead_with_asked<T>(
    ranked: &mut [T],
    score: impl Fn(&T) -> f32,
    may_lead: impl Fn(&T) -> bool,
) -> bool {
    let Some(first) = ranked.first() else {
        return false;
    };
    if may_lead(first) {
        return false;
    }
    let needed = score(first) * LEAD_SHARE;
    let Some(leader) = ranked.iter().position(&may_lead) else {
        return false;
    };
    if score(&ranked[leader]) < needed {
        return false;
    }
    ranked[..=leader].rotate_right(1);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// True when `query` asks for a text that waits for `phrases`.
    fn asks(query: &str, phrases: &[&str]) -> bool {
        let words = word_terms(&mut medical_analyzer(), query);
        let mut terms = QueryTerms::default();
        words.iter().for_each(|w| terms.add_word(w));
        let phrases: Vec<String> = phrases.iter().map(|p| p.to_string()).collect();
        Asked::new(&terms).asks_for(&phrases)
    }

    #[test]
    fn a_text_that_waits_for_nothing_is_always_asked_for() {
        assert!(asks("is it normal she sleeps all day", &[]));
    }

    #[test]
    fn a_waiting_text_is_asked_for_by_one_of_its_words_in_any_form() {
        let words = ["dying", "death", "end of life"];
        assert!(!asks("is it normal she sleeps all day", &words));
        assert!(asks("mum is dying, what do we do", &words));
        assert!(asks("will she die at home", &words));
        assert!(asks("signs the end of life is near", &words));
    }

    #[test]
    fn each_list_of_phrases_gets_its_own_answer() {
        let words = word_terms(&mut medical_analyzer(), "will she die at home");
        let mut terms = QueryTerms::default();
        words.iter().for_each(|w| terms.add_word(w));
        let mut asked = Asked::new(&terms);
        let dying = vec!["dying".to_string()];
        let travel = vec!["travel".to_string()];
        assert!(asked.asks_for(&dying));
        assert!(!asked.asks_for(&travel));
        assert!(asked.asks_for(&dying), "the answer kept for the list");
    }

    #[test]
    fn a_phrase_is_named_only_by_all_its_words() {
        assert!(!asks("is it the end of treatment", &["end of life"]));
    }

    /// `(score, may lead)` pairs, best first; the order after the rule, by index.
    fn led(ranked: &[(f32, bool)]) -> Vec<usize> {
        let mut indexed: Vec<(usize, f32, bool)> = ranked
            .iter()
            .enumerate()
            .map(|(i, &(score, may))| (i, score, may))
            .collect();
        lead_with_asked(&mut indexed, |p| p.1, |p| p.2);
        indexed.iter().map(|p| p.0).collect()
    }

    #[test]
    fn the_first_passage_that_may_lead_comes_before_the_waiting_ones() {
        let ranked = [(1.0, false), (0.9, false), (0.85, true), (0.5, true)];
        assert_eq!(led(&ranked), [2, 0, 1, 3]);
    }

    #[test]
    fn a_waiting_passage_keeps_the_lead_when_nothing_else_answers_about_as_well() {
        assert_eq!(led(&[(1.0, false), (0.7, true)]), [0, 1]);
        assert_eq!(led(&[(1.0, false), (0.9, false)]), [0, 1]);
    }

    #[test]
    fn a_passage_that_may_lead_keeps_its_place() {
        assert_eq!(led(&[(1.0, true), (0.9, false)]), [0, 1]);
        assert_eq!(led(&[]), Vec::<usize>::new());
    }
}
