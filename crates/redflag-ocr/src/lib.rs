//! redflag's screenshot reader.
//!
//! An image becomes a [`Screenshot`]: its text in reading order with a box for every word
//! ([`Page`]), and that text read as a person reads a phone's or computer's screen
//! ([`Reading`]: the kind of screen, the sender at the top, the subject, the message without
//! the phone's own words). redflag-engine turns a screenshot into a message like any other
//! and marks where on the image each red flag's evidence is.
//!
//! Decoding ([`decode`]) is pure Rust with limits that refuse decompression bombs from the
//! header alone. Recognition needs Tesseract (the `tesseract` feature, [`Recognizer`]); the
//! layout and reading are pure functions of the recognised words, tested without it.
//!
//! No IO here but Tesseract's own loading of its language data in [`Recognizer::new`].

pub mod decode;
pub mod layout;
pub mod screen;
#[cfg(feature = "tesseract")]
mod tess;
#[cfg(any(test, feature = "test-util"))]
pub mod testing;
pub mod words;

pub use decode::{
    CleanImage, Format, Gray, MAX_IMAGE_BYTES, MAX_PIXELS, MAX_SIDE, clean_copy, decode,
    dimensions, sniff,
};
pub use layout::{Line, Page, PlacedWord, lay_out};
pub use screen::{Reading, ScreenKind};
#[cfg(feature = "tesseract")]
pub use tess::Recognizer;
pub use words::{Rect, Word, parse_tsv};

use serde::Serialize;

/// Why an image could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No bytes.
    #[error("the image is empty")]
    Empty,
    /// Over [`MAX_IMAGE_BYTES`].
    #[error("the image is {size} bytes; the limit is {limit} bytes")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Not an image format redflag knows.
    #[error("not an image redflag can read (PNG, JPEG or WebP)")]
    NotAnImage,
    /// A format redflag recognises but does not decode.
    #[error(
        "{} images cannot be read yet; save or share the screenshot as PNG or JPEG",
        .0.name()
    )]
    Unsupported(Format),
    /// Broken or truncated.
    #[error("the {} image is damaged or incomplete: {detail}", format.name())]
    Malformed {
        /// The format it claims.
        format: Format,
        /// What the decoder said.
        detail: String,
    },
    /// Too many pixels: refused before decoding.
    #[error(
        "the image is {width} x {height} pixels; the limit is {} megapixels. Take a screenshot \
         instead of a full-size photo, or make the photo smaller",
        limit / 1_000_000
    )]
    TooManyPixels {
        /// Width the header declares.
        width: u32,
        /// Height the header declares.
        height: u32,
        /// The limit in pixels.
        limit: u64,
    },
    /// No text was found on the image.
    #[error("no text could be read on the image")]
    NoText,
    /// Tesseract failed to start or to recognise.
    #[error("text recognition failed: {0}")]
    Engine(String),
    /// This build has no text recognition.
    #[error(
        "this build of redflag cannot read text in images; build it with `--features ocr` \
         (docs/screenshots.md)"
    )]
    NoRecognizer,
}

/// Everything read off one image.
#[derive(Debug, Clone, Serialize)]
pub struct Screenshot {
    /// The format it was decoded from.
    pub format: Format,
    /// The text and where each word is.
    pub page: Page,
    /// The text read as a person reads the screen.
    pub reading: Reading,
    /// True when the image had a dark theme and was inverted for recognition.
    pub inverted: bool,
}

impl Screenshot {
    /// A screenshot from recognised words (what [`Recognizer::read`] does after recognition;
    /// public so that the reading can be tested and reused without Tesseract).
    pub fn from_words(
        format: Format,
        width: u32,
        height: u32,
        words: &[Word],
        kind: Option<ScreenKind>,
        inverted: bool,
    ) -> Result<Screenshot, Error> {
        let page = lay_out(words, width, height);
        if page.text.trim().is_empty() {
            return Err(Error::NoText);
        }
        let reading = screen::read(&page, kind);
        if reading.body.trim().is_empty() {
            return Err(Error::NoText);
        }
        Ok(Screenshot {
            format,
            page,
            reading,
            inverted,
        })
    }
}
