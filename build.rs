//! Compiles the English word list (`data/english/`) into an FST that the library carries
//! (`include_bytes!` in `src/english.rs`), so looking a word up needs no parsing at start-up;
//! lists the bundled corpus's files for the `mbc` binary to carry (`src/bin/mbc/bundled.rs`);
//! and prepares the built-in model's weights for it: widened to f32 once here, so that the
//! program computes with them where they lie instead of widening them at every start.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use safetensors::{Dtype, SafeTensors, tensor::TensorView};

#[path = "src/embed/model_id.rs"]
mod model_id;

/// The model the binary carries.
const MODEL_DIR: &str = "models/all-MiniLM-L6-v2";
/// Its word-piece table stays in half precision: the program reads a few rows of it per text.
const WORD_PIECES: &str = "embeddings.word_embeddings.weight";

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    english_fst(&out);
    english_rare_fst(&out);
    english_variants(&out);
    corpus_listing(&out);
    bundled_model(&out);
}

/// `model.safetensors` with every half-precision tensor but the word-piece table widened to
/// f32 (safetensors places f32 tensors first, so each starts 4-byte aligned), and `model-id`,
/// the id of the directory the weights come from.
fn bundled_model(out: &Path) {
    let dir = Path::new(MODEL_DIR);
    let read = |name: &str| {
        let path = dir.join(name);
        println!("cargo::rerun-if-changed={}", path.display());
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let (config, tokenizer, weights) = (
        read("config.json"),
        read("tokenizer.json"),
        read("model.safetensors"),
    );
    let name = MODEL_DIR.rsplit('/').next().expect("a directory name");
    let id = model_id::model_id(name, Some(&config), &tokenizer, &weights, &[]);
    std::fs::write(out.join("model-id"), id).expect("OUT_DIR is writable");

    let file = SafeTensors::deserialize(&weights).expect("model.safetensors parses");
    let widened: Vec<(String, Vec<u8>)> = file
        .tensors()
        .into_iter()
        .filter(|(name, view)| !name.ends_with(WORD_PIECES) && view.dtype() == Dtype::F16)
        .map(|(name, view)| {
            let values = view
                .data()
                .chunks_exact(2)
                .flat_map(|b| {
                    half::f16::from_le_bytes([b[0], b[1]])
                        .to_f32()
                        .to_le_bytes()
                })
                .collect();
            (name, values)
        })
        .collect();
    let tensors = file.tensors().into_iter().map(|(name, view)| {
        match widened.iter().find(|(widened, _)| *widened == name) {
            Some((_, values)) => {
                let view = TensorView::new(Dtype::F32, view.shape().to_vec(), values)
                    .expect("the widened tensor has its shape's size");
                (name, view)
            }
            None => (name, view),
        }
    });
    let bytes = safetensors::serialize(tensors, None).expect("the tensors serialize");
    std::fs::write(out.join("model.safetensors"), bytes).expect("OUT_DIR is writable");
}

/// `bundled_corpus.rs`: every file of `corpus/` (its vector seed included) as `(name, bytes)`.
fn corpus_listing(out: &Path) {
    println!("cargo::rerun-if-changed=corpus");
    // Read when the script runs, not when it is compiled: a build script compiled for one
    // checkout can be run for another that shares the target directory.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest).join("corpus");
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

/// The English list: SymSpell's counted words with their counts, and the supplement's words
/// (real but too rare to be counted there) with the count 0, which `src/english.rs` reads as
/// "a real word, never to be offered".
fn english_fst(out: &Path) {
    let counted = read_source("data/english/words.txt");
    let supplement = read_source("data/english/supplement.txt");
    let entries: Vec<(&str, u64)> = counted
        .lines()
        .filter_map(|line| {
            let (word, count) = line.split_once(' ')?;
            Some((word, count.trim().parse().ok()?))
        })
        .chain(supplement.lines().map(|word| (word.trim(), 0)))
        .filter(|(word, _)| !word.is_empty())
        .collect();
    // A word in both lists keeps its count (`write_fst` keeps the highest value).
    write_fst(&out.join("english.fst"), entries);
}

/// `english-rare.fst`: the words of SCOWL's largest list that the others lack
/// (`data/english/rare.txt`), each with the value 0.
fn english_rare_fst(out: &Path) {
    let rare = read_source("data/english/rare.txt");
    let entries = rare
        .lines()
        .map(|word| (word.trim(), 0))
        .filter(|(word, _)| !word.is_empty())
        .collect();
    write_fst(&out.join("english-rare.fst"), entries);
}

/// Writes `entries` as an FST map at `path`. Sorted by word and then by value, highest first,
/// so that a word listed twice keeps its highest value.
fn write_fst(path: &Path, mut entries: Vec<(&str, u64)>) {
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0).then(b.1.cmp(&a.1)));
    entries.dedup_by(|a, b| a.0 == b.0);
    let mut builder = tantivy_fst::MapBuilder::memory();
    for (word, value) in entries {
        builder.insert(word, value).expect("sorted, unique keys");
    }
    let bytes = builder.into_inner().expect("an in-memory FST");
    std::fs::write(path, bytes).expect("OUT_DIR is writable");
}

/// The American and British spellings of one word (`data/english/variants.txt`), as a Rust
/// array of (spelling, other spelling) in both directions, sorted, for `src/english.rs` to
/// search in place.
fn english_variants(out: &Path) {
    let text = read_source("data/english/variants.txt");
    let mut pairs: Vec<(&str, &str)> = text
        .lines()
        .filter_map(|line| line.split_once(' '))
        .flat_map(|(american, british)| [(american, british), (british, american)])
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut array = String::from("[\n");
    for (word, other) in pairs {
        writeln!(array, "    ({word:?}, {other:?}),").expect("writing to a String");
    }
    array.push(']');
    std::fs::write(out.join("english_variants.rs"), array).expect("OUT_DIR is writable");
}

fn read_source(source: &str) -> String {
    println!("cargo::rerun-if-changed={source}");
    std::fs::read_to_string(source).unwrap_or_else(|e| panic!("{source} is not readable: {e}"))
}
