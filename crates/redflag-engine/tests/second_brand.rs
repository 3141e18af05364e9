//! A second brand is a data file: the DHL profile (`data/brands/dhl.toml`) runs through the
//! same rules, which then speak of DHL, trust DHL's sites and distrust look-alikes of DHL's
//! name, and no longer treat Amazon as the brand.

use redflag_engine::{AnalyzeOptions, Engine, Report, Verdict};
use redflag_message::{Channel, TextInput, parse_text_message};
use redflag_profile::Profile;
use std::sync::Arc;

const DHL: &str = include_str!("../../redflag-profile/data/brands/dhl.toml");

fn check(engine: &Engine, text: &str) -> Report {
    let msg = parse_text_message(TextInput {
        channel: Channel::Sms,
        text,
        sender: Some("+447700900123"),
        subject: None,
    })
    .expect("a text message");
    engine.analyze(&msg, &AnalyzeOptions::default())
}

fn rules(r: &Report) -> Vec<&str> {
    r.findings
        .iter()
        .filter(|f| f.points > 0)
        .map(|f| f.rule)
        .collect()
}

#[test]
fn the_rules_protect_whichever_brand_the_profile_names() {
    let engine = Engine::new(Arc::new(Profile::with_brand(DHL).expect("dhl.toml loads")));
    assert_eq!(engine.profile().brand.name, "DHL");

    // A parcel-fee text with a look-alike of DHL's name: a scam, explained as DHL's.
    let r = check(
        &engine,
        "DHL: your parcel is held at our depot. Pay the 1.99 EUR customs fee within 24 hours at https://dhl-redelivery-fee.top/pay",
    );
    assert_eq!(r.brand, "dhl");
    assert_eq!(r.verdict, Verdict::Scam, "{:?}", rules(&r));
    assert!(rules(&r).contains(&"LNK003"), "{:?}", rules(&r));
    let lookalike = r.findings.iter().find(|f| f.rule == "LNK003").unwrap();
    assert!(
        lookalike
            .evidence
            .iter()
            .any(|e| e.note.as_deref().is_some_and(|n| n.contains("DHL"))),
        "{lookalike:?}"
    );
    assert!(r.claims_brand);

    // DHL's own sites are trusted: a tracking notice linking to dhl.de is clean, and says why.
    let r = check(
        &engine,
        "DHL: your parcel will be delivered today between 10:00 and 12:00. Track it at https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html",
    );
    assert_eq!(r.verdict, Verdict::Clean, "{:?}", rules(&r));
    assert!(
        r.genuine_signs.iter().any(|g| g.message.contains("dhl.de")),
        "{:?}",
        r.genuine_signs
    );

    // With DHL as the brand, amazon.com is just another site: a text claiming DHL that links
    // there leads away from DHL.
    let r = check(
        &engine,
        "DHL: confirm your delivery address at https://www.amazon.com/gp/css",
    );
    assert!(rules(&r).contains(&"LNK002"), "{:?}", rules(&r));
    let off = r.findings.iter().find(|f| f.rule == "LNK002").unwrap();
    assert!(off.message.contains("amazon.com"), "{}", off.message);

    // The advice and the brand's report come from the DHL profile.
    assert!(
        r.reports
            .iter()
            .any(|rep| rep.address == "phishing-dpdhl@dhl.com"
                || rep.how.contains("phishing-dpdhl@dhl.com"))
    );
    assert!(
        r.advice.steps.iter().any(|s| s.contains("dhl.com")),
        "{:?}",
        r.advice.steps
    );
    for f in &r.findings {
        assert!(
            !f.explanation.contains("Amazon"),
            "{}: {}",
            f.rule,
            f.explanation
        );
    }
}
