//! Shared checks for the fuzz targets: the invariants every parser and extractor promises
//! (spans inside `Message::text`, on char boundaries, sections in order). A broken invariant
//! panics, so libFuzzer reports it like a crash.

use redflag_engine::{Channel, Indicators, Message};
use redflag_message::Span;

/// Panics unless `span` lies inside `text` on char boundaries.
#[track_caller]
pub fn check_span(text: &str, what: &str, s: Span) {
    assert!(
        s.start <= s.end && s.end <= text.len(),
        "{what} span {s:?} out of bounds (text is {} bytes)",
        text.len()
    );
    assert!(
        text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
        "{what} span {s:?} not on char boundaries"
    );
}

/// Panics when a span of the message is not valid: every section, sender, link, attachment
/// and header span inside the text on char boundaries, sections in order.
pub fn check_message(m: &Message) {
    let text = m.text.as_str();
    let mut last_end = 0;
    for s in &m.sections {
        check_span(text, "section", s.span);
        assert!(
            s.span.start >= last_end,
            "section {s:?} overlaps or is out of order"
        );
        last_end = s.span.end;
    }
    if let Some(sender) = &m.sender {
        check_span(text, "sender", sender.span);
    }
    for l in &m.links {
        check_span(text, "link", l.span);
    }
    for a in &m.attachments {
        check_span(text, "attachment", a.span);
    }
    if let Some(e) = &m.email {
        if let Some(f) = &e.from {
            check_span(text, "email.from", f.span);
        }
        for r in &e.reply_to {
            check_span(text, "email.reply_to", r.span);
        }
        if let Some(r) = &e.return_path {
            check_span(text, "email.return_path", r.span);
        }
        for a in &e.auth_results {
            check_span(text, "email.auth_results", a.span);
        }
    }
    let _ = m.body();
    let _ = m.subject();
}

/// Panics when an indicator's span is not valid for the message's text.
pub fn check_indicators(m: &Message, ind: &Indicators) {
    let text = m.text.as_str();
    for u in &ind.urls {
        check_span(text, "url", u.span);
    }
    for p in &ind.phones {
        check_span(text, "phone", p.span);
    }
    for e in &ind.emails {
        check_span(text, "email", e.span);
    }
    for x in &ind.money {
        check_span(text, "money", x.span);
    }
    for o in &ind.orders {
        check_span(text, "order", o.span);
    }
    let n = ind.norm.text.len();
    for (a, b) in [(0, n), (n / 3, n / 2), (n / 2, n), (n, n)] {
        let s = ind.norm.to_original(a, b);
        assert!(text.get(s.range()).is_some(), "norm map {a}..{b} -> {s:?}");
    }
}

/// A text channel picked by a byte.
pub fn channel(b: u8) -> Channel {
    match b % 4 {
        0 => Channel::Sms,
        1 => Channel::Chat,
        2 => Channel::Call,
        _ => Channel::Email,
    }
}

/// Splits fuzz input into a control byte and the rest as text (invalid UTF-8 replaced), so
/// that seeds from plain files stay meaningful: their first byte becomes the control byte.
pub fn control_and_text(data: &[u8]) -> (u8, String) {
    match data.split_first() {
        Some((&c, rest)) => (c, String::from_utf8_lossy(rest).into_owned()),
        None => (0, String::new()),
    }
}

/// Lets a panic inside mail-parser unwind to `redflag_message`'s guard, which catches it and
/// reads the email as plain text with a `mime-unreadable` note (its designed behaviour),
/// instead of libFuzzer's panic hook aborting at once. Each one is logged as
/// `redflag-fuzz: caught mail-parser panic`, and `scripts/fuzz.sh` counts them. A panic
/// anywhere else, or one from mail-parser that escaped the guard, still aborts (libFuzzer's
/// hook runs, and `fuzz_target!` aborts on any unwind that reaches it). Call it first in
/// every target that parses email; it installs the hook once.
pub fn allow_caught_parser_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let abort_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info
                .location()
                .is_some_and(|l| l.file().contains("/mail-parser-"))
            {
                eprintln!("redflag-fuzz: caught mail-parser panic: {info}");
                return;
            }
            abort_hook(info);
        }));
    });
}
