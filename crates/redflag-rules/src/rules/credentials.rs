//! Requests for logins, one-time codes, card and bank details, SSN and tax IDs, ID
//! documents and identity answers.
//!
//! All of these skip negated phrases, so "Amazon will never ask for your password" in a real
//! message is not a request.

use crate::helpers::{
    list_head, next_word, phrase_finding, phrase_rule, request_hits, sentence_after, sentence_before,
};
use crate::{ALL, Context, Finding, RuleMeta, family, rule};
use redflag_extract::NormText;

family! {
    /// Requests for logins, card, bank, SSN and identity data (CRD).
    name: "credentials", prefix: "CRD", title: "Requests for personal and financial information", rank: 4,
}

/// A phrase rule whose finding is soft unless one of its hits asks to hand the thing over:
/// a verb of the language files' `requests.hand_over` starts it or comes shortly before it
/// (give, send, read out, type in, confirm: what a scammer asks), or one of
/// `requests.hand_over_after` follows it (`入力してください`). A hit without one (`update
/// your card details`, `reset your password`, `your card number`) is advice to act on the
/// brand's own site or a mention, weak evidence that strong signs of a genuine message
/// outweigh.
fn request_rule(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>, what: &str) {
    let hits = request_hits(cx, meta.id);
    let Some(f) = phrase_finding(cx, meta, &hits, what) else {
        return;
    };
    let strong = hits
        .iter()
        .any(|s| hands_over(cx, *s, false) || hands_over(cx, list_head(cx, *s), false));
    out.push(f.soft(!strong));
}

rule! {
    /// Asks for a password, PIN or login details, or to log in through the message to
    /// "verify" or "unlock".
    ///
    /// **Why:** "scammers will then ask for a login and password" (advisory); Amazon never
    /// asks for your password.
    ///
    /// **Example:** `Confirm your password to restore access.`
    ///
    /// **Known false positives:** password-reset mail you asked for. "Reset" or "change
    /// your password" (no verb that hands it over) is weak evidence, which an authenticated
    /// sender or links only to the brand outweigh.
    pub struct AsksForPassword;
    id: "CRD001", name: "asks-for-password", severity: High,
    points: 35, channels: ALL, status: Stable("0.1.0"), summary: "Asks for a password or login details",
    explain: "The message asks for your password or login details. {brand} will never ask for your password by email, text or phone.",
    check: |cx, meta, out| request_rule(cx, meta, out, "asks for login details"),
}

rule! {
    /// Asks you to give, send or read out a one-time, verification or security code.
    ///
    /// **Why:** that code is the last lock on your account; anyone who asks for it is
    /// taking over the account. Real code messages say "do not share this code", which is
    /// not flagged.
    ///
    /// **Example:** `Please read me the 6-digit code we just sent you.`
    ///
    /// **Known false positives:** none known; real services never ask for the code back.
    /// "Enter the code" counts only where there is a stranger's page to enter it on (a link
    /// that is not the brand's or a known company's) or on a call, and then as weak
    /// evidence; otherwise the code goes into the brand's own app.
    pub struct AsksForOneTimeCode;
    id: "CRD002", name: "asks-for-one-time-code", severity: High,
    points: 40, channels: ALL, status: Stable("0.1.0"), summary: "Asks for a one-time or verification code",
    explain: "The message asks you to give or read out a one-time or verification code. That code is the key to your account; anyone who asks for it is stealing it.",
    check: asks_for_one_time_code,
}

fn asks_for_one_time_code(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    // "Enter this code" is a request only where there is a stranger's page to enter it on
    // (a link that is not the brand's or a known company's), or on a call; otherwise the
    // code goes into the brand's own app or site.
    let strangers_page = cx.msg.channel == redflag_message::Channel::Call
        || cx.ind.urls.iter().any(|u| {
            matches!(u.scheme.as_str(), "http" | "https" | "")
                && !u.host.as_deref().is_some_and(|h| cx.is_known_site(h))
        });
    let hits: Vec<_> = request_hits(cx, meta.id)
        .into_iter()
        .filter(|s| strangers_page || !is_use_code(cx, &first_word(cx, *s)))
        .collect();
    let Some(f) = phrase_finding(cx, meta, &hits, "asks for a code") else {
        return;
    };
    out.push(f.soft(!hands_over_code(cx, &hits)));
}

/// True when `word` is one with which genuine code messages tell you to use a code yourself
/// (`enter`, `eingeben`, `入力`): the language files' `requests.use_code`.
fn is_use_code(cx: &Context<'_>, word: &str) -> bool {
    cx.profile.lang.requests.use_code.contains(word.trim())
}

/// True when one of these CRD002 hits asks to hand the code over (give, send, read out,
/// reply with it), not to use it yourself ("enter this code").
pub(crate) fn hands_over_code(cx: &Context<'_>, hits: &[redflag_message::Span]) -> bool {
    hits.iter().any(|s| hands_over(cx, *s, true))
}

/// True when a hand-over verb starts the hit or comes shortly before it in the same sentence
/// (`reply with your card number`, `we need your bank account number`), or, for languages
/// whose verb comes last, stands in the hit or right after it (`カード番号を入力して`,
/// `Kartendaten einzugeben`). With `give_only`, verbs of using a code yourself do not count.
fn hands_over(cx: &Context<'_>, span: redflag_message::Span, give_only: bool) -> bool {
    let words = &cx.profile.lang.requests;
    let counts = |w: &str| !give_only || !is_use_code(cx, w);
    let first = first_word(cx, span);
    if let Some(re) = &words.hand_over {
        if re
            .find(&first)
            .is_some_and(|m| m.start() == 0 && m.end() == first.len())
            && counts(&first)
        {
            return true;
        }
        let before = sentence_before(cx, span);
        let tail = &before[before.floor_char_boundary(before.len().saturating_sub(40))..];
        let tail = NormText::new(tail).text;
        if re.find_iter(&tail).any(|m| counts(m.as_str())) {
            return true;
        }
    }
    if let Some(re) = &words.hand_over_after {
        let around = format!("{} {}", cx.text(span), sentence_after(cx, span, 60));
        let around = NormText::new(&around).text;
        if re.find_iter(&around).any(|m| counts(m.as_str())) {
            return true;
        }
    }
    false
}

/// The first word of a span's text, normalised (lowercase, no diacritics).
fn first_word(cx: &Context<'_>, span: redflag_message::Span) -> String {
    NormText::new(cx.text(span).trim_start())
        .text
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .next()
        .unwrap_or("")
        .to_string()
}

rule! {
    /// Asks for a credit or debit card number, security code (CVV) or expiry date.
    ///
    /// **Why:** Amazon will never ask for your card information in an email, text or call.
    ///
    /// **Example:** `Enter your card number and CVV to keep your membership.`
    ///
    /// **Known false positives:** checkout pages you opened yourself (not messages). A real
    /// "update your payment method" notice: a hit without a verb that hands the details
    /// over is weak evidence, which strong signs of a genuine message outweigh.
    pub struct AsksForCardDetails;
    id: "CRD003", name: "asks-for-card-details", severity: High,
    points: 35, channels: ALL, status: Stable("0.1.0"), summary: "Asks for credit or debit card details",
    explain: "The message asks for credit or debit card details. {brand} will never ask for your card number or security code by email, text or phone.",
    check: |cx, meta, out| request_rule(cx, meta, out, "asks for card details"),
}

rule! {
    /// Asks for a bank account or routing number, or online-banking login.
    ///
    /// **Why:** Amazon will never ask for your bank account number; scammers in the
    /// advisory obtained "sensitive banking information".
    ///
    /// **Example:** `Provide your bank account and routing number to receive the refund.`
    ///
    /// **Known false positives:** payroll or direct-deposit forms you expect; a real
    /// "update your bank account" notice (weak evidence without a verb that hands the
    /// details over).
    pub struct AsksForBankDetails;
    id: "CRD004", name: "asks-for-bank-details", severity: High,
    points: 35, channels: ALL, status: Stable("0.1.0"), summary: "Asks for bank account details",
    explain: "The message asks for bank details. {brand} will never ask for your bank account number by email, text or phone.",
    check: |cx, meta, out| request_rule(cx, meta, out, "asks for bank details"),
}

rule! {
    /// Asks for a Social Security number, tax ID or similar national number.
    ///
    /// **Why:** Amazon will never ask for your SSN or tax ID; the advisory names both among
    /// what scammers obtained.
    ///
    /// **Example:** `Verify the last 4 digits of your Social Security number.`
    ///
    /// **Known false positives:** tax forms from an employer you expect.
    pub struct AsksForSsnOrTaxId;
    id: "CRD005", name: "asks-for-ssn-or-tax-id", severity: Critical,
    points: 45, channels: ALL, status: Stable("0.1.0"), summary: "Asks for a Social Security number or tax ID",
    explain: "The message asks for your Social Security number or tax ID. {brand} will never ask for these in an email, text or call.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, true, "asks for an SSN or tax ID"),
}

rule! {
    /// Asks for a driver's license, passport or other ID document, or a photo of one.
    ///
    /// **Why:** the advisory lists driver's license numbers among what scammers obtained;
    /// they open accounts in the victim's name.
    ///
    /// **Example:** `Upload a photo of your driver's license to unlock your account.`
    ///
    /// **Known false positives:** identity checks you started (rental, bank account
    /// opening).
    pub struct AsksForIdDocument;
    id: "CRD006", name: "asks-for-id-document", severity: High,
    points: 30, channels: ALL, status: Stable("0.1.0"), summary: "Asks for a driver's license, passport or ID",
    explain: "The message asks for an ID document like a driver's license or passport. Scammers use them to open accounts in your name.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, true, "asks for an ID document"),
}

rule! {
    /// Asks identity questions: mother's maiden name, date of birth, security questions.
    ///
    /// **Why:** Amazon will never ask "ID questions like your mother's maiden name".
    ///
    /// **Example:** `Please confirm your mother's maiden name.`
    ///
    /// **Known false positives:** none in unsolicited messages.
    pub struct AsksIdentityQuestions;
    id: "CRD007", name: "asks-identity-questions", severity: High,
    points: 30, channels: ALL, status: Stable("0.1.0"), summary: "Asks identity questions like your mother's maiden name",
    explain: "The message asks identity questions like your mother's maiden name. {brand} will never ask those.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, true, "asks identity questions"),
}

rule! {
    /// Asks you to verify, confirm or update your account or personal information.
    ///
    /// **Why:** that is the doorway to a phishing page. Real companies let you check your
    /// account yourself.
    ///
    /// **Example:** `Verify your account information to avoid suspension.`
    ///
    /// **Known false positives:** sign-up confirmations you requested. A mailing footer's
    /// "update your email preferences" (or profile, settings) is not a request to verify, and
    /// is not counted.
    pub struct AsksToVerifyAccount;
    id: "CRD008", name: "asks-to-verify-account", severity: Medium,
    points: 20, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "Asks you to verify or update your account information",
    explain: "The message asks you to verify or update your account or personal information. This is how phishing sites collect your details.",
    check: |cx, meta, out| {
        // "You can unsubscribe or update your email preferences at any time."
        const FOOTER: &[&str] = &["preferences", "preference", "profile", "settings", "subscription", "subscriptions"];
        let hits: Vec<_> = request_hits(cx, meta.id)
            .into_iter()
            .filter(|s| {
                !(cx.text(*s).to_lowercase().starts_with("update")
                    && FOOTER.contains(&next_word(cx, *s).as_str()))
            })
            .collect();
        out.extend(phrase_finding(cx, meta, &hits, "asks to verify your account"));
    },
}
