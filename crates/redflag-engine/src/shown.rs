//! Showing message text safely, for every surface that shows it: the characters that would
//! reorder the text around them, and the spreadsheet cells that would run as formulas.
//! Each surface escapes in its own format (HTML, a terminal, CSV); what counts as dangerous
//! is decided here once.

use std::borrow::Cow;

/// Whether `c` changes the direction of the text around it: the embeddings, overrides and
/// isolates (U+202A to U+202E, U+2066 to U+2069), and the marks LRM, RLM and the Arabic
/// letter mark (U+200E, U+200F, U+061C).
pub fn reorders(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
    )
}

/// A CSV cell that a spreadsheet could run as a formula (starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return) with a leading `'`, OWASP's advice against CSV injection;
/// any other cell as it is.
pub fn csv_cell(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_marks_reorder_and_letters_do_not() {
        for c in ['\u{202e}', '\u{2066}', '\u{200f}', '\u{061c}'] {
            assert!(reorders(c), "{c:?}");
        }
        for c in ['a', 'ع', '\u{200b}', '\n'] {
            assert!(!reorders(c), "{c:?}");
        }
    }

    #[test]
    fn formula_cells_get_a_quote() {
        for bad in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_cell(bad), format!("'{bad}"));
        }
        assert_eq!(csv_cell("Amazon order"), "Amazon order");
        assert_eq!(csv_cell(""), "");
    }
}
