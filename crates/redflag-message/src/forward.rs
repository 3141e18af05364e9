//! Inline forwards: a body that carries another email below a marker line
//! (`---------- Forwarded message ---------`, `Begin forwarded message:`,
//! `-----Original Message-----`, Outlook's line of underscores) and a block of header-like
//! lines (`From:`, `Date:`/`Sent:`, `Subject:`, `To:`).
//!
//! People forward scams to check them, so the forwarded message is what should be analysed,
//! not the forwarder's wrapper.

use std::ops::Range;

/// Most non-white-space bytes allowed before the marker. A forwarder's note ("is this
/// real?") is short; a long text before a fake "Original Message" block is the message itself
/// (scammers fake reply threads to look legitimate), and its real sender must stay.
const MAX_WRAPPER_BYTES: usize = 2000;

/// Header names recognised in a forwarded header block (lowercase).
const KEYS: &[&str] = &[
    "from",
    "date",
    "sent",
    "subject",
    "to",
    "cc",
    "bcc",
    "reply-to",
    "importance",
];

/// A forwarded message found in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InlineForward {
    /// The `From:` value as written.
    pub from: String,
    /// The `Subject:` value, if the block had one.
    pub subject: Option<String>,
    /// Where the forwarded body is in the text searched (trimmed; may be empty).
    pub body: Range<usize>,
    /// True when the block is quoted with `>`; see [`unquote_block`].
    pub quoted: bool,
}

/// The forwarded body without one level of `>` quoting, for quoted forwards.
pub(crate) fn unquote_block(body: &str) -> String {
    let lines: Vec<&str> = body
        .lines()
        .map(|l| {
            let l = l.strip_prefix('>').unwrap_or(l);
            l.strip_prefix(' ').unwrap_or(l)
        })
        .collect();
    lines.join("\n").trim().to_string()
}

/// Finds the first inline forward in `body`, given the subject of the message around it.
///
/// When the subject starts with `Fw:`/`Fwd:`, a header block with no marker line above it
/// counts too. When it starts with `Re:` (a reply), the reply markers (`Original Message`,
/// Outlook's underscores) do not count: the quoted message is history, and the reply is the
/// message (scammers also fake such threads to look legitimate).
pub(crate) fn find_inline_forward(body: &str, subject: Option<&str>) -> Option<InlineForward> {
    let fwd_subject = subject.and_then(strip_fwd_prefix).is_some();
    let reply = subject.is_some_and(is_reply_subject);
    let lines = lines(body);
    for (idx, &(start, line)) in lines.iter().enumerate() {
        let t = unquote(line).trim();
        let marker = marker(t);
        let header_start = if marker == Some(Marker::Forward) || (marker.is_some() && !reply) {
            idx + 1
        } else if fwd_subject && header_line(t).is_some_and(|(k, _)| k == "from") {
            idx
        } else {
            continue;
        };
        let before = body[..start]
            .bytes()
            .filter(|b| !b.is_ascii_whitespace())
            .count();
        if before > MAX_WRAPPER_BYTES {
            return None;
        }
        if let Some((fields, end_line)) = header_block(&lines, header_start) {
            let get = |k: &str| {
                fields
                    .iter()
                    .find(|(key, _)| key == k)
                    .map(|(_, v)| v.clone())
            };
            let Some(from) = get("from") else { continue };
            let end = lines.get(end_line).map_or(body.len(), |&(s, _)| s);
            let rest = &body[end..];
            let lead = rest.len() - rest.trim_start().len();
            let body_start = end + lead;
            let body_end = (end + rest.trim_end().len()).max(body_start);
            let quoted = lines
                .get(header_start..end_line)
                .unwrap_or_default()
                .iter()
                .any(|(_, l)| l.trim_start().starts_with('>'));
            return Some(InlineForward {
                quoted,
                from,
                subject: get("subject").filter(|s| !s.is_empty()),
                body: body_start..body_end,
            });
        }
    }
    None
}

/// The subject without `Fw:`/`Fwd:` prefixes (repeated, any case), or `None` when it had none.
pub(crate) fn strip_fwd_prefix(subject: &str) -> Option<&str> {
    let mut s = subject.trim_start();
    let mut stripped = false;
    loop {
        let b = s.as_bytes();
        // The prefixes are ASCII, so cutting after them stays on a char boundary.
        let n = if b.len() >= 4 && b[..4].eq_ignore_ascii_case(b"fwd:") {
            4
        } else if b.len() >= 3 && b[..3].eq_ignore_ascii_case(b"fw:") {
            3
        } else {
            break;
        };
        s = s[n..].trim_start();
        stripped = true;
    }
    stripped.then_some(s)
}

/// Splits a `From` value written as text: `Name <addr>`, `"Name" <addr>`, `addr`,
/// `Name [mailto:addr]`, `Name <addr <mailto:addr>>`, `Name <mailto:addr>`. Returns the name
/// and the address (as written; only returned when it looks like one).
pub(crate) fn split_address(value: &str) -> (Option<String>, Option<String>) {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    let (name, addr) = if let Some(at) = lower.find("[mailto:") {
        let rest = &v[at + "[mailto:".len()..];
        (&v[..at], rest.split(']').next().unwrap_or_default())
    } else if let Some(lt) = v.find('<') {
        (&v[..lt], &v[lt + 1..])
    } else if let Some(word) = v.split_whitespace().find(|w| w.contains('@')) {
        let at = v.find(word).unwrap_or(0);
        (&v[..at], word)
    } else {
        (v, "")
    };
    let addr = clean_address(addr);
    let name = name.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    let name = (!name.is_empty()).then(|| name.to_string());
    (name, addr)
}

/// `addr>`, `mailto:addr`, `addr <mailto:addr>>` and the like to `addr`, when it looks like
/// an address (`x@y`, no spaces).
fn clean_address(raw: &str) -> Option<String> {
    let first = raw.split(['<', '>', ' ', '\t']).find(|s| !s.is_empty())?;
    let first = first.trim_matches(|c: char| c == '"' || c == '\'' || c == ',' || c == ';');
    let first = first
        .strip_prefix("mailto:")
        .or_else(|| first.strip_prefix("MAILTO:"))
        .unwrap_or(first);
    let at = first.find('@')?;
    (at > 0 && at + 1 < first.len()).then(|| first.to_string())
}

/// Lines with their start offsets, without line endings.
fn lines(body: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in body.split_inclusive('\n') {
        out.push((start, piece.trim_end_matches(['\n', '\r'])));
        start += piece.len();
    }
    out
}

/// Removes `>` quoting.
fn unquote(line: &str) -> &str {
    line.trim_start_matches(['>', ' ', '\t'])
}

/// What a marker line says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    /// `Forwarded message`, `Begin forwarded message:`: always a forward.
    Forward,
    /// `Original Message`, Outlook's underscores: a forward or a reply.
    Original,
}

/// The marker a line (already trimmed) is, if any.
fn marker(t: &str) -> Option<Marker> {
    if t.len() >= 10 && t.chars().all(|c| c == '_') {
        return Some(Marker::Original); // Outlook's separator above the header block.
    }
    let core = t
        .trim_matches(|c: char| c == '-' || c == '_' || c == '*' || c == '=' || c.is_whitespace())
        .to_ascii_lowercase();
    let core = core.trim_end_matches(':').trim();
    let dashed = t.starts_with('-') || t.starts_with('_') || t.starts_with('*');
    match core {
        "begin forwarded message" => Some(Marker::Forward),
        "forwarded message" | "forwarded e-mail" | "forwarded email"
            if dashed || t.ends_with(':') =>
        {
            Some(Marker::Forward)
        }
        "original message" if dashed || t.ends_with(':') => Some(Marker::Original),
        _ => None,
    }
}

/// A reply subject: `Re:` (or `AW:`, `SV:`, `Antw:`), after any `[list]` tags.
fn is_reply_subject(subject: &str) -> bool {
    let mut s = subject.trim_start();
    while s.starts_with('[') {
        match s.find(']') {
            Some(end) => s = s[end + 1..].trim_start(),
            None => break,
        }
    }
    let b = s.as_bytes();
    ["re:", "aw:", "sv:", "antw:", "re :"]
        .iter()
        .any(|p| b.len() >= p.len() && b[..p.len()].eq_ignore_ascii_case(p.as_bytes()))
}

/// `Key: value` for a recognised key (lowercase), allowing `*From:*` bold markers.
fn header_line(t: &str) -> Option<(String, String)> {
    let t = t.trim_start_matches('*');
    let colon = t.find(':')?;
    let key = t[..colon]
        .trim()
        .trim_matches('*')
        .trim()
        .to_ascii_lowercase();
    if !KEYS.contains(&key.as_str()) {
        return None;
    }
    let value = t[colon + 1..].trim_start_matches('*').trim().to_string();
    Some((key, value))
}

/// Reads a header block from line `i`: returns the fields and the index of the first line
/// after it, when it has a `From` and one of `Date`, `Sent`, `Subject`, `To`.
fn header_block(lines: &[(usize, &str)], mut i: usize) -> Option<(Vec<(String, String)>, usize)> {
    // At most two blank lines between the marker and the block.
    let mut blanks = 0;
    while i < lines.len() && unquote(lines[i].1).trim().is_empty() {
        i += 1;
        blanks += 1;
        if blanks > 2 {
            return None;
        }
    }
    let mut fields: Vec<(String, String)> = Vec::new();
    while i < lines.len() && fields.len() < 32 {
        let raw = lines[i].1;
        let t = unquote(raw).trim();
        if t.is_empty() {
            // A blank line ends the block, unless a header not seen yet follows right after
            // (some clients put each header in its own paragraph).
            let next =
                (i + 1..lines.len().min(i + 3)).find(|&j| !unquote(lines[j].1).trim().is_empty());
            let resumes = next
                .and_then(|j| header_line(unquote(lines[j].1).trim()))
                .is_some_and(|(k, _)| !fields.iter().any(|(seen, _)| *seen == k));
            match next {
                Some(j) if resumes && !fields.is_empty() => {
                    i = j;
                    continue;
                }
                _ => break,
            }
        }
        if let Some((key, value)) = header_line(t) {
            fields.push((key, value));
        } else if raw.starts_with([' ', '\t']) && !fields.is_empty() {
            if let Some((_, v)) = fields.last_mut() {
                v.push(' ');
                v.push_str(t);
            }
        } else {
            break;
        }
        i += 1;
    }
    let has = |k: &str| fields.iter().any(|(key, _)| key == k);
    (has("from") && ["date", "sent", "subject", "to"].iter().any(|k| has(k))).then_some((fields, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gmail_forward() {
        let body = "Is this real?\n\n---------- Forwarded message ---------\nFrom: Amazon <no-reply@amaz0n-alerts.co>\nDate: Mon, 3 Mar 2025 at 09:12\nSubject: Your account is on hold\nTo: <jane@example.com>\n\n\nDear customer,\nverify now.\n";
        let f = find_inline_forward(body, None).unwrap();
        assert_eq!(f.from, "Amazon <no-reply@amaz0n-alerts.co>");
        assert_eq!(f.subject.as_deref(), Some("Your account is on hold"));
        assert_eq!(&body[f.body], "Dear customer,\nverify now.");
    }

    #[test]
    fn outlook_and_apple_forwards() {
        let body = "FYI\r\n\r\n________________________________\r\n*From:* Amazon.com [mailto:billing@amazon-refunds.net]\r\nSent: Tuesday, March 4, 2025 10:01 AM\r\nTo: Jane\r\nSubject: Refund\r\n\r\nCall 1-888-555-0100.";
        let f = find_inline_forward(body, None).unwrap();
        assert_eq!(
            split_address(&f.from),
            (
                Some("Amazon.com".into()),
                Some("billing@amazon-refunds.net".into())
            )
        );
        assert_eq!(&body[f.body], "Call 1-888-555-0100.");

        let body = "Begin forwarded message:\n\n> From: \"Amazon\" <a@b.example>\n> Subject: Hi\n> Date: today\n>\n> Text here";
        let f = find_inline_forward(body, None).unwrap();
        assert_eq!(f.subject.as_deref(), Some("Hi"));
        assert!(f.quoted);
        assert_eq!(unquote_block(&body[f.body.clone()]), "Text here");
    }

    #[test]
    fn needs_a_header_block_and_a_short_wrapper() {
        assert!(
            find_inline_forward("---------- Forwarded message ---------\nno headers", None)
                .is_none()
        );
        let long =
            "x".repeat(3000) + "\n-----Original Message-----\nFrom: a@b.c\nSent: now\n\nbody";
        assert!(find_inline_forward(&long, None).is_none());
        let plain = "From: Amazon <a@b.c>\nDate: today\n\nbody";
        assert!(find_inline_forward(plain, None).is_none());
        assert_eq!(
            &plain[find_inline_forward(plain, Some("Fwd: x")).unwrap().body],
            "body"
        );
    }

    #[test]
    fn replies_are_not_forwards() {
        let body = "Thanks, done.\n\n-----Original Message-----\nFrom: Bob <bob@example.com>\nSent: Monday\nSubject: x\n\nPlease check.";
        assert!(find_inline_forward(body, Some("RE: [list] x")).is_none());
        assert!(find_inline_forward(body, Some("[list] Re: x")).is_none());
        assert!(find_inline_forward(body, Some("FW: x")).is_some());
        assert!(find_inline_forward(body, None).is_some());
        let fwd = body.replace(
            "-----Original Message-----",
            "---------- Forwarded message ---------",
        );
        assert!(find_inline_forward(&fwd, Some("Re: x")).is_some());
    }

    #[test]
    fn addresses_and_subjects() {
        assert_eq!(split_address("a@b.c"), (None, Some("a@b.c".into())));
        assert_eq!(
            split_address("Amazon <x@y.z <mailto:x@y.z>>"),
            (Some("Amazon".into()), Some("x@y.z".into()))
        );
        assert_eq!(
            split_address("Amazon <mailto:x@y.z>"),
            (Some("Amazon".into()), Some("x@y.z".into()))
        );
        assert_eq!(
            split_address("Amazon Support"),
            (Some("Amazon Support".into()), None)
        );
        assert_eq!(
            split_address("Jane x@y.z"),
            (Some("Jane".into()), Some("x@y.z".into()))
        );
        assert_eq!(split_address("<>"), (None, None));
        assert_eq!(strip_fwd_prefix("Fwd: FW: Order"), Some("Order"));
        assert_eq!(strip_fwd_prefix("fw:x"), Some("x"));
        assert_eq!(strip_fwd_prefix("Re: x"), None);
        assert_eq!(strip_fwd_prefix("Fé"), None);
    }
}
