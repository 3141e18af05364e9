//! Typos and bad grammar.

use crate::helpers::{phrase_finding, phrase_hits, quote};
use crate::{ALL, Context, Evidence, Finding, RuleMeta, family, rule};

family! {
    /// Typos and bad grammar (LNG).
    name: "language", prefix: "LNG", title: "Typos and bad grammar", rank: 8,
}

rule! {
    /// A message that claims to be the brand has spelling mistakes (checked against the
    /// embedded Hunspell en_US dictionary plus the language pack's extra words).
    ///
    /// **Why:** the advisory lists "typos or grammatical errors"; real company messages are
    /// proof-read.
    ///
    /// **Example:** `Your acount has been suspnded.`
    ///
    /// **Known false positives:** names, slang and other languages. Capitalised words are
    /// skipped, text that is mostly unknown words is treated as another language, and the
    /// rule only runs on messages that claim to be the brand.
    pub struct SpellingMistakes;
    id: "LNG001", name: "spelling-mistakes", severity: Low,
    points: 10, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "Has spelling mistakes",
    explain: "The message has spelling mistakes. Real company messages are checked before they are sent; the advisory lists typos as a red flag.",
    check: spelling_mistakes,
}

fn spelling_mistakes(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    // Text recognition misreads letters, and a misread letter looks like a typo.
    if !cx.claim.claims
        || cx
            .msg
            .notes
            .iter()
            .any(|n| n.code == redflag_message::NOTE_READ_FROM_IMAGE)
    {
        return;
    }
    let Some(check) = crate::spelling::check(cx) else {
        return;
    };
    let s = &cx.profile.lang.spelling;
    let n = check.misspelled.len();
    if n < s.min_misspelled || check.checked == 0 || n * 100 < s.min_share_percent * check.checked {
        return;
    }
    let words: Vec<String> = check
        .misspelled
        .iter()
        .take(5)
        .map(|sp| quote(cx.text(*sp)))
        .collect();
    let evidence = check
        .misspelled
        .iter()
        .take(10)
        .map(|sp| Evidence::at(*sp))
        .collect();
    out.push(Finding::new(
        meta,
        format!("{n} misspelled words, like `{}`", words.join("`, `")),
        evidence,
    ));
}

rule! {
    /// A message that claims to be the brand has grammar mistakes or the odd wording of
    /// mass scams ("your account have been suspend", "kindly", "a unusual").
    ///
    /// **Why:** the advisory lists grammatical errors as a red flag.
    ///
    /// **Example:** `We has detected a unusual sign-in. Kindly verify.`
    ///
    /// **Known false positives:** "kindly" is ordinary in some varieties of English; the
    /// points are low and the rule only runs on messages that claim to be the brand.
    pub struct GrammarMistakes;
    id: "LNG002", name: "grammar-mistakes", severity: Low,
    points: 10, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "Has grammar mistakes or scam wording",
    explain: "The message has grammar mistakes or odd wording. The advisory lists typos and grammatical errors as red flags.",
    check: |cx, meta, out| {
        if !cx.claim.claims {
            return;
        }
        let hits = phrase_hits(cx, meta.id);
        out.extend(phrase_finding(cx, meta, hits, "odd wording"));
    },
}

rule! {
    /// Greets you generically ("Dear Customer", "Dear Valued Member", your email address)
    /// instead of by name.
    ///
    /// **Why:** companies you do business with know your name; mass scams do not.
    ///
    /// **Example:** `Dear Customer, your account has been limited.`
    ///
    /// **Known false positives:** some real bulk mail greets generically; the points are
    /// low.
    pub struct GenericGreeting;
    id: "LNG003", name: "generic-greeting", severity: Low,
    points: 10, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "Greets you as \"Dear Customer\" instead of by name",
    explain: "The message does not use your name (\"Dear Customer\"). Companies you do business with know your name; mass scams do not.",
    check: generic_greeting,
}

fn generic_greeting(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    // Only a greeting near the top of the body counts.
    let body = cx.msg.body_span();
    let hits: Vec<_> = phrase_hits(cx, meta.id)
        .iter()
        .copied()
        .filter(|s| s.start < body.start + 400)
        .collect();
    out.extend(phrase_finding(cx, meta, &hits, "generic greeting"));
}
