//! The index: its schema, how it is built, and how it is opened for searching. It does not
//! rank (`search`) or print (`output`).

mod build;
mod manifest;
mod schema;
pub mod store;
mod vectors;

use std::path::{Path, PathBuf};

use tantivy::{Index, IndexReader, ReloadPolicy};

pub use build::{
    build, data_dir, fingerprint, BuildEvent, BuildOptions, BuildReport, UpdateCounts,
};
pub use manifest::{FileRecord, FileStamp, Manifest};
pub use schema::Fields;
pub use store::IndexMeta;
pub use vectors::{EmbedOutcome, SEED_FILE};

use crate::analysis;
use crate::embed::{Embedder, VectorSet};

/// Passage vectors inside a generation directory.
pub const VECTORS_FILE: &str = "vectors.bin";
use crate::lexicon::{self, Lexicon};
use crate::taxonomy::{self, ApproachTaxonomy};
use crate::{Error, Result};

/// An opened index generation with everything needed to search it.
pub struct SearchIndex {
    /// The generation directory that was opened.
    pub generation: PathBuf,
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub meta: IndexMeta,
    pub taxonomy: ApproachTaxonomy,
    pub lexicon: Lexicon,
    /// Passage vectors, if the index was built with a model.
    pub vectors: Option<VectorSet>,
    /// The model that embeds queries, attached by the caller when semantic search is wanted.
    pub embedder: Option<Embedder>,
}

impl SearchIndex {
    /// Opens the current generation of `index_dir`.
    pub fn open(index_dir: &Path) -> Result<SearchIndex> {
        // A build may swap generations between reading CURRENT and opening it; the previous
        // generation is kept, so one retry is enough.
        match Self::open_current(index_dir) {
            Err(Error::IndexCorrupt { .. }) => Self::open_current(index_dir),
            other => other,
        }
    }

    fn open_current(index_dir: &Path) -> Result<SearchIndex> {
        if !index_dir.is_dir() {
            return Err(Error::IndexNotFound(index_dir.to_path_buf()));
        }
        let generation = store::current_generation(index_dir)?
            .ok_or_else(|| Error::IndexNotFound(index_dir.to_path_buf()))?;
        let corrupt = |reason: String| store::corrupt(&generation, &reason);
        let meta = store::read_meta(&generation)?;
        if meta.format != store::FORMAT_VERSION {
            return Err(corrupt(format!(
                "built by an mbc with index format {}, this one reads {}",
                meta.format,
                store::FORMAT_VERSION
            )));
        }
        let index = Index::open_in_dir(&generation).map_err(|e| corrupt(e.to_string()))?;
        analysis::register(index.tokenizers());
        let fields = Fields::from_schema(&index.schema())
            .ok_or_else(|| corrupt("the schema is not mbc's".into()))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e: tantivy::TantivyError| corrupt(e.to_string()))?;
        let read_data = |name: &str| {
            let path = generation.join(name);
            std::fs::read_to_string(&path).map_err(|e| corrupt(format!("cannot read {name}: {e}")))
        };
        let taxonomy = ApproachTaxonomy::parse(
            &read_data(taxonomy::FILE_NAME)?,
            &generation.join(taxonomy::FILE_NAME),
        )?;
        let lexicon = Lexicon::parse(
            &read_data(lexicon::FILE_NAME)?,
            &generation.join(lexicon::FILE_NAME),
        )?;
        let vectors =
            VectorSet::read(&generation.join(VECTORS_FILE)).map_err(|e| corrupt(e.to_string()))?;
        Ok(SearchIndex {
            generation,
            index,
            reader,
            fields,
            meta,
            taxonomy,
            lexicon,
            vectors,
            embedder: None,
        })
    }

    /// The embedder and vectors, when both are present and the model is the one that made the
    /// vectors.
    pub fn semantic(&self) -> Option<(&Embedder, &VectorSet)> {
        let embedder = self.embedder.as_ref()?;
        let vectors = self.vectors.as_ref()?;
        (embedder.model_id() == vectors.model_id).then_some((embedder, vectors))
    }

    /// Total bytes of the generation's files.
    pub fn size_on_disk(&self) -> u64 {
        walkdir::WalkDir::new(&self.generation)
            .into_iter()
            .flatten()
            .filter_map(|e| e.metadata().ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum()
    }
}

/// Whether an index directory is usable for a corpus as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freshness {
    Missing,
    /// Built from a corpus that has changed since.
    Stale,
    Fresh,
}

/// Compares the index's recorded corpus fingerprint with the corpus on disk.
pub fn freshness(index_dir: &Path, corpus_path: &Path) -> Result<Freshness> {
    let Some(generation) = store::current_generation(index_dir)? else {
        return Ok(Freshness::Missing);
    };
    let Ok(meta) = store::read_meta(&generation) else {
        return Ok(Freshness::Stale);
    };
    if meta.format != store::FORMAT_VERSION || meta.corpus_fingerprint != fingerprint(corpus_path)?
    {
        return Ok(Freshness::Stale);
    }
    Ok(Freshness::Fresh)
}
