//! Text normalised for matching, with a map back to the original bytes.

use redflag_message::Span;

/// A normalised copy of a text: NFKC, lowercase, zero-width and format characters removed,
/// confusable non-ASCII letters folded to their ASCII look-alike (Cyrillic `а` → `a`), leetspeak
/// inside words folded (`amaz0n` → `amazon`, `g1ft` → `gift`), spaced-out letters joined
/// (`A m a z o n` → `amazon`), and runs of white space folded to one space.
///
/// Every byte of `text` maps back to the original byte range it came from, so a match in the
/// normalised text becomes a span in the original.
#[derive(Debug, Clone, Default)]
pub struct NormText {
    /// The normalised text.
    pub text: String,
    /// For each byte of `text`, the original byte range `(start, end)` it came from.
    map: Vec<(u32, u32)>,
}

impl NormText {
    /// Normalises `original`.
    pub fn new(original: &str) -> NormText {
        let _ = original;
        todo!("implemented by the extraction work")
    }

    /// Maps a byte range of the normalised text back to a span of the original text.
    /// The result always lies on char boundaries of the original.
    pub fn to_original(&self, start: usize, end: usize) -> Span {
        let _ = (start, end, &self.map);
        todo!("implemented by the extraction work")
    }
}
