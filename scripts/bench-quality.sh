#!/usr/bin/env bash
# Quality benchmark: `mbc eval` next to a reference BM25 (bm25s + PyStemmer, k1=1.5, b=0.75) on a
# BEIR collection, in one run; then the same on the collection's long-query ("more like this")
# variant built by scripts/make_long_queries.py, where each query is a relevant abstract.
# Usage: scripts/bench-quality.sh [COLLECTION_DIR] (default ../shared/bench/med).
# Installs the reference into target/bench-venv on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
collection=${1:-../shared/bench/med}
long=target/bench/$(basename "$collection")-long

venv=target/bench-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet bm25s PyStemmer
fi
cargo build --release --quiet

# bench DIR: the reference (and, with --long, the reference counting each query word once),
# then mbc's modes, on the collection in DIR.
bench() {
  local dir=$1 corpus=$1/corpus.jsonl queries=$1/queries.jsonl qrels=$1/qrels/test.tsv
  echo "== reference: bm25s + PyStemmer, stop words, k1=1.5 b=0.75 (repeated query words count)"
  "$venv/bin/python" scripts/reference_bm25.py "$corpus" "$queries" "$qrels"
  if [ "${2:-}" = --long ]; then
    echo
    echo "== reference, each query word counted once"
    "$venv/bin/python" scripts/reference_bm25.py "$corpus" "$queries" "$qrels" --unique-query-terms
  fi
  echo
  # The first run builds the index (and embeds every passage) into the temporary directory,
  # keyed by the corpus file's content; later runs reuse it.
  target/release/mbc eval --corpus "$corpus" --queries "$queries" --qrels "$qrels" --mode lexical >/dev/null
  for mode in "--mode lexical --exact" "--mode lexical" "--mode semantic" \
    "--mode hybrid --fusion linear" "--mode hybrid"; do
    echo "== mbc eval $mode"
    # shellcheck disable=SC2086 # $mode is several arguments
    target/release/mbc eval --corpus "$corpus" --queries "$queries" --qrels "$qrels" $mode 2>/dev/null
    echo
  done
  if [ "${2:-}" = --long ]; then
    # The same texts through `search --like`: their 50 most distinctive words and meaning.
    for mode in "--mode lexical" "--mode hybrid"; do
      echo "== mbc eval --like $mode"
      # shellcheck disable=SC2086
      target/release/mbc eval --like --corpus "$corpus" --queries "$queries" --qrels "$qrels" $mode 2>/dev/null
      echo
    done
  fi
}
# --mode lexical --exact: medical analysis, fields, proximity; no lexicon, typos, feedback
# --mode lexical: + lexicon, typo correction, RM3 feedback
# --mode semantic: all-MiniLM-L6-v2 alone
# --mode hybrid --fusion linear: fused by normalised scores; --mode hybrid: by reciprocal rank

echo "#### $collection"
bench "$collection"
echo "#### $long (long queries: $(python3 scripts/make_long_queries.py "$collection" "$long"))"
bench "$long" --long
