//! Building indexes: summaries, skipped files, errors, atomic rebuilds, stable ids.

use crate::helper::{Run, Workspace};

#[test]
fn indexing_the_fixture_corpus_reports_a_summary() {
    let ws = Workspace::with_fixture_corpus();
    let run = ws.index_corpus();
    assert!(
        run.stderr.contains("indexed 2 documents into"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("0 file(s) skipped"), "{}", run.stderr);
}

#[test]
fn an_unchanged_corpus_is_not_reindexed() {
    let ws = Workspace::with_fixture_corpus();
    ws.index_corpus();
    let run = ws.index_corpus();
    assert!(run.stderr.contains("up to date"), "{}", run.stderr);
    let run = ws.mbc(&["index", "--rebuild"]).ok();
    assert!(run.stderr.contains("indexed 2 documents"), "{}", run.stderr);
}

#[test]
fn binary_and_non_utf8_files_are_skipped_and_named_and_the_rest_indexed() {
    let ws = Workspace::with_fixture_corpus();
    ws.write("corpus/image.txt", b"PNG\x00\x01\x02binary");
    ws.write("corpus/latin1.md", b"caf\xe9 au lait\n");
    let run = ws.index_corpus();
    assert!(
        run.stderr.contains("image.txt") && run.stderr.contains("binary"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("latin1.md:1") && run.stderr.contains("UTF-8"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("indexed 2 documents") && run.stderr.contains("2 file(s) skipped"),
        "{}",
        run.stderr
    );
    let found = ws.mbc(&["search", "denosumab"]).ok();
    assert!(found.stdout.contains("bones.md"), "{}", found.stdout);
}

#[test]
fn what_a_curator_meant_to_index_and_mbc_cannot_is_named_with_the_way_to_fix_it() {
    // A UTF-16 file was "binary"; a Word file was left out without a word; a sidecar whose
    // text was renamed stopped applying in silence (a dated text shown as unsourced).
    let ws = Workspace::with_fixture_corpus();
    ws.write("corpus/utf16.txt", b"\xff\xfeB\x00o\x00n\x00e\x00");
    ws.write("corpus/latin1.md", b"caf\xe9 au lait\n");
    ws.write("corpus/leaflet.docx", b"PK\x03\x04");
    ws.write("corpus/renamed.txt.meta.toml", "status = 'dated'\n");
    let run = ws.index_corpus();
    for expected in [
        "utf16.txt: UTF-16 text, which mbc cannot read: save it as UTF-8",
        "latin1.md:1: not valid UTF-8 text",
        "leaflet.docx: a word-processor document, which mbc cannot read: save it as .md or .txt",
        "renamed.txt.meta.toml: describes renamed.txt, which is not in the corpus",
    ] {
        assert!(run.stderr.contains(expected), "{expected}: {}", run.stderr);
    }
    assert!(run.stderr.contains("4 file(s) skipped"), "{}", run.stderr);
    ws.mbc(&["index", "--rebuild", "--strict"]).expect_code(1);
}

#[test]
fn strict_mode_fails_on_skipped_files_and_keeps_no_index() {
    let ws = Workspace::with_fixture_corpus();
    ws.write("corpus/image.txt", b"\x00\x00");
    let run = ws.mbc(&["index", "--strict"]).expect_code(1);
    // The failure names what was skipped, as the warnings would have (it gave only a count).
    assert!(
        run.stderr.contains("--strict") && run.stderr.contains("image.txt"),
        "{}",
        run.stderr
    );
    assert!(!ws.index().join("CURRENT").exists());
}

#[test]
fn strict_mode_fails_on_an_up_to_date_index_that_left_files_out() {
    // "index is up to date", exit 0: the index built without --strict still leaves the file
    // out, which --strict is there to refuse.
    let ws = Workspace::with_fixture_corpus();
    ws.write("corpus/image.txt", b"\x00\x00");
    ws.index_corpus();
    let run = ws.mbc(&["index", "--strict"]).expect_code(1);
    assert!(
        run.stderr.contains("--strict") && run.stderr.contains("image.txt"),
        "{}",
        run.stderr
    );
    // The index it has is left as it was, and searchable.
    assert!(ws.index().join("CURRENT").exists());
    ws.mbc(&["index"]).ok();
}

#[test]
fn a_symbolic_link_to_a_text_is_reported_as_left_out() {
    // Links are not followed, and a linked text was left out in silence, by --strict too.
    let ws = Workspace::with_fixture_corpus();
    let outside = ws.write("linked.md", "# Linked\n\nElderflower cordial is a drink.\n");
    std::os::unix::fs::symlink(&outside, ws.path().join("corpus/linked.md")).unwrap();
    let run = ws.index_corpus();
    assert!(
        run.stderr
            .contains("linked.md: a symbolic link, which mbc does not follow"),
        "{}",
        run.stderr
    );
    let strict = ws.mbc(&["index", "--strict", "--rebuild"]).expect_code(1);
    assert!(strict.stderr.contains("linked.md"), "{}", strict.stderr);
}

#[test]
fn malformed_front_matter_is_an_error_with_file_and_line() {
    let ws = Workspace::with_fixture_corpus();
    ws.write(
        "corpus/broken.md",
        "+++\ntitle = \"Broken\"\nsources = [\"unclosed\"\n+++\n\nText.\n",
    );
    let run = ws.mbc(&["index"]).expect_code(1);
    assert!(run.stderr.contains("broken.md:3"), "{}", run.stderr);
}

#[test]
fn every_broken_file_of_a_run_is_named_one_to_a_line() {
    // Only the first was named: an author fixed it, ran again, and met the next.
    let ws = Workspace::with_fixture_corpus();
    ws.write(
        "corpus/a-date.md",
        "+++\ntitle = 'A'\nlast_reviewed = 2019-13-01\n+++\nText.\n",
    );
    ws.write(
        "corpus/b-approach.md",
        "+++\ntitle = 'B'\napproaches = ['nope']\n+++\nText.\n",
    );
    let run = ws.mbc(&["index"]).expect_code(1);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("2 corpus files cannot be used"))
            && lines
                .iter()
                .any(|l| l.trim_start().starts_with("corpus/a-date.md:3:"))
            && lines
                .iter()
                .any(|l| l.trim_start().starts_with("corpus/b-approach.md:3:")),
        "{}",
        run.stderr
    );
    // For a script, one JSON error that names both.
    let json = ws.mbc(&["index", "--format", "json"]).expect_code(1);
    let error: serde_json::Value = serde_json::from_str(&json.stderr).unwrap();
    let message = error["error"]["message"].as_str().unwrap();
    assert!(
        error["error"]["kind"] == "corpus"
            && message.contains("corpus/a-date.md:3:")
            && message.contains("corpus/b-approach.md:3:"),
        "{error}"
    );
}

#[test]
fn a_failed_rebuild_leaves_the_previous_index_searchable() {
    let ws = Workspace::with_fixture_corpus();
    ws.index_corpus();
    ws.write(
        "corpus/broken.md",
        "+++\ntitle = 'x'\nbad line\n+++\nText.\n",
    );
    ws.mbc(&["index"]).expect_code(1);
    let leftovers: Vec<_> = std::fs::read_dir(ws.index())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".build-"))
        .collect();
    assert!(leftovers.is_empty(), "a failed build left {leftovers:?}");
    let run = ws.mbc(&["search", "--index", "index", "trastuzumab"]).ok();
    assert!(run.stdout.contains("her2.txt"), "{}", run.stdout);
}

#[test]
fn a_broken_file_does_not_take_the_search_down_with_it() {
    // One half-edited text made every search, `stats` and `serve` fail until it was fixed.
    let ws = Workspace::with_fixture_corpus();
    ws.index_corpus();
    ws.write(
        "corpus/broken.md",
        "+++\ntitle = 'x'\nlast_reviewed = 2026-13-45\n+++\nText.\n",
    );
    for args in [&["search", "trastuzumab"][..], &["stats"]] {
        let run = ws.mbc(args).ok();
        assert!(
            run.stderr.contains("warning: indexing corpus failed")
                && run.stderr.contains("broken.md:3")
                && run.stderr.contains("searching the index as it was before")
                && run.stderr.contains("`mbc index` updates it"),
            "{args:?}: {}",
            run.stderr
        );
    }
    let found = ws.mbc(&["search", "trastuzumab"]).ok();
    assert!(found.stdout.contains("her2.txt"), "{}", found.stdout);
    ws.mbc(&["index"]).expect_code(1);
}

#[test]
fn an_index_from_another_corpus_and_the_way_to_build_one_name_the_corpus_given() {
    // `--corpus other --index index` searched the index of `corpus` without a word, and the
    // hint for a missing index dropped `--corpus`, so following it built another corpus.
    let ws = Workspace::with_fixture_corpus();
    ws.index_corpus();
    ws.write(
        "other/note.md",
        "+++\ntitle = 'Other'\n+++\nZoledronic acid.\n",
    );
    let search_in = |corpus: &str, index: &str| {
        ws.mbc(&["search", "zoledronic", "--corpus", corpus, "--index", index])
    };
    let run = search_in("other", "index").ok();
    assert!(
        run.stderr
            .contains("the index at index was built from corpus, not other")
            && run
                .stderr
                .contains("`mbc index --index index --corpus other --rebuild`"),
        "{}",
        run.stderr
    );
    let same = search_in("corpus", "index").ok();
    assert!(!same.stderr.contains("built from"), "{}", same.stderr);
    let missing = search_in("other", "new").expect_code(2);
    assert!(
        missing
            .stderr
            .contains("build one with `mbc index --index new --corpus other`"),
        "{}",
        missing.stderr
    );
}

#[test]
fn a_failed_first_build_leaves_a_way_forward_not_just_no_index() {
    // The failed build leaves the index directory with its marker: a search there said only
    // "no index found at index".
    let ws = Workspace::new();
    ws.write(
        "corpus/broken.md",
        "+++\ntitle = 'x'\nbad line\n+++\nText.\n",
    );
    ws.mbc(&["index"]).expect_code(1);
    let run = ws
        .mbc(&["search", "--index", "index", "text"])
        .expect_code(2);
    assert!(
        run.stderr.contains("did not finish") && run.stderr.contains("--index index"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_way_forward_after_a_failed_first_build_asks_for_the_corpus() {
    // A curator's first build of her own texts failed; the hint for her next search said
    // `mbc index --index idx`, which built the corpus bundled with mbc into her index, exit 0.
    let ws = Workspace::new();
    ws.write("mine/broken.md", "+++\ntitle = 'x'\nbad line\n+++\nText.\n");
    ws.mbc(&["index", "--corpus", "mine", "--index", "idx"])
        .expect_code(1);
    let run = ws.mbc(&["search", "--index", "idx", "text"]).expect_code(2);
    assert!(
        run.stderr
            .contains("`mbc index --index idx --corpus PATH`, PATH being the texts to index")
            && run.stderr.contains("the corpus built into mbc is indexed"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_edit_of_the_lexicon_that_keeps_its_size_and_time_is_found_by_mbc_index() {
    // The same for a corpus's lexicon.toml (and urgent.toml): a group renamed in place, its
    // time set back, left `mbc index` "up to date" and the new word unsearched.
    let ws = Workspace::new();
    ws.write("cl/a.md", "+++\ntitle = 'A'\n+++\n\nThe wombat sleeps.\n");
    let write_lexicon = |word: &str| {
        let path = ws.write(
            "cl/lexicon.toml",
            format!("[[group]]\nkind = \"lay\"\nterms = [\"{word}\", \"wombat\"]\n"),
        );
        let file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1))
            .unwrap();
    };
    write_lexicon("quollx");
    ws.mbc(&["index", "--corpus", "cl", "--index", "il"]).ok();
    write_lexicon("quolly");
    let run = ws.mbc(&["index", "--corpus", "cl", "--index", "il"]).ok();
    assert!(!run.stderr.contains("up to date"), "{}", run.stderr);
    let found = ws.mbc(&["search", "--index", "il", "quolly", "--format", "json"]);
    assert_eq!(found.ok().json()["found"], true);
}

#[test]
fn an_index_names_its_corpus_the_same_from_any_directory() {
    // The index recorded its corpus as typed ("c7"): run from the parent directory,
    // `mbc index --index a/i9` updated it from the parent's own "c7", said that was "the corpus
    // it was built from", and dropped the five texts it had.
    let ws = Workspace::new();
    for n in 1..=5 {
        ws.write(
            &format!("a/c7/d{n}.md"),
            format!("+++\ntitle = 'Doc {n}'\n+++\n\nFatigue text {n}.\n"),
        );
    }
    let in_a = |args: &[&str]| {
        let mut command = ws.command(args);
        command.current_dir(ws.path().join("a"));
        Run::of(command.output().expect("mbc runs"))
    };
    in_a(&["index", "--corpus", "c7", "--index", "i9"]).ok();
    ws.write(
        "c7/garden.txt",
        "Unrelated text about gardening tomatoes.\n",
    );
    ws.mbc(&["index", "--index", "a/i9"])
        .ok()
        .assert_stderr_says(&[
            "from a/c7, the corpus it was built from",
            "up to date (5 documents",
        ]);
    let found = ws.mbc(&["search", "--index", "a/i9", "fatigue", "--format", "json"]);
    assert_eq!(found.ok().json()["total_hits"], 5);
}

#[test]
fn an_edit_that_keeps_a_files_size_and_time_is_found_by_mbc_index() {
    // A dose changed from 10 to 50 mg in a file of the same size whose time was set back (an
    // archive unpacked with fixed times, `touch -r`): `mbc index` said "up to date", and the
    // old dose went on being served.
    let ws = Workspace::new();
    let write_dose = |dose: &str| {
        let path = ws.write(
            "cn/dose.md",
            format!("+++\ntitle = 'Dose'\n+++\n\n## Dose\n\nTake {dose} mg of drugx daily.\n"),
        );
        let file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        let fixed = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1);
        file.set_modified(fixed).unwrap();
    };
    write_dose("10");
    ws.mbc(&["index", "--corpus", "cn", "--index", "in"]).ok();
    write_dose("50");
    ws.mbc(&["index", "--corpus", "cn", "--index", "in"])
        .ok()
        .assert_stderr_says(&["1 changed"]);
    let found = ws.mbc(&["search", "--index", "in", "drugx", "--format", "json"]);
    let text = found.ok().json()["passages"][0]["text"].to_string();
    assert!(text.contains("Take 50 mg"), "{text}");
}

#[test]
fn the_command_that_updates_a_stale_index_can_be_pasted_as_it_is() {
    // With a space in the corpus's path, the suggested command split it in two
    // ("unrecognized subcommand 'texts'"), and it put the subcommand last.
    let ws = Workspace::new();
    ws.write("my texts/a.md", "+++\ntitle = 'A'\n+++\nZoledronic acid.\n");
    ws.mbc(&["index", "--corpus", "my texts", "--index", "idx"])
        .ok();
    ws.write("my texts/b.md", "+++\ntitle = 'B'\n+++\nDenosumab.\n");
    let run = ws.mbc(&["search", "--index", "idx", "zoledronic"]).ok();
    assert!(
        run.stderr
            .contains("(`mbc index --index idx --corpus 'my texts'` updates it)"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_index_named_with_index_says_when_its_corpus_has_changed() {
    let ws = Workspace::with_fixture_corpus();
    ws.index_corpus();
    let fresh = ws.mbc(&["search", "--index", "index", "zoledronic"]).ok();
    assert!(!fresh.stderr.contains("has changed"), "{}", fresh.stderr);
    ws.write(
        "corpus/new.md",
        "+++\ntitle = 'New'\n+++\nZoledronic acid news.\n",
    );
    let stale = ws.mbc(&["search", "--index", "index", "zoledronic"]).ok();
    assert!(
        stale
            .stderr
            .contains("corpus has changed since this index was built"),
        "{}",
        stale.stderr
    );
    assert!(!stale.stdout.contains("new.md"), "searched as it is");
}

#[test]
fn a_file_given_as_the_index_or_an_output_in_no_directory_is_named_plainly() {
    // They said "afile/CURRENT: Not a directory" and named the temporary file
    // ("… at path nodir/.mbc-XZu5gD.tmp").
    let ws = Workspace::with_fixture_corpus();
    ws.write("afile", "not an index");
    for args in [
        &["index", "--index", "afile"][..],
        &["search", "bone", "--index", "afile"],
    ] {
        let run = ws.mbc(args);
        assert!(
            run.code != 0 && run.stderr.contains("afile") && run.stderr.contains("is a file"),
            "{args:?}: {}",
            run.stderr
        );
    }
    ws.index_corpus();
    let run = ws
        .mbc(&["export", "--all", "--output", "nodir/out.json"])
        .expect_code(1);
    assert!(
        run.stderr.contains("the directory nodir does not exist") && !run.stderr.contains(".mbc-"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_interrupted_build_is_cleaned_up_by_the_next_one() {
    let ws = Workspace::with_fixture_corpus();
    ws.index_corpus();
    // What a build killed half-way leaves behind: a partial directory beside the index.
    ws.write("index/.build-000000000000001-1/meta.json", "partial");
    ws.mbc(&["search", "--index", "index", "zoledronic"]).ok();
    ws.mbc(&["index", "--rebuild"]).ok();
    assert!(!ws.index().join(".build-000000000000001-1").exists());
}

#[test]
fn passage_ids_are_stable_across_builds() {
    let ws = Workspace::with_fixture_corpus();
    ws.index_corpus();
    let ids = |ws: &Workspace| -> Vec<String> {
        let run = ws.mbc(&["export", "--all", "--format", "jsonl"]).ok();
        run.stdout
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["passage_id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let first = ids(&ws);
    ws.mbc(&["index", "--rebuild"]).ok();
    assert_eq!(first, ids(&ws));
    assert!(!first.is_empty());
}

#[test]
fn a_second_build_of_the_same_index_reports_the_holder() {
    let ws = Workspace::with_fixture_corpus();
    std::fs::create_dir_all(ws.index()).unwrap();
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(ws.index().join(".lock"))
        .unwrap();
    lock.lock().unwrap();
    std::fs::write(ws.index().join(".lock"), "4242").unwrap();
    let run = ws.mbc(&["index"]).expect_code(1);
    assert!(
        run.stderr.contains("being updated by process 4242"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_beir_jsonl_corpus_can_be_indexed() {
    let ws = Workspace::new();
    ws.write("beir/corpus.jsonl", "{\"_id\":\"d1\",\"title\":\"Iron\",\"text\":\"Iron deficiency anaemia in children.\"}\n{\"_id\":\"d2\",\"title\":\"Bones\",\"text\":\"Fracture healing in the elderly.\"}\n");
    ws.mbc(&[
        "index",
        "--corpus",
        "beir/corpus.jsonl",
        "--index",
        "beir-index",
    ])
    .ok();
    let run = ws
        .mbc(&[
            "search",
            "--index",
            "beir-index",
            "anaemia",
            "--format",
            "json",
        ])
        .ok();
    assert_eq!(run.json()["passages"][0]["doc_id"], "d1");
    assert_eq!(run.json()["passages"][0]["source"]["line_start"], 1);
}

/// The index of the `mini` fixture corpus, opened through the library (the directory lives as
/// long as the index is used).
fn mini_index() -> (tempfile::TempDir, mbc::index::SearchIndex) {
    use mbc::index::{BuildOptions, SearchIndex, build};

    let dir = tempfile::tempdir().unwrap();
    let corpus = crate::helper::fixtures().join("mini");
    build(&corpus, dir.path(), &BuildOptions::default(), &|_| {}).unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    (dir, index)
}

#[test]
fn a_passage_read_once_is_handed_out_again_unchanged() {
    use mbc::index::load_passage;
    use tantivy::DocAddress;

    let (_dir, index) = mini_index();
    let snapshot = index.snapshot();
    let address = DocAddress::new(0, 0);
    let first = index
        .passages
        .get(&snapshot, index.fields, address)
        .unwrap();
    let again = index
        .passages
        .get(&snapshot, index.fields, address)
        .unwrap();
    assert!(std::sync::Arc::ptr_eq(&first, &again), "read once");
    let read = load_passage(&snapshot, index.fields, address).unwrap();
    assert_eq!(*first, read);
}

#[test]
fn the_passages_of_one_document_that_the_cache_keeps_share_its_document_block() {
    use serde_json::value::RawValue;
    use std::sync::Arc;

    let (_dir, index) = mini_index();
    let snapshot = index.snapshot();
    let addresses = snapshot
        .read(|s| {
            Ok((0..s.segment_readers().len() as u32)
                .flat_map(|ord| {
                    s.segment_reader(ord)
                        .doc_ids_alive()
                        .map(move |doc| tantivy::DocAddress::new(ord, doc))
                })
                .collect::<Vec<_>>())
        })
        .unwrap();
    let passages: Vec<_> = addresses
        .into_iter()
        .map(|address| {
            index
                .passages
                .get(&snapshot, index.fields, address)
                .unwrap()
        })
        .collect();
    let (first, sibling) = passages
        .iter()
        .enumerate()
        .find_map(|(i, p)| {
            let sibling = passages[i + 1..].iter().find(|q| q.doc_id == p.doc_id)?;
            Some((p, sibling))
        })
        .expect("a document of the fixture has two passages");
    let block = RawValue::from_string(r#"{"rendered":1}"#.into()).unwrap();
    first.document_json(|_| Arc::from(block));
    let shared = sibling.document_json(|_| panic!("rendered a second time for its sibling"));
    assert_eq!(shared.get(), r#"{"rendered":1}"#);
}

#[test]
fn a_small_corpus_indexed_on_several_threads_is_searched_from_one_segment() {
    use mbc::index::{BuildOptions, SearchIndex, build};

    // Each indexing thread writes a segment of its own, and an update adds one, while every
    // search pays for each segment: a small index is merged into one before it is published.
    let segments = |index_dir: &std::path::Path| {
        let index = SearchIndex::open(index_dir).unwrap();
        let snapshot = index.snapshot();
        snapshot.read(|s| Ok(s.segment_readers().len())).unwrap()
    };
    let options = BuildOptions {
        threads: 2,
        ..BuildOptions::default()
    };
    let ws = Workspace::with_bundled_corpus();
    build(&ws.corpus(), &ws.index(), &options, &|_| {}).unwrap();
    assert_eq!(segments(&ws.index()), 1, "after a full build");

    ws.write("corpus/extra.md", "# Extra\n\nA passage added later.\n");
    let report = build(&ws.corpus(), &ws.index(), &options, &|_| {}).unwrap();
    assert!(report.update.is_some(), "an update, not a rebuild");
    assert_eq!(segments(&ws.index()), 1, "after an update");
}
