#!/usr/bin/env python3
"""Add the labels of passages added after the labelling to the tagging fixture, held out.

Usage: python3 scripts/tagging-add-labels.py DIR

DIR is what `scripts/tagging-annotator-input.py --unlabelled DIR` wrote (passages.json), with
each annotator's answer beside it: first.json, second.json and third.json, in the form the
input asks for ([{"n": 0, "about": [...]}, ...]). An optional why.json holds the first
annotator's reason for each passage, one string each. Appends each passage to
tests/fixtures/tagging-annotators.json and, with what at least two annotators gave, to
tests/fixtures/tagging.toml with `held_out = true` (nobody saw the tagger's output for them).
"""
import json
import sys
from pathlib import Path

from tagging_fixture import ROOT as root

ANNOTATORS = ("first", "second", "third")


def read(path):
    return json.loads(path.read_text())


def answers(folder, who, count):
    """One annotator's label sets, in passage order."""
    given = read(folder / f"{who}.json")
    if [a["n"] for a in given] != list(range(count)):
        sys.exit(f"{who}.json: expected answers for n = 0 … {count - 1}, in order")
    return [sorted(a["about"]) for a in given]


def fixture_entry(name, about, first, why):
    # A TOML basic string escapes as JSON does: a passage may start with a quotation.
    lines = ["", "[[passage]]", f"file = {json.dumps(name['file'])}",
             f"section = {json.dumps(name['section'])}", f"starts = {json.dumps(name['starts'])}",
             f"about = {json.dumps(about)}", "held_out = true"]
    if about != first:
        lines.append(f"# labelled by the majority of three; the first annotator had "
                     f"{json.dumps(first)}")
        if why:
            lines.append(f"# first annotator's why: {why}")
    elif why:
        lines.append(f"# why: {why}")
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = Path(sys.argv[1])
    names = read(folder / "passages.json")
    given = {who: answers(folder, who, len(names)) for who in ANNOTATORS}
    why_path = folder / "why.json"
    whys = read(why_path) if why_path.exists() else [None] * len(names)

    annotated_path = root / "tests/fixtures/tagging-annotators.json"
    annotated = read(annotated_path)
    entries = []
    for n, name in enumerate(names):
        sets = [given[who][n] for who in ANNOTATORS]
        about = sorted({a for s in sets for a in s if sum(a in t for t in sets) >= 2})
        annotated.append({**name, **{who: given[who][n] for who in ANNOTATORS}})
        entries.append(fixture_entry(name, about, sets[0], whys[n]))
    annotated_path.write_text(json.dumps(annotated, indent=1, ensure_ascii=False) + "\n")
    with open(root / "tests/fixtures/tagging.toml", "a") as fixture:
        fixture.write("".join(entries))
    print(f"added {len(names)} held-out passages to the tagging fixture")


main()
