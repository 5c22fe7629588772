//! The JSON contract, written from `docs/json.md` and nowhere else: strict structs (unknown
//! fields are errors, every documented field is required) that the tests parse `mbc`'s real
//! output into. They are deliberately not the production types, so renaming, adding or removing
//! a field in the program fails here until the document and these structs agree with it.

// Fields are here to be required by parsing, whether or not a test reads them.
#![allow(dead_code)]

use serde::Deserialize;

/// The schema version `docs/json.md` documents.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchOutput {
    pub schema_version: u32,
    pub mode: String,
    pub query: String,
    pub total_hits: usize,
    pub took_ms: f64,
    pub notice: String,
    pub corrections: Vec<Correction>,
    pub expanded: Vec<Expanded>,
    pub results: Vec<Result>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expanded {
    pub term: String,
    pub kind: String,
    pub from: String,
}

/// One ranked passage; a line of `--format jsonl` is one of these with `notice`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Result {
    pub rank: usize,
    pub score: f32,
    pub scores: Scores,
    pub passage_id: String,
    pub doc_id: String,
    pub title: String,
    pub section: String,
    pub approaches: Vec<String>,
    pub text: String,
    pub source: Source,
    pub references: Vec<String>,
    pub last_reviewed: Option<String>,
    pub snippet: String,
    pub highlights: Vec<[usize; 2]>,
    pub explanation: Option<Vec<Contribution>>,
    pub notice: Option<String>,
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

/// A passage as `show` and `export` give it: a result's passage fields.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Passage {
    pub passage_id: String,
    pub doc_id: String,
    pub title: String,
    pub section: String,
    pub approaches: Vec<String>,
    pub text: String,
    pub source: Source,
    pub references: Vec<String>,
    pub last_reviewed: Option<String>,
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
pub struct ShowOutput {
    pub schema_version: u32,
    pub notice: String,
    pub passage: Passage,
    pub previous: Option<Passage>,
    pub next: Option<Passage>,
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
    pub results: Vec<Result>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportOutput {
    pub schema_version: u32,
    pub notice: String,
    pub query: Option<String>,
    pub passages: Vec<Passage>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatsOutput {
    pub schema_version: u32,
    pub documents: usize,
    pub passages: usize,
    pub approaches: Vec<ApproachCount>,
    pub index_bytes: u64,
    pub built_at: String,
    pub corpus: String,
    pub skipped: Vec<String>,
    pub vectors: Option<Vectors>,
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
    assert!(!examples.is_empty(), "docs/json.md has JSON examples");
    for (heading, json) in examples {
        let version = if heading.contains("--format jsonl") {
            let line: Result =
                serde_json::from_str(&json).unwrap_or_else(|e| panic!("{heading}: {e}\n{json}"));
            assert!(
                line.notice.is_some(),
                "{heading}: a line carries the notice"
            );
            SCHEMA_VERSION
        } else if heading.contains("mbc search") {
            let output: SearchOutput =
                serde_json::from_str(&json).unwrap_or_else(|e| panic!("{heading}: {e}\n{json}"));
            output.schema_version
        } else {
            panic!("docs/json.md: no contract struct for the example under {heading:?}");
        };
        assert_eq!(version, SCHEMA_VERSION, "{heading}");
    }
}
