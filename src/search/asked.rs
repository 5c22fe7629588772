//! Texts that come near the top only when they are asked for. A text on what to expect as
//! someone is dying answers "is it normal she sleeps all day" and "shes not eating anything"
//! well enough to come first, and a family asking about a tired mother should not read it
//! first, unasked; nor should someone asking whether to make a will read, second, a safety plan
//! for thoughts of suicide. Its metadata names the words that ask for it
//! (`first_only_when_asked`) and, if more than the first, how many of the first places it
//! leaves to other texts when not asked (`keep_out_of_first`). For a query that names none of
//! the words, its passages still come up where they rank, except in those places: the passages
//! of other texts that answer about as well come first.
//!
//! A position rule rather than a discount: multiplying such passages' scores by 0.7 put the
//! same text 5th, or out of the top ten, for "her hands and feet are cold and blotchy" and
//! "can she still hear us", which it alone answers (benchmark log, stop 51).

use crate::analysis::{medical_analyzer, word_terms};
use crate::symptoms::QueryTerms;

/// The least share of a waiting passage's score that a passage of another text needs to come
/// before it: within a fifth, the margin by which a reviewed text comes before a dated one
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

/// Keeps each passage of `ranked` (best first, by `score`) out of the first places it leaves to
/// others (`kept_out_of`, 0 for most): at each such place, it gives way to the next passage
/// down that may take the place, when that one has at least [`LEAD_SHARE`] of its score. The
/// passages between keep their order. Returns how many were moved up.
pub fn keep_waiting_back<T>(
    ranked: &mut [T],
    score: impl Fn(&T) -> f32,
    kept_out_of: impl Fn(&T) -> usize,
) -> usize {
    let places = ranked.iter().map(&kept_out_of).max().unwrap_or(0);
    let mut moved = 0;
    for place in 0..places.min(ranked.len()) {
        if kept_out_of(&ranked[place]) <= place {
            continue;
        }
        let needed = score(&ranked[place]) * LEAD_SHARE;
        let may_take = |p: &T| kept_out_of(p) <= place;
        let Some(offset) = ranked[place..].iter().position(may_take) else {
            continue;
        };
        let next = place + offset;
        if score(&ranked[next]) >= needed {
            ranked[place..=next].rotate_right(1);
            moved += 1;
        }
    }
    moved
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

    /// `(score, places kept out of)` pairs, best first; the order after the rule, by index.
    fn kept(ranked: &[(f32, usize)]) -> Vec<usize> {
        let mut indexed: Vec<(usize, f32, usize)> = ranked
            .iter()
            .enumerate()
            .map(|(i, &(score, kept))| (i, score, kept))
            .collect();
        keep_waiting_back(&mut indexed, |p| p.1, |p| p.2);
        indexed.iter().map(|p| p.0).collect()
    }

    #[test]
    fn a_waiting_passage_gives_the_first_place_to_one_that_answers_about_as_well() {
        assert_eq!(
            kept(&[(1.0, 1), (0.9, 1), (0.85, 0), (0.5, 0)]),
            [2, 0, 1, 3]
        );
    }

    #[test]
    fn a_passage_kept_out_of_three_places_gives_each_of_them_away() {
        let ranked = [(1.0, 3), (0.9, 0), (0.85, 0), (0.84, 0), (0.83, 0)];
        assert_eq!(kept(&ranked), [1, 2, 3, 0, 4]);
        // Kept out of the first place only, it is second.
        let ranked = [(1.0, 1), (0.9, 0), (0.85, 0), (0.84, 0)];
        assert_eq!(kept(&ranked), [1, 0, 2, 3]);
    }

    #[test]
    fn a_waiting_passage_keeps_its_place_when_nothing_else_answers_about_as_well() {
        assert_eq!(kept(&[(1.0, 1), (0.7, 0)]), [0, 1]);
        assert_eq!(kept(&[(1.0, 1), (0.9, 1)]), [0, 1]);
        // Far ahead of the third, it stays second once the first place went to a near one.
        assert_eq!(kept(&[(1.0, 3), (0.95, 0), (0.6, 0)]), [1, 0, 2]);
    }

    #[test]
    fn a_passage_that_may_lead_keeps_its_place() {
        assert_eq!(kept(&[(1.0, 0), (0.9, 1)]), [0, 1]);
        assert_eq!(kept(&[]), Vec::<usize>::new());
    }
}
