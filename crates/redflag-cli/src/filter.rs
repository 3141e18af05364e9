//! `redflag filter`: the spamc-style pipe filter.

use clap::{Args, ValueEnum};
use redflag_engine::Verdict;
use redflag_mailflow::{FilterOptions, StampOptions};
use std::process::ExitCode;

/// `EX_TEMPFAIL` from sysexits.h: the MTA keeps the message and tries again.
const EX_TEMPFAIL: u8 = 75;

#[derive(Args, Debug)]
pub(crate) struct FilterArgs {
    /// Put this before the subject of a flagged message (for example `[SCAM?]`).
    #[arg(long, value_name = "TAG")]
    subject_tag: Option<String>,
    /// Which verdict counts as flagged, for the subject tag and `--exit-code`.
    #[arg(long, value_enum, default_value_t = FlagAt::Suspicious)]
    flag_at: FlagAt,
    /// Exit with 1 when the message is flagged (as `spamc -E`); without it the filter exits
    /// with 0 whenever the message went through.
    #[arg(long)]
    exit_code: bool,
    #[command(flatten)]
    engine: crate::EngineArgs,
}

/// Which verdict counts as flagged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum FlagAt {
    /// Suspicious or scam.
    Suspicious,
    /// Scam only.
    Scam,
}

impl FlagAt {
    pub(crate) fn verdict(self) -> Verdict {
        match self {
            FlagAt::Suspicious => Verdict::Suspicious,
            FlagAt::Scam => Verdict::Scam,
        }
    }
}

/// Exit codes: 0 the message went through (whatever its verdict, unless `--exit-code`),
/// 1 it went through and is flagged (`--exit-code` only), 64 bad arguments (from clap: 2),
/// 75 it could not be read or written in full: the MTA must keep it and retry.
pub(crate) fn run(args: FilterArgs) -> anyhow::Result<ExitCode> {
    // A bad profile or model file is a set-up error: say so, and let the MTA retry rather
    // than pass mail through unchecked without anyone noticing.
    let engine = match args.engine.engine(None) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("redflag filter: {e:#}");
            return Ok(ExitCode::from(EX_TEMPFAIL));
        }
    };
    let opts = FilterOptions {
        stamp: StampOptions {
            flag_at: args.flag_at.verdict(),
            subject_tag: args.subject_tag.clone(),
        },
    };
    let stdin = std::io::stdin().lock();
    let stdout = std::io::BufWriter::new(std::io::stdout().lock());
    match redflag_mailflow::filter(&engine, stdin, stdout, &opts) {
        Ok(out) if args.exit_code && out.stamp.flagged => Ok(ExitCode::from(1)),
        Ok(_) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("redflag filter: {e}");
            Ok(ExitCode::from(EX_TEMPFAIL))
        }
    }
}
