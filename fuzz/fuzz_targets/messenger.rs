//! Facebook Messenger JSON exports.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = redflag_message::parse_messenger_json(data) {
        redflag_fuzz::check_message(&m);
    }
});
