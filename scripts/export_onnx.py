"""Write a BERT model directory's safetensors weights as an ONNX graph (fp32).

The graph has what Hugging Face's ONNX exports of BERT encoders have: int64 inputs
`input_ids`, `attention_mask` and `token_type_ids` of shape [batch, sequence], one output
`last_hidden_state` [batch, sequence, hidden], and layer norm, attention and GELU spelt out in
basic operators (opset 14), the way torch.onnx writes them. mbc's ONNX support is tested and
benchmarked with graphs made here (tests/fixtures/tiny-bert, scripts/bench-onnx.sh).

Usage: python scripts/export_onnx.py [--with-pooling] [--external-data] MODEL_DIR OUT_DIR
  MODEL_DIR holds config.json, tokenizer.json and model.safetensors (f32 or f16);
  OUT_DIR receives model.onnx, config.json and tokenizer.json.
  --with-pooling adds a second output, `sentence_embedding` [batch, hidden]: the mean over the
  real tokens, L2-normalised, as sentence-transformers' ONNX exports have it.
  --external-data stores the weights beside the graph in model.onnx_data, as exporters do for
  models over protobuf's 2 GB limit.
Needs numpy, safetensors and onnx.
"""

import json
import math
import shutil
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from safetensors.numpy import load_file

OPSET = 14


class Graph:
    """Collects nodes and initializers; every helper returns the name of its output."""

    def __init__(self, weights):
        self.weights = weights
        self.nodes = []
        self.initializers = []
        self.count = 0

    def fresh(self, hint):
        self.count += 1
        return f"{hint}_{self.count}"

    def op(self, op_type, inputs, hint, **attributes):
        out = self.fresh(hint)
        self.nodes.append(helper.make_node(op_type, inputs, [out], **attributes))
        return out

    def const(self, value, hint, dtype=np.float32):
        name = self.fresh(hint)
        self.initializers.append(numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
        return name

    def weight(self, key, transpose=False):
        value = self.weights[key].astype(np.float32)
        if transpose:
            value = np.ascontiguousarray(value.T)
        name = key + (".T" if transpose else "")
        self.initializers.append(numpy_helper.from_array(value, name))
        return name

    def linear(self, x, prefix):
        product = self.op("MatMul", [x, self.weight(f"{prefix}.weight", transpose=True)], "matmul")
        return self.op("Add", [product, self.weight(f"{prefix}.bias")], "linear")

    def layer_norm(self, x, prefix, eps):
        mean = self.op("ReduceMean", [x], "mean", axes=[-1], keepdims=1)
        centred = self.op("Sub", [x, mean], "centred")
        squared = self.op("Pow", [centred, self.const(2.0, "two")], "squared")
        variance = self.op("ReduceMean", [squared], "variance", axes=[-1], keepdims=1)
        shifted = self.op("Add", [variance, self.const(eps, "eps")], "shifted")
        deviation = self.op("Sqrt", [shifted], "deviation")
        normal = self.op("Div", [centred, deviation], "normal")
        scaled = self.op("Mul", [normal, self.weight(f"{prefix}.weight")], "scaled")
        return self.op("Add", [scaled, self.weight(f"{prefix}.bias")], "layer_norm")

    def gelu(self, x):
        inner = self.op("Div", [x, self.const(math.sqrt(2.0), "sqrt2")], "gelu_in")
        erf = self.op("Erf", [inner], "erf")
        plus = self.op("Add", [erf, self.const(1.0, "one")], "gelu_plus")
        half = self.op("Mul", [x, self.const(0.5, "half")], "gelu_half")
        return self.op("Mul", [half, plus], "gelu")


def split_heads(g, x, heads, head_size, perm):
    shape = g.const([0, 0, heads, head_size], "heads_shape", dtype=np.int64)
    return g.op("Transpose", [g.op("Reshape", [x, shape], "split")], "heads", perm=perm)


def attention(g, x, mask_bias, prefix, heads, head_size):
    q = split_heads(g, g.linear(x, f"{prefix}.self.query"), heads, head_size, [0, 2, 1, 3])
    k = split_heads(g, g.linear(x, f"{prefix}.self.key"), heads, head_size, [0, 2, 3, 1])
    v = split_heads(g, g.linear(x, f"{prefix}.self.value"), heads, head_size, [0, 2, 1, 3])
    scores = g.op("MatMul", [q, k], "scores")
    scaled = g.op("Div", [scores, g.const(math.sqrt(head_size), "scale")], "scaled_scores")
    masked = g.op("Add", [scaled, mask_bias], "masked_scores")
    probs = g.op("Softmax", [masked], "probs", axis=-1)
    context = g.op("Transpose", [g.op("MatMul", [probs, v], "context")], "merge", perm=[0, 2, 1, 3])
    shape = g.const([0, 0, heads * head_size], "merged_shape", dtype=np.int64)
    return g.op("Reshape", [context, shape], "merged")


def pooled(g, hidden):
    """Mean over the tokens where attention_mask is 1, then L2 normalisation: [batch, hidden]."""
    mask = g.op("Cast", [g.op("Unsqueeze", ["attention_mask", g.const([2], "axis2", np.int64)], "mask3")], "mask3f", to=TensorProto.FLOAT)
    axis = g.const([1], "axis1", np.int64)
    summed = g.op("ReduceSum", [g.op("Mul", [hidden, mask], "masked"), axis], "summed", keepdims=0)
    counts = g.op("Max", [g.op("ReduceSum", [mask, axis], "counts", keepdims=0), g.const(1e-9, "tiny")], "counts_safe")
    mean = g.op("Div", [summed, counts], "mean_pooled")
    norm = g.op("Max", [g.op("ReduceL2", [mean], "norm", axes=[-1], keepdims=1), g.const(1e-12, "tiny_norm")], "norm_safe")
    return g.op("Div", [mean, norm], "normalised")


def build(weights, config, with_pooling=False):
    g = Graph(weights)
    hidden = config["hidden_size"]
    heads = config["num_attention_heads"]
    head_size = hidden // heads
    eps = config.get("layer_norm_eps", 1e-12)

    word = g.op("Gather", [g.weight("embeddings.word_embeddings.weight"), "input_ids"], "word")
    seq_len = g.op("Gather", [g.op("Shape", ["input_ids"], "shape"), g.const(1, "one_i", np.int64)], "seq_len")
    positions = g.op("Range", [g.const(0, "zero_i", np.int64), seq_len, g.const(1, "step", np.int64)], "positions")
    position = g.op("Gather", [g.weight("embeddings.position_embeddings.weight"), positions], "position")
    token_type = g.op("Gather", [g.weight("embeddings.token_type_embeddings.weight"), "token_type_ids"], "token_type")
    summed = g.op("Add", [g.op("Add", [word, token_type], "sum"), position], "embedded")
    x = g.layer_norm(summed, "embeddings.LayerNorm", eps)

    # [batch, 1, 1, sequence]: 0 where a token is real, a large negative number where it is padding.
    mask = g.op("Cast", [g.op("Unsqueeze", ["attention_mask", g.const([1, 2], "axes", np.int64)], "mask4")], "maskf", to=TensorProto.FLOAT)
    inverted = g.op("Sub", [g.const(1.0, "one"), mask], "inverted")
    mask_bias = g.op("Mul", [inverted, g.const(np.finfo(np.float32).min, "min")], "mask_bias")

    for i in range(config["num_hidden_layers"]):
        prefix = f"encoder.layer.{i}"
        attended = g.linear(attention(g, x, mask_bias, f"{prefix}.attention", heads, head_size), f"{prefix}.attention.output.dense")
        x = g.layer_norm(g.op("Add", [attended, x], "residual"), f"{prefix}.attention.output.LayerNorm", eps)
        inner = g.gelu(g.linear(x, f"{prefix}.intermediate.dense"))
        out = g.linear(inner, f"{prefix}.output.dense")
        x = g.layer_norm(g.op("Add", [out, x], "residual"), f"{prefix}.output.LayerNorm", eps)

    g.nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"]))
    outputs = [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", hidden])]
    if with_pooling:
        g.nodes.append(helper.make_node("Identity", [pooled(g, x)], ["sentence_embedding"]))
        outputs.append(helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch", hidden]))
    inputs = [
        helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "sequence"])
        for name in ("input_ids", "attention_mask", "token_type_ids")
    ]
    graph = helper.make_graph(g.nodes, "bert", inputs, outputs, g.initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="mbc export_onnx.py")
    onnx.checker.check_model(model)
    return model


def main():
    flags = {"--with-pooling", "--external-data"}
    given = {a for a in sys.argv[1:] if a in flags}
    args = [a for a in sys.argv[1:] if a not in flags]
    with_pooling = "--with-pooling" in given
    if len(args) != 2:
        sys.exit(__doc__)
    source, out = Path(args[0]), Path(args[1])
    config = json.loads((source / "config.json").read_text())
    weights = load_file(source / "model.safetensors")
    # Checkpoints differ in whether names carry the "bert." prefix.
    weights = {key.removeprefix("bert."): value for key, value in weights.items()}
    out.mkdir(parents=True, exist_ok=True)
    external = {}
    if "--external-data" in given:
        external = dict(save_as_external_data=True, all_tensors_to_one_file=True, location="model.onnx_data", size_threshold=0)
    onnx.save(build(weights, config, with_pooling), out / "model.onnx", **external)
    for name in ("config.json", "tokenizer.json"):
        shutil.copyfile(source / name, out / name)
    print(f"wrote {out / 'model.onnx'} ({(out / 'model.onnx').stat().st_size} bytes)")


if __name__ == "__main__":
    main()
