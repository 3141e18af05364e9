//! Email bodies: which MIME parts are the text the person reads (plain text, or HTML
//! rendered to text with its links), their charsets and transfer encodings (lenient
//! quoted-printable and base64 when mail-parser gave up), a body recovered from broken MIME,
//! and forwards written inline in the body text.

use super::attachments::declared_type;
use super::headers::Addr;
use super::{Draft, MimeMessage, part};
use crate::BodyPartKind;
use crate::forward::{find_inline_forward, split_address, strip_fwd_prefix, unquote_block};
use crate::html::html_to_text;
use crate::sniff::decode_base64_lenient;
use crate::text::normalise_newlines;
use crate::{MAX_FORWARD_DEPTH, MAX_HTML_BYTES, MAX_TEXT_BYTES, ParseNote};
use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::{MessagePart, MimeHeaders, PartType};
use std::borrow::Cow;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// Reads the body into the draft; returns the HTML sources used (to recognise inline
/// images they reference).
///
/// Every part a mail client could show is read: the HTML parts (or, without real HTML, the
/// plain-text parts), every inline part between them, and then what only the plain-text
/// alternative of an HTML email says. Scammers put one text in each alternative (a clean
/// one for filters, the lure for people, or the other way round); reading one of the two
/// would miss the other.
pub(super) fn read_body<'a>(m: &'a MimeMessage<'_>, d: &mut Draft) -> Vec<Cow<'a, str>> {
    let html_ids = &m.html_body;
    let text_ids = &m.text_body;
    let has_html = html_ids
        .iter()
        .filter_map(|&id| part(m, id))
        .any(|p| matches!(p.body, PartType::Html(_)));
    let mut sources = Vec::new();
    // mail-parser lists plain text parts as HTML bodies too when there is no HTML
    // alternative; the HTML list is only used when it holds real HTML.
    if has_html {
        for p in html_ids.iter().filter_map(|&id| part(m, id)) {
            sources.extend(add_body_part(p, d));
        }
        // The plain-text alternatives: text parts that are not also HTML bodies.
        let alternatives = text_ids
            .iter()
            .filter(|id| !html_ids.contains(id))
            .filter_map(|&id| part(m, id))
            .filter(|p| matches!(p.body, PartType::Text(_)));
        for p in alternatives {
            d.several_parts = true;
            add_alternative(p, d);
        }
    } else {
        for p in text_ids.iter().filter_map(|&id| part(m, id)) {
            if matches!(p.body, PartType::Text(_)) {
                add_body_part(p, d);
            }
        }
    }
    sources
}

/// Adds a text or HTML part to the body; returns the HTML source when it was HTML.
fn add_body_part<'a>(p: &'a MessagePart<'_>, d: &mut Draft) -> Option<Cow<'a, str>> {
    let text = part_text(p)?;
    if matches!(p.body, PartType::Html(_)) {
        d.html = true;
        if text.len() > MAX_HTML_BYTES {
            d.notes.push(ParseNote::new(
                "truncated",
                format!(
                    "The HTML part is {} bytes long; only the first {MAX_HTML_BYTES} bytes were read.",
                    text.len()
                ),
            ));
        }
        let rendered = html_to_text(&text);
        if rendered.depth_capped {
            d.notes.push(ParseNote::new(
                "nesting",
                format!(
                    "The HTML nests elements more than {} levels deep; all of its text was read, but links and hidden styles below that depth were not.",
                    crate::MAX_HTML_DEPTH
                ),
            ));
        }
        d.append_body(BodyPartKind::Html, &rendered.text, rendered.links);
        Some(text)
    } else {
        d.append_body(
            BodyPartKind::PlainText,
            &normalise_newlines(&text),
            Vec::new(),
        );
        None
    }
}

/// Adds the lines of a plain-text alternative that the body read so far (its HTML version)
/// does not show. Most plain-text alternatives say what the HTML says, wrapped differently
/// and with the links written out; adding them whole would have every phrase read twice.
fn add_alternative(p: &MessagePart<'_>, d: &mut Draft) {
    // The body keeps only so much text: once it is full, nothing more would be read.
    if d.body.len() > MAX_TEXT_BYTES {
        return;
    }
    let Some(text) = part_text(p) else { return };
    let text = normalise_newlines(&text);
    let shown = Shown::new(&d.body, d.links.iter().map(|(href, _)| href.as_str()));
    let mut kept = String::new();
    let mut gap = false;
    for line in text.lines() {
        if kept.len() > MAX_TEXT_BYTES {
            break;
        }
        if shown.covers(line) {
            gap = !kept.is_empty();
            continue;
        }
        if !kept.is_empty() {
            kept.push_str(if gap { "\n\n" } else { "\n" });
        }
        kept.push_str(line);
        gap = false;
    }
    d.append_body(BodyPartKind::PlainTextAlternative, &kept, Vec::new());
}

/// What a body already shows: its words (as hashed runs of one to [`RUN`] words) and its
/// link targets' hosts, to tell whether a line of another version says anything new.
struct Shown {
    lower: String,
    runs: HashSet<u64, BuildHasherDefault<Prehashed>>,
    /// Hosts from the message's links: the std hasher, keyed per process, as a crafted
    /// message chooses them.
    hrefs: HashSet<String>,
}

/// A word run is at most this many words.
const RUN: usize = 3;

impl Shown {
    fn new<'h>(body: &str, hrefs: impl Iterator<Item = &'h str>) -> Shown {
        let lower = crate::to_lowercase(body);
        let mut words: Vec<u64> = Vec::with_capacity(lower.len() / 8);
        for_each_word(&lower, |w| words.push(word_hash(w)));
        let mut runs = HashSet::with_capacity_and_hasher(words.len() * RUN, Default::default());
        for n in 1..=RUN {
            runs.extend(words.windows(n).map(run_hash));
        }
        Shown {
            lower,
            runs,
            hrefs: hrefs.map(url_host).collect(),
        }
    }

    /// True when every run of the line's words is shown, and every link the line writes
    /// out is a link target or shown text of the body.
    fn covers(&self, line: &str) -> bool {
        let line = crate::to_lowercase(line);
        let mut prose: Vec<u64> = Vec::new();
        for token in line.split_whitespace() {
            let t = token.trim_matches(is_wrapping_punctuation);
            if is_url(t) {
                if !self.hrefs.contains(&url_host(t)) && !self.lower.contains(t) {
                    return false;
                }
            } else {
                for_each_word(token, |w| prose.push(word_hash(w)));
            }
        }
        match prose.len() {
            0 => true,
            n if n <= RUN => self.runs.contains(&run_hash(&prose)),
            _ => prose
                .windows(RUN)
                .all(|run| self.runs.contains(&run_hash(run))),
        }
    }
}

/// The punctuation around a link or a word in running text (`<https://…>`, `(see)`,
/// `end.`): a `match` rather than a search in a string, as it is asked for each end of each
/// token.
fn is_wrapping_punctuation(c: char) -> bool {
    matches!(
        c,
        '<' | '>' | '(' | ')' | '[' | ']' | '"' | '\'' | '.' | ',' | ';' | ':'
    )
}

/// Calls `f` with each word of a lowercase text, in order: runs of letters and digits, but
/// not single letters, which plain-text versions write for symbols (`(c)` for `©`) and
/// contractions split. Nothing is collected: a line is read token by token.
///
/// Read by bytes: an ASCII byte is a character, and only the others are decoded (a split
/// on a character predicate decodes every character, most of the cost of reading both
/// versions of an email).
fn for_each_word<'s>(s: &'s str, mut f: impl FnMut(&'s str)) {
    let bytes = s.as_bytes();
    // Whether the character at `at` is a letter or digit, and its length.
    let class = |at: usize| -> (bool, usize) {
        match bytes[at] {
            b if b.is_ascii() => (b.is_ascii_alphanumeric(), 1),
            _ => s[at..]
                .chars()
                .next()
                .map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8())),
        }
    };
    let mut at = 0;
    while at < bytes.len() {
        let (alphanumeric, len) = class(at);
        if !alphanumeric {
            at += len;
            continue;
        }
        let start = at;
        at += len;
        while at < bytes.len() {
            let (alphanumeric, len) = class(at);
            if !alphanumeric {
                break;
            }
            at += len;
        }
        let w = &s[start..at];
        let keep = match w.as_bytes() {
            [b] => b.is_ascii_digit(),
            _ => w.chars().nth(1).is_some() || w.chars().all(char::is_numeric),
        };
        if keep {
            f(w);
        }
    }
}

/// The hasher of a set of values that are hashes already: it keeps them.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = bytes
            .iter()
            .fold(self.0, |h, &b| h.rotate_left(8) ^ u64::from(b));
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// A word's hash (FNV-1a: a few words per line, and a body's worth once per email).
fn word_hash(w: &str) -> u64 {
    w.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A run's hash from its words' hashes, in order.
fn run_hash(words: &[u64]) -> u64 {
    words.iter().fold(words.len() as u64, |h, &w| {
        (h.rotate_left(17) ^ w).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    })
}

fn is_url(t: &str) -> bool {
    ["http://", "https://", "www."]
        .iter()
        .any(|p| t.starts_with(p))
}

/// The host of a link, as compared: lowercase, without `www.`. Genuine mail writes a
/// different tracking address for each copy of a link (`gp/r.html?C=...`), so the plain-text
/// version's links count as shown when the HTML links to the same host; a link to a host
/// the HTML never links to is news.
fn url_host(u: &str) -> String {
    let u = u.trim().to_lowercase();
    let rest = u.split_once("://").map_or(u.as_str(), |(_, r)| r);
    let host = rest
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .rsplit('@')
        .next()
        .unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    host.strip_prefix("www.").unwrap_or(host).to_string()
}

/// The text of a text or HTML part. When mail-parser could not undo the part's transfer
/// encoding (a truncated message, a stray character) it keeps the encoded text; that is
/// decoded leniently here so the person's text, not `=E2=80=99` soup, is checked.
fn part_text<'a>(p: &'a MessagePart<'_>) -> Option<Cow<'a, str>> {
    let text = match &p.body {
        PartType::Text(t) | PartType::Html(t) => t.as_ref(),
        _ => return None,
    };
    if !p.is_encoding_problem {
        return Some(Cow::Borrowed(text));
    }
    let encoding = p
        .content_transfer_encoding()
        .map(|e| e.trim().to_ascii_lowercase());
    let bytes = match encoding.as_deref() {
        Some("quoted-printable") => decode_qp_lenient(text.as_bytes()),
        Some("base64") => decode_base64_lenient(text.as_bytes()),
        _ => return Some(Cow::Borrowed(text)),
    };
    let decoder = p
        .content_type()
        .and_then(|ct| ct.attribute("charset"))
        .and_then(|c| charset_decoder(c.as_bytes()));
    Some(Cow::Owned(match decoder {
        Some(decode) => decode(&bytes),
        None => String::from_utf8_lossy(&bytes).into_owned(),
    }))
}

/// Decodes quoted-printable leniently: `=XX` and soft line breaks are decoded, anything
/// else (a lone `=`, bad hex) is kept as it is.
fn decode_qp_lenient(input: &[u8]) -> Vec<u8> {
    fn hex(c: u8) -> Option<u8> {
        (c as char).to_digit(16).and_then(|v| u8::try_from(v).ok())
    }
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        let c = input[i];
        if c == b'=' {
            let next = input.get(i + 1..).unwrap_or_default();
            if next.starts_with(b"\r\n") {
                i += 3;
                continue;
            }
            if next.starts_with(b"\n") {
                i += 2;
                continue;
            }
            if let (Some(&h), Some(&l)) = (next.first(), next.get(1))
                && let (Some(h), Some(l)) = (hex(h), hex(l))
            {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// When no part was a body, the first unnamed text part is (mail-parser turns a multipart
/// whose boundary never appears, or a part it could not decode, into such a part). Returns
/// its id so it is not listed as an attachment too.
pub(super) fn recover_body(m: &MimeMessage<'_>, d: &mut Draft) -> Option<u32> {
    let (id, p) = m.attachments.iter().find_map(|&id| {
        let p = part(m, id)?;
        let text = matches!(p.body, PartType::Text(_) | PartType::Html(_));
        (text && p.attachment_name().is_none()).then_some((id, p))
    })?;
    add_body_part(p, d);
    if declared_type(p).starts_with("multipart/") {
        d.notes.push(ParseNote::new(
            "malformed-mime",
            "The email's MIME structure is broken (a part boundary is missing); its raw text was checked.",
        ));
    }
    Some(id)
}

/// Replaces the message by the one forwarded inline in its body, as many levels deep as
/// [`MAX_FORWARD_DEPTH`] allows.
pub(super) fn unwrap_inline_forwards(d: &mut Draft) {
    for _ in 0..MAX_FORWARD_DEPTH {
        let outer_subject = d
            .subject
            .as_deref()
            .and_then(strip_fwd_prefix)
            .map(str::to_string);
        let Some(f) = find_inline_forward(&d.body, d.subject.as_deref()) else {
            break;
        };
        let (name, address) = split_address(&f.from);
        let from = Addr { name, address };
        // The forwarder's own headers say nothing about the forwarded message.
        d.from = (!from.is_empty()).then_some(from);
        d.from_entries = usize::from(d.from.is_some());
        d.relayed = false;
        d.reply_to.clear();
        d.return_path = None;
        d.auth.clear();
        d.subject = f.subject.or(outer_subject).filter(|s| !s.is_empty());
        let r = f.body;
        let inner = d.body.get(r.clone()).unwrap_or_default();
        if f.quoted {
            // Plain text quoting: no HTML links to keep.
            d.body = unquote_block(inner);
            d.links.clear();
        } else {
            d.body = inner.to_string();
            d.links = std::mem::take(&mut d.links)
                .into_iter()
                .filter(|(_, l)| l.start >= r.start && l.end <= r.end)
                .map(|(href, l)| (href, l.start - r.start..l.end - r.start))
                .collect();
        }
        // The forwarded message is read from the parts the block sits in (unquoting moves
        // the text: then it is all the first one's).
        let len = d.body.len();
        let parts = std::mem::take(&mut d.parts)
            .into_iter()
            .filter(|(_, p)| p.start < r.end && p.end > r.start);
        d.parts = if f.quoted {
            parts.take(1).map(|(kind, _)| (kind, 0..len)).collect()
        } else {
            parts
                .map(|(kind, p)| {
                    let start = p.start.saturating_sub(r.start).min(len);
                    (kind, start..(p.end - r.start).min(len))
                })
                .collect()
        };
        d.forwarded = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The words of a split on characters that are not letters or digits, filtered as
        /// before, on texts of ASCII, letters and digits outside ASCII (`é`, `²`, `Ⅻ`,
        /// Arabic-Indic digits, CJK), marks, symbols and white space.
        #[test]
        fn words_are_the_split_on_characters(
            pieces in proptest::collection::vec(
                prop::sample::select(vec![
                    "a", "z", "7", "ab", "42", " ", "\n", ".", "'", "_", "-", "é", "ü", "²", "Ⅻ",
                    "٣", "中", "\u{301}", "©", "👍", "\u{a0}", "ß",
                ]),
                0..30,
            )
        ) {
            let text: String = pieces.concat();
            let want: Vec<&str> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .filter(|w| w.chars().nth(1).is_some() || w.chars().all(|c| c.is_numeric()))
                .collect();
            let mut got = Vec::new();
            for_each_word(&text, |w| got.push(w));
            prop_assert_eq!(got, want, "{:?}", text);
        }
    }

    #[test]
    fn a_line_is_shown_when_its_words_and_links_are() {
        let shown = Shown::new(
            "Hello Jane,\n\nYour package was delivered. It was handed directly to a resident.\n\nTrack package\n\n© 2025 Amazon.com, Inc.",
            ["https://www.amazon.com/track?id=1"].into_iter(),
        );
        // Wrapped differently, with symbols written out, with the link target written out.
        assert!(shown.covers("Your package was delivered. It was handed"));
        assert!(shown.covers("directly to a resident."));
        assert!(shown.covers("(c) 2025 Amazon.com, Inc."));
        assert!(shown.covers("Track package: <https://www.amazon.com/track?id=1/>"));
        assert!(shown.covers("   "));
        // Another address on a host the HTML links to (tracking links differ per copy).
        assert!(shown.covers("Track package: https://amazon.com/gp/r.html?C=2&U=track"));
        // A new host, a new number, new words: not shown.
        assert!(!shown.covers("Track package: https://amaz0n.example/track"));
        assert!(!shown.covers("Track package: https://www.amazon.com.evil.example/track"));
        assert!(!shown.covers("Your package was delivered. Call 1-888-555-0199."));
        assert!(!shown.covers("Reply with your password."));
    }

    #[test]
    fn lenient_qp_keeps_what_it_cannot_decode() {
        assert_eq!(decode_qp_lenient(b"a=4\r\n=4Z=\r\nb=41"), b"a=4\r\n=4ZbA");
    }
}
