//! BM25's corpus statistics of one generation, kept for the searches that follow.
//!
//! tantivy asks for a term's document frequency each time it weighs the term: a lookup in the
//! term dictionary of every segment, then the same lookup again to open the term's postings.
//! A generation never changes, so its answers can be kept; they were a twentieth of an
//! `--exact` search's instructions. The numbers are tantivy's own, so scores are unchanged.

use std::sync::RwLock;

use rustc_hash::FxHashMap;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

/// Terms kept before the map empties itself (a few MB at most), so a server that meets many
/// different words keeps a bounded amount.
const MAX_TERMS: usize = 65_536;

/// The statistics of one generation's searcher, computed on first use.
#[derive(Default)]
pub struct Statistics {
    doc_freq: RwLock<FxHashMap<Term, u64>>,
    total_tokens: RwLock<FxHashMap<Field, u64>>,
}

impl Statistics {
    /// A provider for `searcher`, which must be a searcher of this generation.
    pub fn of<'a>(&'a self, searcher: &'a Searcher) -> Kept<'a> {
        Kept {
            statistics: self,
            searcher,
        }
    }
}

/// [`Statistics`] with the searcher that computes what is not kept yet.
pub struct Kept<'a> {
    statistics: &'a Statistics,
    searcher: &'a Searcher,
}

impl Bm25StatisticsProvider for Kept<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        kept_or(&self.statistics.total_tokens, &field, usize::MAX, || {
            self.searcher.total_num_tokens(field)
        })
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        // A sum over the segments: nothing to look up.
        self.searcher.total_num_docs()
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        kept_or(&self.statistics.doc_freq, term, MAX_TERMS, || {
            self.searcher.doc_freq(term)
        })
    }
}

/// The value kept for `key`, or `compute`'s, which is then kept (in a map of at most `max`).
fn kept_or<K: std::hash::Hash + Eq + Clone>(
    map: &RwLock<FxHashMap<K, u64>>,
    key: &K,
    max: usize,
    compute: impl FnOnce() -> tantivy::Result<u64>,
) -> tantivy::Result<u64> {
    // A poisoned lock only means another search panicked while inserting a number.
    if let Some(&value) = map.read().unwrap_or_else(|e| e.into_inner()).get(key) {
        return Ok(value);
    }
    let value = compute()?;
    let mut map = map.write().unwrap_or_else(|e| e.into_inner());
    if map.len() >= max {
        map.clear();
    }
    map.insert(key.clone(), value);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, TantivyDocument};

    use super::*;

    fn searcher_of(texts: &[(&str, &str)]) -> (Searcher, Field, Field) {
        let mut schema = Schema::builder();
        let title = schema.add_text_field("title", TEXT);
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (t, b) in texts {
            let mut doc = TantivyDocument::default();
            doc.add_text(title, t);
            doc.add_text(body, b);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        (index.reader().unwrap().searcher(), title, body)
    }

    #[test]
    fn kept_statistics_are_the_searchers_own_each_time_they_are_asked() {
        let (searcher, title, body) = searcher_of(&[
            ("bone", "bone pain and bone health"),
            ("liver", "the liver and the bone"),
            ("brain", "headaches"),
        ]);
        let statistics = Statistics::default();
        let kept = statistics.of(&searcher);
        for _ in 0..2 {
            for word in ["bone", "liver", "headaches", "absent"] {
                for field in [title, body] {
                    let term = Term::from_field_text(field, word);
                    assert_eq!(
                        kept.doc_freq(&term).unwrap(),
                        searcher.doc_freq(&term).unwrap(),
                        "{word} in field {field:?}"
                    );
                }
            }
            for field in [title, body] {
                assert_eq!(
                    kept.total_num_tokens(field).unwrap(),
                    searcher.total_num_tokens(field).unwrap()
                );
            }
            assert_eq!(kept.total_num_docs().unwrap(), 3);
        }
    }
}
