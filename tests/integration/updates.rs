//! Updating an index: a changed corpus is re-read file by file, and the result is the index a
//! full rebuild would give.

use std::collections::BTreeMap;
use std::path::Path;

use crate::helper::{FATIGUE_DOC, Workspace, file_hashes};

/// Every passage of the index: id → (file, approaches), from `mbc export --all`.
fn passages(ws: &Workspace) -> BTreeMap<String, (String, String)> {
    let export = ws.mbc(&["export", "--all", "--format", "json"]).ok().json();
    export["passages"]
        .as_array()
        .expect("passages")
        .iter()
        .map(|p| {
            (
                p["passage_id"].as_str().unwrap().to_string(),
                (p["source"]["path"].to_string(), p["approaches"].to_string()),
            )
        })
        .collect()
}

fn ids_from(passages: &BTreeMap<String, (String, String)>, file: &str) -> Vec<String> {
    passages
        .iter()
        .filter(|(_, (path, _))| path.contains(file))
        .map(|(id, _)| id.clone())
        .collect()
}

/// Runs `mbc index` and checks it updated the index with these file counts
/// ("A file(s) added, C changed, R removed, U unchanged").
fn update_expecting(ws: &Workspace, counts: &str) {
    let run = ws.index_corpus();
    assert!(
        run.stderr
            .contains(&format!("updated the index ({counts})")),
        "{}",
        run.stderr
    );
}

#[test]
fn an_edited_file_replaces_exactly_its_passages() {
    let ws = Workspace::with_fixture_corpus();
    ws.index_corpus();
    let before = passages(&ws);
    let her2 = std::fs::read_to_string(ws.corpus().join("her2.txt")).unwrap();
    ws.write(
        "corpus/her2.txt",
        format!("{her2}\nA new closing paragraph about quizzaciously chosen words.\n"),
    );

    update_expecting(&ws, "0 file(s) added, 1 changed, 0 removed, 1 unchanged");
    let after = passages(&ws);
    assert_eq!(
        ids_from(&after, "bones.md"),
        ids_from(&before, "bones.md"),
        "the untouched file keeps its passages"
    );
    assert_ne!(ids_from(&after, "her2.txt"), ids_from(&before, "her2.txt"));
    let found = ws.mbc(&["search", "quizzaciously"]).ok();
    assert!(found.stdout.contains("her2.txt"), "{}", found.stdout);

    ws.mbc(&["index", "--rebuild"]).ok();
    assert_eq!(passages(&ws), after, "an update equals a full rebuild");
}

#[test]
fn removed_files_lose_their_passages_and_added_files_gain_theirs() {
    let ws = Workspace::with_fixture_corpus();
    ws.index_corpus();
    std::fs::remove_file(ws.corpus().join("bones.md")).unwrap();
    ws.write("corpus/fatigue.md", FATIGUE_DOC);

    update_expecting(&ws, "1 file(s) added, 0 changed, 1 removed, 1 unchanged");
    let after = passages(&ws);
    assert!(ids_from(&after, "bones.md").is_empty(), "{after:?}");
    assert!(!ids_from(&after, "fatigue.md").is_empty(), "{after:?}");
    let gone = ws.mbc(&["search", "denosumab", "--exact"]).ok();
    assert!(!gone.stdout.contains("bones.md"), "{}", gone.stdout);

    let stats = ws.mbc(&["stats", "--format", "json"]).ok().json();
    assert_eq!(stats["documents"], 2, "{stats}");
}

#[test]
fn a_new_file_that_is_skipped_is_not_counted_as_added() {
    // "1 file(s) added" and "1 file(s) skipped" were the same broken file.
    let ws = Workspace::with_fixture_corpus();
    ws.index_corpus();
    ws.write("corpus/latin1.txt", b"Caf\xe9 and a croissant.\n");
    let run = ws.index_corpus();
    assert!(
        run.stderr
            .contains("0 file(s) added, 0 changed, 0 removed, 2 unchanged")
            && run.stderr.contains("(1 file(s) skipped"),
        "{}",
        run.stderr
    );
}

#[test]
fn index_tells_a_script_in_json_what_it_did() {
    // `mbc index` had no --format: a curator's script could only match the text on stderr.
    let ws = Workspace::with_fixture_corpus();
    let index_json = || ws.mbc(&["index", "--format", "json"]);
    let built = index_json().ok().json();
    assert_eq!(built["up_to_date"], false, "{built}");
    assert_eq!(built["documents"], 2, "{built}");
    assert!(
        built["update"].is_null() && built["notice"].is_string(),
        "{built}"
    );
    assert_eq!(index_json().ok().json()["up_to_date"], true);
    ws.write("corpus/latin1.txt", b"Caf\xe9 and a croissant.\n");
    let updated = index_json().ok().json();
    assert_eq!(updated["update"]["added"], 0, "{updated}");
    assert_eq!(
        updated["skipped"].as_array().map(Vec::len),
        Some(1),
        "{updated}"
    );
    // A file that must be fixed is a JSON error on stderr, after the notes of progress.
    ws.write(
        "corpus/broken.md",
        "+++\ntitle = \"Broken\"\nlast_reviewed = 2026-13-45\n+++\n\nSome text.\n",
    );
    let failed = index_json();
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    let json = &failed.stderr[failed.stderr.find('{').expect("a JSON error")..];
    let error: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(error["error"]["kind"], "corpus", "{error}");
}

#[test]
fn a_file_rewritten_with_the_same_content_is_not_read_again() {
    let ws = Workspace::with_fixture_corpus();
    ws.index_corpus();
    let bones = std::fs::read(ws.corpus().join("bones.md")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    ws.write("corpus/bones.md", bones);

    update_expecting(&ws, "0 file(s) added, 0 changed, 0 removed, 2 unchanged");
    assert!(ws.index_corpus().stderr.contains("up to date"));
}

#[test]
fn an_update_leaves_the_previous_generation_byte_for_byte_intact() {
    let ws = Workspace::with_fixture_corpus();
    ws.index_corpus();
    let previous = ws.current_generation();
    let before = file_hashes(&previous);
    std::fs::remove_file(ws.corpus().join("her2.txt")).unwrap();

    ws.index_corpus();
    assert_ne!(ws.current_generation(), previous);
    assert_eq!(
        file_hashes(&previous),
        before,
        "segments shared with the new generation were not modified"
    );
}

#[test]
fn a_changed_taxonomy_rebuilds_from_scratch() {
    let ws = Workspace::with_fixture_corpus();
    ws.index_corpus();
    let taxonomy = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/approaches.toml"),
    )
    .unwrap();
    let exercise = "\n[[approach]]\nid = \"exercise\"\nlabel = \"Exercise\"\ndescription = \"Physical activity.\"\nterms = [\"exercise\"]\n";
    ws.write("corpus/approaches.toml", taxonomy + exercise);

    let run = ws.index_corpus();
    assert!(run.stderr.contains("indexed 2 documents"), "{}", run.stderr);
}

/// `mbc stats --format json` of the index in `idx/`.
fn stats_of_idx(ws: &Workspace) -> serde_json::Value {
    ws.mbc(&["stats", "--index", "idx", "--format", "json"])
        .ok()
        .json()
}

/// A workspace with a curator's one-text corpus in `mine/`, indexed into `idx/`.
fn curators_index() -> Workspace {
    let ws = Workspace::new();
    ws.write(
        "mine/salt.md",
        "# Salt\n\nToo much salt raises blood pressure in many people.\n",
    );
    ws.mbc(&["index", "--corpus", "mine", "--index", "idx"])
        .ok();
    ws
}

#[test]
fn an_index_named_alone_is_updated_from_the_corpus_it_was_built_from() {
    // `mbc index --index idx` (no --corpus) replaced a curator's index with the bundled
    // corpus's, exit 0, with only "the corpus has changed" to say so.
    let ws = curators_index();
    ws.write(
        "mine/sleep.md",
        "# Sleep\n\nRegular hours help sleep more than any pill.\n",
    );
    let run = ws.mbc(&["index", "--index", "idx"]).ok();
    assert!(
        run.stderr.contains("the corpus it was built from"),
        "{}",
        run.stderr
    );
    let stats = stats_of_idx(&ws);
    assert_eq!(stats["documents"], 2, "{stats}");
    // A corpus that is no longer there is an error, not a reason to build another.
    std::fs::rename(ws.path().join("mine"), ws.path().join("moved")).unwrap();
    let run = ws.mbc(&["index", "--index", "idx"]).expect_code(2);
    assert!(run.stderr.contains("which is not there"), "{}", run.stderr);
    let stats = stats_of_idx(&ws);
    assert_eq!(stats["documents"], 2, "{stats}");
}

#[test]
fn a_corpus_with_nothing_to_index_does_not_empty_a_good_index() {
    // A corpus whose files were moved away, or the index's own directory given as the corpus,
    // published an index of 0 documents, exit 0, even with --strict.
    let ws = curators_index();
    std::fs::rename(ws.path().join("mine/salt.md"), ws.path().join("salt.md")).unwrap();
    for corpus in ["mine", "idx"] {
        let run = ws
            .mbc(&["index", "--corpus", corpus, "--index", "idx", "--strict"])
            .expect_code(1);
        assert!(
            run.stderr.contains("holds no text mbc can index")
                && run.stderr.contains("with 1 documents, was left as it was"),
            "{}",
            run.stderr
        );
    }
    let stats = stats_of_idx(&ws);
    assert_eq!(stats["documents"], 1, "{stats}");
    // A first build of an empty folder published an index of nothing, exit 0, even with
    // --strict: every search was then "nothing found".
    std::fs::create_dir(ws.path().join("empty")).unwrap();
    let run = ws
        .mbc(&[
            "index", "--corpus", "empty", "--index", "fresh", "--format", "json",
        ])
        .expect_code(1);
    let error: serde_json::Value = serde_json::from_str(&run.stderr).unwrap();
    assert_eq!(error["error"]["kind"], "corpus", "{error}");
    assert!(
        error["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("no index was built")),
        "{error}"
    );
}

#[test]
fn a_record_left_out_for_its_id_comes_back_when_the_clash_is_gone() {
    // The second "flu" record was skipped as a duplicate; after the first was renamed, the
    // update carried the second file over as it was: the record stayed out, and every later
    // `mbc index` said "up to date", while a full rebuild had it.
    let ws = Workspace::new();
    ws.write(
        "mine/a.jsonl",
        "{\"_id\": \"flu\", \"title\": \"Flu 2025\", \"text\": \"The flu jab is offered each autumn.\"}\n",
    );
    ws.write(
        "mine/b.jsonl",
        "{\"_id\": \"flu\", \"title\": \"Flu 2026\", \"text\": \"A nasal spray vaccine is offered to children.\"}\n",
    );
    let run = ws
        .mbc(&["index", "--corpus", "mine", "--index", "idx"])
        .ok();
    assert!(run.stderr.contains("duplicate id"), "{}", run.stderr);
    let renamed = "{\"_id\": \"flu-old\", \"title\": \"Flu 2025\", \"text\": \"The flu jab is offered each autumn.\"}\n";
    // Updated after each fix, the index has both records and leaves nothing out.
    let update_has_both = || {
        ws.mbc(&["index", "--corpus", "mine", "--index", "idx"])
            .ok();
        let stats = stats_of_idx(&ws);
        assert_eq!(stats["documents"], 2, "{stats}");
        assert!(stats["skipped"].as_array().unwrap().is_empty(), "{stats}");
    };
    ws.write("mine/a.jsonl", renamed);
    update_has_both();
    // And when the file with the first record goes: d.jsonl's "flu" is left out while b.jsonl
    // has it, and comes back without it.
    ws.write(
        "mine/d.jsonl",
        "{\"_id\": \"flu\", \"title\": \"Flu 2027\", \"text\": \"Ask about the flu jab each autumn.\"}\n",
    );
    ws.mbc(&["index", "--corpus", "mine", "--index", "idx"])
        .ok();
    std::fs::remove_file(ws.path().join("mine/b.jsonl")).unwrap();
    update_has_both();
}
