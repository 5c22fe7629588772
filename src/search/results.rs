//! What a search is asked ([`SearchRequest`]) and what it answers ([`SearchResults`]): plain
//! data, shared by the CLI, the evaluation and the output layer.

use std::ops::Range;
use std::sync::Arc;
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

/// How a query's text is read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum QueryKind {
    /// Words a person typed, with the query syntax (phrases, exclusions).
    #[default]
    Typed,
    /// A text to find passages like (`mbc search --like`): no query syntax; searched by its
    /// most distinctive words (`like.rs`) and its meaning. Where the text came from, a passage
    /// or a document of the corpus, is left out of the results.
    Like {
        passage: Option<String>,
        document: Option<String>,
    },
    /// The terms of a treatment approach, to find the passages most about it (`mbc
    /// approaches`). A list of words rather than a question: a symptom among them ("febrile
    /// neutropenia") does not put urgent advice first, as it does for what a person asks.
    Approach,
}

/// What to search for.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// Requested mode; semantic modes fall back to lexical when the index has no vectors or no
    /// model is attached (see [`SearchResults::mode`]).
    pub mode: Mode,
    pub fusion: Fusion,
    pub query: String,
    pub kind: QueryKind,
    pub limit: usize,
    /// Only passages tagged with one of these approaches (all if empty).
    pub approaches: Vec<String>,
    /// No synonym expansion and no typo correction.
    pub exact: bool,
    /// Record what each clause contributed to each hit.
    pub explain: bool,
    /// Pseudo-relevance feedback for descriptive queries (see `feedback`).
    pub feedback: bool,
    /// When nothing in the corpus is about the query, list the closest passages anyway
    /// (labelled as such) instead of none.
    pub closest: bool,
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
    /// The score of the mode's ranking (BM25, similarity, or fused), before the passage's
    /// document standing is weighed in.
    pub fused: f32,
}

/// One ranked passage.
#[derive(Debug, Clone)]
pub struct Hit {
    pub rank: usize,
    /// Put first because the query names a symptom that needs urgent care and the passage
    /// says what to do (`search::urgent`).
    pub urgent: bool,
    /// The score results are ordered by: BM25 in lexical mode, the fused score in hybrid mode,
    /// cosine similarity in semantic mode.
    pub score: f32,
    pub scores: Scores,
    /// Shared with the generation's [`crate::index::PassageCache`].
    pub passage: Arc<StoredPassage>,
    /// Byte ranges of `passage.text` that matched.
    pub highlights: Vec<Range<usize>>,
    pub snippet: Snippet,
    /// Filled when explanation was asked for.
    pub contributions: Vec<Contribution>,
    /// When the query names one side of a `[[contrary]]` pair and the passage only the other:
    /// "HER2-positive, not HER2-negative". Such a passage comes after the rest.
    pub contrary: Option<String>,
}

/// A term searched because of the lexicon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpandedTerm {
    pub term: String,
    pub kind: SynonymKind,
    /// The query words that led to it.
    pub from: String,
    /// True for the name the lexicon shows for its group (the generic name of a brand).
    pub canonical: bool,
    /// True when one of the listed passages contains it.
    pub in_results: bool,
}

/// A query word replaced because the index has never seen it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub from: String,
    pub to: String,
}

/// A query word that no passage uses, as typed, with close corpus words to suggest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsentWord {
    pub word: String,
    pub suggestions: Vec<String>,
}

/// What the decision "is anything about this query" rested on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    /// The best share of the query one of the leading candidates covers.
    pub coverage: f32,
    /// How many concepts (words, phrases, lexicon terms) the query has.
    pub concepts: usize,
    /// The best similarity of a passage to the query (semantic and hybrid).
    pub similarity: Option<f32>,
    /// The model's calibrated similarity floor; `None` when it has none.
    pub similarity_floor: Option<f32>,
    /// The best share of the query covered by a passage at or above the floor near the top of
    /// either ranking (short queries in semantic and hybrid modes, with a floor): a middling
    /// similarity counts only with the words of a passage that close.
    pub coverage_with_meaning: Option<f32>,
    /// The similarity of the query to itself without the words no passage uses, where that
    /// was measured (short queries with such words, not about anything by their words alone).
    pub without_absent_words: Option<f32>,
    /// True when the query names another cancer that no passage names: nothing is about it.
    pub names_another_cancer: bool,
}

/// The answer to a search.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// The mode actually used.
    pub mode: Mode,
    pub query: String,
    /// The query as searched: its words with spelling corrections made, without exclusions.
    pub searched: String,
    /// The text the embedding model was given, when it was given one other than `searched`
    /// (a brand name's generic name added): `--explain` shows it.
    pub embedded: Option<String>,
    /// True when some passage is about the query.
    pub found: bool,
    /// True when `hits` are the closest passages, listed on request although none is about
    /// the query.
    pub closest: bool,
    pub evidence: Evidence,
    /// Passages that match: lexical matches, and in semantic and hybrid modes the passages at
    /// or above the similarity floor (each counted once). Zero when nothing was found.
    pub total_hits: usize,
    pub took: Duration,
    /// The part of `took` spent embedding the query (beside the lexical search, in hybrid
    /// mode), when it was embedded.
    pub took_embedding: Option<Duration>,
    pub hits: Vec<Hit>,
    pub expanded: Vec<ExpandedTerm>,
    pub corrections: Vec<Correction>,
    /// Query words no passage uses.
    pub absent: Vec<AbsentWord>,
    /// Symptoms the query names that need urgent care.
    pub urgent_symptoms: Vec<String>,
    /// When the query names them only if a word no passage uses means a word suggested for it:
    /// that word (`from`) and the suggestion (`to`).
    pub urgent_if_meant: Vec<Correction>,
    /// True when the query asks how much of a medicine to take, which no text says.
    pub asks_for_dose: bool,
    /// The approaches the search was narrowed to (`--approach`), empty for all passages:
    /// "nothing found" then means nothing among them.
    pub approaches: Vec<String>,
    /// True when only the start of the query was searched (it was longer than a query may be).
    pub query_cut: bool,
}
