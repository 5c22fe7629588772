//! The reference for `benches/search.rs`: plain tantivy (the version mbc links) answering the same
//! queries on an index built by tantivy-cli, single-threaded: the query parser over `title` and
//! `text` (any word may match), BM25, the top 10 and the top 1000 with every hit's stored fields
//! loaded. tantivy-cli's own `bench` has no top-1000 mode; this is that measurement.
//!
//! `MBC_BENCH_TANTIVY_INDEX=DIR MBC_BENCH_QUERIES=words.txt cargo bench --bench tantivy_reference`
//! (one query per line, operators removed; `scripts/bench-perf.sh` writes both).

use std::time::Instant;

use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::{Index, TantivyDocument};

mod common;
use common::report;

fn main() {
    let index_dir = std::env::var("MBC_BENCH_TANTIVY_INDEX")
        .expect("MBC_BENCH_TANTIVY_INDEX: a tantivy-cli index directory");
    let queries_path =
        std::env::var("MBC_BENCH_QUERIES").expect("MBC_BENCH_QUERIES: one query per line");
    let repeat: usize = std::env::var("MBC_BENCH_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let queries: Vec<String> = std::fs::read_to_string(&queries_path)
        .expect("queries file")
        .lines()
        .map(str::to_string)
        .filter(|q| !q.trim().is_empty())
        .collect();
    let index = Index::open_in_dir(&index_dir).expect("tantivy-cli index");
    let schema = index.schema();
    let fields = ["title", "text"].map(|name| schema.get_field(name).expect("BEIR field"));
    let parser = QueryParser::for_index(&index, fields.to_vec());
    let searcher = index.reader().expect("reader").searcher();
    println!(
        "tantivy index: {index_dir} ({} documents); {} queries × {repeat}",
        searcher.num_docs(),
        queries.len()
    );
    for limit in [10, 1000] {
        let mut latencies = Vec::new();
        for _ in 0..repeat {
            for text in &queries {
                let started = Instant::now();
                let query = parser.parse_query(text).expect("query parses");
                let hits = searcher
                    .search(&query, &TopDocs::with_limit(limit).order_by_score())
                    .expect("search");
                for (_, address) in hits {
                    std::hint::black_box(searcher.doc::<TantivyDocument>(address).expect("doc"));
                }
                latencies.push(started.elapsed().as_secs_f64() * 1e3);
            }
        }
        report(&format!("top {limit}"), &mut latencies);
    }
}
