//! End to end: every realistic message in `tests/fixtures/` (at the repository root) goes
//! through `read_input` and `Engine::analyze`, and must give the verdict and red flags that
//! `tests/fixtures/expected.toml` says, and `Engine::assess` the same verdict, score and
//! findings. Reports are snapshotted, so a change in what a person is shown is reviewed as
//! a diff.

mod common;

use redflag_engine::{AnalyzeOptions, Channel, Engine, InputOptions, Report, Verdict, read_input};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct Expected {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    file: String,
    channel: String,
    from: Option<String>,
    verdict: String,
    #[serde(default)]
    must: Vec<String>,
    #[serde(default)]
    must_not: Vec<String>,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// The files of a case: the file itself, or every message file of a Maildir.
fn files(path: &Path) -> Vec<PathBuf> {
    if !path.is_dir() {
        return vec![path.to_path_buf()];
    }
    let mut out = Vec::new();
    for sub in ["new", "cur"] {
        if let Ok(rd) = std::fs::read_dir(path.join(sub)) {
            out.extend(rd.map(|e| e.unwrap().path()).filter(|p| p.is_file()));
        }
    }
    out.sort();
    out
}

fn reports(case: &Case) -> Vec<Report> {
    let engine = Engine::default();
    let opts = InputOptions {
        channel: Channel::parse(&case.channel).filter(|c| *c != Channel::Email),
        sender: case.from.clone(),
        subject: None,
    };
    let mut out = Vec::new();
    for f in files(&fixtures().join(&case.file)) {
        let bytes = std::fs::read(&f).unwrap();
        for m in read_input(&bytes, &opts).unwrap_or_else(|e| panic!("{}: {e}", f.display())) {
            let msg = m.unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            let a = engine.analyze(&msg, &AnalyzeOptions::default());
            let b = engine.analyze(&msg, &AnalyzeOptions::default());
            assert_eq!(
                serde_json::to_string(&a).unwrap(),
                serde_json::to_string(&b).unwrap(),
                "{}: not deterministic",
                f.display()
            );
            let assessed = engine.assess(&msg, &AnalyzeOptions::default());
            common::assert_assessment_matches(&f.display().to_string(), &a, &assessed);
            for finding in &a.findings {
                for e in &finding.evidence {
                    assert_eq!(
                        a.text.get(e.start..e.end),
                        Some(e.text.as_str()),
                        "{}: {} evidence does not slice the text",
                        f.display(),
                        finding.rule
                    );
                }
            }
            out.push(a);
        }
    }
    out
}

/// What a snapshot keeps: enough to review, without the long advice texts.
fn digest(r: &Report) -> serde_json::Value {
    serde_json::json!({
        "verdict": r.verdict,
        "score": r.score,
        "channel": r.channel,
        "claims_brand": r.claims_brand,
        "scenarios": r.scenarios.iter().map(|s| s.id).collect::<Vec<_>>(),
        "findings": r.findings.iter().map(|f| serde_json::json!({
            "rule": f.rule,
            "points": f.points,
            "outweighed": f.outweighed,
            "message": f.message,
            "evidence": f.evidence.iter().map(|e| e.text.clone()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "genuine_signs": r.genuine_signs.iter().map(|g| serde_json::json!({
            "rule": g.rule,
            "strong": g.strong,
            "message": g.message,
        })).collect::<Vec<_>>(),
        "indicators": r.indicators,
        "notes": r.notes.iter().map(|n| n.code.clone()).collect::<Vec<_>>(),
    })
}

#[test]
fn every_fixture_gets_its_expected_verdict_and_red_flags() {
    let text = std::fs::read_to_string(fixtures().join("expected.toml"))
        .expect("tests/fixtures/expected.toml");
    let expected: Expected = toml::from_str(&text).unwrap();
    assert!(
        expected.case.len() >= 20,
        "expected.toml lists too few cases"
    );
    let mut failures = Vec::new();
    for case in &expected.case {
        let reports = reports(case);
        assert!(!reports.is_empty(), "{}: no message read", case.file);
        let verdicts: Vec<Verdict> = reports.iter().map(|r| r.verdict).collect();
        let ok = match case.verdict.as_str() {
            "flagged" => verdicts.iter().any(|v| *v != Verdict::Clean),
            want => verdicts.iter().all(|v| v.as_str() == want),
        };
        if !ok {
            failures.push(format!(
                "{}: want {}, got {:?} (scores {:?})",
                case.file,
                case.verdict,
                verdicts,
                reports.iter().map(|r| r.score).collect::<Vec<_>>()
            ));
        }
        let fired: Vec<&str> = reports
            .iter()
            .flat_map(|r| {
                r.findings
                    .iter()
                    .map(|f| f.rule)
                    .chain(r.genuine_signs.iter().map(|g| g.rule))
            })
            .collect();
        for m in &case.must {
            if !fired.contains(&m.as_str()) {
                failures.push(format!("{}: {m} did not fire (fired {fired:?})", case.file));
            }
        }
        for m in &case.must_not {
            if fired.contains(&m.as_str()) {
                failures.push(format!("{}: {m} fired but must not", case.file));
            }
        }
        let name = case.file.replace(['/', '.'], "_");
        let digests: Vec<_> = reports.iter().map(digest).collect();
        insta::assert_json_snapshot!(name, digests);
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn report_example_in_docs_is_current() {
    let case = Case {
        file: "sms/scam-package-fee.txt".into(),
        channel: "sms".into(),
        from: Some("+14155550182".into()),
        verdict: "scam".into(),
        must: vec![],
        must_not: vec![],
    };
    let report = reports(&case).remove(0);
    let want = serde_json::to_string_pretty(&report).unwrap() + "\n";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/report-example.json");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/report-example.json is out of date: run `UPDATE_DOCS=1 cargo test -p redflag-engine --test fixtures`"
    );
}

#[test]
fn real_brand_mail_with_a_callback_number_is_still_flagged() {
    let raw = b"Authentication-Results: mx.example.net; dkim=pass header.d=amazon.com; spf=pass smtp.mailfrom=bounces.amazon.com; dmarc=pass header.from=amazon.com\r\nFrom: Amazon <no-reply@amazon.com>\r\nSubject: A gift note for you\r\n\r\nGift note: your account was charged $499. Call 1-888-555-0199 to cancel.\r\n";
    let msg = read_input(raw, &InputOptions::default())
        .unwrap()
        .messages
        .remove(0)
        .unwrap();
    let r = Engine::default().analyze(&msg, &AnalyzeOptions::default());
    assert_ne!(
        r.verdict,
        Verdict::Clean,
        "{:?}",
        r.findings
            .iter()
            .map(|f| (f.rule, f.points))
            .collect::<Vec<_>>()
    );
    assert!(r.findings.iter().any(|f| f.rule == "PHN001"));
}
