#!/usr/bin/env python3
"""How the urgent-symptom rule does on questions written by a helper session playing families and
nurses (2026-12-04): emergencies described in people's own words, which should name an urgent
symptom, and everyday questions that use the same words in other senses ("the trial collapsed",
"stay fit", "fever pitch"), which should not. Prints each miss and false alarm, then the counts.
Compare two builds with `MBC=path/to/mbc`. The lists were used to fix the rule on the day they
were written, so the counts say what the rule does on them, not how it does on new questions.

    python3 scripts/urgent-survey.py
"""

import json
import os
import subprocess

MBC = os.environ.get("MBC", "target/release/mbc")
LISTS = {
    "emergencies": ("scripts/urgent-survey-emergencies.txt", True),
    "everyday": ("scripts/urgent-survey-everyday.txt", False),
}


def urgent_symptoms(query):
    run = subprocess.run(
        [MBC, "search", query, "--format", "json", "--limit", "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout)["urgent_symptoms"]


def main():
    for name, (path, should_warn) in LISTS.items():
        with open(path, encoding="utf-8") as f:
            queries = [line.strip() for line in f if line.strip()]
        warned = 0
        for query in queries:
            named = urgent_symptoms(query)
            warned += bool(named)
            if bool(named) != should_warn:
                print(f"{'missed' if should_warn else 'alarm'}: {query} {named}")
        print(f"{name}: {warned} of {len(queries)} named an urgent symptom")


if __name__ == "__main__":
    main()
