//! Advice for the verdict and scenarios, with "if you already ..." steps.
//!
//! The advice texts depend on the language and the brand, not on the message: each
//! language's are filled in once, when the engine is built ([`AdviceTexts`]), and every
//! report points at them. (Filling and copying some forty texts per check was a twentieth
//! of the CPU of checking an SMS.) They are interned for the life of the process, so a
//! report holds `&'static str`: no copy, and no reference count that the threads of a
//! server would all write to (shared `Arc`s made the load test slower on two cores even
//! as the checks took fewer instructions). Building an engine again with the same
//! profile adds nothing.

use crate::report::{AlreadyAdvice, ReportAdvice, ScenarioRef};
use crate::score::Verdict;
use redflag_profile::Profile;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, PoisonError};

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
    summary_scam_brand_sent: &'static str,
    summary_scam: &'static str,
    summary_suspicious: &'static str,
    summary_clean: &'static str,
    general: Vec<&'static str>,
    clean: Vec<&'static str>,
    scenario: BTreeMap<String, Vec<&'static str>>,
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
        let fill = |s: &str| intern(profile.fill_in(lang, s));
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
                    key: intern(key.clone()),
                    title: fill(&block.title),
                    steps: intern_all(fill_all(&block.steps)),
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

/// The process's copy of a text: the same text is stored once, however many engines ask.
fn intern(text: String) -> &'static str {
    static TEXTS: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    keep(&TEXTS, text.into_boxed_str())
}

/// The process's copy of a list of interned texts.
fn intern_all(list: Vec<&'static str>) -> &'static [&'static str] {
    static LISTS: Mutex<BTreeSet<&'static [&'static str]>> = Mutex::new(BTreeSet::new());
    keep(&LISTS, list.into_boxed_slice())
}

/// The copy of `value` in `kept`, leaked into it the first time it is asked for.
fn keep<T: Ord + ?Sized>(kept: &Mutex<BTreeSet<&'static T>>, value: Box<T>) -> &'static T {
    let mut kept = kept.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(&old) = kept.get(&*value) {
        return old;
    }
    let new: &'static T = Box::leak(value);
    kept.insert(new);
    new
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
    let mut steps: Vec<&'static str> = base.clone();
    if verdict != Verdict::Clean {
        for sc in scenarios {
            if let Some(extra) = a.scenario.get(sc.id) {
                steps.extend(extra);
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
        summary,
        steps,
        if_you_already: already.into_iter().map(|(b, _)| b).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A second engine with the same profile finds every text already stored: the same
    /// addresses, nothing more kept.
    #[test]
    fn building_an_engine_again_stores_no_new_texts() {
        let profile = Profile::embedded();
        let (a, b) = (AdviceTexts::new(&profile), AdviceTexts::new(&profile));
        for lang in profile.locales.keys() {
            let (x, y) = (a.lang(lang), b.lang(lang));
            assert!(std::ptr::eq(x.summary_scam, y.summary_scam), "{lang}");
            assert_eq!(x.general.len(), y.general.len());
            for (s, t) in x.general.iter().zip(&y.general) {
                assert!(std::ptr::eq(*s, *t), "{lang}: {s}");
            }
            for ((p, ..), (q, ..)) in x.already.iter().zip(&y.already) {
                assert!(std::ptr::eq(p.steps, q.steps), "{lang}: {}", p.key);
            }
        }
        // Filled in for the brand, as the profile's own filling gives them.
        let en = a.lang("en");
        let words = profile.locale("en");
        assert_eq!(
            en.summary_scam,
            profile.fill_in("en", &words.ui.summary_scam)
        );
        assert!(!en.general.iter().any(|s| s.contains("{brand}")));
    }
}
