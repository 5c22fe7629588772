#!/usr/bin/env python3
"""Writes data/english/variants.txt: pairs of American and British spellings of one word
("tumor tumour", "anesthetic anaesthetic", "center centre"), one pair per line.

Both words come from SCOWL up to size 70 (Debian's `scowl` package, /usr/share/dict/scowl): the
first from its American-only list, the second from its British-only lists (with -ise or -ize).
A pair is kept only when the British word is the American one with a few of the regular
spelling changes below, so that two different words are never paired. Words shorter than four
letters are left out, as spelling correction leaves them.

    python3 scripts/english-variants.py
"""
import pathlib
import sys

LISTS = pathlib.Path("/usr/share/dict/scowl")
SIZES = [10, 20, 35, 40, 50, 55, 60, 70]
OUT = pathlib.Path(__file__).resolve().parent.parent / "data/english/variants.txt"

# American → British, each applied at one place at a time, up to three in one word
# ("anesthetize" → "anaesthetise").
CHANGES = [
    ("e", "ae"),  # anemia, anaemia
    ("e", "oe"),  # estrogen, oestrogen
    ("or", "our"),  # tumor, tumour
    ("z", "s"),  # organize, organise
    ("er", "re"),  # center, centre
    ("l", "ll"),  # traveled, travelled
    ("ll", "l"),  # enrollment, enrolment
    ("o", "ou"),  # mold, mould
    ("og", "ogue"),  # catalog, catalogue
    ("se", "ce"),  # defense, defence
    ("c", "s"),  # practicing, practising
    ("f", "ph"),  # sulfur, sulphur
    ("gm", "gem"),  # judgment, judgement
    ("ag", "age"),  # aging, ageing
    ("ay", "ey"),  # gray, grey
]
MIN_LEN = 4


def words(variety):
    found = set()
    for size in SIZES:
        path = LISTS / f"{variety}-words.{size}"
        if path.exists():
            text = path.read_text(encoding="utf-8", errors="replace")
            found |= {w for w in text.split() if w.isascii() and w.isalpha() and w.islower()}
    return found


def changed_once(word):
    for old, new in CHANGES:
        at = word.find(old)
        while at != -1:
            yield word[:at] + new + word[at + len(old):]
            at = word.find(old, at + 1)


def spellings(word, changes=3):
    found = {word}
    for _ in range(changes):
        found |= {v for w in found for v in changed_once(w)}
    return found - {word}


def main():
    if not LISTS.is_dir():
        sys.exit(f"english-variants: {LISTS} is missing; install it with: apt-get install scowl")
    american = words("american")
    british = words("british") | words("british_z")
    pairs = sorted(
        (a, b)
        for a in american
        if len(a) >= MIN_LEN
        for b in spellings(a)
        if b in british
    )
    OUT.write_text("".join(f"{a} {b}\n" for a, b in pairs))
    print(f"english-variants: {len(pairs)} pairs in {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
