//! The message as checked, as HTML text with every piece of evidence in a
//! `<mark data-rule="RULEID">`.
//!
//! Spans are byte offsets into the text. They may overlap or cross; marks must nest, so a
//! span that crosses an open one is split where that one ends (each piece keeps its rule).
//! Offsets off a character boundary are widened to the nearest ones; spans out of range are
//! clipped. Everything else is escaped text: nothing in a message becomes markup, and
//! direction-changing control characters are shown as `[U+202E]`-style tags so they cannot
//! reorder what the reader sees. [`visible`] does the same for message text that a template
//! escapes itself (evidence quotes, findings, the sender on the hotline's pages).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt::Write as _;

/// One piece of evidence: the rule and the byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mark<'a> {
    pub(crate) rule: &'a str,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// `text` as escaped HTML with the marks; the result goes inside a `<pre>`.
pub(crate) fn highlight(text: &str, marks: &[Mark<'_>]) -> String {
    let spans = nest(text, marks);
    let mut out = String::with_capacity(text.len() + spans.len() * 32);
    let mut open: Vec<usize> = Vec::new();
    let mut at = 0;
    for s in &spans {
        while let Some(&end) = open.last() {
            if end > s.start {
                break;
            }
            escape_into(&mut out, &text[at..end]);
            out.push_str("</mark>");
            at = end;
            open.pop();
        }
        escape_into(&mut out, &text[at..s.start]);
        at = s.start;
        out.push_str("<mark data-rule=\"");
        escape_into(&mut out, s.rule);
        out.push_str("\">");
        open.push(s.end);
    }
    while let Some(end) = open.pop() {
        escape_into(&mut out, &text[at..end]);
        out.push_str("</mark>");
        at = end;
    }
    escape_into(&mut out, &text[at..]);
    out
}

/// The spans, clipped to character boundaries, deduplicated and split so that they nest,
/// in (start, longest first) order.
fn nest<'a>(text: &str, marks: &[Mark<'a>]) -> Vec<Mark<'a>> {
    let mut heap = BinaryHeap::new();
    for m in marks {
        let mut start = m.start.min(text.len());
        let mut end = m.end.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        while !text.is_char_boundary(end) {
            end += 1;
        }
        if start < end {
            heap.push(Reverse((start, Reverse(end), m.rule)));
        }
    }
    let mut out: Vec<Mark<'a>> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    while let Some(Reverse((start, Reverse(mut end), rule))) = heap.pop() {
        if out
            .last()
            .is_some_and(|l| l.start == start && l.end == end && l.rule == rule)
        {
            continue;
        }
        while stack.last().is_some_and(|&e| e <= start) {
            stack.pop();
        }
        if let Some(&top) = stack.last()
            && end > top
        {
            heap.push(Reverse((top, Reverse(end), rule)));
            end = top;
        }
        stack.push(end);
        out.push(Mark { rule, start, end });
    }
    out
}

/// Escapes text for HTML (element content and quoted attribute values).
pub(crate) fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => visible_char_into(out, c),
        }
    }
}

/// One character of message text as a reader may see it: a character that would reorder the
/// text as a `[U+202E]`-style tag, another control character as U+FFFD, `\r` dropped.
fn visible_char_into(out: &mut String, c: char) {
    match c {
        '\n' | '\t' => out.push(c),
        '\r' => {}
        c if redflag_engine::shown::reorders(c) => {
            let _ = write!(out, "[U+{:04X}]", u32::from(c));
        }
        c if c.is_control() => out.push('\u{fffd}'),
        c => out.push(c),
    }
}

/// Message text for a template that escapes it (askama): shown the way [`highlight`] shows
/// the message, so that a quote of it cannot reorder what the reader sees either.
pub(crate) fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        visible_char_into(&mut out, c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(rule: &str, start: usize, end: usize) -> Mark<'_> {
        Mark { rule, start, end }
    }

    #[test]
    fn marks_spans_and_escapes_the_rest() {
        let text = "Call <1-888> now & pay";
        assert_eq!(
            highlight(text, &[m("PHN001", 5, 12)]),
            "Call <mark data-rule=\"PHN001\">&lt;1-888&gt;</mark> now &amp; pay"
        );
    }

    #[test]
    fn nested_and_identical_spans_nest() {
        let text = "abcdefgh";
        assert_eq!(
            highlight(
                text,
                &[m("B", 2, 4), m("A", 1, 6), m("C", 1, 6), m("A", 1, 6)]
            ),
            "a<mark data-rule=\"A\"><mark data-rule=\"C\">b<mark data-rule=\"B\">cd</mark>ef</mark></mark>gh"
        );
    }

    #[test]
    fn crossing_spans_are_split() {
        let text = "abcdefgh";
        assert_eq!(
            highlight(text, &[m("A", 1, 4), m("B", 3, 6)]),
            "a<mark data-rule=\"A\">bc<mark data-rule=\"B\">d</mark></mark><mark data-rule=\"B\">ef</mark>gh"
        );
    }

    #[test]
    fn offsets_are_clipped_to_characters_and_the_text() {
        let text = "é€x";
        // 1 is inside "é", 4 inside "€", 99 past the end.
        assert_eq!(
            highlight(text, &[m("A", 1, 4), m("B", 5, 99), m("C", 7, 7)]),
            "<mark data-rule=\"A\">é€</mark><mark data-rule=\"B\">x</mark>"
        );
    }

    #[test]
    fn markup_in_messages_stays_text() {
        let text = "<script>alert(1)</script><img src=x onerror=alert(1)>\"><svg onload=alert(1)> javascript:alert(1) it's";
        let html = highlight(text, &[m("X\"><b", 0, 8)]);
        assert!(!html.contains("<script"));
        assert!(!html.contains("<img"));
        assert!(!html.contains("<svg"));
        assert!(!html.contains("<b"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("it&#39;s"));
    }

    #[test]
    fn direction_controls_are_shown() {
        assert_eq!(
            highlight("pay\u{202e}txt.exe\u{0007}", &[]),
            "pay[U+202E]txt.exe\u{fffd}"
        );
        assert_eq!(
            highlight("\u{061c}pay\u{2067}x\u{2069}\u{200f}", &[]),
            "[U+061C]pay[U+2067]x[U+2069][U+200F]"
        );
    }

    #[test]
    fn visible_text_shows_controls_but_leaves_escaping_to_the_template() {
        assert_eq!(
            visible("account is lo\u{202e}cked <b>\r\n\u{061c}\u{001b}"),
            "account is lo[U+202E]cked <b>\n[U+061C]\u{fffd}"
        );
        assert_eq!(
            visible("plain, \u{00e9}\u{20ac} \u{200b}"),
            "plain, \u{00e9}\u{20ac} \u{200b}"
        );
    }
}
