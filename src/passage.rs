//! Passage splitting: documents → passages, a pure function with no I/O and no index.
//!
//! A passage is the unit people read in results: a few sentences to a few paragraphs from one
//! section. Short paragraphs of a section are merged, long ones are cut at sentence boundaries,
//! and no passage crosses a section boundary or cuts a sentence. Each passage's id is a hash of
//! its document, section and text, so it stays the same across re-indexing while the text does.

use std::ops::Range;

use crate::corpus::{Block, Document};

/// Size targets for passages, in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SplitOptions {
    /// Passages shorter than this are merged with their neighbours in the same section.
    pub min_words: usize,
    /// Passages longer than this are cut at sentence boundaries.
    pub max_words: usize,
}

impl Default for SplitOptions {
    fn default() -> Self {
        SplitOptions {
            min_words: 40,
            max_words: 200,
        }
    }
}

/// A searchable piece of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub id: String,
    pub doc_id: String,
    /// Position of the passage in its document, from 0.
    pub ordinal: u32,
    pub heading_path: Vec<String>,
    pub text: String,
    pub line_start: usize,
    pub line_end: usize,
}

impl Passage {
    /// The heading path joined for display: "How To Treat … › Hormonal Treatments".
    pub fn section(&self) -> String {
        self.heading_path.join(" › ")
    }
}

/// A piece of text on its way to becoming a passage.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    words: usize,
    line_start: usize,
    line_end: usize,
}

impl Piece {
    fn absorb(&mut self, next: Piece) {
        self.text.push(' ');
        self.text.push_str(&next.text);
        self.words += next.words;
        self.line_end = next.line_end;
    }
}

/// Splits a document into passages, section by section.
pub fn split_into_passages(document: &Document, options: SplitOptions) -> Vec<Passage> {
    let mut passages = Vec::new();
    for section in document
        .blocks
        .chunk_by(|a, b| a.heading_path == b.heading_path)
    {
        let pieces = section
            .iter()
            .flat_map(|block| split_block(block, options.max_words));
        for piece in merge_small(pieces, options) {
            let ordinal = passages.len() as u32;
            let heading_path = section[0].heading_path.clone();
            passages.push(Passage {
                id: passage_id(&document.id, &heading_path, &piece.text),
                doc_id: document.id.clone(),
                ordinal,
                heading_path,
                text: piece.text,
                line_start: piece.line_start,
                line_end: piece.line_end,
            });
        }
    }
    passages
}

/// A block as one piece, or cut at sentence boundaries into pieces of similar size when it is
/// longer than `max_words`.
fn split_block(block: &Block, max_words: usize) -> Vec<Piece> {
    let words = word_count(&block.text);
    if words <= max_words {
        return vec![Piece {
            text: block.text.clone(),
            words,
            line_start: block.line_start,
            line_end: block.line_end(),
        }];
    }
    // Aim for equal parts rather than full parts followed by a stub.
    let parts = words.div_ceil(max_words);
    let target = words.div_ceil(parts);
    let mut pieces: Vec<Piece> = Vec::new();
    let mut current: Option<Piece> = None;
    let sentences = sentence_ranges(&block.text)
        .into_iter()
        .flat_map(|range| cut_runaway_sentence(&block.text, range, max_words));
    for (range, words) in sentences {
        let piece = Piece {
            text: block.text[range.clone()].to_string(),
            words,
            line_start: block.line_at(range.start),
            line_end: block.line_at(range.end.saturating_sub(1)),
        };
        match current.as_mut() {
            Some(open) if open.words + piece.words <= target.max(open.words.min(max_words)) => {
                open.absorb(piece)
            }
            Some(_) => pieces.extend(current.replace(piece)),
            None => current = Some(piece),
        }
    }
    pieces.extend(current);
    pieces
}

/// A "sentence" longer than this many times `max_words` is not prose (a table flattened into one
/// line, a data dump): it is cut at word boundaries so no passage grows without bound.
const RUNAWAY_FACTOR: usize = 4;

/// A sentence's range and word count, or the pieces a runaway sentence is cut into.
fn cut_runaway_sentence(
    text: &str,
    range: Range<usize>,
    max_words: usize,
) -> Vec<(Range<usize>, usize)> {
    let sentence = &text[range.clone()];
    let words = word_count(sentence);
    if words <= RUNAWAY_FACTOR * max_words {
        return vec![(range, words)];
    }
    let mut cuts = Vec::new();
    let mut start = range.start;
    let mut words = 0;
    for (offset, c) in sentence.char_indices() {
        if c == ' ' {
            words += 1;
            if words == max_words {
                let cut = start..range.start + offset;
                cuts.push((cut.clone(), word_count(&text[cut])));
                start = range.start + offset + 1;
                words = 0;
            }
        }
    }
    if start < range.end {
        cuts.push((start..range.end, word_count(&text[start..range.end])));
    }
    cuts
}

/// Merges pieces below `min_words` into their neighbours while the result stays within
/// `max_words`; a short last piece joins the one before it when it fits.
fn merge_small(pieces: impl Iterator<Item = Piece>, options: SplitOptions) -> Vec<Piece> {
    let mut merged: Vec<Piece> = Vec::new();
    for piece in pieces {
        match merged.last_mut() {
            Some(last)
                if last.words < options.min_words
                    && last.words + piece.words <= options.max_words =>
            {
                last.absorb(piece)
            }
            _ => merged.push(piece),
        }
    }
    if merged.len() >= 2 {
        let tail = &merged[merged.len() - 1];
        let before = &merged[merged.len() - 2];
        if tail.words < options.min_words && before.words + tail.words <= options.max_words {
            let tail = merged.pop().expect("checked length");
            merged.last_mut().expect("checked length").absorb(tail);
        }
    }
    merged
}

/// Byte ranges of the sentences of `text` (whitespace between them excluded). A sentence ends at
/// `.`, `!` or `?` (and any closing quote or bracket) followed by a space and an upper-case
/// letter, digit or opening quote, unless the word before the stop is a common abbreviation.
pub fn sentence_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    // The stops are ASCII, so a byte search finds exactly the characters a char scan would.
    for i in memchr::memchr3_iter(b'.', b'!', b'?', bytes) {
        let c = bytes[i];
        let mut end = i + 1;
        while end < bytes.len() && matches!(bytes[end], b'"' | b'\'' | b')' | b']') {
            end += 1;
        }
        let Some(rest) = text.get(end..) else {
            continue;
        };
        let Some(next) = rest.strip_prefix(' ') else {
            continue;
        };
        let opens_sentence = next.chars().next().is_some_and(|n| {
            n.is_uppercase() || n.is_ascii_digit() || matches!(n, '"' | '\u{201c}' | '(')
        });
        if opens_sentence && !(c == b'.' && ends_with_abbreviation(&text[start..i])) {
            ranges.push(start..end);
            start = end + 1;
        }
    }
    if start < text.len() {
        ranges.push(start..text.len());
    }
    ranges
}

fn ends_with_abbreviation(before_stop: &str) -> bool {
    const ABBREVIATIONS: &[&str] = &[
        "e.g", "i.e", "dr", "mr", "mrs", "ms", "vs", "st", "no", "fig", "approx", "cf",
    ];
    let word = before_stop
        .rsplit(' ')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    ABBREVIATIONS.contains(&word.as_str())
        || (word.len() == 1 && word.chars().all(|c| c.is_alphabetic()))
}

fn word_count(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    let bytes = text.as_bytes();
    if crate::corpus::is_collapsed_ascii(bytes) {
        let spaces = memchr::memchr_iter(b' ', bytes).count();
        return if bytes.is_empty() { 0 } else { spaces + 1 };
    }
    // The same count without decoding characters: a word ends where whitespace starts.
    let mut words = 0;
    let mut in_word = false;
    for &b in bytes {
        let space = crate::corpus::is_ascii_space(b);
        words += usize::from(in_word && space);
        in_word = !space;
    }
    words + usize::from(in_word)
}

/// Stable id: the first 16 hex digits of a BLAKE3 hash of document id, section and text.
fn passage_id(doc_id: &str, heading_path: &[String], text: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(doc_id.as_bytes());
    for heading in heading_path {
        hasher.update(b"\x1f");
        hasher.update(heading.as_bytes());
    }
    hasher.update(b"\x1e");
    hasher.update(text.as_bytes());
    hasher.finalize().to_hex()[..16].to_string()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::corpus::DocumentMeta;

    const FOUNDING_ARTICLE: &str = include_str!("../corpus/000_83023b5a013b7893.txt");

    fn founding_article() -> Document {
        crate::corpus::load_file(&crate::corpus::CorpusFile {
            path: PathBuf::from("corpus/000_83023b5a013b7893.txt"),
            relative: "000_83023b5a013b7893.txt".into(),
            kind: crate::corpus::FileKind::PlainText,
        })
        .expect("founding article loads")
        .documents
        .remove(0)
    }

    fn block(path: &[&str], text: &str, line: usize) -> Block {
        Block {
            heading_path: path.iter().map(|s| s.to_string()).collect(),
            text: text.to_string(),
            line_start: line,
            line_breaks: Vec::new(),
        }
    }

    fn doc(blocks: Vec<Block>) -> Document {
        Document {
            id: "d".into(),
            title: "T".into(),
            path: PathBuf::from("d.md"),
            meta: DocumentMeta::default(),
            blocks,
        }
    }

    fn words(n: usize, word: &str) -> String {
        vec![word; n].join(" ")
    }

    #[test]
    fn every_heading_of_the_founding_article_becomes_a_section() {
        let passages = split_into_passages(&founding_article(), SplitOptions::default());
        let sections: Vec<String> = passages.iter().map(Passage::section).collect();
        for heading in [
            "Chemo Drugs for Metastasis",
            "Hormonal Treatments",
            "Herceptin for HER2/neu Metastasis",
            "Clinical Trials",
            "Alternative Medicine",
        ] {
            let expected = format!("How To Treat Breast Cancer Metastasis › {heading}");
            assert!(
                sections.contains(&expected),
                "missing section {expected:?} in {sections:?}"
            );
        }
    }

    #[test]
    fn no_founding_article_passage_crosses_a_section_boundary() {
        let passages = split_into_passages(&founding_article(), SplitOptions::default());
        let headings: Vec<&String> = passages.iter().flat_map(|p| &p.heading_path).collect();
        let lines: Vec<&str> = FOUNDING_ARTICLE.lines().collect();
        for passage in &passages {
            let inside = &lines[passage.line_start - 1..passage.line_end];
            let crossed: Vec<&&str> = inside
                .iter()
                .filter(|line| headings.iter().any(|h| *h == line.trim()))
                .collect();
            assert!(
                crossed.is_empty(),
                "passage {} spans the heading(s) {crossed:?}",
                passage.id
            );
        }
    }

    #[test]
    fn founding_article_title_and_hormonal_section_lines() {
        let article = founding_article();
        assert_eq!(article.title, "Treat Breast Cancer Metastasis");
        let passages = split_into_passages(&article, SplitOptions::default());
        let hormonal = passages
            .iter()
            .find(|p| p.section().ends_with("Hormonal Treatments"))
            .unwrap();
        assert!(hormonal.text.contains("tamoflexin"));
        assert_eq!((hormonal.line_start, hormonal.line_end), (19, 21));
    }

    #[test]
    fn short_paragraphs_in_a_section_are_merged() {
        let d = doc(vec![
            block(&["A"], "One short paragraph.", 1),
            block(&["A"], "Another short one.", 3),
        ]);
        let passages = split_into_passages(&d, SplitOptions::default());
        assert_eq!(passages.len(), 1);
        assert_eq!(passages[0].text, "One short paragraph. Another short one.");
        assert_eq!((passages[0].line_start, passages[0].line_end), (1, 3));
    }

    #[test]
    fn paragraphs_of_different_sections_are_never_merged() {
        let d = doc(vec![
            block(&["A"], "Short.", 1),
            block(&["B"], "Also short.", 3),
        ]);
        assert_eq!(split_into_passages(&d, SplitOptions::default()).len(), 2);
    }

    #[test]
    fn long_paragraphs_are_cut_between_sentences() {
        let sentence = format!("{}.", words(29, "word"));
        let text = vec![sentence.replacen("word", "Word", 1); 12].join(" ");
        let d = doc(vec![block(&["A"], &text, 1)]);
        let passages = split_into_passages(&d, SplitOptions::default());
        assert!(passages.len() >= 2);
        for passage in &passages {
            assert!(
                passage.text.ends_with('.'),
                "cut mid-sentence: {:?}",
                passage.text
            );
            assert!(word_count(&passage.text) <= 200);
        }
    }

    #[test]
    fn a_long_sentence_stays_whole() {
        let d = doc(vec![block(&["A"], &words(500, "x"), 1)]);
        assert_eq!(split_into_passages(&d, SplitOptions::default()).len(), 1);
    }

    #[test]
    fn a_runaway_sentence_is_cut_at_word_boundaries() {
        let d = doc(vec![block(&["A"], &words(5_000, "x"), 1)]);
        let passages = split_into_passages(&d, SplitOptions::default());
        assert_eq!(passages.len(), 25);
        assert!(passages.iter().all(|p| word_count(&p.text) == 200));
    }

    #[test]
    fn ids_depend_on_text_only_and_are_stable() {
        let a = split_into_passages(
            &doc(vec![block(&["A"], "Same text.", 1)]),
            SplitOptions::default(),
        );
        let b = split_into_passages(
            &doc(vec![block(&["A"], "Same text.", 9)]),
            SplitOptions::default(),
        );
        let c = split_into_passages(
            &doc(vec![block(&["A"], "Other text.", 1)]),
            SplitOptions::default(),
        );
        assert_eq!(a[0].id, b[0].id);
        assert_ne!(a[0].id, c[0].id);
        assert_eq!(a[0].id.len(), 16);
    }

    #[test]
    fn sentences_respect_abbreviations() {
        let text =
            "Drugs, e.g. Tamoxifen, help. St. John's wort interacts. Ask Dr. Lee! Then stop.";
        let sentences: Vec<&str> = sentence_ranges(text)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(
            sentences,
            [
                "Drugs, e.g. Tamoxifen, help.",
                "St. John's wort interacts.",
                "Ask Dr. Lee!",
                "Then stop."
            ]
        );
    }

    #[test]
    fn empty_document_has_no_passages() {
        assert!(split_into_passages(&doc(Vec::new()), SplitOptions::default()).is_empty());
    }

    #[test]
    fn word_count_agrees_with_unicode_whitespace_splitting() {
        for text in [
            "",
            "   ",
            "one",
            " two  words ",
            "tab\tline\nfeed\x0bvertical\x0cform\rreturn",
            "non\u{a0}breaking and em\u{2003}space",
            "collapsed words only",
            "x",
        ] {
            assert_eq!(
                word_count(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }
}
