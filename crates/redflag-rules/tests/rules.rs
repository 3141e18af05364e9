//! The rule registry's invariants and every rule's hit and near-miss fixtures
//! (`tests/rules/<family>.toml`).

use redflag_extract::OrderHistory;
use redflag_message::{Channel, TextInput, parse_email, parse_text_message};
use redflag_profile::Profile;
use redflag_rules::{Context, RULES, Status, run_rules};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    text: Option<String>,
    eml: Option<String>,
    channel: Option<String>,
    from: Option<String>,
    subject: Option<String>,
    orders: Option<Vec<String>>,
    /// An order history export (CSV text), for the Your Orders check.
    orders_csv: Option<String>,
    model: Option<f32>,
    /// For a hit: whether the rule's finding must be weak evidence (`true`) or strong.
    soft: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleCases {
    hit: Vec<Case>,
    miss: Vec<Case>,
}

/// The rule IDs a case makes fire, with whether each finding is weak evidence.
fn fired(findings: &[redflag_rules::Finding]) -> Vec<(&'static str, bool)> {
    findings.iter().map(|f| (f.rule.id, f.soft)).collect()
}

/// A rule's findings on a case as a person reads them: the rule's summary, the finding's
/// words, its points, and each piece of evidence quoted from the message with its note.
fn rendered(
    msg: &redflag_message::Message,
    findings: &[redflag_rules::Finding],
    id: &str,
) -> String {
    let brand = &Profile::embedded().brand.name;
    let mut out = String::new();
    for f in findings.iter().filter(|f| f.rule.id == id) {
        out.push_str(&format!(
            "{} {}: {}\n  {} ({} points{})\n",
            f.rule.id,
            f.rule.name,
            f.rule.summary.replace("{brand}", brand),
            f.message,
            f.points,
            if f.soft { ", weak" } else { "" }
        ));
        for e in &f.evidence {
            let quoted = &msg.text[e.span.range()];
            match &e.note {
                Some(n) => out.push_str(&format!("  > {quoted:?}: {n}\n")),
                None => out.push_str(&format!("  > {quoted:?}\n")),
            }
        }
    }
    out
}

/// The message of a case, and every finding on it.
fn run(case: &Case) -> (redflag_message::Message, Vec<redflag_rules::Finding>) {
    let profile = Profile::embedded();
    let msg = match (&case.eml, &case.text) {
        (Some(eml), _) => parse_email(eml.trim_start().as_bytes()).expect("fixture email parses"),
        (None, Some(text)) => parse_text_message(TextInput {
            channel: case
                .channel
                .as_deref()
                .and_then(Channel::parse)
                .unwrap_or(Channel::Sms),
            text,
            sender: case.from.as_deref(),
            subject: case.subject.as_deref(),
        })
        .expect("fixture text parses"),
        (None, None) => panic!("a case needs `text` or `eml`"),
    };
    let ind = redflag_extract::extract(&msg, &profile.brand);
    let orders = match (&case.orders, &case.orders_csv) {
        (Some(ids), _) => Some(OrderHistory::from_ids(ids.clone())),
        (None, Some(csv)) => {
            Some(OrderHistory::parse(csv, &profile.brand).expect("fixture history parses"))
        }
        (None, None) => None,
    };
    let mut cx = Context::new(&msg, &ind, &profile, orders.as_ref());
    cx.model_probability = case.model;
    let findings = run_rules(&cx);
    drop(cx);
    for f in &findings {
        assert!(
            !f.evidence.is_empty(),
            "{} fired without evidence",
            f.rule.id
        );
        for e in &f.evidence {
            assert!(
                msg.text.get(e.span.range()).is_some(),
                "{} evidence span {:?} is not in the text",
                f.rule.id,
                e.span
            );
        }
    }
    (msg, findings)
}

#[test]
fn every_rule_hits_its_fixtures_and_misses_its_near_misses() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules");
    let mut covered = BTreeSet::new();
    let mut failures = Vec::new();
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        files += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        let cases: BTreeMap<String, RuleCases> =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let family = path.file_stem().unwrap().to_string_lossy().into_owned();
        let mut shown = String::new();
        for (id, rc) in cases {
            assert!(
                redflag_rules::find_rule(&id).is_some(),
                "{}: no rule {id}",
                path.display()
            );
            assert!(
                !rc.hit.is_empty() && !rc.miss.is_empty(),
                "{id} needs at least one hit and one near miss"
            );
            covered.insert(id.clone());
            for (i, c) in rc.hit.iter().enumerate() {
                let (msg, findings) = run(c);
                shown.push_str(&format!(
                    "## {id} hit #{i}\n{}\n",
                    rendered(&msg, &findings, &id)
                ));
                let got = fired(&findings);
                match got.iter().find(|(r, _)| *r == id.as_str()) {
                    None => failures.push(format!("{id} hit #{i} did not fire (fired: {got:?})")),
                    Some((_, soft)) if c.soft.is_some_and(|want| want != *soft) => {
                        failures.push(format!("{id} hit #{i} should have soft = {:?}", c.soft))
                    }
                    Some(_) => {}
                }
            }
            for (i, c) in rc.miss.iter().enumerate() {
                let got = fired(&run(c).1);
                if got.iter().any(|(r, _)| *r == id.as_str()) {
                    failures.push(format!("{id} near miss #{i} fired (fired: {got:?})"));
                }
            }
        }
        // Each fixture's finding as a person reads it: a change of words, points or
        // evidence shows in review (`cargo insta review`).
        insta::assert_snapshot!(format!("findings_{family}"), shown);
    }
    assert!(files > 0, "no fixture files found in {}", dir.display());
    for r in RULES {
        if !covered.contains(r.meta().id) {
            failures.push(format!("{} has no fixtures", r.meta().id));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn registry_is_well_formed() {
    let profile = Profile::embedded();
    let mut ids = Vec::new();
    let mut names = BTreeSet::new();
    for r in RULES {
        let m = r.meta();
        let b = m.id.as_bytes();
        assert!(
            b.len() == 6
                && b[..3].iter().all(u8::is_ascii_uppercase)
                && b[3..].iter().all(u8::is_ascii_digit),
            "bad id {}",
            m.id
        );
        assert_eq!(
            &m.id[..3],
            m.family.prefix(),
            "{} is in the wrong family",
            m.id
        );
        assert!(names.insert(m.name), "duplicate name {}", m.name);
        assert!(
            m.name.bytes().all(|c| c.is_ascii_lowercase() || c == b'-'),
            "{} is not kebab-case",
            m.name
        );
        assert!(
            !m.summary.is_empty() && !m.doc.trim().is_empty(),
            "{} needs a summary and a doc comment",
            m.id
        );
        assert!(
            m.doc.contains("**Why:**")
                && m.doc.contains("**Example:**")
                && m.doc.contains("**Known false positives:**"),
            "{} doc lacks a section",
            m.id
        );
        assert!(!m.channels.is_empty(), "{} runs on no channel", m.id);
        let (Status::Stable { since } | Status::Deprecated { since } | Status::Removed { since }) =
            m.status;
        assert!(
            since.split('.').count() == 3 && since.split('.').all(|n| n.parse::<u32>().is_ok()),
            "{}: `{since}` is not a version",
            m.id
        );
        assert!(
            !m.explain.trim().is_empty() && !m.explain.contains("Amazon"),
            "{} needs an explanation, with {{brand}} for the brand's name",
            m.id
        );
        assert!(
            !m.summary.contains("Amazon"),
            "{}: write {{brand}} for the brand's name in the summary",
            m.id
        );
        ids.push(m.id);
    }
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids, sorted, "RULES must be sorted by ID with no duplicates");
    for id in profile.lang.phrase_ids() {
        // A qualified list (`PHN001.contact`) belongs to its rule.
        let rule = id.split_once('.').map_or(id, |(r, _)| r);
        assert!(
            ids.contains(&rule),
            "the language pack names {id}, which is not a rule"
        );
    }
}

#[test]
fn rules_doc_is_in_sync() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    let want = redflag_rules::rules_markdown(&Profile::embedded().brand.name);
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/rules.md is out of date: run `UPDATE_DOCS=1 cargo test -p redflag-rules --test rules` (or `redflag rules --markdown > docs/rules.md`)"
    );
}

/// Every locale names only real rules, and translates a rule whole: its title and its
/// explanation. A locale may lag behind a new rule (the report then shows the rule's English
/// words, `redflag-engine`'s `a_rule_a_locale_lacks_is_explained_in_english` test): a new rule
/// is three files, not eleven. What is untranslated is printed here, so that it is seen.
#[test]
fn locales_cover_every_rule() {
    let profile = Profile::embedded();
    let ids: BTreeSet<&str> = RULES.iter().map(|r| r.meta().id).collect();
    assert!(profile.locales.len() >= 9, "{:?}", profile.locales.keys());
    for (lang, l) in &profile.locales {
        for id in l.summary.keys().chain(l.explain.keys()) {
            assert!(ids.contains(id.as_str()), "{lang}: {id} is not a rule");
            assert_eq!(
                l.summary.contains_key(id),
                l.explain.contains_key(id),
                "{lang}: {id} needs both a [summary] and an [explain], or neither"
            );
        }
        if lang != "en" {
            let missing: Vec<&str> = ids
                .iter()
                .copied()
                .filter(|id| !l.summary.contains_key(*id))
                .collect();
            if !missing.is_empty() {
                eprintln!("{lang}: not translated yet (shown in English): {missing:?}");
            }
        }
    }
}
