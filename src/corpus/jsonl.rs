//! BEIR-style JSON lines: one `{"_id", "title", "text"}` object per line, so that standard test
//! collections can be indexed. A bad line is skipped and reported with its line number.

use std::io::BufRead;
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

/// Lines read from a JSONL file in one round.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Round {
    /// The lines without their endings; an over-long line is left empty here.
    pub lines: Vec<Vec<u8>>,
    /// `(index in lines, length in bytes)` of each line longer than the limit.
    pub oversized: Vec<(usize, u64)>,
}

/// Reads up to `count` lines, and no more once the lines read hold `max_bytes` bytes (a round
/// has at least one line). A line longer than `max_line` bytes is read through without being
/// kept, so memory stays bounded by the limits whatever the file holds: many short lines or a
/// few huge ones.
pub fn read_round(
    reader: &mut impl BufRead,
    count: usize,
    max_bytes: usize,
    max_line: u64,
) -> std::io::Result<Round> {
    let mut round = Round::default();
    let mut bytes = 0;
    while round.lines.len() < count && (round.lines.is_empty() || bytes < max_bytes) {
        let mut line = Vec::new();
        let read = std::io::Read::take(&mut *reader, max_line + 1).read_until(b'\n', &mut line)?;
        if read == 0 {
            break;
        }
        if line.last() != Some(&b'\n') && line.len() as u64 > max_line {
            let rest = reader.skip_until(b'\n')? as u64;
            round
                .oversized
                .push((round.lines.len(), line.len() as u64 + rest));
            line.clear();
        }
        while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            line.pop();
        }
        bytes += line.len();
        round.lines.push(line);
    }
    Ok(round)
}

pub fn parse(path: &Path, text: &str) -> FileLoad {
    let mut load = FileLoad::default();
    for (index, line) in text.lines().enumerate() {
        parse_line(path, index + 1, line, &mut load);
    }
    load
}

/// Parses raw lines (as read from the file, without their line endings) starting at line
/// `first_line`: how large JSONL files are read piece by piece, never whole. A line that is not
/// UTF-8 or holds a NUL byte is skipped and reported like any bad record.
pub fn parse_lines(path: &Path, first_line: usize, lines: &[Vec<u8>]) -> FileLoad {
    let mut load = FileLoad::default();
    for (offset, bytes) in lines.iter().enumerate() {
        let line_no = first_line + offset;
        match std::str::from_utf8(bytes) {
            Ok(line) if !line.contains('\0') => parse_line(path, line_no, line, &mut load),
            _ => load.skipped.push(Skipped {
                path: path.to_path_buf(),
                line: line_no,
                reason: "not valid UTF-8 text".into(),
            }),
        }
    }
    load
}

fn parse_line(path: &Path, line_no: usize, line: &str, load: &mut FileLoad) {
    // A byte-order mark before the first record is not part of it.
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    if line.trim().is_empty() {
        return;
    }
    // serde reads a struct from an array too: `["a", "b", "c"]` was indexed as a record.
    if !line.trim_start().starts_with('{') {
        load.skipped.push(Skipped {
            path: path.to_path_buf(),
            line: line_no,
            reason: "not a BEIR record: a record is a JSON object, {\"_id\": …, \"text\": …}"
                .into(),
        });
        return;
    }
    match serde_json::from_str::<Record>(line) {
        Ok(record) => {
            let body = super::normalize_space(&record.text);
            if body.is_empty() {
                load.skipped.push(Skipped {
                    path: path.to_path_buf(),
                    line: line_no,
                    reason: "no text to index (its \"text\" is missing or empty)".into(),
                });
                return;
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
            reason: not_a_record(&err),
        }),
    }
}

/// Why a line is not a record, placed by its column: serde says "at line 1 column 78", and the
/// line it means is the file's line, named beside it.
fn not_a_record(err: &serde_json::Error) -> String {
    let message = err.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(what, _)| what);
    format!("not a BEIR record: {message} (column {})", err.column())
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_round_stops_at_its_byte_budget_but_reads_at_least_one_line() {
        let data = format!("{}\n{}\nshort\n", "a".repeat(30), "b".repeat(30));
        let mut reader = data.as_bytes();
        assert_eq!(read_round(&mut reader, 10, 20, 100).unwrap().lines.len(), 1);
        assert_eq!(read_round(&mut reader, 10, 40, 100).unwrap().lines.len(), 2);
    }

    #[test]
    fn a_byte_order_mark_does_not_cost_the_first_record() {
        let load = parse(
            Path::new("c.jsonl"),
            "\u{feff}{\"_id\": \"a\", \"text\": \"First.\"}\n",
        );
        assert_eq!(load.documents.len(), 1, "{:?}", load.skipped);
    }

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

    #[test]
    fn a_line_that_is_not_an_object_is_no_record() {
        // An array was read as a record: "_id" "not", title "an", text "object".
        let text = "[\"not\",\"an\",\"object\"]\n{\"_id\": 5, \"text\"}\n";
        let load = parse(Path::new("c.jsonl"), text);
        assert!(load.documents.is_empty(), "{:?}", load.documents);
        let reasons: Vec<&str> = load.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert!(
            reasons[0].contains("a record is a JSON object"),
            "{reasons:?}"
        );
        // serde's "at line 1" is not the file's line.
        assert!(
            reasons[1].ends_with("(column 18)") && !reasons[1].contains("line 1"),
            "{reasons:?}"
        );
    }

    #[test]
    fn lines_read_in_pieces_keep_their_numbers() {
        let lines = vec![
            b"{\"_id\":\"a\",\"text\":\"x\"}".to_vec(),
            b"caf\xe9".to_vec(),
        ];
        let load = parse_lines(Path::new("c.jsonl"), 41, &lines);
        assert_eq!(load.documents[0].blocks[0].line_start, 41);
        assert_eq!(load.skipped[0].line, 42);
    }

    #[test]
    fn over_long_lines_are_read_through_and_reported_not_kept() {
        let data = format!("short\n{}\nafter\r\n{}", "x".repeat(100), "y".repeat(50));
        let round = read_round(&mut data.as_bytes(), 10, 1 << 20, 20).unwrap();
        assert_eq!(
            round.lines,
            [b"short".to_vec(), Vec::new(), b"after".to_vec(), Vec::new()]
        );
        assert_eq!(round.oversized, [(1, 101), (3, 50)]);
    }

    #[test]
    fn rounds_stop_at_the_count_and_resume() {
        let mut reader = "a\nb\nc\n".as_bytes();
        assert_eq!(
            read_round(&mut reader, 2, 1 << 20, 10).unwrap().lines.len(),
            2
        );
        assert_eq!(
            read_round(&mut reader, 2, 1 << 20, 10).unwrap().lines,
            [b"c".to_vec()]
        );
        assert!(
            read_round(&mut reader, 2, 1 << 20, 10)
                .unwrap()
                .lines
                .is_empty()
        );
    }
}
