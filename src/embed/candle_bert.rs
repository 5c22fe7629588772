//! The safetensors engine: candle's BERT on the CPU, with weights widened to f32 once at load
//! — except the word-piece table, which stays as stored and is widened a few rows at a time.
//!
//! The word-piece table is half the model (30,522 rows of MiniLM's 22.7 M parameters) and a
//! batch uses a few hundred of its rows. Widening all of it was a third of a one-shot search's
//! model load and 47 MB of every process's memory. Each batch instead gets a model whose table
//! holds only its own word pieces, numbered afresh: a table lookup gives the same vectors
//! either way, and building that model costs microseconds (the other weights are shared). The
//! rows are read from the program's own bytes, or from the model file with positioned reads:
//! a file mapped for as long as a server runs would crash it if the file were replaced.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::sync::Mutex;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use rayon::prelude::*;
use safetensors::{Dtype as SafeDtype, SafeTensors};

use super::files::Bytes;
use super::{Batch, Hidden};

/// The name the word-piece table has in BERT checkpoints, after an optional prefix (`bert.`).
const WORD_PIECES: &str = "embeddings.word_embeddings.weight";

/// A BERT encoder loaded from `config.json` and the bytes of `model.safetensors`.
pub struct CandleBert {
    config: Config,
    /// Every weight but the word-piece table, as f32.
    weights: HashMap<String, Tensor>,
    word_pieces: WordPieceTable,
    device: Device,
}

/// The word-piece table as the file stores it, one row per word piece.
struct WordPieceTable {
    name: String,
    dtype: SafeDtype,
    rows: usize,
    width: usize,
    row_bytes: usize,
    place: TablePlace,
}

/// Where the table's bytes are read from.
enum TablePlace {
    Program(&'static [u8]),
    /// The model file, and where in it the table starts.
    File(Mutex<File>, u64),
}

impl CandleBert {
    /// Weights stored in half precision are widened to f32 for computing.
    pub fn load(config: &[u8], weights: Bytes) -> Result<CandleBert, String> {
        let config: Config =
            serde_json::from_slice(config).map_err(|e| format!("config.json: {e}"))?;
        let file = SafeTensors::deserialize(&weights).map_err(|e| e.to_string())?;
        let word_pieces = WordPieceTable::find(&file, &weights)?;
        let device = Device::Cpu;
        let weights = widened_weights(&file, &word_pieces.name, &device)?;
        let model = CandleBert {
            config,
            weights,
            word_pieces,
            device,
        };
        // Fail at load, not at the first search, when the weights do not fit the config.
        model.model_for(&[0]).map_err(|e| e.to_string())?;
        Ok(model)
    }

    /// The batch through the encoder: one vector per token.
    pub fn encode(&self, batch: &Batch) -> candle_core::Result<Hidden> {
        let mut used = batch.ids.clone();
        used.sort_unstable();
        used.dedup();
        let renumbered: Vec<u32> = batch
            .ids
            .iter()
            .map(|id| used.binary_search(id).unwrap_or_default() as u32)
            .collect();
        let model = self.model_for(&used)?;
        let shape = (batch.rows, batch.width);
        let input = Tensor::from_vec(renumbered, shape, &self.device)?;
        let mask = Tensor::from_slice(&batch.mask, shape, &self.device)?;
        let token_types = input.zeros_like()?;
        let hidden = model.forward(&input, &token_types, Some(&mask))?;
        Ok(Hidden::Tokens(hidden.flatten_all()?.to_vec1()?))
    }

    /// The model with a word-piece table of the `used` rows only, in that order.
    fn model_for(&self, used: &[u32]) -> candle_core::Result<BertModel> {
        let table = self.word_pieces.rows_widened(used)?;
        let table = Tensor::from_vec(table, (used.len(), self.word_pieces.width), &self.device)?;
        let mut weights = self.weights.clone();
        weights.insert(self.word_pieces.name.clone(), table);
        let config = Config {
            vocab_size: used.len(),
            ..self.config.clone()
        };
        BertModel::load(
            VarBuilder::from_tensors(weights, DType::F32, &self.device),
            &config,
        )
    }
}

impl WordPieceTable {
    /// The table in `file`, whose bytes are `bytes`.
    fn find(file: &SafeTensors, bytes: &Bytes) -> Result<WordPieceTable, String> {
        let (name, view) = file
            .tensors()
            .into_iter()
            .find(|(name, _)| name.ends_with(WORD_PIECES))
            .ok_or_else(|| format!("has no tensor named {WORD_PIECES}"))?;
        let &[rows, width] = view.shape() else {
            return Err(format!(
                "{name} has shape {:?}, not rows × width",
                view.shape()
            ));
        };
        let data = view.data();
        let start = data.as_ptr() as usize - bytes.as_ptr() as usize;
        let place = match bytes {
            Bytes::Static(all) => TablePlace::Program(&all[start..start + data.len()]),
            Bytes::Mapped(_, file) => {
                let file = file.try_clone().map_err(|e| e.to_string())?;
                TablePlace::File(Mutex::new(file), start as u64)
            }
        };
        Ok(WordPieceTable {
            name,
            dtype: view.dtype(),
            rows,
            width,
            row_bytes: data.len() / rows.max(1),
            place,
        })
    }

    /// The `used` rows as f32 values, one row after another.
    fn rows_widened(&self, used: &[u32]) -> candle_core::Result<Vec<f32>> {
        let mut values = Vec::with_capacity(used.len() * self.width);
        let mut row = vec![0; self.row_bytes];
        for &id in used {
            let id = id as usize;
            if id >= self.rows {
                return Err(candle_core::Error::Msg(format!(
                    "word piece {id} is beyond the model's table of {} (tokenizer.json does \
                     not belong to this model?)",
                    self.rows
                )));
            }
            self.read_row(id, &mut row)?;
            let widened = widen(self.dtype, &row).ok_or_else(|| {
                candle_core::Error::Msg(format!("the word-piece table is {:?}", self.dtype))
            })?;
            values.extend(widened);
        }
        Ok(values)
    }

    fn read_row(&self, id: usize, row: &mut [u8]) -> candle_core::Result<()> {
        let at = id * self.row_bytes;
        match &self.place {
            TablePlace::Program(bytes) => row.copy_from_slice(&bytes[at..at + row.len()]),
            TablePlace::File(file, start) => {
                let mut file = file.lock().unwrap_or_else(|e| e.into_inner());
                file.seek(SeekFrom::Start(start + at as u64))?;
                file.read_exact(row)?;
            }
        }
        Ok(())
    }
}

/// The weights other than `skip` as f32 tensors, widened in parallel one tensor per task
/// straight from the file's bytes (no half-precision tensors in between: loading is mostly
/// memory traffic). Integer tensors (buffers such as position ids) are not weights and are
/// left out.
fn widened_weights(
    file: &SafeTensors,
    skip: &str,
    device: &Device,
) -> Result<HashMap<String, Tensor>, String> {
    file.tensors()
        .into_par_iter()
        .filter(|(name, _)| name != skip)
        .filter_map(|(name, view)| {
            let values = widen(view.dtype(), view.data())?;
            Some(Tensor::from_vec(values, view.shape(), device).map(|t| (name, t)))
        })
        .collect::<candle_core::Result<HashMap<_, _>>>()
        .map_err(|e| e.to_string())
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

    fn tiny_bert() -> CandleBert {
        let weights: &'static [u8] = tiny("model.safetensors").leak();
        CandleBert::load(&tiny("config.json"), Bytes::Static(weights)).unwrap()
    }

    fn tokens(model: &CandleBert, ids: &[u32]) -> Vec<f32> {
        match model.encode(&Batch::new(&[ids])).unwrap() {
            Hidden::Tokens(values) => values,
            Hidden::Pooled(_) => unreachable!("candle gives token vectors"),
        }
    }

    #[test]
    fn a_word_piece_gets_the_same_vector_whatever_else_is_in_its_batch() {
        let model = tiny_bert();
        let alone = tokens(&model, &[2, 7, 3]);
        let both = match model
            .encode(&Batch::new(&[&[2, 7, 3], &[2, 150, 9, 3]]))
            .unwrap()
        {
            Hidden::Tokens(values) => values,
            Hidden::Pooled(_) => unreachable!(),
        };
        // The first row of the two-row batch is padded to four tokens: compare its three
        // (within rounding: the matrices have other shapes).
        for (a, b) in alone.iter().zip(&both[..alone.len()]) {
            assert!((a - b).abs() < 1e-5, "{a} {b}");
        }
    }

    #[test]
    fn a_word_piece_beyond_the_table_is_an_error_not_a_crash() {
        let model = tiny_bert();
        let Err(err) = model.encode(&Batch::new(&[&[2, 5000, 3]])) else {
            panic!("word piece 5000 of 161 was looked up");
        };
        assert!(
            err.to_string().contains("beyond the model's table"),
            "{err}"
        );
    }
}
