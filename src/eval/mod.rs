//! `mbc eval`: ranking quality on a BEIR-style test collection (corpus.jsonl, queries.jsonl,
//! qrels TSV). Passage hits are folded into document scores (best passage), and the four
//! standard metrics are computed per query and averaged.

pub mod metrics;
pub mod questions;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;

use crate::index::SearchIndex;
use crate::search::{SearchRequest, documents_by_best_passage};
use crate::{Error, Result};
use metrics::{Judgements, Metrics, trec_order};

/// Documents kept per query: MAP is computed at 1000.
pub const RUN_DEPTH: usize = 1000;
/// Passages fetched per query before folding into documents; several passages of one document
/// can rank high, so fetch more than the documents needed.
const PASSAGE_DEPTH: usize = 3 * RUN_DEPTH;

/// One query of the collection.
#[derive(Debug, Clone, Deserialize)]
pub struct EvalQuery {
    #[serde(rename = "_id")]
    pub id: String,
    pub text: String,
}

/// The results of an evaluation.
#[derive(Debug, Clone)]
pub struct EvalReport {
    /// Queries that have at least one judged relevant document (others are skipped, as
    /// trec_eval does).
    pub queries: usize,
    /// Judged queries for which the search found nothing about the query (each is still
    /// ranked in full for the metrics).
    pub unanswered: usize,
    pub mean: Metrics,
    pub per_query: Vec<(String, Metrics)>,
    /// Ranked documents per query, for a TREC run file.
    pub runs: Vec<(String, Vec<(String, f32)>)>,
}

/// Reads `queries.jsonl`.
pub fn load_queries(path: &Path) -> Result<Vec<EvalQuery>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line).map_err(|e| Error::Corpus {
                path: path.to_path_buf(),
                line: i + 1,
                message: format!("not a query record: {e}"),
            })
        })
        .collect()
}

/// Reads a qrels TSV (`query-id corpus-id score`, header optional).
pub fn load_qrels(path: &Path) -> Result<HashMap<String, Judgements>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut qrels: HashMap<String, Judgements> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        match fields.as_slice() {
            [] => {}
            ["query-id", ..] if i == 0 => {}
            [query, doc, grade] => {
                let grade: i64 = grade.parse().map_err(|_| qrels_error(path, i + 1, line))?;
                qrels
                    .entry(query.to_string())
                    .or_default()
                    .insert(doc.to_string(), grade.max(0) as u32);
            }
            _ => return Err(qrels_error(path, i + 1, line)),
        }
    }
    Ok(qrels)
}

fn qrels_error(path: &Path, line: usize, text: &str) -> Error {
    Error::Corpus {
        path: path.to_path_buf(),
        line,
        message: format!("expected `query-id corpus-id score`, found `{text}`"),
    }
}

/// One query's ranked documents, and whether the search found anything about it.
struct QueryRun {
    id: String,
    documents: Vec<(String, f32)>,
    found: bool,
}

/// Runs every judged query (in parallel) and scores the rankings.
pub fn evaluate(
    index: &SearchIndex,
    queries: &[EvalQuery],
    qrels: &HashMap<String, Judgements>,
    template: &SearchRequest,
) -> Result<EvalReport> {
    let judged: Vec<&EvalQuery> = queries
        .iter()
        .filter(|q| qrels.get(&q.id).is_some_and(|j| j.values().any(|&g| g > 0)))
        .collect();
    let ranked: Vec<QueryRun> = judged
        .par_iter()
        .map(|query| {
            let request = SearchRequest {
                query: query.text.clone(),
                ..template.clone()
            };
            let (documents, found) = documents_by_best_passage(index, &request, PASSAGE_DEPTH)?;
            let mut ranked = trec_order(documents);
            ranked.truncate(RUN_DEPTH);
            Ok(QueryRun {
                id: query.id.clone(),
                documents: ranked,
                found,
            })
        })
        .collect::<Result<_>>()?;
    let unanswered = ranked.iter().filter(|run| !run.found).count();
    let runs: Vec<(String, Vec<(String, f32)>)> = ranked
        .into_iter()
        .map(|run| (run.id, run.documents))
        .collect();
    let per_query: Vec<(String, Metrics)> = runs
        .iter()
        .map(|(id, ranked)| {
            let ids: Vec<String> = ranked.iter().map(|(d, _)| d.clone()).collect();
            (id.clone(), Metrics::of(&ids, &qrels[id]))
        })
        .collect();
    let mean = Metrics::mean(&per_query.iter().map(|(_, m)| *m).collect::<Vec<_>>());
    Ok(EvalReport {
        queries: per_query.len(),
        unanswered,
        mean,
        per_query,
        runs,
    })
}

/// Writes a TREC run: `qid Q0 docid rank score mbc`.
pub fn write_run(out: &mut dyn Write, report: &EvalReport) -> std::io::Result<()> {
    for (query, ranked) in &report.runs {
        for (rank, (doc, score)) in ranked.iter().enumerate() {
            writeln!(out, "{query} Q0 {doc} {} {score:.6} mbc", rank + 1)?;
        }
    }
    Ok(())
}

/// Where the index of an evaluation corpus lives: keyed by the corpus file's content, so a
/// collection is indexed once and reused until it changes.
pub fn cached_index_dir(corpus: &Path) -> Result<PathBuf> {
    let mut file = std::fs::File::open(corpus).map_err(|e| Error::io(corpus, e))?;
    let mut hasher = blake3::Hasher::new();
    std::io::copy(&mut file, &mut hasher).map_err(|e| Error::io(corpus, e))?;
    let key = &hasher.finalize().to_hex()[..16];
    Ok(std::env::temp_dir().join(format!("mbc-eval-{key}")))
}
