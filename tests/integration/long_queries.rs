//! Long and pasted queries, and `search --like`: a word a query repeats weighs more, a pasted
//! paragraph is read as words (its quotes and dashes are not syntax, its rare words are not
//! "corrected"), and passages like a file, standard input or a passage can be found, without
//! the text's own passages.

use crate::helper::{Run, Workspace};
use crate::schema::SearchOutput;

const BONES: &str = "+++\ntitle = \"Bone-modifying drugs\"\nsources = [\"Fixture source, 2026.\"]\n+++\n\n## Zoledronic acid and denosumab\n\nZoledronic acid and denosumab strengthen bone weakened by metastases. Both can rarely harm the jaw bone, so a dental check comes first.\n\n## Calcium and vitamin D\n\nCalcium and vitamin D supplements are often taken alongside denosumab to keep blood calcium steady.\n";
const BONE_PAIN: &str = "+++\ntitle = \"Bone pain\"\nsources = [\"Fixture source, 2026.\"]\n+++\n\n## Easing bone pain\n\nBone pain from metastases can be eased with radiotherapy, painkillers, and bone-strengthening drugs such as denosumab or zoledronic acid.\n";
const LIVER: &str = "+++\ntitle = \"Liver metastases\"\nsources = [\"Fixture source, 2026.\"]\n+++\n\n## Signs in the liver\n\nJaundice, a yellowing of the skin and eyes, and itching can be signs that the liver is affected. Blood tests of liver function show how well it works.\n";

/// Three tiny documents, for what the words of a query do.
fn workspace() -> Workspace {
    let ws = Workspace::new();
    ws.write("corpus/bones.md", BONES);
    ws.write("corpus/bone-pain.md", BONE_PAIN);
    ws.write("corpus/liver.md", LIVER);
    ws.index_corpus();
    ws
}

/// The bundled corpus (lexical: the workspace has no model), for what a text is about: a
/// paragraph shares its everyday words only with a corpus that has them.
fn bundled() -> Workspace {
    let ws = Workspace::with_bundled_corpus();
    ws.index_corpus();
    ws
}

fn json(run: Run) -> SearchOutput {
    let run = run.ok();
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{}", run.stdout))
}

fn search(ws: &Workspace, args: &[&str]) -> SearchOutput {
    let mut all = vec!["search", "--format", "json"];
    all.extend(args);
    json(ws.mbc(&all))
}

fn docs(output: &SearchOutput) -> Vec<&str> {
    output.passages.iter().map(|p| p.doc_id.as_str()).collect()
}

/// A paragraph of 60 words as a worried relative might paste it: a quoted remark no passage
/// has, a dash-joined aside, and a rare word misspelt.
const PASTED: &str = "My mother finished her treatment last spring and the doctor said \"the scans looked a little unusual\" at her appointment. Since then she has noticed a yellowing of her eyes -jaundice, the nurse called it- and some itching in the evenings. We would like to understand what the liver blood tests mean and whether the itchyness is part of it.";

#[test]
fn a_word_the_query_repeats_weighs_more() {
    // "dental" and "function" are each in one passage (neither is in the lexicon): whichever
    // the query repeats decides which comes first.
    let ws = workspace();
    let liver = search(&ws, &["dental", "function", "function", "function"]);
    assert_eq!(docs(&liver)[0], "liver.md", "{:?}", docs(&liver));
    let bones = search(&ws, &["dental", "dental", "dental", "function"]);
    assert_eq!(docs(&bones)[0], "bones.md", "{:?}", docs(&bones));
}

#[test]
fn a_pasted_paragraph_is_read_as_words() {
    let ws = bundled();
    assert!(PASTED.split_whitespace().count() > 40);
    let output = search(&ws, &[PASTED]);
    // The quoted remark is not a phrase every passage must contain, and "-jaundice" does not
    // exclude the passages about jaundice.
    assert!(output.found, "{output:?}");
    assert!(
        docs(&output)[..3].contains(&"10-liver-and-lung-metastases.md"),
        "{:?}",
        docs(&output)
    );
    // A word a pasted text has and no passage uses is reported, never replaced.
    assert!(output.corrections.is_empty(), "{:?}", output.corrections);
    assert!(
        output.absent.iter().any(|a| a.word == "itchyness"),
        "{:?}",
        output.absent
    );
}

/// A nurse's note of 53 words, eight of them names of people and places that no passage has.
const NOTE: &str = "Dear Dr Okonkwo, thank you for seeing Mrs Featherstonehaugh from Llanfairfechan, who has breast cancer that has spread to her bones. She starts zoledronic acid next month and asks whether she needs a dental check first, because she has heard that the drug can damage the jaw. Kind regards, Nurse Abernethy-Quinlan, Ysbyty Gwynedd.";

#[test]
fn names_in_a_pasted_text_do_not_hide_what_it_is_about() {
    let ws = bundled();
    assert!(NOTE.split_whitespace().count() > 40);
    let output = search(&ws, &[NOTE]);
    assert!(output.found, "{:?}", output.evidence);
    assert!(
        docs(&output)[..3].contains(&"07-bone-metastases.md"),
        "{:?}",
        docs(&output)
    );
    assert!(
        output.absent.iter().any(|a| a.word == "Featherstonehaugh"),
        "{:?}",
        output.absent
    );
}

#[test]
fn a_short_query_keeps_its_syntax_and_its_corrections() {
    let ws = workspace();
    let excluded = search(&ws, &["bone", "-denosumab"]);
    assert!(
        !docs(&excluded).contains(&"bone-pain.md"),
        "{:?}",
        docs(&excluded)
    );
    let corrected = search(&ws, &["zoledronik"]);
    assert_eq!(corrected.corrections.len(), 1, "{corrected:?}");
}

#[test]
fn a_query_longer_than_a_search_takes_says_only_its_start_was_searched() {
    // A 13,891-character query was cut to 10,000 characters without a word.
    let ws = workspace();
    assert!(!search(&ws, &[PASTED]).query_cut);
    let pasted_many_times = format!("{PASTED} ").repeat(40);
    assert!(pasted_many_times.chars().count() > 10_000);
    assert!(search(&ws, &[&pasted_many_times]).query_cut);
    let text = ws.mbc(&["search", &pasted_many_times]).ok().stdout;
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("only its first 10000 characters (or 512 words) were searched"),
        "{text}"
    );
    let lines = ws
        .mbc(&["search", &pasted_many_times, "--format", "jsonl"])
        .ok();
    assert!(
        lines.stderr.contains("only its first 10000 characters"),
        "{}",
        lines.stderr
    );
}

#[test]
fn a_query_is_cut_at_the_end_of_a_word() {
    // The 10,000th character fell inside "chemotherapy", and "chemothera" was searched.
    let ws = workspace();
    let query = format!("{}chemotherapy", "tiredness ".repeat(999));
    let output = search(&ws, &[&query]);
    assert!(output.query_cut);
    assert!(
        output.searched.trim_end().ends_with("tiredness"),
        "{:?}",
        &output.searched[output.searched.len() - 30..]
    );
}

#[test]
fn a_query_of_more_words_than_are_searched_shows_only_those_as_searched() {
    // Past 512 words only the first 512 are searched, and `searched` (what the model is given
    // too) was the whole text, beside `query_cut: true`.
    let ws = workspace();
    let query = format!("{}chemotherapy", "tiredness ".repeat(600));
    let output = search(&ws, &[&query]);
    assert!(output.query_cut);
    assert_eq!(
        output.searched.split_whitespace().count(),
        512,
        "{}",
        output.searched.len()
    );
    assert!(!output.searched.contains("chemotherapy"));
}

#[test]
fn a_long_query_is_quoted_back_shortened() {
    let ws = bundled();
    let unrelated = "the carburettor of a vintage motorcycle needs its float bowl cleaned, its jets blown through and its needle valve checked before the engine will idle evenly; ".repeat(3);
    let run = ws.mbc(&["search", &unrelated]).ok();
    assert!(
        run.stdout
            .contains("Nothing in the corpus is about \"the carburettor"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("…\"."), "{}", run.stdout);
    assert!(!run.stdout.contains("idle evenly"), "{}", run.stdout);
}

#[test]
fn like_a_file_finds_other_documents_like_it() {
    let ws = bundled();
    let own = "07-bone-metastases.md";
    let output = search(&ws, &["--like", &format!("corpus/{own}")]);
    assert!(output.found && !output.passages.is_empty(), "{output:?}");
    assert!(!docs(&output).contains(&own), "{:?}", docs(&output));
    let letter = ws.write(
        "letter.txt",
        "The oncologist suggested denosumab injections to strengthen her bones, which have metastases, and a dental check before starting.",
    );
    let output = search(&ws, &["--like", letter.to_str().unwrap()]);
    assert_eq!(docs(&output)[0], own, "{:?}", docs(&output));
}

#[test]
fn like_standard_input() {
    let ws = bundled();
    let run = ws.mbc_with_input(
        &["search", "--like", "-", "--format", "json"],
        "yellow eyes and itching; what do liver tests show?",
    );
    let output = json(run);
    assert!(
        docs(&output)[..3].contains(&"10-liver-and-lung-metastases.md"),
        "{:?}",
        docs(&output)
    );
}

#[test]
fn like_a_passage_leaves_that_passage_out() {
    let ws = bundled();
    let first = search(&ws, &["calcium", "vitamin"]);
    let id = first.passages[0].passage_id.clone();
    let like = search(&ws, &["--like", &id]);
    assert!(like.found && !like.passages.is_empty(), "{like:?}");
    assert!(
        like.passages.iter().all(|p| p.passage_id != id),
        "{:?}",
        like.passages
    );
}

#[test]
fn like_explains_what_it_cannot_read() {
    let ws = workspace();
    let missing = ws.mbc(&["search", "--like", "no-such-file"]).expect_code(2);
    assert!(
        missing.stderr.contains("no such file"),
        "{}",
        missing.stderr
    );
    ws.write("binary.txt", b"line one\nline two\n\xff\xfe\n");
    let binary = ws.mbc(&["search", "--like", "binary.txt"]).expect_code(2);
    assert!(binary.stderr.contains("binary.txt:3"), "{}", binary.stderr);
    let both = ws.mbc(&["search", "bone", "--like", "corpus/bones.md"]);
    assert_eq!(both.code, 2, "{}", both.stderr);
}
