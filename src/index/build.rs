//! Building an index from a corpus: files are parsed, split and tagged in parallel, written
//! into a fresh generation, and published only when everything succeeded.

use std::path::{Path, PathBuf};
use std::time::{Instant, UNIX_EPOCH};

use rayon::prelude::*;
use tantivy::{Index, IndexWriter, TantivyDocument};

use super::schema::Fields;
use super::store::{self, BuildDir, BuildLock, IndexMeta};
use super::vectors::{self, EmbedOutcome};
use crate::analysis;
use crate::corpus::{self, CorpusFile, Document, FileKind, FileLoad, Skipped};
use crate::lexicon::{self, Lexicon};
use crate::passage::{split_into_passages, SplitOptions};
use crate::taxonomy::{self, ApproachTaxonomy, TagInput};
use crate::{Error, Result};

/// Files parsed per parallel batch: enough to keep both cores busy, few enough to bound memory.
const FILES_PER_BATCH: usize = 64;

/// How to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Fail instead of skipping unreadable files.
    pub strict: bool,
    /// Indexing threads inside tantivy.
    pub threads: usize,
    /// Total memory tantivy may buffer before flushing a segment, in bytes. The default (80 MB)
    /// keeps a whole build under 150 MB peak; 96 MB was no faster and went over (measured with
    /// `scripts/bench-perf.sh`).
    pub memory_budget: usize,
    pub split: SplitOptions,
    /// Model directory for passage embeddings; `None` builds a lexical-only index.
    pub model: Option<PathBuf>,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            strict: false,
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
    /// The corpus holds this many files.
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
    pub seconds: f64,
    pub generation: PathBuf,
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
    let fingerprint = fingerprint(corpus_path)?;

    let lock = BuildLock::acquire(index_dir)?;
    let build_dir = BuildDir::create(index_dir, &lock)?;
    let (schema, fields) = Fields::build_schema();
    let index = Index::create_in_dir(build_dir.path(), schema)?;
    analysis::register(index.tokenizers());
    let mut writer: IndexWriter<TantivyDocument> =
        index.writer_with_num_threads(options.threads, options.memory_budget)?;

    progress(BuildEvent::Started { files: files.len() });
    let embed = options.model.is_some();
    let mut totals = Totals::default();
    let (streamed, whole): (Vec<&CorpusFile>, Vec<&CorpusFile>) =
        files.iter().partition(|f| f.kind == FileKind::JsonLines);
    for batch in whole.chunks(FILES_PER_BATCH) {
        let prepared: Vec<Result<Prepared>> = batch
            .par_iter()
            .map_init(
                || taxonomy.clone(),
                |taxonomy, file| {
                    let load = corpus::load_file(file)?;
                    prepare_documents(load, file, fields, taxonomy, options.split, embed)
                },
            )
            .collect();
        for result in prepared {
            totals.add(result?, &mut writer)?;
        }
        progress(BuildEvent::Advanced { files: batch.len() });
    }
    for file in streamed {
        stream_jsonl(file, fields, &taxonomy, options, &mut totals, &mut writer)?;
        progress(BuildEvent::Advanced { files: 1 });
    }
    let Totals {
        documents,
        passages,
        skipped: file_skips,
        embedding_texts: to_embed,
    } = totals;
    skipped.extend(file_skips);
    if options.strict && !skipped.is_empty() {
        return Err(Error::StrictFailure {
            count: skipped.len(),
        });
    }
    progress(BuildEvent::Committing);
    writer.commit()?;
    writer.wait_merging_threads()?;

    let mut notes = Vec::new();
    let vectors = match &options.model {
        None => None,
        Some(model) => match vectors::embed_passages(
            model,
            index_dir,
            data_dir,
            &to_embed,
            build_dir.path(),
            progress,
        ) {
            Ok(outcome) => Some(outcome),
            Err(err) => {
                notes.push(format!(
                    "semantic search unavailable: {err}; the index is lexical only"
                ));
                None
            }
        },
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
        documents,
        passages,
        skipped: skipped.iter().map(ToString::to_string).collect(),
    };
    store::write_meta(build_dir.path(), &meta)?;
    let generation = build_dir.publish(index_dir)?;
    Ok(BuildReport {
        documents,
        passages,
        skipped,
        notes,
        vectors,
        seconds,
        generation,
    })
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
    documents: usize,
    passages: usize,
    skipped: Vec<Skipped>,
    embedding_texts: Vec<(String, String)>,
}

impl Totals {
    fn add(&mut self, prepared: Prepared, writer: &mut IndexWriter<TantivyDocument>) -> Result<()> {
        self.documents += prepared.documents;
        self.passages += prepared.docs.len();
        self.skipped.extend(prepared.skipped);
        self.embedding_texts.extend(prepared.embedding_texts);
        for doc in prepared.docs {
            writer.add_document(doc)?;
        }
        Ok(())
    }
}

/// Lines of a JSONL file parsed per parallel round: large files are read piece by piece so
/// memory stays bounded whatever their size.
const JSONL_LINES_PER_ROUND: usize = 8_192;

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
            totals.skipped.push(Skipped {
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
        let lines =
            read_lines(&mut reader, JSONL_LINES_PER_ROUND).map_err(|e| Error::io(&file.path, e))?;
        if lines.is_empty() {
            return Ok(());
        }
        let per_task = lines
            .len()
            .div_ceil(rayon::current_num_threads() * 4)
            .max(1);
        let prepared: Vec<Result<Prepared>> = lines
            .par_chunks(per_task)
            .enumerate()
            .map_init(
                || taxonomy.clone(),
                |taxonomy, (i, chunk)| {
                    let load =
                        corpus::parse_jsonl_lines(&file.path, next_line + i * per_task, chunk);
                    prepare_documents(
                        load,
                        file,
                        fields,
                        taxonomy,
                        options.split,
                        options.model.is_some(),
                    )
                },
            )
            .collect();
        for result in prepared {
            totals.add(result?, writer)?;
        }
        next_line += lines.len();
    }
}

/// Up to `count` lines, without their line endings.
fn read_lines(reader: &mut impl std::io::BufRead, count: usize) -> std::io::Result<Vec<Vec<u8>>> {
    let mut lines = Vec::with_capacity(count);
    while lines.len() < count {
        let mut line = Vec::new();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            line.pop();
        }
        lines.push(line);
    }
    Ok(lines)
}

/// Turns parsed documents into index documents: passages, approach tags and stored fields.
fn prepare_documents(
    load: FileLoad,
    file: &CorpusFile,
    fields: Fields,
    taxonomy: &mut ApproachTaxonomy,
    split: SplitOptions,
    embed: bool,
) -> Result<Prepared> {
    for document in &load.documents {
        ensure_declared_approaches_exist(document, taxonomy)?;
    }
    let mut docs = Vec::new();
    let mut embedding_texts = Vec::new();
    for document in &load.documents {
        for passage in split_into_passages(document, split) {
            let approaches = taxonomy.tag(&TagInput {
                title: &document.title,
                heading_path: &passage.heading_path,
                text: &passage.text,
                declared: &document.meta.approaches,
            });
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.passage_id, &passage.id);
            doc.add_text(fields.doc_id, &document.id);
            doc.add_text(fields.file, &file.relative);
            doc.add_text(fields.title, &document.title);
            doc.add_text(fields.section, passage.section());
            doc.add_text(fields.body, &passage.text);
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
                    vectors::embedding_text(&passage.section(), &passage.text),
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
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        hasher.update(name.as_bytes());
        hasher.update(&meta.len().to_le_bytes());
        hasher.update(&modified.to_le_bytes());
    }
    Ok(hasher.finalize().to_hex()[..32].to_string())
}
