//! Order claims: order numbers that are not in the brand's format, or not in the person's
//! order history.

use crate::helpers::quote;
use crate::{ALL, Context, Evidence, Finding, RuleMeta, rule};

rule! {
    /// A message that claims to be the brand quotes an "order number" that does not have
    /// the brand's format (Amazon: `123-1234567-1234567`, digital `D01-...`).
    ///
    /// **Why:** the advisory says to check whether an order matches; a number in the wrong
    /// format matches nothing by construction.
    ///
    /// **Example:** `Order #AMZ-88213-US has been placed.`
    ///
    /// **Known false positives:** other companies' order numbers in a message that merely
    /// mentions the brand, and marketplace sellers' references in real Amazon mail (15
    /// points instead of 30 in mail from the brand's own domain).
    pub struct MalformedOrderNumber;
    id: "ORD001", name: "malformed-order-number", family: Orders, severity: Medium,
    points: 30, channels: ALL, summary: "Quotes an order number that is not in Amazon's format",
    check: malformed_order_number,
}

fn malformed_order_number(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    if !cx.claim.claims {
        return;
    }
    let brand = &cx.profile.brand;
    let bad: Vec<_> = cx
        .ind
        .orders
        .iter()
        .filter(|o| cx.in_content(o.span) && !brand.is_order_number(&o.value))
        .collect();
    if let Some(first) = bad.first() {
        let evidence = bad
            .iter()
            .take(4)
            .map(|o| Evidence::with_note(o.span, format!("not in {}'s format", brand.name)))
            .collect();
        let f = Finding::new(
            meta,
            format!(
                "order number `{}` is not in {}'s format",
                quote(&first.value),
                brand.name
            ),
            evidence,
        );
        // Mail from the brand's own domain may quote a marketplace seller's reference.
        out.push(if cx.claim.sender_is_brand {
            f.points(15)
        } else {
            f
        });
    }
}

rule! {
    /// The order number the message quotes is not in the person's order history (given with
    /// `--orders FILE`: Amazon's "Request your data" order CSV, or a list of order numbers).
    ///
    /// **Why:** the advisory: "Go to Your Orders to verify. Is there an order that matches
    /// the correspondence?" No matching order means the message is not from Amazon.
    ///
    /// **Example:** `Your order 114-5550199-0000001 has shipped` when no such order exists.
    ///
    /// **Known false positives:** an incomplete or old history export.
    pub struct OrderNotInHistory;
    id: "ORD002", name: "order-not-in-history", family: Orders, severity: High,
    points: 40, channels: ALL, summary: "Quotes an order that is not in your order history",
    check: order_not_in_history,
}

fn order_not_in_history(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    let Some(history) = cx.orders else { return };
    let norm = |s: &str| {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_uppercase()
    };
    let known: Vec<String> = history.order_ids.iter().map(|s| norm(s)).collect();
    let bad: Vec<_> = cx
        .ind
        .orders
        .iter()
        .filter(|o| cx.in_content(o.span) && !known.contains(&norm(&o.value)))
        .collect();
    if let Some(first) = bad.first() {
        let evidence = bad
            .iter()
            .take(4)
            .map(|o| Evidence::with_note(o.span, "no such order in your history"))
            .collect();
        out.push(Finding::new(
            meta,
            format!(
                "order `{}` is not in your order history",
                quote(&first.value)
            ),
            evidence,
        ));
    }
}
