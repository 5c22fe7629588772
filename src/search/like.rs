//! "More like this": the words that make a text distinctive, for searching passages like it
//! (`mbc search --like`). As Lucene's MoreLikeThis does, each distinct word is scored by how
//! often the text uses it times how rare it is in the corpus (inverse document frequency), and
//! only the best [`LIKE_TERMS`] are searched (a whole article stays a quick search); words no passage has cannot match and are left
//! out. The words keep their order in the text, so proximity still means something.

use std::collections::{HashMap, HashSet};

use crate::Result;
use crate::analysis::AnalyzedWord;
use crate::index::{Fields, Snapshot};

use super::spelling::doc_freq;

/// Distinct words searched for a text. Lucene MoreLikeThis keeps 25 (`maxQueryTerms`); on
/// the long-query collection (`scripts/bench-quality.sh`) 25, 50, 100 and all words ranked
/// within 0.03 nDCG@10 of each other in every mode, and 50 left fewer texts unanswered than 25.
pub const LIKE_TERMS: usize = 50;

/// The occurrences in `words` of the text's [`LIKE_TERMS`] most distinctive terms, in order.
pub fn distinctive(
    snapshot: &Snapshot,
    fields: Fields,
    words: Vec<AnalyzedWord>,
) -> Result<Vec<AnalyzedWord>> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for word in &words {
        *counts.entry(&word.term).or_default() += 1;
    }
    let scored = snapshot.read(|s| {
        let n = s.num_docs() as f32;
        Ok(counts
            .iter()
            .filter_map(|(&term, &count)| {
                let df = doc_freq(s, &[fields.body], term) as f32;
                (df > 0.0).then(|| {
                    let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
                    (term.to_string(), count as f32 * idf)
                })
            })
            .collect::<Vec<_>>())
    })?;
    let kept: HashSet<String> = best(scored, LIKE_TERMS).into_iter().collect();
    Ok(words
        .into_iter()
        .filter(|w| kept.contains(&w.term))
        .collect())
}

/// The `k` best-scored terms; ties go to the alphabetically first, so the choice is stable.
fn best(mut scored: Vec<(String, f32)>, k: usize) -> Vec<String> {
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    scored.into_iter().take(k).map(|(term, _)| term).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_scored_terms_are_kept_and_ties_break_alphabetically() {
        let scored = vec![
            ("bone".to_string(), 2.0),
            ("the".to_string(), 0.1),
            ("zoledron".to_string(), 5.0),
            ("denosumab".to_string(), 2.0),
        ];
        assert_eq!(best(scored, 3), ["zoledron", "bone", "denosumab"]);
    }
}
