//! Reading a person's order history for `--orders`.

use anyhow::Context as _;
use redflag_rules::OrderHistory;
use regex::Regex;
use std::sync::LazyLock;

/// Any Amazon-style order number (3-7-7, digital D01-).
static ORDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:\d{3}|D01)-\d{7}-\d{7}\b").expect("valid pattern"));

/// Reads an order history: Amazon's "Request your data" order CSV (any variant: the order
/// numbers are found wherever they are) or a plain list of order numbers.
pub(crate) fn read(path: &std::path::Path) -> anyhow::Result<OrderHistory> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read the order file {}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let mut order_ids: Vec<String> = ORDER
        .find_iter(&text)
        .map(|m| m.as_str().to_string())
        .collect();
    order_ids.sort();
    order_ids.dedup();
    anyhow::ensure!(
        !order_ids.is_empty(),
        "no order numbers (like 112-1234567-1234567) found in {}",
        path.display()
    );
    Ok(OrderHistory { order_ids })
}
