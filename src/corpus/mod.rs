//! Corpus loading: finds the files of a corpus and turns each into [`Document`]s made of blocks
//! (paragraphs with their heading path and source lines). It does not cut passages (`passage`)
//! and knows nothing about the index.
//!
//! Accepted inputs: a directory tree of `.md` files (TOML front matter between `+++` lines) and
//! `.txt` files, a single such file, or a BEIR-style `.jsonl` file (`{"_id","title","text"}` per
//! line). Other files (the taxonomy and lexicon `.toml` files among them) are not documents.

mod jsonl;
mod markdown;
mod meta;
mod plaintext;
pub mod review;

use std::path::{Path, PathBuf};

use crate::{Error, Result};
pub use meta::{DocumentMeta, Reference, Source, Standing, check_url, sidecar_path};

/// A paragraph-like unit of text with where it sits in the document and in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Section headings from the outermost down; empty before the first heading.
    pub heading_path: Vec<String>,
    /// The text with runs of whitespace collapsed to single spaces.
    pub text: String,
    pub line_start: usize,
    /// Byte offsets in `text` where each following source line begins, so that a piece of a
    /// block can be mapped back to its lines.
    pub line_breaks: Vec<usize>,
}

impl Block {
    /// The source line holding byte `offset` of `text`.
    pub fn line_at(&self, offset: usize) -> usize {
        self.line_start + self.line_breaks.partition_point(|&b| b <= offset)
    }

    /// The last source line of the block.
    pub fn line_end(&self) -> usize {
        self.line_start + self.line_breaks.len()
    }
}

/// One document of the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Stable identifier: the path inside the corpus directory, or the JSONL `_id`.
    pub id: String,
    pub title: String,
    /// The file it came from, as the user can open it.
    pub path: PathBuf,
    pub meta: DocumentMeta,
    pub blocks: Vec<Block>,
}

/// The kinds of file a corpus can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Markdown,
    PlainText,
    JsonLines,
}

impl FileKind {
    fn of(path: &Path) -> Option<FileKind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(FileKind::Markdown),
            "txt" => Some(FileKind::PlainText),
            "jsonl" => Some(FileKind::JsonLines),
            _ => None,
        }
    }
}

/// A file of the corpus that will be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusFile {
    pub path: PathBuf,
    /// Path relative to the corpus root, `/`-separated: the document id for `.md`/`.txt`.
    pub relative: String,
    pub kind: FileKind,
}

/// A file that was left out, and why. Reported as a warning; `--strict` makes it fatal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Skipped {
    pub path: PathBuf,
    /// 1-based line for problems inside a file (a bad JSONL record), 0 for the whole file.
    pub line: usize,
    pub reason: String,
}

/// How the reason of a record left out for its id begins: the id was given first elsewhere.
pub const DUPLICATE_ID: &str = "duplicate id ";

impl Skipped {
    /// True when the record was left out because another record had its id first: it belongs
    /// in the index once that clash is gone.
    pub fn is_duplicate_id(&self) -> bool {
        self.reason.starts_with(DUPLICATE_ID)
    }
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            0 => write!(f, "{}: {}", self.path.display(), self.reason),
            line => write!(f, "{}:{line}: {}", self.path.display(), self.reason),
        }
    }
}

/// What parsing one file produced.
#[derive(Debug, Default)]
pub struct FileLoad {
    pub documents: Vec<Document>,
    pub skipped: Vec<Skipped>,
}

/// Lists the corpus files under `root` (or `root` itself if it is a file), sorted by path so that
/// every run sees them in the same order. Hidden files and directories are ignored; symbolic
/// links are not followed, so a link loop cannot trap the walk, and one to a text or a folder
/// is reported as skipped.
pub fn discover(root: &Path) -> Result<(Vec<CorpusFile>, Vec<Skipped>)> {
    let meta = std::fs::metadata(root).map_err(|_| Error::CorpusNotFound(root.to_path_buf()))?;
    if meta.is_file() {
        let kind = FileKind::of(root).ok_or_else(|| Error::Corpus {
            path: root.to_path_buf(),
            line: 0,
            message: "not a corpus file: expected .md, .txt or .jsonl".into(),
        })?;
        let relative = root
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into());
        let file = CorpusFile {
            path: root.to_path_buf(),
            relative,
            kind,
        };
        return Ok((vec![file], Vec::new()));
    }
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut sidecars = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().unwrap_or(root).to_path_buf();
                skipped.push(Skipped {
                    path,
                    line: 0,
                    reason: format!("cannot read: {err}"),
                });
                continue;
            }
        };
        if entry.file_type().is_symlink() {
            skipped.extend(unfollowed_link(entry.path()));
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        if is_sidecar(entry.path()) {
            sidecars.push(entry.path().to_path_buf());
        } else if let Some(format) = unreadable_format(entry.path()) {
            skipped.push(Skipped {
                path: entry.path().to_path_buf(),
                line: 0,
                reason: format!("{format}, which mbc cannot read: save it as .md or .txt"),
            });
        }
        if let Some(kind) = FileKind::of(entry.path()) {
            let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
            let relative = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.push(CorpusFile {
                path: entry.path().to_path_buf(),
                relative,
                kind,
            });
        }
    }
    skipped.extend(orphaned(&sidecars, &files));
    Ok((files, skipped))
}

/// A symbolic link that looks like a text or leads to a folder, reported as left out: links are
/// not followed, and such a text was left out in silence, even by `mbc index --strict`.
fn unfollowed_link(path: &Path) -> Option<Skipped> {
    let to_a_folder = std::fs::metadata(path).is_ok_and(|m| m.is_dir());
    (FileKind::of(path).is_some() || to_a_folder).then(|| Skipped {
        path: path.to_path_buf(),
        line: 0,
        reason: "a symbolic link, which mbc does not follow: put the file itself in the corpus"
            .into(),
    })
}

/// True for a sidecar of metadata (`NAME.meta.toml`).
fn is_sidecar(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| name.to_string_lossy().ends_with(".meta.toml"))
}

/// The sidecars whose text is not in the corpus. A text renamed without its sidecar loses
/// what the sidecar says (that it is dated, its known problems) in silence: the founding
/// article, renamed, was shown as an unsourced text instead of a dated one with 14 caveats.
fn orphaned(sidecars: &[PathBuf], files: &[CorpusFile]) -> Vec<Skipped> {
    sidecars
        .iter()
        .filter_map(|sidecar| {
            let name = sidecar.file_name()?.to_string_lossy();
            let described = name.strip_suffix(".meta.toml")?;
            let text = sidecar.with_file_name(described);
            let present = files.iter().any(|f| f.path == text);
            (!present).then(|| Skipped {
                path: sidecar.clone(),
                line: 0,
                reason: format!(
                    "describes {described}, which is not in the corpus: when a text is renamed, rename its sidecar with it"
                ),
            })
        })
        .collect()
}

/// The kind of document a file is, when it is one mbc cannot read (a Word file, a PDF): such a
/// file in a corpus is meant to be searched, and leaving it out without a word would let a
/// curator believe it is.
fn unreadable_format(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "docx" | "doc" | "odt" | "rtf" | "pages" => "a word-processor document",
        "pdf" => "a PDF",
        "html" | "htm" => "a web page",
        _ => return None,
    })
}

/// Reads and parses one corpus file. Unreadable, binary and non-UTF-8 files come back as
/// skipped; a file whose author must fix it (malformed front matter) is an error.
pub fn load_file(file: &CorpusFile) -> Result<FileLoad> {
    // A file that vanished since discovery is reported by the read below.
    if let Ok(meta) = std::fs::metadata(&file.path)
        && meta.len() > MAX_DOCUMENT_BYTES
    {
        return Ok(skip(file, 0, too_large(meta.len())));
    }
    let bytes = match std::fs::read(&file.path) {
        Ok(bytes) => bytes,
        Err(err) => return Ok(skip(file, 0, format!("cannot read: {err}"))),
    };
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Ok(skip(
            file,
            0,
            "UTF-16 text, which mbc cannot read: save it as UTF-8".into(),
        ));
    }
    if bytes.contains(&0) {
        return Ok(skip(file, 0, "binary file (contains NUL bytes)".into()));
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            let line = 1 + err.as_bytes()[..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            return Ok(skip(
                file,
                line,
                "not valid UTF-8 text (an older encoding such as Latin-1 or Windows-1252?): save it as UTF-8".into(),
            ));
        }
    };
    parse_file_text(file, &text)
}

/// Parses the text of a corpus file (already read and checked to be UTF-8). Windows (`\r\n`)
/// and classic Mac (`\r`) line endings count as line breaks, as editors show them.
pub fn parse_file_text(file: &CorpusFile, text: &str) -> Result<FileLoad> {
    let normalized;
    let text = if text.contains('\r') {
        normalized = text.replace("\r\n", "\n").replace('\r', "\n");
        normalized.as_str()
    } else {
        text
    };
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Ok(skip(file, 0, "empty file".into()));
    }
    let mut document = match file.kind {
        FileKind::Markdown => markdown::parse(&file.path, &file.relative, text)?,
        FileKind::PlainText => plaintext::parse(&file.path, &file.relative, text),
        FileKind::JsonLines => return Ok(jsonl::parse(&file.path, text)),
    };
    describe_from_sidecar(&mut document, text)?;
    if document.blocks.is_empty() {
        // A title, headings or front matter and no text: nothing a search could show, and a
        // file that yields nothing must say so rather than vanish from the count.
        return Ok(skip(
            file,
            0,
            "no text to index (only a title, headings or front matter)".into(),
        ));
    }
    Ok(FileLoad {
        documents: vec![document],
        skipped: Vec::new(),
    })
}

/// Applies the sidecar's metadata (`NAME.meta.toml`) to a document, if it has one. A Markdown
/// file with front matter describes itself: a sidecar beside it too is an error, so the two
/// cannot disagree.
fn describe_from_sidecar(document: &mut Document, text: &str) -> Result<()> {
    let Some(fields) = meta::read_sidecar(&document.path)? else {
        return Ok(());
    };
    if text.starts_with("+++") {
        return Err(Error::Corpus {
            path: sidecar_path(&document.path),
            line: 1,
            message: format!(
                "metadata: {} has front matter already; describe it in one place",
                document.path.display()
            ),
        });
    }
    if let Some(title) = &fields.title {
        document.title = normalize_space(title);
    }
    document.meta = fields.into_meta();
    Ok(())
}

/// The largest file (or JSONL line) read as documents. Larger ones are skipped with a message:
/// they are not educational texts, and holding one would take that much memory.
pub const MAX_DOCUMENT_BYTES: u64 = 64 << 20;

pub use jsonl::{Round, read_round};

/// Why a file or line over [`MAX_DOCUMENT_BYTES`] is skipped.
pub fn too_large(bytes: u64) -> String {
    format!(
        "too large ({:.0} MB; the limit for one file or JSON line is {} MB): split it into smaller files",
        bytes as f64 / 1e6,
        MAX_DOCUMENT_BYTES >> 20
    )
}

/// Parses a run of raw JSONL lines starting at line `first_line` (see `jsonl::parse_lines`).
pub fn parse_jsonl_lines(path: &Path, first_line: usize, lines: &[Vec<u8>]) -> FileLoad {
    jsonl::parse_lines(path, first_line, lines)
}

fn skip(file: &CorpusFile, line: usize, reason: String) -> FileLoad {
    FileLoad {
        documents: Vec::new(),
        skipped: vec![Skipped {
            path: file.path.clone(),
            line,
            reason,
        }],
    }
}

/// Reads a data file (`approaches.toml`, `lexicon.toml`) from a corpus directory, or falls back
/// to the bundled copy; returns its text and the path to name in errors.
pub fn read_data_file(dir: Option<&Path>, name: &str, bundled: &str) -> Result<(String, PathBuf)> {
    match dir.map(|d| d.join(name)).filter(|p| p.exists()) {
        Some(path) if !path.is_file() => Err(Error::DataFile {
            path,
            message: "is not a file".into(),
        }),
        Some(path) => {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            Ok((text, path))
        }
        None => Ok((
            bundled.to_string(),
            PathBuf::from(format!("<bundled {name}>")),
        )),
    }
}

/// Collapses every run of whitespace to one space and trims the ends.
pub(crate) fn normalize_space(text: &str) -> String {
    if !text.is_ascii() {
        return text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    if is_collapsed_ascii(text.as_bytes()) {
        return text.to_string();
    }
    // Nearly all text is ASCII: copy it byte by byte rather than decode every character.
    let mut collapsed = Vec::with_capacity(text.len());
    let mut pending_space = false;
    for &b in text.as_bytes() {
        if is_ascii_space(b) {
            pending_space = !collapsed.is_empty();
            continue;
        }
        if pending_space {
            collapsed.push(b' ');
            pending_space = false;
        }
        collapsed.push(b);
    }
    String::from_utf8(collapsed).expect("ASCII is UTF-8")
}

/// Whether ASCII text already has single spaces only between words, as most text from JSON
/// does: then it needs no collapsing, and its words are its spaces plus one. (Searched with
/// `memchr`, many bytes at a time.)
pub(crate) fn is_collapsed_ascii(bytes: &[u8]) -> bool {
    bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && memchr::memchr3(b'\t', b'\n', b'\r', bytes).is_none()
        && memchr::memchr2(0x0b, 0x0c, bytes).is_none()
        && memchr::memmem::find(bytes, b"  ").is_none()
}

/// Whether an ASCII byte is whitespace to [`char::is_whitespace`] (which, unlike
/// [`u8::is_ascii_whitespace`], counts the vertical tab).
pub(crate) fn is_ascii_space(b: u8) -> bool {
    b.is_ascii_whitespace() || b == 0x0b
}

/// Builds a block from source lines, recording where each line starts in the collapsed text.
pub(crate) fn block_from_lines<'a>(
    heading_path: &[String],
    line_start: usize,
    lines: impl IntoIterator<Item = &'a str>,
) -> Block {
    let mut text = String::new();
    let mut line_breaks = Vec::new();
    for (i, line) in lines.into_iter().enumerate() {
        let line = normalize_space(line);
        if i > 0 {
            if !text.is_empty() && !line.is_empty() {
                text.push(' ');
            }
            line_breaks.push(text.len());
        }
        text.push_str(&line);
    }
    Block {
        heading_path: heading_path.to_vec(),
        text,
        line_start,
        line_breaks,
    }
}

/// A readable title from a file name: `02-chemo_drugs.md` → `02 chemo drugs`.
pub(crate) fn title_from_file_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into());
    normalize_space(&stem.replace(['-', '_'], " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_gone_since_discovery_is_skipped_not_fatal() {
        let file = CorpusFile {
            path: PathBuf::from("/nonexistent/mbc/gone.md"),
            relative: "gone.md".into(),
            kind: FileKind::Markdown,
        };
        let load = load_file(&file).unwrap();
        assert!(load.documents.is_empty());
        assert!(
            load.skipped[0].reason.starts_with("cannot read"),
            "{:?}",
            load.skipped
        );
    }

    #[test]
    fn block_maps_offsets_back_to_lines() {
        let block = block_from_lines(&[], 10, ["first  line", "second", "third"]);
        assert_eq!(block.text, "first line second third");
        assert_eq!(block.line_at(0), 10);
        assert_eq!(block.line_at(11), 11);
        assert_eq!(block.line_at(18), 12);
        assert_eq!(block.line_end(), 12);
    }

    #[test]
    fn title_from_file_name_is_readable() {
        assert_eq!(
            title_from_file_name(Path::new("a/02-chemo_drugs.md")),
            "02 chemo drugs"
        );
    }

    #[test]
    fn normalize_space_collapses_what_split_whitespace_splits() {
        for text in [
            "",
            "  \t ",
            " one  two\nthree\x0bfour\x0c\r ",
            "non\u{a0}breaking  and\u{2003}em space ",
            "already collapsed text",
            "x",
            " ",
        ] {
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(normalize_space(text), expected, "{text:?}");
        }
    }
}
