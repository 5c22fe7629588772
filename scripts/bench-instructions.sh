#!/usr/bin/env bash
# Instructions per lexical search (top 10), counted by valgrind's cachegrind through
# `cargo bench --bench search`. Unlike a timing, the count moves by about 0.1 % between runs on
# a shared machine, so a change to the search path can be judged by a before / after pair even
# when the machine's noise (±30 % in timings here) hides it. It says nothing about cache misses
# or parallelism: confirm a real gain with a timing.
#
# scripts/bench-instructions.sh [QUERIES.jsonl]   (BEIR queries; default: the one query of
# scripts/bench-serve.sh, "hormone therapy side effects"). Prints --exact and default lexical.
# Each count is the difference between a run of 3 and of 1 repeats, so opening the index and
# starting the process cancel out. Needs valgrind (Debian: apt-get install valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind > /dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
work=$PWD/target/bench/instructions
mkdir -p "$work"
queries=${1:-$work/one-query.jsonl}
[ $# -gt 0 ] || echo '{"_id":"1","text":"hormone therapy side effects"}' > "$queries"
cargo build --release --quiet
target/release/mbc index --no-semantic --corpus corpus --index "$work/index" > /dev/null 2>&1
bench=$(cargo bench --bench search --no-run --message-format json 2> /dev/null \
  | python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("target", {}).get("name") == "search" and m.get("executable"):
        print(m["executable"])')
count() { # repeats, extra environment…
  env MBC_BENCH_INDEX="$work/index" MBC_BENCH_QUERIES="$queries" MBC_BENCH_LIMITS=10 \
    MBC_BENCH_REPEAT="$1" "${@:2}" valgrind --tool=cachegrind --cache-sim=no \
    --cachegrind-out-file=/dev/null "$bench" 2>&1 | awk '/I *refs/ {gsub(",", "", $NF); print $NF}'
}
n=$(wc -l < "$queries")
for mode in exact default; do
  extra=()
  [ $mode = exact ] && extra=(MBC_BENCH_EXACT=1)
  one=$(count 1 "${extra[@]}")
  three=$(count 3 "${extra[@]}")
  echo "lexical $mode: $(( (three - one) / 2 / n )) instructions per search ($n queries)"
done
