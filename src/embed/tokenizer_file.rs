//! Reading `tokenizer.json` quickly.
//!
//! The tokenizers crate reads a BERT tokenizer's 30,522-entry WordPiece vocabulary through
//! serde's buffered form of untagged enums, which took 20 ms: a fifth of a one-shot hybrid
//! search. Here the vocabulary is read straight into its map and handed to the crate's own
//! `WordPiece` (10 ms in all, most of it building the crate's two maps of 30,522 words); the
//! crate reads everything else from the file with the vocabulary and the added
//! tokens taken out, and the added tokens are then added as the crate adds them (after the
//! vocabulary, which gives them their ids). Any other kind of model is read by the crate as it
//! is.
//!
//! A process that embeds a query or two need not build those maps at all
//! ([`Load::PerCall`]): WordPiece looks up only pieces of the words it cuts, so a
//! tokenizer whose vocabulary holds just the entries that are pieces of the texts' words cuts
//! those texts exactly as the whole one does, with the same ids. Finding those entries is one
//! pass over the vocabulary's text with no map of it built (2–3 ms, against 9–22 ms for the
//! whole vocabulary in a one-shot search), made while the weights load for the texts the
//! caller expects. Texts with very many stretches of words (a pasted list of long codes) use
//! the whole vocabulary instead: listing their stretches would cost more than it.

use std::borrow::Cow;
use std::sync::OnceLock;

use serde::Deserialize;
use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde_json::value::RawValue;
use tokenizers::models::wordpiece::WordPiece;
use tokenizers::{
    AddedToken, Normalizer, OffsetReferential, OffsetType, PreTokenizedString, PreTokenizer,
    Tokenizer,
};

use super::Load;

/// The most stretches of words a call lists before it uses the whole vocabulary instead. A
/// query has a few hundred, a passage a few thousand; 100 KB of 99-letter "words" had 4.9
/// million, which took 7.7 s and 560 MB.
const MOST_STRETCHES: usize = 50_000;

/// A parsed `tokenizer.json`.
pub enum Loaded {
    Whole(Tokenizer),
    /// With the tokenizer for the expected texts, unless they have too many stretches.
    // Boxed: a second tokenizer.
    PerCall(WordPieceParts, Option<Box<Prepared>>),
}

/// A tokenizer for the expected texts, and their words, whose pieces it has entries for.
pub struct Prepared {
    words: ahash::AHashSet<String>,
    tokenizer: Tokenizer,
}

/// A WordPiece `tokenizer.json` taken apart: the tokenizer with an empty vocabulary and no added
/// tokens, and those two as the file has them.
pub struct WordPieceParts {
    shell: Tokenizer,
    /// The tokenizer with the whole vocabulary, once a call has needed it.
    whole: OnceLock<Result<Box<Tokenizer>, String>>,
    /// The vocabulary's JSON object, as text.
    vocab: String,
    added: Vec<AddedToken>,
    unk_token: String,
    continuing_subword_prefix: String,
    max_input_chars_per_word: usize,
}

/// The parts of the file read here; the rest is left to the tokenizers crate.
#[derive(Deserialize)]
struct File<'a> {
    #[serde(borrow)]
    added_tokens: Option<&'a RawValue>,
    #[serde(borrow)]
    model: Model<'a>,
}

#[derive(Deserialize)]
struct Model<'a> {
    #[serde(rename = "type")]
    kind: Option<&'a str>,
    #[serde(borrow)]
    vocab: &'a RawValue,
}

/// An entry of `added_tokens`: the token, and the id it had when the file was written (the
/// crate assigns ids itself, as here).
#[derive(Deserialize)]
struct Added {
    #[serde(flatten)]
    token: AddedToken,
}

/// Parses a `tokenizer.json`. Only a WordPiece model can be loaded [`Load::PerCall`];
/// any other is loaded whole.
pub fn parse_as(bytes: &[u8], load: &Load) -> Result<Loaded, String> {
    let Some(parts) = WordPieceParts::read(bytes)? else {
        return Ok(Loaded::Whole(
            Tokenizer::from_bytes(bytes).map_err(|e| e.to_string())?,
        ));
    };
    Ok(match load {
        Load::Whole => Loaded::Whole(parts.whole()?),
        Load::PerCall { expected } => {
            let texts: Vec<&str> = expected.iter().map(String::as_str).collect();
            let words = parts.words(&texts)?;
            let prepared = match parts.for_words(&words)? {
                Cow::Owned(tokenizer) => Some(Box::new(Prepared { words, tokenizer })),
                Cow::Borrowed(_) => None,
            };
            Loaded::PerCall(parts, prepared)
        }
    })
}

impl Loaded {
    /// Settings (truncation, padding) for every tokenizer this gives.
    pub fn configure(
        &mut self,
        settings: impl Fn(&mut Tokenizer) -> Result<(), String>,
    ) -> Result<(), String> {
        match self {
            Loaded::Whole(tokenizer) => settings(tokenizer),
            Loaded::PerCall(parts, prepared) => {
                settings(&mut parts.shell)?;
                if let Some(Ok(whole)) = parts.whole.get_mut() {
                    settings(whole)?;
                }
                match prepared {
                    Some(prepared) => settings(&mut prepared.tokenizer),
                    None => Ok(()),
                }
            }
        }
    }

    /// A tokenizer that cuts `texts` as the whole one does.
    pub fn for_texts(&self, texts: &[&str]) -> Result<Cow<'_, Tokenizer>, String> {
        let (parts, prepared) = match self {
            Loaded::Whole(tokenizer) => return Ok(Cow::Borrowed(tokenizer)),
            Loaded::PerCall(parts, prepared) => (parts, prepared),
        };
        let words = parts.words(texts)?;
        match prepared {
            Some(prepared) if words.is_subset(&prepared.words) => {
                Ok(Cow::Borrowed(&prepared.tokenizer))
            }
            _ => parts.for_words(&words),
        }
    }
}

impl WordPieceParts {
    /// The parts of a WordPiece file; `None` for other models, and for files this reading does
    /// not understand, which go to the crate whole so that its error messages are the ones a
    /// person sees.
    fn read(bytes: &[u8]) -> Result<Option<WordPieceParts>, String> {
        let file = match serde_json::from_slice::<File>(bytes) {
            Ok(file) if file.model.kind == Some("WordPiece") => file,
            _ => return Ok(None),
        };
        let added: Vec<Added> = match file.added_tokens {
            Some(raw) => {
                serde_json::from_str(raw.get()).map_err(|e| format!("added_tokens: {e}"))?
            }
            None => Vec::new(),
        };
        let mut blanks = vec![(file.model.vocab, "{}")];
        blanks.extend(file.added_tokens.map(|raw| (raw, "[]")));
        let shell = Tokenizer::from_bytes(blanked(bytes, &blanks)).map_err(|e| e.to_string())?;
        let tokenizers::ModelWrapper::WordPiece(model) = shell.get_model() else {
            return Err("the model changed kind when its vocabulary was taken out".into());
        };
        Ok(Some(WordPieceParts {
            whole: OnceLock::new(),
            unk_token: model.unk_token.clone(),
            continuing_subword_prefix: model.continuing_subword_prefix.clone(),
            max_input_chars_per_word: model.max_input_chars_per_word,
            vocab: file.model.vocab.get().to_string(),
            added: added.into_iter().map(|a| a.token).collect(),
            shell,
        }))
    }

    /// [`WordPieceParts::whole`], built once.
    fn cached_whole(&self) -> Result<&Tokenizer, String> {
        match self.whole.get_or_init(|| self.whole().map(Box::new)) {
            Ok(tokenizer) => Ok(tokenizer),
            Err(err) => Err(err.clone()),
        }
    }

    /// The tokenizer with the whole vocabulary.
    fn whole(&self) -> Result<Tokenizer, String> {
        let vocab: ahash::AHashMap<String, u32> =
            serde_json::from_str(&self.vocab).map_err(|e| format!("vocab: {e}"))?;
        self.with_vocab(vocab)
    }

    /// A tokenizer with the vocabulary entries that are pieces of `words`, which cuts any text
    /// of those words as [`WordPieceParts::whole`] would. Words with more than
    /// [`MOST_STRETCHES`] stretches get the whole vocabulary, as does a file with an added
    /// token missing from its vocabulary: that token gets an id after the vocabulary's, which a
    /// cut vocabulary would change.
    fn for_words(&self, words: &ahash::AHashSet<String>) -> Result<Cow<'_, Tokenizer>, String> {
        let Some(pieces) = self.stretches(words) else {
            return self.cached_whole().map(Cow::Borrowed);
        };
        let vocab = self.kept_vocab(&pieces)?;
        let all_added = self
            .added
            .iter()
            .all(|token| vocab.contains_key(&token.content));
        match all_added {
            true => self.with_vocab(vocab).map(Cow::Owned),
            false => self.cached_whole().map(Cow::Borrowed),
        }
    }

    fn with_vocab(&self, vocab: ahash::AHashMap<String, u32>) -> Result<Tokenizer, String> {
        let model = WordPiece::builder()
            .vocab(vocab)
            .unk_token(self.unk_token.clone())
            .continuing_subword_prefix(self.continuing_subword_prefix.clone())
            .max_input_chars_per_word(self.max_input_chars_per_word)
            .build()
            .map_err(|e| e.to_string())?;
        let mut tokenizer = self.shell.clone();
        tokenizer.with_model(model);
        tokenizer.add_tokens(&self.added);
        Ok(tokenizer)
    }

    /// Every stretch of every one of `words`: WordPiece looks up only such stretches (with the
    /// continuation prefix after a word's start), and none in a word longer than
    /// `max_input_chars_per_word`. `None` when there are more than [`MOST_STRETCHES`].
    fn stretches(&self, words: &ahash::AHashSet<String>) -> Option<ahash::AHashSet<String>> {
        let stretches: usize = words
            .iter()
            .map(|word| word.chars().count())
            .filter(|&chars| chars <= self.max_input_chars_per_word)
            .map(|chars| chars * (chars + 1) / 2)
            .sum();
        if stretches > MOST_STRETCHES {
            return None;
        }
        let mut pieces = ahash::AHashSet::with_capacity(stretches);
        for word in words {
            add_stretches(word, self.max_input_chars_per_word, &mut pieces);
        }
        Some(pieces)
    }

    /// The distinct words of `texts`, normalized and split as the tokenizer does. The texts
    /// are read without the added tokens taken out first, which can only join words: their
    /// stretches include every word's the tokenizer then cuts.
    fn words(&self, texts: &[&str]) -> Result<ahash::AHashSet<String>, String> {
        let mut distinct = ahash::AHashSet::new();
        for text in texts {
            let mut words = PreTokenizedString::from(*text);
            if let Some(normalizer) = self.shell.get_normalizer() {
                words
                    .normalize(|s| normalizer.normalize(s))
                    .map_err(|e| e.to_string())?;
            }
            if let Some(pre_tokenizer) = self.shell.get_pre_tokenizer() {
                pre_tokenizer
                    .pre_tokenize(&mut words)
                    .map_err(|e| e.to_string())?;
            }
            let splits = words.get_splits(OffsetReferential::Original, OffsetType::None);
            distinct.extend(splits.into_iter().map(|(word, _, _)| word.to_string()));
        }
        Ok(distinct)
    }

    /// The vocabulary entries that are one of `pieces` (with or without the continuation
    /// prefix), the unknown token and the added tokens.
    fn kept_vocab(
        &self,
        pieces: &ahash::AHashSet<String>,
    ) -> Result<ahash::AHashMap<String, u32>, String> {
        let keeps = |token: &str| {
            let piece = token
                .strip_prefix(self.continuing_subword_prefix.as_str())
                .unwrap_or(token);
            pieces.contains(piece)
                || token == self.unk_token
                || self.added.iter().any(|added| added.content == token)
        };
        let mut reader = serde_json::Deserializer::from_str(&self.vocab);
        KeptEntries(&keeps)
            .deserialize(&mut reader)
            .map_err(|e| format!("vocab: {e}"))
    }
}

/// Adds every stretch of `word` to `pieces`, unless the word is longer than `limit` characters.
fn add_stretches(word: &str, limit: usize, pieces: &mut ahash::AHashSet<String>) {
    let starts: Vec<usize> = word.char_indices().map(|(at, _)| at).collect();
    if starts.len() > limit {
        return;
    }
    for (i, &start) in starts.iter().enumerate() {
        for &end in starts[i + 1..].iter().chain([&word.len()]) {
            if !pieces.contains(&word[start..end]) {
                pieces.insert(word[start..end].to_string());
            }
        }
    }
}

/// Reads a vocabulary object, keeping the entries whose token `.0` keeps.
struct KeptEntries<'k>(&'k dyn Fn(&str) -> bool);

impl<'de> DeserializeSeed<'de> for KeptEntries<'_> {
    type Value = ahash::AHashMap<String, u32>;

    fn deserialize<D: serde::Deserializer<'de>>(self, reader: D) -> Result<Self::Value, D::Error> {
        reader.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for KeptEntries<'_> {
    type Value = ahash::AHashMap<String, u32>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a map of word pieces to ids")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut entries: M) -> Result<Self::Value, M::Error> {
        let mut kept = ahash::AHashMap::new();
        while let Some(token) = entries.next_key_seed(KeptToken(self.0))? {
            let id: u32 = entries.next_value()?;
            if let Some(token) = token {
                kept.insert(token, id);
            }
        }
        Ok(kept)
    }
}

/// A token of the vocabulary, copied only when it is kept.
struct KeptToken<'k>(&'k dyn Fn(&str) -> bool);

impl<'de> DeserializeSeed<'de> for KeptToken<'_> {
    type Value = Option<String>;

    fn deserialize<D: serde::Deserializer<'de>>(self, reader: D) -> Result<Self::Value, D::Error> {
        reader.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeptToken<'_> {
    type Value = Option<String>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a word piece")
    }

    fn visit_str<E: serde::de::Error>(self, token: &str) -> Result<Self::Value, E> {
        Ok((self.0)(token).then(|| token.to_string()))
    }
}

/// `bytes` with each `(value, replacement)`'s value, a slice of `bytes`, replaced.
fn blanked(bytes: &[u8], blanks: &[(&RawValue, &str)]) -> Vec<u8> {
    let mut spans: Vec<(usize, usize, &str)> = blanks
        .iter()
        .map(|(raw, with)| {
            let start = raw.get().as_ptr() as usize - bytes.as_ptr() as usize;
            (start, start + raw.get().len(), *with)
        })
        .collect();
    spans.sort_unstable();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    for (start, end, with) in spans {
        out.extend_from_slice(&bytes[at..start]);
        out.extend_from_slice(with.as_bytes());
        at = end;
    }
    out.extend_from_slice(&bytes[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses a `tokenizer.json` with the whole vocabulary.
    fn parse(bytes: &[u8]) -> Result<Tokenizer, String> {
        match parse_as(bytes, &Load::Whole)? {
            Loaded::Whole(tokenizer) => Ok(tokenizer),
            Loaded::PerCall(..) => unreachable!("asked for the whole vocabulary"),
        }
    }

    fn shipped() -> Vec<u8> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/models/all-MiniLM-L6-v2");
        std::fs::read(format!("{dir}/tokenizer.json")).unwrap()
    }

    /// Every passage of the bundled corpus, and text chosen to reach the special tokens,
    /// accents, CJK, unknown word pieces and over-long words.
    fn texts() -> Vec<String> {
        let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
        let mut texts: Vec<String> = std::fs::read_dir(corpus)
            .unwrap()
            .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default())
            .flat_map(|text| text.split("\n\n").map(str::to_string).collect::<Vec<_>>())
            .collect();
        texts.extend(
            [
                "[CLS] herceptin [SEP] [MASK] [PAD] [UNK]",
                "Crème brûlée, naïve café — “quotes” ‘and’ …",
                "乳腺癌 转移 治疗 😀 ﬁne ½",
                &"pneumonoultramicroscopicsilicovolcanoconiosis".repeat(5),
                "T-DM1, CDK4/6, PD-L1+ (≥1%), HER2-low; ER+/PR-",
                "",
            ]
            .map(str::to_string),
        );
        texts
    }

    #[test]
    fn the_quick_reading_tokenizes_exactly_as_the_crates_own() {
        let bytes = shipped();
        let quick = parse(&bytes).unwrap();
        let crates = Tokenizer::from_bytes(&bytes).unwrap();
        assert_eq!(quick.get_vocab_size(true), crates.get_vocab_size(true));
        for text in texts() {
            let a = quick.encode(text.as_str(), true).unwrap();
            let b = crates.encode(text.as_str(), true).unwrap();
            assert_eq!(a.get_ids(), b.get_ids(), "{text}");
            assert_eq!(a.get_tokens(), b.get_tokens(), "{text}");
            assert_eq!(a.get_special_tokens_mask(), b.get_special_tokens_mask());
        }
    }

    /// Encodes each text alone and all of them in one batch, as `embed` does.
    fn ids(tokenizer: &Tokenizer, texts: &[&str]) -> Vec<Vec<u32>> {
        let mut ids: Vec<Vec<u32>> = texts
            .iter()
            .map(|text| tokenizer.encode(*text, true).unwrap().get_ids().to_vec())
            .collect();
        let batch = tokenizer.encode_batch(texts.to_vec(), true).unwrap();
        ids.extend(batch.iter().map(|e| e.get_ids().to_vec()));
        ids
    }

    #[test]
    fn a_vocabulary_read_per_call_tokenizes_exactly_as_the_crates_own() {
        let bytes = shipped();
        let crates = Tokenizer::from_bytes(&bytes).unwrap();
        let texts = texts();
        let expected = vec!["hormone therapy for bone metastases".to_string()];
        let loaded = parse_as(&bytes, &Load::PerCall { expected }).unwrap();
        for chunk in texts.chunks(8) {
            let chunk: Vec<&str> = chunk.iter().map(String::as_str).collect();
            let per_call = loaded.for_texts(&chunk).unwrap();
            assert!(
                per_call.get_vocab_size(true) < 30_522,
                "the whole vocabulary was loaded"
            );
            assert_eq!(ids(&per_call, &chunk), ids(&crates, &chunk), "{chunk:?}");
        }
    }

    #[test]
    fn the_expected_texts_need_no_reading_of_the_vocabulary_when_they_come() {
        let bytes = shipped();
        let crates = Tokenizer::from_bytes(&bytes).unwrap();
        let query = "can i still exercize with bone mets?";
        let loaded = parse_as(
            &bytes,
            &Load::PerCall {
                expected: vec![query.to_string()],
            },
        )
        .unwrap();
        let prepared = loaded.for_texts(&[query]).unwrap();
        assert!(matches!(prepared, Cow::Borrowed(_)), "built again");
        assert_eq!(ids(&prepared, &[query]), ids(&crates, &[query]));
        // Words the expected text lacks are found when they come.
        let other = "tamoxifen and hot flashes";
        let built = loaded.for_texts(&[other]).unwrap();
        assert!(
            matches!(built, Cow::Owned(_)),
            "{other} has pieces not prepared"
        );
        assert_eq!(ids(&built, &[other]), ids(&crates, &[other]));
    }

    #[test]
    fn a_text_of_very_many_stretches_gets_the_whole_vocabulary() {
        // 1,000 distinct 99-letter "words" (a pasted list of codes) have 4.9 million
        // stretches: listing them took seconds and half a gigabyte.
        let mut seed = 7_u64;
        let mut letter = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            char::from(b'a' + (seed >> 59) as u8 % 26)
        };
        let codes: Vec<String> = (0..1_000)
            .map(|_| (0..99).map(|_| letter()).collect())
            .collect();
        let text = codes.join(" ");
        let bytes = shipped();
        let loaded = parse_as(&bytes, &Load::PerCall { expected: vec![] }).unwrap();
        let tokenizer = loaded.for_texts(&[&text]).unwrap();
        assert_eq!(tokenizer.get_vocab_size(true), 30_522);
        let crates = Tokenizer::from_bytes(&bytes).unwrap();
        let some = &text[..2_000];
        assert_eq!(ids(&tokenizer, &[some]), ids(&crates, &[some]));
    }

    #[test]
    fn an_added_token_outside_the_vocabulary_keeps_its_id() {
        // The crate numbers an added token the vocabulary lacks after the whole vocabulary; a
        // vocabulary cut to a few entries would number it differently.
        let mut file: serde_json::Value = serde_json::from_slice(&shipped()).unwrap();
        let added = file["added_tokens"].as_array_mut().unwrap();
        let mut extra = added[0].clone();
        extra["content"] = "[EXTRA]".into();
        extra["id"] = 30_522.into();
        added.push(extra);
        let bytes = serde_json::to_vec(&file).unwrap();
        let crates = Tokenizer::from_bytes(&bytes).unwrap();
        let text = "herceptin [EXTRA] heart";
        let loaded = parse_as(&bytes, &Load::PerCall { expected: vec![] }).unwrap();
        let per_call = loaded.for_texts(&[text]).unwrap();
        assert_eq!(ids(&per_call, &[text]), ids(&crates, &[text]));
        assert!(ids(&crates, &[text])[0].contains(&30_522));
    }

    #[test]
    fn a_damaged_file_gets_the_crates_own_error() {
        let bytes = shipped();
        let cut = &bytes[..bytes.len() / 2];
        let quick = parse(cut).unwrap_err();
        let crates = Tokenizer::from_bytes(cut).unwrap_err().to_string();
        assert_eq!(quick, crates);
    }
}
