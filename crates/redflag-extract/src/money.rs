//! Money amounts.
//!
//! One pattern finds a currency sign or code before a number (`$1,499.99`, `US$25`,
//! `USD 25.00`, `€9,99`, `£10`, `¥1000`, `₹500`, `Rs. 500`, with an optional code after it:
//! `$399.00 USD` is one amount), or a number followed by a sign, code or word (`9,99 €`,
//! `25 USD`, `399 dollars`).
//!
//! Numbers are read as `1,499.99` (comma thousands, dot decimals), `1.499,99` (dot
//! thousands, comma decimals), `9,99` (a decimal comma: exactly two digits after the comma
//! and no dot) or plain `1499` / `14.5`. Negative amounts (`-$5`) and amounts glued to
//! other digits or letters are ignored.

use redflag_message::Span;
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

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

/// A number: comma thousands, dot thousands, decimal comma, or plain.
/// ASCII digits only: Unicode `\d` and `\b` would force the regex onto its slow engines
/// on any non-ASCII text (a fifth of analysis time on HTML mail).
const NUMBER: &str = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]{1,2})?|[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]{2})?|[0-9]+,[0-9]{2}|[0-9]+(?:\.[0-9]{1,2})?";

/// ISO codes recognised before or after a number.
const CODES: &str = "USD|EUR|GBP|JPY|INR|CAD|AUD";

static MONEY: LazyLock<Regex> = LazyLock::new(|| {
    let re = format!(
        r"(?i)(?P<pre>(?-u:\b)(?:US|CA?|AU?)\$|\$|€|£|¥|￥|₹|(?-u:\b)Rs\.?|(?-u:\b)(?:{CODES})(?-u:\b))[\x20\xA0]?(?P<n1>{NUMBER})(?:[\x20\xA0]?(?P<post1>(?-u:\b)(?:{CODES}|dollars?)(?-u:\b)))?|(?P<n2>{NUMBER})[\x20\xA0]?(?P<post2>€|£|(?-u:\b)(?:{CODES}|dollars?|euros?|bucks)(?-u:\b))"
    );
    Regex::new(&re).expect("valid regex")
});

/// The ISO code for a currency sign, code or word.
fn currency(s: &str) -> Option<&'static str> {
    let s = s.trim_end_matches('.').to_ascii_uppercase();
    Some(match s.as_str() {
        "$" | "US$" | "USD" | "DOLLAR" | "DOLLARS" | "BUCKS" => "USD",
        "C$" | "CA$" | "CAD" => "CAD",
        "A$" | "AU$" | "AUD" => "AUD",
        "€" | "EUR" | "EURO" | "EUROS" => "EUR",
        "£" | "GBP" => "GBP",
        "¥" | "￥" | "JPY" => "JPY",
        "₹" | "RS" | "INR" => "INR",
        _ => return None,
    })
}

/// Reads an amount written on its own, as in a spreadsheet cell or an export (`$1,299.00`,
/// `1.299,00 €`, `-5.00`, `34`), as hundredths: currency signs and words are ignored, a
/// leading `-` makes it negative. `None` without digits or on overflow.
pub fn parse_amount(s: &str) -> Option<i64> {
    let t: String = s
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-'))
        .collect();
    let negative = t.starts_with('-');
    let t = t.trim_matches(['.', ',', '-']);
    if !t.bytes().any(|b| b.is_ascii_digit()) || t.contains('-') {
        return None;
    }
    cents(t).map(|v| if negative { -v } else { v })
}

/// Reads a matched number as hundredths. `None` on overflow.
fn cents(n: &str) -> Option<i64> {
    // The decimal separator: the last `.` or `,` followed by one or two digits at the end.
    let dec = n.rfind(['.', ',']).filter(|&i| {
        let tail = &n[i + 1..];
        (1..=2).contains(&tail.len()) && !(n.as_bytes()[i] == b',' && tail.len() != 2)
    });
    let (int, frac) = match dec {
        Some(i) => (&n[..i], &n[i + 1..]),
        None => (n, ""),
    };
    let mut whole: i64 = 0;
    for b in int.bytes().filter(u8::is_ascii_digit) {
        whole = whole.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
    }
    let frac = match frac.len() {
        0 => 0,
        1 => i64::from(frac.as_bytes()[0] - b'0') * 10,
        _ => frac.parse::<i64>().ok()?,
    };
    whole.checked_mul(100)?.checked_add(frac)
}

/// Finds amounts like `$1,499.99`, `USD 25`, `€ 9,99`, `£10`, `399 dollars`.
pub(crate) fn find(text: &str) -> Vec<MoneyRef> {
    let mut out = Vec::new();
    for c in MONEY.captures_iter(text) {
        let Some(all) = c.get(0) else { continue };
        let (num, sign) = match (c.name("n1"), c.name("n2")) {
            (Some(n), _) => (n, c.name("post1").or(c.name("pre"))),
            (None, Some(n)) => (n, c.name("post2")),
            _ => continue,
        };
        let Some(cur) = sign.and_then(|s| currency(s.as_str())) else {
            continue;
        };
        // Not negative, not glued to other digits or letters (`-$5`, `x25 USD`, `1,5 €`).
        let before = text[..all.start()].chars().next_back();
        if before.is_some_and(|b| {
            matches!(b, '-' | '−' | '.' | ',') || b.is_alphanumeric() && c.name("n2").is_some()
        }) {
            continue;
        }
        let after_num = &text[num.end()..];
        let mut ac = after_num.chars();
        let glued_digit = match ac.next() {
            Some(d) if d.is_ascii_digit() => true,
            Some('.' | ',') => ac.next().is_some_and(|d| d.is_ascii_digit()),
            _ => false,
        };
        if glued_digit {
            continue;
        }
        let Some(cents) = cents(num.as_str()) else {
            continue;
        };
        out.push(MoneyRef {
            span: Span::new(all.start(), all.end()),
            raw: all.as_str().to_string(),
            cents,
            currency: cur.to_string(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(t: &str) -> (String, i64, String) {
        let m = find(t);
        assert_eq!(m.len(), 1, "{t}: {m:#?}");
        assert_eq!(&t[m[0].span.range()], m[0].raw);
        (m[0].raw.clone(), m[0].cents, m[0].currency.clone())
    }

    #[test]
    fn amounts() {
        for (t, raw, cents, cur) in [
            ("charged $1,499.99 today", "$1,499.99", 149_999, "USD"),
            ("charged $1,499.00.", "$1,499.00", 149_900, "USD"),
            ("pay $ 25 now", "$ 25", 2500, "USD"),
            ("pay US$25", "US$25", 2500, "USD"),
            ("pay USD 25.00", "USD 25.00", 2500, "USD"),
            ("pay USD 25", "USD 25", 2500, "USD"),
            ("pay 25 USD", "25 USD", 2500, "USD"),
            ("only €9,99", "€9,99", 999, "EUR"),
            ("only 9,99 €", "9,99 €", 999, "EUR"),
            ("only 1.499,99 €", "1.499,99 €", 149_999, "EUR"),
            ("only £10", "£10", 1000, "GBP"),
            ("only ¥1000", "¥1000", 100_000, "JPY"),
            ("only ₹500", "₹500", 50_000, "INR"),
            ("only Rs. 500", "Rs. 500", 50_000, "INR"),
            ("only Rs 500", "Rs 500", 50_000, "INR"),
            ("a 399 dollars charge", "399 dollars", 39_900, "USD"),
            ("a $399.00 USD charge", "$399.00 USD", 39_900, "USD"),
            ("a $25 CAD fee", "$25 CAD", 2500, "CAD"),
            ("a CA$25 fee", "CA$25", 2500, "CAD"),
            ("costs $14.5", "$14.5", 1450, "USD"),
            ("costs $1,499", "$1,499", 149_900, "USD"),
        ] {
            assert_eq!(one(t), (raw.to_string(), cents, cur.to_string()), "{t}");
        }
    }

    #[test]
    fn several() {
        let m = find("Refund of $49.99 and a fee of €5 (total 60 USD).");
        let raws: Vec<_> = m.iter().map(|m| m.raw.as_str()).collect();
        assert_eq!(raws, ["$49.99", "€5", "60 USD"]);
    }

    #[test]
    fn not_amounts() {
        for t in [
            "refund -$5 issued",
            "costs $1,5 only",
            "$1,499.999",
            "pa$$word",
            "x25 USD",
            "order 112-1234567 and 1.2.3",
            "$",
            "USD",
            "Mrs 500",
            "$99999999999999999999999",
        ] {
            assert!(find(t).is_empty(), "{t}: {:#?}", find(t));
        }
    }
}
