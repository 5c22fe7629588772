//! The JSON contract, written from `docs/json.md` and nowhere else: strict structs (unknown
//! fields are errors, every documented field is required) that the tests parse `mbc`'s real
//! output into. They are deliberately not the production types, so renaming, adding or removing
//! a field in the program fails here until the document and these structs agree with it.

// Fields are here to be required by parsing, whether or not a test reads them.
#![allow(dead_code)]

use serde::Deserialize;

/// The schema version `docs/json.md` documents.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchOutput {
    pub schema_version: u32,
    pub notice: String,
    pub query: String,
    pub searched: String,
    pub mode: String,
    pub found: bool,
    pub closest: bool,
    pub total_hits: usize,
    pub took_ms: f64,
    pub evidence: Evidence,
    pub corrections: Vec<Correction>,
    pub absent: Vec<Absent>,
    pub expanded: Vec<Expanded>,
    pub urgent_symptoms: Vec<String>,
    pub urgent_if_meant: Vec<Correction>,
    pub asks_for_dose: bool,
    pub approach_filter: Vec<String>,
    pub query_cut: bool,
    pub passages: Vec<Record>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    pub coverage: f32,
    pub concepts: usize,
    pub similarity: Option<f32>,
    pub similarity_floor: Option<f32>,
    pub coverage_with_meaning: Option<f32>,
    pub without_absent_words: Option<f32>,
    pub names_another_cancer: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Absent {
    pub word: String,
    pub suggestions: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expanded {
    pub term: String,
    pub kind: String,
    pub from: String,
}

/// The passage record, the same in every command.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub rank: Option<usize>,
    pub score: Option<f32>,
    pub scores: Option<Scores>,
    pub urgent: bool,
    pub passage_id: String,
    pub doc_id: String,
    pub title: String,
    pub section: String,
    pub approaches: Vec<String>,
    pub text: String,
    pub snippet: Option<String>,
    pub highlights: Vec<[usize; 2]>,
    pub source: Source,
    pub document: Document,
    pub review_overdue: bool,
    pub explanation: Option<Vec<Contribution>>,
    pub contrary: Option<String>,
}

/// A line of `--format jsonl`: a record with `notice` and `closest`. (`flatten` cannot be
/// combined with `deny_unknown_fields`, so the fields are spelt out again.)
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordLine {
    pub rank: Option<usize>,
    pub score: Option<f32>,
    pub scores: Option<Scores>,
    pub urgent: bool,
    pub passage_id: String,
    pub doc_id: String,
    pub title: String,
    pub section: String,
    pub approaches: Vec<String>,
    pub text: String,
    pub snippet: Option<String>,
    pub highlights: Vec<[usize; 2]>,
    pub source: Source,
    pub document: Document,
    pub review_overdue: bool,
    pub explanation: Option<Vec<Contribution>>,
    pub contrary: Option<String>,
    pub notice: String,
    pub closest: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scores {
    pub bm25: Option<f32>,
    pub semantic: Option<f32>,
    pub fused: f32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contribution {
    pub clause: String,
    pub score: f32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub path: String,
    pub line_start: u64,
    pub line_end: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub status: String,
    pub last_reviewed: Option<String>,
    pub caveats: Vec<String>,
    pub references: Vec<Reference>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub text: String,
    pub organization: Option<String>,
    pub title: Option<String>,
    pub year: Option<i32>,
    pub url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShowOutput {
    pub schema_version: u32,
    pub notice: String,
    pub passages: Vec<Record>,
    pub neighbours: Neighbours,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Neighbours {
    pub previous: Option<Record>,
    pub next: Option<Record>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApproachesOutput {
    pub schema_version: u32,
    pub notice: String,
    pub approaches: Vec<Approach>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approach {
    pub id: String,
    pub label: String,
    pub description: String,
    pub passages: Vec<Record>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportOutput {
    pub schema_version: u32,
    pub notice: String,
    pub query: Option<String>,
    pub passages: Vec<Record>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatsOutput {
    pub schema_version: u32,
    pub notice: String,
    pub documents: usize,
    pub passages: usize,
    pub approaches: Vec<ApproachCount>,
    pub index_bytes: u64,
    pub built_at: String,
    pub corpus: String,
    pub skipped: Vec<String>,
    pub vectors: Option<Vectors>,
    pub oldest_review: Option<Review>,
    pub unreviewed: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApproachCount {
    pub id: String,
    pub label: String,
    pub passages: usize,
    pub documents: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vectors {
    pub model: String,
    pub count: usize,
    pub dimensions: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub date: String,
    pub path: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionsOutput {
    pub schema_version: u32,
    pub questions: String,
    pub answerable: usize,
    pub urgent: usize,
    pub unanswerable: usize,
    pub hit_at_3: f64,
    pub urgent_first: f64,
    pub no_answer_accuracy: f64,
    pub per_question: Vec<QuestionOutcome>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionOutcome {
    pub text: String,
    pub kind: String,
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorOutput {
    pub schema_version: u32,
    pub error: ErrorBody,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    pub kind: String,
    pub message: String,
    pub hint: Option<String>,
    pub exit_code: u8,
}

/// The JSON examples of `docs/json.md`, each after the heading it stands under.
fn documented_examples() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json.md"))
        .expect("docs/json.md");
    let mut examples = Vec::new();
    let mut heading = String::new();
    let mut block: Option<String> = None;
    for line in text.lines() {
        match (&mut block, line.trim_end()) {
            (None, l) if l.starts_with("## ") => heading = l.to_string(),
            (None, "```json") => block = Some(String::new()),
            (Some(json), "```") => {
                examples.push((heading.clone(), std::mem::take(json)));
                block = None;
            }
            (Some(json), l) => {
                json.push_str(l);
                json.push('\n');
            }
            _ => {}
        }
    }
    examples
}

#[test]
fn every_example_in_the_json_document_parses_into_the_contract() {
    let examples = documented_examples();
    assert!(examples.len() >= 2, "docs/json.md has JSON examples");
    for (heading, json) in examples {
        let fail = |e: serde_json::Error| -> ! { panic!("{heading}: {e}\n{json}") };
        let version = if heading.contains("mbc search") {
            let output: SearchOutput = serde_json::from_str(&json).unwrap_or_else(|e| fail(e));
            output.schema_version
        } else if heading.contains("Errors") {
            let output: ErrorOutput = serde_json::from_str(&json).unwrap_or_else(|e| fail(e));
            output.schema_version
        } else {
            panic!("docs/json.md: no contract struct for the example under {heading:?}");
        };
        assert_eq!(version, SCHEMA_VERSION, "{heading}");
    }
}
