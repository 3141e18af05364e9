//! Response headers every answer carries, and request logs that hold no personal data.

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Response, header};
use std::time::Duration;
use tower_http::trace::TraceLayer;
use tracing::Span;

/// The page's Content-Security-Policy: only its own CSS and script, no frames, no forms to
/// elsewhere.
pub(crate) const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; manifest-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The same policy for a page that shows the person's screenshot, which it sends as a
/// `data:` image (the image is never stored to be served from a URL): only such a page
/// allows `data:` images, and only images.
pub(crate) const CSP_WITH_SCREENSHOT: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; manifest-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Marks an HTML answer as one that shows a screenshot ([`CSP_WITH_SCREENSHOT`]).
pub(crate) fn showing_screenshot(mut res: Response<Body>) -> Response<Body> {
    res.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP_WITH_SCREENSHOT),
    );
    res
}

/// Adds the security headers: `nosniff` and `no-referrer` everywhere, the CSP and
/// `X-Frame-Options` on HTML, and `no-store` unless the response says how to cache.
pub(crate) fn headers(mut res: Response<Body>) -> Response<Body> {
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    let html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    if html {
        // The one looser policy a handler may ask for; anything else becomes the strict one.
        let screenshot = h
            .get(header::CONTENT_SECURITY_POLICY)
            .is_some_and(|v| v.as_bytes() == CSP_WITH_SCREENSHOT.as_bytes());
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(if screenshot { CSP_WITH_SCREENSHOT } else { CSP }),
        );
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Logs each request as method, path (without the query), status and latency; never
/// headers, bodies or query strings.
pub(crate) fn with_request_logs(router: Router) -> Router {
    router.layer(
        TraceLayer::new_for_http()
            .make_span_with(|req: &Request| {
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
            })
            .on_request(())
            .on_response(|res: &Response<Body>, latency: Duration, _: &Span| {
                tracing::info!(
                    status = res.status().as_u16(),
                    latency_ms = latency.as_millis() as u64,
                    "answered"
                );
            })
            .on_failure(()),
    )
}

/// Marks a response as not to be cached: it is about someone's message.
pub(crate) fn no_store(mut res: Response<Body>) -> Response<Body> {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
