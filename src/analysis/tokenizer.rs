//! The medical tokenizer: words, plus compounds of clinical shorthand kept whole beside their parts.

use std::ops::Range;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Longest compound (in bytes, before the sign) that may carry a receptor sign. Markers such as
/// `ER+`, `HER2-` or `TNBC-` are short; a longer word followed by `-` is a hyphen used as a dash
/// ("hormone receptor- and HER2-negative" is left to the parts).
const MAX_POLAR_BYTES: usize = 5;

/// Splits text into alphanumeric words. Words joined by `/` or `-` (`HER2/neu`, `T-DXd`, `5-FU`)
/// are emitted whole and then part by part, the whole at the position of its first part; a short
/// word followed by `+` or `-` (`ER+`, `HER2-`) is emitted with its sign and then without it.
/// Apostrophes inside a word are dropped (`John's` → `Johns`) so possessives stay one word.
#[derive(Clone, Copy, Debug, Default)]
pub struct MedicalTokenizer;

/// Token stream over pre-computed tokens; analysis is cheap and this keeps the scanner simple.
pub struct MedicalTokenStream {
    tokens: Vec<Token>,
    index: usize,
}

impl Tokenizer for MedicalTokenizer {
    type TokenStream<'a> = MedicalTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> MedicalTokenStream {
        let mut tokens = Vec::new();
        scan(text, |word, range, position| {
            tokens.push(Token {
                offset_from: range.start,
                offset_to: range.end,
                position,
                text: word.to_string(),
                position_length: 1,
            });
        });
        MedicalTokenStream {
            tokens,
            index: usize::MAX,
        }
    }
}

impl TokenStream for MedicalTokenStream {
    fn advance(&mut self) -> bool {
        self.index = self.index.wrapping_add(1);
        self.index < self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.index]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index]
    }
}

/// A run of word characters, by byte range; apostrophes inside it are not part of its text.
#[derive(Clone, Copy)]
struct Segment {
    start: usize,
    end: usize,
    has_apostrophe: bool,
}

/// Calls `emit(text, byte range, position)` for every token of `text`, in order, without
/// allocating per token: the one tokenizer behind both [`MedicalTokenizer`] and the index
/// build's analysis.
pub(crate) fn scan(text: &str, mut emit: impl FnMut(&str, Range<usize>, usize)) {
    let bytes = text.as_bytes();
    let mut segments: Vec<Segment> = Vec::new();
    // Reused for compound wholes and for words whose apostrophes are dropped.
    let mut whole = String::new();
    let mut part = String::new();
    let mut position = 0;
    let mut cursor = 0;
    while let Some(first) = next_segment(text, cursor) {
        segments.clear();
        segments.push(first);
        // Extend the compound while a joiner is directly followed by another word.
        loop {
            let end = segments.last().map_or(0, |s| s.end);
            let joined = matches!(bytes.get(end), Some(b'/' | b'-'));
            match joined.then(|| next_segment(text, end + 1)).flatten() {
                Some(next) if next.start == end + 1 => segments.push(next),
                _ => break,
            }
        }
        let start = segments[0].start;
        let end = segments.last().map_or(start, |s| s.end);
        cursor = end;
        let sign = polarity_sign(bytes, end).filter(|_| end - start <= MAX_POLAR_BYTES);
        if sign.is_some() || segments.len() > 1 {
            joined_text(&segments, text, &mut whole, &mut part);
            let mut to = end;
            if let Some(sign) = sign {
                whole.push(sign as char);
                to += 1;
                cursor = end + 1;
            }
            emit(&whole, start..to, position);
        }
        for segment in &segments {
            emit(
                segment_text(*segment, text, &mut part),
                segment.start..segment.end,
                position,
            );
            position += 1;
        }
    }
}

/// The next run of alphanumeric characters at or after `from`; apostrophes between letters
/// belong to the run but not to its text.
fn next_segment(text: &str, from: usize) -> Option<Segment> {
    let start = from + word_start(text.get(from..)?)?;
    // ASCII letters and digits first, byte by byte: most words are nothing else.
    let bytes = text.as_bytes();
    let mut end = start;
    while bytes.get(end).is_some_and(u8::is_ascii_alphanumeric) {
        end += 1;
    }
    let mut has_apostrophe = false;
    let mut chars = text[end..].char_indices().peekable();
    let run_from = end;
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() {
            end = run_from + i + c.len_utf8();
        } else if is_apostrophe(c) && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric()) {
            has_apostrophe = true;
        } else {
            break;
        }
    }
    Some(Segment {
        start,
        end,
        has_apostrophe,
    })
}

/// Byte offset of the first alphanumeric character of `text`.
fn word_start(text: &str) -> Option<usize> {
    for (i, b) in text.bytes().enumerate() {
        if b.is_ascii_alphanumeric() {
            return Some(i);
        }
        if !b.is_ascii() {
            // All bytes before were ASCII, so `i` is a character boundary.
            return text[i..]
                .find(char::is_alphanumeric)
                .map(|offset| i + offset);
        }
    }
    None
}

/// A segment's text: a slice of the source unless apostrophes must be dropped into `buffer`.
fn segment_text<'a>(segment: Segment, text: &'a str, buffer: &'a mut String) -> &'a str {
    let run = &text[segment.start..segment.end];
    if !segment.has_apostrophe {
        return run;
    }
    buffer.clear();
    buffer.extend(run.chars().filter(|c| !is_apostrophe(*c)));
    buffer
}

/// An apostrophe as people type it: plain, typographic (’), or an acute accent (´) or a
/// modifier letter (ʼ) that some keyboards give ("can´t" had no urgent notice where "can’t"
/// had).
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{00B4}' | '\u{02BC}')
}

/// `+` or `-` right after a word and not followed by another word character: a receptor sign.
fn polarity_sign(bytes: &[u8], end: usize) -> Option<u8> {
    let sign = *bytes.get(end).filter(|b| matches!(b, b'+' | b'-'))?;
    let next_is_word = bytes
        .get(end + 1)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b >= 0x80);
    (!next_is_word).then_some(sign)
}

/// The segments' texts with the joiners between them, into `whole` (`part`: scratch for
/// segments whose apostrophes are dropped).
fn joined_text(segments: &[Segment], text: &str, whole: &mut String, part: &mut String) {
    whole.clear();
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            // The joiner is the byte right before this segment.
            whole.push_str(&text[segment.start - 1..segment.start]);
        }
        whole.push_str(segment_text(*segment, text, part));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokenize(text: &str) -> Vec<Token> {
        let mut stream = MedicalTokenizer.token_stream(text);
        let mut tokens = Vec::new();
        while stream.advance() {
            tokens.push(stream.token().clone());
        }
        tokens
    }

    fn raw(text: &str) -> Vec<(String, usize)> {
        tokenize(text)
            .into_iter()
            .map(|t| (t.text, t.position))
            .collect()
    }

    #[test]
    fn plain_words_get_consecutive_positions() {
        assert_eq!(
            raw("Breast cancer, spread."),
            [
                ("Breast".into(), 0),
                ("cancer".into(), 1),
                ("spread".into(), 2)
            ]
        );
    }

    #[test]
    fn trailing_hyphen_of_a_long_word_is_a_dash() {
        assert_eq!(
            raw("receptor- and"),
            [("receptor".into(), 0), ("and".into(), 1)]
        );
    }

    #[test]
    fn offsets_cover_the_source_text() {
        let text = "See ER+ and T-DXd";
        for token in tokenize(text) {
            let slice = &text[token.offset_from..token.offset_to];
            assert!(
                slice
                    .replace(['-', '/', '+'], "")
                    .eq_ignore_ascii_case(&token.text.replace(['-', '/', '+'], "")),
                "{slice:?} vs {:?}",
                token.text
            );
        }
    }

    #[test]
    fn empty_and_symbol_only_text_gives_no_tokens() {
        assert!(tokenize("").is_empty());
        assert!(tokenize(" -- / ++ ").is_empty());
    }
}
