//! The server, end to end: the API, the page and the hotline's cases driven in process with
//! `tower::ServiceExt::oneshot`, and once over a real loopback socket. Case tests run on
//! SQLite, and on PostgreSQL too when `REDFLAG_TEST_POSTGRES_URL` is set.

mod api;
mod cases;
mod page;
mod screenshots;
mod slow;
mod socket;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt as _;
use redflag_engine::Engine;
use redflag_server::{AppState, app};
use redflag_store::Store;
use std::path::Path;
use tower::ServiceExt as _;

pub(crate) const TOKEN: &str = "hotline-test-token-0123456789";

pub(crate) fn fixture(rel: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

pub(crate) fn fixture_text(rel: &str) -> String {
    String::from_utf8(fixture(rel)).expect("UTF-8 fixture")
}

/// The public app: no store, no token, no rate limit.
pub(crate) fn public_app() -> Router {
    app(AppState::new(Engine::default(), None, None, 0))
}

/// An app with cases on, in a store.
pub(crate) fn app_with_store(store: Store, rate_limit: u32) -> Router {
    app(AppState::new(
        Engine::default(),
        Some(store),
        Some(TOKEN),
        rate_limit,
    ))
}

/// A store in a fresh temporary SQLite file (the directory lives as long as the guard).
pub(crate) async fn sqlite_store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cases.db");
    let store = Store::open(path.to_str().unwrap()).await.expect("open");
    (store, dir)
}

pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub(crate) fn header(&self, name: impl header::AsHeaderName) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The error code of an API error, checking the error shape.
    pub(crate) fn error_code(&self) -> String {
        let j = self.json();
        assert!(
            j["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "error without a message: {j}"
        );
        assert_eq!(self.header(header::CONTENT_TYPE), "application/json");
        j["error"]["code"].as_str().expect("error code").to_string()
    }
}

pub(crate) async fn send(app: &Router, req: Request<Body>) -> Answer {
    let res = app.clone().oneshot(req).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let body = res
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

pub(crate) fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

pub(crate) fn post_json(uri: &str, body: &serde_json::Value) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

pub(crate) fn with_token(mut req: Request<Body>, token: &str) -> Request<Body> {
    req.headers_mut().insert(
        header::AUTHORIZATION,
        format!("Bearer {token}").parse().unwrap(),
    );
    req
}

pub(crate) fn post_form(uri: &str, fields: &[(&str, &str)]) -> Request<Body> {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap()
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One multipart field: name, file name (for a file input), content.
pub(crate) struct Part<'a>(pub &'a str, pub Option<&'a str>, pub &'a [u8]);

/// A `multipart/form-data` POST, as a browser sends the check form.
pub(crate) fn post_multipart(uri: &str, parts: &[Part<'_>]) -> Request<Body> {
    let boundary = "----redflagtestboundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for Part(name, file, content) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap()
}

/// The empty file input a browser sends when no file was chosen.
pub(crate) const NO_FILE: &[u8] = b"";

/// The text inside the element with this id (first match), tags stripped.
pub(crate) fn element<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let start = html.find(&format!("id=\"{id}\""))?;
    let open_end = start + html[start..].find('>')? + 1;
    let tag_start = html[..start].rfind('<')?;
    let tag: String = html[tag_start + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let close = format!("</{tag}>");
    // Same-name nesting is not used inside the elements this looks at.
    let end = open_end + html[open_end..].find(&close)?;
    Some(&html[open_end..end])
}
