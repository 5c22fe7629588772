#!/usr/bin/env bash
# For each question of a file ("+question" or "-question" per line, "#" comments), prints the
# rank of a document's first passage in the top ten and the document of the first passage:
#   scripts/first-passages.sh scripts/last-days-questions.txt 25-near-the-end-of-life.md [mbc args…]
# Run from the repository with target/release/mbc built; extra arguments go to `mbc search`.
set -euo pipefail
questions=$1 doc=$2
shift 2
grep -v '^#' "$questions" | while IFS= read -r line; do
    kind=${line:0:1} query=${line:1}
    target/release/mbc search "$query" --limit 10 --format json "$@" | python3 -c '
import json, sys
doc, kind, query = sys.argv[1:]
ids = [p["doc_id"] for p in json.load(sys.stdin)["passages"]]
rank = next((str(i + 1) for i, d in enumerate(ids) if d == doc), "-")
print(f"{kind} {rank:>2} | {ids[0] if ids else None:<42} | {query}")' "$doc" "$kind" "$query"
done
