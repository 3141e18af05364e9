//! redflag's facade: turn input bytes into messages ([`read_input`]), and a message into a
//! [`Report`] ([`Engine::analyze`]): extraction, rules, score, verdict, explanations, advice
//! and ready-to-send reports.
//!
//! **Invariants:** analysis is deterministic and does no IO: the same message and profile
//! always give the same report, byte for byte. Nothing found in a message is fetched,
//! resolved or opened.
//!
//! **API boundary:** [`Report`] is the public, versioned output ([`SCHEMA_VERSION`]); the
//! CLI, the HTTP API and the case store all serialise it as is.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod advice;
mod input;
mod outbound;
mod report;
mod score;

pub use input::{InputError, InputOptions, read_input};
pub use outbound::OutboundReport;
pub use redflag_message::{Channel, Message};
pub use redflag_profile::Profile;
pub use redflag_rules::OrderHistory;
pub use report::*;
pub use score::{SCAM_THRESHOLD, SUSPICIOUS_THRESHOLD, Verdict};

use std::sync::Arc;

/// The report schema version. Bumped on any change a consumer could notice.
pub const SCHEMA_VERSION: &str = "1.0";

/// Runs the analysis with one profile.
#[derive(Debug, Clone)]
pub struct Engine {
    profile: Arc<Profile>,
}

impl Default for Engine {
    fn default() -> Engine {
        Engine::new(Profile::embedded())
    }
}

/// Per-message extras.
#[derive(Debug, Clone, Default)]
pub struct AnalyzeOptions<'a> {
    /// The person's real orders, for the order-history check.
    pub orders: Option<&'a OrderHistory>,
}

impl Engine {
    /// An engine with the given profile.
    pub fn new(profile: Arc<Profile>) -> Engine {
        Engine { profile }
    }

    /// The profile in use.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// Analyses one message. Never fails, never does IO.
    pub fn analyze(&self, msg: &Message, opts: &AnalyzeOptions<'_>) -> Report {
        let ind = redflag_extract::extract(msg);
        let cx = redflag_rules::Context::new(msg, &ind, &self.profile, opts.orders);
        let findings = redflag_rules::run_rules(&cx);
        report::build(&self.profile, msg, &ind, &cx, findings)
    }
}
