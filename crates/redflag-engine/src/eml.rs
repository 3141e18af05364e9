//! Reports that go by email, as ready-to-send `.eml` drafts: to the brand (Amazon's
//! stop-spoofing address) and to the local hotline, with the original email attached as a
//! `message/rfc822` part so its headers travel with it.
//!
//! The MIME is written here by hand, for a small and fixed shape: CRLF line ends, a
//! `text/plain` UTF-8 body (7bit when it can be, else quoted-printable), header words
//! encoded per RFC 2047 when they are not ASCII, and a boundary that appears nowhere in the
//! content. `X-Unsent: 1` makes mail programs open the file as a draft to send. There is
//! no `From`, `Date` or `Message-ID`: the person's mail program adds them when it sends,
//! and leaving them out keeps this module free of clocks and randomness.

use crate::outbound::{channel_word, summary};
use crate::report::Report;
use base64::Engine as _;
use redflag_message::{Channel, Message};
use redflag_profile::Profile;
use std::fmt::Write as _;

/// Where an emailed report goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftTo {
    /// The brand's report address (Amazon: stop-spoofing@amazon.com).
    Brand,
    /// The local fraud hotline, when it has an email address.
    Hotline,
}

/// An email ready to send, as the person would send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailDraft {
    /// The recipient's address.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The text of the email.
    pub body: String,
    /// The original email, attached as `message/rfc822`.
    pub attachment: Option<Vec<u8>>,
}

/// The name given to the attached original.
pub const ATTACHMENT_NAME: &str = "original-message.eml";

/// The report to `to` as an email draft. `original` is the raw email that was checked, if
/// the message was an email: it is attached rather than quoted. `None` when the
/// destination takes no email (a hotline with only a phone number).
pub fn email_draft(
    profile: &Profile,
    msg: &Message,
    report: &Report,
    to: DraftTo,
    original: Option<&[u8]>,
) -> Option<EmailDraft> {
    let brand = &profile.brand;
    let facts = summary(profile, msg, report);
    let what = channel_word(msg.channel);
    let attached = original.filter(|_| msg.channel == Channel::Email);
    let (address, subject, intro) = match to {
        DraftTo::Brand => {
            let intro = if attached.is_some() {
                format!(
                    "I received the attached email, which pretends to come from {}. I am forwarding it as an attachment so that you have its full headers.",
                    brand.name
                )
            } else {
                format!(
                    "I received a {what} from someone pretending to be {}. There is no email to forward, so the message is quoted below. (I understand that texts and calls can also be reported at {}.)",
                    brand.name, brand.report.web
                )
            };
            (
                brand.report.email.clone(),
                format!("Suspicious {what} pretending to be {}", brand.name),
                intro,
            )
        }
        DraftTo::Hotline => {
            let address = profile.reports.hotline.email.clone()?;
            let mut intro = format!(
                "I would like to report a {what} from someone pretending to be {}.",
                brand.name
            );
            if attached.is_some() {
                intro.push_str(" The email is attached, with its full headers.");
            }
            (
                address,
                format!("Scam report: {what} pretending to be {}", brand.name),
                intro,
            )
        }
    };
    let mut body = format!("Hello,\n\n{intro}\n\n{facts}");
    if to == DraftTo::Hotline {
        body.push_str("\nMy name:\nA phone number where you can reach me:\n");
    }
    Some(EmailDraft {
        to: address,
        subject,
        body,
        attachment: attached.map(<[u8]>::to_vec),
    })
}

impl EmailDraft {
    /// The draft as an `.eml` file (RFC 5322 with MIME, CRLF line ends).
    pub fn to_eml(&self) -> Vec<u8> {
        let mut out = Vec::new();
        push_header(&mut out, "To", &header_text(&self.to));
        push_header(
            &mut out,
            "Subject",
            &encode_words(&header_text(&self.subject)),
        );
        out.extend_from_slice(b"MIME-Version: 1.0\r\nX-Unsent: 1\r\n");
        let (cte, body) = encode_body(&self.body);
        match &self.attachment {
            None => {
                out.extend_from_slice(b"Content-Type: text/plain; charset=utf-8\r\n");
                push_str(
                    &mut out,
                    &format!("Content-Transfer-Encoding: {cte}\r\n\r\n"),
                );
                out.extend_from_slice(body.as_bytes());
                if !body.ends_with("\r\n") {
                    out.extend_from_slice(b"\r\n");
                }
            }
            Some(raw) => {
                let attached = crlf(raw);
                let boundary = boundary(&[body.as_bytes(), &attached]);
                push_str(
                    &mut out,
                    &format!(
                        "Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n\
                         This is a message in MIME format.\r\n\
                         --{boundary}\r\n\
                         Content-Type: text/plain; charset=utf-8\r\n\
                         Content-Transfer-Encoding: {cte}\r\n\r\n"
                    ),
                );
                out.extend_from_slice(body.as_bytes());
                push_str(
                    &mut out,
                    &format!(
                        "\r\n--{boundary}\r\n\
                         Content-Type: message/rfc822\r\n\
                         Content-Disposition: attachment; filename=\"{ATTACHMENT_NAME}\"\r\n\
                         Content-Transfer-Encoding: {}\r\n\r\n",
                        raw_encoding(&attached)
                    ),
                );
                out.extend_from_slice(&attached);
                push_str(&mut out, &format!("\r\n--{boundary}--\r\n"));
            }
        }
        out
    }
}

fn push_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(s.as_bytes());
}

fn push_header(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value.as_bytes());
    out.extend_from_slice(b"\r\n");
}

/// A header value on one line: control characters (CR and LF above all, which would let a
/// value add headers) become spaces.
fn header_text(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// ASCII stays as is; anything else becomes RFC 2047 `B` encoded words, folded onto
/// continuation lines that stay within 76 characters.
fn encode_words(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    // 39 bytes give 52 base64 characters: with `=?UTF-8?B?` and `?=`, 64 in all, which
    // leaves room for the header name on the first line.
    let mut words = Vec::new();
    let mut start = 0;
    while start < s.len() {
        let mut end = (start + 39).min(s.len());
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        let b64 = base64::engine::general_purpose::STANDARD.encode(&s.as_bytes()[start..end]);
        words.push(format!("=?UTF-8?B?{b64}?="));
        start = end;
    }
    words.join("\r\n ")
}

/// The body with CRLF line ends: `7bit` when it is short-lined ASCII, else
/// quoted-printable.
fn encode_body(text: &str) -> (&'static str, String) {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let plain = lines
        .iter()
        .all(|l| l.len() <= 998 && l.bytes().all(|b| b == b'\t' || (32..127).contains(&b)));
    if plain {
        return ("7bit", lines.join("\r\n"));
    }
    let mut out = String::with_capacity(text.len() * 11 / 10);
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str("\r\n");
        }
        let bytes = line.as_bytes();
        let mut col = 0;
        for (j, &b) in bytes.iter().enumerate() {
            let last = j + 1 == bytes.len();
            let literal = match b {
                b' ' | b'\t' => !last,
                b'=' => false,
                33..=126 => true,
                _ => false,
            };
            let width = if literal { 1 } else { 3 };
            // Lines stay within 76 characters, the `=` of a soft break included.
            if col + width > 75 {
                out.push_str("=\r\n");
                col = 0;
            }
            if literal {
                out.push(b as char);
            } else {
                let _ = write!(out, "={b:02X}");
            }
            col += width;
        }
    }
    ("quoted-printable", out)
}

/// The bytes with every line end made CRLF.
fn crlf(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 40);
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'\r' => {
                out.extend_from_slice(b"\r\n");
                if raw.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            b'\n' => out.extend_from_slice(b"\r\n"),
            b => out.push(b),
        }
        i += 1;
    }
    out
}

/// `7bit`, `8bit` or `binary`: the only encodings a `message/rfc822` part may declare.
fn raw_encoding(raw: &[u8]) -> &'static str {
    let long_lines = raw.split(|&b| b == b'\n').any(|l| l.len() > 999);
    if long_lines || raw.contains(&0) {
        "binary"
    } else if raw.is_ascii() {
        "7bit"
    } else {
        "8bit"
    }
}

/// A boundary that appears in none of the parts: derived from their content, so the same
/// draft always gives the same file.
fn boundary(parts: &[&[u8]]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for &b in *p {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    let mut n = 0u32;
    loop {
        let b = format!("redflag=_{hash:016x}_{n}");
        if !parts
            .iter()
            .any(|p| p.windows(b.len()).any(|w| w == b.as_bytes()))
        {
            return b;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mail_parser::{MessageParser, MimeHeaders, PartType};

    const ORIGINAL: &[u8] = b"From: \"Amazon\" <alert@amaz0n-security.example>\nTo: you@example.org\nSubject: Your account is locked\nContent-Type: text/plain; charset=utf-8\n\nVerify now at http://amaz0n-security.example/login \xe2\x80\x94 or lose it.\n";

    fn draft(body: &str, attachment: Option<&[u8]>) -> EmailDraft {
        EmailDraft {
            to: "stop-spoofing@amazon.com".into(),
            subject: "Suspicious email pretending to be Amazon".into(),
            body: body.into(),
            attachment: attachment.map(<[u8]>::to_vec),
        }
    }

    #[test]
    fn attached_original_is_a_message_rfc822_part() {
        let eml = draft("Hello,\n\nSee the attached email.\n", Some(ORIGINAL)).to_eml();
        let msg = MessageParser::default().parse(&eml).expect("parses");
        assert_eq!(
            msg.to().and_then(|a| a.first()).and_then(|a| a.address()),
            Some("stop-spoofing@amazon.com")
        );
        assert_eq!(
            msg.subject(),
            Some("Suspicious email pretending to be Amazon")
        );
        assert_eq!(
            msg.body_text(0).as_deref().map(str::trim_end),
            Some("Hello,\r\n\r\nSee the attached email.")
        );
        let att = msg.attachments().next().expect("one attachment");
        assert_eq!(
            att.content_type().map(|c| (c.ctype(), c.subtype())),
            Some(("message", Some("rfc822")))
        );
        assert!(matches!(att.body, PartType::Message(_)));
        let inner = att.message().expect("the original, parsed");
        assert_eq!(inner.subject(), Some("Your account is locked"));
        assert!(
            inner
                .body_text(0)
                .is_some_and(|b| b.contains("amaz0n-security.example/login \u{2014} or"))
        );
        assert_eq!(att.attachment_name(), Some(ATTACHMENT_NAME));
        // Every line ends in CRLF.
        assert!(!eml.windows(2).any(|w| w[1] == b'\n' && w[0] != b'\r'));
    }

    #[test]
    fn non_ascii_subject_and_body_round_trip() {
        let body = "Grüße — a line with = signs and trailing space \nand a very long line: "
            .to_string()
            + &"λ0123456789 ".repeat(40)
            + "\n=3D stays =3D\n\ttab\n";
        let mut d = draft(&body, None);
        d.subject = "Betrug: „Amazon“ Konto gesperrt — bitte prüfen ".repeat(3);
        let eml = d.to_eml();
        for line in eml.split(|&b| b == b'\n') {
            assert!(line.len() <= 78, "line of {} bytes", line.len());
            assert!(line.is_ascii());
        }
        let msg = MessageParser::default().parse(&eml).expect("parses");
        assert_eq!(msg.subject(), Some(d.subject.trim()));
        let got = msg.body_text(0).expect("body").replace("\r\n", "\n");
        assert_eq!(got.trim_end(), body.trim_end());
    }

    #[test]
    fn header_values_cannot_add_headers() {
        let mut d = draft("x", None);
        d.to = "hotline@example.org\r\nBcc: everyone@example.net".into();
        d.subject = "Hi\nBcc: x@example.net".into();
        let eml = String::from_utf8(d.to_eml()).unwrap();
        assert!(!eml.lines().any(|l| l.starts_with("Bcc")), "{eml}");
    }

    #[test]
    fn boundary_is_absent_from_the_parts() {
        let b = boundary(&[b"abc"]);
        let tricky = format!("--{b}\r\n");
        let b2 = boundary(&[tricky.as_bytes()]);
        assert!(!tricky.contains(&b2));
    }

    #[test]
    fn raw_line_ends_become_crlf() {
        assert_eq!(crlf(b"a\nb\r\nc\rd"), b"a\r\nb\r\nc\r\nd");
        assert_eq!(raw_encoding(b"abc\r\n"), "7bit");
        assert_eq!(raw_encoding("é".as_bytes()), "8bit");
        assert_eq!(raw_encoding(b"a\0b"), "binary");
    }

    fn analyzed(rel: &str, channel: Option<Channel>) -> (Vec<u8>, Message, Report) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures")
            .join(rel);
        let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let opts = crate::InputOptions {
            channel,
            sender: Some("+13055550147".into()),
            subject: None,
        };
        let msg = crate::read_input(&raw, &opts)
            .unwrap()
            .messages
            .remove(0)
            .unwrap();
        let report = crate::Engine::new(Profile::embedded())
            .analyze(&msg, &crate::AnalyzeOptions::default());
        (raw, msg, report)
    }

    #[test]
    fn brand_draft_attaches_an_email_and_quotes_a_text() {
        let profile = Profile::embedded();
        let (raw, msg, report) = analyzed("email/scam-account-locked.eml", None);
        let d = email_draft(&profile, &msg, &report, DraftTo::Brand, Some(&raw)).unwrap();
        assert_eq!(d.to, profile.brand.report.email);
        assert!(d.body.contains("attached"));
        assert_eq!(d.attachment.as_deref(), Some(raw.as_slice()));

        let (raw, msg, report) = analyzed("sms/scam-package-fee.txt", Some(Channel::Sms));
        let d = email_draft(&profile, &msg, &report, DraftTo::Brand, Some(&raw)).unwrap();
        assert_eq!(d.attachment, None, "a text is quoted, never attached");
        assert!(d.body.contains(&profile.brand.report.web));
        assert!(d.body.contains(msg.body().lines().next().unwrap()));

        let d = email_draft(&profile, &msg, &report, DraftTo::Hotline, None).unwrap();
        assert_eq!(Some(d.to), profile.reports.hotline.email.clone());
    }

    proptest::proptest! {
        #[test]
        fn any_body_round_trips(body in "[ -~\\t\\n\u{a0}-\u{2fff}=]{0,400}") {
            let eml = draft(&body, None).to_eml();
            let msg = MessageParser::default().parse(&eml).expect("parses");
            let got = msg.body_text(0).map(|b| b.replace("\r\n", "\n")).unwrap_or_default();
            let want = body.replace("\r\n", "\n");
            proptest::prop_assert_eq!(got.trim_end(), want.trim_end());
        }
    }
}
