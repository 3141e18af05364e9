//! Small pieces several rules share.

use crate::{Context, Evidence, Finding, RuleMeta};
use redflag_extract::{NormText, UrlRef};
use redflag_message::Span;
use regex::Regex;
use std::sync::LazyLock;

/// Registrable domain of a host (eTLD+1).
pub(crate) fn registrable(host: &str) -> Option<String> {
    redflag_extract::registrable_domain(host)
}

/// Where the language pack's phrases for `id` match in the subject or body (original spans).
/// Computed once per message and rule ID (see `Context::cached_phrases`).
pub(crate) fn phrase_hits<'c>(cx: &'c Context<'_>, id: &str) -> &'c [Span] {
    match cx.profile.lang.phrase_rule(id) {
        Some(rule) => cx.cached_phrases(rule, || find_phrases(cx, rule)),
        None => &[],
    }
}

/// Most hits of one phrase list read from one message. Rules show a handful as evidence and
/// decide on the first few; a text that repeats a phrase more often is padding.
pub(crate) const MAX_PHRASE_HITS: usize = 200;

fn find_phrases(cx: &Context<'_>, rule: usize) -> Vec<Span> {
    let norm = &cx.ind.norm;
    let candidates = cx.phrase_candidates();
    // Most rules' lists have none of their prefixes in a given text: then there is
    // nothing to search, sort or trim.
    if !cx.profile.lang.rule_may_match(rule, candidates) {
        return Vec::new();
    }
    let mut out: Vec<Span> = cx
        .profile
        .lang
        .rule_slots_on(rule, cx.msg.channel.as_str())
        .flat_map(|(slot, re)| {
            candidates
                .find_iter(slot, re, &norm.text, redflag_message::work::steps)
                .map(|m| trim_span(&cx.msg.text, norm.to_original(m.start, m.end)))
                .filter(|s| {
                    !s.is_empty()
                        && cx.in_content(*s)
                        && !cx.in_text_link(*s)
                        && !in_attachment_line(cx, *s)
                })
                .take(MAX_PHRASE_HITS)
        })
        .collect();
    // Phrases of several files can overlap: keep the longest of overlapping hits.
    out.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut end = 0;
    out.retain(|s| {
        let keep = s.start >= end;
        if keep {
            end = s.end;
        }
        keep
    });
    out
}

/// True when the span is on an `Attachment:` line. A file name is not something the
/// message says: `invoice_2291.pdf` does not make an email an order confirmation, and the
/// attachment rules judge files by their type.
fn in_attachment_line(cx: &Context<'_>, span: Span) -> bool {
    cx.msg.section_at(span.start) == Some(redflag_message::SectionKind::Attachment)
}

/// The scam stories: every scenario except a plain order confirmation, a job offer and a
/// mailbox scare (a breach, a charge, a failed order, a held package, a locked account, a
/// renewal, a refund, a prize, a payment problem, tech support).
pub(crate) const SCAM_STORIES: &[&str] = &[
    "SCN001", "SCN002", "SCN003", "SCN004", "SCN006", "SCN007", "SCN008", "SCN009", "SCN011",
    "SCN012",
];

/// The first place the message tells one of the [`SCAM_STORIES`].
pub(crate) fn scam_story(cx: &Context<'_>) -> Option<Span> {
    SCAM_STORIES
        .iter()
        .find_map(|id| phrase_hits(cx, id).iter().copied().next())
}

/// A span without white space at either end.
pub(crate) fn trim_span(text: &str, span: Span) -> Span {
    let Some(s) = text.get(span.range()) else {
        return span;
    };
    let start = span.start + (s.len() - s.trim_start().len());
    let end = span.end - (s.len() - s.trim_end().len());
    if start <= end {
        Span::new(start, end)
    } else {
        span
    }
}

/// Phrase hits that are not negated ("Amazon will never ask for your password").
///
/// For the request rules that lists carry (the credentials rules), the later items
/// of a list of requests count too: "your password and credit card number" asks for the
/// card number as well.
pub(crate) fn request_hits(cx: &Context<'_>, id: &str) -> Vec<Span> {
    let mut hits: Vec<Span> = phrase_hits(cx, id)
        .iter()
        .copied()
        .filter(|s| !negated(cx, *s))
        .collect();
    let listed = cx.listed_requests().iter().filter(|l| l.rule == id);
    let before = hits.len();
    hits.extend(listed.map(|l| l.span));
    if hits.len() > before {
        hits.sort_by_key(|s| (s.start, s.end));
    }
    hits
}

/// The request phrase whose list `span` is a later item of, or `span` itself: a list item
/// asks as strongly as the list's first item.
pub(crate) fn list_head(cx: &Context<'_>, span: Span) -> Span {
    cx.listed_requests()
        .iter()
        .find(|l| l.span == span)
        .map_or(span, |l| l.head)
}

/// Up to `bytes` bytes of text just before `span`, starting on a character.
fn text_before<'a>(cx: &Context<'a>, span: Span, bytes: usize) -> &'a str {
    let text = cx.msg.text.as_str();
    &text[text.ceil_char_boundary(span.start.saturating_sub(bytes))..span.start]
}

/// Where a sentence ends: `. `, `!`, `?`, a line break, or a full stop of Japanese and
/// Chinese (`。`).
const SENTENCE_ENDS: Cuts = Cuts::new(&[". ", "! ", "? ", "\n", "。", "！", "？"]);

/// Strings a text is cut at (sentence ends), with the bytes they start and end with: a
/// place is compared with the strings only when its byte is one of those, so most places
/// cost one load (comparing each place with each string took about 12 instructions a byte).
pub(crate) struct Cuts {
    strs: &'static [&'static str],
    /// `first[b]`: some string starts with byte `b`.
    first: [bool; 256],
    /// `last[b]`: some string ends with byte `b`.
    last: [bool; 256],
}

impl Cuts {
    pub(crate) const fn new(strs: &'static [&'static str]) -> Cuts {
        let mut cuts = Cuts {
            strs,
            first: [false; 256],
            last: [false; 256],
        };
        let mut i = 0;
        while i < strs.len() {
            if let [first, .., last] | [first @ last] = strs[i].as_bytes() {
                cuts.first[*first as usize] = true;
                cuts.last[*last as usize] = true;
            }
            i += 1;
        }
        cuts
    }
}

/// True when the words around `span` in its sentence negate it: "never", "do not", "no one"
/// before it, or, in languages whose verb comes last, "ことはありません" after it. The words
/// of every language are in the language files (`[requests]`).
pub(crate) fn negated(cx: &Context<'_>, span: Span) -> bool {
    let words = &cx.profile.lang.requests;
    // Only look within the same sentence.
    let before = NormText::new(last_sentence(text_before(cx, span, 48))).text;
    words
        .negation
        .as_ref()
        .is_some_and(|re| re.is_match(&before))
        || words
            .negation_after
            .as_ref()
            .is_some_and(|re| re.is_match(&NormText::new(sentence_after(cx, span, 60)).text))
        || said_of_scams(cx, span)
}

/// True when `bytes` ends with one of `ends`. The last byte is looked up first, so most
/// places are ruled out at once.
fn ends_with_any(bytes: &[u8], ends: &Cuts) -> bool {
    let Some(&last) = bytes.last() else {
        return false;
    };
    ends.last[usize::from(last)]
        && ends
            .strs
            .iter()
            .any(|e| e.as_bytes().last() == Some(&last) && bytes.ends_with(e.as_bytes()))
}

/// True when `bytes` starts with one of `ends` (first byte first, as above).
fn starts_with_any(bytes: &[u8], ends: &Cuts) -> bool {
    let Some(&first) = bytes.first() else {
        return false;
    };
    ends.first[usize::from(first)]
        && ends
            .strs
            .iter()
            .any(|e| e.as_bytes().first() == Some(&first) && bytes.starts_with(e.as_bytes()))
}

/// The part of `text` after its last sentence end (all of it when there is none).
///
/// One pass from the end over the bytes, not one `rfind` per kind of end: a substring
/// search sets up a two-way searcher each time, which cost more than the rest of the
/// negation check (7,500 instructions a call, several calls per phrase hit).
fn last_sentence(text: &str) -> &str {
    let bytes = text.as_bytes();
    let cut = (1..=bytes.len())
        .rev()
        .find(|&i| ends_with_any(&bytes[..i], &SENTENCE_ENDS))
        .unwrap_or(0);
    &text[cut..]
}

/// Up to `bytes` bytes of the text right after `span`, up to the end of its sentence.
pub(crate) fn sentence_after<'a>(cx: &Context<'a>, span: Span, bytes: usize) -> &'a str {
    text_up_to(&cx.msg.text, span.end, bytes, &SENTENCE_ENDS)
}

/// Up to `bytes` bytes of `text` from `at`, cut where the first of `ends` starts: one pass
/// over the bytes, whatever the number of ends.
pub(crate) fn text_up_to<'a>(text: &'a str, at: usize, bytes: usize, ends: &Cuts) -> &'a str {
    let end = text.floor_char_boundary((at + bytes).min(text.len()));
    let after = text.get(at.min(end)..end).unwrap_or("");
    let b = after.as_bytes();
    let cut = (0..b.len())
        .find(|&i| starts_with_any(&b[i..], ends))
        .unwrap_or(after.len());
    &after[..cut]
}

/// True when the sentence, before `span`, says that what follows is something the brand
/// never asks or something scammers do: "Amazon will not ask you to provide payment
/// information, including gift cards", "Scammers may also ask for remote access". A brand's
/// own scam warning quotes the lures it warns about. ("To protect you from scammers, verify
/// your card" is not such a sentence: scammers are not its subject.)
pub(crate) fn said_of_scams(cx: &Context<'_>, span: Span) -> bool {
    static NEVER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?:never|will not|won.t|would not|does not|doesn.t) (?:\w+ ){0,2}(?:ask|request|call|text|email|require|contact)s? (?:you|for|customers|anyone)",
        )
        .expect("valid pattern")
    });
    // Scammers as the subject ("Scammers pretend to be Amazon and say..."), not as the
    // object ("to protect you from scammers, verify...").
    static SCAMMERS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?:^|[^\w ]\s*|(?-u:\b)(?:some|these|the|many|other|fake)\s+)(?-u:\b)(?:scammers?|fraudsters?|criminals|impostors?|imposters?|scam (?:calls|texts|emails|messages))(?-u:\b)",
        )
        .expect("valid pattern")
    });
    let sentence = sentence_before(cx, span);
    NEVER.is_match(&sentence) || SCAMMERS.is_match(&sentence)
}

/// The lowercase text from the start of `span`'s sentence up to `span` (a sentence ends at
/// `. `, `!`, `?` or a line break; `Rs.2` does not end one).
pub(crate) fn sentence_before(cx: &Context<'_>, span: Span) -> String {
    last_sentence(text_before(cx, span, 160))
        .trim_start()
        .to_lowercase()
}

/// The lowercase word right after `span`, if any.
pub(crate) fn next_word(cx: &Context<'_>, span: Span) -> String {
    cx.msg.text[span.end..]
        .trim_start_matches([' ', '\t'])
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase()
}

/// Quotes evidence text for a finding message: trimmed, one line, at most 60 characters.
pub(crate) fn quote(s: &str) -> String {
    // One string, written once: every finding quotes its evidence.
    let mut one = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !one.is_empty() {
            one.push(' ');
        }
        one.push_str(word);
    }
    if one.char_indices().nth(60).is_some() {
        let cut = one.char_indices().nth(57).map_or(one.len(), |(i, _)| i);
        one.truncate(cut);
        one.push_str("...");
    }
    one
}

/// The standard finding for phrase rules: one finding, every hit as evidence.
pub(crate) fn phrase_finding(
    cx: &Context<'_>,
    meta: &'static RuleMeta,
    hits: &[Span],
    what: &str,
) -> Option<Finding> {
    let first = *hits.first()?;
    let evidence = hits.iter().take(8).map(|s| Evidence::at(*s)).collect();
    Some(Finding::new(
        meta,
        format!("{what}: `{}`", quote(cx.text(first))),
        evidence,
    ))
}

/// A phrase rule: any (non-negated when `request`) hit of the rule's phrases is a finding.
pub(crate) fn phrase_rule(
    cx: &Context<'_>,
    meta: &'static RuleMeta,
    out: &mut Vec<Finding>,
    request: bool,
    what: &str,
) {
    let hits = if request {
        request_hits(cx, meta.id)
    } else {
        // A story told as what scammers say ("Scammers say your account will be suspended")
        // is a warning, not the story.
        phrase_hits(cx, meta.id)
            .iter()
            .copied()
            .filter(|s| !said_of_scams(cx, *s))
            .collect()
    };
    out.extend(phrase_finding(cx, meta, &hits, what));
}

/// A domain as text recognition may have misread it: the letters and pairs it confuses
/// folded to one (`rn` and `m`, `vv` and `w`, `cl` and `d`, `0` and `o`, `1`, `i`, `I` and
/// `l`, `5` and `s`).
fn ocr_fold(domain: &str) -> String {
    let d = domain
        .to_ascii_lowercase()
        .replace("rn", "m")
        .replace("vv", "w")
        .replace("cl", "d");
    d.chars()
        .map(|c| match c {
            '0' => 'o',
            '1' | 'i' | '|' => 'l',
            '5' => 's',
            c => c,
        })
        .collect()
}

/// On a message read from an image: the brand's domain that `registrable` may be a misreading
/// of (`arnazon.com` for `amazon.com`). Such a link is not evidence of a look-alike site:
/// the picture must be looked at.
pub(crate) fn misread_brand_domain<'p>(cx: &Context<'p>, registrable: &str) -> Option<&'p str> {
    if !cx.read_from_image() {
        return None;
    }
    let folded = ocr_fold(registrable);
    cx.profile
        .brand
        .legit_domains
        .iter()
        .find(|d| d.as_str() != registrable && ocr_fold(d) == folded)
        .map(String::as_str)
}

/// How a domain label imitates the brand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lookalike {
    /// The brand name with extra words (`amazon-support-center`).
    Combo,
    /// The brand name misspelled by a letter or two, or with look-alike characters
    /// (`amaz0n`, `arnazon`, `amazom`).
    Typo,
}

/// The label left of a registrable domain's suffix (`amazon-help` of `amazon-help.com`).
fn first_label(registrable: &str) -> &str {
    registrable.split('.').next().unwrap_or("")
}

/// Does a domain's first label (`label`, and `folded`, that label folded by
/// [`fold_label`]) imitate the brand `name`?
fn lookalike_label(name: &str, label: &str, folded: &str) -> Option<Lookalike> {
    if label.is_empty() || name.len() < 2 {
        return None;
    }
    // A short name (`dhl`, `ups`) sits inside too many ordinary words, and one letter off
    // reaches others: only the name as a whole dash-separated part counts
    // (`dhl-redelivery.top`), not `adhlx` or `dh1`.
    if name.len() < 4 {
        return whole_part_of(name, folded);
    }
    if folded == name {
        return Some(Lookalike::Typo).filter(|_| label != name);
    }
    if folded.contains(name) {
        return Some(Lookalike::Combo);
    }
    // Compare each dash-separated piece, and the whole label, with the name.
    let pieces = folded.split('-').chain(std::iter::once(folded));
    for piece in pieces {
        if piece.len() + 2 < name.len() || piece.len() > name.len() + 2 {
            continue;
        }
        // One edit only: two edits reach ordinary words (`amazing` is two from `amazon`).
        if one_edit_apart(piece, name) && piece.chars().next() == name.chars().next() {
            return Some(Lookalike::Typo);
        }
    }
    None
}

/// True when `a` and `b` are one edit apart: one character changed, added or dropped, or
/// two neighbouring characters swapped (their Damerau-Levenshtein distance is 1). Without
/// the distance's table: the two differ only between their common start and their common
/// end, and what is left there says it.
pub(crate) fn one_edit_apart(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return one_edit(a.as_bytes(), b.as_bytes());
    }
    let chars = |s: &str| s.chars().collect::<Vec<char>>();
    one_edit(&chars(a), &chars(b))
}

/// [`one_edit_apart`] over characters.
fn one_edit<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    let start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[start..], &b[start..]);
    let end = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - end], &b[..b.len() - end]);
    match (a, b) {
        ([_], [_]) | ([_], []) | ([], [_]) => true,
        ([a0, a1], [b0, b1]) => a0 == b1 && a1 == b0,
        _ => false,
    }
}

/// Does a domain's first label, folded by [`fold_label`], hold `name` as a whole
/// dash-separated part, with other parts beside it (`dhl-redelivery.top`,
/// `amz-navidad-premio.com`)? For short names and abbreviations, which sit inside too many
/// ordinary words to be looked for there.
fn whole_part_of(name: &str, folded: &str) -> Option<Lookalike> {
    let whole = folded.contains('-') && folded.split('-').any(|p| p == name);
    whole.then_some(Lookalike::Combo)
}

/// A look-alike of the brand: of its canonical name ([`lookalike_label`]) or, as a whole
/// dash-separated part, of one of its short names (`amzn-prime-regali.com`). The label is
/// folded once for all of them.
pub(crate) fn brand_lookalike(
    brand: &redflag_profile::Brand,
    registrable: &str,
) -> Option<Lookalike> {
    let label = first_label(registrable);
    let folded = fold_label(label);
    lookalike_label(brand.canonical(), label, &folded).or_else(|| {
        brand
            .short_names
            .iter()
            .find_map(|n| whole_part_of(n, &folded))
    })
}

/// The registrable domain of a sender's domain that imitates the brand: a look-alike of its
/// name (`amaz0n-alerts.com`) or the brand's name in front of another company's domain
/// (`amazon.secure-billing.example`). The brand's own domains, and its customers' hosting
/// (`sns.amazonaws.com`), are not.
pub(crate) fn lookalike_sender_domain(
    brand: &redflag_profile::Brand,
    domain: &str,
) -> Option<String> {
    if brand.is_sender_domain(domain) || brand.owns(domain) {
        return None;
    }
    let reg = registrable(domain)?;
    let imitates = brand_lookalike(brand, &reg).is_some()
        || domain
            .strip_suffix(&reg)
            .is_some_and(|p| p.contains(brand.canonical()));
    imitates.then_some(reg)
}

/// Folds the tricks people use in domain labels: digits for letters, `rn` for `m`, `vv` for
/// `w`.
fn fold_label(label: &str) -> String {
    let s: String = label
        .chars()
        .map(|c| redflag_extract::leet(c).unwrap_or(c).to_ascii_lowercase())
        .collect();
    s.replace("rn", "m").replace("vv", "w")
}

/// Web links of the content (not `mailto:` or `tel:`) that go to a site that is neither the
/// brand's nor one of the other well-known companies' (`other_brands`).
pub(crate) fn unknown_links<'a>(cx: &'a Context<'_>) -> Vec<&'a UrlRef> {
    cx.ind
        .urls
        .iter()
        .filter(|u| matches!(u.scheme.as_str(), "http" | "https" | ""))
        .filter(|u| cx.in_content(u.span))
        .filter(|u| u.host.as_deref().is_some_and(|h| !cx.is_known_site(h)))
        .collect()
}

pub(crate) fn host(u: &UrlRef) -> &str {
    u.host.as_deref().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The quote of joined words cut at 57 characters past 60, as the words collected
        /// and joined gave it, on texts of words of one to four bytes and white space of
        /// several kinds, around the length limit.
        #[test]
        fn quotes_are_the_joined_words(
            pieces in proptest::collection::vec(
                prop::sample::select(vec!["a", "word", " ", "  ", "\n", "\t", "é", "中", "👍", "\u{a0}", "x."]),
                0..90,
            )
        ) {
            let text: String = pieces.concat();
            let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let want = match one.chars().count() <= 60 {
                true => one,
                false => format!("{}...", one.chars().take(57).collect::<String>()),
            };
            prop_assert_eq!(quote(&text), want, "{:?}", text);
        }
    }

    /// The sentence ends found as `rfind` and `find` per kind of end find them.
    #[test]
    fn sentence_ends_are_the_substring_searches() {
        fn last_by_rfind(text: &str) -> &str {
            let cut = SENTENCE_ENDS
                .strs
                .iter()
                .filter_map(|sep| text.rfind(sep).map(|i| i + sep.len()))
                .max()
                .unwrap_or(0);
            &text[cut..]
        }
        fn first_by_find(text: &str, ends: &Cuts) -> usize {
            ends.strs
                .iter()
                .filter_map(|sep| text.find(sep))
                .min()
                .unwrap_or(text.len())
        }
        let pieces = [
            "a",
            "Rs.2",
            ". ",
            ".",
            "! ",
            "!",
            "? ",
            "\n",
            "。",
            "！",
            "？",
            " ",
            "é",
            "ことは",
            "\u{3002}x",
            "\u{FF01}",
            "x.",
            "..  ",
        ];
        // Every string of up to four pieces.
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for t in &texts {
                for p in pieces {
                    next.push(format!("{t}{p}"));
                }
            }
            texts.extend(next);
            texts.sort();
            texts.dedup();
        }
        for t in &texts {
            assert_eq!(last_sentence(t), last_by_rfind(t), "{t:?}");
            for ends in [&SENTENCE_ENDS, &crate::lists::LIST_ENDS] {
                let first = text_up_to(t, 0, t.len(), ends).len();
                assert_eq!(first, first_by_find(t, ends), "{t:?}");
            }
        }
    }

    /// Does the first label of `registrable` imitate the brand `name`?
    fn lookalike(name: &str, registrable: &str) -> Option<Lookalike> {
        let label = first_label(registrable);
        lookalike_label(name, label, &fold_label(label))
    }

    #[test]
    fn lookalikes() {
        assert_eq!(
            lookalike("amazon", "amazon-support-center.com"),
            Some(Lookalike::Combo)
        );
        assert_eq!(
            lookalike("amazon", "secure-amazon.top"),
            Some(Lookalike::Combo)
        );
        assert_eq!(lookalike("amazon", "amaz0n.com"), Some(Lookalike::Typo));
        assert_eq!(lookalike("amazon", "arnazon.com"), Some(Lookalike::Typo));
        assert_eq!(lookalike("amazon", "amazom.net"), Some(Lookalike::Typo));
        assert_eq!(lookalike("amazon", "amzon-help.com"), Some(Lookalike::Typo));
        assert_eq!(lookalike("amazon", "amazon.com"), None);
        assert_eq!(lookalike("amazon", "example.com"), None);
        assert_eq!(lookalike("amazon", "amazing.com"), None);
        assert_eq!(lookalike("amazon", "lazon.com"), None);
        // Short names: only as a whole part of the label.
        assert_eq!(
            lookalike("dhl", "dhl-redelivery-fee.top"),
            Some(Lookalike::Combo)
        );
        assert_eq!(lookalike("dhl", "track-dhl.com"), Some(Lookalike::Combo));
        assert_eq!(lookalike("dhl", "dhl.com"), None);
        assert_eq!(lookalike("dhl", "adhlx.com"), None);
        assert_eq!(lookalike("ups", "groups.com"), None);
    }

    proptest::proptest! {
        /// One edit apart exactly when strsim's Damerau-Levenshtein distance is 1: words
        /// of a few letters (repeated ones too, whose swaps change nothing), with
        /// characters outside ASCII.
        #[test]
        fn one_edit_apart_is_a_distance_of_one(
            a in "[abé0-]{0,7}",
            b in "[abé0-]{0,7}",
        ) {
            proptest::prop_assert_eq!(
                one_edit_apart(&a, &b),
                strsim::damerau_levenshtein(&a, &b) == 1,
                "{:?} {:?}", a, b
            );
        }

        /// Near misses of one word: each edit of `amazon`, and two edits.
        #[test]
        fn one_edit_apart_from_a_name(
            edits in proptest::collection::vec((0usize..4, 0usize..7, "[amzonx]"), 0..3),
        ) {
            let mut w: Vec<char> = "amazon".chars().collect();
            for (kind, at, c) in &edits {
                let c = c.chars().next().unwrap_or('x');
                let at = (*at).min(w.len());
                match kind {
                    0 if at < w.len() => w[at] = c,
                    1 => w.insert(at, c),
                    2 if at < w.len() => {
                        w.remove(at);
                    }
                    3 if at + 1 < w.len() => w.swap(at, at + 1),
                    _ => {}
                }
            }
            let w: String = w.into_iter().collect();
            proptest::prop_assert_eq!(
                one_edit_apart(&w, "amazon"),
                strsim::damerau_levenshtein(&w, "amazon") == 1,
                "{:?}", w
            );
        }
    }

    #[test]
    fn quotes_are_short() {
        assert_eq!(quote("  a \n b "), "a b");
        assert_eq!(quote(&"x".repeat(100)).chars().count(), 60);
    }
}
