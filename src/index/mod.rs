//! The index: its schema, how it is built, and how it is opened for searching. It does not
//! rank (`search`) or print (`output`).

mod build;
mod damage;
mod freshness;
mod manifest;
mod read_only;
mod schema;
mod snapshot;
mod statistics;
pub mod store;
mod stored;
mod vectors;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use tantivy::{Index, IndexReader, ReloadPolicy};

use read_only::ReadOnlyDirectory;
use statistics::Statistics;

pub use build::{
    BuildEvent, BuildOptions, BuildReport, UpdateCounts, build, data_dir, fingerprint,
};
pub use damage::{Damage, DamagedFile};
pub use freshness::{Check, Freshness, assess};
pub use manifest::{FileRecord, FileStamp, Manifest};
pub use schema::Fields;
pub use snapshot::Snapshot;
pub use store::IndexMeta;
pub use stored::{PassageCache, StoredPassage, load_passage};
pub use vectors::{EmbedOutcome, SEED_FILE, embedding_text};

use crate::analysis;
use crate::embed::{Embedder, VectorSet};
use crate::lexicon::{self, Lexicon};
use crate::symptoms::{self, UrgentSymptoms};
use crate::taxonomy::{self, ApproachTaxonomy};
use crate::{Error, Result};

/// Passage vectors inside a generation directory.
pub const VECTORS_FILE: &str = "vectors.bin";

/// An opened index generation with everything needed to search it.
pub struct SearchIndex {
    /// The index directory, as given.
    pub index_dir: PathBuf,
    /// The generation directory that was opened.
    pub generation: PathBuf,
    reader: IndexReader,
    pub fields: Fields,
    pub meta: IndexMeta,
    pub taxonomy: ApproachTaxonomy,
    pub lexicon: Lexicon,
    pub symptoms: UrgentSymptoms,
    /// Passage vectors, if the index was built with a model: read on first use
    /// ([`SearchIndex::vectors`]), since a lexical search needs none, and reading and checking
    /// them was a tenth of a one-shot lexical search's instructions.
    vectors: OnceLock<std::result::Result<Option<VectorSet>, String>>,
    /// The model that embeds queries, attached by the caller when semantic search is wanted;
    /// shared, so that a server can hand it on to the next generation without loading it again.
    pub embedder: Option<Arc<Embedder>>,
    /// Passages already read, for the searches of a server that follow.
    pub passages: PassageCache,
    /// BM25's statistics of the terms searched so far (the reader is never reloaded, so they
    /// stay true).
    statistics: Arc<Statistics>,
}

impl SearchIndex {
    /// Opens the current generation of `index_dir`. Only the files a search needs are read,
    /// and only their headers: damage inside them shows when a search meets it (or in
    /// [`verify`]).
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
        let damaged = |damage: Damage| Error::IndexCorrupt {
            path: index_dir.to_path_buf(),
            damage,
        };
        let meta = store::read_meta(&generation).map_err(|file| damaged(file.into()))?;
        if meta.format != store::FORMAT_VERSION {
            return Err(Error::IndexOutdated {
                path: index_dir.to_path_buf(),
                found: meta.format,
                expected: store::FORMAT_VERSION,
                corpus: meta.corpus,
            });
        }
        let index = damage::guard(|| Index::open(ReadOnlyDirectory::open(&generation)?))
            .map_err(damaged)?;
        analysis::register(index.tokenizers());
        let fields = Fields::from_schema(&index.schema()).ok_or_else(|| {
            damaged(DamagedFile::new("meta.json", "holds a schema that is not mbc's").into())
        })?;
        let reader = damage::guard(|| {
            index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()
        })
        .map_err(damaged)?;
        let taxonomy = read_data(
            &generation,
            taxonomy::FILE_NAME,
            ApproachTaxonomy::parse_indexed,
        )
        .map_err(|file| damaged(file.into()))?;
        let lexicon = read_data(
            &generation,
            lexicon::INDEXED_FILE_NAME,
            Lexicon::parse_indexed,
        )
        .map_err(|file| damaged(file.into()))?;
        let symptoms = read_data(
            &generation,
            symptoms::INDEXED_FILE_NAME,
            UrgentSymptoms::parse_indexed,
        )
        .map_err(|file| damaged(file.into()))?;
        Ok(SearchIndex {
            index_dir: index_dir.to_path_buf(),
            generation,
            reader,
            fields,
            meta,
            taxonomy,
            lexicon,
            symptoms,
            vectors: OnceLock::new(),
            embedder: None,
            passages: PassageCache::default(),
            statistics: Arc::default(),
        })
    }

    /// A view of the index for one search: every read through it reports damage as
    /// [`Error::IndexCorrupt`].
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::new(
            self.reader.searcher(),
            Arc::clone(&self.statistics),
            &self.index_dir,
        )
    }

    /// The passage vectors, read and checked against their checksum on the first call; `None`
    /// when the index was built without a model. A damaged file is reported as
    /// [`Error::IndexCorrupt`], at every call.
    pub fn vectors(&self) -> Result<Option<&VectorSet>> {
        let read = self.vectors.get_or_init(|| {
            VectorSet::read(&self.generation.join(VECTORS_FILE)).map_err(|err| match err {
                Error::Model { message, .. } => message,
                other => other.to_string(),
            })
        });
        match read {
            Ok(vectors) => Ok(vectors.as_ref()),
            Err(problem) => Err(Error::IndexCorrupt {
                path: self.index_dir.clone(),
                damage: DamagedFile::new(VECTORS_FILE, problem.clone()).into(),
            }),
        }
    }

    /// The embedder and vectors, when both are present and the model is the one that made the
    /// vectors. (An embedder is attached only after the vectors were read.)
    pub fn semantic(&self) -> Option<(&Embedder, &VectorSet)> {
        let embedder = self.embedder.as_deref()?;
        let vectors = self.vectors.get()?.as_ref().ok()?.as_ref()?;
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

/// Reads and parses one of the data files a generation keeps (the taxonomy, the analyzed
/// lexicon, the urgent symptoms).
fn read_data<T>(
    generation: &Path,
    name: &str,
    parse: impl FnOnce(&str, &Path) -> Result<T>,
) -> std::result::Result<T, DamagedFile> {
    let path = generation.join(name);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| DamagedFile::new(name, format!("cannot be read ({e})")))?;
    parse(&text, &path).map_err(|e| DamagedFile::new(name, format!("is invalid ({e})")))
}

/// Removes what killed builds left in an index directory, unless a build is running.
pub fn remove_leftovers(index_dir: &Path) {
    if let Ok(lock) = store::BuildLock::acquire(index_dir) {
        store::remove_leftovers(index_dir, &lock);
    }
}

/// Checks the whole current generation: mbc's own files, the vectors against their checksum,
/// and every segment file against tantivy's checksums. Reads the whole index, so it is for
/// `mbc check`, an explicit `mbc index` and a whole-index export, not for every search.
pub fn verify(index_dir: &Path) -> Result<SearchIndex> {
    // Segment files first: opening reads some of them, and would report their damage less
    // precisely.
    let corrupt = |damage| Error::IndexCorrupt {
        path: index_dir.to_path_buf(),
        damage,
    };
    if let Some(generation) = store::current_generation(index_dir)? {
        verify_generation(&generation).map_err(corrupt)?;
    }
    let index = SearchIndex::open(index_dir)?;
    index.vectors()?;
    Ok(index)
}

/// Checks one generation's segment files against tantivy's checksums and its data files
/// against theirs; [`verify`] without opening it.
pub fn verify_generation(generation: &Path) -> std::result::Result<(), Damage> {
    damage::verify_segments(generation)?;
    if let Ok(meta) = store::read_meta(generation) {
        let changed = store::changed_data_files(generation, &meta);
        if !changed.is_empty() {
            return Err(Damage::Files(changed));
        }
    }
    Ok(())
}
