//! Output: search results, passages, approach overviews and statistics rendered as text for
//! people or as JSON / JSON lines for programs. Nothing else in the crate formats results.

mod text;
pub mod wire;

use std::io::{self, Write};

use crate::search::{PassageInContext, SearchResults, StoredPassage};
use wire::{
    ApproachOut, ApproachesOutput, ExportOutput, NOTICE, PassageOut, ResultOut, SCHEMA_VERSION,
    SearchOutput, ShowOutput, StatsOutput,
};

pub use text::Style;

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
        Format::JsonLines => {
            for hit in &results.hits {
                let mut line = ResultOut::from_hit(hit, explain);
                line.notice = Some(NOTICE.to_string());
                write_json_line(out, &line)?;
            }
            Ok(())
        }
    }
}

/// For every approach, its best passages.
pub fn write_approaches(
    out: &mut dyn Write,
    sections: &[(crate::taxonomy::Approach, SearchResults)],
    format: Format,
    style: Style,
) -> io::Result<()> {
    let wire = || ApproachesOutput {
        schema_version: SCHEMA_VERSION,
        notice: NOTICE.to_string(),
        approaches: sections
            .iter()
            .map(|(approach, results)| ApproachOut {
                id: approach.id.clone(),
                label: approach.label.clone(),
                description: approach.description.clone(),
                results: results
                    .hits
                    .iter()
                    .map(|h| ResultOut::from_hit(h, false))
                    .collect(),
            })
            .collect(),
    };
    match format {
        Format::Text => text::approaches(out, sections, style),
        Format::Json => write_json(out, &wire()),
        Format::JsonLines => wire()
            .approaches
            .iter()
            .try_for_each(|a| write_json_line(out, a)),
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
        Format::Json | Format::JsonLines => write_json(
            out,
            &ShowOutput {
                schema_version: SCHEMA_VERSION,
                notice: NOTICE.to_string(),
                passage: PassageOut::from(&shown.passage),
                previous: shown.previous.as_ref().map(PassageOut::from),
                next: shown.next.as_ref().map(PassageOut::from),
            },
        ),
    }
}

/// Passages for other programs: one JSON document, or one passage per line.
pub fn write_export(
    out: &mut dyn Write,
    query: Option<&str>,
    passages: &[StoredPassage],
    format: Format,
) -> io::Result<()> {
    match format {
        Format::JsonLines => passages
            .iter()
            .try_for_each(|p| write_json_line(out, &PassageOut::from(p))),
        Format::Json | Format::Text => write_json(
            out,
            &ExportOutput {
                schema_version: SCHEMA_VERSION,
                notice: NOTICE.to_string(),
                query: query.map(String::from),
                passages: passages.iter().map(PassageOut::from).collect(),
            },
        ),
    }
}

/// Index statistics.
pub fn write_stats(out: &mut dyn Write, stats: &StatsOutput, format: Format) -> io::Result<()> {
    match format {
        Format::Text => text::stats(out, stats),
        Format::Json | Format::JsonLines => write_json(out, stats),
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
        Format::Json | Format::JsonLines => write_json(
            out,
            &wire::EvalOutput {
                schema_version: SCHEMA_VERSION,
                corpus: corpus.display().to_string(),
                queries: report.queries,
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

fn write_json<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

fn write_json_line<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}
