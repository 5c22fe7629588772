//! Approach tags mean "about": the tagger against hand labels of the bundled corpus
//! (`tests/fixtures/tagging.toml`), reported as precision and recall, on the part the tagger
//! was tuned on and on the part held out from tuning.

use std::collections::BTreeSet;
use std::path::Path;

use mbc::analysis::{plain_terms, plain_terms_and_openers};
use mbc::corpus;
use mbc::passage::{SplitOptions, split_into_passages};
use mbc::taxonomy::{ApproachTaxonomy, TagInput};

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Labels {
    passage: Vec<Label>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Label {
    file: String,
    section: String,
    starts: String,
    about: Vec<String>,
    #[serde(default)]
    held_out: bool,
}

/// A passage of the bundled corpus with the tags the build gives it.
struct Tagged {
    doc_id: String,
    section: String,
    text: String,
    tags: BTreeSet<String>,
}

fn tagged_corpus() -> Vec<Tagged> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"));
    let (taxonomy, _) = ApproachTaxonomy::load_from_dir(Some(dir)).unwrap();
    let ids_of =
        |terms: &[String]| -> Vec<u32> { terms.iter().map(|t| taxonomy.term_id(t)).collect() };
    let ids = |text: &str| ids_of(&plain_terms(text));
    let (files, _) = corpus::discover(dir).unwrap();
    let mut tagged = Vec::new();
    for file in &files {
        for document in corpus::load_file(file).unwrap().documents {
            for passage in split_into_passages(&document, SplitOptions::default()) {
                let (body, opens) = plain_terms_and_openers(&passage.text);
                let tags = taxonomy.tag(&TagInput {
                    title: &ids(&document.title),
                    heading: &ids(&passage.section()),
                    body: &ids_of(&body),
                    opens: &opens,
                    declared: &document.meta.approaches,
                });
                tagged.push(Tagged {
                    doc_id: document.id.clone(),
                    section: passage.section(),
                    text: passage.text,
                    tags: tags.into_iter().collect(),
                });
            }
        }
    }
    tagged
}

/// Precision and recall over (passage, approach) pairs, for the held-out labels or the rest.
fn score(held_out: bool) -> (f64, f64) {
    let tagged = tagged_corpus();
    let text = std::fs::read_to_string(crate::helper::fixtures().join("tagging.toml")).unwrap();
    let labels: Labels = toml::from_str(&text).unwrap();
    // For whoever tunes the tagger: set this to see where it and the labels disagree (only ever
    // on the tuning part).
    let show_disagreements =
        !held_out && std::env::var_os("MBC_SHOW_TAGGING_DISAGREEMENTS").is_some();
    let (mut right, mut wrong, mut missed) = (0, 0, 0);
    for label in labels.passage.iter().filter(|l| l.held_out == held_out) {
        let matching: Vec<&Tagged> = tagged
            .iter()
            .filter(|p| {
                p.doc_id == label.file
                    && (p.section == label.section
                        || p.section.ends_with(&format!("› {}", label.section)))
                    && p.text.starts_with(&label.starts)
            })
            .collect();
        let [passage] = matching.as_slice() else {
            panic!("{} names {} passages", label.starts, matching.len());
        };
        let about: BTreeSet<String> = label.about.iter().cloned().collect();
        if show_disagreements && passage.tags != about {
            println!(
                "{} › {} › {:?}: tagged {:?}, labelled {:?}",
                label.file, label.section, label.starts, passage.tags, about
            );
        }
        right += passage.tags.intersection(&about).count();
        wrong += passage.tags.difference(&about).count();
        missed += about.difference(&passage.tags).count();
    }
    let precision = right as f64 / (right + wrong).max(1) as f64;
    let recall = right as f64 / (right + missed).max(1) as f64;
    (precision, recall)
}

// The issue asks for 0.90 on both. Against the labels of 2026-12-03 the tagger reaches
// 0.871/0.893 on the 266 passages it was tuned on and 0.754/0.768 on the 195 held out (see the
// README; 0.876/0.863 and 0.752/0.759 before a term that opens a sentence counted as evidence;
// 0.750/0.837 on the first 133 held out, before the passages of texts added later joined them,
// and 0.750/0.810 on 153, before text 26, whose carers' passage on support groups it misses).
// These floors keep it from getting worse; they are the measured figures, rounded down.

#[test]
fn tags_on_the_tuning_labels_keep_their_precision_and_recall() {
    let (precision, recall) = score(false);
    println!("tagging, tuning labels: precision {precision:.3}, recall {recall:.3}");
    assert!(
        precision >= 0.87 && recall >= 0.89,
        "{precision:.3} {recall:.3}"
    );
}

#[test]
fn tags_on_the_held_out_labels_keep_their_precision_and_recall() {
    let (precision, recall) = score(true);
    println!("tagging, held-out labels: precision {precision:.3}, recall {recall:.3}");
    // Recall was 0.802 until text 27's nine passages joined the held-out part (2026-12-02):
    // the tagger gives its passage on why infections matter only `targeted-therapy`, where the
    // three annotators gave `chemotherapy` too. It was 0.796 until text 28's twelve joined it
    // (the same day): the tagger gives none of its five passages on relieving poor sleep
    // `palliative-care`. Text 29's eleven (travel, 2026-12-03) took it to 0.750/0.757: the
    // tagger misses `palliative-care` on lymphoedema and flying, and gives `local-treatment` to
    // the passage on the sun, which names radiotherapy only as what makes skin burn easily.
    // Precision was 0.756 until the 18 passages of texts 31 and 32 (feelings, thoughts of
    // suicide) and text 07's paragraph on low calcium joined it (2026-12-04): the tagger gives
    // `palliative-care` to four passages that describe fear and depression, in a text whose
    // title names them, where the annotators gave none, `hormonal-therapy` to the one on
    // antidepressants with tamoxifen, and misses `palliative-care` on the crisis lines.
    assert!(
        precision >= 0.73 && recall >= 0.76,
        "{precision:.3} {recall:.3}"
    );
}

/// One annotator's labels of a passage (`tests/fixtures/tagging-annotators.json`).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Annotated {
    file: String,
    section: String,
    starts: String,
    first: BTreeSet<String>,
    second: BTreeSet<String>,
    third: BTreeSet<String>,
}

#[test]
fn the_labels_are_what_two_of_the_three_annotators_gave() {
    let fixtures = crate::helper::fixtures();
    let text = std::fs::read_to_string(fixtures.join("tagging.toml")).unwrap();
    let labels: Labels = toml::from_str(&text).unwrap();
    let text = std::fs::read_to_string(fixtures.join("tagging-annotators.json")).unwrap();
    let annotated: Vec<Annotated> = serde_json::from_str(&text).unwrap();
    assert_eq!(labels.passage.len(), annotated.len());
    for (label, annotated) in labels.passage.iter().zip(&annotated) {
        let names =
            |file: &str, section: &str, starts: &str| format!("{file} › {section} › {starts}");
        assert_eq!(
            names(&label.file, &label.section, &label.starts),
            names(&annotated.file, &annotated.section, &annotated.starts)
        );
        let given = [&annotated.first, &annotated.second, &annotated.third];
        let all: BTreeSet<&String> = given.iter().flat_map(|set| set.iter()).collect();
        let majority: BTreeSet<String> = all
            .into_iter()
            .filter(|id| given.iter().filter(|set| set.contains(*id)).count() >= 2)
            .cloned()
            .collect();
        let about: BTreeSet<String> = label.about.iter().cloned().collect();
        assert_eq!(about, majority, "{} › {}", label.file, label.starts);
    }
}
