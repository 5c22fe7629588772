#!/usr/bin/env bash
# `mbc serve` under load, driven by oha (installed into target/bench-tools on first use) on
# loopback, on a copy of the bundled corpus:
#   1. a fixed rate for 30 s each: lexical at 200 requests/s, hybrid at 40 requests/s;
#   2. the most it sustains with 32 connections for 15 s: lexical --exact, lexical, hybrid, and
#      tantivy-cli's own `serve` (installed into target/bench-tools on first use) on an index of
#      the same passages (`mbc export --all`: title, section and text, en_stem);
#   3. lexical with 32 connections again while `mbc index --rebuild` runs in a loop;
#   4. the server's RSS at the start and at the end (right after the last rebuild, and 2 s later).
# Each run also gives the CPU time the server spent per answered request (user + system, from
# /proc): oha shares the machine's cores, and a larger answer costs it more to read, so
# requests/s alone mixes the client's cost into the server's.
# One query throughout ("hormone therapy side effects"): the figures are of the server, not of
# the query mix. DURATION=10s shortens step 1.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$PWD/target/bench/serve
duration=${DURATION:-30s}
port=8790
tantivy_port=8791
[ -x target/bench-tools/bin/oha ] || cargo install --locked --root target/bench-tools oha
oha=$PWD/target/bench-tools/bin/oha
tantivy=$PWD/target/bench-tools/bin/tantivy
cargo build --release --quiet
mbc=$PWD/target/release/mbc

rm -rf "$work" && mkdir -p "$work/root"
cp -r corpus "$work/root/corpus"
cd "$work/root"
"$mbc" index > /dev/null 2>&1
"$mbc" serve --addr "127.0.0.1:$port" 2> "$work/serve.log" &
server=$!
tantivy_server=
trap 'kill $server $tantivy_server 2> /dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$port/healthz" > /dev/null; do sleep 0.2; done
rss() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$server/status"; }
# Resident memory by kind: the allocator's (anonymous) and the index files' pages (file).
rss_kinds() { awk '/RssAnon/ {a = $2} /RssFile/ {f = $2} END {printf "anonymous %.0f MB, file %.0f MB", a / 1024, f / 1024}' "/proc/$server/status"; }
start_rss=$(rss)
start_kinds=$(rss_kinds)

url="http://127.0.0.1:$port/api/search?q=hormone+therapy+side+effects"
# CPU time a process has used so far, in clock ticks (user + system).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)
# One oha run, summarised: requests/s, p50, p99 (ms), how many requests failed, and the CPU
# time of the process `$watch` (the server) per answered request.
watch=$server
load() { # label, oha arguments…
  local label=$1
  shift
  local before
  before=$(cpu_ticks "$watch")
  "$oha" --no-tui --output-format json "$@" > "$work/oha.json"
  python3 - "$label" "$work/oha.json" "$before" "$(cpu_ticks "$watch")" "$ticks_per_second" <<'PY'
import json, sys
label, path = sys.argv[1], sys.argv[2]
before, after, per_second = (int(float(a)) for a in sys.argv[3:6])
run = json.load(open(path))
codes = run.get("statusCodeDistribution", {})
errors = dict(run.get("errorDistribution", {}))
# oha cancels the requests still in flight when the duration ends: not failures.
cut = errors.pop("aborted due to deadline", 0)
ok = codes.get("200", 0)
failed = sum(n for code, n in codes.items() if code != "200") + sum(errors.values())
p = run["latencyPercentiles"]
cpu = (after - before) / per_second / max(ok, 1) * 1e6
print(f"{label}: {run['summary']['requestsPerSec']:.0f} requests/s, p50 {p['p50'] * 1e3:.2f} ms, "
      f"p99 {p['p99'] * 1e3:.2f} ms, {ok} answered, {failed} failed ({cut} cut off at the end), "
      f"server CPU {cpu:.0f} µs per answer")
PY
}

echo "== fixed rate, $duration each"
load "lexical at 200/s" -z "$duration" -q 200 -c 8 "$url&mode=lexical"
load "hybrid at 40/s" -z "$duration" -q 40 -c 8 "$url"

echo
echo "== the most it sustains, 32 connections, 15 s each"
load "lexical --exact" -z 15s -c 32 "$url&mode=lexical&exact=true"
load "lexical" -z 15s -c 32 "$url&mode=lexical"
load "hybrid" -z 15s -c 32 "$url"
warm_rss=$(rss)
echo "server RSS after the load: $warm_rss MB ($(rss_kinds))"

# tantivy-cli's server on the same passages, with the schema its `index` command reads.
"$root/scripts/tantivy-cli-index.sh" "$mbc" "$work/tcli-idx"
"$tantivy" serve -i "$work/tcli-idx" --host 127.0.0.1 -p "$tantivy_port" > /dev/null 2>&1 &
tantivy_server=$!
until curl -sf "http://127.0.0.1:$tantivy_port/api/?q=bone&nhits=1" > /dev/null; do sleep 0.2; done
watch=$tantivy_server
load "tantivy-cli serve ($(wc -l < "$work/tcli-idx/passages.jsonl") passages)" -z 15s -c 32 \
  "http://127.0.0.1:$tantivy_port/api/?q=hormone+therapy+side+effects&nhits=10"
kill $tantivy_server
watch=$server

echo
echo "== lexical, 32 connections, while mbc index --rebuild runs in a loop (15 s)"
(
  end=$((SECONDS + 15))
  builds=0
  while [ $SECONDS -lt $end ]; do
    "$mbc" index --rebuild > /dev/null 2>&1
    builds=$((builds + 1))
  done
  echo "$builds rebuilds" > "$work/rebuilds.txt"
) &
rebuilding=$!
load "during rebuilds" -z 15s -c 32 "$url&mode=lexical"
wait $rebuilding
cat "$work/rebuilds.txt"

# Right after the last rebuild the server may be opening that generation beside the one it
# serves; once a second it swaps in a new generation and hands freed memory back. Both are shown.
last_rebuild_rss=$(rss)
sleep 2
end_rss=$(rss)
echo
pct() { python3 -c "print(f'{($2 - $1) / $1 * 100:+.1f}')"; }
echo "server RSS: ${start_rss} MB at the start ($start_kinds), ${end_rss} MB at the end, 2 s after" \
  "the last rebuild ($(rss_kinds)) ($(pct "$start_rss" "$end_rss") %; $(pct "$warm_rss" "$end_rss") % since" \
  "the load before the rebuilds); ${last_rebuild_rss} MB right after the last rebuild" \
  "($(pct "$start_rss" "$last_rebuild_rss") %)"
echo "server log lines that are neither requests nor new generations:"
grep -v -E -e '^[0-9T:-]+Z GET ' -e "^note: serving the index's new generation" "$work/serve.log" || true
