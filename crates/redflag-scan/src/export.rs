//! CSV (one row per message) and JSON Lines (one object per message or error).

use crate::text::csv_cell;
use crate::{Checked, Entry, ReportError, Scan};
use std::io::Write;

/// A date as RFC 3339 in UTC (`2024-11-22T02:37:44Z`).
pub(crate) fn rfc3339(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

fn scenario_ids(c: &Checked) -> String {
    c.scenarios()
        .iter()
        .map(|(id, _)| *id)
        .collect::<Vec<_>>()
        .join(" ")
}

fn rule_ids(c: &Checked) -> String {
    let mut ids: Vec<&str> = c.findings.iter().map(|f| f.rule).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.join(" ")
}

/// Writes one CSV row per message (RFC 4180): `source, index, verdict, score, scenarios,
/// rules, sender, subject, date, error`; an unreadable file or message is a row with verdict
/// `error` and the reason. Scenario and rule IDs are separated by spaces. Every text cell
/// that a spreadsheet would run as a formula starts with `'`.
pub fn write_csv(out: &mut dyn Write, scan: &Scan) -> Result<(), ReportError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "source",
        "index",
        "verdict",
        "score",
        "scenarios",
        "rules",
        "sender",
        "subject",
        "date",
        "error",
    ])?;
    for e in &scan.entries {
        match e {
            Entry::Checked(c) => {
                let source = c.source.path.display().to_string();
                let index = c.source.index.map(|i| i.to_string()).unwrap_or_default();
                let score = c.score.to_string();
                let scenarios = scenario_ids(c);
                let rules = rule_ids(c);
                let date = c.date.map(rfc3339).unwrap_or_default();
                w.write_record([
                    csv_cell(&source).as_ref(),
                    &index,
                    c.verdict.as_str(),
                    &score,
                    &scenarios,
                    &rules,
                    csv_cell(c.sender.as_deref().unwrap_or("")).as_ref(),
                    csv_cell(c.subject.as_deref().unwrap_or("")).as_ref(),
                    &date,
                    "",
                ])?;
            }
            Entry::Unreadable(u) => {
                let source = u.source.path.display().to_string();
                let index = u.source.index.map(|i| i.to_string()).unwrap_or_default();
                w.write_record([
                    csv_cell(&source).as_ref(),
                    &index,
                    "error",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    csv_cell(&u.reason).as_ref(),
                ])?;
            }
        }
    }
    w.flush()?;
    Ok(())
}

/// Writes one JSON object per line: per message `{source, index, verdict, score, flagged,
/// channel, scenarios, findings, sender, sender_domain, subject, date, link_domains,
/// callback_numbers}`, per unreadable file or message `{source, index, error}`.
pub fn write_jsonl(out: &mut dyn Write, scan: &Scan) -> Result<(), ReportError> {
    for e in &scan.entries {
        let v = match e {
            Entry::Checked(c) => serde_json::json!({
                "source": c.source.path.display().to_string(),
                "index": c.source.index,
                "verdict": c.verdict,
                "score": c.score,
                "flagged": c.flagged,
                "channel": c.channel,
                "scenarios": c.scenarios().iter().map(|(id, name)| serde_json::json!({"id": id, "name": name})).collect::<Vec<_>>(),
                "findings": c.findings,
                "sender": c.sender,
                "sender_domain": c.sender_domain,
                "subject": c.subject,
                "date": c.date.map(rfc3339),
                "link_domains": c.link_domains,
                "callback_numbers": c.callback_numbers,
            }),
            Entry::Unreadable(u) => serde_json::json!({
                "source": u.source.path.display().to_string(),
                "index": u.source.index,
                "error": u.reason,
            }),
        };
        serde_json::to_writer(&mut *out, &v)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
