//! Reading and assessing every message, in parallel, results in input order.

use crate::walk::{Found, InputFile, Walk};
use crate::{
    Checked, Entry, Flag, MAX_EVIDENCE, MAX_QUOTE_CHARS, Scan, ScanError, Source, SourceKind,
    Unreadable, raw, text,
};
use rayon::prelude::*;
use redflag_engine::{
    AnalyzeOptions, Channel, Engine, InputOptions, MAX_INPUT_BYTES, Message, Verdict, read_input,
};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How to scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// The least verdict that counts as flagged (`Suspicious` by default).
    pub min_verdict: Verdict,
    /// Worker threads; `None`: one per core.
    pub threads: Option<usize>,
}

impl Default for ScanOptions {
    fn default() -> ScanOptions {
        ScanOptions {
            min_verdict: Verdict::Suspicious,
            threads: None,
        }
    }
}

/// Reads and assesses every file found, on all cores (or `opts.threads`), keeping the walk's
/// order. `progress` is called once per file read, with the number of messages it held (it
/// may be called from several threads at once). The engine's tables are built before the
/// clock starts, so `Scan::elapsed` measures the checks.
pub fn check(
    engine: &Engine,
    inputs: &[PathBuf],
    walk: Walk,
    opts: &ScanOptions,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Scan, ScanError> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = opts.threads {
        builder = builder.num_threads(n.max(1));
    }
    let pool = builder.build().map_err(|e| ScanError::Threads {
        threads: opts.threads.unwrap_or(0),
        reason: e.to_string(),
    })?;
    engine.warm_up();
    let files = walk.files();
    let start = Instant::now();
    let per_file: Vec<Vec<Entry>> = pool.install(|| {
        walk.found
            .par_iter()
            .map(|found| match found {
                Found::Error(u) => vec![Entry::Unreadable(u.clone())],
                Found::File(f) => {
                    let entries = check_file(engine, f, opts.min_verdict);
                    progress(entries.len());
                    entries
                }
            })
            .collect()
    });
    let elapsed = start.elapsed();
    Ok(Scan {
        inputs: inputs.to_vec(),
        entries: per_file.into_iter().flatten().collect(),
        files,
        skipped: walk.skipped,
        min_verdict: opts.min_verdict,
        elapsed,
    })
}

/// Reads at most the size limit plus one byte, so an over-size file is refused without
/// reading all of it.
fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    let limit = MAX_INPUT_BYTES as u64;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let mut buf = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read: {e}"))?;
    if buf.len() as u64 > limit {
        return Err(format!("over the {} MiB limit", limit / (1024 * 1024)));
    }
    Ok(buf)
}

fn is_eml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("eml"))
}

/// Every message of one file, or why it cannot be read.
pub(crate) fn check_file(engine: &Engine, file: &InputFile, min: Verdict) -> Vec<Entry> {
    let whole = |kind| Source {
        path: file.path.clone(),
        index: None,
        kind,
    };
    let unreadable = |source, reason| vec![Entry::Unreadable(Unreadable { source, reason })];
    let bytes = match read_limited(&file.path) {
        Ok(b) => b,
        Err(reason) => return unreadable(whole(SourceKind::Other), reason),
    };
    let messages = match read_input(&bytes, &InputOptions::default()) {
        Ok(m) => m.messages,
        Err(e) => return unreadable(whole(SourceKind::Other), e.to_string()),
    };
    let n = messages.len();
    if n == 0 {
        return unreadable(whole(SourceKind::Other), "no message in it".into());
    }
    // An mbox: the raw pieces for dates, when the split agrees with the reader.
    let pieces = (n > 1 || bytes.starts_with(b"From "))
        .then(|| raw::split_mbox(&bytes))
        .filter(|p| p.len() == n);
    let source = |i: usize, msg: Option<&Message>| Source {
        path: file.path.clone(),
        index: (n > 1).then_some(i + 1),
        kind: if n > 1 {
            SourceKind::Mbox
        } else if let Some(sub) = file.maildir {
            SourceKind::Maildir(sub)
        } else if is_eml(&file.path) && msg.is_some_and(|m| m.channel == Channel::Email) {
            SourceKind::Eml
        } else {
            SourceKind::Other
        },
    };
    let one = |(i, m): (usize, Result<Message, redflag_engine::InputError>)| match m {
        Err(e) => Entry::Unreadable(Unreadable {
            source: source(i, None),
            reason: e.to_string(),
        }),
        Ok(msg) => {
            let raw: Option<&[u8]> = match &pieces {
                Some(p) => p.get(i).map(Vec::as_slice),
                None if n == 1 => Some(&bytes),
                None => None,
            };
            let date = raw
                .filter(|_| msg.channel == Channel::Email)
                .and_then(raw::email_date);
            Entry::Checked(Box::new(assess(
                engine,
                &msg,
                source(i, Some(&msg)),
                date,
                min,
            )))
        }
    };
    if n > 1 {
        messages.into_par_iter().enumerate().map(one).collect()
    } else {
        messages.into_iter().enumerate().map(one).collect()
    }
}

/// Do two byte ranges overlap (or is an empty one inside the other)?
fn overlaps(a: std::ops::Range<usize>, b: std::ops::Range<usize>) -> bool {
    a.start < b.end.max(b.start + 1) && b.start < a.end.max(a.start + 1)
}

/// Assesses one message and keeps what the summary and the reports need.
pub(crate) fn assess(
    engine: &Engine,
    msg: &Message,
    source: Source,
    date: Option<i64>,
    min: Verdict,
) -> Checked {
    let a = engine.assess(msg, &AnalyzeOptions::default());
    let flagged = a.verdict >= min;
    let quote = |r: std::ops::Range<usize>| {
        text::clip(msg.text.get(r).unwrap_or("").trim(), MAX_QUOTE_CHARS)
    };
    let findings: Vec<Flag> = a
        .findings
        .iter()
        .map(|f| Flag {
            rule: f.rule,
            name: f.name,
            family: f.family.prefix(),
            points: f.points,
            soft: f.soft,
            outweighed: f.outweighed,
            message: text::clip(&f.message, 2 * MAX_QUOTE_CHARS),
            evidence: f
                .evidence
                .iter()
                .map(|s| quote(s.range()))
                .filter(|q| !q.is_empty())
                .take(MAX_EVIDENCE)
                .collect(),
        })
        .collect();
    let sender = msg.sender.as_ref().map(|s| {
        let shown = match s.display_name.as_deref().map(str::trim) {
            Some(name) if !name.is_empty() && name != s.value => format!("{name} <{}>", s.value),
            _ => s.value.clone(),
        };
        text::clip(&shown, MAX_QUOTE_CHARS)
    });
    let sender_domain = msg
        .sender
        .as_ref()
        .filter(|s| s.value.contains('@'))
        .and_then(|s| s.value.rsplit('@').next())
        .map(|d| d.trim().trim_end_matches('>').to_ascii_lowercase())
        .filter(|d| !d.is_empty())
        .map(|d| redflag_engine::registrable_domain(&d).unwrap_or(d))
        .map(|d| text::clip(&d, 100));
    let mut link_domains = Vec::new();
    let mut callback_numbers = Vec::new();
    if flagged {
        let ind = engine.extract(msg);
        let brand = &engine.profile().brand;
        for reg in ind
            .urls
            .iter()
            .filter(|u| u.host.is_some())
            .filter_map(|u| u.registrable.as_deref())
        {
            if !brand.is_legit_domain(reg) && !link_domains.iter().any(|d| d == reg) {
                link_domains.push(reg.to_string());
            }
        }
        let callback_spans: Vec<std::ops::Range<usize>> = a
            .findings
            .iter()
            .filter(|f| f.family.prefix() == "PHN" && !f.outweighed)
            .flat_map(|f| f.evidence.iter().map(|s| s.range()))
            .collect();
        for p in &ind.phones {
            if callback_spans
                .iter()
                .any(|r| overlaps(r.clone(), p.span.range()))
            {
                let n = p.e164.clone().unwrap_or_else(|| text::clip(&p.raw, 40));
                if !callback_numbers.contains(&n) {
                    callback_numbers.push(n);
                }
            }
        }
    }
    Checked {
        source,
        verdict: a.verdict,
        score: a.score,
        flagged,
        channel: msg.channel,
        findings,
        sender,
        sender_domain,
        subject: msg.subject().map(|s| text::clip(s.trim(), MAX_QUOTE_CHARS)),
        date,
        link_domains,
        callback_numbers,
    }
}
