//! redflag-scan end to end on temporary folders built from the project's fixtures.

use redflag_engine::{Engine, Verdict};
use redflag_scan::{
    DeliveryMode, DeliveryOutcome, Entry, Found, Scan, ScanOptions, SourceKind, Summary,
};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(Engine::default)
}

fn fixture(p: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures")
            .join(p),
    )
    .unwrap()
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn scan(paths: &[PathBuf]) -> Scan {
    let walk = redflag_scan::walk(paths);
    redflag_scan::check(engine(), paths, walk, &ScanOptions::default(), &|_| {}).unwrap()
}

/// A scam email with the given subject and sender display name.
fn hostile_eml(subject: &str, name: &str) -> Vec<u8> {
    let scam = String::from_utf8(fixture("email/scam-account-locked.eml")).unwrap();
    let mut out = String::new();
    for line in scam.lines() {
        if line.starts_with("Subject:") {
            out.push_str(&format!("Subject: {subject}\r\n"));
        } else if line.starts_with("From:") {
            out.push_str(&format!(
                "From: \"{name}\" <account-update@amazon-accounts-secure.com>\r\n"
            ));
        } else {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    out.into_bytes()
}

#[test]
fn walks_folders_mbox_and_maildir_in_sorted_order() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(&d.join("b/z.eml"), &fixture("email/legit-personal.eml"));
    write(&d.join("b/a.eml"), &fixture("email/scam-ssn-bank.eml"));
    write(&d.join("a.mbox"), &fixture("email/mailbox.mbox"));
    write(&d.join("README.md"), b"not a message");
    write(&d.join(".hidden.eml"), b"hidden");
    write(
        &d.join("c/cur/2:2,S"),
        &fixture("email/legit-amazon-order.eml"),
    );
    write(
        &d.join("c/new/1"),
        &fixture("email/scam-account-locked.eml"),
    );
    write(&d.join("c/tmp/0"), b"being delivered");
    let w = redflag_scan::walk(&[d.to_path_buf()]);
    let names: Vec<String> = w
        .found
        .iter()
        .map(|f| match f {
            Found::File(f) => f.path.strip_prefix(d).unwrap().display().to_string(),
            Found::Error(e) => panic!("{e:?}"),
        })
        .collect();
    assert_eq!(
        names,
        ["a.mbox", "b/a.eml", "b/z.eml", "c/cur/2:2,S", "c/new/1"]
    );
    assert_eq!(w.skipped, 2);

    let s = scan(&[d.to_path_buf()]);
    let order: Vec<(String, Option<usize>, SourceKind)> = s
        .entries
        .iter()
        .map(|e| match e {
            Entry::Checked(c) => &c.source,
            Entry::Unreadable(u) => &u.source,
        })
        .map(|s| {
            (
                s.path.strip_prefix(d).unwrap().display().to_string(),
                s.index,
                s.kind,
            )
        })
        .collect();
    assert_eq!(order.len(), 7, "{order:?}");
    assert_eq!(order[0], ("a.mbox".into(), Some(1), SourceKind::Mbox));
    assert_eq!(order[1], ("a.mbox".into(), Some(2), SourceKind::Mbox));
    assert_eq!(order[2], ("a.mbox".into(), Some(3), SourceKind::Mbox));
    assert_eq!(order[3], ("b/a.eml".into(), None, SourceKind::Eml));
    assert_eq!(order[4].0, "b/z.eml");
    assert_eq!(
        order[5].2,
        SourceKind::Maildir(redflag_scan::MaildirSub::Cur)
    );
    assert_eq!(
        order[6].2,
        SourceKind::Maildir(redflag_scan::MaildirSub::New)
    );
    // The mbox's messages have their dates.
    assert!(s.checked().take(3).all(|c| c.date.is_some()));
}

#[test]
fn unreadable_files_are_listed_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(&d.join("empty.eml"), b"");
    write(&d.join("binary.eml"), &[0u8, 1, 2, 3, 0, 0, 0xff, 0xfe]);
    write(&d.join("ok.eml"), &fixture("email/scam-ssn-bank.eml"));
    let missing = d.join("missing.mbox");
    let s = scan(&[d.to_path_buf(), missing.clone()]);
    let bad: Vec<&redflag_scan::Unreadable> = s.unreadable().collect();
    assert_eq!(bad.len(), 3, "{bad:?}");
    assert_eq!(bad[2].source.path, missing);
    assert_eq!(s.checked().count(), 1);
    let summary = Summary::new(&s);
    assert_eq!(summary.unreadable, 3);
    let mut text = Vec::new();
    redflag_scan::write_summary(&mut text, &s, &summary, &[]).unwrap();
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("Could not be read (3)"), "{text}");
    assert!(text.contains("empty.eml"), "{text}");
}

#[test]
fn summary_counts_verdicts_scenarios_rules_and_indicators() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for f in [
        "email/scam-account-locked.eml",
        "email/scam-fraudulent-charge-callback.eml",
        "email/scam-gift-card-refund.eml",
        "email/legit-amazon-order.eml",
        "email/legit-personal.eml",
    ] {
        write(&d.join(Path::new(f).file_name().unwrap()), &fixture(f));
    }
    // The same scam twice: its domains and numbers count twice.
    write(
        &d.join("zz-again.eml"),
        &fixture("email/scam-fraudulent-charge-callback.eml"),
    );
    let s = scan(&[d.to_path_buf()]);
    let sum = Summary::new(&s);
    assert_eq!(sum.messages, 6);
    assert_eq!(sum.scam + sum.suspicious + sum.clean, 6);
    assert_eq!(sum.flagged, s.flagged().count());
    assert_eq!(sum.flagged, sum.scam + sum.suspicious);
    assert_eq!(
        sum.clean,
        2,
        "{:?}",
        s.checked()
            .map(|c| (&c.source.path, c.verdict))
            .collect::<Vec<_>>()
    );
    // Every scenario and rule count matches the messages.
    for c in &sum.scenarios {
        let n = s
            .flagged()
            .filter(|m| m.findings.iter().any(|f| f.rule == c.key))
            .count();
        assert_eq!(c.count, n, "{c:?}");
    }
    for r in &sum.rules {
        let n = s
            .checked()
            .filter(|m| m.findings.iter().any(|f| f.rule == r.id && !f.outweighed))
            .count();
        assert_eq!(r.messages, n, "{r:?}");
        assert!(r.flagged <= r.messages);
    }
    // Sorted: most first, ties by key.
    for list in [
        &sum.sender_domains,
        &sum.callback_numbers,
        &sum.link_domains,
        &sum.scenarios,
    ] {
        for w in list.windows(2) {
            assert!(
                w[0].count > w[1].count || (w[0].count == w[1].count && w[0].key < w[1].key),
                "{list:?}"
            );
        }
    }
    assert_eq!(
        sum.sender_domains
            .first()
            .map(|c| (c.key.as_str(), c.count)),
        Some(("gmail.com", 2))
    );
    assert!(
        sum.callback_numbers.first().is_some_and(|c| c.count == 2),
        "{:?}",
        sum.callback_numbers
    );
    assert!(
        sum.link_domains
            .iter()
            .all(|c| !c.key.ends_with("amazon.com"))
    );
    assert!(!sum.timeline.buckets.is_empty());
    assert_eq!(
        sum.timeline
            .buckets
            .iter()
            .map(|b| b.messages)
            .sum::<usize>(),
        6 - sum.timeline.undated
    );

    // --min-verdict scam flags fewer or as many.
    let walk = redflag_scan::walk(&[d.to_path_buf()]);
    let opts = ScanOptions {
        min_verdict: Verdict::Scam,
        threads: Some(1),
    };
    let strict = redflag_scan::check(engine(), &[d.to_path_buf()], walk, &opts, &|_| {}).unwrap();
    assert_eq!(Summary::new(&strict).flagged, sum.scam);
}

#[test]
fn csv_cells_cannot_run_as_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        &d.join("formula.eml"),
        &hostile_eml("=HYPERLINK(\"http://evil.example\",\"click\")", "@SUM(1+1)"),
    );
    write(
        &d.join("-minus.eml"),
        &hostile_eml("+1 555 0100, call now", "-Amazon"),
    );
    let s = scan(&[d.to_path_buf()]);
    let mut out = Vec::new();
    redflag_scan::write_csv(&mut out, &s).unwrap();
    let mut r = csv::Reader::from_reader(out.as_slice());
    let headers = r.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "source",
            "index",
            "verdict",
            "score",
            "scenarios",
            "rules",
            "sender",
            "subject",
            "date",
            "error"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    for row in &rows {
        for cell in row.iter() {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{row:?}");
        }
    }
    let subjects: Vec<&str> = rows.iter().map(|r| &r[7]).collect();
    assert!(subjects.contains(&"'+1 555 0100, call now"), "{subjects:?}");
    assert!(
        subjects.contains(&"'=HYPERLINK(\"http://evil.example\",\"click\")"),
        "{subjects:?}"
    );
    assert!(
        rows.iter().any(|r| r[6].starts_with("'@SUM(1+1)")),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|r| r[6].starts_with("'-Amazon")),
        "{rows:?}"
    );
    assert!(rows.iter().any(|r| r[0].ends_with("-minus.eml")));
}

#[test]
fn html_report_escapes_a_hostile_subject_and_has_no_script() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        &d.join("hostile.eml"),
        &hostile_eml(
            "<script>alert(1)</script><img src=x onerror=alert(2)> \u{202E}fdp.exe",
            "</title><script>alert(3)</script>",
        ),
    );
    write(&d.join("a.mbox"), &fixture("email/mailbox.mbox"));
    let s = scan(&[d.to_path_buf()]);
    assert!(s.flagged().count() >= 2);
    let sum = Summary::new(&s);
    let mut out = Vec::new();
    redflag_scan::write_html(&mut out, &s, &sum, &[]).unwrap();
    let html = String::from_utf8(out).unwrap();
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "a script tag in the report");
    assert!(!lower.contains("<img"), "an img tag in the report");
    // The event handler is text inside an escaped tag, never an attribute.
    assert_eq!(
        html.matches("onerror=").count(),
        html.matches("&lt;img src=x onerror=alert(2)&gt;").count()
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("[U+202E]fdp.exe"));
    assert!(html.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
    ));
    assert!(!lower.contains("src=\"http") && !lower.contains("href=\"http"));
    // Charts, and a link per flagged message to its findings.
    assert!(html.matches("<svg").count() >= 4, "charts missing");
    for n in 0..s.flagged().count() {
        assert!(html.contains(&format!("href=\"#m-{n}\"")));
        assert!(html.contains(&format!("id=\"m-{n}\"")));
    }
}

#[test]
fn jsonl_has_one_line_per_message_and_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(&d.join("a.mbox"), &fixture("email/mailbox.mbox"));
    write(&d.join("b.eml"), b"");
    let s = scan(&[d.to_path_buf()]);
    let mut out = Vec::new();
    redflag_scan::write_jsonl(&mut out, &s).unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["index"], 1);
    assert!(lines[0]["verdict"].is_string());
    assert!(lines[3]["error"].is_string());
}

fn maildir_with_scams(root: &Path) -> Vec<PathBuf> {
    let a = root.join("cur/1700000001.M1P1.host:2,S");
    let b = root.join("new/1700000002.M2P1.host");
    let c = root.join("new/1700000003.M3P1.host");
    write(&a, &fixture("email/scam-ssn-bank.eml"));
    write(&b, &fixture("email/scam-account-locked.eml"));
    write(&c, &fixture("email/legit-amazon-order.eml"));
    vec![a, b, c]
}

#[test]
fn move_flagged_keeps_every_message_when_the_destination_is_unwritable() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("inbox");
    let files = maildir_with_scams(&src);
    let before: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    let s = scan(std::slice::from_ref(&src));
    assert_eq!(s.flagged().count(), 2);

    // A destination whose cur/ is a file: nothing can be delivered.
    let dest = dir.path().join("flagged");
    write(&dest.join("cur"), b"in the way");
    let out = redflag_scan::deliver(&s, &dest, DeliveryMode::Move);
    assert_eq!(out.len(), 2);
    assert!(
        out.iter()
            .all(|d| matches!(d.outcome, DeliveryOutcome::Failed(_))),
        "{out:?}"
    );
    for (f, b) in files.iter().zip(&before) {
        assert_eq!(&std::fs::read(f).unwrap(), b, "{} changed", f.display());
    }

    // A destination path that is a file.
    let dest = dir.path().join("a-file");
    write(&dest, b"x");
    let out = redflag_scan::deliver(&s, &dest, DeliveryMode::Move);
    assert!(out.iter().all(|d| !d.outcome.done()));
    assert!(files.iter().all(|f| f.exists()));

    // A writable destination: moved, byte for byte, keeping folder and name.
    let dest = dir.path().join("ok");
    let out = redflag_scan::deliver(&s, &dest, DeliveryMode::Move);
    assert!(out.iter().all(|d| d.outcome.done()), "{out:?}");
    assert!(!files[0].exists() && !files[1].exists());
    assert!(files[2].exists(), "the clean message stays");
    assert_eq!(
        std::fs::read(dest.join("cur/1700000001.M1P1.host:2,S")).unwrap(),
        before[0]
    );
    assert_eq!(
        std::fs::read(dest.join("new/1700000002.M2P1.host")).unwrap(),
        before[1]
    );
    assert_eq!(std::fs::read_dir(dest.join("tmp")).unwrap().count(), 0);
}

#[test]
fn copy_flagged_never_overwrites_and_copies_mbox_messages() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("inbox");
    let files = maildir_with_scams(&src);
    let mbox = dir.path().join("box.mbox");
    write(&mbox, &fixture("email/mailbox.mbox"));
    let s = scan(&[src.clone(), mbox.clone()]);
    let flagged_mbox = s
        .flagged()
        .filter(|c| c.source.kind == SourceKind::Mbox)
        .count();
    assert!(flagged_mbox >= 1);
    let dest = dir.path().join("flagged");
    for round in 0..2 {
        let out = redflag_scan::deliver(&s, &dest, DeliveryMode::Copy);
        assert!(out.iter().all(|d| d.outcome.done()), "{out:?}");
        if round == 1 {
            // The second copy took new names.
            assert!(dest.join("cur/1700000001.M1P1.host.1:2,S").exists());
            assert!(
                dest.join("new/box.mbox.1.1").exists()
                    || dest.join("new/box.mbox.2.1").exists()
                    || dest.join("new/box.mbox.3.1").exists()
            );
        }
    }
    assert!(files.iter().all(|f| f.exists()));
    // Moving an mbox message is refused; the mbox is untouched.
    let before = std::fs::read(&mbox).unwrap();
    let out = redflag_scan::deliver(&s, &dir.path().join("moved"), DeliveryMode::Move);
    let refused = out
        .iter()
        .filter(|d| matches!(&d.outcome, DeliveryOutcome::Refused(r) if r.contains("mbox")))
        .count();
    assert_eq!(refused, flagged_mbox);
    assert_eq!(std::fs::read(&mbox).unwrap(), before);
}
