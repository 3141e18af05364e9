//! The milter, driven over a socket by indymilter-test's MTA side, as Postfix would.

use indymilter_test::{
    Actions, EomAction, EomActions, ProtoOpts, Status, TestConnection, TestResult, any,
};
use redflag_engine::{Engine, Verdict};
use redflag_mailflow::{
    ListenAddr, MilterListener, MilterOptions, MilterStats, StampOptions, check_bytes, run_milter,
};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/email")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

struct Milter {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<MilterStats, redflag_mailflow::MilterError>>,
}

impl Milter {
    async fn start(opts: MilterOptions) -> Milter {
        let listener = MilterListener::bind(&"inet:0@127.0.0.1".parse().unwrap(), 0o660)
            .await
            .unwrap();
        let ListenAddr::Inet(addr) = listener.local_addr().clone() else {
            panic!("not a TCP socket")
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let engine = Arc::new(Engine::default());
        let task = tokio::spawn(run_milter(listener, engine, opts, stopped));
        Milter { addr, stop, task }
    }

    /// A connection offering what Postfix 3 offers with `milter_protocol = 6`.
    async fn connect(&self) -> TestConnection {
        let mut conn = TestConnection::configure()
            .read_timeout(Duration::from_secs(120))
            .write_timeout(Duration::from_secs(120))
            .available_actions(Actions::all())
            .available_opts(ProtoOpts::all() - ProtoOpts::LEADING_SPACE)
            .open_tcp(self.addr)
            .await
            .unwrap();
        greet(&mut conn).await;
        conn
    }

    async fn stop(self) -> MilterStats {
        self.stop.send(()).unwrap();
        self.task.await.unwrap().unwrap()
    }
}

/// A message's header fields and body.
type Split = (Vec<(String, String)>, Vec<u8>);

/// The header fields of a raw message as an MTA hands them to a milter (continuation lines
/// joined with LF, the space after the colon dropped), and its body in CRLF.
fn split(raw: &[u8]) -> Split {
    let text = String::from_utf8_lossy(raw).replace("\r\n", "\n");
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = fields.last_mut() {
                v.push('\n');
                v.push_str(line);
            }
        } else if let Some((name, value)) = line.split_once(':') {
            fields.push((name.to_string(), value.trim_start().to_string()));
        }
    }
    (fields, body.replace('\n', "\r\n").into_bytes())
}

/// What an MTA sends once per connection: the client's address and its HELO.
async fn greet(conn: &mut TestConnection) {
    let opts = conn.negotiated_opts();
    if !opts.contains(ProtoOpts::NO_CONNECT) {
        conn.connect("client.example", [192, 0, 2, 1])
            .await
            .unwrap();
    }
    if !opts.contains(ProtoOpts::NO_HELO) {
        conn.helo("client.example").await.unwrap();
    }
}

/// MAIL, RCPT and DATA: a message begins.
async fn begin(conn: &mut TestConnection) -> TestResult<()> {
    let opts = conn.negotiated_opts();
    conn.mail(["<sender@example.com>"]).await?;
    if !opts.contains(ProtoOpts::NO_RCPT) {
        conn.rcpt(["<someone@example.net>"]).await?;
    }
    if !opts.contains(ProtoOpts::NO_DATA) {
        conn.data().await?;
    }
    Ok(())
}

/// Sends one message the way Postfix does with the options the milter asked for, and
/// returns the end-of-message actions and status.
async fn send(
    conn: &mut TestConnection,
    fields: &[(String, String)],
    body: &[u8],
) -> TestResult<(EomActions, Status)> {
    begin(conn).await?;
    for (name, value) in fields {
        conn.header(name.as_str(), value.as_str()).await?;
    }
    conn.eoh().await?;
    let status = conn.body(body.to_vec()).await?;
    assert!(
        matches!(status, Status::Continue | Status::Skip | Status::Noreply),
        "{status:?}"
    );
    conn.eom().await
}

async fn send_raw(conn: &mut TestConnection, raw: &[u8]) -> (EomActions, Status) {
    let (fields, body) = split(raw);
    send(conn, &fields, &body).await.unwrap()
}

fn added(actions: &EomActions) -> Vec<(String, String)> {
    actions
        .actions
        .iter()
        .filter_map(|a| match a {
            EomAction::AddHeader { name, value } => Some((
                name.to_string_lossy().into_owned(),
                value.to_string_lossy().into_owned(),
            )),
            _ => None,
        })
        .collect()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn a_scam_gets_the_same_fields_as_from_the_pipe_filter() {
    let milter = Milter::start(MilterOptions::default()).await;
    let mut conn = milter.connect().await;
    let raw = fixture("scam-account-locked.eml");
    let (actions, status) = send_raw(&mut conn, &raw).await;
    assert_eq!(status, Status::Continue);
    let fields = added(&actions);
    let expected = check_bytes(&Engine::default(), &raw, &StampOptions::default());
    assert_eq!(expected.verdict, Some(Verdict::Scam));
    let expected: Vec<(String, String)> = expected
        .fields
        .iter()
        .map(|(n, v)| (n.to_string(), v.clone()))
        .collect();
    // The milter folds long values with LF + tab, as the milter protocol wants.
    let unfolded: Vec<(String, String)> = fields
        .iter()
        .map(|(n, v)| (n.clone(), v.replace(",\n\t", ", ")))
        .collect();
    assert_eq!(unfolded, expected);
    assert!(
        !actions
            .actions
            .iter()
            .any(|a| matches!(a, EomAction::Quarantine { .. })),
        "{actions:?}"
    );
    conn.close().await.unwrap();
    let stats = milter.stop().await;
    assert_eq!(stats.messages, 1);
    assert_eq!(stats.checked, 1);
    assert_eq!(stats.flagged, 1);
}

#[tokio::test]
async fn every_stage_stays_on_and_answered() {
    // Postfix writes a stage's macros even when the stage is off (NO_RCPT, NO_DATA), and
    // with nothing to answer its next write waited for a delayed ACK: 40 ms a message.
    let milter = Milter::start(MilterOptions::default()).await;
    let conn = milter.connect().await;
    assert_eq!(conn.negotiated_opts(), ProtoOpts::SKIP);
    assert_eq!(
        conn.negotiated_actions(),
        Actions::ADD_HEADER
            | Actions::CHANGE_HEADER
            | Actions::QUARANTINE
            | Actions::REQUEST_MACROS
    );
    conn.close().await.unwrap();
    milter.stop().await;
}

#[tokio::test]
async fn reject_at_refuses_a_scam_with_550_and_lets_a_genuine_message_through() {
    let milter = Milter::start(MilterOptions {
        reject_at: Some(70),
        ..MilterOptions::default()
    })
    .await;
    let mut conn = milter.connect().await;
    let (actions, status) = send_raw(&mut conn, &fixture("scam-account-locked.eml")).await;
    let Status::Reject {
        message: Some(reply),
    } = &status
    else {
        panic!("not a reject with a reply: {status:?}");
    };
    let reply = reply.to_string_lossy();
    assert!(reply.starts_with("550 5.7.1 "), "{reply}");
    assert!(
        reply.contains("redflag") && reply.contains("verdict scam"),
        "{reply}"
    );
    assert!(!reply.contains("linda") && !reply.contains('@'), "{reply}");
    assert!(actions.actions.is_empty(), "{actions:?}");

    // The same connection, the next message.
    let (actions, status) = send_raw(&mut conn, &fixture("legit-amazon-order.eml")).await;
    assert_eq!(status, Status::Continue);
    assert!(actions.has_add_header("X-Redflag-Verdict", "clean"));
    assert!(actions.has_add_header("X-Redflag-Flags", any()));
    conn.close().await.unwrap();
    let stats = milter.stop().await;
    assert_eq!((stats.messages, stats.rejected, stats.flagged), (2, 1, 1));
}

#[tokio::test]
async fn quarantine_at_holds_a_scam_and_says_why() {
    let milter = Milter::start(MilterOptions {
        quarantine_at: Some(70),
        stamp: StampOptions {
            subject_tag: Some("[SCAM?]".into()),
            ..StampOptions::default()
        },
        ..MilterOptions::default()
    })
    .await;
    let mut conn = milter.connect().await;
    let (actions, status) = send_raw(&mut conn, &fixture("scam-account-locked.eml")).await;
    assert_eq!(status, Status::Continue);
    assert!(actions.has_quarantine(any()));
    let reason = actions.actions.iter().find_map(|a| match a {
        EomAction::Quarantine { reason } => Some(reason.to_string_lossy().into_owned()),
        _ => None,
    });
    assert!(
        reason
            .as_deref()
            .is_some_and(|r| r.starts_with("redflag: verdict scam, score ")),
        "{reason:?}"
    );
    assert!(actions.has_add_header("X-Redflag-Verdict", "scam"));
    // The subject is tagged in place.
    let subject = actions.actions.iter().find_map(|a| match a {
        EomAction::ChangeHeader { name, index, value } if name.as_bytes() == b"Subject" => {
            Some((*index, value.to_string_lossy().into_owned()))
        }
        _ => None,
    });
    let (index, value) = subject.expect("the subject is not changed");
    assert_eq!(index, 1);
    assert!(value.starts_with("[SCAM?] "), "{value}");

    let (actions, _) = send_raw(&mut conn, &fixture("legit-amazon-order.eml")).await;
    assert!(actions.has_add_header("X-Redflag-Verdict", "clean"));
    assert!(
        !actions.actions.iter().any(|a| matches!(
            a,
            EomAction::Quarantine { .. } | EomAction::ChangeHeader { .. }
        )),
        "{actions:?}"
    );
    conn.close().await.unwrap();
    assert_eq!(milter.stop().await.quarantined, 1);
}

#[tokio::test]
async fn a_genuine_message_is_accepted_clean() {
    let milter = Milter::start(MilterOptions {
        reject_at: Some(70),
        quarantine_at: Some(40),
        ..MilterOptions::default()
    })
    .await;
    let mut conn = milter.connect().await;
    let (actions, status) = send_raw(&mut conn, &fixture("legit-amazon-order.eml")).await;
    assert_eq!(status, Status::Continue);
    let fields = added(&actions);
    assert_eq!(field(&fields, "X-Redflag-Verdict"), Some("clean"));
    assert!(field(&fields, "X-Redflag-Version").is_some_and(|v| v.starts_with("redflag ")));
    assert_eq!(
        actions.actions.len(),
        4,
        "only the four fields are added: {actions:?}"
    );
    conn.close().await.unwrap();
    milter.stop().await;
}

#[tokio::test]
async fn forged_fields_are_deleted_last_first() {
    let milter = Milter::start(MilterOptions::default()).await;
    let mut conn = milter.connect().await;
    let (mut fields, body) = split(&fixture("legit-amazon-order.eml"));
    fields.insert(1, ("X-Redflag-Verdict".into(), "clean".into()));
    fields.insert(3, ("x-redflag-score".into(), "0".into()));
    fields.push(("X-REDFLAG-VERDICT".into(), "clean\n\tfolded".into()));
    fields.push(("X-Redflagged".into(), "not ours".into()));
    let (actions, _) = send(&mut conn, &fields, &body).await.unwrap();
    let deleted: Vec<(String, i32)> = actions
        .actions
        .iter()
        .filter_map(|a| match a {
            EomAction::DeleteHeader { name, index } => {
                Some((name.to_string_lossy().into_owned(), *index))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        deleted,
        [
            ("X-Redflag-Verdict".to_string(), 2),
            ("X-Redflag-Verdict".to_string(), 1),
            ("x-redflag-score".to_string(), 1),
        ]
    );
    // Deletions come before the additions.
    assert!(matches!(
        actions.actions.first(),
        Some(EomAction::DeleteHeader { .. })
    ));
    assert!(actions.has_add_header("X-Redflag-Verdict", "clean"));
    conn.close().await.unwrap();
    milter.stop().await;
}

#[tokio::test]
async fn an_oversize_message_is_accepted_unchecked() {
    let milter = Milter::start(MilterOptions::default()).await;
    let mut conn = milter.connect().await;
    let (fields, mut body) = split(&fixture("scam-account-locked.eml"));
    let line = b"Call 1-888-555-0199 now to unlock your Amazon account.\r\n";
    while body.len() <= redflag_engine::MAX_INPUT_BYTES {
        body.extend_from_slice(line);
    }
    let (actions, status) = send(&mut conn, &fields, &body).await.unwrap();
    assert_eq!(status, Status::Continue);
    let added = added(&actions);
    assert_eq!(field(&added, "X-Redflag-Verdict"), Some("unchecked"));
    let note = field(&added, "X-Redflag-Note").unwrap_or_default();
    assert!(note.contains("25 MiB"), "{note}");
    assert!(field(&added, "X-Redflag-Score").is_none());

    // The connection is still good for the next message.
    let (actions, _) = send_raw(&mut conn, &fixture("scam-account-locked.eml")).await;
    assert!(actions.has_add_header("X-Redflag-Verdict", "scam"));
    conn.close().await.unwrap();
    let stats = milter.stop().await;
    assert_eq!((stats.messages, stats.checked, stats.unchecked), (2, 1, 1));
}

#[tokio::test]
async fn over_the_memory_budget_a_message_is_accepted_unchecked() {
    let milter = Milter::start(MilterOptions {
        max_buffered_bytes: 1000,
        ..MilterOptions::default()
    })
    .await;
    let mut conn = milter.connect().await;
    let (actions, status) = send_raw(&mut conn, &fixture("scam-account-locked.eml")).await;
    assert_eq!(status, Status::Continue);
    assert!(actions.has_add_header("X-Redflag-Verdict", "unchecked"));
    conn.close().await.unwrap();
    milter.stop().await;
}

#[tokio::test]
async fn an_mta_that_offers_only_the_basics_is_served() {
    // Sendmail-like: no protocol options, so every stage is sent and answered.
    let milter = Milter::start(MilterOptions::default()).await;
    let mut conn = TestConnection::configure()
        .read_timeout(Duration::from_secs(120))
        .available_actions(Actions::ADD_HEADER | Actions::CHANGE_HEADER)
        .open_tcp(milter.addr)
        .await
        .unwrap();
    greet(&mut conn).await;
    let (actions, status) = send_raw(&mut conn, &fixture("scam-account-locked.eml")).await;
    assert_eq!(status, Status::Continue);
    assert!(actions.has_add_header("X-Redflag-Verdict", "scam"));
    conn.close().await.unwrap();
    milter.stop().await;
}

#[tokio::test]
async fn an_aborted_message_leaves_nothing_behind() {
    let milter = Milter::start(MilterOptions::default()).await;
    let mut conn = milter.connect().await;
    let (fields, _) = split(&fixture("scam-account-locked.eml"));
    begin(&mut conn).await.unwrap();
    for (n, v) in &fields {
        conn.header(n.as_str(), v.as_str()).await.unwrap();
    }
    conn.abort().await.unwrap();
    let (actions, _) = send_raw(&mut conn, &fixture("legit-amazon-order.eml")).await;
    assert!(actions.has_add_header("X-Redflag-Verdict", "clean"));
    conn.close().await.unwrap();
    milter.stop().await;
}

#[tokio::test]
async fn a_unix_socket_is_made_writable_for_the_mta_and_removed_after() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("milter.sock");
    // A stale socket from a milter that died is replaced.
    drop(std::os::unix::net::UnixListener::bind(&path).unwrap());
    let addr: ListenAddr = format!("unix:{}", path.display()).parse().unwrap();
    let listener = MilterListener::bind(&addr, 0o660).await.unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o660);
    // One that a live milter listens on is not.
    assert!(MilterListener::bind(&addr, 0o660).await.is_err());
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(run_milter(
        listener,
        Arc::new(Engine::default()),
        MilterOptions::default(),
        stopped,
    ));
    let mut conn = TestConnection::configure()
        .read_timeout(Duration::from_secs(120))
        .available_actions(Actions::all())
        .available_opts(ProtoOpts::all() - ProtoOpts::LEADING_SPACE)
        .open_unix(&path)
        .await
        .unwrap();
    greet(&mut conn).await;
    let (actions, _) = send_raw(&mut conn, &fixture("legit-amazon-order.eml")).await;
    assert!(actions.has_add_header("X-Redflag-Verdict", "clean"));
    conn.close().await.unwrap();
    stop.send(()).unwrap();
    task.await.unwrap().unwrap();
    assert!(!path.exists(), "the socket is left behind");
}

#[tokio::test]
async fn shutdown_lets_a_message_being_answered_finish() {
    let milter = Milter::start(MilterOptions::default()).await;
    let mut conn = milter.connect().await;
    let (fields, body) = split(&fixture("scam-account-locked.eml"));
    begin(&mut conn).await.unwrap();
    for (n, v) in &fields {
        conn.header(n.as_str(), v.as_str()).await.unwrap();
    }
    conn.eoh().await.unwrap();
    conn.body(body).await.unwrap();
    // End of message and shutdown at once: the answer still comes.
    let Milter { stop, task, .. } = milter;
    let eom = tokio::spawn(async move {
        let r = conn.eom().await;
        (conn, r)
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.send(()).unwrap();
    let (_conn, r) = eom.await.unwrap();
    let (actions, _) = r.unwrap();
    assert!(actions.has_add_header("X-Redflag-Verdict", "scam"));
    let stats = task.await.unwrap().unwrap();
    assert_eq!(stats.messages, 1);
}

/// Messages per second through the milter alone (no MTA), 2 connections, the repository's
/// email fixtures cycled:
/// `cargo test --release -p redflag-mailflow --test milter -- --ignored --nocapture`
/// (`MILTER_BENCH_N` messages, 500 by default; `MILTER_BENCH_DIR` another folder of .eml).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a measurement, not a test"]
async fn throughput() {
    let n: usize = std::env::var("MILTER_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let dir = std::env::var("MILTER_BENCH_DIR").map_or_else(
        |_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/email"),
        PathBuf::from,
    );
    let mut messages: Vec<Split> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .map(|p| split(&std::fs::read(p).unwrap()))
        .collect();
    messages.sort();
    assert!(!messages.is_empty());
    let messages = Arc::new(messages);
    let milter = Milter::start(MilterOptions::default()).await;
    let started = std::time::Instant::now();
    let mut workers = Vec::new();
    for k in 0..2 {
        let mut conn = milter.connect().await;
        let messages = Arc::clone(&messages);
        workers.push(tokio::spawn(async move {
            let mut i = k;
            while i < n {
                let (fields, body) = &messages[i % messages.len()];
                send(&mut conn, fields, body).await.unwrap();
                i += 2;
            }
            conn.close().await.unwrap();
        }));
    }
    for w in workers {
        w.await.unwrap();
    }
    let secs = started.elapsed().as_secs_f64();
    let stats = milter.stop().await;
    let bytes: usize = messages.iter().map(|(f, b)| b.len() + f.len() * 40).sum();
    println!(
        "milter alone: {n} messages ({} distinct, ~{} KiB each) over 2 connections in {secs:.2} s: {:.1} messages/s; {stats:?}",
        messages.len(),
        bytes / messages.len() / 1024,
        n as f64 / secs
    );
}
