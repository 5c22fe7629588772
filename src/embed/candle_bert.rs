//! The safetensors engine: candle's BERT on the CPU, weights widened to f32 once at load.

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use rayon::prelude::*;
use safetensors::{Dtype as SafeDtype, SafeTensors};

use super::{Batch, Hidden};

/// A BERT encoder loaded from `config.json` and the bytes of `model.safetensors`.
pub struct CandleBert {
    model: BertModel,
    device: Device,
}

impl CandleBert {
    /// Weights stored in half precision are widened to f32 for computing.
    pub fn load(config: &[u8], weights: &[u8]) -> Result<CandleBert, String> {
        let config: Config =
            serde_json::from_slice(config).map_err(|e| format!("config.json: {e}"))?;
        let device = Device::Cpu;
        let vb = widened_weights(weights, &device).map_err(|e| e.to_string())?;
        let model = BertModel::load(vb, &config).map_err(|e| e.to_string())?;
        Ok(CandleBert { model, device })
    }

    /// The batch through the encoder: one vector per token.
    pub fn encode(&self, batch: &Batch) -> candle_core::Result<Hidden> {
        let shape = (batch.rows, batch.width);
        let input = Tensor::from_slice(&batch.ids, shape, &self.device)?;
        let mask = Tensor::from_slice(&batch.mask, shape, &self.device)?;
        let token_types = input.zeros_like()?;
        let hidden = self.model.forward(&input, &token_types, Some(&mask))?;
        Ok(Hidden::Tokens(hidden.flatten_all()?.to_vec1()?))
    }
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
