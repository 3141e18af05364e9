//! Impersonation: the message claims to be the brand, or disguises the brand's name.

use crate::helpers::quote;
use crate::{ALL, Context, Evidence, Finding, RuleMeta, rule};

rule! {
    /// The message claims to come from the brand, or speaks for it.
    ///
    /// **Why:** scammers pose as Amazon because nearly everyone has an account. This finding
    /// adds no points by itself; it is the context that makes the other checks apply
    /// (a callback number is only "not Amazon's" in a message that claims to be Amazon).
    ///
    /// **Fires on:** the brand in the sender name or address, in the subject, at the start
    /// of the text, in a phrase like "Amazon customer service" or "your Amazon account",
    /// any mention in a call, and email from the brand's own domain.
    ///
    /// **Example:** `Amazon: your account is on hold.`
    ///
    /// **Known false positives:** none that matter: it carries no points.
    pub struct ClaimsBrand;
    id: "IMP001", name: "claims-brand", family: Impersonation, severity: Info,
    points: 0, channels: ALL, summary: "Claims to be Amazon or to speak for Amazon",
    check: claims_brand,
}

fn claims_brand(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    if !cx.claim.claims {
        return;
    }
    let first = cx.claim.claim_spans[0];
    let evidence = cx.claim.claim_spans.iter().take(4).map(|s| Evidence::at(*s)).collect();
    out.push(Finding::new(meta, format!("claims to be {}: `{}`", cx.profile.brand.name, quote(cx.text(first))), evidence));
}

rule! {
    /// The brand's name is written in a disguised way: digits for letters (`Amaz0n`),
    /// letters from another alphabet (Cyrillic `Аmazon`), invisible characters inside it, or
    /// spaced-out letters (`A m a z o n`).
    ///
    /// **Why:** real companies write their own name plainly. Disguise is there to get past
    /// spam filters, so it is a strong sign of a scam.
    ///
    /// **Example:** `Your Amaz0n account has been locked`.
    ///
    /// **Known false positives:** stylised names in marketing (`AMAZON` in capitals is not
    /// flagged; only character substitutions are).
    pub struct ObfuscatedBrandName;
    id: "IMP002", name: "obfuscated-brand-name", family: Impersonation, severity: High,
    points: 40, channels: ALL, summary: "Writes Amazon's name in a disguised way",
    check: obfuscated_brand_name,
}

fn obfuscated_brand_name(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    let brand = &cx.profile.brand;
    let hits: Vec<_> = cx
        .claim
        .mentions
        .iter()
        .copied()
        .filter(|s| {
            let raw = cx.text(*s);
            let plain = raw.to_lowercase();
            // Names as written in a real address or link are not disguised.
            !brand.names.iter().any(|n| *n == plain)
                && !cx.ind.urls.iter().any(|u| u.span.contains(*s) && !u.obfuscated)
                && !cx.ind.emails.iter().any(|e| e.span.contains(*s))
        })
        .collect();
    if let Some(first) = hits.first() {
        let evidence = hits.iter().take(6).map(|s| Evidence::at(*s)).collect();
        out.push(Finding::new(meta, format!("writes the name as `{}`", quote(cx.text(*first))), evidence));
    }
}
