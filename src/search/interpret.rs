//! Interpreting what a person typed: the parsed query's words analyzed, words the index has never
//! seen corrected, lexicon synonyms found, and all of it turned into a [`Plan`] (`plan.rs` says
//! how each part becomes a tantivy query).

use std::collections::BTreeSet;

use tantivy::Term;
use tantivy::collector::TopDocs;
use tantivy::query::{BoostQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::feedback;
use super::highlight::highlight_ranges;
use super::passages::load_passage;
use super::plan::{EXPANSION_WEIGHT, LabeledClause, Plan, QueryBuilder, terms_of};
use super::results::{Correction, ExpandedTerm, SearchRequest};
use super::typo;
use crate::analysis::{AnalyzedWord, analyze_words, medical_analyzer};
use crate::index::{Fields, SearchIndex, Snapshot};
use crate::query::{Clause, parse_user_query};
use crate::{Error, Result};

/// Longest query accepted, in characters; longer text is cut (a pasted page is still searched).
pub const MAX_QUERY_CHARS: usize = 2_000;
/// At most this many free words are scored; the rest of a very long query is ignored.
const MAX_QUERY_WORDS: usize = 64;

/// A query turned into a plan, with what typo correction and the lexicon did to it.
pub struct PlannedQuery {
    pub plan: Plan,
    pub expanded: Vec<ExpandedTerm>,
    pub corrections: Vec<Correction>,
}

/// Plans the search `request` asks for.
pub fn plan_query(
    index: &SearchIndex,
    snapshot: &Snapshot,
    request: &SearchRequest,
) -> Result<PlannedQuery> {
    index.taxonomy.ensure_known(&request.approaches)?;
    let text: String = request.query.chars().take(MAX_QUERY_CHARS).collect();
    if text.trim().is_empty() && request.approaches.is_empty() {
        return Err(Error::Query("the query is empty: give some words to search for, e.g. mbc search \"bone metastases\"".into()));
    }
    let mut analyzer = medical_analyzer();
    let builder = QueryBuilder::new(index.fields);
    let mut plan = Plan {
        filter: builder.approach_filter(&request.approaches),
        ..Plan::default()
    };
    let mut expanded = Vec::new();
    let mut corrections = Vec::new();
    let mut content_words = 0;
    for clause in parse_user_query(&text).clauses {
        match clause {
            Clause::Words(typed) => {
                let mut words = analyze_words(&mut analyzer, &typed);
                words.truncate(MAX_QUERY_WORDS);
                if !request.exact {
                    corrections = correct_typos(index, snapshot, &mut words, &typed)?;
                }
                add_free_words(
                    index,
                    &builder,
                    &mut plan,
                    &words,
                    request.exact,
                    &typed,
                    &mut expanded,
                );
                content_words += words.iter().map(|w| &w.term).collect::<BTreeSet<_>>().len();
            }
            Clause::Phrase(phrase) => {
                let words = analyze_words(&mut analyzer, &phrase);
                if let Some(query) = builder.words_anywhere(&words, 0) {
                    plan.highlight_terms
                        .extend(terms_of(&words).map(String::from));
                    plan.scoring.push(LabeledClause {
                        label: format!("\"{phrase}\""),
                        query: query.box_clone(),
                    });
                    plan.required.push(query);
                }
            }
            Clause::Exclude(excluded) => {
                let words = analyze_words(&mut analyzer, &excluded);
                plan.excluded
                    .extend(builder.words_anywhere_unscored(&words));
            }
        }
    }
    if plan.is_empty() {
        return Err(Error::Query(format!(
            "nothing searchable in \"{}\": it has only very common words or symbols; try the words that matter, e.g. \"hormone therapy side effects\"",
            request.query.trim()
        )));
    }
    if request.feedback {
        feedback::expand(&mut plan, snapshot, index.fields, content_words)?;
    }
    Ok(PlannedQuery {
        plan,
        expanded,
        corrections,
    })
}

/// Free words: each word scored in every field, lexicon expansions at a lower weight, and a
/// proximity bonus for the words together.
fn add_free_words(
    index: &SearchIndex,
    builder: &QueryBuilder,
    plan: &mut Plan,
    words: &[AnalyzedWord],
    exact: bool,
    text: &str,
    expanded: &mut Vec<ExpandedTerm>,
) {
    for word in words {
        if let Some(query) = builder.words_anywhere(std::slice::from_ref(word), 0) {
            plan.scoring.push(LabeledClause {
                label: word.term.clone(),
                query,
            });
        }
    }
    plan.highlight_terms
        .extend(terms_of(words).map(String::from));
    for pair in words.windows(2) {
        if let Some(query) = builder.proximity(pair) {
            plan.proximity.push(LabeledClause {
                label: format!("near: {} {}", pair[0].term, pair[1].term),
                query,
            });
        }
    }
    if exact {
        return;
    }
    for found in index.lexicon.matches(words) {
        let matched = &words[found.start..found.start + found.len];
        let from = text
            .get(matched[0].range.start..matched[matched.len() - 1].range.end)
            .unwrap_or_default()
            .to_string();
        for expansion in found.expansions {
            let Some(query) = builder.words_anywhere(&expansion.words, 0) else {
                continue;
            };
            let boosted: Box<dyn Query> = Box::new(BoostQuery::new(query, EXPANSION_WEIGHT));
            plan.scoring.push(LabeledClause {
                label: format!("also: {}", expansion.text),
                query: boosted,
            });
            plan.highlight_terms
                .extend(terms_of(&expansion.words).map(String::from));
            expanded.push(ExpandedTerm {
                term: expansion.text,
                kind: expansion.kind,
                from: from.clone(),
            });
        }
    }
}

/// Replaces words that appear nowhere in the index (and not in the lexicon) by their closest
/// indexed neighbour.
fn correct_typos(
    index: &SearchIndex,
    snapshot: &Snapshot,
    words: &mut [AnalyzedWord],
    text: &str,
) -> Result<Vec<Correction>> {
    let fields = [index.fields.body, index.fields.section, index.fields.title];
    let mut corrections = Vec::new();
    for word in words.iter_mut() {
        let original = text
            .get(word.range.clone())
            .unwrap_or(&word.term)
            .to_string();
        let seen = snapshot.read(|s| Ok(typo::doc_freq(s, &fields, &word.term)))? > 0;
        if seen || index.lexicon.contains(&original) {
            continue;
        }
        let closest =
            snapshot.read(|s| Ok(typo::closest_term(s, index.fields.body, &word.term)))?;
        if let Some(better) = closest {
            let shown =
                surface_form(snapshot, index.fields, &better)?.unwrap_or_else(|| better.clone());
            corrections.push(Correction {
                from: original,
                to: shown,
            });
            word.term = better;
        }
    }
    Ok(corrections)
}

/// How an indexed (stemmed) term is written in the corpus, for telling the user.
fn surface_form(snapshot: &Snapshot, fields: Fields, term: &str) -> Result<Option<String>> {
    let query = TermQuery::new(
        Term::from_field_text(fields.body, term),
        IndexRecordOption::Basic,
    );
    let top = snapshot.read(|s| s.search(&query, &TopDocs::with_limit(1).order_by_score()))?;
    let Some(&(_, address)) = top.first() else {
        return Ok(None);
    };
    let passage = load_passage(snapshot, fields, address)?;
    let set: BTreeSet<String> = [term.to_string()].into();
    let range = highlight_ranges(&passage.text, &set).into_iter().next();
    Ok(range.map(|range| passage.text[range].to_lowercase()))
}
