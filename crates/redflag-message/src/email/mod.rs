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
//!
//! Each grammar has its own module: `repair` (the raw bytes before MIME parsing), `headers`
//! (header fields and addresses), `body` (text parts, charsets, transfer encodings, inline
//! forwards), `attachments` (file parts and attached emails) and `render` (the display text).
//! This module runs them: plain text or MIME, the parser-panic guard, forwards.

mod attachments;
mod body;
mod headers;
mod render;
mod repair;

use crate::text::normalise_newlines;
use crate::{
    BodyPartKind, Error, MAX_FORWARD_DEPTH, MAX_INPUT_BYTES, MAX_PARTS, MAX_TEXT_BYTES, Message,
    ParseNote,
};
use attachments::{AttachmentInfo, attached_message, attached_messages, read_attachments};
use body::{read_body, recover_body, unwrap_inline_forwards};
use headers::{Addr, read_headers};
use mail_parser::{HeaderName, MessageParser, MessagePart};
use render::render;
use repair::{MAX_EMBEDDED_MESSAGES, blank_line_before_boundary, nesting_cut, skip_postmark};
use std::ops::Range;
use std::sync::LazyLock;

type MimeMessage<'x> = mail_parser::Message<'x>;

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

/// mail-parser panicked on the input.
struct ParserPanicked;

/// Runs mail-parser. It is written not to panic; a panic is caught anyway and the input is
/// then read as plain text with a `mime-unreadable` note (a parser bug must not take down a
/// whole mailbox scan). Builds with debug assertions meet one on purpose: mail-parser
/// 0.11's `debug_assert!(false, "Invalid part ID, could not find multipart.")` on a
/// boundary that closes an attached email's parent (found by fuzzing `mbox`).
fn parse_mime(raw: &[u8]) -> Result<Option<MimeMessage<'_>>, ParserPanicked> {
    let parser = &*PARSER;
    std::panic::catch_unwind(|| parser.parse(raw)).map_err(|_| ParserPanicked)
}

/// mail-parser, set to decode only the header fields redflag reads. By default it decodes
/// every field it knows (each `Received` line into its hops and dates, `To` and `Cc` into
/// addresses, `Date`, `Message-ID`, `References`) and copies every other one as text: over
/// the peers bench's 300 corpus emails, 183,000 instructions per email, now 88,000, for
/// values nothing here looks at. The fields not listed are skipped: each is still a header
/// of the message, under its name and in its place (so `Received` can still be tested for
/// presence), with an empty value. Not decoding dates also keeps mail-parser's date parser
/// from reading past some old `Date` lines into the next field, which lost the `From` of
/// five SpamAssassin corpus emails.
static PARSER: LazyLock<MessageParser> = LazyLock::new(|| {
    MessageParser::new()
        .default_header_ignore()
        // What the display and the rules read (`headers.rs`).
        .header_address(HeaderName::From)
        .header_address(HeaderName::ReplyTo)
        .header_id(HeaderName::ReturnPath)
        .header_text(HeaderName::Subject)
        .header_raw(HeaderName::AuthenticationResults)
        // What reading the body needs (mail-parser's `with_mime_headers`).
        .with_mime_headers()
});

/// True when at least one header is a standard one (mail-parser reads `Dear customer: ...`
/// as a header too; that alone does not make an email).
fn has_known_headers(m: &MimeMessage<'_>) -> bool {
    m.parts
        .first()
        .is_some_and(|p| p.headers.iter().any(|h| !h.name.is_other()))
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
    /// The MIME part each stretch of `body` came from, with ranges into `body`.
    parts: Vec<(BodyPartKind, Range<usize>)>,
    /// The body was read from several parts, even if only one of them added text (a
    /// plain-text alternative that says what the HTML says).
    several_parts: bool,
    html: bool,
    forwarded: bool,
    /// The headers include `Received` lines.
    relayed: bool,
    notes: Vec<ParseNote>,
}

impl Draft {
    /// Adds a body part, separated from the previous one by a blank line.
    fn append_body(&mut self, kind: BodyPartKind, text: &str, links: Vec<(String, Range<usize>)>) {
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
        self.parts.push((kind, offset..self.body.len()));
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
    d.append_body(
        BodyPartKind::PlainText,
        &normalise_newlines(&text),
        Vec::new(),
    );
    d
}

/// Reads a parsed email, or the email attached to it when it is a forward.
fn from_mime(top: &MimeMessage<'_>) -> Draft {
    let mut d = Draft::default();
    let mut m = top;
    for _ in 0..MAX_FORWARD_DEPTH {
        match attached_message(m) {
            Some(inner) => {
                let others = attached_messages(m).count() - 1;
                if others > 0 && !d.forwarded {
                    d.notes.push(ParseNote::new(
                        "parts-skipped",
                        format!(
                            "The email forwards {} emails as attachments; only the first was checked. Check each of the others on its own.",
                            others + 1
                        ),
                    ));
                }
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

/// A part by id, when within [`MAX_PARTS`].
fn part<'a, 'x>(m: &'a MimeMessage<'x>, id: u32) -> Option<&'a MessagePart<'x>> {
    let id = usize::try_from(id).ok()?;
    if id >= MAX_PARTS {
        return None;
    }
    m.parts.get(id)
}

#[cfg(test)]
mod tests {
    //! Whole emails, with the message each must give, are fixture pairs in
    //! `tests/email/` (`<name>.eml` and `<name>.expected.json`), run by
    //! `tests/email_fixtures.rs`. The cases here are short inputs, generated inputs, limits
    //! and properties.

    use super::*;
    use crate::test_util::{assert_spans_valid, check_spans};
    use crate::{SenderKind, Span};
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

    /// mail-parser's date parser reads past the end of some old `Date` lines (a time with
    /// `AM`, the zone `UT`) into the next field; redflag does not ask it for dates, so
    /// the `From` after them is read (spam of 2001 in the SpamAssassin corpus lost it).
    #[test]
    fn a_field_after_an_odd_date_is_read() {
        for date in ["27 Jun 01 3:36:25 AM", "Sat, 14 Sep 2002 06:00:48 UT"] {
            let m = parse(&format!(
                "Date: {date}\nFrom: \"Classic Novels\" <webmaster@classic-novels.example>\nTo: a@b.example\nSubject: Hi\n\nHello.\n"
            ));
            let e = m.email.as_ref().unwrap();
            let from = e.from.as_ref().expect("the From after the Date");
            assert_eq!(from.address, "webmaster@classic-novels.example", "{date}");
            assert_eq!(m.body(), "Hello.");
        }
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
