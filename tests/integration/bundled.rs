//! The bundled corpus as a person meets it after a clone: the index builds on first use, and
//! brand names, lay words, misspellings and clinical shorthand find the right passages.

use std::collections::BTreeSet;

use crate::schema::{ApproachesOutput, SearchOutput, StatsOutput};

use crate::helper::Workspace;

const FOUNDING: &str = "corpus/000_83023b5a013b7893.txt";

fn bundled() -> Workspace {
    let ws = Workspace::with_bundled_corpus();
    ws.index_corpus();
    ws
}

fn search_json(ws: &Workspace, args: &[&str]) -> SearchOutput {
    let mut all = vec!["search", "--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ws.mbc(&all).ok().stdout).expect("strict search output")
}

fn approaches_json(ws: &Workspace, per: &str) -> ApproachesOutput {
    let run = ws
        .mbc(&["approaches", "--per", per, "--format", "json"])
        .ok();
    serde_json::from_str(&run.stdout).expect("strict approaches output")
}

fn ids(output: &SearchOutput) -> BTreeSet<String> {
    output
        .passages
        .iter()
        .map(|r| r.passage_id.clone())
        .collect()
}

#[test]
fn first_search_after_a_clone_builds_the_index_and_finds_the_founding_her2_section() {
    let ws = Workspace::with_bundled_corpus();
    let run = ws.mbc(&["search", "herceptin"]).ok();
    assert!(run.stderr.contains("building the index"), "{}", run.stderr);
    assert!(
        run.stdout.contains("Herceptin for HER2/neu Metastasis"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!("{FOUNDING}:25-27")),
        "{}",
        run.stdout
    );
    let again = ws.mbc(&["search", "herceptin"]).ok();
    assert!(
        !again.stderr.contains("building"),
        "the second search reuses the index: {}",
        again.stderr
    );
}

#[test]
fn a_changed_corpus_is_reindexed_before_searching() {
    let ws = bundled();
    ws.write(
        "corpus/zz-new.md",
        "+++\ntitle = \"Zebra note\"\n+++\n\nA note about zebrafish models.\n",
    );
    let run = ws.mbc(&["search", "zebrafish"]).ok();
    assert!(
        run.stderr.contains("the corpus has changed"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("zz-new.md"), "{}", run.stdout);
}

#[test]
fn tamoxifen_json_result_has_every_documented_field() {
    let output = search_json(&bundled(), &["tamoxifen"]);
    let first = &output.passages[0];
    assert!(first.text.to_lowercase().contains("tamoxifen"));
    assert!(first.snippet.as_ref().is_some_and(|s| !s.is_empty()) && !first.highlights.is_empty());
    assert!(first.approaches.contains(&"hormonal-therapy".to_string()));
    assert!(first.source.line_start >= 1 && first.source.line_end >= first.source.line_start);
    assert!(
        !first.document.references.is_empty(),
        "Markdown texts name their sources"
    );
}

#[test]
fn brand_and_generic_names_find_the_same_passages() {
    let ws = bundled();
    let brand = ids(&search_json(&ws, &["herceptin", "--limit", "5"]));
    let generic = ids(&search_json(&ws, &["trastuzumab", "--limit", "5"]));
    assert!(
        brand.intersection(&generic).count() >= 3,
        "{brand:?} vs {generic:?}"
    );
}

#[test]
fn a_drug_in_the_news_finds_the_passage_on_it_and_its_class() {
    // Camizestrant was "No passage mentions camizestrant" while regulators were deciding on it.
    let ws = bundled();
    let named = search_json(&ws, &["camizestrant", "--mode", "lexical"]);
    assert!(named.found, "camizestrant: nothing found");
    assert!(
        named.passages[0].text.starts_with("Camizestrant"),
        "{}",
        named.passages[0].section
    );
    let class = search_json(&ws, &["oral serd", "--mode", "lexical", "--limit", "20"]);
    assert!(
        class
            .passages
            .iter()
            .any(|p| p.passage_id == named.passages[0].passage_id),
        "the oral SERDs do not include camizestrant's passage"
    );
}

#[test]
fn lay_words_find_clinical_passages() {
    let ws = bundled();
    let lay = ids(&search_json(
        &ws,
        &["secondary breast cancer", "--limit", "10"],
    ));
    let clinical = ids(&search_json(
        &ws,
        &["metastatic breast cancer", "--limit", "10"],
    ));
    assert!(
        lay.intersection(&clinical).count() >= 3,
        "{lay:?} vs {clinical:?}"
    );
}

#[test]
fn asking_about_a_cure_finds_the_passages_that_say_how_curable_mbc_is() {
    // The texts answer with "treatable but not curable"; "cured" stems to "cure", not "curable".
    let ws = bundled();
    let output = search_json(
        &ws,
        &[
            "can metastatic breast cancer be cured",
            "--mode",
            "lexical",
            "--limit",
            "3",
        ],
    );
    let texts: Vec<&str> = output.passages.iter().map(|r| r.text.as_str()).collect();
    assert!(
        texts.iter().any(|text| text.contains("not curable")),
        "{texts:#?}"
    );
}

#[test]
fn the_founding_articles_own_words_still_find_its_hormonal_section() {
    // The article is dated and counts less than the reviewed texts, but what only it says
    // stays findable.
    let ws = bundled();
    for query in ["tamoflexin", "fluoxymesterone megestrol pre menopausal"] {
        let output = search_json(&ws, &[query]);
        let found = output
            .passages
            .iter()
            .any(|r| r.source.path == FOUNDING && r.section.ends_with("Hormonal Treatments"));
        assert!(
            found,
            "{query} misses the founding article's hormonal section"
        );
    }
}

#[test]
fn misspelled_words_are_corrected_and_reported() {
    let ws = bundled();
    let output = search_json(&ws, &["chemotheraphy", "nausea"]);
    assert!(!output.passages.is_empty());
    let typo = search_json(&ws, &["palbocyclb"]);
    assert_eq!(typo.corrections.len(), 1, "{:?}", typo.corrections);
    assert_eq!(typo.corrections[0].to, "palbociclib");
    let text = ws.mbc(&["search", "palbocyclb"]).ok();
    assert!(
        text.stdout
            .contains("showing results for: palbocyclb → palbociclib"),
        "{}",
        text.stdout
    );
}

#[test]
fn exact_turns_off_expansion_and_correction() {
    let ws = bundled();
    let exact = search_json(&ws, &["palbocyclb", "--exact"]);
    assert!(exact.corrections.is_empty() && exact.expanded.is_empty() && exact.passages.is_empty());
    let herceptin = search_json(&ws, &["herceptin", "--exact"]);
    assert!(herceptin.expanded.is_empty());
    assert!(
        herceptin
            .passages
            .iter()
            .all(|r| r.text.to_lowercase().contains("herceptin")
                || r.section.to_lowercase().contains("herceptin"))
    );
}

#[test]
fn explain_shows_what_each_term_contributed() {
    let ws = bundled();
    let run = ws
        .mbc(&["search", "herceptin", "--explain", "--limit", "3"])
        .ok();
    assert!(run.stdout.contains("also: trastuzumab"), "{}", run.stdout);
    let output = search_json(&ws, &["herceptin", "--explain", "--limit", "3"]);
    let explanation = output.passages[0]
        .explanation
        .as_ref()
        .expect("explanation present");
    let total: f32 = explanation.iter().map(|c| c.score).sum();
    let fused = output.passages[0].scores.as_ref().expect("ranked").fused;
    assert!(
        (total - fused).abs() < 0.01 * fused.max(1.0),
        "{explanation:?}"
    );
}

#[test]
fn the_proximity_bonus_counts_in_the_score_and_its_explanation() {
    let ws = bundled();
    let output = search_json(
        &ws,
        &[
            "hormone therapy side effects",
            "--mode",
            "lexical",
            "--explain",
            "--limit",
            "3",
        ],
    );
    let top = &output.passages[0];
    let explanation = top.explanation.as_ref().expect("explanation present");
    assert!(
        explanation.iter().any(|c| c.clause.starts_with("near: ")),
        "{explanation:?}"
    );
    let total: f32 = explanation.iter().map(|c| c.score).sum();
    let fused = top.scores.as_ref().expect("ranked").fused;
    assert!(
        (total - fused).abs() < 0.01 * fused.max(1.0),
        "{explanation:?}"
    );
}

#[test]
fn a_short_result_list_is_the_head_of_a_long_one() {
    // The proximity bonus is added to the leading candidates only; on this corpus that must
    // not change what a short list shows, nor its scores.
    let ws = bundled();
    let ranked = |query: &str, limit: &str| -> Vec<(String, f32)> {
        search_json(&ws, &[query, "--mode", "lexical", "--limit", limit])
            .passages
            .into_iter()
            .map(|r| (r.passage_id, r.score.expect("ranked")))
            .collect()
    };
    for query in [
        "hormone therapy side effects",
        "clinical trial",
        "radiation therapy for brain metastases",
        "questions to ask my doctor about clinical trials",
        "palliative care at home",
    ] {
        let short = ranked(query, "5");
        let long = ranked(query, "400");
        assert_eq!(short.len(), 5, "{query}");
        assert_eq!(short[..], long[..5], "{query}");
    }
}

#[test]
fn clinical_shorthand_is_searchable() {
    let ws = bundled();
    let cases = [
        ("HER2/neu", "her2"),
        ("CDK4/6", "cdk4/6"),
        ("T-DXd", "t-dxd"),
        ("PD-L1", "pd-l1"),
        ("BRCA1/2", "brca"),
    ];
    for (query, expected) in cases {
        let output = search_json(&ws, &[query, "--limit", "3"]);
        assert!(!output.passages.is_empty(), "no results for {query}");
        assert!(
            output.passages[0].text.to_lowercase().contains(expected),
            "{query}: {}",
            output.passages[0].text
        );
    }
}

#[test]
fn receptor_polarity_is_respected() {
    let ws = bundled();
    let output = search_json(&ws, &["ER-", "--exact", "--limit", "20"]);
    for result in &output.passages {
        let text = result.text.to_lowercase();
        assert!(
            !text.contains("er+") || text.contains("er-"),
            "ER- query matched an ER+-only passage: {text}"
        );
    }
}

#[test]
fn every_approach_has_passages_from_at_least_two_documents() {
    let run = bundled().mbc(&["stats", "--format", "json"]).ok();
    let stats: StatsOutput = serde_json::from_str(&run.stdout).unwrap();
    assert!(stats.documents >= 15);
    for approach in &stats.approaches {
        assert!(
            approach.documents >= 2,
            "{} has passages from {} document(s)",
            approach.id,
            approach.documents
        );
    }
}

#[test]
fn an_approach_is_shown_by_passages_that_explain_it_not_by_urgent_advice() {
    // Chemotherapy's terms include "febrile neutropenia", an urgent symptom: the overview is
    // not a person asking about a fever, and its best passage is not "call straight away".
    let parsed = approaches_json(&bundled(), "3");
    for approach in &parsed.approaches {
        for result in &approach.passages {
            assert!(
                !result.urgent && !result.section.contains("call the team urgently"),
                "{}: {} › {}",
                approach.id,
                result.title,
                result.section
            );
        }
    }
}

#[test]
fn every_approach_has_three_passages_about_it() {
    let parsed = approaches_json(&bundled(), "3");
    for approach in &parsed.approaches {
        assert_eq!(approach.passages.len(), 3, "{}", approach.id);
        for result in &approach.passages {
            assert!(
                result.approaches.contains(&approach.id),
                "{} result not tagged",
                approach.id
            );
        }
    }
}

#[test]
fn a_long_list_highlights_its_leading_passages_as_a_short_list_does() {
    // Short lists highlight from each passage's analyzed terms, long ones from the words that
    // can match (search::hit): both must mark the same words.
    let ws = bundled();
    for query in ["HER2/neu positive tumours", "hormone therapy side effects"] {
        let short = search_json(&ws, &[query, "--mode", "lexical", "--limit", "10"]);
        let long = search_json(&ws, &[query, "--mode", "lexical", "--limit", "200"]);
        assert!(long.passages.len() > 64, "{query}: {}", long.passages.len());
        for (s, l) in short.passages.iter().zip(&long.passages) {
            assert_eq!(s.passage_id, l.passage_id, "{query}");
            assert!(!s.highlights.is_empty(), "{query}: {}", s.passage_id);
            assert_eq!(s.highlights, l.highlights, "{query}: {}", s.passage_id);
        }
    }
}
