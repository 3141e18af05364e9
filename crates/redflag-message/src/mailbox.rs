//! mbox files: several emails in one file.
//!
//! Each message starts with a `From sender date` line (the "postmark"). Writers are meant to
//! escape body lines starting with `From ` as `>From `, but not all do, so a `From ` line only
//! starts a new message when two of these hold: it is at the start of the file or follows a
//! blank line, it carries a time (`hh:mm`), the next line is a header. `>From ` lines (any number of
//! `>`) lose one `>` (mboxrd). Each message is then read by [`parse_email`].

use crate::{Error, Message, parse_email};

/// Splits an mbox file and parses each email in it, in file order.
///
/// A message that cannot be read at all (an empty one, one over the size limit) is an `Err`
/// in its place; the others are still returned. Input with no message at all gives a single
/// [`Error::Empty`]. Input without a postmark line is read as one message.
pub fn parse_mbox(raw: &[u8]) -> Vec<Result<Message, Error>> {
    let messages = split_mbox(raw);
    if messages.is_empty() {
        return vec![Err(Error::Empty)];
    }
    messages.iter().map(|m| parse_email(m)).collect()
}

/// The raw messages of an mbox file, in file order, postmarks removed and `>From ` lines
/// unescaped: what [`parse_mbox`] parses, for callers that need each message's bytes (to
/// copy one out of the file). Input that is only white space gives none.
pub fn split_mbox(raw: &[u8]) -> Vec<Vec<u8>> {
    let raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Vec::new();
    }
    let mut messages: Vec<Vec<u8>> = Vec::new();
    let mut current: Option<Vec<u8>> = None;
    // The lines of the current message not copied yet, `raw[pending..at]`: copied in one
    // go when a line that is not copied as it is (a postmark, a `>From ` line) or the end
    // comes, not line by line.
    let mut pending = 0;
    let mut at = 0;
    let mut prev_blank = true;
    let mut seen_content = false;
    let mut lines = raw.split_inclusive(|&b| b == b'\n').peekable();
    while let Some(line) = lines.next() {
        let next = lines.peek().copied().unwrap_or_default();
        let start = at;
        at += line.len();
        let first = !seen_content;
        if line.starts_with(b"From ") && is_postmark(line, next, first || prev_blank) {
            if start > pending {
                current
                    .get_or_insert_with(Vec::new)
                    .extend_from_slice(&raw[pending..start]);
            }
            if let Some(done) = current.take() {
                messages.push(done);
            }
            current = Some(Vec::new());
            pending = at;
            prev_blank = false;
            seen_content = true;
            continue;
        }
        let blank = line.iter().all(u8::is_ascii_whitespace);
        if !blank {
            seen_content = true;
        }
        let quotes = line.iter().take_while(|&&b| b == b'>').count();
        if quotes > 0 && line[quotes..].starts_with(b"From ") {
            let body = current.get_or_insert_with(Vec::new);
            body.extend_from_slice(&raw[pending..start]);
            body.extend_from_slice(&line[1..]);
            pending = at;
        }
        prev_blank = blank;
    }
    if at > pending {
        current
            .get_or_insert_with(Vec::new)
            .extend_from_slice(&raw[pending..at]);
    }
    if let Some(done) = current {
        messages.push(done);
    }
    // Text before the first postmark that is only white space is not a message.
    if messages.len() > 1 && messages[0].iter().all(u8::is_ascii_whitespace) {
        messages.remove(0);
    }
    messages
}

/// A `From ` line starts a message when two of these hold: it is at the start or after a
/// blank line, it is dated (`hh:mm`), a header line follows.
fn is_postmark(line: &[u8], next: &[u8], after_break: bool) -> bool {
    let rest = &line[5..];
    let has_sender = rest.first().is_some_and(|b| !b.is_ascii_whitespace());
    let votes = [after_break, has_time(rest), is_header_line(next)];
    has_sender && votes.iter().filter(|&&v| v).count() >= 2
}

/// `Name: value` with a printable name without spaces.
fn is_header_line(line: &[u8]) -> bool {
    let Some(colon) = line.iter().position(|&b| b == b':') else {
        return false;
    };
    colon > 0 && line[..colon].iter().all(|&b| b.is_ascii_graphic())
}

/// Contains `dd:dd`.
fn has_time(s: &[u8]) -> bool {
    s.windows(5).any(|w| {
        w[0].is_ascii_digit()
            && w[1].is_ascii_digit()
            && w[2] == b':'
            && w[3].is_ascii_digit()
            && w[4].is_ascii_digit()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{assert_spans_valid, check_spans};
    use proptest::prelude::*;

    const MBOX: &str = "From amazon@amaz0n-alerts.example Mon Mar  3 09:12:00 2025
From: Amazon <amazon@amaz0n-alerts.example>
Subject: Order on hold

Your order is on hold.
>From now on, verify your card.
>>From the desk of billing

From garbage Tue Mar  4 10:00:00 2025
\x01\x02 this is not an email at all {{{{ <<<<
From here on nothing parses

From support@amaz0n-help.example Wed Mar  5 11:00:00 2025
From: \"Amazon Support\" <support@amaz0n-help.example>
Subject: Refund

Call 1-888-555-0123.
";

    #[test]
    fn three_messages_one_garbage() {
        let all = parse_mbox(MBOX.as_bytes());
        assert_eq!(all.len(), 3);
        let m0 = all[0].as_ref().unwrap();
        assert_spans_valid(m0);
        assert_eq!(m0.subject(), Some("Order on hold"));
        assert_eq!(
            m0.body(),
            "Your order is on hold.\nFrom now on, verify your card.\n>From the desk of billing"
        );
        let m1 = all[1].as_ref().unwrap();
        assert_spans_valid(m1);
        assert!(m1.notes.iter().any(|n| n.code == "malformed-headers"));
        assert!(m1.body().contains("From here on nothing parses"));
        let m2 = all[2].as_ref().unwrap();
        assert_spans_valid(m2);
        assert_eq!(
            m2.sender.as_ref().unwrap().value,
            "support@amaz0n-help.example"
        );
        assert_eq!(m2.body(), "Call 1-888-555-0123.");
    }

    #[test]
    fn unescaped_from_in_body_does_not_split() {
        let mbox = "From a@b.example Mon Mar  3 09:12:00 2025\nFrom: a@b.example\nSubject: one\n\nHello\nFrom the team at Amazon: thanks\n";
        let all = parse_mbox(mbox.as_bytes());
        assert_eq!(all.len(), 1);
        assert!(
            all[0]
                .as_ref()
                .unwrap()
                .body()
                .ends_with("From the team at Amazon: thanks")
        );
    }

    #[test]
    fn empty_and_postmark_only() {
        assert_eq!(parse_mbox(b""), vec![Err(Error::Empty)]);
        assert_eq!(parse_mbox(b" \n"), vec![Err(Error::Empty)]);
        let all = parse_mbox(b"From a Mon Mar  3 09:12:00 2025\nSubject: x\n\nbody\nFrom b Mon Mar  3 09:12:00 2025\nSubject: y\n");
        assert_eq!(all.len(), 2);
        // No postmark at all: one message.
        let all = parse_mbox(b"From: a@b.example\nSubject: x\n\nbody");
        assert_eq!(all.len(), 1);
        assert!(all[0].is_ok());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn never_panics(raw in proptest::collection::vec(any::<u8>(), 0..1024)) {
            for m in parse_mbox(&raw).into_iter().flatten() {
                prop_assert!(check_spans(&m).is_ok());
            }
        }

        #[test]
        fn never_panics_on_mbox_like_input(lines in proptest::collection::vec(
            prop_oneof![
                Just("From a@b Mon Mar  3 09:12:00 2025".to_string()),
                Just("From: x@y.z".to_string()), Just("Subject: s".to_string()),
                Just(">From x".to_string()), Just(String::new()), "[ -~é]{0,30}",
            ],
            0..30,
        )) {
            let raw = lines.join("\n");
            for m in parse_mbox(raw.as_bytes()).into_iter().flatten() {
                prop_assert!(check_spans(&m).is_ok());
            }
        }
    }
}
