//! Pseudo-relevance feedback (RM3): for descriptive queries, the words that dominate the first
//! few results are added to the query with small weights. Verbose questions ("the crossing of
//! fatty acids through the placental barrier") name a topic in their own words; the passages
//! that answer them share vocabulary the question lacks.
//!
//! Constants are the published RM3 defaults (Lavrenko & Croft's relevance model as configured in
//! Anserini: 10 feedback documents, 10 terms, original query weight 0.5), chosen on principle,
//! not tuned on a test collection.

use std::collections::HashMap;

use tantivy::Term;
use tantivy::query::{BoostQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::plan::{LabeledClause, Plan};
use super::rerank::top_passages;
use crate::Result;
use crate::analysis::{WordKind, analyze_words, medical_analyzer};
use crate::index::{SearchIndex, Snapshot};

/// Feedback applies to queries with at least this many distinct content words; shorter queries
/// are usually precise names ("herceptin") that feedback would only dilute.
pub const MIN_QUERY_WORDS: usize = 4;
const FEEDBACK_PASSAGES: usize = 10;
const FEEDBACK_TERMS: usize = 10;
const ORIGINAL_WEIGHT: f32 = 0.5;

/// Adds RM3 expansion terms to the plan's scoring clauses, re-weighting the original ones.
pub fn expand(
    plan: &mut Plan,
    index: &SearchIndex,
    snapshot: &Snapshot,
    query_words: usize,
) -> Result<()> {
    if query_words < MIN_QUERY_WORDS || plan.scoring.is_empty() {
        return Ok(());
    }
    let (top, _) = top_passages(snapshot, plan, FEEDBACK_PASSAGES, |_, hits| {
        Ok(vec![1.0; hits.len()])
    })?;
    let total: f32 = top.iter().map(|(score, _)| score).sum();
    if top.is_empty() || total <= 0.0 {
        return Ok(());
    }
    let mut analyzer = medical_analyzer();
    let mut relevance: HashMap<String, f32> = HashMap::new();
    for (score, address) in &top {
        // Through the cache: the passages that feedback reads are the ones the search is about
        // to show, and reading each from the store again was a tenth of a default search.
        let passage = index.passages.get(snapshot, index.fields, *address)?;
        let terms: Vec<String> = analyze_words(&mut analyzer, &passage.text)
            .into_iter()
            .filter(|w| {
                w.kind == WordKind::Simple
                    && w.term.chars().count() > 2
                    && !w.term.chars().all(|c| c.is_ascii_digit())
            })
            .map(|w| w.term)
            .collect();
        let length = terms.len().max(1) as f32;
        for term in terms {
            *relevance.entry(term).or_default() += (score / total) / length;
        }
    }
    let mut ranked: Vec<(String, f32)> = relevance.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(FEEDBACK_TERMS);
    let mass: f32 = ranked.iter().map(|(_, w)| w).sum();
    // The original clauses share ORIGINAL_WEIGHT as a whole, like RM3's interpolation with
    // the query model (each query word weighted 1/n).
    let original = ORIGINAL_WEIGHT / query_words as f32;
    for clause in plan.scoring.iter_mut().chain(&mut plan.proximity) {
        clause.query = Box::new(BoostQuery::new(clause.query.box_clone(), original));
    }
    for (term, weight) in ranked {
        let query: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(index.fields.body, &term),
            IndexRecordOption::WithFreqs,
        ));
        let boost = (1.0 - ORIGINAL_WEIGHT) * weight / mass;
        plan.scoring.push(LabeledClause {
            label: format!("feedback: {term}"),
            query: Box::new(BoostQuery::new(query, boost)),
        });
    }
    Ok(())
}
