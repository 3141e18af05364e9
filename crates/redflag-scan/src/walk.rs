//! Finding the message files under the paths given: files, Maildirs, folders.

use crate::{MaildirSub, Source, SourceKind, Unreadable};
use std::path::{Path, PathBuf};

/// How deep folders are followed below a path given.
pub const MAX_DEPTH: usize = 32;

/// The file name endings read in a folder (a file named on the command line is always read).
/// Files without an ending are read too (Maildir and MH folders name messages that way).
pub const MESSAGE_EXTENSIONS: &[&str] =
    &["eml", "txt", "json", "html", "htm", "mbox", "mbx", "mail"];

/// One file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// Its path, as found.
    pub path: PathBuf,
    /// In a Maildir's `new/` or `cur/`.
    pub maildir: Option<MaildirSub>,
}

/// One thing found under the paths: a file to read, or a path that could not be walked.
#[derive(Debug, Clone)]
pub enum Found {
    /// A file to read.
    File(InputFile),
    /// A path or folder that could not be read.
    Error(Unreadable),
}

/// What [`walk`] found, in order.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    /// Files to read, and paths that could not be walked, in walk order.
    pub found: Vec<Found>,
    /// Files in folders that were left out: their names do not end like a message file
    /// ([`MESSAGE_EXTENSIONS`]), or they are hidden.
    pub skipped: usize,
}

impl Walk {
    /// How many files are to be read.
    pub fn files(&self) -> usize {
        self.found
            .iter()
            .filter(|f| matches!(f, Found::File(_)))
            .count()
    }
}

/// Walks the paths in the order given. A file is read whatever its name; a Maildir (a folder
/// with `cur/` or `new/`) gives the files in `cur/` and `new/`; any other folder gives its
/// message files and its sub-folders' (to [`MAX_DEPTH`]), each folder in name order. Hidden
/// entries (`.name`), a Maildir's `tmp/` and symbolic links to folders are left out.
pub fn walk(paths: &[PathBuf]) -> Walk {
    let mut w = Walk::default();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk_dir(p, 0, &mut w),
            Ok(_) => w.found.push(Found::File(InputFile {
                maildir: maildir_of_file(p),
                path: p.clone(),
            })),
            Err(e) => w.found.push(error(p, format!("cannot open: {e}"))),
        }
    }
    w
}

fn error(p: &Path, reason: String) -> Found {
    Found::Error(Unreadable {
        source: Source {
            path: p.to_path_buf(),
            index: None,
            kind: SourceKind::Other,
        },
        reason,
    })
}

/// A file named directly whose folder is a Maildir's `new/` or `cur/`.
fn maildir_of_file(p: &Path) -> Option<MaildirSub> {
    let parent = p.parent()?;
    let sub = match parent.file_name()?.to_str()? {
        "new" => MaildirSub::New,
        "cur" => MaildirSub::Cur,
        _ => return None,
    };
    let top = parent.parent()?;
    is_maildir(top).then_some(sub)
}

fn is_maildir(dir: &Path) -> bool {
    dir.join("cur").is_dir() || dir.join("new").is_dir()
}

fn hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

fn is_message_name(p: &Path) -> bool {
    match p.extension().and_then(|e| e.to_str()) {
        None => true,
        Some(e) => MESSAGE_EXTENSIONS.iter().any(|m| m.eq_ignore_ascii_case(e)),
    }
}

/// The entries of a folder, in name order, or why they cannot be listed.
fn entries(dir: &Path) -> Result<Vec<std::fs::DirEntry>, std::io::Error> {
    let mut list = std::fs::read_dir(dir)?.collect::<Result<Vec<_>, _>>()?;
    list.sort_by_key(|e| e.file_name());
    Ok(list)
}

fn walk_dir(dir: &Path, depth: usize, w: &mut Walk) {
    if depth > MAX_DEPTH {
        w.found.push(error(
            dir,
            format!("not read: more than {MAX_DEPTH} folders deep"),
        ));
        return;
    }
    let list = match entries(dir) {
        Ok(l) => l,
        Err(e) => {
            w.found.push(error(dir, format!("cannot list: {e}")));
            return;
        }
    };
    let maildir = is_maildir(dir);
    for entry in list {
        let name = entry.file_name();
        let path = entry.path();
        if hidden(&name) {
            if path.is_file() {
                w.skipped += 1;
            }
            continue;
        }
        let Ok(ft) = entry.file_type() else {
            w.found.push(error(&path, "cannot read its type".into()));
            continue;
        };
        // A symbolic link counts as what it points to, except that folders behind links are
        // not followed (no loops).
        let is_dir = ft.is_dir();
        let is_file = ft.is_file() || (ft.is_symlink() && path.is_file());
        if maildir && is_dir {
            let sub = match name.to_str() {
                Some("new") => Some(MaildirSub::New),
                Some("cur") => Some(MaildirSub::Cur),
                Some("tmp") => continue,
                _ => None,
            };
            if let Some(sub) = sub {
                maildir_files(&path, sub, w);
                continue;
            }
        }
        if is_dir {
            walk_dir(&path, depth + 1, w);
        } else if is_file {
            if is_message_name(&path) {
                w.found.push(Found::File(InputFile {
                    path,
                    maildir: None,
                }));
            } else {
                w.skipped += 1;
            }
        }
    }
}

/// Every file of a Maildir's `new/` or `cur/`, in name order.
fn maildir_files(dir: &Path, sub: MaildirSub, w: &mut Walk) {
    let list = match entries(dir) {
        Ok(l) => l,
        Err(e) => {
            w.found.push(error(dir, format!("cannot list: {e}")));
            return;
        }
    };
    for entry in list {
        let path = entry.path();
        if !path.is_file() || entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        if hidden(&entry.file_name()) {
            w.skipped += 1;
            continue;
        }
        w.found.push(Found::File(InputFile {
            path,
            maildir: Some(sub),
        }));
    }
}
