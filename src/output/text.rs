//! Text rendering for people: compact, cited, wrapped at word boundaries to the terminal's
//! width, with matches highlighted in colour on a terminal. Text from the corpus (and what
//! people typed) is data: control characters never reach the terminal ([`printable`]).

use std::borrow::Cow;
use std::io::{self, Write};
use std::ops::Range;

use super::wire::{CheckOutput, DOSE_NOTE, NOTICE, StatsOutput};
use crate::analysis::is_bidi_control;
use crate::corpus::{Standing, review};
use crate::lexicon::SynonymKind;
use crate::search::{ExpandedTerm, Hit, PassageInContext, SearchResults, StoredPassage};
use crate::taxonomy::Approach;

/// How text output looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// ANSI colours (on a terminal, unless turned off).
    pub color: bool,
    /// Mark matched words with `[brackets]` when there is no colour.
    pub brackets: bool,
    /// Columns to wrap at.
    pub width: usize,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            color: false,
            brackets: false,
            width: DEFAULT_WIDTH,
        }
    }
}

/// Columns when the output is not a terminal of known width.
pub const DEFAULT_WIDTH: usize = 80;
/// Lines of snippet per result: five results fit on a 24-line screen.
const SNIPPET_LINES: usize = 2;
/// Expansions named in "also searched" (the rest are in `--explain`).
const SHOWN_EXPANSIONS: usize = 3;
/// Words no passage mentions named one by one (all with `--explain`): a pasted paragraph
/// can have dozens.
const SHOWN_ABSENT: usize = 5;
/// A query quoted back in a message is cut to this many characters.
const SHOWN_QUERY_CHARS: usize = 80;
const INDENT: &str = "    ";

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
    fn warn(&self, text: &str) -> String {
        self.paint("33", text)
    }
    /// Matched words: bold yellow on a terminal, `[word]` without colour when asked for.
    fn mark(&self, text: &str) -> String {
        if self.color {
            self.paint("1;33", text)
        } else if self.brackets {
            format!("[{text}]")
        } else {
            text.to_string()
        }
    }
    fn width(&self) -> usize {
        self.width.max(40)
    }
}

/// `text` made safe to print on a terminal: control characters (escape sequences, bells,
/// newlines inside a title) are shown as visible symbols, and characters that reorder text
/// (bidirectional overrides) are dropped.
pub fn printable(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() || is_bidi_control(c);
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter(|&c| !is_bidi_control(c))
            .map(|c| match c {
                // The Unicode "control pictures" show C0 controls as symbols (␛ for ESC).
                '\0'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
                '\u{7f}' => '\u{2421}',
                c if c.is_control() => '\u{fffd}',
                c => c,
            })
            .collect(),
    )
}

/// [`printable`] for messages of several lines: line breaks stay, every other control
/// character is made visible.
pub fn printable_lines(text: &str) -> Cow<'_, str> {
    if !text.contains('\n') {
        return printable(text);
    }
    let lines: Vec<Cow<str>> = text.split('\n').map(printable).collect();
    Cow::Owned(lines.join("\n"))
}

/// `query` in quotation marks: straight ones, unless it has a straight one of its own (a phrase
/// begun and not closed), which would read as doubled (`""unbalanced"`).
fn quoted(query: &str) -> String {
    if query.contains('"') {
        format!("“{query}”")
    } else {
        format!("\"{query}\"")
    }
}

/// `text` cut at a word boundary to at most `max` characters, with "…" when cut.
pub fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    let at_word = match cut.rfind(char::is_whitespace) {
        Some(end) if end > 0 => &cut[..end],
        _ => &cut[..],
    };
    format!("{}…", at_word.trim_end())
}

/// What a search that found nothing names: after a spelling correction what was searched
/// (after "kilers → killers", nothing is about "killers", not "kilers"), otherwise the query
/// as typed, exclusions included ("chemo -nausea").
pub fn nothing_found_for(results: &SearchResults) -> &str {
    match results.corrections.is_empty() {
        true => &results.query,
        false => &results.searched,
    }
}

/// "Nothing in the corpus is about …", or with `--approach` "No passage tagged … is about …":
/// a search narrowed to one approach that finds nothing has not shown that the corpus has
/// nothing on the question ("tamoxifen" among the immunotherapy passages).
pub fn nothing_about(results: &SearchResults) -> String {
    let query = quoted(&shortened(
        &printable(nothing_found_for(results).trim()),
        SHOWN_QUERY_CHARS,
    ));
    match results.approaches.as_slice() {
        [] => format!("Nothing in the corpus is about {query}"),
        approaches => format!(
            "No passage tagged {} is about {query}",
            printable(&approaches.join(" or "))
        ),
    }
}

pub fn search(
    out: &mut dyn Write,
    results: &SearchResults,
    style: Style,
    explain: bool,
) -> io::Result<()> {
    write_interpretation(out, results, style, explain)?;
    if let Some(line) = urgent_line(results) {
        write_wrapped(out, &style.warn(&line), "", style)?;
    }
    if let Some(line) = dose_line(results) {
        write_wrapped(out, &style.warn(&line), "", style)?;
    }
    if !results.found {
        let nothing = nothing_about(results);
        let message = match (results.closest, results.approaches.is_empty()) {
            (true, _) => format!("{nothing}. These are only the closest passages, not answers:"),
            (false, true) => format!(
                "{nothing}. Try other words, or add --closest to list the nearest passages anyway."
            ),
            (false, false) => format!(
                "{nothing}. Try other words or a search without --approach, or add --closest to list the nearest passages anyway."
            ),
        };
        write_wrapped(out, &message, "", style)?;
        if !results.closest {
            return writeln!(out, "{}", style.dim(NOTICE));
        }
    }
    writeln!(out)?;
    for hit in &results.hits {
        result(out, hit, style)?;
        if explain {
            for c in &hit.contributions {
                let line = format!("{:>7.3}  {}", c.score, printable(&c.clause));
                writeln!(out, "{INDENT}{}", style.dim(&line))?;
            }
        }
        writeln!(out)?;
    }
    let ms = results.took.as_secs_f64() * 1000.0;
    let summary = if results.closest {
        format!(
            "{} closest passages · {} · {ms:.1} ms",
            results.hits.len(),
            results.mode.name()
        )
    } else {
        format!(
            "{} of {} {}, best first · {} · {ms:.1} ms",
            results.hits.len(),
            results.total_hits,
            super::wire::counted_as(results.mode),
            results.mode.name()
        )
    };
    writeln!(out, "{}", style.dim(&summary))?;
    writeln!(out, "{}", style.dim(NOTICE))
}

/// The note on the words a search corrected, if it corrected any.
pub fn corrections_line(results: &SearchResults) -> Option<String> {
    if results.corrections.is_empty() {
        return None;
    }
    let fixed: Vec<String> = results
        .corrections
        .iter()
        .map(|c| format!("{} → {}", printable(&c.from), printable(&c.to)))
        .collect();
    Some(format!(
        "showing results for: {} (use --exact to search as typed)",
        fixed.join(", ")
    ))
}

/// The warning for a query that names a symptom needing urgent care, if it names one.
pub fn urgent_line(results: &SearchResults) -> Option<String> {
    if results.urgent_symptoms.is_empty() {
        return None;
    }
    let condition = super::wire::if_meant(
        results
            .urgent_if_meant
            .iter()
            .map(|c| (c.from.as_str(), c.to.as_str())),
    );
    let names = match condition.is_empty() {
        true => "This names".to_string(),
        false => format!("{condition}this names"),
    };
    // Only passages that say when to act are pointed to: a corpus without them (a curator's own)
    // said "the first passages say when" above "nothing found".
    let pointer = match results.hits.iter().any(|hit| hit.urgent) {
        true => "; the first passages say when",
        false => "",
    };
    Some(format!(
        "{names} a symptom that needs urgent care ({}). If it is happening now, contact your care team's 24-hour line or emergency services{pointer}.",
        results.urgent_symptoms.join("; ")
    ))
}

/// The note for a query of which only the start was searched, if it was cut.
pub fn cut_line(results: &SearchResults) -> Option<String> {
    results.query_cut.then(super::wire::query_cut_note)
}

/// The note for a query that asks how much of a medicine to take, if it asks.
pub fn dose_line(results: &SearchResults) -> Option<String> {
    results.asks_for_dose.then(|| DOSE_NOTE.to_string())
}

/// What the search made of the query: corrections, words no passage uses, and the synonyms
/// that mattered.
fn write_interpretation(
    out: &mut dyn Write,
    results: &SearchResults,
    style: Style,
    explain: bool,
) -> io::Result<()> {
    if let Some(line) = corrections_line(results) {
        write_wrapped(out, &line, "", style)?;
    }
    if let Some(line) = cut_line(results) {
        write_wrapped(out, &style.warn(&line), "", style)?;
    }
    let shown_absent = if explain { usize::MAX } else { SHOWN_ABSENT };
    for absent in results.absent.iter().take(shown_absent) {
        let mut line = format!("No passage mentions \"{}\".", printable(&absent.word));
        if !absent.suggestions.is_empty() {
            let quoted: Vec<String> = absent
                .suggestions
                .iter()
                .map(|s| format!("\"{}\"", printable(s)))
                .collect();
            line.push_str(&format!(" Did you mean {}?", quoted.join(" or ")));
        }
        write_wrapped(out, &style.warn(&line), "", style)?;
    }
    let unshown = results.absent.len().saturating_sub(shown_absent);
    if unshown > 0 {
        let line =
            format!("No passage mentions {unshown} more of its words (--explain lists them).");
        write_wrapped(out, &style.warn(&line), "", style)?;
    }
    let (shown, more) = expansions_to_show(&results.expanded, explain);
    if !shown.is_empty() {
        let mut line = format!("also searched: {}", shown.join(", "));
        if more > 0 {
            line.push_str(&format!(" (and {more} more: --explain lists them)"));
        }
        write_wrapped(out, &style.dim(&line), "", style)?;
    }
    if let (true, Some(embedded)) = (explain, &results.embedded) {
        let line = format!("the embedding model was given: {}", printable(embedded));
        write_wrapped(out, &style.dim(&line), "", style)?;
    }
    Ok(())
}

/// The expansions worth naming: each term once, not the spelling variants, and (without
/// `--explain`) only the names a group is known by (the generic name, not every biosimilar
/// brand) that a listed passage contains, at most `SHOWN_EXPANSIONS`; and how many more there
/// were.
pub fn expansions_to_show(expanded: &[ExpandedTerm], explain: bool) -> (Vec<String>, usize) {
    let mut terms: Vec<String> = Vec::new();
    let mut more = 0;
    for e in expanded
        .iter()
        .filter(|e| e.kind != SynonymKind::Misspelling)
    {
        let term = printable(&e.term).to_lowercase();
        if terms.contains(&term) {
            continue;
        }
        if explain || (e.in_results && e.canonical && terms.len() < SHOWN_EXPANSIONS) {
            terms.push(term);
        } else {
            more += 1;
        }
    }
    (terms, more)
}

fn result(out: &mut dyn Write, hit: &Hit, style: Style) -> io::Result<()> {
    let number = format!("{:>2}. ", hit.rank);
    let heading = short_heading(&hit.passage, style.width() - number.len());
    writeln!(out, "{}", style.bold(&format!("{number}{heading}")))?;
    let snippet = marked(&hit.snippet.text, &hit.snippet.highlights, style);
    let lines = wrap(&snippet, INDENT, style);
    // The lines shown hold the snippet's focus (its first match, or the sentence that says to
    // act): a passage whose match comes late showed only its opening lines, without the word
    // searched for.
    let focus = &hit.snippet.focus;
    let first = line_of(&hit.snippet.text, focus.start, &lines).unwrap_or(0);
    let last = line_of(
        &hit.snippet.text,
        focus.end.max(focus.start + 1) - 1,
        &lines,
    )
    .unwrap_or(first);
    // From the focus's first line, or as late as its last line needs.
    let from = first
        .max((last + 1).saturating_sub(SNIPPET_LINES))
        .min(lines.len().saturating_sub(SNIPPET_LINES));
    let shown = &lines[from..lines.len().min(from + SNIPPET_LINES)];
    for (i, line) in shown.iter().enumerate() {
        let before = match (i, from > 0) {
            (0, true) => format!("{INDENT}…{}", &line[INDENT.len()..]),
            _ => line.clone(),
        };
        let after = if i + 1 == shown.len() && from + shown.len() < lines.len() {
            " …"
        } else {
            ""
        };
        writeln!(out, "{before}{after}")?;
    }
    write_wrapped(out, &style.dim(&meta_line(&hit.passage)), INDENT, style)?;
    if let Some(why) = &hit.contrary {
        let note = format!("↓ about {why}: listed after the passages that are not");
        write_wrapped(out, &style.warn(&printable(&note)), INDENT, style)?;
    }
    if let Some(warning) = standing_warning(&hit.passage, true) {
        write_wrapped(out, &style.warn(&printable(&warning)), INDENT, style)?;
    }
    Ok(())
}

/// The index of the wrapped line of `text` (as `lines`, wrapped from it once marked) that
/// holds byte `at`, found by counting words: marking adds none.
fn line_of(text: &str, at: usize, lines: &[String]) -> Option<usize> {
    let before = text.get(..at)?;
    // A match inside a word ("hormonal" in "non-hormonal") is in that word's line.
    let inside_a_word = !before.is_empty() && !before.ends_with(char::is_whitespace);
    let words_before = before.split_whitespace().count() - usize::from(inside_a_word);
    let mut words = 0;
    lines.iter().position(|line| {
        words += line.split_whitespace().count();
        words > words_before
    })
}

/// `title › section` in at most `width` columns: the section is what sets passages of one
/// text apart, so the title gives way first, but never wholly: which text a passage is from
/// is part of what it says (a long section heading hid it).
fn short_heading(p: &StoredPassage, width: usize) -> String {
    let full = heading_of(p);
    if textwrap::core::display_width(&full) <= width || p.section.is_empty() {
        return truncate(&full, width);
    }
    let title = printable(&p.title);
    let section = printable(&p.section);
    // The section whole, then without its outer headings ("… › inner"): the innermost is
    // what the passage is under.
    let parts: Vec<&str> = section.split(" › ").collect();
    let shorter = (1..parts.len()).map(|from| format!("… › {}", parts[from..].join(" › ")));
    for section in std::iter::once(section.to_string()).chain(shorter) {
        let room = width.saturating_sub(textwrap::core::display_width(&section) + 3);
        if room >= TITLE_AT_LEAST {
            return format!("{} › {section}", truncate(&title, room));
        }
    }
    let title = truncate(&title, TITLE_AT_LEAST);
    let left = width.saturating_sub(textwrap::core::display_width(&title) + 3);
    format!("{title} › {}", truncate(parts.last().unwrap_or(&""), left))
}

/// The columns a result's heading keeps for its document's title, however long the section.
const TITLE_AT_LEAST: usize = 20;

/// Where a passage comes from, its id and its approaches, on one line.
fn meta_line(p: &StoredPassage) -> String {
    // A no-break space keeps "id" with the id when the line wraps.
    let mut line = format!("{} · id\u{a0}{}", citation(p), printable(&p.passage_id));
    if !p.approaches.is_empty() {
        line.push_str(&format!(" · {}", p.approaches.join(", ")));
    }
    line
}

/// Why a passage's document is not to be trusted as current, if it is not. A search result
/// says where its known problems are listed (`point_to_caveats`); `mbc show` lists them.
fn standing_warning(p: &StoredPassage, point_to_caveats: bool) -> Option<String> {
    match p.standing {
        Standing::Dated => {
            let caveats = match p.caveats.len() {
                n if n > 0 && point_to_caveats => {
                    format!("; {n} known problems: mbc show {}", p.passage_id)
                }
                _ => String::new(),
            };
            Some(format!("⚠ dated text, not reviewed, no sources{caveats}"))
        }
        Standing::Unreviewed => Some(format!(
            "⚠ this text {}",
            Standing::missing_for_review(!p.sources.is_empty(), p.last_reviewed.is_some())
        )),
        Standing::Reviewed if p.review_overdue(&review::today()) => Some(format!(
            "⚠ last reviewed {}, more than a year ago: it may no longer be current",
            p.last_reviewed.as_deref().unwrap_or_default()
        )),
        Standing::Reviewed => None,
    }
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
            style.bold(&format!("== {} ==", printable(&approach.label))),
            style.dim(&format!("[{}]", approach.id))
        )?;
        write_wrapped(
            out,
            &style.dim(&printable(&approach.description)),
            "",
            style,
        )?;
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
    write_wrapped(out, &style.bold(&heading_of(p)), "", style)?;
    write_wrapped(out, &style.dim(&meta_line(p)), "", style)?;
    if let Some(warning) = standing_warning(p, false) {
        write_wrapped(out, &style.warn(&printable(&warning)), "", style)?;
        for caveat in &p.caveats {
            write_item(out, &style.warn(&printable(caveat)), None, style)?;
        }
    }
    if let Some(previous) = &shown.previous {
        writeln!(out)?;
        let before = format!(
            "[before · id {}] {}",
            previous.passage_id,
            printable(&previous.text)
        );
        write_wrapped(out, &style.dim(&before), "", style)?;
    }
    writeln!(out)?;
    write_wrapped(out, &printable(&p.text), "", style)?;
    if let Some(next) = &shown.next {
        writeln!(out)?;
        let after = format!("[after · id {}] {}", next.passage_id, printable(&next.text));
        write_wrapped(out, &style.dim(&after), "", style)?;
    }
    if !p.sources.is_empty() {
        writeln!(out, "\nSources named by this document:")?;
        for source in &p.sources {
            write_item(out, &printable(&source.text()), source.url(), style)?;
        }
    }
    if let Some(reviewed) = &p.last_reviewed {
        writeln!(out, "Last reviewed: {}", printable(reviewed))?;
    }
    writeln!(out, "\n{}", style.dim(NOTICE))
}

pub fn check(out: &mut dyn Write, checked: &CheckOutput) -> io::Result<()> {
    let vectors = checked
        .vectors
        .map_or_else(String::new, |n| format!(", {n} passage vectors"));
    writeln!(
        out,
        "the index at {} is intact: {} documents, {} passages{vectors}; every file matches its checksum",
        printable(&checked.index),
        checked.documents,
        checked.passages,
    )
}

pub fn stats(out: &mut dyn Write, stats: &StatsOutput) -> io::Result<()> {
    writeln!(out, "corpus:     {}", printable(&stats.corpus))?;
    writeln!(out, "documents:  {}", stats.documents)?;
    writeln!(out, "passages:   {}", stats.passages)?;
    writeln!(
        out,
        "index size: {:.1} KiB",
        stats.index_bytes as f64 / 1024.0
    )?;
    writeln!(out, "built:      {}", stats.built_at)?;
    if let Some(oldest) = &stats.oldest_review {
        let overdue = if review::overdue(&oldest.date, &review::today()) {
            " ⚠ more than a year ago"
        } else {
            ""
        };
        writeln!(
            out,
            "reviewed:   oldest review {} ({}){overdue}",
            printable(&oldest.date),
            printable(&oldest.path)
        )?;
    }
    if !stats.unreviewed.is_empty() {
        let line = format!(
            "unreviewed: {} file(s) with no review date: {}",
            stats.unreviewed.len(),
            stats.unreviewed.join(", ")
        );
        write_wrapped(out, &printable(&line), "", Style::default())?;
    }
    if !stats.skipped.is_empty() {
        writeln!(out, "skipped:    {} file(s):", stats.skipped.len())?;
        for skipped in &stats.skipped {
            writeln!(out, "  {}", printable(skipped))?;
        }
    }
    match &stats.vectors {
        Some(v) => writeln!(
            out,
            "vectors:    {} ({} dimensions), by {}",
            v.count,
            v.dimensions,
            printable(&v.model)
        )?,
        None => writeln!(out, "vectors:    none (lexical search only)")?,
    }
    writeln!(out, "\npassages per approach (documents):")?;
    for a in &stats.approaches {
        writeln!(
            out,
            "  {:<18} {:>5}  ({})  {}",
            a.id,
            a.passages,
            a.documents,
            printable(&a.label)
        )?;
    }
    Ok(())
}

fn heading_of(p: &StoredPassage) -> String {
    let heading = if p.section.is_empty() {
        p.title.clone()
    } else {
        format!("{} › {}", p.title, p.section)
    };
    printable(&heading).into_owned()
}

/// `path:first-last`, or `path:line` for a passage of one line (`12-12` reads as a typo).
fn citation(p: &StoredPassage) -> String {
    let path = printable(&p.path);
    if p.line_start == p.line_end {
        format!("{path}:{}", p.line_start)
    } else {
        format!("{path}:{}-{}", p.line_start, p.line_end)
    }
}

/// `text` with the highlighted ranges marked, made printable.
fn marked(text: &str, highlights: &[Range<usize>], style: Style) -> String {
    let mut out = String::with_capacity(text.len() + highlights.len() * 12);
    let mut last = 0;
    for range in highlights {
        if range.start < last || range.end > text.len() {
            continue;
        }
        out.push_str(&printable(&text[last..range.start]));
        out.push_str(&style.mark(&printable(&text[range.clone()])));
        last = range.end;
    }
    out.push_str(&printable(&text[last..]));
    out
}

/// `text` wrapped at word boundaries to the style's width, each line indented by `indent`.
/// Colour codes take no columns.
fn wrap(text: &str, indent: &str, style: Style) -> Vec<String> {
    wrap_indented(text, indent, indent, style)
}

/// [`wrap`], with the first line indented by `first` and the others by `rest`.
fn wrap_indented(text: &str, first: &str, rest: &str, style: Style) -> Vec<String> {
    // Break only at spaces: a hyphen inside "bone-directed" or "HER2-positive" is not a place
    // to break a line, and a word wider than the line (a source's URL) runs past its end
    // whole: cut in two, a copied URL is a broken link.
    let options = textwrap::Options::new(style.width())
        .initial_indent(first)
        .subsequent_indent(rest)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(false);
    textwrap::wrap(text, options)
        .into_iter()
        .map(Cow::into_owned)
        .collect()
}

fn write_wrapped(out: &mut dyn Write, text: &str, indent: &str, style: Style) -> io::Result<()> {
    for line in wrap(text, indent, style) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// A bulleted item, its text wrapped under the text and not the bullet; a URL goes on a line
/// of its own, where it can be copied whole (within the text it pushed the wrap about).
fn write_item(out: &mut dyn Write, text: &str, url: Option<&str>, style: Style) -> io::Result<()> {
    for line in item_lines(text, url, style) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn item_lines(text: &str, url: Option<&str>, style: Style) -> Vec<String> {
    let mut lines = wrap_indented(text, "  - ", ITEM_INDENT, style);
    lines.extend(url.map(|url| format!("{ITEM_INDENT}{}", printable(url))));
    lines
}

const ITEM_INDENT: &str = "    ";

/// `text` cut to `width` columns at a word boundary, with `…` where it was cut.
fn truncate(text: &str, width: usize) -> String {
    if textwrap::core::display_width(text) <= width {
        return text.to_string();
    }
    let options = textwrap::Options::new(width.saturating_sub(2).max(10))
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    let lines = textwrap::wrap(text, options);
    match lines.first() {
        Some(first) => format!("{} …", first.trim_end_matches([',', ';', ':', '›', ' '])),
        None => String::new(),
    }
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
        printable(&corpus.display().to_string()),
        report.queries
    )?;
    writeln!(out, "nDCG@10     {:.4}", m.ndcg_at_10)?;
    writeln!(out, "Recall@100  {:.4}", m.recall_at_100)?;
    writeln!(out, "MRR@10      {:.4}", m.mrr_at_10)?;
    writeln!(out, "MAP@1000    {:.4}", m.map_at_1000)?;
    writeln!(
        out,
        "unanswered  {} (queries for which the search found nothing about them)",
        report.unanswered
    )
}

pub fn questions(
    out: &mut dyn Write,
    path: &std::path::Path,
    report: &crate::eval::questions::QuestionsReport,
) -> io::Result<()> {
    use crate::eval::questions::Expectation;
    writeln!(
        out,
        "{}: {} answerable, {} urgent, {} unanswerable questions",
        printable(&path.display().to_string()),
        report.count(Expectation::Answerable),
        report.count(Expectation::Urgent),
        report.count(Expectation::Unanswerable)
    )?;
    writeln!(
        out,
        "hit@3           {:.1} %  (an answer among the first three)",
        100.0 * report.hit_at_3()
    )?;
    writeln!(
        out,
        "urgent first    {:.1} %  (the urgent advice first)",
        100.0 * report.urgent_first()
    )?;
    writeln!(
        out,
        "no-answer       {:.1} %  (\"nothing found\" for what no text answers)",
        100.0 * report.no_answer_accuracy()
    )?;
    let failed: Vec<_> = report.outcomes.iter().filter(|o| !o.passed).collect();
    if !failed.is_empty() {
        writeln!(out, "\nnot answered as expected:")?;
    }
    for o in failed {
        let rank = o
            .answer_rank
            .map_or("no answer listed".into(), |r| format!("answer at {r}"));
        writeln!(
            out,
            "  [{}] {} — {}, found {}",
            o.question.kind.name(),
            printable(&o.question.text),
            rank,
            o.found
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible_and_reordering_characters_go() {
        assert_eq!(printable("plain"), "plain");
        assert_eq!(printable("a\x1b]0;pwned\x07b"), "a␛]0;pwned␇b");
        assert_eq!(printable("evil\u{202e}txt.md"), "eviltxt.md");
        assert_eq!(printable("two\nlines"), "two␊lines");
        assert_eq!(printable_lines("two\nlines\x1b"), "two\nlines␛");
    }

    #[test]
    fn a_long_query_is_quoted_back_cut_at_a_word() {
        assert_eq!(shortened("bone pain", 80), "bone pain");
        assert_eq!(
            shortened("the lens proteins of cattle", 20),
            "the lens proteins…"
        );
        assert_eq!(shortened("abcdefghijkl", 5), "abcd…");
    }

    #[test]
    fn wrapping_breaks_at_word_boundaries_and_ignores_colour_codes() {
        let style = Style {
            color: true,
            brackets: false,
            width: 40,
        };
        let text = format!("bone {} and other words", style.mark("metastatic"));
        for line in wrap(&text.repeat(3), "    ", style) {
            let visible = textwrap::core::display_width(&line);
            assert!(visible <= 40, "{line:?}");
        }
        let plain = wrap(&"metastatic bone-directed ".repeat(5), "", Style::default());
        assert!(
            plain
                .iter()
                .all(|l| !l.ends_with("meta") && !l.starts_with("static"))
        );
    }

    #[test]
    fn a_url_wider_than_the_line_is_kept_whole() {
        let url = "https://breastcancernow.org/information-support/facing-breast-cancer/secondary";
        let style = Style {
            width: 40,
            ..Style::default()
        };
        let lines = wrap(&format!("- Breast Cancer Now. 2026. {url}"), "  ", style);
        assert!(lines.iter().any(|l| l.trim() == url), "{lines:#?}");
    }

    #[test]
    fn a_list_items_lines_align_under_its_text_and_its_url_has_a_line_of_its_own() {
        let url = "https://www.cancer.gov/types/metastatic-cancer";
        let style = Style {
            width: 40,
            ..Style::default()
        };
        let text = "National Cancer Institute. Metastatic cancer: when cancer spreads. 2025.";
        let lines = item_lines(text, Some(url), style);
        assert!(lines[0].starts_with("  - National"), "{lines:#?}");
        assert!(
            lines[1..]
                .iter()
                .all(|l| l.starts_with("    ") && !l.starts_with("     ")),
            "{lines:#?}"
        );
        assert_eq!(lines.last().unwrap().trim(), url);
        assert!(
            lines.iter().all(|l| l.len() <= 40 || l.trim() == url),
            "{lines:#?}"
        );
    }

    #[test]
    fn truncation_cuts_at_a_word_and_says_so() {
        let cut = truncate("Title › A long section heading that goes on", 20);
        assert!(cut.ends_with(" …") && cut.len() < 30, "{cut}");
    }

    #[test]
    fn expansions_are_deduplicated_and_cut_to_those_that_mattered() {
        let e = |term: &str, in_results: bool| ExpandedTerm {
            term: term.into(),
            kind: SynonymKind::Lay,
            from: "x".into(),
            canonical: term != "brand",
            in_results,
        };
        let expanded = [
            e("palliative care", true),
            e("Palliative care", true),
            e("a", true),
            e("b", true),
            e("brand", true),
            e("c", true),
            e("unseen", false),
        ];
        let (shown, more) = expansions_to_show(&expanded, false);
        assert_eq!(shown, ["palliative care", "a", "b"]);
        assert_eq!(more, 3);
        let (all, none) = expansions_to_show(&expanded, true);
        assert_eq!((all.len(), none), (6, 0));
    }
}
