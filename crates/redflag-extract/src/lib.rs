//! Indicators found in a message, each with a byte span into `Message::text`, and the
//! normalised view of the text that rules match phrases against.
//!
//! **Invariant:** extraction decides nothing about what is suspicious; it only finds and
//! describes. It never fetches, resolves or opens anything it finds. It never panics on any
//! input, and every span it returns lies on char boundaries of `Message::text`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod domain;
mod history;
mod libphone;
mod money;
mod norm;
mod orders;
mod phones;
mod urls;

pub use domain::{is_ip_host, registrable_domain, skeleton_eq, to_unicode_host};
pub use history::{MAX_ORDERS, Order, OrderHistory, OrdersError, amount_cents, order_key};
pub use money::{MoneyRef, parse_amount};
pub use norm::{NormText, leet};
pub use orders::OrderRef;
pub use phones::{PhoneKind, PhoneRef};
pub use urls::{EmailRef, UrlRef, UrlSource};

use redflag_message::Message;
use redflag_profile::Brand;
use serde::Serialize;

/// Crate-private extractors made reachable for the fuzz targets in `fuzz/` (not a stable
/// API).
#[doc(hidden)]
pub mod fuzzing {
    use super::{EmailRef, Message, MoneyRef, NormText, OrderRef, PhoneRef, UrlRef};

    /// For fuzzing only: the links and email addresses of a message.
    pub fn find_urls(msg: &Message) -> (Vec<UrlRef>, Vec<EmailRef>) {
        crate::urls::find(msg)
    }

    /// For fuzzing only: the phone numbers of a message.
    pub fn find_phones(msg: &Message, norm: &NormText) -> Vec<PhoneRef> {
        crate::phones::find(msg, norm)
    }

    /// For fuzzing only: the money amounts in a text.
    pub fn find_money(text: &str) -> Vec<MoneyRef> {
        crate::money::find(text)
    }

    /// For fuzzing only: the order numbers in a text.
    pub fn find_orders(text: &str, brand: &redflag_profile::Brand) -> Vec<OrderRef> {
        crate::orders::find(text, brand)
    }
}

/// Most links kept from one message; the scan for more stops there. A real email has a few
/// hundred at most (the most in the corpus's genuine mail is about 150, one outlier aside),
/// and every rule that judges links reads each one.
pub const MAX_LINKS: usize = 500;

/// Most email addresses kept from one message.
pub const MAX_EMAILS: usize = 1_000;

/// Most phone numbers kept from one message; the scan for more stops there.
pub const MAX_PHONES: usize = 500;

/// Most amounts of money and order numbers kept from one message, each.
pub const MAX_AMOUNTS: usize = 1_000;

/// Everything extracted from one message.
#[derive(Debug, Clone, Serialize)]
pub struct Indicators {
    /// The normalised text (for matching) with its map back to `Message::text`.
    #[serde(skip)]
    pub norm: NormText,
    /// Links: from HTML anchors, from the text, and de-obfuscated forms (`hxxp`, `[.]`).
    pub urls: Vec<UrlRef>,
    /// Phone numbers.
    pub phones: Vec<PhoneRef>,
    /// Email addresses in the text (not the sender headers, which `Message` has).
    pub emails: Vec<EmailRef>,
    /// Money amounts.
    pub money: Vec<MoneyRef>,
    /// Things quoted as order numbers.
    pub orders: Vec<OrderRef>,
    /// What extraction stopped short of: one sentence per cap that was reached
    /// (`MAX_LINKS` and the others). Empty when everything was read.
    pub limits: Vec<String>,
}

/// True when the text writes Japanese: three kana or more (kana are written only in
/// Japanese, and a few are enough where a language detector is unsure on short texts).
pub fn writes_japanese(text: &str) -> bool {
    // Read as bytes: U+3040 to U+30FF are exactly the characters whose UTF-8 form starts
    // `E3 81`, `E3 82` or `E3 83`, and `E3` is only ever a first byte; a jump from one `E3`
    // to the next skips the rest of the text.
    let bytes = text.as_bytes();
    memchr::memchr_iter(0xE3, bytes)
        .filter(|&i| matches!(bytes.get(i + 1), Some(0x81..=0x83)))
        .nth(2)
        .is_some()
}

/// Extracts every indicator from a message. The brand gives the format of its order numbers
/// (`Brand::order_numbers`); nothing else about it is read here.
pub fn extract(msg: &Message, brand: &Brand) -> Indicators {
    let norm = NormText::new(&msg.text);
    let (urls, emails) = urls::find(msg);
    let phones = phones::find(msg, &norm);
    let mut money = money::find(&msg.text);
    let mut orders = orders::find(&msg.text, brand);
    let mut limits = Vec::new();
    let mut cap = |what: &str, len: usize, max: usize| {
        if len >= max {
            limits.push(format!(
                "The message has {max} or more {what}; only the first {max} were checked."
            ));
        }
    };
    cap("links", urls.len(), MAX_LINKS);
    cap("email addresses", emails.len(), MAX_EMAILS);
    cap("phone numbers", phones.len(), MAX_PHONES);
    cap("amounts of money", money.len(), MAX_AMOUNTS);
    cap("order numbers", orders.len(), MAX_AMOUNTS);
    money.truncate(MAX_AMOUNTS);
    orders.truncate(MAX_AMOUNTS);
    Indicators {
        norm,
        urls,
        phones,
        emails,
        money,
        orders,
        limits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use redflag_message::{Channel, Span, TextInput, parse_text_message};

    fn sms(text: &str, sender: Option<&str>) -> Message {
        parse_text_message(TextInput {
            channel: Channel::Sms,
            text,
            sender,
            subject: None,
        })
        .expect("message")
    }

    proptest! {
        /// Reading bytes finds kana exactly where reading characters does, around the
        /// edges of the kana blocks and among other three-byte characters.
        #[test]
        fn kana_read_as_bytes_are_kana(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "\u{303F}", "\u{3040}", "\u{3041}", "\u{30A2}", "\u{30FF}", "\u{3100}",
                    "\u{2FFF}", "\u{E381}", "a", " ", "é", "注", "🎁",
                ]),
                0..12,
            )
        ) {
            let text = pieces.concat();
            let by_chars = text
                .chars()
                .filter(|c| matches!(c, '\u{3040}'..='\u{30FF}'))
                .nth(2)
                .is_some();
            prop_assert_eq!(writes_japanese(&text), by_chars, "{:?}", text);
        }
    }

    /// Every span of every indicator.
    fn all_spans(ind: &Indicators) -> Vec<Span> {
        let mut v: Vec<Span> = Vec::new();
        v.extend(ind.urls.iter().map(|u| u.span));
        v.extend(ind.phones.iter().map(|p| p.span));
        v.extend(ind.emails.iter().map(|e| e.span));
        v.extend(ind.money.iter().map(|m| m.span));
        v.extend(ind.orders.iter().map(|o| o.span));
        v
    }

    #[test]
    fn spans_slice_the_display_text() {
        let m = sms(
            "AMAZ0N: your order 112-1234567-1234567 for $1,499.00 was flagged. Verify at \
             hxxps://amaz0n-support[.]help/login or https://amazon.com@evil.example/x, or call \
             1-8OO-280-4331. Mail refunds@amaz0n-help.com. Not you? Reply STOP.",
            Some("+1 (888) 280-4331"),
        );
        let ind = extract(&m, &redflag_profile::Profile::embedded().brand);
        let urls: Vec<&str> = ind.urls.iter().map(|u| &m.text[u.span.range()]).collect();
        assert_eq!(
            urls,
            [
                "hxxps://amaz0n-support[.]help/login",
                "https://amazon.com@evil.example/x"
            ]
        );
        let phones: Vec<&str> = ind.phones.iter().map(|p| &m.text[p.span.range()]).collect();
        assert_eq!(phones, ["+1 (888) 280-4331", "1-8OO-280-4331"]);
        let emails: Vec<&str> = ind.emails.iter().map(|e| &m.text[e.span.range()]).collect();
        assert_eq!(emails, ["refunds@amaz0n-help.com"]);
        let money: Vec<&str> = ind.money.iter().map(|x| &m.text[x.span.range()]).collect();
        assert_eq!(money, ["$1,499.00"]);
        assert_eq!(ind.money[0].cents, 149_900);
        let orders: Vec<&str> = ind.orders.iter().map(|o| &m.text[o.span.range()]).collect();
        assert_eq!(orders, ["112-1234567-1234567"]);
        // The raw values are the slices.
        for p in &ind.phones {
            assert_eq!(p.raw, &m.text[p.span.range()]);
        }
        // The normalised text maps back.
        let at = ind.norm.text.find("amazon:").expect("brand in norm text");
        assert_eq!(&m.text[ind.norm.to_original(at, at + 6).range()], "AMAZ0N");
    }

    #[test]
    fn order_number_is_not_a_phone() {
        let m = sms("Order 112-1234567-1234567 total USD 25", None);
        let ind = extract(&m, &redflag_profile::Profile::embedded().brand);
        assert!(ind.phones.is_empty());
        assert_eq!(ind.orders.len(), 1);
        assert_eq!(ind.money.len(), 1);
        assert_eq!(ind.money[0].cents, 2500);
    }

    /// Pieces that exercise every extractor, mixed with arbitrary text.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "\\PC{0,12}",
            Just("hxxps://amaz0n[.]co/x".to_string()),
            Just(" dot com ".to_string()),
            Just("[at]".to_string()),
            Just("1-8OO-".to_string()),
            Just("(888) ".to_string()),
            Just("+44 ".to_string()),
            Just("$1,4".to_string()),
            Just("€9,99".to_string()),
            Just("Order #".to_string()),
            Just("112-1234567-".to_string()),
            Just("аmazon.com".to_string()),
            Just("１２３".to_string()),
            Just("A m a z o n".to_string()),
            Just("\u{200B}\u{0301}\u{FE0F}".to_string()),
            "[0-9lIO| .()+-]{1,20}",
            "[a-zA-Z0-9.@:/\\[\\]()-]{1,20}",
        ]
    }

    fn check(msg: &Message) -> Result<(), TestCaseError> {
        let ind = extract(msg, &redflag_profile::Profile::embedded().brand);
        for s in all_spans(&ind) {
            prop_assert!(s.start <= s.end && s.end <= msg.text.len(), "{s:?}");
            prop_assert!(msg.text.is_char_boundary(s.start) && msg.text.is_char_boundary(s.end));
        }
        let n = ind.norm.text.len();
        for (a, b) in [(0, n), (n / 3, n / 2), (n / 2, n), (n, n)] {
            let s = ind.norm.to_original(a, b);
            prop_assert!(msg.text.get(s.range()).is_some());
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn never_panics_on_arbitrary_text(text in any::<String>(), sender in proptest::option::of("\\PC{0,20}")) {
            if let Ok(m) = parse_text_message(TextInput { channel: Channel::Sms, text: &text, sender: sender.as_deref(), subject: None }) {
                check(&m)?;
            }
        }

        #[test]
        fn never_panics_on_scam_like_text(parts in proptest::collection::vec(piece(), 1..16)) {
            let text = parts.concat();
            if let Ok(m) = parse_text_message(TextInput { channel: Channel::Sms, text: &text, sender: None, subject: None }) {
                check(&m)?;
            }
        }
    }
}
