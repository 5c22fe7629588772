//! Markdown documents with an optional TOML front-matter block between `+++` lines, holding
//! the metadata fields of [`super::meta`] (`title` required):
//!
//! ```text
//! +++
//! title = "Chemotherapy for metastatic breast cancer"
//! last_reviewed = 2026-11-27
//! +++
//! ```
//!
//! Headings (`#`, `##`, …) form the section path; paragraphs and list items become blocks.
//! Without front matter the first `#` heading is the title.

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::meta::MetadataFields;
use super::{
    Block, Document, DocumentMeta, block_from_lines, normalize_space, title_from_file_name,
};
use crate::{Error, Result};

const FENCE: &str = "+++";

/// Parses a Markdown file; malformed front matter is an error naming the file and line.
pub fn parse(path: &Path, id: &str, text: &str) -> Result<Document> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (front, body, body_line) = split_front_matter(path, text)?;
    let front = front
        .map(|(toml_text, first_line)| parse_front_matter(path, toml_text, first_line))
        .transpose()?;
    let given_title = front
        .as_ref()
        .and_then(|front| front.title.as_deref())
        .map(normalize_space);
    let (blocks, first_h1) = parse_body(body, body_line, given_title.as_deref());
    let (title, meta) = match front {
        Some(mut front) => {
            let title = front.title.take().unwrap_or_default();
            if title.trim().is_empty() {
                return Err(corpus_error(
                    path,
                    2,
                    "front matter: `title` is missing or empty",
                ));
            }
            (normalize_space(&title), front.into_meta())
        }
        None => (
            first_h1.unwrap_or_else(|| title_from_file_name(path)),
            DocumentMeta::default(),
        ),
    };
    Ok(Document {
        id: id.to_string(),
        title,
        path: path.to_path_buf(),
        meta,
        blocks,
    })
}

/// The error for front matter that does not begin on the first line: a `+++` line after
/// blank lines at the start. Read as text, its title, review date and sources were lost, and the
/// passage showed them as body text.
fn late_fence(path: &Path, text: &str) -> Option<Error> {
    let (index, line) = text
        .lines()
        .enumerate()
        .find(|(_, line)| !line.trim().is_empty())?;
    (index > 0 && line.trim() == FENCE).then(|| {
        corpus_error(
            path,
            index + 1,
            "front matter must begin on the first line: remove the blank lines before this +++",
        )
    })
}

/// Returns the front matter's TOML text and its first line, the body, and the body's first line.
#[allow(clippy::type_complexity)]
fn split_front_matter<'a>(
    path: &Path,
    text: &'a str,
) -> Result<(Option<(&'a str, usize)>, &'a str, usize)> {
    let first_line = text.lines().next().unwrap_or("");
    if first_line.trim_end() == "---" {
        return Err(corpus_error(
            path,
            1,
            "YAML front matter (---) is not supported: write TOML between +++ lines",
        ));
    }
    if first_line.trim_end() != FENCE {
        return late_fence(path, text).map_or(Ok((None, text, 1)), Err);
    }
    let after_open =
        first_line.len() + usize::from(text[first_line.len()..].starts_with("\r\n")) + 1;
    let after_open = after_open.min(text.len());
    let mut offset = after_open;
    for (index, line) in text[after_open..].split_inclusive('\n').enumerate() {
        if line.trim_end() == FENCE {
            let body_start = offset + line.len();
            return Ok((
                Some((&text[after_open..offset], 2)),
                &text[body_start..],
                index + 3,
            ));
        }
        offset += line.len();
    }
    Err(corpus_error(
        path,
        1,
        "front matter opened with +++ is never closed",
    ))
}

fn parse_front_matter(path: &Path, toml_text: &str, first_line: usize) -> Result<MetadataFields> {
    MetadataFields::parse(path, toml_text, first_line)
}

fn corpus_error(path: &Path, line: usize, message: &str) -> Error {
    Error::Corpus {
        path: path.to_path_buf(),
        line,
        message: message.to_string(),
    }
}

/// Collects text events of the block being read.
struct OpenBlock {
    line_start: usize,
    lines: Vec<String>,
}

/// Walks the Markdown events; returns the blocks and the first level-1 heading. Without a
/// `given_title` (front matter's), that heading is the title; with one, it is a section
/// heading like any other, unless it repeats the title: its words were dropped unsearched
/// ("# Exercise: yoga, strength training and walking" under `title = "Exercise"`).
fn parse_body(
    body: &str,
    body_line: usize,
    given_title: Option<&str>,
) -> (Vec<Block>, Option<String>) {
    let line_of = LineIndex::new(body, body_line);
    let mut blocks = Vec::new();
    let mut headings: Vec<(HeadingLevel, String)> = Vec::new();
    let mut first_h1 = None;
    let mut heading_text: Option<String> = None;
    let mut open: Option<OpenBlock> = None;
    let mut depth = 0usize;
    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { .. }) => heading_text = Some(String::new()),
            Event::End(TagEnd::Heading(level)) => {
                let text = normalize_space(&heading_text.take().unwrap_or_default());
                if level == HeadingLevel::H1 && first_h1.is_none() && headings.is_empty() {
                    let repeats_title =
                        given_title.is_none_or(|title| title.eq_ignore_ascii_case(&text));
                    first_h1 = Some(text.clone());
                    if repeats_title {
                        continue;
                    }
                }
                headings.retain(|(l, _)| *l < level);
                headings.push((level, text));
            }
            Event::Start(Tag::Paragraph | Tag::Item | Tag::BlockQuote(_)) => {
                if depth == 0 {
                    open = Some(OpenBlock {
                        line_start: line_of.line(range.start),
                        lines: vec![String::new()],
                    });
                } else if let Some(block) = open.as_mut()
                    && let Some(line) = block.lines.last_mut()
                {
                    line.push(' ');
                }
                depth += 1;
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::BlockQuote(_)) => {
                depth = depth.saturating_sub(1);
                if depth == 0
                    && let Some(block) = open.take()
                {
                    let path: Vec<String> = headings.iter().map(|(_, h)| h.clone()).collect();
                    let block = block_from_lines(
                        &path,
                        block.line_start,
                        block.lines.iter().map(String::as_str),
                    );
                    if !block.text.is_empty() {
                        blocks.push(block);
                    }
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(heading) = heading_text.as_mut() {
                    heading.push_str(&text);
                } else if let Some(block) = open.as_mut() {
                    push_text(block, &text, &range, &line_of);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(block) = open.as_mut() {
                    block.lines.push(String::new());
                } else if let Some(heading) = heading_text.as_mut() {
                    heading.push(' ');
                }
            }
            _ => {}
        }
    }
    (blocks, first_h1)
}

/// Appends text to the open block, starting new lines where the source text does (code spans
/// and multi-line text events can cover several lines).
fn push_text(block: &mut OpenBlock, text: &str, range: &Range<usize>, line_of: &LineIndex) {
    let expected = line_of.line(range.start);
    let current = block.line_start + block.lines.len() - 1;
    for _ in current..expected {
        block.lines.push(String::new());
    }
    for (i, piece) in text.split('\n').enumerate() {
        if i > 0 {
            block.lines.push(String::new());
        }
        if let Some(line) = block.lines.last_mut() {
            line.push_str(piece);
        }
    }
}

/// Maps byte offsets of the body to 1-based file lines.
struct LineIndex {
    starts: Vec<usize>,
    first_line: usize,
}

impl LineIndex {
    fn new(text: &str, first_line: usize) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts, first_line }
    }

    fn line(&self, offset: usize) -> usize {
        self.first_line + self.starts.partition_point(|&s| s <= offset) - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_md(text: &str) -> Result<Document> {
        parse(Path::new("doc.md"), "doc.md", text)
    }

    const GOOD: &str = "+++\ntitle = \"Bone health\"\nsummary = \"About bones.\"\nsources = [\"NCI 2025\"]\nlast_reviewed = 2026-11-27\napproaches = [\"bone-directed\"]\n+++\n\n## Drugs\n\nZoledronic acid and\ndenosumab help.\n\n### Jaw\n\n- First item.\n- Second item.\n";

    #[test]
    fn front_matter_fills_title_and_meta() {
        let doc = parse_md(GOOD).unwrap();
        assert_eq!(doc.title, "Bone health");
        assert_eq!(doc.meta.summary.as_deref(), Some("About bones."));
        assert_eq!(doc.meta.last_reviewed.as_deref(), Some("2026-11-27"));
        assert_eq!(doc.meta.approaches, ["bone-directed"]);
    }

    #[test]
    fn blocks_carry_heading_path_and_lines() {
        let doc = parse_md(GOOD).unwrap();
        assert_eq!(doc.blocks[0].heading_path, ["Drugs"]);
        assert_eq!(doc.blocks[0].text, "Zoledronic acid and denosumab help.");
        assert_eq!(
            (doc.blocks[0].line_start, doc.blocks[0].line_end()),
            (11, 12)
        );
        assert_eq!(doc.blocks[1].heading_path, ["Drugs", "Jaw"]);
        assert_eq!(doc.blocks[1].text, "First item.");
        assert_eq!(doc.blocks[2].line_start, 17);
    }

    #[test]
    fn front_matter_after_blank_lines_is_refused_at_its_line() {
        let err = parse_md("\n\n+++\ntitle = \"Bone health\"\n+++\n\nBody.\n").unwrap_err();
        match err {
            Error::Corpus { line, message, .. } => {
                assert_eq!(line, 3);
                assert!(message.contains("first line"), "{message}");
            }
            other => panic!("unexpected error {other:?}"),
        }
        // Blank lines before a text with no front matter are no error.
        assert!(parse_md("\n\n## Drugs\n\nBody.\n").is_ok());
    }

    #[test]
    fn malformed_front_matter_names_the_line() {
        let err = parse_md("+++\ntitle = \"ok\"\nsources = [unclosed\n+++\nBody.\n").unwrap_err();
        match err {
            Error::Corpus { line, .. } => assert_eq!(line, 3),
            other => panic!("unexpected error {other:?}"),
        }
    }

    #[test]
    fn missing_title_is_an_error() {
        assert!(matches!(
            parse_md("+++\nsummary = \"x\"\n+++\nBody.\n"),
            Err(Error::Corpus { .. })
        ));
    }

    #[test]
    fn unknown_field_is_an_error() {
        assert!(parse_md("+++\ntitle = \"x\"\ntitel = \"typo\"\n+++\nBody.\n").is_err());
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert!(parse_md("+++\ntitle = \"x\"\nBody.\n").is_err());
    }

    #[test]
    fn under_a_title_from_front_matter_an_h1_is_a_section_unless_it_repeats_the_title() {
        let doc = parse_md(
            "+++\ntitle = \"Exercise\"\n+++\n\n# Yoga and strength training\n\nMove daily.\n",
        )
        .unwrap();
        assert_eq!(doc.title, "Exercise");
        assert_eq!(doc.blocks[0].heading_path, ["Yoga and strength training"]);
        let repeated =
            parse_md("+++\ntitle = \"Exercise\"\n+++\n\n# exercise\n\nMove daily.\n").unwrap();
        assert!(repeated.blocks[0].heading_path.is_empty());
    }

    #[test]
    fn without_front_matter_the_first_h1_is_the_title() {
        let doc = parse_md("# My Title\n\nText.\n\n## Part\n\nMore.\n").unwrap();
        assert_eq!(doc.title, "My Title");
        assert!(doc.blocks[0].heading_path.is_empty());
        assert_eq!(doc.blocks[1].heading_path, ["Part"]);
    }
}
