//! Plain-text documents. The title is the first line; headings are short lines without closing
//! punctuation standing alone between blank lines, which is how the founding article and many
//! scraped articles mark their sections. A heading followed directly by another heading is a
//! parent section ("How To Treat Breast Cancer Metastasis" › "Hormonal Treatments").

use std::path::Path;

use super::{Document, DocumentMeta, block_from_lines, normalize_space, title_from_file_name};

/// A heading has at most this many words...
const MAX_HEADING_WORDS: usize = 12;
/// ...and at most this many characters.
const MAX_HEADING_CHARS: usize = 100;

/// A run of non-blank lines.
struct Paragraph<'a> {
    line_start: usize,
    lines: Vec<&'a str>,
}

impl Paragraph<'_> {
    fn heading(&self) -> Option<String> {
        match self.lines.as_slice() {
            [line] if is_heading(line) => Some(normalize_space(line)),
            _ => None,
        }
    }
}

/// Parses a plain-text file. Never fails: any text is a valid plain-text document.
pub fn parse(path: &Path, id: &str, text: &str) -> Document {
    // A byte-order mark (Windows Notepad writes one) is not part of the title.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut paragraphs = split_paragraphs(text);
    let title = take_title(&mut paragraphs).unwrap_or_else(|| title_from_file_name(path));
    let mut blocks = Vec::new();
    let mut parent: Option<String> = None;
    let mut path_now: Vec<String> = Vec::new();
    for (i, paragraph) in paragraphs.iter().enumerate() {
        if let Some(heading) = paragraph.heading() {
            let next_is_heading = paragraphs.get(i + 1).is_some_and(|p| p.heading().is_some());
            if next_is_heading {
                parent = Some(heading);
                path_now = parent.iter().cloned().collect();
            } else {
                path_now = parent.iter().cloned().chain([heading]).collect();
            }
            continue;
        }
        let block = block_from_lines(
            &path_now,
            paragraph.line_start,
            paragraph.lines.iter().copied(),
        );
        if !block.text.is_empty() {
            blocks.push(block);
        }
    }
    Document {
        id: id.to_string(),
        title,
        path: path.to_path_buf(),
        meta: DocumentMeta::default(),
        blocks,
    }
}

fn split_paragraphs(text: &str) -> Vec<Paragraph<'_>> {
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut open = false;
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            open = false;
            continue;
        }
        match paragraphs.last_mut() {
            Some(paragraph) if open => paragraph.lines.push(line),
            _ => paragraphs.push(Paragraph {
                line_start: index + 1,
                lines: vec![line],
            }),
        }
        open = true;
    }
    paragraphs
}

/// Takes the title from the first paragraph: a heading-like first line is the title; a first
/// line that runs a Title Case heading into its first sentence is split where the sentence
/// starts; otherwise there is no title in the text.
fn take_title(paragraphs: &mut Vec<Paragraph<'_>>) -> Option<String> {
    let first = paragraphs.first_mut()?;
    let line = first.lines[0];
    if is_heading(line) {
        let title = normalize_space(line);
        if first.lines.len() == 1 {
            paragraphs.remove(0);
        } else {
            first.lines.remove(0);
            first.line_start += 1;
        }
        return Some(title);
    }
    let (title, rest) = split_fused_title(line)?;
    first.lines[0] = rest;
    Some(title)
}

/// "Treat Breast Cancer Metastasis Breast cancer kills..." → ("Treat Breast Cancer Metastasis",
/// "Breast cancer kills..."): the capitalised run ends one word before the first lower-case word,
/// because that last capitalised word opens the sentence.
fn split_fused_title(line: &str) -> Option<(String, &str)> {
    let words: Vec<(usize, &str)> = line
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - line.as_ptr() as usize, w))
        .collect();
    let capitalised = words
        .iter()
        .take_while(|(_, w)| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                || is_minor_word(w)
        })
        .count();
    let next_is_lower = words
        .get(capitalised)
        .is_some_and(|(_, w)| w.chars().next().is_some_and(char::is_lowercase));
    if capitalised < 3 || !next_is_lower {
        return None;
    }
    let (sentence_start, _) = words[capitalised - 1];
    let title = normalize_space(&line[..sentence_start]);
    (!title.is_empty()).then(|| (title, &line[sentence_start..]))
}

/// Short words that stay lower-case inside Title Case headings.
fn is_minor_word(word: &str) -> bool {
    matches!(
        word,
        "a" | "an" | "and" | "for" | "in" | "of" | "on" | "or" | "the" | "to" | "with"
    )
}

fn is_heading(line: &str) -> bool {
    let line = line.trim();
    let words = line.split_whitespace().count();
    let starts_well = line
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let ends_open = !line.ends_with(['.', '!', '?', ':', ';', ',', '"', '\u{201d}']);
    starts_well
        && ends_open
        && words <= MAX_HEADING_WORDS
        && line.chars().count() <= MAX_HEADING_CHARS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Document {
        parse(Path::new("doc.txt"), "doc.txt", text)
    }

    #[test]
    fn heading_like_first_line_is_the_title() {
        let doc = parse_text("Living Well\n\nSome text here.\n");
        assert_eq!(doc.title, "Living Well");
        assert_eq!(doc.blocks.len(), 1);
        assert_eq!(doc.blocks[0].line_start, 3);
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_title() {
        // Notepad's mark made the title the file name's, and stayed in the text.
        let doc = parse_text("\u{feff}Living Well\n\nSome text here.\n");
        assert_eq!(doc.title, "Living Well");
        assert_eq!(doc.blocks[0].text, "Some text here.");
    }

    #[test]
    fn fused_title_is_split_from_the_first_sentence() {
        let doc = parse_text("Treat Breast Cancer Metastasis Breast cancer kills many.\n");
        assert_eq!(doc.title, "Treat Breast Cancer Metastasis");
        assert_eq!(doc.blocks[0].text, "Breast cancer kills many.");
    }

    #[test]
    fn sentence_first_line_leaves_the_title_to_the_file_name() {
        let doc = parse_text("This is just a sentence.\n");
        assert_eq!(doc.title, "doc");
        assert_eq!(doc.blocks.len(), 1);
    }

    #[test]
    fn heading_before_heading_becomes_a_parent() {
        let doc = parse_text(
            "Title\n\nIntro text.\n\nPart One\n\nFirst Topic\n\nBody one.\n\nSecond Topic\n\nBody two.\n",
        );
        let paths: Vec<_> = doc
            .blocks
            .iter()
            .map(|b| b.heading_path.join(" > "))
            .collect();
        assert_eq!(
            paths,
            ["", "Part One > First Topic", "Part One > Second Topic"]
        );
    }

    #[test]
    fn lines_ending_in_punctuation_are_not_headings() {
        assert!(!is_heading("This ends with a period."));
        assert!(!is_heading("Questions:"));
        assert!(is_heading("Herceptin for HER2/neu Metastasis"));
        assert!(!is_heading("lower case start"));
    }

    #[test]
    fn empty_text_has_no_blocks() {
        assert!(parse_text("").blocks.is_empty());
        assert!(parse_text("\n\n   \n").blocks.is_empty());
    }
}
