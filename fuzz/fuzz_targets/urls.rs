//! Link extraction: HTML anchors, URLs and bare domains in text, obfuscated forms
//! (`hxxp`, `[.]`, `(dot)`), email addresses, then the domain helpers on every host.
//!
//! The first byte picks how the rest is read: as a text message of some channel (with an
//! optional sender on the first line), or as an email (whose HTML gives anchors).
#![no_main]

use libfuzzer_sys::fuzz_target;
use redflag_extract::{
    NormText, fuzzing, is_ip_host, registrable_domain, skeleton_eq, to_unicode_host,
};
use redflag_message::{TextInput, parse_email, parse_text_message};

fuzz_target!(|data: &[u8]| {
    redflag_fuzz::allow_caught_parser_panics();
    let (control, text) = redflag_fuzz::control_and_text(data);
    let msg = if control & 0x80 != 0 {
        parse_email(&data[1..])
    } else {
        let (sender, body) = match (control & 0x40 != 0, text.split_once('\n')) {
            (true, Some((s, b))) => (Some(s), b),
            _ => (None, text.as_str()),
        };
        parse_text_message(TextInput {
            channel: redflag_fuzz::channel(control),
            text: body,
            sender,
            subject: None,
        })
    };
    let Ok(msg) = msg else { return };
    let (urls, emails) = fuzzing::find_urls(&msg);
    for u in &urls {
        redflag_fuzz::check_span(&msg.text, "url", u.span);
        if let Some(h) = &u.host {
            let _ = registrable_domain(h);
            let _ = is_ip_host(h);
            let _ = to_unicode_host(h);
            let _ = skeleton_eq(h, "amazon.com");
        }
    }
    for e in &emails {
        redflag_fuzz::check_span(&msg.text, "email", e.span);
    }
    // The domain helpers on raw words too (they take whatever a header or a rule hands them).
    for w in text.split_whitespace().take(64) {
        let _ = registrable_domain(w);
        let _ = is_ip_host(w);
        let _ = to_unicode_host(w);
        let _ = skeleton_eq(w, "amazon.com");
    }
    let _ = NormText::new(&msg.text);
});
