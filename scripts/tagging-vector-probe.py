#!/usr/bin/env python3
"""Could the embedding model tag passages? A linear probe on the passage vectors.

For each approach, a logistic regression on the vectors of the bundled corpus's passages (from
the index's vectors.bin), trained and scored by 5-fold cross-validation on the tuning part of
tests/fixtures/tagging.toml (the held-out part is not read), alone and with the tagger's own tags
as two more features. Prints precision and recall over (passage, approach) pairs, as the
tagging test counts them, next to the tagger's. Needs numpy: run it with the benchmark venv
(`scripts/bench-quality.sh` makes it) after `cargo build --release`:
    target/bench-venv/bin/python scripts/tagging-vector-probe.py
"""
import struct
import tomllib

import numpy as np

from tagging_fixture import ROOT as root
from tagging_fixture import exported_passages, passage_named, read_fixture

FOLDS = 5


def read_vectors(path):
    """The vectors.bin format of src/embed/vectors.rs, checksum not checked."""
    data = path.read_bytes()[:-32]
    assert data.startswith(b"MBCVEC2\n"), f"{path} is not a vector file of this version"
    at = 8

    def u32():
        nonlocal at
        at += 4
        return struct.unpack_from("<I", data, at - 4)[0]

    def text():
        nonlocal at
        n = u32()
        at += n
        return data[at - n:at].decode()

    text()  # the model's id
    dim, count = u32(), u32()
    vectors = {}
    for _ in range(count):
        passage_id = text()
        vectors[passage_id] = np.frombuffer(data, dtype="<f4", count=dim, offset=at)
        at += 4 * dim
    return vectors


def fit(features, truth, l2, steps=3000, rate=0.5):
    weights, bias = np.zeros(features.shape[1]), 0.0
    for _ in range(steps):
        error = 1 / (1 + np.exp(-(features @ weights + bias))) - truth
        weights -= rate * (features.T @ error + l2 * weights) / len(truth)
        bias -= rate * error.mean()
    return weights, bias


def score(truth, given):
    right = (truth * given).sum()
    return right / max(given.sum(), 1), right / max(truth.sum(), 1)


# Export first: it builds the index if there is none.
exported = exported_passages()
labels = [label for label in read_fixture() if not label["held_out"]]
approaches = [a["id"] for a in tomllib.loads((root / "corpus/approaches.toml").read_text())
              ["approach"]]
generation = (root / "index/CURRENT").read_text().strip()
vectors = read_vectors(root / "index" / generation / "vectors.bin")

passages = [passage_named(exported, label) for label in labels]
embedded = np.array([vectors[p["passage_id"]] for p in passages]) * 4
truth = np.array([[a in label["about"] for a in approaches] for label in labels], dtype=float)
tagger = np.array([[a in p["approaches"] for a in approaches] for p in passages], dtype=float)
print(f"{len(labels)} tuning passages; tagger: precision {score(truth, tagger)[0]:.3f}, "
      f"recall {score(truth, tagger)[1]:.3f}")
fold = np.arange(len(labels)) % FOLDS
for name, features in [("vectors", embedded), ("vectors and the tagger's tags",
                                                 np.hstack([embedded, tagger * 2]))]:
    for l2 in (0.1, 1.0):
        for threshold in (0.3, 0.5):
            given = np.zeros_like(truth)
            for f in range(FOLDS):
                train, test = fold != f, fold == f
                for a in range(len(approaches)):
                    weights, bias = fit(features[train], truth[train, a], l2)
                    chance = 1 / (1 + np.exp(-(features[test] @ weights + bias)))
                    given[test, a] = chance > threshold
            precision, recall = score(truth, given)
            print(f"{name}, l2 {l2}, threshold {threshold}: precision {precision:.3f}, "
                  f"recall {recall:.3f}")
