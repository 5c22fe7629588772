#!/usr/bin/env bash
# Rebuilds the index of the bundled corpus with the shipped model and stores its passage vectors
# as corpus/.vectors.bin, so the first search after a clone reuses them instead of embedding
# every passage. Run it after editing corpus texts or changing the model. Vectors are keyed by
# passage id (a hash of the passage text) and model id, so a stale seed is never misused: the
# passages it lacks are simply embedded at index time.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
target/release/mbc index --rebuild
generation=$(cat index/CURRENT)
cp "index/$generation/vectors.bin" corpus/.vectors.bin
echo "wrote corpus/.vectors.bin ($(du -h corpus/.vectors.bin | cut -f1))"
