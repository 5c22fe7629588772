#!/usr/bin/env bash
# Peak memory of indexing JSON lines of two shapes with the same bytes: a few huge lines and
# many small ones (issue: reliability, JSON lines memory). Usage: scripts/bench-jsonl-memory.sh
# [MB_PER_LINE] [LINES] (default 50 MB × 5 lines = 250 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
per_line=${1:-50}
lines=${2:-5}
work=target/bench/jsonl-memory
rm -rf "$work" && mkdir -p "$work/huge" "$work/small"
cargo build --release --quiet
python3 - "$work" "$per_line" "$lines" <<'PY'
import json, sys
work, per_line, lines = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
words = "bone metastases zoledronic acid denosumab fracture pain radiotherapy calcium".split()
sentence = " ".join(words) + ". "
with open(f"{work}/huge/corpus.jsonl", "w") as huge, open(f"{work}/small/corpus.jsonl", "w") as small:
    for i in range(lines):
        text = sentence * (per_line * 1024 * 1024 // len(sentence))
        huge.write(json.dumps({"_id": f"h{i}", "title": f"record {i}", "text": text}) + "\n")
        piece = sentence * (5 * 1024 // len(sentence))
        for j in range(len(text) // len(piece)):
            small.write(json.dumps({"_id": f"s{i}-{j}", "title": f"record {i}.{j}", "text": piece}) + "\n")
PY
for shape in huge small; do
  /usr/bin/time -v target/release/mbc index --no-semantic --corpus "$work/$shape/corpus.jsonl" \
    --index "$work/$shape/index" 2> "$work/$shape/time.txt" > /dev/null
  rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2 / 1024}' "$work/$shape/time.txt")
  size=$(du -m "$work/$shape/corpus.jsonl" | cut -f1)
  echo "$shape lines: $size MB of JSON lines, peak RSS $rss MB"
done
