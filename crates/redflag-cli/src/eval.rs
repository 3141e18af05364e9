//! `redflag eval`: detection measured on a labelled corpus index.
//!
//! Each row runs exactly the analysis `redflag check` runs for its channel (with the row's
//! sender and subject). Rows marked `dup_of` are skipped; unreadable rows are counted and
//! listed, never dropped silently.

use anyhow::Context as _;
use clap::Args;
use rayon::prelude::*;
use redflag_engine::{AnalyzeOptions, Channel, Engine, InputOptions, Report, Verdict, read_input};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Args, Debug)]
pub(crate) struct EvalArgs {
    /// The index (JSON Lines; paths are relative to its folder).
    #[arg(long, value_name = "FILE")]
    index: PathBuf,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
    /// Write one line per message: id, verdict, score, rules.
    #[arg(long, value_name = "OUT.jsonl")]
    per_message: Option<PathBuf>,
    /// List up to N missed scams and N false alarms with their top findings.
    #[arg(long, value_name = "N")]
    misses: Option<usize>,
}

#[derive(Deserialize)]
struct Row {
    id: String,
    channel: String,
    label: String,
    #[serde(default)]
    amazon: bool,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    sender: Option<String>,
    #[serde(default)]
    dup_of: Option<String>,
}

struct Outcome {
    id: String,
    channel: String,
    label: String,
    amazon: bool,
    result: Result<Report, String>,
}

#[derive(Serialize, Default, Clone)]
struct Cell {
    count: usize,
    flagged: usize,
    rate: f64,
}

#[derive(Serialize)]
struct Summary {
    index: String,
    messages: usize,
    skipped_duplicates: usize,
    unreadable: Vec<Unreadable>,
    /// channel → segment → cell; channel `all` sums the others.
    segments: BTreeMap<String, BTreeMap<String, Cell>>,
    elapsed_seconds: f64,
    messages_per_second: f64,
    threads: usize,
}

#[derive(Serialize)]
struct Unreadable {
    id: String,
    error: String,
}

const SEGMENTS: [&str; 5] = ["scam", "scam & amazon", "legit", "legit & amazon", "spam"];

pub(crate) fn run(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.index)
        .with_context(|| format!("cannot read the index {}", args.index.display()))?;
    let base = args.index.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut rows = Vec::new();
    let mut bad_rows = Vec::new();
    let mut dups = 0;
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        match serde_json::from_str::<Row>(line) {
            Ok(r) if r.dup_of.is_some() => dups += 1,
            Ok(r) => rows.push(r),
            Err(e) => bad_rows.push(Unreadable {
                id: format!("line {}", n + 1),
                error: format!("bad index row: {e}"),
            }),
        }
    }
    let engine = Engine::default();
    let start = Instant::now();
    let outcomes: Vec<Outcome> = rows
        .par_iter()
        .map(|r| evaluate(&engine, &base, r))
        .collect();
    let elapsed = start.elapsed().as_secs_f64();

    let mut segments: BTreeMap<String, BTreeMap<String, Cell>> = BTreeMap::new();
    let mut unreadable = bad_rows;
    for o in &outcomes {
        let flagged = match &o.result {
            Ok(r) => r.verdict != Verdict::Clean,
            Err(e) => {
                unreadable.push(Unreadable {
                    id: o.id.clone(),
                    error: e.clone(),
                });
                continue;
            }
        };
        for seg in segments_of(&o.label, o.amazon) {
            for ch in [o.channel.as_str(), "all"] {
                let c = segments
                    .entry(ch.to_string())
                    .or_default()
                    .entry(seg.to_string())
                    .or_default();
                c.count += 1;
                c.flagged += usize::from(flagged);
            }
        }
    }
    for cells in segments.values_mut() {
        for c in cells.values_mut() {
            c.rate = if c.count == 0 {
                0.0
            } else {
                c.flagged as f64 / c.count as f64
            };
        }
    }
    let summary = Summary {
        index: args.index.display().to_string(),
        messages: outcomes.len(),
        skipped_duplicates: dups,
        unreadable,
        segments,
        elapsed_seconds: elapsed,
        messages_per_second: if elapsed > 0.0 {
            outcomes.len() as f64 / elapsed
        } else {
            0.0
        },
        threads: rayon::current_num_threads(),
    };
    if let Some(p) = &args.per_message {
        write_per_message(p, &outcomes)?;
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &summary)?;
        writeln!(out)?;
    } else {
        print_summary(&mut out, &summary)?;
    }
    if let Some(n) = args.misses {
        print_misses(&mut out, &outcomes, n)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn segments_of(label: &str, amazon: bool) -> Vec<&'static str> {
    match (label, amazon) {
        ("scam", true) => vec!["scam", "scam & amazon"],
        ("scam", false) => vec!["scam"],
        ("legit", true) => vec!["legit", "legit & amazon"],
        ("legit", false) => vec!["legit"],
        _ => vec!["spam"],
    }
}

fn evaluate(engine: &Engine, base: &Path, r: &Row) -> Outcome {
    let result = (|| {
        let channel =
            Channel::parse(&r.channel).ok_or_else(|| format!("unknown channel `{}`", r.channel))?;
        let bytes = match (&r.path, &r.text) {
            (Some(p), _) => {
                std::fs::read(base.join(p)).map_err(|e| format!("cannot read {p}: {e}"))?
            }
            (None, Some(t)) => t.clone().into_bytes(),
            (None, None) => return Err("row has neither `path` nor `text`".to_string()),
        };
        let opts = InputOptions {
            channel: Some(channel),
            sender: r.sender.clone(),
            subject: r.subject.clone(),
        };
        let mut msgs = read_input(&bytes, &opts).map_err(|e| e.to_string())?;
        if msgs.is_empty() {
            return Err("no message in the input".to_string());
        }
        let msg = msgs.swap_remove(0).map_err(|e| e.to_string())?;
        Ok(engine.analyze(&msg, &AnalyzeOptions::default()))
    })();
    Outcome {
        id: r.id.clone(),
        channel: r.channel.clone(),
        label: r.label.clone(),
        amazon: r.amazon,
        result,
    }
}

fn print_summary(out: &mut impl Write, s: &Summary) -> std::io::Result<()> {
    writeln!(
        out,
        "redflag eval: {} messages from {} ({} duplicates skipped)",
        s.messages, s.index, s.skipped_duplicates
    )?;
    for (ch, cells) in &s.segments {
        writeln!(out, "\n[{ch}]")?;
        writeln!(
            out,
            "  {:<16} {:>7} {:>8} {:>8}",
            "segment", "count", "flagged", "rate"
        )?;
        for seg in SEGMENTS {
            if let Some(c) = cells.get(seg) {
                writeln!(
                    out,
                    "  {:<16} {:>7} {:>8} {:>7.2}%",
                    seg,
                    c.count,
                    c.flagged,
                    c.rate * 100.0
                )?;
            }
        }
    }
    writeln!(out, "\nunreadable: {}", s.unreadable.len())?;
    for u in &s.unreadable {
        writeln!(out, "  {}: {}", u.id, u.error)?;
    }
    writeln!(
        out,
        "elapsed: {:.2} s, {:.0} messages/s on {} threads",
        s.elapsed_seconds, s.messages_per_second, s.threads
    )?;
    Ok(())
}

fn write_per_message(path: &Path, outcomes: &[Outcome]) -> anyhow::Result<()> {
    let f =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut w = std::io::BufWriter::new(f);
    for o in outcomes {
        let line = match &o.result {
            Ok(r) => serde_json::json!({
                "id": o.id,
                "verdict": r.verdict,
                "score": r.score,
                "rules": r.findings.iter().map(|f| f.rule).collect::<Vec<_>>(),
            }),
            Err(e) => serde_json::json!({ "id": o.id, "error": e }),
        };
        serde_json::to_writer(&mut w, &line)?;
        writeln!(w)?;
    }
    w.flush()?;
    Ok(())
}

/// A listing of wrong verdicts: title, label, and which verdicts are wrong for it.
type Section = (&'static str, &'static str, fn(Verdict) -> bool);

fn print_misses(out: &mut impl Write, outcomes: &[Outcome], n: usize) -> std::io::Result<()> {
    let top = |r: &Report| {
        r.findings
            .iter()
            .take(4)
            .map(|f| format!("{}+{}", f.rule, f.points))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let snippet = |r: &Report| {
        r.text
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .filter(|c| !c.is_control())
            .take(140)
            .collect::<String>()
    };
    let sections: [Section; 2] = [
        ("missed scams", "scam", |v| v == Verdict::Clean),
        ("false alarms", "legit", |v| v != Verdict::Clean),
    ];
    for (title, label, wrong) in sections {
        writeln!(out, "\n{title} (up to {n}):")?;
        let wrong = outcomes
            .iter()
            .filter(|o| o.label == label)
            .filter_map(|o| {
                o.result
                    .as_ref()
                    .ok()
                    .filter(|r| wrong(r.verdict))
                    .map(|r| (o, r))
            });
        for (o, r) in wrong.take(n) {
            writeln!(
                out,
                "  {} [{}] score {} {}\n      {}",
                o.id,
                o.channel,
                r.score,
                top(r),
                snippet(r)
            )?;
        }
    }
    Ok(())
}
