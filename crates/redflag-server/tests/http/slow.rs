//! Slow and numerous clients over a real loopback socket: connections that dribble their
//! headers or their body are cut off after the timeouts, a normal client is answered while
//! they hang on, and connections over the cap get 503 `overloaded` at once. The timeouts are
//! short here; the assertions are on what the server does, with only generous upper bounds
//! on time (a slow machine makes them slower, never wrong).

use crate::*;
use redflag_server::{Limits, serve_with};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// Far above anything the server should need: only a hung server reaches it.
const PATIENCE: Duration = Duration::from_secs(20);

struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<Result<(), redflag_server::ServerError>>,
}

impl Server {
    async fn start(limits: Limits) -> Server {
        let state =
            AppState::new(redflag_engine::Engine::default(), None, None, 0).with_limits(limits);
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(serve_with(listener, state, async {
            let _ = stopped.await;
        }));
        Server {
            addr,
            stop: Some(stop),
            task,
        }
    }

    /// Stops the server and checks that it stops, slow clients or not.
    async fn stop(mut self) {
        self.stop.take().unwrap().send(()).unwrap();
        tokio::time::timeout(PATIENCE, self.task)
            .await
            .expect("the server stops even with slow clients connected")
            .unwrap()
            .expect("a clean stop");
    }
}

/// Reads one HTTP/1.1 answer (head and a `Content-Length` body) from a connection that may
/// stay open; `None` when the server closed the connection first.
async fn read_response(s: &mut TcpStream) -> Option<(u16, String)> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        match s.read(&mut byte).await {
            Ok(0) | Err(_) => return None,
            Ok(_) => buf.push(byte[0]),
        }
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let len: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).await.ok()?;
    Some((status, String::from_utf8_lossy(&body).into_owned()))
}

/// A GET of the health endpoint on an open (kept-alive) connection.
async fn health_on(s: &mut TcpStream) -> (u16, String) {
    s.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    read_response(s).await.expect("an answer")
}

/// A GET on a fresh connection, as a normal client does it.
async fn get_health(addr: SocketAddr) -> (u16, String) {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    health_on(&mut s).await
}

/// True when a fresh client gets a 200 from the health endpoint within [`PATIENCE`],
/// asking again every 20 ms.
async fn served_within_patience(addr: SocketAddr) -> bool {
    tokio::time::timeout(PATIENCE, async {
        while get_health(addr).await.0 != 200 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .is_ok()
}

/// True once the server has closed the connection (end of file or reset), reading and
/// ignoring anything it sent first.
async fn closed_by_server(s: &mut TcpStream) -> bool {
    let mut buf = [0u8; 1024];
    loop {
        match s.read(&mut buf).await {
            Ok(0) | Err(_) => return true,
            Ok(_) => {}
        }
    }
}

/// A connection that sent part of a request head and then goes quiet.
async fn slow_head(addr: SocketAddr) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(b"POST /api/v1/check HTTP/1.1\r\nHost: localhost\r\nX-Slow: a")
        .await
        .unwrap();
    s
}

/// A connection that sent its head and a few bytes of a promised 1,000-byte body.
async fn slow_body(addr: SocketAddr) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(
        b"POST /api/v1/check HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"text\": \"Amazon",
    )
    .await
    .unwrap();
    s
}

#[tokio::test]
async fn slow_clients_are_cut_off_and_others_are_served() {
    let server = Server::start(Limits {
        max_connections: 16,
        header_timeout: Duration::from_millis(600),
        body_timeout: Duration::from_millis(600),
    })
    .await;
    let addr = server.addr;
    let mut heads = Vec::new();
    let mut bodies = Vec::new();
    for _ in 0..5 {
        heads.push(slow_head(addr).await);
        bodies.push(slow_body(addr).await);
    }

    // With ten slow connections open, a normal client still gets its answer.
    let (status, body) = tokio::time::timeout(PATIENCE, get_health(addr))
        .await
        .expect("a normal client is answered while slow ones hang on");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"status\":\"ok\""), "{body}");
    // And a check with a body.
    let check =
        serde_json::json!({"text": "Amazon: your account is locked. Call 1-888-555-0199 now."})
            .to_string();
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(
        format!(
            "POST /api/v1/check HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{check}",
            check.len()
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    let (status, body) = tokio::time::timeout(PATIENCE, read_response(&mut s))
        .await
        .expect("answered")
        .expect("an answer");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"verdict\":\"scam\""));

    // A head that does not arrive in time: the server closes the connection.
    for s in &mut heads {
        assert!(
            tokio::time::timeout(PATIENCE, closed_by_server(s))
                .await
                .expect("a slow head is cut off after the header timeout"),
        );
    }
    // A body that does not arrive in time: 408 `body_timeout` in the API's error shape, then
    // the connection closes.
    for s in &mut bodies {
        let (status, body) = tokio::time::timeout(PATIENCE, read_response(s))
            .await
            .expect("a slow body is cut off after the body timeout")
            .expect("an answer before the close");
        assert_eq!(status, 408, "{body}");
        let j: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!(j["error"]["code"], "body_timeout", "{body}");
        assert!(
            tokio::time::timeout(PATIENCE, closed_by_server(s))
                .await
                .unwrap()
        );
    }

    // Dribbling does not reset the header timeout: a byte at a time, forever, is cut off.
    let mut s = slow_head(addr).await;
    let dribble = tokio::time::timeout(PATIENCE, async {
        loop {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if s.write_all(b"a").await.is_err() {
                break;
            }
            let mut probe = [0u8; 64];
            if let Ok(Ok(0) | Err(_)) =
                tokio::time::timeout(Duration::from_millis(1), s.read(&mut probe)).await
            {
                break;
            }
        }
    })
    .await;
    assert!(dribble.is_ok(), "a dribbled head is cut off");

    // An idle keep-alive connection is closed after the header timeout too.
    let mut idle = TcpStream::connect(addr).await.unwrap();
    assert_eq!(health_on(&mut idle).await.0, 200);
    assert!(
        tokio::time::timeout(PATIENCE, closed_by_server(&mut idle))
            .await
            .expect("an idle keep-alive connection is closed")
    );

    // The server stops promptly with a slow client connected.
    let _lingering = slow_head(addr).await;
    server.stop().await;
}

#[tokio::test]
async fn connections_over_the_cap_get_503_until_a_place_frees() {
    let server = Server::start(Limits {
        max_connections: 3,
        header_timeout: Duration::from_secs(60),
        body_timeout: Duration::from_secs(60),
    })
    .await;
    let addr = server.addr;
    // Three keep-alive connections, each answered once and then idle: every place taken.
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        assert_eq!(health_on(&mut s).await.0, 200);
        held.push(s);
    }

    // A fourth gets 503 `overloaded` at once, in the API's error shape, and is closed.
    let (status, body) = tokio::time::timeout(PATIENCE, get_health(addr))
        .await
        .expect("an over-the-cap connection is answered, not left waiting");
    assert_eq!(status, 503, "{body}");
    let j: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(j["error"]["code"], "overloaded");
    assert!(
        j["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );

    // One client leaves: its place frees, and a new client is served.
    drop(held.pop());
    let served = served_within_patience(addr).await;
    assert!(served, "a freed place is given to a new client");
    server.stop().await;
}

#[tokio::test]
async fn slow_heads_free_their_places() {
    // Two places, both taken by slow heads: once the header timeout cuts them off, a normal
    // client is served.
    let server = Server::start(Limits {
        max_connections: 2,
        header_timeout: Duration::from_millis(400),
        body_timeout: Duration::from_secs(60),
    })
    .await;
    let addr = server.addr;
    let mut slow = vec![slow_head(addr).await, slow_head(addr).await];
    for s in &mut slow {
        assert!(
            tokio::time::timeout(PATIENCE, closed_by_server(s))
                .await
                .expect("cut off")
        );
    }
    let served = served_within_patience(addr).await;
    assert!(served, "the places of cut-off clients are given back");
    server.stop().await;
}
