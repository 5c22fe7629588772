#!/bin/sh
# Writes data/english/supplement.txt: the words of SCOWL up to size 70 (English, American and
# British spellings, lower case, letters only) that SymSpell's list (data/english/words.txt)
# lacks. They are real words too rare to be counted there ("feces", "metformin", "sombreness"),
# which spelling correction must not replace. And data/english/rare.txt: the words of SCOWL's
# size 80 that neither of them has ("repot", "qigong", but also "reast" and "leeping"), which
# spelling replaces only by a medical word. Needs Debian's `scowl` package (the SCOWL lists by
# size in /usr/share/dict/scowl).
#
#     scripts/english-supplement.sh
set -eu
cd "$(dirname "$0")/.."
lists=/usr/share/dict/scowl
if [ ! -d "$lists" ]; then
    echo "english-supplement: $lists is missing; install it with: apt-get install scowl" >&2
    exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The lower-case words of SCOWL's English, American and British lists of the given sizes.
scowl() {
    for size in "$@"; do
        for variety in english american british; do
            file="$lists/$variety-words.$size"
            # Not every variety has a list at every size.
            if [ -f "$file" ]; then cat "$file"; fi
        done
    done | LC_ALL=C grep -x '[a-z]*' | LC_ALL=C sort -u
}
scowl 10 20 35 40 50 55 60 70 > "$work/scowl"
cut -d' ' -f1 data/english/words.txt | LC_ALL=C sort -u > "$work/counted"
LC_ALL=C comm -13 "$work/counted" "$work/scowl" > data/english/supplement.txt
LC_ALL=C sort -u "$work/counted" "$work/scowl" > "$work/known"
scowl 80 | LC_ALL=C comm -13 "$work/known" - > data/english/rare.txt
for list in supplement rare; do
    echo "english-supplement: $(wc -l < data/english/$list.txt) words in data/english/$list.txt" >&2
done
