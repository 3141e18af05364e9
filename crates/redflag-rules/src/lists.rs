//! Requests written as a list: "reply with your password and credit card number and SSN"
//! asks for three things, though only the first item carries the possessive that the
//! request phrases start with (`your ...`).
//!
//! After each request phrase of the [`LIST_RULES`], the items that a list joiner (`and`,
//! `or`, a comma: the language files' `requests.list_joiners`) adds are read as if they
//! had the possessive (`requests.list_possessives`) in front, and matched against the same
//! phrases. An item that is a request phrase on its own ("and your SSN") continues the
//! list. Each item found counts for its own rule, with the first item's strength: it is a
//! request, or negated ("Amazon will never ask for your password, card number or SSN"),
//! as the first item is.

use crate::Context;
use crate::helpers::{Cuts, negated, phrase_hits, text_up_to};
use redflag_extract::NormText;
use redflag_message::Span;

/// The request rules whose items a list can carry.
pub(crate) const LIST_RULES: &[&str] = &[
    "CRD001", "CRD002", "CRD003", "CRD004", "CRD005", "CRD006", "CRD007",
];

/// Most items read after one request phrase.
const MAX_ITEMS: usize = 6;

/// Most bytes read for one item (joiner and words).
const ITEM_BYTES: usize = 80;

/// One item of a list of requests that its rule's phrases found only as part of the list.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Listed {
    /// The request rule the item is for.
    pub(crate) rule: &'static str,
    /// The item (`credit card number`).
    pub(crate) span: Span,
    /// The list's first item, a request phrase of its own (`your password`).
    pub(crate) head: Span,
}

/// Every list item of the message that is not a request phrase on its own, in text order.
pub(crate) fn find_listed(cx: &Context<'_>) -> Vec<Listed> {
    let words = &cx.profile.lang.requests;
    let Some(joiner) = &words.list_joiner else {
        return Vec::new();
    };
    let mut direct: Vec<Span> = LIST_RULES
        .iter()
        .flat_map(|id| phrase_hits(cx, id).iter().copied())
        .collect();
    if direct.is_empty() {
        return Vec::new();
    }
    direct.sort_by_key(|s| (s.start, s.end));
    let channel = cx.msg.channel.as_str();
    let mut out = Vec::new();
    let mut read_to = 0;
    for &head in &direct {
        if head.start < read_to || negated(cx, head) {
            continue;
        }
        let mut at = head.end;
        for _ in 0..MAX_ITEMS {
            let rest = rest_of_sentence(&cx.msg.text, at);
            let norm = NormText::new(rest);
            let Some(j) = joiner.find(&norm.text) else {
                break;
            };
            let item_at = at + norm.to_original(j.end(), j.end()).start;
            // "... and your SSN": a request phrase of its own continues the list.
            if let Some(next) = direct.iter().find(|s| s.start == item_at) {
                at = next.end;
                continue;
            }
            let item = &norm.text[j.end()..];
            let Some((rule, len)) = best_item(cx, channel, &words.list_possessives, item) else {
                break;
            };
            let found = norm.to_original(j.end(), j.end() + len);
            let span = Span::new(at + found.start, at + found.end);
            out.push(Listed { rule, span, head });
            at = span.end;
        }
        read_to = at;
    }
    out
}

/// Where a list's sentence ends: as other sentences do, except at a single line break: a
/// list often runs on over a wrapped line ("your password and\n credit card number"); a
/// blank line ends it.
pub(crate) const LIST_ENDS: Cuts = Cuts::new(&[". ", "! ", "? ", "\n\n", "。", "！", "？"]);

/// Up to [`ITEM_BYTES`] of the text from `at` to the end of its sentence.
fn rest_of_sentence(text: &str, at: usize) -> &str {
    text_up_to(text, at, ITEM_BYTES, &LIST_ENDS)
}

/// The request rule whose phrases, with a possessive in front, match the longest start of
/// `item`, and how many bytes of `item` they match.
fn best_item(
    cx: &Context<'_>,
    channel: &str,
    possessives: &[String],
    item: &str,
) -> Option<(&'static str, usize)> {
    let lang = &cx.profile.lang;
    let mut best: Option<(&'static str, usize)> = None;
    for p in possessives {
        let with = format!("{p} {item}");
        for &id in LIST_RULES {
            let Some(rule) = lang.phrase_rule(id) else {
                continue;
            };
            for (_, re) in lang.rule_slots_on(rule, channel) {
                let Some(m) = re.find(with.as_str()) else {
                    continue;
                };
                let len = m.end().saturating_sub(p.len() + 1);
                if m.start() == 0 && len > 0 && best.is_none_or(|(_, b)| len > b) {
                    best = Some((id, len));
                }
            }
        }
    }
    best
}
