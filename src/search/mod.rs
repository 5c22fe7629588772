//! Search: a query → ranked, highlighted passages. It never prints; `output` renders what it
//! returns.
//!
//! A search runs in steps, each in its own file: `interpret` turns the query into a `Plan`
//! (typo correction, synonyms, feedback), `rerank` finds the lexical candidates, `hybrid`
//! fuses them with the nearest passage vectors, and this file loads, highlights and orders the
//! winners. Every read of the index goes through an [`Snapshot`], so damaged files are
//! reported as such.

mod about;
mod asked;
mod contrary;
mod dose;
mod explain;
mod feedback;
mod fusion;
mod highlight;
mod hybrid;
mod interpret;
mod like;
mod passages;
mod plan;
mod rerank;
mod results;
mod spelling;
mod subject;
mod suggest;
mod urgent;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

pub use fusion::{Fusion, RRF_K};
use highlight::Highlighter;
pub use highlight::{Snippet, highlight_ranges, make_snippet};
pub use interpret::{LONG_QUERY_WORDS, MAX_LIKE_CHARS, MAX_QUERY_CHARS, MAX_QUERY_WORDS};
pub use like::LIKE_TERMS;
pub use passages::{
    PassageInContext, StoredPassage, all_passages, count_tagged, documents_tagged, load_passage,
    passage_by_id, passage_in_context,
};
pub use plan::{
    BODY_WEIGHT, EXPANSION_WEIGHT, PROXIMITY_SLOP, PROXIMITY_WEIGHT, SECTION_WEIGHT, TITLE_WEIGHT,
};
pub use results::{
    AbsentWord, Contribution, Correction, Evidence, ExpandedTerm, Hit, Mode, QueryKind, Scores,
    SearchRequest, SearchResults,
};
pub use suggest::Suggester;

use crate::corpus::Standing;
use crate::index::{SearchIndex, Snapshot};
use crate::{Error, Result};
use about::Aboutness;
use asked::Asked;
use contrary::Sides;
use hybrid::{Candidate, Nearest, SemanticQuery};
use interpret::{PlannedQuery, plan_query};
use plan::Plan;
use urgent::UrgentFirst;

/// The leading passages that every search reorders the same way, however many it asks for: the
/// dated texts' discount, the contrary statuses and the urgent advice reorder the first
/// `WINDOW` of the result, and passages past it keep their order; a hybrid search fuses its
/// two rankings [`FUSION_DEPTH`] deep. So a page of results (`--limit 20`, its last 10; `offset=10`)
/// continues the page before it. The reordering used to reach ten past the passages asked for,
/// and the fusion as deep as the search: a second page repeated passages of the first and
/// skipped others, and a passage's rank depended on the limit. (Elasticsearch asks the same of
/// its rescoring window: keep it constant as you page.)
pub const WINDOW: usize = 100;

/// How deep a hybrid search fuses its two rankings, whatever it asks for. Fused 100 deep, MED's
/// hybrid nDCG@10 was 0.8044 (linear fusion 0.8041) against 0.8086 (0.8116) fused 1,000 deep,
/// as `mbc eval` did with its top 1000 while a search of ten fused 100: now both fuse 1,000.
/// The people's-question sets are the same either way.
pub const FUSION_DEPTH: usize = 1000;

/// "Also searched" names the expansions found in this many of the first passages.
const EXPANSIONS_SHOWN_FROM: usize = 100;

/// How many of the first places a passage that waits to be asked for (`first_only_when_asked`)
/// leaves to others in a hybrid search that found it by meaning alone, none of the query's
/// words being in it: a one-word question's embedding is a weak guide ("mucositis" had the last
/// days and hours of life second, at a similarity of 0.39). Semantic mode has no words to weigh
/// it against, and keeps the text's own `keep_out_of_first`.
const BY_MEANING_ALONE_KEPT_OUT: usize = 3;

/// Lists longer than this are loaded and highlighted in parallel: the window every search
/// loads is not. Splitting it across the thread pool cost a server more than it saved: the
/// pool's wake-ups and hand-offs were a tenth of the CPU an `--exact` answer took, while
/// concurrent requests already kept both cores busy; searches one at a time in one process
/// were no slower for it (`cargo bench --bench search`).
const PARALLEL_HITS: usize = WINDOW;

/// Lists up to this long are highlighted from the terms a cached passage keeps
/// ([`crate::analysis::PassageTerms`]); longer ones are analyzed as they are highlighted.
const SHORT_LIST: usize = 64;

/// Runs a search.
pub fn search(index: &SearchIndex, request: &SearchRequest) -> Result<SearchResults> {
    let started = Instant::now();
    let snapshot = index.snapshot();
    let planned = plan_query(index, &snapshot, request)?;
    let mode = effective_mode(index, request.mode);
    let ranked = rank(index, &snapshot, &planned, request, mode)?;
    // The leading WINDOW are loaded, however few are asked for: a dated text's passage counts
    // for less ([`standing_factor`]) and a passage on a contrary status comes after the rest
    // (`contrary.rs`), and they are reordered for that within the window. Only the passages
    // shown are highlighted and cut into snippets, which costs more than loading them (and a
    // server has the leading passages of its searches cached).
    let wanted: Vec<Candidate> = ranked
        .candidates
        .into_iter()
        .take(request.limit.max(WINDOW))
        .collect();
    let mut loaded = each(wanted, |candidate| {
        load(index, &snapshot, &planned.sides, candidate)
    })?;
    let terms = interpret::concept_terms(&planned.concepts, &planned.semantic_text);
    let mut asked = Asked::new(&terms);
    for loaded in &mut loaded {
        loaded.waits = !asked.asks_for(&loaded.passage.first_only_when_asked);
        loaded.by_meaning_alone = mode == Mode::Hybrid && loaded.candidate.bm25.is_none();
    }
    let window = loaded.len().min(WINDOW);
    sort_loaded(&mut loaded[..window]);
    asked::keep_waiting_back(
        &mut loaded[..window],
        |l| l.score,
        Loaded::kept_out_of_first,
    );
    loaded.truncate(request.limit);
    let highlighter = Highlighter::new(&planned.plan.highlight_terms);
    let symptom = Highlighter::new(&ranked.urgent.symptom_terms);
    let action = Highlighter::new(&ranked.urgent.action_terms);
    let shown = Shown {
        snapshot: &snapshot,
        plan: &planned.plan,
        highlighter: &highlighter,
        urgent: [&symptom, &action],
        short: loaded.len() <= SHORT_LIST,
        explain: request.explain,
    };
    let numbered: Vec<(usize, Loaded)> = (1..).zip(loaded).collect();
    let hits = each(numbered, |(rank, loaded)| shown.hit(rank, loaded))?;
    let embedded = Some(planned.embedding_text())
        .filter(|text| ranked.embedding.is_some() && *text != planned.semantic_text)
        .map(|text| text.into_owned());
    let mut expanded = planned.expanded;
    mark_expansions_in_results(&mut expanded, &hits);
    Ok(SearchResults {
        mode,
        query: request.query.clone(),
        searched: planned.semantic_text,
        embedded,
        found: ranked.about.found,
        closest: !ranked.about.found && !hits.is_empty(),
        evidence: Evidence {
            coverage: ranked.about.coverage,
            concepts: ranked.about.concepts,
            similarity: ranked.about.similarity,
            similarity_floor: ranked.floor,
            coverage_with_meaning: ranked.about.coverage_with_meaning,
            without_absent_words: ranked.about.without_absent,
            names_another_cancer: planned.names_another_cancer,
        },
        total_hits: ranked.total_hits,
        took: started.elapsed(),
        took_embedding: ranked.embedding,
        hits,
        expanded,
        corrections: planned.corrections,
        absent: planned.absent,
        urgent_symptoms: ranked.urgent.symptoms,
        urgent_if_meant: ranked.urgent.if_meant,
        asks_for_dose: request.kind == QueryKind::Typed && dose::asks_for_dose(&request.query),
        approaches: each_once(&request.approaches),
        query_cut: planned.cut,
    })
}

/// Marks the expansions that one of the first [`EXPANSIONS_SHOWN_FROM`] passages contains:
/// those are the ones that mattered to what a person reads. Passages are read best first only
/// until every expansion is found: analyzing all of a top-1000 list again was a fifth of its
/// search time.
fn mark_expansions_in_results(expanded: &mut [ExpandedTerm], hits: &[Hit]) {
    let mut analyzer = crate::analysis::medical_analyzer();
    let mut unmarked: Vec<(&mut ExpandedTerm, Vec<String>)> = Vec::new();
    for expansion in expanded {
        let terms: Vec<String> = crate::analysis::analyze_words(&mut analyzer, &expansion.term)
            .into_iter()
            .map(|w| w.term)
            .collect();
        expansion.in_results = false;
        if !terms.is_empty() {
            unmarked.push((expansion, terms));
        }
    }
    for hit in hits.iter().take(EXPANSIONS_SHOWN_FROM) {
        if unmarked.is_empty() {
            break;
        }
        let in_hit = &hit.passage.terms().all;
        unmarked.retain_mut(|(expansion, terms)| {
            expansion.in_results = terms.iter().all(|t| in_hit.contains(t));
            !expansion.in_results
        });
    }
}

/// The ranking of a search, before its passages are loaded.
struct Ranked {
    /// Best first; empty when nothing is about the query and the closest were not asked for.
    candidates: Vec<Candidate>,
    about: Aboutness,
    /// How long embedding the query took, in semantic and hybrid modes.
    embedding: Option<Duration>,
    /// The similarity floor that applied, if the model has one.
    floor: Option<f32>,
    total_hits: usize,
    urgent: UrgentFirst,
}

/// Ranks the passages for a planned query: the lexical candidates, the semantic ones, whether
/// anything is about the query at all, and the fused list.
fn rank(
    index: &SearchIndex,
    snapshot: &Snapshot,
    planned: &PlannedQuery,
    request: &SearchRequest,
    mode: Mode,
) -> Result<Ranked> {
    let depth = match mode {
        Mode::Lexical => request.limit.max(WINDOW),
        _ => request.limit.max(FUSION_DEPTH),
    };
    let semantic = index.semantic().filter(|_| mode != Mode::Lexical);
    // `--exact` ranks by BM25 and the proximity bonus alone: no coverage, as no feedback.
    let concepts = if request.exact {
        &[][..]
    } else {
        &planned.concepts[..]
    };
    let coordinated =
        |searcher: &_, hits: &[_]| about::coordination_of(searcher, index.fields, concepts, hits);
    let lexical = || match mode {
        Mode::Semantic => Ok((Vec::new(), 0)),
        _ => rerank::top_passages(snapshot, &planned.plan, depth, coordinated),
    };
    let (lexical, mut nearest) = match semantic {
        // The two halves are independent: embedding the query (most of a hybrid search's
        // time) runs on one core while the lexical search runs on the other.
        Some(side) => {
            let embedded = planned.embedding_text();
            let text = embedded.as_ref();
            let semantic_query = match &request.kind {
                QueryKind::Like {
                    passage: Some(id), ..
                } => SemanticQuery::Passage { id, text },
                _ => SemanticQuery::Text(text),
            };
            let nearest = || {
                hybrid::nearest(
                    snapshot,
                    index.fields,
                    &planned.plan,
                    semantic_query,
                    side,
                    depth,
                )
            };
            let (lexical, nearest) = rayon::join(lexical, nearest);
            (lexical, Some(nearest?))
        }
        None => (lexical(), None),
    };
    let (top, lexical_hits) = lexical?;
    let embedding = nearest.as_ref().map(|n| n.embedded_in);
    let thresholds = semantic.and_then(|(embedder, _)| embedder.thresholds());
    let floor = thresholds.map(|t| t.floor);
    let similarity = nearest.as_ref().and_then(Nearest::best);
    let leading = match (&mut nearest, mode) {
        (Some(nearest), Mode::Semantic) => nearest.leading(snapshot, index.fields)?,
        _ => top.iter().map(|&(_, address)| address).collect(),
    };
    // A longer text spreads its words over many passages, none of them both close and covering
    // much ("I saw Mrs Jones in clinic today …"): any leading passage's coverage serves it.
    let similar = match (semantic, &mut nearest, floor) {
        (Some((_, vectors)), Some(nearest), Some(floor))
            if about::is_short(planned.concepts.len()) =>
        {
            Some(similar_passages(
                index, snapshot, nearest, vectors, &leading, floor,
            )?)
        }
        _ => None,
    };
    let mut about = about::judge(
        index,
        snapshot,
        &planned.concepts,
        &leading,
        similar.as_deref(),
        similarity,
        // The floor a long text must reach to be about the query is higher; the floor for
        // joining a ranking once something is about it stays the model's.
        thresholds.map(|t| if planned.long { t.for_long_text() } else { t }),
    )?;
    if !about.by_words()
        && let (Some((embedder, _)), Some(nearest)) = (semantic, &nearest)
    {
        about.without_absent = similarity_without_absent_words(embedder, nearest, planned)?;
        about.found &= about
            .without_absent
            .is_none_or(|s| s >= about::SAME_QUESTION);
    }
    about.found &=
        !planned.names_another_cancer && !about.incidental(floor, !planned.absent.is_empty());
    let urgent = match request.kind {
        QueryKind::Approach => UrgentFirst::default(),
        _ => urgent::urgent_first(
            index,
            snapshot,
            &planned.concepts,
            &planned.semantic_text,
            &planned.absent,
            &planned.plan,
        )?,
    };
    // A question about an urgent symptom is never answered with "nothing found".
    about.found |= urgent.advice.is_some();
    if !about.found && !request.closest {
        return Ok(Ranked {
            candidates: Vec::new(),
            about,
            embedding,
            floor,
            total_hits: 0,
            urgent,
        });
    }
    let Some(mut nearest) = nearest.take() else {
        let mut candidates = top
            .into_iter()
            .map(|(score, address)| Candidate {
                address,
                bm25: Some(score),
                semantic: None,
                score,
                urgent: false,
            })
            .collect();
        put_urgent_first(&mut candidates, &urgent);
        return Ok(Ranked {
            candidates,
            about,
            embedding,
            floor,
            total_hits: lexical_hits,
            urgent,
        });
    };
    // Once something is about the query, the semantic side adds only passages about it too;
    // the closest passages, asked for when nothing is, are listed however far they are, and
    // match nothing (`total_hits` was the search's depth).
    let mut total_hits = if about.found {
        nearest.ranking.len()
    } else {
        0
    };
    if let (true, Some(floor)) = (about.found, floor) {
        // In semantic mode the leading passages that cover the query by their words can be
        // what makes it found: they stay, or a search found something and showed nothing.
        // When the best of them does not cover enough, none does.
        let by_words = match mode {
            Mode::Semantic if about.by_words() => {
                about::about_by_words(index, snapshot, &planned.concepts, &leading)?
            }
            _ => Vec::new(),
        };
        let below_floor = nearest
            .ranking
            .iter()
            .filter(|(id, s)| *s < floor && by_words.contains(id))
            .count();
        nearest.keep_from(floor, &by_words);
        let lexical = if mode == Mode::Hybrid {
            hybrid::lexical_matches(snapshot, &planned.plan)?
        } else {
            Default::default()
        };
        let (_, vectors) = semantic.expect("nearest comes from the semantic side");
        total_hits = lexical_hits
            + below_floor
            + hybrid::semantic_only_matches(
                snapshot,
                index.fields,
                &planned.plan,
                &mut nearest,
                vectors,
                floor,
                &lexical,
            )?;
    }
    let mut candidates = hybrid::rank(
        snapshot,
        index.fields,
        top,
        &mut nearest,
        request.fusion,
        mode,
    )?;
    if about.found && floor.is_none() {
        total_hits = candidates.len();
    }
    put_urgent_first(&mut candidates, &urgent);
    Ok(Ranked {
        candidates,
        about,
        embedding,
        floor,
        total_hits,
        urgent,
    })
}

/// The passages near the top of either ranking whose similarity to the query reaches `floor`:
/// the semantic ranking's leading ones, and those of the `leading` lexical candidates whose stored
/// vectors are that close. Meaning counts only together with the words of one such passage: a
/// passage that shares words with the question is not evidence because another passage is
/// close in meaning ("how many days annual leave does a band 5 nurse get": "many", "nurse" and
/// "get" in one passage, a closeness to another).
fn similar_passages(
    index: &SearchIndex,
    snapshot: &Snapshot,
    nearest: &mut Nearest,
    vectors: &crate::embed::VectorSet,
    leading: &[tantivy::DocAddress],
    floor: f32,
) -> Result<Vec<tantivy::DocAddress>> {
    let mut similar = nearest.leading_from(snapshot, index.fields, floor)?;
    for &address in leading.iter().take(about::COVERAGE_DEPTH) {
        let passage = index.passages.get(snapshot, index.fields, address)?;
        if !similar.contains(&address)
            && nearest
                .similarity_of(vectors, &passage.passage_id)
                .is_some_and(|s| s >= floor)
        {
            similar.push(address);
        }
    }
    Ok(similar)
}

/// The similarity of a short query to itself without the words no passage uses; `None` when it
/// has none, or is not short (a description or a pasted text always has words the corpus
/// lacks). When it is low ([`about::SAME_QUESTION`]), those words carry the question: a
/// passage close in meaning is close to the rest of it ("my cat", "paracetamol for pain").
/// A query of nothing but such words is 0.
fn similarity_without_absent_words(
    embedder: &crate::embed::Embedder,
    nearest: &Nearest,
    planned: &PlannedQuery,
) -> Result<Option<f32>> {
    if !about::is_short(planned.concepts.len()) || planned.absent.is_empty() {
        return Ok(None);
    }
    // An absent lexicon term may be several words ("ductal carcinoma in situ").
    let absent: Vec<&str> = planned
        .absent
        .iter()
        .flat_map(|a| a.word.split_whitespace())
        .collect();
    let rest = about::without_words(&planned.embedding_text(), &absent);
    if rest.is_empty() {
        return Ok(Some(0.0));
    }
    Ok(Some(nearest.similarity_to(embedder, &rest)?))
}

/// Moves one urgent-advice passage to the front, marked as urgent: the one that fits the
/// query's words best, in every mode. It was the one the ranking put highest, and the model's
/// sense of closeness then chose the advice: "shivering on docetaxel" was led by the advice for
/// a hot, swollen arm (it names shivers), and "on enhertu and got a new cough" by general
/// advice rather than the advice on lung inflammation with T-DXd. It keeps its score where the
/// ranking has it, and joins with none where it does not.
fn put_urgent_first(candidates: &mut Vec<Candidate>, urgent: &UrgentFirst) {
    let Some(advice) = urgent.advice else {
        return;
    };
    let ranked = candidates.iter().position(|c| c.address == advice);
    let first = match ranked {
        Some(i) => candidates.remove(i),
        None => Candidate {
            address: advice,
            bm25: None,
            semantic: None,
            score: 0.0,
            urgent: false,
        },
    };
    candidates.insert(
        0,
        Candidate {
            urgent: true,
            ..first
        },
    );
}

/// Maps a list of candidates or hits, on both cores when it is long: loading and highlighting a
/// thousand passages costs more than finding them. A short list is not worth waking the
/// thread pool for.
fn each<T: Send, U: Send>(
    items: Vec<T>,
    map: impl Fn(T) -> Result<U> + Send + Sync,
) -> Result<Vec<U>> {
    if items.len() > PARALLEL_HITS {
        items.into_par_iter().map(map).collect()
    } else {
        items.into_iter().map(map).collect()
    }
}

/// A candidate with its stored passage and the score results are ordered by.
struct Loaded {
    candidate: Candidate,
    passage: Arc<StoredPassage>,
    score: f32,
    /// Why the passage does not answer the query, when it names only a status contrary to one
    /// the query names ("HER2-positive, not HER2-negative"): it comes after the rest.
    ruled_out: Option<String>,
    /// True when its text leads only when asked for, and the query does not ask (`asked.rs`);
    /// set once the passages are loaded.
    waits: bool,
    /// True when a hybrid search found it by meaning alone, with none of the query's words.
    by_meaning_alone: bool,
}

impl Loaded {
    /// How many of the first results the passage leaves to others: none for urgent advice,
    /// its text's `keep_out_of_first` while it waits to be asked for (at least
    /// [`BY_MEANING_ALONE_KEPT_OUT`] when a hybrid search found it by meaning alone), the first
    /// when it is ruled out.
    fn kept_out_of_first(&self) -> usize {
        if self.candidate.urgent {
            return 0;
        }
        let waiting = match (self.waits, self.by_meaning_alone) {
            (false, _) => 0,
            (true, true) => {
                (self.passage.keep_out_of_first as usize).max(BY_MEANING_ALONE_KEPT_OUT)
            }
            (true, false) => (self.passage.keep_out_of_first as usize).max(1),
        };
        waiting.max(usize::from(self.ruled_out.is_some()))
    }
}

fn load(
    index: &SearchIndex,
    snapshot: &Snapshot,
    sides: &Sides,
    candidate: Candidate,
) -> Result<Loaded> {
    let passage = index
        .passages
        .get(snapshot, index.fields, candidate.address)?;
    Ok(Loaded {
        score: candidate.score * standing_factor(passage.standing),
        ruled_out: sides.rules_out(&index.lexicon, &passage),
        waits: false,
        by_meaning_alone: false,
        candidate,
        passage,
    })
}

/// What makes a loaded passage into a result as shown: its highlights, snippet and, when asked
/// for, explanation.
///
/// `short` says the list is short. A short list's passages are analyzed whole, and the cached
/// passage keeps its terms: short lists are what people and the server ask for, again and
/// again. A long list (a top 1000) is highlighted from the words that can match only, unless a
/// passage was analyzed before: analyzing all of a thousand passages whole made a one-off top
/// 1000 about twice as slow, for passages unlikely to be asked for again.
struct Shown<'a> {
    snapshot: &'a Snapshot,
    plan: &'a Plan,
    highlighter: &'a Highlighter<'a>,
    /// The urgent symptoms' words and the actions' ([`UrgentFirst::symptom_terms`]), which the
    /// urgent advice's snippet is chosen around.
    urgent: [&'a Highlighter<'a>; 2],
    short: bool,
    explain: bool,
}

impl Shown<'_> {
    fn hit(&self, rank: usize, loaded: Loaded) -> Result<Hit> {
        let Loaded {
            candidate,
            passage,
            score,
            ruled_out,
            waits,
            by_meaning_alone: _,
        } = loaded;
        let highlights = match passage.analyzed_terms() {
            Some(terms) => self.highlighter.ranges_in(terms),
            None if self.short => self.highlighter.ranges_in(passage.terms()),
            None => self.highlighter.ranges(&passage.text),
        };
        let anchors = match candidate.urgent {
            true => highlight::Anchors {
                symptom: self.urgent[0].ranges(&passage.text),
                action: self.urgent[1].ranges(&passage.text),
            },
            false => highlight::Anchors::default(),
        };
        let snippet = highlight::make_snippet_around(&passage.text, &highlights, &anchors);
        let mut contributions = if self.explain {
            let clauses = self.plan.scoring.iter().chain(&self.plan.proximity);
            explain::explain(clauses, self.snapshot, candidate.address)?
        } else {
            Vec::new()
        };
        if let (true, Some(similarity)) = (self.explain, candidate.semantic) {
            contributions.push(Contribution {
                clause: "semantic similarity (cosine)".into(),
                score: similarity,
            });
        }
        if self.explain && waits {
            contributions.push(Contribution {
                clause: "kept from the first places (keep_out_of_first): its text comes that high only for a query that names one of its first_only_when_asked".into(),
                score: 0.0,
            });
        }
        if let (true, Some(why)) = (self.explain, &ruled_out) {
            contributions.push(Contribution {
                clause: format!("after the rest: about {why}"),
                score: 0.0,
            });
        }
        Ok(Hit {
            rank,
            urgent: candidate.urgent,
            score,
            scores: Scores {
                bm25: candidate.bm25,
                semantic: candidate.semantic,
                fused: candidate.score,
            },
            passage,
            highlights,
            snippet,
            contributions,
            contrary: ruled_out,
        })
    }
}

/// What a passage's score counts for, by its document's standing: a dated or unreviewed
/// text counts 0.8, so that a reviewed text that answers as well comes first, while a passage
/// only such a text has is still found.
fn standing_factor(standing: Standing) -> f32 {
    match standing {
        Standing::Reviewed => 1.0,
        Standing::Dated | Standing::Unreviewed => UNREVIEWED_WEIGHT,
    }
}

/// The approach filter as the results name it: each approach once, in the order given
/// (`--approach bone-directed,bone-directed` was echoed twice).
fn each_once(approaches: &[String]) -> Vec<String> {
    let mut once: Vec<String> = Vec::new();
    for approach in approaches {
        if !once.contains(approach) {
            once.push(approach.clone());
        }
    }
    once
}

/// See `standing_factor`.
pub const UNREVIEWED_WEIGHT: f32 = 0.8;

/// The mode a request gets: semantic modes need vectors and a model that made them.
fn effective_mode(index: &SearchIndex, requested: Mode) -> Mode {
    if requested != Mode::Lexical && index.semantic().is_some() {
        requested
    } else {
        Mode::Lexical
    }
}

/// Documents scored by their best passage among the top `depth`, for evaluation against
/// document-level judgements: `(doc_id, score)` pairs, in no particular order, ranked in full
/// even when nothing is about the query; and whether something was.
pub fn documents_by_best_passage(
    index: &SearchIndex,
    request: &SearchRequest,
    depth: usize,
) -> Result<(Vec<(String, f32)>, bool)> {
    let snapshot = index.snapshot();
    let planned = match plan_query(index, &snapshot, request) {
        Ok(planned) => planned,
        Err(Error::Query(_)) => return Ok((Vec::new(), false)),
        Err(err) => return Err(err),
    };
    let mode = effective_mode(index, request.mode);
    let deep = SearchRequest {
        limit: depth,
        closest: true,
        ..request.clone()
    };
    let ranked = rank(index, &snapshot, &planned, &deep, mode)?;
    let mut best: HashMap<String, f32> = HashMap::new();
    for candidate in ranked.candidates {
        let doc_id = snapshot
            .read(|s| index.fields.doc_id_of(s, candidate.address))?
            .unwrap_or_default();
        let entry = best.entry(doc_id).or_insert(f32::MIN);
        *entry = entry.max(candidate.score);
    }
    Ok((best.into_iter().collect(), ranked.about.found))
}

/// Urgent advice first (in the rule's order), then the passages not ruled out by a contrary
/// status, then score descending, then a passage with the words typed before one only the
/// embedding found (as [`fusion::fuse`] breaks its ties), then passage id: the same query
/// always gives the same order.
fn sort_loaded(loaded: &mut [Loaded]) {
    loaded.sort_by(|a, b| {
        let (a_urgent, b_urgent) = (a.candidate.urgent, b.candidate.urgent);
        b_urgent
            .cmp(&a_urgent)
            .then_with(|| a.ruled_out.is_some().cmp(&b.ruled_out.is_some()))
            .then_with(|| match a_urgent && b_urgent {
                true => std::cmp::Ordering::Equal,
                false => b.score.total_cmp(&a.score),
            })
            .then_with(|| {
                let lexical = |l: &Loaded| l.candidate.bm25.is_some();
                lexical(b).cmp(&lexical(a))
            })
            .then_with(|| a.passage.passage_id.cmp(&b.passage.passage_id))
    });
}

/// The search that finds the passages that best explain an approach, among the passages
/// tagged with it: those whose meaning is closest to the approach's label and description.
/// Without an embedding model, those with most of its own terms; a passage that lists many
/// drug names then outranks one that says what the drugs do.
pub fn approach_request(
    index: &SearchIndex,
    approach_id: &str,
    limit: usize,
) -> Result<SearchRequest> {
    let approach = index.taxonomy.require(approach_id)?;
    let (query, mode) = match index.semantic() {
        Some(_) => (
            format!("{}. {}", approach.label, approach.description),
            Mode::Semantic,
        ),
        None => (
            format!("{} {}", approach.label, approach.terms.join(" ")),
            Mode::Lexical,
        ),
    };
    Ok(SearchRequest {
        query,
        limit,
        approaches: vec![approach.id.clone()],
        exact: true,
        explain: false,
        feedback: false,
        closest: true,
        mode,
        fusion: Fusion::default(),
        kind: QueryKind::Approach,
    })
}

/// Every approach of the taxonomy with its `per` best passages ([`approach_request`]), as
/// `mbc approaches` and the server's overview show them.
pub fn best_by_approach(
    index: &SearchIndex,
    per: usize,
) -> Result<Vec<(crate::taxonomy::Approach, SearchResults)>> {
    index
        .taxonomy
        .approaches()
        .iter()
        .map(|approach| {
            let request = approach_request(index, &approach.id, per)?;
            Ok((approach.clone(), search(index, &request)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::SynonymKind;

    fn hit(text: &str) -> Hit {
        Hit {
            rank: 0,
            urgent: false,
            score: 0.0,
            scores: Scores {
                bm25: None,
                semantic: None,
                fused: 0.0,
            },
            passage: std::sync::Arc::new(stored_passage(text)),
            highlights: Vec::new(),
            snippet: make_snippet(text, &[]),
            contributions: Vec::new(),
            contrary: None,
        }
    }

    fn stored_passage(text: &str) -> passages::StoredPassage {
        passages::StoredPassage {
            passage_id: String::new(),
            doc_id: String::new(),
            title: "Title".into(),
            section: String::new(),
            text: text.into(),
            approaches: Vec::new(),
            path: String::new(),
            line_start: 1,
            line_end: 1,
            ordinal: 0,
            sources: Vec::new(),
            last_reviewed: None,
            standing: Standing::Reviewed,
            caveats: Vec::new(),
            first_only_when_asked: Vec::new(),
            keep_out_of_first: 0,
            analyzed: Default::default(),
            document_json: Default::default(),
        }
    }

    fn expansion(term: &str) -> ExpandedTerm {
        ExpandedTerm {
            term: term.into(),
            kind: SynonymKind::Lay,
            from: "x".into(),
            canonical: true,
            in_results: true,
        }
    }

    #[test]
    fn an_expansion_matters_when_one_of_the_first_passages_contains_it() {
        let mut hits: Vec<Hit> = (0..EXPANSIONS_SHOWN_FROM)
            .map(|_| hit("Nothing to see here."))
            .collect();
        hits[3] = hit("Palliative care relieves symptoms.");
        hits.push(hit("Fatigue is common."));
        let mut expanded = [
            expansion("supportive care"),
            expansion("palliative care"),
            expansion("fatigue"),
        ];
        mark_expansions_in_results(&mut expanded, &hits);
        let marked: Vec<bool> = expanded.iter().map(|e| e.in_results).collect();
        // "fatigue" is only in the passage after the first EXPANSIONS_SHOWN_FROM.
        assert_eq!(marked, [false, true, false]);
    }
}
