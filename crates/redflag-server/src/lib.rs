//! redflag's web server: a plain web page where anyone checks a message, a JSON API that
//! does the same (`/api/v1`, documented at `/api/openapi.json`), ready-to-send reports, and
//! for the fraud hotline, behind a token, a case store with the indicators that come back
//! across cases.
//!
//! [`app`] builds the whole service as an axum `Router`, so tests drive it in process;
//! [`serve`] opens the store, binds the address and runs it until SIGTERM or Ctrl-C, then
//! lets requests in flight finish and closes the store.
//!
//! **Invariant:** this is the only crate that does network IO. Analysis stays in
//! `redflag-engine` (pure); database IO stays in `redflag-store`.
//!
//! **Invariant:** nothing a person sends is logged: logs carry the method, path, status
//! and latency only. Message text is never rendered as HTML, and links in it are never
//! made clickable.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod api;
mod auth;
mod cases;
mod check;
mod conn;
mod error;
mod highlight;
mod json;
mod openapi;
mod page;
mod ratelimit;
mod reports;
mod request;
mod respond;
mod security;

pub use error::ServerError;
pub use openapi::openapi;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use redflag_engine::Engine;
use redflag_store::Store;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Largest request body: 10 MiB (an email with attachments, or an order history).
pub const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// Longest a request may take before it is answered with `timeout`.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// Most connections open at once when none is given ([`Limits::max_connections`]).
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;

/// How long a client has to send a request head when none is given
/// ([`Limits::header_timeout`]).
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a client has to send a request body when none is given
/// ([`Limits::body_timeout`]).
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// The limits that keep slow or numerous clients from exhausting the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most connections open at once; over it a new connection is answered 503
    /// `overloaded` and closed.
    pub max_connections: usize,
    /// Time to send a request head (request line and headers), counted from when the
    /// server starts reading it (the connection opening, or the previous answer on a
    /// keep-alive connection), so an idle keep-alive connection closes after it too. A head
    /// that is late closes the connection without an answer.
    pub header_timeout: Duration,
    /// Time to send the whole request body once the head is in; over it, 408
    /// `body_timeout` and the connection closes.
    pub body_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: DEFAULT_MAX_CONNECTIONS,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
        }
    }
}

/// The rate limit when none is given: requests per minute per client on the public
/// endpoints.
pub const DEFAULT_RATE_LIMIT: u32 = 60;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen (`127.0.0.1:8080`).
    pub addr: SocketAddr,
    /// The case store: a SQLite file path, a `sqlite:` URL or a `postgres://` URL. Only
    /// opened when a token is set.
    pub db: String,
    /// The hotline's token. Without one, the case endpoints answer 503 `cases_disabled`.
    /// [`serve`] refuses one shorter than [`MIN_TOKEN_CHARS`] unless `allow_short_token`.
    pub token: Option<String>,
    /// Accept a token shorter than [`MIN_TOKEN_CHARS`] (a test bench, never a hotline).
    pub allow_short_token: bool,
    /// Requests per minute per client IP on the public endpoints; 0 turns the limit off.
    pub rate_limit: u32,
    /// Connection cap and timeouts.
    pub limits: Limits,
    /// SQLite only: the largest the case store may grow, in bytes (a quota; past it, saving
    /// a case answers 503 `store_unavailable`, as on a full disk).
    pub sqlite_max_bytes: Option<u64>,
    /// The analysis engine (profile, hotline, text model).
    pub engine: Engine,
    /// The screenshot reader; `None` answers an image with `images_unsupported`.
    pub images: Option<Arc<redflag_engine::screenshot::ImageReader>>,
}

/// What every request handler shares. Cloning is cheap.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
    limits: Limits,
}

struct Inner {
    engine: Engine,
    images: Option<Arc<redflag_engine::screenshot::ImageReader>>,
    store: Option<Store>,
    token: Option<auth::Token>,
    limiter: Option<ratelimit::RateLimiter>,
    /// Analyses run one per core at once: analysis is CPU work, so more would not finish
    /// sooner. A permit is taken before an analysis is queued and given back when it ends.
    analyses: Arc<Semaphore>,
    /// The threads large analyses run on (small ones run on the server's own threads:
    /// `check::INLINE_MAX_BYTES`), as many as permits, and always the same ones: each
    /// thread that runs an analysis keeps its own regex caches (up to 2 MiB per phrase
    /// list), which are most of the server's memory. On tokio's blocking pool, whichever of
    /// its threads was free took the next analysis, so over hours more and more threads
    /// built caches of their own and memory crept up.
    pool: rayon::ThreadPool,
}

impl AppState {
    /// The state for [`app`]. `store` and `token` go together: with no token the case
    /// endpoints are off whatever the store. `rate_limit` is requests per minute per
    /// client IP on the public endpoints (0: no limit).
    ///
    /// # Panics
    ///
    /// If the operating system refuses to start the analysis threads (one per core), as
    /// tokio panics when it cannot start a thread.
    pub fn new(
        engine: Engine,
        store: Option<Store>,
        token: Option<&str>,
        rate_limit: u32,
    ) -> AppState {
        let token = token
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(auth::Token::new);
        let parallel = std::thread::available_parallelism().map_or(2, |n| n.get());
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(parallel)
            .thread_name(|i| format!("redflag-analysis-{i}"))
            .build()
            .expect("starting the analysis threads");
        AppState {
            inner: Arc::new(Inner {
                engine,
                images: None,
                store,
                token,
                limiter: (rate_limit > 0).then(|| ratelimit::RateLimiter::new(rate_limit)),
                analyses: Arc::new(Semaphore::new(parallel)),
                pool,
            }),
            limits: Limits::default(),
        }
    }

    /// With a screenshot reader: images sent to the API and the page are read as messages.
    ///
    /// # Panics
    ///
    /// If the state was already cloned (call it right after [`AppState::new`]).
    pub fn with_images(
        mut self,
        images: Option<Arc<redflag_engine::screenshot::ImageReader>>,
    ) -> AppState {
        Arc::get_mut(&mut self.inner)
            .expect("with_images before the state is shared")
            .images = images;
        self
    }

    /// The screenshot reader, to move into an analysis job.
    pub(crate) fn images_handle(&self) -> Option<Arc<redflag_engine::screenshot::ImageReader>> {
        self.inner.images.clone()
    }

    /// With these connection limits and timeouts instead of the defaults.
    pub fn with_limits(mut self, limits: Limits) -> AppState {
        self.limits = limits;
        self
    }

    /// Runs `job` on an analysis thread and returns its result; an error if it panicked.
    pub(crate) async fn on_analysis_thread<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, tokio::sync::oneshot::error::RecvError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.inner.pool.spawn(move || {
            // A panic must not reach rayon (which would abort the process): it becomes a
            // dropped sender, and so a 500 for this request only.
            if let Ok(out) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)) {
                let _ = tx.send(out);
            }
        });
        rx.await
    }

    pub(crate) fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The case store, when cases are on (a token is set and a store was given).
    pub(crate) fn cases(&self) -> Option<(&Store, &auth::Token)> {
        match (&self.inner.store, &self.inner.token) {
            (Some(s), Some(t)) => Some((s, t)),
            _ => None,
        }
    }

    pub(crate) fn limiter(&self) -> Option<&ratelimit::RateLimiter> {
        self.inner.limiter.as_ref()
    }
}

/// The whole service: the page, its static files, the API and the OpenAPI document, with
/// body limit and body deadline, timeout, security headers, uniform errors and request logs.
pub fn app(state: AppState) -> Router {
    use tower_http::timeout::TimeoutLayer;

    use axum::middleware::from_fn_with_state;

    let (public, _) = openapi::public_api().split_for_parts();
    let (cases, _) = openapi::case_api().split_for_parts();
    let (other, _) = openapi::other_api().split_for_parts();
    let body_timeout = state.limits.body_timeout;
    let router = Router::new()
        .merge(public.route_layer(from_fn_with_state(state.clone(), respond::rate_limit)))
        .merge(cases.route_layer(from_fn_with_state(state.clone(), cases::require_token)))
        .merge(other)
        .merge(page::routes())
        .merge(
            page::limited_routes()
                .route_layer(from_fn_with_state(state.clone(), respond::rate_limit)),
        )
        .route("/api/openapi.json", axum::routing::get(openapi::serve))
        .fallback(respond::not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(from_fn_with_state(body_timeout, each_request))
        .with_state(state);
    security::with_request_logs(router)
}

/// What every request goes through outside the routes, in this order: the body is read
/// within its deadline (`conn::read_body`), errors without a body of ours get the API's or
/// the page's shape (`respond::finish_errors`), and the security headers are added
/// (`security::headers`). One middleware rather than one `from_fn` layer for each: each
/// layer cloned the service stack under it and boxed a future for every request.
async fn each_request(
    axum::extract::State(body_timeout): axum::extract::State<Duration>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let method = req.method().clone();
    let uri = req.uri().clone();
    let res = conn::read_body(body_timeout, req, next).await;
    let res = respond::finish_errors(&method, uri.path(), res).await;
    security::headers(res)
}

/// The fewest characters a hotline token may have: 32 random hex characters are 128 bits,
/// beyond guessing even without the rate limit; a short, chosen word is the first thing an
/// attacker tries, and the token guards every saved message and the people's numbers.
pub const MIN_TOKEN_CHARS: usize = 32;

/// Checks the hotline token's length: a token under [`MIN_TOKEN_CHARS`] characters is an
/// error unless `allow_short` (then only a warning in the log).
fn check_token(token: &str, allow_short: bool) -> Result<(), ServerError> {
    let chars = token.chars().count();
    if chars >= MIN_TOKEN_CHARS {
        return Ok(());
    }
    if !allow_short {
        return Err(ServerError::ShortToken { chars });
    }
    tracing::warn!(
        chars,
        "the hotline token is shorter than {MIN_TOKEN_CHARS} characters; use a long random one"
    );
    Ok(())
}

/// Opens the store (when a token is set), listens on `config.addr` and serves until SIGTERM
/// or Ctrl-C. Requests in flight finish before the store closes, so a case being saved is
/// never lost.
pub async fn serve(config: Config) -> Result<(), ServerError> {
    let token = config
        .token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let store = match token {
        Some(t) => {
            check_token(t, config.allow_short_token)?;
            let options =
                redflag_store::StoreOptions::default().sqlite_max_bytes(config.sqlite_max_bytes);
            let store = Store::open_with(&config.db, &options).await?;
            tracing::info!(backend = store.backend(), "case store open");
            Some(store)
        }
        None => {
            tracing::info!("no token: the case endpoints and the hotline view are off");
            None
        }
    };
    let state = AppState::new(config.engine, store, token, config.rate_limit)
        .with_images(config.images)
        .with_limits(config.limits);
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServerError::Bind {
            addr: config.addr,
            source,
        })?;
    serve_with(listener, state, shutdown_signal()).await
}

/// A task that is aborted when its handle is dropped: dropping [`serve_with`]'s future stops
/// the accept loop it spawned and closes the listener, as it did when the loop ran inside
/// that future (connections already accepted are tasks of their own either way).
/// `tokio_util::task::AbortOnDropHandle` does the same, but its `rt` feature brings
/// `futures-util` with its macros into the build for these few lines.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Serves `state` on `listener` until `shutdown` completes, then waits for requests in
/// flight and closes the store. The connection cap and timeouts are the state's
/// ([`AppState::with_limits`]).
pub async fn serve_with(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let addr = listener.local_addr().map_err(ServerError::Serve)?;
    let limits = state.limits;
    tracing::info!(
        %addr,
        max_connections = limits.max_connections,
        header_timeout_s = limits.header_timeout.as_secs_f64(),
        body_timeout_s = limits.body_timeout.as_secs_f64(),
        "listening"
    );
    let store = state.inner.store.clone();
    // Long enough for any request that was allowed to start: its body, then its work.
    let grace = limits.body_timeout + REQUEST_TIMEOUT + Duration::from_secs(5);
    // The accept loop runs as a task on the runtime's workers, not on the thread that
    // awaits this function (the binary's `block_on`): a connection's task is then spawned
    // on the worker that accepted it, instead of being handed from that thread to a worker
    // (measured: about eight context switches and seven system calls fewer per connection;
    // docs/performance.md, "Eighteenth round").
    let mut accepting = AbortOnDrop(tokio::spawn(conn::run(
        listener,
        app(state),
        limits,
        shutdown,
        grace,
    )));
    if let Err(e) = (&mut accepting.0).await
        && e.is_panic()
    {
        std::panic::resume_unwind(e.into_panic());
    }
    if let Some(store) = store {
        store.close().await;
        tracing::info!("case store closed");
    }
    tracing::info!("stopped");
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!("shutting down: finishing requests in flight");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A token under 32 characters is refused unless the operator says it is a test bench;
    /// 32 is enough (a 9-character one was accepted with only a warning).
    #[test]
    fn short_tokens_are_refused_unless_allowed() {
        for short in ["hunter2", "hotline-9", &"a".repeat(31)] {
            let e = check_token(short, false).unwrap_err();
            assert!(matches!(e, ServerError::ShortToken { .. }), "{short}");
            assert!(e.to_string().contains("at least 32"), "{e}");
            assert!(check_token(short, true).is_ok());
        }
        assert!(check_token(&"a".repeat(32), false).is_ok());
        // Characters, not bytes: 31 two-byte letters are still short.
        assert!(check_token(&"é".repeat(31), false).is_err());
    }

    #[tokio::test]
    async fn analyses_run_on_the_same_few_threads_and_a_panic_is_an_error() {
        let state = AppState::new(Engine::default(), None, None, 0);
        let parallel = std::thread::available_parallelism().map_or(2, |n| n.get());
        let mut names = std::collections::BTreeSet::new();
        for _ in 0..50 {
            let name = state
                .on_analysis_thread(|| std::thread::current().name().map(str::to_owned))
                .await
                .expect("the job ran");
            names.insert(name.expect("analysis threads are named"));
        }
        assert!(names.len() <= parallel, "{names:?}");
        assert!(names.iter().all(|n| n.starts_with("redflag-analysis-")));
        // A panicking job is an error for its caller only; the pool keeps working.
        let panicked = state.on_analysis_thread(|| panic!("test panic")).await;
        assert!(panicked.is_err());
        assert_eq!(state.on_analysis_thread(|| 7).await.ok(), Some(7));
    }
}
