//! Typo tolerance: a query word the index has never seen is replaced by the closest word it
//! has (edit distance, then how common the word is). The replacement is scored by plain BM25
//! like any other term, unlike fuzzy queries, which give every variant the same constant score.

use tantivy::query::FuzzyTermQuery;
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

/// The closest indexed term of `field` to `term`, if one is within the allowed edits: fewest
/// edits first, then the most passages (counted over the whole index, so the answer does not
/// depend on how the index happens to be split into segments), then alphabetical.
pub fn closest_term(searcher: &Searcher, field: Field, term: &str) -> Option<String> {
    let len = term.chars().count();
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
        let Ok(mut stream) = inverted.terms().search(automaton).into_stream() else {
            continue;
        };
        while stream.advance() {
            let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                continue;
            };
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
