//! Crashes, concurrent use, damaged indexes and hostile corpus files: nothing is lost, nothing
//! panics, and every problem is named.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use crate::helper::{Run, Workspace, file_hashes};

/// A BEIR corpus big enough that indexing it takes a noticeable time.
fn write_big_corpus(ws: &Workspace, documents: usize) -> String {
    let words = [
        "anaemia", "iron", "fracture", "bone", "lens", "retina", "placenta", "insulin", "kidney",
        "lung",
    ];
    let mut text = String::new();
    for i in 0..documents {
        let body: Vec<&str> = (0..80)
            .map(|j| words[(i * 7 + j * 3) % words.len()])
            .collect();
        text.push_str(&format!(
            "{{\"_id\":\"b{i}\",\"title\":\"record {i}\",\"text\":\"{}.\"}}\n",
            body.join(" ")
        ));
    }
    ws.write("big/corpus.jsonl", text);
    "big/corpus.jsonl".to_string()
}

fn search_ok(ws: &Workspace, index: &str, word: &str) -> usize {
    let run = ws
        .mbc(&["search", "--index", index, word, "--format", "json"])
        .ok();
    run.json()["total_hits"].as_u64().unwrap() as usize
}

/// Starts `mbc` with `args` and kills it (SIGKILL on Unix) after `delay_ms`.
fn kill_after(ws: &Workspace, args: &[&str], delay_ms: u64) {
    let mut child = ws
        .command(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(delay_ms));
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn an_index_run_killed_at_any_moment_leaves_the_previous_index_working() {
    let ws = Workspace::with_fixture_corpus();
    ws.mbc(&["index", "--corpus", "corpus", "--index", "idx"])
        .ok();
    let before = search_ok(&ws, "idx", "trastuzumab");
    let big = write_big_corpus(&ws, 20_000);
    for delay_ms in [20, 150, 600, 1500] {
        kill_after(
            &ws,
            &["index", "--rebuild", "--corpus", &big, "--index", "idx"],
            delay_ms,
        );
        let now = search_ok(&ws, "idx", "trastuzumab");
        // Either the kill came first (old index) or the build had finished (new index, where
        // the fixture word is absent); never an error.
        assert!(
            now == before || now == 0,
            "after a kill at {delay_ms} ms: {now} hits"
        );
    }
    ws.mbc(&["index", "--rebuild", "--corpus", &big, "--index", "idx"])
        .ok();
    assert!(search_ok(&ws, "idx", "placenta") > 0);
    let leftovers: Vec<_> = std::fs::read_dir(ws.path().join("idx"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".build-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_update_killed_at_any_moment_leaves_the_previous_generation_untouched() {
    let ws = Workspace::with_fixture_corpus();
    let big = write_big_corpus(&ws, 20_000);
    let records = ws.corpus().join("records.jsonl");
    std::fs::copy(ws.path().join(&big), &records).unwrap();
    ws.index_corpus();
    let generation = ws.current_generation();
    let before = file_hashes(&generation);
    let mut text = std::fs::read_to_string(&records).unwrap();
    text.push_str("{\"_id\":\"new\",\"text\":\"A record about quokkas.\"}\n");
    std::fs::write(&records, text).unwrap();
    for delay_ms in [20, 100, 250] {
        kill_after(&ws, &["index"], delay_ms);
        assert!(generation.exists(), "the previous generation survives");
        assert!(
            file_hashes(&generation) == before,
            "its files are unchanged after a kill at {delay_ms} ms"
        );
    }
    // The next run finishes the update (unless the last one got there before its kill).
    let run = ws.index_corpus();
    assert!(
        run.stderr.contains("1 changed") || run.stderr.contains("up to date"),
        "{}",
        run.stderr
    );
    assert_eq!(search_ok(&ws, "index", "quokkas"), 1);
}

#[test]
fn searches_during_a_rebuild_all_succeed() {
    let ws = Workspace::with_fixture_corpus();
    ws.mbc(&["index", "--corpus", "corpus", "--index", "idx"])
        .ok();
    let big = write_big_corpus(&ws, 5_000);
    let mut builder = ws
        .command(&["index", "--rebuild", "--corpus", &big, "--index", "idx"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut searches = 0;
    while builder.try_wait().unwrap().is_none() && searches < 200 {
        let run = ws.mbc(&["search", "--index", "idx", "bone", "--format", "json"]);
        assert_eq!(
            run.code, 0,
            "a search during the rebuild failed: {}",
            run.stderr
        );
        searches += 1;
    }
    let output = builder.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(searches > 0);
    assert!(
        search_ok(&ws, "idx", "placenta") > 0,
        "the new index is in place"
    );
}

/// The fixture corpus indexed by default, then the first file of the current generation with
/// extension `ext` damaged by `damage`.
fn damaged_index(ext: &str, damage: impl Fn(&Path)) -> Workspace {
    let ws = Workspace::with_fixture_corpus();
    ws.index_corpus();
    damage(&generation_file(&ws, ext));
    ws
}

fn generation_file(ws: &Workspace, ext: &str) -> PathBuf {
    std::fs::read_dir(ws.current_generation())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == ext))
        .unwrap_or_else(|| panic!("no .{ext} file in the generation"))
}

/// Overwrites `bytes.len()` bytes in the middle of a file (checksums and footers intact).
fn overwrite_middle(file: &Path, bytes: &[u8]) {
    let mut content = std::fs::read(file).unwrap();
    let at = content.len() / 2;
    for (i, byte) in bytes.iter().enumerate() {
        content[at + i] ^= byte;
    }
    std::fs::write(file, content).unwrap();
}

/// Scrambles all but the last 64 bytes of a file (tantivy's footer stays readable).
fn scramble(file: &Path) {
    let mut bytes = std::fs::read(file).unwrap();
    let len = bytes.len();
    for (i, byte) in bytes.iter_mut().enumerate().take(len.saturating_sub(64)) {
        *byte = byte.wrapping_mul(31).wrapping_add(i as u8);
    }
    std::fs::write(file, bytes).unwrap();
}

/// The run failed with exit code 1, says the index is damaged, and says how to repair it.
#[track_caller]
fn assert_damage_reported(run: &Run) {
    assert_eq!(run.code, 1, "{}", run.stderr);
    // As text, or as a JSON error for commands that write JSON.
    assert!(
        run.stderr.contains("damaged") && run.stderr.contains("run `mbc index`"),
        "{}",
        run.stderr
    );
}

/// A plain `mbc index` notices the damage, rebuilds, and leaves an intact, searchable index.
#[track_caller]
fn assert_index_repairs(ws: &Workspace) {
    let run = ws.mbc(&["index"]).ok();
    assert!(
        run.stderr.contains("damaged") && !run.stderr.contains("up to date"),
        "{}",
        run.stderr
    );
    ws.mbc(&["check"]).ok();
    assert!(ws.finds("trastuzumab", "her2.txt"));
}

#[test]
fn a_truncated_segment_file_gives_a_clear_error_and_rebuild_fixes_it() {
    let ws = damaged_index("idx", |file| {
        let f = std::fs::OpenOptions::new().write(true).open(file).unwrap();
        f.set_len(10).unwrap();
    });
    assert_damage_reported(&ws.mbc(&["search", "trastuzumab"]));
    assert_index_repairs(&ws);
}

#[test]
fn a_deleted_segment_file_gives_a_clear_error() {
    let ws = damaged_index("idx", |file| std::fs::remove_file(file).unwrap());
    assert_damage_reported(&ws.mbc(&["stats"]));
}

#[test]
fn a_deleted_positions_file_is_diagnosed_and_repaired() {
    let ws = damaged_index("pos", |file| std::fs::remove_file(file).unwrap());
    assert_damage_reported(&ws.mbc(&["search", "trastuzumab pertuzumab"]));
    let check = ws.mbc(&["check"]);
    assert_damage_reported(&check);
    assert!(check.stderr.contains(".pos is missing"), "{}", check.stderr);
    assert_index_repairs(&ws);
}

#[test]
fn check_answers_a_script_in_json_whether_or_not_the_index_is_intact() {
    // `mbc check` had no --format: a script could only match the text.
    let ws = Workspace::with_fixture_corpus();
    ws.index_corpus();
    let intact = ws.mbc(&["check", "--format", "json"]).ok().json();
    assert_eq!(intact["intact"], true, "{intact}");
    assert_eq!(intact["documents"], 2, "{intact}");
    assert!(intact["notice"].is_string(), "{intact}");
    std::fs::remove_file(generation_file(&ws, "pos")).unwrap();
    let damaged = ws.mbc(&["check", "--format", "json"]);
    assert_damage_reported(&damaged);
    let error: serde_json::Value = serde_json::from_str(&damaged.stderr).unwrap();
    assert_eq!(error["error"]["kind"], "damaged_index", "{error}");
}

#[test]
fn scrambled_store_and_term_files_are_found_by_check_and_repaired_by_index() {
    for ext in ["store", "term"] {
        let ws = damaged_index(ext, scramble);
        let check = ws.mbc(&["check"]);
        assert_damage_reported(&check);
        let named = |problem: &str| check.stderr.contains(&format!(".{ext} {problem}"));
        assert!(
            named("fails its checksum") || named("cannot be read"),
            "{}",
            check.stderr
        );
        assert_index_repairs(&ws);
    }
}

#[test]
fn a_few_changed_bytes_in_the_store_never_reach_an_export() {
    let ws = damaged_index("store", |file| overwrite_middle(file, &[0x5a; 4]));
    let run = ws.mbc(&["export", "--all"]);
    assert_damage_reported(&run);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn changed_bytes_in_the_vectors_are_refused_not_searched() {
    let ws = Workspace::with_fixture_corpus();
    let model = crate::helper::fixtures().join("tiny-bert/safetensors");
    let model = model.to_str().unwrap();
    ws.mbc(&["index", "--model", model]).ok();
    overwrite_middle(&generation_file(&ws, "bin"), &[0xff; 16]);
    // A lexical search reads no vectors, so it still answers.
    let lexical = ws
        .mbc(&["search", "--model", model, "bone pain", "--mode", "lexical"])
        .ok();
    assert!(lexical.stdout.contains("bone"), "{}", lexical.stdout);
    let run = ws.mbc(&["search", "--model", model, "bone pain"]);
    assert_damage_reported(&run);
    assert!(
        run.stderr.contains("vectors.bin fails its checksum"),
        "{}",
        run.stderr
    );
    let repaired = ws.mbc(&["index", "--model", model]).ok();
    assert!(repaired.stderr.contains("damaged"), "{}", repaired.stderr);
    let search = ws
        .mbc(&["search", "--model", model, "bone pain", "--format", "json"])
        .ok();
    assert_eq!(search.json()["mode"], "hybrid");
}

#[test]
fn a_cut_short_analyzed_lexicon_is_named_as_damage_and_repaired() {
    let ws = Workspace::with_fixture_corpus();
    ws.index_corpus();
    let file = ws.current_generation().join("lexicon.json");
    let text = std::fs::read(&file).unwrap();
    std::fs::write(&file, &text[..text.len() / 2]).unwrap();
    let run = ws.mbc(&["search", "herceptin"]);
    assert_damage_reported(&run);
    assert!(run.stderr.contains("lexicon.json"), "{}", run.stderr);
    assert_index_repairs(&ws);
}

#[test]
fn a_data_file_changed_into_other_valid_data_fails_the_check_and_is_repaired() {
    // "trastuzumab" edited to "trastuzumxb" in the index's lexicon.json: `mbc check` said
    // "every file matches its checksum" while searches expanded to the wrong word.
    let ws = Workspace::with_fixture_corpus();
    ws.index_corpus();
    let file = ws.current_generation().join("lexicon.json");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("trastuzumab"));
    std::fs::write(&file, text.replace("trastuzumab", "trastuzumxb")).unwrap();
    let run = ws.mbc(&["check"]);
    assert_damage_reported(&run);
    assert!(
        run.stderr.contains("lexicon.json fails its checksum"),
        "{}",
        run.stderr
    );
    assert_index_repairs(&ws);
}

#[test]
fn a_scrambled_segment_file_is_reported_as_damage_never_as_a_crash() {
    let ws = damaged_index("idx", scramble);
    // A search reads only part of the file: it may get through, or meet the damage; either
    // way it never crashes, and damage is named with the way to repair it.
    for args in [&["search", "trastuzumab"][..], &["stats"][..]] {
        let run = ws.mbc(args);
        if run.code != 0 {
            assert_damage_reported(&run);
        }
        run.assert_no_crash();
    }
    // Reading every file finds it for certain.
    assert_damage_reported(&ws.mbc(&["export", "--all"]));
    assert_damage_reported(&ws.mbc(&["check"]));
    assert_index_repairs(&ws);
}

#[test]
fn an_intact_index_passes_its_check() {
    let ws = Workspace::with_fixture_corpus();
    ws.index_corpus();
    let run = ws.mbc(&["check"]).ok();
    assert!(run.stdout.contains("is intact"), "{}", run.stdout);
}

#[test]
fn hostile_corpus_files_are_named_or_indexed_and_the_rest_survives() {
    let ws = Workspace::with_fixture_corpus();
    ws.write("corpus/empty.md", "");
    ws.write("corpus/blank.txt", "\n\n   \n");
    ws.write("corpus/empty.jsonl", "");
    let deep = (0..60)
        .map(|i| format!("d{i}"))
        .collect::<Vec<_>>()
        .join("/");
    ws.write(
        &format!("corpus/{deep}/deep.md"),
        "# Deep\n\nA note about retinal imaging.\n",
    );
    ws.write(
        "corpus/long-line.txt",
        format!("Long\n\n{}\n", "word ".repeat(1_000_000)),
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(ws.corpus(), ws.corpus().join("loop")).unwrap();
    let run = ws.index_corpus();
    assert!(run.stderr.contains("indexed"), "{}", run.stderr);
    assert!(ws.finds("retinal", "deep.md"));
    assert!(ws.finds("trastuzumab", "her2.txt"));
}

#[test]
fn huge_files_and_lines_are_skipped_with_their_size_and_the_rest_indexed() {
    use std::io::{Seek, SeekFrom, Write};
    let ws = Workspace::with_fixture_corpus();
    // Sparse files: 200 MB on paper, nothing written, so the test stays quick.
    let huge = std::fs::File::create(ws.corpus().join("huge.md")).unwrap();
    huge.set_len(200_000_000).unwrap();
    let mut jsonl = std::fs::File::create(ws.corpus().join("records.jsonl")).unwrap();
    writeln!(
        jsonl,
        r#"{{"_id": "a", "text": "The first record mentions xylophones."}}"#
    )
    .unwrap();
    jsonl.seek(SeekFrom::Current(200_000_000)).unwrap();
    writeln!(jsonl).unwrap();
    writeln!(
        jsonl,
        r#"{{"_id": "b", "text": "The last record mentions zeppelins."}}"#
    )
    .unwrap();
    drop(jsonl);

    let run = ws.index_corpus();
    assert!(
        run.stderr.contains("huge.md: too large (200 MB"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("records.jsonl:2: too large (200 MB"),
        "{}",
        run.stderr
    );
    for word in ["xylophones", "zeppelins", "trastuzumab"] {
        let found = ws.mbc(&["search", word, "--exact"]).ok();
        assert!(found.stdout.contains(" 1. "), "{word}: {}", found.stdout);
    }
}
