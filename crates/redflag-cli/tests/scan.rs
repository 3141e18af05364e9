//! `redflag scan` as a process, on the project's fixtures.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn redflag(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_redflag"))
        .arg("scan")
        .args(args)
        .output()
        .unwrap()
}

fn os<S: AsRef<std::ffi::OsStr> + ?Sized>(s: &S) -> &std::ffi::OsStr {
    s.as_ref()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Copies a fixture folder into `to`.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

#[test]
fn scans_the_fixtures_and_writes_every_report() {
    let tmp = tempfile::tempdir().unwrap();
    let (html, csv, jsonl) = (
        tmp.path().join("report.html"),
        tmp.path().join("r.csv"),
        tmp.path().join("r.jsonl"),
    );
    let fx = fixtures();
    let o = redflag(&[
        os("--quiet"),
        fx.as_os_str(),
        os("--out"),
        html.as_os_str(),
        os("--csv"),
        csv.as_os_str(),
        os("--jsonl"),
        jsonl.as_os_str(),
    ]);
    let out = stdout(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for part in [
        "Verdicts",
        "Scenarios (flagged messages)",
        "Top sender domains",
        "Top callback numbers",
        "Top link domains",
        "messages/s",
    ] {
        assert!(out.contains(part), "no {part} in\n{out}");
    }
    // The mbox gives three messages; README.md and expected.toml are left out.
    let messages: usize = out
        .split_whitespace()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap();
    let lines = std::fs::read_to_string(&jsonl).unwrap();
    assert_eq!(lines.lines().count(), messages);
    assert!(lines.contains("\"index\":3"));
    let mut r = csv::Reader::from_path(&csv).unwrap();
    assert_eq!(r.records().count(), messages);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("default-src 'none'"));
    assert!(!page.to_ascii_lowercase().contains("<script"));
    assert!(page.contains("id=\"time-chart\"><svg"));
}

#[test]
fn exit_0_when_nothing_is_flagged_and_2_on_errors() {
    let fx = fixtures();
    let clean = fx.join("email/legit-amazon-order.eml");
    let o = redflag(&[os("-q"), clean.as_os_str()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("clean"));

    let missing = fx.join("email/no-such-file.eml");
    let o = redflag(&[os("-q"), clean.as_os_str(), missing.as_os_str()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("Could not be read (1)"),
        "{}",
        stdout(&o)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("could not be read"));

    // --min-verdict scam: the suspicious-only fixtures are not flagged.
    let o = redflag(&[os("-q"), os("--min-verdict"), os("scam"), clean.as_os_str()]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn move_flagged_from_a_maildir_and_refuses_to_move_out_of_an_mbox() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    copy_dir(&fixtures().join("email/maildir"), &inbox);
    let before: Vec<PathBuf> = ["new", "cur"]
        .iter()
        .flat_map(|d| std::fs::read_dir(inbox.join(d)).unwrap())
        .map(|e| e.unwrap().path())
        .collect();
    let dest = tmp.path().join("flagged");
    let o = redflag(&[
        os("-q"),
        inbox.as_os_str(),
        os("--move-flagged"),
        dest.as_os_str(),
        os("--threads"),
        os("1"),
    ]);
    let code = o.status.code();
    let moved: Vec<PathBuf> = ["new", "cur"]
        .iter()
        .flat_map(|d| std::fs::read_dir(dest.join(d)).unwrap())
        .map(|e| e.unwrap().path())
        .collect();
    let left = before.iter().filter(|p| p.exists()).count();
    // Every message is somewhere, exactly once.
    assert_eq!(moved.len() + left, before.len(), "{}", stdout(&o));
    if moved.is_empty() {
        assert_eq!(code, Some(0));
    } else {
        assert_eq!(code, Some(1), "{}", stdout(&o));
        assert!(stdout(&o).contains("delivered"), "{}", stdout(&o));
    }

    // An mbox: moving is refused (exit 2) and the file is untouched; copying works.
    let mbox = tmp.path().join("box.mbox");
    std::fs::copy(fixtures().join("email/mailbox.mbox"), &mbox).unwrap();
    let bytes = std::fs::read(&mbox).unwrap();
    let o = redflag(&[
        os("-q"),
        mbox.as_os_str(),
        os("--move-flagged"),
        dest.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("mbox message cannot be removed"),
        "{}",
        stdout(&o)
    );
    assert_eq!(std::fs::read(&mbox).unwrap(), bytes);
    let copies = tmp.path().join("copies");
    let o = redflag(&[
        os("-q"),
        mbox.as_os_str(),
        os("--copy-flagged"),
        copies.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(std::fs::read_dir(copies.join("new")).unwrap().count() >= 1);
}

#[test]
fn hostile_file_names_are_sanitised_in_the_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let name = tmp.path().join("evil\x1b[31m\u{202E}name.eml");
    std::fs::write(&name, b"").unwrap();
    let o = redflag(&[os("-q"), name.as_os_str()]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(
        !out.contains('\x1b') && !out.contains('\u{202E}'),
        "{out:?}"
    );
    assert!(out.contains("\\u{1b}[31m\\u{202e}name.eml"), "{out}");
}
