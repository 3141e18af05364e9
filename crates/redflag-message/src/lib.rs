//! The message model and the parsers for every channel redflag reads.
//!
//! Every channel becomes one [`Message`]: a single display text (`text`) that the person would
//! see, split into [`Section`]s (sender lines, subject, body, attachment lines), plus the
//! structured data rules need (sender identity, email headers, HTML links, attachments).
//! Every span in redflag points into `Message::text`, so the evidence of any finding can be
//! highlighted in what the person sees.
//!
//! **Invariant:** parsing never fails on content. It returns a message with [`ParseNote`]s
//! saying what could not be read. Only input that is not a message at all (empty, binary,
//! over the size limit) is an [`Error`]. Nothing here does IO: callers pass bytes.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod authres;
mod detect;
mod email;
mod forward;
mod html;
mod mailbox;
mod messenger;
mod model;
mod sniff;
mod text;
pub mod work;

pub use detect::{Input, InputKind, detect_kind};
pub use email::parse_email;
pub use html::{HtmlText, MAX_DEPTH as MAX_HTML_DEPTH, html_to_text};
pub use mailbox::{parse_mbox, split_mbox};
pub use messenger::parse_messenger_json;
pub use model::*;
pub use text::{TextInput, classify_sender, parse_text_message};

/// Crate-private parsers made reachable for the fuzz targets in `fuzz/`, and the span checks
/// that the fuzz targets and the crate's own tests share (not a stable API).
#[doc(hidden)]
pub mod fuzzing {
    use crate::{AuthResult, Message, Span};

    /// For tests and fuzzing: checks that every span of the message lies inside `text` on
    /// char boundaries, and that sections are in text order without overlapping. Returns
    /// what is wrong.
    pub fn check_spans(m: &Message) -> Result<(), String> {
        let text = &m.text;
        let check = |what: &str, s: Span| -> Result<(), String> {
            if s.start > s.end || s.end > text.len() {
                return Err(format!(
                    "{what} span {s:?} out of bounds (text is {} bytes)",
                    text.len()
                ));
            }
            if !text.is_char_boundary(s.start) || !text.is_char_boundary(s.end) {
                return Err(format!("{what} span {s:?} not on char boundaries"));
            }
            Ok(())
        };
        let mut last_end = 0;
        for s in &m.sections {
            check("section", s.span)?;
            if s.span.start < last_end {
                return Err(format!("section {s:?} overlaps or is out of order"));
            }
            last_end = s.span.end;
        }
        if let Some(sender) = &m.sender {
            check("sender", sender.span)?;
        }
        for l in &m.links {
            check("link", l.span)?;
            if !m.body_span().contains(l.span) {
                return Err(format!("link {l:?} outside the body"));
            }
        }
        for a in &m.attachments {
            check("attachment", a.span)?;
        }
        if let Some(e) = &m.email {
            if let Some(f) = &e.from {
                check("email.from", f.span)?;
            }
            for r in &e.reply_to {
                check("email.reply_to", r.span)?;
            }
            if let Some(r) = &e.return_path {
                check("email.return_path", r.span)?;
            }
            for a in &e.auth_results {
                check("email.auth_results", a.span)?;
            }
            let mut end = 0;
            for p in &e.body_parts {
                check("email.body_parts", p.span)?;
                if !m.body_span().contains(p.span) || p.span.start < end {
                    return Err(format!(
                        "body part {p:?} outside the body, or overlapping the one before"
                    ));
                }
                end = p.span.end;
            }
        }
        Ok(())
    }

    /// For fuzzing only: parses an unfolded `Authentication-Results` header value.
    pub fn parse_auth_results(value: &str) -> (String, Vec<AuthResult>) {
        crate::authres::parse_auth_results(value)
    }
}

/// Largest input accepted, in bytes (25 MiB, the usual attachment limit of mail providers).
pub const MAX_INPUT_BYTES: usize = 25 * 1024 * 1024;

/// Largest display text kept for analysis, in bytes. Longer bodies are cut with a note.
///
/// 128 KiB is about 20,000 words, forty printed pages: far more than any message a person
/// reads to the end, scam or genuine (the longest visible text in the corpus is well under
/// it), and small enough that analysing it stays within the CPU budget of `docs/limits.md`.
pub const MAX_TEXT_BYTES: usize = 128 * 1024;

/// Largest HTML part rendered, in bytes; markup is much longer than the text it shows.
pub const MAX_HTML_BYTES: usize = 2 * 1024 * 1024;

/// Most MIME parts looked at in one email; later parts are skipped with a note.
pub const MAX_PARTS: usize = 256;

/// Deepest nesting of forwarded messages followed.
pub const MAX_FORWARD_DEPTH: usize = 3;

/// The first `max` characters of `s` (all of it when shorter), borrowed: for the places
/// that read or quote only the start of a message's text.
pub fn prefix_chars(s: &str, max: usize) -> &str {
    // A text has at most as many characters as bytes, and in ASCII exactly as many: most
    // calls are answered without counting.
    if s.len() <= max {
        return s;
    }
    if s.as_bytes()[..max].is_ascii() {
        return &s[..max];
    }
    s.char_indices().nth(max).map_or(s, |(i, _)| &s[..i])
}

/// `s.to_lowercase()`, the same string, built run by run: a run of ASCII is copied and
/// lowered in place many bytes at a time, and only the characters outside ASCII are lowered
/// one by one. `str::to_lowercase` goes a character at a time from the first character
/// outside ASCII to the end, and most mail has one early (a curly quote, a no-break
/// space). A text with a capital sigma is left to `str::to_lowercase`: whether `Σ` becomes
/// `σ` or `ς` depends on the letters around it.
pub fn to_lowercase(s: &str) -> String {
    if s.contains('\u{3A3}') {
        return s.to_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        rest = &rest[ascii..];
        let other = rest
            .bytes()
            .position(|b| b.is_ascii())
            .unwrap_or(rest.len());
        out.extend(rest[..other].chars().flat_map(char::to_lowercase));
        rest = &rest[other..];
    }
    out
}

/// Why an input could not be read as a message at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The input has no bytes, or only white space.
    #[error("the input is empty")]
    Empty,
    /// The input is larger than [`MAX_INPUT_BYTES`].
    #[error("the input is {size} bytes, over the {limit}-byte limit")]
    TooLarge {
        /// Size of the input in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The input looks like a binary file (an image, an archive, a program), not a message.
    #[error("the input looks like a binary file, not a message or text")]
    Binary,
    /// A Messenger export that is not the expected JSON shape.
    #[error("not a Messenger export: {0}")]
    Messenger(String),
}

#[cfg(test)]
mod tests {
    use super::{prefix_chars, to_lowercase};

    proptest::proptest! {
        /// What `str::to_lowercase` gives: runs of ASCII and other characters in any
        /// order, letters that lower to two characters (`İ`), capitals of other alphabets,
        /// and the capital sigma whose lower case depends on its neighbours.
        #[test]
        fn to_lowercase_is_str_to_lowercase(
            pieces in proptest::collection::vec(0usize..16, 0..30),
            any in "\\PC{0,20}",
        ) {
            const PIECES: [&str; 16] = [
                "A", "z", "HELLO ", " ", "É", "é", "’", "\u{a0}", "İ", "ẞ", "Ǆ", "Σ", "ΑΣ",
                "Ω", "🎁", "注文",
            ];
            let text: String = pieces.iter().map(|&p| PIECES[p]).collect();
            for t in [text.as_str(), any.as_str()] {
                proptest::prop_assert_eq!(to_lowercase(t), t.to_lowercase());
            }
        }
    }

    #[test]
    fn prefix_chars_counts_characters_not_bytes() {
        assert_eq!(prefix_chars("", 3), "");
        assert_eq!(prefix_chars("abc", 3), "abc");
        assert_eq!(prefix_chars("abcd", 3), "abc");
        assert_eq!(prefix_chars("äöüß", 2), "äö");
        assert_eq!(prefix_chars("注文🎁x", 3), "注文🎁");
        assert_eq!(prefix_chars("abc", 0), "");
        assert_eq!(prefix_chars("abcé", 3), "abc");
        assert_eq!(prefix_chars("abcé", 4), "abcé");
    }

    proptest::proptest! {
        #[test]
        fn prefix_chars_is_the_first_characters(s in "\\PC{0,40}", max in 0usize..50) {
            let first: String = s.chars().take(max).collect();
            proptest::prop_assert_eq!(prefix_chars(&s, max), first.as_str());
        }
    }
}

/// Helpers shared by the tests of every parser.
#[cfg(test)]
pub(crate) mod test_util {
    use crate::Message;

    pub(crate) use crate::fuzzing::check_spans;

    /// Panics with the reason when a span of the message is not valid (see [`check_spans`]).
    #[track_caller]
    pub(crate) fn assert_spans_valid(m: &Message) {
        if let Err(e) = check_spans(m) {
            panic!("{e}\ntext: {:?}", m.text);
        }
    }
}
