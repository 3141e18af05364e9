//! The assessment: the verdict, the score and every finding with its points and evidence
//! spans, without the words around them (no explanations, advice, ready-to-send reports or
//! report language). What a mail filter or a triage queue needs per message, at a fraction
//! of a report's cost; [`Engine::analyze`](crate::Engine::analyze) gives the same verdict,
//! score and findings with the words.

use crate::SCHEMA_VERSION;
use crate::score::{Verdict, score};
use redflag_message::{Channel, Message, Span};
use redflag_profile::Profile;
use redflag_rules::{Context, Family, Finding, Severity};
use serde::Serialize;

/// The verdict and its grounds, without the explanations. See `docs/report-schema.md`.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// Version of the report schema this belongs to ([`SCHEMA_VERSION`]).
    pub schema_version: &'static str,
    /// `scam`, `suspicious` or `clean`: the report's verdict.
    pub verdict: Verdict,
    /// 0 to 100: the report's score.
    pub score: u8,
    /// How the message arrived.
    pub channel: Channel,
    /// The brand profile used (`amazon`).
    pub brand: String,
    /// The message claims to be the brand.
    pub claims_brand: bool,
    /// Every red flag, strongest first, in the report's order.
    pub findings: Vec<AssessedFinding>,
    /// The signs that the message is genuine (`GEN` rules), by rule ID.
    pub genuine_signs: Vec<AssessedFinding>,
    /// The text model's probability that the message is a scam, when a model was used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_probability: Option<f32>,
    /// How many notes on what could not be read the report would carry.
    pub notes: usize,
}

/// One finding: which rule, its points, and where in the message's text.
#[derive(Debug, Clone, Serialize)]
pub struct AssessedFinding {
    /// Rule ID (`LNK002`).
    pub rule: &'static str,
    /// Rule name.
    pub name: &'static str,
    /// Family.
    pub family: Family,
    /// Severity.
    pub severity: Severity,
    /// Points this finding adds to the score (0 for a genuine sign).
    pub points: u8,
    /// Weak evidence (for a genuine sign: not a strong one).
    pub soft: bool,
    /// Outweighed by strong genuine signs: it adds no points.
    pub outweighed: bool,
    /// The rule's short description, in English, quoting the evidence.
    pub message: String,
    /// Byte spans in the message's text (`Message::text`).
    pub evidence: Vec<Span>,
}

/// Findings with their points and whether each is outweighed, split into genuine signs and
/// red flags (strongest first), and the total: the ranking the report and the assessment
/// share.
pub(crate) struct Ranked {
    pub(crate) total: u8,
    pub(crate) genuine: Vec<((u8, bool), Finding)>,
    pub(crate) red_flags: Vec<((u8, bool), Finding)>,
}

pub(crate) fn rank(mut findings: Vec<Finding>) -> Ranked {
    // Keep the rule order for scoring, then present strongest first.
    findings.sort_by_key(|f| f.rule.id);
    let scored = score(&findings);
    let (genuine, mut red_flags): (Vec<_>, Vec<_>) = scored
        .points
        .into_iter()
        .zip(scored.outweighed)
        .zip(findings)
        .partition(|(_, f)| f.rule.family == Family::GENUINE);
    red_flags.sort_by(|((pa, _), fa), ((pb, _), fb)| {
        pb.cmp(pa)
            .then(fb.rule.severity.cmp(&fa.rule.severity))
            .then(fa.rule.id.cmp(fb.rule.id))
    });
    Ranked {
        total: scored.total,
        genuine,
        red_flags,
    }
}

pub(crate) fn build(
    profile: &Profile,
    msg: &Message,
    limits: usize,
    cx: &Context<'_>,
    findings: Vec<Finding>,
) -> Assessment {
    let ranked = rank(findings);
    let item = |((points, outweighed), f): ((u8, bool), Finding)| AssessedFinding {
        rule: f.rule.id,
        name: f.rule.name,
        family: f.rule.family,
        severity: f.rule.severity,
        points,
        soft: f.soft,
        outweighed,
        message: f.message,
        evidence: f.evidence.into_iter().map(|e| e.span).collect(),
    };
    Assessment {
        schema_version: SCHEMA_VERSION,
        verdict: Verdict::from_score(ranked.total),
        score: ranked.total,
        channel: msg.channel,
        brand: profile.brand.id.clone(),
        claims_brand: cx.claim.claims,
        findings: ranked.red_flags.into_iter().map(item).collect(),
        genuine_signs: ranked.genuine.into_iter().map(item).collect(),
        model_probability: cx.model_probability,
        notes: msg.notes.len() + limits,
    }
}
