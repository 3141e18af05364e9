//! Ready-to-send reports: to the brand, the FTC, 7726 and the local hotline.
//!
//! These are texts the person (or the hotline) sends themselves. Nothing here sends
//! anything: redflag never contacts anyone unless the person asks for that report.

use crate::report::{OutboundReport, Report};
use crate::score::Verdict;
use redflag_message::{Channel, Message, prefix_chars};
use redflag_profile::{Country, Profile};
use std::fmt::Write;

/// Most characters of the message quoted in a report body.
const QUOTE_LIMIT: usize = 3000;

pub(crate) fn build(profile: &Profile, msg: &Message, report: &Report) -> Vec<OutboundReport> {
    match profile.countries.get(&report.country) {
        Some(country) if report.country != "US" => by_country(profile, msg, report, country),
        _ => united_states(profile, msg, report),
    }
}

/// The method names a report may have.
fn method(m: &str) -> &'static str {
    match m {
        "email" => "email",
        "sms" => "sms",
        "phone" => "phone",
        _ => "web",
    }
}

/// Reports for a country other than the US: the brand's channel there, then the country's
/// bodies that take this kind of message, in the report's language (names and steps in the
/// country's language when the report speaks it, in English otherwise).
fn by_country(
    profile: &Profile,
    msg: &Message,
    report: &Report,
    country: &Country,
) -> Vec<OutboundReport> {
    let brand = &profile.brand;
    let words = profile.locale(&report.lang);
    let ui = &words.ui;
    let local = country.langs.contains(&report.lang);
    let channel = msg.channel.as_str();
    let fill = |t: &str| {
        profile
            .fill_in(&report.lang, t)
            .replace("{channel}", words.channel_word(channel))
    };
    let pick = |en: &str, here: Option<&String>| match here {
        Some(h) if local => h.clone(),
        _ => en.to_string(),
    };
    let summary = summary(profile, msg, report);
    let told = with_summary(fill(&ui.report_body_authority), &summary);
    let mut out = Vec::new();
    let (b_email, b_web, b_how) = match country
        .brand_report
        .as_ref()
        .filter(|b| b.brand == brand.id)
    {
        Some(b) => (
            b.email.clone(),
            b.web.clone(),
            pick(&b.how, b.how_local.as_ref()),
        ),
        None => (
            Some(brand.report.email.clone()),
            Some(brand.report.web.clone()),
            brand.report.how.clone(),
        ),
    };
    let name = fill(&ui.report_to_brand);
    match (msg.channel == Channel::Email, b_email, b_web) {
        (true, Some(email), _) | (false, Some(email), None) => out.push(OutboundReport {
            to: brand.id.clone(),
            name,
            method: "email",
            address: email,
            subject: Some(fill(&ui.report_subject_brand)),
            body: with_summary(fill(&ui.report_body_brand_email), &summary),
            how: b_how,
        }),
        (_, _, Some(web)) => out.push(OutboundReport {
            to: brand.id.clone(),
            name,
            method: "web",
            address: web,
            subject: None,
            body: told.clone(),
            how: b_how,
        }),
        (_, None, None) => {}
    }
    for r in country.reports_for(channel) {
        let m = method(&r.method);
        out.push(OutboundReport {
            to: r.id.clone(),
            name: pick(&r.name, r.name_local.as_ref()),
            method: m,
            address: r.address.clone(),
            subject: (m == "email").then(|| fill(&ui.report_subject_authority)),
            body: match (m, msg.sender.as_ref()) {
                // A short code that takes forwarded texts wants the text itself, or the
                // number it came from.
                ("sms", Some(sender)) => sender.value.clone(),
                _ => told.clone(),
            },
            how: pick(&r.how, r.how_local.as_ref()),
        });
    }
    out
}

/// The US reports: the brand, the FTC, 7726 and the local hotline.
fn united_states(profile: &Profile, msg: &Message, report: &Report) -> Vec<OutboundReport> {
    let brand = &profile.brand;
    let summary = summary(profile, msg, report);
    let mut out = Vec::new();
    let channel_word = channel_word(msg.channel);
    if msg.channel == Channel::Email {
        out.push(OutboundReport {
            to: brand.id.clone(),
            name: format!("{} (report a scam)", brand.name),
            method: "email",
            address: brand.report.email.clone(),
            subject: Some(format!("Suspicious email pretending to be {}", brand.name)),
            body: with_summary(
                format_args!(
                    "Hello,\n\nI received the attached email, which pretends to come from {}. I am forwarding it as an attachment so that you have its full headers.",
                    brand.name
                ),
                &summary,
            ),
            how: brand.report.how.clone(),
        });
    } else {
        out.push(OutboundReport {
            to: brand.id.clone(),
            name: format!("{} (report a scam)", brand.name),
            method: "web",
            address: brand.report.web.clone(),
            subject: None,
            body: summary.clone(),
            how: brand.report.how.clone(),
        });
    }
    let ftc = &profile.reports.ftc;
    out.push(OutboundReport {
        to: "ftc".into(),
        name: ftc.name.clone(),
        method: "web",
        address: ftc.web.clone().unwrap_or_default(),
        subject: None,
        body: with_summary(
            format_args!(
                "What happened: I received a {channel_word} from someone pretending to be {}.",
                brand.name
            ),
            &summary,
        ),
        how: ftc.how.clone().unwrap_or_default(),
    });
    let s7726 = &profile.reports.sms7726;
    let sender = msg.sender.as_ref().map(|s| s.value.clone());
    match msg.channel {
        Channel::Sms => out.push(OutboundReport {
            to: "sms7726".into(),
            name: s7726.name.clone(),
            method: "sms",
            address: s7726.number.clone(),
            subject: None,
            body: sender.unwrap_or_else(|| "(the number the text came from)".into()),
            how: s7726.how_text.clone(),
        }),
        Channel::Call => out.push(OutboundReport {
            to: "sms7726".into(),
            name: s7726.name.clone(),
            method: "sms",
            address: s7726.number.clone(),
            subject: None,
            body: format!(
                "call {}",
                sender.unwrap_or_else(|| "(the number that called you)".into())
            ),
            how: s7726.how_call.clone(),
        }),
        _ => {}
    }
    let h = &profile.reports.hotline;
    out.push(OutboundReport {
        to: "hotline".into(),
        name: h.name.clone(),
        method: if h.email.is_some() { "email" } else { "phone" },
        address: h.email.clone().or_else(|| h.phone.clone()).unwrap_or_default(),
        subject: h.email.as_ref().map(|_| format!("Scam report: {channel_word} pretending to be {}", brand.name)),
        body: with_summary(
            format_args!("Hello,\n\nI would like to report a {channel_word} from someone pretending to be {}.", brand.name),
            &summary,
        ),
        how: match (&h.phone, &h.how) {
            (Some(p), Some(how)) => format!("{how} Phone: {p}."),
            (_, Some(how)) => how.clone(),
            (Some(p), None) => format!("Phone: {p}."),
            _ => String::new(),
        },
    });
    out
}

/// How a person names the channel: "email", "text message", "chat message", "phone call",
/// "pop-up or web page".
pub(crate) fn channel_word(channel: Channel) -> &'static str {
    match channel {
        Channel::Email => "email",
        Channel::Sms => "text message",
        Channel::Chat => "chat message",
        Channel::Call => "phone call",
        Channel::Screen => "pop-up or web page",
    }
}

/// A report's body: `opening`, a blank line, then `summary`. One allocation of about the
/// right size: `format!` grew its buffer step by step to the summary's length, which
/// quotes up to 3,000 characters of the message.
fn with_summary(opening: impl std::fmt::Display, summary: &str) -> String {
    let mut body = String::with_capacity(OPENING_BYTES + summary.len());
    let _ = write!(body, "{opening}");
    body.push_str("\n\n");
    body.push_str(summary);
    body
}

/// Room for a body's opening paragraph ahead of the summary (the longest, in Japanese, is
/// about 200 bytes; a longer one would grow the buffer once).
const OPENING_BYTES: usize = 256;

/// The facts of the case in plain text, shared by every report. Written piece by piece
/// rather than with `writeln!`: the formatting machinery was a tenth of composing an SMS's
/// report.
pub(crate) fn summary(profile: &Profile, msg: &Message, report: &Report) -> String {
    let body = msg.body();
    let quoted = prefix_chars(body, QUOTE_LIMIT);
    let mut s = String::with_capacity(SUMMARY_FACTS_BYTES + quoted.len());
    let verdict = match report.verdict {
        Verdict::Scam => "a scam",
        Verdict::Suspicious => "suspicious",
        Verdict::Clean => "without clear red flags",
    };
    s.push_str("redflag rated it ");
    s.push_str(verdict);
    s.push_str(" (score ");
    s.push_str(itoa::Buffer::new().format(report.score));
    s.push_str("/100).\nCompany impersonated: ");
    s.push_str(&profile.brand.name);
    s.push('\n');
    if let Some(sender) = &msg.sender {
        s.push_str(if msg.channel == Channel::Call {
            "Caller: "
        } else {
            "Sender: "
        });
        s.push_str(msg.text.get(sender.span.range()).unwrap_or(&sender.value));
        s.push('\n');
    }
    if let Some(subject) = msg.subject() {
        s.push_str("Subject: ");
        s.push_str(subject);
        s.push('\n');
    }
    let ind = &report.indicators;
    push_list(&mut s, "Phone numbers in the message: ", &ind.phone_numbers);
    let foreign = ind.domains.iter().filter(|d| !d.brand).map(|d| &d.domain);
    push_list(&mut s, "Websites in the message: ", foreign);
    push_list(&mut s, "Payment asked for: ", &ind.payment_methods);
    push_list(&mut s, "Amounts mentioned: ", &ind.amounts);
    if !report.findings.is_empty() {
        s.push_str("\nRed flags:\n");
        for f in report.findings.iter().filter(|f| f.points > 0) {
            s.push_str("- ");
            s.push_str(&f.message);
            s.push_str(" (");
            s.push_str(f.rule);
            s.push_str(")\n");
        }
    }
    s.push_str("\nThe message:\n");
    s.push_str(quoted);
    if quoted.len() < body.len() {
        s.push_str("\n[...]");
    }
    s.push('\n');
    s
}

/// A summary line: `label`, then `items` joined by `, `; nothing when there are none.
fn push_list<'i>(s: &mut String, label: &str, items: impl IntoIterator<Item = &'i String>) {
    let mut any = false;
    for item in items {
        s.push_str(if any { ", " } else { label });
        s.push_str(item);
        any = true;
    }
    if any {
        s.push('\n');
    }
}

/// Room for a summary's facts ahead of the quoted message (a report with many red flags
/// grows the buffer once).
const SUMMARY_FACTS_BYTES: usize = 1024;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AnalyzeOptions, Engine, InputOptions, read_input};

    /// The summary as it was written with `writeln!`, line by line.
    fn summary_by_format(profile: &Profile, msg: &Message, report: &Report) -> String {
        let mut s = String::new();
        let verdict = match report.verdict {
            Verdict::Scam => "a scam",
            Verdict::Suspicious => "suspicious",
            Verdict::Clean => "without clear red flags",
        };
        let _ = writeln!(
            s,
            "redflag rated it {verdict} (score {}/100).",
            report.score
        );
        let _ = writeln!(s, "Company impersonated: {}", profile.brand.name);
        if let Some(sender) = &msg.sender {
            let label = if msg.channel == Channel::Call {
                "Caller"
            } else {
                "Sender"
            };
            let shown = msg.text.get(sender.span.range()).unwrap_or(&sender.value);
            let _ = writeln!(s, "{label}: {shown}");
        }
        if let Some(subject) = msg.subject() {
            let _ = writeln!(s, "Subject: {subject}");
        }
        let ind = &report.indicators;
        if !ind.phone_numbers.is_empty() {
            let _ = writeln!(
                s,
                "Phone numbers in the message: {}",
                ind.phone_numbers.join(", ")
            );
        }
        let foreign: Vec<&str> = ind
            .domains
            .iter()
            .filter(|d| !d.brand)
            .map(|d| d.domain.as_str())
            .collect();
        if !foreign.is_empty() {
            let _ = writeln!(s, "Websites in the message: {}", foreign.join(", "));
        }
        if !ind.payment_methods.is_empty() {
            let _ = writeln!(s, "Payment asked for: {}", ind.payment_methods.join(", "));
        }
        if !ind.amounts.is_empty() {
            let _ = writeln!(s, "Amounts mentioned: {}", ind.amounts.join(", "));
        }
        if !report.findings.is_empty() {
            let _ = writeln!(s, "\nRed flags:");
            for f in report.findings.iter().filter(|f| f.points > 0) {
                let _ = writeln!(s, "- {} ({})", f.message, f.rule);
            }
        }
        let body = msg.body();
        let quoted = prefix_chars(body, QUOTE_LIMIT);
        let more = if quoted.len() < body.len() {
            "\n[...]"
        } else {
            ""
        };
        let _ = write!(s, "\nThe message:\n{quoted}{more}\n");
        s
    }

    /// Every fixture message, of every channel, as an SMS and as a call too (a sender
    /// line, a caller line): the summary is the one `writeln!` wrote.
    #[test]
    fn the_summary_is_what_writeln_wrote() {
        let engine = Engine::default();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
        let mut checked = 0;
        for dir in ["email", "sms", "call", "chat"] {
            let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.is_file())
                .collect();
            files.sort();
            for f in files {
                let bytes = std::fs::read(&f).unwrap();
                for channel in [None, Some(Channel::Sms), Some(Channel::Call)] {
                    let opts = InputOptions {
                        channel,
                        sender: Some("+14155550182".into()),
                        subject: None,
                    };
                    let Ok(read) = read_input(&bytes, &opts) else {
                        continue;
                    };
                    for msg in read.messages.into_iter().flatten() {
                        let report = engine.analyze(&msg, &AnalyzeOptions::default());
                        let profile = engine.profile();
                        assert_eq!(
                            summary(profile, &msg, &report),
                            summary_by_format(profile, &msg, &report),
                            "{}",
                            f.display()
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 100, "{checked} messages");
    }
}
