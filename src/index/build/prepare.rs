//! Reading the corpus files a build indexes: each is parsed, split into passages, analyzed
//! once and tagged, in parallel, and added to tantivy's writer; JSON lines files are read in
//! bounded rounds.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;
use tantivy::{IndexWriter, TantivyDocument};

use super::base::CarriedOver;
use super::{BuildEvent, BuildOptions};
use crate::analysis;
use crate::corpus::{self, CorpusFile, Document, FileKind, FileLoad, MAX_DOCUMENT_BYTES, Skipped};
use crate::index::manifest::{Changes, FileRecord, Manifest};
use crate::index::schema::Fields;
use crate::index::vectors;
use crate::passage::{SplitOptions, split_into_passages};
use crate::taxonomy::{ApproachTaxonomy, TagInput};
use crate::{Error, Result};

/// Files parsed per parallel batch: enough to keep both cores busy, few enough to bound memory.
const FILES_PER_BATCH: usize = 64;

/// Parses, splits, tags and adds the files to index; returns what each yielded. `carried` is
/// what an update keeps of the previous generation, whose document ids are taken.
pub(super) fn index_files(
    changes: &Changes,
    carried: Option<&CarriedOver>,
    fields: Fields,
    taxonomy: &ApproachTaxonomy,
    options: &BuildOptions,
    writer: &mut IndexWriter<TantivyDocument>,
    progress: &dyn Fn(BuildEvent),
) -> Result<Totals> {
    let embed = options.model.is_some();
    let mut totals = Totals::default();
    let mut broken = Vec::new();
    let mut ids = TakenIds {
        given: HashMap::new(),
        carried,
    };
    let (streamed, whole): (Vec<&CorpusFile>, Vec<&CorpusFile>) = changes
        .to_index
        .iter()
        .map(|(file, _)| *file)
        .partition(|f| f.kind == FileKind::JsonLines);
    for batch in whole.chunks(FILES_PER_BATCH) {
        let mut loads: Vec<Result<FileLoad>> = batch
            .par_iter()
            .map(|file| corpus::load_file(file))
            .collect();
        for (file, load) in batch.iter().zip(&mut loads) {
            if let Ok(load) = load {
                ids.keep_first_of_each(load, file)?;
            }
        }
        let prepared: Vec<Result<Prepared>> = batch
            .par_iter()
            .zip(loads)
            .map(|(file, load)| {
                prepare_documents(load?, file, fields, taxonomy, options.split, embed)
            })
            .collect();
        for (file, result) in batch.iter().zip(prepared) {
            match result {
                Ok(prepared) => totals.add(file, prepared, writer)?,
                // Read on, so that the run names every file to fix, not only the first.
                Err(err @ Error::Corpus { .. }) => broken.push(err),
                Err(err) => return Err(err),
            }
        }
        progress(BuildEvent::Advanced { files: batch.len() });
    }
    match broken.len() {
        0 => {}
        1 => return Err(broken.remove(0)),
        _ => return Err(Error::CorpusFiles(broken)),
    }
    for file in streamed {
        stream_jsonl(
            file,
            fields,
            taxonomy,
            options,
            &mut ids,
            &mut totals,
            writer,
        )?;
        progress(BuildEvent::Advanced { files: 1 });
    }
    Ok(totals)
}

/// The document ids given so far. A document id must name one document in the whole corpus:
/// `mbc show` reads a passage's neighbours by it, and two files' records with one `_id` were
/// shown as one document.
struct TakenIds<'a> {
    /// Each id given in this build, with the file and line of its document.
    given: HashMap<String, (PathBuf, usize)>,
    /// What an update keeps of the previous generation.
    carried: Option<&'a CarriedOver>,
}

impl TakenIds<'_> {
    /// Drops the documents of `load` whose id is taken, with a warning naming where it was
    /// first given; the first keeps it.
    fn keep_first_of_each(&mut self, load: &mut FileLoad, file: &CorpusFile) -> Result<()> {
        let documents = std::mem::take(&mut load.documents);
        for document in documents {
            let line = document.blocks.first().map_or(0, |b| b.line_start);
            match self.first_place(&document.id, file)? {
                Some(first) => load.skipped.push(Skipped {
                    path: document.path.clone(),
                    line,
                    reason: format!(
                        "{}{:?} ({first}); kept the first",
                        corpus::DUPLICATE_ID,
                        document.id
                    ),
                }),
                None => {
                    self.given
                        .insert(document.id.clone(), (file.path.clone(), line));
                    load.documents.push(document);
                }
            }
        }
        Ok(())
    }

    /// Where `id` was first given, said from `file`'s point of view; `None` if it is free.
    fn first_place(&self, id: &str, file: &CorpusFile) -> Result<Option<String>> {
        if let Some((path, line)) = self.given.get(id) {
            return Ok(Some(if *path == file.path {
                format!("first on line {line}")
            } else {
                format!("first in {}, line {line}", path.display())
            }));
        }
        let carried = match self.carried {
            Some(carried) => carried.path_of(id)?,
            None => None,
        };
        Ok(carried.map(|path| format!("first in {path}")))
    }
}

/// The manifest of the new generation: unchanged files as they were, indexed files with what
/// they yielded now.
pub(super) fn records(changes: &Changes, totals: &Totals) -> Manifest {
    let mut records = changes.unchanged.clone();
    for (file, stamp) in &changes.to_index {
        let yielded = totals.yields.get(&file.relative);
        let record = FileRecord {
            stamp: stamp.clone(),
            documents: yielded.map_or(0, |y| y.documents),
            passages: yielded.map_or(0, |y| y.passages),
            skipped: yielded.map_or_else(Vec::new, |y| y.skipped.clone()),
            reviewed: yielded.and_then(|y| y.reviewed.clone()),
        };
        records.insert(file.relative.clone(), record);
    }
    records
}

/// Tantivy documents ready to add, from one corpus file.
struct Prepared {
    documents: usize,
    /// The oldest review date its documents declare.
    reviewed: Option<String>,
    docs: Vec<TantivyDocument>,
    skipped: Vec<Skipped>,
    /// `(passage id, text to embed)`, when the build embeds.
    embedding_texts: Vec<(String, String)>,
}

/// Running totals of a build, fed prepared documents as they come.
#[derive(Default)]
pub(super) struct Totals {
    /// What each file yielded, by path relative to the corpus.
    yields: HashMap<String, Yield>,
    pub embedding_texts: Vec<(String, String)>,
}

#[derive(Default)]
struct Yield {
    documents: usize,
    passages: usize,
    skipped: Vec<Skipped>,
    reviewed: Option<String>,
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
        yielded.reviewed = match (yielded.reviewed.take(), prepared.reviewed) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
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
/// Bytes of JSONL text per round at most (a round has at least one line): a few lines of tens of
/// megabytes each would otherwise all wait in memory at once, with their passages.
/// `scripts/bench-jsonl-memory.sh` measures the peak for both shapes.
const JSONL_BYTES_PER_ROUND: usize = 8 << 20;

/// Reads a JSON lines file in rounds of lines, each round parsed, split and tagged in parallel.
fn stream_jsonl(
    file: &CorpusFile,
    fields: Fields,
    taxonomy: &ApproachTaxonomy,
    options: &BuildOptions,
    ids: &mut TakenIds,
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
        let round = corpus::read_round(
            &mut reader,
            JSONL_LINES_PER_ROUND,
            JSONL_BYTES_PER_ROUND,
            MAX_DOCUMENT_BYTES,
        )
        .map_err(|e| Error::io(&file.path, e))?;
        let lines = round.lines;
        if lines.is_empty() {
            if next_line == 1 {
                let yielded = totals.yields.entry(file.relative.clone()).or_default();
                yielded.skipped.push(Skipped {
                    path: file.path.clone(),
                    line: 0,
                    reason: "empty file".into(),
                });
            }
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
        let mut loads: Vec<FileLoad> = lines
            .par_chunks(per_task)
            .enumerate()
            .map(|(i, chunk)| {
                corpus::parse_jsonl_lines(&file.path, next_line + i * per_task, chunk)
            })
            .collect();
        for load in &mut loads {
            ids.keep_first_of_each(load, file)?;
        }
        let prepared: Vec<Result<Prepared>> = loads
            .into_par_iter()
            .map(|load| {
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
                opens: &body.opens,
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
                doc.add_text(fields.sources, source.to_stored());
            }
            if let Some(reviewed) = &document.meta.last_reviewed {
                doc.add_text(fields.last_reviewed, reviewed);
            }
            doc.add_text(fields.standing, document.meta.standing().name());
            for caveat in &document.meta.caveats {
                doc.add_text(fields.caveats, caveat);
            }
            for phrase in &document.meta.first_only_when_asked {
                doc.add_text(fields.first_only_when_asked, phrase);
            }
            doc.add_u64(
                fields.keep_out_of_first,
                document.meta.keep_out_of_first as u64,
            );
            docs.push(doc);
            if embed {
                embedding_texts.push((
                    passage.id.clone(),
                    vectors::embedding_text(&section_text, &passage.text),
                ));
            }
        }
    }
    let reviewed = load
        .documents
        .iter()
        .filter_map(|d| d.meta.last_reviewed.clone())
        .min();
    Ok(Prepared {
        documents: load.documents.len(),
        reviewed,
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
    /// For each of `ids`, whether its term opens a sentence.
    opens: Vec<bool>,
}

impl AnalyzedField {
    fn analyze(&mut self, text: &str, taxonomy: &ApproachTaxonomy) {
        self.encoded.clear();
        self.ids.clear();
        self.opens.clear();
        analysis::encode_terms(text, &mut self.encoded, |term, opens| {
            self.ids.push(taxonomy.term_id(term));
            self.opens.push(opens);
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
        .position(|l| {
            [format!("\"{id}\""), format!("'{id}'")]
                .iter()
                .any(|q| l.contains(q))
        })
        .map_or(1, |i| i + 1);
    Err(Error::Corpus {
        path: document.path.clone(),
        line,
        message: format!("front matter: unknown approach `{id}`; known approaches: {known}"),
    })
}
