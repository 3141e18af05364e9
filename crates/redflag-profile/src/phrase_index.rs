//! Literals first: one pass over a text tells which phrase lists can match at all.
//!
//! A language pack holds some 60 phrase lists, each one regular expression of whole-word
//! alternatives. Running each over every message costs a scan of the text per list, and
//! most lists match nothing in most messages. Every match of a list starts with one of a
//! finite set of literal prefixes, which `regex-syntax` extracts from the pattern; one
//! Aho-Corasick automaton over the prefixes of every list finds, in one pass, the lists
//! that may match, and only those run their regular expression. A list whose prefixes
//! cannot be enumerated (a pattern that may start with any letter or nothing at all) is
//! always run.
//!
//! Prefixes are cut to [`MAX_PREFIX_BYTES`] bytes, which keeps the automaton small (it is
//! walked at every byte of every text) at the cost of a few more places to try.
//!
//! A class too wide to list (the `.` of `d.ici`, for any apostrophe) would cut a prefix to
//! the byte or two before it, and a one-byte prefix occurs at every few bytes of a text,
//! each place costing an anchored run. Such a class is written as a [`GAP`] of one
//! character for the extractor instead, and the automaton looks for the longest piece
//! without one (`ici`), checking the rest around it. For the same reason a short bounded
//! repetition (`[0-9]{1,3}時間`, which the extractor cuts to its first digit) is written
//! out (`[0-9]時間|[0-9]{2}時間|[0-9]{3}時間`).
//!
//! The pass also records where each list's prefixes occur. Every match of the list starts
//! at one of those places, so instead of scanning the text, the list's expression runs
//! anchored at each of them in turn ([`PhraseCandidates::find_iter`]): the same matches as
//! a scan, leftmost-first and non-overlapping, for the cost of a few bytes per place. A
//! list whose prefixes occur more than [`MAX_STARTS_PER_LIST`] times scans instead, so the
//! memory per message stays bounded.

use aho_corasick::{AhoCorasick, MatchKind};
use regex_automata::meta::Regex;
use regex_automata::{Anchored, Input};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Capture, Class, Hir, HirKind, Look, Repetition};
use std::collections::BTreeMap;

/// Most literal prefixes taken from one phrase (a top-level alternative of a list); beyond
/// it the extractor shortens them (to four bytes, still a necessary prefix) or gives up
/// (the list is always run).
const MAX_PREFIXES_PER_PHRASE: usize = 4_000;

/// Longest literal prefix kept, in bytes: a longer one is cut to its first bytes, still a
/// prefix every match starts with. The anchored run at each place checks the rest anyway,
/// so a longer prefix only buys fewer places to try, and the automaton pays for it in
/// size: over the shipped language packs, whole phrases made 68,099 prefixes and an 8.5 MB
/// automaton, walked once per text with a cache miss at nearly every byte; cut at 12 bytes
/// they are 19,800 prefixes in 1.4 MB, the server's CPU per check is 3–5 % lower, its
/// memory 20–35 MiB lower, and it starts 0.1 s sooner (docs/performance.md, 2026-12-06).
/// The matches are the same: only how many places are tried changes.
const MAX_PREFIX_BYTES: usize = 12;

/// Most places one list's prefixes are remembered at in one text; a list found at more
/// places scans the whole text instead (bounded memory for hostile, repetitive text).
pub const MAX_STARTS_PER_LIST: usize = 4_096;

/// The prefilter over a pack's phrase lists, each known by its slot (its index in the list
/// of patterns the index was built from).
#[derive(Debug, Clone)]
pub(crate) struct PhraseIndex {
    /// Every literal the automaton looks for (a prefix, or the longest piece of a gapped
    /// prefix), once; `None` when no list has literal prefixes.
    ac: Option<AhoCorasick>,
    /// What each automaton pattern stands for: the slots it belongs to, each with where
    /// its places are relative to it and whether they must be at a word boundary.
    pattern_slots: Vec<Vec<SlotOf>>,
    /// The slots run on every text.
    always: Vec<usize>,
    /// Number of slots.
    slots: usize,
}

/// A slot an automaton pattern belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SlotOf {
    slot: usize,
    /// Whether every phrase of that list this comes from starts with an ASCII word
    /// boundary (`(?-u:\b)`): then a place that is not at one cannot start a match of the
    /// list. (A prefix cut short, such as the `2` of `20 € pro Tag`, occurs inside
    /// numbers and words too.)
    boundary: bool,
    /// The rest of a gapped prefix around the automaton's literal, in [`GAP`] notation:
    /// what must come just before it (the place is where that starts) and just after it.
    /// Both empty for a plain prefix: its place is where the literal starts.
    before: Box<[u8]>,
    after: Box<[u8]>,
}

/// Stands for one character of any kind in a gapped prefix. A phrase such as `i.ll be
/// here` (the `.` for any apostrophe) has no literal prefix longer than `i` (the extractor
/// cannot list every character), and a one-byte prefix occurs at every few bytes of a
/// text. With each class of more than [`MAX_CLASS_CHARS`] characters written as this byte
/// (never part of UTF-8 text), the prefix becomes `i` GAP `ll be here`, and the automaton
/// looks for its longest gap-free piece, `ll be here`, instead.
const GAP: u8 = 0xFF;

/// Where one list may match in one text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Starts {
    /// None of its prefixes occurs: no match.
    Nowhere,
    /// Every match starts at one of these byte offsets (ascending, distinct).
    At(Vec<usize>),
    /// Anywhere: the list is scanned.
    Anywhere,
}

/// Which phrase lists may match one text, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseCandidates {
    starts: Vec<Starts>,
}

impl PhraseCandidates {
    /// Whether the list in `slot` may match: `false` means it has no match in the text.
    pub fn may_match(&self, slot: usize) -> bool {
        !matches!(self.starts.get(slot), Some(Starts::Nowhere))
    }

    /// The matches of `re` (the list in `slot`) in `text` (the text these candidates were
    /// found in), as `re.find_iter(text)` gives them, as byte ranges; `steps` is told the
    /// bytes or places each search covers, for the work count.
    pub fn find_iter<'a>(
        &'a self,
        slot: usize,
        re: &'a Regex,
        text: &'a str,
        mut steps: impl FnMut(usize) + 'a,
    ) -> Box<dyn Iterator<Item = std::ops::Range<usize>> + 'a> {
        match self.starts.get(slot) {
            Some(Starts::Nowhere) => Box::new(std::iter::empty()),
            Some(Starts::At(places)) => {
                steps(places.len());
                let mut from = 0;
                Box::new(places.iter().filter_map(move |&at| {
                    if at < from {
                        return None;
                    }
                    let input = Input::new(text).range(at..).anchored(Anchored::Yes);
                    let m = re.find(input)?;
                    from = m.end().max(at + 1);
                    Some(m.range())
                }))
            }
            Some(Starts::Anywhere) | None => {
                steps(text.len());
                Box::new(re.find_iter(text).map(|m| m.range()))
            }
        }
    }
}

impl PhraseIndex {
    /// Builds the index over the phrase lists' `patterns` (as compiled); slot `i` is
    /// `patterns[i]`.
    pub(crate) fn new(patterns: &[&str]) -> PhraseIndex {
        let (by_literal, mut always) = pieces(patterns);
        let (literals, pattern_slots): (Vec<Vec<u8>>, Vec<Vec<SlotOf>>) =
            by_literal.into_iter().unzip();
        let ac = if literals.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&literals)
                .ok()
        };
        if ac.is_none() {
            // Without an automaton every list runs: slower, never wrong.
            always = (0..patterns.len()).collect();
        }
        PhraseIndex {
            ac,
            pattern_slots,
            always,
            slots: patterns.len(),
        }
    }

    /// The lists that may match `text`, and where, found in one pass over it.
    pub(crate) fn candidates(&self, text: &str) -> PhraseCandidates {
        let mut starts = vec![Starts::Nowhere; self.slots];
        for &slot in &self.always {
            starts[slot] = Starts::Anywhere;
        }
        if let Some(ac) = &self.ac {
            for m in ac.find_overlapping_iter(text) {
                let mut at_boundary = None;
                for of in &self.pattern_slots[m.pattern().as_usize()] {
                    let at = if of.before.is_empty() && of.after.is_empty() {
                        if of.boundary
                            && !*at_boundary.get_or_insert_with(|| word_boundary(text, m.start()))
                        {
                            continue;
                        }
                        m.start()
                    } else {
                        match of.place(text, m.start(), m.end()) {
                            Some(at) if !of.boundary || word_boundary(text, at) => at,
                            _ => continue,
                        }
                    };
                    let s = &mut starts[of.slot];
                    match s {
                        Starts::Anywhere => {}
                        Starts::Nowhere => *s = Starts::At(vec![at]),
                        Starts::At(places) if places.len() < MAX_STARTS_PER_LIST => places.push(at),
                        Starts::At(_) => *s = Starts::Anywhere,
                    }
                }
            }
        }
        // Overlapping matches come by end, so starts can be out of order.
        for s in &mut starts {
            if let Starts::At(places) = s {
                places.sort_unstable();
                places.dedup();
            }
        }
        PhraseCandidates { starts }
    }
}

/// What the automaton looks for over the lists' `patterns` (slot `i` is `patterns[i]`):
/// each literal (a whole prefix, or the longest piece of a gapped one) with the slots it
/// stands for, and the slots that have no prefixes (run on every text).
fn pieces(patterns: &[&str]) -> (BTreeMap<Vec<u8>, Vec<SlotOf>>, Vec<usize>) {
    let mut by_literal: BTreeMap<Vec<u8>, Vec<SlotOf>> = BTreeMap::new();
    let mut always = Vec::new();
    for (slot, re) in patterns.iter().enumerate() {
        match prefixes(re) {
            Some(lits) => {
                for (lit, boundary) in lits {
                    let Some((before, piece, after)) = longest_piece(&lit) else {
                        // `phrase_prefixes` gives none without a piece: never reached.
                        always.push(slot);
                        continue;
                    };
                    let of = SlotOf {
                        slot,
                        boundary,
                        before: before.into(),
                        after: after.into(),
                    };
                    let slots = by_literal.entry(piece.to_vec()).or_default();
                    let same = |o: &&mut SlotOf| {
                        o.slot == slot && o.before == of.before && o.after == of.after
                    };
                    match slots.iter_mut().find(same) {
                        Some(o) => o.boundary &= boundary,
                        None => slots.push(of),
                    }
                }
            }
            None => always.push(slot),
        }
    }
    always.dedup();
    (by_literal, always)
}

impl SlotOf {
    /// Where a gapped prefix whose longest piece occurs at `start..end` of `text` starts,
    /// if the rest of it is there too: `before` just before the piece, `after` just after
    /// it, [`GAP`] standing for any one character.
    fn place(&self, text: &str, start: usize, end: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        let mut at = start;
        for &b in self.before.iter().rev() {
            at = at.checked_sub(1)?;
            if b == GAP {
                at = text.floor_char_boundary(at);
            } else if bytes[at] != b {
                return None;
            }
        }
        let mut to = end;
        for &b in self.after.iter() {
            let &next = bytes.get(to)?;
            to += 1;
            if b == GAP {
                to = text.ceil_char_boundary(to);
            } else if next != b {
                return None;
            }
        }
        Some(at)
    }
}

/// A gapped prefix cut around its longest piece without a [`GAP`] (the first of the
/// longest): what comes before the piece, the piece, what comes after it. `None` when
/// every piece is empty (the prefix is gaps only).
fn longest_piece(lit: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let mut best = 0..0;
    let mut from = 0;
    for piece in lit.split(|&b| b == GAP) {
        if piece.len() > best.len() {
            best = from..from + piece.len();
        }
        from += piece.len() + 1;
    }
    if best.is_empty() {
        return None;
    }
    Some((&lit[..best.start], &lit[best.clone()], &lit[best.end..]))
}

/// Whether byte offset `at` of `text` is an ASCII word boundary, as `(?-u:\b)` sees it:
/// an ASCII letter, digit or `_` on one side and not on the other.
fn word_boundary(text: &str, at: usize) -> bool {
    let word = |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_');
    let bytes = text.as_bytes();
    word(at.checked_sub(1).and_then(|i| bytes.get(i))) != word(bytes.get(at))
}

/// The literal prefixes every match of `re` starts with, each with whether every phrase
/// (top-level alternative) it comes from starts with an ASCII word boundary; `None` when
/// they cannot be listed (infinitely many, or a match may start with the empty string).
fn prefixes(pattern: &str) -> Option<Vec<(Vec<u8>, bool)>> {
    // The same syntax defaults as `Regex::new`, so the prefixes are those of the pattern
    // that runs.
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    // Each top-level alternative (a list is an alternation of phrases) on its own: the
    // extractor's limits then apply per phrase, and a phrase with many variants is cut
    // to shorter prefixes without cutting the other phrases' too (taken as a whole, a
    // list of long phrases was cut to prefixes of one byte, `i` or `d`, which occur at
    // every few bytes of any text).
    let mut out: Vec<(Vec<u8>, bool)> = Vec::new();
    for alt in &alternatives(&hir) {
        let boundary = match alt.kind() {
            HirKind::Concat(items) => items
                .first()
                .is_some_and(|h| matches!(h.kind(), HirKind::Look(Look::WordAscii))),
            _ => false,
        };
        let alt = &prefix_form(alt);
        let lits = phrase_prefixes(alt, DEFAULT_CLASS_LIMIT)
            .or_else(|| phrase_prefixes(alt, MAX_CLASS_CHARS))?;
        out.extend(lits.into_iter().map(|l| (l, boundary)));
    }
    Some(out)
}

/// The extractor's own limit on the characters of a class it expands (`regex-syntax`'s
/// default): a phrase with a larger class has no finite prefixes at this limit.
const DEFAULT_CLASS_LIMIT: usize = 10;

/// The largest class a phrase's prefixes are expanded through when the default limit
/// finds none. `\d` is Unicode here (`[0-9٠-٩۰-۹…]`, 760 characters), and one phrase that
/// starts with a number ("earn $500 a day", "press 1") made its whole list run over every
/// text. A larger class (`\w`, `.`) is a [`GAP`] in the prefix; a phrase that starts with
/// a repetition of one (`\w+ percent`) has no prefixes, and its list is run everywhere.
const MAX_CLASS_CHARS: usize = 1_000;

/// The most times a bounded repetition (`[0-9]{1,3}`) is written out as alternatives for
/// the prefix extractor, which otherwise stops at its first repeat (`0` to `9`).
const MAX_SPELLED_REPEAT: u32 = 3;

/// `hir` as the prefix extractor is given it: each Unicode class of more than
/// [`MAX_CLASS_CHARS`] characters written as the byte [`GAP`], so that the extractor goes
/// on past it (`d.ici` gives `d` GAP `ici` instead of `d`), and each repetition of at most
/// [`MAX_SPELLED_REPEAT`] times written out as alternatives (`a{1,2}` as `a|aa`), which
/// matches the same strings.
fn prefix_form(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Class(Class::Unicode(class))
            if class.ranges().iter().map(|r| r.len()).sum::<usize>() > MAX_CLASS_CHARS =>
        {
            Hir::literal([GAP])
        }
        HirKind::Concat(items) => Hir::concat(items.iter().map(prefix_form).collect()),
        HirKind::Alternation(items) => Hir::alternation(items.iter().map(prefix_form).collect()),
        HirKind::Repetition(rep) => {
            let sub = prefix_form(&rep.sub);
            match rep.max {
                Some(max) if max > rep.min && max <= MAX_SPELLED_REPEAT => Hir::alternation(
                    (rep.min..=max)
                        .map(|n| Hir::concat(vec![sub.clone(); n as usize]))
                        .collect(),
                ),
                _ => Hir::repetition(Repetition {
                    sub: Box::new(sub),
                    ..rep.clone()
                }),
            }
        }
        HirKind::Capture(cap) => Hir::capture(Capture {
            sub: Box::new(prefix_form(&cap.sub)),
            ..cap.clone()
        }),
        _ => hir.clone(),
    }
}

/// The literal prefixes of one phrase, expanding classes of up to `class_limit`
/// characters; `None` when they cannot be listed.
///
/// The default limit is tried first, so that the prefixes of the phrases it can list are
/// those the index has always used: a wider limit expands a class in the middle of a
/// phrase (`press [a-z]`) into many longer prefixes where one short one does.
fn phrase_prefixes(alt: &Hir, class_limit: usize) -> Option<Vec<Vec<u8>>> {
    let seq = Extractor::new()
        .kind(ExtractKind::Prefix)
        .limit_class(class_limit)
        .limit_total(MAX_PREFIXES_PER_PHRASE)
        .limit_literal_len(MAX_PREFIX_BYTES)
        .extract(alt);
    let lits = seq.literals()?;
    // A prefix of gaps only (or none at all) has no piece to look for.
    if lits.is_empty() || lits.iter().any(|l| longest_piece(l.as_bytes()).is_none()) {
        return None;
    }
    Some(lits.iter().map(|l| l.as_bytes().to_vec()).collect())
}

/// The phrases of a list: the alternatives of its top-level alternation, with the
/// assertions before and after it (`(?-u:\b)(?:a|b)(?-u:\b)` gives `\ba\b` and `\bb\b`,
/// the shape `regex-syntax` gives a list once it has factored the word boundary every
/// phrase starts with), or the whole pattern.
fn alternatives(hir: &Hir) -> Vec<Hir> {
    match hir.kind() {
        HirKind::Alternation(subs) => subs.clone(),
        HirKind::Concat(items) => {
            let looks = items
                .iter()
                .take_while(|h| matches!(h.kind(), HirKind::Look(_)))
                .count();
            match items.get(looks).map(Hir::kind) {
                Some(HirKind::Alternation(subs)) => subs
                    .iter()
                    .map(|sub| {
                        let mut parts = items[..looks].to_vec();
                        parts.push(sub.clone());
                        parts.extend_from_slice(&items[looks + 1..]);
                        Hir::concat(parts)
                    })
                    .collect(),
                _ => vec![hir.clone()],
            }
        }
        _ => vec![hir.clone()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(patterns: &[&str]) -> (Vec<Regex>, PhraseIndex) {
        let res: Vec<Regex> = patterns.iter().map(|p| Regex::new(p).unwrap()).collect();
        let idx = PhraseIndex::new(patterns);
        (res, idx)
    }

    /// Asserts that every list, run anchored at its places in `text`, finds what a scan
    /// of `text` finds.
    fn assert_same_as_scan(res: &[Regex], c: &PhraseCandidates, text: &str) {
        for (slot, re) in res.iter().enumerate() {
            let scanned: Vec<_> = re.find_iter(text).map(|m| m.range()).collect();
            let anchored: Vec<_> = c.find_iter(slot, re, text, |_| {}).collect();
            assert_eq!(anchored, scanned, "{slot} on {text:?}");
        }
    }

    /// The places of the list in `slot`, which must have some.
    fn places_of(c: &PhraseCandidates, slot: usize) -> &[usize] {
        match &c.starts[slot] {
            Starts::At(places) => places,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_list_whose_prefixes_are_absent_is_skipped_and_one_that_matches_is_kept() {
        let (_, idx) = index(&[r"\b(?:gift cards?|itunes)\b", r"\b(?:call us|phone)\b"]);
        let c = idx.candidates("please buy itunes cards");
        assert!(c.may_match(0));
        assert!(!c.may_match(1));
    }

    #[test]
    fn a_list_that_can_start_anywhere_is_always_run() {
        let (_, idx) = index(&[r"\w+ed now", r"(?:x)?"]);
        let c = idx.candidates("nothing here");
        assert!(c.may_match(0) && c.may_match(1));
    }

    #[test]
    fn overlapping_prefixes_of_different_lists_are_all_seen() {
        // "account" is inside "your account"; both lists must be candidates.
        let (_, idx) = index(&[r"your account", r"account locked", r"count"]);
        let c = idx.candidates("is your account locked");
        assert!(c.may_match(0) && c.may_match(1) && c.may_match(2));
    }

    /// Long phrases that share their first [`MAX_PREFIX_BYTES`] bytes make one prefix,
    /// and the lists still find every match, where it is.
    #[test]
    fn long_prefixes_are_cut_and_still_find_every_match() {
        let phrases: Vec<String> = (0..500)
            .map(|i| format!("please verify your account number {i:03}"))
            .collect();
        let pattern = format!(r"(?m)(?-u:\b)(?:{})(?-u:\b)", phrases.join("|"));
        let (res, idx) = index(&[pattern.as_str(), r"(?m)(?:gift card)"]);
        // "please verif" for the first list, "gift card" (9 bytes, whole) for the second.
        assert_eq!(idx.pattern_slots.len(), 2);
        for text in [
            "please verify your account number 042 today",
            "please verify your account number 9999, or please verify your account number 499",
            "please verify your address, and buy a gift card",
            "please verif",
        ] {
            let c = idx.candidates(text);
            assert_same_as_scan(&res, &c, text);
        }
    }

    /// A short prefix (`4` of `4 days`) is tried only where a phrase that starts with a
    /// word boundary can start, and every match is still found.
    #[test]
    fn a_short_prefix_is_tried_at_word_boundaries_only() {
        let (res, idx) = index(&[
            r"(?m)(?-u:\b)(?:[0-9]+ days|in touch)(?-u:\b)|(?:\$[0-9]+)",
            r"(?m)(?:il tuo|ll)",
        ]);
        let text = "still in touch: 4 days, x4 days, 24 days, $15 and il tuo";
        let c = idx.candidates(text);
        let places = places_of(&c, 0);
        // "in", the `4` of "4 days", the `2` of "24" (not the `4` of "x4" or "24"), `$`,
        // and the `1` after it (a word boundary too).
        let at = |s: &str| text.find(s).unwrap();
        assert_eq!(
            places,
            &[at("in touch"), at("4 days"), at("24"), at("$15"), at("15")]
        );
        // The second list's phrases do not start with a boundary: `ll` inside "still" is
        // a place.
        let places = places_of(&c, 1);
        assert!(places.contains(&at("ll in")));
        assert_same_as_scan(&res, &c, text);
    }

    /// A phrase with a class too wide to list (`.` for any apostrophe) is looked for by the
    /// longest piece of its prefix (`ll be here` of `i.ll be here`), and its places are
    /// where the whole prefix is: one character (of any length in bytes) before the piece,
    /// then `i`, at a word boundary. The letter `i` alone is not a place any more.
    #[test]
    fn a_gapped_prefix_is_looked_for_by_its_longest_piece() {
        let (res, idx) = index(&[
            r"(?m)(?-u:\b)(?:i.ll be here|d.ici (?:demain|lundi))(?-u:\b)",
            r"(?m)(?:n\w+ me|\w+ percent)",
            r"(?m)(?:.ext)",
        ]);
        assert_eq!(idx.always, vec![1], "`\\w+` first still has no prefixes");
        let (pieces, _) = pieces(&[r"(?m)(?-u:\b)(?:i.ll be here|d.ici (?:demain|lundi))(?-u:\b)"]);
        let piece = |s: &[u8]| pieces.contains_key(s);
        assert!(piece(b"ll be here") && piece(b"ici demain") && piece(b"ici lundi"));
        assert!(!piece(b"i") && !piece(b"d"));
        let text = "i'll be here, i\u{2019}ll be here, will be here, xi'll be here, i\u{2019}ll be her; \
                    d'ici demain, d\u{2019}ici lundi, dici lundi, ici lundi";
        let c = idx.candidates(text);
        let places = places_of(&c, 0);
        let at = |s: &str| text.find(s).unwrap();
        assert_eq!(
            places,
            &[
                at("i'll be here"),
                at("i\u{2019}ll be here"),
                at("d'ici"),
                at("d\u{2019}ici"),
            ]
        );
        assert_same_as_scan(&res, &c, text);
        // A piece at the very start of the text has no character before it; a gap first
        // is one character of any length.
        let c = idx.candidates("ll be here, ext, \u{2019}ext");
        assert!(!c.may_match(0));
        let places = places_of(&c, 2);
        assert_eq!(places, &[11, 17]);
    }

    proptest::proptest! {
        /// Lists like the shipped ones (phrases with and without a word boundary first,
        /// prefixes cut short, gaps of one character first, in the middle and last) find,
        /// at their places, what a scan finds, in any text made of their pieces.
        #[test]
        fn places_find_what_a_scan_finds(
            text in "(i|l|n|d|ll|'|’|\\.|a|b| |be|here|in|touch|still|\\$|1|5|٣|_|é|il|tuo){0,24}"
        ) {
            let (res, idx) = index(&[
                r"(?m)(?-u:\b)(?:i.ll be here|in touch)(?-u:\b)|(?:\$[0-9]+)",
                r"(?m)(?:il tuo|ll be)|(?-u:\b)(?:d.ici)",
                r"(?m)(?-u:\b)(?:n.a|[0-9]+ be)(?-u:\b)",
                r"(?m)(?-u:\b)(?:\$?\d+ be|\d here)(?-u:\b)|(?:\d\d)",
                r"(?m)(?:.be|b.\w|i..n.)|(?-u:\b)(?:.\w\wa)",
                r"(?m)(?:[0-9]{1,3}here|(?:il){0,2}tuo|(?:i|\d){2,3}\.)",
            ]);
            let c = idx.candidates(&text);
            for (slot, re) in res.iter().enumerate() {
                let scanned: Vec<_> = re.find_iter(&text).map(|m| m.range()).collect();
                let anchored: Vec<_> = c.find_iter(slot, re, &text, |_| {}).collect();
                proptest::prop_assert_eq!(anchored, scanned, "{} on {:?}", slot, text);
            }
        }
    }

    /// A phrase that starts with a Unicode digit (`\d`, 760 characters, over the
    /// extractor's default limit on a class) has prefixes: its list is not run over every
    /// text, and still finds every match, in any script's digits. A phrase that starts with
    /// any word (`\w`) still has none.
    #[test]
    fn a_phrase_that_starts_with_a_digit_has_prefixes() {
        let (res, idx) = index(&[
            r"(?m)(?-u:\b)(?:earn \$?\d+ a day|\d+ ?% off)(?-u:\b)",
            r"(?m)(?-u:\b)(?:[\#\*0-9]を押して|\w+ percent)",
        ]);
        assert_eq!(idx.always, vec![1]);
        assert!(!idx.candidates("nothing to see here").may_match(0));
        for (text, matches) in [
            ("earn $300 a day, 20% off", true),
            ("earn ٥٠٠ a day", true),
            // An ASCII word boundary needs an ASCII word character on one side.
            ("٣٠ % off, x٣٠% off", true),
            ("x20 % off, 20 %off", false),
        ] {
            let c = idx.candidates(text);
            assert_eq!(res[0].is_match(text), matches, "{text}");
            assert!(c.may_match(0) || !matches, "{text}");
            assert_same_as_scan(&res, &c, text);
        }
        // `[\#\*0-9]` (12 characters) is over the default limit too.
        let (_, idx) = index(&[r"(?m)(?:[\#\*0-9]を押して)"]);
        assert!(idx.always.is_empty());
    }

    /// A bounded repetition is written out for the extractor: `[0-9]{1,3}時間` is looked
    /// for as `1時間` … `999時間`, not as every digit of a text.
    #[test]
    fn a_bounded_repetition_is_written_out() {
        let pattern = r"(?m)(?:[0-9]{1,3}時間(?:以内|後に))";
        let (pieces, always) = pieces(&[pattern]);
        assert!(always.is_empty());
        // One to three digits, then `時間以` or `時間後` (and what fits of the next
        // character in 12 bytes).
        assert_eq!(pieces.len(), (10 + 100 + 1000) * 2);
        assert!(pieces.contains_key("123時間以".as_bytes()));
        assert!(pieces.keys().any(|k| k.starts_with("7時間後".as_bytes())));
        assert!(!pieces.contains_key(b"7".as_slice()));
        let (res, idx) = index(&[pattern]);
        let text = "注文番号 112-1234567 は 1234時間以内, 24時間後に";
        let c = idx.candidates(text);
        let places = places_of(&c, 0);
        // `234時間`, `34時間` and `4時間` of `1234時間`, `24時間` and `4時間`: never a
        // digit of the order number.
        let (long, short) = (text.find("234時間").unwrap(), text.find("24時間").unwrap());
        assert_eq!(places, &[long, long + 1, long + 2, short, short + 1]);
        assert_same_as_scan(&res, &c, text);
    }

    /// The property the index exists for: whenever a list has a match, it is a candidate.
    #[test]
    fn never_skips_a_list_that_matches() {
        let patterns = [
            r"(?m)(?-u:\b)(?:verif(?:y|ied) your (?:account|identity))(?-u:\b)",
            r"(?m)^(?:dear (?:customer|user|member))",
            r"(?m)(?:[0-9]{3}-[0-9]{4})",
            r"(?m)(?-u:\b)(?:(?:amazon|amzn) (?:support|security))(?-u:\b)",
            r"(?m)(?:アカウント|お支払い)",
            r"(?m)(?i)(?:urgent|act now)",
        ];
        let (res, idx) = index(&patterns);
        let texts = [
            "dear customer, please verify your account",
            "verified your identity at amzn security 555-1234",
            "お客様のアカウントは停止されました",
            "URGENT: Act Now",
            "nothing at all",
            "",
            "dear user dear member verify your account verify your account",
            "act nowact now urgenturgent",
        ];
        for text in texts {
            let c = idx.candidates(text);
            for (slot, re) in res.iter().enumerate() {
                let scanned: Vec<_> = re.find_iter(text).map(|m| m.range()).collect();
                if !scanned.is_empty() {
                    assert!(c.may_match(slot), "{slot} skipped on {text:?}");
                }
                let anchored: Vec<_> = c.find_iter(slot, re, text, |_| {}).collect();
                assert_eq!(anchored, scanned, "{slot} on {text:?}");
            }
        }
    }
}
