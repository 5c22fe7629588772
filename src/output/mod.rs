//! Output: search results, passages, approach overviews and statistics rendered as text for
//! people or as JSON / JSON lines for programs. Nothing else in the crate formats results.

mod pretty;
mod text;
pub mod wire;

use std::io::{self, Write};

use crate::search::{PassageInContext, SearchResults, StoredPassage};
use wire::{
    ApproachesOutput, CheckOutput, ExportOutput, IndexOutput, NOTICE, PassageRecord, RecordLine,
    SCHEMA_VERSION, SearchOutput, ShowOutput, StatsOutput,
};

pub use text::{
    DEFAULT_WIDTH, Style, expansions_to_show, nothing_about, nothing_found_for, printable,
    printable_lines, shortened,
};

/// What a search's text output says above its passages and JSON lines have no place for: the
/// words corrected, the warning for an urgent symptom and the note that no dose is given.
/// Written to stderr, so that no one reading the lines misses them.
pub fn notes_for_lines(results: &SearchResults) -> Vec<String> {
    [
        text::corrections_line(results),
        text::urgent_line(results),
        text::dose_line(results),
        text::cut_line(results),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// How results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    JsonLines,
}

/// Search results.
pub fn write_search(
    out: &mut dyn Write,
    results: &SearchResults,
    format: Format,
    style: Style,
    explain: bool,
) -> io::Result<()> {
    match format {
        Format::Text => text::search(out, results, style, explain),
        Format::Json => write_json(out, &SearchOutput::new(results, explain)),
        Format::JsonLines => write_lines(
            out,
            results
                .hits
                .iter()
                .map(|h| PassageRecord::ranked(h, explain)),
            results.closest,
        ),
    }
}

/// For every approach, its best passages.
pub fn write_approaches(
    out: &mut dyn Write,
    sections: &[(crate::taxonomy::Approach, SearchResults)],
    format: Format,
    style: Style,
) -> io::Result<()> {
    let wire = || ApproachesOutput::new(sections);
    match format {
        Format::Text => text::approaches(out, sections, style),
        Format::Json => write_json(out, &wire()),
        Format::JsonLines => wire().approaches.iter().try_for_each(|approach| {
            write_json_line(
                out,
                &wire::ApproachLine {
                    approach,
                    notice: NOTICE,
                },
            )
        }),
    }
}

/// One passage with its neighbours.
pub fn write_passage(
    out: &mut dyn Write,
    shown: &PassageInContext,
    format: Format,
    style: Style,
) -> io::Result<()> {
    match format {
        Format::Text => text::passage(out, shown, style),
        Format::Json | Format::JsonLines => write_document(out, format, &ShowOutput::new(shown)),
    }
}

/// What `mbc export` writes: the results of a query, or every passage.
#[derive(Debug, Clone, Copy)]
pub enum Exported<'a> {
    Results(&'a SearchResults),
    All(&'a [StoredPassage]),
}

impl Exported<'_> {
    pub fn len(&self) -> usize {
        match self {
            Exported::Results(results) => results.hits.len(),
            Exported::All(passages) => passages.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn records(&self) -> Vec<PassageRecord> {
        match self {
            Exported::Results(results) => results
                .hits
                .iter()
                .map(|h| PassageRecord::ranked(h, false))
                .collect(),
            Exported::All(passages) => passages.iter().map(PassageRecord::unranked).collect(),
        }
    }

    fn closest(&self) -> bool {
        matches!(self, Exported::Results(results) if results.closest)
    }
}

/// Passages for other programs: one JSON document, or one passage per line.
pub fn write_export(
    out: &mut dyn Write,
    query: Option<&str>,
    exported: Exported,
    format: Format,
) -> io::Result<()> {
    match format {
        Format::JsonLines => write_lines(out, exported.records().into_iter(), exported.closest()),
        Format::Json | Format::Text => write_json(
            out,
            &ExportOutput {
                schema_version: SCHEMA_VERSION,
                notice: NOTICE,
                query: query.map(String::from),
                passages: exported.records(),
            },
        ),
    }
}

/// Index statistics.
pub fn write_stats(out: &mut dyn Write, stats: &StatsOutput, format: Format) -> io::Result<()> {
    match format {
        Format::Text => text::stats(out, stats),
        Format::Json | Format::JsonLines => write_document(out, format, stats),
    }
}

/// What `mbc index` did, for a script: nothing in text, which says it on standard error as the
/// build goes.
pub fn write_index(out: &mut dyn Write, built: &IndexOutput, format: Format) -> io::Result<()> {
    match format {
        Format::Text => Ok(()),
        Format::Json | Format::JsonLines => write_document(out, format, built),
    }
}

/// What `mbc check` found: an intact index.
pub fn write_check(out: &mut dyn Write, checked: &CheckOutput, format: Format) -> io::Result<()> {
    match format {
        Format::Text => text::check(out, checked),
        Format::Json | Format::JsonLines => write_document(out, format, checked),
    }
}

/// Ranking-quality metrics of an evaluation.
pub fn write_eval(
    out: &mut dyn Write,
    corpus: &std::path::Path,
    report: &crate::eval::EvalReport,
    format: Format,
) -> io::Result<()> {
    match format {
        Format::Text => text::eval(out, corpus, report),
        Format::Json | Format::JsonLines => write_document(
            out,
            format,
            &wire::EvalOutput {
                schema_version: SCHEMA_VERSION,
                corpus: corpus.display().to_string(),
                queries: report.queries,
                unanswered: report.unanswered,
                metrics: report.mean,
                per_query: report
                    .per_query
                    .iter()
                    .map(|(query, metrics)| wire::QueryMetrics {
                        query: query.clone(),
                        metrics: *metrics,
                    })
                    .collect(),
            },
        ),
    }
}

/// How a people's-questions set was answered.
pub fn write_questions(
    out: &mut dyn Write,
    path: &std::path::Path,
    report: &crate::eval::questions::QuestionsReport,
    format: Format,
) -> io::Result<()> {
    match format {
        Format::Text => text::questions(out, path, report),
        Format::Json | Format::JsonLines => {
            write_document(out, format, &wire::QuestionsOutput::new(path, report))
        }
    }
}

/// An error as JSON, for `--format json`, or on one line for `jsonl` (the caller writes it to
/// stderr).
pub fn write_error(out: &mut dyn Write, format: Format, error: wire::ErrorOut) -> io::Result<()> {
    write_document(
        out,
        format,
        &wire::ErrorOutput {
            schema_version: SCHEMA_VERSION,
            error,
        },
    )
}

fn write_lines(
    out: &mut dyn Write,
    records: impl Iterator<Item = PassageRecord>,
    closest: bool,
) -> io::Result<()> {
    for record in records {
        let line = RecordLine {
            record,
            notice: NOTICE,
            closest,
        };
        write_json_line(out, &line)?;
    }
    Ok(())
}

/// Indented JSON, blocks kept as JSON already included ([`pretty::Indented`]).
fn write_json<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, pretty::Indented::new());
    value.serialize(&mut serializer)?;
    writeln!(out)
}

/// A command's one document: indented, or on one line for `--format jsonl`.
fn write_document<T: serde::Serialize>(
    out: &mut dyn Write,
    format: Format,
    value: &T,
) -> io::Result<()> {
    match format {
        Format::JsonLines => write_json_line(out, value),
        _ => write_json(out, value),
    }
}

fn write_json_line<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}
