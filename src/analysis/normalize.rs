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
/// Lookups are the hot path of a build (one per word), so they avoid chasing pointers and keep
/// the tables small enough to stay in the CPU's cache: texts of up to 8 bytes (most words) are
/// keyed by their bytes as one `u64`, texts of up to 16 bytes as one `u128`, and the terms live
/// side by side in one string. Token texts never contain NUL, so zero padding is unambiguous.
struct Memo {
    word: FxHashMap<u64, Output>,
    short: FxHashMap<u128, Output>,
    long: FxHashMap<Box<str>, Output>,
    /// Every remembered term, one after another.
    terms: String,
    chain: TextAnalyzer,
}

/// Where a memoised term lies in [`Memo::terms`], as `start << 8 | length`; [`DROPPED`] if the
/// chain drops the token. (Terms are at most `MAX_TOKEN_BYTES` long, and `terms` stays far
/// below 2^24 bytes.)
type Output = u32;
const DROPPED: Output = u32::MAX;

/// How a token text is looked up.
enum Key {
    Word(u64),
    Short(u128),
    Long,
}

impl Key {
    fn of(text: &str) -> Key {
        let bytes = text.as_bytes();
        if bytes.len() <= 8 {
            let mut padded = [0u8; 8];
            padded[..bytes.len()].copy_from_slice(bytes);
            Key::Word(u64::from_le_bytes(padded))
        } else if bytes.len() <= 16 {
            let mut padded = [0u8; 16];
            padded[..bytes.len()].copy_from_slice(bytes);
            Key::Short(u128::from_le_bytes(padded))
        } else {
            Key::Long
        }
    }
}

impl Memo {
    fn new() -> Self {
        Memo {
            word: FxHashMap::default(),
            short: FxHashMap::default(),
            long: FxHashMap::default(),
            terms: String::new(),
            chain: single_token_chain(),
        }
    }

    /// The normalised term of a token's text; `None` if the chain drops the token.
    fn normalize(&mut self, text: &str) -> Option<&str> {
        debug_assert!(!text.contains('\0'));
        let key = Key::of(text);
        let known = match key {
            Key::Word(key) => self.word.get(&key),
            Key::Short(key) => self.short.get(&key),
            Key::Long => self.long.get(text),
        };
        let output = match known {
            Some(output) => *output,
            None => self.remember(text, key),
        };
        (output != DROPPED).then(|| {
            let start = (output >> 8) as usize;
            &self.terms[start..start + (output & 0xff) as usize]
        })
    }

    /// Runs the chain on a token's text and remembers the result.
    fn remember(&mut self, text: &str, key: Key) -> Output {
        if self.word.len() + self.short.len() + self.long.len() >= MEMO_CAPACITY {
            self.word.clear();
            self.short.clear();
            self.long.clear();
            self.terms.clear();
        }
        let mut stream = self.chain.token_stream(text);
        let output = if stream.advance() {
            let term = &stream.token().text;
            debug_assert!(term.len() <= 0xff && self.terms.len() < 1 << 24);
            let output = (self.terms.len() as u32) << 8 | term.len() as u32;
            self.terms.push_str(term);
            output
        } else {
            DROPPED
        };
        match key {
            Key::Word(key) => self.word.insert(key, output),
            Key::Short(key) => self.short.insert(key, output),
            Key::Long => self.long.insert(text.into(), output),
        };
        output
    }
}

/// Calls `visit(term, byte range, position)` for every term the medical analyzer makes of
/// `text`, without building tantivy tokens: the analysis of the index build and of highlighting.
/// `visit` must not analyze text itself (the memo is borrowed while it runs).
pub(crate) fn for_each_term(text: &str, visit: impl FnMut(&str, Range<usize>, usize)) {
    for_each_term_where(text, |_| true, visit);
}

/// [`for_each_term`] over only the tokens whose text (before normalisation) passes `wanted`: the
/// others are not normalised at all.
pub(crate) fn for_each_term_where(
    text: &str,
    wanted: impl Fn(&str) -> bool,
    mut visit: impl FnMut(&str, Range<usize>, usize),
) {
    MEMO.with_borrow_mut(|memo| {
        super::tokenizer::scan(text, |word, range, position| {
            if !wanted(word) {
                return;
            }
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
        // Texts on both sides of the 8- and 16-byte key limits, and words that differ only
        // past a limit.
        let words = [
            "Therapy",
            "Tamoxifen",
            "Chemotherapeutic",
            "Chemotherapeutics",
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
        assert_eq!(got[..words.len()], expected);
        assert_eq!(got[words.len()..], expected);
    }
}
