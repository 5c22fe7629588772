//! Spelling: what to do with a query word the index has never seen. A real word is never
//! replaced by another: only a word that is in none of the index, the lexicon and the English
//! word list ([`crate::english`]) can be a misspelling, and it is replaced only when one word of
//! the corpus or the lexicon is clearly the one meant. Everything else is reported as it is ("no
//! passage mentions …"), with a suggestion where one is close.
//!
//! A replacement keeps the word's first letter, as Lucene's spell checker does by default:
//! typing rarely gets the first letter wrong, and on MED's queries the replacements that changed
//! it were all other words ("diuril" became "fibril"). Nor does a replacement turn a prefix into
//! its opposite: "hyperpituitarism" is not a typo of "hypopituitarism", though the two are two
//! edits apart. A replacement is scored by plain BM25 like any other term, unlike fuzzy queries,
//! which give every variant the same constant score.

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::Result;
use crate::analysis::{AnalyzedWord, WordKind};
use crate::english;
use crate::index::{Fields, Snapshot};
use crate::lexicon::Lexicon;

/// Words shorter than this are never replaced: too many real words are one edit apart.
const MIN_LEN: usize = 4;

/// A replacement must be found in this many times more passages than the runner-up at the same
/// distance to count as clearly meant; otherwise both are offered as suggestions.
const CLEAR_MARGIN: u64 = 3;

/// A real word gets a "did you mean" only for a corpus word one edit away that is this many
/// times more common in English ("hart" → "heart"), so that ordinary words the corpus lacks
/// ("scared") are not second-guessed.
const SUGGESTION_MARGIN: u64 = 10;

/// Suggestions offered for one word, at most.
const MAX_SUGGESTIONS: usize = 3;

/// Prefixes of opposite meaning, which a replacement never swaps.
const OPPOSITE_PREFIXES: [(&str, &str); 5] = [
    ("hyper", "hypo"),
    ("micro", "macro"),
    ("inter", "intra"),
    ("ante", "anti"),
    ("endo", "exo"),
];

/// What spelling makes of one query word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The index has it, or the lexicon knows it: searched as typed.
    Known,
    /// A real word, or one with no clear replacement, that no passage uses: searched as typed
    /// (it matches nothing) and reported, with close corpus words to suggest.
    Absent { suggestions: Vec<String> },
    /// A misspelling of one clearly meant word: `term` is searched instead, `shown` tells the
    /// person which word that is.
    Corrected { term: String, shown: String },
}

/// Judges one analyzed query word; `typed` is the word as the person wrote it.
pub fn judge(
    snapshot: &Snapshot,
    fields: Fields,
    lexicon: &Lexicon,
    word: &AnalyzedWord,
    typed: &str,
) -> Result<Verdict> {
    let searched = [fields.body, fields.section, fields.title];
    if snapshot.read(|s| Ok(doc_freq(s, &searched, &word.term)))? > 0 || lexicon.contains(typed) {
        return Ok(Verdict::Known);
    }
    // A word of a lexicon phrase ("ductal" of "ductal carcinoma in situ") is a real word, never
    // to be corrected; no passage uses it.
    if lexicon.has_word(&word.term) {
        return Ok(Verdict::Absent {
            suggestions: Vec::new(),
        });
    }
    let surface = typed.to_lowercase();
    let spellable = word.kind == WordKind::Simple
        && surface.chars().count() >= MIN_LEN
        && surface.chars().all(char::is_alphabetic);
    if !spellable {
        return Ok(Verdict::Absent {
            suggestions: Vec::new(),
        });
    }
    if let Some(frequency) = english::frequency(&surface) {
        let suggestions =
            suggestions_for_real_word(snapshot, fields, &word.term, &surface, frequency)?;
        return Ok(Verdict::Absent { suggestions });
    }
    let candidates = snapshot.read(|s| {
        Ok(corpus_candidates(
            s,
            fields.body,
            &surface,
            &word.term,
            lexicon,
        ))
    })?;
    if let Some(best) = clearly_best(&candidates) {
        let shown = surface_form(snapshot, fields, &best.term)?;
        return Ok(Verdict::Corrected {
            term: best.term.clone(),
            shown,
        });
    }
    let mut suggestions: Vec<String> = Vec::new();
    for candidate in candidates.iter().take(MAX_SUGGESTIONS) {
        let shown = surface_form(snapshot, fields, &candidate.term)?;
        if !suggestions.contains(&shown) {
            suggestions.push(shown);
        }
    }
    if suggestions.is_empty() {
        suggestions = english_suggestions(&surface);
    }
    Ok(Verdict::Absent { suggestions })
}

/// A word of the corpus or the lexicon that a misspelling may stand for.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Candidate {
    /// The indexed (analyzed) term.
    term: String,
    distance: usize,
    /// Passages that contain it.
    passages: u64,
}

/// The one candidate clearly meant, if there is one: the only one at the least distance, or
/// one found in [`CLEAR_MARGIN`] times more passages than the next.
fn clearly_best(candidates: &[Candidate]) -> Option<&Candidate> {
    let best = candidates.first()?;
    match candidates.get(1) {
        Some(next) if next.distance == best.distance => {
            (best.passages >= CLEAR_MARGIN * next.passages.max(1)).then_some(best)
        }
        _ => Some(best),
    }
}

/// Edits allowed for a word of `len` characters.
fn max_edits(len: usize) -> u8 {
    if len <= 5 { 1 } else { 2 }
}

/// True when `candidate` starts with the opposite of a prefix `term` starts with.
fn swaps_opposite_prefix(term: &str, candidate: &str) -> bool {
    OPPOSITE_PREFIXES.iter().any(|(a, b)| {
        (term.starts_with(a) && candidate.starts_with(b))
            || (term.starts_with(b) && candidate.starts_with(a))
    })
}

/// Number of passages containing `term` in any of `fields`.
pub fn doc_freq(searcher: &Searcher, fields: &[Field], term: &str) -> u64 {
    fields
        .iter()
        .map(|&f| {
            searcher
                .doc_freq(&Term::from_field_text(f, term))
                .unwrap_or(0)
        })
        .sum()
}

/// The words of the corpus and the lexicon a misspelling may stand for, nearest first, then the
/// most passages (counted over the whole index, so the answer does not depend on how the index
/// is split into segments), then alphabetical. Three ways find them, since typing errors live
/// in the written word while the index holds stems ("exercize" and "exercise" are one edit
/// apart, their stems "exerc" and "exercis" two): English words near the typed word that the
/// corpus uses, indexed terms near the word's term (for words no dictionary has, such as drug
/// names), and single-word lexicon terms near the typed word. Every candidate keeps the first
/// letter and its prefixes.
fn corpus_candidates(
    searcher: &Searcher,
    field: Field,
    surface: &str,
    term: &str,
    lexicon: &Lexicon,
) -> Vec<Candidate> {
    let Some(first) = surface.chars().next() else {
        return Vec::new();
    };
    let edits = max_edits(surface.chars().count());
    let mut analyzer = crate::analysis::medical_analyzer();
    let mut term_of =
        |word: &str| match crate::analysis::analyze_words(&mut analyzer, word).as_slice() {
            [only] => Some(only.term.clone()),
            _ => None,
        };
    let mut found: Vec<(String, usize)> = Vec::new();
    for (word, _) in english::near(surface, edits) {
        if let Some(t) = term_of(&word) {
            found.push((t, strsim::osa_distance(surface, &word)));
        }
    }
    for t in index_terms_near(searcher, field, term, max_edits(term.chars().count())) {
        let distance = strsim::osa_distance(term, &t);
        found.push((t, distance));
    }
    for word in lexicon.single_word_terms() {
        let distance = strsim::osa_distance(surface, &word.to_lowercase());
        if distance <= usize::from(edits)
            && let Some(t) = term_of(word)
        {
            found.push((t, distance));
        }
    }
    found.sort();
    found.dedup_by(|a, b| a.0 == b.0);
    let mut candidates: Vec<Candidate> = found
        .into_iter()
        .filter(|(t, distance)| {
            *distance > 0
                && t.starts_with(first)
                && !swaps_opposite_prefix(term, t)
                && !swaps_opposite_prefix(surface, t)
        })
        .filter_map(|(t, distance)| {
            let passages = doc_freq(searcher, &[field], &t);
            (passages > 0).then_some(Candidate {
                term: t,
                distance,
                passages,
            })
        })
        .collect();
    candidates.sort_by(|a, b| {
        (a.distance, std::cmp::Reverse(a.passages), &a.term).cmp(&(
            b.distance,
            std::cmp::Reverse(b.passages),
            &b.term,
        ))
    });
    candidates
}

/// The indexed terms of `field` within `edits` of `term` that start with its first letter.
fn index_terms_near(searcher: &Searcher, field: Field, term: &str, edits: u8) -> Vec<String> {
    let Some(first) = term.chars().next() else {
        return Vec::new();
    };
    // A Levenshtein automaton walks only the parts of the term dictionary within reach, instead
    // of comparing every term (which cost more than the search itself on a large index).
    let reach = FuzzyTermQuery::new(Term::from_field_text(field, term), edits, true);
    let mut found = Vec::new();
    for segment in searcher.segment_readers() {
        let (Ok(inverted), Ok(automaton)) = (segment.inverted_index(field), reach.automaton())
        else {
            continue;
        };
        let mut reachable = inverted.terms().search(automaton);
        if let Some(byte) = first.is_ascii().then_some(first as u8) {
            // Only the terms that start with the same letter: the walk skips the rest.
            reachable = reachable.ge([byte]).lt([byte + 1]);
        }
        let Ok(mut stream) = reachable.into_stream() else {
            continue;
        };
        while stream.advance() {
            if let Ok(candidate) = std::str::from_utf8(stream.key()) {
                found.push(candidate.to_string());
            }
        }
    }
    found
}

/// Corpus words one edit from a real word (by their stems, and close as written) that is far
/// rarer in English than they are.
fn suggestions_for_real_word(
    snapshot: &Snapshot,
    fields: Fields,
    term: &str,
    surface: &str,
    frequency: u64,
) -> Result<Vec<String>> {
    let near = snapshot.read(|s| Ok(index_terms_near(s, fields.body, term, 1)))?;
    let mut suggestions = Vec::new();
    for candidate in near {
        if candidate == term || swaps_opposite_prefix(term, &candidate) {
            continue;
        }
        let shown = surface_form(snapshot, fields, &candidate)?;
        let common = english::frequency(&shown).unwrap_or(0);
        // Stems are compared, but a person reads words: "wont" is one edit from the stem "want",
        // and three from "wanted", the word the corpus writes.
        let looks_close = strsim::osa_distance(surface, &shown)
            <= usize::from(max_edits(surface.chars().count()));
        let fits = shown.chars().count() >= MIN_LEN
            && looks_close
            && common >= SUGGESTION_MARGIN * frequency;
        if fits && !suggestions.contains(&shown) {
            suggestions.push(shown);
        }
    }
    suggestions.truncate(MAX_SUGGESTIONS);
    Ok(suggestions)
}

/// English words close to a misspelling that nothing in the corpus is close to, most common
/// first: offered, never searched instead.
fn english_suggestions(surface: &str) -> Vec<String> {
    let Some(first) = surface.chars().next() else {
        return Vec::new();
    };
    let mut near: Vec<(String, u64)> = english::near(surface, max_edits(surface.chars().count()))
        .into_iter()
        .filter(|(w, _)| w.starts_with(first) && !swaps_opposite_prefix(surface, w))
        .collect();
    near.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    near.into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(w, _)| w)
        .collect()
}

/// How an indexed (stemmed) term is written in the corpus, for telling the person: the first
/// word of the passage most about it whose term it is (the term itself if none is found).
fn surface_form(snapshot: &Snapshot, fields: Fields, term: &str) -> Result<String> {
    Ok(super::passages::surface_form(snapshot, fields, term)?.unwrap_or_else(|| term.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(term: &str, distance: usize, passages: u64) -> Candidate {
        Candidate {
            term: term.into(),
            distance,
            passages,
        }
    }

    #[test]
    fn opposite_prefixes_are_swaps_in_both_directions_only() {
        assert!(swaps_opposite_prefix("hyperpituitar", "hypopituitar"));
        assert!(swaps_opposite_prefix("hypotens", "hypertens"));
        assert!(swaps_opposite_prefix("microcyt", "macrocyt"));
        assert!(!swaps_opposite_prefix("hypertens", "hypertension"));
        assert!(!swaps_opposite_prefix("tamoflexin", "tamoxifen"));
    }

    #[test]
    fn a_replacement_must_be_clearly_the_one_meant() {
        assert_eq!(
            clearly_best(&[candidate("heart", 1, 9)]).map(|c| c.term.as_str()),
            Some("heart")
        );
        assert_eq!(
            clearly_best(&[candidate("a", 1, 9), candidate("b", 2, 90)]).map(|c| c.term.as_str()),
            Some("a"),
            "nearer wins"
        );
        assert_eq!(
            clearly_best(&[candidate("a", 1, 9), candidate("b", 1, 3)]).map(|c| c.term.as_str()),
            Some("a"),
            "three times as common wins"
        );
        assert_eq!(
            clearly_best(&[candidate("a", 1, 5), candidate("b", 1, 3)]),
            None,
            "too close to call"
        );
        assert_eq!(clearly_best(&[]), None);
    }
}
