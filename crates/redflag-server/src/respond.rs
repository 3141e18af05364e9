//! How an error answers: the API's JSON under `/api/`, a page elsewhere; and the layers
//! that answer for the page and the API alike (the rate limit, the finishing of axum's
//! rejections, the timeout and the body limit, the fallback). The body reader answers
//! through here too, so that no layer below the page needs the page's own modules.

use crate::AppState;
use crate::error::ApiError;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The answer for an error: `err` as JSON under `/api/`, else the page for `path` (the form
/// again with the error for the form's own routes, a plain page elsewhere).
pub(crate) fn error(method: &Method, path: &str, err: ApiError) -> Response {
    if is_api(path) {
        return err.into_response();
    }
    let retry_after = err.retry_after;
    let mut res = if err.status == StatusCode::TOO_MANY_REQUESTS {
        crate::page::rate_limited_page(path, retry_after.unwrap_or(60))
    } else {
        crate::page::error_for(method, path, err.status, &err.message)
    };
    if let Some(secs) = retry_after {
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    res
}

/// Middleware for the public endpoints: 429 `rate_limited` with `Retry-After` once a
/// client's bucket is empty (a page with the form for the page's own routes).
pub(crate) async fn rate_limit(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if let Some(limiter) = state.limiter()
        && let Err(wait) = limiter.check(crate::ratelimit::client_ip(&req))
    {
        return error(req.method(), req.uri().path(), ApiError::rate_limited(wait));
    }
    next.run(req).await
}

/// Anything nobody routes: JSON under `/api/`, a page elsewhere.
pub(crate) async fn not_found(req: Request) -> Response {
    if is_api(req.uri().path()) {
        ApiError::not_found("There is nothing at this address.").into_response()
    } else {
        crate::page::error_page(
            StatusCode::NOT_FOUND,
            "Page not found",
            "There is nothing at this address.",
        )
    }
}

pub(crate) fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// Gives errors that carry no body of ours (axum's rejections, the body limit, the timeout,
/// a wrong method) the API's JSON shape under `/api/`, and a page elsewhere.
pub(crate) async fn finish_errors(method: &Method, path: &str, res: Response) -> Response {
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let ours = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| !ct.starts_with("text/plain"));
    if ours {
        return res;
    }
    let retry_after = res.headers().get(header::RETRY_AFTER).cloned();
    let allow = res.headers().get(header::ALLOW).cloned();
    // Rejection texts are short; they say what was wrong with the request.
    let detail = axum::body::to_bytes(res.into_body(), 4096)
        .await
        .ok()
        .map(|b| String::from_utf8_lossy(&b).trim().to_string());
    let mut out = if is_api(path) {
        ApiError::for_status(status, detail).into_response()
    } else {
        let err = ApiError::for_status(status, None);
        crate::page::error_for(method, path, status, &err.message)
    };
    if let Some(v) = retry_after {
        out.headers_mut().insert(header::RETRY_AFTER, v);
    }
    if let Some(v) = allow {
        out.headers_mut().insert(header::ALLOW, v);
    }
    out
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::get;
    use http_body_util::BodyExt as _;
    use std::time::Duration;
    use tower::ServiceExt as _;

    /// The timeout layer answers a bare 503; it becomes `timeout` under `/api/` and a page
    /// elsewhere.
    #[tokio::test]
    async fn timeouts_get_the_error_shape() {
        let slow = || async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            "late"
        };
        let app = Router::new()
            .route("/api/v1/slow", get(slow))
            .route("/slow", get(slow))
            .layer(tower_http::timeout::TimeoutLayer::with_status_code(
                StatusCode::SERVICE_UNAVAILABLE,
                Duration::from_millis(20),
            ))
            .layer(axum::middleware::from_fn(
                |req: Request<Body>, next: axum::middleware::Next| async move {
                    let (method, uri) = (req.method().clone(), req.uri().clone());
                    let res = next.run(req).await;
                    super::finish_errors(&method, uri.path(), res).await
                },
            ));
        let res = app
            .clone()
            .oneshot(Request::get("/api/v1/slow").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        let body = res.into_body().collect().await.unwrap().to_bytes();
        let j: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(j["error"]["code"], "timeout");
        let res = app
            .oneshot(Request::get("/slow").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(
            res.headers()[axum::http::header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
    }
}
