//! Reading a person's order history for `--orders`.

use anyhow::Context as _;
use redflag_engine::{Engine, OrderHistory, OrdersError};

/// Reads an order history: Amazon's "Request your data" order CSV (any variant) or a plain
/// list of order numbers.
pub(crate) fn read(engine: &Engine, path: &std::path::Path) -> anyhow::Result<OrderHistory> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read the order file {}", path.display()))?;
    engine
        .order_history(&[&String::from_utf8_lossy(&bytes)])
        .and_then(|h| h.ok_or(OrdersError::NoOrders))
        .with_context(|| format!("cannot use the order file {}", path.display()))
}
