//! The HTTP JSON API: the CLI's wire types (`docs/json.md`) over HTTP, and errors as JSON with
//! a fitting status (`docs/http.md`).

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use mbc::output::wire;
use mbc::search::{self, Fusion, Mode, QueryKind, SearchRequest, SearchResults};

use super::state::{Served, Shared};

/// The longest query accepted, in bytes (a pasted page of text fits).
pub const MAX_QUERY_BYTES: usize = 8 * 1024;
/// The most passages one request may ask for, and the deepest page.
pub const MAX_LIMIT: usize = 100;
pub const MAX_OFFSET: usize = 1000;

/// `GET /api/search` (and the page's search): what was asked.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    /// Approach ids, separated by commas.
    pub approach: Option<String>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
    pub mode: Option<String>,
    #[serde(default)]
    pub exact: bool,
}

impl SearchParams {
    /// The search request these parameters ask for, or why they cannot be searched.
    pub fn request(&self, served: &Served) -> Result<SearchRequest, ApiError> {
        if self.q.len() > MAX_QUERY_BYTES {
            return Err(ApiError::new(
                StatusCode::URI_TOO_LONG,
                "query_too_long",
                format!("the query is longer than {MAX_QUERY_BYTES} bytes"),
            ));
        }
        if self.q.trim().is_empty() {
            return Err(ApiError::bad_request("q is empty: say what to search for"));
        }
        let limit = self.limit.unwrap_or(10);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::bad_request(format!(
                "limit must be between 1 and {MAX_LIMIT}"
            )));
        }
        if self.offset.unwrap_or(0) > MAX_OFFSET {
            return Err(ApiError::bad_request(format!(
                "offset must be at most {MAX_OFFSET}"
            )));
        }
        Ok(SearchRequest {
            mode: self.mode(served)?,
            fusion: Fusion::Rrf,
            query: self.q.clone(),
            kind: QueryKind::Typed,
            limit: limit + self.offset.unwrap_or(0),
            approaches: self.approaches(),
            exact: self.exact,
            explain: false,
            feedback: !self.exact,
            closest: false,
        })
    }

    pub fn approaches(&self) -> Vec<String> {
        self.approach
            .iter()
            .flat_map(|list| list.split(','))
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(String::from)
            .collect()
    }

    /// The mode asked for; an explicit mode the index cannot honour is refused, as the CLI
    /// refuses it.
    fn mode(&self, served: &Served) -> Result<Mode, ApiError> {
        let mode = match self.mode.as_deref() {
            None | Some("") => return Ok(Mode::default()),
            Some("lexical") => Mode::Lexical,
            Some("semantic") => Mode::Semantic,
            Some("hybrid") => Mode::Hybrid,
            Some(other) => {
                return Err(ApiError::bad_request(format!(
                    "unknown mode `{other}`: use lexical, semantic or hybrid"
                )));
            }
        };
        if mode != Mode::Lexical && served.index.semantic().is_none() {
            return Err(ApiError::bad_request(format!(
                "mode {} needs semantic search, which this index does not have",
                mode.name()
            )));
        }
        Ok(mode)
    }
}

/// Runs a search on the blocking pool (it is CPU work), and drops the first `offset` hits.
pub async fn run_search(
    shared: &Arc<Shared>,
    params: &SearchParams,
) -> Result<SearchResults, ApiError> {
    let served = shared.current();
    let request = params.request(&served)?;
    let offset = params.offset.unwrap_or(0);
    let mut results = blocking(move || search::search(&served.index, &request)).await?;
    results.hits.drain(..offset.min(results.hits.len()));
    Ok(results)
}

/// Runs library work off the async threads, mapping its error.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> mbc::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result.map_err(ApiError::from),
        Err(_) => Err(ApiError::internal("the request failed inside mbc")),
    }
}

pub async fn search_handler(
    State(shared): State<Arc<Shared>>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<wire::SearchOutput>, ApiError> {
    let Query(params) = params.map_err(ApiError::from)?;
    let results = run_search(&shared, &params).await?;
    Ok(Json(wire::SearchOutput::new(&results, false)))
}

pub async fn passage_handler(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
) -> Result<Json<wire::ShowOutput>, ApiError> {
    let served = shared.current();
    let shown = blocking(move || search::passage_in_context(&served.index, &id)).await?;
    Ok(Json(wire::ShowOutput::new(&shown)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApproachesParams {
    pub per: Option<usize>,
}

pub async fn approaches_handler(
    State(shared): State<Arc<Shared>>,
    params: Result<Query<ApproachesParams>, QueryRejection>,
) -> Result<Json<wire::ApproachesOutput>, ApiError> {
    let Query(params) = params.map_err(ApiError::from)?;
    let per = params.per.unwrap_or(3);
    if !(1..=20).contains(&per) {
        return Err(ApiError::bad_request("per must be between 1 and 20"));
    }
    let served = shared.current();
    let sections = blocking(move || approach_sections(&served, per)).await?;
    Ok(Json(wire::ApproachesOutput::new(&sections)))
}

/// For every approach, its best `per` passages.
pub fn approach_sections(
    served: &Served,
    per: usize,
) -> mbc::Result<Vec<(mbc::taxonomy::Approach, SearchResults)>> {
    let index = &served.index;
    let mut sections = Vec::new();
    for approach in index.taxonomy.approaches() {
        let request = search::approach_request(index, &approach.id, per)?;
        sections.push((approach.clone(), search::search(index, &request)?));
    }
    Ok(sections)
}

pub async fn stats_handler(
    State(shared): State<Arc<Shared>>,
) -> Result<Json<wire::StatsOutput>, ApiError> {
    let served = shared.current();
    let stats = blocking(move || crate::app::stats(&served.index)).await?;
    Ok(Json(stats))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuggestParams {
    #[serde(default)]
    pub q: String,
    pub limit: Option<usize>,
}

pub async fn suggest_handler(
    State(shared): State<Arc<Shared>>,
    params: Result<Query<SuggestParams>, QueryRejection>,
) -> Result<Json<wire::SuggestOutput>, ApiError> {
    let Query(params) = params.map_err(ApiError::from)?;
    let limit = params.limit.unwrap_or(8);
    if !(1..=50).contains(&limit) || params.q.len() > 200 {
        return Err(ApiError::bad_request(
            "limit must be between 1 and 50, and q at most 200 bytes",
        ));
    }
    let suggestions = shared.current().suggester.complete(&params.q, limit);
    Ok(Json(wire::SuggestOutput {
        schema_version: wire::SCHEMA_VERSION,
        query: params.q,
        suggestions,
    }))
}

#[derive(Debug, Serialize)]
pub struct Health {
    status: &'static str,
    passages: usize,
}

pub async fn health_handler(State(shared): State<Arc<Shared>>) -> Json<Health> {
    Json(Health {
        status: "ok",
        passages: shared.current().index.meta.passages,
    })
}

pub async fn api_not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint")
}

/// An error as the API reports it: `{"schema_version", "error": {"kind", "message",
/// "status"}}` with the status as the HTTP status.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub kind: &'static str,
    pub message: String,
}

#[derive(Serialize)]
struct ApiErrorOutput<'a> {
    schema_version: u32,
    error: ApiErrorOut<'a>,
}

#[derive(Serialize)]
struct ApiErrorOut<'a> {
    kind: &'a str,
    message: &'a str,
    status: u16,
}

impl ApiError {
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            kind,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    /// The JSON body of this error.
    pub fn body(&self) -> String {
        let output = ApiErrorOutput {
            schema_version: wire::SCHEMA_VERSION,
            error: ApiErrorOut {
                kind: self.kind,
                message: &self.message,
                status: self.status.as_u16(),
            },
        };
        serde_json::to_string(&output).expect("an error serializes")
    }
}

impl From<mbc::Error> for ApiError {
    fn from(err: mbc::Error) -> Self {
        let message = chain_message(&err);
        match err {
            mbc::Error::PassageNotFound(_) => {
                ApiError::new(StatusCode::NOT_FOUND, "unknown_passage", message)
            }
            mbc::Error::UnknownApproach { .. } => {
                ApiError::new(StatusCode::BAD_REQUEST, "unknown_approach", message)
            }
            mbc::Error::Query(_) => ApiError::bad_request(message),
            err if err.needs_rebuild() => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "damaged_index",
                format!("{message}; run `mbc index` to rebuild it"),
            ),
            _ => ApiError::internal(message),
        }
    }
}

/// The error's message with its causes, as one line.
fn chain_message(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::bad_request(rejection.body_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = self.body();
        (
            self.status,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()
    }
}
