#!/usr/bin/env python3
"""How far two annotators agree on the held-out tagging labels, and how the tagger scores
against each (docs/tagging-agreement.md).

Reads the fixture's held-out labels (tests/fixtures/tagging.toml), the second annotator's labels
of the same passages (tests/fixtures/tagging-second-annotator.json) and the tags the index gives
(`mbc export --all`, with the binary given as the first argument, default target/release/mbc).
Scores count (passage, approach) pairs, as `tests/integration/tagging.rs` does.
"""
import json
import subprocess
import sys
import tomllib
from pathlib import Path

root = Path(__file__).resolve().parent.parent
mbc = sys.argv[1] if len(sys.argv) > 1 else str(root / "target/release/mbc")
fixture = tomllib.loads((root / "tests/fixtures/tagging.toml").read_text())["passage"]
first = [label for label in fixture if label["held_out"]]
second = json.loads((root / "tests/fixtures/tagging-second-annotator.json").read_text())
exported = subprocess.run([mbc, "export", "--all"], cwd=root, capture_output=True, text=True,
                          check=True).stdout
passages = [json.loads(line) for line in exported.splitlines()]


def key(label):
    return label["file"], label["section"], label["starts"]


def tags_of(label):
    found = [p for p in passages
             if p["doc_id"] == label["file"]
             and (p["section"] == label["section"] or p["section"].endswith("› " + label["section"]))
             and p["text"].startswith(label["starts"])]
    if len(found) != 1:
        sys.exit(f"{label['starts']!r} names {len(found)} passages")
    return set(found[0]["approaches"])


assert [key(l) for l in first] == [key(l) for l in second], "the two files name other passages"
reference = [set(l["about"]) for l in first]
other = [set(l["about"]) for l in second]
tagger = [tags_of(l) for l in first]


def score(truth, given):
    right = sum(len(t & g) for t, g in zip(truth, given))
    return right / max(sum(map(len, given)), 1), right / max(sum(map(len, truth)), 1)


rows = [
    ("second annotator against the first", reference, other),
    ("tagger against the first (the fixture)", reference, tagger),
    ("tagger against the second", other, tagger),
    ("tagger against pairs either annotator gave", [a | b for a, b in zip(reference, other)], tagger),
    ("tagger against pairs both annotators gave", [a & b for a, b in zip(reference, other)], tagger),
]
for name, truth, given in rows:
    precision, recall = score(truth, given)
    print(f"{name}: precision {precision:.3f}, recall {recall:.3f}")
same = sum(a == b for a, b in zip(reference, other))
print(f"same label set: {same} of {len(first)} passages")
