//! BEIR-style JSON lines: one `{"_id", "title", "text"}` object per line, so that standard test
//! collections can be indexed. A bad line is skipped and reported with its line number.

use std::path::Path;

use serde::Deserialize;

use super::{Block, Document, DocumentMeta, FileLoad, Skipped};

#[derive(Deserialize)]
struct Record {
    #[serde(rename = "_id")]
    id: IdValue,
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
}

/// BEIR ids are strings, but some collections write them as numbers.
#[derive(Deserialize)]
#[serde(untagged)]
enum IdValue {
    Text(String),
    Number(serde_json::Number),
}

impl IdValue {
    fn into_string(self) -> String {
        match self {
            IdValue::Text(s) => s,
            IdValue::Number(n) => n.to_string(),
        }
    }
}

pub fn parse(path: &Path, text: &str) -> FileLoad {
    let mut load = FileLoad::default();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let line_no = index + 1;
        match serde_json::from_str::<Record>(line) {
            Ok(record) => {
                let body = super::normalize_space(&record.text);
                if body.is_empty() {
                    continue;
                }
                load.documents.push(Document {
                    id: record.id.into_string(),
                    title: super::normalize_space(&record.title),
                    path: path.to_path_buf(),
                    meta: DocumentMeta::default(),
                    blocks: vec![Block {
                        heading_path: Vec::new(),
                        text: body,
                        line_start: line_no,
                        line_breaks: Vec::new(),
                    }],
                });
            }
            Err(err) => load.skipped.push(Skipped {
                path: path.to_path_buf(),
                line: line_no,
                reason: format!("not a BEIR record: {err}"),
            }),
        }
    }
    load
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_records_and_reports_bad_lines() {
        let text = "{\"_id\":\"d1\",\"title\":\"T\",\"text\":\"Body one.\"}\nnot json\n{\"_id\":7,\"text\":\"Body two.\"}\n";
        let load = parse(Path::new("c.jsonl"), text);
        assert_eq!(load.documents.len(), 2);
        assert_eq!(load.documents[1].id, "7");
        assert_eq!(load.documents[1].blocks[0].line_start, 3);
        assert_eq!(load.skipped.len(), 1);
        assert_eq!(load.skipped[0].line, 2);
    }
}
