//! Building an index from a corpus: files are parsed, split and tagged in parallel, written
//! into a fresh generation, and published only when everything succeeded.
//!
//! When the current generation was built from the same corpus with the same settings, a build
//! starts from a copy of it (hard links: tantivy's segment files never change) and re-reads only
//! the files whose content changed: their old passages are deleted, their new ones added, and
//! removed files' passages deleted. Otherwise, or with `incremental` off, it starts from nothing.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, IndexSettings, IndexWriter, TantivyDocument, Term};

use super::manifest::{self, Changes, FileRecord, Manifest};
use super::schema::Fields;
use super::store::{self, BuildDir, BuildLock, IndexMeta};
use super::vectors::{self, EmbedOutcome};
use super::VECTORS_FILE;
use crate::analysis;
use crate::corpus::{self, CorpusFile, Document, FileKind, FileLoad, Skipped, MAX_DOCUMENT_BYTES};
use crate::embed::{self, VectorSet};
use crate::lexicon::{self, Lexicon};
use crate::passage::{split_into_passages, SplitOptions};
use crate::taxonomy::{self, ApproachTaxonomy, TagInput};
use crate::{Error, Result};

/// Files parsed per parallel batch: enough to keep both cores busy, few enough to bound memory.
const FILES_PER_BATCH: usize = 64;

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
    /// Model directory for passage embeddings; `None` builds a lexical-only index.
    pub model: Option<PathBuf>,
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
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub unchanged: usize,
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
    let (_, lexicon_text) = Lexicon::load_from_dir(data_dir)?;
    let (files, mut skipped) = corpus::discover(corpus_path)?;
    let fingerprint = fingerprint_of(corpus_path, &files);

    let lock = BuildLock::acquire(index_dir)?;
    let build_dir = BuildDir::create(index_dir, &lock)?;
    let mut notes = Vec::new();
    // The embedding model, identified once: an update may keep only this model's vectors.
    let model = options
        .model
        .as_deref()
        .map(|dir| (dir, embed::identify(dir)));
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
    // Deletions first: tantivy applies a delete only to documents added before it.
    for name in changes.outdated() {
        writer.delete_term(Term::from_field_text(fields.file, name));
    }

    progress(BuildEvent::Started {
        files: changes.to_index.len(),
    });
    let totals = index_files(&changes, fields, &taxonomy, options, &mut writer, progress)?;
    let records = records(&changes, &totals);
    skipped.extend(records.values().flat_map(|r| r.skipped.iter().cloned()));
    if options.strict && !skipped.is_empty() {
        return Err(Error::StrictFailure {
            count: skipped.len(),
        });
    }
    progress(BuildEvent::Committing);
    writer.commit()?;
    writer.wait_merging_threads()?;

    let vectors = match model {
        None => None,
        Some((model_dir, model_id)) => {
            let kept = match &base {
                Some(base) => base.vectors_without(&changes)?,
                None => None,
            };
            let embedded = model_id.and_then(|model_id| {
                let step = vectors::EmbedStep {
                    model_dir,
                    model_id,
                    index_dir,
                    data_dir,
                    kept,
                    generation: build_dir.path(),
                };
                step.run(&totals.embedding_texts, progress)
            });
            embedded
                .map_err(|err| {
                    notes.push(format!(
                        "semantic search unavailable: {err}; the index is lexical only"
                    ))
                })
                .ok()
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    store::write_synced(
        &build_dir.path().join(taxonomy::FILE_NAME),
        taxonomy_text.as_bytes(),
    )?;
    store::write_synced(
        &build_dir.path().join(lexicon::FILE_NAME),
        lexicon_text.as_bytes(),
    )?;
    let meta = IndexMeta {
        format: store::FORMAT_VERSION,
        mbc_version: env!("CARGO_PKG_VERSION").to_string(),
        built_at: store::now_unix(),
        build_seconds: seconds,
        corpus: corpus_path.to_path_buf(),
        corpus_fingerprint: fingerprint,
        documents: records.values().map(|r| r.documents).sum(),
        passages: records.values().map(|r| r.passages).sum(),
        skipped: skipped.iter().map(ToString::to_string).collect(),
        split: Some(options.split),
        files: records,
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
            added: changes.added(),
            changed: changes.changed.len(),
            removed: changes.removed.len(),
            unchanged: changes.unchanged.len(),
        }),
        seconds,
        generation,
    })
}

/// mbc's own files in a generation, written afresh by every build.
const OWN_FILES: [&str; 4] = [
    store::META_FILE,
    taxonomy::FILE_NAME,
    lexicon::FILE_NAME,
    VECTORS_FILE,
];

/// The current generation, when a build may start from it.
struct Base {
    generation: PathBuf,
    meta: IndexMeta,
    index: Index,
    fields: Fields,
    vectors: Option<VectorSet>,
}

impl Base {
    /// The current generation if it was built from this corpus with these settings and is
    /// intact; otherwise `None` (with a note when damage is the reason), and the build starts
    /// from nothing.
    fn find(
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
            && meta.corpus == corpus_path
            && meta.split == Some(split)
            && !meta.files.is_empty();
        if !(same_taxonomy && same_settings) {
            return None;
        }
        let vectors = VectorSet::read(&generation.join(VECTORS_FILE)).ok()?;
        // Carried-over passages keep their vectors, so those must be this model's. (A model
        // that cannot be read makes the build lexical only: then there is nothing to keep.)
        if let Some(model_id) = model_id {
            if vectors.as_ref().map(|v| v.model_id.as_str()) != Some(model_id) {
                return None;
            }
        }
        let index = Index::open_in_dir(&generation).ok()?;
        let fields = Fields::from_schema(&index.schema())?;
        // Damaged segments would be carried into the new generation: start over instead.
        match index.validate_checksum() {
            Ok(damaged) if damaged.is_empty() => {}
            _ => {
                notes.push("the previous index is damaged; rebuilt it from scratch".into());
                return None;
            }
        }
        Some(Base {
            generation,
            meta,
            index,
            fields,
            vectors,
        })
    }

    /// Fills the build directory with this generation's index and opens it there.
    fn fork_into(&self, build: &Path) -> Result<(Index, Fields)> {
        store::link_files(&self.generation, build, &OWN_FILES)?;
        Ok((Index::open_in_dir(build)?, self.fields))
    }

    /// This generation's vectors minus those of the passages of changed and removed files.
    fn vectors_without(&self, changes: &Changes) -> Result<Option<VectorSet>> {
        let Some(mut vectors) = self.vectors.clone() else {
            return Ok(None);
        };
        let outdated = self.passage_ids(changes.outdated())?;
        vectors.retain(|id| !outdated.contains(id));
        Ok(Some(vectors))
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

/// Parses, splits, tags and adds the files to index; returns what each yielded.
fn index_files(
    changes: &Changes,
    fields: Fields,
    taxonomy: &ApproachTaxonomy,
    options: &BuildOptions,
    writer: &mut IndexWriter<TantivyDocument>,
    progress: &dyn Fn(BuildEvent),
) -> Result<Totals> {
    let embed = options.model.is_some();
    let mut totals = Totals::default();
    let (streamed, whole): (Vec<&CorpusFile>, Vec<&CorpusFile>) = changes
        .to_index
        .iter()
        .map(|(file, _)| *file)
        .partition(|f| f.kind == FileKind::JsonLines);
    for batch in whole.chunks(FILES_PER_BATCH) {
        let prepared: Vec<Result<Prepared>> = batch
            .par_iter()
            .map(|file| {
                let load = corpus::load_file(file)?;
                prepare_documents(load, file, fields, taxonomy, options.split, embed)
            })
            .collect();
        for (file, result) in batch.iter().zip(prepared) {
            totals.add(file, result?, writer)?;
        }
        progress(BuildEvent::Advanced { files: batch.len() });
    }
    for file in streamed {
        stream_jsonl(file, fields, taxonomy, options, &mut totals, writer)?;
        progress(BuildEvent::Advanced { files: 1 });
    }
    Ok(totals)
}

/// The manifest of the new generation: unchanged files as they were, indexed files with what
/// they yielded now.
fn records(changes: &Changes, totals: &Totals) -> Manifest {
    let mut records = changes.unchanged.clone();
    for (file, stamp) in &changes.to_index {
        let yielded = totals.yields.get(&file.relative);
        let record = FileRecord {
            stamp: stamp.clone(),
            documents: yielded.map_or(0, |y| y.documents),
            passages: yielded.map_or(0, |y| y.passages),
            skipped: yielded.map_or_else(Vec::new, |y| y.skipped.clone()),
        };
        records.insert(file.relative.clone(), record);
    }
    records
}

/// The directory that may hold `approaches.toml` and `lexicon.toml` for a corpus.
pub fn data_dir(corpus_path: &Path) -> Option<&Path> {
    if corpus_path.is_dir() {
        Some(corpus_path)
    } else {
        corpus_path.parent()
    }
}

/// Tantivy documents ready to add, from one corpus file.
struct Prepared {
    documents: usize,
    docs: Vec<TantivyDocument>,
    skipped: Vec<Skipped>,
    /// `(passage id, text to embed)`, when the build embeds.
    embedding_texts: Vec<(String, String)>,
}

/// Running totals of a build, fed prepared documents as they come.
#[derive(Default)]
struct Totals {
    /// What each file yielded, by path relative to the corpus.
    yields: HashMap<String, Yield>,
    embedding_texts: Vec<(String, String)>,
}

#[derive(Default)]
struct Yield {
    documents: usize,
    passages: usize,
    skipped: Vec<Skipped>,
}

impl Totals {
    fn add(
        &mut self,
        file: &CorpusFile,
        prepared: Prepared,
        writer: &mut IndexWriter<TantivyDocument>,
    ) -> Result<()> {
        let yielded = self.yields.entry(file.relative.clone()).or_default();
        yielded.documents += prepared.documents;
        yielded.passages += prepared.docs.len();
        yielded.skipped.extend(prepared.skipped);
        self.embedding_texts.extend(prepared.embedding_texts);
        for doc in prepared.docs {
            writer.add_document(doc)?;
        }
        Ok(())
    }
}

/// Lines of a JSONL file parsed per parallel round: large files are read piece by piece so
/// memory stays bounded whatever their size. A round's documents wait in memory until added,
/// so this sets part of a build's peak: 8,192 lines peaked at 160 MB on a 200 MB corpus, 2,048
/// at 133 MB, and no slower (`scripts/bench-perf.sh`).
const JSONL_LINES_PER_ROUND: usize = 2_048;

/// Reads a JSON lines file in rounds of lines, each round parsed, split and tagged in parallel.
fn stream_jsonl(
    file: &CorpusFile,
    fields: Fields,
    taxonomy: &ApproachTaxonomy,
    options: &BuildOptions,
    totals: &mut Totals,
    writer: &mut IndexWriter<TantivyDocument>,
) -> Result<()> {
    let handle = match std::fs::File::open(&file.path) {
        Ok(handle) => handle,
        Err(err) => {
            let yielded = totals.yields.entry(file.relative.clone()).or_default();
            yielded.skipped.push(Skipped {
                path: file.path.clone(),
                line: 0,
                reason: format!("cannot read: {err}"),
            });
            return Ok(());
        }
    };
    let mut reader = std::io::BufReader::with_capacity(1 << 20, handle);
    let mut next_line = 1;
    loop {
        let round = corpus::read_round(&mut reader, JSONL_LINES_PER_ROUND, MAX_DOCUMENT_BYTES)
            .map_err(|e| Error::io(&file.path, e))?;
        let lines = round.lines;
        if lines.is_empty() {
            return Ok(());
        }
        let yielded = totals.yields.entry(file.relative.clone()).or_default();
        for (index, bytes) in round.oversized {
            yielded.skipped.push(Skipped {
                path: file.path.clone(),
                line: next_line + index,
                reason: corpus::too_large(bytes),
            });
        }
        let per_task = lines
            .len()
            .div_ceil(rayon::current_num_threads() * 4)
            .max(1);
        let prepared: Vec<Result<Prepared>> = lines
            .par_chunks(per_task)
            .enumerate()
            .map(|(i, chunk)| {
                let load = corpus::parse_jsonl_lines(&file.path, next_line + i * per_task, chunk);
                prepare_documents(
                    load,
                    file,
                    fields,
                    taxonomy,
                    options.split,
                    options.model.is_some(),
                )
            })
            .collect();
        for result in prepared {
            totals.add(file, result?, writer)?;
        }
        next_line += lines.len();
    }
}

/// Turns parsed documents into index documents: passages, approach tags and stored fields.
fn prepare_documents(
    load: FileLoad,
    file: &CorpusFile,
    fields: Fields,
    taxonomy: &ApproachTaxonomy,
    split: SplitOptions,
    embed: bool,
) -> Result<Prepared> {
    for document in &load.documents {
        ensure_declared_approaches_exist(document, taxonomy)?;
    }
    let mut docs = Vec::new();
    let mut embedding_texts = Vec::new();
    let mut title = AnalyzedField::default();
    let mut section = AnalyzedField::default();
    let mut body = AnalyzedField::default();
    for document in &load.documents {
        title.analyze(&document.title, taxonomy);
        for passage in split_into_passages(document, split) {
            let section_text = passage.section();
            section.analyze(&section_text, taxonomy);
            body.analyze(&passage.text, taxonomy);
            let approaches = taxonomy.tag(&TagInput {
                title: &title.ids,
                heading: &section.ids,
                body: &body.ids,
                declared: &document.meta.approaches,
            });
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.passage_id, &passage.id);
            doc.add_text(fields.doc_id, &document.id);
            doc.add_text(fields.file, &file.relative);
            doc.add_text(fields.title, &title.encoded);
            doc.add_text(fields.section, &section.encoded);
            doc.add_text(fields.body, &body.encoded);
            doc.add_text(fields.title_text, &document.title);
            doc.add_text(fields.section_text, &section_text);
            doc.add_text(fields.body_text, &passage.text);
            for approach in approaches {
                doc.add_text(fields.approaches, approach);
            }
            doc.add_text(fields.path, document.path.to_string_lossy());
            doc.add_u64(fields.line_start, passage.line_start as u64);
            doc.add_u64(fields.line_end, passage.line_end as u64);
            doc.add_u64(fields.ordinal, u64::from(passage.ordinal));
            for source in &document.meta.sources {
                doc.add_text(fields.sources, source);
            }
            if let Some(reviewed) = &document.meta.last_reviewed {
                doc.add_text(fields.last_reviewed, reviewed);
            }
            docs.push(doc);
            if embed {
                embedding_texts.push((
                    passage.id.clone(),
                    vectors::embedding_text(&section_text, &passage.text),
                ));
            }
        }
    }
    Ok(Prepared {
        documents: load.documents.len(),
        docs,
        skipped: load.skipped,
        embedding_texts,
    })
}

/// A text field analyzed once for the build: the term sequence tantivy indexes and the ids
/// approach tagging compares. Its buffers are reused from passage to passage.
#[derive(Default)]
struct AnalyzedField {
    encoded: String,
    ids: Vec<u32>,
}

impl AnalyzedField {
    fn analyze(&mut self, text: &str, taxonomy: &ApproachTaxonomy) {
        self.encoded.clear();
        self.ids.clear();
        analysis::encode_terms(text, &mut self.encoded, |term| {
            self.ids.push(taxonomy.term_id(term));
        });
    }
}

/// An approach id in front matter that the taxonomy lacks is the author's mistake: say where.
fn ensure_declared_approaches_exist(
    document: &Document,
    taxonomy: &ApproachTaxonomy,
) -> Result<()> {
    let Err(err) = taxonomy.ensure_known(&document.meta.approaches) else {
        return Ok(());
    };
    let Error::UnknownApproach { id, known } = err else {
        return Err(err);
    };
    let text = std::fs::read_to_string(&document.path).unwrap_or_default();
    let line = text
        .lines()
        .position(|l| l.contains(&format!("\"{id}\"")))
        .map_or(1, |i| i + 1);
    Err(Error::Corpus {
        path: document.path.clone(),
        line,
        message: format!("front matter: unknown approach `{id}`; known approaches: {known}"),
    })
}

/// A cheap summary of the corpus's state (paths, sizes, modification times of every corpus file
/// and data file): when it changes, the index is stale.
pub fn fingerprint(corpus_path: &Path) -> Result<String> {
    let (files, _) = corpus::discover(corpus_path)?;
    Ok(fingerprint_of(corpus_path, &files))
}

/// [`fingerprint`] of files already discovered.
fn fingerprint_of(corpus_path: &Path, files: &[CorpusFile]) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(&store::FORMAT_VERSION.to_le_bytes());
    // Names relative to the corpus, so the same corpus reached by another path is the same.
    let data_files = data_dir(corpus_path).into_iter().flat_map(|dir| {
        [taxonomy::FILE_NAME, lexicon::FILE_NAME].map(|name| (dir.join(name), name.to_string()))
    });
    let entries = files
        .iter()
        .map(|f| (f.path.clone(), f.relative.clone()))
        .chain(data_files);
    for (path, name) in entries {
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        let modified = u128::from(manifest::modified_nanos(&meta));
        hasher.update(name.as_bytes());
        hasher.update(&meta.len().to_le_bytes());
        hasher.update(&modified.to_le_bytes());
    }
    hasher.finalize().to_hex()[..32].to_string()
}
