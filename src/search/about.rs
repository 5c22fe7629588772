//! Whether anything in the corpus is about a query at all, decided once for the whole query
//! rather than by dropping passages from a ranking (which keeps rankings as they are):
//!
//! - **By its words**, a passage is about a query when it covers enough of what the query asks
//!   about: each concept (a word, a phrase, a lexicon term with its synonyms) weighs its inverse
//!   document frequency, so one shared everyday word ("best", "running") is not enough.
//! - **By its meaning**, with the thresholds calibrated for the embedding model
//!   (`embed::calibration`): a similarity at or above `alone` suffices; one at or above `floor`
//!   suffices when the passage also covers some of the query's words ([`COVERAGE_WITH_MEANING`]);
//!   below `floor`, meaning does not count. Meaning alone is trusted only when it is strong:
//!   embeddings of a question about hay-fever tablets and of a passage about anti-sickness
//!   tablets are close although the question is not about anything the corpus covers.
//!
//! Coverage is measured on the leading passages of the mode's own ranking (BM25's in lexical
//! and hybrid mode, the embedding's in semantic mode). When nothing holds, the search says that
//! nothing was found.
//!
//! The same coverage also weighs the leading lexical candidates of a short query
//! ([`coordination`]): that does change the ranking, in favour of the passages that cover more
//! of what was asked.

use std::borrow::Cow;

use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Searcher, Term};

use super::interpret::Concept;
use crate::Result;
use crate::analysis::TermSet;
use crate::embed::calibration::Thresholds;
use crate::index::{Fields, SearchIndex, Snapshot};

/// Share of a query's concept weight a passage must cover to be about it by its words alone.
/// Calibrated on the people's-questions set (`tests/fixtures/questions.toml`, with
/// `scripts/calibrate-about.py`) with MED as a check; see the README's "Nothing found".
pub const COVERAGE_NEEDED: f32 = 0.5;

/// Share of the query's concept weight a passage must cover for a middling similarity (between
/// the model's floor and `alone`) to count.
pub const COVERAGE_WITH_MEANING: f32 = 0.25;

/// Coverage of a whole query (short of 1.0 by rounding at most).
const FULL_COVERAGE: f32 = 0.999;

/// How much a short query's ranking leans on coverage: a leading candidate's lexical score is
/// multiplied by `1 - COORDINATION + COORDINATION * coverage`. BM25 sums its words' scores, so a
/// passage that repeats some of a question's words ("CBD", "oil") can outrank one that has
/// more of what was asked ("does CBD oil kill cancer cells"); weighing by coverage, as "coord"
/// did in Lucene's classic similarity but measured by idf, favours the passage that covers
/// more. Chosen on the people's-questions set as the largest value that keeps MED within 0.005
/// of its nDCG@10 (README, "Ranking"): at 0.5 MED's lexical ranking lost 0.008, on
/// descriptions such as "language development in infancy and pre-school age" whose answers
/// share a few of their words.
pub const COORDINATION: f32 = 0.4;

/// Cosine below which a question's embedding without the words no passage uses is no longer
/// the same question: those words carry its meaning, and meaning alone does not show that
/// anything is about it ("my hamster has stopped eating" without "hamster": 0.65; "my
/// oncologist reckons the scan shows stable disease" without "reckons": 0.97). Chosen on the first two people's-questions sets, in
/// the gap between the unanswerable questions it must leave unanswered (0.86 at most) and the
/// answerable ones that rely on meaning (0.92 at least).
pub const SAME_QUESTION: f32 = 0.89;

/// `text` without the `words` (as typed, any case), for embedding the question without them.
pub fn without_words(text: &str, words: &[&str]) -> String {
    text.split_whitespace()
        .filter(|w| {
            let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
            !words.iter().any(|a| a.eq_ignore_ascii_case(bare))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Leading candidates whose coverage is measured: a passage about the query ranks near the
/// top.
pub const COVERAGE_DEPTH: usize = 10;

/// Concepts up to which a query counts as short: the shares above hold as they are.
const SHORT_QUERY: usize = 8;

/// True for a query of up to [`SHORT_QUERY`] concepts.
pub fn is_short(concepts: usize) -> bool {
    concepts <= SHORT_QUERY
}

/// How much of the coverage shares a query of `concepts` concepts must reach: all of it up to
/// [`SHORT_QUERY`] concepts, then less as the square root of the length. A long description
/// ("the effects of drugs on the bone marrow of man and animals, specifically …") names many
/// things no single passage names together; a passage covering a fifth of 25 concepts is
/// about it as surely as one covering half of four.
pub fn length_scale(concepts: usize) -> f32 {
    (SHORT_QUERY as f32 / concepts.max(SHORT_QUERY) as f32).sqrt()
}

/// The evidence, and the verdict.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Aboutness {
    /// The best coverage among the leading candidates.
    pub coverage: f32,
    /// The concepts of the query the coverage is measured against.
    pub concepts: usize,
    /// The best similarity of any passage (semantic and hybrid modes).
    pub similarity: Option<f32>,
    /// The best coverage among the passages at or above the model's floor near the top of
    /// either ranking: what a middling similarity needs, where those passages were measured (a
    /// short query in semantic and hybrid modes, with a calibrated floor); elsewhere any leading
    /// passage's coverage serves. The people a query names weigh least in it
    /// ([`people_weigh_least`]).
    pub coverage_with_meaning: Option<f32>,
    /// The similarity of the query to itself without the words no passage uses, when that
    /// can decide the verdict: a short query with such words that no passage covers enough
    /// by its words alone (semantic and hybrid modes). Below [`SAME_QUESTION`], meaning does
    /// not count.
    pub without_absent: Option<f32>,
    /// True when some passage is about the query.
    pub found: bool,
}

impl Aboutness {
    /// True when a passage covers enough of the query by its words alone.
    pub fn by_words(&self) -> bool {
        enough_by_words(self.coverage, self.concepts)
    }

    /// True when the words that found the query are incidental: they cover only part of a
    /// question that has a word no passage uses (`has_absent_words`), and no passage is near
    /// it in meaning (below the model's `floor`). "is the stock market going up" shared "stock"
    /// (of compression stockings) and "going up" with a passage on travel, at a similarity of
    /// 0.20. A question covered whole stands on its words, as the model reads some
    /// abbreviations poorly ("tace": 0.21), and so does one whose every word the texts use
    /// ("can she still hear us": 0.25).
    pub fn incidental(&self, floor: Option<f32>, has_absent_words: bool) -> bool {
        has_absent_words
            && self.coverage < FULL_COVERAGE
            && matches!((self.similarity, floor), (Some(s), Some(f)) if s < f)
    }
}

/// The concepts with each one that names a person ([`Concept::person`]: "mum", "husband")
/// weighed as the lightest of the others, for judging a middling similarity. Where the
/// embedding already says a passage is near, a passage answers "what to cook for mum on chemo
/// she has no appetite" without naming mum, the texts being written for patients and the
/// people around them alike; weighed as its own rare word, "mum" was a quarter of that question
/// and nothing was found. Words alone keep every concept's weight: "new mum so tired all the
/// time, baby wont sleep" is about a baby, not about cancer's fatigue, and said to be about it
/// once "mum" weighed little. A question of people alone ("my mum") keeps their weights.
/// Borrowed unchanged when the query names no person, as most do: copying every concept's
/// terms for each search would cost a server's answers for nothing.
pub fn people_weigh_least(concepts: &[Concept]) -> Cow<'_, [Concept]> {
    let lightest = concepts
        .iter()
        .filter(|c| !c.person)
        .map(|c| c.weight)
        .min_by(f32::total_cmp);
    let Some(lightest) = lightest.filter(|_| concepts.iter().any(|c| c.person)) else {
        return Cow::Borrowed(concepts);
    };
    let mut light = concepts.to_vec();
    for concept in light.iter_mut().filter(|c| c.person) {
        concept.weight = concept.weight.min(lightest);
    }
    Cow::Owned(light)
}

/// True when `coverage` of a query of `concepts` concepts is about it by its words alone.
fn enough_by_words(coverage: f32, concepts: usize) -> bool {
    coverage >= COVERAGE_NEEDED * length_scale(concepts)
}

/// Judges whether the corpus has something about the query, from the leading candidates of
/// the mode's ranking (best first), the passages at or above the model's floor (`similar`,
/// `None` where they were not measured) and the best similarity of a passage (`None` in
/// lexical mode); `thresholds` are the model's, `None` when it has none (then any similarity
/// counts).
pub fn judge(
    index: &SearchIndex,
    snapshot: &Snapshot,
    concepts: &[Concept],
    leading: &[DocAddress],
    similar: Option<&[DocAddress]>,
    similarity: Option<f32>,
    thresholds: Option<Thresholds>,
) -> Result<Aboutness> {
    let coverage = best_coverage(index, snapshot, concepts, leading)?;
    let scale = length_scale(concepts.len());
    let by_words = enough_by_words(coverage, concepts.len());
    let light = people_weigh_least(concepts);
    let coverage_with_meaning = match (similarity, thresholds, similar) {
        (Some(_), Some(_), Some(similar)) => Some(best_coverage(index, snapshot, &light, similar)?),
        _ => None,
    };
    let middling_needs = COVERAGE_WITH_MEANING * scale;
    let by_meaning = match (similarity, thresholds) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(s), Some(t)) if s >= t.alone => true,
        (Some(s), Some(t)) if s >= t.floor => {
            // Measured again only where the people's weights changed it.
            let covered = match (coverage_with_meaning, &light) {
                (Some(covered), _) => covered,
                (None, Cow::Owned(light)) => best_coverage(index, snapshot, light, leading)?,
                (None, Cow::Borrowed(_)) => coverage,
            };
            covered >= middling_needs
        }
        (Some(_), Some(_)) => false,
    };
    Ok(Aboutness {
        coverage,
        concepts: concepts.len(),
        similarity,
        coverage_with_meaning,
        without_absent: None,
        found: by_words || by_meaning,
    })
}

/// The factor [`COORDINATION`] multiplies a leading candidate's lexical score by, from which
/// terms its passage `has`. A long query (more than [`SHORT_QUERY`] concepts) is left as BM25
/// ranks it: no passage covers much of a description, and its words' scores already say which
/// covers most.
pub fn coordination(concepts: &[Concept], has: impl Fn(&str) -> bool) -> f32 {
    if !is_short(concepts.len()) {
        return 1.0;
    }
    1.0 - COORDINATION + COORDINATION * coverage_where(concepts, has)
}

/// [`coordination`] of each of `hits`, with the terms of each passage's title, section and text
/// read from the postings of the concepts' terms. Loading and analyzing the passages instead
/// made a one-shot search 1.3 ms slower for 50 of them.
pub fn coordination_of(
    searcher: &Searcher,
    fields: Fields,
    concepts: &[Concept],
    hits: &[DocAddress],
) -> tantivy::Result<Vec<f32>> {
    if concepts.is_empty() || !is_short(concepts.len()) {
        return Ok(vec![1.0; hits.len()]);
    }
    let mut terms: Vec<&str> = concepts
        .iter()
        .flat_map(|c| c.alternatives.iter().flatten())
        .map(String::as_str)
        .collect();
    terms.sort_unstable();
    terms.dedup();
    // `has[hit * terms.len() + term]`: whether the hit's passage has the term.
    let mut has = vec![false; hits.len() * terms.len()];
    let mut order: Vec<usize> = (0..hits.len()).collect();
    order.sort_by_key(|&i| hits[i]);
    for segment in order.chunk_by(|&a, &b| hits[a].segment_ord == hits[b].segment_ord) {
        let reader = searcher.segment_reader(hits[segment[0]].segment_ord);
        for field in [fields.title, fields.section, fields.body] {
            let inverted = reader.inverted_index(field)?;
            for (t, term) in terms.iter().enumerate() {
                let term = Term::from_field_text(field, term);
                let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)?
                else {
                    continue;
                };
                // The hits are in document order, so the postings only move forward.
                for &hit in segment {
                    let doc = hits[hit].doc_id;
                    if postings.doc() < doc {
                        postings.seek(doc);
                    }
                    if postings.doc() == doc {
                        has[hit * terms.len() + t] = true;
                    }
                }
            }
        }
    }
    Ok((0..hits.len())
        .map(|hit| {
            let row = &has[hit * terms.len()..(hit + 1) * terms.len()];
            coordination(concepts, |term| {
                terms.binary_search(&term).is_ok_and(|t| row[t])
            })
        })
        .collect())
}

/// The ids of the first [`COVERAGE_DEPTH`] of `leading` that are about the query by their words
/// alone: in semantic mode they made the verdict, so they stay in the ranking whatever their
/// similarity.
pub fn about_by_words(
    index: &SearchIndex,
    snapshot: &Snapshot,
    concepts: &[Concept],
    leading: &[DocAddress],
) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    for &address in leading.iter().take(COVERAGE_DEPTH) {
        let passage = index.passages.get(snapshot, index.fields, address)?;
        if enough_by_words(coverage(concepts, &passage.terms().all), concepts.len()) {
            ids.push(passage.passage_id.clone());
        }
    }
    Ok(ids)
}

/// The highest coverage among the first [`COVERAGE_DEPTH`] candidates. Reading stops at a
/// passage that covers everything. The passages come from the generation's cache, with their
/// terms analyzed once: analyzing ten passages for every search was a third of a server's
/// time per request.
fn best_coverage(
    index: &SearchIndex,
    snapshot: &Snapshot,
    concepts: &[Concept],
    leading: &[DocAddress],
) -> Result<f32> {
    let mut best: f32 = 0.0;
    for &address in leading.iter().take(COVERAGE_DEPTH) {
        let passage = index.passages.get(snapshot, index.fields, address)?;
        best = best.max(coverage(concepts, &passage.terms().all));
        if best >= 1.0 {
            break;
        }
    }
    Ok(best)
}

/// The share of the concepts' weight that a passage with these terms covers. A query with no
/// concepts (only a phrase filter, say) is covered by any passage that matched it.
pub fn coverage(concepts: &[Concept], terms: &TermSet) -> f32 {
    coverage_where(concepts, |t| terms.contains(t))
}

/// [`coverage`] of a passage that `has` the terms it has.
fn coverage_where(concepts: &[Concept], has: impl Fn(&str) -> bool) -> f32 {
    let total: f32 = concepts.iter().map(|c| c.weight).sum();
    if total <= 0.0 {
        return 1.0;
    }
    let covered: f32 = concepts
        .iter()
        .filter(|c| {
            c.alternatives
                .iter()
                .any(|alternative| alternative.iter().all(|t| has(t)))
        })
        .map(|c| c.weight)
        .sum();
    covered / total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_is_embedded_without_the_words_no_passage_uses() {
        assert_eq!(
            without_words("My Hamster has stopped eating.", &["hamster"]),
            "My has stopped eating."
        );
        assert_eq!(
            without_words("does that mean hes dying", &[]),
            "does that mean hes dying"
        );
    }

    fn concept(terms: &[&[&str]], weight: f32) -> Concept {
        Concept {
            alternatives: terms
                .iter()
                .map(|alt| alt.iter().map(|t| t.to_string()).collect())
                .collect(),
            weight,
            person: false,
        }
    }

    fn terms(list: &[&str]) -> TermSet {
        TermSet::of(list.iter().copied())
    }

    #[test]
    fn the_people_a_query_names_weigh_as_its_lightest_other_concept() {
        let person = |weight| Concept {
            person: true,
            ..concept(&[&["mum"]], weight)
        };
        let weights = |concepts: &[Concept]| -> Vec<f32> {
            people_weigh_least(concepts)
                .iter()
                .map(|c| c.weight)
                .collect()
        };
        let asked = [
            person(3.7),
            concept(&[&["chemo"]], 2.6),
            concept(&[&["cook"]], 4.9),
        ];
        assert_eq!(weights(&asked), [2.6, 2.6, 4.9]);
        // A lighter person keeps its weight, and a query of people alone keeps theirs.
        assert_eq!(
            weights(&[person(1.0), concept(&[&["cook"]], 4.9)]),
            [1.0, 4.9]
        );
        assert_eq!(weights(&[person(3.7)]), [3.7]);
        let nobody = [concept(&[&["cook"]], 4.9)];
        assert!(matches!(people_weigh_least(&nobody), Cow::Borrowed(_)));
    }

    #[test]
    fn coverage_weighs_each_concept_by_how_informative_it_is() {
        let concepts = [
            concept(&[&["best"]], 1.0),
            concept(&[&["run"]], 2.0),
            concept(&[&["shoe"]], 6.0),
            concept(&[&["marathon"]], 6.0),
        ];
        let covered = coverage(&concepts, &terms(&["best", "run", "exercis"]));
        assert!((covered - 0.2).abs() < 1e-6, "{covered}");
    }

    #[test]
    fn a_short_querys_ranking_leans_on_coverage_and_a_long_ones_does_not() {
        let short = [concept(&[&["cbd"]], 3.0), concept(&[&["kill"]], 1.0)];
        let all = terms(&["cbd", "kill"]);
        assert_eq!(coordination(&short, |t| all.contains(t)), 1.0);
        let three_quarters = coordination(&short, |t| t == "cbd");
        assert!((three_quarters - 0.9).abs() < 1e-6, "{three_quarters}");
        assert_eq!(coordination(&short, |_| false), 1.0 - COORDINATION);
        let long: Vec<Concept> = (0..=SHORT_QUERY).map(|_| concept(&[&["x"]], 1.0)).collect();
        assert_eq!(coordination(&long, |_| false), 1.0);
    }

    #[test]
    fn a_synonym_covers_its_concept_and_a_phrase_needs_all_its_terms() {
        let concepts = [
            concept(&[&["herceptin"], &["trastuzumab"]], 3.0),
            concept(&[&["heart", "problem"]], 1.0),
        ];
        assert_eq!(coverage(&concepts, &terms(&["trastuzumab", "heart"])), 0.75);
        assert_eq!(
            coverage(&concepts, &terms(&["trastuzumab", "heart", "problem"])),
            1.0
        );
    }

    #[test]
    fn long_queries_need_a_smaller_share() {
        assert_eq!(length_scale(1), 1.0);
        assert_eq!(length_scale(SHORT_QUERY), 1.0);
        assert_eq!(length_scale(4 * SHORT_QUERY), 0.5);
    }

    #[test]
    fn no_concepts_means_covered() {
        assert_eq!(coverage(&[], &terms(&["x"])), 1.0);
    }
}
