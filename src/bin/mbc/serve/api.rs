//! The HTTP JSON API: the CLI's wire types (`docs/json.md`) over HTTP, and errors as JSON with
//! a fitting status (`docs/http.md`).

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{ALLOW, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use mbc::output::wire;
use mbc::search::{self, Fusion, Mode, QueryKind, SearchRequest, SearchResults};

use super::state::{Served, Shared};

/// The longest query accepted, in bytes (a pasted page of text fits).
pub const MAX_QUERY_BYTES: usize = 8 * 1024;
/// The most passages one request may ask for, and the deepest page.
pub const MAX_LIMIT: usize = 100;
pub const MAX_OFFSET: usize = 1000;

/// `GET /api/search` (and the page's search): what was asked.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The query, as typed into `mbc search`: at most 8,192 bytes of UTF-8 (longer is 414).
    // Bytes, not characters: said in words, not as `maxLength`, which JSON Schema counts in
    // characters (a client checking 2,049 emoji against it was sent a 414).
    #[serde(default)]
    #[param(required = true)]
    pub q: String,
    /// Approach ids, separated by commas: only passages about one of them.
    pub approach: Option<String>,
    /// Passages to return, 1–100 (default 10).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
    /// Passages of the ranking to skip, 0–1000 (default 0).
    #[param(minimum = 0, maximum = 1000)]
    pub offset: Option<usize>,
    /// `lexical`, `semantic` or `hybrid` (default: hybrid when the index has vectors).
    #[param(value_type = Option<ModeName>, inline)]
    pub mode: Option<String>,
    /// The words as typed: no synonyms, corrections or feedback.
    #[serde(default)]
    pub exact: bool,
}

// The search modes, as the `mode` parameter names them, for the OpenAPI document: the
// parameter is read as text so that an unknown mode gets mbc's own message. (A doc comment
// here would replace the parameter's own description.)
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum ModeName {
    Lexical,
    Semantic,
    Hybrid,
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

/// Runs the search `params` ask for: see [`run_request`].
pub async fn run_search(
    shared: &Arc<Shared>,
    params: &SearchParams,
) -> Result<SearchResults, ApiError> {
    let served = shared.current();
    let request = params.request(&served)?;
    run_request(served, request, params.offset.unwrap_or(0)).await
}

/// Runs a search already checked ([`SearchParams::request`]) on the generation it was checked
/// against, on the blocking pool (it is CPU work), and drops the first `offset` hits.
pub async fn run_request(
    served: Arc<Served>,
    request: SearchRequest,
    offset: usize,
) -> Result<SearchResults, ApiError> {
    let mut results =
        blocking(move || served.read(|index| search::search(index, &request))).await?;
    results.hits.drain(..offset.min(results.hits.len()));
    Ok(results)
}

/// Runs library work off the async threads (on tokio's blocking pool: searches are CPU work),
/// mapping its error. A panic in the work becomes an internal error; the panic hook has already
/// logged it.
///
/// Work still waiting for a thread when its request is dropped (the client went away, or the
/// request timed out) is skipped: a blocking task cannot be stopped once it runs, and without
/// this an overloaded server would go on searching for requests nobody waits for, while new
/// ones, admitted in their place, queued behind them.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> mbc::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    let wanted = Arc::new(());
    let still_wanted = Arc::downgrade(&wanted);
    let outcome =
        tokio::task::spawn_blocking(move || (still_wanted.strong_count() > 0).then(work)).await;
    drop(wanted);
    match outcome {
        Ok(Some(result)) => result.map_err(ApiError::from),
        // `None` cannot reach here: this future held `wanted` while it waited.
        Ok(None) | Err(_) => Err(ApiError::internal("the request failed inside mbc")),
    }
}

/// An answer that lists passages, as JSON. It is written into a buffer that starts at
/// [`ANSWER_BYTES`]: axum's `Json` starts at 128 bytes and copies the answer each time the
/// buffer grows, and ten passages with their documents' sources are 34 KB for the median
/// people's question (53 KB at most).
pub struct Answer<T>(pub T);

const ANSWER_BYTES: usize = 64 * 1024;

impl<T: Serialize> IntoResponse for Answer<T> {
    fn into_response(self) -> Response {
        let mut body = Vec::with_capacity(ANSWER_BYTES);
        match serde_json::to_writer(&mut body, &self.0) {
            Ok(()) => ([(CONTENT_TYPE, "application/json")], body).into_response(),
            Err(_) => ApiError::internal("the answer could not be written as JSON").into_response(),
        }
    }
}

/// Ranked passages, as `mbc search --format json`.
#[utoipa::path(get, path = "/api/search", params(SearchParams), responses(
    (status = 200, description = "The ranking; `found` is false when nothing is about the query", body = wire::SearchOutput),
    (status = 400, description = "A bad parameter or an unknown approach", body = ApiErrorOutput),
    (status = 414, description = "The query is too long", body = ApiErrorOutput),
    (status = 500, description = "A failure inside mbc", body = ApiErrorOutput),
    (status = 503, description = "Too many requests at once, or a damaged index", body = ApiErrorOutput),
))]
pub async fn search_handler(
    State(shared): State<Arc<Shared>>,
    Params(params): Params<SearchParams>,
) -> Result<Answer<wire::SearchOutput>, ApiError> {
    let results = run_search(&shared, &params).await?;
    Ok(Answer(wire::SearchOutput::new(&results, false)))
}

/// A passage with its neighbours, as `mbc show ID --format json`.
#[utoipa::path(get, path = "/api/passages/{id}", params(("id" = String, Path, description = "A passage id, as search results give it")), responses(
    (status = 200, description = "The passage and the passages before and after it", body = wire::ShowOutput),
    (status = 400, description = "An id that is not UTF-8, or a parameter (this endpoint takes none)", body = ApiErrorOutput),
    (status = 404, description = "No passage has this id", body = ApiErrorOutput),
    (status = 500, description = "A failure inside mbc", body = ApiErrorOutput),
    (status = 503, description = "Too many requests at once, or a damaged index", body = ApiErrorOutput),
))]
pub async fn passage_handler(
    State(shared): State<Arc<Shared>>,
    id: Result<Path<String>, PathRejection>,
    Params(NoParams {}): Params<NoParams>,
) -> Result<Answer<wire::ShowOutput>, ApiError> {
    let Path(id) = id.map_err(ApiError::from)?;
    let served = shared.current();
    let shown =
        blocking(move || served.read(|index| search::passage_in_context(index, &id))).await?;
    Ok(Answer(wire::ShowOutput::new(&shown)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ApproachesParams {
    /// Passages per approach, 1–20 (default 3).
    #[param(minimum = 1, maximum = 20)]
    pub per: Option<usize>,
}

impl ApproachesParams {
    /// `per`, or `default` when the address gives none.
    pub fn per_or(&self, default: usize) -> Result<usize, ApiError> {
        let per = self.per.unwrap_or(default);
        if (1..=20).contains(&per) {
            Ok(per)
        } else {
            Err(ApiError::bad_request("per must be between 1 and 20"))
        }
    }
}

/// Every treatment approach with its best passages, as `mbc approaches --format json`.
#[utoipa::path(get, path = "/api/approaches", params(ApproachesParams), responses(
    (status = 200, description = "The approaches", body = wire::ApproachesOutput),
    (status = 400, description = "`per` out of range", body = ApiErrorOutput),
    (status = 500, description = "A failure inside mbc", body = ApiErrorOutput),
    (status = 503, description = "Too many requests at once, or a damaged index", body = ApiErrorOutput),
))]
pub async fn approaches_handler(
    State(shared): State<Arc<Shared>>,
    Params(params): Params<ApproachesParams>,
) -> Result<Answer<wire::ApproachesOutput>, ApiError> {
    let per = params.per_or(3)?;
    let served = shared.current();
    let sections =
        blocking(move || served.read(|index| search::best_by_approach(index, per))).await?;
    Ok(Answer(wire::ApproachesOutput::new(&sections)))
}

/// What the index holds, as `mbc stats --format json`.
#[utoipa::path(get, path = "/api/stats", responses(
    (status = 200, description = "Index statistics", body = wire::StatsOutput),
    (status = 400, description = "A parameter: this endpoint takes none", body = ApiErrorOutput),
    (status = 500, description = "A failure inside mbc", body = ApiErrorOutput),
    (status = 503, description = "Too many requests at once, or a damaged index", body = ApiErrorOutput),
))]
pub async fn stats_handler(
    State(shared): State<Arc<Shared>>,
    Params(NoParams {}): Params<NoParams>,
) -> Result<Json<wire::StatsOutput>, ApiError> {
    let served = shared.current();
    let mut stats = blocking(move || served.read(crate::app::stats)).await?;
    // The corpus by its name alone: its full path told anyone who could reach the server the
    // account and folders it runs from.
    if let Some(name) = std::path::Path::new(&stats.corpus).file_name() {
        stats.corpus = name.to_string_lossy().into_owned();
    }
    Ok(Json(stats))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SuggestParams {
    /// What is being typed: at most 200 bytes of UTF-8 (not characters, so not `maxLength`).
    #[serde(default)]
    pub q: String,
    /// Completions to return, 1–50 (default 8).
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<usize>,
}

/// Completions of what is being typed: lexicon terms (never misspellings) and approach names.
#[utoipa::path(get, path = "/api/suggest", params(SuggestParams), responses(
    (status = 200, description = "The completions", body = wire::SuggestOutput),
    (status = 400, description = "A bad parameter", body = ApiErrorOutput),
    (status = 500, description = "A failure inside mbc", body = ApiErrorOutput),
    (status = 503, description = "Too many requests at once, or a damaged index", body = ApiErrorOutput),
))]
pub async fn suggest_handler(
    State(shared): State<Arc<Shared>>,
    Params(params): Params<SuggestParams>,
) -> Result<Json<wire::SuggestOutput>, ApiError> {
    let limit = params.limit.unwrap_or(8);
    // Each says what is wrong: one message for both blamed `limit` when only q was too long.
    if !(1..=50).contains(&limit) {
        return Err(ApiError::bad_request("limit must be between 1 and 50"));
    }
    if params.q.len() > 200 {
        return Err(ApiError::bad_request(
            "q is longer than 200 bytes: suggestions are for the first words being typed",
        ));
    }
    let suggestions = shared.current().suggester.complete(&params.q, limit);
    Ok(Json(wire::SuggestOutput {
        schema_version: wire::SCHEMA_VERSION,
        query: params.q,
        suggestions,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    status: &'static str,
    passages: usize,
}

/// Whether the server is up, and how many passages it serves.
#[utoipa::path(get, path = "/healthz", responses(
    (status = 200, description = "Serving", body = Health),
    (status = 400, description = "A parameter: this endpoint takes none", body = ApiErrorOutput),
    (status = 503, description = "The index is damaged (its files fail their checksums), or too many requests at once", body = ApiErrorOutput),
))]
pub async fn health_handler(
    State(shared): State<Arc<Shared>>,
    Params(NoParams {}): Params<NoParams>,
) -> Result<Json<Health>, ApiError> {
    let served = shared.current();
    if let Some(damage) = served.damage() {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "damaged_index",
            format!("the index is damaged: {damage}; rebuild it with mbc index --rebuild"),
        ));
    }
    Ok(Json(Health {
        status: "ok",
        passages: served.index.meta.passages,
    }))
}

/// The parameters of an endpoint that takes none: a misspelt or misplaced one (`/api/stats?q=…`)
/// is told so, as on every other endpoint, rather than ignored.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoParams {}

/// The API's own description, generated from the handlers and the wire types above.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "mbc",
        description = "Ranked, cited passages about treating metastatic breast cancer. Educational information, not medical advice."
    ),
    paths(
        search_handler,
        passage_handler,
        approaches_handler,
        stats_handler,
        suggest_handler,
        health_handler
    )
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`.
pub async fn openapi_handler(
    Params(NoParams {}): Params<NoParams>,
) -> Json<utoipa::openapi::OpenApi> {
    Json(<ApiDoc as utoipa::OpenApi>::openapi())
}

pub async fn api_not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such endpoint; the endpoints are /api/search, /api/passages/{id}, /api/approaches, /api/stats, /api/suggest, /api/openapi.json and /healthz, in lower case",
    )
}

/// Every endpoint answers GET only; a client sending anything else is told so in JSON, as
/// every other error.
pub async fn method_not_allowed() -> Response {
    let error = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "only GET and HEAD requests are served",
    );
    ([(ALLOW, "GET, HEAD")], error).into_response()
}

/// An error as the API reports it: `{"schema_version", "error": {"kind", "message",
/// "status"}}` with the status as the HTTP status.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub kind: &'static str,
    pub message: String,
}

/// The JSON body of every error.
#[derive(Serialize, ToSchema)]
pub struct ApiErrorOutput {
    schema_version: u32,
    error: ApiErrorOut,
}

#[derive(Serialize, ToSchema)]
pub struct ApiErrorOut {
    /// What went wrong, for programs: `bad_request`, `unknown_approach`, `unknown_passage`,
    /// `not_found`, `method_not_allowed` (405: a method other than GET or HEAD on an address
    /// that exists; an unknown address is `not_found` whatever the method),
    /// `query_too_long`, `overloaded`, `damaged_index` or `internal`.
    kind: &'static str,
    message: String,
    /// The HTTP status, repeated.
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
                message: self.message.clone(),
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

/// The parameters of a request's address, read as `Query` reads them once the address has been
/// checked to be UTF-8. `Query` decodes invalid bytes to U+FFFD, so a client that sends Latin-1
/// (`q=caf%E9`) would be answered about "caf", a word nobody typed; it is told instead.
pub struct Params<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        check_query_string(parts.uri.query().unwrap_or_default())?;
        let Query(params) = Query::try_from_uri(&parts.uri)?;
        Ok(Params(params))
    }
}

/// Refuses a query string whose percent-decoded names or values are not UTF-8, or hold a
/// control character other than a tab or a line break: a NUL was echoed into the page's title
/// and search box, where HTML cannot carry it, and no one types one.
pub fn check_query_string(query: &str) -> Result<(), ApiError> {
    let name_of = |pair: &str| {
        let name = pair.split('=').next().unwrap_or_default();
        percent_encoding::percent_decode_str(name)
            .decode_utf8_lossy()
            .into_owned()
    };
    for pair in query.split('&') {
        let bytes: Vec<u8> = percent_encoding::percent_decode_str(pair).collect();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            return Err(ApiError::bad_request(format!(
                "{} is not UTF-8 once percent-decoded: encode the text as UTF-8 before percent-encoding it",
                name_of(pair)
            )));
        };
        if text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        {
            return Err(ApiError::bad_request(format!(
                "{} holds a control character (such as NUL), which no search can use",
                name_of(pair)
            )));
        }
    }
    Ok(())
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::bad_request(readable_rejection(&rejection.body_text()))
    }
}

/// What is wrong with a query string, in words a person can act on. axum passes on serde's
/// message ("Failed to deserialize query string: limit: invalid digit found in string"),
/// which names the parser, not the mistake.
fn readable_rejection(text: &str) -> String {
    let text = text
        .strip_prefix("Failed to deserialize query string: ")
        .unwrap_or(text);
    let (field, problem) = text.split_once(": ").unwrap_or(("", text));
    if let Some(rest) = problem.strip_prefix("unknown field `") {
        let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known = if let Some((_, list)) = expected.split_once("expected one of ") {
            format!("; the parameters are {}", list.replace('`', ""))
        } else if let Some((_, named)) = expected.split_once("expected ") {
            // serde names one parameter ("expected `per`") or two ("expected `q` or `limit`").
            let named = named.replace('`', "");
            match named.split_once(" or ") {
                Some((first, second)) => format!("; the parameters are {first} and {second}"),
                None => format!("; the one parameter is {named}"),
            }
        } else if expected.contains("there are no fields") {
            "; this address takes no parameters".to_string()
        } else {
            String::new()
        };
        return format!("unknown parameter `{name}`{known}");
    }
    if let Some(rest) = problem.strip_prefix("duplicate field `") {
        let name = rest.split_once('`').map_or(rest, |(name, _)| name);
        let several = if name == "approach" {
            " (several approaches go in one, separated by commas)"
        } else {
            ""
        };
        return format!("parameter `{name}` is given more than once: give it once{several}");
    }
    if problem.contains("too large") {
        // A whole number, but more digits than any limit: "must be a whole number" was wrong.
        format!("{field} is too large: see the limits in /api/openapi.json")
    } else if problem.contains("digit") || problem.contains("integer") {
        format!("{field} must be a whole number, such as 10")
    } else if problem.contains("`true` or `false`") {
        format!("{field} must be true or false")
    } else {
        text.to_string()
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        ApiError::bad_request(rejection.body_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = self.body();
        (self.status, [(CONTENT_TYPE, "application/json")], body).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<T>(work: impl Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(work)
    }

    #[test]
    fn a_bad_query_string_is_explained_in_words_not_the_parsers() {
        let said = |text| readable_rejection(text);
        assert_eq!(
            said("Failed to deserialize query string: limit: invalid digit found in string"),
            "limit must be a whole number, such as 10"
        );
        assert_eq!(
            said(
                "Failed to deserialize query string: exact: provided string was not `true` or `false`"
            ),
            "exact must be true or false"
        );
        assert_eq!(
            said(
                "Failed to deserialize query string: foo: unknown field `foo`, expected one of `q`, `limit`"
            ),
            "unknown parameter `foo`; the parameters are q, limit"
        );
        assert_eq!(
            said("Failed to deserialize query string: x: unknown field `x`, expected `per`"),
            "unknown parameter `x`; the one parameter is per"
        );
        assert_eq!(
            said("Failed to deserialize query string: q: unknown field `q`, there are no fields"),
            "unknown parameter `q`; this address takes no parameters"
        );
        assert_eq!(
            said("Failed to deserialize query string: duplicate field `q`"),
            "parameter `q` is given more than once: give it once"
        );
    }

    #[test]
    fn a_panic_in_a_search_is_an_internal_error_and_the_search_threads_go_on() {
        let failed = run(blocking(|| -> mbc::Result<()> { panic!("a bug") })).unwrap_err();
        assert_eq!(failed.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(failed.kind, "internal");
        assert_eq!(run(blocking(|| Ok(2 + 2))).unwrap(), 4);
    }

    #[test]
    fn work_whose_request_was_dropped_before_it_started_is_skipped() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .max_blocking_threads(1)
            .enable_time()
            .build()
            .unwrap();
        let (release, released) = std::sync::mpsc::channel::<()>();
        let ran = Arc::new(std::sync::atomic::AtomicBool::new(false));
        runtime.block_on(async {
            // The only blocking thread is busy until `release` is sent.
            let (started, busy_now) = tokio::sync::oneshot::channel();
            let busy = tokio::spawn(blocking(move || {
                started.send(()).unwrap();
                released.recv().unwrap();
                Ok(())
            }));
            busy_now.await.unwrap();
            let ran_too = Arc::clone(&ran);
            let abandoned = blocking(move || {
                ran_too.store(true, std::sync::atomic::Ordering::SeqCst);
                Ok(())
            });
            let waited =
                tokio::time::timeout(std::time::Duration::from_millis(50), abandoned).await;
            assert!(
                waited.is_err(),
                "the abandoned work ran while the thread was busy"
            );
            release.send(()).unwrap();
            busy.await.unwrap().unwrap();
            // The queue is first in, first out: this runs after the abandoned work's turn.
            blocking(|| Ok(())).await.unwrap();
        });
        assert!(!ran.load(std::sync::atomic::Ordering::SeqCst));
    }
}
