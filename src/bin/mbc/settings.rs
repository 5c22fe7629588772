//! What a command was asked to do, as plain validated values: `cli` fills these in from the
//! flags once, and nothing past it sees clap.

use std::path::PathBuf;

use mbc::embed;
use mbc::output::{Format, Style};
use mbc::search::{Fusion, Mode, QueryKind, SearchRequest};

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
    /// A search request ranked these ways, without explanations or closest passages.
    pub fn request(self, query: String, limit: usize, approaches: Vec<String>) -> SearchRequest {
        SearchRequest {
            mode: self.mode.unwrap_or_default(),
            fusion: self.fusion,
            query,
            kind: QueryKind::Typed,
            limit,
            approaches,
            exact: self.exact,
            explain: false,
            feedback: self.feedback,
            closest: false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct SearchSettings {
    pub ranking: RankingSettings,
    pub query: String,
    /// `--like`: a file, `-` or a passage id whose text to find passages like (then `query`
    /// is empty).
    pub like: Option<String>,
    pub limit: usize,
    pub approaches: Vec<String>,
    pub explain: bool,
    /// List the closest passages when nothing is about the query.
    pub closest: bool,
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
    pub collection: EvalCollection,
}

/// What `mbc eval` measures with.
#[derive(Debug, Clone)]
pub enum EvalCollection {
    /// A BEIR collection: the corpus is `--corpus`; queries, judgements, and where to write a
    /// TREC run.
    Beir {
        queries: PathBuf,
        qrels: PathBuf,
        run: Option<PathBuf>,
        /// Each query is a text to find passages like.
        like: bool,
    },
    /// A people's-questions set, asked of the corpus.
    Questions(PathBuf),
}

/// A command with its settings.
#[derive(Debug, Clone)]
pub enum Command {
    Index {
        location: Location,
        strict: bool,
        rebuild: bool,
    },
    Check {
        location: Location,
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
    /// Print a shell completion script.
    Completions(clap_complete::Shell),
    /// Print the manual page.
    Man,
}

impl Command {
    /// True when the command writes JSON, so that its errors are JSON too.
    pub fn writes_json(&self) -> bool {
        let format = match self {
            Command::Index { .. }
            | Command::Check { .. }
            | Command::Completions(_)
            | Command::Man => return false,
            Command::Search { format, .. }
            | Command::Approaches { format, .. }
            | Command::Export { format, .. }
            | Command::Show { format, .. }
            | Command::Stats { format, .. }
            | Command::Eval { format, .. } => *format,
        };
        format != Format::Text
    }

    /// Where the index and corpus are; `None` for commands that use neither.
    pub fn location(&self) -> Option<&Location> {
        Some(match self {
            Command::Completions(_) | Command::Man => return None,
            Command::Index { location, .. }
            | Command::Check { location }
            | Command::Search { location, .. }
            | Command::Approaches { location, .. }
            | Command::Export { location, .. }
            | Command::Show { location, .. }
            | Command::Stats { location, .. }
            | Command::Eval { location, .. } => location,
        })
    }
}
