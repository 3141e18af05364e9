//! Signs that a message is genuine: evidence *for* the message, reported in plain words
//! next to the red flags.
//!
//! They never add points. A strong sign (an authenticated sender, links only to the brand's
//! own sites, a registered text sender, a one-time code with a warning not to share it)
//! outweighs the weak red flags (a story, pressure words, the model's opinion: see
//! [`RuleMeta::soft`](crate::RuleMeta::soft)) of a message that has no strong red flag: the
//! engine then counts those weak ones for nothing. A strong red flag (a callback number, a
//! request for card details, a forged sender, a look-alike link) is never outweighed, so a
//! scam that borrows real Amazon links or a genuine-looking layout stays flagged.

use crate::helpers::{phrase_hits, quote};
use crate::{ALL, Context, EMAIL, Evidence, Finding, RuleMeta, TEXTS, VerifiedBy, family, rule};
use std::collections::BTreeSet;

family! {
    /// Signs that the message is genuine (GEN): not red flags, evidence for the message.
    name: "genuine", prefix: "GEN", title: "Signs of a genuine message", rank: 14,
}

rule! {
    /// The email comes from the brand's own domain, or from the domain of another company
    /// redflag knows, and the receiving mail server's authentication check (DMARC, or DKIM or
    /// SPF aligned with the `From` domain) passed for it.
    ///
    /// **Why:** anyone can type `amazon.co.jp` into a From line; only the receiving server's
    /// check proves the mail really left Amazon. Scammers cannot pass it for a domain they do
    /// not control.
    ///
    /// **Example:** `From: "Amazon.co.jp" <shipment-tracking@amazon.co.jp>` with
    /// `Authentication-Results: mx.example; dmarc=pass header.from=amazon.co.jp`.
    ///
    /// **Known false positives:** (scams this sign could vouch for) a genuine sender can
    /// still carry a scammer's words (a review invitation stuffed with a phone number): the
    /// callback, payment and credential red flags still count in full.
    pub struct AuthenticatedSender;
    id: "GEN001", name: "authenticated-sender", severity: Info,
    points: 0, channels: EMAIL, status: Stable("0.1.0"), summary: "Sent from the brand's (or a known company's) own domain, confirmed by the mail server",
    explain: "The receiving mail server checked that this email really left the domain in its From line, and the check passed. Scammers cannot pass it for a domain they do not control.",
    check: authenticated_sender,
}

fn authenticated_sender(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    let Some(v) = cx.verified.as_ref().filter(|_| cx.msg.email.is_some()) else {
        return;
    };
    let whose = match &v.by {
        VerifiedBy::Brand(Some(site)) => format!("{}'s ({})", cx.profile.brand.name, site.name),
        VerifiedBy::Brand(None) => format!("{}'s", cx.profile.brand.name),
        VerifiedBy::Other(name) => format!("{}'s", title(name)),
    };
    let mut evidence = vec![Evidence::with_note(v.span, format!("{} is {whose}", v.id))];
    if let Some(a) = v.auth_span {
        // Point at the result that passed (`dmarc=pass`), not the whole header.
        let header = cx.text(a).to_ascii_lowercase();
        let at = ["dmarc=pass", "dkim=pass", "spf=pass"]
            .iter()
            .find_map(|t| header.find(t).map(|i| (i, t.len())));
        let span = at.map_or(a, |(i, len)| {
            redflag_message::Span::new(a.start + i, a.start + i + len)
        });
        evidence.push(Evidence::with_note(
            span,
            "the receiving mail server's check passed",
        ));
    }
    out.push(Finding::new(
        meta,
        format!(
            "sent from `{}`, and the receiving mail server confirmed it",
            v.id
        ),
        evidence,
    ));
}

rule! {
    /// Every link in the message goes to the brand's own sites (its marketplaces, services
    /// and short links), and there is at least one real address among them (a link, or a
    /// URL written with its scheme, `www.` or a path: the name `Amazon.co.jp` is not one).
    ///
    /// **Why:** a phishing message has to send people somewhere the scammer controls. Links
    /// that all go to `amazon.co.jp` lead only where the person could have typed the address
    /// themselves. The brand's customer hosting (`bucket.s3.amazonaws.com`) does not count.
    ///
    /// **Example:** an order confirmation whose links all go to `www.amazon.co.jp` and
    /// `amzn.asia`.
    ///
    /// **Known false positives:** (scams this sign could vouch for) a scam can copy a
    /// genuine message's links and add a phone number or a request; those red flags still
    /// count in full.
    pub struct BrandLinksOnly;
    id: "GEN002", name: "brand-links-only", severity: Info,
    points: 0, channels: ALL, status: Stable("0.1.0"), summary: "Every link goes to the brand's own sites",
    explain: "Every link in the message goes to {brand}'s own websites. Still, the safest way is to type the address yourself or open the {brand} app.",
    check: brand_links_only,
}

fn brand_links_only(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    let brand = &cx.profile.brand;
    let links: Vec<_> = cx
        .ind
        .urls
        .iter()
        .filter(|u| matches!(u.scheme.as_str(), "http" | "https" | ""))
        .filter(|u| cx.in_content(u.span) || u.source == redflag_extract::UrlSource::Anchor)
        .collect();
    // At least one real address: a link, or a URL written with its scheme, `www.` or a path.
    // `Amazon.co.jp` in a subject is the company's name, not a link.
    let written = |u: &redflag_extract::UrlRef| {
        u.source == redflag_extract::UrlSource::Anchor || {
            let t = cx.text(u.span).to_ascii_lowercase();
            t.starts_with("http") || t.starts_with("www.") || t.contains('/')
        }
    };
    if !links.iter().any(|u| written(u)) {
        return;
    }
    let mut sites = BTreeSet::new();
    for u in &links {
        let Some(host) = u.host.as_deref() else {
            return;
        };
        if !brand.is_legit_domain(host) {
            return;
        }
        sites.insert(u.registrable.clone().unwrap_or_else(|| host.to_string()));
    }
    let evidence = links
        .iter()
        .filter(|u| written(u))
        .take(8)
        .map(|u| {
            Evidence::with_note(
                u.span,
                format!("goes to {}", u.host.as_deref().unwrap_or("")),
            )
        })
        .collect();
    let sites: Vec<String> = sites.into_iter().collect();
    out.push(Finding::new(
        meta,
        format!("links go only to {}", sites.join(", ")),
        evidence,
    ));
}

rule! {
    /// Every order number the message quotes has the brand's format (Amazon's 3-7-7 digits,
    /// `D01-` for digital orders).
    ///
    /// **Why:** genuine Amazon messages quote real order numbers; a made-up format is a red
    /// flag of its own (ORD001). Scammers copy the format too, so this only supports other
    /// signs and outweighs nothing by itself. Your Orders says whether the order is yours.
    ///
    /// **Example:** `Order #114-3941689-8772232`.
    ///
    /// **Known false positives:** (scams this sign could vouch for) fake order confirmations
    /// often use the real format; that is why this sign outweighs nothing.
    pub struct BrandOrderNumbers;
    id: "GEN003", name: "brand-order-numbers", severity: Info,
    points: 0, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "Quotes order numbers in the brand's format",
    explain: "The order number has {brand}'s real format. Scammers copy the format too, so check Your Orders in the {brand} app: a real order is there.",
    check: |cx, meta, out| {
        let brand = &cx.profile.brand;
        let orders: Vec<_> = cx.ind.orders.iter().filter(|o| cx.in_content(o.span)).collect();
        if orders.is_empty() || !orders.iter().all(|o| brand.is_order_number(&o.value)) {
            return;
        }
        out.push(Finding::new(
            meta,
            format!("order number `{}` has {}'s format", quote(&orders[0].value), brand.name),
            orders.iter().take(4).map(|o| Evidence::at(o.span)).collect(),
        ));
    },
}

rule! {
    /// The text comes from a short code or a registered sender ID that belongs to the brand
    /// or to a company redflag knows (a bank's `HDFCBK`, sent as `VM-HDFCBK-S`).
    ///
    /// **Why:** where sender IDs are registered (India's DLT headers) or short codes are
    /// leased (the US), only their owner can text from them; a plain name like "Amazon" or a
    /// long number can be set by anyone and does not count. A bank's own alert about an
    /// Amazon payment speaks as the bank, not as Amazon.
    ///
    /// **Example:** `Rs 1,299.00 debited from A/c XX4521 to AMAZON PAY INDIA` from
    /// `AX-HDFCBK-S`.
    ///
    /// **Known false positives:** (scams this sign could vouch for) none known: only the
    /// owner can send from a registered ID. The list of IDs and short codes is data with a
    /// source for each (`amazon.toml`, `common.toml`); a sender not on it is judged by the
    /// text.
    pub struct RegisteredTextSender;
    id: "GEN004", name: "registered-text-sender", severity: Info,
    points: 0, channels: TEXTS, status: Stable("0.1.0"), summary: "Texted from a registered sender ID or short code of the brand or a known company",
    explain: "The text came from a sender ID or short code that only its registered owner can use.",
    check: |cx, meta, out| {
        let Some(v) = &cx.verified else { return };
        let whose = match &v.by {
            VerifiedBy::Brand(_) => cx.profile.brand.name.clone(),
            VerifiedBy::Other(name) => title(name),
        };
        out.push(Finding::new(
            meta,
            format!("sent from `{}`, {whose}'s registered sender", v.id),
            vec![Evidence::with_note(v.span, format!("only {whose} can send from {}", v.id))],
        ));
    },
}

rule! {
    /// The message gives a one-time code and warns not to share it, and nothing asks to
    /// hand the code over.
    ///
    /// **Why:** that is what a real code message is: it exists because the person (or
    /// someone with their password) just tried to sign in or pay. Scams that want the code
    /// ask for it to be read out, replied or entered on their page (CRD002).
    ///
    /// **Example:** `123456 is your Amazon OTP. Do not share it with anyone.`
    ///
    /// **Known false positives:** (scams this sign could vouch for) a scammer who has your
    /// password makes the brand send you a real code, then calls to ask for it: the text is
    /// genuine, the call is the scam. Never read a code to a caller.
    pub struct CodeWithWarning;
    id: "GEN005", name: "code-with-warning", severity: Info,
    points: 0, channels: ALL, status: Stable("0.1.0"), summary: "A one-time code with a warning not to share it",
    explain: "Real one-time codes come with a warning not to share them. Never read a code to anyone who calls or texts you, even if they say they are from {brand}.",
    check: |cx, meta, out| {
        let warnings = phrase_hits(cx, meta.id);
        let Some(&warning) = warnings.first() else { return };
        // The code stands within a few lines of the warning.
        let text = cx.msg.text.as_str();
        let near = redflag_message::Span::new(
            text.floor_char_boundary(warning.start.saturating_sub(NEAR).max(cx.content.start)),
            text.ceil_char_boundary((warning.end + NEAR).min(cx.content.end)),
        );
        let code = code_span(&text[near.range()]).map(|(s, e)| redflag_message::Span::new(near.start + s, near.start + e));
        let Some(code) = code else { return };
        // A request to hand the code over (CRD002) makes the warning a decoy.
        let asks = crate::helpers::request_hits(cx, "CRD002");
        if super::credentials::hands_over_code(cx, &asks) {
            return;
        }
        out.push(Finding::new(
            meta,
            format!("gives a one-time code and says `{}`", quote(cx.text(warning))),
            vec![Evidence::with_note(code, "the code"), Evidence::at(warning)],
        ));
    },
}

/// How far (bytes) from its warning a one-time code may stand.
const NEAR: usize = 300;

/// The first run of 4 to 8 digits standing alone (`123456`, not part of a longer number,
/// an amount or a date), as byte offsets into `text`.
fn code_span(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let before = start.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(i).copied();
            let joined = |b: Option<u8>| {
                b.is_some_and(|b| {
                    b.is_ascii_alphanumeric()
                        || matches!(b, b'-' | b'/' | b'.' | b',' | b':' | b'$' | b'*')
                })
            };
            // `123456.` ends a sentence and `4242,` a clause; `12.50` and `1,299` are amounts.
            let after_ok = !joined(after)
                || (matches!(after, Some(b'.' | b','))
                    && bytes.get(i + 1).is_none_or(|b| !b.is_ascii_digit()));
            // A year (`2019`) is not a code.
            let year = i - start == 4 && matches!(&text[start..start + 2], "19" | "20");
            if (4..=8).contains(&(i - start)) && !joined(before) && after_ok && !year {
                return Some((start, i));
            }
        } else {
            i += 1;
        }
    }
    None
}

/// A company's name as listed (`hdfc bank`), capitalised for a sentence: short words that
/// are not ordinary ones are taken for initials (`HDFC Bank`, `State Bank of India`).
fn title(name: &str) -> String {
    const SMALL: &[&str] = &["of", "and", "the", "de", "du", "la", "le"];
    const WORDS: &[&str] = &["bank", "card", "pay", "post", "mail", "one"];
    name.split(' ')
        .map(|w| {
            if SMALL.contains(&w) {
                w.to_string()
            } else if w.len() <= 4 && !WORDS.contains(&w) {
                w.to_uppercase()
            } else {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_stand_alone() {
        let t = "Your code is 482913. Do not share it.";
        assert_eq!(code_span(t).map(|(s, e)| &t[s..e]), Some("482913"));
        assert_eq!(code_span("Order 114-3941689-8772232 for $12.50"), None);
        assert_eq!(code_span("on 12/11/2024 at 10:45"), None);
        assert_eq!(code_span("card ending 4242, Rs 1,299.00"), Some((12, 16)));
        assert_eq!(code_span("no digits"), None);
        assert_eq!(code_span("since 2019 we"), None);
    }

    #[test]
    fn company_names() {
        assert_eq!(title("hdfc bank"), "HDFC Bank");
        assert_eq!(title("state bank of india"), "State Bank of India");
    }
}
