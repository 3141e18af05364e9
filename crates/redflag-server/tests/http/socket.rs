//! Over a real loopback socket: the served app, client addresses for the rate limit, and a
//! graceful shutdown that lets a request in flight save its case.

use crate::*;
use redflag_server::serve_with;
use serde_json::json;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// Sends raw HTTP/1.1 (closing the connection) and returns the status and the body.
async fn raw_request(addr: SocketAddr, head: &str, body: &[u8]) -> (u16, String) {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(body).await.unwrap();
    read_answer(s).await
}

async fn read_answer(mut s: TcpStream) -> (u16, String) {
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.expect("read");
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status in {text:?}"));
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn post_head(path: &str, len: usize, extra: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {len}\r\nConnection: close\r\n{extra}\r\n"
    )
}

#[tokio::test]
async fn served_over_loopback_with_graceful_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cases.db");
    let store = Store::open(db.to_str().unwrap()).await.unwrap();
    let state = AppState::new(
        redflag_engine::Engine::default(),
        Some(store),
        Some(TOKEN),
        2,
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve_with(listener, state, async {
        let _ = stop_rx.await;
    }));

    // The page and the API answer over the socket.
    let (status, body) = raw_request(
        addr,
        "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        b"",
    )
    .await;
    assert_eq!(status, 200);
    assert!(body.contains("id=\"check-form\""));
    let check =
        json!({"text": "Amazon: your account is locked. Call 1-888-555-0199 now."}).to_string();
    let (status, body) = raw_request(
        addr,
        &post_head("/api/v1/check", check.len(), ""),
        check.as_bytes(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"verdict\":\"scam\""));
    // The rate limit sees the client's address: the third check within a minute is refused.
    let (status, _) = raw_request(
        addr,
        &post_head("/api/v1/check", check.len(), ""),
        check.as_bytes(),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = raw_request(
        addr,
        &post_head("/api/v1/check", check.len(), ""),
        check.as_bytes(),
    )
    .await;
    assert_eq!(status, 429, "{body}");

    // A case request in flight when the shutdown starts still completes and is stored:
    // send the headers and half the body, stop the server, then send the rest.
    let case = json!({"text": fixture_text("sms/scam-otp-request.txt"), "sender": "+17185550163", "consent": true}).to_string();
    let mut s = TcpStream::connect(addr).await.unwrap();
    let head = post_head(
        "/api/v1/cases",
        case.len(),
        &format!("Authorization: Bearer {TOKEN}\r\n"),
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let (first, rest) = case.as_bytes().split_at(case.len() / 2);
    s.write_all(first).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop_tx.send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    s.write_all(rest).await.unwrap();
    let (status, body) = read_answer(s).await;
    assert_eq!(status, 201, "{body}");
    let id = serde_json::from_str::<serde_json::Value>(&body).unwrap()["id"]
        .as_i64()
        .unwrap();

    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("the server stops")
        .unwrap()
        .expect("a clean stop");
    // New connections are refused once it stopped.
    assert!(TcpStream::connect(addr).await.is_err());
    // The case is on disk.
    let store = Store::open(db.to_str().unwrap()).await.unwrap();
    let saved = store.get_case(redflag_store::CaseId(id)).await.unwrap();
    assert!(saved.is_some(), "the case saved during shutdown is kept");
    store.close().await;
}

/// The accept loop runs as a task of its own (on the runtime's workers); dropping the
/// future of `serve_with` still stops it and closes the listener, as when the loop ran
/// inside that future: a caller that gives up on the server does not leave it listening.
#[tokio::test]
async fn dropping_the_serve_future_closes_the_listener() {
    let state = AppState::new(redflag_engine::Engine::default(), None, None, 0);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(serve_with(listener, state, std::future::pending()));
    let health = "GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    let (status, _) = raw_request(addr, health, b"").await;
    assert_eq!(status, 200);

    server.abort();
    assert!(server.await.unwrap_err().is_cancelled());
    // The listener is closed once the accept task has seen its abort.
    let mut refused = false;
    for _ in 0..100 {
        if TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        refused,
        "the server still accepts connections after its future was dropped"
    );
}
