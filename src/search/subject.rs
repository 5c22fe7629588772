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
use crate::analysis::{AnalyzedWord, plain_terms};
use crate::index::Snapshot;

/// Cancers other than breast cancer, as people name them (NCI's A to Z list of cancer types).
/// The organs breast cancer spreads to are left out ("is it bone cancer now" asks about breast
/// cancer in the bones), except the lung cancers named as such.
const OTHER_CANCERS: &[&str] = &[
    "prostate cancer",
    "bowel cancer",
    "colon cancer",
    "colorectal cancer",
    "rectal cancer",
    "ovarian cancer",
    "pancreatic cancer",
    "cervical cancer",
    "womb cancer",
    "uterine cancer",
    "endometrial cancer",
    "bladder cancer",
    "kidney cancer",
    "stomach cancer",
    "oesophageal cancer",
    "esophageal cancer",
    "skin cancer",
    "testicular cancer",
    "thyroid cancer",
    "throat cancer",
    "mouth cancer",
    "head and neck cancer",
    "blood cancer",
    "small cell lung cancer",
    "non small cell lung cancer",
    "melanoma",
    "leukaemia",
    "leukemia",
    "lymphoma",
    "myeloma",
    "mesothelioma",
    "sarcoma",
];

/// Each of [`OTHER_CANCERS`] as the analyzer's terms.
static ANALYZED: LazyLock<Vec<Vec<String>>> =
    LazyLock::new(|| OTHER_CANCERS.iter().map(|c| plain_terms(c)).collect());

/// The names of other cancers in `words` (a clause of `typed`) that no passage names, as typed,
/// longest first where two overlap ("non small cell lung cancer", not "lung cancer").
pub fn unnamed_cancers(
    snapshot: &Snapshot,
    builder: &QueryBuilder,
    typed: &str,
    words: &[AnalyzedWord],
) -> Result<Vec<String>> {
    let mut named = Vec::new();
    let mut start = 0;
    while start < words.len() {
        let Some(len) = longest_cancer_at(words, start) else {
            start += 1;
            continue;
        };
        let span = &words[start..start + len];
        if !named_by_a_passage(snapshot, builder, span)? {
            named.push(typed[span[0].range.start..span[len - 1].range.end].to_string());
        }
        start += len;
    }
    Ok(named)
}

/// How many words the longest cancer name starting at `start` spans.
fn longest_cancer_at(words: &[AnalyzedWord], start: usize) -> Option<usize> {
    ANALYZED
        .iter()
        .filter(|name| {
            words[start..].len() >= name.len()
                && name.iter().zip(&words[start..]).all(|(t, w)| *t == w.term)
        })
        .map(Vec::len)
        .max()
}

/// True when some passage has these words together, in any field.
fn named_by_a_passage(
    snapshot: &Snapshot,
    builder: &QueryBuilder,
    words: &[AnalyzedWord],
) -> Result<bool> {
    let Some(query) = builder.words_anywhere(words, 0) else {
        return Ok(false);
    };
    Ok(snapshot.read(|s| query.count(s))? > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_analyzed_into_words() {
        assert_eq!(ANALYZED.len(), OTHER_CANCERS.len());
        assert!(ANALYZED.iter().all(|terms| !terms.is_empty()));
        assert_eq!(ANALYZED[0], ["prostat", "cancer"]);
    }
}
