//! The milter: Postfix or Sendmail hands each message over the milter protocol
//! ([indymilter](https://crates.io/crates/indymilter)), and redflag answers with the same
//! header fields the pipe filter adds (removing the message's own `X-Redflag-*` fields, which
//! anyone can forge), and, when asked, rejects or quarantines a message whose score is high
//! enough.
//!
//! A message that cannot be checked (too big, the milter busy, the check too slow or failing)
//! is accepted with `X-Redflag-Verdict: unchecked` and a note: redflag never makes mail wait
//! or bounce because of itself.

use crate::filter::check_bytes;
use crate::stamp::{FIELD_PREFIX, Stamp, StampOptions, ascii_line, fold};
use indymilter::{
    Actions, Callbacks, Config, ContextActions, EitherListener, EitherStream, EomContext, Listener,
    MacroStage, NegotiateContext, ProtoOpts, SetErrorReply, Status,
};
use redflag_engine::{Engine, MAX_INPUT_BYTES};
use std::ffi::{CStr, CString};
use std::fmt;
use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context as TaskContext, Poll, ready};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream, UnixListener, UnixStream};
use tokio::sync::Semaphore;
use tracing::{info, warn};

/// Where the milter listens, in the notation of Postfix's `smtpd_milters` and Sendmail's
/// `InputMailFilters`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListenAddr {
    /// `inet:PORT@HOST` (also `inet:HOST:PORT`, `inet6:PORT@[::1]`); HOST is an IP address
    /// or `localhost`. Port 0 picks a free port.
    Inet(SocketAddr),
    /// `unix:/path/to.sock` (also `local:`).
    Unix(PathBuf),
}

impl FromStr for ListenAddr {
    type Err = MilterError;

    fn from_str(s: &str) -> Result<ListenAddr, MilterError> {
        let bad = |why: &'static str| MilterError::Address {
            addr: s.to_string(),
            why,
        };
        if let Some(path) = s.strip_prefix("unix:").or_else(|| s.strip_prefix("local:")) {
            if path.is_empty() {
                return Err(bad("no socket path after `unix:`"));
            }
            return Ok(ListenAddr::Unix(PathBuf::from(path)));
        }
        let Some(rest) = s.strip_prefix("inet:").or_else(|| s.strip_prefix("inet6:")) else {
            return Err(bad(
                "expected inet:PORT@HOST (inet:11332@127.0.0.1) or unix:/path/to.sock",
            ));
        };
        if let Some((port, host)) = rest.split_once('@') {
            let port: u16 = port.parse().map_err(|_| bad("the port is not a number"))?;
            let host = host.trim_start_matches('[').trim_end_matches(']');
            let ip: IpAddr = if host.eq_ignore_ascii_case("localhost") {
                IpAddr::V4(Ipv4Addr::LOCALHOST)
            } else {
                host.parse()
                    .map_err(|_| bad("the host is not an IP address (nor localhost)"))?
            };
            return Ok(ListenAddr::Inet(SocketAddr::new(ip, port)));
        }
        rest.parse::<SocketAddr>()
            .map(ListenAddr::Inet)
            .map_err(|_| {
                bad("say which address to listen on: inet:PORT@HOST, inet:PORT@0.0.0.0 for all")
            })
    }
}

impl fmt::Display for ListenAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ListenAddr::Inet(a) if a.is_ipv6() => write!(f, "inet6:{}@[{}]", a.port(), a.ip()),
            ListenAddr::Inet(a) => write!(f, "inet:{}@{}", a.port(), a.ip()),
            ListenAddr::Unix(p) => write!(f, "unix:{}", p.display()),
        }
    }
}

/// Why the milter could not start or stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MilterError {
    /// The listen address is not one the milter understands.
    #[error("bad milter address `{addr}`: {why}")]
    Address {
        /// The address as given.
        addr: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// The socket could not be opened.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: String,
        /// The error.
        #[source]
        source: io::Error,
    },
    /// The listening socket failed for good (not a transient error such as too many open
    /// files, which the milter waits out).
    #[error("the milter cannot accept connections any more: {0}")]
    Accept(#[source] io::Error),
}

/// A listening socket for [`run_milter`]. A Unix socket it created is removed when it is
/// dropped.
#[derive(Debug)]
pub struct MilterListener {
    inner: EitherListener<TcpListener, UnixListener>,
    addr: ListenAddr,
    created: Option<PathBuf>,
}

impl MilterListener {
    /// Opens the socket. A Unix socket gets the permissions `mode` (the MTA's user must be
    /// able to write to it: Postfix runs as `postfix`); a stale socket file left by a milter
    /// that died is replaced, one that another process still listens on is not.
    pub async fn bind(addr: &ListenAddr, mode: u32) -> Result<MilterListener, MilterError> {
        let failed = |source: io::Error| MilterError::Bind {
            addr: addr.to_string(),
            source,
        };
        match addr {
            ListenAddr::Inet(sa) => {
                let l = TcpListener::bind(sa).await.map_err(failed)?;
                let local = l.local_addr().map_err(failed)?;
                Ok(MilterListener {
                    inner: EitherListener::Tcp(l),
                    addr: ListenAddr::Inet(local),
                    created: None,
                })
            }
            ListenAddr::Unix(path) => {
                remove_stale_socket(path).map_err(failed)?;
                let l = UnixListener::bind(path).map_err(failed)?;
                let listener = MilterListener {
                    inner: EitherListener::Unix(l),
                    addr: addr.clone(),
                    created: Some(path.clone()),
                };
                use std::os::unix::fs::PermissionsExt as _;
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
                    .map_err(failed)?;
                Ok(listener)
            }
        }
    }

    /// Where it listens (with the port picked when port 0 was asked for).
    pub fn local_addr(&self) -> &ListenAddr {
        &self.addr
    }
}

impl Drop for MilterListener {
    fn drop(&mut self) {
        if let Some(path) = &self.created {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn remove_stale_socket(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::FileTypeExt as _;
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    if !meta.file_type().is_socket() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "the path exists and is not a socket",
        ));
    }
    match std::os::unix::net::UnixStream::connect(path) {
        Ok(_) => Err(io::Error::new(
            io::ErrorKind::AddrInUse,
            "another process is listening on this socket",
        )),
        Err(_) => std::fs::remove_file(path),
    }
}

/// How the milter treats messages, and its limits.
#[derive(Debug, Clone)]
pub struct MilterOptions {
    /// The verdict that counts as flagged (for the subject tag), and the subject tag.
    pub stamp: StampOptions,
    /// Reject (SMTP 550 5.7.1) a message whose score is at least this. `None`: never.
    pub reject_at: Option<u8>,
    /// Quarantine (Postfix's hold queue) a message whose score is at least this and that is
    /// not rejected. `None`: never.
    pub quarantine_at: Option<u8>,
    /// MTA connections served at once; more wait to be accepted.
    pub max_connections: usize,
    /// A bigger message is accepted unchecked. At most [`MAX_INPUT_BYTES`], the engine's
    /// own limit.
    pub max_message_bytes: usize,
    /// Bytes of messages held in memory at once, over all connections; a message that
    /// would go over it is accepted unchecked.
    pub max_buffered_bytes: usize,
    /// Checks run at once (on the blocking thread pool); more wait for a turn.
    pub max_checks: usize,
    /// A message whose check (waiting for a turn included) takes longer is accepted
    /// unchecked. Keep it well under the MTA's milter timeout (Postfix's
    /// `milter_content_timeout`, 300 s).
    pub check_timeout: Duration,
}

impl Default for MilterOptions {
    fn default() -> MilterOptions {
        MilterOptions {
            stamp: StampOptions::default(),
            reject_at: None,
            quarantine_at: None,
            max_connections: 100,
            max_message_bytes: MAX_INPUT_BYTES,
            max_buffered_bytes: 256 * 1024 * 1024,
            max_checks: std::thread::available_parallelism().map_or(2, usize::from),
            check_timeout: Duration::from_secs(60),
        }
    }
}

/// What the milter did, counted since it started.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MilterStats {
    /// Messages that reached their end (and got an answer).
    pub messages: u64,
    /// Of them, checked (with a verdict).
    pub checked: u64,
    /// Accepted unchecked (too big, busy, the check failed or took too long).
    pub unchecked: u64,
    /// Flagged (at or over `flag_at`).
    pub flagged: u64,
    /// Rejected.
    pub rejected: u64,
    /// Quarantined.
    pub quarantined: u64,
}

#[derive(Default)]
struct Counters {
    messages: AtomicU64,
    checked: AtomicU64,
    unchecked: AtomicU64,
    flagged: AtomicU64,
    rejected: AtomicU64,
    quarantined: AtomicU64,
}

impl Counters {
    fn snapshot(&self) -> MilterStats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        MilterStats {
            messages: get(&self.messages),
            checked: get(&self.checked),
            unchecked: get(&self.unchecked),
            flagged: get(&self.flagged),
            rejected: get(&self.rejected),
            quarantined: get(&self.quarantined),
        }
    }
}

/// Runs the milter on `listener` until `shutdown` completes, then lets the messages being
/// answered finish, and returns what it did. Each message is checked with
/// [`check_bytes`] on the blocking thread pool, never on the async workers.
pub async fn run_milter(
    listener: MilterListener,
    engine: Arc<Engine>,
    opts: MilterOptions,
    shutdown: impl Future,
) -> Result<MilterStats, MilterError> {
    let config = Config {
        max_connections: opts.max_connections.max(1),
        ..Config::default()
    };
    let shared = Arc::new(Shared {
        engine,
        checks: Arc::new(Semaphore::new(opts.max_checks.max(1))),
        buffered: Arc::new(AtomicUsize::new(0)),
        counters: Counters::default(),
        opts: MilterOptions {
            max_message_bytes: opts.max_message_bytes.min(MAX_INPUT_BYTES),
            ..opts
        },
    });
    let accepting = Accepting {
        inner: listener,
        pause: None,
    };
    indymilter::run(accepting, callbacks(&shared), config, shutdown)
        .await
        .map_err(MilterError::Accept)?;
    Ok(shared.counters.snapshot())
}

/// The listener, waiting out transient accept errors (too many open files, a connection
/// reset before it was accepted) instead of stopping the milter.
struct Accepting {
    inner: MilterListener,
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Listener for Accepting {
    type Io = EitherStream<TcpStream, UnixStream>;

    fn poll_accept(&mut self, cx: &mut TaskContext<'_>) -> Poll<io::Result<Self::Io>> {
        loop {
            if let Some(pause) = self.pause.as_mut() {
                ready!(pause.as_mut().poll(cx));
                self.pause = None;
            }
            match self.inner.inner.poll_accept(cx) {
                Poll::Ready(Err(e)) if transient(&e) => {
                    warn!(error = %e, "cannot accept a connection; trying again shortly");
                    self.pause = Some(Box::pin(tokio::time::sleep(Duration::from_millis(100))));
                }
                Poll::Ready(Ok(EitherStream::Tcp(stream))) => {
                    // The replies at the end of a message are several small writes in a row:
                    // with Nagle's algorithm each would wait for the MTA's delayed ACK
                    // (40 ms on Linux), capping a connection at about 11 messages a second.
                    if let Err(e) = stream.set_nodelay(true) {
                        warn!(error = %e, "cannot set TCP_NODELAY");
                    }
                    return Poll::Ready(Ok(EitherStream::Tcp(stream)));
                }
                other => return other,
            }
        }
    }
}

fn transient(e: &io::Error) -> bool {
    // EMFILE, ENFILE, ENOBUFS, ENOMEM on Linux.
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
            | io::ErrorKind::WouldBlock
            | io::ErrorKind::OutOfMemory
    ) || matches!(e.raw_os_error(), Some(23 | 24 | 105 | 12))
}

struct Shared {
    engine: Arc<Engine>,
    opts: MilterOptions,
    checks: Arc<Semaphore>,
    buffered: Arc<AtomicUsize>,
    counters: Counters,
}

impl Shared {
    /// Checks `raw` on the blocking pool, within the time limit. The message's memory is
    /// accounted for until the check is over, even when the milter stopped waiting for it.
    async fn check(&self, raw: Vec<u8>, held: Reservation) -> Stamp {
        let run = async {
            let permit = self.checks.clone().acquire_owned().await.ok()?;
            let engine = Arc::clone(&self.engine);
            let opts = self.opts.stamp.clone();
            let task = tokio::task::spawn_blocking(move || {
                let _permit = permit;
                let _held = held;
                check_bytes(&engine, &raw, &opts)
            });
            task.await.ok()
        };
        match tokio::time::timeout(self.opts.check_timeout, run).await {
            Ok(Some(stamp)) => stamp,
            Ok(None) => Stamp::unchecked("internal error while checking"),
            Err(_) => Stamp::unchecked("the check took too long"),
        }
    }
}

/// Bytes of the message held in memory, given back when dropped.
struct Reservation {
    budget: Arc<AtomicUsize>,
    bytes: usize,
}

impl Reservation {
    /// Holds `n` more bytes, if the total stays within `max`.
    fn grow(&mut self, n: usize, max: usize) -> bool {
        let ok = self
            .budget
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |held| {
                held.checked_add(n).filter(|&total| total <= max)
            })
            .is_ok();
        if ok {
            self.bytes += n;
        }
        ok
    }

    fn release(&mut self) {
        self.budget.fetch_sub(self.bytes, Ordering::AcqRel);
        self.bytes = 0;
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        self.release();
    }
}

/// One MTA connection.
struct Session {
    /// The protocol options agreed on (which stages want no reply, whether Skip works).
    opts: ProtoOpts,
    /// The message being received, from its first header on.
    msg: Option<Msg>,
}

impl Session {
    fn reply(&self, noreply: ProtoOpts) -> Status {
        if self.opts.contains(noreply) {
            Status::Noreply
        } else {
            Status::Continue
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fill {
    /// Every byte so far is held.
    Whole,
    /// Over `max_message_bytes`: nothing more is held.
    TooBig,
    /// Over `max_buffered_bytes`: nothing more is held.
    Busy,
}

/// A message as the MTA hands it over, rebuilt as raw bytes.
struct Msg {
    raw: Vec<u8>,
    held: Reservation,
    fill: Fill,
    /// Bytes handed over, held or not.
    bytes: u64,
    in_body: bool,
    /// `X-Redflag-*` field names seen (as first spelt), with how many of each
    /// (case-insensitively): they are deleted by index.
    forged: Vec<(CString, i32)>,
    /// `Subject` fields seen, and the first one's value.
    subjects: u32,
    subject: Option<CString>,
}

impl Msg {
    fn new(shared: &Shared) -> Msg {
        Msg {
            raw: Vec::new(),
            held: Reservation {
                budget: Arc::clone(&shared.buffered),
                bytes: 0,
            },
            fill: Fill::Whole,
            bytes: 0,
            in_body: false,
            forged: Vec::new(),
            subjects: 0,
            subject: None,
        }
    }

    fn append(&mut self, data: &[u8], opts: &MilterOptions) {
        self.bytes += data.len() as u64;
        if self.fill != Fill::Whole {
            return;
        }
        let fill = if self.raw.len().saturating_add(data.len()) > opts.max_message_bytes {
            Fill::TooBig
        } else if !self.held.grow(data.len(), opts.max_buffered_bytes) {
            Fill::Busy
        } else {
            self.raw.extend_from_slice(data);
            return;
        };
        self.fill = fill;
        self.raw = Vec::new();
        self.held.release();
    }

    fn header(&mut self, name: &CStr, value: &CStr, opts: &MilterOptions) {
        let name_b = name.to_bytes();
        if starts_with_ignore_case(name_b, FIELD_PREFIX.as_bytes()) {
            match self
                .forged
                .iter_mut()
                .find(|(n, _)| n.to_bytes().eq_ignore_ascii_case(name_b))
            {
                Some((_, count)) => *count = count.saturating_add(1),
                None => self.forged.push((name.to_owned(), 1)),
            }
        }
        if name_b.eq_ignore_ascii_case(b"Subject") {
            self.subjects = self.subjects.saturating_add(1);
            if self.subject.is_none() {
                self.subject = Some(value.to_owned());
            }
        }
        // `Name: value` CRLF, the value's folds (LF from the MTA) as CRLF.
        let value_b = value.to_bytes();
        let mut line = Vec::with_capacity(name_b.len() + value_b.len() + 8);
        line.extend_from_slice(name_b);
        line.extend_from_slice(b": ");
        let mut prev = 0u8;
        for &b in value_b {
            if b == b'\n' && prev != b'\r' {
                line.push(b'\r');
            }
            line.push(b);
            prev = b;
        }
        line.extend_from_slice(b"\r\n");
        self.append(&line, opts);
    }

    fn start_body(&mut self, opts: &MilterOptions) {
        if !self.in_body {
            self.in_body = true;
            self.append(b"\r\n", opts);
        }
    }
}

fn starts_with_ignore_case(s: &[u8], prefix: &[u8]) -> bool {
    s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn callbacks(shared: &Arc<Shared>) -> Callbacks<Session> {
    let (s1, s2, s3, s4) = (
        Arc::clone(shared),
        Arc::clone(shared),
        Arc::clone(shared),
        Arc::clone(shared),
    );
    Callbacks::new()
        .on_negotiate(|cx, actions, opts| Box::pin(async move { negotiate(cx, actions, opts) }))
        // Stages redflag does not need, answered at once (see `negotiate`).
        .on_connect(|_, _, _| Box::pin(async { Status::Continue }))
        .on_helo(|_, _| Box::pin(async { Status::Continue }))
        .on_rcpt(|_, _| Box::pin(async { Status::Continue }))
        .on_data(|_| Box::pin(async { Status::Continue }))
        .on_unknown(|_, _| Box::pin(async { Status::Continue }))
        .on_mail(|cx, _args| {
            Box::pin(async move {
                let session = cx.data.get_or_insert_with(default_session);
                session.msg = None;
                session.reply(ProtoOpts::NOREPLY_MAIL)
            })
        })
        .on_header(move |cx, name, value| {
            let shared = Arc::clone(&s1);
            Box::pin(async move {
                let session = cx.data.get_or_insert_with(default_session);
                session.msg.get_or_insert_with(|| Msg::new(&shared)).header(
                    &name,
                    &value,
                    &shared.opts,
                );
                session.reply(ProtoOpts::NOREPLY_HEADER)
            })
        })
        .on_eoh(move |cx| {
            let shared = Arc::clone(&s2);
            Box::pin(async move {
                let session = cx.data.get_or_insert_with(default_session);
                session
                    .msg
                    .get_or_insert_with(|| Msg::new(&shared))
                    .start_body(&shared.opts);
                session.reply(ProtoOpts::NOREPLY_EOH)
            })
        })
        .on_body(move |cx, chunk| {
            let shared = Arc::clone(&s3);
            Box::pin(async move {
                let session = cx.data.get_or_insert_with(default_session);
                let msg = session.msg.get_or_insert_with(|| Msg::new(&shared));
                msg.start_body(&shared.opts);
                msg.append(&chunk, &shared.opts);
                let full = msg.fill != Fill::Whole;
                if full && session.opts.contains(ProtoOpts::SKIP) {
                    Status::Skip
                } else {
                    session.reply(ProtoOpts::NOREPLY_BODY)
                }
            })
        })
        .on_eom(move |cx| {
            let shared = Arc::clone(&s4);
            Box::pin(async move { eom(cx, &shared).await })
        })
        .on_abort(|cx| {
            Box::pin(async move {
                if let Some(session) = cx.data.as_mut() {
                    session.msg = None;
                }
                Status::Continue
            })
        })
        .on_close(|cx| {
            Box::pin(async move {
                cx.data = None;
                Status::Continue
            })
        })
}

fn default_session() -> Session {
    Session {
        opts: ProtoOpts::empty(),
        msg: None,
    }
}

fn negotiate(cx: &mut NegotiateContext<Session>, actions: Actions, opts: ProtoOpts) -> Status {
    let wanted = Actions::ADD_HEADER | Actions::CHANGE_HEADER | Actions::QUARANTINE;
    if !actions.contains(wanted) {
        warn!(
            offered = ?actions,
            "the MTA does not offer every milter action redflag uses (add and change header, quarantine)"
        );
    }
    cx.requested_actions = wanted & actions;
    // Only Skip (no more body once a message is over its limit). Every stage stays on and
    // is answered, though redflag only needs the headers and the body: when Postfix sends a
    // stage's macros without the stage (NO_RCPT, NO_DATA) or a command that wants no reply,
    // its next small write waits for the milter's delayed ACK (Nagle's algorithm, 40 ms on
    // Linux): 40 ms a message, 22 messages a second on 2 connections instead of hundreds.
    // (indymilter asks for NO_* of every stage without a callback: each has one.)
    cx.requested_opts = opts & ProtoOpts::SKIP;
    // The queue ID, for the log line (Postfix sends it at the end of a message by default).
    if actions.contains(Actions::REQUEST_MACROS) {
        cx.requested_actions |= Actions::REQUEST_MACROS;
        cx.requested_macros
            .insert(MacroStage::Eom, CString::from(c"i"));
    }
    cx.data = Some(Session {
        opts: cx.requested_opts,
        msg: None,
    });
    Status::Continue
}

/// What is done with a message at its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Accept,
    Quarantine,
    Reject,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Quarantine => "quarantine",
            Action::Reject => "reject",
        }
    }
}

async fn eom(cx: &mut EomContext<Session>, shared: &Shared) -> Status {
    let started = Instant::now();
    let queue_id = cx.macros.get(c"i").map(queue_id).unwrap_or_default();
    let mut msg = cx
        .data
        .as_mut()
        .and_then(|s| s.msg.take())
        .unwrap_or_else(|| Msg::new(shared));
    let opts = &shared.opts;
    let stamp = match msg.fill {
        Fill::TooBig => Stamp::unchecked(&format!(
            "the message is over the {} MiB limit",
            opts.max_message_bytes / (1024 * 1024)
        )),
        Fill::Busy => Stamp::unchecked("the milter holds too many messages at once"),
        Fill::Whole => {
            let raw = std::mem::take(&mut msg.raw);
            let held = std::mem::replace(
                &mut msg.held,
                Reservation {
                    budget: Arc::clone(&shared.buffered),
                    bytes: 0,
                },
            );
            shared.check(raw, held).await
        }
    };
    let action = match stamp.score {
        Some(s) if opts.reject_at.is_some_and(|at| s >= at) => Action::Reject,
        Some(s) if opts.quarantine_at.is_some_and(|at| s >= at) => Action::Quarantine,
        _ => Action::Accept,
    };
    let verdict = stamp.verdict.map_or("unchecked", |v| v.as_str());
    let score = stamp
        .score
        .map_or_else(|| "-".to_string(), |s| s.to_string());
    let reason = format!("redflag: verdict {verdict}, score {score}");
    let mut status = Status::Continue;
    let mut done = action;
    if action == Action::Reject {
        let text = format!(
            "Message rejected by redflag as a likely scam (verdict {verdict}, score {score})"
        );
        let _ = cx.reply.set_error_reply("550", Some("5.7.1"), [text]);
        status = Status::Reject;
    } else {
        if let Err(e) = stamp_message(cx, &msg, &stamp).await {
            warn!(queue_id = %queue_id, error = %e, "cannot add the header fields");
        }
        if action == Action::Quarantine
            && let Err(e) = cx.actions.quarantine(reason.as_str()).await
        {
            warn!(queue_id = %queue_id, error = %e, "cannot quarantine the message; accepting it");
            done = Action::Accept;
        }
    }
    let c = &shared.counters;
    c.messages.fetch_add(1, Ordering::Relaxed);
    let counter = if stamp.verdict.is_some() {
        &c.checked
    } else {
        &c.unchecked
    };
    counter.fetch_add(1, Ordering::Relaxed);
    if stamp.flagged {
        c.flagged.fetch_add(1, Ordering::Relaxed);
    }
    match done {
        Action::Reject => c.rejected.fetch_add(1, Ordering::Relaxed),
        Action::Quarantine => c.quarantined.fetch_add(1, Ordering::Relaxed),
        Action::Accept => 0,
    };
    info!(
        queue_id = %queue_id,
        verdict,
        score = %score,
        action = done.as_str(),
        bytes = msg.bytes,
        ms = started.elapsed().as_millis() as u64,
        "message"
    );
    status
}

/// Removes forged `X-Redflag-*` fields, tags the subject, and adds the stamp's fields: what
/// [`crate::write_stamped`] does to the bytes, as milter actions.
async fn stamp_message(
    cx: &EomContext<Session>,
    msg: &Msg,
    stamp: &Stamp,
) -> Result<(), indymilter::ActionError> {
    let actions = &cx.actions;
    for (name, count) in &msg.forged {
        // From the last one: deleting one never moves the index of those before it.
        for index in (1..=*count).rev() {
            actions
                .change_header(name.as_c_str(), index, None::<&CStr>)
                .await?;
        }
    }
    if let Some(tag) = &stamp.subject_tag {
        let clean = ascii_line(tag, 60);
        match &msg.subject {
            Some(value) if !value.to_bytes().starts_with(tag.as_bytes()) => {
                let mut new = clean.into_bytes();
                new.push(b' ');
                new.extend_from_slice(value.to_bytes());
                let new = CString::new(new).map_err(|_| indymilter::ActionError::InvalidParam)?;
                actions.change_header("Subject", 1, Some(new)).await?;
            }
            Some(_) => {}
            None => actions.add_header("Subject", clean).await?,
        }
    }
    for (name, value) in &stamp.fields {
        actions.add_header(*name, fold(name, value, "\n")).await?;
    }
    Ok(())
}

/// The MTA's queue ID, for the log: letters and digits only, at most 32.
fn queue_id(v: &CStr) -> String {
    v.to_bytes()
        .iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .take(32)
        .map(|&b| char::from(b))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_parse_in_milter_notation() {
        let a: ListenAddr = "inet:11332@127.0.0.1".parse().unwrap();
        assert_eq!(a, ListenAddr::Inet("127.0.0.1:11332".parse().unwrap()));
        assert_eq!(a.to_string(), "inet:11332@127.0.0.1");
        let a: ListenAddr = "inet:11332@localhost".parse().unwrap();
        assert_eq!(a, ListenAddr::Inet("127.0.0.1:11332".parse().unwrap()));
        let a: ListenAddr = "inet6:11332@[::1]".parse().unwrap();
        assert_eq!(a.to_string(), "inet6:11332@[::1]");
        let a: ListenAddr = "inet:127.0.0.1:25".parse().unwrap();
        assert_eq!(a, ListenAddr::Inet("127.0.0.1:25".parse().unwrap()));
        let a: ListenAddr = "unix:/run/redflag/milter.sock".parse().unwrap();
        assert_eq!(a, ListenAddr::Unix("/run/redflag/milter.sock".into()));
        for bad in [
            "11332",
            "inet:11332",
            "inet:x@127.0.0.1",
            "inet:11332@mail.example",
            "unix:",
            "tcp:1@1.2.3.4",
        ] {
            assert!(bad.parse::<ListenAddr>().is_err(), "{bad}");
        }
    }

    #[test]
    fn folding_matches_the_pipe_filter() {
        let ids: Vec<String> = (0..30).map(|i| format!("RUL{i:03}")).collect();
        let value = ids.join(", ");
        let folded = fold("X-Redflag-Flags", &value, "\n");
        let mut filtered = Vec::new();
        let stamp = Stamp {
            fields: vec![("X-Redflag-Flags", value)],
            verdict: None,
            score: None,
            flagged: false,
            subject_tag: None,
        };
        crate::write_stamped(&mut filtered, b"Subject: x\n\nbody", &stamp).unwrap();
        let filtered = String::from_utf8(filtered).unwrap();
        let expected = format!("Subject: x\nX-Redflag-Flags: {folded}\n\nbody");
        assert_eq!(filtered, expected);
        assert_eq!(fold("X-Redflag-Score", "91", "\n"), "91");
    }

    #[test]
    fn a_message_over_its_limits_is_dropped_from_memory() {
        let shared = Shared {
            engine: Arc::new(Engine::default()),
            opts: MilterOptions {
                max_message_bytes: 10,
                max_buffered_bytes: 16,
                ..MilterOptions::default()
            },
            checks: Arc::new(Semaphore::new(1)),
            buffered: Arc::new(AtomicUsize::new(0)),
            counters: Counters::default(),
        };
        let mut a = Msg::new(&shared);
        a.append(b"12345678", &shared.opts);
        assert_eq!(shared.buffered.load(Ordering::Relaxed), 8);
        let mut b = Msg::new(&shared);
        b.append(b"12345678", &shared.opts);
        b.append(b"9", &shared.opts);
        assert_eq!(b.fill, Fill::Busy);
        assert!(b.raw.is_empty());
        assert_eq!(shared.buffered.load(Ordering::Relaxed), 8);
        a.append(b"123", &shared.opts);
        assert_eq!(a.fill, Fill::TooBig);
        assert_eq!(a.bytes, 11);
        assert_eq!(shared.buffered.load(Ordering::Relaxed), 0);
        drop((a, b));
        let mut c = Msg::new(&shared);
        c.append(b"1234567890", &shared.opts);
        assert_eq!(c.fill, Fill::Whole);
        drop(c);
        assert_eq!(shared.buffered.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn headers_are_rebuilt_with_crlf_and_forged_fields_counted() {
        let shared = Shared {
            engine: Arc::new(Engine::default()),
            opts: MilterOptions::default(),
            checks: Arc::new(Semaphore::new(1)),
            buffered: Arc::new(AtomicUsize::new(0)),
            counters: Counters::default(),
        };
        let mut m = Msg::new(&shared);
        m.header(c"Subject", c"Hello\n\tworld", &shared.opts);
        m.header(c"X-Redflag-Verdict", c"clean", &shared.opts);
        m.header(c"x-redflag-verdict", c"clean", &shared.opts);
        m.header(c"X-REDFLAG-Score", c"0", &shared.opts);
        m.start_body(&shared.opts);
        m.append(b"body\r\n", &shared.opts);
        assert_eq!(
            String::from_utf8(m.raw.clone()).unwrap(),
            "Subject: Hello\r\n\tworld\r\nX-Redflag-Verdict: clean\r\nx-redflag-verdict: clean\r\nX-REDFLAG-Score: 0\r\n\r\nbody\r\n"
        );
        assert_eq!(
            m.forged,
            vec![
                (CString::from(c"X-Redflag-Verdict"), 2),
                (CString::from(c"X-REDFLAG-Score"), 1)
            ]
        );
        assert_eq!(m.subjects, 1);
    }
}
