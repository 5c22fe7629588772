#!/usr/bin/env python3
"""Write the input an annotator labels the tagging fixture from (docs/tagging-conventions.md).

Usage: python3 scripts/tagging-annotator-input.py [--unlabelled] DIR [MBC]

Writes DIR/input-1.md … DIR/input-4.md: the approaches' descriptions, the conventions, and the
passages of the bundled corpus in `mbc export --all` order, numbered n = 0, 1, …, each with its
file, title and section; and DIR/passages.json, which names each n as the fixture does (file,
section, first words), to read an annotator's answers back. MBC is the binary (default
target/release/mbc).

With --unlabelled, only the passages no fixture entry names (those of texts added after the
labelling), in one part, named by their first eight words.
"""
import json
import sys
import tomllib
from pathlib import Path

from tagging_fixture import ROOT as root
from tagging_fixture import exported_passages, names, read_fixture

args = sys.argv[1:]
unlabelled = "--unlabelled" in args
args = [a for a in args if a != "--unlabelled"]
PARTS = 1 if unlabelled else 4
out = Path(args[0])
mbc = args[1] if len(args) > 1 else None
out.mkdir(parents=True, exist_ok=True)

fixture = read_fixture()
passages = exported_passages(mbc)
if unlabelled:
    passages = [p for p in passages if not any(names(p, label) for label in fixture)]


def label_of(passage):
    """The fixture entry that names this passage."""
    found = [label for label in fixture if names(passage, label)]
    if len(found) != 1:
        sys.exit(f"{passage['doc_id']} › {passage['section']}: {len(found)} fixture entries")
    return found[0]


def name_of(passage):
    """How the fixture names this passage: its entry's, or for a new one its first words."""
    if not unlabelled:
        return {key: label_of(passage)[key] for key in ("file", "section", "starts")}
    return {"file": passage["doc_id"], "section": passage["section"],
            "starts": " ".join(passage["text"].split()[:8])}


named = [name_of(p) for p in passages]
(out / "passages.json").write_text(json.dumps(named, indent=1, ensure_ascii=False) + "\n")

approaches = tomllib.loads((root / "corpus/approaches.toml").read_text())["approach"]
described = "\n".join(f"- `{a['id']}`: {a['description']}" for a in approaches)
conventions = (root / "docs/tagging-conventions.md").read_text()
conventions = conventions[conventions.index("## What to label"):]
size = -(-len(passages) // PARTS)
for part in range(PARTS):
    lines = [f"# Labelling task, part {part + 1} of {PARTS}\n", "## The approaches\n", described,
             "\n", conventions, "\n## Passages\n"]
    for n in range(part * size, min((part + 1) * size, len(passages))):
        p = passages[n]
        lines.append(f"### n = {n}\nfile: {p['doc_id']}\ntitle: {p['title']}\n"
                     f"section: {p['section'] or '(opening, no section)'}\n\n{p['text']}\n")
    (out / f"input-{part + 1}.md").write_text("\n".join(lines))
print(f"{len(passages)} passages in {PARTS} parts under {out}")
