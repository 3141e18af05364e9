//! The header fields redflag adds to a message, and how they are put into it.

use redflag_engine::{Assessment, Verdict};
use std::io::{self, Write};

/// Every field redflag adds starts with this (case-insensitively); fields of the incoming
/// message that do are removed, so a sender cannot pass off a forged verdict.
pub const FIELD_PREFIX: &str = "X-Redflag-";

/// Longest line (in bytes, without its line ending) before a field is folded (RFC 5322's
/// recommended 78).
const FOLD_AT: usize = 78;

/// How a verdict becomes a stamp.
#[derive(Debug, Clone)]
pub struct StampOptions {
    /// The verdict from which a message counts as flagged (the subject tag, the filter's
    /// `--exit-code`, the milter's reject and quarantine): `Suspicious` or `Scam`.
    pub flag_at: Verdict,
    /// Put this before the subject of a flagged message (`[SCAM?]`). `None`: leave the
    /// subject alone.
    pub subject_tag: Option<String>,
}

impl Default for StampOptions {
    fn default() -> StampOptions {
        StampOptions {
            flag_at: Verdict::Suspicious,
            subject_tag: None,
        }
    }
}

/// The header fields for one message, and whether it is flagged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// `(name, value)` pairs in the order they are added. Values are printable ASCII on one
    /// line; [`write_stamped`] folds the long ones.
    pub fields: Vec<(&'static str, String)>,
    /// The verdict, when the message could be checked.
    pub verdict: Option<Verdict>,
    /// The score (0 to 100), when the message could be checked.
    pub score: Option<u8>,
    /// The verdict is at or over [`StampOptions::flag_at`].
    pub flagged: bool,
    /// The tag to put before the subject, when flagged and asked for.
    pub subject_tag: Option<String>,
}

impl Stamp {
    /// The fields for a checked message: `X-Redflag-Verdict` (`scam`, `suspicious`,
    /// `clean`), `X-Redflag-Score` (0 to 100), `X-Redflag-Flags` (the red flags' rule IDs,
    /// strongest first, or `none`) and `X-Redflag-Version`.
    pub fn of(a: &Assessment, opts: &StampOptions) -> Stamp {
        let flags = if a.findings.is_empty() {
            "none".to_string()
        } else {
            a.findings
                .iter()
                .map(|f| f.rule)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let flagged = a.verdict >= opts.flag_at;
        Stamp {
            fields: vec![
                ("X-Redflag-Verdict", a.verdict.as_str().to_string()),
                ("X-Redflag-Score", a.score.to_string()),
                ("X-Redflag-Flags", flags),
                ("X-Redflag-Version", version()),
            ],
            verdict: Some(a.verdict),
            score: Some(a.score),
            flagged,
            subject_tag: opts.subject_tag.clone().filter(|_| flagged),
        }
    }

    /// The fields for a message that could not be checked: `X-Redflag-Verdict: unchecked`
    /// and `X-Redflag-Note` with the reason. Never flagged.
    pub fn unchecked(reason: &str) -> Stamp {
        Stamp {
            fields: vec![
                ("X-Redflag-Verdict", "unchecked".to_string()),
                (
                    "X-Redflag-Note",
                    format!("not checked: {}", ascii_line(reason, 200)),
                ),
                ("X-Redflag-Version", version()),
            ],
            verdict: None,
            score: None,
            flagged: false,
            subject_tag: None,
        }
    }
}

fn version() -> String {
    format!("redflag {}", env!("CARGO_PKG_VERSION"))
}

/// `s` as one line of printable ASCII, at most `max` characters: what a header field's
/// value may hold without encoding.
pub(crate) fn ascii_line(s: &str, max: usize) -> String {
    let mut out: String = s
        .chars()
        .map(|c| if c.is_ascii_graphic() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if out.len() > max {
        out.truncate(max);
        out.push_str("...");
    }
    out
}

/// Where a message's header block ends and which line ending it uses.
struct Layout {
    /// Byte offset just past the last header line (before the empty line, if any).
    header_end: usize,
    /// The header lines, as `(start, end_with_line_ending)`.
    lines: Vec<(usize, usize)>,
    /// `\r\n` or `\n`.
    eol: &'static [u8],
    /// The last header line has no line ending (the message ends inside its header).
    unterminated: bool,
}

fn layout(raw: &[u8]) -> Layout {
    let mut lines = Vec::new();
    let mut pos = 0;
    let mut eol: Option<&'static [u8]> = None;
    let mut unterminated = false;
    while pos < raw.len() {
        let end = raw[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(raw.len(), |i| pos + i + 1);
        let line = &raw[pos..end];
        let content = line
            .strip_suffix(b"\n")
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
        let is_blank = content.is_some_and(<[u8]>::is_empty);
        if is_blank {
            break;
        }
        let first = lines.is_empty();
        let is_header = if first {
            line.starts_with(b"From ") || field_name(line).is_some()
        } else {
            line.starts_with(b" ") || line.starts_with(b"\t") || field_name(line).is_some()
        };
        if !is_header {
            break;
        }
        if eol.is_none() && line.ends_with(b"\n") {
            eol = Some(if line.ends_with(b"\r\n") {
                b"\r\n"
            } else {
                b"\n"
            });
        }
        if content.is_none() {
            unterminated = true;
        }
        lines.push((pos, end));
        pos = end;
    }
    Layout {
        header_end: pos,
        lines,
        eol: eol.unwrap_or(b"\r\n"),
        unterminated,
    }
}

/// The field name of a header line (`Subject` of `Subject: hi`), if it is one.
fn field_name(line: &[u8]) -> Option<&[u8]> {
    let colon = line.iter().position(|&b| b == b':')?;
    let name = &line[..colon];
    let name = name.strip_suffix(b" ").unwrap_or(name);
    (!name.is_empty() && name.iter().all(|&b| (33..=126).contains(&b) && b != b':')).then_some(name)
}

/// Writes `raw` to `out` with the stamp's fields added at the end of its header block (where
/// spamc and Rspamd put theirs), in the message's own line ending; `X-Redflag-*` fields it
/// already had removed; and, when the stamp says so, the tag before its subject. Everything
/// after the header block (the empty line and the body) is written byte for byte. Input
/// that does not start with a header block gets the fields before its first byte.
pub fn write_stamped(out: &mut impl Write, raw: &[u8], stamp: &Stamp) -> io::Result<()> {
    let lay = layout(raw);
    let eol = lay.eol;
    let mut tagged = stamp.subject_tag.is_none();
    let mut skipping = false;
    for &(start, end) in &lay.lines {
        let line = &raw[start..end];
        let continuation = line.starts_with(b" ") || line.starts_with(b"\t");
        if !continuation {
            skipping = field_name(line).is_some_and(|n| {
                n.len() >= FIELD_PREFIX.len()
                    && n[..FIELD_PREFIX.len()].eq_ignore_ascii_case(FIELD_PREFIX.as_bytes())
            });
        }
        if skipping {
            continue;
        }
        match (&stamp.subject_tag, tagged, field_name(line)) {
            (Some(tag), false, Some(name))
                if !continuation && name.eq_ignore_ascii_case(b"Subject") =>
            {
                let colon = line.iter().position(|&b| b == b':').unwrap_or(0) + 1;
                let value = &line[colon..];
                let ws = value
                    .iter()
                    .take_while(|&&b| b == b' ' || b == b'\t')
                    .count();
                out.write_all(&line[..colon + ws])?;
                if !value[ws..].starts_with(tag.as_bytes()) {
                    if ws == 0 {
                        out.write_all(b" ")?;
                    }
                    out.write_all(ascii_line(tag, 60).as_bytes())?;
                    out.write_all(b" ")?;
                }
                out.write_all(&value[ws..])?;
                tagged = true;
            }
            _ => out.write_all(line)?,
        }
    }
    if lay.unterminated {
        out.write_all(eol)?;
    }
    if !tagged && let Some(tag) = &stamp.subject_tag {
        write_field(out, "Subject", &ascii_line(tag, 60), eol)?;
    }
    for (name, value) in &stamp.fields {
        write_field(out, name, value, eol)?;
    }
    out.write_all(&raw[lay.header_end..])
}

/// One field, folded at `, ` before [`FOLD_AT`].
fn write_field(out: &mut impl Write, name: &str, value: &str, eol: &[u8]) -> io::Result<()> {
    let eol = std::str::from_utf8(eol).unwrap_or("\r\n");
    write!(out, "{name}: {}{eol}", fold(name, value, eol))
}

/// A field's value folded at `, ` so that no line passes [`FOLD_AT`] bytes, continuation
/// lines starting with a tab after `eol`: the filter writes the message's own line ending,
/// the milter LF (the MTA writes CRLF).
pub(crate) fn fold(name: &str, value: &str, eol: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    let mut line_len = name.len() + 2;
    for (i, part) in value.split(", ").enumerate() {
        if i > 0 && line_len + 2 + part.len() > FOLD_AT {
            out.push(',');
            out.push_str(eol);
            out.push('\t');
            line_len = 1;
        } else if i > 0 {
            out.push_str(", ");
            line_len += 2;
        }
        out.push_str(part);
        line_len += part.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(tag: Option<&str>) -> Stamp {
        Stamp {
            fields: vec![
                ("X-Redflag-Verdict", "scam".into()),
                ("X-Redflag-Score", "91".into()),
            ],
            verdict: Some(Verdict::Scam),
            score: Some(91),
            flagged: true,
            subject_tag: tag.map(str::to_string),
        }
    }

    fn stamped(raw: &[u8], s: &Stamp) -> String {
        let mut out = Vec::new();
        write_stamped(&mut out, raw, s).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn fields_go_at_the_end_of_the_header_block_in_its_line_ending() {
        let raw = b"From: a@b.example\r\nSubject: hi\r\n\r\nbody\r\n\r\nmore";
        assert_eq!(
            stamped(raw, &stamp(None)),
            "From: a@b.example\r\nSubject: hi\r\nX-Redflag-Verdict: scam\r\nX-Redflag-Score: 91\r\n\r\nbody\r\n\r\nmore"
        );
        let raw = b"From: a@b.example\nSubject: hi\n\nbody";
        assert_eq!(
            stamped(raw, &stamp(None)),
            "From: a@b.example\nSubject: hi\nX-Redflag-Verdict: scam\nX-Redflag-Score: 91\n\nbody"
        );
    }

    #[test]
    fn forged_fields_are_removed_with_their_continuations() {
        let raw = b"From: a@b.example\nx-redflag-verdict: clean\n\tfolded\nX-Redflag-Score: 0\nTo: c@d.example\n\nbody";
        assert_eq!(
            stamped(raw, &stamp(None)),
            "From: a@b.example\nTo: c@d.example\nX-Redflag-Verdict: scam\nX-Redflag-Score: 91\n\nbody"
        );
        // A field that only starts alike stays.
        let raw = b"X-Redflagged: yes\n\nbody";
        assert!(stamped(raw, &stamp(None)).starts_with("X-Redflagged: yes\n"));
    }

    #[test]
    fn the_subject_is_tagged_once() {
        let raw = b"Subject: Your order\nFrom: a@b.example\n\nbody";
        let out = stamped(raw, &stamp(Some("[SCAM?]")));
        assert!(out.starts_with("Subject: [SCAM?] Your order\n"), "{out}");
        let again = stamped(out.as_bytes(), &stamp(Some("[SCAM?]")));
        assert!(
            again.starts_with("Subject: [SCAM?] Your order\n"),
            "{again}"
        );
        // No subject: one is added.
        let out = stamped(b"From: a@b.example\n\nbody", &stamp(Some("[SCAM?]")));
        assert!(
            out.contains("\nSubject: [SCAM?]\nX-Redflag-Verdict"),
            "{out}"
        );
        // An empty subject.
        let out = stamped(
            b"Subject:\nFrom: a@b.example\n\nbody",
            &stamp(Some("[SCAM?]")),
        );
        assert!(out.starts_with("Subject: [SCAM?] \n"), "{out}");
    }

    #[test]
    fn odd_shapes_keep_every_byte() {
        // No body, no final line ending.
        assert_eq!(
            stamped(b"Subject: hi", &stamp(None)),
            "Subject: hi\r\nX-Redflag-Verdict: scam\r\nX-Redflag-Score: 91\r\n"
        );
        // Not a message at all: the fields come first, the text after, unchanged.
        assert_eq!(
            stamped(b"just some text\n\nmore", &stamp(None)),
            "X-Redflag-Verdict: scam\r\nX-Redflag-Score: 91\r\njust some text\n\nmore"
        );
        // An mbox From_ line stays first.
        let out = stamped(
            b"From a@b Mon Jan 1 00:00:00 2024\nSubject: x\n\nbody",
            &stamp(None),
        );
        assert!(out.starts_with("From a@b Mon Jan 1 00:00:00 2024\nSubject: x\nX-Redflag"));
        // Empty input.
        assert_eq!(
            stamped(b"", &stamp(None)),
            "X-Redflag-Verdict: scam\r\nX-Redflag-Score: 91\r\n"
        );
    }

    #[test]
    fn long_values_are_folded_at_commas() {
        let mut s = stamp(None);
        let ids: Vec<String> = (0..30).map(|i| format!("RUL{i:03}")).collect();
        s.fields = vec![("X-Redflag-Flags", ids.join(", "))];
        let out = stamped(b"Subject: x\n\nbody", &s);
        for line in out.lines() {
            assert!(line.len() <= FOLD_AT, "{line:?}");
        }
        let unfolded = out.replace(",\n\t", ", ");
        assert!(unfolded.contains(&ids.join(", ")), "{out}");
    }

    #[test]
    fn an_unchecked_note_is_one_ascii_line() {
        let s = Stamp::unchecked("bad\r\nX-Evil: 1 \u{202e} é");
        let note = &s.fields[1].1;
        assert_eq!(note, "not checked: bad X-Evil: 1");
        assert!(!s.flagged);
    }
}
