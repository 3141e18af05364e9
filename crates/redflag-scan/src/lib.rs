//! Scan many messages and summarise: what a mail administrator or a hotline with a shared
//! inbox runs over mbox files, Maildirs and folders of messages (`redflag scan`).
//!
//! [`walk`] finds the message files under the paths given (sorted, deterministic), [`check`]
//! reads and assesses every message on all cores (results in input order), [`Summary`]
//! counts them, and the writers turn a [`Scan`] into a plain-text summary
//! ([`write_summary`]), one self-contained HTML report with charts ([`write_html`]), CSV
//! ([`write_csv`]) and JSON Lines ([`write_jsonl`]). [`deliver`] copies or moves the flagged
//! messages into a Maildir without ever losing one.
//!
//! **Invariants:** nothing found in a message is fetched, resolved or opened. A file or
//! message that cannot be read is listed with its reason, never skipped silently, and the
//! scan goes on. Everything taken from a message is escaped in HTML, sanitised of control
//! and direction-changing characters in text, and guarded against formula injection in CSV.
//! No message content is logged.
//!
//! **API boundary:** it uses the facade (`redflag-engine`) only; file IO is limited to
//! reading the inputs, writing the reports asked for, and Maildir delivery.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod charts;
mod check;
mod deliver;
mod export;
mod html;
mod raw;
mod summary;
mod text;
mod walk;

pub use check::{ScanOptions, check};
pub use deliver::{Delivery, DeliveryMode, DeliveryOutcome, deliver};
pub use export::{write_csv, write_jsonl};
pub use html::write_html;
pub use summary::{Count, RuleCount, Summary, TimeBucket, Timeline, write_summary};
pub use walk::{Found, InputFile, MAX_DEPTH, MESSAGE_EXTENSIONS, Walk, walk};

use redflag_engine::{Channel, Verdict};
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;

/// Which folder of a Maildir a message is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MaildirSub {
    /// `new/`: not yet seen by a mail reader.
    New,
    /// `cur/`: seen.
    Cur,
}

impl MaildirSub {
    /// The folder's name.
    pub fn as_str(self) -> &'static str {
        match self {
            MaildirSub::New => "new",
            MaildirSub::Cur => "cur",
        }
    }
}

/// What kind of file a message came from: it decides what `--move-flagged` and
/// `--copy-flagged` may do with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// A file in a Maildir's `new/` or `cur/`, one message.
    Maildir(MaildirSub),
    /// An `.eml` file holding one email.
    Eml,
    /// One message of an mbox file (a file holding several).
    Mbox,
    /// Anything else: a text, a Messenger export, a saved HTML page.
    Other,
}

/// Where one message came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The file.
    pub path: PathBuf,
    /// Its position in an mbox, from 1; `None` for a file holding one message.
    pub index: Option<usize>,
    /// What kind of file.
    pub kind: SourceKind,
}

impl Source {
    /// `path` or `path #3`, for people.
    pub fn display(&self) -> String {
        match self.index {
            Some(i) => format!("{} #{i}", self.path.display()),
            None => self.path.display().to_string(),
        }
    }
}

/// A file or message that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unreadable {
    /// Where.
    pub source: Source,
    /// Why, in plain words (no message content).
    pub reason: String,
}

/// One red flag of a message, with its evidence quoted.
#[derive(Debug, Clone, Serialize)]
pub struct Flag {
    /// Rule ID (`PHN001`).
    pub rule: &'static str,
    /// Rule name (`callback-number-not-brand`).
    pub name: &'static str,
    /// Family prefix (`PHN`, `SCN`, ...).
    pub family: &'static str,
    /// Points it adds to the score.
    pub points: u8,
    /// Weak evidence.
    pub soft: bool,
    /// Outweighed by strong signs of a genuine message: it adds no points.
    pub outweighed: bool,
    /// The rule's short description, in English, quoting the evidence.
    pub message: String,
    /// The evidence as it stands in the message (at most [`MAX_EVIDENCE`], each cut to
    /// [`MAX_QUOTE_CHARS`]).
    pub evidence: Vec<String>,
}

/// Most evidence quotes kept per red flag.
pub const MAX_EVIDENCE: usize = 5;
/// Longest quote kept, in characters (subjects and senders too).
pub const MAX_QUOTE_CHARS: usize = 200;

/// One message checked.
#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    /// Where it came from.
    pub source: Source,
    /// `scam`, `suspicious` or `clean`.
    pub verdict: Verdict,
    /// 0 to 100.
    pub score: u8,
    /// At or above the scan's `min_verdict`.
    pub flagged: bool,
    /// How it arrived.
    pub channel: Channel,
    /// Its red flags, strongest first.
    pub findings: Vec<Flag>,
    /// The sender as the message gives it (`Name <address>`, a phone number).
    pub sender: Option<String>,
    /// The registrable domain of the sender's email address.
    pub sender_domain: Option<String>,
    /// The subject.
    pub subject: Option<String>,
    /// The `Date` header, in seconds since 1970 (UTC).
    pub date: Option<i64>,
    /// Registrable domains of its links that are not the brand's own (flagged messages only).
    pub link_domains: Vec<String>,
    /// Phone numbers its callback red flags (`PHN`) point at, E.164 when valid (flagged
    /// messages only).
    pub callback_numbers: Vec<String>,
}

impl Checked {
    /// The scenario red flags (`SCN`), by rule ID, without repeats.
    pub fn scenarios(&self) -> Vec<(&'static str, &'static str)> {
        let mut s: Vec<_> = self
            .findings
            .iter()
            .filter(|f| f.family == "SCN")
            .map(|f| (f.rule, f.name))
            .collect();
        s.sort();
        s.dedup();
        s
    }
}

/// One entry of a scan, in input order.
#[derive(Debug, Clone)]
pub enum Entry {
    /// A message checked.
    Checked(Box<Checked>),
    /// A file or message that could not be read.
    Unreadable(Unreadable),
}

/// The result of a scan.
#[derive(Debug, Clone)]
pub struct Scan {
    /// The paths given.
    pub inputs: Vec<PathBuf>,
    /// Every message and every unreadable file or message, in input order.
    pub entries: Vec<Entry>,
    /// Files read.
    pub files: usize,
    /// Files left out of folders (see [`Walk::skipped`]).
    pub skipped: usize,
    /// What counts as flagged.
    pub min_verdict: Verdict,
    /// How long reading and checking took (not walking or writing reports).
    pub elapsed: Duration,
}

impl Scan {
    /// The messages checked, in order.
    pub fn checked(&self) -> impl Iterator<Item = &Checked> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Checked(c) => Some(&**c),
            Entry::Unreadable(_) => None,
        })
    }

    /// The files and messages that could not be read, in order.
    pub fn unreadable(&self) -> impl Iterator<Item = &Unreadable> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Unreadable(u) => Some(u),
            Entry::Checked(_) => None,
        })
    }

    /// The flagged messages, in order.
    pub fn flagged(&self) -> impl Iterator<Item = &Checked> {
        self.checked().filter(|c| c.flagged)
    }
}

/// Why a scan could not run at all (a file or message that cannot be read is not an error:
/// it is listed in the scan).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    /// The worker threads could not be started.
    #[error("cannot start {threads} worker threads: {reason}")]
    Threads {
        /// How many were asked for.
        threads: usize,
        /// Why not.
        reason: String,
    },
}

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// Writing failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The CSV writer failed.
    #[error(transparent)]
    Csv(#[from] csv::Error),
    /// JSON could not be written.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// A chart could not be drawn.
    #[error("cannot draw the chart: {0}")]
    Chart(String),
}
