//! Compiles `data/english/words.txt` into an FST that the library carries
//! (`include_bytes!` in `src/english.rs`), so looking a word up needs no parsing at start-up;
//! and lists the bundled corpus's files for the `mbc` binary to carry (`src/bin/mbc/bundled.rs`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    english_fst(&out);
    corpus_listing(&out);
}

/// `bundled_corpus.rs`: every file of `corpus/` (its vector seed included) as `(name, bytes)`.
fn corpus_listing(out: &Path) {
    println!("cargo::rerun-if-changed=corpus");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("corpus/ is readable")
        .map(|entry| entry.expect("corpus/ is readable"))
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .map(|entry| {
            entry
                .file_name()
                .into_string()
                .expect("corpus file names are UTF-8")
        })
        .collect();
    names.sort();
    // Paths relative to the package, not this checkout's absolute path: two checkouts that
    // share a target directory share this file, and each must carry its own corpus.
    let mut listing = String::from("&[\n");
    for name in names {
        let path = format!("/corpus/{name}");
        writeln!(
            listing,
            "    ({name:?}, include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {path:?}))),"
        )
        .expect("writing to a String");
    }
    listing.push(']');
    std::fs::write(out.join("bundled_corpus.rs"), listing).expect("OUT_DIR is writable");
}

fn english_fst(out: &Path) {
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
    std::fs::write(out.join("english.fst"), bytes).expect("OUT_DIR is writable");
}
