#!/bin/sh
# Writes data/english/supplement.txt: the words of SCOWL up to size 70 (English, American and
# British spellings, lower case, letters only) that SymSpell's list (data/english/words.txt)
# lacks. They are real words too rare to be counted there ("feces", "metformin", "sombreness"),
# which spelling correction must not replace. Needs Debian's `scowl` package (the SCOWL lists
# by size in /usr/share/dict/scowl).
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
for size in 10 20 35 40 50 55 60 70; do
    for variety in english american british; do
        file="$lists/$variety-words.$size"
        # Not every variety has a list at every size.
        if [ -f "$file" ]; then cat "$file"; fi
    done
done | LC_ALL=C grep -x '[a-z]*' | LC_ALL=C sort -u > "$work/scowl"
cut -d' ' -f1 data/english/words.txt | LC_ALL=C sort -u > "$work/counted"
LC_ALL=C comm -13 "$work/counted" "$work/scowl" > data/english/supplement.txt
echo "english-supplement: $(wc -l < data/english/supplement.txt) words in data/english/supplement.txt" >&2
