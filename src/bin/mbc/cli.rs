//! Command-line flags. This is the only module that knows clap: [`Cli::into_command`] turns the
//! parsed flags into plain settings ([`crate::settings::Command`]) once, and the rest never sees
//! clap.

use std::io::IsTerminal;
use std::path::PathBuf;

use std::ffi::OsString;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::settings::{
    Command, EvalCollection, EvalSettings, ExportSettings, Location, RankingSettings,
    SearchSettings, ServeSettings,
};
use mbc::output::{Format, Style};
use mbc::search::{Fusion, Mode};

const AFTER_HELP: &str = "\
Examples:
  mbc search herceptin
  mbc search \"bone metastases\" pain --approach bone-directed
  mbc search chemo side effects -hair --limit 5
  mbc search xylophone --closest
  mbc search tamoxifen --format json | jq '.passages[0]'
  mbc approaches --per 3
  mbc show 1a2b3c4d5e6f7a8b
  mbc export --all --format jsonl --output passages.jsonl
  mbc check

Exit codes: 0 success (including a search that found nothing: a message says so), 1 error
(e.g. a corpus file that must be fixed, a damaged index), 2 usage error (bad flag, unknown
approach, missing index, empty query), 101 internal error (a bug: please report it).

Everything mbc shows is educational information, not medical advice.";

/// Offline search over educational texts on treating metastatic breast cancer: ranked passages
/// with their sources.
#[derive(Debug, Parser)]
#[command(name = "mbc", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: CliCommand,

    /// Index directory. Without it, `index/` in the working directory is used when the
    /// directory has a `corpus/` or an `index/`, else the index in mbc's data directory
    /// (~/.local/share/mbc on Linux); either is (re)built automatically whenever the corpus
    /// has changed.
    #[arg(long, global = true, env = "MBC_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,

    /// Corpus to index: a directory of .md/.txt files, one such file, or a BEIR corpus.jsonl.
    /// Default: `corpus/` when the working directory has one, else the corpus built into mbc,
    /// copied to its data directory on first use.
    #[arg(long, global = true, env = "MBC_CORPUS", value_name = "PATH")]
    pub corpus: Option<PathBuf>,

    /// Sentence-embedding model directory for semantic and hybrid search: a BERT-family encoder
    /// with its tokenizer.json, as model.safetensors + config.json or as model.onnx (or
    /// onnx/model.onnx). Default: all-MiniLM-L6-v2, built into mbc (the same model as the
    /// repository's models/all-MiniLM-L6-v2, ready without loading).
    #[arg(long, global = true, env = "MBC_MODEL", value_name = "DIR")]
    pub model: Option<PathBuf>,

    /// Do not use the embedding model: `mbc index` builds a lexical-only index and searches
    /// are lexical.
    #[arg(long, global = true)]
    pub no_semantic: bool,

    /// When to colour text output. `auto` colours only on a terminal and honours NO_COLOR.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Mark matched words with [brackets] in text output without colour.
    #[arg(long, global = true)]
    pub brackets: bool,
}

#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Build the index from the corpus, or update it: only new, changed and removed files are
    /// re-read (nothing is done when it is up to date).
    ///
    /// The build goes into a new directory and replaces the old index only when it has
    /// succeeded, so an interrupted or failed build leaves the previous index working.
    Index {
        /// Fail, naming each, when any corpus file or JSON line had to be skipped (unreadable,
        /// binary, not UTF-8, empty or without text, too large, a bad record or a duplicate id).
        #[arg(long)]
        strict: bool,
        /// Rebuild from scratch, even if the index is up to date. Without it, a changed corpus
        /// updates the index: only new, changed and removed files are re-read.
        #[arg(long)]
        rebuild: bool,
        /// With json or jsonl, what the build did (or that the index was up to date) is also
        /// written to standard output as JSON; progress and warnings stay on standard error.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Check that the index is intact: read every file against its checksum.
    ///
    /// Searches read only what they need, so damage can go unnoticed until a search meets it;
    /// this reads everything. A damaged index is rebuilt by `mbc index`.
    Check {
        /// With json or jsonl, an intact index is described in JSON, and damage is a JSON
        /// error on stderr (kind `damaged_index`).
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Search for passages. Words may be "quoted" as a phrase or excluded with -word.
    #[command(
        after_help = "Query syntax: free words (any may match; more matches rank higher), \"an exact phrase\", -word or NOT word to exclude. Every argument that does not start with -- is a query word, -word included; options are written long (--limit 5), anywhere; -- ends them. Brand names, abbreviations, lay terms and common misspellings are expanded using the lexicon, and a misspelt word that is no real word is corrected when one word is clearly meant; --exact turns both off. A query of more than 40 words (a pasted paragraph) is read as plain words: no phrases, exclusions or spelling corrections. When nothing in the corpus is about the query, mbc says so; --closest lists the nearest passages anyway. \"About\" takes a passage that covers about half of what the query asks (its rarer words weigh more) or is close to it in meaning, so a list of unrelated words, one of them in no text, may find nothing: search them one or two at a time."
    )]
    Search {
        /// What to search for.
        #[arg(required_unless_present = "like", num_args = 1.., value_name = "QUERY")]
        query: Vec<String>,
        /// Instead of a query, find passages like a text: a FILE, - for standard input, or a
        /// passage id (shown with each result; that passage is left out). Its most
        /// distinctive words (the ones it uses often and few passages share) and its meaning
        /// are searched.
        #[arg(long, value_name = "FILE|-|PASSAGE_ID", conflicts_with = "query")]
        like: Option<String>,
        #[command(flatten)]
        filter: Filter,
        /// Number of passages to show.
        #[arg(long, default_value_t = 10, allow_negative_numbers = true, value_parser = clap::value_parser!(i64).range(1..=10_000))]
        limit: i64,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// Show which terms and expansions matched each result and what each contributed,
        /// every term also searched, and the text the embedding model was given when it is not
        /// the query as searched (a brand name's generic name added).
        #[arg(long)]
        explain: bool,
        /// When nothing in the corpus is about the query, list the closest passages anyway,
        /// marked as such (without it, mbc says that nothing was found).
        #[arg(long)]
        closest: bool,
        #[command(flatten)]
        ranking: Ranking,
    },
    /// For every treatment approach, show the passages that explain it best.
    ///
    /// The passages tagged with the approach whose meaning is closest to its description in
    /// approaches.toml; without the embedding model, those that use most of its terms.
    Approaches {
        /// Passages per approach.
        #[arg(long, default_value_t = 3, allow_negative_numbers = true, value_parser = clap::value_parser!(i64).range(1..=100))]
        per: i64,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Write passages for other programs: the results of a query, or every passage with --all.
    Export {
        /// Query whose results to export (omit with --all).
        #[arg(value_name = "QUERY", num_args = 0.., conflicts_with = "all")]
        query: Vec<String>,
        #[command(flatten)]
        filter: Filter,
        /// Export every passage of the index.
        #[arg(long)]
        all: bool,
        /// Most passages to export for a query (not with --all, which exports every passage).
        #[arg(long, default_value_t = 100, conflicts_with = "all", allow_negative_numbers = true, value_parser = clap::value_parser!(i64).range(1..=100_000))]
        limit: i64,
        #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
        format: ExportFormat,
        /// Write to this file (atomically) instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Show one passage in full, with its neighbours and its document's sources.
    Show {
        /// A passage id, as printed by `mbc search`.
        passage_id: String,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Measure ranking quality: on a BEIR-style test collection (--corpus corpus.jsonl
    /// --queries --qrels), or with a people's-questions set (--questions) on the corpus.
    ///
    /// A BEIR corpus is indexed once (cached in the temporary directory, keyed by the file's
    /// content); every judged query is run, passage hits are folded into document scores (best
    /// passage), and nDCG@10, Recall@100, MRR@10 and MAP@1000 are printed with trec_eval's
    /// definitions.
    #[command(
        after_help = "Examples:\n  mbc eval --corpus ../shared/bench/med/corpus.jsonl \\\n           --queries ../shared/bench/med/queries.jsonl \\\n           --qrels ../shared/bench/med/qrels/test.tsv\n  mbc eval --questions tests/fixtures/questions.toml"
    )]
    Eval {
        /// Queries, one `{"_id", "text"}` object per line.
        #[arg(
            long,
            value_name = "FILE",
            required_unless_present = "questions",
            requires = "qrels"
        )]
        queries: Option<PathBuf>,
        /// Judgements: TSV `query-id corpus-id score`, with or without a header line.
        #[arg(long, value_name = "FILE", requires = "queries")]
        qrels: Option<PathBuf>,
        /// Also write a TREC run file (`qid Q0 docid rank score mbc`, top 1000 per query).
        #[arg(long, value_name = "FILE", requires = "queries")]
        run: Option<PathBuf>,
        /// Read each query as a text to find passages like, as `search --like` does (for a
        /// "more like this" collection such as scripts/make_long_queries.py builds).
        #[arg(long, requires = "queries")]
        like: bool,
        /// Instead of a BEIR collection, ask a people's-questions set (such as
        /// tests/fixtures/questions.toml) of the corpus and report hit@3, urgent questions
        /// answered first, and unanswerable questions answered with "nothing found".
        #[arg(long, value_name = "FILE", conflicts_with_all = ["queries", "qrels", "run"])]
        questions: Option<PathBuf>,
        #[command(flatten)]
        ranking: Ranking,
        #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
        format: EvalFormat,
    },
    /// Index statistics: documents, passages, passages per approach, size, build time.
    Stats {
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Serve a web page and an HTTP JSON API over the index, on this computer.
    ///
    /// The page searches like `mbc search`, shows passages with their sources, browses by
    /// treatment approach and prints handouts; the API (/api/search, /api/passages/ID,
    /// /api/approaches, /api/stats, /api/suggest, /api/openapi.json, /healthz) answers in the JSON of
    /// `--format json` (docs/http.md). A new index published by `mbc index` is picked up
    /// without a restart. Ctrl-C stops it, letting requests in flight finish.
    Serve {
        /// Address and port to listen on (a port alone is on this computer: 8080 is
        /// 127.0.0.1:8080).
        #[arg(long, default_value = crate::serve::DEFAULT_ADDR, value_parser = crate::serve::parse_addr)]
        addr: std::net::SocketAddr,
        /// Port to listen on, on this computer: `--port 8080` is `--addr 127.0.0.1:8080`.
        #[arg(long, value_name = "PORT", conflicts_with = "addr")]
        port: Option<u16>,
        /// Allow an address other than loopback (127.0.0.1, ::1). The page has no login and
        /// queries travel unencrypted: anyone who can reach the address can search.
        #[arg(long)]
        public: bool,
        /// Requests answered at once; beyond this a request is refused at once with 503
        /// ("overloaded") rather than queued, so a flood cannot exhaust memory.
        #[arg(long, value_name = "N", default_value_t = crate::serve::MAX_CONCURRENT,
              value_parser = clap::value_parser!(u64).range(1..=4096))]
        max_concurrent: u64,
        /// Let web pages from ORIGIN (such as https://portal.example.org) read the API's
        /// answers: a clinic's portal calling mbc from a browser. Repeat for more origins.
        /// Without it, only the page mbc serves itself can.
        #[arg(long = "cors-origin", value_name = "ORIGIN", value_parser = crate::serve::parse_origin)]
        cors_origins: Vec<String>,
    },
    /// Print a shell completion script, generated from these flags.
    ///
    /// For example: `mbc completions bash > ~/.local/share/bash-completion/completions/mbc`.
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print mbc's manual page (roff), generated from these flags.
    ///
    /// For example: `mbc man > mbc.1 && man ./mbc.1`.
    Man,
}

/// How results are ranked; shared by `search` and `eval` so that eval measures what search does.
#[derive(Debug, Args)]
pub struct Ranking {
    /// Search the words as typed: no synonyms, no spelling correction, no feedback, no weighing
    /// by how much of the query a passage covers; the words rank by BM25 and word proximity
    /// (fused with meaning unless --mode lexical).
    #[arg(long)]
    pub exact: bool,
    /// No pseudo-relevance feedback (otherwise used for queries of 4 or more words).
    #[arg(long)]
    pub no_feedback: bool,
    /// Ranking: BM25 only, embeddings only, or both fused [default: hybrid when the index has
    /// passage vectors, else lexical].
    #[arg(long, value_enum)]
    pub mode: Option<ModeArg>,
    /// How hybrid mode fuses the two rankings [default: rrf].
    #[arg(long, value_enum)]
    pub fusion: Option<FusionArg>,
}

impl Ranking {
    /// The settings of `subcommand`'s ranking. `--fusion` where nothing is fused (`--mode
    /// lexical` or `semantic`) is refused as clap refuses a flag clash: accepted, it would do
    /// nothing, and a comparison run with it would compare nothing. The refusal is in
    /// `format`, as every other usage error.
    fn settings(self, subcommand: &str, format: Format) -> RankingSettings {
        let single = match self.mode {
            Some(ModeArg::Lexical) => Some("--mode lexical ranks by words alone"),
            Some(ModeArg::Semantic) => Some("--mode semantic ranks by meaning alone"),
            _ => None,
        };
        if let (Some(fusion), Some(single)) = (self.fusion, single) {
            let name = fusion
                .to_possible_value()
                .map_or_else(String::new, |v| v.get_name().to_string());
            let error = subcommand_error(
                subcommand,
                clap::error::ErrorKind::ArgumentConflict,
                format!(
                    "--fusion {name} is how hybrid search joins its two rankings, and {single}: drop --fusion"
                ),
            );
            exit_on_usage_error(error, format);
        }
        RankingSettings {
            mode: self.mode.map(Mode::from),
            fusion: self.fusion.unwrap_or(FusionArg::Rrf).into(),
            exact: self.exact,
            feedback: !self.no_feedback && !self.exact,
        }
    }
}

#[derive(Debug, Args)]
pub struct Filter {
    /// Only passages about this approach (repeatable, or comma-separated). See `mbc stats`.
    #[arg(long = "approach", value_name = "ID", value_delimiter = ',')]
    pub approaches: Vec<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
    Jsonl,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Json,
    Jsonl,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ModeArg {
    Lexical,
    Semantic,
    Hybrid,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FusionArg {
    /// Reciprocal rank fusion (k = 60).
    Rrf,
    /// Min-max normalised scores, averaged.
    Linear,
}

impl From<ModeArg> for Mode {
    fn from(m: ModeArg) -> Self {
        match m {
            ModeArg::Lexical => Mode::Lexical,
            ModeArg::Semantic => Mode::Semantic,
            ModeArg::Hybrid => Mode::Hybrid,
        }
    }
}

impl From<FusionArg> for Fusion {
    fn from(f: FusionArg) -> Self {
        match f {
            FusionArg::Rrf => Fusion::Rrf,
            FusionArg::Linear => Fusion::Linear,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EvalFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl From<OutputFormat> for Format {
    fn from(f: OutputFormat) -> Self {
        match f {
            OutputFormat::Text => Format::Text,
            OutputFormat::Json => Format::Json,
            OutputFormat::Jsonl => Format::JsonLines,
        }
    }
}

impl From<ExportFormat> for Format {
    fn from(f: ExportFormat) -> Self {
        match f {
            ExportFormat::Json => Format::Json,
            ExportFormat::Jsonl => Format::JsonLines,
        }
    }
}

impl From<EvalFormat> for Format {
    fn from(f: EvalFormat) -> Self {
        match f {
            EvalFormat::Text => Format::Text,
            EvalFormat::Json => Format::Json,
        }
    }
}

/// The subcommands whose free words are a query.
const QUERY_COMMANDS: [&str; 2] = ["search", "export"];

impl Cli {
    /// Parses the process's arguments. In `search` and `export`, every argument that does not
    /// start with `--` is a query word, even one that starts with `-` (`-herceptin` excludes a
    /// word; `-nausea` is not `-n ausea`): options are written long, anywhere on the line, and
    /// `--` ends them. So a query word never becomes an option or an option's value.
    pub fn parse_args() -> Cli {
        let args: Vec<OsString> = std::env::args_os().collect();
        let format = usage_error_format(&args);
        if let Some(habit) = short_option_habit(&args) {
            exit_on_usage_error(habit.error(), format);
        }
        Cli::try_parse_from(words_after_options(args))
            .unwrap_or_else(|err| exit_on_usage_error(err, format))
    }

    /// The validated settings for the chosen command.
    pub fn into_command(self) -> Command {
        let style = Style {
            color: use_color(self.color),
            brackets: self.brackets,
            width: output_width(),
        };
        let location = Location::new(self.index, self.corpus, self.model, !self.no_semantic);
        match self.command {
            CliCommand::Index {
                strict,
                rebuild,
                format,
            } => Command::Index {
                location,
                strict,
                rebuild,
                format: format.into(),
            },
            CliCommand::Check { format } => Command::Check {
                location,
                format: format.into(),
            },
            CliCommand::Serve {
                addr,
                port,
                public,
                max_concurrent,
                cors_origins,
            } => Command::Serve {
                location,
                settings: ServeSettings {
                    addr: port.map_or(addr, crate::serve::on_this_computer),
                    public,
                    max_concurrent: max_concurrent as usize,
                    cors_origins,
                },
            },
            CliCommand::Completions { shell } => Command::Completions(shell),
            CliCommand::Man => Command::Man,
            CliCommand::Search {
                query,
                like,
                filter,
                limit,
                format,
                explain,
                closest,
                ranking,
            } => Command::Search {
                location,
                settings: SearchSettings {
                    ranking: ranking.settings("search", format.into()),
                    query: query.join(" "),
                    like,
                    limit: limit as usize,
                    approaches: filter.approaches,
                    explain,
                    closest,
                },
                format: format.into(),
                style,
            },
            CliCommand::Approaches { per, format } => Command::Approaches {
                location,
                per: per as usize,
                format: format.into(),
                style,
            },
            CliCommand::Export {
                query,
                filter,
                all,
                limit,
                format,
                output,
            } => Command::Export {
                location,
                settings: ExportSettings {
                    query: (!query.is_empty()).then(|| query.join(" ")),
                    approaches: filter.approaches,
                    all,
                    limit: limit as usize,
                },
                format: format.into(),
                output,
            },
            CliCommand::Show { passage_id, format } => Command::Show {
                location,
                passage_id,
                format: format.into(),
                style,
            },
            CliCommand::Stats { format } => Command::Stats {
                location,
                format: format.into(),
            },
            CliCommand::Eval {
                queries,
                qrels,
                run,
                like,
                questions,
                ranking,
                format,
            } => Command::Eval {
                location,
                settings: EvalSettings {
                    ranking: ranking.settings("eval", format.into()),
                    collection: match (questions, queries, qrels) {
                        (Some(questions), _, _) => EvalCollection::Questions(questions),
                        (None, Some(queries), Some(qrels)) => EvalCollection::Beir {
                            queries,
                            qrels,
                            run,
                            like,
                        },
                        _ => unreachable!("clap requires --questions, or --queries with --qrels"),
                    },
                },
                format: format.into(),
            },
        }
    }
}

/// The width text output wraps at: the terminal's, or `COLUMNS`, or 80.
fn output_width() -> usize {
    let terminal = terminal_size::terminal_size_of(std::io::stdout())
        .map(|(terminal_size::Width(w), _)| usize::from(w));
    let columns = || std::env::var("COLUMNS").ok()?.parse().ok();
    terminal
        .or_else(columns)
        .unwrap_or(mbc::output::DEFAULT_WIDTH)
        .clamp(40, 120)
}

/// Writes the shell completion script for `shell`. It is generated into memory first:
/// clap_complete panics when its writer fails, and a closed pipe is not a crash.
pub fn write_completions(
    shell: clap_complete::Shell,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "mbc", &mut script);
    out.write_all(&script)
}

/// Writes the manual page.
pub fn write_man_page(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    clap_mangen::Man::new(Cli::command()).render(out)
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// A one-letter "exclusion" such as `-n` among the words of a query command (before any
/// `--`): someone used to `-n 5` from other tools, not a word to leave out.
#[derive(Debug, PartialEq)]
struct ShortOptionHabit {
    command: String,
    flag: String,
}

impl ShortOptionHabit {
    /// The usage error, naming the long option that the letter usually stands for in other
    /// tools, where there is one.
    fn error(&self) -> clap::Error {
        let meant = match self.flag.as_str() {
            "-n" | "-l" => " (--limit N here)",
            "-m" => " (--mode here)",
            "-a" => " (--approach here)",
            "-f" => " (--format here)",
            "-o" => " (--output here)",
            "-i" => " (--index here)",
            _ => "",
        };
        subcommand_error(
            &self.command,
            clap::error::ErrorKind::UnknownArgument,
            format!(
                "`{}` looks like a short option{meant}, but mbc's options are written long; a query word -word excludes a word, and one letter is not a word",
                self.flag
            ),
        )
    }
}

/// A usage error from the subcommand itself, so that its usage line is the one printed.
fn subcommand_error(
    subcommand: &str,
    kind: clap::error::ErrorKind,
    message: String,
) -> clap::Error {
    let mut cli = Cli::command();
    cli.build();
    cli.find_subcommand_mut(subcommand)
        .expect("a subcommand of mbc's")
        .error(kind, message)
}

fn short_option_habit(args: &[OsString]) -> Option<ShortOptionHabit> {
    let mut words = args.iter().map(|a| a.to_string_lossy());
    let command = words.find(|w| QUERY_COMMANDS.contains(&w.as_ref()))?;
    words
        .take_while(|w| w != "--")
        .find(|w| {
            let letters: Vec<char> = w.chars().collect();
            matches!(letters[..], ['-', c] if c.is_ascii_alphabetic() && c != 'h')
        })
        .map(|flag| ShortOptionHabit {
            command: command.into_owned(),
            flag: flag.into_owned(),
        })
}

/// The format a usage error is written in: JSON (on stderr, as any error of a command asked for
/// JSON is) when the command line asks for JSON or JSON lines, or is an `export`, whose output
/// is always one of them; clap's text otherwise. `--format json --limit 0` was answered in
/// text, which a script reading stderr as JSON could not parse.
fn usage_error_format(args: &[OsString]) -> Format {
    let words: Vec<String> = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .take_while(|w| w != "--")
        .collect();
    let named = words
        .iter()
        .enumerate()
        .find_map(|(i, w)| match w.as_str() {
            "--format" => words.get(i + 1).map(String::as_str),
            _ => w.strip_prefix("--format="),
        });
    match named {
        Some("json") => Format::Json,
        Some("jsonl") => Format::JsonLines,
        None if subcommand_of(&words) == Some("export") => Format::JsonLines,
        _ => Format::Text,
    }
}

/// The subcommand `words` (the arguments after the program's name) name: the first word that
/// is neither an option nor a global option's value.
fn subcommand_of(words: &[String]) -> Option<&str> {
    let command = Cli::command();
    let mut words = words.iter();
    while let Some(word) = words.next() {
        let Some(long) = word.strip_prefix("--") else {
            return Some(word);
        };
        if takes_value(&[&command], long) {
            words.next();
        }
    }
    None
}

/// True when `long` (an option as written after `--`) is an option of one of `commands` that
/// takes its value in the next argument (not `--name=value`).
fn takes_value(commands: &[&clap::Command], long: &str) -> bool {
    !long.contains('=')
        && commands
            .iter()
            .flat_map(|c| c.get_arguments())
            .any(|a| a.get_long() == Some(long) && a.get_action().takes_values())
}

/// Exits on a usage error: in `format` when it is JSON (kind `usage`, exit code 2, as
/// `docs/json.md` says), else as clap writes it. Help and the version are not errors.
fn exit_on_usage_error(err: clap::Error, format: Format) -> ! {
    use clap::error::ErrorKind;
    let informs = matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if format == Format::Text || informs {
        err.exit();
    }
    let rendered = err.render().to_string();
    let mut lines = rendered
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .peekable();
    let first = lines.next().unwrap_or_default();
    let mut message = first.strip_prefix("error: ").unwrap_or(first).to_string();
    // clap lists what is missing under a line that ends in a colon ("the following required
    // arguments were not provided:", then "<PASSAGE_ID>"): the list is the message's, not the
    // hint's, where it ran into the usage line.
    if message.ends_with(':') {
        let mut listed = Vec::new();
        while let Some(line) = lines.next_if(|l| !l.starts_with("Usage:")) {
            listed.push(line);
        }
        message = format!("{} {}", message, listed.join(", "));
    }
    let hint = lines.collect::<Vec<_>>().join(" ");
    let error = mbc::output::wire::ErrorOut {
        kind: "usage",
        message,
        hint: (!hint.is_empty()).then_some(hint),
        exit_code: 2,
    };
    let _ = mbc::output::write_error(&mut std::io::stderr().lock(), format, error);
    std::process::exit(2)
}

/// `args` with the query words of `search` and `export` moved after a `--`, options first
/// (see [`Cli::parse_args`]). Other commands' arguments are left as they are.
fn words_after_options(args: Vec<OsString>) -> Vec<OsString> {
    let command = Cli::command();
    let mut out = Vec::with_capacity(args.len() + 1);
    let mut rest = args.into_iter();
    out.extend(rest.next());
    let mut subcommand = None;
    while let Some(arg) = rest.next() {
        let text = arg.to_string_lossy().into_owned();
        out.push(arg);
        if QUERY_COMMANDS.contains(&text.as_str()) {
            subcommand = command.find_subcommand(&text);
            break;
        }
        if let Some(long) = text.strip_prefix("--")
            && takes_value(&[&command], long)
        {
            out.extend(rest.next());
        }
    }
    let Some(subcommand) = subcommand else {
        out.extend(rest);
        return out;
    };
    let mut words = Vec::new();
    while let Some(arg) = rest.next() {
        let text = arg.to_string_lossy().into_owned();
        if text == "--" {
            words.extend(rest.by_ref());
            break;
        }
        match text.strip_prefix("--") {
            Some(long) => {
                out.push(arg);
                if takes_value(&[subcommand, &command], long) {
                    out.extend(rest.next());
                }
            }
            None if text == "-h" => out.push(arg),
            None => words.push(arg),
        }
    }
    if !words.is_empty() {
        out.push("--".into());
        out.extend(words);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    fn parse(line: &str) -> Cli {
        let args = std::iter::once("mbc")
            .chain(line.split(' '))
            .map(OsString::from);
        Cli::try_parse_from(words_after_options(args.collect())).unwrap()
    }

    fn habit(line: &str) -> Option<ShortOptionHabit> {
        let args: Vec<OsString> = std::iter::once("mbc")
            .chain(line.split(' '))
            .map(OsString::from)
            .collect();
        short_option_habit(&args)
    }

    #[test]
    fn a_one_letter_exclusion_is_taken_for_a_short_option() {
        let flag = |line| habit(line).map(|h| h.flag);
        assert_eq!(flag("search -n 5 bone pain"), Some("-n".into()));
        assert_eq!(flag("export --all -o x"), Some("-o".into()));
        assert_eq!(flag("search bone -herceptin"), None);
        assert_eq!(flag("search bone -h"), None);
        assert_eq!(flag("search bone -- -n"), None);
        assert_eq!(flag("index -x"), None);
    }

    #[test]
    fn a_short_option_error_shows_the_subcommands_usage_and_the_long_option() {
        let message = habit("search -n 5 bone pain").unwrap().error().to_string();
        assert!(message.contains("--limit N here"), "{message}");
        assert!(message.contains("Usage: mbc search"), "{message}");
    }

    fn query_of(line: &str) -> (Vec<String>, i64) {
        match parse(line).command {
            CliCommand::Search { query, limit, .. } => (query, limit),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn words_that_start_with_a_hyphen_are_query_words() {
        assert_eq!(
            query_of("search chemo -herceptin").0,
            ["chemo", "-herceptin"]
        );
        assert_eq!(query_of("search -hair chemo").0, ["-hair", "chemo"]);
        assert_eq!(query_of("search -chemo pain").0, ["-chemo", "pain"]);
        assert_eq!(query_of("search -nausea").0, ["-nausea"]);
        assert_eq!(query_of("search -n 5 chemo").0, ["-n", "5", "chemo"]);
    }

    #[test]
    fn long_options_work_anywhere_and_keep_their_values() {
        assert_eq!(
            query_of("search chemo --limit 5 pain"),
            (vec!["chemo".into(), "pain".into()], 5)
        );
        assert_eq!(query_of("--index idx search --limit=3 chemo").1, 3);
        let exported = parse("export chemo -oestrogen --format json");
        match exported.command {
            CliCommand::Export { query, output, .. } => {
                assert_eq!(query, ["chemo", "-oestrogen"]);
                assert_eq!(output, None, "a query word is never an option's value");
            }
            other => panic!("{other:?}"),
        }
    }
}
