//! Counting a scan, and the plain-text summary.

use crate::text::sanitize;
use crate::{Delivery, DeliveryOutcome, Scan};
use chrono::{Datelike, NaiveDate};
use redflag_engine::Verdict;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// How many messages have a thing (a domain, a phone number, a scenario).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    /// The thing (`SCN006`, `amaz0n-help.example`, `+18885550199`).
    pub key: String,
    /// Its name, where it has one (a scenario's rule name), else empty.
    pub label: String,
    /// Messages.
    pub count: usize,
}

/// How many messages a rule raised a red flag in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    /// Rule ID.
    pub id: &'static str,
    /// Rule name.
    pub name: &'static str,
    /// Messages where it counted (outweighed red flags left out).
    pub messages: usize,
    /// Of those, flagged messages.
    pub flagged: usize,
}

/// Messages in one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeBucket {
    /// The period: `2024-11-22` (a day), `2024-11-18` (the Monday of a week), `2024-11`, `2024`.
    pub label: String,
    /// Messages dated in it.
    pub messages: usize,
    /// Of those, flagged.
    pub flagged: usize,
}

/// Messages over time, by their `Date` header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timeline {
    /// `day`, `week`, `month` or `year`: chosen from the span of the dates.
    pub period: &'static str,
    /// Every period from the first date to the last, empty ones too.
    pub buckets: Vec<TimeBucket>,
    /// Messages without a usable date (texts, chats, a missing or broken `Date`).
    pub undated: usize,
}

/// The counts of a scan.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// Files left out of folders (not named like messages, or hidden).
    pub skipped_files: usize,
    /// Messages checked.
    pub messages: usize,
    /// Files and messages that could not be read.
    pub unreadable: usize,
    /// Verdict `scam`.
    pub scam: usize,
    /// Verdict `suspicious`.
    pub suspicious: usize,
    /// Verdict `clean`.
    pub clean: usize,
    /// At or above `min_verdict`.
    pub flagged: usize,
    /// What counts as flagged.
    pub min_verdict: Verdict,
    /// Flagged messages per scenario, most first.
    pub scenarios: Vec<Count>,
    /// Messages per rule, most first.
    pub rules: Vec<RuleCount>,
    /// Flagged messages per sender domain, most first.
    pub sender_domains: Vec<Count>,
    /// Flagged messages per callback number, most first.
    pub callback_numbers: Vec<Count>,
    /// Flagged messages per link domain (not the brand's own), most first.
    pub link_domains: Vec<Count>,
    /// Messages over time.
    pub timeline: Timeline,
    /// Seconds spent reading and checking.
    pub seconds: f64,
    /// Messages per second.
    pub per_second: f64,
}

/// Counts sorted by count (most first), then key.
fn ranked(map: BTreeMap<String, (String, usize)>) -> Vec<Count> {
    let mut v: Vec<Count> = map
        .into_iter()
        .map(|(key, (label, count))| Count { key, label, count })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    v
}

impl Summary {
    /// Counts a scan.
    pub fn new(scan: &Scan) -> Summary {
        let mut s = Summary {
            files: scan.files,
            skipped_files: scan.skipped,
            messages: 0,
            unreadable: scan.unreadable().count(),
            scam: 0,
            suspicious: 0,
            clean: 0,
            flagged: 0,
            min_verdict: scan.min_verdict,
            scenarios: Vec::new(),
            rules: Vec::new(),
            sender_domains: Vec::new(),
            callback_numbers: Vec::new(),
            link_domains: Vec::new(),
            timeline: timeline(scan),
            seconds: scan.elapsed.as_secs_f64(),
            per_second: 0.0,
        };
        let mut scenarios = BTreeMap::new();
        let mut rules: BTreeMap<&'static str, RuleCount> = BTreeMap::new();
        let mut senders = BTreeMap::new();
        let mut phones = BTreeMap::new();
        let mut links = BTreeMap::new();
        let bump = |m: &mut BTreeMap<String, (String, usize)>, k: &str, label: &str| {
            m.entry(k.to_string())
                .or_insert_with(|| (label.to_string(), 0))
                .1 += 1;
        };
        for c in scan.checked() {
            s.messages += 1;
            match c.verdict {
                Verdict::Scam => s.scam += 1,
                Verdict::Suspicious => s.suspicious += 1,
                Verdict::Clean => s.clean += 1,
            }
            let fired: BTreeSet<(&'static str, &'static str)> = c
                .findings
                .iter()
                .filter(|f| !f.outweighed)
                .map(|f| (f.rule, f.name))
                .collect();
            for (id, name) in fired {
                let r = rules.entry(id).or_insert(RuleCount {
                    id,
                    name,
                    messages: 0,
                    flagged: 0,
                });
                r.messages += 1;
                r.flagged += usize::from(c.flagged);
            }
            if !c.flagged {
                continue;
            }
            s.flagged += 1;
            for (id, name) in c.scenarios() {
                bump(&mut scenarios, id, name);
            }
            if let Some(d) = &c.sender_domain {
                bump(&mut senders, d, "");
            }
            for p in &c.callback_numbers {
                bump(&mut phones, p, "");
            }
            for d in &c.link_domains {
                bump(&mut links, d, "");
            }
        }
        s.scenarios = ranked(scenarios);
        let mut rules: Vec<RuleCount> = rules.into_values().collect();
        rules.sort_by(|a, b| b.messages.cmp(&a.messages).then_with(|| a.id.cmp(b.id)));
        s.rules = rules;
        s.sender_domains = ranked(senders);
        s.callback_numbers = ranked(phones);
        s.link_domains = ranked(links);
        if s.seconds > 0.0 {
            s.per_second = s.messages as f64 / s.seconds;
        }
        s
    }
}

/// The day a timestamp falls on (UTC).
fn day(ts: i64) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp(ts, 0).map(|d| d.date_naive())
}

/// Days since 1970-01-01.
fn epoch_days(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce()) - 719_163
}

fn from_epoch_days(days: i64) -> Option<NaiveDate> {
    i32::try_from(days + 719_163)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// Messages per day, week, month or year, whichever keeps the chart readable: days up to two
/// months of dates, weeks up to two years, months up to ten years, else years.
fn timeline(scan: &Scan) -> Timeline {
    let dated: Vec<(NaiveDate, bool)> = scan
        .checked()
        .filter_map(|c| c.date.and_then(day).map(|d| (d, c.flagged)))
        .collect();
    let undated = scan.checked().count() - dated.len();
    let (Some(first), Some(last)) = (
        dated.iter().map(|d| d.0).min(),
        dated.iter().map(|d| d.0).max(),
    ) else {
        return Timeline {
            period: "day",
            buckets: Vec::new(),
            undated,
        };
    };
    let span = (last - first).num_days();
    let (period, key): (&'static str, fn(NaiveDate) -> i64) = if span <= 62 {
        ("day", epoch_days)
    } else if span <= 730 {
        // Weeks from Monday: 1970-01-01 was a Thursday.
        ("week", |d| (epoch_days(d) + 3).div_euclid(7))
    } else if span <= 3650 {
        ("month", |d| {
            i64::from(d.year()) * 12 + i64::from(d.month0())
        })
    } else {
        ("year", |d| i64::from(d.year()))
    };
    let label = |k: i64| -> String {
        match period {
            "day" => from_epoch_days(k)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            "week" => from_epoch_days(k * 7 - 3)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            "month" => format!("{}-{:02}", k.div_euclid(12), k.rem_euclid(12) + 1),
            _ => k.to_string(),
        }
    };
    let (lo, hi) = (key(first), key(last));
    let mut buckets: Vec<TimeBucket> = (lo..=hi)
        .map(|k| TimeBucket {
            label: label(k),
            messages: 0,
            flagged: 0,
        })
        .collect();
    for (d, flagged) in dated {
        if let Some(b) = usize::try_from(key(d) - lo)
            .ok()
            .and_then(|i| buckets.get_mut(i))
        {
            b.messages += 1;
            b.flagged += usize::from(flagged);
        }
    }
    Timeline {
        period,
        buckets,
        undated,
    }
}

/// How many entries of each top list the text summary shows.
const TOP: usize = 10;
/// How many unreadable files the text summary lists.
const MAX_LISTED: usize = 50;

fn pct(n: usize, of: usize) -> String {
    if of == 0 {
        return String::new();
    }
    format!("{:5.1}%", n as f64 * 100.0 / of as f64)
}

/// What `--min-verdict` means, in words.
pub(crate) fn flagged_means(v: Verdict) -> &'static str {
    match v {
        Verdict::Scam => "scam",
        _ => "suspicious or scam",
    }
}

/// Writes the plain-text summary: counts per verdict, scenario and rule, the top sender
/// domains, callback numbers and link domains of the flagged messages, what could not be
/// read, and what was done with the flagged messages. Message content is sanitised.
pub fn write_summary(
    out: &mut dyn Write,
    scan: &Scan,
    s: &Summary,
    deliveries: &[Delivery],
) -> std::io::Result<()> {
    writeln!(
        out,
        "redflag scan: {} messages in {} files, checked in {:.1} s ({:.0} messages/s)",
        s.messages, s.files, s.seconds, s.per_second
    )?;
    if s.skipped_files > 0 {
        writeln!(
            out,
            "  {} files in folders left out (hidden, or not named like a message file)",
            s.skipped_files
        )?;
    }
    writeln!(out, "\nVerdicts")?;
    for (name, n) in [
        ("scam", s.scam),
        ("suspicious", s.suspicious),
        ("clean", s.clean),
    ] {
        writeln!(out, "  {name:<12}{n:>8}  {}", pct(n, s.messages))?;
    }
    writeln!(out, "  {:<12}{:>8}", "unreadable", s.unreadable)?;
    writeln!(
        out,
        "  flagged ({}): {}",
        flagged_means(s.min_verdict),
        s.flagged
    )?;
    writeln!(out, "\nScenarios (flagged messages)")?;
    if s.scenarios.is_empty() {
        writeln!(out, "  none")?;
    }
    for c in &s.scenarios {
        writeln!(out, "  {} {:<36}{:>8}", c.key, c.label, c.count)?;
    }
    writeln!(out, "\nRed flags (messages; of those flagged)")?;
    if s.rules.is_empty() {
        writeln!(out, "  none")?;
    }
    for r in &s.rules {
        writeln!(
            out,
            "  {} {:<36}{:>8}{:>8}",
            r.id, r.name, r.messages, r.flagged
        )?;
    }
    for (title, list) in [
        ("Top sender domains (flagged messages)", &s.sender_domains),
        (
            "Top callback numbers (flagged messages)",
            &s.callback_numbers,
        ),
        (
            "Top link domains (flagged messages; the brand's own left out)",
            &s.link_domains,
        ),
    ] {
        writeln!(out, "\n{title}")?;
        if list.is_empty() {
            writeln!(out, "  none")?;
        }
        for c in list.iter().take(TOP) {
            writeln!(out, "  {:<44}{:>8}", sanitize(&c.key), c.count)?;
        }
    }
    if s.unreadable > 0 {
        writeln!(out, "\nCould not be read ({})", s.unreadable)?;
        for u in scan.unreadable().take(MAX_LISTED) {
            writeln!(
                out,
                "  {}: {}",
                sanitize(&u.source.display()),
                sanitize(&u.reason)
            )?;
        }
        if s.unreadable > MAX_LISTED {
            writeln!(
                out,
                "  ... and {} more (the CSV, JSON Lines and HTML reports list them all)",
                s.unreadable - MAX_LISTED
            )?;
        }
    }
    if !deliveries.is_empty() {
        let done = deliveries.iter().filter(|d| d.outcome.done()).count();
        writeln!(
            out,
            "\nFlagged messages delivered: {done} of {}",
            deliveries.len()
        )?;
        for d in deliveries
            .iter()
            .filter(|d| !d.outcome.done())
            .take(MAX_LISTED)
        {
            let why = match &d.outcome {
                DeliveryOutcome::Refused(r) | DeliveryOutcome::Failed(r) => r.as_str(),
                _ => "",
            };
            writeln!(
                out,
                "  not {}: {}: {}",
                d.mode.past(),
                sanitize(&d.source.display()),
                sanitize(why)
            )?;
        }
    }
    Ok(())
}
