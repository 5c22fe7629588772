//! `mbc serve`: the web page and the HTTP JSON API over one index, on axum and tokio.
//!
//! The index is opened once with the model loaded; a new generation published by `mbc index`
//! is picked up within a second. Every response carries the security headers and
//! `Cache-Control: no-store`; each request is logged as one line on stderr without its query
//! string, because what a person searches for about their illness is private.

mod api;
mod page;
mod state;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use tokio::sync::Semaphore;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::timeout::TimeoutLayer;

use crate::app::UsageError;
use crate::settings::{Location, ServeSettings};
use api::ApiError;
use state::Shared;

/// Requests answered at once by default (`--max-concurrent`); more are refused with 503 rather
/// than queued without bound.
pub const MAX_CONCURRENT: u64 = 64;
/// The longest a request may take before it is answered with 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How often the index directory is checked for a new generation.
const RELOAD_EVERY: Duration = Duration::from_secs(1);

/// Runs the server until Ctrl-C or SIGTERM; requests in flight then finish.
pub fn serve_command(location: Location, settings: &ServeSettings) -> Result<()> {
    if !settings.addr.ip().is_loopback() && !settings.public {
        return Err(UsageError(format!(
            "{} is not a loopback address: the page has no login, so anyone who can reach it \
             could search; pass --public to listen there anyway",
            settings.addr
        ))
        .into());
    }
    let shared = Arc::new(Shared::open(location)?);
    tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(search_threads())
        // Threads that stay are warmed up once (see `warm_up`), not again after each quiet spell.
        .thread_keep_alive(Duration::from_secs(24 * 60 * 60))
        .enable_all()
        .build()
        .context("could not start the server's runtime")?
        .block_on(run(shared, settings))
}

async fn run(shared: Arc<Shared>, settings: &ServeSettings) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(settings.addr)
        .await
        .with_context(|| format!("could not listen on {}", settings.addr))?;
    let addr = listener.local_addr()?;
    if settings.public {
        status!(
            "warning: listening on {addr}, beyond this computer: the page has no login and \
             queries travel unencrypted (plain HTTP)"
        );
    }
    warm_up(&shared).await;
    if let Some(damage) = shared.current().damage() {
        status!(
            "warning: the index is damaged ({damage}): some searches will fail, and /healthz \
             says so; rebuild it with `mbc index --rebuild`"
        );
    }
    tokio::spawn(watch_for_new_generations(Arc::clone(&shared)));
    status!(
        "serving the index at {} on http://{addr}/ (Ctrl-C to stop)",
        shared.location().index.display()
    );
    axum::serve(listener, router(shared, settings))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("the server failed")?;
    status!("stopped");
    Ok(())
}

/// Every route, with the layers every response goes through.
fn router(shared: Arc<Shared>, settings: &ServeSettings) -> Router {
    let slots = Arc::new(Semaphore::new(settings.max_concurrent));
    let router = Router::new()
        .route("/", get(page::home))
        .route("/passages/{id}", get(page::passage))
        .route("/approaches", get(page::approaches))
        .route("/handout", get(page::handout))
        .route("/style.css", get(page::style))
        .route("/suggest.js", get(page::script))
        .route("/api/search", get(api::search_handler))
        .route("/api/passages/{id}", get(api::passage_handler))
        .route("/api/approaches", get(api::approaches_handler))
        .route("/api/stats", get(api::stats_handler))
        .route("/api/suggest", get(api::suggest_handler))
        .route("/api/openapi.json", get(api::openapi_handler))
        .route("/healthz", get(api::health_handler))
        .route("/api/{*rest}", any(api::api_not_found))
        .fallback(page::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .with_state(shared)
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::internal("mbc failed while answering; the failure was logged").into_response()
        }))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(middleware::from_fn(move |request, next| {
            limit_concurrency(Arc::clone(&slots), request, next)
        }));
    // Inside the logging and the security headers, which a preflight's answer needs as every
    // other (it skipped both when this layer was outermost), and outside the concurrency limit:
    // a preflight costs nothing to answer.
    let router = match cors(&settings.cors_origins) {
        Some(layer) => router.layer(layer),
        None => router,
    };
    router.layer(middleware::from_fn(log_and_secure))
}

/// Cross-origin reading for the origins named with `--cors-origin`, GET only; none without.
/// A page that sends `Accept` or `Content-Type` with a value outside the few that browsers send
/// unasked makes its browser ask first (a preflight): those two headers are allowed, and the
/// answer kept for an hour, so that such a page is not refused.
fn cors(origins: &[String]) -> Option<CorsLayer> {
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect();
    (!origins.is_empty()).then(|| {
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::GET])
            .allow_headers([header::ACCEPT, header::CONTENT_TYPE])
            .max_age(PREFLIGHT_KEPT)
    })
}

/// How long a browser may keep a preflight's answer.
const PREFLIGHT_KEPT: Duration = Duration::from_secs(3600);

/// Seconds a client refused for being one request too many is asked to wait (`Retry-After`):
/// a search takes milliseconds, so a slot is free again almost at once.
const RETRY_AFTER_SECONDS: &str = "1";

/// Refuses a request with 503 when all `slots` are taken by requests being answered.
async fn limit_concurrency(slots: Arc<Semaphore>, request: Request, next: Next) -> Response {
    match slots.try_acquire_owned() {
        Ok(_slot) => next.run(request).await,
        Err(_) => {
            let mut refused = ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "overloaded",
                "too many requests at once; try again in a moment",
            )
            .into_response();
            refused.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(RETRY_AFTER_SECONDS),
            );
            refused
        }
    }
}

/// Logs one line per request (when, in UTC to the second; method; path without the query;
/// status; time taken) and adds the security headers.
async fn log_and_secure(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers.insert(name.clone(), HeaderValue::from_static(value));
    }
    status!(
        "{} {method} {path} {} {:.1} ms",
        humantime::format_rfc3339_seconds(std::time::SystemTime::now()),
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1e3
    );
    response
}

/// The page uses only its own stylesheet and suggestion script: no inline scripts, no
/// frames, no other origin.
const SECURITY_HEADERS: &[(header::HeaderName, &str)] = &[
    (
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; \
         img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "no-referrer"),
    (header::CACHE_CONTROL, "no-store"),
];

/// Searches run on tokio's blocking pool, at most this many at once: they are CPU work, and
/// more threads than this only add queues and memory.
fn search_threads() -> usize {
    2 * std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Runs one search of each kind on every search thread before the server says it is ready.
/// Each thread then holds what its first searches allocate for good (the matrix library's
/// per-thread buffers, the analysis memo, the program's pages for each path), so the first
/// requests are not slower than the rest and the memory the server has when it starts is the
/// memory it keeps. The barrier puts each warm-up on a thread of its own: none starts until all
/// are running at once. (Waiting after the warm-up instead would leave the others waiting for
/// ever if one of them panicked.)
async fn warm_up(shared: &Arc<Shared>) {
    let threads = search_threads();
    let barrier = Arc::new(std::sync::Barrier::new(threads));
    let warming: Vec<_> = (0..threads)
        .map(|_| {
            let (shared, barrier) = (Arc::clone(shared), Arc::clone(&barrier));
            tokio::task::spawn_blocking(move || {
                barrier.wait();
                shared.warm_up();
            })
        })
        .collect();
    for thread in warming {
        // A warm-up that panicked has been reported as the bug it is, by the panic hook; the
        // server still starts, and a request that meets the bug gets a 500.
        let _ = thread.await;
    }
}

/// Checks for a new index generation every second and swaps it in, and returns freed memory;
/// a failure to open a generation is logged and the current one kept.
async fn watch_for_new_generations(shared: Arc<Shared>) {
    let mut reported = false;
    loop {
        tokio::time::sleep(RELOAD_EVERY).await;
        let shared = Arc::clone(&shared);
        match tokio::task::spawn_blocking(move || {
            let reloaded = shared.reload_if_published();
            return_freed_memory();
            reloaded
        })
        .await
        {
            Ok(Ok(true)) => {
                status!("note: serving the index's new generation");
                reported = false;
            }
            Ok(Ok(false)) => {}
            Ok(Err(err)) if !reported => {
                status!(
                    "note: could not open the index's new generation ({err:#}); still serving the previous one"
                );
                reported = true;
            }
            Ok(Err(_)) | Err(_) => {}
        }
    }
}

/// Hands the memory freed since the last tick back to the system. glibc keeps what is freed in
/// each thread's arena for that thread; a server whose requests come in bursts and whose index
/// generations come and go held on to it: under `scripts/bench-serve.sh` its RSS grew by 20 MB
/// (89 → 109 MB) without this and by 11 MB (90 → 101 MB, none of it during 65 rebuilds) with
/// it, at the same throughput.
fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim is thread-safe and only releases memory that is free.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    status!("stopping: finishing the requests in flight");
}

/// Where `mbc serve` listens unless told otherwise.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8700";

/// An origin for `--cors-origin`: a scheme, a host and maybe a port, as browsers send it in
/// the `Origin` header (`https://portal.example.org`, no path, no trailing slash).
pub fn parse_origin(value: &str) -> Result<String, String> {
    let wrong = || {
        format!(
            "`{value}` is not an origin such as https://portal.example.org (a scheme and a host, \
             maybe a port, and nothing after them)"
        )
    };
    let uri: axum::http::Uri = value.parse().map_err(|_| wrong())?;
    let scheme_ok = matches!(uri.scheme_str(), Some("http" | "https"));
    // The `http` crate reports an empty path as "/": the text itself must not end in one.
    let bare = uri.path() == "/" && uri.query().is_none() && !value.ends_with('/');
    if scheme_ok && uri.host().is_some() && bare && HeaderValue::from_str(value).is_ok() {
        Ok(value.to_string())
    } else {
        Err(wrong())
    }
}

/// A listening address, for clap.
pub fn parse_addr(value: &str) -> Result<SocketAddr, String> {
    if let Ok(port) = value.parse::<u16>() {
        return Ok(on_this_computer(port));
    }
    value.parse().map_err(|_| {
        format!("`{value}` is not an address such as 127.0.0.1:8700, or a port such as 8700")
    })
}

/// `port` on the loopback address: reachable from this computer only.
pub fn on_this_computer(port: u16) -> SocketAddr {
    SocketAddr::from((std::net::Ipv4Addr::LOCALHOST, port))
}

#[cfg(test)]
mod tests {
    use super::{parse_addr, parse_origin};

    #[test]
    fn an_address_is_an_ip_and_port_or_a_port_on_this_computer() {
        assert_eq!(parse_addr("8080").unwrap().to_string(), "127.0.0.1:8080");
        assert_eq!(parse_addr("0.0.0.0:80").unwrap().to_string(), "0.0.0.0:80");
        assert_eq!(parse_addr("[::1]:8700").unwrap().to_string(), "[::1]:8700");
        let refused = parse_addr("localhost:8080").unwrap_err();
        assert!(refused.contains("or a port such as 8700"), "{refused}");
    }

    #[test]
    fn an_origin_is_a_scheme_a_host_and_maybe_a_port() {
        for good in ["https://portal.example.org", "http://localhost:3000"] {
            assert_eq!(parse_origin(good).as_deref(), Ok(good));
        }
        for bad in [
            "portal.example.org",
            "https://portal.example.org/",
            "https://portal.example.org/path",
            "https://portal.example.org?q=1",
            "ftp://portal.example.org",
            "*",
            "",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }
}
