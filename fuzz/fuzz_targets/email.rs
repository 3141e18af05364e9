//! MIME parsing: raw bytes as an email (headers, charsets, multipart, HTML, attachments,
//! forwards), then the span invariants of the message.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    redflag_fuzz::allow_caught_parser_panics();
    let _ = redflag_message::detect_kind(data);
    if let Ok(m) = redflag_message::parse_email(data) {
        redflag_fuzz::check_message(&m);
    }
});
