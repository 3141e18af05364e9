//! The message model shared by every crate.

use serde::{Deserialize, Serialize};
use std::ops::Range;

/// How the message reached the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// An email.
    Email,
    /// An SMS or other text message.
    Sms,
    /// A chat message (Facebook Messenger and similar).
    Chat,
    /// A phone call or voicemail, as a transcript.
    Call,
    /// A web page or pop-up seen on a screen (read from a screenshot).
    Screen,
}

impl Channel {
    /// All channels, in a stable order.
    pub const ALL: [Channel; 5] = [
        Channel::Email,
        Channel::Sms,
        Channel::Chat,
        Channel::Call,
        Channel::Screen,
    ];

    /// The lowercase name used on the command line and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Chat => "chat",
            Channel::Call => "call",
            Channel::Screen => "screen",
        }
    }

    /// Parses a channel name (`email`, `sms`/`text`, `chat`/`messenger`, `call`/`voicemail`).
    pub fn parse(s: &str) -> Option<Channel> {
        match s.trim().to_ascii_lowercase().as_str() {
            "email" | "mail" | "eml" => Some(Channel::Email),
            "sms" | "text" | "mms" => Some(Channel::Sms),
            "chat" | "messenger" | "facebook" => Some(Channel::Chat),
            "call" | "voicemail" | "phone" | "transcript" => Some(Channel::Call),
            "screen" | "popup" | "pop-up" | "page" | "web" => Some(Channel::Screen),
            _ => None,
        }
    }
}

/// A byte range into [`Message::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from a range.
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end);
        Span { start, end }
    }

    /// The span as a range, for slicing.
    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no bytes.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// True when `other` lies inside this span.
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Span {
        Span::new(r.start, r.end)
    }
}

/// What part of the display text a [`Section`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionKind {
    /// `From:` line (email sender, SMS sender, chat sender, caller number). The span covers
    /// the value only, not the label.
    From,
    /// `Reply-To:` value.
    ReplyTo,
    /// `Return-Path:` value.
    ReturnPath,
    /// `Authentication-Results:` value (one section per header).
    AuthResults,
    /// `Subject:` value.
    Subject,
    /// The body text (plain text, or HTML rendered to text).
    Body,
    /// One `Attachment:` line's value (`name (type, size)`).
    Attachment,
}

/// A labelled region of [`Message::text`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// What the region holds.
    pub kind: SectionKind,
    /// Where it is.
    pub span: Span,
}

/// What kind of identity a sender is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SenderKind {
    /// An email address.
    Email,
    /// A phone number (10 or more digits).
    Phone,
    /// An SMS short code (3 to 8 digits).
    ShortCode,
    /// A name only (chat display name, caller ID name).
    Name,
}

/// Who the message says it is from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sender {
    /// Email address, phone number, short code or name.
    pub kind: SenderKind,
    /// The address or number as given (for email: the address only, lowercased).
    pub value: String,
    /// The display name, when there is one (`Amazon` in `Amazon <x@y.com>`).
    pub display_name: Option<String>,
    /// Span of the whole `From` value in [`Message::text`].
    pub span: Span,
}

/// A mailbox from an address header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mailbox {
    /// Display name, if any.
    pub name: Option<String>,
    /// Address, lowercased.
    pub address: String,
    /// Span of this header's value in [`Message::text`].
    pub span: Span,
}

/// One `Authentication-Results` header (RFC 8601), as far as redflag needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthResults {
    /// The authserv-id (the receiving server that wrote the header).
    pub authserv_id: String,
    /// Each method result, in order.
    pub results: Vec<AuthResult>,
    /// Span of the header value in [`Message::text`].
    pub span: Span,
}

/// One method result inside an `Authentication-Results` header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthResult {
    /// `spf`, `dkim`, `dmarc`, `arc`, ... (lowercase).
    pub method: String,
    /// `pass`, `fail`, `softfail`, `none`, `neutral`, `temperror`, `permerror`, ... (lowercase).
    pub result: String,
    /// Properties like `header.from`, `header.d`, `header.i`, `smtp.mailfrom` (keys lowercase).
    pub props: Vec<(String, String)>,
}

/// The email-only parts of a message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailMeta {
    /// The `From` mailbox.
    pub from: Option<Mailbox>,
    /// `Reply-To` mailboxes.
    pub reply_to: Vec<Mailbox>,
    /// The `Return-Path` address (lowercased, without angle brackets).
    pub return_path: Option<Mailbox>,
    /// Parsed `Authentication-Results` headers, topmost first.
    pub auth_results: Vec<AuthResults>,
    /// The decoded subject.
    pub subject: Option<String>,
    /// True when the body came from an HTML part.
    pub html: bool,
    /// True when the analysed message was found inside a forward (message/rfc822 part or an
    /// inline "Forwarded message" block); the headers above are then the inner message's.
    pub forwarded: bool,
    /// How many entries the `From` header lists (names and addresses). Real mail has one;
    /// `From: Gift Team, <a@b.example>, Gift Team` is typed to show a name.
    #[serde(default)]
    pub from_entries: usize,
    /// True when the email's own headers (not an inline forward's) show it went through
    /// mail servers (`Received` lines): its From line was written by the sending program,
    /// not typed by the person who pasted it.
    #[serde(default)]
    pub relayed: bool,
    /// The MIME parts the body was read from, in body order, when it was read from more
    /// than one (an HTML part and its plain-text alternative, several inline text parts).
    /// A plain-text alternative is listed when it adds lines the HTML does not have. Empty
    /// when the body is one part.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub body_parts: Vec<BodyPart>,
}

/// What kind of MIME part a stretch of an email's body came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BodyPartKind {
    /// An HTML part, rendered to text.
    Html,
    /// A plain-text part that is the body (no HTML version) or shown inline next to others.
    PlainText,
    /// The plain-text alternative of an HTML email (`multipart/alternative`): only the lines
    /// that the HTML version does not show, since the rest would be read twice. Mail clients
    /// show this version when they do not show HTML, and filters often read only one of the
    /// two, which is why scammers put a different text in each.
    PlainTextAlternative,
}

impl BodyPartKind {
    /// A stable lowercase name (`html`, `plain-text`, `plain-text-alternative`).
    pub fn as_str(self) -> &'static str {
        match self {
            BodyPartKind::Html => "html",
            BodyPartKind::PlainText => "plain-text",
            BodyPartKind::PlainTextAlternative => "plain-text-alternative",
        }
    }
}

/// A stretch of an email's body and the MIME part it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyPart {
    /// What kind of part.
    pub kind: BodyPartKind,
    /// Where its text is in [`Message::text`] (inside the body).
    pub span: Span,
}

/// A link found in HTML: where it goes and what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HtmlLink {
    /// The `href` as written (entity-decoded, trimmed).
    pub href: String,
    /// Span of the link's visible text in [`Message::text`] (empty for image-only links; then
    /// it sits where the link was).
    pub span: Span,
}

/// An email attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// File name as given (may be empty).
    pub name: String,
    /// Declared MIME type, lowercase (`application/pdf`).
    pub declared_type: String,
    /// What the first bytes say the file really is (`pdf`, `zip`, `html`, `exe`, `ole`
    /// (old Office), `ooxml` (zip-based Office), `rar`, `7z`, `gzip`, `iso`, `image`,
    /// `text`, `unknown`).
    pub sniffed_type: String,
    /// Size in bytes after transfer decoding.
    pub size: usize,
    /// Span of this attachment's line value in [`Message::text`].
    pub span: Span,
}

/// Something the parser could not read, or did on purpose; shown to the person as a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseNote {
    /// Stable machine code (`truncated`, `bad-charset`, `no-body`, `malformed-headers`,
    /// `forwarded`, `parts-skipped`, ...).
    pub code: String,
    /// A plain-language sentence.
    pub message: String,
}

impl ParseNote {
    /// A note from a code and a sentence.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> ParseNote {
        ParseNote {
            code: code.into(),
            message: message.into(),
        }
    }
}

/// The code of the note on a message whose text was read from an image by text recognition.
pub const NOTE_READ_FROM_IMAGE: &str = "read-from-image";

/// One message from any channel, ready for extraction and rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// How it arrived.
    pub channel: Channel,
    /// The display text: header-like lines (`From: ...`, `Subject: ...`), a blank line, then
    /// the body. Every span in redflag points into this string.
    pub text: String,
    /// Labelled regions of `text`, in text order.
    pub sections: Vec<Section>,
    /// Who the message says it is from.
    pub sender: Option<Sender>,
    /// Email headers and flags (emails only).
    pub email: Option<EmailMeta>,
    /// Links from HTML bodies, with their visible text.
    pub links: Vec<HtmlLink>,
    /// Attachments (emails only).
    pub attachments: Vec<Attachment>,
    /// What could not be read.
    pub notes: Vec<ParseNote>,
}

impl Message {
    /// The first section of a kind.
    pub fn section(&self, kind: SectionKind) -> Option<&Section> {
        self.sections.iter().find(|s| s.kind == kind)
    }

    /// The span of the body (an empty span at the end when there is none).
    pub fn body_span(&self) -> Span {
        self.section(SectionKind::Body)
            .map(|s| s.span)
            .unwrap_or(Span::new(self.text.len(), self.text.len()))
    }

    /// The body text.
    pub fn body(&self) -> &str {
        &self.text[self.body_span().range()]
    }

    /// The subject text, if any.
    pub fn subject(&self) -> Option<&str> {
        self.section(SectionKind::Subject)
            .map(|s| &self.text[s.span.range()])
    }

    /// The span covering what the sender wrote: subject and body (from the subject's start,
    /// or the body's start when there is no subject, to the end of the body).
    pub fn content_span(&self) -> Span {
        let body = self.body_span();
        match self.section(SectionKind::Subject) {
            Some(s) if s.span.start <= body.start => Span::new(s.span.start, body.end),
            _ => body,
        }
    }

    /// The MIME part of an email's body that a byte offset falls in, when the body was read
    /// from more than one part.
    pub fn body_part_at(&self, offset: usize) -> Option<BodyPartKind> {
        self.email
            .as_ref()?
            .body_parts
            .iter()
            .find(|p| p.span.start <= offset && offset < p.span.end)
            .map(|p| p.kind)
    }

    /// The kind of section a byte offset falls in, if any.
    pub fn section_at(&self, offset: usize) -> Option<SectionKind> {
        self.sections
            .iter()
            .find(|s| s.span.start <= offset && offset < s.span.end)
            .map(|s| s.kind)
    }
}

/// Builds a [`Message`] text line by line, recording sections.
#[derive(Debug, Default)]
pub struct TextBuilder {
    text: String,
    sections: Vec<Section>,
    notes: Vec<ParseNote>,
}

/// Longest header value kept in the text, in bytes (a real Subject or From is far shorter;
/// Authentication-Results values run to about 1 KiB).
pub const MAX_HEADER_VALUE_BYTES: usize = 4 * 1024;

/// Most bytes of header lines kept in all, so that many long headers cannot outgrow the body.
pub const MAX_HEADER_TEXT_BYTES: usize = 64 * 1024;

impl TextBuilder {
    /// An empty builder.
    pub fn new() -> TextBuilder {
        TextBuilder::default()
    }

    /// Adds a `Label: value` line and records the value as a section; returns its span.
    /// Line breaks inside `value` become spaces. A value over [`MAX_HEADER_VALUE_BYTES`], or
    /// past [`MAX_HEADER_TEXT_BYTES`] of header lines in all, is cut with a `truncated` note.
    pub fn header(&mut self, label: &str, kind: SectionKind, value: &str) -> Span {
        let budget = MAX_HEADER_TEXT_BYTES.saturating_sub(self.text.len());
        let limit = MAX_HEADER_VALUE_BYTES.min(budget);
        let kept = if value.len() > limit {
            let end = value.floor_char_boundary(limit);
            self.notes.push(ParseNote::new(
                "truncated",
                format!(
                    "The {label} header is {} bytes long; only the first {end} bytes were read.",
                    value.len()
                ),
            ));
            &value[..end]
        } else {
            value
        };
        self.text.push_str(label);
        self.text.push_str(": ");
        let start = self.text.len();
        for c in kept.chars() {
            self.text.push(if c == '\r' || c == '\n' { ' ' } else { c });
        }
        let span = Span::new(start, self.text.len());
        self.text.push('\n');
        self.sections.push(Section { kind, span });
        span
    }

    /// Adds the body after a blank line (when headers came before) and returns its span.
    /// Call it last, once.
    pub fn body(&mut self, body: &str) -> Span {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        let start = self.text.len();
        self.text.push_str(body);
        let span = Span::new(start, self.text.len());
        self.sections.push(Section {
            kind: SectionKind::Body,
            span,
        });
        span
    }

    /// The current length of the text (where the next byte will go).
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// True when nothing was added.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The finished text and sections, and the notes of any header value cut short.
    pub fn finish(self) -> (String, Vec<Section>, Vec<ParseNote>) {
        (self.text, self.sections, self.notes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A header value over the cap is cut on a char boundary, with a `truncated` note.
    #[test]
    fn long_header_values_are_cut_with_a_note() {
        let mut b = TextBuilder::new();
        b.header("From", SectionKind::From, "Amazon <a@b.example>");
        let long = "é".repeat(MAX_HEADER_VALUE_BYTES);
        let span = b.header("Subject", SectionKind::Subject, &long);
        let (text, _, notes) = b.finish();
        assert!(span.end - span.start <= MAX_HEADER_VALUE_BYTES);
        assert!(text.is_char_boundary(span.end));
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].code, "truncated");
        assert!(notes[0].message.contains("Subject"), "{}", notes[0].message);

        let mut b = TextBuilder::new();
        b.header("Subject", SectionKind::Subject, "Your order");
        assert!(b.finish().2.is_empty());
    }
}
