//! Any text a person can type is answered with results or a helpful message, never a panic.

use crate::helper::Workspace;

fn indexed() -> Workspace {
    let ws = Workspace::with_fixture_corpus();
    ws.index_corpus();
    ws
}

#[test]
fn hostile_queries_never_panic() {
    let ws = indexed();
    let long = "chemotherapy ".repeat(800);
    let queries: &[&str] = &[
        "\"unbalanced quote",
        "\"",
        "AND",
        "OR OR NOT",
        "-",
        "-\"",
        "+++ --- ///",
        "the of and",
        &long[..10_000],
        "乳腺癌 转移",
        "рак молочной железы",
        "😀 🎗️",
        "her2/neu/// ER+++ -ER-",
        "\u{7}\u{1b}[31m",
    ];
    for query in queries {
        let run = ws.mbc(&["search", query]);
        assert!(
            run.code == 0 || run.code == 2,
            "query {query:?} exited {}: {}",
            run.code,
            run.stderr
        );
        run.assert_no_crash();
        if run.code == 2 {
            assert!(
                run.stderr.starts_with("error: "),
                "a usage error explains itself: {}",
                run.stderr
            );
        }
    }
}

#[test]
fn only_stop_words_gets_a_helpful_message() {
    let run = indexed().mbc(&["search", "the of and"]).expect_code(2);
    assert!(
        run.stderr.contains("only very common words"),
        "{}",
        run.stderr
    );
}

#[test]
fn unbalanced_quote_searches_the_words() {
    let run = indexed().mbc(&["search", "\"radiation pain"]).ok();
    assert!(
        run.stdout.contains("Radiation for bone pain"),
        "{}",
        run.stdout
    );
}

/// Searches `query` and checks that the text output says nothing is about it, quoted as
/// `shown`.
fn assert_nothing_found(query: &str, shown: &str) {
    let run = indexed().mbc(&["search", query]).ok();
    let message = format!("Nothing in the corpus is about {shown}.");
    assert!(run.stdout.contains(&message), "{}", run.stdout);
}

#[test]
fn a_query_with_its_own_quotation_mark_is_shown_without_doubled_quotes() {
    // It was shown as ""unbalanced", which reads as an empty quotation.
    assert_nothing_found("\"unbalanced", "“\"unbalanced”");
}

#[test]
fn quoted_phrase_must_appear() {
    let ws = indexed();
    let run = ws
        .mbc(&["search", "\"hair loss\"", "--format", "json"])
        .ok();
    let results = run.json()["passages"].as_array().unwrap().clone();
    assert_eq!(results.len(), 1);
    assert!(results[0]["text"].as_str().unwrap().contains("hair loss"));
}

#[test]
fn excluded_words_remove_passages() {
    let ws = indexed();
    let with = ws
        .mbc(&["search", "breast cancer", "--format", "json"])
        .ok()
        .json();
    let without = ws
        .mbc(&["search", "breast cancer -fractures", "--format", "json"])
        .ok()
        .json();
    let count = |v: &serde_json::Value| v["passages"].as_array().unwrap().len();
    assert!(count(&without) < count(&with));
    assert!(
        without["passages"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| !r["text"].as_str().unwrap().contains("fractures"))
    );
}

#[test]
fn non_latin_query_answers_with_a_message() {
    assert_nothing_found("乳腺癌", "\"乳腺癌\"");
}

#[test]
fn typo_corrections_keep_the_first_letter_and_never_swap_opposite_prefixes() {
    let ws = Workspace::new();
    ws.write(
        "corpus/pressure.md",
        "# Blood pressure\n\nSome cancer medicines cause hypotension, and tamoxifen can cause \
         hot flashes. Drink water when you feel dizzy.\n",
    );
    ws.index_corpus();
    let corrections = |query: &str| {
        let run = ws.mbc(&["search", query, "--format", "json"]);
        run.json()["corrections"]
            .as_array()
            .expect("corrections listed")
            .iter()
            .map(|c| c["to"].as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(corrections("tamoxifne"), ["tamoxifen"]);
    // One edit from "tamoxifen", but in the first letter.
    assert!(corrections("bamoxifen").is_empty());
    // Two edits from "hypotension", but it means the opposite.
    assert!(corrections("hypertension").is_empty());
}

#[test]
fn a_page_of_results_continues_the_page_before_it() {
    // A search of 20 ranked its last ten otherwise than a search of 100 did: the proximity
    // bonus, the fusion and the reordering for dated texts reached as deep as each search, so
    // a second page repeated passages of the first and skipped others.
    let ws = Workspace::with_bundled_corpus();
    let ids = |mode: &str, limit: usize| -> Vec<String> {
        let run = ws
            .mbc(&[
                "search",
                "chemo side effects",
                "--mode",
                mode,
                "--limit",
                &limit.to_string(),
                "--format",
                "json",
                "--model",
                concat!(env!("CARGO_MANIFEST_DIR"), "/models/all-MiniLM-L6-v2"),
            ])
            .ok();
        run.json()["passages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["passage_id"].as_str().unwrap().to_string())
            .collect()
    };
    for mode in ["lexical", "hybrid"] {
        let whole = ids(mode, 100);
        for limit in [20, 40, 60, 80] {
            assert_eq!(
                ids(mode, limit)[..],
                whole[..limit],
                "{mode}: the first {limit} are not the first {limit} of 100"
            );
        }
    }
}
