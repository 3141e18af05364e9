//! Payment outside the brand's website: gift cards, card codes, crypto, wires and payment
//! apps, fees, odd purchases.

use crate::helpers::{phrase_finding, phrase_rule, request_hits, sentence_before};
use crate::{ALL, Context, family, rule};
use redflag_message::{Channel, Span};

family! {
    /// Payment outside the brand (PAY).
    name: "payment", prefix: "PAY", title: "Payment outside the brand's website", rank: 6,
}

rule! {
    /// Asks you to buy gift cards or pay with them.
    ///
    /// **Why:** Amazon never takes gift cards ("verification cards") as payment over the
    /// phone; anyone who asks to be paid in gift cards is a scammer.
    ///
    /// **Example:** `Purchase two $500 Google Play cards to secure your account.`
    ///
    /// **Known false positives:** gift-card promotions (which do not ask you to pay a
    /// problem away with them).
    pub struct GiftCardPayment;
    id: "PAY001", name: "gift-card-payment", severity: Critical,
    points: 45, channels: ALL, status: Stable("0.1.0"), summary: "Asks for payment with gift cards",
    explain: "The message asks you to pay with gift cards. Gift cards are for gifts, not payments: anyone who asks to be paid with them is a scammer. {brand} never takes gift cards as payment for a problem.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, true, "wants gift cards"),
}

rule! {
    /// Asks you to scratch a card and read out, text or photograph its codes.
    ///
    /// **Why:** "enter codes" (advisory): once the code is read out, the money is gone.
    ///
    /// **Example:** `Scratch the back and read me the numbers.`
    ///
    /// **Known false positives:** none known.
    pub struct ReadOutCardCodes;
    id: "PAY002", name: "read-out-card-codes", severity: Critical,
    points: 50, channels: ALL, status: Stable("0.1.0"), summary: "Asks you to read out or send card codes",
    explain: "The message asks you to read out, text or photograph the codes on a card. Once a scammer has the code, the money is gone.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, true, "wants card codes"),
}

rule! {
    /// Asks for payment in cryptocurrency or at a Bitcoin machine.
    ///
    /// **Why:** Amazon will never ask you to pay with crypto; crypto payments cannot be
    /// reversed.
    ///
    /// **Example:** `Deposit the cash at a Bitcoin ATM and scan this QR code.`
    ///
    /// **Known false positives:** news and newsletters about crypto, so in email it counts
    /// only when the message claims to be the brand.
    pub struct CryptoPayment;
    id: "PAY003", name: "crypto-payment", severity: High,
    points: 30, channels: ALL, status: Stable("0.1.0"), summary: "Asks for payment in cryptocurrency",
    explain: "The message asks for payment in cryptocurrency or at a Bitcoin machine. {brand} will never ask you to pay with crypto.",
    check: |cx, meta, out| {
        // Newsletters write about crypto; in email it counts when the message claims the brand.
        if cx.msg.channel != Channel::Email || cx.claim.claims {
            phrase_rule(cx, meta, out, true, "mentions crypto payment");
        }
    },
}

rule! {
    /// Asks you to send money by wire, Western Union, MoneyGram, Zelle, Cash App, Venmo or
    /// to a "safe account".
    ///
    /// **Why:** Amazon "will never ask you to make a payment outside of our website".
    ///
    /// **Example:** `Send the refund difference by Zelle to our agent.`
    ///
    /// **Known false positives:** a bank's own alert about a Zelle payment you made.
    pub struct WireOrAppPayment;
    id: "PAY004", name: "wire-or-app-payment", severity: High,
    points: 30, channels: ALL, status: Stable("0.1.0"), summary: "Asks for a wire transfer or payment-app transfer",
    explain: "The message asks you to send money by wire transfer or a payment app (Zelle, Cash App, Venmo, Western Union). {brand} will never ask you to pay outside its website.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, true, "wants a transfer"),
}

rule! {
    /// Asks for a fee to release a package, fix the account or get a refund, or claims an
    /// unpaid balance.
    ///
    /// **Why:** "charge a fee" (advisory). Amazon does not charge fees by message.
    ///
    /// **Example:** `Pay a $1.99 redelivery fee to receive your package.`
    ///
    /// **Known false positives:** real bills you expect. A fee the sentence says is being
    /// refunded (`Refund of $2 towards your card verification fee will be credited`) is not
    /// a request.
    pub struct FeeRequest;
    id: "PAY005", name: "fee-request", severity: Medium,
    points: 25, channels: ALL, status: Stable("0.1.0"), summary: "Asks for a fee or an unpaid balance",
    explain: "The message asks for a fee to fix a problem, release a package or get a refund. {brand} does not charge fees like that.",
    check: |cx, meta, out| {
        let hits: Vec<Span> = request_hits(cx, meta.id)
            .into_iter()
            .filter(|s| !refunded_fee(cx, *s))
            .collect();
        out.extend(phrase_finding(cx, meta, &hits, "asks for a fee"));
    },
}

/// The sentence is about giving a fee back: it opens with "refund of" / "reversal of".
fn refunded_fee(cx: &Context<'_>, span: Span) -> bool {
    let before = sentence_before(cx, span);
    [
        "refund of ",
        "refund for ",
        "reversal of ",
        "reimbursement of ",
        "your refund of ",
    ]
    .iter()
    .any(|p| before.starts_with(p))
}

rule! {
    /// Sends you to a store to buy something, or tells you what to say to the cashier.
    ///
    /// **Why:** "make odd purchases" (advisory): scammers send victims to buy gift cards and
    /// coach them to lie to the cashier.
    ///
    /// **Example:** `Go to the nearest Walmart and don't tell the cashier what it is for.`
    ///
    /// **Known false positives:** errands between people you know, so it counts only in calls
    /// and in messages that claim to be the brand.
    pub struct UnusualPurchaseRequest;
    id: "PAY006", name: "unusual-purchase-request", severity: High,
    points: 30, channels: ALL, status: Stable("0.1.0"), summary: "Sends you to a store to buy something",
    explain: "The message asks you to go to a store and buy something, or not to tell the cashier. Those are odd purchases the advisory warns about.",
    check: |cx, meta, out| {
        // "Go to the store" is an errand between people; it is a red flag in a call, or in a
        // message that claims to be the brand.
        if cx.msg.channel == Channel::Call || cx.claim.claims {
            phrase_rule(cx, meta, out, false, "odd purchase");
        }
    },
}
