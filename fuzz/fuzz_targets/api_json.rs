//! The API's JSON body through the server itself, in process (no socket): the router,
//! body limit, JSON extraction (`CheckRequest`), `into_input`, the check (on the request's
//! thread up to 16 KiB, else on an analysis thread), the assessment and the report
//! endpoints. A panic in the analysis becomes a 500 answer on either thread, so any 500 is
//! a crash here.
//!
//! The endpoint is picked by the input's length, so the bytes are the body exactly (seeds
//! are plain JSON bodies).
#![no_main]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use libfuzzer_sys::fuzz_target;
use redflag_engine::Engine;
use redflag_server::{AppState, app};
use std::sync::OnceLock;
use tower::ServiceExt;

struct Server {
    rt: tokio::runtime::Runtime,
    app: axum::Router,
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .max_blocking_threads(1)
            .build()
            .expect("runtime");
        let engine = Engine::default();
        engine.warm_up();
        // No store, no token, no rate limit.
        let app = app(AppState::new(engine, None, None, 0));
        Server { rt, app }
    })
}

const PATHS: [&str; 9] = [
    "/api/v1/check",
    "/api/v1/check",
    "/api/v1/check",
    "/api/v1/check",
    "/api/v1/assess",
    "/api/v1/report/amazon",
    "/api/v1/report/ftc",
    "/api/v1/report/sms7726",
    "/api/v1/report/hotline",
];

// Built before libFuzzer starts its clock: the first input would otherwise take over the
// 1 s timeout.
fuzz_target!(init: { server(); }, |data: &[u8]| {
    redflag_fuzz::allow_caught_parser_panics();
    let s = server();
    let path = PATHS[data.len() % PATHS.len()];
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(data.to_vec()))
        .expect("request");
    let status = s.rt.block_on(async {
        let res = s.app.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let body = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .expect("body");
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            panic!("500 from {path}: {}", String::from_utf8_lossy(&body));
        }
        status
    });
    assert!(
        status.is_success() || status.is_client_error(),
        "{path}: unexpected status {status}"
    );
});
