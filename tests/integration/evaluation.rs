//! `mbc eval` on a tiny BEIR collection whose right answers are obvious.

use crate::helper::{Workspace, fixtures};

fn eval_args(extra: &[&str]) -> Vec<String> {
    let dir = fixtures().join("beir");
    let mut args: Vec<String> = ["eval", "--corpus"].iter().map(|s| s.to_string()).collect();
    args.push(dir.join("corpus.jsonl").display().to_string());
    args.push("--queries".into());
    args.push(dir.join("queries.jsonl").display().to_string());
    args.push("--qrels".into());
    args.push(dir.join("qrels/test.tsv").display().to_string());
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

#[test]
fn eval_builds_its_index_and_prints_the_four_metrics_for_judged_queries() {
    let ws = Workspace::new();
    let args = eval_args(&["--index", "eval-index", "--format", "json"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = ws.mbc(&args).ok();
    let json = run.json();
    assert_eq!(json["queries"], 2, "the unjudged query is skipped");
    for metric in ["ndcg_at_10", "recall_at_100", "mrr_at_10", "map_at_1000"] {
        assert_eq!(
            json["metrics"][metric], 1.0,
            "{metric}: every relevant document ranks first"
        );
    }
}

#[test]
fn eval_writes_a_trec_run() {
    let ws = Workspace::new();
    let args = eval_args(&["--index", "eval-index", "--run", "run.txt"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = ws.mbc(&args).ok();
    assert!(
        run.stdout.contains("nDCG@10") && run.stdout.contains("MAP@1000"),
        "{}",
        run.stdout
    );
    let trec = std::fs::read_to_string(ws.path().join("run.txt")).unwrap();
    let first: Vec<&str> = trec.lines().next().unwrap().split(' ').collect();
    assert_eq!(first[..4], ["q1", "Q0", "d1", "1"]);
    assert_eq!(first[5], "mbc");
}

#[test]
fn eval_without_a_jsonl_corpus_is_a_usage_error() {
    let ws = Workspace::new();
    let run = ws
        .mbc(&["eval", "--queries", "q.jsonl", "--qrels", "r.tsv"])
        .expect_code(2);
    assert!(run.stderr.contains("--corpus"), "{}", run.stderr);
}
