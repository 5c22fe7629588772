//! How a model is identified: its name and a hash of its files' contents. Stored vectors are
//! valid for the model id they were computed with.
//!
//! `build.rs` includes this file too, to give the built-in model the id of the directory it was
//! made from (the program carries its weights widened, in other bytes, but they are the same
//! model), so this file uses nothing but `blake3`.

/// Weights are identified by their size and a sample of 4 KiB from every MiB (hashing all 45 MB
/// would add a noticeable delay to every semantic search), plus the exact config and tokenizer.
/// External weight files count like the main one.
pub fn model_id(
    name: &str,
    config: Option<&[u8]>,
    tokenizer: &[u8],
    weights: &[u8],
    external: &[&[u8]],
) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(config.unwrap_or_default());
    hasher.update(tokenizer);
    for file in std::iter::once(weights).chain(external.iter().copied()) {
        hasher.update(&(file.len() as u64).to_le_bytes());
        for chunk in file.chunks(1 << 20) {
            hasher.update(&chunk[..chunk.len().min(4096)]);
        }
    }
    format!("{name}@{}", &hasher.finalize().to_hex()[..12])
}
