//! The order history: the "Request your data" CSV in any variant, or pasted order numbers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redflag_engine::Profile;
use redflag_extract::{MAX_ORDERS, OrderHistory, amount_cents, order_key};

// The profile is built before libFuzzer starts its clock: built by the first input, it can
// take over the 1 s timeout on a loaded machine (money_orders' first input did, in CI on
// 2026-12-07).
fuzz_target!(init: { Profile::embedded(); }, |data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = amount_cents(&text);
    if let Ok(h) = OrderHistory::parse(&text, &Profile::embedded().brand) {
        assert!(!h.orders.is_empty() && h.orders.len() <= MAX_ORDERS);
        let _ = h.has_amounts();
        let _ = h.has_items();
        for id in h.order_ids().take(16) {
            let _ = order_key(id);
            assert!(h.find(id).is_some(), "order {id:?} not found by its own id");
        }
    }
});
