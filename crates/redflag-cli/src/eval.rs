//! `redflag eval`: detection measured on a labelled corpus index.
//!
//! Each row runs exactly the analysis `redflag check` runs for its channel (with the row's
//! sender and subject). Rows marked `dup_of` are skipped; unreadable rows are counted and
//! listed, never dropped silently.

use crate::corpus::Row;
use anyhow::Context as _;
use clap::Args;
use rayon::prelude::*;
use redflag_engine::{AnalyzeOptions, Engine, Report, Verdict};
use serde::Serialize;
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
    /// Write one line per message: id, verdict, score, rules, model probability.
    #[arg(long, value_name = "OUT.jsonl")]
    per_message: Option<PathBuf>,
    /// Use this text model instead of the embedded one.
    #[arg(long, value_name = "FILE", conflicts_with = "no_model")]
    model: Option<PathBuf>,
    /// Use no text model: red flags only.
    #[arg(long)]
    no_model: bool,
    /// Honest figures for the model: split the `train_ok` rows into K folds by ID, train a
    /// model on the other folds for each, and score each fold's rows with the model that did
    /// not see them (other rows use the full model).
    #[arg(long, value_name = "K")]
    cross_validate: Option<usize>,
    /// Fail (exit 1) when a result breaks a requirement of this file (see
    /// `eval/requirements.toml`).
    #[arg(long, value_name = "FILE")]
    require: Option<PathBuf>,
    /// List up to N missed scams and N false alarms with their top findings.
    #[arg(long, value_name = "N")]
    misses: Option<usize>,
    /// How screenshots in the index are read.
    #[command(flatten)]
    ocr: crate::OcrArgs,
}

struct Outcome {
    id: String,
    channel: String,
    label: String,
    amazon: bool,
    /// The row's `kind`, `marketplace`, `lang` and `form`, where given.
    facets: Vec<(&'static str, String)>,
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
    /// For indexes whose rows say their `kind`, `marketplace`, `lang` or `form` (a
    /// reference set): facet → value → label → cell, over every channel.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    breakdown: BTreeMap<String, BTreeMap<String, BTreeMap<String, Cell>>>,
    elapsed_seconds: f64,
    messages_per_second: f64,
    threads: usize,
}

impl Summary {
    /// The same summary without its per-message parts (for requirement checks).
    fn shallow(&self) -> Summary {
        Summary {
            index: self.index.clone(),
            messages: self.messages,
            skipped_duplicates: self.skipped_duplicates,
            unreadable: Vec::new(),
            segments: self.segments.clone(),
            breakdown: BTreeMap::new(),
            elapsed_seconds: self.elapsed_seconds,
            messages_per_second: self.messages_per_second,
            threads: self.threads,
        }
    }
}

#[derive(Serialize)]
struct Unreadable {
    id: String,
    error: String,
}

const SEGMENTS: [&str; 5] = ["scam", "scam & amazon", "legit", "legit & amazon", "spam"];

pub(crate) fn run(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let index = crate::corpus::read_index(&args.index)?;
    let (rows, dups, base) = (index.rows, index.duplicates, index.base);
    let bad_rows: Vec<Unreadable> = index
        .bad_lines
        .into_iter()
        .map(|(n, error)| Unreadable {
            id: format!("line {n}"),
            error,
        })
        .collect();
    let model = crate::engine_args::load_model(args.model.as_deref(), args.no_model)?;
    let engine = Engine::default().with_model(model);
    let folds = match args.cross_validate {
        Some(k) if k >= 2 && model.is_some() => cross_models(&base, &rows, k)?,
        Some(_) if model.is_none() => anyhow::bail!("--cross-validate needs a model"),
        Some(_) => anyhow::bail!("--cross-validate needs at least 2 folds"),
        None => Vec::new(),
    };
    // Tables built on first use (shared by every engine) are built now: the clock measures
    // the checks.
    engine.warm_up();
    // Screenshots are read when this build can (a row that is one fails otherwise).
    let images = if redflag_engine::screenshot::ImageReader::available() {
        Some(args.ocr.reader()?)
    } else {
        None
    };
    let images = images.as_ref();
    let start = Instant::now();
    let outcomes: Vec<Outcome> = rows
        .par_iter()
        .map(|r| match fold_of(r, folds.len()) {
            Some(k) => evaluate(&folds[k], &base, r, images),
            None => evaluate(&engine, &base, r, images),
        })
        .collect();
    let elapsed = start.elapsed().as_secs_f64();

    let mut segments: BTreeMap<String, BTreeMap<String, Cell>> = BTreeMap::new();
    let mut breakdown: BTreeMap<String, BTreeMap<String, BTreeMap<String, Cell>>> = BTreeMap::new();
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
        for (facet, value) in &o.facets {
            let c = breakdown
                .entry(facet.to_string())
                .or_default()
                .entry(value.clone())
                .or_default()
                .entry(o.label.clone())
                .or_default();
            c.count += 1;
            c.flagged += usize::from(flagged);
        }
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
    let cells = segments.values_mut().flat_map(|m| m.values_mut()).chain(
        breakdown
            .values_mut()
            .flat_map(|m| m.values_mut())
            .flat_map(|m| m.values_mut()),
    );
    for c in cells {
        c.rate = if c.count == 0 {
            0.0
        } else {
            c.flagged as f64 / c.count as f64
        };
    }
    let summary = Summary {
        index: args.index.display().to_string(),
        messages: outcomes.len(),
        skipped_duplicates: dups,
        unreadable,
        segments,
        breakdown,
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
    let mut out = crate::out::Stdout::lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &summary)?;
        writeln!(out)?;
    } else {
        print_summary(&mut out, &summary)?;
    }
    if let Some(n) = args.misses {
        print_misses(&mut out, &outcomes, n)?;
    }
    if let Some(path) = &args.require {
        let broken = check_requirements(path, &summary, &outcomes)?;
        if !broken.is_empty() {
            for b in &broken {
                eprintln!("redflag eval: requirement not met: {b}");
            }
            return Ok(ExitCode::from(1));
        }
        writeln!(out, "all requirements of {} met", path.display())?;
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

/// The fold of a `train_ok` row (by a stable hash of its ID), when cross-validating.
fn fold_of(r: &Row, k: usize) -> Option<usize> {
    if k == 0 || !r.train_ok {
        return None;
    }
    // FNV-1a: stable across runs and platforms.
    let h = r.id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    Some((h % k as u64) as usize)
}

/// One engine per fold, each with a model trained on the `train_ok` rows of the other folds.
fn cross_models(base: &Path, rows: &[Row], k: usize) -> anyhow::Result<Vec<Engine>> {
    (0..k)
        .into_par_iter()
        .map(|fold| {
            let train = crate::corpus::training_rows(
                &Engine::default(),
                base,
                rows.par_iter()
                    .filter(|r| fold_of(r, k).is_some_and(|f| f != fold)),
            );
            let bytes = redflag_engine::training::train(
                &train,
                &redflag_engine::training::TrainOptions::default(),
            )?;
            let model = redflag_engine::Model::from_bytes(&bytes, format!("fold {fold} of {k}"))?;
            let model: &'static redflag_engine::Model = Box::leak(Box::new(model));
            Ok(Engine::default().with_model(Some(model)))
        })
        .collect()
}

fn evaluate(
    engine: &Engine,
    base: &Path,
    r: &Row,
    images: Option<&redflag_engine::screenshot::ImageReader>,
) -> Outcome {
    let read = crate::corpus::read_row(base, r, images);
    // A screenshot's rows are also broken down by what the screen was read as.
    let read_as = match &read {
        Ok((_, Some(img))) => Some(format!(
            "{} read as {}",
            r.channel,
            img.message.channel.as_str()
        )),
        _ => None,
    };
    let result = read.map(|(msg, img)| {
        let mut report = engine.analyze(&msg, &AnalyzeOptions::default());
        if let Some(img) = img {
            report.image = Some(img.image_report(&report));
        }
        report
    });
    let facets = [
        ("kind", &r.kind),
        ("marketplace", &r.marketplace),
        ("lang", &r.lang),
        ("form", &r.form),
    ]
    .into_iter()
    .filter_map(|(f, v)| v.as_ref().map(|v| (f, v.clone())))
    .chain(read_as.map(|v| ("screen", v)))
    .collect();
    Outcome {
        id: r.id.clone(),
        channel: r.channel.clone(),
        label: r.label.clone(),
        amazon: r.amazon,
        facets,
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
    for (facet, values) in &s.breakdown {
        writeln!(out, "\n[by {facet}]")?;
        writeln!(
            out,
            "  {:<22} {:<7} {:>7} {:>8} {:>8}",
            facet, "label", "count", "flagged", "rate"
        )?;
        for (value, labels) in values {
            for (label, c) in labels {
                writeln!(
                    out,
                    "  {:<22} {:<7} {:>7} {:>8} {:>7.2}%",
                    value,
                    label,
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
                "model": r.model.as_ref().map(|m| m.probability),
                "lang": r.lang,
                "country": r.country,
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

/// One requirement on one segment of one channel.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Requirement {
    channel: String,
    segment: String,
    #[serde(default)]
    min_rate: Option<f64>,
    #[serde(default)]
    max_rate: Option<f64>,
    #[serde(default)]
    max_count: Option<usize>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Requirements {
    require: Vec<Requirement>,
    /// Legitimate messages known to be flagged, each with the reason: they are left out of
    /// the requirements' counts, and a listed message that is no longer flagged breaks the
    /// requirements too (take it off the list), so the list only shrinks.
    #[serde(default)]
    known_false_alarm: Vec<KnownFalseAlarm>,
}

/// A legitimate message known to be flagged.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct KnownFalseAlarm {
    id: String,
    why: String,
}

/// The requirements a summary breaks, in words.
fn check_requirements(
    path: &Path,
    summary: &Summary,
    outcomes: &[Outcome],
) -> anyhow::Result<Vec<String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let reqs: Requirements = toml::from_str(&text)
        .with_context(|| format!("invalid requirements file {}", path.display()))?;
    let mut broken = Vec::new();
    let flagged_legit = |o: &&Outcome| {
        o.label == "legit" && o.result.as_ref().is_ok_and(|r| r.verdict != Verdict::Clean)
    };
    for k in &reqs.known_false_alarm {
        if k.why.trim().is_empty() {
            broken.push(format!("known false alarm {} gives no reason", k.id));
        }
        if !outcomes.iter().filter(flagged_legit).any(|o| o.id == k.id) {
            broken.push(format!(
                "{} is listed as a known false alarm but is not flagged: take it off the list",
                k.id
            ));
        }
    }
    // The segments without the known false alarms.
    let mut summary_cells = summary.segments.clone();
    for o in outcomes
        .iter()
        .filter(flagged_legit)
        .filter(|o| reqs.known_false_alarm.iter().any(|k| k.id == o.id))
    {
        for seg in segments_of(&o.label, o.amazon) {
            for ch in [o.channel.as_str(), "all"] {
                if let Some(c) = summary_cells.get_mut(ch).and_then(|m| m.get_mut(seg)) {
                    c.flagged -= 1;
                    c.rate = c.flagged as f64 / c.count.max(1) as f64;
                }
            }
        }
    }
    let summary = Summary {
        segments: summary_cells,
        ..summary.shallow()
    };
    for r in &reqs.require {
        let Some(cell) = summary
            .segments
            .get(&r.channel)
            .and_then(|c| c.get(&r.segment))
        else {
            broken.push(format!(
                "[{}] {}: no messages in this segment",
                r.channel, r.segment
            ));
            continue;
        };
        let pct = |x: f64| format!("{:.2}%", x * 100.0);
        if let Some(min) = r.min_rate.filter(|m| cell.rate < *m) {
            broken.push(format!(
                "[{}] {}: {} flagged, below {}",
                r.channel,
                r.segment,
                pct(cell.rate),
                pct(min)
            ));
        }
        if let Some(max) = r.max_rate.filter(|m| cell.rate > *m) {
            broken.push(format!(
                "[{}] {}: {} flagged, above {}",
                r.channel,
                r.segment,
                pct(cell.rate),
                pct(max)
            ));
        }
        if let Some(max) = r.max_count.filter(|m| cell.flagged > *m) {
            broken.push(format!(
                "[{}] {}: {} flagged, more than {}",
                r.channel, r.segment, cell.flagged, max
            ));
        }
    }
    Ok(broken)
}
