//! `Authentication-Results` header values (RFC 8601, leniently).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let value = String::from_utf8_lossy(data);
    let (_id, results) = redflag_message::fuzzing::parse_auth_results(&value);
    assert!(results.len() <= 64, "{} results", results.len());
});
