//! What a search is asked ([`SearchRequest`]) and what it answers ([`SearchResults`]): plain
//! data, shared by the CLI, the evaluation and the output layer.

use std::ops::Range;
use std::time::Duration;

use super::fusion::Fusion;
use super::highlight::Snippet;
use super::passages::StoredPassage;
use crate::lexicon::SynonymKind;

/// Which rankings a search uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// BM25 with the medical analysis, synonyms, typo correction and feedback.
    Lexical,
    /// Cosine similarity of sentence embeddings only.
    Semantic,
    /// Both, fused.
    #[default]
    Hybrid,
}

impl Mode {
    /// The mode's name as flags and JSON spell it.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Lexical => "lexical",
            Mode::Semantic => "semantic",
            Mode::Hybrid => "hybrid",
        }
    }
}

/// What to search for.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// Requested mode; semantic modes fall back to lexical when the index has no vectors or no
    /// model is attached (see [`SearchResults::mode`]).
    pub mode: Mode,
    pub fusion: Fusion,
    pub query: String,
    pub limit: usize,
    /// Only passages tagged with one of these approaches (all if empty).
    pub approaches: Vec<String>,
    /// No synonym expansion and no typo correction.
    pub exact: bool,
    /// Record what each clause contributed to each hit.
    pub explain: bool,
    /// Pseudo-relevance feedback for descriptive queries (see `feedback`).
    pub feedback: bool,
}

/// What one clause of the query added to a hit's score.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub clause: String,
    pub score: f32,
}

/// The scores behind a hit's rank.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    /// BM25 score, if the passage was among the lexical candidates.
    pub bm25: Option<f32>,
    /// Cosine similarity, if the passage was among the semantic candidates.
    pub semantic: Option<f32>,
}

/// One ranked passage.
#[derive(Debug, Clone)]
pub struct Hit {
    pub rank: usize,
    /// The score results are ordered by: BM25 in lexical mode, the fused score in hybrid mode,
    /// cosine similarity in semantic mode.
    pub score: f32,
    pub scores: Scores,
    pub passage: StoredPassage,
    /// Byte ranges of `passage.text` that matched.
    pub highlights: Vec<Range<usize>>,
    pub snippet: Snippet,
    /// Filled when explanation was asked for.
    pub contributions: Vec<Contribution>,
}

/// A term searched because of the lexicon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpandedTerm {
    pub term: String,
    pub kind: SynonymKind,
    /// The query words that led to it.
    pub from: String,
}

/// A query word replaced because the index has never seen it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub from: String,
    pub to: String,
}

/// The answer to a search.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// The mode actually used.
    pub mode: Mode,
    pub query: String,
    pub total_hits: usize,
    pub took: Duration,
    pub hits: Vec<Hit>,
    pub expanded: Vec<ExpandedTerm>,
    pub corrections: Vec<Correction>,
}
