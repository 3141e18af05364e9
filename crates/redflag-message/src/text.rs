//! Text messages: SMS, chat and call transcripts.

use crate::{
    Channel, Error, MAX_INPUT_BYTES, MAX_TEXT_BYTES, Message, ParseNote, SectionKind, Sender,
    SenderKind, TextBuilder,
};

/// A plain-text message and what is known about it.
#[derive(Debug, Clone, Copy)]
pub struct TextInput<'a> {
    /// `Sms`, `Chat` or `Call` (an `Email` here is treated as a pasted email body).
    pub channel: Channel,
    /// The message or transcript text.
    pub text: &'a str,
    /// Sender: phone number, short code, email address or name.
    pub sender: Option<&'a str>,
    /// Subject, when the text is a pasted email body.
    pub subject: Option<&'a str>,
}

/// Builds a [`Message`] from a text message, chat message or call transcript.
///
/// The display text is `From: <sender>` (or `Caller: <number>` for calls), then a blank line,
/// then the text. Fails only on empty or over-size text.
pub fn parse_text_message(input: TextInput<'_>) -> Result<Message, Error> {
    if input.text.trim().is_empty() {
        return Err(Error::Empty);
    }
    if input.text.len() > MAX_INPUT_BYTES {
        return Err(Error::TooLarge {
            size: input.text.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    let mut notes = Vec::new();
    let mut b = TextBuilder::new();
    let sender = input
        .sender
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let label = if input.channel == Channel::Call {
                "Caller"
            } else {
                "From"
            };
            let span = b.header(label, SectionKind::From, s);
            let (kind, value) = classify_sender(s);
            Sender {
                kind,
                value,
                display_name: None,
                span,
            }
        });
    if let Some(subject) = input.subject.map(str::trim).filter(|s| !s.is_empty()) {
        b.header("Subject", SectionKind::Subject, subject);
    }
    let body = normalise_newlines(input.text.trim_matches(|c: char| c.is_whitespace()));
    let body = truncate(&body, MAX_TEXT_BYTES, &mut notes);
    b.body(body);
    let (text, sections, header_notes) = b.finish();
    notes.extend(header_notes);
    // A pasted email's sender (`"PayPal" <service@pp-help.example>`) is read as its From
    // line would be, so the sender rules judge it the same way. (The text model keeps
    // reading the sender as before: the shipped model was trained that way.)
    let from = match (&sender, input.sender) {
        (Some(s), Some(raw)) if input.channel == Channel::Email && s.kind == SenderKind::Email => {
            let (name, address) = crate::forward::split_address(raw);
            address.map(|a| crate::Mailbox {
                name,
                address: a.to_ascii_lowercase(),
                span: s.span,
            })
        }
        _ => None,
    };
    let email = (input.channel == Channel::Email).then(|| crate::EmailMeta {
        subject: input.subject.map(|s| s.trim().to_string()),
        from_entries: usize::from(from.is_some()),
        from,
        ..Default::default()
    });
    Ok(Message {
        channel: input.channel,
        text,
        sections,
        sender,
        email,
        links: Vec::new(),
        attachments: Vec::new(),
        notes,
    })
}

/// Works out what a sender string is: an email address, a phone number, a short code or a
/// name.
pub fn classify_sender(s: &str) -> (SenderKind, String) {
    let s = s.trim();
    if let Some(addr) = email_in(s) {
        return (SenderKind::Email, addr);
    }
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    let phone_like = s
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    if phone_like && (3..=8).contains(&digits.len()) {
        return (SenderKind::ShortCode, digits);
    }
    if phone_like && digits.len() >= 9 {
        let plus = if s.starts_with('+') { "+" } else { "" };
        return (SenderKind::Phone, format!("{plus}{digits}"));
    }
    (SenderKind::Name, s.to_string())
}

/// The address in `Name <addr>` or a bare `addr`, lowercased.
fn email_in(s: &str) -> Option<String> {
    let inner = match (s.rfind('<'), s.rfind('>')) {
        (Some(a), Some(b)) if a < b => &s[a + 1..b],
        _ => s,
    };
    let inner = inner.trim();
    let at = inner.find('@')?;
    (at > 0 && at + 1 < inner.len() && !inner.contains(char::is_whitespace))
        .then(|| inner.to_ascii_lowercase())
}

/// Turns CRLF and lone CR into LF.
pub(crate) fn normalise_newlines(s: &str) -> String {
    // Most texts have no carriage return: one vectorised search, not two replacements
    // that look for `\r\n` and `\r` (8,000 instructions an email).
    if memchr::memchr(b'\r', s.as_bytes()).is_none() {
        return s.to_string();
    }
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// Cuts `s` to at most `max` bytes on a char boundary, with a note when it cut.
pub(crate) fn truncate<'a>(s: &'a str, max: usize, notes: &mut Vec<ParseNote>) -> &'a str {
    truncate_from(s, s.len(), max, notes)
}

/// [`truncate`] of a text that was itself copied from a longer one of `total` bytes (what
/// the note reports).
pub(crate) fn truncate_from<'a>(
    s: &'a str,
    total: usize,
    max: usize,
    notes: &mut Vec<ParseNote>,
) -> &'a str {
    if s.len() <= max {
        return s;
    }
    let end = s.floor_char_boundary(max);
    notes.push(ParseNote::new(
        "truncated",
        format!(
            "The text is {} bytes long; only the first {} bytes were checked.",
            total.max(s.len()),
            end
        ),
    ));
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carriage_returns_become_line_feeds() {
        assert_eq!(normalise_newlines("a\r\nb\rc\n\r\nd\r"), "a\nb\nc\n\nd\n");
        assert_eq!(normalise_newlines("\r\r\n"), "\n\n");
        // Without one the text is copied as it is.
        assert_eq!(normalise_newlines("a\nb é\u{2028}"), "a\nb é\u{2028}");
        assert_eq!(normalise_newlines(""), "");
    }

    fn sms(text: &str, sender: Option<&str>) -> Message {
        parse_text_message(TextInput {
            channel: Channel::Sms,
            text,
            sender,
            subject: None,
        })
        .unwrap()
    }

    #[test]
    fn sender_kinds() {
        assert_eq!(classify_sender("262966").0, SenderKind::ShortCode);
        assert_eq!(
            classify_sender("+1 (888) 555-0199"),
            (SenderKind::Phone, "+18885550199".into())
        );
        assert_eq!(
            classify_sender("Amazon <Help@Amaz0n.co>"),
            (SenderKind::Email, "help@amaz0n.co".into())
        );
        assert_eq!(classify_sender("Amazon Support").0, SenderKind::Name);
    }

    #[test]
    fn display_text_and_spans() {
        let m = sms(
            "Your package is held.\r\nReply now",
            Some("+1 555 010 0199"),
        );
        assert_eq!(
            m.text,
            "From: +1 555 010 0199\n\nYour package is held.\nReply now"
        );
        let s = m.sender.as_ref().unwrap();
        assert_eq!(&m.text[s.span.range()], "+1 555 010 0199");
        assert_eq!(m.body(), "Your package is held.\nReply now");
    }

    #[test]
    fn a_pasted_emails_sender_is_its_from_mailbox() {
        let m = parse_text_message(TextInput {
            channel: Channel::Email,
            text: "Your parcel is waiting.",
            sender: Some("\"DHL Express\" <Track@Parcel-Desk.example>"),
            subject: Some("Parcel"),
        })
        .unwrap();
        let from = m.email.as_ref().unwrap().from.clone().unwrap();
        assert_eq!(from.name.as_deref(), Some("DHL Express"));
        assert_eq!(from.address, "track@parcel-desk.example");
        assert_eq!(
            &m.text[from.span.range()],
            "\"DHL Express\" <Track@Parcel-Desk.example>"
        );
        // A name alone gives no mailbox, and a text's sender never does.
        let named = parse_text_message(TextInput {
            channel: Channel::Email,
            text: "Hello.",
            sender: Some("DHL Express"),
            subject: None,
        })
        .unwrap();
        assert!(named.email.as_ref().unwrap().from.is_none());
        assert!(sms("Hello.", Some("a@b.example")).email.is_none());
    }

    #[test]
    fn empty_is_an_error() {
        let r = parse_text_message(TextInput {
            channel: Channel::Call,
            text: "  \n ",
            sender: None,
            subject: None,
        });
        assert_eq!(r, Err(Error::Empty));
    }

    #[test]
    fn no_sender_means_body_only() {
        let m = sms("hello", None);
        assert_eq!(m.text, "hello");
        assert_eq!(m.body_span(), crate::Span::new(0, 5));
    }
}
