//! Typo tolerance: a query word the index has never seen is replaced by the closest word it
//! has (edit distance, then how common the word is). The replacement is scored by plain BM25
//! like any other term, unlike fuzzy queries, which give every variant the same constant score.

use tantivy::schema::Field;
use tantivy::{Searcher, Term};

/// Words shorter than this are left alone: too many real words are one edit apart.
const MIN_LEN: usize = 4;

/// Edits allowed for a word of `len` characters.
fn max_edits(len: usize) -> usize {
    if len <= 5 {
        1
    } else {
        2
    }
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

/// The closest indexed term of `field` to `term`, if one is within the allowed edits.
pub fn closest_term(searcher: &Searcher, field: Field, term: &str) -> Option<String> {
    let len = term.chars().count();
    if len < MIN_LEN || !term.chars().all(char::is_alphabetic) {
        return None;
    }
    let limit = max_edits(len);
    let mut best: Option<(usize, std::cmp::Reverse<u64>, String)> = None;
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().stream() else {
            continue;
        };
        while stream.advance() {
            let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if candidate.chars().count().abs_diff(len) > limit {
                continue;
            }
            let distance = strsim::osa_distance(term, candidate);
            if distance == 0 || distance > limit {
                continue;
            }
            let freq = u64::from(stream.value().doc_freq);
            let key = (distance, std::cmp::Reverse(freq), candidate.to_string());
            if best.as_ref().is_none_or(|b| key < *b) {
                best = Some(key);
            }
        }
    }
    best.map(|(_, _, term)| term)
}
