//! Things quoted as order numbers.

use redflag_message::Span;
use redflag_profile::Brand;
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// A value the message presents as an order number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderRef {
    /// Where the value is.
    pub span: Span,
    /// The value as written (`112-1234567-1234567`, `#AMZ-88921`).
    pub value: String,
}

/// "order", "order number", "order #", "order ID", "order no." and the like, then a token
/// (up to 40 characters, optionally starting with `#`).
static AFTER_KEYWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)order(?-u:\b)(?:[ \t]*(?:number|num|nr|no|id|ref|reference|code|confirmation)(?-u:\b)\.?)?[ \t]*(?:#[ \t]*:|#[ \t]+|[:\-]|is(?-u:\b)|was(?-u:\b))?[ \t]*(?:\r?\n[ \t]*)?(?P<tok>#?[a-z0-9][a-z0-9_\-/#]{0,39})",
    )
    .expect("valid regex")
});

/// Finds order numbers: any in the brand's format ([`Brand::order_numbers`]: Amazon's
/// `ddd-ddddddd-ddddddd` or `D01-ddddddd-ddddddd`), and any token (with at least one digit)
/// that follows "order", "order number", "order #", "order ID", "order no." within a few
/// characters. Case-insensitive.
///
/// The value leaves out trailing punctuation (`-`, `/`, `_`); tokens longer than 40
/// characters are not taken (hashes, tracking links). A token without `#` needs at least
/// three characters (`order 5 items` is not an order number). When both patterns find the
/// same value, it is returned once.
pub(crate) fn find(text: &str, brand: &Brand) -> Vec<OrderRef> {
    let mut out: Vec<OrderRef> = Vec::new();
    for r in brand.order_numbers(text) {
        out.push(OrderRef {
            span: Span::new(r.start, r.end),
            value: text[r].to_string(),
        });
    }
    for c in AFTER_KEYWORD.captures_iter(text) {
        let Some(tok) = c.name("tok") else { continue };
        // Longer than 40 characters: not an order number.
        if text[tok.end()..]
            .starts_with(|ch: char| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '-' | '/'))
        {
            continue;
        }
        let value = tok.as_str().trim_end_matches(['-', '_', '/']);
        let bare = value.trim_start_matches('#');
        if !bare.bytes().any(|b| b.is_ascii_digit())
            || (bare.len() == value.len() && bare.len() < 3)
        {
            continue;
        }
        let span = Span::new(tok.start(), tok.start() + value.len());
        if out
            .iter()
            .any(|o| o.span.start < span.end && span.start < o.span.end)
        {
            // Same value as an Amazon-shaped number (`order #112-...`): keep one, the longer.
            if let Some(o) = out
                .iter_mut()
                .find(|o| o.span.start < span.end && span.start < o.span.end)
                && span.len() > o.span.len()
                && span.contains(o.span)
            {
                o.span = span;
                o.value = value.to_string();
            }
            continue;
        }
        out.push(OrderRef {
            span,
            value: value.to_string(),
        });
    }
    out.sort_by_key(|o| (o.span.start, o.span.end));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(t: &str) -> Vec<String> {
        let o = find(t, &redflag_profile::Profile::embedded().brand);
        for x in &o {
            assert_eq!(&t[x.span.range()], x.value);
        }
        o.into_iter().map(|o| o.value).collect()
    }

    #[test]
    fn amazon_shapes() {
        assert_eq!(
            values("Your order 112-1234567-1234567 shipped."),
            ["112-1234567-1234567"]
        );
        assert_eq!(
            values("Ref 112-1234567-1234567, d01-7654321-7654321."),
            ["112-1234567-1234567", "d01-7654321-7654321"]
        );
        assert!(values("1112-1234567-1234567 and 112-1234567-12345678").is_empty());
    }

    #[test]
    fn after_keyword() {
        assert_eq!(values("Order #AMZ-88921 was placed."), ["#AMZ-88921"]);
        assert_eq!(values("Order number: 4471-2290."), ["4471-2290"]);
        assert_eq!(values("ORDER ID: X99812."), ["X99812"]);
        assert_eq!(values("order no. 55120, shipped"), ["55120"]);
        assert_eq!(values("order # 77123"), ["77123"]);
        assert_eq!(values("Your order is 88213-B"), ["88213-B"]);
        assert_eq!(values("Order:\n  98712"), ["98712"]);
        assert_eq!(values("order #42"), ["#42"]);
        assert_eq!(
            values("Order #112-1234567-1234567 shipped"),
            ["#112-1234567-1234567"]
        );
        assert_eq!(
            values("Order 112-1234567-1234567 shipped"),
            ["112-1234567-1234567"]
        );
    }

    #[test]
    fn not_order_numbers() {
        for t in [
            "Your order has shipped",
            "order 5 items",
            "reorder 12345",
            "orders 12345",
            "order ABCDEF",
            "Order 12345678901234567890123456789012345678901234567890",
        ] {
            assert!(values(t).is_empty(), "{t}: {:?}", values(t));
        }
    }
}
