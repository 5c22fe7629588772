//! Semantic and hybrid retrieval: the query's embedding against the stored passage vectors,
//! fused with the BM25 ranking. Filters, required phrases and exclusions apply to semantic
//! candidates exactly as to lexical ones.

use std::collections::{HashMap, HashSet};

use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Term};

use super::Mode;
use super::fusion::{Fusion, fuse};
use super::plan::Plan;
use crate::Result;
use crate::embed::{Embedder, VectorSet};
use crate::index::{Fields, Snapshot};
use crate::query::{Clause, parse_user_query};

/// A passage on its way into the results, with every score it has.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub address: DocAddress,
    pub bm25: Option<f32>,
    pub semantic: Option<f32>,
    pub score: f32,
}

/// What the semantic side needs, and how deep each ranking goes.
pub struct SemanticSide<'a> {
    pub embedder: &'a Embedder,
    pub vectors: &'a VectorSet,
    pub fusion: Fusion,
    pub mode: Mode,
    pub depth: usize,
}

/// Fuses the lexical top list with the passages nearest to the query's embedding.
pub fn rank(
    snapshot: &Snapshot,
    fields: Fields,
    plan: &Plan,
    query_text: &str,
    lexical: Vec<(f32, DocAddress)>,
    semantic: &SemanticSide,
) -> Result<Vec<Candidate>> {
    let (mode, depth) = (semantic.mode, semantic.depth);
    let mut addresses: HashMap<String, DocAddress> = HashMap::new();
    let mut lexical_ranking = Vec::new();
    if mode == Mode::Hybrid {
        for (score, address) in lexical {
            let id = snapshot
                .read(|s| fields.passage_id_of(s, address))?
                .unwrap_or_default();
            addresses.insert(id.clone(), address);
            lexical_ranking.push((id, score));
        }
    }
    let query_vector = semantic.embedder.embed_query(&semantic_text(query_text))?;
    let allowed = allowed_passages(snapshot, plan)?;
    let mut semantic_ranking = Vec::new();
    // Constraints can reject candidates: look deeper, then keep `depth` of those allowed.
    let pool = if allowed.is_some() { depth * 4 } else { depth };
    for (id, score) in semantic.vectors.nearest(&query_vector, pool) {
        let Some(address) = lookup(snapshot, fields, &id, &mut addresses)? else {
            continue;
        };
        if allowed.as_ref().is_none_or(|set| set.contains(&address)) {
            semantic_ranking.push((id, score));
        }
        if semantic_ranking.len() == depth {
            break;
        }
    }
    let fused = fuse(&lexical_ranking, &semantic_ranking, semantic.fusion);
    Ok(fused
        .into_iter()
        .filter_map(|f| {
            let address = *addresses.get(&f.id)?;
            Some(Candidate {
                address,
                bm25: f.lexical,
                semantic: f.semantic,
                score: f.fused,
            })
        })
        .collect())
}

/// The words to embed: the query without its exclusions.
fn semantic_text(query: &str) -> String {
    parse_user_query(query)
        .clauses
        .into_iter()
        .filter_map(|c| match c {
            Clause::Words(w) | Clause::Phrase(w) => Some(w),
            Clause::Exclude(_) => None,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Passages that satisfy the plan's filter, required phrases and exclusions; `None` when the
/// plan has none of these (everything is allowed).
fn allowed_passages(snapshot: &Snapshot, plan: &Plan) -> Result<Option<HashSet<DocAddress>>> {
    match plan.constraints() {
        None => Ok(None),
        Some(query) => Ok(Some(
            snapshot.read(|s| s.search(&*query, &DocSetCollector))?,
        )),
    }
}

/// The address of a passage id, remembered in `known`.
fn lookup(
    snapshot: &Snapshot,
    fields: Fields,
    id: &str,
    known: &mut HashMap<String, DocAddress>,
) -> Result<Option<DocAddress>> {
    if let Some(address) = known.get(id) {
        return Ok(Some(*address));
    }
    let query = TermQuery::new(
        Term::from_field_text(fields.passage_id, id),
        IndexRecordOption::Basic,
    );
    let found = snapshot.read(|s| s.search(&query, &TopDocs::with_limit(1).order_by_score()))?;
    let address = found.first().map(|(_, a)| *a);
    if let Some(address) = address {
        known.insert(id.to_string(), address);
    }
    Ok(address)
}
