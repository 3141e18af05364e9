//! Money amounts.

use redflag_message::Span;
use serde::Serialize;

/// A money amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MoneyRef {
    /// Where it is.
    pub span: Span,
    /// As written.
    pub raw: String,
    /// Amount in hundredths (cents).
    pub cents: i64,
    /// ISO 4217 code (`USD`, `EUR`, `GBP`, `JPY`, `INR`, ...).
    pub currency: String,
}

/// Finds amounts like `$1,499.99`, `USD 25`, `€ 9,99`, `£10`, `399 dollars`.
pub(crate) fn find(text: &str) -> Vec<MoneyRef> {
    let _ = text;
    todo!()
}
