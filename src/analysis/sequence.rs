//! Text analyzed once, ahead of indexing, and handed to tantivy as a term sequence.
//!
//! A build analyzes every passage for approach tagging anyway. Rather than let tantivy's
//! indexing threads analyze the same text again, the build encodes the terms it found, with
//! their positions, into one string; the indexed fields read it with [`TermSequenceTokenizer`],
//! which only splits. The index holds exactly the terms and positions the medical analyzer
//! would have given it.
//!
//! Encoding: each term is preceded by one [`TERM_START`] and then by one [`POSITION_STEP`] per
//! position it lies after the previous term (none for a compound's first part, which shares
//! its whole's position; several after dropped stop words). Terms are made of word characters
//! and joiners, so neither control character can occur in one.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

const TERM_START: char = '\u{1e}';
const POSITION_STEP: char = '\u{1f}';

/// Appends `term` at `position` to an encoded sequence whose last term was at `previous` (0
/// before the first term).
pub(crate) fn push_term(encoded: &mut String, term: &str, position: usize, previous: usize) {
    debug_assert!(!term.contains([TERM_START, POSITION_STEP]));
    encoded.push(TERM_START);
    let step = position - previous;
    encoded.extend(std::iter::repeat_n(POSITION_STEP, step));
    encoded.push_str(term);
}

/// Reads an encoded term sequence back into tokens (see the module documentation).
#[derive(Clone, Copy, Debug, Default)]
pub struct TermSequenceTokenizer;

pub struct TermSequenceStream<'a> {
    rest: &'a str,
    offset: usize,
    token: Token,
}

impl Tokenizer for TermSequenceTokenizer {
    type TokenStream<'a> = TermSequenceStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TermSequenceStream<'a> {
        TermSequenceStream {
            rest: text,
            offset: 0,
            // Positions count from 0 before the first term, as the encoder's do.
            token: Token {
                position: 0,
                ..Token::default()
            },
        }
    }
}

impl TokenStream for TermSequenceStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(after_start) = self.rest.strip_prefix(TERM_START) else {
            return false;
        };
        let term_at = after_start.trim_start_matches(POSITION_STEP);
        let steps = after_start.len() - term_at.len();
        // Terms are short: a plain byte loop beats a general search here.
        let len = term_at
            .bytes()
            .position(|b| b == TERM_START as u8)
            .unwrap_or(term_at.len());
        let from = self.offset + (self.rest.len() - term_at.len());
        self.token.position += steps;
        self.token.offset_from = from;
        self.token.offset_to = from + len;
        self.token.text.clear();
        self.token.text.push_str(&term_at[..len]);
        self.offset = from + len;
        self.rest = &term_at[len..];
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(encoded: &str) -> Vec<(String, usize)> {
        let mut tokenizer = TermSequenceTokenizer;
        let mut stream = tokenizer.token_stream(encoded);
        let mut tokens = Vec::new();
        while stream.advance() {
            tokens.push((stream.token().text.clone(), stream.token().position));
        }
        tokens
    }

    #[test]
    fn terms_come_back_with_their_positions() {
        let terms = [("her2/neu", 0), ("her2", 0), ("neu", 1), ("cancer", 4)];
        let mut encoded = String::new();
        let mut previous = 0;
        for (term, position) in terms {
            push_term(&mut encoded, term, position, previous);
            previous = position;
        }
        let expected: Vec<(String, usize)> =
            terms.iter().map(|(t, p)| (t.to_string(), *p)).collect();
        assert_eq!(decode(&encoded), expected);
    }

    #[test]
    fn a_first_term_after_stop_words_keeps_its_position() {
        let mut encoded = String::new();
        push_term(&mut encoded, "cancer", 2, 0);
        assert_eq!(decode(&encoded), [("cancer".to_string(), 2)]);
    }

    #[test]
    fn empty_and_foreign_text_give_no_tokens() {
        assert!(decode("").is_empty());
        assert!(decode("plain text that was never encoded").is_empty());
    }
}
