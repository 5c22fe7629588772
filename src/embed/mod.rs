//! Sentence embeddings on the CPU from local model files (a BERT-family encoder in safetensors
//! or ONNX, with its `tokenizer.json`), with mean pooling and L2 normalisation, and the vector
//! store that keeps them beside the index. Nothing here downloads anything.

mod bert;
pub mod calibration;
mod files;
mod model_id;
mod onnx;
mod source;
mod tokenizer_file;
mod vectors;
mod weights;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tokenizers::TruncationParams;

use bert::Bert;
use files::{Format, ModelFiles};
use onnx::OnnxEncoder;
pub use source::{BundledModel, ModelSource};
pub use vectors::{VectorSet, similarity};

use crate::{Error, Result};

/// The model shipped with mbc, relative to the repository root (the `mbc` binary also carries
/// it compiled in).
pub const DEFAULT_MODEL_DIR: &str = "models/all-MiniLM-L6-v2";
/// Word pieces per text; all-MiniLM-L6-v2 was trained with 256 at most. A model whose position
/// table is shorter (`max_position_embeddings` in `config.json`) gets its own limit.
const MAX_TOKENS: usize = 256;
/// Sequences per forward pass. Texts are sorted by length first, so a batch pads little. On 2
/// cores 8 measured best against 4, 16 and 32 for candle, the engine before mbc's own encoder
/// (which computes only the real tokens, padding none); for tract, 2, 4 and 8 were within
/// the noise of each other and 16 or 32 were a third slower (benches/embedding.rs, with this
/// constant changed).
const BATCH_SIZE: usize = 8;

/// How much of a model's vocabulary is loaded up front.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Load {
    /// All of it, once. For many texts: an index build, a server, an evaluation.
    Whole,
    /// For each call, the entries its texts can use (WordPiece models; others load whole; texts
    /// with very many distinct long words get the whole vocabulary, built once).
    /// For a process that embeds a query or two: loading the whole vocabulary took longer
    /// than the query's embedding. The entries of the `expected` texts are found while the
    /// weights load, so a call with those texts finds nothing more.
    PerCall { expected: Vec<String> },
}

/// A loaded sentence-embedding model.
pub struct Embedder {
    encoder: Encoder,
    tokenizer: tokenizer_file::Loaded,
    model_id: String,
    thresholds: Option<calibration::Thresholds>,
    load_times: LoadTimes,
}

/// How long the parts of loading a model took (they run at the same time).
#[derive(Debug, Clone, Copy)]
pub struct LoadTimes {
    pub tokenizer: Duration,
    pub weights: Duration,
}

/// The engine that runs the model, by the format of its weights.
enum Encoder {
    // Boxed: the model struct is ten times the size of the ONNX plan's handle.
    Bert(Box<Bert>),
    Onnx(OnnxEncoder),
}

impl Encoder {
    fn encode(&self, batch: &Batch) -> std::result::Result<Hidden, String> {
        match self {
            Encoder::Bert(model) => model.encode(batch),
            Encoder::Onnx(model) => model.encode(batch),
        }
    }
}

/// One padded batch of token ids, row-major `rows × width`; `mask` is 1 for real tokens.
struct Batch {
    ids: Vec<u32>,
    mask: Vec<u32>,
    rows: usize,
    width: usize,
}

impl Batch {
    fn new(sequences: &[&[u32]]) -> Batch {
        let width = sequences.iter().map(|s| s.len()).max().unwrap_or(0).max(1);
        let mut ids = Vec::with_capacity(sequences.len() * width);
        let mut mask = Vec::with_capacity(sequences.len() * width);
        for sequence in sequences {
            ids.extend_from_slice(sequence);
            ids.extend(std::iter::repeat_n(0, width - sequence.len()));
            mask.extend(std::iter::repeat_n(1, sequence.len()));
            mask.extend(std::iter::repeat_n(0, width - sequence.len()));
        }
        Batch {
            ids,
            mask,
            rows: sequences.len(),
            width,
        }
    }
}

/// What an encoder gives for a batch: a vector per token (`rows × width × dim`, to be
/// mean-pooled over the real tokens), or one pooled vector per row (`rows × dim`) from graphs
/// that pool themselves.
enum Hidden {
    Tokens(Vec<f32>),
    Pooled(Vec<f32>),
}

impl Hidden {
    /// One unit-length vector per row of the batch.
    fn pooled(self, batch: &Batch) -> std::result::Result<Vec<Vec<f32>>, String> {
        let (values, per_row) = match self {
            Hidden::Tokens(values) => (values, batch.width),
            Hidden::Pooled(values) => (values, 1),
        };
        let cells = batch.rows * per_row;
        if cells == 0 || values.is_empty() || values.len() % cells != 0 {
            return Err(format!(
                "the model returned {} values for a batch of {} × {}",
                values.len(),
                batch.rows,
                batch.width
            ));
        }
        let dim = values.len() / cells;
        let rows = values.chunks_exact(per_row * dim);
        Ok(rows
            .zip(batch.mask.chunks_exact(batch.width))
            .map(|(row, mask)| match per_row {
                1 => normalised(row.to_vec()),
                _ => normalised(masked_sum(row, mask, dim)),
            })
            .collect())
    }
}

/// The sum of a row's token vectors where the mask is 1. Normalising it afterwards gives the
/// normalised mean, so the mean's division is left out.
fn masked_sum(row: &[f32], mask: &[u32], dim: usize) -> Vec<f32> {
    let mut sum = vec![0.0; dim];
    for (vector, _) in row.chunks_exact(dim).zip(mask).filter(|&(_, &m)| m == 1) {
        sum.iter_mut().zip(vector).for_each(|(s, v)| *s += v);
    }
    sum
}

/// The vector scaled to unit length (a zero vector stays zero).
fn normalised(mut vector: Vec<f32>) -> Vec<f32> {
    let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    vector.iter_mut().for_each(|x| *x /= norm);
    vector
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

/// The engine that would run the model, if `source` holds one.
pub fn engine_of(source: &ModelSource) -> Option<Engine> {
    ModelFiles::locate(source)
        .ok()
        .map(|files| match files.format {
            Format::Safetensors => Engine::Bert,
            Format::Onnx => Engine::Tract,
        })
}

/// The inference engines `mbc` embeds with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// mbc's own BERT encoder (`bert`), for `model.safetensors`.
    Bert,
    /// tract, for ONNX graphs.
    Tract,
}

/// The id [`Embedder::load`] would give the model, without loading it: a build uses it to tell
/// whether stored vectors are still valid.
pub fn identify(source: &ModelSource) -> Result<String> {
    let files = ModelFiles::locate(source)?;
    files.id(
        &source.name(),
        files.config()?.as_deref(),
        &files.read("tokenizer.json")?,
        &files.map_weights()?,
    )
}

impl Embedder {
    /// Loads a model: `tokenizer.json`, and either `model.safetensors` with `config.json` (run
    /// by mbc's BERT encoder) or `model.onnx` / `onnx/model.onnx` (run by tract).
    pub fn load(source: &ModelSource) -> Result<Embedder> {
        Embedder::load_with(source, Load::Whole)
    }

    /// Loads a model, with as much up front as `load` says. Either way it gives the same
    /// vectors.
    pub fn load_with(source: &ModelSource, load: Load) -> Result<Embedder> {
        let label = source.label();
        let files = ModelFiles::locate(source)?;
        let config = files.config()?;
        let weights = files.map_weights()?;
        let tokenizer_bytes = files.read("tokenizer.json")?;
        let max_tokens = max_tokens(config.as_deref());
        let model_id = files.id(
            &source.name(),
            config.as_deref(),
            &tokenizer_bytes,
            &weights,
        )?;
        // Parsing the tokenizer and preparing the weights are independent: do both at once.
        let (tokenizer, encoder) = std::thread::scope(|scope| {
            let tokenizer = scope.spawn(|| {
                let started = Instant::now();
                let tokenizer = load_tokenizer(&label, &tokenizer_bytes, max_tokens, &load);
                tokenizer.map(|t| (t, started.elapsed()))
            });
            let started = Instant::now();
            let encoder = match files.onnx_path() {
                None => Bert::load(config.as_deref().unwrap_or_default(), &weights)
                    .map(|model| Encoder::Bert(Box::new(model))),
                Some(path) => OnnxEncoder::load(path).map(Encoder::Onnx),
            };
            let encoder = encoder.map(|e| (e, started.elapsed()));
            let tokenizer = tokenizer
                .join()
                .unwrap_or_else(|_| Err(model_error(&label, "tokenizer.json: loader crashed")));
            (tokenizer, encoder)
        });
        let (tokenizer, tokenizer_time) = tokenizer?;
        let (encoder, weights_time) =
            encoder.map_err(|e| model_error(&label, format!("{}: {e}", files.weights_name())))?;
        Ok(Embedder {
            encoder,
            tokenizer,
            thresholds: calibration::thresholds(source, &model_id),
            model_id,
            load_times: LoadTimes {
                tokenizer: tokenizer_time,
                weights: weights_time,
            },
        })
    }

    /// Identifies the model: its directory name and a hash of its files' contents.
    pub fn model_id(&self) -> &str {
        &self.model_id
    }

    /// How long loading it took.
    pub fn load_times(&self) -> LoadTimes {
        self.load_times
    }

    /// How this model's similarities are read, when it was calibrated ([`calibration`]).
    pub fn thresholds(&self) -> Option<calibration::Thresholds> {
        self.thresholds
    }

    /// Embeds texts; vectors come back in the order of `texts`, unit length.
    pub fn embed(&self, texts: &[String], progress: &dyn Fn(usize)) -> Result<Vec<Vec<f32>>> {
        let fail = |message: String| Error::Model {
            path: PathBuf::from(&self.model_id),
            message,
        };
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let encodings = self
            .tokenizer
            .for_texts(&texts)
            .map_err(|e| fail(format!("tokenizer.json: {e}")))?
            .encode_batch(texts, true)
            .map_err(|e| fail(e.to_string()))?;
        let mut order: Vec<usize> = (0..encodings.len()).collect();
        order.sort_by_key(|&i| encodings[i].get_ids().len());
        let mut vectors = vec![Vec::new(); encodings.len()];
        // One batch per core at a time: both engines leave a core idle on these small
        // matrices (measured in benches/embedding.rs).
        for group in order.chunks(BATCH_SIZE * rayon::current_num_threads()) {
            let pooled: Vec<_> = group
                .par_chunks(BATCH_SIZE)
                .map(|rows| {
                    let ids: Vec<&[u32]> = rows.iter().map(|&i| encodings[i].get_ids()).collect();
                    let batch = Batch::new(&ids);
                    self.encode(&batch)?.pooled(&batch)
                })
                .collect();
            for (rows, pooled) in group.chunks(BATCH_SIZE).zip(pooled) {
                for (&i, vector) in rows.iter().zip(pooled.map_err(fail)?) {
                    vectors[i] = vector;
                }
            }
            progress(group.len());
        }
        Ok(vectors)
    }

    /// One batch through the engine. A panic inside it (an engine indexing past a table the
    /// batch does not fit) becomes an error about the model, not a crash.
    fn encode(&self, batch: &Batch) -> std::result::Result<Hidden, String> {
        crate::guard::catch(|| self.encoder.encode(batch)).unwrap_or_else(|panic| {
            Err(format!(
                "the model failed on {} text(s) of up to {} word pieces ({panic}); if that is \
                 more than its position table holds, give the model directory a config.json \
                 with max_position_embeddings",
                batch.rows, batch.width,
            ))
        })
    }

    /// Embeds one query.
    pub fn embed_query(&self, text: &str) -> Result<Vec<f32>> {
        Ok(self.embed(&[text.to_string()], &|_| {})?.remove(0))
    }
}

/// The word-piece limit: [`MAX_TOKENS`], or less where `config.json` says the model's position
/// table is shorter.
fn max_tokens(config: Option<&[u8]>) -> usize {
    #[derive(serde::Deserialize)]
    struct Positions {
        max_position_embeddings: Option<usize>,
    }
    config
        .and_then(|bytes| serde_json::from_slice::<Positions>(bytes).ok())
        .and_then(|c| c.max_position_embeddings)
        .map_or(MAX_TOKENS, |limit| limit.clamp(2, MAX_TOKENS))
}

/// Parses `tokenizer.json`, set up as sentence-transformers uses it: the shipped file pads and
/// cuts at 128 word pieces; the model takes 256, and `embed` pads each batch itself.
fn load_tokenizer(
    label: &Path,
    bytes: &[u8],
    max_tokens: usize,
    load: &Load,
) -> Result<tokenizer_file::Loaded> {
    let mut tokenizer = tokenizer_file::parse_as(bytes, load)
        .map_err(|e| model_error(label, format!("tokenizer.json: {e}")))?;
    tokenizer
        .configure(|tokenizer| {
            tokenizer.with_padding(None);
            tokenizer
                .with_truncation(Some(TruncationParams {
                    max_length: max_tokens,
                    ..TruncationParams::default()
                }))
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .map_err(|e| model_error(label, e))?;
    Ok(tokenizer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_pad_to_the_longest_sequence_and_mask_the_padding() {
        let batch = Batch::new(&[&[5, 6, 7], &[8]]);
        assert_eq!((batch.rows, batch.width), (2, 3));
        assert_eq!(batch.ids, [5, 6, 7, 8, 0, 0]);
        assert_eq!(batch.mask, [1, 1, 1, 1, 0, 0]);
    }

    #[test]
    fn token_vectors_are_averaged_over_real_tokens_only() {
        let batch = Batch::new(&[&[1, 2], &[3]]);
        // Two rows × two positions × two dimensions; the padding position holds a huge value
        // that must not leak into the second row's mean.
        let hidden = Hidden::Tokens(vec![1.0, 0.0, 3.0, 0.0, 0.0, 2.0, 1e6, 1e6]);
        let pooled = hidden.pooled(&batch).unwrap();
        assert_eq!(pooled, [vec![1.0, 0.0], vec![0.0, 1.0]]);
    }

    #[test]
    fn pooled_outputs_are_only_normalised() {
        let batch = Batch::new(&[&[1, 2, 3]]);
        let pooled = Hidden::Pooled(vec![3.0, 4.0]).pooled(&batch).unwrap();
        assert_eq!(pooled, [vec![0.6, 0.8]]);
    }

    #[test]
    fn an_output_of_the_wrong_size_is_an_error_not_a_panic() {
        let batch = Batch::new(&[&[1, 2], &[3]]);
        let err = Hidden::Tokens(vec![1.0; 5]).pooled(&batch).unwrap_err();
        assert!(err.contains("5 values for a batch of 2 × 2"), "{err}");
        assert!(Hidden::Pooled(Vec::new()).pooled(&batch).is_err());
    }

    #[test]
    fn the_token_limit_follows_a_shorter_position_table() {
        assert_eq!(max_tokens(None), MAX_TOKENS);
        assert_eq!(max_tokens(Some(br#"{"max_position_embeddings": 64}"#)), 64);
        assert_eq!(
            max_tokens(Some(br#"{"max_position_embeddings": 512}"#)),
            MAX_TOKENS
        );
        assert_eq!(max_tokens(Some(b"not json")), MAX_TOKENS);
    }
}
