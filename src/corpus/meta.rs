//! What a document says about itself: its metadata, written as TOML in a Markdown file's front
//! matter or, for a file that must stay as it is (a plain-text article kept verbatim), in a
//! sidecar file beside it (`NAME.meta.toml`). Both have the same fields.
//!
//! ```toml
//! title = "Chemotherapy for metastatic breast cancer"   # required in front matter
//! summary = "One sentence on what the text covers."
//! audience = ["patients", "families", "nurses"]
//! last_reviewed = 2026-11-27
//! approaches = ["chemotherapy"]                          # ids from approaches.toml
//! sources = [
//!   { organization = "National Cancer Institute", title = "Breast Cancer Treatment (PDQ)", year = 2025, url = "https://www.cancer.gov/types/breast/patient/breast-treatment-pdq" },
//!   "A plain citation is accepted too. 2024.",
//! ]
//! status = "dated"                                       # optional: kept for the record
//! caveats = ["What is known to be wrong or out of date in it."]
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// Metadata a document declares about itself; empty for plain text without a sidecar and for
/// JSON lines records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentMeta {
    pub summary: Option<String>,
    pub sources: Vec<Source>,
    pub audience: Vec<String>,
    /// A date, `YYYY-MM-DD`.
    pub last_reviewed: Option<String>,
    /// Approach ids the author says the document covers; a hint for tagging, not a verdict.
    pub approaches: Vec<String>,
    /// True for a text kept for the record that is known to be out of date (`status = "dated"`).
    pub dated: bool,
    /// What is known to be wrong or out of date in the text.
    pub caveats: Vec<String>,
    /// Words and phrases a query must name for the text's passages to lead the results: a text
    /// hard to come upon unasked (what to expect as someone is dying) is put after passages
    /// that answer about as well, unless the query names one of them. Empty for most texts.
    pub first_only_when_asked: Vec<String>,
    /// How many of the first places its passages leave to other texts that answer about as
    /// well, when a query does not ask for it: 1 (never first) unless the text says more. A
    /// safety plan for thoughts of suicide should not be second for "should i make a will".
    pub keep_out_of_first: usize,
}

/// How far a document can be trusted as current, as every output shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Names its sources and the date it was last reviewed.
    Reviewed,
    /// Kept for the record and known to be out of date.
    Dated,
    /// Names no sources, or no review date.
    Unreviewed,
}

impl Standing {
    /// The name outputs use.
    pub fn name(self) -> &'static str {
        match self {
            Standing::Reviewed => "reviewed",
            Standing::Dated => "dated",
            Standing::Unreviewed => "unreviewed",
        }
    }

    /// What keeps a text that is not dated from counting as reviewed, as outputs say it after
    /// "this text": a review needs both sources and the date it was done. A text with a review
    /// date and no sources was said to name "no sources or review date" above its own date.
    pub fn missing_for_review(has_sources: bool, has_review_date: bool) -> &'static str {
        match (has_sources, has_review_date) {
            (false, false) => "names no sources and no review date",
            (false, true) => "names no sources",
            (true, false) => "has no review date",
            (true, true) => "names its sources and review date",
        }
    }

    /// Parses [`Standing::name`].
    pub fn from_name(name: &str) -> Option<Standing> {
        [Standing::Reviewed, Standing::Dated, Standing::Unreviewed]
            .into_iter()
            .find(|s| s.name() == name)
    }
}

impl DocumentMeta {
    pub fn standing(&self) -> Standing {
        if self.dated {
            Standing::Dated
        } else if self.sources.is_empty() || self.last_reviewed.is_none() {
            Standing::Unreviewed
        } else {
            Standing::Reviewed
        }
    }
}

/// Where the facts of a document come from: a structured reference with the address of its
/// public page, or a plain citation as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Source {
    Reference(Reference),
    Citation(String),
}

/// A source people can open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub organization: String,
    pub title: String,
    pub year: i32,
    pub url: String,
}

impl Source {
    /// The source as one line of text: a citation as written, or "Organization. Title. Year."
    pub fn text(&self) -> String {
        match self {
            Source::Citation(text) => text.clone(),
            Source::Reference(r) => format!("{}. {}. {}.", r.organization, r.title, r.year),
        }
    }

    /// The address of the source's public page, if it has one.
    pub fn url(&self) -> Option<&str> {
        match self {
            Source::Citation(_) => None,
            Source::Reference(r) => Some(&r.url),
        }
    }

    /// The source as the index stores it: a reference as a JSON object, a citation as a JSON
    /// string.
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).expect("a source serializes")
    }

    /// A source as [`to_stored`](Self::to_stored) wrote it; text that is not such JSON is
    /// taken as a citation. Each form is read as what it is: serde's untagged reading buffers
    /// the value first, and that was a twentieth of a server's time per request.
    pub fn from_stored(stored: &str) -> Source {
        let parsed = if stored.starts_with('{') {
            serde_json::from_str(stored).map(Source::Reference).ok()
        } else {
            serde_json::from_str(stored).map(Source::Citation).ok()
        };
        parsed.unwrap_or_else(|| Source::Citation(stored.to_string()))
    }
}

/// The metadata fields as written, in front matter or a sidecar.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MetadataFields {
    pub title: Option<String>,
    pub summary: Option<String>,
    /// The sources as written, read into [`MetadataFields::sources`] with messages that say
    /// which entry is wrong and how (serde's own for an untagged enum names neither).
    #[serde(default, rename = "sources")]
    written_sources: Vec<toml::Spanned<toml::Value>>,
    #[serde(skip)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub audience: Vec<String>,
    pub last_reviewed: Option<toml::Spanned<toml::value::Datetime>>,
    #[serde(default)]
    pub approaches: Vec<String>,
    pub status: Option<String>,
    #[serde(default)]
    pub caveats: Vec<String>,
    #[serde(default)]
    pub first_only_when_asked: Vec<String>,
    pub keep_out_of_first: Option<toml::Spanned<i64>>,
}

/// The most places at the top a text may stay out of when unasked
/// ([`DocumentMeta::keep_out_of_first`]): a page of results.
const KEEP_OUT_OF_FIRST_MAX: i64 = 10;

impl MetadataFields {
    /// Parses the TOML text of front matter or a sidecar; `first_line` is the line of the file
    /// the text starts on, so that errors name the right line.
    pub fn parse(path: &Path, toml_text: &str, first_line: usize) -> Result<MetadataFields> {
        let line_of = |offset: usize| {
            first_line
                + toml_text[..offset.min(toml_text.len())]
                    .matches('\n')
                    .count()
        };
        if let Some((line, message)) = unknown_fields(toml_text, line_of) {
            return Err(metadata_error(path, line, &message));
        }
        let mut fields: MetadataFields = toml::from_str(toml_text).map_err(|err| {
            let offset = err.span().map_or(0, |span| span.start);
            let message = match (err.message(), key_at(toml_text, offset)) {
                ("duplicate key", Some(key)) => {
                    format!("`{key}` is given more than once: give each field once")
                }
                (message, Some(key)) => match field_form(key) {
                    Some(form) => format!("{message} (`{key}` is {form})"),
                    None => message.to_string(),
                },
                (message, None) => message.to_string(),
            };
            metadata_error(path, line_of(offset), &message)
        })?;
        fields.sources = read_sources(&fields.written_sources)
            .map_err(|(offset, message)| metadata_error(path, line_of(offset), &message))?;
        if let Some(date) = &fields.last_reviewed {
            check_review_date(date.get_ref())
                .map_err(|message| metadata_error(path, line_of(date.span().start), &message))?;
        }
        if let Some(places) = &fields.keep_out_of_first {
            check_keep_out_of_first(*places.get_ref(), &fields.first_only_when_asked)
                .map_err(|message| metadata_error(path, line_of(places.span().start), &message))?;
        }
        fields.validate(path, |needle| {
            toml_text.find(needle).map_or(first_line, line_of)
        })?;
        Ok(fields)
    }

    /// Checks what TOML's types cannot: a known status, and source addresses people can open.
    fn validate(&self, path: &Path, line_of: impl Fn(&str) -> usize) -> Result<()> {
        if let Some(status) = &self.status
            && status != "dated"
        {
            return Err(metadata_error(
                path,
                line_of("status"),
                &format!("unknown status \"{status}\"; the one status is \"dated\""),
            ));
        }
        let mut analyzer = crate::analysis::medical_analyzer();
        if let Some(empty) = self
            .first_only_when_asked
            .iter()
            .find(|phrase| crate::analysis::word_terms(&mut analyzer, phrase).is_empty())
        {
            return Err(metadata_error(
                path,
                line_of("first_only_when_asked"),
                &format!(
                    "first_only_when_asked: {empty:?} has no word a query could name (stop words such as \"the\" are not searched)"
                ),
            ));
        }
        for source in &self.sources {
            if let Some(url) = source.url()
                && let Err(problem) = check_url(url)
            {
                return Err(metadata_error(
                    path,
                    line_of(url),
                    &format!("source address {url:?} {problem}"),
                ));
            }
        }
        Ok(())
    }

    /// The document metadata these fields declare.
    pub fn into_meta(self) -> DocumentMeta {
        DocumentMeta {
            summary: self.summary,
            sources: self.sources,
            audience: self.audience,
            last_reviewed: self.last_reviewed.map(|d| d.into_inner().to_string()),
            approaches: self.approaches,
            dated: self.status.is_some(),
            caveats: self.caveats,
            first_only_when_asked: self.first_only_when_asked,
            keep_out_of_first: self
                .keep_out_of_first
                .map_or(1, |places| places.into_inner() as usize),
        }
    }
}

/// Checks `keep_out_of_first`: a number of places, for a text that waits to be asked for.
fn check_keep_out_of_first(places: i64, asked_by: &[String]) -> std::result::Result<(), String> {
    if !(1..=KEEP_OUT_OF_FIRST_MAX).contains(&places) {
        return Err(format!(
            "keep_out_of_first = {places}: give a number of places from 1 to {KEEP_OUT_OF_FIRST_MAX}"
        ));
    }
    if asked_by.is_empty() {
        return Err(
            "keep_out_of_first applies only to a text that waits to be asked for: add \
             first_only_when_asked with the words that ask for it"
                .to_string(),
        );
    }
    Ok(())
}

/// The sources as written, each a citation or a reference; an error names the offset of the
/// entry that is wrong and what is wrong with it.
fn read_sources(
    written: &[toml::Spanned<toml::Value>],
) -> std::result::Result<Vec<Source>, (usize, String)> {
    written
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let wrong = |problem: String| (entry.span().start, format!("source {}: {problem}", i + 1));
            match entry.get_ref() {
                toml::Value::String(text) if text.trim().is_empty() => {
                    Err(wrong("is empty; write a citation or leave the entry out".into()))
                }
                toml::Value::String(text) => Ok(Source::Citation(text.clone())),
                toml::Value::Table(table) => toml::Value::Table(table.clone())
                    .try_into::<Reference>()
                    .map_err(|err| {
                        wrong(format!(
                            "{}; a reference has organization, title, year (a number) and url",
                            err.message()
                        ))
                    })
                    .and_then(|reference| {
                        check_reference(&reference).map_err(wrong)?;
                        Ok(Source::Reference(reference))
                    }),
                other => Err(wrong(format!(
                    "is a value of type {}; write a citation (a string) or a table with organization, title, year and url",
                    other.type_str()
                ))),
            }
        })
        .collect()
}

/// Earliest publication year a reference may give.
const FIRST_SOURCE_YEAR: i32 = 1800;

/// What is wrong with a reference whose fields parsed, if anything: an empty organization or
/// title (shown as ". ." under the passage), or a year before [`FIRST_SOURCE_YEAR`] or later
/// than next year (a journal may date a December issue by the coming year).
fn check_reference(reference: &Reference) -> std::result::Result<(), String> {
    for (field, value) in [
        ("organization", &reference.organization),
        ("title", &reference.title),
    ] {
        if value.trim().is_empty() {
            return Err(format!("{field} is empty; name the source's {field}"));
        }
    }
    let last_year = super::review::latest_review_day()[..4]
        .parse::<i32>()
        .map_or(i32::MAX, |year| year + 1);
    if !(FIRST_SOURCE_YEAR..=last_year).contains(&reference.year) {
        return Err(format!(
            "year = {} is not a year of publication (from {FIRST_SOURCE_YEAR} to {last_year})",
            reference.year
        ));
    }
    Ok(())
}

/// Why a `last_reviewed` value is not a review date, if it is not: a date alone, such as
/// 2026-11-27 (a time, or a date with a time, was printed as the review date as written).
fn check_review_date(value: &toml::value::Datetime) -> std::result::Result<(), String> {
    if value.date.is_none() || value.time.is_some() || value.offset.is_some() {
        return Err(format!(
            "last_reviewed must be a date such as 2026-11-27, not {value}"
        ));
    }
    let today = super::review::latest_review_day();
    if super::review::after_today(&value.to_string(), &today) {
        return Err(format!(
            "last_reviewed {value} is after today ({today}): a review date says when a text was last checked"
        ));
    }
    Ok(())
}

/// Why `url` is not an address of a public page people can open, if it is not one.
pub fn check_url(url: &str) -> std::result::Result<(), &'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("must start with https:// or http://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || !host.contains('.') {
        return Err("has no host name");
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("contains spaces or control characters");
    }
    Ok(())
}

/// The fields metadata may have: [`MetadataFields`]'s, as written (a field added there must be
/// added here, or every text that uses it is refused as having an unknown field).
const FIELDS: [&str; 10] = [
    "title",
    "summary",
    "sources",
    "audience",
    "last_reviewed",
    "approaches",
    "status",
    "caveats",
    "first_only_when_asked",
    "keep_out_of_first",
];

/// Every unknown field of `toml_text` at once, with the known one each is likely a slip for,
/// and the line of the first (`line_of` a byte offset): serde stops at the first, and a curator
/// with three misspelt fields needed three runs to learn of them.
fn unknown_fields(toml_text: &str, line_of: impl Fn(usize) -> usize) -> Option<(usize, String)> {
    let table: toml::Table = toml_text.parse().ok()?;
    let mut unknown: Vec<(usize, String)> = table
        .keys()
        .filter(|key| !FIELDS.contains(&key.as_str()))
        .map(|key| {
            let line = line_of(offset_of_key(toml_text, key).unwrap_or(0));
            let nearest = FIELDS
                .iter()
                .filter(|field| strsim::osa_distance(key, field) <= 2)
                .min_by_key(|field| strsim::osa_distance(key, field));
            let hint = nearest.map_or_else(String::new, |field| format!(" (`{field}`?)"));
            (line, format!("`{key}`{hint}"))
        })
        .collect();
    unknown.sort();
    let (first, _) = unknown.first()?;
    let listed: Vec<String> = unknown
        .iter()
        .map(|(line, key)| format!("{key} on line {line}"))
        .collect();
    Some((
        *first,
        format!(
            "unknown field{} {}; the fields are {}",
            if unknown.len() > 1 { "s" } else { "" },
            listed.join(", "),
            FIELDS.join(", ")
        ),
    ))
}

/// The offset of the line that sets `key` (`key = …`).
fn offset_of_key(toml_text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in toml_text.split_inclusive('\n') {
        let sets = line
            .trim_start()
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='));
        if sets {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// The key of the `key = value` line holding byte `offset` of `toml_text`.
fn key_at(toml_text: &str, offset: usize) -> Option<&str> {
    let start = toml_text[..offset.min(toml_text.len())]
        .rfind('\n')
        .map_or(0, |at| at + 1);
    let line = toml_text[start..].lines().next()?;
    let (key, _) = line.split_once('=')?;
    Some(key.trim())
}

/// How a field is written, for a message about one written otherwise: TOML's own ("expected a
/// TOML datetime", "expected a sequence") does not show the form that works.
fn field_form(key: &str) -> Option<&'static str> {
    Some(match key {
        "last_reviewed" => "a date, unquoted, year first: last_reviewed = 2026-12-03",
        "title" | "summary" | "status" => "text in quotation marks: title = \"Bone metastases\"",
        "sources" => {
            "a list in square brackets: sources = [\"National Cancer Institute. Metastatic cancer. 2024. https://www.cancer.gov/…\"]"
        }
        "approaches" => "a list in square brackets: approaches = [\"bone-directed\"]",
        "audience" => "a list in square brackets: audience = [\"patients\", \"families\"]",
        "caveats" => "a list in square brackets: caveats = [\"…\"]",
        "first_only_when_asked" => {
            "a list in square brackets: first_only_when_asked = [\"dying\", \"end of life\"]"
        }
        "keep_out_of_first" => "a whole number, unquoted: keep_out_of_first = 3",
        _ => return None,
    })
}

fn metadata_error(path: &Path, line: usize, message: &str) -> Error {
    Error::Corpus {
        path: path.to_path_buf(),
        line,
        message: format!("metadata: {message}"),
    }
}

/// The sidecar that may describe the file at `path`: `path` with `.meta.toml` appended.
pub fn sidecar_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".meta.toml");
    PathBuf::from(name)
}

/// Reads the sidecar of `path`, if there is one.
pub(super) fn read_sidecar(path: &Path) -> Result<Option<MetadataFields>> {
    let sidecar = sidecar_path(path);
    let text = match std::fs::read_to_string(&sidecar) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(Error::io(&sidecar, err)),
    };
    MetadataFields::parse(&sidecar, &text, 1).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_source_reads_back_as_it_was_written() {
        let sources = [
            Source::Reference(Reference {
                organization: "National Cancer Institute".into(),
                title: "Metastatic cancer".into(),
                year: 2025,
                url: "https://www.cancer.gov/".into(),
            }),
            Source::Citation("A citation, as written {with braces}".into()),
            Source::Citation("{ starts like an object".into()),
        ];
        for source in sources {
            let stored = source.to_stored();
            assert_eq!(Source::from_stored(&stored), source, "{stored}");
        }
        assert_eq!(
            Source::from_stored("not JSON at all"),
            Source::Citation("not JSON at all".into())
        );
    }

    fn parse(text: &str) -> Result<MetadataFields> {
        MetadataFields::parse(Path::new("a.meta.toml"), text, 1)
    }

    fn error_of(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn a_wrong_source_is_named_by_its_line_and_what_is_wrong() {
        // Each was "data did not match any variant of untagged enum Source" on the line of
        // `sources = [`, or (an empty citation) made the text count as reviewed.
        let missing = error_of(
            "sources = [\n  \"fine\",\n  { organization = \"NCI\", title = \"X\", year = 2025 },\n]\n",
        );
        assert!(
            missing.contains("a.meta.toml:3:") && missing.contains("source 2: missing field `url`"),
            "{missing}"
        );
        let empty = error_of("sources = [\"\"]\n");
        assert!(empty.contains("source 1: is empty"), "{empty}");
        let number = error_of("sources = [\n  2025,\n]\n");
        assert!(
            number.contains("a.meta.toml:2:")
                && number.contains("source 1: is a value of type integer"),
            "{number}"
        );
    }

    #[test]
    fn a_field_written_the_wrong_way_is_shown_the_way_that_works() {
        // TOML's own messages ("expected a TOML datetime", "expected a sequence", "duplicate
        // key") showed neither the field nor the form that works.
        for (written, expected) in [
            ("last_reviewed = 03/12/2026", "last_reviewed = 2026-12-03"),
            (
                "last_reviewed = \"2026-12-03\"",
                "last_reviewed = 2026-12-03",
            ),
            ("sources = \"NCI\"", "sources = [\""),
            (
                "approaches = \"bone-directed\"",
                "approaches = [\"bone-directed\"]",
            ),
            ("title = Bone", "title = \"Bone metastases\""),
        ] {
            let error = error_of(&format!("summary = \"S\"\n{written}\n"));
            assert!(
                error.contains("a.meta.toml:2:") && error.contains(expected),
                "{written}: {error}"
            );
        }
        let twice = error_of("title = \"A\"\ntitle = \"B\"\n");
        assert!(twice.contains("`title` is given more than once"), "{twice}");
    }

    #[test]
    fn every_unknown_field_is_named_at_once_with_the_field_meant() {
        let error =
            error_of("title = \"T\"\nsumary = \"S\"\nlast_reveiwed = 2026-12-03\nsauce = 1\n");
        assert!(
            error.starts_with("a.meta.toml:2: metadata: unknown fields "),
            "{error}"
        );
        for named in [
            "`sumary` (`summary`?) on line 2",
            "`last_reveiwed` (`last_reviewed`?) on line 3",
            "`sauce` on line 4",
        ] {
            assert!(error.contains(named), "{named}: {error}");
        }
    }

    #[test]
    fn a_review_date_is_a_date() {
        // A time, or a date with a time, was printed as the review date as written.
        for value in ["10:00:00", "2026-01-01T10:00:00Z", "2026-01-01T10:00:00"] {
            let error = error_of(&format!("title = \"T\"\nlast_reviewed = {value}\n"));
            assert!(
                error.contains("a.meta.toml:2:") && error.contains("must be a date"),
                "{value}: {error}"
            );
        }
        let fields = parse("last_reviewed = 2026-11-27\n").unwrap();
        assert_eq!(
            fields.into_meta().last_reviewed.as_deref(),
            Some("2026-11-27")
        );
    }

    #[test]
    fn a_review_date_after_today_is_refused() {
        let error = error_of("title = \"T\"\nlast_reviewed = 2999-01-01\n");
        assert!(
            error.contains("a.meta.toml:2:") && error.contains("after today"),
            "{error}"
        );
    }

    #[test]
    fn a_reference_with_an_empty_name_or_an_impossible_year_is_refused() {
        let reference = |org: &str, year: i32| {
            format!(
                "title = \"T\"\nsources = [\n  {{ organization = \"{org}\", title = \"PDQ\", year = {year}, url = \"https://www.cancer.gov/pdq\" }},\n]\n"
            )
        };
        assert!(error_of(&reference(" ", 2025)).contains("organization is empty"));
        assert!(error_of(&reference("NCI", -5)).contains("year = -5"));
        assert!(error_of(&reference("NCI", 3024)).contains("year = 3024"));
        assert!(parse(&reference("NCI", 2025)).is_ok());
    }

    #[test]
    fn structured_and_plain_sources_are_both_accepted() {
        let fields = parse(
            "sources = [\n  { organization = \"NCI\", title = \"PDQ\", year = 2025, url = \"https://www.cancer.gov/pdq\" },\n  \"A plain citation. 2024.\",\n]\n",
        )
        .unwrap();
        assert_eq!(fields.sources[0].url(), Some("https://www.cancer.gov/pdq"));
        assert_eq!(fields.sources[0].text(), "NCI. PDQ. 2025.");
        assert_eq!(fields.sources[1].url(), None);
    }

    #[test]
    fn a_bad_source_address_is_an_error_naming_its_line() {
        let err = parse("summary = \"x\"\nsources = [\n  { organization = \"NCI\", title = \"PDQ\", year = 2025, url = \"javascript:alert(1)\" },\n]\n")
            .unwrap_err();
        let message = err.to_string();
        assert!(message.starts_with("a.meta.toml:3:"), "{message}");
        assert!(message.contains("must start with https://"), "{message}");
    }

    #[test]
    fn an_unknown_status_is_an_error() {
        let err = parse("status = \"obsolete\"\n").unwrap_err();
        assert!(err.to_string().contains("unknown status"), "{err}");
    }

    #[test]
    fn a_text_that_waits_keeps_out_of_the_first_place_unless_it_says_more() {
        let asked = "first_only_when_asked = [\"suicide\"]\n";
        assert_eq!(parse(asked).unwrap().into_meta().keep_out_of_first, 1);
        let three = parse(&format!("{asked}keep_out_of_first = 3\n")).unwrap();
        assert_eq!(three.into_meta().keep_out_of_first, 3);
        let none = error_of(&format!("title = \"T\"\n{asked}keep_out_of_first = 0\n"));
        assert!(
            none.starts_with("a.meta.toml:3:") && none.contains("from 1 to 10"),
            "{none}"
        );
        let unasked = error_of("keep_out_of_first = 3\n");
        assert!(unasked.contains("add first_only_when_asked"), "{unasked}");
        let quoted = error_of(&format!("{asked}keep_out_of_first = \"3\"\n"));
        assert!(quoted.contains("a whole number, unquoted"), "{quoted}");
    }

    #[test]
    fn the_words_that_ask_for_a_text_must_include_one_a_query_can_name() {
        let meta = parse("first_only_when_asked = [\"dying\", \"end of life\"]\n")
            .unwrap()
            .into_meta();
        assert_eq!(meta.first_only_when_asked, ["dying", "end of life"]);
        let message = error_of("title = \"T\"\nfirst_only_when_asked = [\"dying\", \"the\"]\n");
        assert!(message.starts_with("a.meta.toml:2:"), "{message}");
        assert!(
            message.contains("\"the\" has no word a query could name"),
            "{message}"
        );
    }

    #[test]
    fn standing_follows_status_sources_and_review_date() {
        let mut meta = DocumentMeta::default();
        assert_eq!(meta.standing(), Standing::Unreviewed);
        meta.sources.push(Source::Citation("NCI. 2025.".into()));
        meta.last_reviewed = Some("2026-11-30".into());
        assert_eq!(meta.standing(), Standing::Reviewed);
        meta.dated = true;
        assert_eq!(meta.standing(), Standing::Dated);
    }

    #[test]
    fn urls_are_checked_for_what_people_can_open() {
        assert!(check_url("https://www.nice.org.uk/guidance/ng234").is_ok());
        assert!(check_url("http://example.org").is_ok());
        assert!(check_url("ftp://example.org").is_err());
        assert!(check_url("https://localhost").is_err());
        assert!(check_url("https://example.org/a b").is_err());
    }
}
