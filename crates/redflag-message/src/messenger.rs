//! Facebook Messenger JSON exports.
//!
//! The export ("Download your information") is an object
//! `{"participants": [{"name": ..}], "messages": [{"sender_name", "timestamp_ms", "content"},
//! ...], "title": ..}` with the newest message first. A bare array of messages is accepted
//! too, and `text` in place of `content`.
//!
//! Facebook writes non-ASCII text as UTF-8 bytes each escaped as a code point
//! (`\u00e2\u0080\u0099` for `’`); such strings are repaired.

use crate::text::{normalise_newlines, truncate};
use crate::{
    Channel, Error, MAX_INPUT_BYTES, MAX_TEXT_BYTES, Message, ParseNote, SectionKind, Sender,
    SenderKind, TextBuilder,
};
use serde_json::Value;

/// One message of the conversation, repaired.
struct ChatLine {
    sender: Option<String>,
    timestamp: Option<i64>,
    text: Option<String>,
}

/// Parses a Messenger conversation export into one chat [`Message`].
///
/// The body is the conversation in time order, one `Name: text` line per message (a shared
/// link is added to its line; photos, stickers and other messages without text are left
/// out). The sender is the person who wrote the first message: in a scam conversation the
/// scammer is usually the one who opens it ("Hello, this is Amazon support..."), and the
/// person who exported the chat is the one who received it.
///
/// Errors with [`Error::Messenger`] when the input is not JSON or not the expected shape.
pub fn parse_messenger_json(raw: &[u8]) -> Result<Message, Error> {
    if raw.len() > MAX_INPUT_BYTES {
        return Err(Error::TooLarge {
            size: raw.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty);
    }
    let raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
    let value: Value = serde_json::from_slice(raw)
        .map_err(|e| Error::Messenger(format!("the file is not valid JSON ({e})")))?;
    let messages = match &value {
        Value::Object(o) => match o.get("messages") {
            Some(Value::Array(a)) => a,
            Some(_) => return Err(Error::Messenger("\"messages\" is not a list".into())),
            None => return Err(Error::Messenger("there is no \"messages\" list".into())),
        },
        Value::Array(a) => a,
        _ => {
            return Err(Error::Messenger(
                "expected an object with \"messages\" or a list".into(),
            ));
        }
    };
    if !messages.is_empty() && !messages.iter().any(|m| m.is_object()) {
        return Err(Error::Messenger("the messages are not objects".into()));
    }

    let mut lines: Vec<ChatLine> = messages.iter().filter_map(chat_line).collect();
    // Facebook lists the newest first. With timestamps on every message, sort by them
    // (stable, so equal times keep their order); otherwise trust the newest-first order.
    lines.reverse();
    if lines.iter().all(|l| l.timestamp.is_some()) {
        lines.sort_by_key(|l| l.timestamp);
    }

    let mut notes = Vec::new();
    let mut b = TextBuilder::new();
    let sender = lines.iter().find_map(|l| l.sender.as_deref()).map(|name| {
        let span = b.header("From", SectionKind::From, name);
        Sender {
            kind: SenderKind::Name,
            value: name.to_string(),
            display_name: None,
            span,
        }
    });
    let mut body = String::new();
    for l in &lines {
        let Some(text) = &l.text else { continue };
        if !body.is_empty() {
            body.push('\n');
        }
        body.push_str(l.sender.as_deref().unwrap_or("Unknown"));
        body.push_str(": ");
        body.push_str(text);
        if body.len() > MAX_TEXT_BYTES {
            break;
        }
    }
    let body = truncate(&body, MAX_TEXT_BYTES, &mut notes);
    if body.is_empty() {
        notes.push(ParseNote::new(
            "no-body",
            "The conversation has no text messages.",
        ));
    }
    b.body(body);
    let (text, sections, header_notes) = b.finish();
    notes.extend(header_notes);
    Ok(Message {
        channel: Channel::Chat,
        text,
        sections,
        sender,
        email: None,
        links: Vec::new(),
        attachments: Vec::new(),
        notes,
    })
}

/// Reads one message; `None` when it is not an object.
fn chat_line(v: &Value) -> Option<ChatLine> {
    let o = v.as_object()?;
    let sender = o
        .get("sender_name")
        .and_then(Value::as_str)
        .map(|s| single_line(&fix_mojibake(s)))
        .filter(|s| !s.is_empty());
    let timestamp = o.get("timestamp_ms").and_then(|t| {
        t.as_i64()
            .or_else(|| t.as_u64().map(|u| i64::try_from(u).unwrap_or(i64::MAX)))
            .or_else(|| t.as_f64().map(|f| f as i64))
    });
    let content = ["content", "text"]
        .iter()
        .find_map(|k| o.get(*k).and_then(Value::as_str))
        .map(|s| normalise_newlines(&fix_mojibake(s)).trim().to_string())
        .filter(|s| !s.is_empty());
    let link = o
        .get("share")
        .and_then(|s| s.get("link"))
        .and_then(Value::as_str)
        .map(|l| single_line(&fix_mojibake(l)))
        .filter(|l| !l.is_empty());
    let text = match (content, link) {
        (Some(c), Some(l)) if !c.contains(&l) => Some(format!("{c} {l}")),
        (Some(c), _) => Some(c),
        (None, Some(l)) => Some(l),
        (None, None) => None,
    };
    Some(ChatLine {
        sender,
        timestamp,
        text,
    })
}

/// White space runs (line breaks included) to one space, trimmed.
fn single_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Repairs Facebook's mojibake: a string whose chars are all below U+0100 and which, read
/// as bytes, is valid UTF-8 with at least one multi-byte sequence is decoded that way.
/// Anything else is returned unchanged.
pub(crate) fn fix_mojibake(s: &str) -> String {
    let mut bytes = Vec::with_capacity(s.len());
    let mut high = false;
    for c in s.chars() {
        let Ok(b) = u8::try_from(u32::from(c)) else {
            return s.to_string();
        };
        high |= b >= 0x80;
        bytes.push(b);
    }
    if !high {
        return s.to_string();
    }
    String::from_utf8(bytes).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{assert_spans_valid, check_spans};
    use proptest::prelude::*;

    const EXPORT: &str = r#"{
      "participants": [{"name": "Jane Doe"}, {"name": "Amazon Support Team"}],
      "messages": [
        {"sender_name": "Amazon Support Team", "timestamp_ms": 1741000300000,
         "content": "Please confirm here", "share": {"link": "https://amaz0n-refund.example/claim"}},
        {"sender_name": "Jane Doe", "timestamp_ms": 1741000200000,
         "photos": [{"uri": "messages/photo.jpg"}]},
        {"sender_name": "Jane Doe", "timestamp_ms": 1741000100000,
         "content": "Really? I didn\u00e2\u0080\u0099t order anything \u00f0\u009f\u0098\u00ae"},
        {"sender_name": "Amazon Support Team", "timestamp_ms": 1741000000000,
         "content": "Hello, your Amazon account was charged $499.99.\nReply to cancel."}
      ],
      "title": "Amazon Support Team",
      "is_still_participant": true
    }"#;

    #[test]
    fn export_in_time_order_with_mojibake_fixed() {
        let m = parse_messenger_json(EXPORT.as_bytes()).unwrap();
        assert_spans_valid(&m);
        assert_eq!(m.channel, Channel::Chat);
        let s = m.sender.as_ref().unwrap();
        assert_eq!(s.kind, SenderKind::Name);
        assert_eq!(s.value, "Amazon Support Team");
        assert_eq!(&m.text[s.span.range()], "Amazon Support Team");
        assert_eq!(
            m.body(),
            "Amazon Support Team: Hello, your Amazon account was charged $499.99.\nReply to cancel.\n\
             Jane Doe: Really? I didn’t order anything 😮\n\
             Amazon Support Team: Please confirm here https://amaz0n-refund.example/claim"
        );
        assert!(m.notes.is_empty());
    }

    #[test]
    fn bare_array_with_text_field() {
        let raw = r#"[{"sender_name": "Seller", "text": "second"}, {"sender_name": "Buyer", "text": "first"}]"#;
        let m = parse_messenger_json(raw.as_bytes()).unwrap();
        assert_spans_valid(&m);
        assert_eq!(m.body(), "Buyer: first\nSeller: second");
        assert_eq!(m.sender.unwrap().value, "Buyer");
    }

    #[test]
    fn wrong_shapes_are_errors() {
        let err = |raw: &str| parse_messenger_json(raw.as_bytes());
        assert!(matches!(err("not json"), Err(Error::Messenger(_))));
        assert!(matches!(
            err("{\"participants\": []}"),
            Err(Error::Messenger(_))
        ));
        assert!(matches!(err("{\"messages\": 3}"), Err(Error::Messenger(_))));
        assert!(matches!(err("[1, 2]"), Err(Error::Messenger(_))));
        assert!(matches!(err("42"), Err(Error::Messenger(_))));
        assert_eq!(err("  "), Err(Error::Empty));
        let m = err(r#"{"messages": [{"sender_name": "A", "sticker": {}}]}"#).unwrap();
        assert_spans_valid(&m);
        assert_eq!(m.notes[0].code, "no-body");
        assert_eq!(m.sender.unwrap().value, "A");
    }

    #[test]
    fn mojibake_rules() {
        assert_eq!(fix_mojibake("caf\u{c3}\u{a9}"), "café");
        assert_eq!(fix_mojibake("café"), "café"); // Latin-1 é alone is not valid UTF-8.
        assert_eq!(fix_mojibake("plain"), "plain");
        assert_eq!(fix_mojibake("’ already fine"), "’ already fine");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn never_panics_on_bytes(raw in proptest::collection::vec(any::<u8>(), 0..512)) {
            if let Ok(m) = parse_messenger_json(&raw) {
                prop_assert!(check_spans(&m).is_ok());
            }
        }

        #[test]
        fn never_panics_on_json_like(
            msgs in proptest::collection::vec(
                (proptest::option::of("[ -~\u{80}-\u{ff}é😮]{0,12}"),
                 proptest::option::of(any::<i64>()),
                 proptest::option::of("[ -~\u{80}-\u{ff}\n]{0,20}")),
                0..8,
            )
        ) {
            let list: Vec<Value> = msgs
                .into_iter()
                .map(|(s, t, c)| serde_json::json!({"sender_name": s, "timestamp_ms": t, "content": c}))
                .collect();
            let raw = serde_json::json!({"messages": list}).to_string();
            let m = parse_messenger_json(raw.as_bytes());
            prop_assert!(m.is_ok());
            if let Ok(m) = m {
                prop_assert!(check_spans(&m).is_ok());
            }
        }
    }
}
