//! Red flags of text messages (SMS and chat): the shapes a scam text takes that an email does
//! not. A text has no headers to check and few words, so what it links to, whose name it
//! uses and what it tells you to do with the link carry the evidence.

use crate::helpers::{phrase_finding, phrase_hits, quote, request_hits};
use crate::{Context, Evidence, Finding, RuleMeta, TEXTS, rule};
use redflag_extract::UrlRef;
use redflag_message::Span;

/// Web links of the content (not `mailto:` or `tel:`) that go to a site that is neither the
/// brand's nor one of the other well-known companies' (`other_brands`).
fn unknown_links<'a>(cx: &'a Context<'_>) -> Vec<&'a UrlRef> {
    cx.ind
        .urls
        .iter()
        .filter(|u| matches!(u.scheme.as_str(), "http" | "https" | ""))
        .filter(|u| cx.in_content(u.span))
        .filter(|u| u.host.as_deref().is_some_and(|h| !cx.is_known_site(h)))
        .collect()
}

fn host(u: &UrlRef) -> &str {
    u.host.as_deref().unwrap_or("")
}

rule! {
    /// A text tells you to reply, copy the link into your browser, or close and reopen the
    /// message "to activate the link".
    ///
    /// **Why:** phones switch links off in texts from unknown senders. A real company's text
    /// comes from a known sender and never needs you to turn its link back on; a scam that
    /// wants you on its site does.
    ///
    /// **Example:** `Your parcel needs a new address. Reply Y and close this text, then open
    /// it again to activate the link, or paste the link into your browser.`
    ///
    /// **Known false positives:** none known.
    pub struct LinkActivationTrick;
    id: "LNK015", name: "link-activation-trick", family: Links, severity: High,
    points: 30, channels: TEXTS, summary: "Tells you to reply or copy the link to make it work",
    check: |cx, meta, out| {
        let hits = phrase_hits(cx, meta.id);
        out.extend(phrase_finding(cx, meta, hits, "asks you to turn the link on"));
    },
}

/// Rules whose phrases tell a scam story (every scenario but a plain order confirmation).
const STORIES: &[&str] = &[
    "SCN001", "SCN002", "SCN003", "SCN004", "SCN006", "SCN007", "SCN008", "SCN009", "SCN010",
    "SCN011", "SCN012", "SCN013",
];

rule! {
    /// A text tells one of the scam stories (a charge, a locked account, a held parcel, a
    /// prize, a refund, a job, an unpaid fee, an invitation from a stranger) and links to a
    /// site that is neither the brand's nor another well-known company's.
    ///
    /// **Why:** that is the whole smishing scam in one line: a reason to worry or hope, and a
    /// link to act on it. A real company's text about your account links to its own site,
    /// or to none.
    ///
    /// **Example:** `Your parcel is on hold due to an unpaid fee of $1.99:
    /// https://redelivery-post.example.top/pay`.
    ///
    /// **Known false positives:** a small business's own text about a real delivery or
    /// bill, linking to its own site; the points are moderate so that it takes another red
    /// flag to make a scam.
    pub struct LureWithLink;
    id: "LNK013", name: "lure-with-link", family: Links, severity: Medium,
    points: 20, channels: TEXTS, summary: "A text tells a scam story and links to an unknown site",
    check: lure_with_link,
}

fn lure_with_link(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    let links = unknown_links(cx);
    let Some(link) = links.first() else { return };
    let story = STORIES
        .iter()
        .find_map(|id| phrase_hits(cx, id).iter().copied().next())
        .or_else(|| request_hits(cx, "PAY005").into_iter().next())
        .or_else(|| phrase_hits(cx, meta.id).iter().copied().next());
    let Some(story) = story else { return };
    out.push(Finding::new(
        meta,
        format!(
            "says `{}` and links to `{}`",
            quote(cx.text(story)),
            quote(host(link))
        ),
        vec![
            Evidence::at(story),
            Evidence::with_note(
                link.span,
                format!("{} is not a known company's site", host(link)),
            ),
        ],
    ));
}

rule! {
    /// A text links to a web address whose name is gibberish: no vowels (`qwrtzk.com`), a
    /// long run of consonants, or consonants and digits mixed into a short code (`k8pq3t.com`).
    ///
    /// **Why:** scam texts are sent in waves from throw-away domains registered by the
    /// thousand under machine-made names. Companies use names people can read and remember.
    ///
    /// **Example:** `Hey, it's Dana, fancy a drink tonight? http://xkwrtp.com/Qa81Zc`.
    ///
    /// **Known false positives:** abbreviated names (`bkng.com`); the points are low.
    pub struct GibberishDomainLink;
    id: "LNK014", name: "gibberish-domain-link", family: Links, severity: Low,
    points: 15, channels: TEXTS, summary: "Links to a site with a machine-made name",
    check: |cx, meta, out| {
        let bad: Vec<(&UrlRef, String)> = unknown_links(cx)
            .into_iter()
            .filter(|u| !u.is_ip)
            .filter_map(|u| {
                let label = u.registrable.as_deref()?.split('.').next()?;
                gibberish(label).then(|| (u, format!("{label} is not a word or a name")))
            })
            .collect();
        let Some((first, _)) = bad.first() else { return };
        let evidence = bad.iter().take(4).map(|(u, note)| Evidence::with_note(u.span, note.clone())).collect();
        out.push(Finding::new(meta, format!("links to the made-up name `{}`", quote(host(first))), evidence));
    },
}

/// A domain label that no person would choose: at least four letters and no vowel, a run of
/// five consonants, or a short mix of consonants and digits.
pub(crate) fn gibberish(label: &str) -> bool {
    let l = label.to_ascii_lowercase();
    if l.len() < 4 || l.len() > 16 || !l.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return false;
    }
    let letters = l.bytes().filter(u8::is_ascii_alphabetic).count();
    if letters < 3 {
        return false;
    }
    let vowel = |b: u8| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u');
    let vowels = l.bytes().filter(|&b| vowel(b)).count();
    if vowels == 0 && letters >= 4 {
        return true;
    }
    let mut run = 0;
    for b in l.bytes() {
        run = if b.is_ascii_alphabetic() && !vowel(b) && b != b'y' {
            run + 1
        } else {
            0
        };
        if run >= 5 {
            return true;
        }
    }
    // One or two digits between consonants, in a short label: `r7j2j`, `qv02g`.
    let b = l.as_bytes();
    let digit_between = (1..b.len()).any(|i| {
        let run = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        (1..=2).contains(&run)
            && b[i - 1].is_ascii_alphabetic()
            && b.get(i + run).is_some_and(u8::is_ascii_alphabetic)
    });
    digit_between && vowels == 0 && l.len() <= 8
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
    id: "IMP005", name: "other-brand-link", family: Impersonation, severity: Medium,
    points: 30, channels: TEXTS, summary: "A text names a company but links to another site",
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
    fn gibberish_labels() {
        for l in [
            "qwrtzk", "xkwrtp", "k8pq3t", "bv27dk", "t5gnx", "plmbrtz", "zdkfq",
        ] {
            assert!(gibberish(l), "{l}");
        }
        for l in [
            "amazon",
            "usps",
            "text2me",
            "freesms",
            "bankcard",
            "paypal",
            "web2sms",
            "ups",
            "bbc",
            "google",
            "bit",
            "citybank",
            "hotmail",
            "gardenhouse",
        ] {
            assert!(!gibberish(l), "{l}");
        }
    }

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
