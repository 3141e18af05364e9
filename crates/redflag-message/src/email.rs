//! Email: RFC 5322 messages with MIME parts, HTML, attachments and forwards.
//!
//! The display text is built in a fixed order: `From:`, `Reply-To:` (one line per mailbox),
//! `Return-Path:`, `Authentication-Results:` (one line per header, unfolded), `Subject:`,
//! one `Attachment:` line per attachment, a blank line, then the body. The body is the HTML
//! part rendered to text when there is one (its links are kept), else the plain text part.
//!
//! Forwards are unwrapped: when the email carries another email as a `message/rfc822` part,
//! or its body is a forward wrapper with a "Forwarded message" block, the inner message is
//! the one analysed (people forward scams to have them checked).

use crate::authres::parse_auth_results;
use crate::forward::{find_inline_forward, split_address, strip_fwd_prefix, unquote_block};
use crate::html::html_to_text;
use crate::sniff::{decode_base64_lenient, sniff};
use crate::text::{classify_sender, normalise_newlines, truncate_from};
use crate::{
    Attachment, AuthResults, Channel, EmailMeta, Error, HtmlLink, MAX_FORWARD_DEPTH,
    MAX_HTML_BYTES, MAX_INPUT_BYTES, MAX_PARTS, MAX_TEXT_BYTES, Mailbox, Message, ParseNote,
    SectionKind, Sender, SenderKind, Span, TextBuilder,
};
use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::{HeaderName, HeaderValue, MessageParser, MessagePart, MimeHeaders, PartType};
use std::borrow::Cow;
use std::ops::Range;

type MimeMessage<'x> = mail_parser::Message<'x>;

/// Most `Reply-To` mailboxes kept.
const MAX_REPLY_TO: usize = 16;

/// Most `Authentication-Results` headers kept.
const MAX_AUTH_HEADERS: usize = 32;

/// Longest attachment name kept, in chars.
const MAX_NAME_CHARS: usize = 255;

/// Parses one raw email into a [`Message`]. Best effort: whatever cannot be read becomes a
/// [`crate::ParseNote`]. Errors only on empty or over-size input.
///
/// Notes it can add: `malformed-headers` (no header could be read; the whole input is the
/// body), `malformed-mime` (a MIME part was damaged and read as plain text), `parts-skipped`,
/// `truncated`, `no-body`, `bad-charset` (replacement characters in the text) and
/// `forwarded`.
pub fn parse_email(raw: &[u8]) -> Result<Message, Error> {
    if raw.len() > MAX_INPUT_BYTES {
        return Err(Error::TooLarge {
            size: raw.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    let raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
    let raw = skip_postmark(raw);
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty);
    }
    // mail-parser builds one nested value per embedded message and drops it recursively: a
    // crafted input with hundreds of thousands of nested `message/rfc822` parts would
    // overflow the stack. Only the start, up to a sane number of embedded messages, is read.
    let (mime_raw, cut) = match nesting_cut(raw) {
        Some(at) => (&raw[..at], true),
        None => (raw, false),
    };
    // Headers that run straight into the first MIME boundary (a hand-trimmed or pasted
    // source) get the blank line they lost, so the parts are read, not the raw source.
    let repaired = blank_line_before_boundary(mime_raw);
    let mime_raw = repaired.as_deref().unwrap_or(mime_raw);
    let mut draft = match parse_mime(mime_raw) {
        Ok(Some(m)) if has_known_headers(&m) => from_mime(&m),
        Ok(_) => from_plain(raw),
        Err(ParserPanicked) => {
            let mut draft = from_plain(raw);
            draft.notes.push(ParseNote::new(
                "mime-unreadable",
                "The email's structure (its MIME parts) could not be read, so it was checked as plain text: encoded parts, attachments and links in its HTML may have been missed.",
            ));
            draft
        }
    };
    if cut {
        draft.notes.push(ParseNote::new(
            "parts-skipped",
            format!(
                "The email embeds more than {MAX_EMBEDDED_MESSAGES} other emails; only the first ones were checked."
            ),
        ));
    }
    unwrap_inline_forwards(&mut draft);
    Ok(render(draft))
}

/// Most embedded messages (`message/rfc822`, `message/global`, `multipart/digest`) read.
const MAX_EMBEDDED_MESSAGES: usize = 64;

/// Where to cut the input so that it declares at most [`MAX_EMBEDDED_MESSAGES`] embedded
/// messages; `None` when it declares no more than that.
fn nesting_cut(raw: &[u8]) -> Option<usize> {
    const NEEDLES: [&[u8]; 3] = [b"message/rfc822", b"message/global", b"multipart/digest"];
    let mut count = 0;
    let mut i = 0;
    while i + 14 <= raw.len() {
        // Every needle starts with `m`: a cheap first test.
        if raw[i].eq_ignore_ascii_case(&b'm')
            && let Some(n) = NEEDLES.iter().find(|n| {
                raw.get(i..i + n.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(n))
            })
        {
            count += 1;
            if count > MAX_EMBEDDED_MESSAGES {
                return Some(i);
            }
            i += n.len();
            continue;
        }
        i += 1;
    }
    None
}

/// When the header block declares a multipart `boundary` and its first boundary line comes
/// before any blank line (the blank line that ends the headers is missing), the input with
/// a blank line inserted before that boundary line; otherwise `None`.
fn blank_line_before_boundary(raw: &[u8]) -> Option<Vec<u8>> {
    let mut boundary: Option<Vec<u8>> = None;
    let mut pos = 0;
    while pos < raw.len() {
        let end = raw[pos..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(raw.len(), |i| pos + i + 1);
        let line = raw[pos..end].strip_suffix(b"\n").unwrap_or(&raw[pos..end]);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return None;
        }
        if let Some(b) = &boundary
            && line.len() >= b.len() + 2
            && line.starts_with(b"--")
            && &line[2..2 + b.len()] == b.as_slice()
        {
            let mut out = Vec::with_capacity(raw.len() + 1);
            out.extend_from_slice(&raw[..pos]);
            out.push(b'\n');
            out.extend_from_slice(&raw[pos..]);
            return Some(out);
        }
        if boundary.is_none() {
            boundary = boundary_param(line);
        }
        pos = end;
    }
    None
}

/// The value of a `boundary=` parameter on a header line (quoted or not).
fn boundary_param(line: &[u8]) -> Option<Vec<u8>> {
    let lower = line.to_ascii_lowercase();
    let at = lower.windows(9).position(|w| w == b"boundary=")? + 9;
    let rest = &line[at..];
    let value: Vec<u8> = if let Some(q) = rest.strip_prefix(b"\"") {
        q.iter().take_while(|&&c| c != b'"').copied().collect()
    } else {
        rest.iter()
            .take_while(|&&c| !c.is_ascii_whitespace() && c != b';')
            .copied()
            .collect()
    };
    (!value.is_empty()).then_some(value)
}

/// mail-parser panicked on the input.
struct ParserPanicked;

/// Runs mail-parser. It is written not to panic; a panic is caught anyway and the input is
/// then read as plain text with a `mime-unreadable` note (a parser bug must not take down a
/// whole mailbox scan). Builds with debug assertions meet one on purpose: mail-parser
/// 0.11's `debug_assert!(false, "Invalid part ID, could not find multipart.")` on a
/// boundary that closes an attached email's parent (found by fuzzing `mbox`).
fn parse_mime(raw: &[u8]) -> Result<Option<MimeMessage<'_>>, ParserPanicked> {
    std::panic::catch_unwind(|| MessageParser::default().parse(raw)).map_err(|_| ParserPanicked)
}

/// Skips an mbox `From sender date` line at the very start, if a header line follows it
/// (a single message saved from a mailbox file). Text that merely starts with "From the
/// Amazon team..." is left alone.
fn skip_postmark(raw: &[u8]) -> &[u8] {
    let n = raw.iter().take_while(|c| c.is_ascii_whitespace()).count();
    let rest = &raw[n..];
    if !rest.starts_with(b"From ") {
        return raw;
    }
    let Some(eol) = rest.iter().position(|&c| c == b'\n') else {
        return raw;
    };
    let next = &rest[eol + 1..];
    let next_line = &next[..next.iter().position(|&c| c == b'\n').unwrap_or(next.len())];
    let header = next_line
        .iter()
        .position(|&c| c == b':')
        .is_some_and(|colon| colon > 0 && next_line[..colon].iter().all(u8::is_ascii_graphic));
    if header { next } else { raw }
}

/// True when at least one header is a standard one (mail-parser reads `Dear customer: ...`
/// as a header too; that alone does not make an email).
fn has_known_headers(m: &MimeMessage<'_>) -> bool {
    m.parts
        .first()
        .is_some_and(|p| p.headers.iter().any(|h| !h.name.is_other()))
}

/// An address as found in a header.
#[derive(Debug, Default, Clone)]
struct Addr {
    name: Option<String>,
    /// Only set when it looks like an address (`x@y`).
    address: Option<String>,
}

impl Addr {
    /// `Name <addr>`, `addr` or `Name`.
    fn display(&self) -> String {
        match (&self.name, &self.address) {
            (Some(n), Some(a)) => format!("{n} <{a}>"),
            (None, Some(a)) => a.clone(),
            (Some(n), None) => n.clone(),
            (None, None) => String::new(),
        }
    }

    fn is_empty(&self) -> bool {
        self.name.is_none() && self.address.is_none()
    }
}

/// An attachment before it gets its line in the text.
#[derive(Debug)]
struct AttachmentInfo {
    name: String,
    declared_type: String,
    sniffed_type: &'static str,
    size: usize,
}

/// Everything read from the email, before the display text is built.
#[derive(Debug, Default)]
struct Draft {
    /// Bytes of body text the parts had, kept or not (the body keeps a little over
    /// `MAX_TEXT_BYTES`: enough to know it was cut).
    body_total: usize,
    from: Option<Addr>,
    /// How many entries the `From` header lists.
    from_entries: usize,
    reply_to: Vec<Addr>,
    return_path: Option<String>,
    /// Unfolded `Authentication-Results` values.
    auth: Vec<String>,
    subject: Option<String>,
    attachments: Vec<AttachmentInfo>,
    body: String,
    /// Links with ranges into `body`.
    links: Vec<(String, Range<usize>)>,
    html: bool,
    forwarded: bool,
    /// The headers include `Received` lines.
    relayed: bool,
    notes: Vec<ParseNote>,
}

impl Draft {
    /// Adds a body part, separated from the previous one by a blank line.
    fn append_body(&mut self, text: &str, links: Vec<(String, Range<usize>)>) {
        let lead = text.len() - text.trim_start().len();
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let sep = if self.body_total > 0 { 2 } else { 0 };
        self.body_total += sep + text.len();
        if self.body.len() > MAX_TEXT_BYTES {
            return;
        }
        if sep > 0 {
            self.body.push_str("\n\n");
        }
        // Only what can be read is copied: a 10 MiB part is not held twice to keep 128 KiB.
        let keep = text.ceil_char_boundary(MAX_TEXT_BYTES + 1 - self.body.len());
        let text = &text[..keep];
        let offset = self.body.len();
        self.body.push_str(text);
        // Ranges are into the untrimmed text; clamp them to what was kept (trimming only
        // removes white space, so the ends stay on char boundaries).
        let clamp = |i: usize| i.saturating_sub(lead).min(text.len()) + offset;
        self.links.extend(
            links
                .into_iter()
                .map(|(href, r)| (href, clamp(r.start)..clamp(r.end))),
        );
    }
}

/// The input could not be read as an email: all of it is the body.
fn from_plain(raw: &[u8]) -> Draft {
    let mut d = Draft::default();
    d.notes.push(ParseNote::new(
        "malformed-headers",
        "The email headers could not be read, so the whole input was checked as the message text.",
    ));
    let text = String::from_utf8_lossy(raw);
    d.append_body(&normalise_newlines(&text), Vec::new());
    d
}

/// Reads a parsed email, or the email attached to it when it is a forward.
fn from_mime(top: &MimeMessage<'_>) -> Draft {
    let mut d = Draft::default();
    let mut m = top;
    for _ in 0..MAX_FORWARD_DEPTH {
        match attached_message(m) {
            Some(inner) => {
                m = inner;
                d.forwarded = true;
            }
            None => break,
        }
    }
    if m.parts.len() > MAX_PARTS {
        d.notes.push(ParseNote::new(
            "parts-skipped",
            format!(
                "The email has {} parts; only the first {MAX_PARTS} were checked.",
                m.parts.len()
            ),
        ));
    }
    read_headers(m, &mut d);
    let html_sources = read_body(m, &mut d);
    let recovered = if d.body.is_empty() {
        recover_body(m, &mut d)
    } else {
        None
    };
    read_attachments(m, &html_sources, recovered, &mut d);
    let noted = d.notes.iter().any(|n| n.code == "malformed-mime");
    if !noted
        && m.parts
            .iter()
            .take(MAX_PARTS)
            .any(|p| p.is_encoding_problem)
    {
        d.notes.push(ParseNote::new(
            "malformed-mime",
            "Part of the email is damaged (its MIME structure or encoding is broken); it was read as plain text.",
        ));
    }
    d
}

/// The first attached email (`message/rfc822`) that has real headers.
fn attached_message<'a, 'x>(m: &'a MimeMessage<'x>) -> Option<&'a MimeMessage<'x>> {
    m.attachments
        .iter()
        .filter_map(|&id| part(m, id))
        .filter_map(MessagePart::message)
        .find(|inner| has_known_headers(inner))
}

/// A part by id, when within [`MAX_PARTS`].
fn part<'a, 'x>(m: &'a MimeMessage<'x>, id: u32) -> Option<&'a MessagePart<'x>> {
    let id = usize::try_from(id).ok()?;
    if id >= MAX_PARTS {
        return None;
    }
    m.parts.get(id)
}

/// White space runs (folding included) to one space, trimmed.
fn unfold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn addr_of(a: &mail_parser::Addr<'_>) -> Addr {
    let name = a.name().map(unfold).filter(|n| !n.is_empty());
    let raw = a.address().map(str::trim).unwrap_or_default();
    let looks_like_address = raw
        .find('@')
        .is_some_and(|at| at > 0 && at + 1 < raw.len() && !raw.contains(char::is_whitespace));
    if looks_like_address {
        Addr {
            name,
            address: Some(raw.to_string()),
        }
    } else {
        // `From: Amazon` (no address) comes back as an address without an `@`.
        let fallback = Some(unfold(raw)).filter(|s| !s.is_empty());
        Addr {
            name: name.or(fallback),
            address: None,
        }
    }
}

/// The address in a raw header value whose local part is quoted (`"jo smith"@example.org`),
/// which mail-parser reads as a bare name.
fn quoted_local_address(raw: &str) -> Option<String> {
    let at = raw.rfind("\"@")?;
    let open = raw[..at].rfind('"')?;
    let domain: String = raw[at + 2..]
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '>' | ',' | ';'))
        .collect();
    (!domain.is_empty() && domain.contains('.')).then(|| format!("{}@{domain}", &raw[open..=at]))
}

/// The sender among a `From` header's entries: the first one with an address, named by the
/// first entry when that is a bare name (`From: Gift Team, <a@b.example>` is read as the name
/// `Gift Team`, the address `a@b.example`), else the first entry.
fn pick_from(mut entries: Vec<Addr>) -> Option<Addr> {
    let i = entries
        .iter()
        .position(|a| a.address.is_some())
        .unwrap_or(0);
    if i >= entries.len() {
        return None;
    }
    let name = entries[..i].iter().find_map(|a| a.name.clone());
    let mut chosen = entries.swap_remove(i);
    if chosen.name.is_none() {
        chosen.name = name;
    }
    Some(chosen)
}

fn read_headers(m: &MimeMessage<'_>, d: &mut Draft) {
    let from: Vec<Addr> = m
        .from()
        .map(|a| a.iter().map(addr_of).filter(|a| !a.is_empty()).collect())
        .unwrap_or_default();
    d.from_entries = from.len();
    d.from = pick_from(from);
    if let Some(f) = d.from.as_mut().filter(|f| f.address.is_none())
        && let Some(raw) = m.header_raw(HeaderName::From)
    {
        // mail-parser drops a quoted local part (`"jo smith"@example.org`); keep it.
        f.address = quoted_local_address(raw);
    }
    d.relayed = m.header(HeaderName::Received).is_some();
    d.reply_to = m
        .reply_to()
        .map(|list| {
            list.iter()
                .map(addr_of)
                .filter(|a| a.address.is_some())
                .take(MAX_REPLY_TO)
                .collect()
        })
        .unwrap_or_default();
    let return_path = match m.return_path() {
        HeaderValue::Text(t) => Some(t.as_ref()),
        HeaderValue::TextList(list) => list
            .iter()
            .map(|t| t.as_ref())
            .find(|t: &&str| !t.trim().is_empty()),
        _ => None,
    };
    d.return_path = return_path
        .map(|r| r.trim().trim_matches(['<', '>']).trim().to_string())
        .filter(|r| !r.is_empty());
    d.auth = m
        .header_values(HeaderName::AuthenticationResults)
        .filter_map(HeaderValue::as_text)
        .map(unfold)
        .filter(|v| !v.is_empty())
        .take(MAX_AUTH_HEADERS)
        .collect();
    d.subject = m.subject().map(unfold).filter(|s| !s.is_empty());
}

/// Reads the body into the draft; returns the HTML sources used (to recognise inline
/// images they reference).
fn read_body<'a>(m: &'a MimeMessage<'_>, d: &mut Draft) -> Vec<Cow<'a, str>> {
    let html_parts: Vec<&MessagePart<'_>> =
        m.html_body.iter().filter_map(|&id| part(m, id)).collect();
    let mut sources = Vec::new();
    // mail-parser lists plain text parts as HTML bodies too when there is no HTML
    // alternative; the HTML list is only used when it holds real HTML.
    if html_parts
        .iter()
        .any(|p| matches!(p.body, PartType::Html(_)))
    {
        for p in html_parts {
            sources.extend(add_body_part(p, d));
        }
    } else {
        for p in m.text_body.iter().filter_map(|&id| part(m, id)) {
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
        d.append_body(&rendered.text, rendered.links);
        Some(text)
    } else {
        d.append_body(&normalise_newlines(&text), Vec::new());
        None
    }
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
fn recover_body(m: &MimeMessage<'_>, d: &mut Draft) -> Option<u32> {
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

/// The declared content type, lowercase `type/subtype`.
fn declared_type(p: &MessagePart<'_>) -> String {
    match p.content_type() {
        Some(ct) => match ct.subtype() {
            Some(sub) => format!("{}/{}", ct.ctype(), sub).to_ascii_lowercase(),
            None => ct.ctype().to_ascii_lowercase(),
        },
        None => match p.body {
            PartType::Message(_) => "message/rfc822".to_string(),
            PartType::Text(_) | PartType::Html(_) => "text/plain".to_string(),
            _ => "application/octet-stream".to_string(),
        },
    }
}

fn read_attachments(
    m: &MimeMessage<'_>,
    html_sources: &[Cow<'_, str>],
    skip: Option<u32>,
    d: &mut Draft,
) {
    let ids = m.attachments.iter().filter(|&&id| Some(id) != skip);
    for p in ids.filter_map(|&id| part(m, id)) {
        if p.is_multipart() {
            continue;
        }
        let declared_type = declared_type(p);
        let name: String = unfold(p.attachment_name().unwrap_or_default())
            .chars()
            .take(MAX_NAME_CHARS)
            .collect();
        if declared_type.starts_with("image/")
            && let Some(cid) = p.content_id()
        {
            // An image shown inside the HTML is not an attachment to the person.
            let cid = cid.trim().trim_matches(['<', '>']);
            let referenced = !cid.is_empty()
                && html_sources
                    .iter()
                    .any(|h| contains_ignore_case(h, &format!("cid:{cid}")));
            if name.is_empty() || referenced {
                continue;
            }
        }
        let base64 = p
            .content_transfer_encoding()
            .is_some_and(|e| e.trim().eq_ignore_ascii_case("base64"));
        let (sniffed_type, size) = if p.is_encoding_problem && base64 {
            // mail-parser could not decode it and kept the base64 text; look through it.
            let decoded = decode_base64_lenient(p.contents());
            (sniff(&decoded), decoded.len())
        } else {
            (sniff(p.contents()), p.contents().len())
        };
        d.attachments.push(AttachmentInfo {
            name,
            declared_type,
            sniffed_type,
            size,
        });
    }
}

fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    !needle.is_empty()
        && hay
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

/// Replaces the message by the one forwarded inline in its body, as many levels deep as
/// [`MAX_FORWARD_DEPTH`] allows.
fn unwrap_inline_forwards(d: &mut Draft) {
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
        d.forwarded = true;
    }
}

/// `3 KB`, `512 bytes`, `1.4 MB`.
fn format_size(n: usize) -> String {
    const KB: usize = 1024;
    const MB: usize = 1024 * 1024;
    if n < KB {
        format!("{n} bytes")
    } else if n < MB {
        format!("{} KB", (n + KB / 2) / KB)
    } else {
        format!("{}.{} MB", n / MB, (n % MB) * 10 / MB)
    }
}

/// Builds the display text and the message from the draft.
fn render(d: Draft) -> Message {
    let mut notes = d.notes;
    let mut b = TextBuilder::new();
    let mut meta = EmailMeta {
        subject: d.subject.clone(),
        html: d.html,
        forwarded: d.forwarded,
        from_entries: d.from_entries,
        relayed: d.relayed,
        ..EmailMeta::default()
    };
    let mut sender = None;
    if let Some(from) = &d.from {
        let span = b.header("From", SectionKind::From, &from.display());
        match &from.address {
            Some(addr) => {
                let address = addr.to_ascii_lowercase();
                sender = Some(Sender {
                    kind: SenderKind::Email,
                    value: address.clone(),
                    display_name: from.name.clone(),
                    span,
                });
                meta.from = Some(Mailbox {
                    name: from.name.clone(),
                    address,
                    span,
                });
            }
            None => {
                let (kind, value) = classify_sender(&from.display());
                sender = Some(Sender {
                    kind,
                    value,
                    display_name: None,
                    span,
                });
            }
        }
    }
    for r in &d.reply_to {
        if let Some(addr) = &r.address {
            let span = b.header("Reply-To", SectionKind::ReplyTo, &r.display());
            meta.reply_to.push(Mailbox {
                name: r.name.clone(),
                address: addr.to_ascii_lowercase(),
                span,
            });
        }
    }
    if let Some(rp) = &d.return_path {
        let span = b.header("Return-Path", SectionKind::ReturnPath, rp);
        meta.return_path = Some(Mailbox {
            name: None,
            address: rp.to_ascii_lowercase(),
            span,
        });
    }
    for value in &d.auth {
        let span = b.header("Authentication-Results", SectionKind::AuthResults, value);
        let (authserv_id, results) = parse_auth_results(value);
        meta.auth_results.push(AuthResults {
            authserv_id,
            results,
            span,
        });
    }
    if let Some(subject) = &d.subject {
        b.header("Subject", SectionKind::Subject, subject);
    }
    let mut attachments = Vec::new();
    for a in d.attachments {
        let shown_name = if a.name.is_empty() {
            "(no name)"
        } else {
            a.name.as_str()
        };
        let line = format!(
            "{shown_name} ({}, {})",
            a.declared_type,
            format_size(a.size)
        );
        let span = b.header("Attachment", SectionKind::Attachment, &line);
        attachments.push(Attachment {
            name: a.name,
            declared_type: a.declared_type,
            sniffed_type: a.sniffed_type.to_string(),
            size: a.size,
            span,
        });
    }
    let body = truncate_from(&d.body, d.body_total, MAX_TEXT_BYTES, &mut notes);
    if body.trim().is_empty() {
        notes.push(ParseNote::new("no-body", "The email has no text to read."));
    }
    let garbled = body.contains('\u{FFFD}')
        || d.subject.as_deref().is_some_and(|s| s.contains('\u{FFFD}'))
        || d.from
            .as_ref()
            .is_some_and(|f| f.display().contains('\u{FFFD}'));
    if garbled {
        notes.push(ParseNote::new(
            "bad-charset",
            "Some of the text is in a character set that could not be read; unreadable characters show as \u{FFFD}.",
        ));
    }
    let body_len = body.len();
    let body_span = b.body(body);
    let links = d
        .links
        .into_iter()
        .filter(|(_, r)| r.start <= r.end && r.start <= body_len)
        .map(|(href, r)| HtmlLink {
            href,
            span: Span::new(
                body_span.start + r.start,
                body_span.start + r.end.min(body_len),
            ),
        })
        .collect();
    if d.forwarded {
        notes.push(ParseNote::new(
            "forwarded",
            "This is a forwarded email; the message inside it was checked.",
        ));
    }
    let (text, sections, header_notes) = b.finish();
    notes.extend(header_notes);
    Message {
        channel: Channel::Email,
        text,
        sections,
        sender,
        email: Some(meta),
        links,
        attachments,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{assert_spans_valid, check_spans};
    use proptest::prelude::*;

    /// Found by fuzzing `mbox` (minimised): a boundary line that closes an attached
    /// email's parent trips a debug assertion inside mail-parser 0.11. With debug
    /// assertions (as here) the panic is caught and the email read as plain text with a
    /// note that makes the analysis "cut short"; without them mail-parser recovers.
    #[test]
    fn a_mail_parser_panic_is_caught_and_noted() {
        let raw = b"Content-Type:multipart/\n\tboundary=-\n---Content-Type:message/rfc822\n\nContent-Type:message/rfc822\n\n\n-----";
        let m = parse_email(raw).expect("read, one way or the other");
        assert_spans_valid(&m);
        let noted = m.notes.iter().any(|n| n.code == "mime-unreadable");
        assert_eq!(noted, cfg!(debug_assertions), "{:?}", m.notes);
    }

    fn parse(raw: &str) -> Message {
        let m = parse_email(raw.as_bytes()).expect("parses");
        assert_spans_valid(&m);
        m
    }

    fn codes(m: &Message) -> Vec<&str> {
        m.notes.iter().map(|n| n.code.as_str()).collect()
    }

    fn slice(m: &Message, s: Span) -> &str {
        &m.text[s.range()]
    }

    const ALTERNATIVE: &str = "Return-Path: <bounce-7731@mailer.amaz0n-billing.example>\r
Authentication-Results: mx.example.com;\r
\tspf=softfail (example.com: domain of transitioning bounce-7731@mailer.amaz0n-billing.example\r
 does not designate 203.0.113.9 as permitted sender) smtp.mailfrom=bounce-7731@mailer.amaz0n-billing.example;\r
\tdkim=none; dmarc=fail (p=REJECT) header.from=amazon.com\r
Authentication-Results: relay.example.com; spf=pass smtp.mailfrom=mailer.amaz0n-billing.example\r
From: \"Amazon.com\" <Account-Update@Amazon.com>\r
Reply-To: Amazon Billing <billing.team@amaz0n-help.example>, second@amaz0n-help.example\r
To: jane@example.com\r
Subject: =?UTF-8?B?WW91ciBBbWF6b24gb3JkZXIgIzExMi00NDE3IOKAkyBwYXltZW50IGRlY2xpbmVkIOKaoA==?=\r
Date: Tue, 4 Mar 2025 10:01:00 +0000\r
MIME-Version: 1.0\r
Content-Type: multipart/alternative; boundary=\"b1_alt\"\r
\r
--b1_alt\r
Content-Type: text/plain; charset=windows-1252\r
Content-Transfer-Encoding: quoted-printable\r
\r
Dear Customer, we couldn=92t process your payment.\r
--b1_alt\r
Content-Type: text/html; charset=windows-1252\r
Content-Transfer-Encoding: quoted-printable\r
\r
<html><head><style>p {font-family: Arial}</style></head><body>\r
<p>Dear Customer,</p><p>We couldn=92t process your payment of =80129.99 =96 pl=\r
ease <a href=3D\" http://amaz0n-billing.example/verify?id=3D7 \">update your pa=\r
yment method at amazon.com</a>.</p>\r
<div style=3D\"display:none\">Amazon newsletter unsubscribe legit</div>\r
</body></html>\r
--b1_alt--\r
";

    #[test]
    fn multipart_alternative_qp_windows_1252_html() {
        let m = parse(ALTERNATIVE);
        assert_eq!(m.channel, Channel::Email);
        let e = m.email.as_ref().unwrap();
        assert!(e.html);
        assert!(!e.forwarded);
        assert_eq!(
            m.body(),
            "Dear Customer,\n\nWe couldn’t process your payment of €129.99 – please update your payment method at amazon.com."
        );
        assert!(!m.text.contains("newsletter"));
        assert_eq!(m.links.len(), 1);
        assert_eq!(m.links[0].href, "http://amaz0n-billing.example/verify?id=7");
        assert_eq!(
            slice(&m, m.links[0].span),
            "update your payment method at amazon.com"
        );

        let s = m.sender.as_ref().unwrap();
        assert_eq!(s.kind, SenderKind::Email);
        assert_eq!(s.value, "account-update@amazon.com");
        assert_eq!(s.display_name.as_deref(), Some("Amazon.com"));
        assert_eq!(slice(&m, s.span), "Amazon.com <Account-Update@Amazon.com>");
        let from = e.from.as_ref().unwrap();
        assert_eq!(from.span, s.span);

        assert_eq!(e.reply_to.len(), 2);
        assert_eq!(e.reply_to[0].address, "billing.team@amaz0n-help.example");
        assert_eq!(
            slice(&m, e.reply_to[0].span),
            "Amazon Billing <billing.team@amaz0n-help.example>"
        );
        assert_eq!(slice(&m, e.reply_to[1].span), "second@amaz0n-help.example");
        let rp = e.return_path.as_ref().unwrap();
        assert_eq!(rp.address, "bounce-7731@mailer.amaz0n-billing.example");
        assert_eq!(
            slice(&m, rp.span),
            "bounce-7731@mailer.amaz0n-billing.example"
        );

        assert_eq!(e.auth_results.len(), 2);
        let a = &e.auth_results[0];
        assert_eq!(a.authserv_id, "mx.example.com");
        assert!(
            slice(&m, a.span)
                .starts_with("mx.example.com; spf=softfail (example.com: domain of transitioning")
        );
        assert!(!slice(&m, a.span).contains('\t'));
        let methods: Vec<(&str, &str)> = a
            .results
            .iter()
            .map(|r| (r.method.as_str(), r.result.as_str()))
            .collect();
        assert_eq!(
            methods,
            vec![("spf", "softfail"), ("dkim", "none"), ("dmarc", "fail")]
        );
        assert_eq!(
            a.results[2].props,
            vec![("header.from".to_string(), "amazon.com".to_string())]
        );
        assert_eq!(e.auth_results[1].authserv_id, "relay.example.com");
        assert_eq!(e.auth_results[1].results[0].result, "pass");

        let subject = "Your Amazon order #112-4417 – payment declined ⚠";
        assert_eq!(m.subject(), Some(subject));
        assert_eq!(e.subject.as_deref(), Some(subject));
        assert!(m.attachments.is_empty());
        assert!(m.notes.is_empty(), "{:?}", m.notes);

        // The display text, in order.
        let lines: Vec<&str> = m.text.lines().take(8).collect();
        assert!(lines[0].starts_with("From: "));
        assert!(lines[1].starts_with("Reply-To: "));
        assert!(lines[2].starts_with("Reply-To: "));
        assert!(lines[3].starts_with("Return-Path: "));
        assert!(lines[4].starts_with("Authentication-Results: "));
        assert!(lines[5].starts_with("Authentication-Results: "));
        assert!(lines[6].starts_with("Subject: "));
        assert_eq!(lines[7], "");
    }

    const ATTACHMENTS: &str = "From: Amazon Billing <billing@amaz0n-invoices.example>
To: jane@example.com
Subject: Invoice INV-2291
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=\"outer\"

--outer
Content-Type: multipart/related; boundary=\"rel\"

--rel
Content-Type: text/html; charset=utf-8

<p><img src=\"cid:logo@amz\" alt=\"Amazon\"> Your invoice is attached.</p>
--rel
Content-Type: image/png
Content-ID: <logo@amz>
Content-Transfer-Encoding: base64

iVBORw0KGgoAAAANSUhEUgAAAAE=
--rel--
--outer
Content-Type: text/html; name=\"invoice.html\"
Content-Disposition: attachment; filename=\"invoice.html\"
Content-Transfer-Encoding: base64

PCFET0NUWVBFIGh0bWw+PGh0bWw+PGJvZHk+PGZvcm0gYWN0aW9uPSJodHRwczovL2FtYXowbi1sb2dpbi5leGFtcGxlL3Bvc3QiPjxpbnB1dCBuYW1lPSJwYXNzd29yZCI+PC9mb3JtPjwvYm9keT48L2h0bWw+
--outer
Content-Type: application/pdf; name=\"Invoice_2291.pdf\"
Content-Disposition: attachment; filename=\"Invoice_2291.pdf\"
Content-Transfer-Encoding: base64

TVqQAAMAAAAEAAAA//8AAFRoaXMgcHJvZ3JhbSBjYW5ub3QgYmUgcnVuIGluIERPUyBtb2RlLg==
--outer
Content-Type: application/vnd.ms-word.document.macroEnabled.12; name=\"Refund_Form.docm\"
Content-Disposition: attachment; filename=\"Refund_Form.docm\"
Content-Transfer-Encoding: base64

UEsDBBQABgAIAAAAIQAAAAAAAAAAAAAAAAATAAAAW0NvbnRlbnRfVHlwZXNdLnhtbDxUeXBlcy8+UEsDBBQABgAIAAAAIQAAAAAAAAAAAAAAAAARAAAAd29yZC9kb2N1bWVudC54bWw=
--outer--
";

    #[test]
    fn attachments_are_listed_and_sniffed() {
        let m = parse(ATTACHMENTS);
        assert_eq!(m.body(), "Your invoice is attached.");
        let got: Vec<(&str, &str, &str)> = m
            .attachments
            .iter()
            .map(|a| {
                (
                    a.name.as_str(),
                    a.declared_type.as_str(),
                    a.sniffed_type.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("invoice.html", "text/html", "html"),
                ("Invoice_2291.pdf", "application/pdf", "exe"),
                (
                    "Refund_Form.docm",
                    "application/vnd.ms-word.document.macroenabled.12",
                    "ooxml"
                ),
            ]
        );
        assert_eq!(m.attachments[1].size, 55);
        assert_eq!(
            slice(&m, m.attachments[1].span),
            "Invoice_2291.pdf (application/pdf, 55 bytes)"
        );
        let sections: Vec<SectionKind> = m.sections.iter().map(|s| s.kind).collect();
        assert_eq!(
            sections,
            vec![
                SectionKind::From,
                SectionKind::Subject,
                SectionKind::Attachment,
                SectionKind::Attachment,
                SectionKind::Attachment,
                SectionKind::Body
            ]
        );
        for (a, s) in m.attachments.iter().zip(m.sections.iter().skip(2)) {
            assert_eq!(a.span, s.span);
        }
    }

    #[test]
    fn damaged_base64_attachment_is_still_sniffed() {
        let raw = "From: a@amaz0n.example\nSubject: Receipt\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"m\"\n\n--m\nContent-Type: text/plain\n\nSee the receipt.\n--m\nContent-Type: application/pdf; name=\"receipt.pdf\"\nContent-Transfer-Encoding: base64\n\nTVqQAAMAAAAEAAAA//8AAFRo@@aXMgcHJvZ3JhbQ==\n--m--\n";
        let m = parse(raw);
        assert_eq!(m.body(), "See the receipt.");
        assert_eq!(m.attachments.len(), 1);
        assert_eq!(m.attachments[0].sniffed_type, "exe");
    }

    #[test]
    fn truncated_multipart_text_is_decoded() {
        let raw = "From: Amazon.com <auto-confirm@amazon.com>\nSubject: Ordered\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"cut\"\n\n--cut\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nArriving 4 AM =E2=80=93 8 AM, caf=C3=A9 =3D ok, long li=\nne, stray = sign=\n";
        let m = parse(raw);
        assert_eq!(
            m.body(),
            "Arriving 4 AM – 8 AM, café = ok, long line, stray = sign"
        );
        assert!(codes(&m).contains(&"malformed-mime"));
        assert_eq!(decode_qp_lenient(b"a=4\r\n=4Z=\r\nb=41"), b"a=4\r\n=4ZbA");
    }

    #[test]
    fn sizes() {
        assert_eq!(format_size(0), "0 bytes");
        assert_eq!(format_size(3 * 1024 + 100), "3 KB");
        assert_eq!(format_size(1536 * 1024), "1.5 MB");
    }

    const RFC822_FORWARD: &str = "From: Jane Doe <jane@example.com>
To: check@redflag.example
Subject: Fwd: Is this real?
Authentication-Results: mx.redflag.example; dkim=pass header.d=example.com
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=\"fwd\"

--fwd
Content-Type: text/plain; charset=utf-8

Got this today, is it a scam?
--fwd
Content-Type: message/rfc822
Content-Disposition: attachment; filename=\"Your account.eml\"

Authentication-Results: mx.example.com; spf=fail smtp.mailfrom=amaz0n-security.example; dmarc=fail header.from=amazon.com
From: Amazon Security <security@amaz0n-security.example>
Subject: Unusual sign-in activity
Content-Type: text/plain; charset=utf-8

We detected a sign-in from a new device. Call 1-888-555-0142 now.
--fwd--
";

    #[test]
    fn attached_forward_is_analysed() {
        let m = parse(RFC822_FORWARD);
        let e = m.email.as_ref().unwrap();
        assert!(e.forwarded);
        assert!(codes(&m).contains(&"forwarded"));
        assert_eq!(
            m.sender.as_ref().unwrap().value,
            "security@amaz0n-security.example"
        );
        assert_eq!(m.subject(), Some("Unusual sign-in activity"));
        assert_eq!(
            m.body(),
            "We detected a sign-in from a new device. Call 1-888-555-0142 now."
        );
        assert_eq!(e.auth_results.len(), 1);
        assert_eq!(e.auth_results[0].authserv_id, "mx.example.com");
        assert!(m.attachments.is_empty());
    }

    #[test]
    fn nested_attached_forwards_stop_at_the_limit() {
        let mut raw =
            "From: Inner <inner@amaz0n.example>\nSubject: innermost\n\nbody\n".to_string();
        for i in 0..(MAX_FORWARD_DEPTH + 2) {
            raw = format!(
                "From: Level {i} <l{i}@example.com>\nSubject: level {i}\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b{i}\"\n\n--b{i}\nContent-Type: text/plain\n\nsee attached\n--b{i}\nContent-Type: message/rfc822\n\n{raw}\n--b{i}--\n"
            );
        }
        let m = parse(&raw);
        assert!(m.email.as_ref().unwrap().forwarded);
        assert_eq!(m.subject(), Some("level 1"));
    }

    const INLINE_FORWARD: &str = "From: Jane Doe <jane@example.com>
To: check@redflag.example
Subject: Fwd: Your refund of $1,499.00
Content-Type: text/plain; charset=utf-8

Should I call them?

---------- Forwarded message ---------
From: Amazon Refunds <refunds@amaz0n-support.example>
Date: Mon, Mar 3, 2025 at 9:12 AM
Subject: Your refund of $1,499.00
To: <jane@example.com>


Hello,

A refund of $1,499.00 was issued by mistake. Call 1-888-555-0199 to reverse it.
";

    #[test]
    fn inline_forward_is_analysed() {
        let m = parse(INLINE_FORWARD);
        let e = m.email.as_ref().unwrap();
        assert!(e.forwarded);
        assert!(codes(&m).contains(&"forwarded"));
        let s = m.sender.as_ref().unwrap();
        assert_eq!(s.value, "refunds@amaz0n-support.example");
        assert_eq!(s.display_name.as_deref(), Some("Amazon Refunds"));
        assert_eq!(
            slice(&m, s.span),
            "Amazon Refunds <refunds@amaz0n-support.example>"
        );
        assert_eq!(m.subject(), Some("Your refund of $1,499.00"));
        assert_eq!(
            m.body(),
            "Hello,\n\nA refund of $1,499.00 was issued by mistake. Call 1-888-555-0199 to reverse it."
        );
    }

    #[test]
    fn inline_forward_in_html_keeps_its_links() {
        let raw = "From: Jane <jane@example.com>\nSubject: Fw: order\nContent-Type: text/html\n\n\
            <div>see <a href=\"https://jane.example/note\">my note</a></div>\
            <div>________________________________<br><b>From:</b> Amazon [mailto:orders@amaz0n.example]<br>\
            <b>Sent:</b> Monday<br><b>Subject:</b> Order cancelled</div>\
            <p>Click <a href=\"https://amaz0n.example/x\">here</a> to restore it.</p>";
        let m = parse(raw);
        assert!(m.email.as_ref().unwrap().forwarded);
        assert_eq!(m.sender.as_ref().unwrap().value, "orders@amaz0n.example");
        assert_eq!(m.subject(), Some("Order cancelled"));
        assert_eq!(m.body(), "Click here to restore it.");
        assert_eq!(m.links.len(), 1);
        assert_eq!(slice(&m, m.links[0].span), "here");
    }

    #[test]
    fn no_headers_is_a_plain_body() {
        let m = parse("Your Amazon account is locked.\nCall 1-888-555-0100 today.\n");
        assert_eq!(codes(&m), vec!["malformed-headers"]);
        assert_eq!(
            m.body(),
            "Your Amazon account is locked.\nCall 1-888-555-0100 today."
        );
        assert!(m.sender.is_none());
        let m = parse("Dear customer: your order is held\n\nPay now");
        assert!(codes(&m).contains(&"malformed-headers"));
        assert!(m.body().starts_with("Dear customer: your order is held"));
    }

    #[test]
    fn from_line_with_several_entries_keeps_name_and_address() {
        let m = parse(
            "From: Voucher Team, <service@shop-mail.example.>, Voucher Team,\n <service@shop-mail.example>\nSubject: Voucher\n\nClaim it.\n",
        );
        let e = m.email.as_ref().unwrap();
        let from = e.from.as_ref().unwrap();
        assert_eq!(from.name.as_deref(), Some("Voucher Team"));
        assert_eq!(from.address, "service@shop-mail.example.");
        assert_eq!(e.from_entries, 4);
        let one = parse("From: \"Smith, Anna\" <anna@example.org>\nSubject: Hi\n\nHello.\n");
        assert_eq!(one.email.as_ref().unwrap().from_entries, 1);
    }

    #[test]
    fn from_without_an_address_and_relayed_mail() {
        let m = parse(
            "Received: from a.example by b.example; Mon, 3 Nov 2025 10:00:00 +0000\nFrom: \"Facebook\" <>\nSubject: Hi\n\nHello.\n",
        );
        let e = m.email.as_ref().unwrap();
        assert!(e.from.is_none());
        assert!(e.relayed);
        assert_eq!(m.sender.as_ref().unwrap().value, "Facebook");
        let pasted = parse("From: Facebook\nSubject: Hi\n\nHello.\n");
        assert!(!pasted.email.as_ref().unwrap().relayed);
        // mail-parser reads a quoted local part as a name; the address is kept.
        let quoted = parse("From: \"jo smith\"@example.org\nSubject: Hi\n\nHello.\n");
        let from = quoted.email.as_ref().unwrap().from.clone().unwrap();
        assert_eq!(from.address, "\"jo smith\"@example.org");
    }

    #[test]
    fn missing_blank_line_before_the_first_boundary_is_repaired() {
        let raw = "From: Shop <orders@example.com>\nSubject: Shipped\nMIME-Version: 1.0\nContent-Type: multipart/alternative;\n\tboundary=\"----=_b1\"\n------=_b1\nContent-Type: text/plain; charset=utf-8\n\nPlain part.\n------=_b1\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n<p>See <a href=3D\"https://www.example.com/track\">tracking</a>, caf=C3=A9.</p>\n------=_b1--\n";
        let m = parse(raw);
        assert!(m.text.contains("café"), "{}", m.text);
        assert!(!m.text.contains("=3D"), "{}", m.text);
        assert!(!m.text.contains("Content-Type"), "{}", m.text);
        assert_eq!(blank_line_before_boundary(b"From: a@b.c\n\nbody"), None);
    }

    #[test]
    fn broken_boundary_still_gives_text() {
        let raw = "From: Amazon <a@amaz0n.example>\nSubject: Broken\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"never-used\"\n\nThe boundary never appears. Verify at http://amaz0n.example now.\n";
        let m = parse(raw);
        assert_eq!(m.sender.as_ref().unwrap().value, "a@amaz0n.example");
        assert_eq!(
            m.body(),
            "The boundary never appears. Verify at http://amaz0n.example now."
        );
        assert!(m.attachments.is_empty());
        assert!(codes(&m).contains(&"malformed-mime"));
    }

    #[test]
    fn unknown_charset_is_noted() {
        let mut raw = b"From: Amazon <a@amaz0n.example>\nSubject: Charset\nContent-Type: text/plain; charset=x-made-up\nContent-Transfer-Encoding: 8bit\n\nCaf\xE9 cr\xE8me gift card\n".to_vec();
        let m = parse_email(&raw).unwrap();
        assert_spans_valid(&m);
        assert!(codes(&m).contains(&"bad-charset"), "{:?}", m.notes);
        assert!(m.body().contains("gift card"));
        raw.truncate(0);
        assert_eq!(parse_email(&raw), Err(Error::Empty));
        assert_eq!(parse_email(b" \r\n\t"), Err(Error::Empty));
    }

    #[test]
    fn no_body_and_name_only_sender() {
        let m = parse("From: Amazon Support\nSubject: hi\n");
        assert!(codes(&m).contains(&"no-body"));
        let s = m.sender.as_ref().unwrap();
        assert_eq!(s.kind, SenderKind::Name);
        assert_eq!(slice(&m, s.span), "Amazon Support");
        assert!(m.email.as_ref().unwrap().from.is_none());
    }

    #[test]
    fn mbox_postmark_is_skipped() {
        let m = parse(
            "From MAILER-DAEMON Thu Jan  1 00:00:00 2024\nFrom: a@b.example\nSubject: x\n\nbody",
        );
        assert_eq!(m.sender.as_ref().unwrap().value, "a@b.example");
        assert_eq!(m.body(), "body");
    }

    #[test]
    fn text_starting_with_from_is_kept() {
        let m = parse("From the Amazon team, your refund is ready.\nCall 1-888-555-0100.");
        assert_eq!(
            m.body(),
            "From the Amazon team, your refund is ready.\nCall 1-888-555-0100."
        );
    }

    #[test]
    fn too_large() {
        let raw = vec![b'a'; MAX_INPUT_BYTES + 1];
        assert!(matches!(parse_email(&raw), Err(Error::TooLarge { .. })));
    }

    #[test]
    fn many_parts_are_capped() {
        let mut raw = "From: a@b.example\nSubject: parts\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"p\"\n\n".to_string();
        for i in 0..(MAX_PARTS + 10) {
            raw.push_str(&format!(
                "--p\nContent-Type: application/octet-stream; name=\"f{i}.bin\"\n\nx\n"
            ));
        }
        raw.push_str("--p--\n");
        let m = parse(&raw);
        assert!(codes(&m).contains(&"parts-skipped"));
        assert!(m.attachments.len() < MAX_PARTS);
    }

    #[test]
    fn deep_message_nesting_does_not_overflow() {
        let raw = "Content-Type: message/rfc822\n\n".repeat(800_000) + "From: a@b.example\n\nx";
        let m = parse_email(raw.as_bytes()).unwrap();
        assert!(codes(&m).contains(&"parts-skipped"));
        let raw = format!(
            "From: {}a@b.example\nSubject: {}\n\nx",
            "(".repeat(500_000),
            "=?".repeat(500_000)
        );
        let _ = parse_email(raw.as_bytes()).unwrap();
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn never_panics_on_bytes(raw in proptest::collection::vec(any::<u8>(), 0..2048)) {
            if let Ok(m) = parse_email(&raw) {
                prop_assert!(check_spans(&m).is_ok(), "{:?}", check_spans(&m));
            }
        }

        #[test]
        fn never_panics_on_mail_like_input(
            headers in proptest::collection::vec(
                prop_oneof![
                    Just("From: \"Amazon\" <a@b.example>".to_string()),
                    Just("From: =?utf-8?B?QW1hem9u?= <x@y.z>".to_string()),
                    Just("Reply-To: r@s.example".to_string()),
                    Just("Subject: Fwd: =?utf-8?Q?caf=C3=A9?=".to_string()),
                    Just("Authentication-Results: x; spf=pass (c) a.b=\"q".to_string()),
                    Just("Content-Type: multipart/mixed; boundary=b".to_string()),
                    Just("Content-Type: message/rfc822".to_string()),
                    Just("Content-Type: text/html; charset=x-bad".to_string()),
                    Just("Content-Transfer-Encoding: base64".to_string()),
                    Just("Content-Transfer-Encoding: quoted-printable".to_string()),
                    "[A-Za-z-]{1,12}: [ -~é]{0,30}",
                ],
                0..8,
            ),
            body in proptest::collection::vec(
                prop_oneof![
                    Just("--b".to_string()), Just("--b--".to_string()),
                    Just("Content-Type: text/html".to_string()), Just(String::new()),
                    Just("---------- Forwarded message ---------".to_string()),
                    Just("From: Amazon <a@amaz0n.example>".to_string()), Just("Date: today".to_string()),
                    Just("<a href='x'>é</a>".to_string()), Just("=C3=A9=".to_string()),
                    "[ -~éñ€]{0,40}",
                ],
                0..16,
            ),
        ) {
            let raw = format!("{}\n\n{}", headers.join("\n"), body.join("\n"));
            if let Ok(m) = parse_email(raw.as_bytes()) {
                prop_assert!(check_spans(&m).is_ok(), "{:?}", check_spans(&m));
            }
        }
    }
}
