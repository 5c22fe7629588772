//! Text, JSON and JSON lines output, and the other read commands.

use crate::schema::{
    ApproachesOutput, ExportOutput, RecordLine, SearchOutput, ShowOutput, StatsOutput,
};

use crate::helper::Workspace;

fn indexed() -> Workspace {
    let ws = Workspace::with_fixture_corpus();
    ws.index_corpus();
    ws
}

/// The id of the first passage a search finds.
fn first_passage_id(ws: &Workspace, query: &str) -> String {
    let search = ws.mbc(&["search", query, "--format", "json"]).ok();
    search.json()["passages"][0]["passage_id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn text_results_cite_path_and_lines_and_carry_the_notice_once() {
    let ws = indexed();
    let run = ws.mbc(&["search", "trastuzumab"]).ok();
    assert!(
        run.stdout.contains(" 1. HER2 Notes › Targeted Drugs"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("corpus/her2.txt:5-6"), "{}", run.stdout);
    assert!(
        run.stdout.contains("Trastuzumab (Herceptin)"),
        "without colour, copied text reads as written: {}",
        run.stdout
    );
    let marked = indexed().mbc(&["search", "trastuzumab", "--brackets"]).ok();
    assert!(
        marked.stdout.contains("[Trastuzumab]"),
        "--brackets marks matches without colour: {}",
        marked.stdout
    );
    assert_eq!(run.stdout.matches("not medical advice").count(), 1);
    assert!(
        !run.stdout.contains('\x1b'),
        "no colour when not on a terminal"
    );
}

#[test]
fn the_lines_shown_of_a_result_hold_its_match_or_the_advice_to_act() {
    // A curator's passage named the word searched for only at its end: the two lines shown
    // were its opening, without it. And the urgent advice for "cant stop vomiting" showed the
    // sentence on breathlessness that opens its list, not the one on fluids kept down.
    let ws = Workspace::new();
    ws.write(
        "c/s.md",
        "+++\ntitle = 'Snip'\n+++\n\n## Long\n\nThis paragraph talks at length about many \
         ordinary things such as walking to the shops, making tea in the morning, visiting \
         friends at the weekend, reading the newspaper, watching the garden grow, listening to \
         the radio, and finally it mentions pembrolizumab right at the very end.\n",
    );
    ws.mbc(&["index", "--corpus", "c", "--index", "i"]).ok();
    let late = ws
        .mbc(&["search", "--index", "i", "pembrolizumab", "--brackets"])
        .ok();
    assert!(late.stdout.contains("[pembrolizumab]"), "{}", late.stdout);
    let bundled = Workspace::with_bundled_corpus();
    let urgent = bundled
        .mbc(&["search", "cant stop vomiting", "--limit", "1"])
        .ok();
    assert!(
        urgent.stdout.contains("unable to keep fluids down")
            && urgent.stdout.contains("straight away"),
        "{}",
        urgent.stdout
    );
    // A regression session (2026-12-05) found 15 of 32 urgent searches whose first result's
    // lines did not say to act: the sentence on the symptom outweighed the one that says to.
    for query in [
        "fever on chemo",
        "legs numb",
        "suicide thoughts",
        "chest pain",
    ] {
        let run = bundled.mbc(&["search", query, "--limit", "1"]).ok();
        let lines: String = run
            .stdout
            .lines()
            .skip_while(|line| !line.starts_with(" 1."))
            .skip(1)
            .take(2)
            .collect();
        assert!(
            ["straight away", "emergency", "24-hour"]
                .iter()
                .any(|act| lines.contains(act)),
            "{query}: {}",
            run.stdout
        );
    }
}

#[test]
fn the_count_says_what_a_passage_needs_to_be_counted() {
    // "1–10 of 444 matching passages" read as 444 answers, where one word of the query is
    // enough. (The bundled corpus, whose index has passage vectors.)
    let ws = Workspace::with_bundled_corpus();
    for (mode, counted) in [
        ("lexical", "passages with a word of the search, best first"),
        (
            "semantic",
            "passages close in meaning to the search, best first",
        ),
        (
            "hybrid",
            "passages with a word of the search or close in meaning, best first",
        ),
    ] {
        let run = ws
            .mbc_with_builtin_model(&["search", "bone pain", "--mode", mode, "--limit", "1"])
            .ok();
        assert!(run.stdout.contains("1 of "), "{}", run.stdout);
        assert!(run.stdout.contains(counted), "{mode}: {}", run.stdout);
        assert!(!run.stdout.contains("matching passages"), "{}", run.stdout);
    }
}

#[test]
fn colour_can_be_forced() {
    let run = indexed()
        .mbc(&["search", "trastuzumab", "--color", "always"])
        .ok();
    assert!(run.stdout.contains("\x1b[1;33m"), "{}", run.stdout);
}

#[test]
fn json_output_has_every_documented_field() {
    let run = indexed()
        .mbc(&["search", "trastuzumab", "--format", "json"])
        .ok();
    let parsed: SearchOutput = serde_json::from_str(&run.stdout).expect("strict schema");
    assert_eq!(parsed.schema_version, crate::schema::SCHEMA_VERSION);
    assert!(parsed.notice.contains("not medical advice"));
    let first = &parsed.passages[0];
    assert_eq!(first.rank, Some(1));
    assert_eq!(first.doc_id, "her2.txt");
    assert_eq!(first.source.path, "corpus/her2.txt");
    assert_eq!((first.source.line_start, first.source.line_end), (5, 6));
    let [start, end] = first.highlights[0];
    assert_eq!(&first.text[start..end], "Trastuzumab");
    assert!(
        parsed
            .expanded
            .iter()
            .any(|e| e.term == "herceptin" && e.kind == "brand")
    );
}

#[test]
fn json_output_is_indented_throughout_for_people_reading_it() {
    let run = indexed()
        .mbc(&["search", "trastuzumab", "--format", "json"])
        .ok();
    // The document block is kept as JSON already; it must be indented like the rest.
    let status_lines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("\"status\":"))
        .collect();
    assert!(!status_lines.is_empty(), "{}", run.stdout);
    for line in status_lines {
        assert!(line.trim_start().starts_with("\"status\""), "{line}");
    }
}

#[test]
fn jsonl_output_is_one_strict_result_per_line() {
    let run = indexed().mbc(&["search", "bone", "--format", "jsonl"]).ok();
    let lines: Vec<RecordLine> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("strict result line"))
        .collect();
    assert!(lines.len() >= 2);
    assert!(
        lines
            .iter()
            .all(|r| { r.notice.contains("not medical advice") && !r.closest })
    );
    assert_eq!(
        lines.iter().map(|r| r.rank).collect::<Vec<_>>(),
        (1..=lines.len()).map(Some).collect::<Vec<_>>()
    );
}

#[test]
fn approach_filter_keeps_only_tagged_passages() {
    let run = indexed()
        .mbc(&[
            "search",
            "pain",
            "treatment",
            "--approach",
            "bone-directed",
            "--format",
            "json",
        ])
        .ok();
    let parsed: SearchOutput = serde_json::from_str(&run.stdout).unwrap();
    assert!(!parsed.passages.is_empty());
    assert!(
        parsed
            .passages
            .iter()
            .all(|r| r.approaches.contains(&"bone-directed".to_string()))
    );
}

#[test]
fn unknown_approach_is_a_usage_error_listing_the_known_ones() {
    let run = indexed()
        .mbc(&["search", "pain", "--approach", "chemo"])
        .expect_code(2);
    assert!(
        run.stderr.contains("unknown approach `chemo`") && run.stderr.contains("chemotherapy"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_index_given_with_flag_is_a_usage_error() {
    let run = Workspace::new()
        .mbc(&["search", "pain", "--index", "nowhere"])
        .expect_code(2);
    assert!(
        run.stderr.contains("mbc index --index nowhere"),
        "{}",
        run.stderr
    );
}

#[test]
fn empty_query_is_a_usage_error() {
    let run = indexed().mbc(&["search", "   "]).expect_code(2);
    assert!(run.stderr.contains("query is empty"), "{}", run.stderr);
}

#[test]
fn a_negative_count_is_told_the_range_not_to_pass_it_after_two_dashes() {
    // "--limit -1" got clap's tip "to pass '-1' as a value, use '-- -1'", which would make -1
    // a word to exclude; "--per -2" was "invalid digit found in string".
    let ws = indexed();
    for (args, expected) in [
        (
            &["search", "bone", "--limit", "-1"][..],
            "-1 is not in 1..=10000",
        ),
        (&["approaches", "--per", "-2"], "-2 is not in 1..=100"),
        (
            &["export", "bone", "--limit", "-3"],
            "-3 is not in 1..=100000",
        ),
    ] {
        let run = ws.mbc(args).expect_code(2);
        assert!(
            run.stderr.contains(expected) && !run.stderr.contains("use '--"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn jsonl_is_lines_for_every_command_that_takes_it() {
    // `show` and `stats` printed the indented document, and approach lines had no notice.
    let ws = indexed();
    let id = first_passage_id(&ws, "radiation");
    for args in [
        vec!["show", id.as_str(), "--format", "jsonl"],
        vec!["stats", "--format", "jsonl"],
    ] {
        let run = ws.mbc(&args).ok();
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(lines.len(), 1, "{args:?}: {}", run.stdout);
        let document: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert!(document["notice"].is_string(), "{args:?}");
    }
    let approaches = ws.mbc(&["approaches", "--format", "jsonl"]).ok();
    for line in approaches.stdout.lines() {
        let approach: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(
            approach["id"].is_string()
                && approach["notice"]
                    .as_str()
                    .is_some_and(|n| n.contains("not medical advice")),
            "{line}"
        );
    }
    // A limit says how many of a query's results; with --all it was silently ignored.
    ws.mbc(&["export", "--all", "--limit", "1"]).expect_code(2);
    // An error is a line too (it was the indented document).
    let failed = ws.mbc(&["search", "", "--format", "jsonl"]).expect_code(2);
    let lines: Vec<&str> = failed.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", failed.stderr);
    let error: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(error["error"]["kind"], "usage");
}

#[test]
fn a_bad_flag_is_a_json_error_when_json_was_asked_for() {
    // clap's own errors (a value out of range, an unknown flag or value) were text on stderr
    // whatever --format said, and `export` writes JSON lines whatever it is asked.
    let ws = indexed();
    for args in [
        &["search", "bone", "--format", "json", "--limit", "0"][..],
        &["search", "bone", "--format=json", "--mode", "fancy"],
        &["stats", "--format", "json", "--bogus"],
        &["search", "bone", "--format", "jsonl", "-n", "5"],
        &["export", "--all", "bone"],
        // Checked after parsing; it was text (2026-12-05).
        &[
            "search", "bone", "--format", "json", "--mode", "lexical", "--fusion", "linear",
        ],
        &[
            "eval",
            "--questions",
            "q.toml",
            "--mode",
            "semantic",
            "--fusion",
            "rrf",
            "--format",
            "json",
        ],
    ] {
        let run = ws.mbc(args).expect_code(2);
        let error: serde_json::Value = serde_json::from_str(&run.stderr)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", run.stderr));
        assert!(
            error["error"]["kind"] == "usage" && error["error"]["exit_code"] == 2,
            "{args:?}: {error}"
        );
    }
    // A missing argument is named in the message; it was run into the usage line in `hint`,
    // after a message ending "were not provided:".
    let missing = ws.mbc(&["show", "--format", "json"]).expect_code(2);
    let error: serde_json::Value = serde_json::from_str(&missing.stderr).unwrap();
    assert_eq!(
        error["error"]["message"],
        "the following required arguments were not provided: <PASSAGE_ID>"
    );
    assert!(
        error["error"]["hint"]
            .as_str()
            .is_some_and(|h| h.starts_with("Usage: mbc show")),
        "{error}"
    );
    // Asked for text, or nothing, it is clap's text; help is help.
    let text = ws.mbc(&["search", "bone", "--limit", "0"]).expect_code(2);
    assert!(text.stderr.starts_with("error: "), "{}", text.stderr);
    let help = ws.mbc(&["export", "--help"]).ok();
    assert!(help.stdout.contains("Usage: mbc export"), "{}", help.stdout);
}

#[test]
fn a_fusion_where_nothing_is_fused_is_refused_not_ignored() {
    // `--fusion linear --mode lexical` ran a lexical search, saying nothing.
    let ws = indexed();
    for args in [
        &["search", "bone", "--fusion", "linear", "--mode", "lexical"][..],
        &["search", "bone", "--fusion", "rrf", "--mode", "semantic"],
    ] {
        let run = ws.mbc(args).expect_code(2);
        assert!(
            run.stderr.contains("drop --fusion"),
            "{args:?}: {}",
            run.stderr
        );
    }
    ws.mbc(&["search", "bone", "--fusion", "linear"]).ok();
    // `--exact` searches the words as typed in the lexical half of a hybrid search.
    ws.mbc(&["search", "bone", "--fusion", "linear", "--exact"])
        .ok();
}

#[test]
fn show_gives_the_passage_with_neighbours() {
    let ws = indexed();
    let id = first_passage_id(&ws, "radiation");
    let run = ws.mbc(&["show", &id, "--format", "json"]).ok();
    let shown: ShowOutput = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(shown.passages[0].passage_id, id);
    assert!(
        shown.neighbours.previous.is_some(),
        "the radiation section follows the drugs section"
    );
    let text = ws.mbc(&["show", &id]).ok();
    assert!(
        text.stdout.contains("Fixture source, 2026."),
        "{}",
        text.stdout
    );
    ws.mbc(&["show", "0000000000000000"]).expect_code(2);
    // An id copied in capitals (from a printout, or read out) is the same id.
    let shouted = ws
        .mbc(&["show", &id.to_uppercase(), "--format", "json"])
        .ok();
    let shown: ShowOutput = serde_json::from_str(&shouted.stdout).unwrap();
    assert_eq!(shown.passages[0].passage_id, id);
}

#[test]
fn stats_counts_passages_per_approach() {
    let run = indexed().mbc(&["stats", "--format", "json"]).ok();
    let stats: StatsOutput = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(stats.documents, 2);
    assert!(stats.passages >= 4);
    let bone = stats
        .approaches
        .iter()
        .find(|a| a.id == "bone-directed")
        .unwrap();
    assert!(bone.passages >= 1 && bone.documents == 1);
    assert!(stats.index_bytes > 0);
    let text = indexed().mbc(&["stats"]).ok();
    assert!(text.stdout.contains("passages per approach"));
}

#[test]
fn a_long_section_heading_leaves_room_for_the_texts_title() {
    // With a heading longer than the line, the result showed the section alone.
    let ws = Workspace::new();
    ws.write(
        "corpus/ex.md",
        "+++\ntitle = \"Exercise and bone metastases\"\n+++\n\n## What the physiotherapist checks before a programme of strength training begins, and why it matters\n\nStrength training helps.\n",
    );
    ws.index_corpus();
    let text = ws.mbc(&["search", "strength"]).ok().stdout;
    let heading = text
        .lines()
        .find(|l| l.contains(" 1. "))
        .unwrap_or_default();
    assert!(
        heading.contains("Exercise and bone") && heading.contains("› What the physiotherapist"),
        "{text}"
    );
}

#[test]
fn stats_names_the_texts_with_no_review_date_and_the_files_skipped() {
    // "reviewed: oldest review 2026-11-27" spoke for a corpus in which her2.txt has no review
    // date at all; "skipped: 1 file(s)" did not say which.
    let ws = Workspace::with_fixture_corpus();
    ws.write("corpus/empty.md", "");
    ws.index_corpus();
    let run = ws.mbc(&["stats", "--format", "json"]).ok();
    let stats: StatsOutput = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(stats.unreviewed, ["her2.txt"]);
    let text = ws.mbc(&["stats"]).ok().stdout;
    assert!(
        text.contains("unreviewed: 1 file(s) with no review date: her2.txt")
            && text.contains("skipped:    1 file(s):\n  ")
            && text.contains("empty.md: empty file"),
        "{text}"
    );
}

#[test]
fn approaches_lists_every_approach() {
    let run = indexed()
        .mbc(&["approaches", "--per", "2", "--format", "json"])
        .ok();
    let parsed: ApproachesOutput = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(parsed.approaches.len(), 10);
    let bone = parsed
        .approaches
        .iter()
        .find(|a| a.id == "bone-directed")
        .unwrap();
    assert!(!bone.passages.is_empty() && bone.passages.len() <= 2);
}

#[test]
fn export_all_writes_a_file_atomically() {
    let ws = indexed();
    let export = [
        "export",
        "--all",
        "--format",
        "json",
        "--output",
        "out/passages.json",
    ];
    // The output directory must exist; mbc does not create it.
    assert_eq!(ws.mbc(&export).code, 1);
    std::fs::create_dir_all(ws.path().join("out")).unwrap();
    ws.mbc(&export).ok();
    let exported: ExportOutput = serde_json::from_str(
        &std::fs::read_to_string(ws.path().join("out/passages.json")).unwrap(),
    )
    .unwrap();
    assert!(exported.passages.len() >= 4);
    let leftovers = std::fs::read_dir(ws.path().join("out")).unwrap().count();
    assert_eq!(leftovers, 1, "only the finished file remains");
}

#[test]
fn export_of_a_query_without_query_or_all_is_a_usage_error() {
    indexed().mbc(&["export"]).expect_code(2);
}

#[test]
fn closed_stdout_is_not_an_error() {
    let ws = indexed();
    let mut child = ws
        .command(&["export", "--all", "--format", "jsonl"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn completions_and_the_manual_page_come_from_the_flags() {
    let ws = Workspace::new();
    let bash = ws.mbc(&["completions", "bash"]).ok();
    assert!(bash.stdout.contains("_mbc") && bash.stdout.contains("search"));
    let man = ws.mbc(&["man"]).ok();
    assert!(man.stdout.contains(".TH mbc") && man.stdout.contains("search"));
}

#[test]
fn an_explicit_semantic_mode_is_never_silently_lexical() {
    // The fixture workspace has no model: its index has no passage vectors.
    let ws = indexed();
    for mode in ["hybrid", "semantic"] {
        let run = ws
            .mbc(&["search", "trastuzumab", "--mode", mode])
            .expect_code(2);
        assert!(run.stderr.contains("no passage vectors"), "{}", run.stderr);
    }
    let default = ws.mbc(&["search", "trastuzumab", "--format", "json"]).ok();
    assert_eq!(default.json()["mode"], "lexical");
}

#[test]
fn a_passage_of_one_line_is_cited_by_that_line() {
    // It was cited `notes.md:3-3`, and the page said "lines 3–3".
    let ws = Workspace::new();
    ws.write(
        "corpus/notes.md",
        "# Notes\n\nRadiotherapy to a painful bone often eases the pain within weeks.\n",
    );
    ws.index_corpus();
    let run = ws
        .mbc(&["search", "radiotherapy", "--mode", "lexical"])
        .ok();
    assert!(run.stdout.contains("notes.md:3 "), "{}", run.stdout);
    assert!(!run.stdout.contains("notes.md:3-3"), "{}", run.stdout);
}
