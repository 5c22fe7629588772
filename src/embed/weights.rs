//! A safetensors file's weights as f32 values, for the BERT encoder ([`super::bert`]).
//!
//! Weights the program carries as little-endian f32 are used where they lie, without a copy:
//! the built-in model's are widened from half precision when `mbc` is compiled (`build.rs`), so
//! a one-shot search has no weights to load. Any other weights (a model directory, half
//! precision) are widened into memory of their own once, at load.
//!
//! The word-piece table is the exception: it is half the model and a batch uses a few hundred
//! of its rows, so it stays as stored and is widened a few rows at a time. The rows are read
//! from the program's own bytes, or from the model file, a row at a time at its offset: a file
//! mapped for as long as a server runs would crash it if the file were replaced.

use std::borrow::Cow;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::sync::Mutex;

use safetensors::{Dtype, SafeTensors};

use super::files::Bytes;

/// The name the word-piece table has in BERT checkpoints, after an optional prefix (`bert.`).
pub const WORD_PIECES: &str = "embeddings.word_embeddings.weight";

/// A tensor's values, row after row: borrowed from the program's bytes, or widened.
pub type Weights = Cow<'static, [f32]>;

/// The tensors of one safetensors file.
pub struct WeightFile<'a> {
    file: SafeTensors<'a>,
    bytes: &'a Bytes,
    /// What comes before `embeddings.` in the tensor names: `""`, or `"bert."`.
    prefix: String,
}

impl<'a> WeightFile<'a> {
    pub fn parse(bytes: &'a Bytes) -> Result<WeightFile<'a>, String> {
        let file = SafeTensors::deserialize(bytes).map_err(|e| e.to_string())?;
        let prefix = file
            .names()
            .into_iter()
            .find_map(|name| name.strip_suffix(WORD_PIECES))
            .ok_or_else(|| format!("has no tensor named {WORD_PIECES}"))?
            .to_string();
        Ok(WeightFile {
            file,
            bytes,
            prefix,
        })
    }

    /// The tensor `name` (after the prefix), which must have `shape`, as f32 values.
    pub fn tensor(&self, name: &str, shape: &[usize]) -> Result<Weights, String> {
        let name = format!("{}{name}", self.prefix);
        let view = self
            .file
            .tensor(&name)
            .map_err(|_| format!("has no tensor named {name}"))?;
        if view.shape() != shape {
            return Err(format!(
                "{name} has shape {:?} where config.json implies {shape:?}",
                view.shape()
            ));
        }
        if let Some(values) = self.borrowed(view.dtype(), view.data()) {
            return Ok(Cow::Borrowed(values));
        }
        widen(view.dtype(), view.data())
            .map(Cow::Owned)
            .ok_or_else(|| format!("{name} is {:?}, not a floating-point tensor", view.dtype()))
    }

    /// The values of `data`, in place, when they are the program's own little-endian f32.
    fn borrowed(&self, dtype: Dtype, data: &[u8]) -> Option<&'static [f32]> {
        let Bytes::Static(all) = self.bytes else {
            return None;
        };
        if dtype != Dtype::F32 || cfg!(target_endian = "big") {
            return None;
        }
        let start = data.as_ptr() as usize - all.as_ptr() as usize;
        bytemuck::try_cast_slice(&all[start..start + data.len()]).ok()
    }

    /// The word-piece table, which must be `width` wide.
    pub fn word_pieces(&self, width: usize) -> Result<WordPieceTable, String> {
        let name = format!("{}{WORD_PIECES}", self.prefix);
        let view = self.file.tensor(&name).map_err(|e| e.to_string())?;
        let &[rows, actual] = view.shape() else {
            return Err(format!(
                "{name} has shape {:?}, not rows × width",
                view.shape()
            ));
        };
        let floating = matches!(view.dtype(), Dtype::F32 | Dtype::F16 | Dtype::BF16);
        if actual != width || !floating {
            return Err(format!(
                "{name} is {:?} of shape {:?} where config.json implies {width} columns",
                view.dtype(),
                view.shape()
            ));
        }
        let data = view.data();
        let start = data.as_ptr() as usize - self.bytes.as_ptr() as usize;
        let place = match self.bytes {
            Bytes::Static(all) => TablePlace::Program(&all[start..start + data.len()]),
            Bytes::Mapped(_, file) => {
                let file = file.try_clone().map_err(|e| e.to_string())?;
                TablePlace::File(Mutex::new(file), start as u64)
            }
        };
        Ok(WordPieceTable {
            dtype: view.dtype(),
            rows,
            width,
            row_bytes: data.len() / rows.max(1),
            place,
        })
    }
}

/// The word-piece table as the file stores it, one row per word piece.
pub struct WordPieceTable {
    dtype: Dtype,
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

impl WordPieceTable {
    /// The rows of `ids` as f32 values, one row after another.
    pub fn rows(&self, ids: &[u32]) -> Result<Vec<f32>, String> {
        let mut values = Vec::with_capacity(ids.len() * self.width);
        let mut row = vec![0; self.row_bytes];
        for &id in ids {
            let id = id as usize;
            if id >= self.rows {
                return Err(format!(
                    "word piece {id} is beyond the model's table of {} (tokenizer.json does \
                     not belong to this model?)",
                    self.rows
                ));
            }
            self.read_row(id, &mut row)
                .map_err(|e| format!("reading the word-piece table: {e}"))?;
            values.extend(widen(self.dtype, &row).unwrap_or_default());
        }
        Ok(values)
    }

    fn read_row(&self, id: usize, row: &mut [u8]) -> std::io::Result<()> {
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

/// Little-endian floating-point bytes as f32 values; `None` for other element types.
pub fn widen(dtype: Dtype, bytes: &[u8]) -> Option<Vec<f32>> {
    match dtype {
        Dtype::F32 => Some(
            bytes
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
        ),
        Dtype::F16 => Some(widen_halves(bytes, half::f16::from_le_bytes)),
        Dtype::BF16 => Some(widen_halves(bytes, half::bf16::from_le_bytes)),
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
