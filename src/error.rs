//! The library's error type. Each variant names the thing that went wrong so the CLI can say what
//! to do about it; the CLI adds context with `anyhow` and never matches on message text.

use std::path::PathBuf;

/// Result alias used across the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything the library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No index exists at the given directory.
    #[error("no index found at {}", .0.display())]
    IndexNotFound(PathBuf),

    /// The index exists but its files are damaged or unreadable (truncated, deleted or
    /// scrambled files). `mbc index` rebuilds it.
    #[error("the index at {} is damaged or unreadable", path.display())]
    IndexCorrupt {
        path: PathBuf,
        #[source]
        damage: crate::index::Damage,
    },

    /// An index written by an mbc with another index format: it is rebuilt, not damaged.
    #[error("the index at {} was built by another version of mbc (index format {found}; this one reads format {expected})", path.display())]
    IndexOutdated {
        path: PathBuf,
        found: u32,
        expected: u32,
        /// The corpus it was built from, as recorded.
        corpus: PathBuf,
    },

    /// A directory given as an index that holds other files: building there could delete them.
    #[error("{} is not an mbc index directory: it holds other files ({holds}); give --index an empty or new directory", path.display())]
    NotAnIndexDirectory { path: PathBuf, holds: String },

    /// Another process holds the index's write lock.
    #[error("the index at {} is being updated by process {pid}; wait for it to finish", path.display())]
    IndexBusy { path: PathBuf, pid: String },

    /// A corpus file that cannot be used as written: the author has to fix it.
    #[error("{}:{line}: {message}", path.display())]
    Corpus {
        path: PathBuf,
        line: usize,
        message: String,
    },

    /// Several corpus files that cannot be used as written ([`Error::Corpus`] each), named
    /// together so that one run shows the author everything to fix.
    #[error("{}", list_broken(.0))]
    CorpusFiles(Vec<Error>),

    /// The corpus path does not exist or holds nothing to index.
    #[error("corpus not found at {}", .0.display())]
    CorpusNotFound(PathBuf),

    /// The indexing run met problems and `--strict` asked to fail on them: each is named, as
    /// the warnings a run without `--strict` prints would have.
    #[error(
        "--strict is set and {} file(s) or record(s) were skipped: {}",
        skipped.len(),
        skipped.join("; ")
    )]
    StrictFailure { skipped: Vec<String> },

    /// A build found no text to index: a corpus moved away, or the index's own directory given
    /// as the corpus, emptied a good index; and an index of nothing answers every search with
    /// "nothing found". `documents` is what the index already holds (it is left as it was).
    #[error(
        "{} holds no text mbc can index ({skipped} file(s) or record(s) skipped); {}",
        corpus.display(),
        left_as_it_was(*documents)
    )]
    EmptyCorpus {
        corpus: PathBuf,
        documents: usize,
        skipped: usize,
    },

    /// A taxonomy or lexicon data file is invalid.
    #[error("{}: {message}", path.display())]
    DataFile { path: PathBuf, message: String },

    /// An approach id that the taxonomy does not define.
    #[error("unknown approach `{id}`; known approaches: {known}")]
    UnknownApproach { id: String, known: String },

    /// A passage id that the index does not hold.
    #[error("no passage with id `{0}`")]
    PassageNotFound(String),

    /// A query that cannot be searched (empty, or nothing searchable left after analysis).
    #[error("{0}")]
    Query(String),

    /// An I/O failure, with the path it concerned. The cause is the source, not part of the
    /// message, so that a report of the whole chain names it once.
    #[error("{}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The embedding model or a vector file cannot be used.
    #[error("{}: {message}", path.display())]
    Model { path: PathBuf, message: String },

    /// A failure inside tantivy that none of the above explains (the cause is the source).
    #[error("search engine error")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// Broken files named in a run, at most.
const BROKEN_LISTED: usize = 20;

/// "N corpus files cannot be used as written:" and one line for each (the first
/// [`BROKEN_LISTED`], then how many more).
fn list_broken(errors: &[Error]) -> String {
    let mut text = format!("{} corpus files cannot be used as written:", errors.len());
    for error in errors.iter().take(BROKEN_LISTED) {
        text.push_str(&format!("\n  {error}"));
    }
    if errors.len() > BROKEN_LISTED {
        text.push_str(&format!("\n  … and {} more", errors.len() - BROKEN_LISTED));
    }
    text
}

impl Error {
    /// Wraps an I/O error with the path it happened on.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// True when the index must be rebuilt: the CLI then says how.
    pub fn needs_rebuild(&self) -> bool {
        matches!(self, Error::IndexCorrupt { .. })
    }

    /// True when the error comes from how the program was called rather than from the data:
    /// the CLI maps these to exit code 2.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Error::IndexNotFound(_)
                | Error::NotAnIndexDirectory { .. }
                | Error::UnknownApproach { .. }
                | Error::PassageNotFound(_)
                | Error::Query(_)
                | Error::CorpusNotFound(_)
        )
    }
}

/// What became of the index when a build found nothing to index.
fn left_as_it_was(documents: usize) -> String {
    match documents {
        0 => "no index was built (mbc indexes .md, .txt and .jsonl files)".to_string(),
        n => format!("the index, with {n} documents, was left as it was"),
    }
}
