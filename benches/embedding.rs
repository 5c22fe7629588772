//! Embedding throughput: passages per second and word pieces per second on the bundled corpus's
//! passages (or, with MBC_BENCH_CORPUS=path/to/corpus.jsonl, a BEIR corpus), for the shipped model
//! (or, with MBC_BENCH_MODEL=DIR, another model directory: `scripts/bench-onnx.sh` runs the
//! shipped model's weights as ONNX this way). Run with `cargo bench --bench embedding`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use mbc::corpus::{self, FileKind};
use mbc::embed::Embedder;
use mbc::passage::{SplitOptions, split_into_passages};

fn passages(corpus_path: &Path, limit: usize) -> Vec<String> {
    let (files, _) = corpus::discover(corpus_path).expect("corpus");
    let mut texts = Vec::new();
    for file in files
        .iter()
        .filter(|f| f.kind != FileKind::JsonLines || corpus_path.is_file())
    {
        for document in corpus::load_file(file).expect("loads").documents {
            texts.extend(
                split_into_passages(&document, SplitOptions::default())
                    .into_iter()
                    .map(|p| p.text),
            );
        }
    }
    texts.truncate(limit);
    texts
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let model = mbc::embed::ModelSource::Dir(
        std::env::var_os("MBC_BENCH_MODEL")
            .map_or_else(|| root.join(mbc::embed::DEFAULT_MODEL_DIR), PathBuf::from),
    );
    let corpus_path =
        std::env::var_os("MBC_BENCH_CORPUS").map_or_else(|| root.join("corpus"), Into::into);
    let limit = std::env::var("MBC_BENCH_PASSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    let texts = passages(&corpus_path, limit);
    let started = Instant::now();
    let embedder = Embedder::load(&model).expect("model");
    let load = started.elapsed();
    let started = Instant::now();
    let query = embedder
        .embed_query("medicine to keep my bones from breaking")
        .expect("query");
    let query_time = started.elapsed();
    let words: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
    let started = Instant::now();
    let vectors = embedder.embed(&texts, &|_| {}).expect("embeds");
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(vectors.len(), texts.len());
    assert_eq!(query.len(), 384);
    println!(
        "corpus: {} ({} passages, {:.0} words each on average)",
        corpus_path.display(),
        texts.len(),
        words as f64 / texts.len() as f64
    );
    println!("model: {}", embedder.model_id());
    println!(
        "model load: {:.0} ms; one query: {:.1} ms",
        load.as_secs_f64() * 1e3,
        query_time.as_secs_f64() * 1e3
    );
    println!(
        "embedding: {:.1} passages/s ({:.2} s)",
        texts.len() as f64 / seconds,
        seconds
    );
    flat_scan(&query);
}

/// Exact nearest-neighbour search over many stored vectors: how far a flat scan goes.
fn flat_scan(query: &[f32]) {
    for count in [1_000usize, 10_000, 100_000] {
        let mut set = mbc::embed::VectorSet::new("bench", query.len());
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut vector = vec![0f32; query.len()];
        for i in 0..count {
            for value in vector.iter_mut() {
                // xorshift: cheap deterministic pseudo-random components.
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *value = (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5;
            }
            let norm = vector.iter().map(|v| v * v).sum::<f32>().sqrt();
            vector.iter_mut().for_each(|v| *v /= norm);
            set.insert(&format!("p{i}"), &vector);
        }
        let runs = 20;
        let started = Instant::now();
        for _ in 0..runs {
            std::hint::black_box(set.nearest(query, 100));
        }
        let ms = started.elapsed().as_secs_f64() * 1e3 / runs as f64;
        println!("flat scan, top 100 of {count} vectors: {ms:.2} ms per query");
    }
}
