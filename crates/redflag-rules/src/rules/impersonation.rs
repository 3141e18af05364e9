//! Impersonation: the message claims to be the brand, or disguises the brand's name; a text
//! names another well-known company but links elsewhere.

use crate::helpers::{host, phrase_hits, quote, said_of_scams, scam_story, unknown_links};
use crate::{ALL, Context, Evidence, Finding, RuleMeta, TEXTS, family, rule};
use redflag_extract::UrlRef;
use redflag_message::{Channel, Span};

family! {
    /// Claims to be the brand (IMP).
    name: "impersonation", prefix: "IMP", title: "Claims to be the brand", rank: 0,
}

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
    id: "IMP001", name: "claims-brand", severity: Info,
    points: 0, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "Claims to be {brand} or to speak for {brand}",
    explain: "The message says it comes from {brand}, or speaks for {brand}. Scammers pose as {brand} because almost everyone has an account; redflag checks everything else in it against what {brand} really does.",
    check: claims_brand,
}

fn claims_brand(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    if !cx.claim.claims {
        return;
    }
    let first = cx.claim.claim_spans[0];
    let evidence = cx
        .claim
        .claim_spans
        .iter()
        .take(4)
        .map(|s| Evidence::at(*s))
        .collect();
    out.push(Finding::new(
        meta,
        format!(
            "claims to be {}: `{}`",
            cx.profile.brand.name,
            quote(cx.text(first))
        ),
        evidence,
    ));
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
    id: "IMP002", name: "obfuscated-brand-name", severity: High,
    points: 40, channels: ALL, status: Stable("0.1.0"), summary: "Writes {brand}'s name in a disguised way",
    explain: "The name {brand} is written in a disguised way (numbers for letters, look-alike letters from other alphabets, or spaced-out letters). Real companies spell their own name normally; scammers disguise it to slip past spam filters.",
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
            !brand.names.contains(&plain)
                && !cx
                    .ind
                    .urls
                    .iter()
                    .any(|u| u.span.contains(*s) && !u.obfuscated)
                && !cx.ind.emails.iter().any(|e| e.span.contains(*s))
        })
        .collect();
    if let Some(first) = hits.first() {
        let evidence = hits.iter().take(6).map(|s| Evidence::at(*s)).collect();
        out.push(Finding::new(
            meta,
            format!("writes the name as `{}`", quote(cx.text(*first))),
            evidence,
        ));
    }
}

rule! {
    /// The message follows the advisory's script: it claims to be the brand, tells one of
    /// the scam stories (a breach, a charge, a locked account, a held package, a refund, a
    /// prize...) and asks you to act through the message itself: call a number, press a key,
    /// or follow a link that is not the brand's. In a call or a chat the story alone is
    /// enough: the caller is on the line and asks for the action in the conversation.
    ///
    /// **Why:** "The consumer receives a call or message from someone claiming to be with
    /// Amazon customer service indicating that some degree of suspicious activity has been
    /// documented ... provides a fraudulent number to call or provides a website link to a
    /// phony Amazon website" (advisory). Each part alone is weak; together they are the scam.
    ///
    /// **Example:** `Amazon: a $1,537 MacBook was ordered on your account. To cancel, press 1.`
    ///
    /// **Known false positives:** real notices never ask you to call a number or use a
    /// non-brand link; genuine mail from the brand's own servers is not counted. A call
    /// back that the person asked for in the app can mention a real problem: that call
    /// reads as "suspicious", which is the advisory's advice for any call about the account.
    pub struct BrandScareWithCallToAction;
    id: "IMP003", name: "brand-scare-with-call-to-action", severity: High,
    points: 20, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "Claims {brand}, tells a scam story and asks you to call, press or click",
    explain: "The message follows the scam script the advisory describes: it claims to be {brand}, tells a scary story, and asks you to call a number, press a key or click a link in the message. Real {brand} notices send you to the app or amazon.com, never to a number or site in the message.",
    check: brand_scare_with_call_to_action,
}

fn brand_scare_with_call_to_action(
    cx: &Context<'_>,
    meta: &'static RuleMeta,
    out: &mut Vec<Finding>,
) {
    if !cx.claim.claims || cx.claim.sender_is_brand {
        return;
    }
    // Scenario phrases other than a plain order confirmation or job offer.
    let Some(scare) = scam_story(cx) else {
        return;
    };
    let brand = &cx.profile.brand;
    let press = phrase_hits(cx, "PHN003").iter().copied().next();
    let action = off_brand_phone(cx).or(press).or_else(|| off_brand_link(cx));
    // In a call or a chat the caller is already on the line: the story is told so that
    // the person acts in the conversation itself ("don't be fooled by phone calls about
    // problems with your Amazon account", the advisory).
    let on_the_line = matches!(cx.msg.channel, Channel::Call | Channel::Chat);
    let Some(action) = action.or(on_the_line.then_some(cx.claim.claim_spans[0])) else {
        return;
    };
    let message = if on_the_line && action == cx.claim.claim_spans[0] {
        format!(
            "claims to be {} and says `{}` {}",
            brand.name,
            quote(cx.text(scare)),
            if cx.msg.channel == Channel::Call {
                "in a call: the caller is on the line"
            } else {
                "in a chat: the sender waits for your answer"
            },
        )
    } else {
        format!(
            "claims to be {}, says `{}` and asks you to act on `{}`",
            brand.name,
            quote(cx.text(scare)),
            quote(cx.text(action))
        )
    };
    out.push(Finding::new(
        meta,
        message,
        vec![
            Evidence::at(cx.claim.claim_spans[0]),
            Evidence::at(scare),
            Evidence::at(action),
        ],
    ));
}

rule! {
    /// Writes ordinary words with look-alike letters: a capital `I` for a lowercase `l`
    /// (`your account was Iocked`, `cIick the Iink`) or an `l` for an `i` (`lnformation`).
    ///
    /// **Why:** on screen the words read normally; to a spam filter they are unknown words.
    /// Nobody types that by accident, so it is a deliberate disguise. Two or more such words
    /// weigh 30 points, one weighs 15.
    ///
    /// **Example:** `Your AppIe ID has been Iocked temporariIy. CIick the Iink below.`
    ///
    /// **Known false positives:** text copied from a bad OCR scan; code with names such as
    /// `getItem` is not counted (the letter must make an English word).
    pub struct LookalikeLetters;
    id: "IMP004", name: "look-alike-letters", severity: Medium,
    points: 30, channels: ALL, status: Stable("0.1.0"), summary: "Writes words with look-alike letters (I for l) to slip past filters",
    explain: "Some words are written with look-alike letters, such as a capital I in place of a small l (\"Iocked\", \"cIick\"). They look normal to you but fool spam filters; nobody writes that way by accident.",
    check: |cx, meta, out| {
        let words = crate::spelling::lookalike_letter_words(cx);
        if words.is_empty() {
            return;
        }
        let shown: Vec<String> = words.iter().take(5).map(|s| format!("`{}`", quote(cx.text(*s)))).collect();
        let f = Finding::new(
            meta,
            format!("writes words with look-alike letters: {}", shown.join(", ")),
            words.iter().take(8).map(|&s| Evidence::with_note(s, "look-alike letters")).collect(),
        );
        out.push(if words.len() >= 2 { f } else { f.points(15) });
    },
}

rule! {
    /// A text, chat or call uses the brand's name to pitch easy money: a job or "task" with
    /// pay per day or per task, or an investment ("invest 250 € in Amazon stocks, earn 1,500 €
    /// a month"), and gives a way to answer: reply, contact me, a number, a link, or the
    /// caller on the line.
    ///
    /// **Why:** fake jobs and investments in Amazon's name are among the most reported
    /// Amazon scams after the advisory's; they end in "fees", deposits and stolen IDs. Amazon
    /// recruits on amazon.jobs and never pitches its shares or a second salary by text.
    ///
    /// **Example:** `Amazon is hiring part-time online workers, earn 500-2000 daily. Contact
    /// me on WhatsApp.`
    ///
    /// **Known false positives:** a text from a friend who works at Amazon and talks about
    /// pay; texts from the brand's verified senders (Amazon Flex's offers) are not counted.
    pub struct BrandMoneyPitch;
    id: "IMP006", name: "brand-money-pitch", severity: High,
    points: 30, channels: &[Channel::Sms, Channel::Chat, Channel::Call],
    status: Stable("0.1.0"), summary: "Uses {brand}'s name to offer a job or an investment, and asks you to answer",
    explain: "The message uses {brand}'s name to promise easy money: a job paid by the day or by the task, or an investment (\"invest $250 in {brand} stock\"). {brand} hires on amazon.jobs and never offers shares or a second income by text, chat or call. Such offers end in \"fees\", deposits and stolen IDs.",
    check: brand_money_pitch,
}

/// The scenario phrases of a money pitch: a job offer or easy money (SCN010), riches from
/// trading or crypto (SCN016).
const MONEY_PITCHES: &[&str] = &["SCN010", "SCN016"];

fn brand_money_pitch(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    if cx.claim.sender_is_brand {
        return;
    }
    let Some(&brand) = cx.claim.mentions.iter().find(|s| cx.in_content(**s)) else {
        return;
    };
    let Some(pitch) = MONEY_PITCHES.iter().find_map(|id| {
        phrase_hits(cx, id)
            .iter()
            .copied()
            .find(|s| !said_of_scams(cx, *s))
    }) else {
        return;
    };
    let answer = phrase_hits(cx, meta.id)
        .iter()
        .copied()
        .next()
        .or_else(|| off_brand_phone(cx))
        .or_else(|| off_brand_link(cx));
    let on_the_line = matches!(cx.msg.channel, Channel::Call | Channel::Chat);
    let Some(answer) = answer.or(on_the_line.then_some(pitch)) else {
        return;
    };
    let mut evidence = vec![Evidence::at(brand), Evidence::at(pitch)];
    if answer != pitch {
        evidence.push(Evidence::at(answer));
    }
    out.push(Finding::new(
        meta,
        format!(
            "uses the name `{}` to offer `{}`",
            quote(cx.text(brand)),
            quote(cx.text(pitch))
        ),
        evidence,
    ));
}

/// The first phone number in the content that is not one of the brand's.
fn off_brand_phone(cx: &Context<'_>) -> Option<Span> {
    let brand = &cx.profile.brand;
    cx.ind
        .phones
        .iter()
        .find(|p| {
            cx.in_content(p.span) && !p.e164.as_deref().is_some_and(|e| brand.is_brand_phone(e))
        })
        .map(|p| p.span)
}

/// The first link to a site that is not the brand's.
fn off_brand_link(cx: &Context<'_>) -> Option<Span> {
    let brand = &cx.profile.brand;
    cx.ind
        .urls
        .iter()
        .find(|u| u.host.as_deref().is_some_and(|h| !brand.is_legit_domain(h)))
        .map(|u| u.span)
}

rule! {
    /// A text names another well-known company (a bank, a carrier, a store, the tax office:
    /// the profile's `other_brands`) but links to a site that is not that company's.
    ///
    /// **Why:** the same advice as for the brand itself: a company's text links to the
    /// company's own site. "USPS" next to `usps-redelivery.top`, or "Wells Fargo" next to
    /// `bank-restore.example.top`, is somebody else using the name.
    ///
    /// **Example:** `Wells Fargo: your card is on hold, unlock it at
    /// bank-restore.example.top/u/7`.
    ///
    /// **Known false positives:** a friend's text that mentions a company and links to
    /// something else. The name must be written as a name (capitalised; short names like
    /// UPS or IRS in capitals), and links to any well-known company's own site are fine
    /// (a store's text with a carrier's tracking link).
    pub struct OtherBrandLink;
    id: "IMP005", name: "other-brand-link", severity: Medium,
    points: 30, channels: TEXTS, status: Stable("0.1.0"), summary: "A text names a company but links to another site",
    explain: "The text names a well-known company (a bank, a carrier, a store, the tax office) but its link goes to a site that is not that company's. Companies link to their own sites; someone else is using the name.",
    check: other_brand_link,
}

fn other_brand_link(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    let links = unknown_links(cx);
    let Some(link) = links.first() else { return };
    let Some(span) = other_brand_mention(cx, &links) else {
        return;
    };
    let name = quote(cx.text(span));
    out.push(Finding::new(
        meta,
        format!("names `{name}` but links to `{}`", quote(host(link))),
        vec![
            Evidence::at(span),
            Evidence::with_note(link.span, format!("{} is not {name}'s site", host(link))),
        ],
    ));
}

/// Where the content first names another company outside its unknown links, written as a
/// name (a company's name inside a link to its own site still names it): the first name in
/// the profile's list that has such a mention, at its first one. All names' first words are
/// found in one pass over the text.
fn other_brand_mention(cx: &Context<'_>, links: &[&UrlRef]) -> Option<Span> {
    let common = &cx.profile.common;
    // The links' spans in order, to ask "inside one?" without reading them all.
    let mut link_spans: Vec<Span> = links.iter().map(|u| u.span).collect();
    link_spans.sort_unstable_by_key(|s| s.start);
    let in_link = |span: Span| {
        let before = link_spans.partition_point(|l| l.start <= span.start);
        link_spans[..before]
            .iter()
            .rev()
            .take(2)
            .any(|l| l.contains(span))
    };
    let norm = &cx.ind.norm.text;
    // (name index, span) of the best mention so far: lowest index, then earliest.
    let mut best: Option<(usize, Span)> = None;
    for (i, at) in common.other_brand_name_starts(norm) {
        if best.is_some_and(|(b, _)| b <= i) {
            continue;
        }
        redflag_message::work::step();
        let words = common.other_brand_name_words(i);
        let Some(end) = match_words(norm, at, words) else {
            continue;
        };
        let span = cx.ind.norm.to_original(at, end);
        if !cx.in_content(span) || in_link(span) || !written_as_name(cx.text(span), words) {
            continue;
        }
        best = Some((i, span));
    }
    best.map(|(_, span)| span)
}

/// The end of `words` matched at `at` as whole words, separated by anything that is not a
/// letter or digit (`u.s. bank`, `sam's club`).
fn match_words(norm: &str, at: usize, words: &[impl AsRef<str>]) -> Option<usize> {
    let bytes = norm.as_bytes();
    if at > 0 && bytes[at - 1].is_ascii_alphanumeric() {
        return None;
    }
    let mut pos = at;
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            let skip = bytes[pos..]
                .iter()
                .take_while(|b| !b.is_ascii_alphanumeric())
                .count();
            if skip == 0 || skip > 3 {
                return None;
            }
            pos += skip;
        }
        if !norm[pos..].starts_with(w.as_ref()) {
            return None;
        }
        pos += w.as_ref().len();
    }
    (pos == bytes.len() || !bytes[pos].is_ascii_alphanumeric()).then_some(pos)
}

/// A company's name as a name: it starts with a capital, and a short one (up to four letters:
/// UPS, IRS, CVS) is all capitals, so "ups and downs" or "an apple" is not a company.
fn written_as_name(original: &str, words: &[impl AsRef<str>]) -> bool {
    let letters: Vec<char> = original.chars().filter(|c| c.is_alphabetic()).collect();
    let Some(first) = letters.first() else {
        return false;
    };
    let short = words.iter().map(|w| w.as_ref().len()).sum::<usize>() <= 4;
    first.is_uppercase() && (!short || letters.iter().all(|c| c.is_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_words() {
        assert_eq!(
            match_words("the u.s. bank app", 4, &["u", "s", "bank"]),
            Some(13)
        );
        assert_eq!(
            match_words("sam's club", 0, &["sam", "s", "club"]),
            Some(10)
        );
        assert_eq!(match_words("startups", 5, &["ups"]), None);
        assert!(written_as_name("UPS", &["ups"]));
        assert!(!written_as_name("ups", &["ups"]));
        assert!(!written_as_name("Ups", &["ups"]));
        assert!(written_as_name("Wells Fargo", &["wells", "fargo"]));
        assert!(!written_as_name("apple", &["apple"]));
    }
}
