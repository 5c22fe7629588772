#!/usr/bin/env bash
# Speed and memory, mbc next to tantivy-cli and ripgrep, in one run (issue: performance).
#   1. a ~200 MB BEIR corpus made by replicating ../shared/bench/med/corpus.jsonl (not committed);
#   2. indexing it with `mbc index --no-semantic` and with tantivy-cli, both with 2 threads:
#      wall time, peak RSS (/usr/bin/time -v), index size;
#   3. the MED queries against both indexes, single-threaded: queries/s and p50/p99 (tantivy-cli's
#      bench for the top 10; plain tantivy on its index, benches/tantivy_reference.rs, for the
#      top 10 and the top 1000 with hits loaded);
#   4. one-shot `mbc search` on the bundled corpus (whole process, warm cache) next to `rg -i`;
#   5. `mbc index` updating the bundled corpus's index after one file changed, next to --rebuild.
# Installs tantivy-cli (into target/bench-tools) and ripgrep on first use.
# `scripts/bench-perf.sh bundled` runs only 4 and 5 (no tantivy-cli, no 200 MB corpus).
set -euo pipefail
only=${1:-all}
cd "$(dirname "$0")/.."
med=${MED:-../shared/bench/med}
work=target/bench
mkdir -p "$work"

if [ "$only" != bundled ] && [ ! -x target/bench-tools/bin/tantivy ]; then
  cargo install --root target/bench-tools tantivy-cli
fi
command -v rg >/dev/null || { apt-get update -qq && apt-get install -y -qq ripgrep; }
cargo build --release --quiet --benches
mbc=target/release/mbc
tantivy=target/bench-tools/bin/tantivy

if [ "$only" != bundled ]; then
[ -f "$work/big/corpus.jsonl" ] || python3 scripts/make_big_corpus.py "$med/corpus.jsonl" "$work/big/corpus.jsonl" 200

# wall seconds and peak RSS (MB) of a command, from GNU time.
measure() {
  /usr/bin/time -v "$@" 2> "$work/time.txt" > /dev/null
  local wall rss
  wall=$(awk -F': ' '/Elapsed/ {split($2, t, ":"); print t[1] * 60 + t[2]}' "$work/time.txt")
  rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2 / 1024}' "$work/time.txt")
  echo "$wall $rss"
}
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }

runs=${INDEX_RUNS:-5}
echo "== indexing $(du -h "$work/big/corpus.jsonl" | cut -f1) of BEIR JSON lines with 2 threads (median of $runs alternating runs)"
# Read the corpus once untimed, so the first timed run does not pay for the disk alone.
cat "$work/big/corpus.jsonl" > /dev/null
tcli_index() {
  rm -rf "$work/tcli-idx" && mkdir -p "$work/tcli-idx"
  cat > "$work/tcli-idx/meta.json" <<'JSON'
{"index_settings":{"docstore_compression":"lz4","docstore_blocksize":16384},"segments":[],"schema":[{"name":"_id","type":"text","options":{"indexing":{"record":"basic","fieldnorms":false,"tokenizer":"raw"},"stored":true,"fast":false}},{"name":"title","type":"text","options":{"indexing":{"record":"position","fieldnorms":true,"tokenizer":"en_stem"},"stored":true,"fast":false}},{"name":"text","type":"text","options":{"indexing":{"record":"position","fieldnorms":true,"tokenizer":"en_stem"},"stored":true,"fast":false}}],"opstamp":0}
JSON
  measure "$tantivy" index -i "$work/tcli-idx" -f "$work/big/corpus.jsonl" -t 2
}
mbc_runs=() tc_runs=()
for _ in $(seq "$runs"); do
  rm -rf "$work/mbc-idx"
  mbc_runs+=("$(measure "$mbc" index --no-semantic --rebuild --corpus "$work/big/corpus.jsonl" --index "$work/mbc-idx")")
  tc_runs+=("$(tcli_index)")
done
# The run with the median wall time, as "wall rss".
median_run() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
echo "mbc runs (wall s, peak MB): ${mbc_runs[*]}; tantivy-cli: ${tc_runs[*]}"
read -r mbc_wall mbc_rss <<< "$(median_run "${mbc_runs[@]}")"
read -r tc_wall tc_rss <<< "$(median_run "${tc_runs[@]}")"
mbc_size=$(du -sm "$work/mbc-idx" | cut -f1)
tc_size=$(du -sm "$work/tcli-idx" | cut -f1)
printf "%-12s %8s %9s %9s\n" "" "wall s" "peak MB" "index MB"
printf "%-12s %8s %9s %9s\n" mbc "$mbc_wall" "$mbc_rss" "$mbc_size" tantivy-cli "$tc_wall" "$tc_rss" "$tc_size"
echo "mbc / tantivy-cli: wall $(ratio "$mbc_wall" "$tc_wall"), peak RSS $(ratio "$mbc_rss" "$tc_rss"), size $(ratio "$mbc_size" "$tc_size")"

echo
echo "== the 30 MED queries × 5, single-threaded"
python3 - "$med/queries.jsonl" "$work/queries.txt" <<'PY'
import json, re, sys
with open(sys.argv[2], "w") as out:
    for line in open(sys.argv[1]):
        # tantivy-cli's query parser reads operators; give it the words only.
        out.write(" ".join(re.findall(r"[A-Za-z0-9]+", json.loads(line)["text"])) + "\n")
PY
"$tantivy" bench -i "$work/tcli-idx" -q "$work/queries.txt" -n 5 \
  | awk '/^SEARCH/ {s = 1; next} /FETCH STORE/ {s = 0} s && NF >= 3 {print $NF}' \
  | python3 -c "
import sys
v = sorted(float(x) / 1000 for x in sys.stdin if x.strip().isdigit())
n = len(v)
print(f'tantivy-cli bench (top 10 + count): {n * 1000 / sum(v):.1f} queries/s, p50 {v[n // 2]:.2f} ms, p99 {v[min(n - 1, int(n * 0.99))]:.2f} ms')"
MBC_BENCH_TANTIVY_INDEX="$work/tcli-idx" MBC_BENCH_QUERIES="$work/queries.txt" \
  cargo bench --quiet --bench tantivy_reference 2>/dev/null | grep top | tee "$work/reference.txt" \
  | sed 's/^/tantivy 0.27 on that index (query parser, hits loaded), /'
MBC_BENCH_INDEX="$work/mbc-idx" MBC_BENCH_QUERIES="$med/queries.jsonl" \
  cargo bench --quiet --bench search 2>/dev/null | grep top | tee "$work/default.txt" | sed 's/^/mbc (default ranking), /'
MBC_BENCH_EXACT=1 MBC_BENCH_INDEX="$work/mbc-idx" MBC_BENCH_QUERIES="$med/queries.jsonl" \
  cargo bench --quiet --bench search 2>/dev/null | grep top | tee "$work/exact.txt" | sed 's/^/mbc --exact, /'
python3 - "$work" <<'PY'
import re, sys
work = sys.argv[1]
def qps(name):
    return {m[0]: float(m[1]) for m in re.findall(r"top (\d+): ([\d.]+) queries/s", open(f"{work}/{name}.txt").read())}
ref = qps("reference")
for name in ("default", "exact"):
    got = qps(name)
    print(f"mbc {name} / tantivy: " + ", ".join(f"top {k} {got[k] / ref[k]:.2f}" for k in ref))
PY

fi

echo
echo "== one-shot search of the bundled corpus, whole process, warm cache (median of 21 runs)"
"$mbc" index > /dev/null 2>&1 || true
python3 - "$mbc" <<'PY'
import os, re, statistics, subprocess, sys, time
def median_ms(cmd):
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    runs = []
    for _ in range(21):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        runs.append((time.perf_counter() - t) * 1000)
    return statistics.median(runs)
mbc = sys.argv[1]
rg = median_ms(["rg", "-i", "hormone therapy", "corpus"])
lexical = median_ms([mbc, "search", "hormone therapy", "--mode", "lexical"])
hybrid = median_ms([mbc, "search", "hormone therapy"])
print(f"rg -i: {rg:.1f} ms; mbc search --mode lexical: {lexical:.1f} ms ({lexical / rg:.2f}x); mbc search (hybrid, model load included): {hybrid:.1f} ms ({hybrid / rg:.2f}x)")

# Where a hybrid search's time goes (MBC_TIMINGS), medians of 21 runs; what the process
# spends outside mbc's own clock (start, exit) is the whole-process time less mbc's total.
def timings(mode):
    runs = []
    for _ in range(21):
        t = time.perf_counter()
        done = subprocess.run([mbc, "search", "hormone therapy", *mode], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, env={**os.environ, "MBC_TIMINGS": "1"})
        wall = (time.perf_counter() - t) * 1000
        line = next(l for l in done.stderr.splitlines() if l.startswith("timings:"))
        found = dict((k, float(v)) for v, k in [
            (m.group(2), m.group(1)) for m in re.finditer(r"(index ready|weights|tokenizer|search|query embedding|total) ([\d.]+) ms", line)])
        found["process start and exit"] = wall - found["total"]
        runs.append(found)
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}
lex, hyb = timings(["--mode", "lexical"]), timings([])
print("hybrid search, breakdown (ms, median of 21; the model loads beside the index, the query is embedded beside the lexical search):")
print(f"  process start and exit {hyb['process start and exit']:.1f}; index open (lexical run) {lex['index ready']:.1f}; "
      f"model: weights {hyb['weights']:.1f}, tokenizer {hyb['tokenizer']:.1f}; index and model ready {hyb['index ready']:.1f}; "
      f"query embedding {hyb['query embedding']:.1f}; whole search {hyb['search']:.1f} (lexical run {lex['search']:.1f}); "
      f"total inside mbc {hyb['total']:.1f}")
PY

echo
echo "== updating an index after one file of the bundled corpus changed (median of 5 runs)"
rm -rf "$work/update" && mkdir -p "$work/update" && cp -r corpus "$work/update/corpus"
"$mbc" index --no-semantic --corpus "$work/update/corpus" --index "$work/update/index" > /dev/null 2>&1
python3 - "$mbc" "$work/update" <<'PY'
import statistics, subprocess, sys, time
mbc, root = sys.argv[1], sys.argv[2]
edited = f"{root}/corpus/02-chemotherapy.md"
def index(*flags):
    t = time.perf_counter()
    subprocess.run([mbc, "index", "--no-semantic", "--corpus", f"{root}/corpus", "--index", f"{root}/index", *flags],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - t) * 1000
updates, rebuilds = [], []
for i in range(5):
    with open(edited, "a") as f:
        f.write(f"\nA benchmark line number {i}.\n")
    updates.append(index())
    rebuilds.append(index("--rebuild"))
print(f"mbc index after one edited file: {statistics.median(updates):.1f} ms; mbc index --rebuild: {statistics.median(rebuilds):.1f} ms")
PY
