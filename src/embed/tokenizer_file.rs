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

use serde::Deserialize;
use serde_json::value::RawValue;
use tokenizers::models::wordpiece::WordPiece;
use tokenizers::{AddedToken, Tokenizer};

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

/// Parses a `tokenizer.json`.
pub fn parse(bytes: &[u8]) -> Result<Tokenizer, String> {
    match serde_json::from_slice::<File>(bytes) {
        Ok(file) if file.model.kind == Some("WordPiece") => parse_word_piece(bytes, &file),
        // Other models, and files this reading does not understand, go to the crate whole, so
        // that its error messages are the ones a person sees.
        _ => Tokenizer::from_bytes(bytes).map_err(|e| e.to_string()),
    }
}

fn parse_word_piece(bytes: &[u8], file: &File) -> Result<Tokenizer, String> {
    let vocab: ahash::AHashMap<String, u32> =
        serde_json::from_str(file.model.vocab.get()).map_err(|e| format!("vocab: {e}"))?;
    let added: Vec<Added> = match file.added_tokens {
        Some(raw) => serde_json::from_str(raw.get()).map_err(|e| format!("added_tokens: {e}"))?,
        None => Vec::new(),
    };
    let mut blanks = vec![(file.model.vocab, "{}")];
    blanks.extend(file.added_tokens.map(|raw| (raw, "[]")));
    let mut tokenizer =
        Tokenizer::from_bytes(blanked(bytes, &blanks)).map_err(|e| e.to_string())?;
    let tokenizers::ModelWrapper::WordPiece(shell) = tokenizer.get_model() else {
        return Err("the model changed kind when its vocabulary was taken out".into());
    };
    let model = WordPiece::builder()
        .vocab(vocab)
        .unk_token(shell.unk_token.clone())
        .continuing_subword_prefix(shell.continuing_subword_prefix.clone())
        .max_input_chars_per_word(shell.max_input_chars_per_word)
        .build()
        .map_err(|e| e.to_string())?;
    tokenizer.with_model(model);
    let added: Vec<AddedToken> = added.into_iter().map(|a| a.token).collect();
    tokenizer.add_tokens(&added);
    Ok(tokenizer)
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

    #[test]
    fn a_damaged_file_gets_the_crates_own_error() {
        let bytes = shipped();
        let cut = &bytes[..bytes.len() / 2];
        let quick = parse(cut).unwrap_err();
        let crates = Tokenizer::from_bytes(cut).unwrap_err().to_string();
        assert_eq!(quick, crates);
    }
}
