"""Write tests/fixtures/tiny-bert: one small random BERT encoder stored four times, as
safetensors, as ONNX, as ONNX with a pooled `sentence_embedding` output, and as ONNX with its
weights in a separate model.onnx_data (the last three through scripts/export_onnx.py), with a
small WordPiece vocabulary.

The tests check that mbc's two engines (candle for safetensors, tract for ONNX) give the same
vectors for the same weights. The weights are random and seeded, so the model means nothing;
its position table is short (64) on purpose, to test truncation to the model's own limit.

Usage: python scripts/make_tiny_bert.py MINILM_DIR OUT_DIR
  MINILM_DIR: models/all-MiniLM-L6-v2 (its tokenizer.json is the template).
Needs numpy, safetensors and onnx (scripts/fetch-model.sh makes a venv with the first two).
"""

import json
import string
import subprocess
import sys
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
WORDS = """the a of to and in for is are with on or by as it can be may your this that what
cancer breast bone bones medicine keep from breaking fatigue tired always exhausted during
treatment therapy hormone her2 chemotherapy trial trials care team pain spine liver lung brain
metastatic positive negative""".split()
CONFIG = {
    "architectures": ["BertModel"],
    "model_type": "bert",
    "hidden_act": "gelu",
    "hidden_size": 32,
    "num_attention_heads": 4,
    "num_hidden_layers": 2,
    "intermediate_size": 64,
    "max_position_embeddings": 64,
    "type_vocab_size": 2,
    "layer_norm_eps": 1e-12,
    "hidden_dropout_prob": 0.1,
    "attention_probs_dropout_prob": 0.1,
    "initializer_range": 0.02,
    "pad_token_id": 0,
    "position_embedding_type": "absolute",
}


def vocabulary():
    pieces = list(string.ascii_lowercase + string.digits + string.punctuation)
    return SPECIALS + pieces + ["##" + p for p in string.ascii_lowercase + string.digits] + WORDS


def tokenizer(template, vocab):
    ids = {token: i for i, token in enumerate(vocab)}
    tok = json.loads(template.read_text())
    tok["model"]["vocab"] = ids
    tok["padding"] = None
    tok["truncation"] = None
    for added in tok["added_tokens"]:
        added["id"] = ids[added["content"]]
    for special in tok["post_processor"]["special_tokens"].values():
        special["ids"] = [ids[t] for t in special["tokens"]]
    return tok


def weights(config, vocab_size, rng):
    hidden, inner = config["hidden_size"], config["intermediate_size"]

    def matrix(rows, cols):
        return rng.normal(0.0, 0.2, (rows, cols)).astype(np.float32)

    def vector(n, centre=0.0):
        return (centre + rng.normal(0.0, 0.1, n)).astype(np.float32)

    w = {
        "embeddings.word_embeddings.weight": matrix(vocab_size, hidden),
        "embeddings.position_embeddings.weight": matrix(config["max_position_embeddings"], hidden),
        "embeddings.token_type_embeddings.weight": matrix(config["type_vocab_size"], hidden),
        "embeddings.LayerNorm.weight": vector(hidden, 1.0),
        "embeddings.LayerNorm.bias": vector(hidden),
    }
    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}"
        for name in ("query", "key", "value"):
            w[f"{p}.attention.self.{name}.weight"] = matrix(hidden, hidden)
            w[f"{p}.attention.self.{name}.bias"] = vector(hidden)
        w[f"{p}.attention.output.dense.weight"] = matrix(hidden, hidden)
        w[f"{p}.attention.output.dense.bias"] = vector(hidden)
        w[f"{p}.intermediate.dense.weight"] = matrix(inner, hidden)
        w[f"{p}.intermediate.dense.bias"] = vector(inner)
        w[f"{p}.output.dense.weight"] = matrix(hidden, inner)
        w[f"{p}.output.dense.bias"] = vector(hidden)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            w[f"{p}.{norm}.weight"] = vector(hidden, 1.0)
            w[f"{p}.{norm}.bias"] = vector(hidden)
    return w


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    template, out = Path(sys.argv[1]), Path(sys.argv[2])
    vocab = vocabulary()
    config = dict(CONFIG, vocab_size=len(vocab))
    safetensors_dir = out / "safetensors"
    safetensors_dir.mkdir(parents=True, exist_ok=True)
    (safetensors_dir / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    tok = tokenizer(template / "tokenizer.json", vocab)
    (safetensors_dir / "tokenizer.json").write_text(json.dumps(tok, indent=1, ensure_ascii=False) + "\n")
    save_file(weights(config, len(vocab), np.random.default_rng(20261127)), safetensors_dir / "model.safetensors")
    export = str(Path(__file__).with_name("export_onnx.py"))
    subprocess.run([sys.executable, export, str(safetensors_dir), str(out / "onnx")], check=True)
    subprocess.run([sys.executable, export, "--with-pooling", str(safetensors_dir), str(out / "onnx-pooled")], check=True)
    subprocess.run([sys.executable, export, "--external-data", str(safetensors_dir), str(out / "onnx-external")], check=True)


if __name__ == "__main__":
    main()
