//! Callback numbers: phone numbers to call that are not the brand's.

use crate::helpers::{
    phrase_finding, phrase_hits, phrase_rule, quote, request_hits, said_of_scams, scam_story,
};
use crate::{ALL, CALL, Context, Evidence, Finding, RuleMeta, family, rule};
use redflag_extract::PhoneRef;
use redflag_message::{SectionKind, Span};

family! {
    /// Phone numbers to call (PHN).
    name: "callback", prefix: "PHN", title: "Callback numbers", rank: 2,
}

/// Phone numbers in the subject or body (not the sender or caller line).
fn content_phones<'a>(cx: &'a Context<'_>) -> impl Iterator<Item = &'a PhoneRef> {
    cx.ind.phones.iter().filter(|p| {
        cx.in_content(p.span) && cx.msg.section_at(p.span.start) != Some(SectionKind::From)
    })
}

rule! {
    /// A message that claims to be the brand gives a phone number that is not the brand's.
    ///
    /// **Why:** the advisory's first red flag: "Message leaves a callback number. Do not
    /// trust a phone number provided in a message as the number is fake and not tied to
    /// Amazon." Amazon does not put callback numbers in its messages. This still fires when
    /// the mail really comes from Amazon's servers, because scammers abuse real Amazon mail
    /// (gift notes, seller messages) to carry their number.
    ///
    /// **Example:** `Amazon Security: call 1-888-555-0199 to cancel the order.`
    ///
    /// **Known false positives:** a seller's or driver's number in a real marketplace
    /// message. In mail from the brand's own domain it counts only next to a scam story (a
    /// charge, a renewal, a refund...) or a request for money, which is what scammers stuff
    /// into real Amazon mail; a number in a genuine notice's footer does not count. There it
    /// weighs 30 points instead of 45: still enough for "suspicious". A number right after
    /// a contact label (`Send to:`, `Recipient`) is someone's contact (a gift's
    /// recipient, a delivery address), not a number to call.
    pub struct CallbackNumberNotBrand;
    id: "PHN001", name: "callback-number-not-brand", severity: High,
    points: 45, channels: ALL, status: Stable("0.1.0"), summary: "Gives a callback number that is not {brand}'s",
    explain: "The message gives a phone number to call that is not {brand}'s. The advisory warns: do not trust a phone number given in a message; it is fake and not tied to {brand}.",
    check: callback_number_not_brand,
}

fn callback_number_not_brand(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    if !cx.claim.claims {
        return;
    }
    let brand = &cx.profile.brand;
    let contacts = phrase_hits(cx, "PHN001.contact");
    let bad: Vec<&PhoneRef> = content_phones(cx)
        .filter(|p| !p.e164.as_deref().is_some_and(|e| brand.is_brand_phone(e)))
        .filter(|p| !labelled_contact(cx, contacts, p.span))
        .collect();
    let Some(first) = bad.first() else { return };
    // In mail from the brand's own servers a number counts when the text also tells a scam
    // story or asks for money: that is what a scammer stuffs into a gift note or a seller
    // field. A number in a genuine notice's footer ("questions? call customer service at
    // ...") comes with neither.
    if cx.claim.sender_is_brand && scam_story(cx).is_none() && money_request(cx).is_none() {
        return;
    }
    let evidence = bad
        .iter()
        .take(6)
        .map(|p| {
            Evidence::with_note(
                p.span,
                format!("{}, not {}'s", kind_name(p.kind), brand.name),
            )
        })
        .collect();
    let f = Finding::new(
        meta,
        format!(
            "gives the number `{}`, which is not {}'s",
            quote(&first.raw),
            brand.name
        ),
        evidence,
    );
    // Mail that really comes from the brand's servers can still carry a scammer's number
    // (header stuffing), so it is still flagged (suspicious on its own), but weighs less.
    out.push(if cx.claim.sender_is_brand {
        f.points(30)
    } else {
        f
    });
}

/// True when a contact label (`Send to:`, `Recipient`) ends just before the number, on its
/// line or the line above: the number is someone's contact, not one to call.
fn labelled_contact(cx: &Context<'_>, labels: &[Span], phone: Span) -> bool {
    labels.iter().any(|l| {
        l.end <= phone.start
            && phone.start - l.end <= 24
            && cx.msg.text.get(l.end..phone.start).is_some_and(|between| {
                between.matches('\n').count() <= 1 && !between.chars().any(char::is_alphabetic)
            })
    })
}

/// The first request for money outside the brand's website (gift cards, codes, crypto,
/// transfers, fees).
fn money_request(cx: &Context<'_>) -> Option<Span> {
    ["PAY001", "PAY002", "PAY003", "PAY004", "PAY005"]
        .iter()
        .find_map(|id| request_hits(cx, id).into_iter().next())
}

rule! {
    /// Tells you to call a phone number given in the message.
    ///
    /// **Why:** scammers want you on the phone, where they can pressure you and ask for
    /// codes, card numbers or remote access. Real companies ask you to use their app or the
    /// number on your card.
    ///
    /// **Example:** `Please call our support line at (844) 555-0142 immediately.`
    ///
    /// **Known false positives:** ordinary messages from people ("call me at ..."), which
    /// seldom have other red flags; the points are modest.
    pub struct CallThisNumber;
    id: "PHN002", name: "call-this-number", severity: Medium,
    points: 15, channels: ALL, status: Stable("0.1.0"), summary: "Tells you to call a number given in the message",
    explain: "The message tells you to call a phone number. Scammers want you on the phone, where they can pressure you. Look the number up yourself from the company's real website or card instead.",
    check: call_this_number,
}

fn call_this_number(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    // In mail from the brand's own servers, PHN001 already speaks for any number.
    if cx.claim.sender_is_brand {
        return;
    }
    let phones: Vec<&PhoneRef> = content_phones(cx).collect();
    if phones.is_empty() {
        return;
    }
    let hits = phrase_hits(cx, meta.id);
    let Some(first) = hits.first() else { return };
    let mut evidence = vec![Evidence::at(*first)];
    evidence.extend(phones.iter().take(4).map(|p| Evidence::at(p.span)));
    out.push(Finding::new(
        meta,
        format!(
            "`{}` with the number `{}`",
            quote(cx.text(*first)),
            quote(&phones[0].raw)
        ),
        evidence,
    ));
}

rule! {
    /// A recorded call tells you to press a key or stay on the line to reach an "agent".
    ///
    /// **Why:** this is the robocall script that connects you to a scammer ("press 1 to
    /// speak to an Amazon representative").
    ///
    /// **Example:** `Press 1 to speak with an Amazon associate.`
    ///
    /// **Known false positives:** real automated calls (pharmacies, schools) you expect.
    /// It weighs 30 points (suspicious on its own: an unexpected recorded call that wants a
    /// key press is the illegal-robocall pattern), and 45 when the call claims to be the
    /// brand.
    pub struct PressToConnect;
    id: "PHN003", name: "press-to-connect", severity: Medium,
    points: 30, channels: CALL, status: Stable("0.1.0"), summary: "Robocall script: press a key to reach an agent",
    explain: "The call uses a recorded script that tells you to press a key or stay on the line. That is how robocall scams connect you to a scammer.",
    check: |cx, meta, out| {
        let hits = phrase_hits(cx, meta.id);
        // A recorded "press 1" call in the brand's name is the robocall scam itself.
        let boost = cx.claim.claims;
        out.extend(phrase_finding(cx, meta, hits, "robocall prompt").map(|f| if boost { f.points(45) } else { f }));
    },
}

rule! {
    /// A call pitches a way out of debt or a deal: settling your tax debt, student-loan
    /// forgiveness, a lower interest rate, "50% off" your bill, an extended car warranty or a
    /// free vacation.
    ///
    /// **Why:** these are the robocall pitches the FTC sues over: a recorded call that tries
    /// to sell something is illegal unless you agreed to it in writing, and the "relief" or
    /// "discount" is bait for fees, card numbers and account details. Scam calls pose as the
    /// IRS, a loan servicer, a card issuer or your TV provider to make the offer believable.
    ///
    /// **Example:** `Your account is qualified for 50% off. To avail the discount, kindly call
    /// us back at 888-555-0147.`
    ///
    /// **Known false positives:** a call from your own lender or provider about options on
    /// your account. Real calls you expect (an appointment reminder, a pharmacy's refill
    /// notice, a school closure) do not pitch debt relief or discounts. It weighs 20 points,
    /// so it needs a second red flag (a callback number, a key to press, pressure or a threat)
    /// to make a call suspicious.
    pub struct RobocallSalesPitch;
    id: "PHN005", name: "robocall-sales-pitch", severity: Medium,
    points: 20, channels: CALL, status: Stable("0.1.0"), summary: "Call pitches debt relief, a lower rate, a discount or a warranty",
    explain: "The call offers to settle your debts or taxes, forgive a loan, lower your interest rate, give you a big discount, extend a warranty or send you on a free trip. Recorded sales calls like this are illegal unless you agreed to them in writing; the offer is bait for fees, card numbers and account details. Call the company yourself on a number you know.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, false, "sales pitch"),
}

rule! {
    /// A phone number is written with letters for digits (`1-8OO`), look-alike characters or
    /// spaced-out digits.
    ///
    /// **Why:** disguising a number only makes sense to get past spam filters.
    ///
    /// **Example:** `Call l-8O8-555-O199`.
    ///
    /// **Known false positives:** vanity numbers written in letters (`1-800-FLOWERS`), which
    /// count as disguised too; the points are modest.
    pub struct ObfuscatedPhoneNumber;
    id: "PHN004", name: "obfuscated-phone-number", severity: Medium,
    points: 20, channels: ALL, status: Stable("0.1.0"), summary: "Writes a phone number in a disguised way",
    explain: "A phone number is written in a disguised way (letters instead of digits, or digits spaced apart). Real companies do not hide their numbers from spam filters.",
    check: |cx, meta, out| {
        let bad: Vec<&PhoneRef> = content_phones(cx).filter(|p| p.obfuscated).collect();
        if let Some(first) = bad.first() {
            let evidence = bad.iter().take(4).map(|p| Evidence::at(p.span)).collect();
            out.push(Finding::new(meta, format!("writes a number as `{}`", quote(&first.raw)), evidence));
        }
    },
}

/// A phone number's kind in words.
fn kind_name(kind: redflag_extract::PhoneKind) -> &'static str {
    use redflag_extract::PhoneKind;
    match kind {
        PhoneKind::TollFree => "a toll-free number",
        PhoneKind::Mobile => "a mobile number",
        PhoneKind::FixedLine => "a landline number",
        PhoneKind::PremiumRate => "a premium-rate number",
        PhoneKind::Voip => "an internet phone number",
        PhoneKind::FixedLineOrMobile | PhoneKind::Other => "a phone number",
    }
}

rule! {
    /// A screen or message says your computer or phone is locked, blocked or crashed (the
    /// phrases of scenario SCN017) and gives a number to call: the tech-support pop-up.
    ///
    /// **Why:** Windows, macOS, iOS, browsers and Amazon never put a phone number in a
    /// warning, and no warning locks a device until you call. The number reaches a fake
    /// "support" line whose agent asks to connect to the computer (the advisory's remote
    /// access) and then for payment.
    ///
    /// **Example:** `Access to this PC has been blocked for security reasons. Do not
    /// restart your computer. Call Amazon Support: 1-888-555-0199.`
    ///
    /// **Known false positives:** a company computer's real lock screen naming its own help
    /// desk's number.
    pub struct DeviceLockedCallNumber;
    id: "PHN006", name: "device-locked-call-number", severity: High,
    points: 40, channels: ALL, status: Stable("0.1.0"), summary: "Says your device is locked and gives a number to call",
    explain: "The message or screen says your computer or phone is locked, blocked or crashed, and gives a number to call. Windows, Apple, browsers and {brand} never put a phone number in a warning; the number reaches fake \"support\" that wants to connect to your computer and take your money.",
    check: device_locked_call_number,
}

fn device_locked_call_number(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    let Some(locked) = phrase_hits(cx, "SCN017")
        .iter()
        .copied()
        .find(|s| !said_of_scams(cx, *s))
    else {
        return;
    };
    // A number in the message's own words, not the brand's.
    let Some(number) = content_phones(cx).find(|p| {
        !p.e164
            .as_deref()
            .is_some_and(|e| cx.profile.brand.is_brand_phone(e))
    }) else {
        return;
    };
    let mut evidence = vec![
        Evidence::at(locked),
        Evidence::with_note(number.span, "the number to call"),
    ];
    evidence.sort_by_key(|e| e.span);
    out.push(Finding::new(
        meta,
        format!(
            "says `{}` and gives the number `{}`",
            quote(cx.text(locked)),
            quote(cx.text(number.span))
        ),
        evidence,
    ));
}
