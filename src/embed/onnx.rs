//! The ONNX engine: a BERT-family encoder graph run by tract, optimised once at load for any
//! batch size and sequence length.

use std::path::Path;
use std::sync::Arc;

use tract_onnx::prelude::*;

use super::{Batch, Hidden};

/// What mbc feeds to one input of the graph, recognised by the input's name as Hugging Face
/// exports name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Feed {
    Ids,
    Mask,
    TokenTypes,
}

impl Feed {
    fn for_input(name: &str) -> Result<Feed, String> {
        match name {
            "input_ids" => Ok(Feed::Ids),
            "attention_mask" => Ok(Feed::Mask),
            "token_type_ids" => Ok(Feed::TokenTypes),
            other => Err(format!(
                "the graph has an input {other:?}; mbc can feed only input_ids, attention_mask and token_type_ids"
            )),
        }
    }
}

/// An encoder graph ready to run.
pub struct OnnxEncoder {
    plan: Arc<TypedRunnableModel>,
    feeds: Vec<Feed>,
}

impl OnnxEncoder {
    /// Loads an ONNX file (weights stored beside it as external data are found too).
    pub fn load(path: &Path) -> Result<OnnxEncoder, String> {
        let model = tract_onnx::onnx()
            // Exports often pin output shapes to the sizes they were traced with.
            .with_ignore_output_shapes(true)
            .model_for_path(path)
            .map_err(describe)?;
        Self::prepare(model)
    }

    fn prepare(mut model: InferenceModel) -> Result<OnnxEncoder, String> {
        let feeds = model
            .input_outlets()
            .map_err(describe)?
            .iter()
            .map(|outlet| Feed::for_input(&model.node(outlet.node).name))
            .collect::<Result<Vec<_>, _>>()?;
        if !feeds.contains(&Feed::Ids) {
            return Err("the graph has no input_ids input".into());
        }
        let output = pick_output(&model)?;
        model.select_output_outlets(&[output]).map_err(describe)?;
        // Inputs are int64 [batch, sequence] whatever sizes the export was traced with.
        let shape = tvec![model.sym("batch").to_dim(), model.sym("sequence").to_dim()];
        for input in 0..feeds.len() {
            let fact = InferenceFact::dt_shape(i64::datum_type(), shape.clone());
            model.set_input_fact(input, fact).map_err(describe)?;
        }
        let plan = model
            .into_optimized()
            .and_then(|m| m.into_runnable())
            .map_err(describe)?;
        Ok(OnnxEncoder { plan, feeds })
    }

    /// The batch through the graph: vectors per token, or per row for graphs that pool.
    pub fn encode(&self, batch: &Batch) -> Result<Hidden, String> {
        let widen = |values: &[u32]| values.iter().map(|&v| i64::from(v)).collect::<Vec<_>>();
        let shape = [batch.rows, batch.width];
        let inputs = self
            .feeds
            .iter()
            .map(|feed| {
                let values = match feed {
                    Feed::Ids => widen(&batch.ids),
                    Feed::Mask => widen(&batch.mask),
                    Feed::TokenTypes => vec![0; batch.ids.len()],
                };
                Tensor::from_shape(&shape, &values).map(TValue::from)
            })
            .collect::<TractResult<TVec<_>>>()
            .map_err(describe)?;
        let outputs = self.plan.run(inputs).map_err(describe)?;
        let output = outputs[0].cast_to::<f32>().map_err(describe)?;
        let values = output
            .to_plain_array_view::<f32>()
            .map_err(describe)?
            .iter()
            .copied()
            .collect();
        match output.rank() {
            3 => Ok(Hidden::Tokens(values)),
            2 => Ok(Hidden::Pooled(values)),
            rank => Err(format!(
                "the graph's output has {rank} dimensions; expected [batch, sequence, hidden] or [batch, hidden]"
            )),
        }
    }
}

/// The output to use: `sentence_embedding` where an export has pooled already, else the first
/// (`last_hidden_state` in Hugging Face exports).
fn pick_output(model: &InferenceModel) -> Result<OutletId, String> {
    let outputs = model.output_outlets().map_err(describe)?;
    let named = |outlet: &&OutletId| {
        model.outlet_label(**outlet) == Some("sentence_embedding")
            || model.node(outlet.node).name == "sentence_embedding"
    };
    outputs
        .iter()
        .find(named)
        .or_else(|| outputs.first())
        .copied()
        .ok_or_else(|| "the graph has no outputs".into())
}

/// tract's error with its chain of causes, on one line.
fn describe(err: TractError) -> String {
    format!("{err:#}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/tiny-bert")
            .join(name)
            .join("model.onnx")
    }

    #[test]
    fn a_graph_that_pools_gives_its_pooled_output() {
        let encoder = OnnxEncoder::load(&fixture("onnx-pooled")).unwrap();
        let batch = Batch::new(&[&[2, 135, 3], &[2, 3]]);
        match encoder.encode(&batch).unwrap() {
            Hidden::Pooled(values) => assert_eq!(values.len(), 2 * 32),
            Hidden::Tokens(_) => {
                panic!("sentence_embedding should be chosen over the first output")
            }
        }
    }

    #[test]
    fn a_graph_without_pooling_gives_token_vectors() {
        let encoder = OnnxEncoder::load(&fixture("onnx")).unwrap();
        let batch = Batch::new(&[&[2, 135, 3], &[2, 3]]);
        match encoder.encode(&batch).unwrap() {
            Hidden::Tokens(values) => assert_eq!(values.len(), 2 * 3 * 32),
            Hidden::Pooled(_) => panic!("last_hidden_state has a vector per token"),
        }
    }

    #[test]
    fn inputs_other_than_the_three_bert_inputs_are_refused() {
        let err = Feed::for_input("pixel_values").unwrap_err();
        assert!(err.contains("\"pixel_values\""), "{err}");
    }
}
