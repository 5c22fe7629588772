//! Whether a query is about a subject the texts do not cover: another cancer.
//!
//! A question about another cancer's treatment shares most of its words with texts about breast
//! cancer ("dads bowel cancer has spread to his liver, what chemo do they normally give"), and
//! its embedding is close to theirs: by its words and by its meaning it looks answered. The
//! name of the cancer is what it is about. So a query that names another cancer which no
//! passage names is about nothing in the corpus. A corpus that does name it ("ovarian cancer"
//! beside breast cancer in the texts on BRCA) is judged as usual.

use std::sync::LazyLock;

use tantivy::query::Query;

use super::plan::QueryBuilder;
use crate::Result;
use crate::analysis::{AnalyzedWord, analyze_words, flat_terms, medical_analyzer, plain_terms};
use crate::index::Snapshot;

/// Cancers other than breast cancer, as people name them (NCI's A to Z list of cancer types),
/// each with its other names. Left out: the organs breast cancer spreads to ("is it bone cancer
/// now" asks about breast cancer in the bones), except the lung cancers named as such; and the
/// places where side effects are felt, whose words come before "cancer" in other senses ("dry
/// skin cancer treatment", "sore mouth", "sore throat", "upset stomach", "weak bladder",
/// "underactive thyroid", "blood cancer markers").
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
/// cause womb cancer"). The texts answer some of these, so such a question is judged as usual.
const LINKS: &[&str] = &[
    "risk",
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

/// The names of other cancers in `words` (a clause of `typed`) that no passage names, as typed,
/// longest first where two overlap ("non small cell lung cancer", not "lung cancer").
pub fn unnamed_cancers(
    snapshot: &Snapshot,
    builder: &QueryBuilder,
    typed: &str,
    words: &[AnalyzedWord],
) -> Result<Vec<String>> {
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
        if !named_by_a_passage(snapshot, builder, name.group)? {
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

/// True when some passage has one of the group's names, its words together, in any field.
fn named_by_a_passage(snapshot: &Snapshot, builder: &QueryBuilder, group: usize) -> Result<bool> {
    let mut analyzer = medical_analyzer();
    for name in OTHER_CANCERS[group] {
        let words = analyze_words(&mut analyzer, name);
        let Some(query) = builder.words_anywhere(&words, 0) else {
            continue;
        };
        if snapshot.read(|s| query.count(s))? > 0 {
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
        assert!(
            longest_cancer_at(&terms, 3).is_none(),
            "lung cancer is where breast cancer spreads"
        );
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
