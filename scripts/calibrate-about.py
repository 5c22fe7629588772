#!/usr/bin/env python3
"""Calibrates how mbc reads a model's similarities: the `similarity_floor` and
`similarity_alone` of `mbc-calibration.toml` (see src/search/about.rs for the rule).

It asks the three development sets of people's questions (tests/fixtures/questions.toml,
questions-held-out.toml and questions-dev.toml; never the reserve set) of the bundled corpus
in hybrid mode, takes each question's evidence (its best coverage, best similarity, similarity
without the words no passage uses, and whether it names another cancer no passage names, none
of which depends on the thresholds), and
tries every pair of thresholds on a 0.01 grid. Each pair scores the answerable questions it
finds minus twice the unanswerable questions it answers: a confident wrong answer costs more
than a missed one (with the first set alone, every unanswerable question could be left out, and
the region that did so no longer held the thresholds apart once the check on missing words was
modelled). The pairs with the best score form a region, and its middle is chosen, so that the
thresholds sit as far as the data allow from the questions on either side
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
SETS = ["questions.toml", "questions-held-out.toml", "questions-dev.toml"]
# What answering an unanswerable question costs, in answerable questions missed.
WRONG_ANSWER_COST = 2
# The rule's coverage constants, as in src/search/about.rs.
COVERAGE_NEEDED = 0.5
COVERAGE_WITH_MEANING = 0.25
SHORT_QUERY = 8
SAME_QUESTION = 0.89


def evidence(name):
    questions = ROOT / "tests" / "fixtures" / name
    run = subprocess.run(
        [str(MBC), "eval", "--questions", str(questions), "--mode", "hybrid", "--format", "json"],
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
    if q["urgent_rule"]:
        return True
    # A question that names another cancer no passage names is about nothing.
    if q["names_another_cancer"]:
        return False
    if cov >= COVERAGE_NEEDED:
        return True
    # Words no passage uses that carry the question: meaning does not count (the similarity
    # without them does not depend on the thresholds).
    without = q.get("without_absent_words")
    if without is not None and without < SAME_QUESTION:
        return False
    # A middling similarity counts with the words of a passage at or above the floor. Which
    # passages those are depends on the floor, and mbc measures them at its own (the floor in
    # use when the evidence was taken): at another floor this is an approximation.
    with_meaning = q.get("coverage_with_meaning")
    with_meaning = q["coverage"] if with_meaning is None else with_meaning
    with_meaning /= length_scale(q["concepts"])
    return sim >= alone or (sim >= floor and with_meaning >= COVERAGE_WITH_MEANING)


def main():
    rows = [q for name in SETS for q in evidence(name)]
    answerable = [q for q in rows if q["kind"] != "unanswerable"]
    unanswerable = [q for q in rows if q["kind"] == "unanswerable"]
    # Similarity alone is not asked to be surer than the best match of any answerable question.
    top = max(q["similarity"] for q in answerable)
    grid = [x / 100 for x in range(10, int(top * 100) + 1)]
    scored = []
    for floor in grid:
        for alone in grid:
            if alone < floor:
                continue
            kept = sum(found(q, floor, alone) for q in answerable)
            wrong = sum(found(q, floor, alone) for q in unanswerable)
            scored.append((kept - WRONG_ANSWER_COST * wrong, kept, wrong, floor, alone))
    best = max(s[0] for s in scored)
    region = [s for s in scored if s[0] == best]
    floors = sorted({s[3] for s in region})
    floor = floors[len(floors) // 2]
    alones = sorted(s[4] for s in region if s[3] == floor)
    alone = alones[len(alones) // 2]
    _, kept, wrong, _, _ = next(s for s in region if s[3:] == (floor, alone))
    print(f"{len(answerable)} answerable and urgent, {len(unanswerable)} unanswerable questions")
    print(f"best: {kept} answerable questions found, {wrong} unanswerable answered")
    print(f"floor in [{floors[0]:.2f}, {floors[-1]:.2f}], chosen {floor:.2f}")
    print(f"alone in [{alones[0]:.2f}, {alones[-1]:.2f}] at that floor, chosen {alone:.2f}")
    print("\nunanswerable questions answered:")
    for q in unanswerable:
        if found(q, floor, alone):
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
            f'method = "scripts/calibrate-about.py on {", ".join(SETS)} (bundled corpus, '
            f"hybrid): {kept} of {len(answerable)} answerable found, {wrong} of "
            f"{len(unanswerable)} unanswerable answered; the middle of the region that scores "
            f'best, each wrong answer costing {WRONG_ANSWER_COST} missed."\n'
        )
        (MODEL / "mbc-calibration.toml").write_text(text)
        print(f"\nwrote {MODEL / 'mbc-calibration.toml'}")


if __name__ == "__main__":
    main()
