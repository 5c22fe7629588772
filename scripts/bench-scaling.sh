#!/usr/bin/env bash
# How far one machine goes (docs/scaling.md): lexical indexes of MED replicated to 200 MB and to
# 1 GB, and the vectors of a sample of about 10,000 passages. For each: build time and peak RSS
# (GNU time), index size, and query throughput with p50/p99 latency (`cargo bench --bench
# search`, one query at a time, top 10). Writes only under target/bench/scaling.
#   SIZES="200 1000" (MB) and SAMPLE_RECORDS=9200 (records in the vector sample) change the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
med=${MED:-../shared/bench/med}
work=target/bench/scaling
sizes=${SIZES:-200 1000}
sample_records=${SAMPLE_RECORDS:-9200}
mkdir -p "$work"
cargo build --release --quiet --benches
mbc=target/release/mbc

# "wall-seconds peak-MB" of a command, from GNU time.
measure() {
  /usr/bin/time -v "$@" 2> "$work/time.txt" > /dev/null
  awk -F': ' '/Elapsed/ {split($2, t, ":"); wall = t[1] * 60 + t[2]}
              /Maximum resident/ {rss = $2 / 1024}
              END {printf "%.1f %.0f\n", wall, rss}' "$work/time.txt"
}
passages() {
  "$mbc" stats --index "$1" --format json 2>/dev/null \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["passages"])'
}
queries() { # index, then extra environment for the bench
  env MBC_BENCH_INDEX="$1" MBC_BENCH_QUERIES="$med/queries.jsonl" MBC_BENCH_REPEAT=5 "${@:2}" \
    cargo bench --quiet --bench search 2>/dev/null | grep 'top 10:'
}

echo "== lexical indexes (--no-semantic, 2 threads)"
for mb in $sizes; do
  corpus="$work/med-$mb.jsonl"
  [ -f "$corpus" ] || python3 scripts/make_big_corpus.py "$med/corpus.jsonl" "$corpus" "$mb"
  cat "$corpus" > /dev/null # warm the page cache, so the disk is not what is timed
  rm -rf "$work/index-$mb"
  read -r wall rss <<< "$(measure "$mbc" index --no-semantic --rebuild --corpus "$corpus" --index "$work/index-$mb")"
  echo "$(du -m "$corpus" | cut -f1) MB corpus, $(passages "$work/index-$mb") passages: build ${wall} s," \
    "peak RSS ${rss} MB, index $(du -sm "$work/index-$mb" | cut -f1) MB"
  echo "  MED queries, $(queries "$work/index-$mb")"
done

echo
echo "== vectors: the first $sample_records records of the 200 MB corpus, embedded with the shipped model"
first=$(echo "$sizes" | awk '{print $1}')
head -n "$sample_records" "$work/med-$first.jsonl" > "$work/sample.jsonl"
rm -rf "$work/index-sample"
read -r wall rss <<< "$(measure "$mbc" index --rebuild --corpus "$work/sample.jsonl" --index "$work/index-sample")"
echo "$(passages "$work/index-sample") passages: build with embedding ${wall} s, peak RSS ${rss} MB," \
  "index $(du -sm "$work/index-sample" | cut -f1) MB, of which vectors.bin" \
  "$(du -m "$work"/index-sample/gen-*/vectors.bin | cut -f1) MB"
echo "  MED queries, lexical: $(queries "$work/index-sample")"
echo "  MED queries, hybrid (model loaded once): $(queries "$work/index-sample" MBC_BENCH_MODE=hybrid)"
