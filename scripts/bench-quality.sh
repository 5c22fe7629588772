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
run_mbc() {
  echo "== mbc eval $*"
  target/release/mbc eval --corpus "$corpus" --queries "$queries" --qrels "$qrels" "$@" 2>/dev/null
  echo
}
# The first run builds the index (and embeds every passage) into the temporary directory,
# keyed by the corpus file's content; later runs reuse it.
target/release/mbc eval --corpus "$corpus" --queries "$queries" --qrels "$qrels" --mode lexical >/dev/null
run_mbc --mode lexical --exact          # medical analysis, fields, proximity; no lexicon, typos, feedback
run_mbc --mode lexical                  # + lexicon, typo correction, RM3 feedback
run_mbc --mode semantic                 # all-MiniLM-L6-v2 alone
run_mbc --mode hybrid --fusion linear   # fused by normalised scores
run_mbc --mode hybrid                   # fused by reciprocal rank (the default)
