#!/usr/bin/env python3
"""What spelling makes of words typed alone: each word of a list, one per line
(scripts/spelling-survey-words.txt by default), through `mbc search WORD --mode lexical`.
Prints the word, what it was replaced by, and what was offered instead, one line each, then
the number of replacements. Compare two builds with `MBC=path/to/mbc`.

    python3 scripts/spelling-survey.py [WORDS.txt] > after.txt
"""

import json
import os
import subprocess
import sys

MBC = os.environ.get("MBC", "target/release/mbc")
WORDS = sys.argv[1] if len(sys.argv) > 1 else "scripts/spelling-survey-words.txt"


def judge(word):
    run = subprocess.run(
        [MBC, "search", word, "--mode", "lexical", "--format", "json", "--limit", "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout)


def main():
    replaced = 0
    with open(WORDS, encoding="utf-8") as words:
        for word in (w.strip() for w in words):
            if not word:
                continue
            answer = judge(word)
            corrections = [c["to"] for c in answer["corrections"]]
            offered = [s for a in answer["absent"] for s in a["suggestions"]]
            replaced += bool(corrections)
            if corrections:
                print(f"{word} -> {', '.join(corrections)}")
            elif answer["absent"]:
                print(f"{word}: absent; offered {', '.join(offered) or 'nothing'}")
            else:
                print(f"{word}: known")
    print(f"{replaced} replaced")


if __name__ == "__main__":
    main()
