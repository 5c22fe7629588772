//! `--explain`: what each labelled clause of a plan contributed to one passage's score.

use tantivy::query::Scorer;
use tantivy::{DocAddress, DocSet};

use super::plan::LabeledClause;
use super::results::Contribution;
use crate::Result;
use crate::index::Snapshot;

/// Scores each labelled clause on one passage. Computed by seeking a fresh scorer per clause
/// rather than with `Query::explain`, which trips on some clause shapes in tantivy 0.27.
pub fn explain<'a>(
    clauses: impl Iterator<Item = &'a LabeledClause>,
    snapshot: &Snapshot,
    address: DocAddress,
) -> Result<Vec<Contribution>> {
    let mut contributions = Vec::new();
    for clause in clauses {
        let score = snapshot.with_scoring(|searcher, scoring| {
            let segment = searcher.segment_reader(address.segment_ord);
            let weight = clause.query.weight(scoring)?;
            let mut scorer = weight.scorer(segment, 1.0)?;
            if scorer.doc() < address.doc_id {
                scorer.seek(address.doc_id);
            }
            Ok(if scorer.doc() == address.doc_id {
                scorer.score()
            } else {
                0.0
            })
        })?;
        if score > 0.0 {
            contributions.push(Contribution {
                clause: clause.label.clone(),
                score,
            });
        }
    }
    Ok(contributions)
}
