//! The bundled corpus is complete and consistent: front matter, approach ids, and a synonym
//! group for every drug it names.

use std::collections::BTreeSet;
use std::path::Path;

use mbc::corpus::{self, FileKind, Source, Standing, check_url};
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
        (20..=40).contains(&documents.len()),
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
        assert!(!meta.audience.is_empty(), "{name}: audience");
        assert!(meta.last_reviewed.is_some(), "{name}: last_reviewed");
        assert!(!meta.approaches.is_empty(), "{name}: approaches");
        assert_eq!(meta.standing(), Standing::Reviewed, "{name}");
    }
}

#[test]
fn every_source_is_a_reference_people_can_open() {
    for doc in markdown_documents() {
        for source in &doc.meta.sources {
            let name = doc.path.display();
            let Source::Reference(reference) = source else {
                panic!("{name}: a plain citation, not a reference with a URL: {source:?}");
            };
            assert!(
                (1990..=2026).contains(&reference.year),
                "{name}: year {}",
                reference.year
            );
            assert!(
                !reference.organization.trim().is_empty() && !reference.title.trim().is_empty(),
                "{name}: {reference:?}"
            );
            if let Err(problem) = check_url(&reference.url) {
                panic!("{name}: {} {problem}", reference.url);
            }
            assert!(reference.url.starts_with("https://") || reference.url.starts_with("http://"));
        }
    }
}

#[test]
fn the_founding_article_is_described_as_dated_with_its_known_errors() {
    let article = corpus_dir().join("000_83023b5a013b7893.txt");
    let file = corpus::CorpusFile {
        path: article,
        relative: "000_83023b5a013b7893.txt".into(),
        kind: FileKind::PlainText,
    };
    let document = corpus::load_file(&file).unwrap().documents.remove(0);
    assert_eq!(document.meta.standing(), Standing::Dated);
    let caveats = document.meta.caveats.join(" ").to_lowercase();
    for known in ["tamoflexin", "fluoxymesterone", "premenopausal"] {
        assert!(caveats.contains(known), "a caveat names {known}: {caveats}");
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

/// The words of the texts that look like drug names (by the suffixes above), lower case.
fn drug_words() -> BTreeSet<String> {
    markdown_documents()
        .iter()
        .flat_map(|doc| &doc.blocks)
        .flat_map(|block| block.text.split(|c: char| !c.is_alphanumeric()))
        .map(str::to_lowercase)
        .filter(|word| word.len() > 6 && DRUG_SUFFIXES.iter().any(|s| word.ends_with(s)))
        .collect()
}

#[test]
fn every_drug_named_in_the_corpus_has_a_synonym_group() {
    let (lexicon, _) = Lexicon::load_from_dir(Some(corpus_dir())).unwrap();
    // Words of multi-word names ("sacituzumab govitecan") count through their group.
    let known: BTreeSet<&str> = lexicon
        .groups()
        .iter()
        .flat_map(|g| g.terms.iter())
        .flat_map(|t| t.split([' ', '-']))
        .collect();
    let missing: BTreeSet<String> = drug_words()
        .into_iter()
        .filter(|word| !lexicon.contains(word) && !known.contains(word.as_str()))
        .collect();
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
            .matches(brand, &words)
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

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Drugs {
    drug: Vec<Drug>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Drug {
    generic: String,
    brands: Vec<String>,
    class: String,
    approach: String,
}

fn drugs() -> Vec<Drug> {
    let text = std::fs::read_to_string(corpus_dir().join("drugs.toml")).unwrap();
    toml::from_str::<Drugs>(&text).unwrap().drug
}

/// The lexicon group a term belongs to (its `terms`, compared without case).
fn group_of<'a>(lexicon: &'a Lexicon, term: &str) -> Option<&'a mbc::lexicon::SynonymGroup> {
    let term = term.to_lowercase();
    lexicon
        .groups()
        .iter()
        .find(|g| g.terms.iter().any(|t| t.to_lowercase() == term))
}

#[test]
fn the_drug_list_the_lexicon_and_the_taxonomy_agree() {
    let (lexicon, _) = Lexicon::load_from_dir(Some(corpus_dir())).unwrap();
    let (taxonomy, _) = ApproachTaxonomy::load_from_dir(Some(corpus_dir())).unwrap();
    for drug in drugs() {
        assert!(!drug.class.is_empty(), "{drug:?}");
        let group = group_of(&lexicon, &drug.generic)
            .unwrap_or_else(|| panic!("{}: no lexicon group", drug.generic));
        if !drug.brands.is_empty() {
            assert_eq!(
                group.terms[0].to_lowercase(),
                drug.generic.to_lowercase(),
                "{}: the generic name leads its group",
                drug.generic
            );
        }
        let approach = taxonomy
            .get(&drug.approach)
            .unwrap_or_else(|| panic!("{}: unknown approach {}", drug.generic, drug.approach));
        let approach_terms: Vec<String> = approach.terms.iter().map(|t| t.to_lowercase()).collect();
        for name in std::iter::once(&drug.generic).chain(&drug.brands) {
            let in_group = group.terms.iter().any(|t| t.eq_ignore_ascii_case(name));
            assert!(in_group, "{name}: in the lexicon group of {}", drug.generic);
            assert!(
                approach_terms.contains(&name.to_lowercase()),
                "{name}: a term of approach {}",
                drug.approach
            );
        }
    }
}

#[test]
fn every_drug_the_texts_name_is_in_the_drug_list() {
    let listed: BTreeSet<String> = drugs()
        .iter()
        .flat_map(|d| std::iter::once(&d.generic).chain(&d.brands))
        .flat_map(|name| {
            name.split([' ', '-'])
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
        })
        .collect();
    let missing: BTreeSet<String> = drug_words()
        .into_iter()
        .filter(|word| !listed.contains(word))
        .collect();
    assert!(
        missing.is_empty(),
        "drugs named in texts but not in drugs.toml: {missing:?}"
    );
}
