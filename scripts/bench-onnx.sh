#!/usr/bin/env bash
# The two embedding engines side by side on the same weights: the shipped model run by mbc's
# BERT encoder (models/all-MiniLM-L6-v2, safetensors), the same weights exported to ONNX run by tract, and
# that graph quantised to int8 by onnxruntime's dynamic quantiser, also run by tract.
# Prints each engine's load time, query time and passages per second (benches/embedding.rs) and,
# with a BEIR collection at hand, each one's semantic-search quality on it (`mbc eval`).
#
# Usage: scripts/bench-onnx.sh [COLLECTION_DIR]   (default ../shared/bench/med; skipped if absent)
# Makes target/onnx/all-MiniLM-L6-v2 (and -int8) with scripts/export_onnx.py in the venv of
# scripts/fetch-model.sh (target/model-venv), adding the `onnx` and `onnxruntime` packages to it.
set -euo pipefail
cd "$(dirname "$0")/.."
collection=${1:-../shared/bench/med}
shipped=models/all-MiniLM-L6-v2
onnx_dir=target/onnx/all-MiniLM-L6-v2
int8_dir=target/onnx/all-MiniLM-L6-v2-int8
venv=target/model-venv

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check numpy==2.4.6 safetensors==0.8.0 \
  onnx==1.23.2 onnxruntime==1.32.0
if [ ! -f "$onnx_dir/model.onnx" ] || [ "$shipped/model.safetensors" -nt "$onnx_dir/model.onnx" ]; then
  "$venv/bin/python" scripts/export_onnx.py "$shipped" "$onnx_dir"
fi
if [ ! -f "$int8_dir/model.onnx" ] || [ "$onnx_dir/model.onnx" -nt "$int8_dir/model.onnx" ]; then
  mkdir -p "$int8_dir"
  cp "$onnx_dir/config.json" "$onnx_dir/tokenizer.json" "$int8_dir/"
  "$venv/bin/python" -c 'import sys
from onnxruntime.quantization import QuantType, quantize_dynamic
quantize_dynamic(sys.argv[1], sys.argv[2], weight_type=QuantType.QInt8)' \
    "$onnx_dir/model.onnx" "$int8_dir/model.onnx" 2>/dev/null
fi
du -b "$shipped/model.safetensors" "$onnx_dir/model.onnx" "$int8_dir/model.onnx"
echo

models=("$shipped" "$onnx_dir" "$int8_dir")
for model in "${models[@]}"; do
  echo "== embedding, $model"
  MBC_BENCH_MODEL=$model cargo bench --quiet --bench embedding 2>/dev/null | grep -v "flat scan"
  echo
done

if [ -f "$collection/corpus.jsonl" ]; then
  cargo build --release --quiet
  for model in "${models[@]}"; do
    echo "== mbc eval --mode semantic --model $model ($collection)"
    # Each model's first run embeds the whole collection into a fresh index directory.
    index=$(mktemp -d)
    /usr/bin/time -f "embedding and evaluation: %e s, peak RSS %M KB" \
      target/release/mbc eval --index "$index" --model "$model" --mode semantic \
      --corpus "$collection/corpus.jsonl" --queries "$collection/queries.jsonl" \
      --qrels "$collection/qrels/test.tsv"
    rm -rf "$index"
    echo
  done
fi
