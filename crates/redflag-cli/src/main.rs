//! The `redflag` command.
//!
//! This crate is glue: it reads files and arguments, calls `redflag-engine`, prints, and
//! maps outcomes to exit codes. Exit codes follow spamc and grep: 0 no red flags found,
//! 1 suspicious or scam, 2 an error.

mod check;
mod corpus;
mod engine_args;
mod eval;
mod filter;
#[cfg(feature = "milter")]
mod milter;
mod orders;
mod out;
mod render;
mod scan;
mod serve;
mod train;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
pub(crate) use engine_args::{EngineArgs, OcrArgs};
use std::io::Write;
use std::process::ExitCode;

/// Tells whether a call, text, email or chat message that claims to be Amazon is a scam,
/// shows why, and says what to do.
#[derive(Parser, Debug)]
#[command(name = "redflag", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check a message: an .eml file, an mbox, a Maildir, a Messenger export, or text.
    Check(check::CheckArgs),
    /// List every rule.
    Rules {
        /// Print the Markdown rule reference (docs/rules.md) instead.
        #[arg(long)]
        markdown: bool,
    },
    /// Print a rule's documentation.
    Explain {
        /// Rule ID (PHN001) or name (callback-number-not-brand).
        id: String,
    },
    /// Measure detection on a labelled corpus index (see shared/corpus/README.md).
    Eval(eval::EvalArgs),
    /// Train the text model on a labelled corpus index.
    Train(train::TrainArgs),
    /// Run the web page and JSON API (and, with a token, the hotline's case store).
    Serve(serve::ServeArgs),
    /// Pipe filter for mail servers (like spamc): a message on standard input comes out on
    /// standard output with X-Redflag-* header fields added, its body byte for byte.
    Filter(filter::FilterArgs),
    /// Milter for Postfix and Sendmail: adds the same X-Redflag-* header fields as the pipe
    /// filter, and can reject or quarantine a message over a score.
    #[cfg(feature = "milter")]
    Milter(milter::MilterArgs),
    /// Scan many messages (mbox files, Maildirs, folders) and summarise: counts, charts and
    /// an HTML, CSV or JSON Lines report; copy or move the flagged ones into a Maildir.
    Scan(scan::ScanArgs),
}

fn main() -> ExitCode {
    one_openmp_thread();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            // `check`, `eval` and `scan`, whose exit code is what they found, write through
            // `out::Stdout` and finish when their reader goes; the others (`rules`,
            // `explain`) just stop, quietly, as ripgrep does.
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("redflag: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Starts the program again with `OMP_THREAD_LIMIT=1` when it may read screenshots and the
/// variable is not set.
///
/// Debian's Tesseract parallelises with OpenMP, whose threads spin while they wait; redflag
/// already checks one message per core, so they only fight over the cores: a screenshot took
/// 3.4 s with them and 1.3 s without (docs/screenshots.md). libgomp reads the limit once,
/// when it is loaded, before `main`: setting it here would be too late, so the process
/// replaces itself (same arguments, same standard input and output). Only for the commands
/// that read images, and only in a build that can.
fn one_openmp_thread() {
    #[cfg(all(feature = "ocr", unix))]
    {
        use std::os::unix::process::CommandExt as _;
        const VAR: &str = "OMP_THREAD_LIMIT";
        let mut args = std::env::args_os();
        let arg0 = args.next();
        let rest: Vec<std::ffi::OsString> = args.collect();
        let reads_images = rest
            .first()
            .is_some_and(|c| c == "check" || c == "serve" || c == "eval");
        if std::env::var_os(VAR).is_some() || !reads_images {
            return;
        }
        let Ok(exe) = std::env::current_exe() else {
            return;
        };
        let mut cmd = std::process::Command::new(exe);
        cmd.args(&rest).env(VAR, "1");
        if let Some(a) = arg0 {
            cmd.arg0(a);
        }
        // Returns only when the program could not be started again: then go on as is.
        let _ = cmd.exec();
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Rules { markdown } => {
            let mut out = std::io::stdout().lock();
            let profile = redflag_engine::Profile::embedded();
            if markdown {
                out.write_all(
                    redflag_engine::rules::rules_markdown(&profile.brand.name).as_bytes(),
                )?;
            } else {
                for r in redflag_engine::rules::RULES {
                    let m = r.meta();
                    writeln!(
                        out,
                        "{}  {:<34} {:<8} {:>3}  {}",
                        m.id,
                        m.name,
                        m.severity.as_str(),
                        m.points,
                        profile.fill(m.summary)
                    )?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { id } => {
            let rule = redflag_engine::rules::find_rule(&id)
                .with_context(|| format!("no rule `{id}`; `redflag rules` lists them"))?;
            let m = rule.meta();
            let profile = redflag_engine::Profile::embedded();
            let mut out = std::io::stdout().lock();
            let channels: Vec<&str> = m.channels.iter().map(|c| c.as_str()).collect();
            writeln!(out, "{} {}", m.id, m.name)?;
            writeln!(out, "{}", profile.fill(m.summary))?;
            writeln!(
                out,
                "family: {}  severity: {}  points: {}  channels: {}\n",
                m.family.title(),
                m.severity.as_str(),
                m.points,
                channels.join(", ")
            )?;
            for line in m.doc.lines() {
                writeln!(out, "{}", line.strip_prefix(' ').unwrap_or(line))?;
            }
            writeln!(out, "\nWhat a person is told:\n{}", profile.fill(m.explain))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval(args) => eval::run(args),
        Command::Train(args) => train::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Filter(args) => filter::run(args),
        #[cfg(feature = "milter")]
        Command::Milter(args) => milter::run(args),
        Command::Scan(args) => scan::run(args),
    }
}
