//! Reading a person's order history for `--orders`.

use anyhow::Context as _;
use redflag_rules::OrderHistory;

/// Reads an order history: Amazon's "Request your data" order CSV (any variant) or a plain
/// list of order numbers.
pub(crate) fn read(path: &std::path::Path) -> anyhow::Result<OrderHistory> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read the order file {}", path.display()))?;
    OrderHistory::parse(&String::from_utf8_lossy(&bytes))
        .with_context(|| format!("cannot use the order file {}", path.display()))
}
