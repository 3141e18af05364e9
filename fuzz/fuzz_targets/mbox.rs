//! mbox splitting (postmark lines, `>From ` quoting) and each message parsed as an email.
//! (Maildir has no parser: the CLI reads each of its files as one email, which `email`
//! covers.)
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    redflag_fuzz::allow_caught_parser_panics();
    for m in redflag_message::parse_mbox(data).into_iter().flatten() {
        redflag_fuzz::check_message(&m);
    }
});
