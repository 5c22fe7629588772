//! JSON wire types. Field names are a public contract (documented in `docs/json.md`): add
//! fields, never rename them, and bump [`SCHEMA_VERSION`] on any incompatible change. These
//! types only serialize; the tests check the output against their own structs, written from
//! the document (`tests/integration/schema.rs`).

use serde::Serialize;

use crate::search::{Hit, SearchResults, StoredPassage};

/// Version of the JSON output format.
pub const SCHEMA_VERSION: u32 = 1;

/// Shown once with every output that contains passages.
pub const NOTICE: &str = "Educational information, not medical advice. Decisions about treatment belong with your care team.";

/// `mbc search --format json`.
#[derive(Debug, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SearchOutput {
    pub schema_version: u32,
    /// `lexical`, `semantic` or `hybrid`: the ranking actually used.
    pub mode: String,
    pub query: String,
    pub total_hits: usize,
    pub took_ms: f64,
    pub notice: String,
    /// Query words replaced by typo correction.
    pub corrections: Vec<CorrectionOut>,
    /// Terms also searched because of the synonym lexicon.
    pub expanded: Vec<ExpandedOut>,
    pub results: Vec<ResultOut>,
}

#[derive(Debug, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectionOut {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExpandedOut {
    pub term: String,
    /// `brand`, `abbreviation`, `lay` or `misspelling`.
    pub kind: String,
    pub from: String,
}

/// One ranked passage (also one line of `--format jsonl`).
#[derive(Debug, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ResultOut {
    pub rank: usize,
    pub score: f32,
    pub scores: ScoresOut,
    #[serde(flatten)]
    pub passage: PassageOut,
    pub snippet: String,
    /// Byte ranges `[start, end)` in `text` where the query matched.
    pub highlights: Vec<[usize; 2]>,
    /// Present with `--explain`: what each query clause contributed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Vec<ContributionOut>>,
    /// Present on JSON lines output only, where there is no envelope to carry it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}

/// The scores behind a rank: BM25 and cosine similarity when the passage was a candidate of
/// that ranking (else `null`), and the score results are ordered by.
#[derive(Debug, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScoresOut {
    pub bm25: Option<f32>,
    pub semantic: Option<f32>,
    pub fused: f32,
}

#[derive(Debug, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ContributionOut {
    pub clause: String,
    pub score: f32,
}

/// A passage and where it comes from.
#[derive(Debug, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PassageOut {
    pub passage_id: String,
    pub doc_id: String,
    pub title: String,
    pub section: String,
    pub approaches: Vec<String>,
    pub text: String,
    pub source: SourceOut,
    /// The references the document names for its facts.
    pub references: Vec<String>,
    pub last_reviewed: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceOut {
    pub path: String,
    pub line_start: u64,
    pub line_end: u64,
}

/// `mbc show --format json`.
#[derive(Debug, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ShowOutput {
    pub schema_version: u32,
    pub notice: String,
    pub passage: PassageOut,
    pub previous: Option<PassageOut>,
    pub next: Option<PassageOut>,
}

/// `mbc approaches --format json`.
#[derive(Debug, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ApproachesOutput {
    pub schema_version: u32,
    pub notice: String,
    pub approaches: Vec<ApproachOut>,
}

#[derive(Debug, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ApproachOut {
    pub id: String,
    pub label: String,
    pub description: String,
    pub results: Vec<ResultOut>,
}

/// `mbc export --format json`.
#[derive(Debug, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExportOutput {
    pub schema_version: u32,
    pub notice: String,
    pub query: Option<String>,
    pub passages: Vec<PassageOut>,
}

/// `mbc stats --format json`.
#[derive(Debug, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StatsOutput {
    pub schema_version: u32,
    pub documents: usize,
    pub passages: usize,
    pub approaches: Vec<ApproachCount>,
    pub index_bytes: u64,
    /// RFC 3339, UTC.
    pub built_at: String,
    pub corpus: String,
    pub skipped: Vec<String>,
    /// The passage vectors for semantic search; `null` in an index built without a model.
    pub vectors: Option<VectorsInfo>,
}

#[derive(Debug, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VectorsInfo {
    /// The id of the model that made them: directory name and content hash.
    pub model: String,
    pub count: usize,
    pub dimensions: usize,
}

#[derive(Debug, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ApproachCount {
    pub id: String,
    pub label: String,
    pub passages: usize,
    pub documents: usize,
}

impl From<&StoredPassage> for PassageOut {
    fn from(p: &StoredPassage) -> Self {
        PassageOut {
            passage_id: p.passage_id.clone(),
            doc_id: p.doc_id.clone(),
            title: p.title.clone(),
            section: p.section.clone(),
            approaches: p.approaches.clone(),
            text: p.text.clone(),
            source: SourceOut {
                path: p.path.clone(),
                line_start: p.line_start,
                line_end: p.line_end,
            },
            references: p.sources.clone(),
            last_reviewed: p.last_reviewed.clone(),
        }
    }
}

impl ResultOut {
    pub fn from_hit(hit: &Hit, explain: bool) -> Self {
        ResultOut {
            rank: hit.rank,
            score: hit.score,
            scores: ScoresOut {
                bm25: hit.scores.bm25,
                semantic: hit.scores.semantic,
                fused: hit.score,
            },
            passage: PassageOut::from(&hit.passage),
            snippet: hit.snippet.text.clone(),
            highlights: hit.highlights.iter().map(|r| [r.start, r.end]).collect(),
            explanation: explain.then(|| {
                hit.contributions
                    .iter()
                    .map(|c| ContributionOut {
                        clause: c.clause.clone(),
                        score: c.score,
                    })
                    .collect()
            }),
            notice: None,
        }
    }
}

impl SearchOutput {
    pub fn new(results: &SearchResults, explain: bool) -> Self {
        SearchOutput {
            schema_version: SCHEMA_VERSION,
            mode: results.mode.name().to_string(),
            query: results.query.clone(),
            total_hits: results.total_hits,
            took_ms: (results.took.as_secs_f64() * 1e5).round() / 100.0,
            notice: NOTICE.to_string(),
            corrections: results
                .corrections
                .iter()
                .map(|c| CorrectionOut {
                    from: c.from.clone(),
                    to: c.to.clone(),
                })
                .collect(),
            expanded: results
                .expanded
                .iter()
                .map(|e| ExpandedOut {
                    term: e.term.clone(),
                    kind: serde_json::to_value(e.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(String::from))
                        .unwrap_or_default(),
                    from: e.from.clone(),
                })
                .collect(),
            results: results
                .hits
                .iter()
                .map(|h| ResultOut::from_hit(h, explain))
                .collect(),
        }
    }
}

/// `mbc eval --format json`.
#[derive(Debug, Serialize)]
pub struct EvalOutput {
    pub schema_version: u32,
    pub corpus: String,
    pub queries: usize,
    pub metrics: crate::eval::metrics::Metrics,
    pub per_query: Vec<QueryMetrics>,
}

#[derive(Debug, Serialize)]
pub struct QueryMetrics {
    pub query: String,
    #[serde(flatten)]
    pub metrics: crate::eval::metrics::Metrics,
}
