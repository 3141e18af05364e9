//! The report: the public, versioned output of an analysis (its types only; a report is
//! put together in [`compose`](crate::compose), with its words from [`advice`](crate::advice)
//! and [`outbound`](crate::outbound)).

use crate::score::Verdict;
use redflag_message::{BodyPartKind, Channel, ParseNote};
use redflag_rules::{Family, Severity};
use serde::Serialize;

/// The result of checking one message. See `docs/report-schema.md`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Version of this structure ([`SCHEMA_VERSION`]).
    pub schema_version: &'static str,
    /// `scam`, `suspicious` or `clean`.
    pub verdict: Verdict,
    /// What to show a person, in the report's language: "Scam", "Suspicious", "No red flags
    /// found".
    pub verdict_label: String,
    /// The language of the report's words (`ja`): the message's own when redflag speaks
    /// it, else `en`.
    pub lang: String,
    /// The country whose reporting bodies `reports` names (`JP`).
    pub country: String,
    /// 0 to 100: the sum of the findings' points, capped at 100.
    pub score: u8,
    /// How the message arrived.
    pub channel: Channel,
    /// The brand profile used (`amazon`).
    pub brand: String,
    /// The message claims to be the brand.
    pub claims_brand: bool,
    /// The scenarios the message uses (scenario rules that fired).
    pub scenarios: Vec<ScenarioRef>,
    /// Every red flag, strongest first.
    pub findings: Vec<ReportFinding>,
    /// What speaks for the message: signs that it is genuine, in plain words.
    pub genuine_signs: Vec<GenuineSign>,
    /// What the message contains that can be looked up or reported.
    pub indicators: ReportIndicators,
    /// What to do.
    pub advice: ReportAdvice,
    /// Ready-to-send reports.
    pub reports: Vec<OutboundReport>,
    /// What could not be read.
    pub notes: Vec<ParseNote>,
    /// The text model's opinion, when a model was used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelOpinion>,
    /// The Your Orders check, when an order history was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orders: Option<redflag_rules::OrderCheck>,
    /// The message as checked; every span points into it.
    pub text: String,
    /// The image the message was read from, with where each red flag is on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<crate::screenshot::ImageReport>,
}

/// What the text model said, and whether it changed the verdict.
#[derive(Debug, Clone, Serialize)]
pub struct ModelOpinion {
    /// Which model (`embedded`, or the file given with `--model`).
    pub name: String,
    /// Its probability that the message is a scam (0 to 1).
    pub probability: f32,
    /// Points it added (the `MDL001` finding).
    pub points: u8,
    /// The verdict would have been different without the model.
    pub moved_verdict: bool,
    /// In plain words.
    pub summary: String,
}

/// A scenario the message uses.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioRef {
    /// Rule ID (`SCN006`).
    pub id: &'static str,
    /// Rule name (`account-locked-lure`).
    pub name: &'static str,
    /// Summary.
    pub summary: String,
}

/// One red flag, explained.
#[derive(Debug, Clone, Serialize)]
pub struct ReportFinding {
    /// Rule ID.
    pub rule: &'static str,
    /// Rule name.
    pub name: &'static str,
    /// Family.
    pub family: Family,
    /// Severity.
    pub severity: Severity,
    /// Points this finding adds to the score.
    pub points: u8,
    /// Weak evidence: context a genuine message can carry too (a story, wording, pressure,
    /// the model's opinion).
    pub soft: bool,
    /// Outweighed by strong signs that the message is genuine (`genuine_signs`), with no
    /// strong red flag beside it: it adds no points.
    pub outweighed: bool,
    /// Short description quoting the evidence, in the report's language.
    pub message: String,
    /// Plain-language explanation, including what the brand never does.
    pub explanation: String,
    /// Where in `text`.
    pub evidence: Vec<ReportEvidence>,
}

/// A sign that the message is genuine, explained.
#[derive(Debug, Clone, Serialize)]
pub struct GenuineSign {
    /// Rule ID (`GEN002`).
    pub rule: &'static str,
    /// Rule name (`brand-links-only`).
    pub name: &'static str,
    /// Strong evidence, which outweighs weak red flags; weak signs only support.
    pub strong: bool,
    /// In plain words, quoting the evidence: "links go only to amazon.co.jp".
    pub message: String,
    /// Why it counts, and its limits.
    pub explanation: String,
    /// Where in `text`.
    pub evidence: Vec<ReportEvidence>,
}

/// What to show people for evidence whose `text` is empty: a link on a picture or a button
/// sits in the text as an empty span where the link was.
pub const EVIDENCE_WITHOUT_WORDS: &str = "a picture or button without words";

/// One piece of evidence.
#[derive(Debug, Clone, Serialize)]
pub struct ReportEvidence {
    /// First byte in `text`.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The text at that span.
    pub text: String,
    /// What about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The email part the evidence is in (`html`, `plain-text`, `plain-text-alternative`),
    /// when the body was read from more than one part: a lure only in the plain-text
    /// version is one the HTML version hides.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<BodyPartKind>,
}

/// Indicators, deduplicated, in order of appearance.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReportIndicators {
    /// Links (de-obfuscated).
    pub urls: Vec<String>,
    /// Registrable domains of the links, and whether each is the brand's.
    pub domains: Vec<DomainIndicator>,
    /// Phone numbers (E.164 when valid, else as written).
    pub phone_numbers: Vec<String>,
    /// Those of `phone_numbers` that are the brand's own (its customer-service numbers in the
    /// profile): a hotline's list of scam numbers leaves them out. Absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub brand_phone_numbers: Vec<String>,
    /// Email addresses: the sender, Reply-To, and any in the text.
    pub emails: Vec<String>,
    /// Money amounts as written.
    pub amounts: Vec<String>,
    /// Order numbers as written, and whether each has the brand's format.
    pub order_numbers: Vec<OrderIndicator>,
    /// Payment methods asked for (gift cards, crypto, wire, fees), from payment findings.
    pub payment_methods: Vec<String>,
}

/// A domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainIndicator {
    /// Registrable domain.
    pub domain: String,
    /// It is one of the brand's.
    pub brand: bool,
}

/// An order number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderIndicator {
    /// As written.
    pub value: String,
    /// Has the brand's format.
    pub brand_format: bool,
}

/// What to do.
#[derive(Debug, Clone, Serialize)]
pub struct ReportAdvice {
    /// One sentence. (The advice texts are the same for every message in a language: the
    /// engine keeps one copy for the life of the process, and reports point at it.)
    pub summary: &'static str,
    /// Steps, most important first.
    pub steps: Vec<&'static str>,
    /// "If you already ..." blocks; the ones that fit this message first.
    pub if_you_already: Vec<AlreadyAdvice>,
}

/// One "if you already ..." block.
#[derive(Debug, Clone, Serialize)]
pub struct AlreadyAdvice {
    /// `called`, `gift_cards`, `card`, `bank`, `remote`, `password`, `ssn`, `clicked`.
    pub key: &'static str,
    /// Heading.
    pub title: &'static str,
    /// Steps.
    pub steps: &'static [&'static str],
    /// This message asked for what the block is about.
    pub relevant: bool,
}

/// One ready-to-send report.
#[derive(Debug, Clone, Serialize)]
pub struct OutboundReport {
    /// `amazon` (the brand's ID), `ftc`, `sms7726` or `hotline`.
    pub to: String,
    /// Who receives it.
    pub name: String,
    /// How it is sent: `email`, `web`, `sms` or `phone`.
    pub method: &'static str,
    /// Address, web address, short code or phone number.
    pub address: String,
    /// Subject line, for email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The text to send or paste.
    pub body: String,
    /// What to do, in plain words.
    pub how: String,
}
