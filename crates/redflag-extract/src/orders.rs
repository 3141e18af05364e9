//! Things quoted as order numbers.

use redflag_message::Span;
use serde::Serialize;

/// A value the message presents as an order number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderRef {
    /// Where the value is.
    pub span: Span,
    /// The value as written (`112-1234567-1234567`, `#AMZ-88921`).
    pub value: String,
}

/// Finds order numbers: any `ddd-ddddddd-ddddddd` or `D01-ddddddd-ddddddd`, and any token
/// (with at least one digit) that follows "order", "order number", "order #", "order ID",
/// "order no." within a few characters. Case-insensitive.
pub(crate) fn find(text: &str) -> Vec<OrderRef> {
    let _ = text;
    todo!()
}
