//! Sentence embeddings on the CPU from local model files (a BERT-family encoder in safetensors
//! with its `tokenizer.json`), with mean pooling and L2 normalisation, and the vector store that
//! keeps them beside the index. Nothing here downloads anything.

mod vectors;

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use rayon::prelude::*;
use safetensors::{Dtype as SafeDtype, SafeTensors};
use tokenizers::{Tokenizer, TruncationParams};

pub use vectors::VectorSet;

use crate::{Error, Result};

/// The model shipped with mbc, relative to the repository root.
pub const DEFAULT_MODEL_DIR: &str = "models/all-MiniLM-L6-v2";
/// Word pieces per text; all-MiniLM-L6-v2 was trained with 256 at most.
const MAX_TOKENS: usize = 256;
/// Sequences per forward pass. Texts are sorted by length first, so a batch pads little; 8
/// measured best on 2 cores against 4, 16 and 32 (benches/embedding.rs).
const BATCH_SIZE: usize = 8;

/// A loaded sentence-embedding model.
pub struct Embedder {
    model: BertModel,
    tokenizer: Tokenizer,
    model_id: String,
    device: Device,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder")
            .field("model_id", &self.model_id)
            .finish()
    }
}

fn model_error(dir: &Path, what: impl std::fmt::Display) -> Error {
    Error::Model {
        path: dir.to_path_buf(),
        message: what.to_string(),
    }
}

/// Settles, once at start-up and before any thread starts, how candle uses the cores: `embed`
/// runs one batch per core itself, and candle's own per-operation thread pool on top of that
/// only made the batches wait for each other (23 → 42 passages/s on the bundled corpus with
/// [`keep_scratch_memory`]). A `CANDLE_NUM_THREADS` already set by the user is kept.
pub fn configure_threads() {
    if std::env::var_os("CANDLE_NUM_THREADS").is_none() {
        std::env::set_var("CANDLE_NUM_THREADS", "1");
    }
}

/// glibc hands large freed blocks straight back to the kernel, and the model frees and
/// reallocates megabytes of scratch tensors per layer: every operation then paid for fresh
/// pages. Raising the thresholds keeps that memory for reuse. Only processes that embed call
/// this: a lexical index build stays at its smaller peak.
fn keep_scratch_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt takes plain integers and only changes allocator thresholds; glibc
    // serialises it with allocation.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 64 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
    }
}

/// The id [`Embedder::load`] would give the model in `dir`, without loading it: a build uses it
/// to tell whether stored vectors are still valid.
pub fn identify(dir: &Path) -> Result<String> {
    let read = |name: &str| {
        std::fs::read(dir.join(name))
            .map_err(|e| model_error(dir, format!("cannot read {name}: {e}")))
    };
    Ok(model_id(
        dir,
        &read("config.json")?,
        &read("tokenizer.json")?,
        &map_weights(dir)?,
    ))
}

impl Embedder {
    /// Loads `config.json`, `tokenizer.json` and `model.safetensors` from a model directory.
    /// Weights stored in half precision are widened to f32 for computing.
    pub fn load(dir: &Path) -> Result<Embedder> {
        let read = |name: &str| {
            std::fs::read(dir.join(name))
                .map_err(|e| model_error(dir, format!("cannot read {name}: {e}")))
        };
        let config_bytes = read("config.json")?;
        let config: Config = serde_json::from_slice(&config_bytes)
            .map_err(|e| model_error(dir, format!("config.json: {e}")))?;
        let weights = map_weights(dir)?;
        keep_scratch_memory();
        let device = Device::Cpu;
        // Parsing the tokenizer and widening the weights are independent: do both at once.
        let (tokenizer, vb) = std::thread::scope(|scope| {
            let tokenizer = scope.spawn(|| load_tokenizer(dir));
            let vb = widened_weights(&weights, &device)
                .map_err(|e| model_error(dir, format!("model.safetensors: {e}")));
            (
                tokenizer
                    .join()
                    .unwrap_or_else(|_| Err(model_error(dir, "tokenizer.json: loader crashed"))),
                vb,
            )
        });
        let (tokenizer, tokenizer_bytes) = tokenizer?;
        let model_id = model_id(dir, &config_bytes, &tokenizer_bytes, &weights);
        let vb = vb?;
        let model = BertModel::load(vb, &config)
            .map_err(|e| model_error(dir, format!("model.safetensors: {e}")))?;
        Ok(Embedder {
            model,
            tokenizer,
            model_id,
            device,
        })
    }

    /// Identifies the model: its directory name and a hash of its files' contents.
    pub fn model_id(&self) -> &str {
        &self.model_id
    }

    /// Embeds texts; vectors come back in the order of `texts`, unit length.
    pub fn embed(&self, texts: &[String], progress: &dyn Fn(usize)) -> Result<Vec<Vec<f32>>> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.iter().map(String::as_str).collect::<Vec<_>>(), true)
            .map_err(|e| Error::Model {
                path: PathBuf::from(&self.model_id),
                message: e.to_string(),
            })?;
        let mut order: Vec<usize> = (0..encodings.len()).collect();
        order.sort_by_key(|&i| encodings[i].get_ids().len());
        let mut vectors = vec![Vec::new(); encodings.len()];
        // One batch per core at a time: candle's kernels leave a core idle on these small
        // matrices (measured in benches/embedding.rs).
        let batch_size = BATCH_SIZE;
        for group in order.chunks(batch_size * rayon::current_num_threads()) {
            let pooled: Vec<candle_core::Result<Vec<Vec<f32>>>> = group
                .par_chunks(batch_size)
                .map(|batch| {
                    let ids: Vec<&[u32]> = batch.iter().map(|&i| encodings[i].get_ids()).collect();
                    self.forward(&ids)
                })
                .collect();
            for (batch, pooled) in group.chunks(batch_size).zip(pooled) {
                let pooled = pooled.map_err(|e| Error::Model {
                    path: PathBuf::from(&self.model_id),
                    message: e.to_string(),
                })?;
                for (&i, vector) in batch.iter().zip(pooled) {
                    vectors[i] = vector;
                }
            }
            progress(group.len());
        }
        Ok(vectors)
    }

    /// Embeds one query.
    pub fn embed_query(&self, text: &str) -> Result<Vec<f32>> {
        Ok(self.embed(&[text.to_string()], &|_| {})?.remove(0))
    }

    /// One padded batch through the encoder, mean-pooled over real tokens and normalised.
    fn forward(&self, ids: &[&[u32]]) -> candle_core::Result<Vec<Vec<f32>>> {
        let width = ids.iter().map(|s| s.len()).max().unwrap_or(0).max(1);
        let mut input = Vec::with_capacity(ids.len() * width);
        let mut mask = Vec::with_capacity(ids.len() * width);
        for sequence in ids {
            input.extend(sequence.iter().copied());
            input.extend(std::iter::repeat_n(0, width - sequence.len()));
            mask.extend(std::iter::repeat_n(1u32, sequence.len()));
            mask.extend(std::iter::repeat_n(0u32, width - sequence.len()));
        }
        let shape = (ids.len(), width);
        let input = Tensor::from_vec(input, shape, &self.device)?;
        let mask = Tensor::from_vec(mask, shape, &self.device)?;
        let token_types = input.zeros_like()?;
        let hidden = self.model.forward(&input, &token_types, Some(&mask))?;
        let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
        let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
        let counts = mask.sum(1)?.clamp(1.0, f64::MAX)?;
        let mean = summed.broadcast_div(&counts)?;
        let norms = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
        mean.broadcast_div(&norms)?.to_vec2()
    }
}

/// The weights file, mapped rather than read: widening reads each byte once, straight from the
/// page cache, and no 45 MB copy is made first.
fn map_weights(dir: &Path) -> Result<memmap2::Mmap> {
    let path = dir.join("model.safetensors");
    let file = std::fs::File::open(&path)
        .map_err(|e| model_error(dir, format!("cannot read model.safetensors: {e}")))?;
    // SAFETY: the map is read-only and lives only while the model loads. Were the file
    // truncated meanwhile, reads would fault; model files are not edited while in use.
    unsafe { memmap2::Mmap::map(&file) }
        .map_err(|e| model_error(dir, format!("cannot read model.safetensors: {e}")))
}

/// The weights as f32 tensors, widened in parallel one tensor per task straight from the file's
/// bytes (no half-precision tensors in between: loading is mostly memory traffic). Integer
/// tensors (buffers such as position ids) are not weights and are left out.
fn widened_weights(bytes: &[u8], device: &Device) -> candle_core::Result<VarBuilder<'static>> {
    let file = SafeTensors::deserialize(bytes).map_err(candle_core::Error::wrap)?;
    let widened = file
        .tensors()
        .into_par_iter()
        .filter_map(|(name, view)| {
            let values = widen(view.dtype(), view.data())?;
            Some(Tensor::from_vec(values, view.shape(), device).map(|t| (name, t)))
        })
        .collect::<candle_core::Result<std::collections::HashMap<_, _>>>()?;
    Ok(VarBuilder::from_tensors(widened, DType::F32, device))
}

/// Little-endian floating-point bytes as f32 values; `None` for other element types.
fn widen(dtype: SafeDtype, bytes: &[u8]) -> Option<Vec<f32>> {
    match dtype {
        SafeDtype::F32 => Some(
            bytes
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
        ),
        SafeDtype::F16 => Some(widen_halves(bytes, half::f16::from_le_bytes)),
        SafeDtype::BF16 => Some(widen_halves(bytes, half::bf16::from_le_bytes)),
        _ => None,
    }
}

/// Two-byte floats to f32, a block at a time so `half` can use the CPU's conversion
/// instructions (one value at a time was most of the model's load time).
fn widen_halves<H>(bytes: &[u8], from_le_bytes: fn([u8; 2]) -> H) -> Vec<f32>
where
    H: Copy + Default,
    [H]: half::slice::HalfFloatSliceExt,
{
    const BLOCK: usize = 1024;
    let mut out = vec![0.0; bytes.len() / 2];
    let mut block = [H::default(); BLOCK];
    for (src, dst) in bytes.chunks(2 * BLOCK).zip(out.chunks_mut(BLOCK)) {
        let block = &mut block[..dst.len()];
        for (value, b) in block.iter_mut().zip(src.chunks_exact(2)) {
            *value = from_le_bytes([b[0], b[1]]);
        }
        half::slice::HalfFloatSliceExt::convert_to_f32_slice(block, dst);
    }
    out
}

/// Reads `tokenizer.json`, set up as sentence-transformers uses it: the shipped file pads and
/// cuts at 128 word pieces; the model takes 256, and `embed` pads each batch itself.
fn load_tokenizer(dir: &Path) -> Result<(Tokenizer, Vec<u8>)> {
    let bytes = std::fs::read(dir.join("tokenizer.json"))
        .map_err(|e| model_error(dir, format!("cannot read tokenizer.json: {e}")))?;
    let mut tokenizer = Tokenizer::from_bytes(&bytes)
        .map_err(|e| model_error(dir, format!("tokenizer.json: {e}")))?;
    tokenizer.with_padding(None);
    tokenizer
        .with_truncation(Some(TruncationParams {
            max_length: MAX_TOKENS,
            ..TruncationParams::default()
        }))
        .map_err(|e| model_error(dir, e))?;
    Ok((tokenizer, bytes))
}

/// Weights are identified by their size and a sample of 4 KiB from every MiB (hashing all 45 MB
/// would add a noticeable delay to every semantic search), plus the exact config and tokenizer.
fn model_id(dir: &Path, config: &[u8], tokenizer: &[u8], weights: &[u8]) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(config);
    hasher.update(tokenizer);
    hasher.update(&(weights.len() as u64).to_le_bytes());
    for chunk in weights.chunks(1 << 20) {
        hasher.update(&chunk[..chunk.len().min(4096)]);
    }
    let name = dir
        .file_name()
        .map_or_else(|| "model".into(), |n| n.to_string_lossy().into_owned());
    format!("{name}@{}", &hasher.finalize().to_hex()[..12])
}
