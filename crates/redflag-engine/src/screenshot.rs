//! Screenshots: a message read off an image, and where on the image each red flag's
//! evidence is.
//!
//! Recognition (Tesseract, the `ocr` feature) happens where input is read, like parsing; the
//! analysis of the message it gives is the same as for any other message. [`ImageMessage`]
//! keeps the image's words aligned with the message's display text, so that a finding's
//! evidence spans become boxes on the image ([`ImageMessage::image_report`]).

use crate::{Channel, InputError, InputOptions, Message, Report};
use redflag_message::{ParseNote, Span, TextInput};
use serde::Serialize;

#[cfg(feature = "ocr")]
pub use redflag_ocr::Recognizer;
pub use redflag_ocr::{
    CleanImage, Error as ImageError, Format as ImageFormat, MAX_IMAGE_BYTES, MAX_PIXELS, Rect,
    ScreenKind, Screenshot, clean_copy, dimensions as image_dimensions, sniff as sniff_image,
};

/// The code of the note every message read from an image carries
/// ([`redflag_message::NOTE_READ_FROM_IMAGE`]).
pub use redflag_message::NOTE_READ_FROM_IMAGE;

/// Reads screenshots for any surface: with the `ocr` feature, Tesseract instances kept in a
/// pool (one per thread at work, created on demand); without it, every read fails with
/// [`ImageError::NoRecognizer`], which says how to build redflag with it.
#[derive(Debug)]
pub struct ImageReader {
    languages: String,
    #[cfg(feature = "ocr")]
    pool: std::sync::Mutex<Vec<Recognizer>>,
}

/// The Tesseract languages redflag reads screenshots in by default: English, whose model
/// also reads the other Latin-script languages' words well enough for the rules' phrases.
/// More languages (`eng+deu`) read accents better and take longer.
pub const DEFAULT_OCR_LANGUAGES: &str = "eng";

impl ImageReader {
    /// A reader for `languages` (Tesseract's codes joined by `+`). With the `ocr` feature,
    /// starts one Tesseract instance to check that it and the languages are installed.
    pub fn new(languages: &str) -> Result<ImageReader, ImageError> {
        #[cfg(feature = "ocr")]
        {
            let first = Recognizer::new(languages)?;
            Ok(ImageReader {
                languages: languages.to_string(),
                pool: std::sync::Mutex::new(vec![first]),
            })
        }
        #[cfg(not(feature = "ocr"))]
        {
            Ok(ImageReader {
                languages: languages.to_string(),
            })
        }
    }

    /// True when this build can read text in images.
    pub fn available() -> bool {
        cfg!(feature = "ocr")
    }

    /// The languages it reads.
    pub fn languages(&self) -> &str {
        &self.languages
    }

    /// Decodes an image, recognises its text and reads it as a message.
    pub fn read(&self, bytes: &[u8], opts: &InputOptions) -> Result<ImageMessage, InputError> {
        // The header is checked first: a bomb is refused before a Tesseract is taken.
        redflag_ocr::dimensions(bytes)?;
        #[cfg(feature = "ocr")]
        {
            let taken = self.pool.lock().ok().and_then(|mut p| p.pop());
            let mut rec = match taken {
                Some(r) => r,
                None => Recognizer::new(&self.languages)?,
            };
            let shot = rec.read(bytes, screen_kind(opts.channel));
            if let Ok(mut p) = self.pool.lock() {
                p.push(rec);
            }
            screenshot_message(shot?, opts)
        }
        #[cfg(not(feature = "ocr"))]
        {
            let _ = opts;
            Err(ImageError::NoRecognizer.into())
        }
    }
}

/// What the person said the screenshot shows, as the reader's kind of screen.
pub fn screen_kind(channel: Option<Channel>) -> Option<ScreenKind> {
    channel.map(|c| match c {
        Channel::Email => ScreenKind::Email,
        Channel::Chat => ScreenKind::Chat,
        Channel::Screen => ScreenKind::Popup,
        Channel::Sms | Channel::Call => ScreenKind::Sms,
    })
}

/// A message read from a screenshot.
#[derive(Debug, Clone)]
pub struct ImageMessage {
    /// The message, as for any other input.
    pub message: Message,
    /// What was read off the image.
    pub shot: Screenshot,
    /// True when the person said what the screenshot shows (`--channel`).
    pub kind_given: bool,
    /// For each word of the image ([`redflag_ocr::Page::words`]), its span in the message's
    /// display text, when it is part of the message.
    words: Vec<Option<Span>>,
}

/// Reads an image's recognised text as a message: the channel from what the screen shows
/// (or what the person said), the sender at the top of a phone's thread or an email's From
/// line (or the one the person gave), and the message's own lines.
pub fn screenshot_message(
    shot: Screenshot,
    opts: &InputOptions,
) -> Result<ImageMessage, InputError> {
    let reading = &shot.reading;
    let channel = opts.channel.unwrap_or(match reading.kind {
        ScreenKind::Sms => Channel::Sms,
        ScreenKind::Email => Channel::Email,
        ScreenKind::Chat => Channel::Chat,
        ScreenKind::Popup => Channel::Screen,
    });
    let sender = opts.sender.as_deref().or(reading.sender.as_deref());
    let subject = opts.subject.as_deref().or(reading.subject.as_deref());
    let mut message = redflag_message::parse_text_message(TextInput {
        channel,
        text: &reading.body,
        sender,
        subject,
    })?;
    message.notes.push(ParseNote::new(
        NOTE_READ_FROM_IMAGE,
        format!(
            "The text was read from a {} image by text recognition ({}% confidence on \
             average). A misread letter can change a word, so spelling was not judged; check \
             the numbers and links against the image.",
            shot.format.name(),
            shot.page.mean_conf().round()
        ),
    ));
    let words = align(&shot, &message);
    Ok(ImageMessage {
        message,
        kind_given: opts.channel.is_some(),
        shot,
        words,
    })
}

/// Finds each used word of the image in the display text: the sender's and subject's lines
/// in their header lines, the body's lines in order in the body.
fn align(shot: &Screenshot, msg: &Message) -> Vec<Option<Span>> {
    let page = &shot.page;
    let r = &shot.reading;
    let mut out = vec![None; page.words.len()];
    let text = msg.text.as_str();
    let body = msg.body_span();
    let header_line = |kind: redflag_message::SectionKind| {
        msg.section(kind).map(|s| {
            let start = text[..s.span.start].rfind('\n').map_or(0, |i| i + 1);
            start..s.span.end
        })
    };
    // Places a line's words in order within a range; returns where the last one ended.
    let mut place = |line: usize, within: std::ops::Range<usize>| {
        let mut cursor = within.start;
        for w in page.lines[line].words.clone() {
            let t = &page.text[page.words[w].span.clone()];
            let Some(hay) = text.get(cursor..within.end) else {
                break;
            };
            if let Some(at) = hay.find(t) {
                let start = cursor + at;
                out[w] = Some(Span::new(start, start + t.len()));
                cursor = start + t.len();
            }
        }
        cursor
    };
    if let (Some(l), Some(range)) = (
        r.sender_line,
        header_line(redflag_message::SectionKind::From),
    ) {
        place(l, range);
    }
    if let (Some(l), Some(range)) = (
        r.subject_line,
        header_line(redflag_message::SectionKind::Subject),
    ) {
        place(l, range);
    }
    let mut cursor = body.start;
    for &l in &r.body_lines {
        cursor = place(l, cursor..body.end);
    }
    out
}

/// What a report says about the image it was read from.
#[derive(Debug, Clone, Serialize)]
pub struct ImageReport {
    /// `image/png`, `image/jpeg` or `image/webp`.
    pub media_type: &'static str,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// What the screen shows: `sms`, `email`, `chat` or `popup`.
    pub screen: ScreenKind,
    /// True when the person said so; false when redflag guessed it.
    pub screen_given: bool,
    /// What the guess rests on.
    pub clues: Vec<&'static str>,
    /// Mean recognition confidence of the words, 0 to 100.
    pub confidence: u8,
    /// Everything recognised on the image, in reading order (the message is part of it).
    pub recognised_text: String,
    /// Where each red flag's evidence is on the image: the findings that add points, but the
    /// text model's (whose evidence is the whole text).
    pub regions: Vec<ImageRegion>,
}

/// The boxes on the image of one finding's evidence.
#[derive(Debug, Clone, Serialize)]
pub struct ImageRegion {
    /// The finding's index in [`Report::findings`].
    pub finding: usize,
    /// Its rule.
    pub rule: &'static str,
    /// Boxes in the image's pixels: one per run of evidence words on a line.
    pub boxes: Vec<Rect>,
}

impl ImageMessage {
    /// The image part of a report on this message: its regions from the findings' evidence.
    pub fn image_report(&self, report: &Report) -> ImageReport {
        let page = &self.shot.page;
        let mut regions = Vec::new();
        for (i, f) in report.findings.iter().enumerate() {
            // The red flags that count, each where its words are: not the model's opinion
            // (its evidence is the whole text), not what adds no points.
            if f.points == 0 || f.rule.starts_with("MDL") {
                continue;
            }
            let mut boxes: Vec<Rect> = Vec::new();
            for e in &f.evidence {
                let mut run: Option<(usize, Rect)> = None;
                for line in &page.lines {
                    for w in line.words.clone() {
                        let hit = self.words[w].is_some_and(|s| s.start < e.end && e.start < s.end);
                        if !hit {
                            continue;
                        }
                        let rect = page.words[w].rect;
                        run = match run {
                            Some((l, r)) if l == line.span.start => Some((l, r.union(rect))),
                            Some((_, r)) => {
                                boxes.push(r);
                                Some((line.span.start, rect))
                            }
                            None => Some((line.span.start, rect)),
                        };
                    }
                }
                if let Some((_, r)) = run {
                    boxes.push(r);
                }
            }
            boxes.dedup();
            if !boxes.is_empty() {
                regions.push(ImageRegion {
                    finding: i,
                    rule: f.rule,
                    boxes,
                });
            }
        }
        ImageReport {
            media_type: self.shot.format.media_type(),
            width: page.width,
            height: page.height,
            screen: self.shot.reading.kind,
            screen_given: self.kind_given,
            clues: self.shot.reading.clues.clone(),
            confidence: page.mean_conf().clamp(0.0, 100.0).round() as u8,
            recognised_text: page.text.clone(),
            regions,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AnalyzeOptions, Engine, Verdict};
    use redflag_ocr::{Format, Word};

    fn shot(w: u32, h: u32, lines: &[(u32, &str)]) -> Screenshot {
        let mut words = Vec::new();
        for (n, (y, line)) in lines.iter().enumerate() {
            let mut x = 20;
            for t in line.split(' ') {
                let wd = 14 * t.chars().count() as u32;
                words.push(Word {
                    text: t.into(),
                    rect: Rect {
                        x,
                        y: *y,
                        w: wd,
                        h: 30,
                    },
                    conf: 92.0,
                    line: (n as u32 + 1, 1, 1),
                });
                x += wd + 10;
            }
        }
        Screenshot::from_words(Format::Png, w, h, &words, None, false).unwrap()
    }

    #[test]
    fn a_phone_screenshot_is_a_text_from_the_number_at_the_top() {
        let s = shot(
            1170,
            2532,
            &[
                (20, "9:41"),
                (160, "+1 (844) 555-0142"),
                (300, "Text Message"),
                (330, "Today 9:41 AM"),
                (
                    400,
                    "Amazon: your account is locked. Call 1-888-555-0199 now to unlock it.",
                ),
            ],
        );
        let img = screenshot_message(s, &InputOptions::default()).unwrap();
        assert_eq!(img.message.channel, Channel::Sms);
        assert_eq!(img.message.sender.as_ref().unwrap().value, "+18445550142");
        assert!(
            img.message
                .notes
                .iter()
                .any(|n| n.code == NOTE_READ_FROM_IMAGE)
        );
        let engine = Engine::new(crate::Profile::embedded());
        let report = engine.analyze(&img.message, &AnalyzeOptions::default());
        assert_ne!(report.verdict, Verdict::Clean);
        let image = img.image_report(&report);
        assert_eq!(image.screen, ScreenKind::Sms);
        assert!(!image.screen_given);
        // The callback number's finding is marked on the number's words, on the body's line.
        let phn = report
            .findings
            .iter()
            .position(|f| f.rule.starts_with("PHN"))
            .expect("a callback finding");
        let region = image.regions.iter().find(|r| r.finding == phn).unwrap();
        assert!(region.boxes.iter().all(|b| b.y == 400));
        assert!(region.boxes[0].x > 400, "{:?}", region.boxes);
    }

    #[test]
    fn a_domain_that_may_be_misread_is_shown_but_not_counted() {
        let engine = Engine::new(crate::Profile::embedded());
        let check = |body: &str| {
            let s = shot(1170, 2532, &[(160, "262966"), (400, body)]);
            let img = screenshot_message(s, &InputOptions::default()).unwrap();
            engine.analyze(&img.message, &AnalyzeOptions::default())
        };
        // `arnazon.com` is how recognition may read `amazon.com`.
        let r = check("Amazon: your package was delivered. Track at arnazon.com/orders");
        let lnk: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.rule.starts_with("LNK"))
            .collect();
        assert_eq!(lnk.len(), 1, "{lnk:#?}");
        assert_eq!((lnk[0].rule, lnk[0].points), ("LNK003", 0));
        assert!(
            lnk[0].evidence[0]
                .note
                .as_deref()
                .unwrap()
                .contains("misread")
        );
        assert_eq!(r.verdict, Verdict::Clean);
        // Near miss: a look-alike that no misreading explains still counts in full.
        let r = check("Amazon: your package is held. Pay at amazon-redelivery.top/us");
        assert!(
            r.findings
                .iter()
                .any(|f| f.rule == "LNK003" && f.points == 50)
        );
    }

    #[test]
    fn what_the_person_says_wins_over_the_guess() {
        let s = shot(
            1170,
            2532,
            &[
                (160, "262966"),
                (
                    400,
                    "Your package was delivered. Track at amazon.com/orders",
                ),
            ],
        );
        let opts = InputOptions {
            channel: Some(Channel::Chat),
            sender: Some("Amazon".into()),
            subject: None,
        };
        let img = screenshot_message(s, &opts).unwrap();
        assert_eq!(img.message.channel, Channel::Chat);
        assert_eq!(img.message.sender.as_ref().unwrap().value, "Amazon");
        assert!(img.kind_given);
    }
}
