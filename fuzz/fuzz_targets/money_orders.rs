//! Money amounts (`$1,499.99`, `€ 9,99`, `399 dollars`) and order numbers in a text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redflag_engine::Profile;
use redflag_extract::{fuzzing, parse_amount};

// The profile is built before libFuzzer starts its clock: built by the first input, it can
// take over the 1 s timeout on a loaded machine (money_orders' first input did, in CI on
// 2026-12-07).
fuzz_target!(init: { Profile::embedded(); }, |data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for m in fuzzing::find_money(&text) {
        redflag_fuzz::check_span(&text, "money", m.span);
    }
    let brand = &Profile::embedded().brand;
    for o in fuzzing::find_orders(&text, brand) {
        redflag_fuzz::check_span(&text, "order", o.span);
    }
    for r in brand.order_numbers(&text) {
        assert!(text.get(r).is_some(), "order number range not on a char boundary");
    }
    let _ = parse_amount(&text);
    for w in text.split_whitespace().take(64) {
        let _ = parse_amount(w);
    }
});
