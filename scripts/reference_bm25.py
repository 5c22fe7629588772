#!/usr/bin/env python3
"""Reference BM25 for the quality benchmark: bm25s with PyStemmer (English Snowball) and
English stop words, k1=1.5, b=0.75, on a BEIR collection. Prints the same four metrics as
`mbc eval`, computed with trec_eval's definitions (see src/eval/metrics.rs).

Usage: reference_bm25.py CORPUS QUERIES QRELS [--unique-query-terms]"""

import json
import math
import sys

import bm25s
import Stemmer


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_qrels(path):
    qrels = {}
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            parts = line.split()
            if not parts or (i == 0 and parts[0] == "query-id"):
                continue
            qrels.setdefault(parts[0], {})[parts[1]] = max(0, int(parts[2]))
    return qrels


def metrics(ranking, judged):
    relevant = sum(1 for g in judged.values() if g > 0)
    dcg = sum(judged.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranking[:10]))
    ideal = sorted((g for g in judged.values() if g > 0), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    recall = sum(1 for d in ranking[:100] if judged.get(d, 0) > 0) / relevant
    mrr = next((1 / (i + 1) for i, d in enumerate(ranking[:10]) if judged.get(d, 0) > 0), 0.0)
    hits, ap = 0, 0.0
    for i, d in enumerate(ranking[:1000]):
        if judged.get(d, 0) > 0:
            hits += 1
            ap += hits / (i + 1)
    return [dcg / idcg if idcg else 0.0, recall, mrr, ap / relevant]


def main(corpus_path, queries_path, qrels_path, *flags):
    # bm25s scores each query token as often as the query has it (Lucene does too);
    # --unique-query-terms counts each once.
    unique = "--unique-query-terms" in flags
    corpus = load(corpus_path)
    queries = load(queries_path)
    qrels = load_qrels(qrels_path)
    stemmer = Stemmer.Stemmer("english")
    texts = [f"{d.get('title', '')} {d.get('text', '')}" for d in corpus]
    retriever = bm25s.BM25(k1=1.5, b=0.75)
    retriever.index(bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False), show_progress=False)
    ids = [str(d["_id"]) for d in corpus]
    judged = [q for q in queries if any(g > 0 for g in qrels.get(str(q["_id"]), {}).values())]
    tokens = bm25s.tokenize([q["text"] for q in judged], stopwords="en", stemmer=stemmer, show_progress=False, return_ids=False)
    if unique:
        tokens = [list(dict.fromkeys(t)) for t in tokens]
    k = min(1000, len(ids))
    results, scores = retriever.retrieve(tokens, k=k, show_progress=False)
    per_query = []
    for q, docs, doc_scores in zip(judged, results, scores):
        # trec_eval order: score descending, then document id descending.
        ranked = sorted(((ids[d], s) for d, s in zip(docs, doc_scores) if s > 0), key=lambda x: (-x[1], [-ord(c) for c in x[0]]))
        per_query.append(metrics([d for d, _ in ranked], qrels[str(q["_id"])]))
    mean = [sum(m[i] for m in per_query) / len(per_query) for i in range(4)]
    print(f"{corpus_path}: {len(per_query)} queries evaluated")
    for name, value in zip(["nDCG@10", "Recall@100", "MRR@10", "MAP@1000"], mean):
        print(f"{name:<11} {value:.4f}")


if __name__ == "__main__":
    main(*sys.argv[1:])
