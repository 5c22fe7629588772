#!/usr/bin/env bash
# Instructions per answer of the whole server, `mbc serve` (lexical --exact) against
# tantivy-cli's `serve` on the same passages (scripts/tantivy-cli-index.sh), one query
# ("hormone therapy side effects", top 10), counted by valgrind's cachegrind.
#
# CPU time per answer moves by ±15 % between runs on a shared machine; this count moves by
# about 2 %, so it can compare two builds, or the two servers, where timings cannot. Each count
# is the difference between a server that answered 600 requests and one that answered 200
# (4 connections), divided by 400: starting, opening the index and stopping cancel out. It
# counts HTTP, search and JSON alike, and nothing of cache misses or waiting.
#
# scripts/bench-serve-instructions.sh; MBC=path/to/mbc measures that build instead of this
# tree's (for a before / after pair). Needs valgrind (Debian: apt-get install valgrind); oha
# and tantivy-cli are installed into target/bench-tools on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
command -v valgrind > /dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
[ -x target/bench-tools/bin/oha ] || cargo install --locked --root target/bench-tools oha
oha=$root/target/bench-tools/bin/oha
tantivy=$root/target/bench-tools/bin/tantivy
if [ -z "${MBC:-}" ]; then
  cargo build --release --quiet
fi
mbc=$(realpath "${MBC:-$root/target/release/mbc}")
work=$root/target/bench/serve-instructions
rm -rf "$work" && mkdir -p "$work/root"
cp -r corpus "$work/root/corpus"
cd "$work/root"
"$mbc" index --no-semantic > /dev/null 2>&1
"$root/scripts/tantivy-cli-index.sh" "$mbc" "$work/tcli-idx"
query=hormone+therapy+side+effects
port=8792

# Instructions of one server run that answers $1 requests. $2: the URL that shows it is up;
# $3: the URL to load; the rest: the server's command.
count() {
  local requests=$1 ready=$2 url=$3
  shift 3
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$@" \
    > /dev/null 2> "$work/valgrind.log" &
  local server=$!
  until curl -sf "$ready" > /dev/null; do sleep 0.5; done
  "$oha" --no-tui -n "$requests" -c 4 "$url" > /dev/null
  kill -TERM "$server"
  wait "$server" || true
  awk '/I *refs/ {gsub(",", "", $NF); print $NF}' "$work/valgrind.log"
}

per_answer() { # label, ready URL, load URL, server command…
  local label=$1
  shift
  local few many
  few=$(count 200 "$@")
  many=$(count 600 "$@")
  echo "$label: $(( (many - few) / 400 )) instructions per answer"
}

per_answer "mbc serve, lexical --exact" "http://127.0.0.1:$port/healthz" \
  "http://127.0.0.1:$port/api/search?q=$query&mode=lexical&exact=true" \
  "$mbc" serve --addr "127.0.0.1:$port"
per_answer "tantivy-cli serve" "http://127.0.0.1:$port/api/?q=bone&nhits=1" \
  "http://127.0.0.1:$port/api/?q=$query&nhits=10" \
  "$tantivy" serve -i "$work/tcli-idx" --host 127.0.0.1 -p "$port"
