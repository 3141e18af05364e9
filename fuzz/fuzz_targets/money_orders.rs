//! Money amounts (`$1,499.99`, `€ 9,99`, `399 dollars`) and order numbers in a text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redflag_extract::{amazon_order_numbers, fuzzing, parse_amount};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for m in fuzzing::find_money(&text) {
        redflag_fuzz::check_span(&text, "money", m.span);
    }
    for o in fuzzing::find_orders(&text) {
        redflag_fuzz::check_span(&text, "order", o.span);
    }
    let _ = amazon_order_numbers(&text).count();
    let _ = parse_amount(&text);
    for w in text.split_whitespace().take(64) {
        let _ = parse_amount(w);
    }
});
