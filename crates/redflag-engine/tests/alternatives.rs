//! Both versions of a `multipart/alternative` email reach the rules: a lure written only in
//! the plain-text version, or only in the HTML version, gives its finding either way, and
//! the finding's evidence says which version it is in. Scammers put one text in each (a
//! clean one for filters, the lure for people); reading only one of the two misses it.

use base64::Engine as _;
use proptest::prelude::*;
use redflag_engine::{AnalyzeOptions, BodyPartKind, Engine, InputOptions, Report, read_input};

/// Lures and the rules each must set off, wherever it is written.
const LURES: &[(&str, &[&str])] = &[
    (
        "To keep your account open, reply with your password and credit card number.",
        &["CRD001", "CRD003"],
    ),
    (
        "Call our billing desk at 1-888-555-0199 to cancel the charge.",
        &["PHN001"],
    ),
    (
        "Pay the $49 release fee with an Apple gift card to get your parcel.",
        &["PAY001"],
    ),
    (
        "Install AnyDesk so that our technician can fix your account.",
        &["RMT001"],
    ),
];

/// What both versions say, around the lure.
const FILLER: &[&str] = &[
    "Hello,",
    "We have updated our conditions of use.",
    "Thank you for being a valued member.",
    "This message was sent to you as a member.",
    "Kind regards, the team",
];

#[derive(Debug, Clone, Copy)]
enum Encoding {
    SevenBit,
    QuotedPrintable,
    Base64,
}

fn encode(text: &str, enc: Encoding) -> (String, &'static str) {
    match enc {
        Encoding::SevenBit => (text.to_string(), "7bit"),
        Encoding::QuotedPrintable => (
            text.replace('=', "=3D").replace('$', "=24"),
            "quoted-printable",
        ),
        Encoding::Base64 => {
            let b = base64::engine::general_purpose::STANDARD.encode(text);
            let lines: Vec<&str> = b
                .as_bytes()
                .chunks(76)
                .map(|c| std::str::from_utf8(c).expect("base64 is ASCII"))
                .collect();
            (lines.join("\n"), "base64")
        }
    }
}

fn part(content_type: &str, text: &str, enc: Encoding) -> String {
    let (body, cte) = encode(text, enc);
    format!(
        "Content-Type: {content_type}; charset=utf-8\nContent-Transfer-Encoding: {cte}\n\n{body}\n"
    )
}

/// An alternative email: the filler in both versions, the lure (if any) in one.
fn email(
    filler: &[&str],
    lure: Option<&str>,
    lure_in_plain: bool,
    plain_first: bool,
    encodings: (Encoding, Encoding),
) -> String {
    let mut plain: Vec<String> = filler.iter().map(|s| s.to_string()).collect();
    let mut html: Vec<String> = filler.iter().map(|s| format!("<p>{s}</p>")).collect();
    if let Some(lure) = lure {
        let at = filler.len() / 2;
        if lure_in_plain {
            plain.insert(at, lure.to_string());
        } else {
            html.insert(at, format!("<div><b>{lure}</b></div>"));
        }
    }
    let plain = part("text/plain", &plain.join("\n\n"), encodings.0);
    let html = part(
        "text/html",
        &format!("<html><body>{}</body></html>", html.join("\n")),
        encodings.1,
    );
    let (first, second) = if plain_first {
        (plain, html)
    } else {
        (html, plain)
    };
    format!(
        "From: Amazon <service@amaz0n-alerts.example>\nTo: jane@example.com\nSubject: Account notice\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"alt\"\n\n--alt\n{first}--alt\n{second}--alt--\n"
    )
}

fn report(raw: &str) -> Report {
    let engine = Engine::default();
    let msgs = read_input(raw.as_bytes(), &InputOptions::default()).expect("an email");
    let msg = msgs
        .into_iter()
        .next()
        .expect("one message")
        .expect("readable");
    engine.analyze(&msg, &AnalyzeOptions::default())
}

fn encoding() -> impl Strategy<Value = Encoding> {
    prop_oneof![
        Just(Encoding::SevenBit),
        Just(Encoding::QuotedPrintable),
        Just(Encoding::Base64),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn a_lure_in_either_version_is_found_there(
        lure in 0..LURES.len(),
        filler in proptest::sample::subsequence(FILLER, 1..=FILLER.len()),
        lure_in_plain in any::<bool>(),
        plain_first in any::<bool>(),
        encodings in (encoding(), encoding()),
    ) {
        let (text, rules) = LURES[lure];
        let raw = email(&filler, Some(text), lure_in_plain, plain_first, encodings);
        let r = report(&raw);
        let want = if lure_in_plain {
            BodyPartKind::PlainTextAlternative
        } else {
            BodyPartKind::Html
        };
        for rule in rules {
            let f = r.findings.iter().find(|f| f.rule == *rule);
            prop_assert!(f.is_some(), "no {rule} in {raw}\ngot {:?}",
                r.findings.iter().map(|f| f.rule).collect::<Vec<_>>());
            let f = f.expect("checked");
            prop_assert!(
                f.evidence.iter().any(|e| e.part == Some(want)),
                "{rule}'s evidence is not marked {want:?}: {:?}", f.evidence
            );
        }
    }

    /// The near miss: the same emails without the lure set off none of its rules, and a
    /// plain-text version that says what the HTML says adds nothing to the text.
    #[test]
    fn the_same_emails_without_a_lure_do_not(
        filler in proptest::sample::subsequence(FILLER, 1..=FILLER.len()),
        plain_first in any::<bool>(),
        encodings in (encoding(), encoding()),
    ) {
        let raw = email(&filler, None, false, plain_first, encodings);
        let r = report(&raw);
        for (_, rules) in LURES {
            for rule in *rules {
                prop_assert!(r.findings.iter().all(|f| f.rule != *rule), "{rule} in {raw}");
            }
        }
        for f in &filler {
            prop_assert_eq!(r.text.matches(f).count(), 1, "{} read twice: {}", f, r.text);
        }
    }
}
