//! Building an index from a corpus: files are parsed, split and tagged in parallel, written
//! into a fresh generation, and published only when everything succeeded.
//!
//! When the current generation was built from the same corpus with the same settings, a build
//! starts from a copy of it (hard links: tantivy's segment files never change) and re-reads only
//! the files whose content changed: their old passages are deleted, their new ones added, and
//! removed files' passages deleted. Otherwise, or with `incremental` off, it starts from nothing.

mod base;
mod fingerprint;
mod merge;
mod prepare;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use tantivy::{Index, IndexSettings, IndexWriter, TantivyDocument, Term};

use super::manifest::{self, Manifest};
use super::schema::Fields;
use super::store::{self, BuildDir, BuildLock, IndexMeta};
use super::vectors::{self, EmbedOutcome};
use crate::analysis;
use crate::corpus::{self, Skipped};
use crate::embed::{self, ModelSource};
use crate::lexicon::{self, Lexicon};
use crate::passage::SplitOptions;
use crate::symptoms::{self, UrgentSymptoms};
use crate::taxonomy::{self, ApproachTaxonomy};
use crate::{Error, Result};
use base::Base;
pub(super) use fingerprint::fingerprint_of;
pub use fingerprint::{data_dir, fingerprint};
use prepare::{index_files, records};

/// Bytes per compressed block of stored passages. A search decompresses a hit's whole block to
/// load its passage; tantivy's 16 KB default holds a dozen passages, and decompressing them was
/// 13-15 % of a top-1000 search. 4 KB made that search 12-15 % faster for an index 8 % larger;
/// 2 KB gained nothing more (`cargo bench --bench search` on `scripts/bench-perf.sh`'s corpus).
const STORE_BLOCK_BYTES: usize = 4096;

fn store_settings() -> IndexSettings {
    IndexSettings {
        docstore_blocksize: STORE_BLOCK_BYTES,
        ..IndexSettings::default()
    }
}

/// How to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Fail instead of skipping unreadable files.
    pub strict: bool,
    /// Start from the current generation and re-read only changed files, when it allows.
    pub incremental: bool,
    /// Indexing threads inside tantivy.
    pub threads: usize,
    /// Total memory tantivy may buffer before flushing a segment, in bytes. The default (80 MB)
    /// keeps a whole build of a 200 MB corpus at about 130 MB peak; 112 MB was a little faster
    /// but peaked at 172 MB (measured on `scripts/bench-perf.sh`'s corpus).
    pub memory_budget: usize,
    pub split: SplitOptions,
    /// The model for passage embeddings; `None` builds a lexical-only index.
    pub model: Option<ModelSource>,
    /// Take a file whose size and time are as recorded as unchanged without reading it. An
    /// explicit `mbc index` turns this off and hashes every file.
    pub trust_stamps: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            strict: false,
            incremental: true,
            threads: std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .min(4),
            memory_budget: 80 << 20,
            split: SplitOptions::default(),
            model: None,
            trust_stamps: true,
        }
    }
}

/// Progress of a build, for the caller to display.
#[derive(Debug, Clone, Copy)]
pub enum BuildEvent {
    /// This many corpus files need reading (the others are unchanged).
    Started { files: usize },
    /// This many more files are done.
    Advanced { files: usize },
    /// Everything is parsed; tantivy is writing and merging segments.
    Committing,
    /// This many passages need embedding (the others' vectors are reused).
    Embedding { passages: usize },
    /// This many more passages are embedded.
    Embedded { passages: usize },
}

/// What a finished build did.
#[derive(Debug)]
pub struct BuildReport {
    pub documents: usize,
    pub passages: usize,
    pub skipped: Vec<Skipped>,
    /// Things the user should know that did not stop the build (e.g. no embedding model).
    pub notes: Vec<String>,
    /// Passage vectors computed and reused; `None` when the index has no vectors.
    pub vectors: Option<EmbedOutcome>,
    /// File counts when the build updated the previous generation; `None` for a full build.
    pub update: Option<UpdateCounts>,
    pub seconds: f64,
    pub generation: PathBuf,
}

/// How the corpus files differed from the generation an update started from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpdateCounts {
    /// New files with at least one document (a new file wholly skipped is not added).
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub unchanged: usize,
}

/// The corpus path an index records: absolute, so that the index names the same corpus from
/// any working directory. Recorded as given ("c7"), `mbc index --index a/i9` run from the
/// parent directory updated the index from another folder that happened to be called "c7".
pub fn recorded_corpus(corpus_path: &Path) -> PathBuf {
    std::path::absolute(corpus_path).unwrap_or_else(|_| corpus_path.to_path_buf())
}

/// The BLAKE3 (hex) of each data file a build of `corpus_path` reads (the corpus's own, or the
/// bundled one in its place), by file name: what `IndexMeta::source_hashes` records.
pub fn source_hashes(corpus_path: &Path) -> Result<BTreeMap<String, String>> {
    let dir = data_dir(corpus_path);
    let texts = [
        (taxonomy::FILE_NAME, taxonomy::BUNDLED),
        (lexicon::FILE_NAME, lexicon::BUNDLED),
        (symptoms::FILE_NAME, symptoms::BUNDLED),
    ]
    .map(|(name, bundled)| Ok((name, corpus::read_data_file(dir, name, bundled)?.0)));
    Ok(hashes_of(texts.into_iter().collect::<Result<Vec<_>>>()?))
}

/// [`source_hashes`] of data files already read: (name, text).
fn hashes_of(texts: Vec<(&str, String)>) -> BTreeMap<String, String> {
    texts
        .into_iter()
        .map(|(name, text)| (name.to_string(), store::data_hash(text.as_bytes())))
        .collect()
}

/// Builds the index of `corpus` into `index_dir` and makes it current.
pub fn build(
    corpus_path: &Path,
    index_dir: &Path,
    options: &BuildOptions,
    progress: &dyn Fn(BuildEvent),
) -> Result<BuildReport> {
    let started = Instant::now();
    let data_dir = data_dir(corpus_path);
    let (taxonomy, taxonomy_text) = ApproachTaxonomy::load_from_dir(data_dir)?;
    let (lexicon, lexicon_text) = Lexicon::load_from_dir(data_dir)?;
    let (urgent, urgent_text) = UrgentSymptoms::load_from_dir(data_dir)?;
    let source_hashes = hashes_of(vec![
        (taxonomy::FILE_NAME, taxonomy_text.clone()),
        (lexicon::FILE_NAME, lexicon_text),
        (symptoms::FILE_NAME, urgent_text),
    ]);
    let (files, mut skipped) = corpus::discover(corpus_path)?;
    let fingerprint = fingerprint_of(corpus_path, &files);

    store::adopt(index_dir)?;
    let lock = BuildLock::acquire(index_dir)?;
    let build_dir = BuildDir::create(index_dir, &lock)?;
    let mut notes = Vec::new();
    // The embedding model, identified once: an update may keep only this model's vectors.
    let model = options
        .model
        .as_ref()
        .map(|source| (source, embed::identify(source)));
    let model_id = match &model {
        Some((_, Ok(id))) => Some(id.as_str()),
        _ => None,
    };
    let base = if options.incremental {
        Base::find(
            index_dir,
            corpus_path,
            &taxonomy_text,
            options.split,
            model_id,
            &mut notes,
        )
    } else {
        None
    };
    let changes = manifest::compare(
        &files,
        base.as_ref().map_or(&Manifest::new(), |b| &b.meta.files),
        options.trust_stamps,
    );
    let (index, fields) = match &base {
        Some(base) => base.fork_into(build_dir.path())?,
        None => {
            let (schema, fields) = Fields::build_schema();
            let index = Index::builder()
                .schema(schema)
                .settings(store_settings())
                .create_in_dir(build_dir.path())?;
            (index, fields)
        }
    };
    analysis::register(index.tokenizers());
    let mut writer: IndexWriter<TantivyDocument> =
        index.writer_with_num_threads(options.threads, options.memory_budget)?;
    writer.set_merge_policy(Box::new(merge::SmallSegmentsTogether::default()));
    // Deletions first: tantivy applies a delete only to documents added before it.
    for name in changes.outdated() {
        writer.delete_term(Term::from_field_text(fields.file, name));
    }

    progress(BuildEvent::Started {
        files: changes.to_index.len(),
    });
    let carried = base
        .as_ref()
        .map(|b| b.carried_over(&changes))
        .transpose()?;
    let totals = index_files(
        &changes,
        carried.as_ref(),
        fields,
        &taxonomy,
        options,
        &mut writer,
        progress,
    )?;
    let records = records(&changes, &totals);
    skipped.extend(records.values().flat_map(|r| r.skipped.iter().cloned()));
    if options.strict && !skipped.is_empty() {
        return Err(Error::StrictFailure {
            skipped: skipped.iter().map(ToString::to_string).collect(),
        });
    }
    let documents: usize = records.values().map(|r| r.documents).sum();
    if documents == 0 {
        return Err(Error::EmptyCorpus {
            corpus: corpus_path.to_path_buf(),
            documents: store::current_meta(index_dir).map_or(0, |meta| meta.documents),
            skipped: skipped.len(),
        });
    }
    progress(BuildEvent::Committing);
    writer.commit()?;
    // The merges the commit started are part of the build: what is published is merged.
    writer.wait_merging_threads()?;

    let mut vectors_failed = None;
    let vectors = match model {
        None => None,
        Some((model, model_id)) => {
            let kept = match &base {
                Some(base) => base.vectors_without(&changes)?,
                None => None,
            };
            let embedded = model_id.and_then(|model_id| {
                let step = vectors::EmbedStep {
                    model,
                    model_id,
                    index_dir,
                    data_dir,
                    kept,
                    generation: build_dir.path(),
                };
                step.run(&totals.embedding_texts, progress)
            });
            match embedded {
                Ok(outcome) => Some(outcome),
                // The disk failing is a failed build, which leaves the previous index in place;
                // only the model failing makes a lexical index.
                Err(err @ Error::Io { .. }) => return Err(err),
                Err(err) => {
                    notes.push(format!(
                        "semantic search unavailable: {err}; the index is lexical only until the next `mbc index`"
                    ));
                    vectors_failed = Some(err.to_string());
                    None
                }
            }
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    let mut data_hashes = BTreeMap::new();
    for (name, text) in [
        (taxonomy::FILE_NAME, taxonomy_text.to_string()),
        (lexicon::INDEXED_FILE_NAME, lexicon.to_indexed()),
        (symptoms::INDEXED_FILE_NAME, urgent.to_indexed()),
    ] {
        store::write_file(&build_dir.path().join(name), text.as_bytes())?;
        data_hashes.insert(name.to_string(), store::data_hash(text.as_bytes()));
    }
    // A new file that yielded nothing was skipped, not added ("1 file(s) added" and "1 file(s)
    // skipped" were the same broken file).
    let added = changes
        .new_files()
        .filter(|name| records.get(*name).is_some_and(|r| r.documents > 0))
        .count();
    let meta = IndexMeta {
        format: store::FORMAT_VERSION,
        mbc_version: env!("CARGO_PKG_VERSION").to_string(),
        built_at: store::now_unix(),
        build_seconds: seconds,
        corpus: recorded_corpus(corpus_path),
        corpus_fingerprint: fingerprint,
        documents,
        passages: records.values().map(|r| r.passages).sum(),
        skipped: skipped.iter().map(ToString::to_string).collect(),
        split: Some(options.split),
        files: records,
        vectors_failed,
        data_hashes,
        source_hashes,
    };
    store::write_meta(build_dir.path(), &meta)?;
    let generation = build_dir.publish(index_dir)?;
    Ok(BuildReport {
        documents: meta.documents,
        passages: meta.passages,
        skipped,
        notes,
        vectors,
        update: base.map(|_| UpdateCounts {
            added,
            changed: changes.changed.len(),
            removed: changes.removed.len(),
            unchanged: changes.unchanged.len(),
        }),
        seconds,
        generation,
    })
}
