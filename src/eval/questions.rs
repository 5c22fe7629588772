//! The people's-questions set (`tests/fixtures/questions.toml`): questions typed the way
//! patients, families and nurses type them, each with the passages that answer it, or none.
//! Scored as a person would judge the answers: an answer among the first three (`hit@3`), the
//! urgent-advice passage first for an urgent symptom, and "nothing found" for a question no
//! text answers.

use std::path::Path;

use rayon::prelude::*;
use serde::Deserialize;

use crate::index::SearchIndex;
use crate::search::{self, SearchRequest, SearchResults, StoredPassage};
use crate::{Error, Result};

/// What a question expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expectation {
    /// An answer passage among the first three results.
    Answerable,
    /// The passage that says to get help at once, first.
    Urgent,
    /// No results: nothing in the corpus is about it.
    Unanswerable,
}

impl Expectation {
    /// The kind's name, as the questions file spells it.
    pub fn name(self) -> &'static str {
        match self {
            Expectation::Answerable => "answerable",
            Expectation::Urgent => "urgent",
            Expectation::Unanswerable => "unanswerable",
        }
    }
}

/// One question of the set.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub text: String,
    pub who: String,
    pub kind: Expectation,
    #[serde(default)]
    pub answer: Vec<AnswerRef>,
}

/// A passage named by its file, section and first words, so that edits to other texts do not
/// change which passage is meant.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerRef {
    pub file: String,
    /// The section path, or its last heading.
    pub section: String,
    /// The first words of the passage.
    pub starts: String,
}

impl AnswerRef {
    /// True when `passage` is the passage this names.
    pub fn names(&self, passage: &StoredPassage) -> bool {
        let file_matches =
            passage.doc_id == self.file || passage.doc_id.ends_with(&format!("/{}", self.file));
        file_matches
            && (passage.section == self.section
                || passage.section.ends_with(&format!("› {}", self.section)))
            && passage.text.starts_with(&self.starts)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionsFile {
    question: Vec<Question>,
}

/// Reads a questions file.
pub fn load(path: &Path) -> Result<Vec<Question>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let file: QuestionsFile = toml::from_str(&text).map_err(|e| Error::DataFile {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    Ok(file.question)
}

/// How one question fared.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub question: Question,
    pub passed: bool,
    pub found: bool,
    /// The rank of the first answer among the results, if any.
    pub answer_rank: Option<usize>,
    pub coverage: f32,
    pub concepts: usize,
    pub similarity: Option<f32>,
    /// See [`Evidence::coverage_with_meaning`](crate::search::Evidence::coverage_with_meaning).
    pub coverage_with_meaning: Option<f32>,
    /// See [`Evidence::without_absent_words`](crate::search::Evidence::without_absent_words).
    pub without_absent_words: Option<f32>,
    /// See [`Evidence::names_another_cancer`](crate::search::Evidence::names_another_cancer).
    pub names_another_cancer: bool,
    /// True when the question names a symptom that needs urgent care.
    pub urgent_rule: bool,
    /// `file › section` of the first three results.
    pub top: Vec<String>,
}

/// The set's scores.
#[derive(Debug, Clone)]
pub struct QuestionsReport {
    pub outcomes: Vec<Outcome>,
}

impl QuestionsReport {
    /// Share of the answerable questions (urgent ones included) with an answer in the top 3.
    pub fn hit_at_3(&self) -> f64 {
        self.share(
            |o| o.question.kind != Expectation::Unanswerable,
            |o| o.answer_rank.is_some_and(|r| r <= 3),
        )
    }

    /// Share of the urgent questions whose first result is the urgent advice.
    pub fn urgent_first(&self) -> f64 {
        self.share(
            |o| o.question.kind == Expectation::Urgent,
            |o| o.answer_rank == Some(1),
        )
    }

    /// Share of the unanswerable questions answered with "nothing found".
    pub fn no_answer_accuracy(&self) -> f64 {
        self.share(
            |o| o.question.kind == Expectation::Unanswerable,
            |o| !o.found,
        )
    }

    pub fn count(&self, kind: Expectation) -> usize {
        self.outcomes
            .iter()
            .filter(|o| o.question.kind == kind)
            .count()
    }

    fn share(&self, within: impl Fn(&Outcome) -> bool, good: impl Fn(&Outcome) -> bool) -> f64 {
        let (n, k) = self
            .outcomes
            .iter()
            .filter(|o| within(o))
            .fold((0, 0), |(n, k), o| (n + 1, k + usize::from(good(o))));
        if n == 0 { 1.0 } else { k as f64 / n as f64 }
    }
}

/// Asks every question (in parallel), as `template` would search it.
pub fn evaluate(
    index: &SearchIndex,
    questions: &[Question],
    template: &SearchRequest,
) -> Result<QuestionsReport> {
    let outcomes = questions
        .par_iter()
        .map(|question| {
            let request = SearchRequest {
                query: question.text.clone(),
                limit: 10,
                closest: false,
                ..template.clone()
            };
            let results = search::search(index, &request)?;
            Ok(outcome(question, &results))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(QuestionsReport { outcomes })
}

fn outcome(question: &Question, results: &SearchResults) -> Outcome {
    let answer_rank = results
        .hits
        .iter()
        .position(|hit| question.answer.iter().any(|a| a.names(&hit.passage)))
        .map(|i| i + 1);
    let passed = match question.kind {
        Expectation::Answerable => results.found && answer_rank.is_some_and(|r| r <= 3),
        Expectation::Urgent => results.found && answer_rank == Some(1),
        Expectation::Unanswerable => !results.found && results.hits.is_empty(),
    };
    Outcome {
        question: question.clone(),
        passed,
        found: results.found,
        answer_rank,
        coverage: results.evidence.coverage,
        concepts: results.evidence.concepts,
        similarity: results.evidence.similarity,
        coverage_with_meaning: results.evidence.coverage_with_meaning,
        without_absent_words: results.evidence.without_absent_words,
        names_another_cancer: results.evidence.names_another_cancer,
        urgent_rule: !results.urgent_symptoms.is_empty(),
        top: results
            .hits
            .iter()
            .take(3)
            .map(|h| format!("{} › {}", h.passage.doc_id, h.passage.section))
            .collect(),
    }
}
