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
struct Memo {
    terms: FxHashMap<String, Option<String>>,
    chain: TextAnalyzer,
}

impl Memo {
    fn new() -> Self {
        Memo {
            terms: FxHashMap::default(),
            chain: single_token_chain(),
        }
    }

    /// Rewrites `text` to its normalised term; `false` if the token is dropped.
    fn normalize(&mut self, text: &mut String) -> bool {
        if let Some(term) = self.terms.get(text.as_str()) {
            return replace(text, term.as_deref());
        }
        let term = {
            let mut stream = self.chain.token_stream(text);
            stream.advance().then(|| stream.token().text.clone())
        };
        if self.terms.len() >= MEMO_CAPACITY {
            self.terms.clear();
        }
        self.terms.insert(text.clone(), term.clone());
        replace(text, term.as_deref())
    }
}

fn replace(text: &mut String, term: Option<&str>) -> bool {
    match term {
        Some(term) => {
            if text != term {
                text.clear();
                text.push_str(term);
            }
            true
        }
        None => false,
    }
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
            if MEMO.with_borrow_mut(|memo| memo.normalize(text)) {
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
            .map(|t| {
                let mut text = t.to_string();
                memo.normalize(&mut text).then_some(text)
            })
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
}
