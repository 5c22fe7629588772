//! Search: a query → ranked, highlighted passages. It never prints; `output` renders what it
//! returns.

mod feedback;
mod fusion;
mod highlight;
mod hybrid;
mod passages;
mod plan;
mod rerank;
mod typo;

use std::collections::BTreeSet;
use std::ops::Range;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tantivy::collector::TopDocs;
use tantivy::query::{EnableScoring, Query, Scorer, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, Searcher, TantivyDocument, Term};

pub use fusion::{Fusion, RRF_K};
use highlight::Highlighter;
pub use highlight::{highlight_ranges, make_snippet, Snippet};
pub use passages::{
    all_passages, count_tagged, documents_tagged, load_passage, passage_in_context,
    PassageInContext, StoredPassage,
};
pub use plan::{
    BODY_WEIGHT, EXPANSION_WEIGHT, PROXIMITY_SLOP, PROXIMITY_WEIGHT, SECTION_WEIGHT, TITLE_WEIGHT,
};

use crate::analysis::{analyze_words, medical_analyzer, AnalyzedWord};
use crate::index::{Fields, SearchIndex};
use crate::lexicon::SynonymKind;
use crate::query::{parse_user_query, Clause};
use crate::{Error, Result};
use hybrid::Candidate;
use plan::{terms_of, LabeledClause, Plan, QueryBuilder};

/// Longest query accepted, in characters; longer text is cut (a pasted page is still searched).
pub const MAX_QUERY_CHARS: usize = 2_000;
/// At most this many free words are scored; the rest of a very long query is ignored.
const MAX_QUERY_WORDS: usize = 64;

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

/// Candidates each ranking contributes to a hybrid search.
const SEMANTIC_CANDIDATES: usize = 100;

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

/// A query turned into a plan, with what typo correction and the lexicon did to it.
struct PlannedQuery {
    plan: Plan,
    expanded: Vec<ExpandedTerm>,
    corrections: Vec<Correction>,
}

/// Runs a search.
pub fn search(index: &SearchIndex, request: &SearchRequest) -> Result<SearchResults> {
    let started = Instant::now();
    let searcher = index.reader.searcher();
    let planned = plan_query(index, &searcher, request)?;
    let mode = effective_mode(index, request.mode);
    let depth = if mode == Mode::Lexical {
        request.limit.max(1) + 10
    } else {
        SEMANTIC_CANDIDATES.max(request.limit + 10)
    };
    let (candidates, lexical_hits) =
        candidates(index, &searcher, &planned.plan, request, mode, depth)?;
    let total_hits = if mode == Mode::Lexical {
        lexical_hits
    } else {
        candidates.len()
    };
    let wanted: Vec<Candidate> = candidates.into_iter().take(request.limit + 10).collect();
    let highlighter = Highlighter::new(&planned.plan.highlight_terms);
    let materialize = |candidate: &Candidate| {
        hit(
            index,
            &searcher,
            &planned.plan,
            &highlighter,
            request,
            candidate,
        )
    };
    // Loading and highlighting a thousand passages costs more than finding them: share it
    // between the cores. A short list is not worth waking the thread pool for.
    let mut hits = if wanted.len() > PARALLEL_HITS {
        wanted
            .par_iter()
            .map(materialize)
            .collect::<Result<Vec<Hit>>>()?
    } else {
        wanted
            .iter()
            .map(materialize)
            .collect::<Result<Vec<Hit>>>()?
    };
    sort_hits(&mut hits);
    hits.truncate(request.limit);
    Ok(SearchResults {
        mode,
        query: request.query.clone(),
        total_hits,
        took: started.elapsed(),
        hits,
        expanded: planned.expanded,
        corrections: planned.corrections,
    })
}

/// Lists longer than this are loaded and highlighted in parallel.
const PARALLEL_HITS: usize = 64;

/// A candidate made into a result: its stored passage, highlights, snippet and explanation.
fn hit(
    index: &SearchIndex,
    searcher: &Searcher,
    plan: &Plan,
    highlighter: &Highlighter,
    request: &SearchRequest,
    candidate: &Candidate,
) -> Result<Hit> {
    let passage = load_passage(searcher, index.fields, candidate.address)?;
    let highlights = highlighter.ranges(&passage.text);
    let snippet = make_snippet(&passage.text, &highlights);
    let mut contributions = if request.explain {
        let clauses = plan.scoring.iter().chain(&plan.proximity);
        explain(clauses, searcher, candidate.address)
    } else {
        Vec::new()
    };
    if let (true, Some(similarity)) = (request.explain, candidate.semantic) {
        contributions.push(Contribution {
            clause: "semantic similarity (cosine)".into(),
            score: similarity,
        });
    }
    Ok(Hit {
        rank: 0,
        score: candidate.score,
        scores: Scores {
            bm25: candidate.bm25,
            semantic: candidate.semantic,
        },
        passage,
        highlights,
        snippet,
        contributions,
    })
}

/// The mode a request gets: semantic modes need vectors and a model that made them.
fn effective_mode(index: &SearchIndex, requested: Mode) -> Mode {
    if requested != Mode::Lexical && index.semantic().is_some() {
        requested
    } else {
        Mode::Lexical
    }
}

/// The ranked candidates (best first) and the number of lexical matches.
fn candidates(
    index: &SearchIndex,
    searcher: &Searcher,
    plan: &Plan,
    request: &SearchRequest,
    mode: Mode,
    depth: usize,
) -> Result<(Vec<hybrid::Candidate>, usize)> {
    let (top, lexical_hits) = if mode == Mode::Semantic {
        (Vec::new(), 0)
    } else {
        rerank::top_passages(searcher, plan, depth)?
    };
    let Some((embedder, vectors)) = index.semantic().filter(|_| mode != Mode::Lexical) else {
        let lexical = top
            .into_iter()
            .map(|(score, address)| hybrid::Candidate {
                address,
                bm25: Some(score),
                semantic: None,
                score,
            })
            .collect();
        return Ok((lexical, lexical_hits));
    };
    let side = hybrid::SemanticSide {
        embedder,
        vectors,
        fusion: request.fusion,
        mode,
        depth,
    };
    let mut ranked = hybrid::rank(searcher, index.fields, plan, &request.query, top, &side)?;
    if mode == Mode::Semantic {
        for candidate in &mut ranked {
            candidate.score = candidate.semantic.unwrap_or_default();
        }
    }
    Ok((ranked, lexical_hits))
}

/// Documents ranked by their best passage, for evaluation against document-level judgements:
/// the top `depth` passages are folded into `(doc_id, score)` pairs.
pub fn rank_documents(
    index: &SearchIndex,
    request: &SearchRequest,
    depth: usize,
) -> Result<Vec<(String, f32)>> {
    let searcher = index.reader.searcher();
    let planned = match plan_query(index, &searcher, request) {
        Ok(planned) => planned,
        Err(Error::Query(_)) => return Ok(Vec::new()),
        Err(err) => return Err(err),
    };
    let mode = effective_mode(index, request.mode);
    let (ranked, _) = candidates(index, &searcher, &planned.plan, request, mode, depth)?;
    let mut best: std::collections::HashMap<String, f32> = std::collections::HashMap::new();
    for candidate in ranked {
        let doc: TantivyDocument = searcher.doc(candidate.address)?;
        let doc_id = doc
            .get_first(index.fields.doc_id)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        let entry = best.entry(doc_id).or_insert(f32::MIN);
        *entry = entry.max(candidate.score);
    }
    Ok(best.into_iter().collect())
}

fn plan_query(
    index: &SearchIndex,
    searcher: &Searcher,
    request: &SearchRequest,
) -> Result<PlannedQuery> {
    index.taxonomy.ensure_known(&request.approaches)?;
    let text: String = request.query.chars().take(MAX_QUERY_CHARS).collect();
    if text.trim().is_empty() && request.approaches.is_empty() {
        return Err(Error::Query("the query is empty: give some words to search for, e.g. mbc search \"bone metastases\"".into()));
    }
    let mut analyzer = medical_analyzer();
    let builder = QueryBuilder::new(index.fields);
    let mut plan = Plan {
        filter: builder.approach_filter(&request.approaches),
        ..Plan::default()
    };
    let mut expanded = Vec::new();
    let mut corrections = Vec::new();
    let mut content_words = 0;
    for clause in parse_user_query(&text).clauses {
        match clause {
            Clause::Words(typed) => {
                let mut words = analyze_words(&mut analyzer, &typed);
                words.truncate(MAX_QUERY_WORDS);
                if !request.exact {
                    corrections = correct_typos(index, searcher, &mut words, &typed);
                }
                add_free_words(
                    index,
                    &builder,
                    &mut plan,
                    &words,
                    request.exact,
                    &typed,
                    &mut expanded,
                );
                content_words += words.iter().map(|w| &w.term).collect::<BTreeSet<_>>().len();
            }
            Clause::Phrase(phrase) => {
                let words = analyze_words(&mut analyzer, &phrase);
                if let Some(query) = builder.words_anywhere(&words, 0) {
                    plan.highlight_terms
                        .extend(terms_of(&words).map(String::from));
                    plan.scoring.push(LabeledClause {
                        label: format!("\"{phrase}\""),
                        query: query.box_clone(),
                    });
                    plan.required.push(query);
                }
            }
            Clause::Exclude(excluded) => {
                let words = analyze_words(&mut analyzer, &excluded);
                plan.excluded
                    .extend(builder.words_anywhere_unscored(&words));
            }
        }
    }
    if plan.is_empty() {
        return Err(Error::Query(format!(
            "nothing searchable in \"{}\": it has only very common words or symbols; try the words that matter, e.g. \"hormone therapy side effects\"",
            request.query.trim()
        )));
    }
    if request.feedback {
        feedback::expand(&mut plan, searcher, index.fields, content_words)?;
    }
    Ok(PlannedQuery {
        plan,
        expanded,
        corrections,
    })
}

/// Score descending, then passage id: the same query always gives the same order.
fn sort_hits(hits: &mut [Hit]) {
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.passage.passage_id.cmp(&b.passage.passage_id))
    });
    for (i, hit) in hits.iter_mut().enumerate() {
        hit.rank = i + 1;
    }
}

/// Free words: each word scored in every field, lexicon expansions at a lower weight, and a
/// proximity bonus for the words together.
fn add_free_words(
    index: &SearchIndex,
    builder: &QueryBuilder,
    plan: &mut Plan,
    words: &[AnalyzedWord],
    exact: bool,
    text: &str,
    expanded: &mut Vec<ExpandedTerm>,
) {
    for word in words {
        if let Some(query) = builder.words_anywhere(std::slice::from_ref(word), 0) {
            plan.scoring.push(LabeledClause {
                label: word.term.clone(),
                query,
            });
        }
    }
    plan.highlight_terms
        .extend(terms_of(words).map(String::from));
    for pair in words.windows(2) {
        if let Some(query) = builder.proximity(pair) {
            plan.proximity.push(LabeledClause {
                label: format!("near: {} {}", pair[0].term, pair[1].term),
                query,
            });
        }
    }
    if exact {
        return;
    }
    for found in index.lexicon.matches(words) {
        let matched = &words[found.start..found.start + found.len];
        let from = text
            .get(matched[0].range.start..matched[matched.len() - 1].range.end)
            .unwrap_or_default()
            .to_string();
        for expansion in found.expansions {
            let Some(query) = builder.words_anywhere(&expansion.words, 0) else {
                continue;
            };
            let boosted: Box<dyn Query> =
                Box::new(tantivy::query::BoostQuery::new(query, EXPANSION_WEIGHT));
            plan.scoring.push(LabeledClause {
                label: format!("also: {}", expansion.text),
                query: boosted,
            });
            plan.highlight_terms
                .extend(terms_of(&expansion.words).map(String::from));
            expanded.push(ExpandedTerm {
                term: expansion.text,
                kind: expansion.kind,
                from: from.clone(),
            });
        }
    }
}

/// Replaces words that appear nowhere in the index (and not in the lexicon) by their closest
/// indexed neighbour.
fn correct_typos(
    index: &SearchIndex,
    searcher: &Searcher,
    words: &mut [AnalyzedWord],
    text: &str,
) -> Vec<Correction> {
    let fields = [index.fields.body, index.fields.section, index.fields.title];
    let mut corrections = Vec::new();
    for word in words.iter_mut() {
        let original = text
            .get(word.range.clone())
            .unwrap_or(&word.term)
            .to_string();
        if typo::doc_freq(searcher, &fields, &word.term) > 0 || index.lexicon.contains(&original) {
            continue;
        }
        if let Some(better) = typo::closest_term(searcher, index.fields.body, &word.term) {
            let shown =
                surface_form(searcher, index.fields, &better).unwrap_or_else(|| better.clone());
            corrections.push(Correction {
                from: original,
                to: shown,
            });
            word.term = better;
        }
    }
    corrections
}

/// How an indexed (stemmed) term is written in the corpus, for telling the user.
fn surface_form(searcher: &Searcher, fields: Fields, term: &str) -> Option<String> {
    let query = TermQuery::new(
        Term::from_field_text(fields.body, term),
        IndexRecordOption::Basic,
    );
    let top = searcher
        .search(&query, &TopDocs::with_limit(1).order_by_score())
        .ok()?;
    let passage = load_passage(searcher, fields, top.first()?.1).ok()?;
    let set: BTreeSet<String> = [term.to_string()].into();
    let range = highlight_ranges(&passage.text, &set).into_iter().next()?;
    Some(passage.text[range].to_lowercase())
}

/// Scores each labelled clause on one passage. Computed by seeking a fresh scorer per clause
/// rather than with `Query::explain`, which trips on some clause shapes in tantivy 0.27.
fn explain<'a>(
    clauses: impl Iterator<Item = &'a LabeledClause>,
    searcher: &Searcher,
    address: DocAddress,
) -> Vec<Contribution> {
    let segment = searcher.segment_reader(address.segment_ord);
    clauses
        .filter_map(|c| {
            let weight = c
                .query
                .weight(EnableScoring::enabled_from_searcher(searcher))
                .ok()?;
            let mut scorer = weight.scorer(segment, 1.0).ok()?;
            if scorer.doc() < address.doc_id {
                scorer.seek(address.doc_id);
            }
            let score = if scorer.doc() == address.doc_id {
                scorer.score()
            } else {
                0.0
            };
            (score > 0.0).then(|| Contribution {
                clause: c.label.clone(),
                score,
            })
        })
        .collect()
}

/// The search that finds the passages most about an approach: its own terms, among the
/// passages tagged with it.
pub fn approach_request(
    index: &SearchIndex,
    approach_id: &str,
    limit: usize,
) -> Result<SearchRequest> {
    let approach = index
        .taxonomy
        .get(approach_id)
        .ok_or_else(|| Error::UnknownApproach {
            id: approach_id.to_string(),
            known: index
                .taxonomy
                .approaches()
                .iter()
                .map(|a| a.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    Ok(SearchRequest {
        query: format!("{} {}", approach.label, approach.terms.join(" ")),
        limit,
        approaches: vec![approach.id.clone()],
        exact: true,
        explain: false,
        feedback: false,
        mode: Mode::Lexical,
        fusion: Fusion::default(),
    })
}
