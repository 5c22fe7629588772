//! Compiles `data/english/words.txt` into an FST that the library carries
//! (`include_bytes!` in `src/english.rs`), so looking a word up needs no parsing at start-up.

use std::path::PathBuf;

fn main() {
    let source = "data/english/words.txt";
    println!("cargo::rerun-if-changed={source}");
    let text = std::fs::read_to_string(source).expect("data/english/words.txt is readable");
    let mut entries: Vec<(&str, u64)> = text
        .lines()
        .filter_map(|line| {
            let (word, count) = line.split_once(' ')?;
            Some((word, count.trim().parse().ok()?))
        })
        .collect();
    entries.sort_unstable();
    entries.dedup_by(|a, b| a.0 == b.0);
    let mut builder = tantivy_fst::MapBuilder::memory();
    for (word, count) in entries {
        builder.insert(word, count).expect("sorted, unique keys");
    }
    let bytes = builder.into_inner().expect("an in-memory FST");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("english.fst"), bytes).expect("OUT_DIR is writable");
}
