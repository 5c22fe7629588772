//! JSON wire types. Field names are a public contract (documented in `docs/json.md`): add
//! fields, never rename them, and bump [`SCHEMA_VERSION`] on any incompatible change. These
//! types only serialize; the tests check the output against their own structs, written from
//! the document (`tests/integration/schema.rs`). The types `mbc serve` answers with also
//! describe themselves for its OpenAPI document (`ToSchema`).

use std::sync::Arc;

use serde::Serialize;
use serde_json::value::RawValue;
use utoipa::ToSchema;

use crate::corpus::{Source, review};
use crate::eval::questions::{Expectation, QuestionsReport};
use crate::search::{Hit, PassageInContext, SearchResults, StoredPassage};

/// Version of the JSON output format.
pub const SCHEMA_VERSION: u32 = 2;

/// Shown once with every output that contains passages.
pub const NOTICE: &str = "Educational information, not medical advice. Decisions about treatment belong with your care team.";

/// Said with a search that asks how much of a medicine to take.
pub const DOSE_NOTE: &str = "These texts give no doses: how much of a medicine to take is set by the care team and written on its label, and a pharmacist can explain it. If someone may have taken too much, call emergency services or a poison centre now.";

/// The condition on which a query names an urgent symptom, when it names one only through a
/// suggestion for a word no passage uses (`(typed, suggested)` pairs): "If “fiver” means
/// “fever”, ". Empty when it names one outright.
pub fn if_meant<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .into_iter()
        .map(|(typed, meant)| format!("If “{typed}” means “{meant}”, "))
        .collect()
}

/// What the passages a search counts (`total_hits`) have in common with it, said after the
/// count: "1–10 of 444 matching passages" read as 444 answers, where a passage needs only one
/// word of the query, or a meaning near it, to count.
pub fn counted_as(mode: crate::search::Mode) -> &'static str {
    match mode {
        crate::search::Mode::Lexical => "passages with a word of the search",
        crate::search::Mode::Semantic => "passages close in meaning to the search",
        crate::search::Mode::Hybrid => "passages with a word of the search or close in meaning",
    }
}

/// Said with a search of which only the start was searched.
pub fn query_cut_note() -> String {
    format!(
        "The query is longer than a search takes: only its first {} characters (or {} words) were searched.",
        crate::search::MAX_QUERY_CHARS,
        crate::search::MAX_QUERY_WORDS
    )
}

/// `mbc search --format json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchOutput {
    pub schema_version: u32,
    pub notice: &'static str,
    pub query: String,
    pub searched: String,
    /// `lexical`, `semantic` or `hybrid`: the ranking actually used.
    pub mode: &'static str,
    pub found: bool,
    pub closest: bool,
    pub total_hits: usize,
    pub took_ms: f64,
    pub evidence: EvidenceOut,
    pub corrections: Vec<CorrectionOut>,
    pub absent: Vec<AbsentOut>,
    pub expanded: Vec<ExpandedOut>,
    pub urgent_symptoms: Vec<String>,
    /// When `urgent_symptoms` are named only if a word no passage uses (`from`) means a word
    /// suggested for it (`to`): "fiver 38 on chemo", if "fiver" means "fever". Empty otherwise.
    pub urgent_if_meant: Vec<CorrectionOut>,
    /// The query asks how much of a medicine to take: the texts give no doses, and the text
    /// output and the page say so (`DOSE_NOTE`).
    pub asks_for_dose: bool,
    /// The approaches the search was narrowed to (`approach`), empty for all: `found: false`
    /// then means nothing among their passages.
    pub approach_filter: Vec<String>,
    /// Only the start of the query (its first 10,000 characters) was searched.
    pub query_cut: bool,
    pub passages: Vec<PassageRecord>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EvidenceOut {
    pub coverage: f32,
    pub concepts: usize,
    #[schema(required = true)]
    pub similarity: Option<f32>,
    #[schema(required = true)]
    pub similarity_floor: Option<f32>,
    #[schema(required = true)]
    pub coverage_with_meaning: Option<f32>,
    #[schema(required = true)]
    pub without_absent_words: Option<f32>,
    pub names_another_cancer: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CorrectionOut {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AbsentOut {
    pub word: String,
    pub suggestions: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExpandedOut {
    pub term: String,
    /// `brand`, `abbreviation`, `lay` or `misspelling`.
    pub kind: String,
    pub from: String,
}

/// One passage, ranked or not: the record every command lists passages as.
#[derive(Debug, Serialize, ToSchema)]
pub struct PassageRecord {
    #[schema(minimum = 1)]
    #[schema(required = true)]
    pub rank: Option<usize>,
    #[schema(required = true)]
    pub score: Option<f32>,
    #[schema(required = true)]
    pub scores: Option<ScoresOut>,
    /// Put first by the urgent-symptom rule.
    pub urgent: bool,
    pub passage_id: String,
    pub doc_id: String,
    pub title: String,
    pub section: String,
    pub approaches: Vec<String>,
    pub text: String,
    #[schema(required = true)]
    pub snippet: Option<String>,
    /// Byte ranges `[start, end)` in `text` where the query matched.
    #[schema(value_type = Vec<Vec<usize>>)]
    pub highlights: Vec<[usize; 2]>,
    pub source: SourceOut,
    #[schema(value_type = DocumentOut)]
    pub document: DocumentJson,
    /// The passage's text was reviewed, but more than a year before the day of the answer: it
    /// may no longer be current. (Outside `document`, which does not change from day to day.)
    pub review_overdue: bool,
    /// Present with `--explain`: what each query clause contributed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Vec<ContributionOut>>,
    /// When the query names one side of a status pair and the passage only the other
    /// ("HER2-positive, not HER2-negative"): what the passage is about instead. Such passages
    /// are listed after the rest. `null` otherwise.
    #[schema(required = true)]
    pub contrary: Option<String>,
}

/// A record on a line of its own (`--format jsonl`), where no envelope carries the notice.
#[derive(Debug, Serialize)]
pub struct RecordLine {
    #[serde(flatten)]
    pub record: PassageRecord,
    pub notice: &'static str,
    pub closest: bool,
}

/// The scores behind a rank: BM25 and cosine similarity when the passage was a candidate of
/// that ranking (else `null`), and the fused score.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoresOut {
    #[schema(required = true)]
    pub bm25: Option<f32>,
    #[schema(required = true)]
    pub semantic: Option<f32>,
    pub fused: f32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContributionOut {
    pub clause: String,
    pub score: f32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SourceOut {
    pub path: String,
    pub line_start: u64,
    pub line_end: u64,
}

/// How far the passage's document can be trusted as current, and what it names as sources.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentOut {
    /// `reviewed`, `dated` or `unreviewed`.
    pub status: &'static str,
    #[schema(required = true)]
    pub last_reviewed: Option<String>,
    pub caveats: Vec<String>,
    pub references: Vec<ReferenceOut>,
}

impl DocumentOut {
    pub fn of(p: &StoredPassage) -> Self {
        DocumentOut {
            status: p.standing.name(),
            last_reviewed: p.last_reviewed.clone(),
            caveats: p.caveats.clone(),
            references: p.sources.iter().map(ReferenceOut::from).collect(),
        }
    }
}

/// A passage's [`DocumentOut`], serialized once for each document whose passages the index's
/// cache keeps (see `StoredPassage::document_json`), and written out as it is: the block is
/// most of a search result, and the same for every search that finds a passage of the
/// document.
#[derive(Debug, Clone)]
pub struct DocumentJson(Arc<RawValue>);

impl DocumentJson {
    pub fn of(p: &StoredPassage) -> Self {
        DocumentJson(p.document_json(|p| {
            serde_json::value::to_raw_value(&DocumentOut::of(p))
                .expect("strings, numbers and lists serialize")
                .into()
        }))
    }
}

impl Serialize for DocumentJson {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReferenceOut {
    pub text: String,
    #[schema(required = true)]
    pub organization: Option<String>,
    #[schema(required = true)]
    pub title: Option<String>,
    #[schema(required = true)]
    pub year: Option<i32>,
    #[schema(required = true)]
    pub url: Option<String>,
}

/// `GET /api/suggest`: completions of what is being typed.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestOutput {
    pub schema_version: u32,
    pub query: String,
    pub suggestions: Vec<String>,
}

/// `mbc show --format json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShowOutput {
    pub schema_version: u32,
    pub notice: &'static str,
    pub passages: Vec<PassageRecord>,
    pub neighbours: Neighbours,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Neighbours {
    #[schema(required = true)]
    pub previous: Option<PassageRecord>,
    #[schema(required = true)]
    pub next: Option<PassageRecord>,
}

/// `mbc approaches --format json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApproachesOutput {
    pub schema_version: u32,
    pub notice: &'static str,
    pub approaches: Vec<ApproachOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApproachOut {
    pub id: String,
    pub label: String,
    pub description: String,
    pub passages: Vec<PassageRecord>,
}

/// An approach on a line of its own (`mbc approaches --format jsonl`), with the notice no
/// envelope carries.
#[derive(Debug, Serialize)]
pub struct ApproachLine<'a> {
    #[serde(flatten)]
    pub approach: &'a ApproachOut,
    pub notice: &'static str,
}

/// `mbc export --format json`.
#[derive(Debug, Serialize)]
pub struct ExportOutput {
    pub schema_version: u32,
    pub notice: &'static str,
    pub query: Option<String>,
    pub passages: Vec<PassageRecord>,
}

/// `mbc index --format json`: what the build did, or that the index was up to date.
#[derive(Debug, Serialize)]
pub struct IndexOutput {
    pub schema_version: u32,
    pub notice: &'static str,
    /// The index directory.
    pub index: String,
    /// True when nothing had changed and nothing was built.
    pub up_to_date: bool,
    pub documents: usize,
    pub passages: usize,
    /// The files and JSON lines left out, each with why.
    pub skipped: Vec<String>,
    /// File counts when the build updated the previous index; `None` for a full build.
    pub update: Option<UpdateOut>,
    /// Passage vectors embedded and reused; `None` when the index has none or was up to date.
    pub vectors: Option<VectorsBuilt>,
    pub seconds: f64,
}

impl IndexOutput {
    /// What a build of `index` holds, with nothing said of an update or of vectors; built, not
    /// up to date.
    pub fn new(
        index: &std::path::Path,
        documents: usize,
        passages: usize,
        skipped: Vec<String>,
        seconds: f64,
    ) -> Self {
        IndexOutput {
            schema_version: SCHEMA_VERSION,
            notice: NOTICE,
            index: index.display().to_string(),
            up_to_date: false,
            documents,
            passages,
            skipped,
            update: None,
            vectors: None,
            seconds,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct UpdateOut {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub unchanged: usize,
}

#[derive(Debug, Serialize)]
pub struct VectorsBuilt {
    pub embedded: usize,
    pub reused: usize,
}

/// `mbc check --format json`: an index whose every file matched its checksum (damage is an
/// error, kind `damaged_index`).
#[derive(Debug, Serialize)]
pub struct CheckOutput {
    pub schema_version: u32,
    pub notice: &'static str,
    /// The index directory checked.
    pub index: String,
    /// Always true: an index that is not intact is an error.
    pub intact: bool,
    pub documents: usize,
    pub passages: usize,
    /// Passage vectors, `None` for an index without them.
    pub vectors: Option<usize>,
}

/// `mbc stats --format json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatsOutput {
    pub schema_version: u32,
    pub notice: &'static str,
    pub documents: usize,
    pub passages: usize,
    pub approaches: Vec<ApproachCount>,
    pub index_bytes: u64,
    /// RFC 3339, UTC.
    pub built_at: String,
    /// The corpus directory: its path from `mbc stats`, its name alone from `/api/stats`.
    pub corpus: String,
    pub skipped: Vec<String>,
    /// The passage vectors for semantic search; `null` in an index built without a model.
    #[schema(required = true)]
    pub vectors: Option<VectorsInfo>,
    /// The document reviewed longest ago.
    #[schema(required = true)]
    pub oldest_review: Option<ReviewOut>,
    /// The corpus files with no review date, by path: the oldest review speaks only for the
    /// others.
    pub unreviewed: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VectorsInfo {
    /// The id of the model that made them: directory name and content hash.
    pub model: String,
    pub count: usize,
    pub dimensions: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApproachCount {
    pub id: String,
    pub label: String,
    pub passages: usize,
    pub documents: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewOut {
    pub date: String,
    pub path: String,
}

/// `mbc eval --format json`.
#[derive(Debug, Serialize)]
pub struct EvalOutput {
    pub schema_version: u32,
    pub corpus: String,
    pub queries: usize,
    pub unanswered: usize,
    pub metrics: crate::eval::metrics::Metrics,
    pub per_query: Vec<QueryMetrics>,
}

#[derive(Debug, Serialize)]
pub struct QueryMetrics {
    pub query: String,
    #[serde(flatten)]
    pub metrics: crate::eval::metrics::Metrics,
}

/// `mbc eval --questions FILE --format json`.
#[derive(Debug, Serialize)]
pub struct QuestionsOutput {
    pub schema_version: u32,
    pub questions: String,
    pub answerable: usize,
    pub urgent: usize,
    pub unanswerable: usize,
    pub hit_at_3: f64,
    pub urgent_first: f64,
    pub no_answer_accuracy: f64,
    pub per_question: Vec<QuestionOut>,
}

#[derive(Debug, Serialize)]
pub struct QuestionOut {
    pub text: String,
    pub kind: &'static str,
    pub passed: bool,
    pub found: bool,
    pub answer_rank: Option<usize>,
    pub coverage: f32,
    pub concepts: usize,
    pub similarity: Option<f32>,
    pub coverage_with_meaning: Option<f32>,
    pub without_absent_words: Option<f32>,
    pub names_another_cancer: bool,
    pub urgent_rule: bool,
    pub top: Vec<String>,
}

impl QuestionsOutput {
    pub fn new(path: &std::path::Path, report: &QuestionsReport) -> Self {
        QuestionsOutput {
            schema_version: SCHEMA_VERSION,
            questions: path.display().to_string(),
            answerable: report.count(Expectation::Answerable),
            urgent: report.count(Expectation::Urgent),
            unanswerable: report.count(Expectation::Unanswerable),
            hit_at_3: report.hit_at_3(),
            urgent_first: report.urgent_first(),
            no_answer_accuracy: report.no_answer_accuracy(),
            per_question: report
                .outcomes
                .iter()
                .map(|o| QuestionOut {
                    text: o.question.text.clone(),
                    kind: o.question.kind.name(),
                    passed: o.passed,
                    found: o.found,
                    answer_rank: o.answer_rank,
                    coverage: o.coverage,
                    concepts: o.concepts,
                    similarity: o.similarity,
                    coverage_with_meaning: o.coverage_with_meaning,
                    without_absent_words: o.without_absent_words,
                    names_another_cancer: o.names_another_cancer,
                    urgent_rule: o.urgent_rule,
                    top: o.top.clone(),
                })
                .collect(),
        }
    }
}

/// An error, with `--format json` (on stderr).
#[derive(Debug, Serialize)]
pub struct ErrorOutput {
    pub schema_version: u32,
    pub error: ErrorOut,
}

#[derive(Debug, Serialize)]
pub struct ErrorOut {
    pub kind: &'static str,
    pub message: String,
    pub hint: Option<String>,
    pub exit_code: u8,
}

impl PassageRecord {
    /// A passage outside any ranking.
    pub fn unranked(p: &StoredPassage) -> Self {
        PassageRecord {
            rank: None,
            score: None,
            scores: None,
            urgent: false,
            passage_id: p.passage_id.clone(),
            doc_id: p.doc_id.clone(),
            title: p.title.clone(),
            section: p.section.clone(),
            approaches: p.approaches.clone(),
            text: p.text.clone(),
            snippet: None,
            highlights: Vec::new(),
            source: SourceOut {
                path: p.path.clone(),
                line_start: p.line_start,
                line_end: p.line_end,
            },
            document: DocumentJson::of(p),
            review_overdue: p.review_overdue(&review::today()),
            explanation: None,
            contrary: None,
        }
    }

    /// A ranked search result.
    pub fn ranked(hit: &Hit, explain: bool) -> Self {
        PassageRecord {
            rank: Some(hit.rank),
            urgent: hit.urgent,
            score: Some(hit.score),
            scores: Some(ScoresOut {
                bm25: hit.scores.bm25,
                semantic: hit.scores.semantic,
                fused: hit.scores.fused,
            }),
            snippet: Some(hit.snippet.text.clone()),
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
            contrary: hit.contrary.clone(),
            ..Self::unranked(&hit.passage)
        }
    }
}

impl From<&Source> for ReferenceOut {
    fn from(source: &Source) -> Self {
        match source {
            Source::Citation(text) => ReferenceOut {
                text: text.clone(),
                organization: None,
                title: None,
                year: None,
                url: None,
            },
            Source::Reference(r) => ReferenceOut {
                text: source.text(),
                organization: Some(r.organization.clone()),
                title: Some(r.title.clone()),
                year: Some(r.year),
                url: Some(r.url.clone()),
            },
        }
    }
}

impl SearchOutput {
    pub fn new(results: &SearchResults, explain: bool) -> Self {
        SearchOutput {
            schema_version: SCHEMA_VERSION,
            notice: NOTICE,
            query: results.query.clone(),
            searched: results.searched.clone(),
            mode: results.mode.name(),
            found: results.found,
            closest: results.closest,
            total_hits: results.total_hits,
            took_ms: (results.took.as_secs_f64() * 1e5).round() / 100.0,
            evidence: EvidenceOut {
                coverage: results.evidence.coverage,
                concepts: results.evidence.concepts,
                similarity: results.evidence.similarity,
                similarity_floor: results.evidence.similarity_floor,
                coverage_with_meaning: results.evidence.coverage_with_meaning,
                without_absent_words: results.evidence.without_absent_words,
                names_another_cancer: results.evidence.names_another_cancer,
            },
            corrections: results
                .corrections
                .iter()
                .map(|c| CorrectionOut {
                    from: c.from.clone(),
                    to: c.to.clone(),
                })
                .collect(),
            absent: results
                .absent
                .iter()
                .map(|a| AbsentOut {
                    word: a.word.clone(),
                    suggestions: a.suggestions.clone(),
                })
                .collect(),
            expanded: results
                .expanded
                .iter()
                .map(|e| ExpandedOut {
                    term: e.term.clone(),
                    kind: e.kind.name().to_string(),
                    from: e.from.clone(),
                })
                .collect(),
            urgent_symptoms: results.urgent_symptoms.clone(),
            urgent_if_meant: results
                .urgent_if_meant
                .iter()
                .map(|c| CorrectionOut {
                    from: c.from.clone(),
                    to: c.to.clone(),
                })
                .collect(),
            asks_for_dose: results.asks_for_dose,
            approach_filter: results.approaches.clone(),
            query_cut: results.query_cut,
            passages: results
                .hits
                .iter()
                .map(|h| PassageRecord::ranked(h, explain))
                .collect(),
        }
    }
}

impl ApproachesOutput {
    /// Every approach with its best passages.
    pub fn new(sections: &[(crate::taxonomy::Approach, SearchResults)]) -> Self {
        ApproachesOutput {
            schema_version: SCHEMA_VERSION,
            notice: NOTICE,
            approaches: sections
                .iter()
                .map(|(approach, results)| ApproachOut {
                    id: approach.id.clone(),
                    label: approach.label.clone(),
                    description: approach.description.clone(),
                    passages: results
                        .hits
                        .iter()
                        .map(|h| PassageRecord::ranked(h, false))
                        .collect(),
                })
                .collect(),
        }
    }
}

impl ShowOutput {
    pub fn new(shown: &PassageInContext) -> Self {
        ShowOutput {
            schema_version: SCHEMA_VERSION,
            notice: NOTICE,
            passages: vec![PassageRecord::unranked(&shown.passage)],
            neighbours: Neighbours {
                previous: shown.previous.as_ref().map(PassageRecord::unranked),
                next: shown.next.as_ref().map(PassageRecord::unranked),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Reference, Standing};

    fn passage() -> StoredPassage {
        StoredPassage {
            passage_id: "p1".into(),
            doc_id: "bone.md".into(),
            title: "Bone metastases".into(),
            section: "Treatment".into(),
            text: "Bone-strengthening drugs lower the risk of fractures.".into(),
            approaches: vec!["bone-directed".into()],
            path: "corpus/bone.md".into(),
            line_start: 3,
            line_end: 4,
            ordinal: 0,
            sources: vec![
                Source::Reference(Reference {
                    organization: "National Cancer Institute".into(),
                    title: "Bone metastases".into(),
                    year: 2026,
                    url: "https://www.cancer.gov/".into(),
                }),
                Source::Citation("A \"quoted\" citation.".into()),
            ],
            last_reviewed: Some("2026-11-30".into()),
            standing: Standing::Reviewed,
            caveats: vec!["A caveat.".into()],
            first_only_when_asked: Vec::new(),
            keep_out_of_first: 0,
            analyzed: Default::default(),
            document_json: Default::default(),
        }
    }

    #[test]
    fn a_records_document_block_is_the_document_serialized() {
        let p = passage();
        let record = PassageRecord::unranked(&p);
        assert_eq!(
            serde_json::to_value(&record.document).unwrap(),
            serde_json::to_value(DocumentOut::of(&p)).unwrap()
        );
    }
}
