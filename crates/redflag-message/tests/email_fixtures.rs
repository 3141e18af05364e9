//! Email fixtures: every `tests/email/<name>.eml` is read with `parse_email` and must give
//! the message its `tests/email/<name>.expected.json` describes.
//!
//! The expected file is a readable view of the whole [`Message`]: the display text (one
//! array entry per line), its sections, the sender, the email headers read (From, Reply-To,
//! Return-Path, Authentication-Results with their method results, subject, flags, and the
//! MIME parts the body was read from when there were several), the HTML
//! links, the attachments and the note codes. Every span is written as `"at": [start, end]`
//! with the `"text"` it covers. Spans are also checked to be valid (inside the text, on char
//! boundaries, sections in order, links inside the body).
//!
//! The `.eml` files are the raw input byte for byte (one uses CRLF line ends): edit them with
//! care. After a deliberate change in what the parser gives, rewrite the expected files with
//!
//! ```text
//! UPDATE_EXPECTED=1 cargo test -p redflag-message --test email_fixtures
//! ```
//!
//! and review the diff.

use redflag_message::fuzzing::check_spans;
use redflag_message::{Message, Span, parse_email};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/email")
}

/// Adds the span and the text it covers to a JSON object.
fn spanned(m: &Message, s: Span, mut v: Value) -> Value {
    let obj = v.as_object_mut().expect("an object");
    obj.insert("at".to_string(), json!([s.start, s.end]));
    obj.insert("text".to_string(), json!(m.text.get(s.range())));
    v
}

fn to_value<T: serde::Serialize>(t: T) -> Value {
    serde_json::to_value(t).expect("serialisable")
}

/// The readable view of a message that the expected files hold.
fn view(m: &Message) -> Value {
    let mailbox = |b: &redflag_message::Mailbox| {
        spanned(m, b.span, json!({"name": b.name, "address": b.address}))
    };
    let email = m.email.as_ref().map(|e| {
        let mut v = json!({
            "from": e.from.as_ref().map(mailbox),
            "reply_to": e.reply_to.iter().map(mailbox).collect::<Vec<_>>(),
            "return_path": e.return_path.as_ref().map(mailbox),
            "auth_results": e.auth_results.iter().map(|a| spanned(m, a.span, json!({
                "authserv_id": a.authserv_id,
                "results": a.results.iter().map(|r| json!({
                    "method": r.method,
                    "result": r.result,
                    "props": r.props,
                })).collect::<Vec<_>>(),
            }))).collect::<Vec<_>>(),
            "subject": e.subject,
            "html": e.html,
            "forwarded": e.forwarded,
            "from_entries": e.from_entries,
            "relayed": e.relayed,
        });
        // Listed only when the body came from several parts.
        if !e.body_parts.is_empty() {
            v["body_parts"] = e
                .body_parts
                .iter()
                .map(|p| spanned(m, p.span, json!({"kind": p.kind.as_str()})))
                .collect();
        }
        v
    });
    json!({
        "channel": to_value(m.channel),
        "text": m.text.split('\n').collect::<Vec<_>>(),
        "sections": m.sections.iter()
            .map(|s| spanned(m, s.span, json!({"kind": to_value(s.kind)})))
            .collect::<Vec<_>>(),
        "sender": m.sender.as_ref().map(|s| spanned(m, s.span, json!({
            "kind": to_value(s.kind),
            "value": s.value,
            "display_name": s.display_name,
        }))),
        "email": email,
        "links": m.links.iter()
            .map(|l| spanned(m, l.span, json!({"href": l.href})))
            .collect::<Vec<_>>(),
        "attachments": m.attachments.iter().map(|a| spanned(m, a.span, json!({
            "name": a.name,
            "declared_type": a.declared_type,
            "sniffed_type": a.sniffed_type,
            "size": a.size,
        }))).collect::<Vec<_>>(),
        "notes": m.notes.iter().map(|n| n.code.as_str()).collect::<Vec<_>>(),
    })
}

/// A line diff of two texts (`-` expected, `+` got), with two lines of context.
fn diff(expected: &str, got: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = got.lines().collect();
    // Longest common subsequence table, from the ends.
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
    let mut ops: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', a[i]));
            i += 1;
        } else {
            ops.push(('+', b[j]));
            j += 1;
        }
    }
    let near_change = |k: usize| {
        let lo = k.saturating_sub(2);
        let hi = (k + 2).min(ops.len() - 1);
        ops[lo..=hi].iter().any(|(c, _)| *c != ' ')
    };
    let mut out = String::new();
    let mut skipped = false;
    for (k, (c, line)) in ops.iter().enumerate() {
        if near_change(k) {
            out.push_str(&format!("{c} {line}\n"));
            skipped = false;
        } else if !skipped {
            out.push_str("  ...\n");
            skipped = true;
        }
    }
    out
}

/// The order keys are written in (others follow, alphabetically): what the person sees first.
const KEY_ORDER: &[&str] = &[
    "error",
    "channel",
    "text",
    "sections",
    "sender",
    "email",
    "links",
    "attachments",
    "notes",
    "kind",
    "name",
    "address",
    "value",
    "display_name",
    "href",
    "declared_type",
    "sniffed_type",
    "size",
    "authserv_id",
    "results",
    "method",
    "result",
    "props",
    "from",
    "reply_to",
    "return_path",
    "auth_results",
    "subject",
    "html",
    "forwarded",
    "from_entries",
    "relayed",
    "at",
];

/// JSON as the expected files hold it: one key per line, and arrays of plain values on one
/// line when that line stays short (spans, property pairs, note codes).
fn pretty(v: &Value) -> String {
    /// An array of plain values (or of arrays of them) on one line.
    fn inline(v: &Value) -> String {
        match v {
            Value::Array(items) => {
                let items: Vec<String> = items.iter().map(inline).collect();
                format!("[{}]", items.join(", "))
            }
            _ => serde_json::to_string(v).expect("serialisable"),
        }
    }
    fn write(v: &Value, indent: usize, out: &mut String) {
        let pad = "  ".repeat(indent + 1);
        match v {
            Value::Object(map) if !map.is_empty() => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort_by_key(|k| {
                    // A span's text goes last, after its `at`; the display text goes first.
                    let rank = match KEY_ORDER.iter().position(|o| o == k) {
                        Some(_) if indent > 0 && k.as_str() == "text" => KEY_ORDER.len() + 1,
                        Some(rank) => rank,
                        None => KEY_ORDER.len(),
                    };
                    (rank, k.as_str())
                });
                out.push_str("{\n");
                for (i, k) in keys.iter().enumerate() {
                    out.push_str(&pad);
                    out.push_str(&serde_json::to_string(k).expect("serialisable"));
                    out.push_str(": ");
                    write(&map[k.as_str()], indent + 1, out);
                    out.push_str(if i + 1 < keys.len() { ",\n" } else { "\n" });
                }
                out.push_str(&"  ".repeat(indent));
                out.push('}');
            }
            Value::Array(items) if !items.is_empty() => {
                let flat = items.iter().all(|i| match i {
                    Value::Array(inner) => inner.iter().all(|x| !x.is_array() && !x.is_object()),
                    Value::Object(_) => false,
                    _ => true,
                });
                let one_line = inline(v);
                if flat && one_line.len() <= 80 {
                    out.push_str(&one_line);
                    return;
                }
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    out.push_str(&pad);
                    write(item, indent + 1, out);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                out.push_str(&"  ".repeat(indent));
                out.push(']');
            }
            _ => out.push_str(&serde_json::to_string(v).expect("serialisable")),
        }
    }
    let mut out = String::new();
    write(v, 0, &mut out);
    out.push('\n');
    out
}

#[test]
fn every_email_fixture_gives_its_expected_message() {
    let update = std::env::var_os("UPDATE_EXPECTED").is_some_and(|v| v == "1");
    let dir = fixtures_dir();
    let mut names: Vec<String> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in &entries {
        let file = path.file_name().unwrap_or_default().to_string_lossy();
        if let Some(name) = file.strip_suffix(".eml") {
            names.push(name.to_string());
        } else if let Some(name) = file.strip_suffix(".expected.json") {
            if !dir.join(format!("{name}.eml")).exists() {
                failures.push(format!("{file}: no {name}.eml next to it"));
            }
        } else if !file.starts_with('.') {
            failures.push(format!("{file}: neither a .eml nor a .expected.json file"));
        }
    }
    assert!(!names.is_empty(), "no .eml fixtures in {}", dir.display());

    let mut updated = Vec::new();
    for name in &names {
        let raw = std::fs::read(dir.join(format!("{name}.eml"))).expect("readable fixture");
        let got = match parse_email(&raw) {
            Ok(m) => {
                if let Err(e) = check_spans(&m) {
                    failures.push(format!("{name}.eml: {e}\ntext: {:?}", m.text));
                }
                view(&m)
            }
            Err(e) => json!({"error": e.to_string()}),
        };
        let expected_path = dir.join(format!("{name}.expected.json"));
        let expected: Option<Value> = match std::fs::read_to_string(&expected_path) {
            Ok(s) => match serde_json::from_str(&s) {
                Ok(v) => Some(v),
                Err(e) => {
                    failures.push(format!("{name}.expected.json: not JSON: {e}"));
                    continue;
                }
            },
            Err(_) => None,
        };
        if expected.as_ref() == Some(&got) {
            continue;
        }
        if update {
            std::fs::write(&expected_path, pretty(&got)).expect("writable expected file");
            updated.push(name.clone());
            continue;
        }
        match expected {
            None => failures.push(format!("{name}.eml: no {name}.expected.json")),
            Some(expected) => failures.push(format!(
                "{name}.eml does not give {name}.expected.json (- expected, + got):\n{}",
                diff(&pretty(&expected), &pretty(&got))
            )),
        }
    }
    if !updated.is_empty() {
        eprintln!("rewrote: {}", updated.join(", "));
    }
    assert!(
        failures.is_empty(),
        "{} problem(s) with the {} email fixtures:\n\n{}\n\nIf the change is intended, run \
         `UPDATE_EXPECTED=1 cargo test -p redflag-message --test email_fixtures` and review the diff.",
        failures.len(),
        names.len(),
        failures.join("\n\n")
    );
}
