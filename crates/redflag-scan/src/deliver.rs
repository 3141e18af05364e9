//! Putting the flagged messages into a Maildir (`--copy-flagged`, `--move-flagged`), without
//! ever losing one.
//!
//! Each message is written into `DIR/tmp`, flushed to disk, linked into `DIR/new` or
//! `DIR/cur` under its original file name (never over an existing file: a taken name gets a
//! `.1`, `.2`, ... before its `:2,` flags), and the folder is flushed; only then, for a move,
//! is the original removed. A step that fails leaves the original where it was and says why.
//! An mbox message is copied as a file of its own, never moved: removing it would mean
//! rewriting the whole mbox.

use crate::{Checked, MaildirSub, Scan, Source, SourceKind, raw};
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Copy or move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryMode {
    /// Leave the original where it is.
    Copy,
    /// Remove the original once the copy is safely on disk.
    Move,
}

impl DeliveryMode {
    /// `copied` or `moved`.
    pub fn past(self) -> &'static str {
        match self {
            DeliveryMode::Copy => "copied",
            DeliveryMode::Move => "moved",
        }
    }
}

/// What happened to one flagged message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// Delivered to this path.
    Done(PathBuf),
    /// Not attempted, and why (an mbox message to move, a file that is not an email).
    Refused(String),
    /// Attempted and failed; the original is where it was (or, if only its removal failed,
    /// in both places).
    Failed(String),
}

impl DeliveryOutcome {
    /// Delivered.
    pub fn done(&self) -> bool {
        matches!(self, DeliveryOutcome::Done(_))
    }
}

/// One flagged message and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The message.
    pub source: Source,
    /// Copy or move.
    pub mode: DeliveryMode,
    /// What happened.
    pub outcome: DeliveryOutcome,
}

/// A Maildir's folders.
struct Maildir {
    tmp: PathBuf,
    new: PathBuf,
    cur: PathBuf,
}

impl Maildir {
    fn create(root: &Path) -> Result<Maildir, String> {
        let md = Maildir {
            tmp: root.join("tmp"),
            new: root.join("new"),
            cur: root.join("cur"),
        };
        for d in [&md.tmp, &md.new, &md.cur] {
            std::fs::create_dir_all(d)
                .map_err(|e| format!("cannot create the Maildir folder {}: {e}", d.display()))?;
        }
        Ok(md)
    }

    fn sub(&self, sub: MaildirSub) -> &Path {
        match sub {
            MaildirSub::New => &self.new,
            MaildirSub::Cur => &self.cur,
        }
    }
}

/// Copies or moves every flagged message of the scan into the Maildir `dir` (created if
/// needed), in scan order. Maildir messages keep their folder (`new/` or `cur/`) and file
/// name; `.eml` files go to `new/`; mbox messages are copied to `new/` as
/// `<mbox name>.<index>` and refused for a move; other files (texts, chats, HTML pages) are
/// refused. Never removes an original before its copy is flushed to disk.
pub fn deliver(scan: &Scan, dir: &Path, mode: DeliveryMode) -> Vec<Delivery> {
    let flagged: Vec<&Checked> = scan.flagged().collect();
    if flagged.is_empty() {
        return Vec::new();
    }
    let md = Maildir::create(dir);
    // How many messages each mbox held, to split it again the same way.
    let mut mbox_sizes: BTreeMap<&Path, usize> = BTreeMap::new();
    for e in &scan.entries {
        let s = match e {
            crate::Entry::Checked(c) => &c.source,
            crate::Entry::Unreadable(u) => &u.source,
        };
        if s.index.is_some() {
            *mbox_sizes.entry(s.path.as_path()).or_default() += 1;
        }
    }
    let mut mbox: Option<(PathBuf, MboxPieces)> = None;
    flagged
        .into_iter()
        .map(|c| {
            let outcome = match (&md, c.source.kind) {
                (Err(e), _) => DeliveryOutcome::Failed(e.clone()),
                (_, SourceKind::Other) => DeliveryOutcome::Refused(
                    "not an email file: only Maildir messages, .eml files and (copied) mbox \
                     messages are delivered"
                        .into(),
                ),
                (_, SourceKind::Mbox) if mode == DeliveryMode::Move => DeliveryOutcome::Refused(
                    "an mbox message cannot be removed safely without rewriting the whole \
                     file; use --copy-flagged"
                        .into(),
                ),
                (Ok(md), SourceKind::Mbox) => {
                    if mbox.as_ref().is_none_or(|(p, _)| p != &c.source.path) {
                        let expected = mbox_sizes.get(c.source.path.as_path()).copied();
                        mbox = Some((c.source.path.clone(), mbox_pieces(&c.source.path, expected)));
                    }
                    match mbox.as_ref().map(|(_, r)| r) {
                        Some(Ok(pieces)) => {
                            match c.source.index.and_then(|i| pieces.get(i.wrapping_sub(1))) {
                                Some(bytes) => {
                                    let name = mbox_message_name(&c.source);
                                    match write_into(md, MaildirSub::New, &name, bytes) {
                                        Ok(p) => DeliveryOutcome::Done(p),
                                        Err(e) => DeliveryOutcome::Failed(e),
                                    }
                                }
                                None => DeliveryOutcome::Failed(
                                    "the message is no longer in the mbox".into(),
                                ),
                            }
                        }
                        Some(Err(e)) => DeliveryOutcome::Failed(e.clone()),
                        None => DeliveryOutcome::Failed("the mbox could not be read".into()),
                    }
                }
                (Ok(md), SourceKind::Maildir(sub)) => deliver_file(md, &c.source.path, sub, mode),
                (Ok(md), SourceKind::Eml) => {
                    deliver_file(md, &c.source.path, MaildirSub::New, mode)
                }
            };
            Delivery {
                source: c.source.clone(),
                mode,
                outcome,
            }
        })
        .collect()
}

/// The raw messages of an mbox, or why it cannot be split again.
type MboxPieces = Result<Vec<Vec<u8>>, String>;

/// The mbox split again, when it still holds as many messages as the scan found.
fn mbox_pieces(path: &Path, expected: Option<usize>) -> MboxPieces {
    let bytes = read_limited(path)?;
    let pieces = raw::split_mbox(&bytes);
    if Some(pieces.len()) != expected {
        return Err("the mbox changed since the scan, or cannot be split the same way".into());
    }
    Ok(pieces)
}

fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    let limit = redflag_engine::MAX_INPUT_BYTES as u64;
    let mut buf = Vec::new();
    File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut buf))
        .map_err(|e| format!("cannot read the original: {e}"))?;
    if buf.len() as u64 > limit {
        return Err("the original grew over the size limit since the scan".into());
    }
    Ok(buf)
}

/// `<mbox file name>.<index>`, with only letters, digits, `.`, `_` and `-`.
fn mbox_message_name(s: &Source) -> String {
    let stem: String = s
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "mbox".into())
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = stem.trim_start_matches('.');
    format!(
        "{}.{}",
        if stem.is_empty() { "mbox" } else { stem },
        s.index.unwrap_or(0)
    )
}

/// Copies or moves one file.
fn deliver_file(md: &Maildir, src: &Path, sub: MaildirSub, mode: DeliveryMode) -> DeliveryOutcome {
    let Some(name) = src.file_name().and_then(|n| n.to_str()) else {
        return DeliveryOutcome::Failed("the file name is not UTF-8".into());
    };
    let target = md.sub(sub);
    if let (Some(parent), Ok(t)) = (src.parent(), target.canonicalize())
        && parent.canonicalize().is_ok_and(|p| p == t)
    {
        return DeliveryOutcome::Refused("already in the destination Maildir".into());
    }
    let bytes = match read_limited(src) {
        Ok(b) => b,
        Err(e) => return DeliveryOutcome::Failed(e),
    };
    let dest = match write_into(md, sub, name, &bytes) {
        Ok(d) => d,
        Err(e) => return DeliveryOutcome::Failed(e),
    };
    if mode == DeliveryMode::Move {
        if let Err(e) = std::fs::remove_file(src) {
            return DeliveryOutcome::Failed(format!(
                "copied to {} but the original could not be removed: {e}",
                dest.display()
            ));
        }
        if let Some(parent) = src.parent() {
            // The removal is done; a folder that cannot be flushed loses nothing.
            let _ = sync_dir(parent);
        }
    }
    DeliveryOutcome::Done(dest)
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// `name`, then `base.1:info`, `base.2:info`, ...
fn candidate(name: &str, k: usize) -> String {
    if k == 0 {
        return name.to_string();
    }
    match name.split_once(':') {
        Some((base, info)) => format!("{base}.{k}:{info}"),
        None => format!("{name}.{k}"),
    }
}

static TMP_SEQ: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` into `tmp/`, flushes it, links it into `new/` or `cur/` under `name` (or
/// the first free variant of it) and flushes that folder. Returns the final path.
fn write_into(md: &Maildir, sub: MaildirSub, name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    // 1. A new file in tmp/.
    let (tmp, mut file) = loop {
        let n = TMP_SEQ.fetch_add(1, Ordering::Relaxed);
        let tmp = md
            .tmp
            .join(format!("redflag-scan.{}.{n}", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == ErrorKind::AlreadyExists && n < u64::MAX => continue,
            Err(e) => return Err(format!("cannot write into {}: {e}", md.tmp.display())),
        }
    };
    let cleanup = |e: String| {
        let _ = std::fs::remove_file(&tmp);
        e
    };
    // 2. Its bytes, flushed to disk.
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| cleanup(format!("cannot write into {}: {e}", md.tmp.display())))?;
    drop(file);
    // 3. Into new/ or cur/, never over an existing file.
    let target = md.sub(sub);
    let mut dest = None;
    for k in 0..10_000 {
        let path = target.join(candidate(name, k));
        match std::fs::hard_link(&tmp, &path) {
            Ok(()) => {
                let _ = std::fs::remove_file(&tmp);
                dest = Some(path);
                break;
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => {
                // A file system without hard links: rename, after checking the name is free.
                if path.symlink_metadata().is_ok() {
                    continue;
                }
                std::fs::rename(&tmp, &path).map_err(|_| {
                    cleanup(format!(
                        "cannot put the message into {}: {e}",
                        target.display()
                    ))
                })?;
                dest = Some(path);
                break;
            }
        }
    }
    let Some(dest) = dest else {
        return Err(cleanup(format!(
            "no free file name in {} for {name}",
            target.display()
        )));
    };
    // 4. The folder flushed, so the new name survives a crash.
    sync_dir(target).map_err(|e| {
        format!(
            "delivered to {} but the folder could not be flushed to disk: {e}",
            dest.display()
        )
    })?;
    Ok(dest)
}
