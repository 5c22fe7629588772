#!/usr/bin/env python3
"""Builds a long-query ("more like this") collection from a BEIR collection such as MED: for
each judged query, its first relevant document becomes a query (title and text, about 100-200
words with many words repeated), judged by the other documents relevant to the same query. The
documents used as queries are left out of the corpus, so no system can find a query itself.

Usage: make_long_queries.py COLLECTION_DIR OUT_DIR
Writes OUT_DIR/corpus.jsonl, OUT_DIR/queries.jsonl and OUT_DIR/qrels/test.tsv."""

import json
import os
import sys


def main(collection, out):
    corpus = [json.loads(l) for l in open(f"{collection}/corpus.jsonl", encoding="utf-8") if l.strip()]
    by_id = {str(d["_id"]): d for d in corpus}
    qrels = {}
    with open(f"{collection}/qrels/test.tsv", encoding="utf-8") as f:
        for i, line in enumerate(f):
            parts = line.split()
            if not parts or (i == 0 and parts[0] == "query-id"):
                continue
            qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    queries, judgements, used = [], [], set()
    for qid in sorted(qrels, key=lambda q: (len(q), q)):
        relevant = sorted(d for d, g in qrels[qid].items() if g > 0 and d in by_id)
        source = next((d for d in relevant if d not in used), None)
        if source is None or len(relevant) < 3:
            continue
        used.add(source)
        doc = by_id[source]
        queries.append({"_id": f"like-{qid}", "text": f"{doc.get('title', '')} {doc['text']}".strip()})
        for d in relevant:
            if d != source:
                judgements.append((f"like-{qid}", d, qrels[qid][d]))
    os.makedirs(f"{out}/qrels", exist_ok=True)
    with open(f"{out}/corpus.jsonl", "w", encoding="utf-8") as f:
        for d in corpus:
            if str(d["_id"]) not in used:
                f.write(json.dumps(d) + "\n")
    with open(f"{out}/queries.jsonl", "w", encoding="utf-8") as f:
        for q in queries:
            f.write(json.dumps(q) + "\n")
    with open(f"{out}/qrels/test.tsv", "w", encoding="utf-8") as f:
        f.write("query-id\tcorpus-id\tscore\n")
        for q, d, g in judgements:
            f.write(f"{q}\t{d}\t{g}\n")
    words = [len(q["text"].split()) for q in queries]
    print(f"{len(queries)} long queries, {min(words)}-{max(words)} words (median {sorted(words)[len(words) // 2]}), "
          f"{len(judgements)} judgements, corpus {len(corpus) - len(used)} documents")


if __name__ == "__main__":
    main(*sys.argv[1:3])
