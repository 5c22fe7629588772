#!/usr/bin/env bash
# scripts/tantivy-cli-index.sh MBC DIR: a tantivy-cli index in DIR of the passages of the index
# `MBC export` reads (run it where `mbc` finds that index), for comparing with tantivy-cli's
# own `serve`: id, title (the document's title and the section) and text, stemmed as English.
# Leaves the passages in DIR/passages.jsonl. Used by bench-serve.sh and
# bench-serve-instructions.sh; tantivy-cli is installed into target/bench-tools on first use.
set -euo pipefail
mbc=$1
dir=$2
root=$(cd "$(dirname "$0")/.." && pwd)
tantivy=$root/target/bench-tools/bin/tantivy
[ -x "$tantivy" ] || cargo install --root "$root/target/bench-tools" tantivy-cli
rm -rf "$dir" && mkdir -p "$dir"
cat > "$dir/meta.json" <<'JSON'
{"index_settings":{"docstore_compression":"lz4","docstore_blocksize":16384},"segments":[],"schema":[{"name":"id","type":"text","options":{"indexing":{"record":"basic","fieldnorms":false,"tokenizer":"raw"},"stored":true,"fast":false}},{"name":"title","type":"text","options":{"indexing":{"record":"position","fieldnorms":true,"tokenizer":"en_stem"},"stored":true,"fast":false}},{"name":"text","type":"text","options":{"indexing":{"record":"position","fieldnorms":true,"tokenizer":"en_stem"},"stored":true,"fast":false}}],"opstamp":0}
JSON
"$mbc" export --all --format jsonl 2> /dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    p = json.loads(line)
    print(json.dumps({"id": p["passage_id"], "title": p["title"] + " " + p["section"], "text": p["text"]}))
' > "$dir/passages.jsonl"
"$tantivy" index -i "$dir" -f "$dir/passages.jsonl" > /dev/null 2>&1
