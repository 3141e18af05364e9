//! `redflag scan`: many messages (mbox files, Maildirs, folders) checked on all cores, a
//! summary on standard output, and the reports asked for. The work is `redflag_scan`'s; this
//! is the glue: arguments, the progress bar, files, exit codes.

use anyhow::Context as _;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use redflag_engine::Verdict;
use redflag_scan::{DeliveryMode, ScanOptions, Summary};
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Args, Debug)]
pub(crate) struct ScanArgs {
    /// mbox files, Maildirs (cur/ and new/), folders of .eml, .txt, .html or Messenger .json
    /// files (sub-folders too), or single files.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Write the report for people: one self-contained HTML file with charts.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Write one CSV row per message.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Write one JSON object per message (and per unreadable file) per line.
    #[arg(long, value_name = "FILE")]
    jsonl: Option<PathBuf>,
    /// Move each flagged message into this Maildir (Maildir messages and .eml files; mbox
    /// messages are refused: use --copy-flagged).
    #[arg(long, value_name = "DIR", conflicts_with = "copy_flagged")]
    move_flagged: Option<PathBuf>,
    /// Copy each flagged message into this Maildir (mbox messages become files of their own).
    #[arg(long, value_name = "DIR")]
    copy_flagged: Option<PathBuf>,
    /// The least verdict that counts as flagged.
    #[arg(long, value_enum, default_value_t = MinVerdict::Suspicious)]
    min_verdict: MinVerdict,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    engine: crate::EngineArgs,
    /// Use another local fraud hotline (TOML with a [hotline] table).
    #[arg(long, value_name = "FILE")]
    hotline: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum MinVerdict {
    Suspicious,
    Scam,
}

/// Writes a report file through `write`; a file that could not be finished is removed.
fn write_file(
    path: &Path,
    what: &str,
    write: impl FnOnce(&mut dyn Write) -> Result<(), redflag_scan::ReportError>,
) -> anyhow::Result<()> {
    let file = std::fs::File::create(path)
        .with_context(|| format!("cannot create the {what} {}", path.display()))?;
    let mut w = BufWriter::new(file);
    let done = write(&mut w)
        .map_err(anyhow::Error::from)
        .and_then(|()| Ok(w.into_inner().map_err(|e| e.into_error())?.sync_all()?));
    if let Err(e) = done {
        let _ = std::fs::remove_file(path);
        return Err(e.context(format!("cannot write the {what} {}", path.display())));
    }
    Ok(())
}

pub(crate) fn run(args: ScanArgs) -> anyhow::Result<ExitCode> {
    let engine = args.engine.engine(args.hotline.as_deref())?;
    let opts = ScanOptions {
        min_verdict: match args.min_verdict {
            MinVerdict::Suspicious => Verdict::Suspicious,
            MinVerdict::Scam => Verdict::Scam,
        },
        threads: args.threads.map(usize::from),
    };
    let walk = redflag_scan::walk(&args.paths);
    let bar = if args.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let bar =
            ProgressBar::with_draw_target(Some(walk.files() as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} {elapsed_precise} [{wide_bar}] {pos}/{len} files, {msg} (eta {eta})",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    };
    let messages = AtomicUsize::new(0);
    let progress = |n: usize| {
        let total = messages.fetch_add(n, Ordering::Relaxed) + n;
        bar.set_message(format!("{total} messages"));
        bar.inc(1);
    };
    let scan = redflag_scan::check(&engine, &args.paths, walk, &opts, &progress)?;
    bar.finish_and_clear();
    let summary = Summary::new(&scan);

    let deliveries = match (&args.move_flagged, &args.copy_flagged) {
        (Some(dir), _) => redflag_scan::deliver(&scan, dir, DeliveryMode::Move),
        (None, Some(dir)) => redflag_scan::deliver(&scan, dir, DeliveryMode::Copy),
        (None, None) => Vec::new(),
    };

    if let Some(p) = &args.out {
        write_file(p, "HTML report", |w| {
            redflag_scan::write_html(w, &scan, &summary, &deliveries)
        })?;
    }
    if let Some(p) = &args.csv {
        write_file(p, "CSV file", |w| redflag_scan::write_csv(w, &scan))?;
    }
    if let Some(p) = &args.jsonl {
        write_file(p, "JSON Lines file", |w| {
            redflag_scan::write_jsonl(w, &scan)
        })?;
    }
    let mut stdout = crate::out::Stdout::lock();
    redflag_scan::write_summary(&mut stdout, &scan, &summary, &deliveries)?;
    stdout.flush()?;

    let undelivered = deliveries.iter().filter(|d| !d.outcome.done()).count();
    if summary.unreadable > 0 || undelivered > 0 {
        if summary.unreadable > 0 {
            eprintln!(
                "redflag: {} file(s) or message(s) could not be read",
                summary.unreadable
            );
        }
        if undelivered > 0 {
            eprintln!("redflag: {undelivered} flagged message(s) were not delivered");
        }
        return Ok(ExitCode::from(2));
    }
    Ok(if summary.flagged > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
