//! What a command was asked to do, as plain validated values: `cli` fills these in from the
//! flags once, and nothing past it sees clap.

use std::path::{Path, PathBuf};

use mbc::embed::ModelSource;
use mbc::output::{Format, Style};
use mbc::search::{Fusion, Mode, QueryKind, SearchRequest};

use crate::bundled;

/// Default corpus and index in a checkout, relative to the working directory.
pub const DEFAULT_CORPUS: &str = "corpus";
pub const DEFAULT_INDEX: &str = "index";

/// Where the index, the corpus and the model are, and whether the index was named explicitly.
#[derive(Debug, Clone)]
pub struct Location {
    pub index: PathBuf,
    pub corpus: PathBuf,
    /// True when the index directory was given with `--index`: it is then used as it is and
    /// never built implicitly.
    pub explicit_index: bool,
    /// True when the corpus was given with `--corpus`.
    pub explicit_corpus: bool,
    /// True when `corpus` is the data directory's copy of the bundled corpus, which the binary
    /// writes there before use ([`bundled::install_corpus`]).
    pub bundled_corpus: bool,
    /// The embedding model; `None` when semantic search is switched off.
    pub model: Option<ModelSource>,
}

impl Location {
    /// Resolves the defaults. With `--corpus`, or in a working directory with a `corpus/` or an
    /// `index/` of its own (a checkout), the corpus is `corpus/` and the index `index/` there,
    /// as they always were: an index found there is never rebuilt from another corpus.
    /// Elsewhere the bundled corpus and its index live in the data directory
    /// (`~/.local/share/mbc` on Linux). The model is the one built into the binary, unless
    /// named.
    pub fn new(
        index: Option<PathBuf>,
        corpus: Option<PathBuf>,
        model: Option<PathBuf>,
        semantic: bool,
    ) -> Self {
        let local = corpus.is_some()
            || Path::new(DEFAULT_CORPUS).exists()
            || Path::new(DEFAULT_INDEX).exists();
        let home = data_home().filter(|_| !local);
        let explicit_index = index.is_some();
        let explicit_corpus = corpus.is_some();
        let index = index.unwrap_or_else(|| match &home {
            Some(home) => home.join("index"),
            None => PathBuf::from(DEFAULT_INDEX),
        });
        let bundled_corpus = home.is_some();
        let corpus = corpus.unwrap_or_else(|| match &home {
            Some(home) => home.join("corpus"),
            None => PathBuf::from(DEFAULT_CORPUS),
        });
        Location {
            index,
            corpus,
            explicit_index,
            explicit_corpus,
            bundled_corpus,
            model: semantic.then(|| default_model(model)),
        }
    }

    /// The `mbc index` command that builds or updates this index from this corpus, with the
    /// flags that named them: a hint that drops `--corpus` builds another corpus's index.
    pub fn index_command(&self) -> String {
        let mut command = String::from("mbc index");
        if self.explicit_index {
            command.push_str(&format!(" --index {}", shell_word(&self.index)));
        }
        if self.explicit_corpus {
            command.push_str(&format!(" --corpus {}", shell_word(&self.corpus)));
        }
        command
    }

    /// How to build an index that was named with `--index` and is not there yet. Its corpus
    /// cannot be known: `mbc index --index DIR` alone indexes the default corpus, the wrong
    /// texts for a curator whose own first build was interrupted, so the hint asks for them.
    pub fn first_build_hint(&self) -> String {
        if self.explicit_index && !self.explicit_corpus {
            let default = if self.bundled_corpus {
                "the corpus built into mbc".to_string()
            } else {
                shell_word(&self.corpus)
            };
            format!(
                "build one with `{} --corpus PATH`, PATH being the texts to index (without \
                 --corpus, {default} is indexed)",
                self.index_command(),
            )
        } else {
            format!("build one with `{}`", self.index_command())
        }
    }

    /// Makes the corpus ready: the bundled corpus is written into the data directory the
    /// first time, and again after an upgrade of mbc.
    pub fn prepare(&self) -> std::io::Result<()> {
        if self.bundled_corpus && bundled::install_corpus(&self.corpus)? {
            status!("note: the bundled corpus is in {}", self.corpus.display());
        }
        Ok(())
    }
}

/// A path as a word a shell reads back as the same path: quoted when it holds anything but
/// plain path characters.
pub fn shell_word(path: &Path) -> String {
    let shown = path.display().to_string();
    let plain = !shown.is_empty()
        && shown
            .chars()
            .all(|c| c.is_alphanumeric() || "/._-+,:@".contains(c));
    if plain {
        shown
    } else {
        format!("'{}'", shown.replace('\'', r"'\''"))
    }
}

/// Where an installed mbc keeps the bundled corpus and its index.
fn data_home() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join("mbc"))
}

/// The model named with `--model`, or the one built into the binary. A checkout's
/// `models/all-MiniLM-L6-v2` is the same model (the binary is built from it, and has its id), but
/// the built-in copy's weights are ready to compute with, where the directory's must first be
/// widened from half precision (most of a one-shot search's time).
fn default_model(named: Option<PathBuf>) -> ModelSource {
    match named {
        Some(dir) => ModelSource::Dir(dir),
        None => ModelSource::Bundled(&bundled::MODEL),
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

/// `mbc serve`: where to listen, and whether beyond this computer.
#[derive(Debug, Clone)]
pub struct ServeSettings {
    pub addr: std::net::SocketAddr,
    /// Allows an address that is not loopback.
    pub public: bool,
    /// Requests answered at once; more are refused with 503.
    pub max_concurrent: usize,
    /// Origins whose pages may read the answers (CORS); none by default.
    pub cors_origins: Vec<String>,
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
        format: Format,
    },
    Check {
        location: Location,
        format: Format,
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
    Serve {
        location: Location,
        settings: ServeSettings,
    },
    /// Print a shell completion script.
    Completions(clap_complete::Shell),
    /// Print the manual page.
    Man,
}

impl Command {
    /// True when the command writes JSON, so that its errors are JSON too.
    /// The format an error is written in: the command's, so a script reading JSON gets its
    /// error as JSON too (on one line for `jsonl`).
    pub fn error_format(&self) -> Format {
        match self {
            Command::Serve { .. } | Command::Completions(_) | Command::Man => Format::Text,
            Command::Search { format, .. }
            | Command::Index { format, .. }
            | Command::Check { format, .. }
            | Command::Approaches { format, .. }
            | Command::Export { format, .. }
            | Command::Show { format, .. }
            | Command::Stats { format, .. }
            | Command::Eval { format, .. } => *format,
        }
    }
}
