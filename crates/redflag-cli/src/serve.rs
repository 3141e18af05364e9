//! `redflag serve`: the web page, the JSON API and the hotline's case store.

use anyhow::Context as _;
use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// The allocator of the whole `redflag` binary. With glibc's malloc a long-running server's
/// memory kept growing under the load test (large request bodies fragment its per-thread
/// arenas, which it rarely gives back); mimalloc returns freed memory, so it stays flat.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A timeout in seconds: over 0, at most a day.
fn seconds(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number of seconds"))?;
    if v.is_finite() && v > 0.0 && v <= 86_400.0 {
        Ok(v)
    } else {
        Err("give a number of seconds over 0 and at most 86400".into())
    }
}

#[derive(Args, Debug)]
pub(crate) struct ServeArgs {
    /// Where to listen.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "IP:PORT")]
    addr: SocketAddr,
    /// The hotline's case store: a SQLite file (created on first run) or a
    /// postgres://user:password@host/db URL. Only used with a token.
    #[arg(long, default_value = "redflag.db", value_name = "FILE|URL")]
    db: String,
    /// The hotline's token, for the case API (`Authorization: Bearer`) and the hotline view.
    /// Without one, cases are off. Prefer the environment variable: command lines are
    /// visible to other users.
    #[arg(
        long,
        env = "REDFLAG_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    token: Option<String>,
    /// Accept a token shorter than 32 characters (a test bench, never a real hotline: the
    /// token guards every saved message).
    #[arg(long)]
    insecure_short_token: bool,
    /// Requests per minute per client IP on the public endpoints (check, reports, the
    /// form); 0 turns the limit off.
    #[arg(long, default_value_t = redflag_server::DEFAULT_RATE_LIMIT, value_name = "N")]
    rate_limit: u32,
    /// Most connections open at once; over it a new connection gets 503 `overloaded`.
    /// Keep it under the open-file limit (`ulimit -n`).
    #[arg(long, default_value_t = redflag_server::DEFAULT_MAX_CONNECTIONS, value_name = "N")]
    max_connections: usize,
    /// Seconds a client has to send a request's head (line and headers); an idle
    /// keep-alive connection closes after it too.
    #[arg(long, default_value_t = redflag_server::DEFAULT_HEADER_TIMEOUT.as_secs_f64(), value_name = "SECONDS", value_parser = seconds)]
    header_timeout: f64,
    /// Seconds a client has to send a request's body once the head is in (408 after).
    #[arg(long, default_value_t = redflag_server::DEFAULT_BODY_TIMEOUT.as_secs_f64(), value_name = "SECONDS", value_parser = seconds)]
    body_timeout: f64,
    /// SQLite only: the largest the case store may grow, in MiB; past it, saving a case
    /// answers 503 `store_unavailable`, as on a full disk. Unlimited when left out.
    #[arg(long, value_name = "MIB", value_parser = clap::value_parser!(u64).range(1..))]
    sqlite_max_mib: Option<u64>,
    /// Use another local fraud hotline (TOML with a [hotline] table).
    #[arg(long, value_name = "FILE")]
    hotline: Option<PathBuf>,
    #[command(flatten)]
    engine: crate::EngineArgs,
    #[command(flatten)]
    ocr: crate::OcrArgs,
}

pub(crate) fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    init_logs();
    let engine = args.engine.engine(args.hotline.as_deref())?;
    // The phone-number tables and the dictionary are built now, not on the first request.
    engine.warm_up();
    // Screenshots: Tesseract is started now, so that a missing language pack shows at
    // start-up, not on a person's upload. Without it the page still checks text.
    let images = if redflag_engine::screenshot::ImageReader::available() {
        match args.ocr.reader() {
            Ok(r) => Some(std::sync::Arc::new(r)),
            Err(e) => {
                tracing::warn!(error = %e, "screenshots cannot be read");
                None
            }
        }
    } else {
        None
    };
    let config = redflag_server::Config {
        addr: args.addr,
        db: args.db,
        token: args.token,
        allow_short_token: args.insecure_short_token,
        rate_limit: args.rate_limit,
        limits: redflag_server::Limits {
            max_connections: args.max_connections,
            header_timeout: Duration::from_secs_f64(args.header_timeout),
            body_timeout: Duration::from_secs_f64(args.body_timeout),
        },
        sqlite_max_bytes: args.sqlite_max_mib.map(|m| m.saturating_mul(1024 * 1024)),
        engine,
        images,
    };
    // Large analyses do not run on this runtime's threads but on redflag-server's own pool
    // (one thread per core, always the same ones, so their regex caches are built once);
    // small ones run where the request is answered, on this runtime's workers (one per
    // core, also always the same ones).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(redflag_server::serve(config))?;
    Ok(ExitCode::SUCCESS)
}

/// Logs to standard error; `RUST_LOG` chooses what (default: `info`).
fn init_logs() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();
}
