//! The red-flag rules.
//!
//! Each rule is a unit struct declared with [`rule!`], which gives it a stable ID (`ABC123`),
//! a kebab-case name naming the bad pattern, a family, a severity, the points it adds to the
//! score, the channels it applies to, a one-line summary and its doc comment (which is also
//! its long documentation in `redflag explain ID` and `docs/rules.md`). [`RULES`] lists them
//! all, sorted by ID.
//!
//! **Invariants:** rules never fail and never do IO. They read a [`Context`] built once per
//! message and push [`Finding`]s, each pointing at evidence in `Message::text`. Rule IDs are
//! permanent: a retired rule keeps its ID with [`Status::Removed`].
//!
//! Rules decide *what* is a red flag; the engine (`redflag-engine`) decides how much the
//! findings add up to.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod context;
mod docs;
mod helpers;
mod orders;
mod rules;
mod spelling;

pub use context::{AuthStatus, BrandClaim, Context, VerifiedBy, VerifiedSender};
pub use docs::rules_markdown;
pub use orders::{MAX_ORDERS, Order, OrderHistory, OrdersError, amount_cents, order_key};
pub use rules::orders::{OrderCheck, OrderMatch, check_orders};
pub use rules::{CUT_SHORT_NOTES, MODEL_CHANNELS, MODEL_STANDALONE_POINTS, RULES};

use redflag_message::{Channel, Span};
use serde::Serialize;

/// A family of red flags, one per group of the advisory's warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// Claims to be the brand (IMP).
    Impersonation,
    /// The advisory's scenarios (SCN).
    Scenario,
    /// Phone numbers to call (PHN).
    Callback,
    /// Links to phony sites (LNK).
    Links,
    /// Requests for logins, card, bank, SSN and identity data (CRD).
    Credentials,
    /// Remote access and software installs (RMT).
    RemoteAccess,
    /// Payment outside the brand (PAY).
    Payment,
    /// Risky attachments (ATT).
    Attachments,
    /// Typos and bad grammar (LNG).
    Language,
    /// Forged senders (SND).
    Sender,
    /// Pressure and threats (URG).
    Pressure,
    /// Order claims (ORD).
    Orders,
    /// The statistical text model's opinion (MDL).
    Model,
    /// redflag's own limits: part of the message was not read (LIM).
    Limits,
    /// Signs that the message is genuine (GEN): not red flags, evidence for the message.
    Genuine,
}

impl Family {
    /// The family's ID prefix.
    pub fn prefix(self) -> &'static str {
        match self {
            Family::Impersonation => "IMP",
            Family::Scenario => "SCN",
            Family::Callback => "PHN",
            Family::Links => "LNK",
            Family::Credentials => "CRD",
            Family::RemoteAccess => "RMT",
            Family::Payment => "PAY",
            Family::Attachments => "ATT",
            Family::Language => "LNG",
            Family::Sender => "SND",
            Family::Pressure => "URG",
            Family::Orders => "ORD",
            Family::Model => "MDL",
            Family::Limits => "LIM",
            Family::Genuine => "GEN",
        }
    }

    /// A heading for people.
    pub fn title(self) -> &'static str {
        match self {
            Family::Impersonation => "Claims to be the brand",
            Family::Scenario => "Scam scenarios",
            Family::Callback => "Callback numbers",
            Family::Links => "Links to phony sites",
            Family::Credentials => "Requests for personal and financial information",
            Family::RemoteAccess => "Remote access and software installs",
            Family::Payment => "Payment outside the brand's website",
            Family::Attachments => "Risky attachments",
            Family::Language => "Typos and bad grammar",
            Family::Sender => "Forged senders",
            Family::Pressure => "Pressure and threats",
            Family::Orders => "Order claims",
            Family::Model => "Text model",
            Family::Limits => "Analysis cut short",
            Family::Genuine => "Signs of a genuine message",
        }
    }
}

/// How bad a finding is on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Context, not a red flag by itself.
    Info,
    /// Weak on its own.
    Low,
    /// A red flag.
    Medium,
    /// A strong red flag.
    High,
    /// Only scams do this.
    Critical,
}

impl Severity {
    /// Lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// Lifecycle of a rule, written in its [`rule!`] as `status: Stable("0.1.0")`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "status")]
pub enum Status {
    /// In use since the version given.
    Stable {
        /// First version with the rule.
        since: &'static str,
    },
    /// Still runs, but is going away (its doc comment says what replaces it).
    Deprecated {
        /// Version that deprecated it.
        since: &'static str,
    },
    /// Retired: it no longer runs, and its ID is never reused.
    Removed {
        /// Version that retired it.
        since: &'static str,
    },
}

impl Status {
    /// Whether a rule with this status runs.
    pub fn runs(self) -> bool {
        !matches!(self, Status::Removed { .. })
    }
}

/// Everything known about a rule except its logic.
#[derive(Debug, Serialize)]
pub struct RuleMeta {
    /// Stable ID, `^[A-Z]{3}\d{3}$`.
    pub id: &'static str,
    /// Kebab-case name of the bad pattern.
    pub name: &'static str,
    /// Family.
    pub family: Family,
    /// Severity.
    pub severity: Severity,
    /// Points a finding adds to the score (0–100), unless the finding says otherwise.
    pub points: u8,
    /// Channels the rule runs on.
    pub channels: &'static [Channel],
    /// Weak evidence. For a red flag: context a genuine message can carry too (a story,
    /// wording, pressure, the model's opinion), which strong signs that the message is
    /// genuine outweigh. For a sign of a genuine message: supporting evidence only, which
    /// outweighs nothing.
    pub soft: bool,
    /// Lifecycle.
    pub status: Status,
    /// One line, with `{brand}` for the brand's name (`Profile::fill` puts it in).
    pub summary: &'static str,
    /// What a person is told when the rule fires, in plain words, with `{brand}` for the
    /// brand's name. Other languages have theirs in the locale files
    /// (`data/lang/<lang>-text.toml`); a rule a locale does not translate falls back to this.
    pub explain: &'static str,
    /// The long documentation (the rule's doc comment).
    pub doc: &'static str,
}

/// A piece of evidence: a span of `Message::text`, with an optional note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Where.
    pub span: Span,
    /// What about it, when the span alone does not say (`goes to evil.example`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Evidence {
    /// Evidence without a note.
    pub fn at(span: Span) -> Evidence {
        Evidence { span, note: None }
    }

    /// Evidence with a note.
    pub fn with_note(span: Span, note: impl Into<String>) -> Evidence {
        Evidence {
            span,
            note: Some(note.into()),
        }
    }
}

/// One red flag found in a message.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The rule that found it.
    pub rule: &'static RuleMeta,
    /// Short, lowercase, quoting its evidence: ``links to `amaz0n-help.top` ``.
    pub message: String,
    /// Where in the message (at least one span).
    pub evidence: Vec<Evidence>,
    /// Points for this finding (usually the rule's).
    pub points: u8,
    /// Weak evidence (usually the rule's [`RuleMeta::soft`]; a rule may judge one finding
    /// weaker or stronger than its usual).
    pub soft: bool,
}

impl Finding {
    /// A finding with the rule's default points.
    pub fn new(
        rule: &'static RuleMeta,
        message: impl Into<String>,
        evidence: Vec<Evidence>,
    ) -> Finding {
        Finding {
            rule,
            message: message.into(),
            evidence,
            points: rule.points,
            soft: rule.soft,
        }
    }

    /// The same finding with other points.
    pub fn points(mut self, points: u8) -> Finding {
        self.points = points;
        self
    }

    /// The same finding, judged weak (`true`) or strong (`false`) evidence.
    pub fn soft(mut self, soft: bool) -> Finding {
        self.soft = soft;
        self
    }
}

/// A red-flag rule.
pub trait Rule: Sync {
    /// The rule's metadata.
    fn meta(&self) -> &'static RuleMeta;
    /// Looks at the message and pushes findings. Never fails, never does IO.
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>);
}

/// Every channel.
pub const ALL: &[Channel] = &Channel::ALL;
/// Email only.
pub const EMAIL: &[Channel] = &[Channel::Email];
/// Text channels (SMS and chat).
pub const TEXTS: &[Channel] = &[Channel::Sms, Channel::Chat];
/// Calls only.
pub const CALL: &[Channel] = &[Channel::Call];

/// Declares a rule: a unit struct with everything about it in one place: its doc comment
/// (the long documentation), metadata, lifecycle, one-line summary, the explanation a person
/// reads, and its check function.
///
/// ```text
/// rule! {
///     /// What it finds, why it matters, an example, known false positives.
///     pub struct SecurityBreachLure;
///     id: "SCN001", name: "security-breach-lure", family: Scenario, severity: Low,
///     points: 10, channels: ALL, soft: true, status: Stable("0.1.0"),
///     summary: "Talks about a security breach",
///     explain: "The message says your {brand} account was hacked...",
///     check: phrase_rule
/// }
/// ```
///
/// `soft: true` marks weak evidence (see [`RuleMeta::soft`]); rules are strong without it.
/// `status` is `Stable`, `Deprecated` or `Removed` with the version it took effect
/// ([`Status`]). `summary` and `explain` write `{brand}` for the brand's name.
#[macro_export]
macro_rules! rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident;
        id: $id:literal, name: $rname:literal, family: $family:ident, severity: $sev:ident,
        points: $points:literal, channels: $channels:expr, $(soft: $soft:literal,)?
        status: $status:ident($since:literal), summary: $summary:literal,
        explain: $explain:literal, check: $check:expr $(,)?
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name;

        impl $crate::Rule for $name {
            fn meta(&self) -> &'static $crate::RuleMeta {
                static META: $crate::RuleMeta = $crate::RuleMeta {
                    id: $id,
                    name: $rname,
                    family: $crate::Family::$family,
                    severity: $crate::Severity::$sev,
                    points: $points,
                    channels: $channels,
                    soft: false $(|| $soft)?,
                    status: $crate::Status::$status { since: $since },
                    summary: $summary,
                    explain: $explain,
                    doc: concat!($($doc, "\n"),*),
                };
                &META
            }

            fn check(&self, cx: &$crate::Context<'_>, out: &mut Vec<$crate::Finding>) {
                let check: fn(&$crate::Context<'_>, &'static $crate::RuleMeta, &mut Vec<$crate::Finding>) = $check;
                check(cx, self.meta(), out)
            }
        }
    };
}

/// Finds a rule by ID (case-insensitive) or name.
pub fn find_rule(key: &str) -> Option<&'static dyn Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.meta().id.eq_ignore_ascii_case(key) || r.meta().name == key)
}

/// Runs every rule that applies to the message's channel, in ID order.
pub fn run_rules(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in RULES {
        let meta = rule.meta();
        if meta.status.runs() && meta.channels.contains(&cx.msg.channel) {
            rule.check(cx, &mut out);
        }
    }
    out
}
