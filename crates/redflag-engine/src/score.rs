//! From findings to a score and a verdict.
//!
//! The score is the sum of the findings' points, capped at 100, where each rule counts once
//! (its strongest finding) and a few families are capped, because many weak signals of one
//! kind (three scenario phrases, two pressure phrases) are not three times the evidence.
//! So every point of the score is listed next to the finding that earned it.
//!
//! The text model's finding (`MDL001`) mostly only adds weight to red flags: when no finding
//! of severity low or above has points, the model's finding keeps 0 points, unless the rule
//! gave it [`MODEL_STANDALONE_POINTS`] (a 99% opinion on a message where nothing looks
//! genuine), which makes the message "suspicious" and never more on its own.
//!
//! Signs of a genuine message (`GEN`) never add points. When a strong one is present (an
//! authenticated sender, links only to the brand, a registered text sender, a code with a
//! warning) and no strong red flag has points, the weak red flags (stories, wording,
//! pressure, the model: `Finding::soft`) count for nothing: they are outweighed, and the
//! report says so next to each. A strong red flag is never outweighed.

use redflag_rules::{Family, Finding, MODEL_STANDALONE_POINTS, Severity};
use serde::Serialize;
use std::borrow::Borrow;
use std::collections::BTreeMap;

/// Score at or above which the verdict is `scam`.
pub const SCAM_THRESHOLD: u8 = 60;
/// Score at or above which the verdict is `suspicious`.
pub const SUSPICIOUS_THRESHOLD: u8 = 30;

/// The most points a family can add.
fn family_cap(f: Family) -> u32 {
    if f == Family::SCENARIO || f == Family::LANGUAGE {
        20
    } else if f == Family::PRESSURE {
        35
    } else {
        100
    }
}

/// The verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// No red flags found (never "safe").
    Clean,
    /// Some red flags: check before doing anything.
    Suspicious,
    /// A scam.
    Scam,
}

impl Verdict {
    /// Lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Clean => "clean",
            Verdict::Suspicious => "suspicious",
            Verdict::Scam => "scam",
        }
    }

    /// What a person is shown.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Clean => "No red flags found",
            Verdict::Suspicious => "Suspicious",
            Verdict::Scam => "Scam",
        }
    }

    /// The verdict for a score.
    pub fn from_score(score: u8) -> Verdict {
        if score >= SCAM_THRESHOLD {
            Verdict::Scam
        } else if score >= SUSPICIOUS_THRESHOLD {
            Verdict::Suspicious
        } else {
            Verdict::Clean
        }
    }
}

/// What scoring made of the findings.
pub(crate) struct Scored {
    /// Points per finding (same order as the input).
    pub points: Vec<u8>,
    /// The total, 0 to 100.
    pub total: u8,
    /// Findings outweighed by strong signs of a genuine message (same order).
    pub outweighed: Vec<bool>,
}

/// True for a strong sign of a genuine message.
fn vouches(f: &Finding) -> bool {
    f.rule.family == Family::GENUINE && !f.soft
}

/// True for a strong red flag that counts.
fn strong_red_flag(f: &Finding) -> bool {
    f.rule.family != Family::GENUINE && !f.soft && f.points > 0 && f.rule.severity > Severity::Info
}

/// Assigns the points each finding contributes (after strong signs of a genuine message
/// outweigh weak red flags, and the once-per-rule and family caps) and returns them with the
/// total. `findings` must be in rule order.
/// The findings may be given as references (`&[&Finding]`), so that scoring a selection of
/// them copies none.
pub(crate) fn score<F: Borrow<Finding>>(findings: &[F]) -> Scored {
    let outweigh = findings.iter().any(|f| vouches(f.borrow()))
        && !findings.iter().any(|f| strong_red_flag(f.borrow()));
    let outweighed: Vec<bool> = findings
        .iter()
        .map(Borrow::borrow)
        .map(|f| outweigh && f.soft && f.rule.family != Family::GENUINE && f.points > 0)
        .collect();
    let (points, total) = add_up(findings, |i| {
        if outweighed[i] {
            0
        } else {
            findings[i].borrow().points
        }
    });
    Scored {
        points,
        total,
        outweighed,
    }
}

/// The once-per-rule and family caps, over each finding's points as `points_of` gives them.
fn add_up<F: Borrow<Finding>>(all: &[F], points_of: impl Fn(usize) -> u8) -> (Vec<u8>, u8) {
    let points_of: Vec<u8> = (0..all.len()).map(points_of).collect();
    let finding = |i: usize| all[i].borrow();
    let mut best: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, f) in all.iter().map(Borrow::borrow).enumerate() {
        let e = best.entry(f.rule.id).or_insert(i);
        if points_of[*e] < points_of[i] {
            *e = i;
        }
    }
    // The model only adds weight to red flags: with none (only context such as an order
    // confirmation), its finding stays in the report with no points.
    let has_red_flag = best.values().any(|&i| {
        finding(i).rule.family != Family::MODEL
            && finding(i).rule.severity > Severity::Info
            && points_of[i] > 0
    });
    if !has_red_flag {
        best.retain(|_, i| {
            finding(*i).rule.family != Family::MODEL || points_of[*i] >= MODEL_STANDALONE_POINTS
        });
    }
    let mut used: BTreeMap<Family, u32> = BTreeMap::new();
    let mut points = vec![0u8; all.len()];
    let mut total = 0u32;
    // Strongest findings first, so a family cap trims the weak ones.
    let mut order: Vec<usize> = best.values().copied().collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(points_of[i]), finding(i).rule.id));
    for i in order {
        let f = finding(i);
        let u = used.entry(f.rule.family).or_default();
        let p = u32::from(points_of[i])
            .min(family_cap(f.rule.family).saturating_sub(*u))
            .min(100 - total.min(100));
        *u += p;
        total += p;
        points[i] = p as u8;
    }
    (points, total.min(100) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds() {
        assert_eq!(Verdict::from_score(0), Verdict::Clean);
        assert_eq!(Verdict::from_score(29), Verdict::Clean);
        assert_eq!(Verdict::from_score(30), Verdict::Suspicious);
        assert_eq!(Verdict::from_score(59), Verdict::Suspicious);
        assert_eq!(Verdict::from_score(60), Verdict::Scam);
        assert_eq!(Verdict::from_score(100), Verdict::Scam);
        assert_eq!(Verdict::Clean.label(), "No red flags found");
    }

    /// A finding of a rule by ID, with the rule's points and softness.
    fn finding(id: &str) -> Finding {
        let meta = redflag_rules::find_rule(id).expect("a rule").meta();
        let span = redflag_message::Span::new(0, 1);
        Finding::new(meta, id, vec![redflag_rules::Evidence::at(span)])
    }

    fn scored(ids: &[&str]) -> Scored {
        let mut fs: Vec<Finding> = ids.iter().map(|id| finding(id)).collect();
        fs.sort_by_key(|f| f.rule.id);
        score(&fs)
    }

    #[test]
    fn a_strong_genuine_sign_outweighs_weak_red_flags_only() {
        // A story and pressure (weak, 10 + 15 + 10) with links only to the brand: nothing.
        let s = scored(&["GEN002", "SCN006", "URG001", "URG002"]);
        assert_eq!(s.total, 0);
        assert_eq!(s.outweighed, vec![false, true, true, true]);
        // Without the sign they count.
        assert_eq!(scored(&["SCN006", "URG001", "URG002"]).total, 35);
        // A strong red flag beside them: nothing is outweighed.
        let s = scored(&["GEN002", "PHN001", "SCN006", "URG001"]);
        assert_eq!(s.total, 65);
        assert!(s.outweighed.iter().all(|o| !o));
        // A weak sign (order numbers in the brand's format) outweighs nothing.
        assert_eq!(scored(&["GEN003", "SCN006", "URG002"]).total, 25);
    }

    #[test]
    fn a_finding_judged_weak_can_be_outweighed() {
        let mut card = finding("CRD003");
        assert!(!card.soft);
        card = card.soft(true);
        let mut fs = vec![card, finding("GEN001")];
        fs.sort_by_key(|f| f.rule.id);
        let s = score(&fs);
        assert_eq!(s.total, 0);
        let strong = vec![finding("CRD003"), finding("GEN001")];
        assert_eq!(score(&strong).total, 35);
    }
}
