//! Getting an index to search: opening it, building or updating it first when
//! `mbc::index::assess` says it needs that, and attaching the embedding model. Builds show
//! progress on a terminal and end with a one-line summary.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use mbc::corpus::review;
use mbc::embed::{Embedder, Load};
use mbc::index::{self, BuildEvent, BuildOptions, BuildReport, Check, Freshness, SearchIndex};
use mbc::output::{self, Format, printable, wire};
use mbc::search::Mode;

use super::UsageError;
use crate::settings::{Location, shell_word};

/// `mbc index`: builds, updates or repairs the index, or says it is up to date.
pub fn index_command(
    location: &Location,
    strict: bool,
    rebuild: bool,
    format: Format,
) -> Result<()> {
    let started = std::time::Instant::now();
    let recorded = recorded_corpus(location)?;
    let location = &recorded.unwrap_or_else(|| location.clone());
    prepare(location)?;
    ensure_corpus(&location.corpus)?;
    let mut incremental = !rebuild;
    if !rebuild {
        match assess(location, Check::Thorough)? {
            Freshness::Fresh => {
                let index = SearchIndex::open(&location.index)?;
                index::remove_leftovers(&location.index);
                // An index that is up to date still leaves out what it skipped: `--strict` fails
                // as the build that skipped them would have (it said "up to date", exit 0).
                if strict && !index.meta.skipped.is_empty() {
                    return Err(mbc::Error::StrictFailure {
                        skipped: index.meta.skipped.clone(),
                    }
                    .into());
                }
                status!(
                    "index at {} is up to date ({} documents, {} passages); use --rebuild to rebuild it anyway",
                    printable(&location.index.display().to_string()),
                    index.meta.documents,
                    index.meta.passages
                );
                warn_of_old_reviews(&index.meta);
                let up_to_date = wire::IndexOutput {
                    up_to_date: true,
                    ..wire::IndexOutput::new(
                        &location.index,
                        index.meta.documents,
                        index.meta.passages,
                        index.meta.skipped.clone(),
                        started.elapsed().as_secs_f64(),
                    )
                };
                return write_index_output(&up_to_date, format);
            }
            Freshness::Damaged(err) => {
                status!("note: {err:#}; rebuilding it from scratch");
                incremental = false;
            }
            Freshness::Missing => {}
            other => status!("note: {}; updating the index", why(&other)),
        }
    }
    let report = build_index(location, strict, incremental, Check::Thorough)?;
    let built = wire::IndexOutput {
        update: report.update.map(|u| wire::UpdateOut {
            added: u.added,
            changed: u.changed,
            removed: u.removed,
            unchanged: u.unchanged,
        }),
        vectors: report.vectors.map(|v| wire::VectorsBuilt {
            embedded: v.embedded,
            reused: v.reused,
        }),
        ..wire::IndexOutput::new(
            &location.index,
            report.documents,
            report.passages,
            report.skipped.iter().map(ToString::to_string).collect(),
            report.seconds,
        )
    };
    write_index_output(&built, format)
}

fn write_index_output(output: &wire::IndexOutput, format: Format) -> Result<()> {
    let mut out = io::stdout().lock();
    output::write_index(&mut out, output, format)?;
    Ok(out.flush()?)
}

/// `mbc check`: reads every file of the index against its checksum.
pub fn check_command(location: &Location, format: Format) -> Result<()> {
    let index = index::verify(&location.index)?;
    let checked = wire::CheckOutput {
        schema_version: wire::SCHEMA_VERSION,
        notice: wire::NOTICE,
        index: location.index.display().to_string(),
        intact: true,
        documents: index.meta.documents,
        passages: index.meta.passages,
        vectors: index.vectors()?.map(|v| v.len()),
    };
    let mut out = io::stdout().lock();
    output::write_check(&mut out, &checked, format)?;
    Ok(out.flush()?)
}

/// Opens the index. The default index is built or updated first when it needs it; one named
/// with `--index` is used as it is.
pub fn open_index(location: &Location) -> Result<SearchIndex> {
    if location.explicit_index {
        if location.index.is_file() {
            return Err(UsageError(format!(
                "{} is a file, not an index directory; give --index the directory `mbc index` built",
                location.index.display()
            ))
            .into());
        }
        if !location.index.is_dir() {
            return Err(UsageError(format!(
                "no index directory at {}; {}",
                location.index.display(),
                location.first_build_hint()
            ))
            .into());
        }
        return match SearchIndex::open(&location.index) {
            Err(mbc::Error::IndexOutdated { corpus, .. }) if corpus.exists() => {
                upgrade(location, &corpus)
            }
            Err(mbc::Error::IndexNotFound(_)) => Err(UsageError(format!(
                "no index at {} yet (a build there did not finish, or none was started); {}",
                location.index.display(),
                location.first_build_hint()
            ))
            .into()),
            Ok(index) => {
                note_if_other_corpus(location, &index);
                note_if_stale(location, &index);
                Ok(index)
            }
            Err(other) => Err(other.into()),
        };
    }
    prepare(location)?;
    let freshness = assess(location, Check::Quick)?;
    match freshness {
        Freshness::Fresh => return open_existing(location),
        Freshness::Damaged(err) => return Err(err.into()),
        // Without its corpus an index cannot be rebuilt: use it as it is.
        _ if !location.corpus.exists() => return open_existing(location),
        _ => {}
    }
    status!(
        "note: {}; building the index of {} into {} …",
        why(&freshness),
        location.corpus.display(),
        location.index.display()
    );
    match build_index(location, false, true, Check::Quick) {
        Ok(_) => Ok(SearchIndex::open(&location.index)?),
        Err(err) => search_the_previous_index(location, err),
    }
}

/// For an index named with `--index` and no `--corpus`, the location with the corpus the index
/// was built from, when that is not the default one: `mbc index --index my-index` replaced a
/// curator's index with the bundled corpus's, saying only that "the corpus has changed". A
/// recorded corpus that is not there is an error that says so, never a reason to use another.
fn recorded_corpus(location: &Location) -> Result<Option<Location>> {
    if !location.explicit_index || location.explicit_corpus {
        return Ok(None);
    }
    let Some(meta) = index::store::current_meta(&location.index) else {
        return Ok(None);
    };
    if same_path(&meta.corpus, &location.corpus) {
        return Ok(None);
    }
    let shown = |path: &Path| printable(&from_here(path).display().to_string()).into_owned();
    if !meta.corpus.exists() {
        return Err(UsageError(format!(
            "the index at {} was built from {}, which is not there from here; pass --corpus PATH to say which corpus to build it from",
            shown(&location.index),
            shown(&meta.corpus)
        ))
        .into());
    }
    status!(
        "note: updating the index at {} from {}, the corpus it was built from (--corpus PATH --rebuild builds it from another)",
        shown(&location.index),
        shown(&meta.corpus)
    );
    Ok(Some(Location {
        corpus: meta.corpus,
        explicit_corpus: true,
        bundled_corpus: false,
        ..location.clone()
    }))
}

/// `path` (an index records its corpus's absolute path) as it is named from the working
/// directory: relative when it lies inside it, as a person typed it.
fn from_here(path: &Path) -> PathBuf {
    let here = std::env::current_dir().ok();
    match here
        .as_deref()
        .and_then(|here| path.strip_prefix(here).ok())
    {
        Some(relative) if !relative.as_os_str().is_empty() => relative.to_path_buf(),
        _ => path.to_path_buf(),
    }
}

/// True when `a` and `b` name the same file or directory.
fn same_path(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Notes that an index named with `--index` was built from another corpus than the one named
/// with `--corpus`: its passages are that corpus's, whatever `--corpus` says.
fn note_if_other_corpus(location: &Location, index: &SearchIndex) {
    let built_from = &index.meta.corpus;
    if location.explicit_corpus && !same_path(built_from, &location.corpus) {
        status!(
            "note: the index at {} was built from {}, not {}; searching it as it is (`{} --rebuild` builds it from {})",
            printable(&location.index.display().to_string()),
            printable(&from_here(built_from).display().to_string()),
            printable(&location.corpus.display().to_string()),
            printable(&location.index_command()),
            printable(&location.corpus.display().to_string())
        );
    }
}

/// Notes that an index named with `--index` is older than the corpus it was built from, when
/// that corpus is at hand: it is searched as it is, but its answers may miss what changed.
fn note_if_stale(location: &Location, index: &SearchIndex) {
    let corpus = &index.meta.corpus;
    let stale = corpus.exists()
        && matches!(
            index::assess(&location.index, Some(corpus), None, Check::Quick),
            Ok(Freshness::Stale)
        );
    if stale {
        let corpus = from_here(corpus);
        status!(
            "note: {} has changed since this index was built; searching the index as it is (`mbc index --index {} --corpus {}` updates it)",
            printable(&corpus.display().to_string()),
            printable(&shell_word(&location.index)),
            printable(&shell_word(&corpus))
        );
    }
}

/// When updating the index failed, a search uses the index as it was, if there is one: one
/// broken file in the corpus should not take the search (or the nurses' web page) down with
/// it. What failed is said first, as a warning, and what fixes it. When another process is
/// building the index, a search uses the index as it is (with a note) or, when there is none
/// yet, waits for the other build to publish one, for a bounded time.
fn search_the_previous_index(location: &Location, err: anyhow::Error) -> Result<SearchIndex> {
    let Some(mbc::Error::IndexBusy { pid, .. }) = err.downcast_ref::<mbc::Error>() else {
        let Ok(index) = SearchIndex::open(&location.index) else {
            return Err(err);
        };
        status!("warning: {err:#}");
        status!(
            "note: searching the index as it was before; fix what is named above, then `{}` updates it",
            location.index_command()
        );
        return Ok(index);
    };
    if let Ok(index) = SearchIndex::open(&location.index) {
        status!("note: process {pid} is updating the index; searching the index as it was before");
        return Ok(index);
    }
    status!("note: process {pid} is building the index; waiting for it …");
    let deadline = std::time::Instant::now() + BUSY_WAIT;
    while std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(200));
        if let Ok(index) = SearchIndex::open(&location.index) {
            return Ok(index);
        }
    }
    Err(err)
}

/// How long a search waits for another process's first build of an index.
const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

/// Rebuilds an index written by another version of mbc from the corpus it records, so that an
/// upgrade never leaves an index that cannot be searched.
fn upgrade(location: &Location, corpus: &Path) -> Result<SearchIndex> {
    status!(
        "note: the index at {} was built by another version of mbc; rebuilding it from {} …",
        location.index.display(),
        corpus.display()
    );
    let upgraded = Location {
        corpus: corpus.to_path_buf(),
        ..location.clone()
    };
    build_index(&upgraded, false, false, Check::Quick)?;
    Ok(SearchIndex::open(&location.index)?)
}

/// Writes the bundled corpus into the data directory when that is the corpus and it is not
/// there yet.
fn prepare(location: &Location) -> Result<()> {
    location.prepare().with_context(|| {
        format!(
            "could not write the bundled corpus into {}",
            printable(&location.corpus.display().to_string())
        )
    })
}

/// What the index needs, asked of the one policy in `mbc::index::assess`.
fn assess(location: &Location, check: Check) -> Result<Freshness> {
    let corpus = location
        .corpus
        .exists()
        .then_some(location.corpus.as_path());
    Ok(index::assess(
        &location.index,
        corpus,
        location.model.as_ref(),
        check,
    )?)
}

/// Why an index is being built, in a few words.
fn why(freshness: &Freshness) -> String {
    match freshness {
        Freshness::Missing => "no index yet".into(),
        Freshness::OtherFormat { found } => {
            format!("the index was built by another version of mbc (index format {found})")
        }
        Freshness::Stale => "the corpus has changed".into(),
        Freshness::NeedsVectors => "the index has no passage vectors".into(),
        Freshness::Damaged(err) => format!("{err:#}"),
        Freshness::Fresh => "the index is up to date".into(),
    }
}

fn open_existing(location: &Location) -> Result<SearchIndex> {
    SearchIndex::open(&location.index).map_err(|err| match err {
        mbc::Error::IndexNotFound(_) => UsageError(format!(
            "no index at {} and no corpus at {}: run mbc from the repository root, or pass --corpus PATH",
            location.index.display(),
            location.corpus.display()
        ))
        .into(),
        other => anyhow::Error::from(other),
    })
}

fn ensure_corpus(corpus: &Path) -> Result<()> {
    if corpus.exists() {
        Ok(())
    } else {
        Err(UsageError(format!(
            "no corpus at {}; pass --corpus PATH (a directory of .md/.txt files or a corpus.jsonl)",
            corpus.display()
        ))
        .into())
    }
}

/// Builds with a progress bar on a terminal and a one-line summary at the end. A `Thorough`
/// build (an explicit `mbc index`) reads every file's content, not only its size and time.
pub fn build_index(
    location: &Location,
    strict: bool,
    incremental: bool,
    check: Check,
) -> Result<BuildReport> {
    let bar = ProgressBar::hidden();
    if io::stderr().is_terminal() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    }
    bar.set_style(bar_style(
        "{spinner} indexing {pos}/{len} files {wide_bar} {elapsed}",
    ));
    let heartbeat = Heartbeat::new(bar.is_hidden());
    let progress = |event: BuildEvent| {
        match event {
            BuildEvent::Started { files } => bar.set_length(files as u64),
            BuildEvent::Advanced { files } => bar.inc(files as u64),
            BuildEvent::Committing => bar.set_message("writing"),
            BuildEvent::Embedding { passages } => {
                bar.set_style(bar_style(
                    "{spinner} embedding {pos}/{len} passages {wide_bar} {elapsed} (eta {eta})",
                ));
                bar.set_position(0);
                bar.set_length(passages as u64);
            }
            BuildEvent::Embedded { passages } => bar.inc(passages as u64),
        }
        heartbeat.beat(&bar, &event);
    };
    let options = BuildOptions {
        strict,
        incremental,
        model: location.model.clone(),
        trust_stamps: check == Check::Quick,
        ..BuildOptions::default()
    };
    let result = index::build(&location.corpus, &location.index, &options, &progress);
    bar.finish_and_clear();
    let report = result.with_context(|| {
        format!(
            "indexing {} failed; the previous index (if any) is unchanged",
            location.corpus.display()
        )
    })?;
    summarize(&report);
    if let Ok(meta) = index::store::read_meta(&report.generation) {
        warn_of_old_reviews(&meta);
    }
    Ok(report)
}

/// Names the texts whose last review is more than a year old: for a medical text, out of date
/// is wrong.
fn warn_of_old_reviews(meta: &index::IndexMeta) {
    let Some(cutoff) = review::a_year_before(&review::today()) else {
        return;
    };
    let old = meta.reviewed_before(&cutoff);
    if old.is_empty() {
        return;
    }
    status!(
        "warning: {} text(s) last reviewed more than a year ago (before {cutoff}); check them against current sources:",
        old.len()
    );
    for (date, path) in old {
        status!("  {} (last reviewed {})", printable(path), printable(date));
    }
}

/// Progress as a plain line every [`HEARTBEAT`] where no bar is drawn (stderr is a log or a
/// pipe): a long build, such as embedding a large corpus, otherwise said nothing for minutes.
struct Heartbeat {
    on: bool,
    started: std::time::Instant,
    last: std::cell::Cell<std::time::Instant>,
}

const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(30);

impl Heartbeat {
    fn new(on: bool) -> Self {
        let now = std::time::Instant::now();
        Heartbeat {
            on,
            started: now,
            last: std::cell::Cell::new(now),
        }
    }

    fn beat(&self, bar: &ProgressBar, event: &BuildEvent) {
        let what = match event {
            BuildEvent::Advanced { .. } => "files read",
            BuildEvent::Embedded { .. } => "passages embedded",
            _ => return,
        };
        if !self.on || self.last.get().elapsed() < HEARTBEAT {
            return;
        }
        self.last.set(std::time::Instant::now());
        status!(
            "indexing: {}/{} {what} ({} s)",
            bar.position(),
            bar.length().unwrap_or(0),
            self.started.elapsed().as_secs()
        );
    }
}

fn bar_style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).expect("the templates above are valid")
}

/// Warnings, notes and the one-line summary of a finished build, on stderr.
fn summarize(report: &BuildReport) {
    for skipped in &report.skipped {
        status!("warning: skipped {skipped}");
    }
    for note in &report.notes {
        status!("note: {note}");
    }
    let vectors = report.vectors.map_or_else(String::new, |v| {
        format!(
            ", {} passage(s) embedded, {} vector(s) reused",
            v.embedded, v.reused
        )
    });
    let what = match report.update {
        None => "indexed".to_string(),
        Some(update) => format!(
            "updated the index ({} file(s) added, {} changed, {} removed, {} unchanged): now",
            update.added, update.changed, update.removed, update.unchanged
        ),
    };
    // A bad line of a JSON lines file is a record skipped; anything else, a file.
    let is_record =
        |s: &&mbc::corpus::Skipped| s.line > 0 && s.path.extension().is_some_and(|e| e == "jsonl");
    let records = report.skipped.iter().filter(is_record).count();
    let files = report.skipped.len() - records;
    let records = if records > 0 {
        format!(" and {records} record(s)")
    } else {
        String::new()
    };
    status!(
        "{what} {} documents into {} passages ({files} file(s){records} skipped{vectors}) in {:.2} s",
        report.documents,
        report.passages,
        report.seconds
    );
}

/// Opens the index for a search, loading the embedding model meanwhile ([`attach_semantic`]).
/// `load` is [`Load::PerCall`] for a process that searches once or twice: its tokenizer then
/// reads only the word pieces of what it embeds.
pub fn open_for_search(
    location: &Location,
    requested: Option<Mode>,
    load: Load,
) -> Result<SearchIndex> {
    let model = ModelLoad::start(location, requested, load);
    let mut index = open_index(location)?;
    attach_loaded(&mut index, requested, model)?;
    Ok(index)
}

/// The embedding model, loading on a thread of its own: in a one-shot search, opening the
/// index takes a fifth of the time the model does, and the two need not wait for each other.
struct ModelLoad(Option<JoinHandle<mbc::Result<Embedder>>>);

impl ModelLoad {
    /// Starts loading the model, unless the search is lexical or there is no model.
    fn start(location: &Location, requested: Option<Mode>, load: Load) -> ModelLoad {
        let model = location
            .model
            .clone()
            .filter(|_| requested != Some(Mode::Lexical));
        ModelLoad(model.map(|model| std::thread::spawn(move || Embedder::load_with(&model, load))))
    }

    /// The loaded model, or `None` when there is none to load. A panic while loading is
    /// raised again here, where it is reported as the bug it is.
    fn finish(self) -> Option<mbc::Result<Embedder>> {
        let handle = self.0?;
        Some(
            handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        )
    }
}

/// Loads the embedding model for semantic and hybrid search. When the default mode cannot have
/// it (no vectors in the index, no usable model, vectors made by another model), the search is
/// lexical, with one note on stderr. A semantic or hybrid mode asked for explicitly is never
/// silently downgraded: that is a usage error, with the reason.
pub fn attach_semantic(
    index: &mut SearchIndex,
    location: &Location,
    requested: Option<Mode>,
) -> Result<()> {
    let model = ModelLoad::start(location, requested, Load::Whole);
    attach_loaded(index, requested, model)
}

fn attach_loaded(index: &mut SearchIndex, requested: Option<Mode>, model: ModelLoad) -> Result<()> {
    if requested == Some(Mode::Lexical) {
        return Ok(());
    }
    let unavailable = |reason: String| -> Result<()> {
        match requested {
            Some(mode) => Err(UsageError(format!(
                "--mode {} needs semantic search, which is unavailable: {reason}",
                mode.name()
            ))
            .into()),
            None => {
                status!("note: semantic search unavailable: {reason}; showing lexical results");
                Ok(())
            }
        }
    };
    let Some(vectors) = index.vectors()? else {
        // The default mode on an index built without vectors is simply lexical.
        return match requested {
            Some(_) => unavailable(
                "this index has no passage vectors (built with --no-semantic or without a model)"
                    .into(),
            ),
            None => Ok(()),
        };
    };
    let Some(loaded) = model.finish() else {
        // `--no-semantic` asked for lexical results: they need no note, unless a mode that
        // needs the model was asked for too.
        return match requested {
            Some(_) => unavailable("semantic search is switched off (--no-semantic)".into()),
            None => Ok(()),
        };
    };
    match loaded {
        Ok(embedder) if embedder.model_id() == vectors.model_id => {
            index.embedder = Some(Arc::new(embedder));
            Ok(())
        }
        Ok(embedder) => unavailable(format!(
            "the index's vectors were made by {}, not {}; run `mbc index --rebuild` to make them with this model",
            vectors.model_id,
            embedder.model_id()
        )),
        Err(err) => unavailable(format!("the model cannot be used ({err})")),
    }
}
