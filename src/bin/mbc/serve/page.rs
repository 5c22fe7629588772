//! The web page: server-rendered HTML, so that a search URL (`/?q=…`) can be shared and
//! bookmarked and the page works without JavaScript. Everything from the corpus goes through
//! maud, which escapes it; a source address becomes a link only when it is http(s).

use std::sync::Arc;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

use mbc::corpus::{Standing, review};
use mbc::output::{
    self,
    wire::{self, PassageRecord},
};
use mbc::search::{self, SearchResults, StoredPassage};
use mbc::taxonomy::ApproachTaxonomy;

use super::api::{self, ApiError, SearchParams};
use super::state::{Served, Shared};

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("suggest.js");

pub async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE)
}

/// Suggestions as people type; the page works without it.
pub async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
}

/// `/` and `/?q=…`: the search box, and the results when there is a query.
pub async fn home(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let params: SearchParams = match page_params(query) {
        Ok(params) => params,
        Err(err) => return error_page(&err),
    };
    if params.q.trim().is_empty() {
        return page("Search", &params.q, welcome()).into_response();
    }
    // A setting of the address (mode=xyz, limit=abc) is no reason to try other words.
    let served = shared.current();
    let request = match params.request(&served) {
        Ok(request) => request,
        Err(err) => return unsearchable(&params.q, &err, "Check the address of this search"),
    };
    let taxonomy = &served.index.taxonomy;
    match api::run_request(Arc::clone(&served), request, params.offset.unwrap_or(0)).await {
        Ok(results) => {
            let body = results_view(&params, &results, taxonomy);
            page(&params.q, &params.q, body).into_response()
        }
        Err(err) if err.kind == "unknown_approach" => {
            unsearchable(&params.q, &err, "Check the address of this search")
        }
        Err(err) if err.status == StatusCode::BAD_REQUEST => {
            unsearchable(&params.q, &err, "Try other words")
        }
        Err(err) => error_page(&err),
    }
}

/// Parameters that links pick up on their way through mail, chat and social sites: a search
/// shared as `/?q=bone+pain&utm_source=newsletter` was refused for its unknown parameter.
fn is_tracking(key: &str) -> bool {
    key.starts_with("utm_")
        || matches!(
            key,
            "fbclid" | "gclid" | "msclkid" | "mc_cid" | "mc_eid" | "igshid"
        )
}

/// A page's parameters from its address, as the API reads them (an unknown one is still a
/// mistake to name) but without the [tracking parameters](is_tracking) links pick up.
fn page_params<T: serde::de::DeserializeOwned>(query: Option<String>) -> Result<T, ApiError> {
    let raw = query.unwrap_or_default();
    super::api::check_query_string(&raw)?;
    let kept = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form_urlencoded::parse(raw.as_bytes()).filter(|(key, _)| !is_tracking(key)))
        .finish();
    let uri: axum::http::Uri = format!("/?{kept}")
        .parse()
        .map_err(|_| ApiError::bad_request("the address cannot be read"))?;
    Query::<T>::try_from_uri(&uri)
        .map(|Query(params)| params)
        .map_err(ApiError::from)
}

/// A search that cannot be run as it is: a query with nothing to search ("hello", a query that
/// only excludes words), or an address with a setting mbc does not know. The search box keeps
/// the query and the message says what to change. Nothing went wrong.
fn unsearchable(query: &str, err: &ApiError, heading: &str) -> Response {
    let body = html! {
        h1 { (heading) }
        p role="alert" { (as_sentence(&err.message)) }
    };
    (err.status, page(query, query, body)).into_response()
}

/// What the address of a passage's page may say besides the id: the results page it was opened
/// from (`back`), to lead back to.
#[derive(Debug, Default, serde::Deserialize)]
pub struct PassageParams {
    back: Option<String>,
}

impl PassageParams {
    /// The results page to lead back to, and its query: only a search of this page's own
    /// (`/?…`), so that a link made elsewhere cannot lead away from mbc.
    fn back(&self) -> Option<(&str, String)> {
        let back = self.back.as_deref()?;
        let query = back.strip_prefix("/?")?;
        let q = form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == "q")
            .map(|(_, q)| q.into_owned())?;
        Some((back, q))
    }
}

/// `/passages/{id}`: a passage with the passages around it, and the way back to the results
/// it was opened from.
pub async fn passage(
    State(shared): State<Arc<Shared>>,
    id: Result<Path<String>, PathRejection>,
    params: Result<Query<PassageParams>, QueryRejection>,
) -> Response {
    let id = match id {
        Ok(Path(id)) => id,
        Err(rejection) => return error_page(&ApiError::from(rejection)),
    };
    // A mistake in `back` costs the way back, not the passage.
    let params = params.map(|Query(p)| p).unwrap_or_default();
    let back = params.back();
    let served = shared.current();
    let searched = Arc::clone(&served);
    match api::blocking(move || searched.read(|index| search::passage_in_context(index, &id))).await
    {
        Ok(shown) => {
            let taxonomy = &served.index.taxonomy;
            let body = html! {
                @if let Some((url, query)) = &back {
                    p.back { a href=(url) { "← Back to the results for “" (query) "”" } }
                }
                @if let Some(previous) = &shown.previous {
                    (unranked_block(previous, "Before", taxonomy))
                }
                (unranked_block(&shown.passage, "This passage", taxonomy))
                @if let Some(next) = &shown.next {
                    (unranked_block(next, "After", taxonomy))
                }
            };
            let query = back.as_ref().map_or("", |(_, q)| q.as_str());
            page(&shown.passage.title, query, body).into_response()
        }
        Err(err) => error_page(&err),
    }
}

/// `/approaches`: the best passages of every treatment approach (`per` of each, 2 unless
/// the address says, as `/api/approaches?per=` does).
pub async fn approaches(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let per = match page_params::<api::ApproachesParams>(query).and_then(|p| p.per_or(2)) {
        Ok(per) => per,
        Err(err) => return error_page(&err),
    };
    let served = shared.current();
    let searched = Arc::clone(&served);
    let sections =
        match api::blocking(move || searched.read(|index| search::best_by_approach(index, per)))
            .await
        {
            Ok(sections) => sections,
            Err(err) => return error_page(&err),
        };
    let taxonomy = &served.index.taxonomy;
    let body = html! {
        h1 { "Treatment approaches" }
        nav aria-label="Approaches" {
            ul { @for (approach, _) in &sections {
                li { a href=(format!("#a-{}", approach.id)) { (approach.label) } }
            } }
        }
        @for (approach, results) in &sections {
            section.approach aria-labelledby=(format!("a-{}", approach.id)) {
                h2 id=(format!("a-{}", approach.id)) { (approach.label) }
                p { (approach.description) }
                @for hit in &results.hits {
                    (passage_block_at(&unmarked(PassageRecord::ranked(hit, false)), &hit.passage, "", None, taxonomy, true))
                }
                p { a href=(format!("/?q={}&approach={}", encode(&approach.label), encode(&approach.id))) {
                    "More passages about " (approach.label) } }
            }
        }
    };
    page("Treatment approaches", "", body).into_response()
}

/// `/handout?id=…&id=…`: the chosen passages as a page to print, with their sources, review
/// dates, the notice, the date printed and what produced it.
pub async fn handout(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let mut ids: Vec<String> = Vec::new();
    // Passages chosen beyond the most a handout prints, which it says it left out.
    let mut beyond = 0;
    // The search the passages were chosen from, which the results' form sends along.
    let mut searched_for = String::new();
    for (key, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if key == "q" {
            searched_for = value.into_owned();
            continue;
        }
        // An id that was not UTF-8 was decoded with U+FFFD in it: a mistake in the address.
        if value.contains(char::REPLACEMENT_CHARACTER) {
            return error_page(&ApiError::bad_request(
                "a passage id is letters and digits, as the results give it",
            ));
        }
        // A passage chosen twice is printed once, whatever the case of its id (ids are looked
        // up in any case); an empty id chooses nothing.
        let id = value.to_ascii_lowercase();
        if key != "id" || id.is_empty() || ids.contains(&id) {
            continue;
        }
        if ids.len() < api::MAX_LIMIT {
            ids.push(id);
        } else {
            beyond += 1;
        }
    }
    if ids.is_empty() {
        return nothing_chosen(&searched_for);
    }
    let served = shared.current();
    let searched = Arc::clone(&served);
    let found = api::blocking(move || searched.read(|index| chosen_passages(index, &ids))).await;
    let taxonomy = &served.index.taxonomy;
    let (passages, gone) = match found {
        Ok(found) => found,
        Err(err) => return error_page(&err),
    };
    let warnings = warnings_of_search(&served, &searched_for).await;
    let records: Vec<PassageRecord> = passages
        .iter()
        .map(|passage| PassageRecord {
            urgent: warnings.passages.contains(&passage.passage_id),
            ..PassageRecord::unranked(passage)
        })
        .collect();
    let today = review::today();
    let body = html! {
        h1 { "Handout: metastatic breast cancer" }
        (urgent_alert(&warnings.symptoms, &warnings.condition))
        @if warnings.asks_for_dose {
            p.urgent role="note" { (wire::DOSE_NOTE) }
        }
        @if !searched_for.is_empty() {
            p.print-note { "Passages chosen from a search for “" (searched_for) "”." }
        }
        @if gone > 0 {
            p.note role="status" { "Left out: " (gone) " passage(s) chosen that are no longer \
                in the index (it was updated after they were chosen)." }
        }
        @if beyond > 0 {
            p.note role="status" { "Left out: " (beyond) " passage(s) chosen beyond the "
                (api::MAX_LIMIT) " a handout prints." }
        }
        p.print-note { "Printed " (today) " from mbc " (env!("CARGO_PKG_VERSION")) ". "
            (review_note(&passages)) }
        @for (record, passage) in records.iter().zip(&passages) {
            (passage_block(record, passage, "", None, taxonomy))
        }
        p.no-print { "Print this page with your browser's Print command (Ctrl+P)." }
    };
    page("Handout", "", body).into_response()
}

/// The passages of `ids` that the index has, and how many it no longer has: one passage gone
/// since it was chosen (its text was edited and the index updated) lost the whole handout, and
/// the other passages chosen with it. With none left, the first missing id is the error.
fn chosen_passages(
    index: &mbc::index::SearchIndex,
    ids: &[String],
) -> mbc::Result<(Vec<mbc::index::StoredPassage>, usize)> {
    let mut passages = Vec::new();
    let mut gone = Vec::new();
    for id in ids {
        match search::passage_by_id(index, id) {
            Ok(passage) => passages.push(passage),
            Err(mbc::Error::PassageNotFound(id)) => gone.push(id),
            Err(other) => return Err(other),
        }
    }
    match (passages.is_empty(), gone.first()) {
        (true, Some(first)) => Err(mbc::Error::PassageNotFound(first.clone())),
        _ => Ok((passages, gone.len())),
    }
}

/// The warnings of the search a handout's passages were chosen from: what is urgent, and that
/// the texts give no doses.
#[derive(Default)]
struct SearchWarnings {
    symptoms: Vec<String>,
    /// The condition the warning begins with ([`wire::if_meant`]), if any.
    condition: String,
    /// The ids of the passages it marked as the urgent advice.
    passages: Vec<String>,
    /// The search asked for a dose: a handout from "how much tamoxifen should i take" lost the
    /// note that the texts give none.
    asks_for_dose: bool,
}

/// Runs the search again (as the page ran it, `MAX_LIMIT` deep) for its warnings: a handout
/// printed from "fever 38.5 on chemo" lost the warning and the mark on the advice to act. A
/// search that cannot be run now (an empty or over-long query) warns of nothing.
async fn warnings_of_search(served: &Arc<Served>, searched_for: &str) -> SearchWarnings {
    let params = SearchParams {
        q: searched_for.to_string(),
        limit: Some(api::MAX_LIMIT),
        ..SearchParams::default()
    };
    let Ok(request) = params.request(served) else {
        return SearchWarnings::default();
    };
    let Ok(results) = api::run_request(Arc::clone(served), request, 0).await else {
        return SearchWarnings::default();
    };
    SearchWarnings {
        asks_for_dose: results.asks_for_dose,
        condition: urgent_condition(&results),
        passages: results
            .hits
            .iter()
            .filter(|hit| hit.urgent)
            .map(|hit| hit.passage.passage_id.clone())
            .collect(),
        symptoms: results.urgent_symptoms,
    }
}

/// "Make a handout" pressed with nothing ticked: not a mistake in the address (it was headed
/// "Check the address of this page"), and the way back is to the search, not an empty page.
fn nothing_chosen(searched_for: &str) -> Response {
    let back = match searched_for {
        "" => "/".to_string(),
        query => search_url(query),
    };
    let body = html! {
        h1 { "No passages chosen yet" }
        p role="alert" { "Tick “Add to handout” under each passage you want, then make the handout." }
        p { a href=(back) { "Back to the results" } }
    };
    (StatusCode::BAD_REQUEST, page("Handout", searched_for, body)).into_response()
}

/// What the handout can say of its passages' review: the oldest review date when every one is
/// from a text reviewed within the year; otherwise that some are not, since that date would
/// vouch for a dated, unreviewed or long-unreviewed passage printed beside it.
fn review_note(passages: &[StoredPassage]) -> String {
    let today = review::today();
    let reviewed: Option<Vec<&str>> = passages
        .iter()
        .map(|p| match p.standing {
            Standing::Reviewed if !p.review_overdue(&today) => p.last_reviewed.as_deref(),
            _ => None,
        })
        .collect();
    match reviewed.and_then(|dates| dates.into_iter().min()) {
        Some(oldest) => format!("Each passage is from a text reviewed on {oldest} or later."),
        None => concat!(
            "Some passages are from texts that are dated, not reviewed, or last reviewed more ",
            "than a year ago: each says which."
        )
        .to_string(),
    }
}

/// A page that does not exist; an address a program meant for the API (`/api`, or `/API/search`
/// with the wrong case) is answered in JSON, as the API answers, with the paths it has.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    let path = uri.path().to_ascii_lowercase();
    if path == "/api" || path.starts_with("/api/") {
        return super::api::api_not_found().await.into_response();
    }
    error_page(&ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "there is no such page",
    ))
}

fn error_page(err: &ApiError) -> Response {
    // A mistake in the address (limit=abc, an unknown passage) is not something going wrong.
    let heading = match err.status {
        StatusCode::BAD_REQUEST => "Check the address of this page",
        StatusCode::NOT_FOUND => "Not found",
        _ => "Something went wrong",
    };
    let body = html! {
        h1 { (heading) }
        p role="alert" { (as_sentence(&err.message)) }
        p { a href="/" { "Back to the search" } }
    };
    (err.status, page("Error", "", body)).into_response()
}

/// An error message, which reads as part of a line in a terminal ("error: nothing
/// searchable …"), as a sentence of its own.
fn as_sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn welcome() -> Markup {
    html! {
        h1 { "Search what is known about treating metastatic breast cancer" }
        p { "Type a question or a few words: a drug, a side effect, a treatment. Results are passages from "
            "educational texts, each with its sources and the date it was last reviewed; a text that is "
            "dated, or was never reviewed, is marked as such." }
        p { a href="/approaches" { "Or browse by treatment approach." } }
    }
}

fn results_view(
    params: &SearchParams,
    results: &SearchResults,
    taxonomy: &ApproachTaxonomy,
) -> Markup {
    let output = wire::SearchOutput::new(results, false);
    let approaches: Vec<&str> = results
        .approaches
        .iter()
        .map(|id| label_of(taxonomy, id))
        .collect();
    // The same few as `mbc search` names: once each, the names a passage shown contains.
    let (also_searched, _) = output::expansions_to_show(&results.expanded, false);
    let asked = output::nothing_found_for(results);
    html! {
        h1.visually-hidden { "Results" }
        // Before the notes on spelling: "fiver 38 on chemo" showed "Did you mean “fever”?" first.
        (urgent_alert(&results.urgent_symptoms, &urgent_condition(results)))
        @if !output.corrections.is_empty() {
            p.note { "Showing results for " strong { (output.searched) } ". "
                a href=(as_typed_url(params)) { "Search for “" (params.q) "” as typed" } }
        }
        (absent_notes(params, &output.absent))
        @if output.query_cut {
            p.note { (wire::query_cut_note()) }
        }
        @if output.asks_for_dose {
            p.urgent role="note" { (wire::DOSE_NOTE) }
        }
        @if !also_searched.is_empty() {
            p.note { "Also searched: " (also_searched.join(", ")) "." }
        }
        @if !approaches.is_empty() {
            p.note { "Only passages about " (approaches.join(", ")) ". "
                a href=(unfiltered_url(params)) { "Show all" } }
        }
        @if output.passages.is_empty() && output.found {
            p.nothing role="status" { "No more passages: all " (output.total_hits) " "
                (wire::counted_as(results.mode)) " are on the pages before. "
                a href=(page_url(params, 0)) { "Back to the first page" } }
        } @else if output.passages.is_empty() && approaches.is_empty() {
            p.nothing role="status" { "Nothing in these texts is about “" (asked) "”. "
                "Try other words, or ask your care team." }
        } @else if output.passages.is_empty() {
            p.nothing role="status" { "No passage tagged " (approaches.join(" or ")) " is about “"
                (asked) "”. " a href=(unfiltered_url(params)) { "Search all passages" } }
        } @else {
            p role="status" { (shown_range(params, output.passages.len())) " of " (output.total_hits) " "
                (wire::counted_as(results.mode)) ", best first" }
            @let in_results = InResults { query: &params.q, page: page_url(params, params.offset.unwrap_or(0)) };
            form #handout action="/handout" method="get" {
                input type="hidden" name="q" value=(params.q);
                ol.results start=(params.offset.unwrap_or(0) + 1) {
                    @for (record, hit) in output.passages.iter().zip(&results.hits) {
                        li { (passage_block(record, &hit.passage, "", Some(&in_results), taxonomy)) }
                    }
                }
                button type="submit" { "Make a handout of the ticked passages" }
            }
            (paging(params, output.passages.len(), output.total_hits))
        }
    }
}

/// "If “fiver” means “fever”, ": the condition on which a search's urgent symptoms are named.
fn urgent_condition(results: &SearchResults) -> String {
    wire::if_meant(
        results
            .urgent_if_meant
            .iter()
            .map(|c| (c.from.as_str(), c.to.as_str())),
    )
}

/// The notice that what was asked can need urgent care, first on a results page and a handout;
/// `condition` is [`urgent_condition`].
fn urgent_alert(symptoms: &[String], condition: &str) -> Markup {
    html! {
        @if !symptoms.is_empty() {
            p.urgent role="alert" { @if condition.is_empty() { "Some" } @else { (condition) "some" }
                " of what you describe can need urgent care ("
                (symptoms.join(", ")) "). If it is happening now, contact your care team or emergency services." }
        }
    }
}

/// Words no passage mentions named one by one: a pasted paragraph can have dozens.
const SHOWN_ABSENT: usize = 5;

/// The notes on the query's words that no passage uses, as `mbc search` prints them, each
/// suggestion a link to the search with it in the word's place: "No passage mentions “fiver”.
/// Did you mean “fever”?" Without them, the page searched on without a word of the query and
/// said nothing of it.
fn absent_notes(params: &SearchParams, absent: &[wire::AbsentOut]) -> Markup {
    let unshown = absent.len().saturating_sub(SHOWN_ABSENT);
    html! {
        @for word in absent.iter().take(SHOWN_ABSENT) {
            p.note { "No passage mentions “" (word.word) "”."
                @if !word.suggestions.is_empty() {
                    " Did you mean "
                    @for (i, suggestion) in word.suggestions.iter().enumerate() {
                        @if i > 0 { " or " }
                        @let q = with_word_replaced(&params.q, &word.word, suggestion);
                        a href=(page_url(&SearchParams { q, ..params.clone() }, 0)) { "“" (suggestion) "”" }
                    }
                    "?"
                }
            }
        }
        @if unshown > 0 {
            p.note { "No passage mentions " (unshown) " more of its words." }
        }
    }
}

/// `query` with each whole-word `word` in it replaced by `replacement`.
fn with_word_replaced(query: &str, word: &str, replacement: &str) -> String {
    let mut replaced = String::with_capacity(query.len());
    let mut rest = query;
    while let Some(at) = rest.find(word) {
        replaced.push_str(&rest[..at]);
        let before = replaced.chars().next_back();
        let after = rest[at + word.len()..].chars().next();
        let whole =
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric);
        replaced.push_str(if whole { replacement } else { word });
        rest = &rest[at + word.len()..];
    }
    replaced.push_str(rest);
    replaced
}

/// This search with nothing corrected or added: the words as typed (`exact`), from the first
/// passage.
fn as_typed_url(params: &SearchParams) -> String {
    let typed = SearchParams {
        exact: true,
        ..params.clone()
    };
    page_url(&typed, 0)
}

/// "1–10", or "11–20" on the second page: which passages of the ranking are shown.
fn shown_range(params: &SearchParams, shown: usize) -> String {
    let first = params.offset.unwrap_or(0) + 1;
    match shown {
        1 => first.to_string(),
        _ => format!("{first}–{}", first + shown - 1),
    }
}

/// Links to the pages before and after this one, where there are any.
fn paging(params: &SearchParams, shown: usize, total: usize) -> Markup {
    let offset = params.offset.unwrap_or(0);
    let limit = params.limit.unwrap_or(10);
    let next = offset + shown;
    let has_next = next < total && next <= api::MAX_OFFSET;
    html! {
        @if offset > 0 || has_next {
            nav.paging aria-label="More results" {
                @if offset > 0 {
                    a rel="prev" href=(page_url(params, offset.saturating_sub(limit))) { "Previous " (limit) }
                }
                @if has_next {
                    a rel="next" href=(page_url(params, next)) { "Next " (limit.min(total - next)) }
                }
            }
        }
    }
}

/// This search's URL without its approach filter, from the first passage.
fn unfiltered_url(params: &SearchParams) -> String {
    let all = SearchParams {
        approach: None,
        ..params.clone()
    };
    page_url(&all, 0)
}

/// This search's URL with the ranking shown from `offset`.
fn page_url(params: &SearchParams, offset: usize) -> String {
    let mut url = search_url(&params.q);
    if let Some(approach) = &params.approach {
        url.push_str(&format!("&approach={}", encode(approach)));
    }
    if let Some(mode) = params.mode.as_deref().filter(|m| !m.is_empty()) {
        url.push_str(&format!("&mode={}", encode(mode)));
    }
    if params.exact {
        url.push_str("&exact=true");
    }
    if let Some(limit) = params.limit {
        url.push_str(&format!("&limit={limit}"));
    }
    if offset > 0 {
        url.push_str(&format!("&offset={offset}"));
    }
    url
}

/// [`passage_block`] of a passage outside a ranking.
fn unranked_block(passage: &StoredPassage, label: &str, taxonomy: &ApproachTaxonomy) -> Markup {
    passage_block(
        &PassageRecord::unranked(passage),
        passage,
        label,
        None,
        taxonomy,
    )
}

/// A record without its highlights: outside a search (the overview's passages are found by
/// each approach's description), marked words ("kill", "given") look searched for.
fn unmarked(mut record: PassageRecord) -> PassageRecord {
    record.highlights.clear();
    record
}

/// How people are shown an approach: its label ("Clinical trials"), not its id.
fn label_of<'a>(taxonomy: &'a ApproachTaxonomy, id: &'a str) -> &'a str {
    taxonomy
        .get(id)
        .map_or(id, |approach| approach.label.as_str())
}

/// The file a passage is from, without the folders above it: the page is read by patients and
/// printed on handouts, and the corpus's place on the server
/// (`/home/…/.local/share/mbc/corpus/…`) says nothing to them. The API gives the whole path.
fn file_name(path: &str) -> &str {
    std::path::Path::new(path)
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or(path)
}

/// "lines 3–9", or "line 3" for a passage of one line.
fn line_range(first: u64, last: u64) -> String {
    if first == last {
        format!("line {first}")
    } else {
        format!("lines {first}–{last}")
    }
}

/// The results page a passage is shown on: its query, and its address, for the way back from
/// the passage.
struct InResults<'a> {
    query: &'a str,
    page: String,
}

/// One passage: title › section, approach chips, the text with matches marked, the source,
/// the review standing, and the references (of `passage`, the passage `record` shows).
/// In search results (`results` given) the chips narrow the search to an approach, the
/// passage can be ticked for a handout, and its page leads back to the results.
fn passage_block(
    record: &PassageRecord,
    passage: &StoredPassage,
    label: &str,
    results: Option<&InResults>,
    taxonomy: &ApproachTaxonomy,
) -> Markup {
    passage_block_at(record, passage, label, results, taxonomy, false)
}

/// [`passage_block`], its heading one level down (`h3`) where it sits under a heading of its
/// own: on the overview, each approach's `h2` and its passages' were one level, and a screen
/// reader's list of headings lost which passages belong to which approach.
fn passage_block_at(
    record: &PassageRecord,
    passage: &StoredPassage,
    label: &str,
    results: Option<&InResults>,
    taxonomy: &ApproachTaxonomy,
    nested: bool,
) -> Markup {
    let document = wire::DocumentOut::of(passage);
    let query = results.map(|r| r.query);
    let href = match results {
        Some(results) => format!(
            "/passages/{}?back={}",
            record.passage_id,
            encode(&results.page)
        ),
        None => format!("/passages/{}", record.passage_id),
    };
    html! {
        article.passage {
            @if !label.is_empty() { p.label { (label) } }
            @let title = html! { a href=(href) {
                (record.title) @if !record.section.is_empty() { " › " (record.section) } } };
            @if nested { h3 { (title) } } @else { h2 { (title) } }
            @if record.urgent { p.urgent { "Urgent: read this first." } }
            @if let Some(why) = &record.contrary {
                p.dated { "About " (why) ": listed after the passages that are not." }
            }
            p.text { (marked(&record.text, &record.highlights)) }
            @if !record.approaches.is_empty() {
                ul.chips aria-label="Treatment approaches" {
                    @for approach in &record.approaches {
                        li { a href=(chip_url(query, approach)) { (label_of(taxonomy, approach)) } }
                    }
                }
            }
            p.source { (file_name(&record.source.path)) ", " (line_range(record.source.line_start, record.source.line_end)) }
            @match document.status {
                "reviewed" if record.review_overdue => p.dated { strong { "Last reviewed " (document.last_reviewed.as_deref().unwrap_or("")) } ", more than a year ago: it may no longer be current." },
                "reviewed" => p.reviewed { "Reviewed " (document.last_reviewed.as_deref().unwrap_or("")) },
                "dated" => p.dated { strong { (dated_label(&document)) } ": some of it may no longer be current." },
                _ => p.dated {
                    strong { "Not reviewed" } ": this text "
                    (Standing::missing_for_review(!document.references.is_empty(), document.last_reviewed.is_some()))
                    @if let Some(date) = &document.last_reviewed { " (its review date: " (date) ")" }
                    "."
                },
            }
            // Shown in full where a passage is read or printed; in results, one line to open.
            @if !document.caveats.is_empty() {
                details.dated open[query.is_none()] {
                    summary { "Known problems with this text (" (document.caveats.len()) ")" }
                    ul { @for caveat in &document.caveats { li { (caveat) } } }
                }
            }
            @if !document.references.is_empty() {
                details open[query.is_none()] { summary { "Sources of this text (" (document.references.len()) ")" }
                    ul { @for reference in &document.references { li { (reference_view(reference)) } } }
                }
            }
            @if query.is_some() {
                label.choose { input type="checkbox" name="id" value=(record.passage_id); " Add to handout" }
            }
        }
    }
}

/// What a dated text's mark says, as `mbc search` does: "Dated text, not reviewed, no sources"
/// for the founding article, which the page showed as "Dated text" beside reviewed ones.
fn dated_label(document: &wire::DocumentOut) -> String {
    let mut label = String::from("Dated text");
    match &document.last_reviewed {
        Some(date) => label.push_str(&format!(" (reviewed {date})")),
        None => label.push_str(", not reviewed"),
    }
    if document.references.is_empty() {
        label.push_str(", no sources");
    }
    label
}

fn reference_view(reference: &wire::ReferenceOut) -> Markup {
    let link = reference
        .url
        .as_deref()
        .filter(|url| url.starts_with("https://") || url.starts_with("http://"));
    html! {
        (reference.text)
        @if let Some(url) = link { " " a href=(url) rel="noreferrer" { (url) } }
    }
}

/// `text` with the byte ranges `highlights` in `<mark>`; ranges that do not fall on character
/// boundaries are ignored.
fn marked(text: &str, highlights: &[[usize; 2]]) -> Markup {
    let mut parts = Vec::new();
    let mut at = 0;
    for &[start, end] in highlights {
        if let (Some(before), Some(hit)) = (text.get(at..start), text.get(start..end)) {
            parts.push((before, false));
            parts.push((hit, true));
            at = end;
        }
    }
    parts.push((text.get(at..).unwrap_or(""), false));
    html! { @for (part, hit) in parts { @if hit { mark { (part) } } @else { (part) } } }
}

fn search_url(query: &str) -> String {
    format!("/?q={}", encode(query))
}

/// Where an approach chip leads: the same search narrowed to the approach, or outside a
/// search the approach's best passages.
fn chip_url(query: Option<&str>, approach: &str) -> String {
    match query {
        Some(query) => format!("{}&approach={}", search_url(query), encode(approach)),
        None => format!("/approaches#a-{}", encode(approach)),
    }
}

fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The page around `body`: the search box, the notice, and the footer.
fn page(title: &str, query: &str, body: Markup) -> Html<String> {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – mbc" }
                link rel="stylesheet" href="/style.css";
                script src="/suggest.js" defer {}
            }
            body {
                a.skip href="#main" { "Skip to the main content" }
                header {
                    p.site { a href="/" { "mbc" } " · metastatic breast cancer, what is known" }
                    form role="search" action="/" method="get" {
                        label for="q" { "Search" }
                        input #q type="search" name="q" value=(query) maxlength="8192" autocomplete="off" list="suggestions";
                        datalist #suggestions {}
                        button type="submit" { "Search" }
                    }
                    nav { a href="/approaches" { "By treatment approach" } }
                }
                p.notice role="note" { (wire::NOTICE) }
                main #main { (body) }
                footer { p { "mbc " (env!("CARGO_PKG_VERSION")) " · offline, nothing you type leaves this computer" } }
            }
        }
    };
    Html(markup.into_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suggestion_takes_the_place_of_the_whole_word_only() {
        assert_eq!(
            with_word_replaced("fiver 38 on chemo", "fiver", "fever"),
            "fever 38 on chemo"
        );
        assert_eq!(
            with_word_replaced("fivers and fiver, fiverfiver", "fiver", "fever"),
            "fivers and fever, fiverfiver"
        );
        assert_eq!(
            with_word_replaced("Turmerik", "Turmerik", "turmeric"),
            "turmeric"
        );
    }
}
