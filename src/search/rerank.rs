//! The best passages for a plan, with the proximity bonus added to the leading candidates only,
//! and their scores weighed by how much of the query each covers (see [`top_passages`]).
//!
//! A proximity clause is a sloppy phrase: it reads the positions of every passage holding both of
//! its words. Scored over the whole index it made searches two to three times slower, yet it can
//! only reorder passages that the word clauses already match. So the word clauses find and rank
//! the candidates, and the bonus is added to the leading [`RERANK_DEPTH`] of them, however many
//! are asked for, before they are cut to size.

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{EnableScoring, Weight};
use tantivy::{DocAddress, DocSet, Score, Searcher, SeekDangerResult, SegmentReader};

use super::plan::{LabeledClause, Plan};
use crate::Result;
use crate::index::Snapshot;

/// Candidates that receive the bonus when fewer are wanted. A bonus is a fraction of a word's
/// score, so a passage it lifts into the top ten is already near it without the bonus. At 100,
/// the bonus cost as much as the search itself; at 50 the top 10 of the 126 people's questions
/// is the same in every mode, and so is every MED figure (benchmark log, stop 30).
const RERANK_DEPTH: usize = 50;

/// Leading candidates, after the bonus, whose scores `top_passages` weighs: those that received
/// the bonus. Weighing 20 instead lowered MED's hybrid nDCG@10 by 0.0002 and lost the answer to
/// "should i have a mastectomy if its spread" from the top three (a test); weighing all 1,000
/// candidates of an evaluation changes no figure.
const WEIGHED: usize = RERANK_DEPTH;

/// The `depth` best passages for `plan`, best first (ties in index order), and how many passages
/// match it in all. The leading [`WEIGHED`] candidates' scores, bonus included, are multiplied
/// by the factors `weigh` gives them (one for each, in order); the rest are multiplied by the
/// least of those factors, so that they stay in their order below the weighed ones, and
/// weighing does not depend on `depth`.
pub fn top_passages(
    snapshot: &Snapshot,
    plan: &Plan,
    depth: usize,
    weigh: impl Fn(&Searcher, &[DocAddress]) -> tantivy::Result<Vec<Score>>,
) -> Result<(Vec<(Score, DocAddress)>, usize)> {
    let candidates = depth.max(RERANK_DEPTH);
    let query = plan.to_query();
    let (mut top, matches) = snapshot.search(
        &*query,
        &(TopDocs::with_limit(candidates).order_by_score(), Count),
    )?;
    // The bonus goes to the leading RERANK_DEPTH whatever the depth: given to all the
    // candidates of a deeper search, it reordered passages past the 30th, and a second page
    // (a search of 20, its last 10) repeated passages of the first and skipped others.
    let bonused = top.len().min(RERANK_DEPTH);
    snapshot
        .with_scoring(|s, scoring| add_bonus(s, scoring, &plan.proximity, &mut top[..bonused]))?;
    top.sort_by(by_score);
    let leading: Vec<DocAddress> = top.iter().take(WEIGHED).map(|&(_, a)| a).collect();
    let factors = snapshot.read(|s| weigh(s, &leading))?;
    weigh_leading(&mut top, &factors);
    top.truncate(depth);
    Ok((top, matches))
}

/// Best first; ties in index order.
fn by_score(a: &(Score, DocAddress), b: &(Score, DocAddress)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1))
}

/// Multiplies the scores of the leading passages of `top` (best first) by `factors`, one each,
/// and the rest by the least of those factors, then orders them again.
fn weigh_leading(top: &mut [(Score, DocAddress)], factors: &[Score]) {
    if factors.iter().all(|&f| f == 1.0) {
        return;
    }
    let (leading, rest) = top.split_at_mut(factors.len().min(top.len()));
    for ((score, _), factor) in leading.iter_mut().zip(factors) {
        *score *= factor;
    }
    let least = factors.iter().copied().fold(1.0, Score::min);
    for (score, _) in rest.iter_mut() {
        *score *= least;
    }
    top.sort_by(by_score);
}

/// Adds each clause's score to the hits it matches.
fn add_bonus(
    searcher: &Searcher,
    scoring: EnableScoring<'_>,
    clauses: &[LabeledClause],
    hits: &mut [(Score, DocAddress)],
) -> tantivy::Result<()> {
    if clauses.is_empty() || hits.is_empty() {
        return Ok(());
    }
    let weights = clauses
        .iter()
        .map(|clause| clause.query.weight(scoring))
        .collect::<tantivy::Result<Vec<_>>>()?;
    // Scorers only move forward: visit each segment's hits in document order.
    hits.sort_by_key(|&(_, address)| address);
    for segment_hits in hits.chunk_by_mut(|a, b| a.1.segment_ord == b.1.segment_ord) {
        let reader = searcher.segment_reader(segment_hits[0].1.segment_ord);
        for weight in &weights {
            add_where_matched(&**weight, reader, segment_hits)?;
        }
    }
    Ok(())
}

/// Adds `weight`'s score to the hits it matches, `hits` being one segment's, in document order.
///
/// Each hit is tested where it is, with tantivy's `seek_danger`. A plain `seek` past a hit that
/// a sloppy phrase does not match goes on to the phrase's next match, reading the positions of
/// passages that are not candidates: that was half of the bonus's cost.
fn add_where_matched(
    weight: &dyn Weight,
    reader: &SegmentReader,
    hits: &mut [(Score, DocAddress)],
) -> tantivy::Result<()> {
    let mut hits = hits.iter_mut();
    let Some(mut hit) = hits.next() else {
        return Ok(());
    };
    let (mut outcome, mut scorer) = weight.scorer_danger(reader, hit.1.doc_id, 1.0)?;
    loop {
        // After a miss, the scorer may only be asked about documents from `first_possible` on.
        let first_possible = match outcome {
            SeekDangerResult::Found => {
                hit.0 += scorer.score();
                hit.1.doc_id + 1
            }
            SeekDangerResult::SeekLowerBound(doc) => doc,
        };
        let Some(next) = hits.by_ref().find(|h| h.1.doc_id >= first_possible) else {
            return Ok(());
        };
        outcome = scorer.seek_danger(next.1.doc_id);
        hit = next;
    }
}

#[cfg(test)]
mod tests {
    use tantivy::query::{PhraseQuery, Query};
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, TantivyDocument, Term};

    use super::*;

    /// A one-segment index of `bodies`, and a sloppy phrase "bone pain" over them.
    fn searcher_and_phrase(bodies: &[&str]) -> (Searcher, PhraseQuery) {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for text in bodies {
            let mut doc = TantivyDocument::default();
            doc.add_text(body, text);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let words = ["bone", "pain"].map(|w| Term::from_field_text(body, w));
        let phrase = PhraseQuery::new_with_offset_and_slop(
            vec![(0, words[0].clone()), (1, words[1].clone())],
            1,
        );
        (index.reader().unwrap().searcher(), phrase)
    }

    #[test]
    fn only_the_leading_candidates_are_weighed_and_the_rest_stay_below_them() {
        // Scores 30, 29, …, 1 for documents 0 to 29; the first 20 are weighed, and the first of
        // them halved.
        let mut top: Vec<(Score, DocAddress)> = (0..30)
            .map(|doc| ((30 - doc) as Score, DocAddress::new(0, doc)))
            .collect();
        let factors: Vec<Score> = (0..20)
            .map(|doc| if doc == 0 { 0.5 } else { 1.0 })
            .collect();
        weigh_leading(&mut top, &factors);
        let order: Vec<u32> = top.iter().map(|(_, a)| a.doc_id).collect();
        // Document 0 (15) falls among the leading ones; the rest, halved as the least-weighed
        // leading one was, keep their order below them.
        let expected: Vec<u32> = (1..15).chain([0]).chain(15..30).collect();
        assert_eq!(order, expected);
        assert_eq!(top[20].0, (30 - 20) as Score / 2.0);
    }

    #[test]
    fn the_bonus_goes_to_every_candidate_the_phrase_matches_and_to_no_other() {
        // The candidates are 0, 1, 2, 3 and 5: 2 comes right after a passage with both words too
        // far apart, 5 after one with only one of them.
        let (searcher, phrase) = searcher_and_phrase(&[
            "bone pain",
            "bone scans show no pain here",
            "bone pain when walking",
            "pain",
            "bone pain at night",
            "bone pain",
            "bone and hip pain",
        ]);
        let weight = phrase
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .unwrap();
        let reader = searcher.segment_reader(0);
        let mut hits: Vec<(Score, DocAddress)> = [0, 1, 2, 3, 5]
            .map(|doc| (0.0, DocAddress::new(0, doc)))
            .to_vec();
        add_where_matched(&*weight, reader, &mut hits).unwrap();
        let bonused: Vec<u32> = hits
            .iter()
            .filter(|h| h.0 > 0.0)
            .map(|h| h.1.doc_id)
            .collect();
        assert_eq!(bonused, [0, 2, 5]);
        let mut scorer = weight.scorer(reader, 1.0).unwrap();
        scorer.seek(5);
        assert_eq!(hits[4].0, scorer.score());
    }
}
