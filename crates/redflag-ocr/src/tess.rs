//! Text recognition with Tesseract (the `tesseract` feature).

use crate::{Error, Gray, ScreenKind, Screenshot, decode, parse_tsv};
use leptess::{LepTess, Variable};

/// A Tesseract instance with its language data loaded. Not shareable between threads: make
/// one per thread (loading takes tens of milliseconds), or keep a pool.
pub struct Recognizer {
    tess: LepTess,
    languages: String,
}

impl std::fmt::Debug for Recognizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recognizer")
            .field("languages", &self.languages)
            .finish()
    }
}

impl Recognizer {
    /// Starts Tesseract with `languages` (`eng`, or several joined by `+`: `eng+deu`).
    pub fn new(languages: &str) -> Result<Recognizer, Error> {
        let mut tess = LepTess::new(None, languages).map_err(|e| {
            Error::Engine(format!(
                "Tesseract could not start with the languages {languages:?} ({e}); install \
                 tesseract-ocr and its language packs (tesseract-ocr-eng...)"
            ))
        })?;
        // Tesseract's own messages ("Estimating resolution as ...") would land on stderr.
        let _ = tess.set_variable(Variable::DebugFile, "/dev/null");
        Ok(Recognizer {
            tess,
            languages: languages.to_string(),
        })
    }

    /// The languages it reads.
    pub fn languages(&self) -> &str {
        &self.languages
    }

    /// Recognises the words of a decoded image, boxes in the image's own pixels.
    pub fn words(&mut self, gray: &Gray) -> Result<Vec<crate::Word>, Error> {
        // A PGM in memory: the pixels as they are, read by Leptonica without a codec.
        let mut pgm = format!("P5\n{} {}\n255\n", gray.work_width, gray.work_height).into_bytes();
        pgm.extend_from_slice(&gray.pixels);
        self.tess
            .set_image_from_mem(&pgm)
            .map_err(|e| Error::Engine(format!("Leptonica could not take the image: {e}")))?;
        self.tess.set_source_resolution(144);
        if self.tess.recognize() != 0 {
            return Err(Error::Engine(
                "Tesseract could not recognise the image".into(),
            ));
        }
        let tsv = self
            .tess
            .get_tsv_text(0)
            .map_err(|e| Error::Engine(format!("Tesseract's output was not UTF-8: {e}")))?;
        Ok(parse_tsv(&tsv, gray.scale()))
    }

    /// Decodes, recognises and reads an image. `kind` is what the person said the screenshot
    /// shows, when they did.
    pub fn read(&mut self, bytes: &[u8], kind: Option<ScreenKind>) -> Result<Screenshot, Error> {
        let gray = decode(bytes)?;
        let mut words = self.words(&gray)?;
        let mut inverted = gray.inverted;
        // Little read with confidence: text of low contrast (grey on grey in a photo), or
        // light on a dark ground that is not most of the picture (a dark-theme phone
        // photographed on a desk). Read it again with the contrast stretched locally, and
        // inverted, and keep the reading with the most sure letters.
        if sure_letters(&words) < WEAK_READING {
            let stretched = gray.contrast_stretched(STRETCH_TILE);
            let inverted_stretch = stretched.inverted();
            for other in [stretched, inverted_stretch] {
                let again = self.words(&other)?;
                if sure_letters(&again) > sure_letters(&words) {
                    words = again;
                    inverted = other.inverted;
                }
            }
        }
        Screenshot::from_words(gray.format, gray.width, gray.height, &words, kind, inverted)
    }
}

/// Below this many sure letters, a reading is retried on the contrast-stretched image.
const WEAK_READING: usize = 120;

/// Tile of the local contrast stretch, in work pixels: a few lines of text.
const STRETCH_TILE: u32 = 48;

/// Letters in words read with at least 60% confidence.
fn sure_letters(words: &[crate::Word]) -> usize {
    words
        .iter()
        .filter(|w| w.conf >= 60.0)
        .map(|w| w.text.chars().filter(|c| c.is_alphanumeric()).count())
        .sum()
}
