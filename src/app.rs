//! Running commands: the edge between the library and the person at the terminal. It resolves
//! where the index and corpus are, builds the index when it is missing or stale, shows progress
//! on stderr, and hands results to `output`. Errors carry context via `anyhow`.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use crate::embed::{self, Embedder};
use crate::eval;
use crate::index::{self, BuildEvent, BuildOptions, BuildReport, Freshness, SearchIndex};
use crate::output::{self, wire, Format, Style};
use crate::search::{self, Fusion, Mode, SearchRequest};

/// Default corpus and index, relative to the working directory (the repository root).
pub const DEFAULT_CORPUS: &str = "corpus";
pub const DEFAULT_INDEX: &str = "index";

/// Where the index and the corpus are, and whether the index was named explicitly.
#[derive(Debug, Clone)]
pub struct Location {
    pub index: PathBuf,
    pub corpus: PathBuf,
    /// True when the index directory was given with `--index`: it is then used as it is and
    /// never built implicitly.
    pub explicit_index: bool,
    /// The embedding model directory; `None` when semantic search is switched off.
    pub model: Option<PathBuf>,
}

impl Location {
    pub fn new(
        index: Option<PathBuf>,
        corpus: Option<PathBuf>,
        model: Option<PathBuf>,
        semantic: bool,
    ) -> Self {
        Location {
            explicit_index: index.is_some(),
            index: index.unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX)),
            corpus: corpus.unwrap_or_else(|| PathBuf::from(DEFAULT_CORPUS)),
            model: semantic
                .then(|| model.unwrap_or_else(|| PathBuf::from(embed::DEFAULT_MODEL_DIR))),
        }
    }
}

/// How results are ranked, for search and eval alike.
#[derive(Debug, Clone, Copy, Default)]
pub struct RankingSettings {
    /// `None`: hybrid when the index has vectors, silently lexical when it has none.
    pub mode: Option<Mode>,
    pub fusion: Fusion,
    pub exact: bool,
    pub feedback: bool,
}

impl RankingSettings {
    /// A search request ranked these ways.
    fn request(
        self,
        query: String,
        limit: usize,
        approaches: Vec<String>,
        explain: bool,
    ) -> SearchRequest {
        SearchRequest {
            mode: self.mode.unwrap_or_default(),
            fusion: self.fusion,
            query,
            limit,
            approaches,
            exact: self.exact,
            explain,
            feedback: self.feedback,
        }
    }
}

#[derive(Debug, Clone)]
pub struct SearchSettings {
    pub ranking: RankingSettings,
    pub query: String,
    pub limit: usize,
    pub approaches: Vec<String>,
    pub explain: bool,
}

#[derive(Debug, Clone)]
pub struct ExportSettings {
    pub query: Option<String>,
    pub approaches: Vec<String>,
    pub all: bool,
    pub limit: usize,
}

#[derive(Debug, Clone)]
pub struct EvalSettings {
    pub ranking: RankingSettings,
    pub queries: PathBuf,
    pub qrels: PathBuf,
    pub run: Option<PathBuf>,
}

/// A command with its settings, free of any flag-parsing types.
#[derive(Debug, Clone)]
pub enum Command {
    Index {
        location: Location,
        strict: bool,
        rebuild: bool,
    },
    Search {
        location: Location,
        settings: SearchSettings,
        format: Format,
        style: Style,
    },
    Approaches {
        location: Location,
        per: usize,
        format: Format,
        style: Style,
    },
    Export {
        location: Location,
        settings: ExportSettings,
        format: Format,
        output: Option<PathBuf>,
    },
    Show {
        location: Location,
        passage_id: String,
        format: Format,
        style: Style,
    },
    Stats {
        location: Location,
        format: Format,
    },
    Eval {
        location: Location,
        settings: EvalSettings,
        format: Format,
    },
}

impl Command {
    fn location(&self) -> &Location {
        match self {
            Command::Index { location, .. }
            | Command::Search { location, .. }
            | Command::Approaches { location, .. }
            | Command::Export { location, .. }
            | Command::Show { location, .. }
            | Command::Stats { location, .. }
            | Command::Eval { location, .. } => location,
        }
    }
}

/// A mistake in how mbc was called (exit code 2), as opposed to a failure while working.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Runs a command, writing results to stdout. A panic inside the search engine (possible when
/// index files are damaged in ways their checksums do not reveal) is reported as a damaged
/// index rather than as a crash.
pub fn run(command: Command) -> Result<()> {
    let index_dir = command.location().index.clone();
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_command(command)));
    std::panic::set_hook(previous_hook);
    outcome.unwrap_or_else(|panic| {
        Err(crate::Error::IndexCorrupt {
            path: index_dir,
            reason: format!("internal error: {}", crate::error::panic_message(&*panic)),
        }
        .into())
    })
}

fn run_command(command: Command) -> Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match command {
        Command::Index {
            location,
            strict,
            rebuild,
        } => index_command(&location, strict, rebuild),
        Command::Search {
            location,
            settings,
            format,
            style,
        } => {
            let mut index = open_index(&location)?;
            attach_semantic(&mut index, &location, settings.ranking.mode);
            let request = settings.ranking.request(
                settings.query,
                settings.limit,
                settings.approaches,
                settings.explain,
            );
            let results = search::search(&index, &request)?;
            output::write_search(&mut out, &results, format, style, request.explain)?;
            Ok(out.flush()?)
        }
        Command::Approaches {
            location,
            per,
            format,
            style,
        } => {
            let index = open_index(&location)?;
            let mut sections = Vec::new();
            for approach in index.taxonomy.approaches() {
                let request = search::approach_request(&index, &approach.id, per)?;
                sections.push((approach.clone(), search::search(&index, &request)?));
            }
            output::write_approaches(&mut out, &sections, format, style)?;
            Ok(out.flush()?)
        }
        Command::Export {
            location,
            settings,
            format,
            output,
        } => export_command(&location, &settings, format, output.as_deref()),
        Command::Show {
            location,
            passage_id,
            format,
            style,
        } => {
            let index = open_index(&location)?;
            let shown = search::passage_in_context(&index, passage_id.trim())?;
            output::write_passage(&mut out, &shown, format, style)?;
            Ok(out.flush()?)
        }
        Command::Eval {
            location,
            settings,
            format,
        } => {
            let report = eval_command(&location, &settings)?;
            output::write_eval(&mut out, &location.corpus, &report, format)?;
            Ok(out.flush()?)
        }
        Command::Stats { location, format } => {
            let index = open_index(&location)?;
            output::write_stats(&mut out, &stats(&index)?, format)?;
            Ok(out.flush()?)
        }
    }
}

fn index_command(location: &Location, strict: bool, rebuild: bool) -> Result<()> {
    ensure_corpus(&location.corpus)?;
    if !rebuild && index::freshness(&location.index, &location.corpus)? == Freshness::Fresh {
        match SearchIndex::open(&location.index) {
            Ok(index) => {
                eprintln!(
                    "index at {} is up to date ({} documents, {} passages); use --rebuild to rebuild it anyway",
                    location.index.display(),
                    index.meta.documents,
                    index.meta.passages
                );
                return Ok(());
            }
            Err(err) => eprintln!("note: {err:#}; rebuilding"),
        }
    }
    build_index(location, strict, !rebuild)?;
    Ok(())
}

/// Opens the index, building it first when it is the default one and missing or stale.
pub fn open_index(location: &Location) -> Result<SearchIndex> {
    if location.explicit_index {
        if !location.index.is_dir() {
            return Err(UsageError(format!(
                "no index directory at {}; build one with `mbc index --index {}`",
                location.index.display(),
                location.index.display()
            ))
            .into());
        }
        return Ok(SearchIndex::open(&location.index)?);
    }
    let freshness = if location.corpus.exists() {
        index::freshness(&location.index, &location.corpus)?
    } else {
        Freshness::Fresh
    };
    let why = match freshness {
        Freshness::Fresh => {
            let index = SearchIndex::open(&location.index).map_err(|err| match err {
                crate::Error::IndexNotFound(_) => UsageError(format!(
                    "no index at {} and no corpus at {}: run mbc from the repository root, or pass --corpus PATH",
                    location.index.display(),
                    location.corpus.display()
                ))
                .into(),
                other => anyhow::Error::from(other),
            })?;
            if index.vectors.is_some() || !model_available(location) || !location.corpus.exists() {
                return Ok(index);
            }
            "the index has no passage vectors"
        }
        Freshness::Missing => "no index yet",
        Freshness::Stale => "the corpus has changed",
    };
    eprintln!(
        "note: {why}; building the index of {} into {} …",
        location.corpus.display(),
        location.index.display()
    );
    build_index(location, false, true)?;
    Ok(SearchIndex::open(&location.index)?)
}

/// True when a model directory is configured and looks usable, so an index without vectors
/// should be rebuilt with them.
fn model_available(location: &Location) -> bool {
    location
        .model
        .as_ref()
        .is_some_and(|dir| dir.join("config.json").is_file())
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

/// Builds with a progress bar on a terminal and a one-line summary at the end.
fn build_index(location: &Location, strict: bool, incremental: bool) -> Result<BuildReport> {
    let bar = ProgressBar::hidden();
    if io::stderr().is_terminal() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    }
    bar.set_style(
        ProgressStyle::with_template("{spinner} indexing {pos}/{len} files {wide_bar} {elapsed}")
            .expect("valid template"),
    );
    let progress = |event: BuildEvent| match event {
        BuildEvent::Started { files } => bar.set_length(files as u64),
        BuildEvent::Advanced { files } => bar.inc(files as u64),
        BuildEvent::Committing => bar.set_message("writing"),
        BuildEvent::Embedding { passages } => {
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} embedding {pos}/{len} passages {wide_bar} {elapsed} (eta {eta})",
                )
                .expect("valid template"),
            );
            bar.set_position(0);
            bar.set_length(passages as u64);
        }
        BuildEvent::Embedded { passages } => bar.inc(passages as u64),
    };
    let options = BuildOptions {
        strict,
        incremental,
        model: location.model.clone(),
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
    for skipped in &report.skipped {
        eprintln!("warning: skipped {skipped}");
    }
    for note in &report.notes {
        eprintln!("note: {note}");
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
    eprintln!(
        "{what} {} documents into {} passages ({} file(s) skipped{vectors}) in {:.2} s",
        report.documents,
        report.passages,
        report.skipped.len(),
        report.seconds
    );
    Ok(report)
}

fn export_command(
    location: &Location,
    settings: &ExportSettings,
    format: Format,
    output: Option<&Path>,
) -> Result<()> {
    let index = open_index(location)?;
    let passages: Vec<search::StoredPassage> = match (&settings.query, settings.all) {
        (_, true) => {
            index.taxonomy.ensure_known(&settings.approaches)?;
            let all = search::all_passages(&index)?;
            all.into_iter()
                .filter(|p| {
                    settings.approaches.is_empty()
                        || settings.approaches.iter().any(|a| p.approaches.contains(a))
                })
                .collect()
        }
        (Some(query), false) => {
            let mut index = index;
            attach_semantic(&mut index, location, None);
            let ranking = RankingSettings {
                feedback: true,
                ..RankingSettings::default()
            };
            let request = ranking.request(
                query.clone(),
                settings.limit,
                settings.approaches.clone(),
                false,
            );
            search::search(&index, &request)?
                .hits
                .into_iter()
                .map(|h| h.passage)
                .collect()
        }
        (None, false) => {
            return Err(UsageError(
                "give a query to export its results, or --all to export every passage".into(),
            )
            .into())
        }
    };
    match output {
        None => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            output::write_export(&mut out, settings.query.as_deref(), &passages, format)?;
            Ok(out.flush()?)
        }
        Some(path) => {
            write_atomically(path, |out| {
                output::write_export(out, settings.query.as_deref(), &passages, format)
            })?;
            eprintln!("wrote {} passages to {}", passages.len(), path.display());
            Ok(())
        }
    }
}

/// Writes a file through a temporary file in the same directory, renamed into place on success,
/// so readers never see a half-written file.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    {
        let mut out = io::BufWriter::new(temp.as_file_mut());
        write(&mut out)?;
        out.flush()?;
    }
    temp.as_file().sync_all()?;
    temp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn eval_command(location: &Location, settings: &EvalSettings) -> Result<eval::EvalReport> {
    if !location.corpus.is_file() {
        return Err(UsageError(format!(
            "mbc eval needs --corpus pointing at a BEIR corpus.jsonl (got {})",
            location.corpus.display()
        ))
        .into());
    }
    let queries = eval::load_queries(&settings.queries)?;
    let qrels = eval::load_qrels(&settings.qrels)?;
    let eval_location = Location {
        index: if location.explicit_index {
            location.index.clone()
        } else {
            eval::cached_index_dir(&location.corpus)?
        },
        corpus: location.corpus.clone(),
        explicit_index: false,
        model: location.model.clone(),
    };
    let mut index = open_index(&eval_location)?;
    attach_semantic(&mut index, location, settings.ranking.mode);
    let template = settings
        .ranking
        .request(String::new(), eval::RUN_DEPTH, Vec::new(), false);
    let report = eval::evaluate(&index, &queries, &qrels, &template)?;
    if let Some(path) = &settings.run {
        write_atomically(path, |out| eval::write_run(out, &report))?;
        eprintln!("wrote the run to {}", path.display());
    }
    Ok(report)
}

/// Loads the embedding model for semantic and hybrid search. Semantic search degrades to
/// lexical with one note on stderr, never an error: when the model cannot be loaded, when it is
/// not the model that made the index's vectors, or (if a semantic mode was asked for
/// explicitly) when the index has no vectors.
fn attach_semantic(index: &mut SearchIndex, location: &Location, requested: Option<Mode>) {
    if requested == Some(Mode::Lexical) {
        return;
    }
    let Some(vectors) = &index.vectors else {
        if requested.is_some() {
            eprintln!("note: this index has no passage vectors (built with --no-semantic or without a model); showing lexical results");
        }
        return;
    };
    let Some(model_dir) = &location.model else {
        return;
    };
    match Embedder::load(model_dir) {
        Ok(embedder) if embedder.model_id() == vectors.model_id => index.embedder = Some(embedder),
        Ok(embedder) => eprintln!(
            "note: the index's vectors were made by {}, not {}; run `mbc index --rebuild` for semantic search; showing lexical results",
            vectors.model_id,
            embedder.model_id()
        ),
        Err(err) => eprintln!("note: semantic search unavailable ({err}); showing lexical results"),
    }
}

fn stats(index: &SearchIndex) -> Result<wire::StatsOutput> {
    let mut approaches = Vec::new();
    for approach in index.taxonomy.approaches() {
        approaches.push(wire::ApproachCount {
            id: approach.id.clone(),
            label: approach.label.clone(),
            passages: search::count_tagged(index, &approach.id)?,
            documents: search::documents_tagged(index, &approach.id)?,
        });
    }
    let built = std::time::UNIX_EPOCH + std::time::Duration::from_secs(index.meta.built_at);
    Ok(wire::StatsOutput {
        schema_version: wire::SCHEMA_VERSION,
        documents: index.meta.documents,
        passages: index.meta.passages,
        approaches,
        index_bytes: index.size_on_disk(),
        built_at: humantime::format_rfc3339_seconds(built).to_string(),
        corpus: index.meta.corpus.display().to_string(),
        skipped: index.meta.skipped.clone(),
        vectors: index.vectors.as_ref().map(|v| wire::VectorsInfo {
            model: v.model_id.clone(),
            count: v.len(),
            dimensions: v.dim,
        }),
    })
}

/// The exit code for an error: 2 for usage mistakes, 1 for everything else.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    let usage = err.chain().any(|cause| {
        cause.downcast_ref::<UsageError>().is_some()
            || cause
                .downcast_ref::<crate::Error>()
                .is_some_and(crate::Error::is_usage)
    });
    if usage {
        2
    } else {
        1
    }
}

/// True when the error is only a closed stdout (`mbc search … | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
