//! Turning a parsed query into a tantivy query: field weights, compounds, synonym expansions,
//! proximity, phrases, exclusions and the approach filter. Each scoring clause keeps a label so
//! `--explain` can say what it contributed.

use std::collections::BTreeSet;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, PhraseQuery,
    Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use crate::analysis::{AnalyzedWord, WordKind};
use crate::index::Fields;

/// Field weights. The body carries the evidence; a section heading that names the query is a
/// strong hint that the passage is about it; the document title is shared by every passage of a
/// document, so it only nudges.
pub const BODY_WEIGHT: f32 = 1.0;
pub const SECTION_WEIGHT: f32 = 0.8;
pub const TITLE_WEIGHT: f32 = 0.5;
/// Synonyms count less than the words the person typed.
pub const EXPANSION_WEIGHT: f32 = 0.6;
/// Extra credit when consecutive query words appear within a few positions of each other.
pub const PROXIMITY_WEIGHT: f32 = 0.3;
pub const PROXIMITY_SLOP: u32 = 3;

/// A scoring clause and what to call it in explanations.
pub struct LabeledClause {
    pub label: String,
    pub query: Box<dyn Query>,
}

/// Everything that makes up one search.
#[derive(Default)]
pub struct Plan {
    pub scoring: Vec<LabeledClause>,
    /// Proximity bonuses. Each matches only passages that scoring clauses match too, so they
    /// stay out of [`to_query`](Self::to_query) and are added to the leading candidates' scores
    /// (`rerank`).
    pub proximity: Vec<LabeledClause>,
    pub required: Vec<Box<dyn Query>>,
    pub excluded: Vec<Box<dyn Query>>,
    pub filter: Option<Box<dyn Query>>,
    /// Indexed terms to highlight in results.
    pub highlight_terms: BTreeSet<String>,
}

impl Plan {
    /// True when nothing would rank or select passages.
    pub fn is_empty(&self) -> bool {
        self.scoring.is_empty() && self.required.is_empty() && self.filter.is_none()
    }

    /// What restricts the result set regardless of scoring (approach filter, required phrases,
    /// exclusions), as one query; `None` when nothing does.
    pub fn constraints(&self) -> Option<Box<dyn Query>> {
        if self.required.is_empty() && self.excluded.is_empty() && self.filter.is_none() {
            return None;
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(AllQuery))];
        clauses.extend(self.required.iter().map(|q| (Occur::Must, q.box_clone())));
        clauses.extend(self.filter.iter().map(|q| (Occur::Must, q.box_clone())));
        clauses.extend(
            self.excluded
                .iter()
                .map(|q| (Occur::MustNot, q.box_clone())),
        );
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// The tantivy query that finds and ranks passages, without the proximity bonuses.
    pub fn to_query(&self) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !self.scoring.is_empty() {
            // One union of every word's clause in every field, rather than a union per word
            // inside a union: tantivy buffers each union's scores, and the nested unions were
            // a tenth of an `--exact` search. The sum is the same but for the order in which
            // it is added up (at most the last bit of a score).
            let should: Vec<(Occur, Box<dyn Query>)> = self
                .scoring
                .iter()
                .flat_map(|c| union_members(&*c.query))
                .collect();
            // With required phrases or a filter, free words only rank; alone, one must match.
            let occur = if self.required.is_empty() {
                Occur::Must
            } else {
                Occur::Should
            };
            clauses.push((occur, Box::new(BooleanQuery::new(should))));
        }
        clauses.extend(self.required.iter().map(|q| (Occur::Must, q.box_clone())));
        if let Some(filter) = &self.filter {
            clauses.push((Occur::Must, filter.box_clone()));
        }
        if clauses.is_empty() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        clauses.extend(
            self.excluded
                .iter()
                .map(|q| (Occur::MustNot, q.box_clone())),
        );
        Box::new(BooleanQuery::new(clauses))
    }
}

/// What a union can take in place of `query`: the clauses of a boolean query that only has
/// `Should` clauses (and needs no more than one of them), else the query itself.
fn union_members(query: &dyn Query) -> Vec<(Occur, Box<dyn Query>)> {
    match query.downcast_ref::<BooleanQuery>() {
        Some(union)
            if union.get_minimum_number_should_match() <= 1
                && union
                    .clauses()
                    .iter()
                    .all(|(occur, _)| *occur == Occur::Should) =>
        {
            union
                .clauses()
                .iter()
                .map(|(occur, clause)| (*occur, clause.box_clone()))
                .collect()
        }
        _ => vec![(Occur::Should, query.box_clone())],
    }
}

/// Builds queries over the index's text fields.
pub struct QueryBuilder {
    fields: Fields,
}

impl QueryBuilder {
    pub fn new(fields: Fields) -> Self {
        QueryBuilder { fields }
    }

    fn weighted_fields(&self) -> [(Field, f32); 3] {
        [
            (self.fields.body, BODY_WEIGHT),
            (self.fields.section, SECTION_WEIGHT),
            (self.fields.title, TITLE_WEIGHT),
        ]
    }

    /// A sequence of words in any text field, each field weighted: one word is a term (or a
    /// compound), several are a phrase.
    pub fn words_anywhere(&self, words: &[AnalyzedWord], slop: u32) -> Option<Box<dyn Query>> {
        let mut per_field: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, weight) in self.weighted_fields() {
            let query = self.words_in_field(field, words, slop)?;
            per_field.push((Occur::Should, Box::new(BoostQuery::new(query, weight))));
        }
        Some(Box::new(BooleanQuery::new(per_field)))
    }

    /// A sequence of words in a passage's title or section heading (unscored): what a text or
    /// a section is about, rather than what it mentions.
    pub fn words_in_headings(&self, words: &[AnalyzedWord]) -> Option<Box<dyn Query>> {
        let per_field = [self.fields.section, self.fields.title]
            .into_iter()
            .map(|field| Some((Occur::Should, self.words_in_field(field, words, 0)?)))
            .collect::<Option<Vec<_>>>()?;
        Some(Box::new(BooleanQuery::new(per_field)))
    }

    /// Like [`words_anywhere`](Self::words_anywhere) but unscored: for exclusions and filters.
    pub fn words_anywhere_unscored(&self, words: &[AnalyzedWord]) -> Option<Box<dyn Query>> {
        self.words_anywhere(words, 0)
            .map(|q| Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn Query>)
    }

    /// Body-only phrase with slop: the proximity bonus.
    pub fn proximity(&self, words: &[AnalyzedWord]) -> Option<Box<dyn Query>> {
        let terms = phrase_terms(self.fields.body, words);
        (terms.len() >= 2).then(|| {
            let query: Box<dyn Query> =
                Box::new(PhraseQuery::new_with_offset_and_slop(terms, PROXIMITY_SLOP));
            Box::new(BoostQuery::new(query, PROXIMITY_WEIGHT)) as Box<dyn Query>
        })
    }

    /// The passage with id `id`, for leaving it out.
    pub fn passage(&self, id: &str) -> Box<dyn Query> {
        let term = Term::from_field_text(self.fields.passage_id, id);
        Box::new(TermQuery::new(term, IndexRecordOption::Basic))
    }

    /// The passages of the document with id `id`, for leaving them out.
    pub fn document(&self, id: &str) -> Box<dyn Query> {
        let term = Term::from_field_text(self.fields.doc_id, id);
        Box::new(TermQuery::new(term, IndexRecordOption::Basic))
    }

    /// Passages tagged with any of `ids`, contributing nothing to the score.
    pub fn approach_filter(&self, ids: &[String]) -> Option<Box<dyn Query>> {
        if ids.is_empty() {
            return None;
        }
        let clauses = ids
            .iter()
            .map(|id| {
                let term = Term::from_field_text(self.fields.approaches, id);
                (
                    Occur::Should,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
                )
            })
            .collect();
        Some(Box::new(ConstScoreQuery::new(
            Box::new(BooleanQuery::new(clauses)),
            0.0,
        )))
    }

    fn words_in_field(
        &self,
        field: Field,
        words: &[AnalyzedWord],
        slop: u32,
    ) -> Option<Box<dyn Query>> {
        match words {
            [] => None,
            [word] => Some(word_query(field, word)),
            _ => {
                let terms = phrase_terms(field, words);
                match terms.len() {
                    0 => None,
                    1 => Some(term_query(terms[0].1.clone())),
                    _ => Some(Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop))),
                }
            }
        }
    }
}

/// One word in one field. A compound matches as the whole term or as its parts in sequence
/// (so `triple-negative` also finds "triple negative"); whichever scores higher counts.
fn word_query(field: Field, word: &AnalyzedWord) -> Box<dyn Query> {
    let whole = term_query(Term::from_field_text(field, &word.term));
    if word.kind != WordKind::Compound || word.parts.len() < 2 {
        return whole;
    }
    let parts = phrase_terms(field, std::slice::from_ref(word));
    let phrase: Box<dyn Query> = Box::new(PhraseQuery::new_with_offset(parts));
    Box::new(DisjunctionMaxQuery::new(vec![whole, phrase]))
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}

/// The `(offset, term)` sequence a phrase over `words` must match. Compounds contribute their
/// parts (which is how they sit in the positions of the index); signed markers keep the sign.
fn phrase_terms(field: Field, words: &[AnalyzedWord]) -> Vec<(usize, Term)> {
    let first = words.first().map_or(0, |w| w.position);
    let mut terms = Vec::new();
    for word in words {
        if word.kind == WordKind::Compound && !word.parts.is_empty() {
            for (position, part) in &word.parts {
                terms.push((position - first, Term::from_field_text(field, part)));
            }
        } else {
            terms.push((
                word.position - first,
                Term::from_field_text(field, &word.term),
            ));
        }
    }
    terms
}

/// Every indexed term a word stands for: itself and its parts.
pub fn terms_of(words: &[AnalyzedWord]) -> impl Iterator<Item = &str> {
    words.iter().flat_map(|w| {
        std::iter::once(w.term.as_str()).chain(w.parts.iter().map(|(_, p)| p.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, TEXT};

    fn term(text: &str) -> Box<dyn Query> {
        let field = Schema::builder().add_text_field("body", TEXT);
        term_query(Term::from_field_text(field, text))
    }

    fn union(words: &[&str]) -> BooleanQuery {
        BooleanQuery::union(words.iter().map(|w| term(w)).collect())
    }

    #[test]
    fn a_union_joins_the_ranking_union_clause_by_clause_and_anything_else_joins_whole() {
        assert_eq!(union_members(&union(&["bone", "pain", "relief"])).len(), 3);
        let required = BooleanQuery::new(vec![
            (Occur::Must, term("bone")),
            (Occur::Should, term("pain")),
        ]);
        assert_eq!(union_members(&required).len(), 1);
        let two_of_three = BooleanQuery::union_with_minimum_required_clauses(
            vec![term("bone"), term("pain"), term("relief")],
            2,
        );
        assert_eq!(union_members(&two_of_three).len(), 1);
        let boosted = BoostQuery::new(Box::new(union(&["bone", "pain"])), 0.6);
        assert_eq!(union_members(&boosted).len(), 1);
        assert!(
            union_members(&boosted)
                .iter()
                .all(|(o, _)| *o == Occur::Should)
        );
    }
}
