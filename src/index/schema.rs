//! The index schema. Field names live here and only here: everything else goes through
//! [`Fields`].

use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::{DocAddress, Searcher, TantivyDocument};

use crate::analysis::TERM_SEQUENCE;

/// Handles of every field of the index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Stable passage id (hash of document, section and text); exact-match.
    pub passage_id: Field,
    /// Document id: path inside the corpus, or the JSONL `_id`; exact-match.
    pub doc_id: Field,
    /// Corpus file the passage came from (relative path), for replacing a file's passages.
    pub file: Field,
    /// The searchable text fields. They are indexed from term sequences the build analyzed
    /// itself ([`crate::analysis::encode_terms`]), so the text people read is stored beside them
    /// in `*_text`.
    pub title: Field,
    /// Heading path joined with " › ".
    pub section: Field,
    pub body: Field,
    pub title_text: Field,
    pub section_text: Field,
    pub body_text: Field,
    /// Approach ids the passage is tagged with; exact-match, multi-valued.
    pub approaches: Field,
    /// Source path as the user can open it.
    pub path: Field,
    pub line_start: Field,
    pub line_end: Field,
    /// Position of the passage within its document.
    pub ordinal: Field,
    /// Where the document's facts come from (multi-valued, stored only): each a
    /// [`crate::corpus::Source`] as JSON.
    pub sources: Field,
    pub last_reviewed: Field,
    /// The document's [`crate::corpus::Standing`] by name: reviewed, dated or unreviewed.
    pub standing: Field,
    /// What is known to be wrong or out of date in the document (multi-valued, stored only).
    pub caveats: Field,
    /// What a query must name for the passage to lead the results (multi-valued, stored only):
    /// its document's `first_only_when_asked`, as written.
    pub first_only_when_asked: Field,
    /// How many of the first places its passages leave to others when a query does not ask
    /// for its document (stored only): the document's `keep_out_of_first`.
    pub keep_out_of_first: Field,
}

impl Fields {
    /// The analyzed text fields a query searches: a word is in the index when one of them has it.
    pub fn searched(&self) -> [Field; 3] {
        [self.body, self.section, self.title]
    }

    /// Builds the schema and the handles into it.
    pub fn build_schema() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let analyzed = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TERM_SEQUENCE)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let stored = TextOptions::default().set_stored();
        let fields = Fields {
            passage_id: builder.add_text_field("passage_id", STRING | STORED),
            doc_id: builder.add_text_field("doc_id", STRING | STORED),
            file: builder.add_text_field("file", STRING),
            title: builder.add_text_field("title", analyzed.clone()),
            section: builder.add_text_field("section", analyzed.clone()),
            body: builder.add_text_field("body", analyzed),
            title_text: builder.add_text_field("title_text", stored.clone()),
            section_text: builder.add_text_field("section_text", stored.clone()),
            body_text: builder.add_text_field("body_text", stored.clone()),
            approaches: builder.add_text_field("approaches", STRING | STORED),
            path: builder.add_text_field("path", stored.clone()),
            line_start: builder.add_u64_field("line_start", STORED),
            line_end: builder.add_u64_field("line_end", STORED),
            ordinal: builder.add_u64_field("ordinal", STORED | FAST),
            sources: builder.add_text_field("sources", stored.clone()),
            last_reviewed: builder.add_text_field("last_reviewed", stored.clone()),
            standing: builder.add_text_field("standing", STRING | STORED),
            caveats: builder.add_text_field("caveats", stored.clone()),
            first_only_when_asked: builder.add_text_field("first_only_when_asked", stored),
            keep_out_of_first: builder.add_u64_field("keep_out_of_first", STORED),
        };
        (builder.build(), fields)
    }

    /// The stored passage id of a document (`None` if it has none).
    pub fn passage_id_of(
        &self,
        searcher: &Searcher,
        address: DocAddress,
    ) -> tantivy::Result<Option<String>> {
        stored_text(searcher, address, self.passage_id)
    }

    /// The stored document id of a passage (`None` if it has none).
    pub fn doc_id_of(
        &self,
        searcher: &Searcher,
        address: DocAddress,
    ) -> tantivy::Result<Option<String>> {
        stored_text(searcher, address, self.doc_id)
    }

    /// The stored source path of a passage, as the user can open it (`None` if it has none).
    pub fn path_of(
        &self,
        searcher: &Searcher,
        address: DocAddress,
    ) -> tantivy::Result<Option<String>> {
        stored_text(searcher, address, self.path)
    }

    /// Looks the handles up in an opened index's schema; `None` if the index was built with a
    /// different schema (an older `mbc`, or not an `mbc` index at all).
    pub fn from_schema(schema: &Schema) -> Option<Fields> {
        let field = |name: &str| schema.get_field(name).ok();
        Some(Fields {
            passage_id: field("passage_id")?,
            doc_id: field("doc_id")?,
            file: field("file")?,
            title: field("title")?,
            section: field("section")?,
            body: field("body")?,
            title_text: field("title_text")?,
            section_text: field("section_text")?,
            body_text: field("body_text")?,
            approaches: field("approaches")?,
            path: field("path")?,
            line_start: field("line_start")?,
            line_end: field("line_end")?,
            ordinal: field("ordinal")?,
            sources: field("sources")?,
            last_reviewed: field("last_reviewed")?,
            standing: field("standing")?,
            caveats: field("caveats")?,
            first_only_when_asked: field("first_only_when_asked")?,
            keep_out_of_first: field("keep_out_of_first")?,
        })
    }
}

fn stored_text(
    searcher: &Searcher,
    address: DocAddress,
    field: Field,
) -> tantivy::Result<Option<String>> {
    let doc: TantivyDocument = searcher.doc(address)?;
    Ok(doc
        .get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string))
}
