//! Search: a query → ranked, highlighted passages. It never prints; `output` renders what it
//! returns.
//!
//! A search runs in steps, each in its own file: `interpret` turns the query into a [`Plan`]
//! (typo correction, synonyms, feedback), `rerank` finds the lexical candidates, `hybrid`
//! fuses them with the nearest passage vectors, and this file loads, highlights and orders the
//! winners. Every read of the index goes through an [`Snapshot`], so damaged files are
//! reported as such.

mod explain;
mod feedback;
mod fusion;
mod highlight;
mod hybrid;
mod interpret;
mod passages;
mod plan;
mod rerank;
mod results;
mod typo;

use std::collections::HashMap;
use std::time::Instant;

use rayon::prelude::*;

pub use fusion::{Fusion, RRF_K};
use highlight::Highlighter;
pub use highlight::{Snippet, highlight_ranges, make_snippet};
pub use interpret::MAX_QUERY_CHARS;
pub use passages::{
    PassageInContext, StoredPassage, all_passages, count_tagged, documents_tagged, load_passage,
    passage_in_context,
};
pub use plan::{
    BODY_WEIGHT, EXPANSION_WEIGHT, PROXIMITY_SLOP, PROXIMITY_WEIGHT, SECTION_WEIGHT, TITLE_WEIGHT,
};
pub use results::{
    Contribution, Correction, ExpandedTerm, Hit, Mode, Scores, SearchRequest, SearchResults,
};

use crate::index::{SearchIndex, Snapshot};
use crate::{Error, Result};
use hybrid::Candidate;
use interpret::plan_query;
use plan::Plan;

/// Candidates each ranking contributes to a hybrid search.
const SEMANTIC_CANDIDATES: usize = 100;

/// Lists longer than this are loaded and highlighted in parallel.
const PARALLEL_HITS: usize = 64;

/// Runs a search.
pub fn search(index: &SearchIndex, request: &SearchRequest) -> Result<SearchResults> {
    let started = Instant::now();
    let snapshot = index.snapshot();
    let planned = plan_query(index, &snapshot, request)?;
    let mode = effective_mode(index, request.mode);
    let depth = if mode == Mode::Lexical {
        request.limit.max(1) + 10
    } else {
        SEMANTIC_CANDIDATES.max(request.limit + 10)
    };
    let (candidates, lexical_hits) =
        candidates(index, &snapshot, &planned.plan, request, mode, depth)?;
    let total_hits = if mode == Mode::Lexical {
        lexical_hits
    } else {
        candidates.len()
    };
    let wanted: Vec<Candidate> = candidates.into_iter().take(request.limit + 10).collect();
    let highlighter = Highlighter::new(&planned.plan.highlight_terms);
    let materialize = |candidate: &Candidate| {
        hit(
            index,
            &snapshot,
            &planned.plan,
            &highlighter,
            request,
            candidate,
        )
    };
    // Loading and highlighting a thousand passages costs more than finding them: share it
    // between the cores. A short list is not worth waking the thread pool for.
    let mut hits = if wanted.len() > PARALLEL_HITS {
        wanted
            .par_iter()
            .map(materialize)
            .collect::<Result<Vec<Hit>>>()?
    } else {
        wanted
            .iter()
            .map(materialize)
            .collect::<Result<Vec<Hit>>>()?
    };
    sort_hits(&mut hits);
    hits.truncate(request.limit);
    Ok(SearchResults {
        mode,
        query: request.query.clone(),
        total_hits,
        took: started.elapsed(),
        hits,
        expanded: planned.expanded,
        corrections: planned.corrections,
    })
}

/// A candidate made into a result: its stored passage, highlights, snippet and explanation.
fn hit(
    index: &SearchIndex,
    snapshot: &Snapshot,
    plan: &Plan,
    highlighter: &Highlighter,
    request: &SearchRequest,
    candidate: &Candidate,
) -> Result<Hit> {
    let passage = load_passage(snapshot, index.fields, candidate.address)?;
    let highlights = highlighter.ranges(&passage.text);
    let snippet = make_snippet(&passage.text, &highlights);
    let mut contributions = if request.explain {
        let clauses = plan.scoring.iter().chain(&plan.proximity);
        explain::explain(clauses, snapshot, candidate.address)?
    } else {
        Vec::new()
    };
    if let (true, Some(similarity)) = (request.explain, candidate.semantic) {
        contributions.push(Contribution {
            clause: "semantic similarity (cosine)".into(),
            score: similarity,
        });
    }
    Ok(Hit {
        rank: 0,
        score: candidate.score,
        scores: Scores {
            bm25: candidate.bm25,
            semantic: candidate.semantic,
        },
        passage,
        highlights,
        snippet,
        contributions,
    })
}

/// The mode a request gets: semantic modes need vectors and a model that made them.
fn effective_mode(index: &SearchIndex, requested: Mode) -> Mode {
    if requested != Mode::Lexical && index.semantic().is_some() {
        requested
    } else {
        Mode::Lexical
    }
}

/// The ranked candidates (best first) and the number of lexical matches.
fn candidates(
    index: &SearchIndex,
    snapshot: &Snapshot,
    plan: &Plan,
    request: &SearchRequest,
    mode: Mode,
    depth: usize,
) -> Result<(Vec<Candidate>, usize)> {
    let (top, lexical_hits) = if mode == Mode::Semantic {
        (Vec::new(), 0)
    } else {
        rerank::top_passages(snapshot, plan, depth)?
    };
    let Some((embedder, vectors)) = index.semantic().filter(|_| mode != Mode::Lexical) else {
        let lexical = top
            .into_iter()
            .map(|(score, address)| Candidate {
                address,
                bm25: Some(score),
                semantic: None,
                score,
            })
            .collect();
        return Ok((lexical, lexical_hits));
    };
    let side = hybrid::SemanticSide {
        embedder,
        vectors,
        fusion: request.fusion,
        mode,
        depth,
    };
    let mut ranked = hybrid::rank(snapshot, index.fields, plan, &request.query, top, &side)?;
    if mode == Mode::Semantic {
        for candidate in &mut ranked {
            candidate.score = candidate.semantic.unwrap_or_default();
        }
    }
    Ok((ranked, lexical_hits))
}

/// Documents scored by their best passage among the top `depth`, for evaluation against
/// document-level judgements: `(doc_id, score)` pairs, in no particular order.
pub fn documents_by_best_passage(
    index: &SearchIndex,
    request: &SearchRequest,
    depth: usize,
) -> Result<Vec<(String, f32)>> {
    let snapshot = index.snapshot();
    let planned = match plan_query(index, &snapshot, request) {
        Ok(planned) => planned,
        Err(Error::Query(_)) => return Ok(Vec::new()),
        Err(err) => return Err(err),
    };
    let mode = effective_mode(index, request.mode);
    let (ranked, _) = candidates(index, &snapshot, &planned.plan, request, mode, depth)?;
    let mut best: HashMap<String, f32> = HashMap::new();
    for candidate in ranked {
        let doc_id = snapshot
            .read(|s| index.fields.doc_id_of(s, candidate.address))?
            .unwrap_or_default();
        let entry = best.entry(doc_id).or_insert(f32::MIN);
        *entry = entry.max(candidate.score);
    }
    Ok(best.into_iter().collect())
}

/// Score descending, then passage id: the same query always gives the same order.
fn sort_hits(hits: &mut [Hit]) {
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.passage.passage_id.cmp(&b.passage.passage_id))
    });
    for (i, hit) in hits.iter_mut().enumerate() {
        hit.rank = i + 1;
    }
}

/// The search that finds the passages most about an approach: its own terms, among the
/// passages tagged with it.
pub fn approach_request(
    index: &SearchIndex,
    approach_id: &str,
    limit: usize,
) -> Result<SearchRequest> {
    let approach = index
        .taxonomy
        .get(approach_id)
        .ok_or_else(|| Error::UnknownApproach {
            id: approach_id.to_string(),
            known: index
                .taxonomy
                .approaches()
                .iter()
                .map(|a| a.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    Ok(SearchRequest {
        query: format!("{} {}", approach.label, approach.terms.join(" ")),
        limit,
        approaches: vec![approach.id.clone()],
        exact: true,
        explain: false,
        feedback: false,
        mode: Mode::Lexical,
        fusion: Fusion::default(),
    })
}
