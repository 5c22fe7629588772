#!/usr/bin/env bash
# Quality benchmark: `mbc eval` next to a reference BM25 (bm25s + PyStemmer, k1=1.5, b=0.75) on a
# BEIR collection, in one run. Usage: scripts/bench-quality.sh [COLLECTION_DIR]
# (default ../shared/bench/med). Installs the reference into target/bench-venv on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
collection=${1:-../shared/bench/med}
corpus=$collection/corpus.jsonl
queries=$collection/queries.jsonl
qrels=$collection/qrels/test.tsv

venv=target/bench-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet bm25s PyStemmer
fi
cargo build --release --quiet

echo "== reference: bm25s + PyStemmer, stop words, k1=1.5 b=0.75"
"$venv/bin/python" scripts/reference_bm25.py "$corpus" "$queries" "$qrels"
echo
echo "== mbc eval --exact (medical analysis, field weights, proximity; no lexicon, no typo correction)"
target/release/mbc eval --corpus "$corpus" --queries "$queries" --qrels "$qrels" --exact 2>/dev/null
echo
echo "== mbc eval (default: with lexicon expansion and typo correction)"
target/release/mbc eval --corpus "$corpus" --queries "$queries" --qrels "$qrels" 2>/dev/null
