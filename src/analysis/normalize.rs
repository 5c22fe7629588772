//! Term normalisation behind the medical tokenizer (length limit, lower-casing, accent folding,
//! stop words, English stemming) as one filter with a per-thread memo.
//!
//! Word frequencies follow Zipf's law: a few thousand distinct words make up most of any corpus,
//! yet the plain filter chain stems every occurrence again. Profiling an index build showed
//! stemming alone at a fifth of the time. The memo maps a token's text as the tokenizer produced
//! it to the term the chain makes of it (or to nothing, for stop words and over-long tokens), so
//! each distinct word goes through the chain once per thread. The chain itself stays tantivy's
//! own filters, run on the single token, so the terms are exactly those of the plain chain.

use std::cell::RefCell;
use std::ops::Range;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, Stemmer,
    StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// Distinct token texts remembered per thread before the memo starts over: bounds memory (a few
/// MB) on corpora with unbounded vocabularies (identifiers, numbers, typos).
const MEMO_CAPACITY: usize = 1 << 16;

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::new());
}

/// Token text → normalised term (`None`: the chain drops the token).
///
/// Lookups are the hot path of a build (one per word), so they avoid chasing pointers: texts of
/// up to [`SHORT_KEY_BYTES`] bytes (nearly all words) are keyed by their bytes packed into one
/// integer, and the terms live side by side in one string.
struct Memo {
    short: FxHashMap<u128, Output>,
    long: FxHashMap<Box<str>, Output>,
    /// Every remembered term, one after another.
    terms: String,
    chain: TextAnalyzer,
}

/// Where a memoised term lies in [`Memo::terms`]; `None` if the chain drops the token.
type Output = Option<(u32, u32)>;

/// Longest token text keyed inline: 15 bytes and a length byte make a `u128`.
const SHORT_KEY_BYTES: usize = 15;

fn short_key(text: &str) -> Option<u128> {
    if text.len() > SHORT_KEY_BYTES {
        return None;
    }
    let mut bytes = [0u8; 16];
    bytes[..text.len()].copy_from_slice(text.as_bytes());
    bytes[SHORT_KEY_BYTES] = text.len() as u8;
    Some(u128::from_le_bytes(bytes))
}

impl Memo {
    fn new() -> Self {
        Memo {
            short: FxHashMap::default(),
            long: FxHashMap::default(),
            terms: String::new(),
            chain: single_token_chain(),
        }
    }

    /// The normalised term of a token's text; `None` if the chain drops the token.
    fn normalize(&mut self, text: &str) -> Option<&str> {
        let key = short_key(text);
        let known = match key {
            Some(key) => self.short.get(&key),
            None => self.long.get(text),
        };
        let output = match known {
            Some(output) => *output,
            None => self.remember(text, key),
        };
        output.map(|(start, end)| &self.terms[start as usize..end as usize])
    }

    /// Runs the chain on a token's text and remembers the result.
    fn remember(&mut self, text: &str, key: Option<u128>) -> Output {
        if self.short.len() + self.long.len() >= MEMO_CAPACITY {
            self.short.clear();
            self.long.clear();
            self.terms.clear();
        }
        let mut stream = self.chain.token_stream(text);
        let output = stream.advance().then(|| {
            let start = self.terms.len() as u32;
            self.terms.push_str(&stream.token().text);
            (start, self.terms.len() as u32)
        });
        match key {
            Some(key) => self.short.insert(key, output),
            None => self.long.insert(text.into(), output),
        };
        output
    }
}

/// Calls `visit(term, byte range, position)` for every term the medical analyzer makes of
/// `text`, without building tantivy tokens: the index build's analysis. `visit` must not analyze
/// text itself (the memo is borrowed while it runs).
pub(crate) fn for_each_term(text: &str, mut visit: impl FnMut(&str, Range<usize>, usize)) {
    MEMO.with_borrow_mut(|memo| {
        super::tokenizer::scan(text, |word, range, position| {
            if let Some(term) = memo.normalize(word) {
                visit(term, range, position);
            }
        });
    });
}

/// The plain chain over a whole string as one token.
fn single_token_chain() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(RemoveLongFilter::limit(super::MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(
            super::STOP_WORDS.iter().map(|w| w.to_string()),
        ))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The normalising filter; see the module documentation.
#[derive(Clone, Copy, Debug, Default)]
pub struct Normalizer;

impl TokenFilter for Normalizer {
    type Tokenizer<T: Tokenizer> = NormalizerWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> NormalizerWrapper<T> {
        NormalizerWrapper(tokenizer)
    }
}

#[derive(Clone)]
pub struct NormalizerWrapper<T>(T);

impl<T: Tokenizer> Tokenizer for NormalizerWrapper<T> {
    type TokenStream<'a> = NormalizerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        NormalizerStream(self.0.token_stream(text))
    }
}

pub struct NormalizerStream<S>(S);

impl<S: TokenStream> TokenStream for NormalizerStream<S> {
    fn advance(&mut self) -> bool {
        while self.0.advance() {
            let text = &mut self.0.token_mut().text;
            let kept = MEMO.with_borrow_mut(|memo| match memo.normalize(text) {
                Some(term) => {
                    if text != term {
                        text.clear();
                        text.push_str(term);
                    }
                    true
                }
                None => false,
            });
            if kept {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memo_terms(texts: &[&str]) -> Vec<Option<String>> {
        let mut memo = Memo::new();
        texts
            .iter()
            .map(|t| memo.normalize(t).map(str::to_string))
            .collect()
    }

    #[test]
    fn gives_the_plain_chains_terms_first_time_and_from_the_memo() {
        let words = ["Treatments", "the", "Métastases", "HER2+", "running"];
        let twice: Vec<&str> = words.iter().chain(words.iter()).copied().collect();
        let expected = [
            Some("treatment".to_string()),
            None,
            Some("metastas".to_string()),
            Some("her2+".to_string()),
            Some("run".to_string()),
        ];
        let got = memo_terms(&twice);
        assert_eq!(got[..5], expected);
        assert_eq!(got[5..], expected);
    }

    #[test]
    fn over_long_tokens_are_dropped() {
        let long = "x".repeat(super::super::MAX_TOKEN_BYTES);
        assert_eq!(memo_terms(&[&long]), [None]);
    }

    #[test]
    fn long_and_short_keys_give_the_chains_terms() {
        // 15 bytes (the longest inline key), 16 and 20 bytes (keyed by their text), and words
        // that differ only past the inline limit.
        let words = [
            "Radiotherapists",
            "Chemotherapeutic",
            "Immunohistochemistry",
            "Immunohistochemical",
        ];
        let mut chain = single_token_chain();
        let expected: Vec<Option<String>> = words
            .iter()
            .map(|w| {
                let mut stream = chain.token_stream(w);
                stream.advance().then(|| stream.token().text.clone())
            })
            .collect();
        let twice: Vec<&str> = words.iter().chain(words.iter()).copied().collect();
        let got = memo_terms(&twice);
        assert_eq!(got[..4], expected);
        assert_eq!(got[4..], expected);
    }
}
