//! Phone-number extraction (candidates by pattern, keypad letters, libphonenumber).
//!
//! The first byte picks the channel and whether the first line is the sender (a sender
//! that is a phone number is always returned, and its country guides national numbers).
#![no_main]

use libfuzzer_sys::fuzz_target;
use redflag_extract::{NormText, fuzzing};
use redflag_message::{TextInput, parse_text_message};

fuzz_target!(|data: &[u8]| {
    let (control, text) = redflag_fuzz::control_and_text(data);
    let (sender, body) = match (control & 0x40 != 0, text.split_once('\n')) {
        (true, Some((s, b))) => (Some(s), b),
        _ => (None, text.as_str()),
    };
    let Ok(msg) = parse_text_message(TextInput {
        channel: redflag_fuzz::channel(control),
        text: body,
        sender,
        subject: None,
    }) else {
        return;
    };
    let norm = NormText::new(&msg.text);
    for p in fuzzing::find_phones(&msg, &norm) {
        redflag_fuzz::check_span(&msg.text, "phone", p.span);
    }
});
