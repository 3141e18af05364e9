//! Properties of the whole analysis on arbitrary input: it never panics, the score stays in
//! 0..=100 and matches the verdict, findings' points add up to the score, and every evidence
//! span slices the text; `Engine::assess` agrees with the report.

mod common;

use proptest::prelude::*;
use redflag_engine::{AnalyzeOptions, Channel, Engine, InputOptions, Verdict, read_input};

fn check(bytes: &[u8], channel: Option<Channel>) {
    let engine = Engine::default();
    let opts = InputOptions {
        channel,
        sender: Some("+1 (888) 555-0199".into()),
        subject: None,
    };
    let Ok(msgs) = read_input(bytes, &opts) else {
        return;
    };
    for m in msgs.into_iter().flatten() {
        let r = engine.analyze(&m, &AnalyzeOptions::default());
        common::assert_assessment_matches(
            "input",
            &r,
            &engine.assess(&m, &AnalyzeOptions::default()),
        );
        assert!(r.score <= 100);
        assert_eq!(r.verdict, Verdict::from_score(r.score));
        let sum: u32 = r.findings.iter().map(|f| u32::from(f.points)).sum();
        assert_eq!(sum.min(100), u32::from(r.score));
        for f in &r.findings {
            assert!(!f.evidence.is_empty());
            for e in &f.evidence {
                assert_eq!(r.text.get(e.start..e.end), Some(e.text.as_str()));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_text(s in "\\PC{0,400}") {
        check(s.as_bytes(), Some(Channel::Sms));
        check(s.as_bytes(), Some(Channel::Call));
    }

    #[test]
    fn scam_like_text(parts in proptest::collection::vec(prop_oneof![
        Just("Amazon"), Just("Amaz0n"), Just("call"), Just("1-888-555-0199"), Just("gift card"),
        Just("https://amazon.com.x.top/a"), Just("password"), Just("hxxp://a[.]b"), Just("ＡＭＡＺＯＮ"),
        Just("\u{200b}"), Just("$1,499.00"), Just("#AMZ-1"), Just("press 1"), Just(" "), Just("\n"),
    ], 0..40)) {
        let s: String = parts.concat();
        check(s.as_bytes(), Some(Channel::Sms));
    }

    #[test]
    fn any_bytes_as_email(b in proptest::collection::vec(any::<u8>(), 0..600)) {
        let mut raw = b"From: Amazon <x@y.example>\r\nSubject: hi\r\n\r\n".to_vec();
        raw.extend_from_slice(&b);
        check(&raw, None);
        check(&b, None);
    }
}
