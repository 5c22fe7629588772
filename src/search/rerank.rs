//! The best passages for a plan, with the proximity bonus added to the leading candidates only.
//!
//! A proximity clause is a sloppy phrase: it reads the positions of every passage holding both of
//! its words. Scored over the whole index it made searches two to three times slower, yet it can
//! only reorder passages that the word clauses already match. So the word clauses find and rank
//! the candidates, and the bonus is added to the leading [`RERANK_DEPTH`] of them (or more, when
//! more are asked for) before they are cut to size.

use tantivy::collector::{Count, TopDocs};
use tantivy::query::EnableScoring;
use tantivy::{DocAddress, DocSet, Score, Searcher};

use super::plan::{LabeledClause, Plan};
use crate::Result;
use crate::index::Snapshot;

/// Candidates that receive the bonus when fewer are wanted. A bonus is a fraction of a word's
/// score, so a passage it lifts into the top ten is already near it without the bonus. At 100,
/// the bonus cost as much as the search itself; at 50 the top 10 of the 126 people's questions
/// is the same in every mode, and so is every MED figure (benchmark log, stop 30).
const RERANK_DEPTH: usize = 50;

/// The `depth` best passages for `plan`, best first (ties in index order), and how many passages
/// match it in all.
pub fn top_passages(
    snapshot: &Snapshot,
    plan: &Plan,
    depth: usize,
) -> Result<(Vec<(Score, DocAddress)>, usize)> {
    let candidates = depth.max(RERANK_DEPTH);
    let query = plan.to_query();
    let (mut top, matches) = snapshot.search(
        &*query,
        &(TopDocs::with_limit(candidates).order_by_score(), Count),
    )?;
    snapshot.with_scoring(|s, scoring| add_bonus(s, scoring, &plan.proximity, &mut top))?;
    top.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    top.truncate(depth);
    Ok((top, matches))
}

/// Adds each clause's score to the hits it matches.
fn add_bonus(
    searcher: &Searcher,
    scoring: EnableScoring<'_>,
    clauses: &[LabeledClause],
    hits: &mut [(Score, DocAddress)],
) -> tantivy::Result<()> {
    if clauses.is_empty() || hits.is_empty() {
        return Ok(());
    }
    let weights = clauses
        .iter()
        .map(|clause| clause.query.weight(scoring))
        .collect::<tantivy::Result<Vec<_>>>()?;
    // Scorers only move forward: visit each segment's hits in document order.
    hits.sort_by_key(|&(_, address)| address);
    for segment_hits in hits.chunk_by_mut(|a, b| a.1.segment_ord == b.1.segment_ord) {
        let reader = searcher.segment_reader(segment_hits[0].1.segment_ord);
        for weight in &weights {
            let mut scorer = weight.scorer(reader, 1.0)?;
            for (score, address) in segment_hits.iter_mut() {
                if scorer.doc() < address.doc_id {
                    scorer.seek(address.doc_id);
                }
                if scorer.doc() == address.doc_id {
                    *score += scorer.score();
                }
            }
        }
    }
    Ok(())
}
