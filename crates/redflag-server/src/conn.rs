//! Connections: the accept loop with its cap on open connections, the header-read timeout,
//! the request-body deadline, and the graceful shutdown.
//!
//! A slow client (slowloris) holds a connection, not the server: each connection takes one
//! of `max_connections` places, a request head must arrive within `header_timeout` (the same
//! timeout closes an idle keep-alive connection), and a request body within `body_timeout`.
//! Over the cap, a new connection is answered at once with 503 `overloaded` and closed, so a
//! client learns that the server is busy instead of waiting in the listen queue.

use crate::error::ApiError;
use crate::{Limits, MAX_BODY_BYTES};
use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt as _;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::ServiceExt as _;

/// Most connections being turned away (503 `overloaded`) at once; beyond it they are closed
/// without an answer, so that a flood of connections cannot pile up refusals.
const MAX_REFUSALS: usize = 64;

/// How long a refusal may take to write its answer and see the client close.
const REFUSAL_TIME: Duration = Duration::from_secs(1);

/// The body of the answer to a connection over the cap. The request is not read, so its
/// path is unknown: the answer is the API's JSON error.
const OVERLOADED: &str = "{\"error\":{\"code\":\"overloaded\",\"message\":\"The server is busy. Please try again in a moment.\"}}";

/// Accepts connections on `listener` and serves `router` on each until `shutdown`
/// completes; then stops accepting, lets requests in flight finish (closing idle
/// connections at once), and returns. Connections still open after `grace` are dropped.
pub(crate) async fn run(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) {
    // HTTP/1.1 only: the h1 parser has the header-read timeout, and detecting HTTP/2 first
    // would wait for the client without one. HTTP/2 and TLS belong to a proxy in front.
    let mut builder = auto::Builder::new(TokioExecutor::new()).http1_only();
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let places = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let refusals = Arc::new(Semaphore::new(MAX_REFUSALS));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                Err(e) => {
                    accept_error(e).await;
                    continue;
                }
            },
        };
        let Ok(place) = places.clone().try_acquire_owned() else {
            tracing::warn!(
                max_connections = limits.max_connections,
                "connection cap reached: answering 503 overloaded"
            );
            if let Ok(refusal) = refusals.clone().try_acquire_owned() {
                tokio::spawn(async move {
                    let _refusal = refusal;
                    refuse(stream).await;
                });
            }
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = router
            .clone()
            .map_request(move |mut req: Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                req
            });
        let conn = builder
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
            .into_owned();
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // The place is given back when the connection ends, however it ends.
            let _place = place;
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(grace) => {
            tracing::warn!("connections still open after {} s: dropping them", grace.as_secs());
        }
    }
}

/// Accept errors: a connection that failed before it was accepted is skipped; anything else
/// (too many open files, out of memory) waits a moment, so the loop does not spin.
async fn accept_error(e: std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "accept failed");
    tokio::time::sleep(Duration::from_millis(100)).await;
}

/// Answers 503 `overloaded` and closes, reading what the client sent meanwhile so that the
/// close does not reset the connection before the client reads the answer.
async fn refuse(mut stream: TcpStream) {
    let _ = tokio::time::timeout(REFUSAL_TIME, async {
        let answer = format!(
            "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
             x-content-type-options: nosniff\r\nretry-after: 1\r\nconnection: close\r\n\
             content-length: {}\r\n\r\n{OVERLOADED}",
            OVERLOADED.len()
        );
        stream.write_all(answer.as_bytes()).await?;
        stream.shutdown().await?;
        let mut sink = [0u8; 4096];
        while stream.read(&mut sink).await? > 0 {}
        Ok::<(), std::io::Error>(())
    })
    .await;
}

/// Middleware: reads the whole request body within `body_timeout` and at most
/// [`MAX_BODY_BYTES`], before any handler runs: 408 `body_timeout` when it is too slow, 413
/// `too_large` when it is too big (by `Content-Length`, before reading anything). Handlers
/// then read a body that is already in memory, and the request timeout counts processing
/// only.
pub(crate) async fn read_body(body_timeout: Duration, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return too_large(&parts);
    }
    if declared == Some(0) {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let limited = http_body_util::Limited::new(body, MAX_BODY_BYTES);
    match tokio::time::timeout(body_timeout, limited.collect()).await {
        Ok(Ok(collected)) => {
            let req = Request::from_parts(parts, Body::from(collected.to_bytes()));
            next.run(req).await
        }
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => too_large(&parts),
        // The client went away or sent a broken chunked body: nobody reads this answer.
        Ok(Err(_)) => close(StatusCode::BAD_REQUEST.into_response()),
        Err(_) => {
            tracing::info!(
                path = parts.uri.path(),
                "request body too slow: answered 408"
            );
            close(crate::respond::error(
                &parts.method,
                parts.uri.path(),
                ApiError::body_timeout(body_timeout),
            ))
        }
    }
}

/// 413: a bare status under `/api/` (`finish_errors` makes it `too_large`), the form again
/// with the page's words elsewhere.
fn too_large(parts: &axum::http::request::Parts) -> Response {
    let res = if crate::respond::is_api(parts.uri.path()) {
        StatusCode::PAYLOAD_TOO_LARGE.into_response()
    } else {
        let message = format!(
            "That is too big: the limit is {} MiB in all.",
            MAX_BODY_BYTES / (1024 * 1024)
        );
        crate::page::error_for(
            &parts.method,
            parts.uri.path(),
            StatusCode::PAYLOAD_TOO_LARGE,
            &message,
        )
    };
    close(res)
}

/// Asks for the connection to close after this answer: the rest of the body is unread.
fn close(mut res: Response) -> Response {
    res.headers_mut().insert(
        header::CONNECTION,
        header::HeaderValue::from_static("close"),
    );
    res
}
