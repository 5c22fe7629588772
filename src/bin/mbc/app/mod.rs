//! Running commands: the edge between the library and the person at the terminal. It finds or
//! builds the index (`open`), shows progress and notes on stderr, hands results to
//! `mbc::output`, and maps errors to exit codes and hints. Errors carry context via `anyhow`.

mod export;
mod like;
pub mod open;

use std::io::{self, Write};
use std::time::{Duration, Instant};

use anyhow::Result;

use mbc::embed::Load;
use mbc::index::SearchIndex;
use mbc::output::{self, Format, wire};
use mbc::search::{self, QueryKind, SearchRequest};

use crate::settings::Command;

/// A mistake in how mbc was called (exit code 2), as opposed to a failure while working.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Runs a command, writing results to stdout.
pub fn run(command: Command) -> Result<()> {
    if let Some(problem) = mbc::corpus::review::today_var_problem() {
        return Err(UsageError(problem).into());
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match command {
        Command::Index {
            location,
            strict,
            rebuild,
            format,
        } => open::index_command(&location, strict, rebuild, format),
        Command::Check { location, format } => open::check_command(&location, format),
        Command::Search {
            location,
            settings,
            format,
            style,
        } => {
            let started = Instant::now();
            // The typed query is what a search usually embeds (unless a word of it is
            // corrected); `--like` embeds a passage's text.
            let load = Load::PerCall {
                expected: vec![settings.query.clone()],
            };
            let index = open::open_for_search(&location, settings.ranking.mode, load)?;
            let ready = started.elapsed();
            let (query, kind) = match &settings.like {
                Some(source) => like::like_text(&index, source)?,
                None => (settings.query, QueryKind::Typed),
            };
            let request = SearchRequest {
                explain: settings.explain,
                closest: settings.closest,
                kind,
                ..settings
                    .ranking
                    .request(query, settings.limit, settings.approaches)
            };
            let results = search::search(&index, &request)?;
            if format == Format::JsonLines {
                notes_for_records(&results);
                if results.hits.is_empty() {
                    status!(
                        "note: {}; no lines written (--closest lists the nearest passages)",
                        lowercase_first(&output::nothing_about(&results))
                    );
                }
            }
            output::write_search(&mut out, &results, format, style, request.explain)?;
            if std::env::var_os("MBC_TIMINGS").is_some() {
                report_timings(&index, &results, ready, started.elapsed());
            }
            // The process ends next and the system takes its memory back at once; freeing the
            // model's tens of thousands of allocations one by one took 5 ms of a 60 ms search.
            std::mem::forget(index);
            Ok(out.flush()?)
        }
        Command::Approaches {
            location,
            per,
            format,
            style,
        } => {
            // The model ranks the passages that explain each approach best: a dozen short
            // descriptions to embed, too few to read the whole tokenizer for.
            let load = Load::PerCall {
                expected: Vec::new(),
            };
            let index = open::open_for_search(&location, None, load)?;
            let sections = search::best_by_approach(&index, per)?;
            output::write_approaches(&mut out, &sections, format, style)?;
            Ok(out.flush()?)
        }
        Command::Export {
            location,
            settings,
            format,
            output,
        } => export::export_command(&location, &settings, format, output.as_deref()),
        Command::Show {
            location,
            passage_id,
            format,
            style,
        } => {
            let index = open::open_index(&location)?;
            let shown = search::passage_in_context(&index, passage_id.trim())?;
            output::write_passage(&mut out, &shown, format, style)?;
            Ok(out.flush()?)
        }
        Command::Eval {
            location,
            settings,
            format,
        } => {
            export::eval_command(&location, &settings, format, &mut out)?;
            Ok(out.flush()?)
        }
        Command::Serve { location, settings } => crate::serve::serve_command(location, &settings),
        Command::Completions(shell) => {
            crate::cli::write_completions(shell, &mut out)?;
            Ok(out.flush()?)
        }
        Command::Man => {
            crate::cli::write_man_page(&mut out)?;
            Ok(out.flush()?)
        }
        Command::Stats { location, format } => {
            let index = open::open_index(&location)?;
            output::write_stats(&mut out, &stats(&index)?, format)?;
            Ok(out.flush()?)
        }
    }
}

/// A sentence of the output layer as the rest of a "note: …" line ("Nothing …" → "nothing …").
fn lowercase_first(sentence: &str) -> String {
    let mut chars = sentence.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

/// What a search's records have no place for (the words corrected, an urgent symptom, …), as
/// "note: …" lines on stderr: for JSON lines from `search`, and for `export`.
fn notes_for_records(results: &search::SearchResults) {
    for note in output::notes_for_lines(results) {
        status!("note: {note}");
    }
}

/// With `MBC_TIMINGS` set, where a search's time went, on stderr (for `scripts/bench-perf.sh`;
/// the model loads beside the index, and the query is embedded beside the lexical search).
fn report_timings(
    index: &SearchIndex,
    results: &search::SearchResults,
    ready: Duration,
    total: Duration,
) {
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1e3);
    let model = match index.semantic() {
        Some((embedder, _)) => {
            let load = embedder.load_times();
            format!(
                " (model alongside: weights {}, tokenizer {})",
                ms(load.weights),
                ms(load.tokenizer)
            )
        }
        None => String::new(),
    };
    let embedding = results
        .took_embedding
        .map(|d| format!(" (query embedding {}, alongside the lexical search)", ms(d)))
        .unwrap_or_default();
    status!(
        "timings: index ready {}{model}; search {}{embedding}; total {}",
        ms(ready),
        ms(results.took),
        ms(total)
    );
}

/// What `mbc stats` reports about an index.
pub fn stats(index: &SearchIndex) -> mbc::Result<wire::StatsOutput> {
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
        notice: wire::NOTICE,
        documents: index.meta.documents,
        passages: index.meta.passages,
        approaches,
        index_bytes: index.size_on_disk(),
        built_at: humantime::format_rfc3339_seconds(built).to_string(),
        corpus: index.meta.corpus.display().to_string(),
        skipped: index.meta.skipped.clone(),
        vectors: index.vectors()?.map(|v| wire::VectorsInfo {
            model: v.model_id.clone(),
            count: v.len(),
            dimensions: v.dim,
        }),
        oldest_review: index
            .meta
            .oldest_review()
            .map(|(date, path)| wire::ReviewOut {
                date: date.to_string(),
                path: path.to_string(),
            }),
        unreviewed: index
            .meta
            .unreviewed()
            .into_iter()
            .map(String::from)
            .collect(),
    })
}

/// The library errors behind an error, outermost first.
fn library_errors(err: &anyhow::Error) -> impl Iterator<Item = &mbc::Error> {
    err.chain()
        .filter_map(|cause| cause.downcast_ref::<mbc::Error>())
}

/// Writes an error to stderr: `error: …` with its causes and a `hint: …` line, or the JSON
/// error object of `docs/json.md`.
pub fn report_error(err: &anyhow::Error, format: Format) {
    // Line breaks stay: an error can name several files, one to a line.
    let message = output::printable_lines(&format!("{err:#}")).into_owned();
    if format != Format::Text {
        let error = wire::ErrorOut {
            kind: error_kind(err),
            message,
            hint: hint(err),
            exit_code: exit_code(err),
        };
        let _ = output::write_error(&mut io::stderr().lock(), format, error);
    } else {
        status!("error: {message}");
        if let Some(hint) = hint(err) {
            status!("hint: {hint}");
        }
    }
}

/// The exit code for an error: 2 for usage mistakes, 1 for everything else.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    if is_usage_kind(error_kind(err)) { 2 } else { 1 }
}

fn is_usage_kind(kind: &str) -> bool {
    matches!(kind, "usage" | "unknown_approach" | "unknown_passage")
}

/// The error's kind, as JSON errors name it (`docs/json.md`).
fn error_kind(err: &anyhow::Error) -> &'static str {
    if err
        .chain()
        .any(|c| c.downcast_ref::<UsageError>().is_some())
    {
        return "usage";
    }
    let Some(library) = library_errors(err).next() else {
        return "failed";
    };
    match library {
        mbc::Error::UnknownApproach { .. } => "unknown_approach",
        mbc::Error::PassageNotFound(_) => "unknown_passage",
        e if e.is_usage() => "usage",
        mbc::Error::IndexCorrupt { .. } => "damaged_index",
        mbc::Error::Corpus { .. }
        | mbc::Error::CorpusFiles(_)
        | mbc::Error::StrictFailure { .. }
        | mbc::Error::EmptyCorpus { .. }
        | mbc::Error::DataFile { .. } => "corpus",
        mbc::Error::Io { .. } => "io",
        _ => "failed",
    }
}

/// What to do about an error, when there is something to do.
pub fn hint(err: &anyhow::Error) -> Option<String> {
    library_errors(err).find_map(|e| match e {
        mbc::Error::IndexOutdated { path, .. } => Some(format!(
            "rebuild it with `mbc index --index {} --corpus PATH`",
            path.display()
        )),
        e if e.needs_rebuild() => Some(
            "run `mbc index` (with the same --index and --corpus) to rebuild the index; \
             `mbc index --rebuild` rebuilds it from scratch"
                .to_string(),
        ),
        _ => None,
    })
}

/// True when the error is only a closed stdout (`mbc search … | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
