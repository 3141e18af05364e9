//! Links and email addresses found in text, as fixture pairs in `tests/links/`.
//!
//! Each `<name>.txt` holds one or more cases: a `=== <what it shows>` line, then the text of
//! an SMS (no sender, no subject) up to the next `===` line; blank lines at the end of a
//! case are not part of its text. `<name>.expected.toml` lists, case by case, every link and
//! email address `extract` finds: the text at its span, the span, and every field of
//! `UrlRef` and `EmailRef` (fields that are `false` or absent are left out). A case with no
//! `link` or `email` entries finds none.
//!
//! On a difference the test prints, for each case that differs, a line diff of what is
//! expected (`-`) and what was found (`+`). `UPDATE_EXPECTED=1 cargo test -p redflag-extract
//! --test link_fixtures` rewrites the expected files from what is found; review the diff.

use redflag_extract::{EmailRef, UrlRef, UrlSource, extract};
use redflag_message::{Channel, TextInput, parse_text_message};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// An expected file.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    #[serde(default)]
    case: Vec<Case>,
}

/// What one case finds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// The `===` line's text.
    name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    link: Vec<Link>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    email: Vec<Email>,
}

/// A `UrlRef`, every field, and the text at its span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Link {
    raw: String,
    span: [usize; 2],
    url: String,
    source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    link_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    host_unicode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    registrable: Option<String>,
    scheme: String,
    path: String,
    #[serde(default, skip_serializing_if = "is_false")]
    is_ip: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    obfuscated: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    has_userinfo: bool,
}

/// An `EmailRef`, every field, and the text at its span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Email {
    raw: String,
    span: [usize; 2],
    address: String,
    domain: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    registrable: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !b
}

/// The cases of a `.txt` file: name and text.
fn cases(file: &Path, input: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, Vec<&str>)> = Vec::new();
    for line in input.lines() {
        if let Some(name) = line.strip_prefix("=== ") {
            out.push((name.trim().to_string(), Vec::new()));
        } else {
            let Some((_, lines)) = out.last_mut() else {
                panic!("{}: must start with a `=== ` line", file.display());
            };
            lines.push(line);
        }
    }
    out.into_iter()
        .map(|(name, lines)| (name, lines.join("\n").trim_end_matches('\n').to_string()))
        .collect()
}

/// What `extract` finds in a text.
fn found(name: String, text: &str) -> Case {
    let msg = parse_text_message(TextInput {
        channel: Channel::Sms,
        text,
        sender: None,
        subject: None,
    })
    .expect("message");
    let ind = extract(&msg, &redflag_profile::Profile::embedded().brand);
    let raw = |span: redflag_message::Span| {
        msg.text
            .get(span.range())
            .unwrap_or_else(|| panic!("{name}: span {span:?} does not slice the text"))
            .to_string()
    };
    let link = ind
        .urls
        .iter()
        .map(|u| {
            let UrlRef {
                span,
                url,
                source,
                link_text,
                host,
                host_unicode,
                registrable,
                scheme,
                path,
                is_ip,
                obfuscated,
                has_userinfo,
            } = u.clone();
            Link {
                raw: raw(span),
                span: [span.start, span.end],
                url,
                source: match source {
                    UrlSource::Anchor => "anchor",
                    UrlSource::Text => "text",
                }
                .to_string(),
                link_text,
                host,
                host_unicode,
                registrable,
                scheme,
                path,
                is_ip,
                obfuscated,
                has_userinfo,
            }
        })
        .collect();
    let email = ind
        .emails
        .iter()
        .map(|e| {
            let EmailRef {
                span,
                address,
                domain,
                registrable,
            } = e.clone();
            Email {
                raw: raw(span),
                span: [span.start, span.end],
                address,
                domain,
                registrable,
            }
        })
        .collect();
    Case { name, link, email }
}

/// A case as the expected file writes it; nothing for no case.
fn render(case: Option<&Case>) -> String {
    case.map_or_else(String::new, |c| {
        toml::to_string(&Expected {
            case: vec![c.clone()],
        })
        .expect("serialisable")
    })
}

/// A line diff: `-` lines only in `old`, `+` lines only in `new`.
fn diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = String::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            let _ = writeln!(out, "  {}", a[i]);
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            let _ = writeln!(out, "- {}", a[i]);
            i += 1;
        } else {
            let _ = writeln!(out, "+ {}", b[j]);
            j += 1;
        }
    }
    out
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/links")
}

/// The files in `tests/links/` whose names end so, sorted.
fn files(ending: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("tests/links")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.to_str().is_some_and(|s| s.ends_with(ending)))
        .collect();
    out.sort();
    out
}

#[test]
fn links_found_in_the_fixtures() {
    let update = std::env::var_os("UPDATE_EXPECTED").is_some();
    let inputs = files(".txt");
    assert!(!inputs.is_empty(), "no fixtures in {}", dir().display());
    for expected in files(".expected.toml") {
        let name = expected.to_str().expect("UTF-8 path");
        let input = format!("{}.txt", name.trim_end_matches(".expected.toml"));
        assert!(
            Path::new(&input).exists(),
            "{name} has no input file {input}"
        );
    }

    let mut failures = String::new();
    let mut count = 0;
    for input in &inputs {
        let text = std::fs::read_to_string(input).expect("fixture text");
        let cases = cases(input, &text);
        assert!(!cases.is_empty(), "{}: no cases", input.display());
        let mut names: Vec<&str> = cases.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            panic!("{}: two cases are named {:?}", input.display(), w[0]);
        }
        count += cases.len();
        let actual: Vec<Case> = cases
            .iter()
            .map(|(name, text)| found(name.clone(), text))
            .collect();

        let expected_path = input.with_extension("expected.toml");
        let stem = input.file_stem().and_then(|s| s.to_str()).expect("name");
        if update {
            let body = toml::to_string(&Expected { case: actual }).expect("serialisable");
            let header = format!(
                "# What `extract` finds in {stem}.txt, case by case: every link and\n\
                 # email address. Written by `UPDATE_EXPECTED=1 cargo test -p redflag-extract\n\
                 # --test link_fixtures`.\n\n"
            );
            std::fs::write(&expected_path, header + &body).expect("write expected file");
            continue;
        }
        let expected: Expected = match std::fs::read_to_string(&expected_path) {
            Ok(s) => {
                toml::from_str(&s).unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()))
            }
            Err(e) => {
                let _ = writeln!(failures, "{}: {e}\n", expected_path.display());
                continue;
            }
        };
        for i in 0..actual.len().max(expected.case.len()) {
            let (want, got) = (expected.case.get(i), actual.get(i));
            if want != got {
                let what = got.or(want).map_or("", |c| c.name.as_str());
                let text = cases.get(i).map_or("", |(_, t)| t.as_str());
                let _ = writeln!(
                    failures,
                    "{stem}, case {} ({what}), text {text:?}:\n{}",
                    i + 1,
                    diff(&render(want), &render(got))
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "links differ from tests/links/*.expected.toml (- expected, + found):\n\n{failures}\
         If what is found now is right: UPDATE_EXPECTED=1 cargo test -p redflag-extract --test \
         link_fixtures"
    );
    eprintln!("{count} cases in {} fixture files", inputs.len());
}
