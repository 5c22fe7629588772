//! Semantic and hybrid retrieval: the query's embedding against the stored passage vectors,
//! fused with the BM25 ranking. Filters, required phrases and exclusions apply to semantic
//! candidates exactly as to lexical ones, and once the search has decided that the corpus is
//! about the query, only passages at or above the model's similarity floor join the ranking.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Term};

use super::fusion::{Fusion, fuse};
use super::plan::Plan;
use super::results::Mode;
use crate::Result;
use crate::embed::{Embedder, VectorSet, similarity};
use crate::index::{Fields, Snapshot};

/// A passage on its way into the results, with every score it has.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub address: DocAddress,
    pub bm25: Option<f32>,
    pub semantic: Option<f32>,
    pub score: f32,
    /// Put first by the urgent-symptom rule.
    pub urgent: bool,
}

/// The semantic side of a search: the passages nearest to the query's embedding.
pub struct Nearest {
    /// `(passage id, similarity)`, best first, only passages the plan's constraints allow.
    pub ranking: Vec<(String, f32)>,
    /// The query's embedding.
    query: Vec<f32>,
    /// Passage addresses looked up so far, by id.
    addresses: HashMap<String, DocAddress>,
    /// How long embedding the query took.
    pub embedded_in: Duration,
}

impl Nearest {
    /// The cosine similarity of the query's embedding to that of `text`.
    pub fn similarity_to(&self, embedder: &Embedder, text: &str) -> Result<f32> {
        Ok(similarity(&self.query, &embedder.embed_query(text)?))
    }

    /// The similarity of passage `id` to the query, from its stored vector; `None` when it has
    /// none.
    pub fn similarity_of(&self, vectors: &VectorSet, id: &str) -> Option<f32> {
        vectors.similarity_to(id, &self.query)
    }

    /// The best similarity of an allowed passage.
    pub fn best(&self) -> Option<f32> {
        self.ranking.first().map(|(_, s)| *s)
    }

    /// The addresses of the first passages of the ranking, best first.
    pub fn leading(&mut self, snapshot: &Snapshot, fields: Fields) -> Result<Vec<DocAddress>> {
        self.leading_from(snapshot, fields, f32::NEG_INFINITY)
    }

    /// [`Nearest::leading`], of the passages at least `floor` similar only.
    pub fn leading_from(
        &mut self,
        snapshot: &Snapshot,
        fields: Fields,
        floor: f32,
    ) -> Result<Vec<DocAddress>> {
        let ids: Vec<String> = self
            .ranking
            .iter()
            .take(super::about::COVERAGE_DEPTH)
            .take_while(|(_, similarity)| *similarity >= floor)
            .map(|(id, _)| id.clone())
            .collect();
        let mut leading = Vec::new();
        for id in ids {
            if let Some(address) = lookup(snapshot, fields, &id, &mut self.addresses)? {
                leading.push(address);
            }
        }
        Ok(leading)
    }

    /// Keeps only the passages at or above `floor`, and those whose ids are in `also`.
    pub fn keep_from(&mut self, floor: f32, also: &[String]) {
        self.ranking
            .retain(|(id, s)| *s >= floor || also.contains(id));
    }
}

/// What the semantic side searches by.
#[derive(Debug, Clone, Copy)]
pub enum SemanticQuery<'a> {
    /// A text, embedded for the search.
    Text(&'a str),
    /// A passage of the index, by its stored vector when it has one (else by `text`): a
    /// passage is represented by the vector the build made of it, and embedding its text
    /// again took a search longer than everything else together.
    Passage { id: &'a str, text: &'a str },
}

/// The `depth` allowed passages nearest to the query's vector.
pub fn nearest(
    snapshot: &Snapshot,
    fields: Fields,
    plan: &Plan,
    semantic: SemanticQuery,
    (embedder, vectors): (&Embedder, &VectorSet),
    depth: usize,
) -> Result<Nearest> {
    let started = Instant::now();
    let query = match semantic {
        SemanticQuery::Passage { id, text } => match vectors.get(id) {
            Some(stored) => stored.to_vec(),
            None => embedder.embed_query(text)?,
        },
        SemanticQuery::Text(text) => embedder.embed_query(text)?,
    };
    let embedded_in = started.elapsed();
    let allowed = allowed_passages(snapshot, plan)?;
    let mut addresses = HashMap::new();
    let mut ranking = Vec::new();
    // Constraints can reject candidates: look deeper, then keep `depth` of those allowed.
    let pool = if allowed.is_some() { depth * 4 } else { depth };
    for (id, score) in vectors.nearest(&query, pool) {
        let Some(address) = lookup(snapshot, fields, &id, &mut addresses)? else {
            continue;
        };
        if allowed.as_ref().is_none_or(|set| set.contains(&address)) {
            ranking.push((id, score));
        }
        if ranking.len() == depth {
            break;
        }
    }
    Ok(Nearest {
        ranking,
        query,
        addresses,
        embedded_in,
    })
}

/// Fuses the lexical top list with the semantic ranking (semantic mode: the semantic ranking
/// alone, scored by similarity).
pub fn rank(
    snapshot: &Snapshot,
    fields: Fields,
    lexical: Vec<(f32, DocAddress)>,
    nearest: &mut Nearest,
    fusion: Fusion,
    mode: Mode,
) -> Result<Vec<Candidate>> {
    let mut lexical_ranking = Vec::new();
    if mode == Mode::Hybrid {
        for (score, address) in lexical {
            let id = snapshot
                .read(|s| fields.passage_id_of(s, address))?
                .unwrap_or_default();
            nearest.addresses.insert(id.clone(), address);
            lexical_ranking.push((id, score));
        }
    }
    let fused = fuse(
        &lexical_ranking,
        &nearest.ranking,
        fusion,
        super::FUSION_DEPTH,
    );
    Ok(fused
        .into_iter()
        .filter_map(|f| {
            let address = *nearest.addresses.get(&f.id)?;
            Some(Candidate {
                address,
                bm25: f.lexical,
                semantic: f.semantic,
                score: if mode == Mode::Semantic {
                    f.semantic.unwrap_or_default()
                } else {
                    f.fused
                },
                urgent: false,
            })
        })
        .collect())
}

/// How many passages the plan's constraints allow whose similarity reaches `floor` and that
/// are not in `lexical_matches`: what the semantic side adds to a search's total.
pub fn semantic_only_matches(
    snapshot: &Snapshot,
    fields: Fields,
    plan: &Plan,
    nearest: &mut Nearest,
    vectors: &VectorSet,
    floor: f32,
    lexical_matches: &HashSet<DocAddress>,
) -> Result<usize> {
    let allowed = allowed_passages(snapshot, plan)?;
    let mut count = 0;
    for id in vectors.at_least(&nearest.query, floor) {
        let Some(address) = lookup(snapshot, fields, &id, &mut nearest.addresses)? else {
            continue;
        };
        let allowed = allowed.as_ref().is_none_or(|set| set.contains(&address));
        if allowed && !lexical_matches.contains(&address) {
            count += 1;
        }
    }
    Ok(count)
}

/// Every passage the plan's words, phrases and filters match.
pub fn lexical_matches(snapshot: &Snapshot, plan: &Plan) -> Result<HashSet<DocAddress>> {
    let query = plan.to_query();
    snapshot.read(|s| s.search(&*query, &DocSetCollector))
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
