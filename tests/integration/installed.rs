//! An installed `mbc` needs no files beside it: outside a checkout it writes the bundled corpus
//! into the data directory, indexes it there, and searches with the model built into it (the
//! same model as `models/all-MiniLM-L6-v2`, so the corpus's vector seed applies). A directory
//! with a `corpus/` of its own is used as it always was.

use crate::helper::Workspace;

#[test]
fn an_installed_mbc_works_from_any_directory_with_its_model() {
    let ws = Workspace::new();
    let run = ws
        .mbc_with_builtin_model(&["search", "herceptin", "--format", "json"])
        .ok();
    let json = run.json();
    assert_eq!(json["mode"], "hybrid", "{}", run.stderr);
    assert!(!json["passages"].as_array().unwrap().is_empty());
    // The vector seed applies to the built-in model: nothing was embedded.
    assert!(
        run.stderr.contains(" 0 passage(s) embedded"),
        "{}",
        run.stderr
    );
    let home = ws.data_home().join("mbc");
    assert!(home.join("corpus/07-bone-metastases.md").is_file());
    assert!(home.join("index/CURRENT").is_file());
    assert!(
        !ws.path().join("index").exists(),
        "nothing is written into the working directory"
    );

    let again = ws.mbc_with_builtin_model(&["search", "bone pain"]).ok();
    assert!(!again.stderr.contains("building"), "{}", again.stderr);
}

#[test]
fn a_directory_with_its_own_corpus_keeps_corpus_and_index_there() {
    let ws = Workspace::with_fixture_corpus();
    ws.mbc(&["search", "zoledronic"]).ok();
    assert!(ws.index().join("CURRENT").is_file());
    assert!(!ws.data_home().exists());
}

#[test]
fn an_index_without_its_corpus_is_searched_as_it_is_not_rebuilt_from_the_bundled_corpus() {
    let ws = Workspace::with_fixture_corpus();
    ws.mbc(&["index"]).ok();
    std::fs::rename(ws.path().join("corpus"), ws.path().join("elsewhere")).unwrap();

    let run = ws.mbc(&["search", "zoledronic", "--format", "json"]).ok();
    assert!(!run.stderr.contains("building"), "{}", run.stderr);
    let json = run.json();
    let path = json["passages"][0]["source"]["path"].as_str().unwrap();
    assert!(path.starts_with("corpus/"), "the fixture's passage: {path}");
    assert!(!ws.data_home().exists(), "the bundled corpus is not used");
}
