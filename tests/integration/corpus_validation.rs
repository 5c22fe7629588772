//! The bundled corpus is complete and consistent: front matter, approach ids, and a synonym
//! group for every drug it names.

use std::path::Path;

use mbc::corpus::{self, FileKind};
use mbc::lexicon::Lexicon;
use mbc::taxonomy::ApproachTaxonomy;

fn corpus_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"))
}

fn markdown_documents() -> Vec<corpus::Document> {
    let (files, skipped) = corpus::discover(corpus_dir()).unwrap();
    assert!(skipped.is_empty(), "{skipped:?}");
    files
        .iter()
        .filter(|f| f.kind == FileKind::Markdown)
        .flat_map(|f| {
            corpus::load_file(f)
                .unwrap_or_else(|e| panic!("{e}"))
                .documents
        })
        .collect()
}

#[test]
fn every_text_has_complete_front_matter() {
    let documents = markdown_documents();
    assert!(
        (14..=20).contains(&documents.len()),
        "{} texts",
        documents.len()
    );
    for doc in &documents {
        let meta = &doc.meta;
        let name = doc.path.display();
        assert!(
            meta.summary.as_deref().is_some_and(|s| !s.is_empty()),
            "{name}: summary"
        );
        assert!(meta.sources.len() >= 2, "{name}: sources");
        assert!(
            meta.sources
                .iter()
                .all(|s| s.chars().any(|c| c.is_ascii_digit())),
            "{name}: every source names a year"
        );
        assert!(!meta.audience.is_empty(), "{name}: audience");
        assert!(meta.last_reviewed.is_some(), "{name}: last_reviewed");
        assert!(!meta.approaches.is_empty(), "{name}: approaches");
    }
}

#[test]
fn every_text_is_of_a_readable_length() {
    for doc in markdown_documents() {
        let words: usize = doc
            .blocks
            .iter()
            .map(|b| b.text.split_whitespace().count())
            .sum();
        assert!(
            (600..=1_600).contains(&words),
            "{}: {words} words",
            doc.path.display()
        );
    }
}

#[test]
fn every_approach_a_text_declares_exists() {
    let (taxonomy, _) = ApproachTaxonomy::load_from_dir(Some(corpus_dir())).unwrap();
    for doc in markdown_documents() {
        taxonomy
            .ensure_known(&doc.meta.approaches)
            .unwrap_or_else(|e| panic!("{}: {e}", doc.path.display()));
    }
}

#[test]
fn texts_give_no_doses() {
    let dose = regex_free_dose_pattern();
    for doc in markdown_documents() {
        for block in &doc.blocks {
            let lower = block.text.to_lowercase();
            assert!(
                !dose.iter().any(|unit| lower.contains(unit)),
                "{}:{} mentions a dose: {}",
                doc.path.display(),
                block.line_start,
                block.text
            );
        }
    }
}

/// Units that only appear when a text states a dose.
fn regex_free_dose_pattern() -> Vec<&'static str> {
    vec![
        " mg ",
        " mg/",
        "mg/m2",
        " mcg",
        " µg",
        " ml/kg",
        " units/kg",
        "mg per",
        " mg,",
        " mg.",
    ]
}

/// Suffixes of generic drug names (monoclonal antibodies, kinase inhibitors, and the classes the
/// corpus discusses).
const DRUG_SUFFIXES: &[&str] = &[
    "mab", "tinib", "anib", "lisib", "ciclib", "sertib", "parib", "tecan", "platin", "rubicin",
    "taxel", "trozole", "strant", "mestane", "xifen", "mifene", "relin", "dronate", "dronic",
    "citabine", "relbine", "limus", "estrant", "amide", "setron",
];

#[test]
fn every_drug_named_in_the_corpus_has_a_synonym_group() {
    let (lexicon, _) = Lexicon::load_from_dir(Some(corpus_dir())).unwrap();
    // Words of multi-word names ("sacituzumab govitecan") count through their group.
    let known: std::collections::BTreeSet<&str> = lexicon
        .groups()
        .iter()
        .flat_map(|g| g.terms.iter())
        .flat_map(|t| t.split([' ', '-']))
        .collect();
    let mut missing = std::collections::BTreeSet::new();
    for doc in markdown_documents() {
        for block in &doc.blocks {
            for word in block.text.split(|c: char| !c.is_alphanumeric()) {
                let word = word.to_lowercase();
                if word.len() > 6
                    && DRUG_SUFFIXES.iter().any(|s| word.ends_with(s))
                    && !lexicon.contains(&word)
                    && !known.contains(word.as_str())
                {
                    missing.insert(word);
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "drug names without a lexicon group: {missing:?}"
    );
}

#[test]
fn the_required_brand_names_map_to_their_generics() {
    let (lexicon, _) = Lexicon::load_from_dir(Some(corpus_dir())).unwrap();
    let pairs = [
        ("herceptin", "trastuzumab"),
        ("nolvadex", "tamoxifen"),
        ("femara", "letrozole"),
        ("arimidex", "anastrozole"),
        ("aromasin", "exemestane"),
        ("faslodex", "fulvestrant"),
        ("xeloda", "capecitabine"),
        ("ibrance", "palbociclib"),
        ("kisqali", "ribociclib"),
        ("verzenio", "abemaciclib"),
        ("enhertu", "trastuzumab deruxtecan"),
        ("kadcyla", "trastuzumab emtansine"),
        ("perjeta", "pertuzumab"),
        ("tukysa", "tucatinib"),
        ("trodelvy", "sacituzumab govitecan"),
        ("keytruda", "pembrolizumab"),
        ("lynparza", "olaparib"),
        ("talzenna", "talazoparib"),
        ("xgeva", "denosumab"),
        ("prolia", "denosumab"),
        ("zometa", "zoledronic acid"),
        ("halaven", "eribulin"),
        ("navelbine", "vinorelbine"),
        ("taxol", "paclitaxel"),
        ("taxotere", "docetaxel"),
        ("abraxane", "nab-paclitaxel"),
    ];
    let mut analyzer = mbc::analysis::medical_analyzer();
    for (brand, generic) in pairs {
        let words = mbc::analysis::analyze_words(&mut analyzer, brand);
        let expanded: Vec<String> = lexicon
            .matches(&words)
            .into_iter()
            .flat_map(|m| m.expansions)
            .map(|e| e.text)
            .collect();
        assert!(
            expanded.iter().any(|e| e == generic),
            "{brand} does not expand to {generic}: {expanded:?}"
        );
    }
}
