//! Recognition with the real Tesseract (the `tesseract` feature; Debian's tesseract-ocr-eng).

#![cfg(feature = "tesseract")]

use redflag_ocr::{Recognizer, ScreenKind};
use std::path::Path;

fn fixture(rel: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn a_phone_screenshot_is_read_as_the_text_a_person_sees() {
    let mut rec = Recognizer::new("eng").expect("Tesseract with English");
    let shot = rec
        .read(&fixture("screen/sms-scam-package-fee.png"), None)
        .expect("read");
    assert_eq!(shot.reading.kind, ScreenKind::Sms);
    assert_eq!(shot.reading.sender.as_deref(), Some("+1 (305) 555-0147"));
    let body = &shot.reading.body;
    assert!(
        body.starts_with("Amazon: We attempted to deliver your package"),
        "{body}"
    );
    // The link the bubble wrapped over three lines is one link again.
    assert!(
        body.contains("https://amazon-redelivery.top/us/track?id=AMZ8823190"),
        "{body}"
    );
    assert!(
        !body.contains("9:41"),
        "the status bar is not the message: {body}"
    );
    for w in &shot.page.words {
        assert!(w.rect.x + w.rect.w <= shot.page.width && w.rect.y + w.rect.h <= shot.page.height);
    }
    assert!(shot.page.mean_conf() > 70.0);
}

#[test]
fn the_same_image_reads_the_same_twice() {
    let mut rec = Recognizer::new("eng").expect("Tesseract with English");
    let bytes = fixture("screen/popup-scam-defender-blocked.jpg");
    let a = rec.read(&bytes, None).expect("read");
    let b = rec.read(&bytes, None).expect("read");
    assert_eq!(a.page.text, b.page.text);
    assert_eq!(a.reading.kind, ScreenKind::Popup);
}

#[test]
fn a_missing_language_is_a_clear_error() {
    let err = Recognizer::new("xyz").expect_err("no such language");
    assert!(err.to_string().contains("tesseract-ocr"), "{err}");
}
