//! The defects hostile testing found: each test names the promise it keeps.

use std::process::Stdio;

use crate::helper::{Run, Workspace, copy_dir};

fn indexed() -> Workspace {
    let ws = Workspace::with_fixture_corpus();
    ws.index_corpus();
    ws
}

#[cfg(unix)]
#[test]
fn export_writes_through_a_device_and_a_link_and_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let ws = indexed();
    ws.mbc(&["export", "--all", "--output", "/dev/null"]).ok();
    let null = std::fs::metadata("/dev/null").unwrap();
    assert!(!null.is_file(), "/dev/null is still a device");

    let target = ws.write("out/real.jsonl", "old");
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::os::unix::fs::symlink("real.jsonl", ws.path().join("out/link.jsonl")).unwrap();
    ws.mbc(&["export", "--all", "--output", "out/link.jsonl"])
        .ok();
    let link = std::fs::symlink_metadata(ws.path().join("out/link.jsonl")).unwrap();
    assert!(link.file_type().is_symlink(), "the link stays a link");
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(
        written.contains("passage_id"),
        "the link's target is written"
    );
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644, "the file keeps its permissions");
}

#[test]
fn a_search_finds_the_index_being_updated_and_searches_it_as_it_was() {
    let ws = indexed();
    // Another process is building: it holds the lock.
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(ws.index().join(".lock"))
        .unwrap();
    lock.lock().unwrap();
    ws.write("corpus/new.md", crate::helper::FATIGUE_DOC);
    let run = ws.mbc(&["search", "trastuzumab"]).ok();
    assert!(run.stdout.contains("her2.txt"), "{}", run.stdout);
    assert!(
        run.stderr.contains("is updating the index"),
        "{}",
        run.stderr
    );
    drop(lock);
}

#[test]
fn searching_writes_nothing_into_the_index() {
    let ws = indexed();
    let generation = ws.current_generation();
    let before = crate::helper::file_hashes(&generation);
    ws.mbc(&["search", "trastuzumab"]).ok();
    ws.mbc(&["search", "--index", "index", "radiation"]).ok();
    ws.mbc(&["check"]).ok();
    assert_eq!(
        crate::helper::file_hashes(&generation),
        before,
        "no lock file, no change"
    );
}

fn with_stderr_full(ws: &Workspace, args: &[&str]) -> Run {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = ws
        .command(args)
        .stdout(Stdio::null())
        .stderr(full)
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::new(),
        stderr: String::new(),
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_stderr_that_cannot_be_written_is_not_a_crash() {
    let ws = indexed();
    assert_eq!(with_stderr_full(&ws, &["index", "--rebuild"]).code, 0);
    assert_eq!(with_stderr_full(&ws, &["search", ""]).code, 2);
    assert_eq!(with_stderr_full(&ws, &["search", "trastuzumab"]).code, 0);
}

#[test]
fn words_that_start_with_a_hyphen_are_searched() {
    let ws = indexed();
    let run = ws
        .mbc(&["search", "pain", "-fractures", "--format", "json"])
        .ok();
    let output = run.json();
    assert_eq!(output["query"], "pain -fractures");
    let run = ws.mbc(&["search", "-fractures pain"]).ok();
    assert!(!run.stdout.contains("Usage"), "{}", run.stdout);
    let run = ws.mbc(&["search", "-herceptin"]).expect_code(2);
    assert!(run.stderr.contains("only excludes words"), "{}", run.stderr);
    ws.mbc(&["export", "trastuzumab", "-oestrogen"]).ok();
    assert!(!ws.path().join("estrogen").exists() && !ws.path().join("oestrogen").exists());
}

#[test]
fn control_characters_from_the_corpus_never_reach_the_terminal() {
    let ws = Workspace::with_fixture_corpus();
    ws.write(
        "corpus/evil\u{202e}gnp.txt",
        "Bone care \u{1b}]0;pwned\u{7}\n\nZoledronic \u{1b}[31macid protects bones \u{1b}]52;c;ZXZpbA==\u{7} from fractures.\n",
    );
    ws.write(
        "corpus/two\nlines.txt",
        "Zoledronic notes\n\nZoledronic acid is given by drip.\n",
    );
    ws.write("corpus/broken\u{1b}[2J.md", "+++\ntitle = \n+++\n");
    let index = ws.mbc(&["index"]).expect_code(1);
    std::fs::remove_file(ws.corpus().join("broken\u{1b}[2J.md")).unwrap();
    ws.index_corpus();
    let search = ws.mbc(&["search", "zoledronic"]).ok();
    for text in [&index.stderr, &search.stdout, &search.stderr] {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text:?}"
        );
        assert!(!text.contains('\u{202e}'), "{text:?}");
    }
    let json = ws
        .mbc(&["search", "zoledronic", "--format", "json"])
        .ok()
        .json();
    let kept = json["passages"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["text"].as_str().unwrap().contains('\u{1b}'));
    assert!(kept, "JSON keeps the text as it is, escaped: {json}");
}

#[test]
fn a_directory_of_someone_elses_files_is_never_used_as_an_index() {
    let ws = Workspace::with_fixture_corpus();
    ws.write("mine/gen-mystuff/a.txt", "keep me");
    let run = ws.mbc(&["index", "--index", "mine"]).expect_code(2);
    assert!(
        run.stderr.contains("not an mbc index directory"),
        "{}",
        run.stderr
    );
    assert!(ws.path().join("mine/gen-mystuff/a.txt").exists());
    ws.write("readme-only/README.md", "where the index goes");
    ws.mbc(&["index", "--index", "readme-only"]).ok();
}

#[test]
fn an_index_of_another_format_is_rebuilt_not_called_damaged() {
    let ws = indexed();
    let meta_path = ws.current_generation().join("mbc.json");
    let mut meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
    let format = meta["format"]
        .as_u64()
        .expect("mbc.json records its format");
    meta["format"] = (format - 1).into();
    std::fs::write(&meta_path, meta.to_string()).unwrap();
    let run = ws.mbc(&["search", "--index", "index", "trastuzumab"]).ok();
    assert!(
        run.stderr.contains("another version of mbc"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("damaged"), "{}", run.stderr);
    assert!(run.stdout.contains("her2.txt"), "{}", run.stdout);
}

#[test]
fn duplicate_ids_and_empty_files_are_named() {
    let ws = Workspace::with_fixture_corpus();
    ws.write(
        "corpus/records.jsonl",
        "\u{feff}{\"_id\": \"a\", \"text\": \"First quokka record.\"}\n{\"_id\": \"a\", \"text\": \"Second record.\"}\n",
    );
    ws.write("corpus/empty.md", "");
    let run = ws.index_corpus();
    assert!(
        run.stderr
            .contains("records.jsonl:2: duplicate id \"a\" (first on line 1)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("empty.md: empty file"),
        "{}",
        run.stderr
    );
    assert!(
        ws.finds("quokka", "records.jsonl"),
        "the first record, after a byte-order mark"
    );
}

#[test]
fn a_file_or_record_with_no_text_is_named_not_lost() {
    // Front matter alone, headings alone and a record without "text" were dropped, and the
    // summary said "0 file(s) skipped".
    let ws = Workspace::with_fixture_corpus();
    ws.write(
        "corpus/fmonly.md",
        "+++\ntitle = \"Only front matter\"\n+++\n",
    );
    ws.write("corpus/headings.md", "# Heading\n\n## Another\n");
    ws.write(
        "corpus/records.jsonl",
        "{\"_id\": \"a\", \"text\": \"A quokka record.\"}\n{\"_id\": \"c\", \"title\": \"No text\"}\n",
    );
    let run = ws.index_corpus();
    for expected in [
        "fmonly.md: no text to index",
        "headings.md: no text to index",
        "records.jsonl:2: no text to index",
    ] {
        assert!(run.stderr.contains(expected), "{expected}: {}", run.stderr);
    }
    assert!(
        run.stderr.contains("2 file(s) and 1 record(s) skipped"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_document_id_names_one_document_across_files_and_updates() {
    // Two files' records with one `_id`, or a record named like a Markdown file, were indexed
    // without a word, and `mbc show` gave one document's passage the other's as neighbours.
    let ws = Workspace::new();
    ws.write("corpus/good.md", "# Good\n\nA passage about quokkas.\n");
    ws.write(
        "corpus/one.jsonl",
        "{\"_id\": \"j1\", \"text\": \"First wombat record.\"}\n",
    );
    ws.write(
        "corpus/two.jsonl",
        "{\"_id\": \"good.md\", \"text\": \"An impostor.\"}\n{\"_id\": \"j1\", \"text\": \"Second numbat record.\"}\n",
    );
    let run = ws.index_corpus();
    assert!(
        run.stderr
            .contains("two.jsonl:1: duplicate id \"good.md\" (first in ")
            && run
                .stderr
                .contains("two.jsonl:2: duplicate id \"j1\" (first in "),
        "{}",
        run.stderr
    );
    assert!(ws.finds("quokkas", "good.md") && ws.finds("wombat", "one.jsonl"));
    assert!(
        !ws.mbc(&["search", "numbat"])
            .ok()
            .stdout
            .contains("two.jsonl")
    );
    // An update keeps the ids of the files it carries over as they are.
    ws.write(
        "corpus/three.jsonl",
        "{\"_id\": \"j1\", \"text\": \"A third echidna record.\"}\n",
    );
    let update = ws.index_corpus();
    assert!(
        update
            .stderr
            .contains("three.jsonl:1: duplicate id \"j1\" (first in "),
        "{}",
        update.stderr
    );
}

#[test]
fn a_model_that_fails_for_a_moment_leaves_its_vectors_to_the_next_index() {
    let ws = Workspace::with_fixture_corpus();
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/all-MiniLM-L6-v2");
    let model = ws.path().join("model");
    copy_dir(&shipped, &model);
    std::fs::write(model.join("model.safetensors"), b"not weights").unwrap();
    let model_arg = model.to_str().unwrap();
    let failed = ws.mbc(&["index", "--model", model_arg]).ok();
    assert!(
        failed.stderr.contains("semantic search unavailable"),
        "{}",
        failed.stderr
    );
    let stats = ws
        .mbc(&["stats", "--format", "json", "--model", model_arg])
        .ok();
    assert!(stats.json()["vectors"].is_null(), "{}", stats.stdout);

    std::fs::copy(
        shipped.join("model.safetensors"),
        model.join("model.safetensors"),
    )
    .unwrap();
    ws.mbc(&["index", "--model", model_arg]).ok();
    let stats = ws
        .mbc(&["stats", "--format", "json", "--model", model_arg])
        .ok();
    assert!(
        stats.json()["vectors"]["count"].as_u64() > Some(0),
        "{}",
        stats.stdout
    );
}

#[cfg(unix)]
#[test]
fn a_disk_that_fills_while_vectors_are_written_fails_the_build_and_keeps_the_index() {
    let ws = Workspace::with_bundled_corpus();
    ws.mbc_with_builtin_model(&["index"]).ok();
    let before = ws.current_generation();
    let vectors = |ws: &Workspace| {
        let stats = ws
            .mbc_with_builtin_model(&["stats", "--format", "json"])
            .ok();
        stats.json()["vectors"]["count"].as_u64()
    };
    let bundled = vectors(&ws).expect("the bundled corpus has vectors");
    ws.write(
        "corpus/99-new.md",
        "+++\ntitle = \"A new text\"\n+++\n\n# A new text\n\nA paragraph about walking with bone pain.\n",
    );

    // The vectors (about 600 KiB for the bundled corpus) are the only file past 300 KiB.
    let full = ws.mbc_with_limits("-f 300", &["index"]).expect_code(1);
    assert!(full.stderr.contains("vectors.bin"), "{}", full.stderr);
    assert_eq!(
        full.stderr.matches("File too large").count(),
        1,
        "the cause is named once: {}",
        full.stderr
    );
    assert!(!full.stderr.contains("lexical only"), "{}", full.stderr);
    assert_eq!(ws.current_generation(), before, "the previous index stays");

    assert_eq!(
        vectors(&ws),
        Some(bundled + 1),
        "the next run adds the text with its vector"
    );
}

#[test]
fn an_export_is_never_written_over_a_corpus_text() {
    // `export --output good/01-high-blood-pressure.md` replaced the text with JSON lines, and
    // the next `mbc index` read them as a text.
    let ws = Workspace::new();
    let text = "# Salt\n\nToo much salt raises blood pressure in many people.\n";
    let salt = ws.write("mine/salt.md", text);
    ws.mbc(&["index", "--corpus", "mine", "--index", "idx"])
        .ok();
    for args in [
        &[
            "export",
            "--index",
            "idx",
            "--all",
            "--output",
            "mine/salt.md",
        ][..],
        &[
            "export",
            "--index",
            "idx",
            "--corpus",
            "mine",
            "--all",
            "--output",
            "mine/new.jsonl",
        ],
    ] {
        let run = ws.mbc(args).expect_code(2);
        assert!(run.stderr.contains("is in the corpus at"), "{}", run.stderr);
    }
    assert_eq!(std::fs::read_to_string(&salt).unwrap(), text);
    assert!(!ws.path().join("mine/new.jsonl").exists());
    ws.mbc(&[
        "export",
        "--index",
        "idx",
        "--all",
        "--output",
        "salt.jsonl",
    ])
    .ok();
    assert!(ws.path().join("salt.jsonl").exists());
}
