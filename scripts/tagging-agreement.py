#!/usr/bin/env python3
"""How far the three annotators of the tagging fixture agree, and how the tagger scores against
the fixture and against each of them (docs/tagging-agreement.md).

Reads the annotators' labels (tests/fixtures/tagging-annotators.json), the fixture
(tests/fixtures/tagging.toml, their majority) and the tags the index gives (`mbc export --all`,
with the binary given as the first argument, default target/release/mbc). Scores count
(passage, approach) pairs, as `tests/integration/tagging.rs` does; the first set named is the
reference.
"""
import json
import sys

from tagging_fixture import ROOT, exported_passages, passage_named, read_fixture

mbc = sys.argv[1] if len(sys.argv) > 1 else None
fixture = read_fixture()
annotators = json.loads((ROOT / "tests/fixtures/tagging-annotators.json").read_text())
passages = exported_passages(mbc)


def key(label):
    return label["file"], label["section"], label["starts"]


def tags_of(label):
    return set(passage_named(passages, label)["approaches"])


assert [key(l) for l in fixture] == [key(l) for l in annotators], "the files name other passages"
labels = {
    "fixture": [set(l["about"]) for l in fixture],
    "first": [set(l["first"]) for l in annotators],
    "second": [set(l["second"]) for l in annotators],
    "third": [set(l["third"]) for l in annotators],
    "tagger": [tags_of(l) for l in fixture],
}


def score(truth, given, rows):
    right = sum(len(truth[i] & given[i]) for i in rows)
    given_pairs = sum(len(given[i]) for i in rows)
    true_pairs = sum(len(truth[i]) for i in rows)
    same = sum(truth[i] == given[i] for i in rows)
    return right / max(given_pairs, 1), right / max(true_pairs, 1), same


comparisons = [("first", "second"), ("first", "third"), ("second", "third"),
               ("fixture", "first"), ("fixture", "second"), ("fixture", "third"),
               ("fixture", "tagger"), ("first", "tagger"), ("second", "tagger"),
               ("third", "tagger")]
parts = {
    "all": range(len(fixture)),
    "tuning": [i for i, l in enumerate(fixture) if not l["held_out"]],
    "held-out": [i for i, l in enumerate(fixture) if l["held_out"]],
}
print("| reference | compared | part | precision | recall | same label set |")
print("| --- | --- | --- | --- | --- | --- |")
for truth, given in comparisons:
    for part, rows in parts.items():
        precision, recall, same = score(labels[truth], labels[given], rows)
        print(f"| {truth} | {given} | {part} | {precision:.3f} | {recall:.3f} "
              f"| {same} of {len(rows)} |")
