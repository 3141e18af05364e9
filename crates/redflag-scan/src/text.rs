//! Making message text safe to show: on a terminal, in HTML, in a spreadsheet. What counts
//! as dangerous is the engine's (`redflag_engine::shown`); the escaping is this report's.

use redflag_engine::shown::reorders as is_bidi;

/// At most `max` characters of `s`, with `…` when cut.
pub(crate) fn clip(s: &str, max: usize) -> String {
    let head = redflag_engine::prefix_chars(s, max);
    if head.len() == s.len() {
        s.to_string()
    } else {
        format!("{head}…")
    }
}

/// For a terminal: control characters (line breaks too: every value is one line) and
/// direction-changing characters written as `\u{..}`, so message text cannot drive the
/// terminal or reorder what is shown.
pub(crate) fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || is_bidi(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// For HTML text and attribute values: `& < > " '` escaped, control characters replaced,
/// direction-changing characters shown as `[U+202E]`.
pub(crate) fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(' '),
            c if is_bidi(c) => out.push_str(&format!("[U+{:04X}]", c as u32)),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// For a CSV cell: the engine's guard against formulas ([`redflag_engine::shown::csv_cell`]).
pub(crate) use redflag_engine::shown::csv_cell;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_on_characters() {
        assert_eq!(clip("héllo", 2), "hé…");
        assert_eq!(clip("héllo", 5), "héllo");
    }

    #[test]
    fn sanitizes_terminal_text() {
        assert_eq!(
            sanitize("a\x1b[31mb\u{202E}c\nd"),
            "a\\u{1b}[31mb\\u{202e}c\\u{a}d"
        );
    }

    #[test]
    fn escapes_html() {
        assert_eq!(
            html("<script>alert('x')</script> & \"q\" \u{202E}"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; [U+202E]"
        );
    }

    #[test]
    fn guards_formulas() {
        for bad in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv_cell(bad).starts_with('\''), "{bad}");
        }
        assert_eq!(csv_cell("Amazon order"), "Amazon order");
        assert_eq!(csv_cell(""), "");
    }
}
