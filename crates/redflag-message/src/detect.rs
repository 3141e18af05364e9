//! Telling an email from a plain text, and rejecting what is neither.

use crate::{Error, MAX_INPUT_BYTES};

/// What an input file or stream looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A single RFC 5322 email.
    Email,
    /// An mbox file (one or more emails, each after a `From ` line).
    Mbox,
    /// A Facebook Messenger JSON export (an object with a `messages` array).
    MessengerJson,
    /// Plain text: an SMS, a chat message, a transcript or a pasted email body.
    Text,
}

/// Raw input bytes with a guess at their kind.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The bytes.
    pub bytes: &'a [u8],
    /// What they look like.
    pub kind: InputKind,
}

/// Decides what `bytes` are. Errors on empty, over-size and binary input.
pub fn detect_kind(bytes: &[u8]) -> Result<InputKind, Error> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(Error::TooLarge {
            size: bytes.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    let trimmed = trim_ascii_start(bytes);
    if trimmed.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Empty);
    }
    if looks_binary(bytes) {
        return Err(Error::Binary);
    }
    if trimmed.starts_with(b"From ") && looks_like_mbox(trimmed) {
        return Ok(InputKind::Mbox);
    }
    if trimmed.starts_with(b"{") && trimmed.windows(10).any(|w| w == b"\"messages\"") {
        return Ok(InputKind::MessengerJson);
    }
    if looks_like_email(trimmed) {
        return Ok(InputKind::Email);
    }
    Ok(InputKind::Text)
}

fn trim_ascii_start(b: &[u8]) -> &[u8] {
    // A UTF-8 byte order mark is not content.
    let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

/// Binary when the start has NUL bytes or many control bytes, or matches a known binary
/// signature. UTF-16 text (with NULs) is treated as binary too: it is not a message format
/// any channel here uses.
fn looks_binary(bytes: &[u8]) -> bool {
    const SIGNATURES: &[&[u8]] = &[
        b"%PDF-",
        b"PK\x03\x04",
        b"\x89PNG",
        b"\xFF\xD8\xFF",
        b"GIF8",
        b"MZ",
        b"\x7FELF",
        b"Rar!",
        b"7z\xBC\xAF",
        b"\x1F\x8B",
        b"\xD0\xCF\x11\xE0",
    ];
    if SIGNATURES.iter().any(|s| bytes.starts_with(s)) {
        return true;
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    control_bytes(head) * 10 > head.len()
}

/// How many bytes are control characters other than `\t`, `\n`, `\f`, `\r` and ESC.
/// Written as byte compares without branches, counted in bytes per block of up to 255,
/// so that the compiler turns it into vector code (16 or 32 bytes a step): the loop that
/// stopped at each byte cost 4 instructions per byte of every email's first 8 KB.
fn control_bytes(head: &[u8]) -> usize {
    head.chunks(255)
        .map(|block| {
            block.iter().fold(0u8, |n, &b| {
                let control = (b < 0x20)
                    & (b != b'\t')
                    & (b != b'\n')
                    & (b != 0x0C)
                    & (b != b'\r')
                    & (b != 0x1B);
                n + u8::from(control)
            })
        })
        .map(usize::from)
        .sum()
}

fn looks_like_mbox(b: &[u8]) -> bool {
    // "From sender date" then a header line.
    let first_line_end = b.iter().position(|&c| c == b'\n').unwrap_or(b.len());
    let rest = &b[(first_line_end + 1).min(b.len())..];
    looks_like_email(rest)
}

/// How much of the input is scanned for header lines.
const HEADER_SCAN_BYTES: usize = 16 * 1024;

/// Headers every mail has, of which [`looks_like_email`] wants two (a name ending in `-`
/// stands for every name it starts).
const KNOWN_HEADERS: &[&str] = &[
    "from",
    "to",
    "subject",
    "date",
    "received",
    "message-id",
    "mime-version",
    "return-path",
    "delivered-to",
    "content-type",
    "reply-to",
    "x-",
    "arc-",
    "dkim-",
    "authentication-results",
    "cc",
    "sender",
];

/// An email starts with header lines: `Name: value`, and includes at least one of the
/// headers every mail has (From, Subject, Date, Received, Message-ID, MIME-Version...).
fn looks_like_email(b: &[u8]) -> bool {
    let mut head = &b[..b.len().min(HEADER_SCAN_BYTES)];
    if head.len() < b.len() {
        // The cut may fall inside a line (long ARC and anti-spam headers run past the
        // limit): judge only whole lines.
        head = &head[..memchr::memrchr(b'\n', head).map_or(0, |i| i + 1)];
    }
    // Lines as `str::lines` gives them, read as bytes: only the header block is looked
    // at, so the rest of the head is neither validated nor copied. (A header name is ASCII,
    // so a byte outside ASCII rejects it here as its replacement character would in text.)
    let mut headers = 0;
    let mut known = 0;
    let mut rest = head;
    while !rest.is_empty() {
        // A line ends at `\n` (its `\r` before it dropped); the last may have no end.
        let line = match memchr::memchr(b'\n', rest) {
            Some(i) => {
                let line = &rest[..i];
                rest = &rest[i + 1..];
                line.strip_suffix(b"\r").unwrap_or(line)
            }
            None => std::mem::take(&mut rest),
        };
        if line.is_empty() {
            break;
        }
        if line.starts_with(b" ") || line.starts_with(b"\t") {
            continue;
        }
        // A MIME boundary right after the headers (the blank line before it was lost in a
        // trimmed or pasted source) ends the header block too.
        if line.starts_with(b"--") && headers > 0 {
            break;
        }
        let Some(colon) = memchr::memchr(b':', line) else {
            return false;
        };
        let name = &line[..colon];
        if name.is_empty() || !name.iter().all(|&c| c.is_ascii_graphic() && c != b':') {
            return false;
        }
        headers += 1;
        // Two known names are enough; the lines after them are still checked to be
        // header lines, but not looked up.
        if known < 2
            && KNOWN_HEADERS.iter().any(|k| {
                let k = k.as_bytes();
                name.eq_ignore_ascii_case(k)
                    || (k.ends_with(b"-")
                        && name.len() >= k.len()
                        && name[..k.len()].eq_ignore_ascii_case(k))
            })
        {
            known += 1;
        }
    }
    headers >= 2 && known >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(detect_kind(b""), Err(Error::Empty));
        assert_eq!(detect_kind(b" \n\t"), Err(Error::Empty));
        assert_eq!(detect_kind(b"\x89PNG\r\n\x1a\n\0\0"), Err(Error::Binary));
        assert_eq!(detect_kind(b"abc\0def"), Err(Error::Binary));
        assert_eq!(
            detect_kind(b"From: a@b.com\nSubject: hi\n\nbody").unwrap(),
            InputKind::Email
        );
        assert_eq!(
            detect_kind(
                b"From MAILER-DAEMON Thu Jan  1 00:00:00 2024\nFrom: a@b.com\nSubject: x\n\nb"
            )
            .unwrap(),
            InputKind::Mbox
        );
        assert_eq!(
            detect_kind(b"Amazon: your order is held. Call 1-888-555-0199").unwrap(),
            InputKind::Text
        );
        assert_eq!(
            detect_kind(b"Note: call me back\nok").unwrap(),
            InputKind::Text
        );
        assert_eq!(
            detect_kind(b"From: a@b.com\nSubject: x\nContent-Type: multipart/mixed; boundary=\"b\"\n--b\nContent-Type: text/plain\n\nhi\n--b--\n").unwrap(),
            InputKind::Email
        );
        assert_eq!(
            detect_kind(br#"{"participants":[],"messages":[]}"#).unwrap(),
            InputKind::MessengerJson
        );
    }

    #[test]
    fn headers_longer_than_the_scan_are_still_an_email() {
        let mut raw = b"Received: from a.example by b.example\nX-Long: ".to_vec();
        // The scan ends inside the next header's name.
        raw.resize(HEADER_SCAN_BYTES - 20, b'x');
        raw.extend_from_slice(
            b"\r\nX-Microsoft-Antispam-Message-Info-Original: abc\r\nFrom: a@b.com\r\n\r\nbody",
        );
        assert_eq!(detect_kind(&raw).unwrap(), InputKind::Email);
        // The scan ends between the `\r` and the `\n` of the blank line.
        let mut raw =
            b"Received: from a.example by b.example\r\nFrom: a@b.com\r\nX-Long: ".to_vec();
        raw.resize(HEADER_SCAN_BYTES - 3, b'x');
        raw.extend_from_slice(b"\r\n\r\nbody");
        assert_eq!(raw[HEADER_SCAN_BYTES - 1], b'\r');
        assert_eq!(detect_kind(&raw).unwrap(), InputKind::Email);
    }
    /// The definition over text that `looks_like_email` replaced (given the same head).
    fn looks_like_email_as_text(head: &[u8]) -> bool {
        let text = String::from_utf8_lossy(head);
        let (mut headers, mut known) = (0, 0);
        for line in text.lines() {
            if line.is_empty() {
                break;
            }
            if line.starts_with([' ', '\t']) {
                continue;
            }
            if line.starts_with("--") && headers > 0 {
                break;
            }
            let Some(colon) = line.find(':') else {
                return false;
            };
            let name = &line[..colon];
            if name.is_empty() || !name.bytes().all(|c| c.is_ascii_graphic() && c != b':') {
                return false;
            }
            headers += 1;
            let lower = name.to_ascii_lowercase();
            if KNOWN_HEADERS
                .iter()
                .any(|k| lower == *k || (k.ends_with('-') && lower.starts_with(k)))
            {
                known += 1;
            }
        }
        headers >= 2 && known >= 2
    }

    proptest::proptest! {
        /// The control-byte count as branch-free compares: the same as the plain definition.
        #[test]
        fn control_bytes_are_counted_as_before(
            head in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
        ) {
            let before = head
                .iter()
                .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C | 0x1B))
                .count();
            proptest::prop_assert_eq!(control_bytes(&head), before);
        }

        /// Header-like lines, CRLF or LF, folded lines, boundaries and bytes that are not
        /// UTF-8: the same answer as the definition over text.
        #[test]
        fn looks_like_email_reads_bytes_as_the_text(
            pieces in proptest::collection::vec(0usize..16, 0..40),
        ) {
            const PIECES: [&[u8]; 16] = [
                b"From: a@b.c", b"Subject: hi", b"X-Spam: 1", b"\n", b"\r\n", b"\r",
                b" folded", b"\tfolded", b"--b", b"Not a header", b"\xff\xfe", b"Fr\xc3\xa9: x",
                b":", b"ARC-Seal: x", b"Reply-To", b"\xe2\x82",
            ];
            let raw: Vec<u8> = pieces.iter().flat_map(|&p| PIECES[p].iter().copied()).collect();
            proptest::prop_assert_eq!(looks_like_email(&raw), looks_like_email_as_text(&raw));
        }
    }
}
