//! Where the query matched inside a passage (byte ranges), and the snippet shown in results.

use std::collections::BTreeSet;
use std::ops::Range;

use tantivy::snippet::collapse_overlapped_ranges;

use crate::analysis::{self, PassageTerms};

/// Passages up to this many words are shown whole as their snippet.
const WHOLE_PASSAGE_WORDS: usize = 50;
/// Otherwise the snippet is a window of this many words around the densest matches.
const SNIPPET_WORDS: usize = 36;
const ELLIPSIS: &str = "…";

/// A short excerpt of a passage with the matched words marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    /// Byte ranges in `text`.
    pub highlights: Vec<Range<usize>>,
    /// What in `text` to show when only part of it is shown, from where to start reading:
    /// for urgent advice, the sentence that says to act, up to the end of its words for acting;
    /// else the first highlight; else the start.
    pub focus: Range<usize>,
}

/// Byte ranges of `text` whose analyzed term is one of `terms`, merged where they overlap.
pub fn highlight_ranges(text: &str, terms: &BTreeSet<String>) -> Vec<Range<usize>> {
    Highlighter::new(terms).ranges(text)
}

/// Finds the searched terms in passages; made once per search, used for every hit.
pub struct Highlighter<'a> {
    terms: &'a BTreeSet<String>,
    openings: Openings,
}

impl<'a> Highlighter<'a> {
    pub fn new(terms: &'a BTreeSet<String>) -> Self {
        Highlighter {
            terms,
            openings: Openings::of(terms),
        }
    }

    /// [`Highlighter::ranges`] of a passage's text, from its terms analyzed before.
    pub fn ranges_in(&self, passage: &PassageTerms) -> Vec<Range<usize>> {
        collapse_overlapped_ranges(&passage.ranges_of(self.terms))
    }

    /// See [`highlight_ranges`].
    pub fn ranges(&self, text: &str) -> Vec<Range<usize>> {
        // Highlighting a thousand hits was a sixth of a top-1000 search, and most words of a
        // passage cannot match: only those that pass `Openings` are analyzed.
        let mut ranges: Vec<Range<usize>> = Vec::new();
        let may_match = |word: &str| self.openings.may_match(word);
        analysis::for_each_term_where(text, may_match, |term, range, _| {
            if self.terms.contains(term) {
                ranges.push(range);
            }
        });
        collapse_overlapped_ranges(&ranges)
    }
}

/// The first two letters of the searched terms, to tell without analysis which words cannot
/// have one of them as their term. Analysis keeps a word's first two ASCII letters or digits,
/// lower-cased: lower-casing and accent folding leave them in place, stop words are dropped
/// whole, and the English stemmer changes endings only, except that it makes "dying", "lying"
/// and "tying" into "die", "lie" and "tie". So a word is always analyzed when its second letter
/// is a `y`, when either of its first two bytes is anything but an ASCII letter or digit
/// (apostrophes, signs and accents may go), and when a one-letter term starts like it.
struct Openings {
    /// By a term's lower-cased first byte: some term starts with it.
    first: [bool; 128],
    /// By first byte: that byte alone is a term.
    single: [bool; 128],
    /// Bit `first * 128 + second`, both bytes lower-cased: some term starts with the two.
    pairs: [u64; 256],
}

impl Openings {
    fn of(terms: &BTreeSet<String>) -> Openings {
        let mut openings = Openings {
            first: [false; 128],
            single: [false; 128],
            pairs: [0; 256],
        };
        for term in terms {
            let bytes = term.as_bytes();
            let Some(&first) = bytes.first().filter(|b| b.is_ascii()) else {
                continue;
            };
            let first = usize::from(first);
            openings.first[first] = true;
            match bytes.get(1) {
                None => openings.single[first] = true,
                Some(&second) if second.is_ascii() => {
                    let bit = first * 128 + usize::from(second);
                    openings.pairs[bit / 64] |= 1 << (bit % 64);
                }
                Some(_) => {}
            }
        }
        openings
    }

    fn may_match(&self, word: &str) -> bool {
        let bytes = word.as_bytes();
        let Some(&first) = bytes.first().filter(|b| b.is_ascii_alphanumeric()) else {
            return true;
        };
        let first = usize::from(first.to_ascii_lowercase());
        if !self.first[first] {
            return false;
        }
        match bytes.get(1) {
            _ if self.single[first] => true,
            Some(&second)
                if second.is_ascii_alphanumeric() && !second.eq_ignore_ascii_case(&b'y') =>
            {
                let bit = first * 128 + usize::from(second.to_ascii_lowercase());
                self.pairs[bit / 64] & (1 << (bit % 64)) != 0
            }
            _ => true,
        }
    }
}

/// The snippet for a passage: the whole passage if short, else the window of words that holds
/// the most highlights (the opening words if none), with a few words before the first of them.
pub fn make_snippet(text: &str, highlights: &[Range<usize>]) -> Snippet {
    make_snippet_around(text, highlights, &Anchors::default())
}

/// Ranges a snippet is chosen around but that are not shown highlighted: the words of an
/// urgent symptom the query named, and the words that say to act ("straight away",
/// "emergency").
#[derive(Debug, Default)]
pub struct Anchors {
    pub symptom: Vec<Range<usize>>,
    pub action: Vec<Range<usize>>,
}

/// What a symptom's word and an action's word weigh against one highlight in choosing a
/// snippet's window: a window that says to act wins over any that does not, whatever number of
/// the symptom's words it holds (a window holds at most `SNIPPET_WORDS`).
const SYMPTOM_WEIGHT: i64 = 1_000;
const ACTION_WEIGHT: i64 = 40 * SYMPTOM_WEIGHT;

/// How many words a snippet may grow by to finish the sentence that says to act.
const SENTENCE_END_WORDS: usize = 15;

/// [`make_snippet`], choosing the window by `anchors` first: for urgent advice, the sentence
/// that names the symptom and says to act, not the opening of a list of warning signs.
pub fn make_snippet_around(text: &str, highlights: &[Range<usize>], anchors: &Anchors) -> Snippet {
    let spaced = single_spaced(text);
    let count = word_count(text, spaced);
    let (start, end) = if count <= WHOLE_PASSAGE_WORDS {
        (0, text.len())
    } else {
        let words = word_ranges(text, spaced, count);
        let weighted: Vec<(&Range<usize>, i64)> = highlights
            .iter()
            .map(|h| (h, 1))
            .chain(anchors.symptom.iter().map(|a| (a, SYMPTOM_WEIGHT)))
            .chain(anchors.action.iter().map(|a| (a, ACTION_WEIGHT)))
            .collect();
        let best = densest_window(&words, &weighted);
        let (start, end) = (words[best].start, words[best + SNIPPET_WORDS - 1].end);
        (
            start,
            to_end_of_action(text, &words, start..end, &anchors.action),
        )
    };
    let prefix = if start > 0 { ELLIPSIS } else { "" };
    let suffix = if end < text.len() { ELLIPSIS } else { "" };
    let shift = |r: &Range<usize>| r.start - start + prefix.len()..r.end - start + prefix.len();
    let inside = |r: &&Range<usize>| r.start >= start && r.end <= end;
    let snippet_highlights: Vec<Range<usize>> =
        highlights.iter().filter(inside).map(shift).collect();
    let focus = match action_sentence(text, start..end, anchors) {
        Some(sentence) => shift(&sentence),
        None => snippet_highlights.first().cloned().unwrap_or(0..0),
    };
    Snippet {
        text: format!("{prefix}{}{suffix}", &text[start..end]),
        highlights: snippet_highlights,
        focus,
    }
}

/// `window.end`, or the end of the sentence holding the window's last action, when that is at
/// most [`SENTENCE_END_WORDS`] words further: "call the 24-hour number straight" was cut before
/// "away".
fn to_end_of_action(
    text: &str,
    words: &[Range<usize>],
    window: Range<usize>,
    actions: &[Range<usize>],
) -> usize {
    let Some(last) = actions
        .iter()
        .filter(|a| a.start >= window.start && a.start < window.end)
        .map(|a| a.end)
        .max()
    else {
        return window.end;
    };
    let sentence_end = text[last..]
        .find(". ")
        .map_or(text.len(), |dot| last + dot + 1);
    let extra = words
        .iter()
        .filter(|w| w.start >= window.end && w.end <= sentence_end)
        .count();
    if sentence_end > window.end && extra <= SENTENCE_END_WORDS {
        sentence_end
    } else {
        window.end
    }
}

/// The part of `text[window]` to read first when it says to act: from the start of the
/// sentence holding an action and the most anchors (the first on ties) to the end of that
/// sentence's last action. Sentences end at ". ".
fn action_sentence(text: &str, window: Range<usize>, anchors: &Anchors) -> Option<Range<usize>> {
    let sentence_of = |at: usize| {
        text[window.start..at]
            .rfind(". ")
            .map_or(window.start, |dot| window.start + dot + 2)
    };
    let inside = |a: &&Range<usize>| a.start >= window.start && a.end <= window.end;
    // (sentence start, anchor weight, end of its last action)
    let mut sentences: Vec<(usize, i64, usize)> = Vec::new();
    let weighted = anchors
        .symptom
        .iter()
        .filter(inside)
        .map(|a| (a, SYMPTOM_WEIGHT));
    let actions = anchors
        .action
        .iter()
        .filter(inside)
        .map(|a| (a, ACTION_WEIGHT));
    for (anchor, weight) in weighted.chain(actions) {
        let sentence = sentence_of(anchor.start);
        let action_end = if weight == ACTION_WEIGHT {
            anchor.end
        } else {
            0
        };
        match sentences.iter_mut().find(|(s, _, _)| *s == sentence) {
            Some((_, total, end)) => {
                *total += weight;
                *end = (*end).max(action_end);
            }
            None => sentences.push((sentence, weight, action_end)),
        }
    }
    sentences
        .into_iter()
        .filter(|&(_, _, action_end)| action_end > 0)
        .max_by_key(|&(sentence, weight, _)| (weight, std::cmp::Reverse(sentence)))
        .map(|(sentence, _, action_end)| sentence..action_end)
}

/// Whether the words of `text` lie between single ASCII spaces, as in nearly every stored
/// passage (they are whitespace-collapsed): then they are found without decoding characters,
/// which was most of a snippet's cost.
fn single_spaced(text: &str) -> bool {
    text.is_ascii() && crate::corpus::is_collapsed_ascii(text.as_bytes())
}

/// The number of words in `text`; `spaced` as [`single_spaced`] gives it.
fn word_count(text: &str, spaced: bool) -> usize {
    match (spaced, text.is_empty()) {
        (_, true) => 0,
        (true, false) => memchr::memchr_iter(b' ', text.as_bytes()).count() + 1,
        (false, false) => text.split_whitespace().count(),
    }
}

/// The byte ranges of the `count` words of `text`; `spaced` as [`single_spaced`] gives it, and
/// `count` as [`word_count`] does.
fn word_ranges(text: &str, spaced: bool, count: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::with_capacity(count);
    if spaced {
        if text.is_empty() {
            return ranges;
        }
        let mut start = 0;
        for space in memchr::memchr_iter(b' ', text.as_bytes()) {
            ranges.push(start..space);
            start = space + 1;
        }
        ranges.push(start..text.len());
        return ranges;
    }
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                ranges.push(s..i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        ranges.push(s..text.len());
    }
    ranges
}

/// Words a snippet shows before its first range, where the window allows: taken as the
/// earliest window holding the match, "…calling in the second…" ended on it.
const CONTEXT_WORDS: usize = 4;

/// The first word of the `SNIPPET_WORDS`-word window holding the greatest weight of whole
/// ranges; of those, the one with its first range nearest [`CONTEXT_WORDS`] words in, and the
/// earliest on ties. Linear in the words: each range adds its weight to every window start that
/// covers it.
fn densest_window(words: &[Range<usize>], highlights: &[(&Range<usize>, i64)]) -> usize {
    let starts = words.len() - SNIPPET_WORDS + 1;
    // counts[i] - counts[i - 1]: how the weight held changes from window i - 1 to i.
    let mut delta = vec![0i64; starts + 1];
    let mut firsts = Vec::with_capacity(highlights.len());
    for &(highlight, weight) in highlights {
        // The words holding the highlight's first and last bytes.
        let first = words.partition_point(|w| w.end <= highlight.start);
        let last = words
            .partition_point(|w| w.start < highlight.end)
            .saturating_sub(1);
        if first >= words.len() || last < first {
            continue;
        }
        firsts.push(first);
        // Windows starting at last - SNIPPET_WORDS + 1 ..= first contain both.
        let low = (last + 1).saturating_sub(SNIPPET_WORDS);
        let high = first.min(starts - 1);
        if low <= high {
            delta[low] += weight;
            delta[high + 1] -= weight;
        }
    }
    firsts.sort_unstable();
    let counts: Vec<i64> = delta[..starts]
        .iter()
        .scan(0, |count, change| {
            *count += change;
            Some(*count)
        })
        .collect();
    let most = counts.iter().copied().max().unwrap_or(0);
    if most <= 0 {
        return 0;
    }
    // How far the window's first range is from CONTEXT_WORDS words in.
    let lead = |start: usize| {
        firsts
            .get(firsts.partition_point(|&f| f < start))
            .map_or(usize::MAX, |&f| (f - start).abs_diff(CONTEXT_WORDS))
    };
    (0..starts)
        .filter(|&i| counts[i] == most)
        .min_by_key(|&i| (lead(i), i))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn highlights_match_analyzed_forms() {
        let text = "Treatments with Herceptin target HER2/neu.";
        let ranges = highlight_ranges(
            text,
            &terms(&["hercept", "herceptin", "her2/neu", "treatment"]),
        );
        let marked: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        assert!(marked.contains(&"Treatments"));
        assert!(marked.contains(&"HER2/neu"));
    }

    #[test]
    fn word_ranges_are_the_words_split_whitespace_finds() {
        for text in [
            "",
            "one",
            "collapsed ASCII words only",
            " padded  and\ttabbed\nlines ",
            "non\u{a0}breaking and em\u{2003}space",
        ] {
            let spaced = single_spaced(text);
            let found: Vec<&str> = word_ranges(text, spaced, word_count(text, spaced))
                .into_iter()
                .map(|r| &text[r])
                .collect();
            let expected: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(found, expected, "{text:?}");
            assert_eq!(word_count(text, spaced), expected.len(), "{text:?}");
        }
    }

    #[test]
    fn short_passages_are_their_own_snippet() {
        let highlights: Vec<Range<usize>> = std::iter::once(2..7).collect();
        let snippet = make_snippet("A short passage.", &highlights);
        assert_eq!(snippet.text, "A short passage.");
        assert_eq!(snippet.highlights, highlights);
    }

    #[test]
    fn long_passages_are_cut_around_the_matches() {
        let text = format!(
            "{} target {}",
            "filler ".repeat(60).trim(),
            "tail ".repeat(60).trim()
        );
        let start = text.find("target").unwrap();
        let highlights: Vec<Range<usize>> = std::iter::once(start..start + 6).collect();
        let snippet = make_snippet(&text, &highlights);
        assert!(snippet.text.starts_with(ELLIPSIS) && snippet.text.ends_with(ELLIPSIS));
        let h = snippet.highlights[0].clone();
        assert_eq!(&snippet.text[h], "target");
    }

    #[test]
    fn the_densest_window_is_the_one_with_most_whole_highlights_earliest_first() {
        let text = numbered_words(120);
        let spaced = single_spaced(&text);
        let words = word_ranges(&text, spaced, word_count(&text, spaced));
        let at = |word: usize| words[word].clone();
        let span = |a: usize, b: usize| words[a].start..words[b].end;
        let cases: Vec<Vec<Range<usize>>> = vec![
            vec![],
            vec![at(5)],
            vec![at(0), at(100), at(101), at(119)],
            vec![at(40), at(70), at(90), span(89, 91)],
            vec![span(10, 50), at(60)],
        ];
        for highlights in cases {
            // The definition, window by window.
            let count = |i: usize| {
                let (start, end) = (words[i].start, words[i + SNIPPET_WORDS - 1].end);
                highlights
                    .iter()
                    .filter(|h| h.start >= start && h.end <= end)
                    .count()
            };
            // The most highlights; then the first of them nearest CONTEXT_WORDS words in;
            // then the earliest.
            let most = (0..=words.len() - SNIPPET_WORDS).map(count).max().unwrap();
            let lead = |i: usize| {
                let start = words[i].start;
                let first = highlights
                    .iter()
                    .filter(|h| h.start >= start)
                    .map(|h| h.start)
                    .min();
                first.map_or(usize::MAX, |at| {
                    let index = words.iter().position(|w| w.end > at).unwrap();
                    (index - i).abs_diff(CONTEXT_WORDS)
                })
            };
            let expected = (0..=words.len() - SNIPPET_WORDS)
                .filter(|&i| count(i) == most && (most > 0 || i == 0))
                .min_by_key(|&i| (if most > 0 { lead(i) } else { 0 }, i))
                .unwrap();
            let weighted: Vec<(&Range<usize>, i64)> = highlights.iter().map(|h| (h, 1)).collect();
            assert_eq!(
                densest_window(&words, &weighted),
                expected,
                "{highlights:?}"
            );
        }
    }

    /// "w0 w1 … w{n-1}".
    fn numbered_words(n: usize) -> String {
        (0..n)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The byte range of the first `word` in `text`, standing alone.
    fn range_of(text: &str, word: &str) -> Range<usize> {
        let at = format!(" {text} ").find(&format!(" {word}")).unwrap();
        at..at + word.len()
    }

    #[test]
    fn a_snippet_holds_its_anchor_before_more_highlights() {
        let text = numbered_words(200);
        let word = |i: usize| range_of(&text, &format!("w{i}"));
        let highlights = [word(3), word(4), word(5)];
        let anchors = Anchors {
            symptom: vec![word(150)],
            action: Vec::new(),
        };
        let anchored = make_snippet_around(&text, &highlights, &anchors);
        assert!(anchored.text.contains(" w150 "), "{}", anchored.text);
        assert!(
            anchored.highlights.is_empty(),
            "anchors are not shown highlighted"
        );
        let plain = make_snippet(&text, &highlights);
        assert!(plain.text.contains("w4 ") && !plain.text.contains("w150"));
    }

    #[test]
    fn a_snippet_shows_a_few_words_before_its_first_match() {
        let text = numbered_words(200);
        let hit = range_of(&text, "w100");
        let snippet = make_snippet(&text, std::slice::from_ref(&hit));
        assert!(
            snippet.text.starts_with("…w96 w97 w98 w99 w100 "),
            "{}",
            snippet.text
        );
    }

    #[test]
    fn a_snippet_is_read_from_the_sentence_that_says_to_act_or_its_first_match() {
        let text = "Pain is common. A fever needs a call straight away, day or night. Rest helps.";
        let range = |word: &str| range_of(text, word);
        let anchors = Anchors {
            symptom: vec![range("fever"), range("Pain")],
            action: vec![range("straight"), range("away")],
        };
        let anchored = make_snippet_around(text, &[range("Rest")], &anchors);
        assert_eq!(
            &anchored.text[anchored.focus.clone()],
            "A fever needs a call straight away"
        );
        let plain = make_snippet(text, &[range("Rest")]);
        assert_eq!(&plain.text[plain.focus.clone()], "Rest");
        assert_eq!(make_snippet(text, &[]).focus, 0..0);
    }

    #[test]
    fn a_snippet_finishes_the_sentence_that_says_to_act() {
        let filler = numbered_words(60);
        let text = format!(
            "{filler} A fever means you must call the 24-hour line straight away now. More words follow here and on and on."
        );
        let range = |word: &str| range_of(&text, word);
        let anchors = Anchors {
            symptom: vec![range("fever")],
            action: vec![range("straight")],
        };
        let snippet = make_snippet_around(&text, &[], &anchors);
        assert!(
            snippet.text.contains("straight away now."),
            "{}",
            snippet.text
        );
    }

    /// Skipping words by their first letter must not lose a highlight: every word of the
    /// founding article, searched for by its own term, is highlighted.
    #[test]
    fn every_word_is_highlighted_when_its_term_is_searched() {
        // The founding article, and words whose analysis shortens or reshapes them.
        let text = format!(
            "{} x's it's patient's O'Neil skies dying ies Y-90 HER2/neu ER+ T-DXd 5-FU a1 I \
             Ünited ürn",
            include_str!("../../corpus/000_83023b5a013b7893.txt")
        );
        let tokens = crate::analysis::analyze(&mut crate::analysis::medical_analyzer(), &text);
        let covered = |ranges: &mut dyn Iterator<Item = Range<usize>>| {
            let mut bytes = vec![false; text.len()];
            ranges.for_each(|range| bytes[range].fill(true));
            bytes
        };
        let all: BTreeSet<String> = tokens.iter().map(|t| t.term.clone()).collect();
        assert_eq!(
            covered(&mut highlight_ranges(&text, &all).into_iter()),
            covered(&mut tokens.iter().map(|t| t.range.clone())),
        );
        // One term at a time, so that words are skipped by their first letters.
        for term in &all {
            let searched: BTreeSet<String> = [term.clone()].into();
            assert_eq!(
                covered(&mut highlight_ranges(&text, &searched).into_iter()),
                covered(
                    &mut tokens
                        .iter()
                        .filter(|t| &t.term == term)
                        .map(|t| t.range.clone())
                ),
                "{term}"
            );
        }
    }
}
