//! Advice for the verdict and scenarios, with "if you already ..." steps.

use crate::report::{AlreadyAdvice, ReportAdvice, ScenarioRef};
use crate::score::Verdict;
use redflag_profile::Profile;

/// Which rules make an "if you already ..." block relevant.
const ALREADY_TRIGGERS: &[(&str, &[&str])] = &[
    ("called", &["PHN"]),
    ("gift_cards", &["PAY001", "PAY002", "PAY006"]),
    ("card", &["CRD003", "SCN011"]),
    ("bank", &["CRD004", "PAY003", "PAY004", "PAY005"]),
    ("remote", &["RMT", "SCN012"]),
    ("password", &["CRD001", "CRD002", "CRD008"]),
    ("ssn", &["CRD005", "CRD006", "CRD007"]),
    ("clicked", &["LNK", "ATT"]),
];

pub(crate) fn build(
    profile: &Profile,
    lang: &str,
    verdict: Verdict,
    scenarios: &[ScenarioRef],
    fired: &[&str],
    brand_sent: bool,
) -> ReportAdvice {
    let words = profile.locale(lang);
    let a = &words.advice;
    let ui = &words.ui;
    let summary = match (verdict, brand_sent) {
        // Scammers abuse the brand's own mail (a review invitation or a business-account
        // name stuffed with their number): the sender is real, the words inside are not.
        (Verdict::Scam, true) => &ui.summary_scam_brand_sent,
        (Verdict::Scam, false) => &ui.summary_scam,
        (Verdict::Suspicious, _) => &ui.summary_suspicious,
        (Verdict::Clean, _) => &ui.summary_clean,
    };
    let summary = profile.fill_in(lang, summary);
    let mut steps: Vec<String> = Vec::new();
    let base = if verdict == Verdict::Clean {
        &a.clean
    } else {
        &a.general
    };
    steps.extend(base.iter().map(|s| profile.fill_in(lang, s)));
    if verdict != Verdict::Clean {
        for sc in scenarios {
            if let Some(extra) = a.scenario.get(sc.id) {
                steps.extend(extra.iter().map(|s| profile.fill_in(lang, s)));
            }
        }
    }
    let mut already: Vec<AlreadyAdvice> = a
        .already
        .iter()
        .map(|(key, block)| {
            let triggers = ALREADY_TRIGGERS
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, t)| *t)
                .unwrap_or(&[]);
            let relevant = verdict != Verdict::Clean
                && fired
                    .iter()
                    .any(|id| triggers.iter().any(|t| id.starts_with(t)));
            AlreadyAdvice {
                key: key.clone(),
                title: profile.fill_in(lang, &block.title),
                steps: block
                    .steps
                    .iter()
                    .map(|s| profile.fill_in(lang, s))
                    .collect(),
                relevant,
            }
        })
        .collect();
    // Relevant first, then the advice file's order of keys for a stable layout.
    let order = |k: &str| {
        ALREADY_TRIGGERS
            .iter()
            .position(|(key, _)| *key == k)
            .unwrap_or(usize::MAX)
    };
    already.sort_by_key(|b| (!b.relevant, order(&b.key)));
    ReportAdvice {
        summary,
        steps,
        if_you_already: already,
    }
}
