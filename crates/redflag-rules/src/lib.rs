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
mod lists;
mod rules;
mod spelling;

pub use context::{AuthStatus, BrandClaim, Context, VerifiedBy, VerifiedSender};
pub use docs::rules_markdown;
pub use rules::orders::{OrderCheck, OrderMatch};
pub use rules::{CUT_SHORT_NOTES, MODEL_CHANNELS, MODEL_STANDALONE_POINTS, RULES};

use redflag_message::{Channel, Span};
use serde::Serialize;

/// A family of red flags, one per group of the advisory's warnings (and the signs of a
/// genuine message). Each file in `src/rules/` is one family: it declares the family with
/// [`family!`] and its rules with [`rule!`], and the build script registers both, so that a
/// new family is a new file. Families compare by name and sort by their `rank`.
#[derive(Clone, Copy)]
pub struct Family(&'static FamilyMeta);

/// What a family is: written once, in its file's [`family!`].
#[derive(Debug)]
pub struct FamilyMeta {
    /// Kebab-case name, as reports write it (`remote-access`).
    pub name: &'static str,
    /// The ID prefix of its rules (`RMT`).
    pub prefix: &'static str,
    /// A heading for people.
    pub title: &'static str,
    /// Where it comes in lists of families (`docs/rules.md`, the order of a report's
    /// findings of equal points): the advisory's order.
    pub rank: u8,
}

impl Family {
    /// The advisory's scenarios (SCN).
    pub const SCENARIO: Family = Family(&rules::scenario::FAMILY);
    /// Payment outside the brand (PAY).
    pub const PAYMENT: Family = Family(&rules::payment::FAMILY);
    /// Typos and bad grammar (LNG).
    pub const LANGUAGE: Family = Family(&rules::language::FAMILY);
    /// Pressure and threats (URG).
    pub const PRESSURE: Family = Family(&rules::pressure::FAMILY);
    /// The statistical text model's opinion (MDL).
    pub const MODEL: Family = Family(&rules::model::FAMILY);
    /// Signs that the message is genuine (GEN): not red flags, evidence for the message.
    pub const GENUINE: Family = Family(&rules::genuine::FAMILY);

    /// The family a [`family!`] declared (for [`rule!`]).
    pub const fn of(meta: &'static FamilyMeta) -> Family {
        Family(meta)
    }

    /// Kebab-case name (`remote-access`).
    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// The family's ID prefix.
    pub fn prefix(self) -> &'static str {
        self.0.prefix
    }

    /// A heading for people.
    pub fn title(self) -> &'static str {
        self.0.title
    }
}

impl PartialEq for Family {
    fn eq(&self, other: &Family) -> bool {
        self.0.name == other.0.name
    }
}

impl Eq for Family {}

impl std::hash::Hash for Family {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.name.hash(state);
    }
}

impl PartialOrd for Family {
    fn partial_cmp(&self, other: &Family) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Family {
    fn cmp(&self, other: &Family) -> std::cmp::Ordering {
        (self.0.rank, self.0.name).cmp(&(other.0.rank, other.0.name))
    }
}

impl std::fmt::Debug for Family {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.name)
    }
}

impl Serialize for Family {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.name)
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

/// Declares the family of the rules in a file of `src/rules/`: its `FAMILY`.
///
/// ```text
/// family! {
///     /// Pressure and threats (URG).
///     name: "pressure", prefix: "URG", title: "Pressure and threats", rank: 10,
/// }
/// ```
#[macro_export]
macro_rules! family {
    (
        $(#[doc = $doc:literal])*
        name: $name:literal, prefix: $prefix:literal, title: $title:literal, rank: $rank:literal $(,)?
    ) => {
        $(#[doc = $doc])*
        pub static FAMILY: $crate::FamilyMeta = $crate::FamilyMeta {
            name: $name,
            prefix: $prefix,
            title: $title,
            rank: $rank,
        };
    };
}

/// Declares a rule: a unit struct with everything about it in one place: its doc comment
/// (the long documentation), metadata, lifecycle, one-line summary, the explanation a person
/// reads, and its check function.
///
/// ```text
/// rule! {
///     /// What it finds, why it matters, an example, known false positives.
///     pub struct SecurityBreachLure;
///     id: "SCN001", name: "security-breach-lure", severity: Low,
///     points: 10, channels: ALL, soft: true, status: Stable("0.1.0"),
///     summary: "Talks about a security breach",
///     explain: "The message says your {brand} account was hacked...",
///     check: phrase_rule
/// }
/// ```
///
/// The rule's family is its file's (the `FAMILY` that [`family!`] declares there).
/// `soft: true` marks weak evidence (see [`RuleMeta::soft`]); rules are strong without it.
/// `status` is `Stable`, `Deprecated` or `Removed` with the version it took effect
/// ([`Status`]). `summary` and `explain` write `{brand}` for the brand's name.
#[macro_export]
macro_rules! rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident;
        id: $id:literal, name: $rname:literal, severity: $sev:ident,
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
                    family: $crate::Family::of(&FAMILY),
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
