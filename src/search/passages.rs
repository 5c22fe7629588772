//! Reading stored passages back: by address, by id with their neighbours, by approach, or all
//! of them for export.

use std::collections::BTreeSet;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Term};

use super::highlight::highlight_ranges;

use crate::index::{Fields, SearchIndex, Snapshot};
use crate::{Error, Result};

pub use crate::index::{StoredPassage, load_passage};

/// Every passage matching an exact-match field value, in document order.
fn passages_where(index: &SearchIndex, term: Term) -> Result<Vec<StoredPassage>> {
    let snapshot = index.snapshot();
    let query = TermQuery::new(term, IndexRecordOption::Basic);
    let count = snapshot.read(|s| s.search(&query, &Count))?;
    if count == 0 {
        return Ok(Vec::new());
    }
    let top = snapshot.read(|s| s.search(&query, &TopDocs::with_limit(count).order_by_score()))?;
    let mut passages = top
        .into_iter()
        .map(|(_, address)| load_passage(&snapshot, index.fields, address))
        .collect::<Result<Vec<_>>>()?;
    passages.sort_by(|a, b| (&a.doc_id, a.ordinal).cmp(&(&b.doc_id, b.ordinal)));
    Ok(passages)
}

/// A passage with the passages before and after it in its document.
#[derive(Debug, Clone)]
pub struct PassageInContext {
    pub passage: StoredPassage,
    pub previous: Option<StoredPassage>,
    pub next: Option<StoredPassage>,
}

/// Finds a passage by id. Ids are lowercase hexadecimal; one copied from a printout or read
/// out over the phone may come in capitals, and is the same id.
pub fn passage_by_id(index: &SearchIndex, passage_id: &str) -> Result<StoredPassage> {
    passages_where(
        index,
        Term::from_field_text(index.fields.passage_id, &passage_id.to_ascii_lowercase()),
    )?
    .into_iter()
    .next()
    .ok_or_else(|| Error::PassageNotFound(passage_id.to_string()))
}

/// Finds a passage by id, with its neighbours.
pub fn passage_in_context(index: &SearchIndex, passage_id: &str) -> Result<PassageInContext> {
    let passage = passage_by_id(index, passage_id)?;
    let siblings = passages_where(
        index,
        Term::from_field_text(index.fields.doc_id, &passage.doc_id),
    )?;
    // Ids are unique in an index built now; an index built before that was checked may hold
    // two documents with one id, and a neighbour comes from the passage's own file.
    let neighbour = |ordinal: Option<u64>| {
        ordinal.and_then(|o| {
            siblings
                .iter()
                .find(|p| p.ordinal == o && p.path == passage.path)
                .cloned()
        })
    };
    Ok(PassageInContext {
        previous: neighbour(passage.ordinal.checked_sub(1)),
        next: neighbour(Some(passage.ordinal + 1)),
        passage,
    })
}

/// Number of passages tagged with an approach.
pub fn count_tagged(index: &SearchIndex, approach_id: &str) -> Result<usize> {
    let term = Term::from_field_text(index.fields.approaches, approach_id);
    let query = TermQuery::new(term, IndexRecordOption::Basic);
    index.snapshot().read(|s| s.search(&query, &Count))
}

/// Distinct documents among the passages tagged with an approach.
pub fn documents_tagged(index: &SearchIndex, approach_id: &str) -> Result<usize> {
    let passages = passages_where(
        index,
        Term::from_field_text(index.fields.approaches, approach_id),
    )?;
    let docs: BTreeSet<&str> = passages.iter().map(|p| p.doc_id.as_str()).collect();
    Ok(docs.len())
}

/// Every passage of the index, in document order, for export.
pub fn all_passages(index: &SearchIndex) -> Result<Vec<StoredPassage>> {
    let snapshot = index.snapshot();
    let addresses = snapshot.read(|s| {
        Ok(s.segment_readers()
            .iter()
            .enumerate()
            .flat_map(|(ord, segment)| {
                segment
                    .doc_ids_alive()
                    .map(move |doc_id| DocAddress::new(ord as u32, doc_id))
            })
            .collect::<Vec<_>>())
    })?;
    let mut passages = addresses
        .into_iter()
        .map(|address| load_passage(&snapshot, index.fields, address))
        .collect::<Result<Vec<_>>>()?;
    passages.sort_by(|a, b| (&a.doc_id, a.ordinal).cmp(&(&b.doc_id, b.ordinal)));
    Ok(passages)
}

/// How an indexed (stemmed) term is written in the corpus, for telling the user: the distinct
/// words whose term it is in the `passages` passages most about it, in the order they appear.
pub fn surface_forms(
    snapshot: &Snapshot,
    fields: Fields,
    term: &str,
    passages: usize,
) -> Result<Vec<String>> {
    let query = TermQuery::new(
        Term::from_field_text(fields.body, term),
        IndexRecordOption::Basic,
    );
    let top =
        snapshot.read(|s| s.search(&query, &TopDocs::with_limit(passages).order_by_score()))?;
    let set: BTreeSet<String> = [term.to_string()].into();
    let mut forms: Vec<String> = Vec::new();
    for (_, address) in top {
        let passage = load_passage(snapshot, fields, address)?;
        for range in highlight_ranges(&passage.text, &set) {
            let form = passage.text[range].to_lowercase();
            if !forms.contains(&form) {
                forms.push(form);
            }
        }
    }
    Ok(forms)
}
