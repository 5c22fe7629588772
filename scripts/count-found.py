#!/usr/bin/env python3
"""How many queries of a BEIR queries file `mbc search` finds something about, and which: for
checking "nothing found" on texts a corpus is not about (for instance the long MED queries
against the bundled corpus). Extra arguments go to `mbc search` (e.g. --mode lexical).

Usage: count-found.py QUERIES.jsonl [MBC_SEARCH_ARGS...]   (MBC=path/to/mbc, default
target/release/mbc)"""

import json
import os
import subprocess
import sys


def main(queries_path, *extra):
    mbc = os.environ.get("MBC", "target/release/mbc")
    found = 0
    queries = [json.loads(line) for line in open(queries_path, encoding="utf-8") if line.strip()]
    for query in queries:
        run = subprocess.run([mbc, "search", "--format", "json", "--limit", "1", *extra, "--", query["text"]],
                             capture_output=True, text=True, check=True)
        result = json.loads(run.stdout)
        if result["found"]:
            found += 1
            evidence = result["evidence"]
            print(f"found: {query['_id']} (coverage {evidence['coverage']:.3f}, similarity "
                  f"{evidence['similarity']}, urgent {result['urgent_symptoms']}): {query['text'][:60]}")
    print(f"{found} of {len(queries)} found")


if __name__ == "__main__":
    main(*sys.argv[1:])
