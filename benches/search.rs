//! Query throughput of a built index, one query at a time: queries per second and latency
//! p50/p99 for the top 10 and the top 1000 passages, lexical mode, through the same `search` call
//! the CLI makes (highlights and snippets included; a long result list is loaded and highlighted
//! on both cores).
//!
//! `MBC_BENCH_INDEX=DIR MBC_BENCH_QUERIES=queries.jsonl cargo bench --bench search`
//! (defaults: the bundled corpus's `index/` and the MED queries in ../shared/bench/med).
//! `MBC_BENCH_LIMITS=10` runs the top 10 only.
//! `MBC_BENCH_MODE=hybrid` ranks as the default search does, with the model of
//! `MBC_BENCH_MODEL` (default `models/all-MiniLM-L6-v2`) loaded once: each query is embedded
//! and its vector compared with every passage's.

use std::path::PathBuf;
use std::time::Instant;

use mbc::embed::{Embedder, ModelSource};
use mbc::index::SearchIndex;
use mbc::search::{Fusion, Mode, QueryKind, SearchRequest, search};

mod common;
use common::report;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let index_dir =
        std::env::var_os("MBC_BENCH_INDEX").map_or_else(|| root.join("index"), PathBuf::from);
    let queries_path = std::env::var_os("MBC_BENCH_QUERIES").map_or_else(
        || root.join("../shared/bench/med/queries.jsonl"),
        PathBuf::from,
    );
    let repeat: usize = std::env::var("MBC_BENCH_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    // MBC_BENCH_EXACT=1: the words as typed, no lexicon, typo correction or feedback.
    let exact = std::env::var_os("MBC_BENCH_EXACT").is_some();
    let queries: Vec<String> = std::fs::read_to_string(&queries_path)
        .expect("queries file")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(String::from))
        .collect();
    let hybrid = std::env::var("MBC_BENCH_MODE").is_ok_and(|mode| mode == "hybrid");
    let mode = if hybrid { Mode::Hybrid } else { Mode::Lexical };
    let mut index = SearchIndex::open(&index_dir).expect("index");
    if hybrid {
        let model = std::env::var_os("MBC_BENCH_MODEL")
            .map_or_else(|| root.join(mbc::embed::DEFAULT_MODEL_DIR), PathBuf::from);
        let embedder = Embedder::load(&ModelSource::Dir(model)).expect("model");
        index.embedder = Some(std::sync::Arc::new(embedder));
        assert!(
            index.semantic().is_some(),
            "the index has this model's vectors"
        );
    }
    println!(
        "index: {} ({} passages); {} queries × {repeat}, {mode:?}{}",
        index_dir.display(),
        index.meta.passages,
        queries.len(),
        if exact { ", --exact" } else { "" }
    );
    // MBC_BENCH_LIMITS=10: only the top 10 (a list, separated by commas).
    let limits: Vec<usize> = std::env::var("MBC_BENCH_LIMITS").map_or_else(
        |_| vec![10, 1000],
        |list| {
            list.split(',')
                .map(|n| n.trim().parse().expect("MBC_BENCH_LIMITS: numbers"))
                .collect()
        },
    );
    for limit in limits {
        let mut latencies = Vec::new();
        for _ in 0..repeat {
            for query in &queries {
                let request = SearchRequest {
                    mode,
                    fusion: Fusion::Rrf,
                    query: query.clone(),
                    kind: QueryKind::Typed,
                    limit,
                    approaches: Vec::new(),
                    exact,
                    explain: false,
                    feedback: !exact,
                    // The whole ranking, whether or not the corpus is about the query.
                    closest: true,
                };
                let started = Instant::now();
                std::hint::black_box(search(&index, &request).expect("search"));
                latencies.push(started.elapsed().as_secs_f64() * 1e3);
            }
        }
        report(&format!("top {limit}"), &mut latencies);
    }
}
