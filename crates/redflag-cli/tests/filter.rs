//! `redflag filter` as a mail server runs it: a message on standard input, the same message
//! on standard output with only header fields added, and the documented exit codes.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `redflag filter ARGS` with `input` on standard input, writing it from another thread
/// so that a large message cannot dead-lock the pipes.
fn filter(args: &[&str], input: Vec<u8>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_redflag"))
        .arg("filter")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let mut out = Vec::new();
    child.stdout.take().unwrap().read_to_end(&mut out).unwrap();
    let mut err = Vec::new();
    child.stderr.take().unwrap().read_to_end(&mut err).unwrap();
    // A filter that stops before reading (a profile it cannot load) closes the pipe first.
    match writer.join().unwrap() {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => panic!("writing to the filter: {e}"),
    }
    let status = child.wait().unwrap();
    Output {
        status,
        stdout: out,
        stderr: err,
    }
}

/// The output without the `X-Redflag-*` fields (and their folded lines) and without the
/// subject tag: what must equal the input byte for byte.
fn without_stamp(out: &[u8], tag: Option<&str>) -> Vec<u8> {
    let mut kept = Vec::new();
    let mut in_field = false;
    let mut in_header = true;
    for line in out.split_inclusive(|&b| b == b'\n') {
        if in_header && (line == b"\n" || line == b"\r\n") {
            in_header = false;
        }
        if in_header {
            let cont = line.starts_with(b" ") || line.starts_with(b"\t");
            if !cont {
                in_field = line.len() >= 10 && line[..10].eq_ignore_ascii_case(b"X-Redflag-");
            }
            if in_field {
                continue;
            }
            if let Some(tag) = tag {
                // A subject added to a message that had none.
                let added = format!("Subject: {tag}");
                if line
                    .strip_suffix(b"\n")
                    .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
                    == Some(added.as_bytes())
                {
                    continue;
                }
                let tagged = format!("Subject: {tag} ");
                if let Some(rest) = line.strip_prefix(tagged.as_bytes()) {
                    kept.extend_from_slice(b"Subject: ");
                    kept.extend_from_slice(rest);
                    continue;
                }
            }
        }
        kept.extend_from_slice(line);
    }
    kept
}

fn field<'a>(out: &'a str, name: &str) -> Option<&'a str> {
    out.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(": "))
}

fn email_fixtures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures/email"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort();
    assert!(files.len() >= 10);
    files
}

/// `redflag check --json`'s verdict and score of every file of `dir`, by file name, from one
/// process, to hold the filter to the same answer.
fn check_verdicts(dir: &Path) -> std::collections::BTreeMap<String, (String, u64)> {
    let out = Command::new(env!("CARGO_BIN_EXE_redflag"))
        .args(["check", "--json"])
        .arg(dir)
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["report"].is_object())
        .map(|v| {
            let name = Path::new(v["source"].as_str().unwrap());
            let name = name.file_name().unwrap().to_string_lossy().into_owned();
            let r = &v["report"];
            let verdict = r["verdict"].as_str().unwrap().to_string();
            (name, (verdict, r["score"].as_u64().unwrap()))
        })
        .collect()
}

/// Runs `each` on every item, on as many threads as there are cores: each call starts a
/// process, which is most of a test's time.
fn on_all_cores<T: Sync>(items: &[T], each: impl Fn(&T) + Sync) {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    each(item);
                }
            });
        }
    });
}

#[test]
fn every_fixture_comes_out_byte_for_byte_with_the_check_verdict() {
    let fixtures = email_fixtures();
    let verdicts = check_verdicts(&root().join("tests/fixtures/email"));
    on_all_cores(&fixtures, |path| {
        let raw = std::fs::read(path).unwrap();
        let out = filter(&["--subject-tag", "[SCAM?]"], raw.clone());
        assert!(out.status.success(), "{}: {:?}", path.display(), out);
        assert_eq!(
            String::from_utf8_lossy(&without_stamp(&out.stdout, Some("[SCAM?]"))),
            String::from_utf8_lossy(&raw),
            "{}: only header fields may be added",
            path.display()
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let name = path.file_name().unwrap().to_string_lossy();
        let (verdict, score) = &verdicts[name.as_ref()];
        assert_eq!(field(&text, "X-Redflag-Verdict"), Some(verdict.as_str()));
        assert_eq!(
            field(&text, "X-Redflag-Score"),
            Some(score.to_string().as_str())
        );
        let tagged = text.lines().any(|l| l.starts_with("Subject: [SCAM?]"));
        assert_eq!(tagged, verdict != "clean", "{}", path.display());
    });
}

#[test]
fn exit_codes_follow_spamc() {
    let scam = std::fs::read(root().join("tests/fixtures/email/scam-ssn-bank.eml")).unwrap();
    let legit = std::fs::read(root().join("tests/fixtures/email/legit-amazon-order.eml")).unwrap();
    assert_eq!(filter(&[], scam.clone()).status.code(), Some(0));
    assert_eq!(filter(&["--exit-code"], scam).status.code(), Some(1));
    assert_eq!(filter(&["--exit-code"], legit).status.code(), Some(0));
    // A profile that cannot be read: the MTA keeps the message and retries (EX_TEMPFAIL),
    // rather than passing mail unchecked without anyone noticing.
    let out = filter(
        &["--brands", "/nonexistent/brand.toml"],
        b"Subject: x\n\nhi".to_vec(),
    );
    assert_eq!(out.status.code(), Some(75));
    assert!(out.stdout.is_empty());
}

#[test]
fn forged_verdicts_are_replaced() {
    let mut raw = b"X-Redflag-Verdict: clean\nX-Redflag-Score: 0\n".to_vec();
    raw.extend(std::fs::read(root().join("tests/fixtures/email/scam-ssn-bank.eml")).unwrap());
    let out = filter(&[], raw);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("X-Redflag-Verdict:").count(), 1, "{text}");
    assert_eq!(field(&text, "X-Redflag-Verdict"), Some("scam"));
}

#[test]
fn unreadable_input_passes_through_with_a_note() {
    // Binary bytes (a PNG's signature and NULs).
    let raw = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01".to_vec();
    let out = filter(&["--exit-code"], raw.clone());
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(field(&text, "X-Redflag-Verdict"), Some("unchecked"));
    assert!(field(&text, "X-Redflag-Note").is_some_and(|n| n.starts_with("not checked: ")));
    assert!(out.stdout.ends_with(&raw));
    // Empty input.
    let out = filter(&[], Vec::new());
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("X-Redflag-Verdict: unchecked"));
}

#[test]
fn an_oversize_message_is_streamed_through_whole() {
    let mut raw = b"From: someone@example.com\r\nSubject: big\r\n\r\n".to_vec();
    let line = b"0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\r\n";
    while raw.len() < 26 * 1024 * 1024 {
        raw.extend_from_slice(line);
    }
    let out = filter(&[], raw.clone());
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout[..4096]);
    assert_eq!(field(&text, "X-Redflag-Verdict"), Some("unchecked"));
    assert!(text.contains("over the 25 MiB limit"), "{text}");
    assert!(without_stamp(&out.stdout, None) == raw);
}
