//! Text rendering for people: compact, cited, with matches highlighted on a terminal.

use std::io::{self, Write};
use std::ops::Range;

use super::wire::{NOTICE, StatsOutput};
use crate::lexicon::SynonymKind;
use crate::search::{Hit, PassageInContext, SearchResults, StoredPassage};
use crate::taxonomy::Approach;

/// Whether to use ANSI colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
    fn tag(&self, text: &str) -> String {
        self.paint("36", text)
    }
    /// Matched words: bold yellow on a terminal, `[word]` without colour so they still stand out.
    fn mark(&self, text: &str) -> String {
        if self.color {
            self.paint("1;33", text)
        } else {
            format!("[{text}]")
        }
    }
}

pub fn search(
    out: &mut dyn Write,
    results: &SearchResults,
    style: Style,
    explain: bool,
) -> io::Result<()> {
    if !results.corrections.is_empty() {
        let fixed: Vec<String> = results
            .corrections
            .iter()
            .map(|c| format!("{} → {}", c.from, c.to))
            .collect();
        writeln!(
            out,
            "showing results for: {} (use --exact to search as typed)",
            fixed.join(", ")
        )?;
    }
    // Misspelling variants are searched too, but listing them would only add noise.
    let mut terms: Vec<&str> = results
        .expanded
        .iter()
        .filter(|e| e.kind != SynonymKind::Misspelling)
        .map(|e| e.term.as_str())
        .collect();
    terms.dedup();
    if !terms.is_empty() {
        writeln!(
            out,
            "{}",
            style.dim(&format!("also searched: {}", terms.join(", ")))
        )?;
    }
    if results.hits.is_empty() {
        writeln!(
            out,
            "No passages found for \"{}\". Try fewer or more general words, or check the spelling.",
            results.query
        )?;
        return Ok(());
    }
    writeln!(out)?;
    for hit in &results.hits {
        result(out, hit, style)?;
        if explain {
            for c in &hit.contributions {
                writeln!(
                    out,
                    "    {}",
                    style.dim(&format!("{:>7.3}  {}", c.score, c.clause))
                )?;
            }
        }
        writeln!(out)?;
    }
    let shown = results.hits.len();
    let ms = results.took.as_secs_f64() * 1000.0;
    writeln!(
        out,
        "{}",
        style.dim(&format!(
            "{shown} of {} matching passages · {} · {ms:.1} ms",
            results.total_hits,
            results.mode.name()
        ))
    )?;
    writeln!(out, "{}", style.dim(NOTICE))
}

fn result(out: &mut dyn Write, hit: &Hit, style: Style) -> io::Result<()> {
    let heading = heading_of(&hit.passage);
    let tags = tags_of(&hit.passage);
    writeln!(
        out,
        "{:>2}. {}  {}",
        hit.rank,
        style.bold(&heading),
        style.tag(&tags)
    )?;
    writeln!(
        out,
        "    {}",
        marked(&hit.snippet.text, &hit.snippet.highlights, style)
    )?;
    writeln!(
        out,
        "    {}",
        style.dim(&format!(
            "{} · id {}",
            citation(&hit.passage),
            hit.passage.passage_id
        ))
    )
}

pub fn approaches(
    out: &mut dyn Write,
    sections: &[(Approach, SearchResults)],
    style: Style,
) -> io::Result<()> {
    for (approach, results) in sections {
        writeln!(
            out,
            "{} {}",
            style.bold(&format!("== {} ==", approach.label)),
            style.tag(&format!("[{}]", approach.id))
        )?;
        writeln!(out, "{}", style.dim(&approach.description))?;
        if results.hits.is_empty() {
            writeln!(out, "  (no passages tagged with this approach)")?;
        }
        for hit in &results.hits {
            result(out, hit, style)?;
        }
        writeln!(out)?;
    }
    writeln!(out, "{}", style.dim(NOTICE))
}

pub fn passage(out: &mut dyn Write, shown: &PassageInContext, style: Style) -> io::Result<()> {
    let p = &shown.passage;
    writeln!(
        out,
        "{}  {}",
        style.bold(&heading_of(p)),
        style.tag(&tags_of(p))
    )?;
    writeln!(
        out,
        "{}",
        style.dim(&format!("{} · id {}", citation(p), p.passage_id))
    )?;
    if let Some(previous) = &shown.previous {
        writeln!(
            out,
            "\n{}",
            style.dim(&format!(
                "[before · id {}] {}",
                previous.passage_id, previous.text
            ))
        )?;
    }
    writeln!(out, "\n{}", p.text)?;
    if let Some(next) = &shown.next {
        writeln!(
            out,
            "\n{}",
            style.dim(&format!("[after · id {}] {}", next.passage_id, next.text))
        )?;
    }
    if !p.sources.is_empty() {
        writeln!(out, "\nSources named by this document:")?;
        for source in &p.sources {
            writeln!(out, "  - {source}")?;
        }
    }
    if let Some(reviewed) = &p.last_reviewed {
        writeln!(out, "Last reviewed: {reviewed}")?;
    }
    writeln!(out, "\n{}", style.dim(NOTICE))
}

pub fn stats(out: &mut dyn Write, stats: &StatsOutput) -> io::Result<()> {
    writeln!(out, "corpus:     {}", stats.corpus)?;
    writeln!(out, "documents:  {}", stats.documents)?;
    writeln!(out, "passages:   {}", stats.passages)?;
    writeln!(
        out,
        "index size: {:.1} KiB",
        stats.index_bytes as f64 / 1024.0
    )?;
    writeln!(out, "built:      {}", stats.built_at)?;
    if !stats.skipped.is_empty() {
        writeln!(out, "skipped:    {} file(s)", stats.skipped.len())?;
    }
    match &stats.vectors {
        Some(v) => writeln!(
            out,
            "vectors:    {} ({} dimensions), by {}",
            v.count, v.dimensions, v.model
        )?,
        None => writeln!(out, "vectors:    none (lexical search only)")?,
    }
    writeln!(out, "\npassages per approach (documents):")?;
    for a in &stats.approaches {
        writeln!(
            out,
            "  {:<18} {:>5}  ({})  {}",
            a.id, a.passages, a.documents, a.label
        )?;
    }
    Ok(())
}

fn heading_of(p: &StoredPassage) -> String {
    if p.section.is_empty() {
        p.title.clone()
    } else {
        format!("{} › {}", p.title, p.section)
    }
}

fn tags_of(p: &StoredPassage) -> String {
    if p.approaches.is_empty() {
        String::new()
    } else {
        format!("[{}]", p.approaches.join(", "))
    }
}

fn citation(p: &StoredPassage) -> String {
    format!("{}:{}-{}", p.path, p.line_start, p.line_end)
}

/// `text` with the highlighted ranges marked.
fn marked(text: &str, highlights: &[Range<usize>], style: Style) -> String {
    let mut out = String::with_capacity(text.len() + highlights.len() * 12);
    let mut last = 0;
    for range in highlights {
        if range.start < last || range.end > text.len() {
            continue;
        }
        out.push_str(&text[last..range.start]);
        out.push_str(&style.mark(&text[range.clone()]));
        last = range.end;
    }
    out.push_str(&text[last..]);
    out
}

pub fn eval(
    out: &mut dyn Write,
    corpus: &std::path::Path,
    report: &crate::eval::EvalReport,
) -> io::Result<()> {
    let m = &report.mean;
    writeln!(
        out,
        "{}: {} queries evaluated",
        corpus.display(),
        report.queries
    )?;
    writeln!(out, "nDCG@10     {:.4}", m.ndcg_at_10)?;
    writeln!(out, "Recall@100  {:.4}", m.recall_at_100)?;
    writeln!(out, "MRR@10      {:.4}", m.mrr_at_10)?;
    writeln!(out, "MAP@1000    {:.4}", m.map_at_1000)
}
