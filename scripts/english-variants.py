#!/usr/bin/env python3
"""Writes data/english/variants.txt: pairs of American and British spellings of one word
("tumor tumour", "anesthetic anaesthetic", "center centre"), one pair per line.

Both words come from SCOWL up to size 70 (Debian's `scowl` package, /usr/share/dict/scowl): the
first from its American-only list, the second from its British-only lists (with -ise or -ize).
A pair is kept only when the British word is the American one with a few of the regular
spelling changes below, each where it is regular, so that two different words are not paired. Words shorter than four
letters are left out, as spelling correction leaves them.

    python3 scripts/english-variants.py
"""
import pathlib
import sys

LISTS = pathlib.Path("/usr/share/dict/scowl")
SIZES = [10, 20, 35, 40, 50, 55, 60, 70]
OUT = pathlib.Path(__file__).resolve().parent.parent / "data/english/variants.txt"

VOWELS = set("aeiouy")


def not_last(word, at, old):
    # Latin plurals end so ("pericope", "pericopae"): another word, not another spelling.
    return at + len(old) < len(word)


def oe_place(word, at, old):
    # oestrogen, oedema; coeliac, foetus, amoeba, myxoedema, stilboestrol; apnoea, diarrhoea,
    # manoeuvre. Elsewhere "oe" makes other words ("lesses", "loesses").
    return not_last(word, at, old) and (at == 0 or word[at - 1] in "bcfhmnx")


def re_place(word, at, old):
    # centre, fibre, theatre, and their -s, -d, -ing, -ly, -ness, -less: after a consonant, at
    # the end of the stem ("saltiers" is not "saltires", "pervious" not "previous").
    before = word[at - 1] if at else ""
    rest = word[at + len(old):]
    return before and before not in VOWELS and rest in ("", "s", "ed", "ing", "ly", "ness", "less")


def anywhere(word, at, old):
    return True


# American → British, each applied at one place at a time, up to three in one word
# ("anesthetize" → "anaesthetise"), where the condition allows.
CHANGES = [
    ("e", "ae", not_last),  # anemia, anaemia
    ("e", "oe", oe_place),  # estrogen, oestrogen
    ("or", "our", anywhere),  # tumor, tumour
    ("z", "s", anywhere),  # organize, organise
    ("er", "re", re_place),  # center, centre
    ("l", "ll", anywhere),  # traveled, travelled
    ("ll", "l", anywhere),  # enrollment, enrolment
    ("ol", "oul", anywhere),  # mold, mould
    ("og", "ogue", anywhere),  # catalog, catalogue
    ("se", "ce", anywhere),  # defense, defence
    ("c", "s", anywhere),  # practicing, practising
    ("f", "ph", anywhere),  # sulfur, sulphur
    ("gm", "gem", anywhere),  # judgment, judgement
    ("ag", "age", anywhere),  # aging, ageing
    ("ay", "ey", anywhere),  # gray, grey
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
    for old, new, allowed in CHANGES:
        at = word.find(old)
        while at != -1:
            if allowed(word, at, old):
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
