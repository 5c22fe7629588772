//! Whether a query is about a subject the texts do not cover: another cancer.
//!
//! A question about another cancer's treatment shares most of its words with texts about breast
//! cancer ("dads bowel cancer has spread to his liver, what chemo do they normally give"), and
//! its embedding is close to theirs: by its words and by its meaning it looks answered. The
//! name of the cancer is what it is about. So a query that names another cancer the corpus
//! does not cover is about nothing in it. A cancer a title or a heading names, or that several
//! passages name, is covered, and the query is judged as usual; one or two passages that name
//! it in passing ("raises the risk of breast and ovarian cancer") do not make a question about
//! its treatment answered.

use std::sync::LazyLock;

use tantivy::query::Query;

use super::plan::QueryBuilder;
use crate::Result;
use crate::analysis::{AnalyzedWord, analyze_words, flat_terms, medical_analyzer, plain_terms};
use crate::index::Snapshot;

/// Cancers other than breast cancer, as people name them (NCI's A to Z list of cancer types),
/// each with its other names. Left out: the organs breast cancer spreads to ("is it bone cancer
/// now" asks about breast cancer in the bones), except lung cancer, whose name a question about
/// breast cancer in the lungs rarely uses without a [`LINKS`] word ("breast", "turned into");
/// and the places where side effects are felt, whose words come before "cancer" in other
/// senses ("dry skin cancer treatment", "sore mouth", "sore throat", "upset stomach", "weak
/// bladder", "underactive thyroid", "blood cancer markers").
const OTHER_CANCERS: &[&[&str]] = &[
    &["prostate cancer"],
    &[
        "bowel cancer",
        "colon cancer",
        "colorectal cancer",
        "rectal cancer",
    ],
    &["ovarian cancer"],
    &["pancreatic cancer"],
    &["cervical cancer"],
    &["womb cancer", "uterine cancer", "endometrial cancer"],
    &["kidney cancer"],
    &["oesophageal cancer", "esophageal cancer"],
    &["testicular cancer"],
    &["head and neck cancer"],
    &["lung cancer"],
    &["small cell lung cancer"],
    &["non small cell lung cancer"],
    &["melanoma"],
    &["leukaemia", "leukemia"],
    &["lymphoma"],
    &["myeloma"],
    &["mesothelioma"],
    &["sarcoma"],
];

/// Words that ask what links another cancer to breast cancer or its treatment: a risk, a cause,
/// an inherited gene ("my dad had prostate cancer, should i get brca testing", "does tamoxifen
/// cause womb cancer"), breast cancer itself, or whether breast cancer that has spread has
/// become another cancer ("has it turned into lung cancer"). The texts answer some of these, so
/// such a question is judged as usual.
const LINKS: &[&str] = &[
    "breast",
    // "Secondary lung cancer" is cancer that has spread to the lungs (Macmillan's usage, and
    // the UK's "secondary breast cancer"): a new user's search for it was nothing found.
    "secondary",
    "secondaries",
    "become",
    "becomes",
    "turned",
    "risk",
    "chance",
    "chances",
    "raise",
    "raises",
    "increase",
    "increases",
    "cause",
    "causes",
    "caused",
    "brca",
    "brca1",
    "brca2",
    "palb2",
    "gene",
    "genes",
    "genetic",
    "inherited",
    "hereditary",
];

/// Cancers of [`OTHER_CANCERS`] that cancer treatment can cause: named beside a medicine
/// ("leukaemia from olaparib"), such a cancer is a risk of the medicine asked about, which the
/// texts answer. Other cancers beside a medicine ask about its use in them ("non-small-cell lung
/// cancer, how often is keytruda given").
const TREATMENT_RISKS: &[&str] = &["leukaemia"];

/// A clause of a query, as [`unnamed_cancers`] reads it.
#[derive(Clone, Copy)]
pub struct ClauseWords<'a> {
    pub typed: &'a str,
    pub words: &'a [AnalyzedWord],
    /// True when the clause names a medicine (a brand group of the lexicon).
    pub names_a_medicine: bool,
}

/// One name of [`OTHER_CANCERS`] as the analyzer's terms, with its group.
struct Name {
    terms: Vec<String>,
    group: usize,
}

static NAMES: LazyLock<Vec<Name>> = LazyLock::new(|| {
    OTHER_CANCERS
        .iter()
        .enumerate()
        .flat_map(|(group, names)| {
            names.iter().map(move |name| Name {
                terms: plain_terms(name),
                group,
            })
        })
        .collect()
});

/// [`LINKS`] as the analyzer's terms.
static LINK_TERMS: LazyLock<Vec<String>> =
    LazyLock::new(|| LINKS.iter().flat_map(|w| plain_terms(w)).collect());

/// Passages that must name another cancer, when no title or heading does, for the corpus to
/// cover it.
const PASSAGES_COVERING: usize = 3;

/// The names of other cancers in `words` (a clause of `typed`) the corpus does not cover, as typed,
/// longest first where two overlap ("non small cell lung cancer", not "lung cancer").
pub fn unnamed_cancers(
    snapshot: &Snapshot,
    builder: &QueryBuilder,
    clause: &ClauseWords,
) -> Result<Vec<String>> {
    let ClauseWords {
        typed,
        words,
        names_a_medicine,
    } = *clause;
    let terms = flat_terms(words);
    if terms.iter().any(|(t, _)| LINK_TERMS.iter().any(|l| l == t)) {
        return Ok(Vec::new());
    }
    let mut named = Vec::new();
    let mut start = 0;
    while start < terms.len() {
        let Some(name) = longest_cancer_at(&terms, start) else {
            start += 1;
            continue;
        };
        let len = name.terms.len();
        let span = &words[terms[start].1..=terms[start + len - 1].1];
        let a_risk = names_a_medicine
            && OTHER_CANCERS[name.group]
                .iter()
                .any(|n| TREATMENT_RISKS.contains(n));
        if !a_risk && !covered(snapshot, builder, name.group)? {
            let (first, last) = (&span[0], &span[span.len() - 1]);
            named.push(typed[first.range.start..last.range.end].to_string());
        }
        start += len;
    }
    Ok(named)
}

/// The longest cancer name starting at `start`.
fn longest_cancer_at(terms: &[(&str, usize)], start: usize) -> Option<&'static Name> {
    NAMES
        .iter()
        .filter(|name| {
            terms[start..].len() >= name.terms.len()
                && name
                    .terms
                    .iter()
                    .zip(&terms[start..])
                    .all(|(t, (term, _))| t == term)
        })
        .max_by_key(|name| name.terms.len())
}

/// True when the corpus covers a cancer of [`OTHER_CANCERS`]: a title or a section heading
/// names it, or [`PASSAGES_COVERING`] passages do (one of the group's names, its words
/// together).
fn covered(snapshot: &Snapshot, builder: &QueryBuilder, group: usize) -> Result<bool> {
    let mut analyzer = medical_analyzer();
    let mut passages = 0;
    for name in OTHER_CANCERS[group] {
        let words = analyze_words(&mut analyzer, name);
        let (Some(anywhere), Some(headings)) = (
            builder.words_anywhere(&words, 0),
            builder.words_in_headings(&words),
        ) else {
            continue;
        };
        let (named, headed) = snapshot.read(|s| Ok((anywhere.count(s)?, headings.count(s)?)))?;
        passages += named;
        if headed > 0 || passages >= PASSAGES_COVERING {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_found_across_a_compounds_parts() {
        let words = analyze_words(&mut medical_analyzer(), "non-small-cell lung cancer");
        let terms = flat_terms(&words);
        let flat: Vec<&str> = terms.iter().map(|(t, _)| *t).collect();
        assert_eq!(flat, ["non", "small", "cell", "lung", "cancer"]);
        assert_eq!(longest_cancer_at(&terms, 0).map(|n| n.terms.len()), Some(5));
        assert_eq!(longest_cancer_at(&terms, 3).map(|n| n.terms.len()), Some(2));
    }

    #[test]
    fn every_name_is_analyzed_into_words() {
        let names: usize = OTHER_CANCERS.iter().map(|g| g.len()).sum();
        assert_eq!(NAMES.len(), names);
        assert!(NAMES.iter().all(|name| !name.terms.is_empty()));
        assert_eq!(NAMES[0].terms, ["prostat", "cancer"]);
        assert!(
            LINK_TERMS.contains(&"caus".to_string()),
            "{:?}",
            *LINK_TERMS
        );
    }
}
