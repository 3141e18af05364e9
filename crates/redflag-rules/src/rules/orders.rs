//! Order claims: order numbers that are not in the brand's format, or not in the person's
//! order history.

use crate::helpers::{phrase_hits, quote};
use crate::{ALL, Context, Evidence, Finding, RuleMeta, family, rule};
use redflag_message::Span;

family! {
    /// Order claims (ORD).
    name: "orders", prefix: "ORD", title: "Order claims", rank: 11,
}

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
    /// points instead of 30 in mail from the brand's own domain). A message that also quotes
    /// a well-formed Amazon order number is not flagged: the odd number is then a seller's
    /// own reference.
    pub struct MalformedOrderNumber;
    id: "ORD001", name: "malformed-order-number", severity: Medium,
    points: 30, channels: ALL, status: Stable("0.1.0"), summary: "Quotes an order number that is not in {brand}'s format",
    explain: "The message quotes an \"order number\" that is not in {brand}'s format ({brand} order numbers look like 123-1234567-1234567). The order is made up.",
    check: malformed_order_number,
}

fn malformed_order_number(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    if !cx.claim.claims {
        return;
    }
    let brand = &cx.profile.brand;
    let orders: Vec<_> = cx
        .ind
        .orders
        .iter()
        .filter(|o| cx.in_content(o.span))
        .collect();
    // A real marketplace notice quotes Amazon's order number and, next to it, the seller's own
    // reference ("Example Shop Order #: 33333"). With a well-formed number present, the
    // others are someone else's references, not a made-up Amazon order.
    if orders.iter().any(|o| brand.is_order_number(&o.value)) {
        return;
    }
    let bad: Vec<_> = orders
        .into_iter()
        .filter(|o| !brand.is_order_number(&o.value))
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
    /// The order the message claims matches nothing in the person's order history (given
    /// with `--orders FILE` or uploaded on the web page: Amazon's "Request your data" order
    /// CSV, or order numbers). An order number must be in the history; without a number, an
    /// amount the message says was charged must be one of the history's item or order
    /// totals, unless the message names an item the person really bought.
    ///
    /// **Why:** the advisory: "Go to Your Orders to verify. Is there an order that matches
    /// the correspondence?" No matching order means the message is not from Amazon.
    ///
    /// **Example:** `Your order 114-5550199-0000001 has shipped` when no such order exists;
    /// `Amazon: a charge of $1,499.00 for an iPhone` when no order cost that.
    ///
    /// **Known false positives:** an incomplete or old history export, or an amount that
    /// includes tax or shipping the export splits differently.
    pub struct OrderNotInHistory;
    id: "ORD002", name: "order-not-in-history", severity: High,
    points: 40, channels: ALL, status: Stable("0.1.0"), summary: "Claims an order that is not in your order history",
    explain: "The order the message claims (its number, or the amount and item it says you were charged for) is not in your order history. The advisory says: go to Your Orders to verify; if no order matches the correspondence, the message is not from {brand}.",
    check: order_not_in_history,
}

/// How an order the message claims compares with the person's history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OrderCheck {
    /// Orders in the history that was checked.
    pub orders_in_history: usize,
    /// What in the message matched a real order.
    pub matched: Vec<OrderMatch>,
    /// Order numbers or amounts the message claims that match no order (as written).
    pub unmatched: Vec<String>,
    /// Spans of the unmatched claims, in the message text.
    #[serde(skip)]
    pub unmatched_spans: Vec<Span>,
}

/// A claim of the message that matches a real order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OrderMatch {
    /// The real order's number.
    pub order_id: String,
    /// `number`, `amount` or `item`.
    pub by: &'static str,
    /// What the message says, as written.
    pub claimed: String,
}

impl OrderCheck {
    /// The message claims an order and nothing it claims matches a real one.
    pub fn no_match(&self) -> bool {
        self.matched.is_empty() && !self.unmatched.is_empty()
    }
}

/// Compares the orders the message claims (numbers; amounts in an order or charge story;
/// item names) with the person's order history. `None` without a history. Run once, by
/// [`Context::new`]: read it as `Context::order_check`.
pub(crate) fn check_orders(cx: &Context<'_>) -> Option<OrderCheck> {
    let history = cx.orders?;
    let mut check = OrderCheck {
        orders_in_history: history.orders.len(),
        matched: Vec::new(),
        unmatched: Vec::new(),
        unmatched_spans: Vec::new(),
    };
    let numbers: Vec<_> = cx
        .ind
        .orders
        .iter()
        .filter(|o| cx.in_content(o.span))
        .collect();
    for o in &numbers {
        match history.find(&o.value) {
            Some(real) => check.matched.push(OrderMatch {
                order_id: real.id.clone(),
                by: "number",
                claimed: o.value.clone(),
            }),
            None => {
                check.unmatched.push(o.value.clone());
                check.unmatched_spans.push(o.span);
            }
        }
    }
    if !numbers.is_empty() {
        return Some(check);
    }
    // No order number: amounts count only in an order or charge story about the brand.
    let order_story = ["SCN002", "SCN003", "SCN005", "SCN007"]
        .iter()
        .any(|id| !phrase_hits(cx, id).is_empty());
    if !(cx.claim.claims && order_story) {
        return Some(check);
    }
    let lower = cx.text(cx.content).to_lowercase();
    for o in &history.orders {
        if let Some(item) = o.items.iter().find(|i| item_named(&lower, i)) {
            check.matched.push(OrderMatch {
                order_id: o.id.clone(),
                by: "item",
                claimed: item.clone(),
            });
        }
    }
    if history.has_amounts() {
        for m in cx.ind.money.iter().filter(|m| cx.in_content(m.span)) {
            match history
                .orders
                .iter()
                .find(|o| o.amounts_cents.iter().any(|a| (a - m.cents).abs() <= 1))
            {
                Some(real) => check.matched.push(OrderMatch {
                    order_id: real.id.clone(),
                    by: "amount",
                    claimed: m.raw.clone(),
                }),
                None => {
                    check.unmatched.push(m.raw.clone());
                    check.unmatched_spans.push(m.span);
                }
            }
        }
    }
    Some(check)
}

/// The message names this product: all of the first (up to four) words of its name that
/// are longer than two letters appear in the message.
fn item_named(lower_text: &str, item: &str) -> bool {
    let words: Vec<String> = item
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 2)
        .take(4)
        .map(str::to_lowercase)
        .collect();
    words.len() >= 2 && words.iter().all(|w| lower_text.contains(w.as_str()))
}

fn order_not_in_history(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    let Some(check) = cx.order_check.as_ref().filter(|c| c.no_match()) else {
        return;
    };
    let evidence = check
        .unmatched_spans
        .iter()
        .take(4)
        .map(|s| Evidence::with_note(*s, "no such order in your history"))
        .collect();
    let what = if cx.ind.orders.iter().any(|o| cx.in_content(o.span)) {
        format!(
            "order `{}` is not in your order history",
            quote(&check.unmatched[0])
        )
    } else {
        format!(
            "no order in your history cost `{}`, and the message names none of the items you bought",
            quote(&check.unmatched[0])
        )
    };
    out.push(Finding::new(meta, what, evidence));
}
