//! `redflag serve` as a process, under faults: killed with SIGKILL in the middle of case
//! writes, stopped and restarted, its SQLite store full, its PostgreSQL database gone.
//!
//! - A case is acknowledged when its `POST /api/v1/cases` got 201. After a SIGKILL and a
//!   restart, every acknowledged case must be readable, with its note.
//! - A full store or a database that went away answers 503 `store_unavailable` (the API's
//!   error shape, `Retry-After`), and the same server process saves again once it is back.
//!
//! SQLite always; PostgreSQL when `REDFLAG_TEST_POSTGRES_URL` is set (each test makes its
//! own schema or database and removes it).

use redflag_store::testing::{TestSchema, postgres_url};
use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TOKEN: &str = "faults-test-token-0123456789abcdef";
/// Case writes per kill test.
const WRITES: usize = 1000;
/// Clients writing at once.
const WRITERS: usize = 8;
/// Only a hung server takes this long.
const PATIENCE: Duration = Duration::from_secs(120);

struct Server {
    child: Child,
    addr: SocketAddr,
    log: std::path::PathBuf,
}

impl Server {
    /// Starts `redflag serve` on a free loopback port and waits until it answers.
    fn start(db: &str, extra: &[&str], log: &std::path::Path) -> Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_redflag"))
            .args(["serve", "--addr", &addr.to_string(), "--db", db])
            .args(["--rate-limit", "0", "--no-model"])
            .args(extra)
            .env("REDFLAG_TOKEN", TOKEN)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .expect("start redflag serve");
        let mut server = Server {
            child,
            addr,
            log: log.to_path_buf(),
        };
        let start = Instant::now();
        loop {
            if let Ok((200, _)) = request(addr, "GET", "/api/v1/health", None) {
                return server;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("the server exited ({status}):\n{}", server.log_text());
            }
            assert!(
                start.elapsed() < PATIENCE,
                "the server did not answer:\n{}",
                server.log_text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL: no chance to finish anything.
    fn kill9(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().unwrap();
    }

    /// SIGTERM, and a clean exit.
    fn stop(mut self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill -TERM");
        assert!(status.success());
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(
                    status.success(),
                    "stopped with {status}:\n{}",
                    self.log_text()
                );
                return;
            }
            assert!(start.elapsed() < PATIENCE, "the server does not stop");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request on its own connection; the status and the body.
fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    let body = body.unwrap_or("");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes())?;
    s.write_all(body.as_bytes())?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf)?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status in {text:?}")))?;
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    // The answers here are small and not chunked, except the CSV export (not used).
    let _ = head;
    Ok((status, body.to_string()))
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

fn case_body(note: &str) -> String {
    serde_json::json!({
        "text": "Amazon: your account is locked. Call 1-888-555-0199 now to avoid a $499 charge.",
        "sender": "+14155550182",
        "consent": true,
        "note": note,
    })
    .to_string()
}

/// Saves one case; `Some(id)` when acknowledged (201).
fn save(addr: SocketAddr, note: &str) -> Result<Option<i64>, String> {
    match request(addr, "POST", "/api/v1/cases", Some(&case_body(note))) {
        Ok((201, body)) => Ok(Some(json(&body)["id"].as_i64().expect("an id"))),
        Ok((status, body)) => Err(format!("{status}: {body}")),
        // The connection failed: not acknowledged.
        Err(_) => Ok(None),
    }
}

/// `WRITERS` clients save cases concurrently, `total` attempts in all; `kill` runs on this
/// thread once `kill_after` of them are acknowledged. Returns the acknowledged (id, note)
/// pairs and how many writes were in flight when `kill` ran.
fn write_cases(
    addr: SocketAddr,
    tag: &str,
    total: usize,
    kill_after: Option<usize>,
    kill: impl FnOnce(),
) -> (Vec<(i64, String)>, usize) {
    let next = Arc::new(AtomicUsize::new(0));
    let acked = Arc::new(Mutex::new(Vec::new()));
    let mut writers = Vec::new();
    for _ in 0..WRITERS {
        let next = next.clone();
        let acked = acked.clone();
        let tag = tag.to_string();
        writers.push(std::thread::spawn(move || {
            loop {
                let n = next.fetch_add(1, Ordering::SeqCst);
                if n >= total {
                    break;
                }
                let note = format!("{tag}-{n}");
                match save(addr, &note) {
                    Ok(Some(id)) => acked.lock().unwrap().push((id, note)),
                    Ok(None) => {}
                    Err(e) => panic!("case {n}: unexpected answer {e}"),
                }
            }
        }));
    }
    let mut kill = Some(kill);
    let mut in_flight = 0;
    if let Some(after) = kill_after {
        let start = Instant::now();
        while acked.lock().unwrap().len() < after {
            assert!(start.elapsed() < PATIENCE, "writes too slow");
            std::thread::sleep(Duration::from_millis(1));
        }
        // Writes started and not yet acknowledged when the signal goes.
        in_flight = next.load(Ordering::SeqCst) - acked.lock().unwrap().len();
        (kill.take().unwrap())();
    }
    for w in writers {
        w.join().expect("a writer panicked");
    }
    let acked = acked.lock().unwrap().clone();
    (acked, in_flight)
}

/// Every acknowledged case is there, with its note.
fn assert_all_readable(addr: SocketAddr, acked: &[(i64, String)]) {
    for (id, note) in acked {
        let (status, body) =
            request(addr, "GET", &format!("/api/v1/cases/{id}"), None).expect("read a case");
        assert_eq!(status, 200, "acknowledged case {id} is missing: {body}");
        assert_eq!(json(&body)["note"], note.as_str(), "case {id}");
    }
}

/// How many cases the store holds.
fn count_cases(addr: SocketAddr) -> usize {
    let mut n = 0;
    let mut offset = 0;
    loop {
        let (status, body) = request(
            addr,
            "GET",
            &format!("/api/v1/cases?limit=500&offset={offset}"),
            None,
        )
        .unwrap();
        assert_eq!(status, 200, "{body}");
        let page = json(&body)["cases"].as_array().unwrap().len();
        n += page;
        offset += 500;
        if page < 500 {
            return n;
        }
    }
}

/// SIGKILL in the middle of `WRITES` concurrent case writes, restart, check every
/// acknowledged case; then a clean restart keeps every case.
fn kill_during_writes(db: &str, dir: &std::path::Path) {
    let log = dir.join("server.log");
    let server = Server::start(db, &[], &log);
    let addr = server.addr;
    let mut server = Some(server);
    let (acked, in_flight) = write_cases(addr, "kill", WRITES, Some(WRITES * 2 / 5), || {
        server.take().unwrap().kill9()
    });
    eprintln!(
        "kill -9 during writes ({db_kind}): SIGKILL with {in_flight} writes in flight; {} of {WRITES} acknowledged in all",
        acked.len(),
        db_kind = if db.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        },
    );
    assert!(acked.len() >= WRITES * 2 / 5);
    assert!(in_flight > 0, "the kill came while writes were in flight");

    // Restart on the same store: every acknowledged case is there.
    let server = Server::start(db, &[], &log);
    assert_all_readable(server.addr, &acked);
    let after_kill = count_cases(server.addr);
    assert!(after_kill >= acked.len());
    // Writes go on after the restart.
    let (more, _) = write_cases(server.addr, "after", 50, None, || {});
    assert_eq!(more.len(), 50);
    server.stop();

    // A clean restart keeps every case.
    let server = Server::start(db, &[], &log);
    assert_eq!(count_cases(server.addr), after_kill + 50);
    assert_all_readable(server.addr, &acked);
    assert_all_readable(server.addr, &more);
    server.stop();
    eprintln!(
        "kill -9 during writes: 0 of {} acknowledged cases lost; {} cases after restarts",
        acked.len(),
        after_kill + 50
    );
}

#[test]
fn sqlite_kill9_during_writes_loses_no_acknowledged_case() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cases.db");
    kill_during_writes(db.to_str().unwrap(), dir.path());
}

#[test]
fn postgres_kill9_during_writes_loses_no_acknowledged_case() {
    let Some(url) = postgres_url("postgres_kill9_during_writes_loses_no_acknowledged_case") else {
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let schema = rt.block_on(TestSchema::create(&url)).expect("schema");
    let dir = tempfile::tempdir().unwrap();
    kill_during_writes(&schema.url, dir.path());
    rt.block_on(schema.drop_schema()).expect("drop schema");
}

/// Saves until the answer is not 201; that answer must be 503 `store_unavailable`.
fn assert_store_unavailable(addr: SocketAddr, note: &str) {
    let (status, body) = request(addr, "POST", "/api/v1/cases", Some(&case_body(note)))
        .expect("an answer, not a dropped connection");
    assert_eq!(status, 503, "{body}");
    let j = json(&body);
    assert_eq!(j["error"]["code"], "store_unavailable", "{body}");
    assert!(
        j["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
}

/// Saves again and again until one is acknowledged (the pool may take a moment to open new
/// connections); every answer before that is 503 `store_unavailable`.
fn save_when_back(addr: SocketAddr, note: &str) -> i64 {
    let start = Instant::now();
    loop {
        let (status, body) =
            request(addr, "POST", "/api/v1/cases", Some(&case_body(note))).expect("an answer");
        match status {
            201 => return json(&body)["id"].as_i64().unwrap(),
            503 => assert_eq!(json(&body)["error"]["code"], "store_unavailable", "{body}"),
            _ => panic!("{status}: {body}"),
        }
        assert!(start.elapsed() < PATIENCE, "the store did not come back");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn sqlite_full_gives_503_and_recovers_without_restart() {
    // The store may grow to 2 MiB (`--sqlite-max-mib`, SQLite's max_page_count): the same
    // SQLITE_FULL a full disk gives. Another program then takes the rest of the room (a
    // ballast table written through its own connection, which has no cap), and later frees
    // it again, as an operator frees disk space.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cases.db");
    let db = db.to_str().unwrap();
    let server = Server::start(
        db,
        &["--sqlite-max-mib", "2"],
        &dir.path().join("server.log"),
    );
    let addr = server.addr;
    let before = save(addr, "before").unwrap().expect("saved");

    let rt = tokio::runtime::Runtime::new().unwrap();
    let ballast = |sql: &'static str| {
        rt.block_on(async {
            use sqlx::Connection as _;
            let opts = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(db)
                .busy_timeout(Duration::from_secs(10));
            let mut conn = sqlx::SqliteConnection::connect_with(&opts).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
            conn.close().await.unwrap();
        })
    };
    // 3 MiB of ballast: past the 2 MiB cap, with no free page left.
    ballast(
        "CREATE TABLE ballast (b BLOB); \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 768) \
         INSERT INTO ballast SELECT zeroblob(4000) FROM n; PRAGMA wal_checkpoint(TRUNCATE);",
    );

    // Full: 503 store_unavailable, with Retry-After, again and again; reading still works.
    for i in 0..3 {
        assert_store_unavailable(addr, &format!("full-{i}"));
    }
    let (status, _) = request(addr, "GET", "/api/v1/cases", None).unwrap();
    assert_eq!(status, 200, "reading works on a full store");
    // The public check does not need the store.
    let (status, _) = request(
        addr,
        "POST",
        "/api/v1/check",
        Some(r#"{"text": "Amazon: your account is locked. Call 1-888-555-0199 now."}"#),
    )
    .unwrap();
    assert_eq!(status, 200);

    // Room again: the same process saves.
    ballast("DELETE FROM ballast;");
    let after = save_when_back(addr, "after");
    assert!(after > before);
    let n = count_cases(addr);
    assert_eq!(n, 2, "the refused saves left nothing behind");
    server.stop();

    // And a restart keeps both.
    let server = Server::start(db, &[], &dir.path().join("server.log"));
    assert_all_readable(
        server.addr,
        &[(before, "before".into()), (after, "after".into())],
    );
    server.stop();
}

#[test]
fn postgres_gone_gives_503_and_recovers_without_restart() {
    let Some(url) = postgres_url("postgres_gone_gives_503_and_recovers_without_restart") else {
        return;
    };
    // A database of its own, so that refusing its connections disturbs no other test.
    let name = format!("redflag_faults_{}", std::process::id());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let admin = |sql: String| {
        rt.block_on(async {
            use sqlx::Connection as _;
            let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut conn)
                .await
                .unwrap();
            conn.close().await.unwrap();
        })
    };
    admin(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    admin(format!("CREATE DATABASE {name}"));
    let db_url = match url.rfind('/') {
        Some(i) => {
            let rest = &url[i + 1..];
            let query = rest.find('?').map_or("", |q| &rest[q..]);
            format!("{}/{name}{query}", &url[..i])
        }
        None => panic!("no database in {url}"),
    };

    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&db_url, &[], &dir.path().join("server.log"));
    let addr = server.addr;
    let before = save(addr, "before").unwrap().expect("saved");

    // The database goes away: it refuses new connections and every open one is ended.
    admin(format!(
        "ALTER DATABASE {name} ALLOW_CONNECTIONS false; \
         SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
    ));
    for i in 0..3 {
        assert_store_unavailable(addr, &format!("gone-{i}"));
    }
    let (status, body) = request(addr, "GET", "/api/v1/cases", None).unwrap();
    assert_eq!(status, 503, "{body}");
    assert_eq!(json(&body)["error"]["code"], "store_unavailable");

    // Back: the same process saves and reads again.
    admin(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"));
    let after = save_when_back(addr, "after");
    assert_all_readable(addr, &[(before, "before".into()), (after, "after".into())]);
    assert_eq!(
        count_cases(addr),
        2,
        "the refused saves left nothing behind"
    );
    server.stop();
    admin(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
}
