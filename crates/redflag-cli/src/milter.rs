//! `redflag milter`: the milter for Postfix and Sendmail.

use crate::filter::FlagAt;
use anyhow::Context as _;
use clap::Args;
use redflag_mailflow::{ListenAddr, MilterListener, MilterOptions, StampOptions};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[derive(Args, Debug)]
pub(crate) struct MilterArgs {
    /// Where to listen: inet:PORT@HOST (inet:11332@127.0.0.1) or unix:/path/to.sock.
    #[arg(long, value_name = "ADDRESS", value_parser = clap::value_parser!(ListenAddr))]
    listen: ListenAddr,
    /// Permissions of a Unix socket, in octal: the MTA's user must be able to write to it.
    #[arg(long, value_name = "MODE", default_value = "660", value_parser = parse_mode)]
    socket_mode: u32,
    /// Reject at SMTP time (550 5.7.1) a message whose score is at least this.
    #[arg(long, value_name = "SCORE", value_parser = clap::value_parser!(u8).range(0..=100))]
    reject_at: Option<u8>,
    /// Quarantine (Postfix: the hold queue) a message whose score is at least this and that
    /// is not rejected.
    #[arg(long, value_name = "SCORE", value_parser = clap::value_parser!(u8).range(0..=100))]
    quarantine_at: Option<u8>,
    /// Put this before the subject of a flagged message (for example `[SCAM?]`).
    #[arg(long, value_name = "TAG")]
    subject_tag: Option<String>,
    /// Which verdict counts as flagged, for the subject tag.
    #[arg(long, value_enum, default_value_t = FlagAt::Suspicious)]
    flag_at: FlagAt,
    /// MTA connections served at once.
    #[arg(long, value_name = "N", default_value_t = 100)]
    max_connections: usize,
    /// Memory for messages being received, over all connections, in MiB; a message that
    /// would go over it is accepted unchecked.
    #[arg(long, value_name = "MIB", default_value_t = 256)]
    max_buffered_mib: usize,
    /// A message whose check takes longer (in seconds, waiting included) is accepted
    /// unchecked. Keep it under Postfix's milter_content_timeout (300).
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    check_timeout: u64,
    #[command(flatten)]
    engine: crate::EngineArgs,
}

fn parse_mode(s: &str) -> Result<u32, String> {
    u32::from_str_radix(s, 8)
        .ok()
        .filter(|m| *m <= 0o777)
        .ok_or_else(|| format!("`{s}` is not an octal mode such as 660"))
}

/// Runs until SIGINT or SIGTERM, then finishes the messages being answered. Exit codes:
/// 0 stopped cleanly, 2 could not start (bad profile or model, socket in use) or the socket
/// failed.
pub(crate) fn run(args: MilterArgs) -> anyhow::Result<ExitCode> {
    init_logs();
    let engine = args.engine.engine(None)?;
    let opts = MilterOptions {
        stamp: StampOptions {
            flag_at: args.flag_at.verdict(),
            subject_tag: args.subject_tag.clone(),
        },
        reject_at: args.reject_at,
        quarantine_at: args.quarantine_at,
        max_connections: args.max_connections.max(1),
        max_buffered_bytes: args.max_buffered_mib.max(1).saturating_mul(1024 * 1024),
        check_timeout: Duration::from_secs(args.check_timeout.max(1)),
        ..MilterOptions::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = MilterListener::bind(&args.listen, args.socket_mode).await?;
        tracing::info!(
            listen = %listener.local_addr(),
            reject_at = ?opts.reject_at,
            quarantine_at = ?opts.quarantine_at,
            "redflag milter listening"
        );
        let stats =
            redflag_mailflow::run_milter(listener, Arc::new(engine), opts, shutdown_signal())
                .await?;
        tracing::info!(
            messages = stats.messages,
            checked = stats.checked,
            unchecked = stats.unchecked,
            flagged = stats.flagged,
            rejected = stats.rejected,
            quarantined = stats.quarantined,
            "redflag milter stopped"
        );
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// SIGINT or SIGTERM.
async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = match signal(SignalKind::terminate()) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "cannot listen for SIGTERM; stop with SIGINT");
            let _ = tokio::signal::ctrl_c().await;
            return;
        }
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    tracing::info!("stopping: finishing the messages being answered");
}

/// Logs to standard error; `RUST_LOG` chooses what (default: `info`).
fn init_logs() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();
}
