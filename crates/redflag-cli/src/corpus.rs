//! Reading a labelled corpus index (the format of `shared/corpus/README.md`): shared by
//! `redflag eval` and `redflag train`, so both read every row exactly as `redflag check`
//! would.

use anyhow::Context as _;
use rayon::prelude::*;
use redflag_engine::screenshot::{ImageMessage, ImageReader, sniff_image};
use redflag_engine::{Channel, InputOptions, Message, read_input};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// One row of the index.
#[derive(Deserialize)]
pub(crate) struct Row {
    pub id: String,
    pub channel: String,
    pub label: String,
    #[serde(default)]
    pub amazon: bool,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub sender: Option<String>,
    #[serde(default)]
    pub dup_of: Option<String>,
    #[serde(default)]
    pub train_ok: bool,
    /// What kind of message it is (`order-shipped`), for a reference set's breakdown.
    #[serde(default)]
    pub kind: Option<String>,
    /// The marketplace it comes from (`JP`), likewise.
    #[serde(default)]
    pub marketplace: Option<String>,
    /// Its language (`ja`), likewise.
    #[serde(default)]
    pub lang: Option<String>,
    /// How it reached the person (`email-headers`, `email-pasted`, `sms`...), likewise.
    #[serde(default)]
    pub form: Option<String>,
    /// Position in the index (for a stable order).
    #[serde(skip)]
    pub order: usize,
}

/// The rows of an index that are not duplicates, the number of duplicates, and the lines that
/// could not be read (line number, error).
pub(crate) struct Index {
    pub rows: Vec<Row>,
    pub duplicates: usize,
    pub bad_lines: Vec<(usize, String)>,
    pub base: PathBuf,
}

/// Reads an index file.
pub(crate) fn read_index(path: &Path) -> anyhow::Result<Index> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the index {}", path.display()))?;
    let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut index = Index {
        rows: Vec::new(),
        duplicates: 0,
        bad_lines: Vec::new(),
        base,
    };
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        match serde_json::from_str::<Row>(line) {
            Ok(r) if r.dup_of.is_some() => index.duplicates += 1,
            Ok(mut r) => {
                r.order = n;
                index.rows.push(r);
            }
            Err(e) => index.bad_lines.push((n + 1, format!("bad index row: {e}"))),
        }
    }
    Ok(index)
}

/// The message of a row, read exactly as `redflag check` reads it for the row's channel.
pub(crate) fn message(base: &Path, r: &Row) -> Result<Message, String> {
    read_row(base, r, None).map(|(m, _)| m)
}

/// The message of a row and, when the row is a screenshot, what was read off it. A
/// screenshot is read as `redflag check` reads one without `--channel`: what the screen
/// shows decides (the row's channel is what the test set rendered, to compare with).
pub(crate) fn read_row(
    base: &Path,
    r: &Row,
    images: Option<&ImageReader>,
) -> Result<(Message, Option<ImageMessage>), String> {
    let channel =
        Channel::parse(&r.channel).ok_or_else(|| format!("unknown channel `{}`", r.channel))?;
    let bytes = match (&r.path, &r.text) {
        (Some(p), _) => std::fs::read(base.join(p)).map_err(|e| format!("cannot read {p}: {e}"))?,
        (None, Some(t)) => t.clone().into_bytes(),
        (None, None) => return Err("row has neither `path` nor `text`".to_string()),
    };
    if sniff_image(&bytes).is_some() {
        let opts = InputOptions {
            channel: None,
            sender: r.sender.clone(),
            subject: r.subject.clone(),
        };
        let reader = images.ok_or("a screenshot, and no screenshot reader")?;
        let img = reader.read(&bytes, &opts).map_err(|e| e.to_string())?;
        return Ok((img.message.clone(), Some(img)));
    }
    let opts = InputOptions {
        channel: Some(channel),
        sender: r.sender.clone(),
        subject: r.subject.clone(),
    };
    let mut msgs = read_input(&bytes, &opts)
        .map_err(|e| e.to_string())?
        .messages;
    if msgs.is_empty() {
        return Err("no message in the input".to_string());
    }
    msgs.swap_remove(0)
        .map(|m| (m, None))
        .map_err(|e| e.to_string())
}

/// The `(is_scam, features)` rows for training: scam and legitimate rows (spam counts for
/// neither) of the channels the model runs on, in index order.
pub(crate) fn training_rows<'a>(
    engine: &redflag_engine::Engine,
    base: &std::path::Path,
    rows: impl ParallelIterator<Item = &'a Row>,
) -> Vec<(bool, String)> {
    let mut out: Vec<(usize, bool, String)> = rows
        .filter(|r| r.label == "scam" || r.label == "legit")
        .filter(|r| {
            Channel::parse(&r.channel)
                .is_some_and(|c| redflag_engine::training::MODEL_CHANNELS.contains(&c))
        })
        .filter_map(|r| {
            let msg = message(base, r).ok()?;
            Some((r.order, r.label == "scam", engine.model_features(&msg)))
        })
        .collect();
    out.sort_by_key(|(i, _, _)| *i);
    out.into_iter().map(|(_, s, f)| (s, f)).collect()
}
