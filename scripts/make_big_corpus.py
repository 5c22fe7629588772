#!/usr/bin/env python3
"""Writes a BEIR corpus of at least TARGET_MB megabytes by replicating a source corpus.jsonl with
distinct ids (`<id>-<copy>`): deterministic, for indexing benchmarks. Usage:
make_big_corpus.py SOURCE OUT [TARGET_MB]"""

import json
import os
import sys


def main(source, out, target_mb=200):
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    records = [json.loads(line) for line in open(source, encoding="utf-8") if line.strip()]
    target = int(target_mb) * 1_000_000
    written = 0
    copy = 0
    with open(out + ".tmp", "w", encoding="utf-8") as f:
        while written < target:
            for r in records:
                line = json.dumps({"_id": f"{r['_id']}-{copy}", "title": r.get("title", ""), "text": r["text"]}) + "\n"
                f.write(line)
                written += len(line.encode("utf-8"))
            copy += 1
    os.replace(out + ".tmp", out)
    print(f"{out}: {written / 1e6:.1f} MB, {copy} copies of {len(records)} records")


if __name__ == "__main__":
    main(*sys.argv[1:])
