//! Advice for the verdict and scenarios, with "if you already ..." steps.
//!
//! The advice texts depend on the language and the brand, not on the message: each
//! language's are filled in once, when the engine is built ([`AdviceTexts`]), and every
//! report shares them. (Filling and copying some forty texts per check was a twentieth of
//! the CPU of checking an SMS.)

use crate::report::{AlreadyAdvice, ReportAdvice, ScenarioRef};
use crate::score::Verdict;
use redflag_profile::Profile;
use std::collections::BTreeMap;
use std::sync::Arc;

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

/// Every language's advice, filled in for the profile's brand.
#[derive(Debug)]
pub(crate) struct AdviceTexts {
    by_lang: BTreeMap<String, LangAdvice>,
}

/// One language's advice, filled in.
#[derive(Debug)]
struct LangAdvice {
    summary_scam_brand_sent: Arc<str>,
    summary_scam: Arc<str>,
    summary_suspicious: Arc<str>,
    summary_clean: Arc<str>,
    general: Vec<Arc<str>>,
    clean: Vec<Arc<str>>,
    scenario: BTreeMap<String, Vec<Arc<str>>>,
    /// The blocks in the advice file's order of keys, each with the rules that make it
    /// relevant and its position in [`ALREADY_TRIGGERS`] (the layout's order).
    already: Vec<(AlreadyAdvice, &'static [&'static str], usize)>,
}

impl AdviceTexts {
    pub(crate) fn new(profile: &Profile) -> AdviceTexts {
        let by_lang = profile
            .locales
            .keys()
            .map(|lang| (lang.clone(), LangAdvice::new(profile, lang)))
            .collect();
        AdviceTexts { by_lang }
    }

    /// A language's advice, or English's when the profile has none for it (as
    /// [`Profile::locale`] falls back).
    fn lang(&self, lang: &str) -> &LangAdvice {
        self.by_lang
            .get(lang)
            .or_else(|| self.by_lang.get("en"))
            .expect("the English locale is always loaded")
    }
}

impl LangAdvice {
    fn new(profile: &Profile, lang: &str) -> LangAdvice {
        let words = profile.locale(lang);
        let (a, ui) = (&words.advice, &words.ui);
        let fill = |s: &str| Arc::<str>::from(profile.fill_in(lang, s));
        let fill_all = |v: &[String]| v.iter().map(|s| fill(s)).collect::<Vec<_>>();
        let already = a
            .already
            .iter()
            .map(|(key, block)| {
                let (order, triggers) = ALREADY_TRIGGERS
                    .iter()
                    .position(|(k, _)| k == key)
                    .map_or((usize::MAX, &[][..]), |i| (i, ALREADY_TRIGGERS[i].1));
                let advice = AlreadyAdvice {
                    key: Arc::from(key.as_str()),
                    title: fill(&block.title),
                    steps: fill_all(&block.steps).into(),
                    relevant: false,
                };
                (advice, triggers, order)
            })
            .collect();
        LangAdvice {
            summary_scam_brand_sent: fill(&ui.summary_scam_brand_sent),
            summary_scam: fill(&ui.summary_scam),
            summary_suspicious: fill(&ui.summary_suspicious),
            summary_clean: fill(&ui.summary_clean),
            general: fill_all(&a.general),
            clean: fill_all(&a.clean),
            scenario: a
                .scenario
                .iter()
                .map(|(id, steps)| (id.clone(), fill_all(steps)))
                .collect(),
            already,
        }
    }
}

pub(crate) fn build(
    texts: &AdviceTexts,
    lang: &str,
    verdict: Verdict,
    scenarios: &[ScenarioRef],
    fired: &[&str],
    brand_sent: bool,
) -> ReportAdvice {
    let a = texts.lang(lang);
    let summary = match (verdict, brand_sent) {
        // Scammers abuse the brand's own mail (a review invitation or a business-account
        // name stuffed with their number): the sender is real, the words inside are not.
        (Verdict::Scam, true) => &a.summary_scam_brand_sent,
        (Verdict::Scam, false) => &a.summary_scam,
        (Verdict::Suspicious, _) => &a.summary_suspicious,
        (Verdict::Clean, _) => &a.summary_clean,
    };
    let base = if verdict == Verdict::Clean {
        &a.clean
    } else {
        &a.general
    };
    let mut steps: Vec<Arc<str>> = base.clone();
    if verdict != Verdict::Clean {
        for sc in scenarios {
            if let Some(extra) = a.scenario.get(sc.id) {
                steps.extend(extra.iter().cloned());
            }
        }
    }
    let mut already: Vec<(AlreadyAdvice, usize)> = a
        .already
        .iter()
        .map(|(block, triggers, order)| {
            let relevant = verdict != Verdict::Clean
                && fired
                    .iter()
                    .any(|id| triggers.iter().any(|t| id.starts_with(t)));
            (
                AlreadyAdvice {
                    relevant,
                    ..block.clone()
                },
                *order,
            )
        })
        .collect();
    // Relevant first, then the advice file's order of keys for a stable layout.
    already.sort_by_key(|(b, order)| (!b.relevant, *order));
    ReportAdvice {
        summary: summary.clone(),
        steps,
        if_you_already: already.into_iter().map(|(b, _)| b).collect(),
    }
}
