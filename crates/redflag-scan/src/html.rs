//! The HTML report: one self-contained file (inline CSS and SVG charts, no script, no
//! external resource, a Content-Security-Policy that forbids both), for a manager.

use crate::charts::{self, CLEAN, NEUTRAL, SCAM, SUSPICIOUS};
use crate::export::rfc3339;
use crate::summary::flagged_means;
use crate::text::html as esc;
use crate::{Count, Delivery, DeliveryOutcome, ReportError, Scan, Summary};
use redflag_engine::Verdict;
use std::fmt::Write as _;
use std::io::Write;

/// The page's Content-Security-Policy: nothing loads, nothing runs; inline CSS and data:
/// images only.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// How many entries of each top list and chart the report shows.
const TOP: usize = 20;

const STYLE: &str = r#"
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1b1f24;margin:0;background:#f4f6f8}
main{max-width:1000px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:20px;margin:32px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
h3{font-size:16px;margin:0 0 6px}
.meta{color:#57606a;margin:0 0 16px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:10px 16px;min-width:120px}
.card b{display:block;font-size:24px}
.card.scam b{color:#b3261e}.card.suspicious b{color:#a86a00}.card.clean b{color:#2e7d32}
figure{background:#fff;border:1px solid #d0d7de;border-radius:8px;margin:12px 0;padding:12px;overflow-x:auto}
figcaption{color:#57606a;font-size:13px;margin-top:4px}
svg.chart{max-width:100%;height:auto;display:block}
table{border-collapse:collapse;background:#fff;width:100%;margin:8px 0;font-size:14px}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#eef1f4}
td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(290px,1fr));gap:12px}
.v-scam{color:#b3261e;font-weight:600}.v-suspicious{color:#a86a00;font-weight:600}.v-clean{color:#2e7d32}
.message{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:12px 16px;margin:12px 0}
.message dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0 0 8px}
.message dt{color:#57606a}.message dd{margin:0;overflow-wrap:anywhere}
.message ol{margin:4px 0 0;padding-left:22px}
.message li{margin:6px 0}
q{background:#fff3cd;quotes:"\201C" "\201D"}
.rule{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
.weak{color:#57606a;font-size:13px}
.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}
a{color:#0b5cad}
.top{font-size:13px}
"#;

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Scam => "v-scam",
        Verdict::Suspicious => "v-suspicious",
        Verdict::Clean => "v-clean",
    }
}

fn counts_table(out: &mut String, id: &str, title: &str, head: &str, list: &[Count]) {
    let _ = write!(
        out,
        "<section id=\"{id}\"><h3>{}</h3><table><thead><tr><th>{}</th><th>Messages</th></tr></thead><tbody>",
        esc(title),
        esc(head)
    );
    if list.is_empty() {
        out.push_str("<tr><td colspan=\"2\">none</td></tr>");
    }
    for c in list.iter().take(TOP) {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
            esc(&c.key),
            c.count
        );
    }
    out.push_str("</tbody></table>");
    if list.len() > TOP {
        let _ = write!(out, "<p class=\"top\">Top {TOP} of {}.</p>", list.len());
    }
    out.push_str("</section>");
}

fn figure(out: &mut String, id: &str, svg: &str, caption: &str) {
    let _ = write!(
        out,
        "<figure id=\"{id}\">{svg}<figcaption>{}</figcaption></figure>",
        esc(caption)
    );
}

/// Writes the HTML report. Every value taken from a message or a file name is escaped; the
/// page has no script and loads nothing.
pub fn write_html(
    out: &mut dyn Write,
    scan: &Scan,
    s: &Summary,
    deliveries: &[Delivery],
) -> Result<(), ReportError> {
    let mut h = String::with_capacity(64 * 1024);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\
         <meta name=\"referrer\" content=\"no-referrer\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>redflag scan report</title><style>{STYLE}</style></head><body><main>"
    );
    let inputs: Vec<String> = scan
        .inputs
        .iter()
        .map(|p| esc(&p.display().to_string()))
        .collect();
    let _ = write!(
        h,
        "<header><h1>redflag scan report</h1><p class=\"meta\">{} messages in {} files \
         ({}), checked in {:.1} s ({:.0} messages/s) by redflag {}. Flagged means {}.</p></header>",
        s.messages,
        s.files,
        inputs.join(", "),
        s.seconds,
        s.per_second,
        env!("CARGO_PKG_VERSION"),
        flagged_means(s.min_verdict)
    );
    // Cards.
    let _ = write!(
        h,
        "<section id=\"summary\" class=\"cards\">\
         <div class=\"card scam\">Scam<b id=\"count-scam\">{}</b></div>\
         <div class=\"card suspicious\">Suspicious<b id=\"count-suspicious\">{}</b></div>\
         <div class=\"card clean\">No red flags found<b id=\"count-clean\">{}</b></div>\
         <div class=\"card\">Flagged<b id=\"count-flagged\">{}</b></div>\
         <div class=\"card\">Could not be read<b id=\"count-unreadable\">{}</b></div></section>",
        s.scam, s.suspicious, s.clean, s.flagged, s.unreadable
    );
    // Charts.
    h.push_str("<h2>Verdicts</h2>");
    let verdicts = charts::bars(
        &[
            ("Scam".into(), s.scam, SCAM),
            ("Suspicious".into(), s.suspicious, SUSPICIOUS),
            ("No red flags found".into(), s.clean, CLEAN),
        ],
        "Messages per verdict",
    )?;
    figure(&mut h, "verdict-chart", &verdicts, "Messages per verdict.");

    h.push_str("<h2>Scenarios</h2>");
    if s.scenarios.is_empty() {
        h.push_str(
            "<p id=\"scenario-chart\">No flagged message uses one of the advisory's scenarios.</p>",
        );
    } else {
        let items: Vec<_> = s
            .scenarios
            .iter()
            .take(TOP)
            .map(|c| (format!("{} {}", c.key, c.label), c.count, SCAM))
            .collect();
        let svg = charts::bars(&items, "Flagged messages per scenario")?;
        figure(
            &mut h,
            "scenario-chart",
            &svg,
            "Flagged messages per scenario (a message can use several).",
        );
    }

    h.push_str("<h2>Red flags</h2>");
    if s.rules.is_empty() {
        h.push_str("<p id=\"rule-chart\">No red flags.</p>");
    } else {
        let items: Vec<_> = s
            .rules
            .iter()
            .take(TOP)
            .map(|r| (format!("{} {}", r.id, r.name), r.messages, NEUTRAL))
            .collect();
        let svg = charts::bars(&items, "Messages per red flag")?;
        figure(
            &mut h,
            "rule-chart",
            &svg,
            "Messages per red flag (rule), most frequent first.",
        );
        h.push_str("<table id=\"rule-table\"><thead><tr><th>Rule</th><th>Name</th><th>Messages</th><th>Flagged</th></tr></thead><tbody>");
        for r in &s.rules {
            let _ = write!(
                h,
                "<tr><td class=\"rule\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                r.id, r.name, r.messages, r.flagged
            );
        }
        h.push_str("</tbody></table>");
    }

    let _ = write!(h, "<h2>Messages over time</h2>");
    if s.timeline.buckets.is_empty() {
        h.push_str("<p id=\"time-chart\">No message has a usable Date.</p>");
    } else {
        let svg = charts::timeline(&s.timeline.buckets, "Messages over time")?;
        let caption = format!(
            "Messages per {} by their Date header (UTC){}.",
            s.timeline.period,
            if s.timeline.undated > 0 {
                format!("; {} without a date are not shown", s.timeline.undated)
            } else {
                String::new()
            }
        );
        figure(&mut h, "time-chart", &svg, &caption);
        h.push_str("<p class=\"legend\"><span style=\"background:#b0b8c4\"></span>all messages<span style=\"background:#b3261e\"></span>flagged</p>");
    }

    h.push_str("<h2>What the flagged messages use</h2><div class=\"grid\">");
    counts_table(
        &mut h,
        "sender-domains",
        "Sender domains",
        "Domain",
        &s.sender_domains,
    );
    counts_table(
        &mut h,
        "callback-numbers",
        "Callback numbers",
        "Number",
        &s.callback_numbers,
    );
    counts_table(
        &mut h,
        "link-domains",
        "Link domains (the brand's own left out)",
        "Domain",
        &s.link_domains,
    );
    h.push_str("</div>");

    // Unreadable.
    let _ = write!(
        h,
        "<h2 id=\"unreadable\">Could not be read ({})</h2>",
        s.unreadable
    );
    if s.unreadable == 0 {
        h.push_str("<p>Every file and message was read.</p>");
    } else {
        h.push_str("<table id=\"unreadable-table\"><thead><tr><th>File</th><th>mbox #</th><th>Reason</th></tr></thead><tbody>");
        for u in scan.unreadable() {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                esc(&u.source.path.display().to_string()),
                u.source.index.map(|i| i.to_string()).unwrap_or_default(),
                esc(&u.reason)
            );
        }
        h.push_str("</tbody></table>");
    }
    if s.skipped_files > 0 {
        let _ = write!(
            h,
            "<p>{} files in folders were left out (hidden, or not named like a message file).</p>",
            s.skipped_files
        );
    }

    // Deliveries.
    if !deliveries.is_empty() {
        let done = deliveries.iter().filter(|d| d.outcome.done()).count();
        let _ = write!(
            h,
            "<h2 id=\"deliveries\">Flagged messages {} ({done} of {})</h2>",
            deliveries[0].mode.past(),
            deliveries.len()
        );
        let failed: Vec<&Delivery> = deliveries.iter().filter(|d| !d.outcome.done()).collect();
        if !failed.is_empty() {
            h.push_str(
                "<table><thead><tr><th>Message</th><th>Not done because</th></tr></thead><tbody>",
            );
            for d in failed {
                let why = match &d.outcome {
                    DeliveryOutcome::Refused(r) | DeliveryOutcome::Failed(r) => r.as_str(),
                    DeliveryOutcome::Done(_) => "",
                };
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}</td></tr>",
                    esc(&d.source.display()),
                    esc(why)
                );
            }
            h.push_str("</tbody></table>");
        }
    }

    // Flagged messages: a list with links, then each with its red flags.
    let _ = write!(
        h,
        "<h2 id=\"flagged\">Flagged messages ({})</h2>",
        s.flagged
    );
    if s.flagged == 0 {
        h.push_str("<p>None.</p>");
    } else {
        h.push_str("<table id=\"flagged-table\"><thead><tr><th>#</th><th>Verdict</th><th>Score</th><th>Date</th><th>Sender</th><th>Subject</th></tr></thead><tbody>");
        for (n, c) in scan.flagged().enumerate() {
            let _ = write!(
                h,
                "<tr><td><a class=\"flagged-link\" href=\"#m-{n}\">{}</a></td><td class=\"{}\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                n + 1,
                verdict_class(c.verdict),
                c.verdict.as_str(),
                c.score,
                c.date
                    .map(|d| rfc3339(d)[..10].to_string())
                    .unwrap_or_default(),
                esc(c.sender.as_deref().unwrap_or("")),
                esc(c.subject.as_deref().unwrap_or("(no subject)")),
            );
        }
        h.push_str("</tbody></table>");
        for (n, c) in scan.flagged().enumerate() {
            let _ = write!(
                h,
                "<section class=\"message\" id=\"m-{n}\"><h3>{}. <span class=\"{}\">{}</span> ({})</h3><dl>\
                 <dt>File</dt><dd>{}</dd><dt>From</dt><dd>{}</dd><dt>Subject</dt><dd>{}</dd><dt>Date</dt><dd>{}</dd></dl><ol>",
                n + 1,
                verdict_class(c.verdict),
                c.verdict.label(),
                c.score,
                esc(&c.source.display()),
                esc(c.sender.as_deref().unwrap_or("")),
                esc(c.subject.as_deref().unwrap_or("")),
                c.date.map(rfc3339).unwrap_or_default(),
            );
            for f in &c.findings {
                let _ = write!(
                    h,
                    "<li data-rule=\"{}\"><span class=\"rule\">{} {}</span>{}<br>{}",
                    f.rule,
                    f.rule,
                    f.name,
                    if f.outweighed {
                        " <span class=\"weak\">(outweighed)</span>"
                    } else if f.soft {
                        " <span class=\"weak\">(weak)</span>"
                    } else {
                        ""
                    },
                    esc(&f.message)
                );
                for e in &f.evidence {
                    let _ = write!(h, " <q>{}</q>", esc(e));
                }
                h.push_str("</li>");
            }
            h.push_str(
                "</ol><p class=\"top\"><a href=\"#flagged\">Back to the list</a></p></section>",
            );
        }
    }
    h.push_str("<footer><p class=\"meta\">Nothing in these messages was opened, fetched or resolved. Links are shown as text only.</p></footer></main></body></html>\n");
    out.write_all(h.as_bytes())?;
    out.flush()?;
    Ok(())
}
