//! Recognised words laid out as text a person would read: one line per line of the image,
//! in Tesseract's reading order, every word with its byte range in that text and its box.

use crate::words::{Rect, Word};
use regex::Regex;
use serde::Serialize;
use std::ops::Range;
use std::sync::LazyLock;

/// The text of an image, with where each word is.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Page {
    /// The image's width, in its own pixels.
    pub width: u32,
    /// The image's height.
    pub height: u32,
    /// The recognised text: lines joined by `\n`, blocks by a blank line.
    pub text: String,
    /// The lines, in reading order.
    pub lines: Vec<Line>,
    /// The words, in reading order.
    pub words: Vec<PlacedWord>,
}

/// One line of text.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    /// Its bytes in [`Page::text`].
    pub span: Range<usize>,
    /// Where it is.
    pub rect: Rect,
    /// Its words, as indexes into [`Page::words`].
    pub words: Range<usize>,
    /// Its block in Tesseract's layout.
    pub block: u32,
    /// Its paragraph in the block: a bubble's or a window's wrapped lines share one.
    pub par: u32,
}

/// One word, placed.
#[derive(Debug, Clone, Serialize)]
pub struct PlacedWord {
    /// Its bytes in [`Page::text`].
    pub span: Range<usize>,
    /// Where it is.
    pub rect: Rect,
    /// Tesseract's confidence, 0 to 100.
    pub conf: f32,
}

impl Page {
    /// A line's text.
    pub fn line_text(&self, line: &Line) -> &str {
        &self.text[line.span.clone()]
    }

    /// The mean word confidence (0 to 100), or 0 with no words.
    pub fn mean_conf(&self) -> f32 {
        if self.words.is_empty() {
            return 0.0;
        }
        self.words.iter().map(|w| w.conf).sum::<f32>() / self.words.len() as f32
    }
}

/// The dot after `www` that recognition drops from an address bar ("wwwamazon.com").
static WWW_WITHOUT_DOT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(https?://)?www([a-z0-9][a-z0-9\-]*\.[a-z]{2,})").expect("valid regex")
});

/// A word as a person reads it where recognition is known to slip.
fn mend(word: &str) -> std::borrow::Cow<'_, str> {
    WWW_WITHOUT_DOT.replace(word, "${1}www.${2}")
}

/// Lays words out as a page. `words` are in Tesseract's reading order.
pub fn lay_out(words: &[Word], width: u32, height: u32) -> Page {
    let mut page = Page {
        width,
        height,
        ..Page::default()
    };
    let mut i = 0;
    while i < words.len() {
        let key = words[i].line;
        let mut j = i;
        while j < words.len() && words[j].line == key {
            j += 1;
        }
        if let Some(prev) = page.lines.last() {
            page.text.push('\n');
            if prev.block != key.0 {
                page.text.push('\n');
            }
        }
        let start = page.text.len();
        let first_word = page.words.len();
        let mut rect = words[i].rect;
        for (n, w) in words[i..j].iter().enumerate() {
            if n > 0 {
                page.text.push(' ');
            }
            let s = page.text.len();
            page.text.push_str(&mend(&w.text));
            rect = rect.union(w.rect);
            page.words.push(PlacedWord {
                span: s..page.text.len(),
                rect: w.rect,
                conf: w.conf,
            });
        }
        page.lines.push(Line {
            span: start..page.text.len(),
            rect,
            words: first_word..page.words.len(),
            block: key.0,
            par: key.1,
        });
        i = j;
    }
    fix_phone_numbers(&mut page.text);
    page
}

/// A run that may be a phone number with letters OCR confused for digits.
static PHONE_LIKE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[+(]?[0-9OoIlS|][0-9OoIlS|() .\-]{5,22}[0-9OoIlS|)]").expect("valid regex")
});

/// Puts digits back where OCR read a phone number's `0` as `O`, `1` as `l`, `I` or `|`, or `5`
/// as `S` ("1-8OO-555-0l99"). Only inside runs that are mostly digits already, and only in
/// space-separated pieces that hold a digit, so that words stay words. Each replacement is
/// one ASCII byte for another, so every span stays valid.
pub fn fix_phone_numbers(text: &mut String) {
    let mut fixes: Vec<usize> = Vec::new();
    for m in PHONE_LIKE.find_iter(text) {
        // Drop leading and trailing pieces without a real digit ("Sol", "I").
        let s = m.as_str();
        let pieces: Vec<(usize, &str)> = s
            .split(' ')
            .scan(0usize, |at, p| {
                let start = *at;
                *at += p.len() + 1;
                Some((start, p))
            })
            .collect();
        let has_digit = |p: &str| p.bytes().any(|b| b.is_ascii_digit());
        let Some(first) = pieces.iter().position(|(_, p)| has_digit(p)) else {
            continue;
        };
        let last = pieces
            .iter()
            .rposition(|(_, p)| has_digit(p))
            .unwrap_or(first);
        let from = pieces[first].0;
        let to = pieces[last].0 + pieces[last].1.len();
        let run = &s[from..to];
        let digits = run.bytes().filter(u8::is_ascii_digit).count();
        let confused: Vec<usize> = run
            .bytes()
            .enumerate()
            .filter(|(_, b)| b"OoIlS|".contains(b))
            .map(|(k, _)| k)
            .collect();
        if digits < 6 || confused.is_empty() || confused.len() > 3 {
            continue;
        }
        // A confused letter must touch a digit or a separator on both sides, as a digit in
        // a number does (not "Sol" glued to one).
        let rb = run.as_bytes();
        let numeric = |k: usize| {
            rb.get(k)
                .is_none_or(|b| b.is_ascii_digit() || b"-.() ".contains(b) || b"OoIlS|".contains(b))
        };
        if confused
            .iter()
            .all(|&k| numeric(k + 1) && (k == 0 || numeric(k - 1)))
        {
            let base = m.start() + from;
            fixes.extend(confused.iter().map(|k| base + k));
        }
    }
    if fixes.is_empty() {
        return;
    }
    let mut bytes = std::mem::take(text).into_bytes();
    for k in fixes {
        bytes[k] = match bytes[k] {
            b'O' | b'o' => b'0',
            b'S' => b'5',
            _ => b'1',
        };
    }
    // Only ASCII bytes were replaced by ASCII bytes.
    *text = String::from_utf8(bytes).unwrap_or_default();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, x: u32, y: u32, line: (u32, u32, u32)) -> Word {
        Word {
            text: text.into(),
            rect: Rect {
                x,
                y,
                w: 10 * text.len() as u32,
                h: 12,
            },
            conf: 90.0,
            line,
        }
    }

    #[test]
    fn lines_and_blocks_become_text_with_word_spans() {
        let words = [
            word("+1", 10, 10, (1, 1, 1)),
            word("(844)", 40, 10, (1, 1, 1)),
            word("Your", 10, 50, (2, 1, 1)),
            word("order", 60, 50, (2, 1, 1)),
            word("is", 10, 70, (2, 1, 2)),
        ];
        let page = lay_out(&words, 400, 800);
        assert_eq!(page.text, "+1 (844)\n\nYour order\nis");
        assert_eq!(page.lines.len(), 3);
        assert_eq!(&page.text[page.words[3].span.clone()], "order");
        assert_eq!(page.lines[1].rect.w, 100);
        assert_eq!(page.line_text(&page.lines[2]), "is");
    }

    #[test]
    fn an_address_bar_gets_its_dot_back() {
        assert_eq!(mend("wwwamazon.com/gp/buy"), "www.amazon.com/gp/buy");
        assert_eq!(mend("https://wwwamazon.com"), "https://www.amazon.com");
        // Near misses: already right, or a word that only starts with www.
        assert_eq!(mend("www.amazon.com"), "www.amazon.com");
        assert_eq!(mend("wwwhat"), "wwwhat");
    }

    fn fixed(s: &str) -> String {
        let mut s = s.to_string();
        fix_phone_numbers(&mut s);
        s
    }

    #[test]
    fn phone_numbers_get_their_digits_back() {
        assert_eq!(fixed("Call 1-8OO-555-0l99 now"), "Call 1-800-555-0199 now");
        assert_eq!(fixed("at (8S5) 555-O142."), "at (855) 555-0142.");
        assert_eq!(fixed("+1 844 5SS 0l42"), "+1 844 555 0142");
    }

    #[test]
    fn words_next_to_numbers_stay_words() {
        // Near misses: letters that are words, a number without confusion, a short code.
        assert_eq!(fixed("Call 1-800-555-0199 Sol"), "Call 1-800-555-0199 Sol");
        assert_eq!(
            fixed("Order 112-1234567-1234567 is"),
            "Order 112-1234567-1234567 is"
        );
        assert_eq!(fixed("SOS 911 lol"), "SOS 911 lol");
        assert_eq!(fixed("I live at 12 Oak St"), "I live at 12 Oak St");
        assert_eq!(fixed("Code IS 123456"), "Code IS 123456");
    }
}
