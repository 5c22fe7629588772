//! The safetensors engine: a BERT encoder (the architecture of all-MiniLM-L6-v2 and of the
//! sentence-transformers models built like it) run on the CPU, its matrix products by `gemm`.
//!
//! Why not a general tensor library (mbc used candle before): its tensors own their memory, so
//! every weight had to be copied into a fresh buffer at load, 42 MB for MiniLM. On a one-shot
//! search that copy took longer than the query's embedding and was most of the search. This
//! encoder computes on weights wherever they lie ([`super::weights`]): the built-in model's
//! are the program's own bytes, ready without a load. The forward pass is the short, fixed
//! sequence of Hugging Face's `BertModel`: embeddings, then per layer self-attention and a
//! feed-forward block, each followed by a residual sum and layer normalisation.

use rayon::prelude::*;
use serde::Deserialize;

use super::files::Bytes;
use super::weights::{WeightFile, Weights, WordPieceTable};
use super::{Batch, Hidden};

/// A BERT encoder loaded from `config.json` and the bytes of `model.safetensors`.
pub struct Bert {
    config: Config,
    word_pieces: WordPieceTable,
    /// `max_position_embeddings × hidden_size`.
    positions: Weights,
    /// The first token type's row: every text is one segment.
    token_type: Weights,
    embedding_norm: Norm,
    layers: Vec<Layer>,
}

/// The parts of `config.json` the forward pass needs.
#[derive(Debug, Clone, Deserialize)]
struct Config {
    hidden_size: usize,
    num_attention_heads: usize,
    num_hidden_layers: usize,
    intermediate_size: usize,
    max_position_embeddings: usize,
    #[serde(default = "one_type")]
    type_vocab_size: usize,
    #[serde(default = "bert_epsilon")]
    layer_norm_eps: f64,
    #[serde(default)]
    hidden_act: Activation,
}

fn one_type() -> usize {
    1
}

fn bert_epsilon() -> f64 {
    1e-12
}

/// The feed-forward activation, by the names Hugging Face configs give it.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
enum Activation {
    /// The exact GELU, with the error function.
    #[default]
    #[serde(rename = "gelu")]
    Gelu,
    /// GELU's tanh approximation.
    #[serde(
        alias = "gelu_new",
        alias = "gelu_pytorch_tanh",
        alias = "gelu_approximate"
    )]
    GeluTanh,
    #[serde(rename = "relu")]
    Relu,
}

/// One encoder layer.
struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attention_output: Linear,
    attention_norm: Norm,
    intermediate: Linear,
    output: Linear,
    output_norm: Norm,
}

/// `y = x Wᵀ + b`, with `W` stored `outputs × inputs` as PyTorch stores it.
struct Linear {
    weight: Weights,
    bias: Weights,
    inputs: usize,
    outputs: usize,
}

/// Layer normalisation over each token's vector.
struct Norm {
    weight: Weights,
    bias: Weights,
    epsilon: f32,
}

impl Bert {
    /// Reads the weights `config` describes from `weights`; a tensor that is missing or of the
    /// wrong shape is an error here, not at the first search.
    pub fn load(config: &[u8], weights: &Bytes) -> Result<Bert, String> {
        let config: Config =
            serde_json::from_slice(config).map_err(|e| format!("config.json: {e}"))?;
        if config.num_attention_heads == 0
            || !config
                .hidden_size
                .is_multiple_of(config.num_attention_heads)
        {
            return Err(format!(
                "config.json: {} attention heads do not divide a hidden size of {}",
                config.num_attention_heads, config.hidden_size
            ));
        }
        let file = WeightFile::parse(weights)?;
        let hidden = config.hidden_size;
        let token_types = file.tensor(
            "embeddings.token_type_embeddings.weight",
            &[config.type_vocab_size, hidden],
        )?;
        // Widening, where there is any, is most of a load: one layer per task.
        let layers = (0..config.num_hidden_layers)
            .into_par_iter()
            .map(|i| Layer::load(&file, &format!("encoder.layer.{i}."), &config))
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Bert {
            word_pieces: file.word_pieces(hidden)?,
            positions: file.tensor(
                "embeddings.position_embeddings.weight",
                &[config.max_position_embeddings, hidden],
            )?,
            token_type: token_types[..hidden].to_vec().into(),
            embedding_norm: Norm::load(&file, "embeddings.LayerNorm.", &config)?,
            layers,
            config,
        })
    }

    /// The batch through the encoder: one vector per token, padding positions zero.
    pub fn encode(&self, batch: &Batch) -> Result<Hidden, String> {
        let hidden = self.config.hidden_size;
        let lengths: Vec<usize> = batch
            .mask
            .chunks_exact(batch.width)
            .map(|row| row.iter().filter(|&&m| m == 1).count())
            .collect();
        if batch.width > self.config.max_position_embeddings {
            return Err(format!(
                "a text of {} word pieces is longer than the model's {} positions",
                batch.width, self.config.max_position_embeddings
            ));
        }
        // Only the real tokens are computed, sequence after sequence: padding would be
        // computed and thrown away.
        let ids: Vec<u32> = batch
            .ids
            .chunks_exact(batch.width)
            .zip(&lengths)
            .flat_map(|(row, &length)| &row[..length])
            .copied()
            .collect();
        let mut x = self.embed_tokens(&ids, &lengths)?;
        for layer in &self.layers {
            x = layer.forward(&x, &lengths, &self.config);
        }
        let mut padded = vec![0.0; batch.rows * batch.width * hidden];
        let mut from = 0;
        for (row, &length) in padded.chunks_exact_mut(batch.width * hidden).zip(&lengths) {
            let size = length * hidden;
            row[..size].copy_from_slice(&x[from..from + size]);
            from += size;
        }
        Ok(Hidden::Tokens(padded))
    }

    /// Word piece + position + token type, normalised: the first layer's input.
    fn embed_tokens(&self, ids: &[u32], lengths: &[usize]) -> Result<Vec<f32>, String> {
        let hidden = self.config.hidden_size;
        let mut x = self.word_pieces.rows(ids)?;
        let positions = lengths.iter().flat_map(|&length| 0..length);
        for (token, position) in x.chunks_exact_mut(hidden).zip(positions) {
            let at = &self.positions[position * hidden..(position + 1) * hidden];
            for ((value, p), t) in token.iter_mut().zip(at).zip(self.token_type.iter()) {
                *value += p + t;
            }
        }
        self.embedding_norm.apply(&mut x);
        Ok(x)
    }
}

impl Layer {
    fn load(file: &WeightFile, prefix: &str, config: &Config) -> Result<Layer, String> {
        let (hidden, inner) = (config.hidden_size, config.intermediate_size);
        let linear = |name: &str, inputs, outputs| {
            Linear::load(file, &format!("{prefix}{name}."), inputs, outputs)
        };
        let norm = |name: &str| Norm::load(file, &format!("{prefix}{name}.LayerNorm."), config);
        Ok(Layer {
            query: linear("attention.self.query", hidden, hidden)?,
            key: linear("attention.self.key", hidden, hidden)?,
            value: linear("attention.self.value", hidden, hidden)?,
            attention_output: linear("attention.output.dense", hidden, hidden)?,
            attention_norm: norm("attention.output")?,
            intermediate: linear("intermediate.dense", hidden, inner)?,
            output: linear("output.dense", inner, hidden)?,
            output_norm: norm("output")?,
        })
    }

    /// `x`: the tokens of sequences of `lengths`, one after another, `hidden_size` each.
    fn forward(&self, x: &[f32], lengths: &[usize], config: &Config) -> Vec<f32> {
        let context = self.attention(x, lengths, config);
        let mut attended = self.attention_output.apply(&context);
        add(&mut attended, x);
        self.attention_norm.apply(&mut attended);
        let mut inner = self.intermediate.apply(&attended);
        config.hidden_act.apply(&mut inner);
        let mut out = self.output.apply(&inner);
        add(&mut out, &attended);
        self.output_norm.apply(&mut out);
        out
    }

    /// Multi-head self-attention of each sequence over itself.
    fn attention(&self, x: &[f32], lengths: &[usize], config: &Config) -> Vec<f32> {
        let hidden = config.hidden_size;
        let heads = config.num_attention_heads;
        let size = hidden / heads;
        let scale = 1.0 / (size as f32).sqrt();
        let (q, k, v) = (self.query.apply(x), self.key.apply(x), self.value.apply(x));
        let mut context = vec![0.0; x.len()];
        let mut scores = Vec::new();
        let mut start = 0;
        for &length in lengths {
            scores.resize(length * length, 0.0);
            for head in 0..heads {
                // The head's columns of this sequence's rows: rows `hidden` apart.
                let at = start * hidden + head * size;
                let head_columns = Layout::rows(length, size, hidden);
                let square = Layout::rows(length, length, length);
                let query = head_columns.of(&q[at..]);
                let key_t = head_columns.transposed().of(&k[at..]);
                product(&mut scores, square, query, key_t, scale, false);
                scores.chunks_exact_mut(length).for_each(softmax);
                let value = head_columns.of(&v[at..]);
                product(
                    &mut context[at..],
                    head_columns,
                    square.of(&scores),
                    value,
                    1.0,
                    false,
                );
            }
            start += length;
        }
        context
    }
}

impl Linear {
    fn load(
        file: &WeightFile,
        prefix: &str,
        inputs: usize,
        outputs: usize,
    ) -> Result<Linear, String> {
        Ok(Linear {
            weight: file.tensor(&format!("{prefix}weight"), &[outputs, inputs])?,
            bias: file.tensor(&format!("{prefix}bias"), &[outputs])?,
            inputs,
            outputs,
        })
    }

    /// `x Wᵀ + b` for every row of `x`.
    fn apply(&self, x: &[f32]) -> Vec<f32> {
        let tokens = x.len() / self.inputs;
        let mut out: Vec<f32> = self.bias.repeat(tokens);
        let x = Layout::rows(tokens, self.inputs, self.inputs).of(x);
        // Wᵀ without a copy: row i of W is column i of Wᵀ.
        let weight = Layout::rows(self.outputs, self.inputs, self.inputs);
        let out_shape = Layout::rows(tokens, self.outputs, self.outputs);
        product(
            &mut out,
            out_shape,
            x,
            weight.transposed().of(&self.weight),
            1.0,
            true,
        );
        out
    }
}

impl Norm {
    fn load(file: &WeightFile, prefix: &str, config: &Config) -> Result<Norm, String> {
        let hidden = config.hidden_size;
        Ok(Norm {
            weight: file.tensor(&format!("{prefix}weight"), &[hidden])?,
            bias: file.tensor(&format!("{prefix}bias"), &[hidden])?,
            epsilon: config.layer_norm_eps as f32,
        })
    }

    fn apply(&self, x: &mut [f32]) {
        let width = self.weight.len();
        for token in x.chunks_exact_mut(width) {
            let mean = token.iter().sum::<f32>() / width as f32;
            let variance =
                token.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / width as f32;
            let scale = 1.0 / (variance + self.epsilon).sqrt();
            for ((value, w), b) in token
                .iter_mut()
                .zip(self.weight.iter())
                .zip(self.bias.iter())
            {
                *value = (*value - mean) * scale * w + b;
            }
        }
    }
}

impl Activation {
    fn apply(self, x: &mut [f32]) {
        match self {
            Activation::Gelu => x.iter_mut().for_each(|v| {
                let v64 = f64::from(*v);
                *v = (0.5 * v64 * (1.0 + libm::erf(v64 / std::f64::consts::SQRT_2))) as f32;
            }),
            Activation::GeluTanh => x.iter_mut().for_each(|v| {
                let inner = 0.797_884_6 * (*v + 0.044_715 * *v * *v * *v);
                *v = 0.5 * *v * (1.0 + inner.tanh());
            }),
            Activation::Relu => x.iter_mut().for_each(|v| *v = v.max(0.0)),
        }
    }
}

fn add(x: &mut [f32], y: &[f32]) {
    x.iter_mut().zip(y).for_each(|(a, b)| *a += b);
}

/// A numerically stable softmax of one row of scores.
fn softmax(row: &mut [f32]) {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for value in row.iter_mut() {
        *value = (*value - max).exp();
        sum += *value;
    }
    row.iter_mut().for_each(|v| *v /= sum);
}

/// Where a matrix's elements lie in a slice: `rows × cols`, element `(r, c)` at
/// `r * row_step + c * col_step`.
#[derive(Clone, Copy)]
struct Layout {
    rows: usize,
    cols: usize,
    row_step: usize,
    col_step: usize,
}

impl Layout {
    /// Rows `row_step` apart, each of `cols` consecutive values.
    fn rows(rows: usize, cols: usize, row_step: usize) -> Layout {
        Layout {
            rows,
            cols,
            row_step,
            col_step: 1,
        }
    }

    fn transposed(self) -> Layout {
        Layout {
            rows: self.cols,
            cols: self.rows,
            row_step: self.col_step,
            col_step: self.row_step,
        }
    }

    /// How many values from the start the matrix reaches.
    fn extent(&self) -> usize {
        if self.rows == 0 || self.cols == 0 {
            return 0;
        }
        (self.rows - 1) * self.row_step + (self.cols - 1) * self.col_step + 1
    }

    /// The matrix laid out this way in `data`.
    fn of(self, data: &[f32]) -> Strided<'_> {
        Strided { data, layout: self }
    }
}

/// A matrix inside a slice.
#[derive(Clone, Copy)]
struct Strided<'a> {
    data: &'a [f32],
    layout: Layout,
}

/// `out = scale · lhs × rhs`, plus what `out` held when `accumulate`; the result is laid out in
/// `out` as `shape` says.
///
/// # Panics
/// When the shapes do not fit together or a matrix reaches beyond its slice: the checks that
/// make the call into `gemm` sound.
fn product(
    out: &mut [f32],
    shape: Layout,
    lhs: Strided,
    rhs: Strided,
    scale: f32,
    accumulate: bool,
) {
    let (lhs_data, lhs, rhs_data, rhs) = (lhs.data, lhs.layout, rhs.data, rhs.layout);
    assert!(lhs.rows == shape.rows && rhs.cols == shape.cols && lhs.cols == rhs.rows);
    assert!(shape.extent() <= out.len());
    assert!(lhs.extent() <= lhs_data.len() && rhs.extent() <= rhs_data.len());
    // Large products are split over the cores; a head's attention is too small to gain.
    let parallelism = if shape.rows * shape.cols * lhs.cols >= 1 << 18 {
        gemm::Parallelism::Rayon(rayon::current_num_threads())
    } else {
        gemm::Parallelism::None
    };
    // SAFETY: every element gemm reads or writes lies inside its slice (asserted above: the
    // extents cover the last row and column), `out` is borrowed mutably so it overlaps neither
    // input, and gemm computes f32 for f32 pointers.
    unsafe {
        gemm::gemm(
            shape.rows,
            shape.cols,
            lhs.cols,
            out.as_mut_ptr(),
            shape.col_step as isize,
            shape.row_step as isize,
            accumulate,
            lhs_data.as_ptr(),
            lhs.col_step as isize,
            lhs.row_step as isize,
            rhs_data.as_ptr(),
            rhs.col_step as isize,
            rhs.row_step as isize,
            1.0,
            scale,
            false,
            false,
            false,
            parallelism,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny(file: &str) -> Vec<u8> {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/tiny-bert/safetensors"
        );
        std::fs::read(format!("{dir}/{file}")).unwrap()
    }

    fn tiny_bert() -> Bert {
        let weights: &'static [u8] = tiny("model.safetensors").leak();
        Bert::load(&tiny("config.json"), &Bytes::Static(weights)).unwrap()
    }

    fn tokens(model: &Bert, sequences: &[&[u32]]) -> Vec<f32> {
        match model.encode(&Batch::new(sequences)).unwrap() {
            Hidden::Tokens(values) => values,
            Hidden::Pooled(_) => unreachable!("the encoder gives token vectors"),
        }
    }

    #[test]
    fn a_product_of_strided_matrices_is_the_plain_product() {
        // lhs 2×3, rhs given as its transpose 2×3 (so rhs is 3×2).
        let lhs = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let rhs_t = [1.0, 0.0, -1.0, 2.0, 1.0, 0.0];
        let mut out = vec![10.0; 4];
        product(
            &mut out,
            Layout::rows(2, 2, 2),
            Layout::rows(2, 3, 3).of(&lhs),
            Layout::rows(2, 3, 3).transposed().of(&rhs_t),
            2.0,
            true,
        );
        // lhs × rhs = [[1-3, 2+2], [4-6, 8+5]] = [[-2, 4], [-2, 13]]; × 2, + 10.
        assert_eq!(out, [6.0, 18.0, 6.0, 36.0]);
    }

    #[test]
    #[should_panic]
    fn a_product_beyond_its_slice_is_refused() {
        let mut out = vec![0.0; 3];
        let a = [1.0; 4];
        product(
            &mut out,
            Layout::rows(2, 2, 2),
            Layout::rows(2, 2, 2).of(&a),
            Layout::rows(2, 2, 2).of(&a),
            1.0,
            false,
        );
    }

    #[test]
    fn a_word_piece_gets_the_same_vector_whatever_else_is_in_its_batch() {
        let model = tiny_bert();
        let alone = tokens(&model, &[&[2, 7, 3]]);
        let both = tokens(&model, &[&[2, 7, 3], &[2, 150, 9, 3]]);
        // The first row of the two-row batch is padded to four tokens: compare its three.
        for (a, b) in alone.iter().zip(&both[..alone.len()]) {
            assert!((a - b).abs() < 1e-5, "{a} {b}");
        }
        let padding = &both[3 * 32..4 * 32];
        assert!(padding.iter().all(|&v| v == 0.0), "padding stays zero");
    }

    #[test]
    fn a_word_piece_beyond_the_table_is_an_error_not_a_crash() {
        let model = tiny_bert();
        let Err(err) = model.encode(&Batch::new(&[&[2, 5000, 3]])) else {
            panic!("word piece 5000 of 161 was looked up");
        };
        assert!(err.contains("beyond the model's table"), "{err}");
    }

    #[test]
    fn a_text_longer_than_the_position_table_is_an_error_not_a_crash() {
        let model = tiny_bert();
        let long = vec![7; 65];
        let err = model.encode(&Batch::new(&[&long])).err().unwrap();
        assert!(
            err.contains("longer than the model's 64 positions"),
            "{err}"
        );
    }

    #[test]
    fn weights_of_the_wrong_shape_are_named_at_load() {
        let weights: &'static [u8] = tiny("model.safetensors").leak();
        let config = String::from_utf8(tiny("config.json"))
            .unwrap()
            .replace("\"intermediate_size\": 64", "\"intermediate_size\": 65");
        let err = Bert::load(config.as_bytes(), &Bytes::Static(weights))
            .err()
            .unwrap();
        assert!(
            err.contains("intermediate.dense.weight has shape [64, 32]"),
            "{err}"
        );
    }
}
