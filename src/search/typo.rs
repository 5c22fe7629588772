//! Typo tolerance: a query word the index has never seen is replaced by the closest word it
//! has (edit distance, then how common the word is). The replacement is scored by plain BM25
//! like any other term, unlike fuzzy queries, which give every variant the same constant score.
//!
//! A replacement keeps the word's first letter, as Lucene's spell checker does by default:
//! typing rarely gets the first letter wrong, and on MED's queries the replacements that changed
//! it were all other words ("diuril" became "fibril", "requester" "frequent"). Nor does a
//! replacement turn a prefix into its opposite: "hyperpituitarism" is not a typo of
//! "hypopituitarism", though the two are two edits apart.

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

/// Words shorter than this are left alone: too many real words are one edit apart.
const MIN_LEN: usize = 4;

/// Prefixes of opposite meaning, which a replacement never swaps.
const OPPOSITE_PREFIXES: [(&str, &str); 5] = [
    ("hyper", "hypo"),
    ("micro", "macro"),
    ("inter", "intra"),
    ("ante", "anti"),
    ("endo", "exo"),
];

/// True when `candidate` starts with the opposite of a prefix `term` starts with.
fn swaps_opposite_prefix(term: &str, candidate: &str) -> bool {
    OPPOSITE_PREFIXES.iter().any(|(a, b)| {
        (term.starts_with(a) && candidate.starts_with(b))
            || (term.starts_with(b) && candidate.starts_with(a))
    })
}

/// Edits allowed for a word of `len` characters.
fn max_edits(len: usize) -> usize {
    if len <= 5 { 1 } else { 2 }
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

/// The closest indexed term of `field` to `term`, if one is within the allowed edits: fewest
/// edits first, then the most passages (counted over the whole index, so the answer does not
/// depend on how the index happens to be split into segments), then alphabetical.
pub fn closest_term(searcher: &Searcher, field: Field, term: &str) -> Option<String> {
    let len = term.chars().count();
    let first = term.chars().next()?;
    if len < MIN_LEN || !term.chars().all(char::is_alphabetic) {
        return None;
    }
    let mut best_distance = max_edits(len);
    // A Levenshtein automaton walks only the parts of the term dictionary within reach, instead
    // of comparing every term (which cost more than the search itself on a large index).
    let reach = FuzzyTermQuery::new(
        Term::from_field_text(field, term),
        u8::try_from(best_distance).expect("at most 2 edits"),
        true,
    );
    let mut candidates: Vec<String> = Vec::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(automaton) = reach.automaton() else {
            return None;
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
            let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if !candidate.starts_with(first) || swaps_opposite_prefix(term, candidate) {
                continue;
            }
            let distance = strsim::osa_distance(term, candidate);
            if distance == 0 || distance > best_distance {
                continue;
            }
            if distance < best_distance {
                best_distance = distance;
                candidates.clear();
            }
            candidates.push(candidate.to_string());
        }
    }
    candidates.sort();
    candidates.dedup();
    candidates.into_iter().max_by(|a, b| {
        let freq = |t: &str| {
            searcher
                .doc_freq(&Term::from_field_text(field, t))
                .unwrap_or(0)
        };
        freq(a).cmp(&freq(b)).then_with(|| b.cmp(a))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opposite_prefixes_are_swaps_in_both_directions_only() {
        assert!(swaps_opposite_prefix("hyperpituitar", "hypopituitar"));
        assert!(swaps_opposite_prefix("hypotens", "hypertens"));
        assert!(swaps_opposite_prefix("microcyt", "macrocyt"));
        assert!(!swaps_opposite_prefix("hypertens", "hypertension"));
        assert!(!swaps_opposite_prefix("tamoflexin", "tamoxifen"));
    }
}
