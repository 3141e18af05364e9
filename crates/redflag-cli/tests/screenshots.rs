//! `redflag check` on screenshots: images refused with a clear error when they cannot be
//! read (too many pixels, damaged, a format not decoded, a build without text recognition),
//! and, in a build with the `ocr` feature, read as the message they show.

use redflag_ocr::testing::png_header;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(p: &str) -> String {
    root().join("tests/fixtures").join(p).display().to_string()
}

fn redflag(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_redflag"))
        .args(args)
        .output()
        .unwrap()
}

fn tmp(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("redflag-shots-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

#[test]
fn a_50_megapixel_image_is_refused_from_its_header() {
    let p = tmp("bomb.png", &png_header(10_000, 5_000));
    let o = redflag(&["check", &p]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("10000 x 5000 pixels"), "{err}");
    assert!(err.contains("40 megapixels"), "{err}");
}

#[test]
fn a_damaged_or_unsupported_image_says_so() {
    let p = tmp("cut.png", &png_header(800, 600));
    let o = redflag(&["check", "--json", &p]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("damaged or incomplete"), "{err}");
    let p = tmp("photo.heic", b"\0\0\0\x18ftypheic\0\0\0\0mif1heic");
    let o = redflag(&["check", &p]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("HEIC images cannot be read yet"));
}

#[cfg(not(feature = "ocr"))]
#[test]
fn a_build_without_text_recognition_says_how_to_get_it() {
    let o = redflag(&["check", &fixture("screen/sms-scam-package-fee.png")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--features ocr"));
}

#[cfg(feature = "ocr")]
mod with_ocr {
    use super::*;

    fn report(args: &[&str]) -> (Option<i32>, serde_json::Value) {
        let o = redflag(args);
        let v = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
        (o.status.code(), v)
    }

    #[test]
    fn a_phone_screenshot_of_a_scam_text_is_flagged_with_its_marks() {
        let (code, v) = report(&[
            "check",
            "--json",
            &fixture("screen/sms-scam-package-fee.png"),
        ]);
        assert_eq!(code, Some(1), "{v:#}");
        assert_eq!(v["channel"], "sms");
        let image = &v["image"];
        assert_eq!(image["screen"], "sms");
        assert_eq!(image["screen_given"], false);
        assert!(image["confidence"].as_u64().unwrap() > 60);
        let regions = image["regions"].as_array().unwrap();
        assert!(!regions.is_empty());
        // Every box is inside the image.
        let (w, h) = (
            image["width"].as_u64().unwrap(),
            image["height"].as_u64().unwrap(),
        );
        for b in regions.iter().flat_map(|r| r["boxes"].as_array().unwrap()) {
            assert!(b["x"].as_u64().unwrap() + b["w"].as_u64().unwrap() <= w + 8);
            assert!(b["y"].as_u64().unwrap() + b["h"].as_u64().unwrap() <= h + 8);
        }
        assert!(
            v["notes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["code"] == "read-from-image")
        );
    }

    #[test]
    fn a_genuine_screenshot_is_not_flagged() {
        let (code, v) = report(&[
            "check",
            "--json",
            &fixture("screen/email-legit-amazon-shipped.png"),
        ]);
        assert_eq!(code, Some(0), "{v:#}");
        assert_eq!(v["image"]["screen"], "email");
    }

    #[test]
    fn a_tech_support_pop_up_is_its_own_scenario() {
        let (code, v) = report(&[
            "check",
            "--json",
            &fixture("screen/popup-scam-defender-blocked.jpg"),
        ]);
        assert_eq!(code, Some(1), "{v:#}");
        assert_eq!(v["channel"], "screen");
        let findings = v["findings"].as_array().unwrap();
        // The story (the scenario, which chooses the advice) and the red flag: a number to
        // call about a locked computer.
        assert!(findings.iter().any(|f| f["rule"] == "SCN017"), "{v:#}");
        assert!(
            findings
                .iter()
                .any(|f| f["rule"] == "PHN006" && f["points"] == 40),
            "{v:#}"
        );
        assert!(
            v["advice"].to_string().contains("Close the browser"),
            "{v:#}"
        );
    }

    #[test]
    fn the_person_can_say_what_the_screenshot_shows() {
        let (_, v) = report(&[
            "check",
            "--json",
            "--channel",
            "screen",
            &fixture("screen/sms-scam-package-fee.png"),
        ]);
        assert_eq!(v["channel"], "screen");
        assert_eq!(v["image"]["screen"], "popup");
        assert_eq!(v["image"]["screen_given"], true);
    }

    #[test]
    fn the_same_screenshot_gives_the_same_report() {
        let a = redflag(&[
            "check",
            "--json",
            &fixture("screen/sms-scam-package-fee.png"),
        ]);
        let b = redflag(&[
            "check",
            "--json",
            &fixture("screen/sms-scam-package-fee.png"),
        ]);
        assert_eq!(a.stdout, b.stdout);
    }
}
