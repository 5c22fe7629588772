//! The generation an update starts from: the current one, when it was built from the same
//! corpus with the same settings and is intact. A build forks it (hard links) and replaces only
//! the passages of changed and removed files.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, Searcher, Term};

use crate::Result;
use crate::embed::VectorSet;
use crate::index::manifest::Changes;
use crate::index::read_only::ReadOnlyDirectory;
use crate::index::schema::Fields;
use crate::index::store::{self, IndexMeta};
use crate::index::{VECTORS_FILE, damage};
use crate::lexicon;
use crate::passage::SplitOptions;
use crate::symptoms;
use crate::taxonomy;

/// mbc's own files in a generation, written afresh by every build.
const OWN_FILES: [&str; 5] = [
    store::META_FILE,
    taxonomy::FILE_NAME,
    lexicon::INDEXED_FILE_NAME,
    symptoms::INDEXED_FILE_NAME,
    VECTORS_FILE,
];

/// The current generation, when a build may start from it.
pub(super) struct Base {
    generation: PathBuf,
    pub meta: IndexMeta,
    index: Index,
    fields: Fields,
    vectors: Option<VectorSet>,
}

impl Base {
    /// The current generation if it was built from this corpus with these settings and is
    /// intact; otherwise `None` (with a note when damage is the reason), and the build starts
    /// from nothing.
    pub fn find(
        index_dir: &Path,
        corpus_path: &Path,
        taxonomy_text: &str,
        split: SplitOptions,
        model_id: Option<&str>,
        notes: &mut Vec<String>,
    ) -> Option<Base> {
        let generation = store::current_generation(index_dir).ok()??;
        let meta = store::read_meta(&generation).ok()?;
        let same_taxonomy = std::fs::read_to_string(generation.join(taxonomy::FILE_NAME))
            .is_ok_and(|text| text == taxonomy_text);
        let same_settings = meta.format == store::FORMAT_VERSION
            && meta.corpus == super::recorded_corpus(corpus_path)
            && meta.split == Some(split)
            && !meta.files.is_empty();
        if !(same_taxonomy && same_settings) {
            return None;
        }
        let vectors = VectorSet::read(&generation.join(VECTORS_FILE)).ok()?;
        // Carried-over passages keep their vectors, so those must be this model's. (A model
        // that cannot be read makes the build lexical only: then there is nothing to keep.)
        if let Some(model_id) = model_id
            && vectors.as_ref().map(|v| v.model_id.as_str()) != Some(model_id)
        {
            return None;
        }
        // Damaged segments would be carried into the new generation: start over instead.
        if let Err(damage) = damage::verify_segments(&generation) {
            notes.push(format!(
                "the previous index is damaged ({damage}); rebuilt it from scratch"
            ));
            return None;
        }
        let index = damage::guard(|| Index::open(ReadOnlyDirectory::open(&generation)?)).ok()?;
        let fields = Fields::from_schema(&index.schema())?;
        Some(Base {
            generation,
            meta,
            index,
            fields,
            vectors,
        })
    }

    /// Fills the build directory with this generation's index and opens it there.
    pub fn fork_into(&self, build: &Path) -> Result<(Index, Fields)> {
        store::link_files(&self.generation, build, &OWN_FILES)?;
        Ok((Index::open_in_dir(build)?, self.fields))
    }

    /// This generation's vectors minus those of the passages of changed and removed files.
    pub fn vectors_without(&self, changes: &Changes) -> Result<Option<VectorSet>> {
        let Some(mut vectors) = self.vectors.clone() else {
            return Ok(None);
        };
        let outdated = self.passage_ids(changes.outdated())?;
        vectors.retain(|id| !outdated.contains(id));
        Ok(Some(vectors))
    }

    /// The documents an update with `changes` carries over as they are, for asking which
    /// document ids they hold.
    pub fn carried_over(&self, changes: &Changes) -> Result<CarriedOver> {
        let outdated = changes
            .outdated()
            .map(|name| Term::from_field_text(self.fields.file, name))
            .collect();
        Ok(CarriedOver {
            searcher: self.index.reader()?.searcher(),
            fields: self.fields,
            outdated,
        })
    }

    /// The ids of the passages that came from the given corpus files.
    fn passage_ids<'a>(&self, files: impl Iterator<Item = &'a str>) -> Result<HashSet<String>> {
        let fields = self.fields;
        let searcher = self.index.reader()?.searcher();
        let mut ids = HashSet::new();
        for name in files {
            let query = TermQuery::new(
                Term::from_field_text(fields.file, name),
                IndexRecordOption::Basic,
            );
            for address in searcher.search(&query, &DocSetCollector)? {
                ids.extend(fields.passage_id_of(&searcher, address)?);
            }
        }
        Ok(ids)
    }
}

/// The documents of the previous generation that an update keeps.
pub struct CarriedOver {
    searcher: Searcher,
    fields: Fields,
    /// The files whose passages the update replaces or removes.
    outdated: Vec<Term>,
}

impl CarriedOver {
    /// The source path of the kept document whose id is `doc_id`, if one is.
    pub fn path_of(&self, doc_id: &str) -> Result<Option<String>> {
        let term =
            |t: Term| Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>;
        let mut clauses = vec![(
            Occur::Must,
            term(Term::from_field_text(self.fields.doc_id, doc_id)),
        )];
        clauses.extend(
            self.outdated
                .iter()
                .map(|t| (Occur::MustNot, term(t.clone()))),
        );
        let query = BooleanQuery::new(clauses);
        let Some((_, address)) = self
            .searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        Ok(self.fields.path_of(&self.searcher, address)?)
    }
}
