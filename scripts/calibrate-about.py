#!/usr/bin/env python3
"""Calibrates how mbc reads a model's similarities: the `similarity_floor` and
`similarity_alone` of `mbc-calibration.toml` (see src/search/about.rs for the rule).

It asks the people's-questions set of the bundled corpus (tests/fixtures/questions.toml) in
hybrid mode, takes each question's evidence (its best coverage and best similarity, which do
not depend on the thresholds), and tries every pair of thresholds on a 0.01 grid. A pair is
acceptable when no unanswerable question would count as answered; among those, the pairs that
keep the most answerable questions answered are kept, and the middle of that region is
chosen, so that the thresholds sit as far as the data allow from the questions on either side
(`similarity_alone` is searched up to the best similarity of any answerable question).

Usage (from the repository root, after `cargo build --release`; MBC=path picks another binary):
    scripts/calibrate-about.py            # prints the evidence and the chosen thresholds
    scripts/calibrate-about.py --write    # also writes models/all-MiniLM-L6-v2/mbc-calibration.toml
"""

import json
import subprocess
import sys
from pathlib import Path

import os

ROOT = Path(__file__).resolve().parent.parent
MBC = Path(os.environ.get("MBC", ROOT / "target" / "release" / "mbc"))
MODEL = ROOT / "models" / "all-MiniLM-L6-v2"
QUESTIONS = ROOT / "tests" / "fixtures" / "questions.toml"
# The rule's coverage constants, as in src/search/about.rs.
COVERAGE_NEEDED = 0.5
COVERAGE_WITH_MEANING = 0.25
SHORT_QUERY = 8


def evidence():
    mbc = MBC
    run = subprocess.run(
        [str(mbc), "eval", "--questions", str(QUESTIONS), "--mode", "hybrid", "--format", "json"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )
    return json.loads(run.stdout)["per_question"]


def model_id():
    run = subprocess.run(
        [str(MBC), "stats", "--format", "json"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )
    return json.loads(run.stdout)["vectors"]["model"]


def length_scale(concepts):
    return (SHORT_QUERY / max(concepts, SHORT_QUERY)) ** 0.5


def found(q, floor, alone):
    sim = q["similarity"]
    # The coverage shares scale with the query's length, as in src/search/about.rs.
    cov = q["coverage"] / length_scale(q["concepts"])
    # A question that names an urgent symptom is answered by the urgent rule whatever the
    # thresholds.
    return (
        q["urgent_rule"]
        or cov >= COVERAGE_NEEDED
        or sim >= alone
        or (sim >= floor and cov >= COVERAGE_WITH_MEANING)
    )


def main():
    rows = evidence()
    answerable = [q for q in rows if q["kind"] != "unanswerable"]
    unanswerable = [q for q in rows if q["kind"] == "unanswerable"]
    # Similarity alone is not asked to be surer than the best match of any answerable question.
    top = max(q["similarity"] for q in answerable)
    grid = [x / 100 for x in range(10, int(top * 100) + 1)]
    scored = []
    for floor in grid:
        for alone in grid:
            if alone < floor or any(found(q, floor, alone) for q in unanswerable):
                continue
            kept = sum(found(q, floor, alone) for q in answerable)
            scored.append((kept, floor, alone))
    if not scored:
        sys.exit("no thresholds keep every unanswerable question unanswered")
    best = max(k for k, _, _ in scored)
    region = [(f, a) for k, f, a in scored if k == best]
    floors = sorted({f for f, _ in region})
    floor = floors[len(floors) // 2]
    alones = sorted(a for f, a in region if f == floor)
    alone = alones[len(alones) // 2]
    print(f"{len(answerable)} answerable and urgent, {len(unanswerable)} unanswerable questions")
    print(f"best: {best} of {len(answerable)} answerable questions found, none of the unanswerable")
    print(f"floor in [{floors[0]:.2f}, {floors[-1]:.2f}], chosen {floor:.2f}")
    print(f"alone in [{alones[0]:.2f}, {alones[-1]:.2f}] at that floor, chosen {alone:.2f}")
    print("\nclosest unanswerable questions (similarity, coverage):")
    for q in sorted(unanswerable, key=lambda q: -q["similarity"])[:5]:
        print(f"  {q['similarity']:.3f} {q['coverage']:.3f}  {q['text']}")
    print("\nanswerable questions counted as unanswered:")
    for q in answerable:
        if not found(q, floor, alone):
            print(f"  {q['similarity']:.3f} {q['coverage']:.3f}  {q['text']}")
    if "--write" in sys.argv:
        text = (
            f'model_id = "{model_id()}"\n'
            f"similarity_floor = {floor:.2f}\n"
            f"similarity_alone = {alone:.2f}\n"
            'method = "scripts/calibrate-about.py on tests/fixtures/questions.toml (bundled corpus, '
            f'hybrid): no unanswerable question found, {best} of {len(answerable)} answerable found; '
            'the middle of the region that achieves it."\n'
        )
        (MODEL / "mbc-calibration.toml").write_text(text)
        print(f"\nwrote {MODEL / 'mbc-calibration.toml'}")


if __name__ == "__main__":
    main()
