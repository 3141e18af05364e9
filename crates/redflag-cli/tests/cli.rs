//! The `redflag` binary as a process: output, JSON and exit codes.

use mail_parser::MimeHeaders as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(p: &str) -> String {
    root().join("tests/fixtures").join(p).display().to_string()
}

fn redflag(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_redflag"))
        .args(args)
        .output()
        .unwrap()
}

fn redflag_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_redflag"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The `to` of each ready report in a JSON report, in order.
fn report_destinations(v: &serde_json::Value) -> Vec<&str> {
    v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["to"].as_str().unwrap())
        .collect()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("redflag-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn scam_email_exits_1_and_leads_with_the_verdict() {
    let o = redflag(&[
        "check",
        &fixture("email/scam-account-locked.eml"),
        "--color",
        "never",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("SCAM"), "{out}");
    assert!(out.contains("Red flags"), "{out}");
    assert!(out.contains("[["), "evidence is marked: {out}");
    assert!(out.contains("What to do:"), "{out}");
    assert!(out.contains("stop-spoofing@amazon.com"), "{out}");
    assert!(!out.contains('\x1b'), "no colour when not asked: {out}");
}

#[test]
fn evidence_only_in_the_plain_text_version_says_so() {
    let o = redflag(&[
        "check",
        &fixture("email/scam-plain-text-alternative.eml"),
        "--color",
        "never",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let marked = out
        .lines()
        .filter(|l| l.contains("(only in the plain-text version of the email)"))
        .collect::<Vec<_>>();
    assert!(
        marked
            .iter()
            .any(|l| l.contains("reply with your password")),
        "{out}"
    );
    // The sender line is in no part of the body.
    assert!(marked.iter().all(|l| !l.contains("alerts@")), "{out}");
    let o = redflag(&[
        "check",
        "--json",
        &fixture("email/scam-plain-text-alternative.eml"),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let parts: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "CRD001" || f["rule"] == "PHN001")
        .flat_map(|f| f["evidence"].as_array().unwrap())
        .filter_map(|e| e["part"].as_str())
        .collect();
    assert_eq!(parts, ["plain-text-alternative"; 2], "{v}");
}

#[test]
fn genuine_amazon_email_exits_0_and_never_says_safe() {
    let o = redflag(&["check", &fixture("email/legit-amazon-order.eml")]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.starts_with("NO RED FLAGS FOUND"), "{out}");
    assert!(!out.to_lowercase().contains(" safe"), "{out}");
}

#[test]
fn json_report_has_the_schema() {
    let o = redflag(&[
        "check",
        "--json",
        "--channel",
        "sms",
        "--from",
        "+14155550182",
        &fixture("sms/scam-package-fee.txt"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema_version"], "1.7");
    assert_eq!(v["channel"], "sms");
    assert!(v["score"].as_u64().unwrap() >= 60);
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| !f["evidence"].as_array().unwrap().is_empty())
    );
    let to = report_destinations(&v);
    assert_eq!(to, ["amazon", "ftc", "sms7726", "hotline"]);
}

#[test]
fn text_call_with_caller() {
    let o = redflag(&[
        "check",
        "--channel",
        "call",
        "--from",
        "+1 844 555 0142",
        "--color",
        "never",
        "--text",
        "Hello, this is Amazon. An order for an iPhone was placed. Press 1 to speak with an associate or call 1-844-555-0142.",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("PHN001"), "{}", stdout(&o));
}

#[test]
fn stdin_and_bad_input() {
    let o = redflag_stdin(
        &["check", "-"],
        b"Amazon: your account is locked. Call 1-888-555-0199 now.",
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));

    let o = redflag_stdin(&["check", "-"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim().lines().count(),
        1,
        "one-line error: {}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("empty"), "{}", stderr(&o));

    // A picture is read as a screenshot: this one is cut short.
    let o = redflag_stdin(&["check", "-"], b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("damaged or incomplete"),
        "{}",
        stderr(&o)
    );
    let o = redflag_stdin(
        &["check", "-"],
        b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("binary"), "{}", stderr(&o));

    let big = tmp("big.txt");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(26 * 1024 * 1024).unwrap();
    std::fs::write(&big, "a".repeat(26 * 1024 * 1024)).unwrap();
    let o = redflag(&["check", big.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("limit"), "{}", stderr(&o));

    let o = redflag(&["check", "/nonexistent/file.eml"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn mbox_and_maildir_check_every_message() {
    let o = redflag(&["check", "--color", "never", &fixture("email/mailbox.mbox")]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stdout(&o).matches("==> ").count(), 3, "{}", stdout(&o));

    let o = redflag(&["check", "--json", &fixture("email/maildir")]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| l["report"]["schema_version"] == "1.7"));
}

/// `redflag check folder | head -1`: the reader goes after a line, and the exit code is
/// still the verdict of every message, the ones after the closed pipe too. It was 0 ("no
/// red flags") in text mode and 2 with "Broken pipe" with `--json`, whatever the folder
/// held.
#[test]
fn a_reader_that_stops_early_does_not_change_the_exit_code() {
    use std::io::BufRead as _;
    // Forty genuine texts, then a scam: read in name order.
    let dir = tempfile::tempdir().unwrap();
    let genuine = std::fs::read(fixture("sms/legit-personal.txt")).unwrap();
    for i in 0..40 {
        std::fs::write(dir.path().join(format!("a{i:02}.txt")), &genuine).unwrap();
    }
    std::fs::copy(fixture("sms/scam-prize.txt"), dir.path().join("z.txt")).unwrap();
    let folder = dir.path().to_str().unwrap();
    let whole = redflag(&["check", "--json", folder]);
    assert_eq!(whole.status.code(), Some(1), "{}", stderr(&whole));
    // More than a pipe holds after the first line is read, so a write fails on the closed
    // pipe whatever the timing.
    assert!(whole.stdout.len() > 128 * 1024, "{}", whole.stdout.len());
    let last = stdout(&whole).lines().last().map(str::to_owned).unwrap();
    let last: serde_json::Value = serde_json::from_str(&last).unwrap();
    assert_ne!(last["report"]["verdict"], "clean");

    let mut child = Command::new(env!("CARGO_BIN_EXE_redflag"))
        .args(["check", "--json", folder])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let first: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(first["report"]["verdict"], "clean");
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn terminal_escapes_in_messages_are_neutralised() {
    let o = redflag(&[
        "check",
        "--color",
        "never",
        "--text",
        "Amazon: call 1-888-555-0199 \x1b]0;pwned\x07 now \x1b[2J",
    ]);
    let out = stdout(&o);
    assert!(!out.contains('\x1b'), "{out:?}");
    assert!(out.contains("\\u{1b}"), "{out:?}");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let o = redflag(&[
        "check",
        "--color",
        "always",
        "--text",
        "Amazon: call 1-888-555-0199 now",
    ]);
    assert!(stdout(&o).contains("\x1b["));
}

#[test]
fn rules_and_explain() {
    let o = redflag(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).lines().count() >= 60);
    assert!(stdout(&o).contains("PHN001  callback-number-not-brand"));

    let o = redflag(&["rules", "--markdown"]);
    let doc = std::fs::read_to_string(root().join("docs/rules.md")).unwrap();
    assert_eq!(stdout(&o), doc);

    let o = redflag(&["explain", "phn001"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("**Why:**"));
    assert!(stdout(&o).contains("What a person is told"));

    let o = redflag(&["explain", "XYZ999"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn site_options() {
    let hotline = tmp("hotline.toml");
    std::fs::write(&hotline, "[hotline]\nname = \"Test County Fraud Line\"\nphone = \"555-0100\"\nemail = \"fraud@county.example\"\n").unwrap();
    let o = redflag(&[
        "check",
        "--json",
        "--hotline",
        hotline.to_str().unwrap(),
        "--text",
        "Amazon: call 1-888-555-0199 now",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let h = v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["to"] == "hotline")
        .unwrap();
    assert_eq!(h["address"], "fraud@county.example");

    let bad = tmp("bad-brand.toml");
    std::fs::write(&bad, "id = \"x\"\n").unwrap();
    let o = redflag(&[
        "check",
        "--brands",
        bad.to_str().unwrap(),
        "--text",
        "hello",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("brand profile"), "{}", stderr(&o));

    let orders = tmp("orders.csv");
    std::fs::write(
        &orders,
        "Website,Order ID,Order Date\nAmazon.com,112-1234567-1234567,2026-01-02\n",
    )
    .unwrap();
    let o = redflag(&[
        "check",
        "--json",
        "--orders",
        orders.to_str().unwrap(),
        "--text",
        "Amazon: your order 114-5550199-0000001 has shipped.",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "ORD002"),
        "{v}"
    );
    assert_eq!(v["orders"]["orders_in_history"], 1, "{v}");
    assert_eq!(v["orders"]["unmatched"][0], "114-5550199-0000001", "{v}");
    // A real order's number is a match, said in the report, and no red flag.
    let o = redflag(&[
        "check",
        "--json",
        "--orders",
        orders.to_str().unwrap(),
        "--text",
        "Amazon: your order 112-1234567-1234567 has shipped.",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["orders"]["matched"][0]["by"], "number", "{v}");
    let o = redflag(&[
        "check",
        "--orders",
        orders.to_str().unwrap(),
        "--text",
        "Amazon: your order 114-5550199-0000001 has shipped.",
    ]);
    assert!(
        stdout(&o).contains("Your Orders: `114-5550199-0000001` matches none of the 1 orders"),
        "{}",
        stdout(&o)
    );
    assert!(!v.to_string().contains("\"ORD002\""), "{v}");
}

#[test]
fn eval_reports_segments_and_enforces_requirements() {
    let dir = tmp("eval");
    std::fs::create_dir_all(&dir).unwrap();
    let index = dir.join("index.jsonl");
    std::fs::write(
        &index,
        [
            r#"{"id":"t:1","channel":"sms","label":"scam","amazon":true,"text":"Amazon: your account is locked. Call 1-888-555-0199 now."}"#,
            r#"{"id":"t:2","channel":"sms","label":"legit","amazon":false,"text":"see you at lunch tomorrow"}"#,
            r#"{"id":"t:3","channel":"sms","label":"legit","amazon":false,"text":"dup","dup_of":"t:2"}"#,
            r#"{"id":"t:4","channel":"email","label":"scam","amazon":false,"path":"missing.eml"}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let v = eval_json(&index);
    assert_eq!(v["skipped_duplicates"], 1);
    assert_eq!(
        v["unreadable"].as_array().unwrap().len(),
        1,
        "unreadable rows are listed, not dropped"
    );
    assert_eq!(v["segments"]["sms"]["scam & amazon"]["flagged"], 1);
    assert_eq!(v["segments"]["sms"]["legit"]["flagged"], 0);

    // A requirement the results meet, then one they break.
    for (name, require, code) in [
        ("ok.toml", "segment = \"scam & amazon\"\nmin_rate = 0.98", 0),
        ("bad.toml", "segment = \"legit\"\nmin_rate = 0.5", 1),
    ] {
        let file = dir.join(name);
        let text = format!("[[require]]\nchannel = \"sms\"\n{require}\n");
        let o = eval_with_requirements(&index, &file, &text);
        assert_eq!(o.status.code(), Some(code), "{name}: {}", stderr(&o));
        assert_eq!(
            code == 1,
            stderr(&o).contains("requirement not met"),
            "{name}: {}",
            stderr(&o)
        );
    }
}

/// The summary of `redflag eval --json --no-model` on an index, which must succeed.
fn eval_json(index: &Path) -> serde_json::Value {
    let o = redflag(&[
        "eval",
        "--index",
        index.to_str().unwrap(),
        "--json",
        "--no-model",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// `redflag eval --no-model` on an index with a requirements file written from `text`.
fn eval_with_requirements(index: &Path, file: &Path, text: &str) -> Output {
    std::fs::write(file, text).unwrap();
    redflag(&[
        "eval",
        "--index",
        index.to_str().unwrap(),
        "--no-model",
        "--require",
        file.to_str().unwrap(),
    ])
}

#[test]
fn eval_breaks_a_reference_set_down_and_tracks_known_false_alarms() {
    let dir = tmp("eval-reference");
    std::fs::create_dir_all(&dir).unwrap();
    let index = dir.join("index.jsonl");
    std::fs::write(
        &index,
        [
            r#"{"id":"g:1","channel":"sms","label":"legit","amazon":true,"kind":"one-time-code","marketplace":"US","lang":"en","form":"sms","text":"482913 is your Amazon OTP. Do not share it with anyone."}"#,
            r#"{"id":"g:2","channel":"sms","label":"legit","amazon":true,"kind":"order-shipped","marketplace":"JP","lang":"ja","form":"sms","text":"Amazon: your account is locked. Call 1-888-555-0199 now."}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let v = eval_json(&index);
    let b = &v["breakdown"];
    assert_eq!(b["kind"]["one-time-code"]["legit"]["flagged"], 0);
    assert_eq!(b["kind"]["order-shipped"]["legit"]["flagged"], 1);
    assert_eq!(b["marketplace"]["JP"]["legit"]["count"], 1);
    assert_eq!(b["form"]["sms"]["legit"]["count"], 2);

    let require = |known: &str| {
        let file = dir.join("require.toml");
        let text =
            format!("[[require]]\nchannel = \"all\"\nsegment = \"legit\"\nmax_count = 0\n{known}");
        eval_with_requirements(&index, &file, &text)
    };
    // Flagged and not listed: fails.
    let o = require("");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // Listed with its reason: passes.
    let o = require("[[known_false_alarm]]\nid = \"g:2\"\nwhy = \"a test\"\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A listed message that is no longer flagged fails, so the list only shrinks.
    let o = require(
        "[[known_false_alarm]]\nid = \"g:2\"\nwhy = \"a test\"\n[[known_false_alarm]]\nid = \"g:1\"\nwhy = \"fixed since\"\n",
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("take it off the list"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_message_gets_its_report_in_its_language_and_country() {
    // A Japanese scam text: findings, advice and where to report, in Japanese and for Japan.
    let o = redflag(&[
        "check",
        "--json",
        "--channel",
        "sms",
        "--text",
        "【Amazon】お客様のアカウントは一時的に停止されました。24時間以内に以下のURLから情報を更新してください。https://amazon-jp-verify.xyz/login",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["lang"], "ja");
    assert_eq!(v["country"], "JP");
    assert_eq!(v["verdict_label"], "詐欺");
    let advice = v["advice"]["steps"][0].as_str().unwrap();
    assert!(advice.contains("電話"), "{advice}");
    let to = report_destinations(&v);
    assert!(to.contains(&"amazon"), "{to:?}");
    assert!(!to.contains(&"ftc") && !to.contains(&"sms7726"), "{to:?}");
    let finding = v["findings"][0]["message"].as_str().unwrap();
    assert!(
        finding
            .chars()
            .any(|c| ('\u{3040}'..='\u{30FF}').contains(&c)),
        "{finding}"
    );

    // A German scam email, read in German; the country can be chosen.
    let de = "Sehr geehrter Kunde, Ihr Amazon-Konto wurde gesperrt. Bitte bestätigen Sie Ihre Daten innerhalb von 24 Stunden unter https://amazon-konto-sicherheit.de/login, sonst wird Ihr Konto gelöscht.";
    let o = redflag(&[
        "check",
        "--color",
        "never",
        "--channel",
        "email",
        "--text",
        de,
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.starts_with("BETRUG"), "{out}");
    assert!(
        out.contains("Warnzeichen") && out.contains("Melden:"),
        "{out}"
    );
    assert!(out.contains("verbraucherzentrale"), "{out}");
    let in_country = |code: &str| -> serde_json::Value {
        let o = redflag(&[
            "check",
            "--json",
            "--country",
            code,
            "--channel",
            "email",
            "--text",
            de,
        ]);
        serde_json::from_str(&stdout(&o)).unwrap()
    };
    let v = in_country("at");
    assert_eq!(v["lang"], "de");
    // Austria is not in the data: the marketplace the message claims decides instead.
    assert_eq!(v["country"], "DE");
    assert_eq!(in_country("uk")["country"], "UK");

    // English stays as it was: US bodies.
    let o = redflag(&[
        "check",
        "--json",
        "--text",
        "Amazon: your account is locked. Call 1-888-555-0199 now.",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["lang"], "en");
    assert_eq!(v["country"], "US");
    assert_eq!(v["verdict_label"], "Scam");
}

/// `serve` refuses a hotline token under 32 characters before it opens anything: the token
/// guards every saved message. The error says what to do.
#[test]
fn serve_refuses_a_short_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cases.sqlite");
    let o = redflag(&[
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--db",
        db.to_str().unwrap(),
        "--token",
        "hotline-9",
        "--no-model",
    ]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("at least 32"), "{err}");
    assert!(err.contains("--insecure-short-token"), "{err}");
    assert!(!db.exists(), "the store was opened with a refused token");
}

// `check --report TO --out FILE`: the ready reports, as the API's `/api/v1/report/{to}`.

/// `redflag check ARGS --report TO --out FILE` into a fresh folder; the output and the file
/// (`None` when none was written).
fn report_file(args: &[&str], to: &str, name: &str) -> (Output, Option<Vec<u8>>) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join(name);
    let o = redflag(
        &[
            &["check", "--color", "never", "--no-model"],
            args,
            &["--report", to, "--out", out.to_str().unwrap()],
        ]
        .concat(),
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.as_os_str() != name)
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary file stays: {leftovers:?}"
    );
    (o, std::fs::read(&out).ok())
}

#[test]
fn report_amazon_writes_the_eml_draft_with_the_original_attached() {
    let eml = fixture("email/scam-account-locked.eml");
    let (o, file) = report_file(&[&eml], "amazon", "report.eml");
    assert_eq!(
        o.status.code(),
        Some(1),
        "the verdict still sets the exit code"
    );
    // The usual report still prints, and a line says where the ready report went.
    assert!(stdout(&o).starts_with("SCAM"), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("the report to amazon was written to")
            && stderr(&o).contains("report.eml"),
        "{}",
        stderr(&o)
    );
    let file = file.expect("the .eml is written");
    let draft = mail_parser::MessageParser::default()
        .parse(&file)
        .expect("a parseable email");
    let profile = redflag_engine::Profile::embedded();
    assert_eq!(
        draft.to().and_then(|t| t.first()).and_then(|t| t.address()),
        Some(profile.brand.report.email.as_str())
    );
    assert_eq!(
        draft.to().and_then(|t| t.first()).and_then(|t| t.address()),
        Some("stop-spoofing@amazon.com")
    );
    assert!(draft.body_text(0).unwrap().contains("attached"));
    let att = draft
        .attachments()
        .next()
        .expect("the original is attached");
    assert_eq!(
        att.content_type().map(|c| (c.ctype(), c.subtype())),
        Some(("message", Some("rfc822")))
    );
    let raw = std::fs::read(&eml).unwrap();
    let original = mail_parser::MessageParser::default().parse(&raw).unwrap();
    let attached = att.message().expect("parsed original");
    assert_eq!(attached.subject(), original.subject());
    assert_eq!(attached.from(), original.from());
}

#[test]
fn report_ftc_writes_the_form_fields_as_json() {
    let (o, file) = report_file(
        &[&fixture("email/scam-gift-card-refund.eml")],
        "ftc",
        "ftc.json",
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&file.expect("written")).unwrap();
    assert_eq!(v["site"], "https://reportfraud.ftc.gov/");
    assert_eq!(v["category"], "An impersonator");
    assert_eq!(v["company_impersonated"], "Amazon");
    assert_eq!(v["how_contacted"], "Email");
    assert_eq!(v["amount_paid"], "", "left for the person");
    assert!(v["description"].as_str().unwrap().contains("Red flags"));
    assert!(
        v["payment_asked_for"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "gift cards")
    );
    for field in [
        "how",
        "what_happened",
        "contacted_by",
        "phone_numbers",
        "websites",
        "email_addresses",
        "payment_method",
        "date_contacted",
    ] {
        assert!(v.get(field).is_some(), "{field}");
    }
}

#[test]
fn report_sms7726_of_a_text_and_to_standard_output() {
    let sms = fixture("sms/scam-otp-request.txt");
    let (o, file) = report_file(&["--from", "+17185550163", &sms], "sms7726", "7726.json");
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&file.expect("written")).unwrap();
    assert_eq!(v["applies"], true);
    assert_eq!(v["number"], "7726");
    assert_eq!(v["send"], "+17185550163");
    assert!(v["steps"].as_array().unwrap().len() >= 2);

    // `--out -`: the ready report is the whole output, the verdict still the exit code.
    let o = redflag(&[
        "check",
        "--no-model",
        "--from",
        "+17185550163",
        &sms,
        "--report",
        "sms7726",
        "--out",
        "-",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let w: serde_json::Value = serde_json::from_slice(&o.stdout).expect("only the JSON");
    assert_eq!(v, w);

    // An email: 7726 does not apply, and says why.
    let (_, file) = report_file(
        &[&fixture("email/scam-account-locked.eml")],
        "sms7726",
        "7726.json",
    );
    let v: serde_json::Value = serde_json::from_slice(&file.unwrap()).unwrap();
    assert_eq!(v["applies"], false);
    assert!(v["why_not"].as_str().unwrap().contains("text messages"));
}

#[test]
fn report_hotline_by_email_or_refused_when_it_takes_only_calls() {
    let eml = fixture("email/scam-gift-card-refund.eml");
    // The default hotline (Colorado's 18th district) takes email.
    let (o, file) = report_file(&[&eml], "hotline", "hotline.eml");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let file = file.expect("written");
    let draft = mail_parser::MessageParser::default().parse(&file).unwrap();
    assert_eq!(
        draft.to().and_then(|t| t.first()).and_then(|t| t.address()),
        redflag_engine::Profile::embedded()
            .reports
            .hotline
            .email
            .as_deref()
    );
    assert_eq!(draft.attachments().count(), 1);

    // Near miss: a hotline with only a phone number gets no email and no file, and the
    // error says to phone it, before anything is checked.
    let dir = tempfile::tempdir().unwrap();
    let phone_only = dir.path().join("hotline.toml");
    std::fs::write(
        &phone_only,
        "[hotline]\nname = \"Springfield Fraud Line\"\nphone = \"(555) 010-0199\"\n",
    )
    .unwrap();
    let (o, file) = report_file(
        &["--hotline", phone_only.to_str().unwrap(), &eml],
        "hotline",
        "hotline.eml",
    );
    assert_eq!(o.status.code(), Some(2), "a usage error");
    assert!(file.is_none(), "nothing is written");
    assert!(o.stdout.is_empty(), "nothing is checked: {}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("Springfield Fraud Line takes reports by phone, not email: (555) 010-0199.")
            && err.contains("Phone it"),
        "{err}"
    );
}

#[test]
fn report_near_misses_write_nothing() {
    let eml = fixture("email/scam-account-locked.eml");
    // An unknown destination: the error lists the ones there are.
    let (o, file) = report_file(&[&eml], "fbi", "r.eml");
    assert_eq!(o.status.code(), Some(2));
    assert!(file.is_none() && o.stdout.is_empty());
    assert!(
        stderr(&o).contains("no report `fbi`: use amazon, ftc, sms7726 or hotline"),
        "{}",
        stderr(&o)
    );
    // The brand is named by its id, not its name.
    let (o, _) = report_file(&[&eml], "Amazon", "r.eml");
    assert_eq!(o.status.code(), Some(2));

    // Two messages: which one to report? None, and nothing is checked either.
    let dir = tempfile::tempdir().unwrap();
    let mbox = dir.path().join("two.mbox");
    let mut two = Vec::new();
    for f in [
        "email/scam-account-locked.eml",
        "email/scam-gift-card-refund.eml",
    ] {
        two.extend_from_slice(b"From scammer@example.com Mon Jan 13 15:02:11 2025\n");
        two.extend_from_slice(&std::fs::read(fixture(f)).unwrap());
        two.extend_from_slice(b"\n");
    }
    std::fs::write(&mbox, &two).unwrap();
    assert_eq!(
        redflag(&["check", "--no-model", "--json", mbox.to_str().unwrap()])
            .stdout
            .iter()
            .filter(|b| **b == b'\n')
            .count(),
        2,
        "the mbox holds two messages"
    );
    let (o, file) = report_file(&[mbox.to_str().unwrap()], "ftc", "ftc.json");
    assert_eq!(o.status.code(), Some(2));
    assert!(file.is_none() && o.stdout.is_empty(), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("--report writes the report of one message")
            && stderr(&o).contains("holds 2"),
        "{}",
        stderr(&o)
    );
    // A folder of messages likewise.
    let (o, file) = report_file(&[&fixture("email/maildir")], "ftc", "ftc.json");
    assert_eq!(o.status.code(), Some(2));
    assert!(file.is_none());

    // Each option needs the other; `--out -` and `--json` would share standard output.
    assert_eq!(
        redflag(&["check", &eml, "--report", "ftc"]).status.code(),
        Some(2)
    );
    assert_eq!(
        redflag(&["check", &eml, "--out", "x.json"]).status.code(),
        Some(2)
    );
    let o = redflag(&["check", "--json", &eml, "--report", "ftc", "--out", "-"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());

    // A folder is not a file to write; an unreadable message writes nothing.
    let o = redflag(&[
        "check",
        &eml,
        "--report",
        "ftc",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a folder"), "{}", stderr(&o));
    let (o, file) = report_file(&["--text", "   "], "ftc", "ftc.json");
    assert_eq!(o.status.code(), Some(2));
    assert!(file.is_none());
    assert!(
        stderr(&o).contains("no report was written"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn report_replaces_an_existing_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ftc.json");
    std::fs::write(&out, "x".repeat(100_000)).unwrap();
    let o = redflag(&[
        "check",
        "--no-model",
        &fixture("email/scam-account-locked.eml"),
        "--report",
        "ftc",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["how_contacted"], "Email");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// `redflag serve` on a free loopback port, killed when dropped.
struct Served(std::process::Child, std::net::SocketAddr);

impl Served {
    fn start() -> Served {
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_redflag"))
            .args([
                "serve",
                "--addr",
                &addr.to_string(),
                "--rate-limit",
                "0",
                "--no-model",
            ])
            .env("RUST_LOG", "warn")
            .env_remove("REDFLAG_TOKEN")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let served = Served(child, addr);
        let start = std::time::Instant::now();
        while served.post("/api/v1/health", "").is_err() {
            assert!(start.elapsed().as_secs() < 120, "the server did not answer");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        served
    }

    /// The body of a POST's answer, byte for byte.
    fn post(&self, path: &str, body: &str) -> std::io::Result<Vec<u8>> {
        use std::io::Read as _;
        let mut s = std::net::TcpStream::connect(self.1)?;
        let method = if body.is_empty() { "GET" } else { "POST" };
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )?;
        let mut answer = Vec::new();
        s.read_to_end(&mut answer)?;
        let end = answer
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or_else(|| std::io::Error::other("no head"))?;
        let head = String::from_utf8_lossy(&answer[..end]);
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(!head.to_ascii_lowercase().contains("chunked"), "{head}");
        Ok(answer[end + 4..].to_vec())
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The CLI writes what the API answers, byte for byte, for each destination.
#[test]
fn report_files_are_the_api_answers_byte_for_byte() {
    let server = Served::start();
    let eml = fixture("email/scam-account-locked.eml");
    let email = std::fs::read_to_string(&eml).unwrap();
    let sms = fixture("sms/scam-otp-request.txt");
    let text = std::fs::read_to_string(&sms).unwrap();
    let cases: [(&str, Vec<&str>, serde_json::Value); 5] = [
        ("amazon", vec![&eml], serde_json::json!({ "email": email })),
        ("hotline", vec![&eml], serde_json::json!({ "email": email })),
        ("ftc", vec![&eml], serde_json::json!({ "email": email })),
        (
            "sms7726",
            vec!["--from", "+17185550163", &sms],
            serde_json::json!({ "text": text, "sender": "+17185550163" }),
        ),
        (
            "amazon",
            vec!["--from", "+17185550163", &sms],
            serde_json::json!({ "text": text, "sender": "+17185550163" }),
        ),
    ];
    for (to, args, body) in cases {
        let (_, file) = report_file(&args, to, "report");
        let api = server
            .post(&format!("/api/v1/report/{to}"), &body.to_string())
            .unwrap();
        assert!(!api.is_empty());
        assert!(
            file.as_deref() == Some(api.as_slice()),
            "{to} {args:?}: the CLI wrote\n{}\nthe API answered\n{}",
            String::from_utf8_lossy(&file.unwrap_or_default()),
            String::from_utf8_lossy(&api)
        );
    }
}
