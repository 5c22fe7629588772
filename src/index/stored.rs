//! Passages read back from the index's document store, and the cache that keeps them for the
//! searches that follow.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::value::RawValue;
use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument};

use super::{Fields, Snapshot};
use crate::Result;
use crate::analysis::PassageTerms;
use crate::corpus::{Source, Standing, review};

/// A passage as stored in the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPassage {
    pub passage_id: String,
    pub doc_id: String,
    pub title: String,
    pub section: String,
    pub text: String,
    pub approaches: Vec<String>,
    pub path: String,
    pub line_start: u64,
    pub line_end: u64,
    pub ordinal: u64,
    pub sources: Vec<Source>,
    pub last_reviewed: Option<String>,
    pub standing: Standing,
    pub caveats: Vec<String>,
    /// What a query must name for the passage to lead the results (see
    /// [`crate::corpus::DocumentMeta::first_only_when_asked`]).
    pub first_only_when_asked: Vec<String>,
    /// How many of the first places it leaves to other texts when a query does not ask for its
    /// document (see [`crate::corpus::DocumentMeta::keep_out_of_first`]).
    pub keep_out_of_first: u64,
    /// Its terms, analyzed the first time they are asked for (see [`StoredPassage::terms`]).
    pub(crate) analyzed: NotCompared<OnceLock<PassageTerms>>,
    /// Where its document's standing and sources are kept as JSON once rendered (see
    /// [`StoredPassage::document_json`]): a slot shared by the passages of one document that a
    /// [`PassageCache`] keeps, none for a passage read outside a cache.
    pub(crate) document_json: NotCompared<Option<BlockSlot>>,
}

impl StoredPassage {
    /// True when the passage's text was reviewed, but more than a year before `today`
    /// (`YYYY-MM-DD`): it may no longer be current, and every view of it says so.
    pub fn review_overdue(&self, today: &str) -> bool {
        self.standing == Standing::Reviewed
            && self
                .last_reviewed
                .as_deref()
                .is_some_and(|date| review::overdue(date, today))
    }

    /// The terms of the passage's title, section and text. Analyzed once: a passage the
    /// [`PassageCache`] keeps is not analyzed again by the searches that find it.
    pub fn terms(&self) -> &PassageTerms {
        self.analyzed
            .0
            .get_or_init(|| PassageTerms::of(&self.title, &self.section, &self.text))
    }

    /// [`StoredPassage::terms`] if they have been analyzed already.
    pub fn analyzed_terms(&self) -> Option<&PassageTerms> {
        self.analyzed.0.get()
    }

    /// The block of JSON that `render` makes of the passage's document (its standing, caveats
    /// and sources). Every search result carries this block, and it was the larger part of a
    /// server's answer and of the time spent writing it: a passage the [`PassageCache`] keeps
    /// renders it once and gives the same block to every search that finds it, as do the other
    /// passages of its document that the cache keeps. A passage read outside a cache renders
    /// it each time. The one caller is `output::wire`, which alone knows the block's shape.
    pub fn document_json(&self, render: impl FnOnce(&Self) -> Arc<RawValue>) -> Arc<RawValue> {
        match &self.document_json.0 {
            Some(slot) => Arc::clone(slot.get_or_init(|| render(self))),
            None => render(self),
        }
    }
}

/// Where a document's block of JSON is kept once rendered, shared by its passages.
type BlockSlot = Arc<OnceLock<Arc<RawValue>>>;

/// What a passage keeps that is worked out from it the first time it is needed (or shared
/// with its document's other passages): not part of what makes two passages equal.
#[derive(Debug, Clone, Default)]
pub struct NotCompared<T>(T);

impl<T> PartialEq for NotCompared<T> {
    fn eq(&self, _: &NotCompared<T>) -> bool {
        true
    }
}

impl<T> Eq for NotCompared<T> {}

/// Reads a stored passage.
pub fn load_passage(
    snapshot: &Snapshot,
    fields: Fields,
    address: DocAddress,
) -> Result<StoredPassage> {
    let doc: TantivyDocument = snapshot.read(|s| s.doc(address))?;
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let number = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_u64())
            .unwrap_or_default()
    };
    let all = |field| {
        doc.get_all(field)
            .filter_map(|v| v.as_str().map(String::from))
            .collect::<Vec<_>>()
    };
    Ok(StoredPassage {
        passage_id: text(fields.passage_id),
        doc_id: text(fields.doc_id),
        title: text(fields.title_text),
        section: text(fields.section_text),
        text: text(fields.body_text),
        approaches: all(fields.approaches),
        path: text(fields.path),
        line_start: number(fields.line_start),
        line_end: number(fields.line_end),
        ordinal: number(fields.ordinal),
        sources: all(fields.sources)
            .iter()
            .map(|stored| Source::from_stored(stored))
            .collect(),
        last_reviewed: doc
            .get_first(fields.last_reviewed)
            .and_then(|v| v.as_str())
            .map(String::from),
        standing: Standing::from_name(&text(fields.standing)).unwrap_or(Standing::Unreviewed),
        caveats: all(fields.caveats),
        first_only_when_asked: all(fields.first_only_when_asked),
        keep_out_of_first: number(fields.keep_out_of_first),
        analyzed: Default::default(),
        document_json: Default::default(),
    })
}

/// How many passages a [`PassageCache`] keeps before it starts again. A passage with its
/// document's sources and caveats is a few kilobytes, and its analyzed terms (twelve bytes a
/// word of its text, and each distinct term once) about as much again, so this is at most some
/// tens of MB. A document's block as JSON, once shown, is kept once for all its passages.
const CACHED_PASSAGES: usize = 8192;

/// Passages already read from one generation. Reading and decoding a passage from the document
/// store was a quarter of a server's time per search; a generation never changes, so a passage
/// read once can be handed out again. When it is full it empties itself, which is simpler than
/// keeping the most used and costs only reads that would have happened anyway.
#[derive(Default)]
pub struct PassageCache(Mutex<Kept>);

#[derive(Default)]
struct Kept {
    passages: HashMap<DocAddress, Arc<StoredPassage>>,
    /// By document id: the slot of the document block its kept passages share.
    documents: HashMap<String, BlockSlot>,
}

impl PassageCache {
    /// The passage at `address`, read through `snapshot` (of the generation this cache belongs
    /// to) unless it was read before.
    pub fn get(
        &self,
        snapshot: &Snapshot,
        fields: Fields,
        address: DocAddress,
    ) -> Result<Arc<StoredPassage>> {
        if let Some(passage) = self.kept().passages.get(&address) {
            return Ok(Arc::clone(passage));
        }
        let mut passage = load_passage(snapshot, fields, address)?;
        let mut kept = self.kept();
        if kept.passages.len() >= CACHED_PASSAGES {
            kept.passages.clear();
            kept.documents.clear();
        }
        // Within one generation, a document's standing and sources are the same in each of its
        // passages.
        let slot = kept.documents.entry(passage.doc_id.clone()).or_default();
        passage.document_json = NotCompared(Some(Arc::clone(slot)));
        let passage = Arc::new(passage);
        kept.passages.insert(address, Arc::clone(&passage));
        Ok(passage)
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        // A panic while the lock was held cannot leave the map half-changed: use it as it is.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
