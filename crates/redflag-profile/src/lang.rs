//! Language packs: phrase patterns, explanations and spelling settings.

use crate::phrase_index::{PhraseCandidates, PhraseIndex};
use crate::{Brand, Error, parse_toml};
use regex::Regex;
use regex_automata::meta::Regex as PhraseRegex;
use rustc_hash::FxHashMap as HashMap;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

const FILE: &str = "language pack";

/// Spelling-check settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spelling {
    /// Words accepted beyond the dictionary (lowercase), sorted and without repeats once
    /// the pack is loaded.
    pub extra_words: Vec<String>,
    /// Fewest distinct misspelled words that flag a message.
    pub min_misspelled: usize,
    /// Smallest share of misspelled words (per cent) that flags a message.
    pub min_share_percent: usize,
    /// `extra_words` as a set, built at load, for [`Spelling::is_extra_word`].
    #[serde(skip)]
    extra_set: rustc_hash::FxHashSet<Box<str>>,
}

impl Spelling {
    /// True when `word` is one of the [`Spelling::extra_words`]: one hash lookup, since the
    /// check asks for every word of every message (a binary search of the sorted list took
    /// about 360 instructions a word).
    pub fn is_extra_word(&self, word: &str) -> bool {
        self.extra_set.contains(word)
    }
}

/// A file of extra phrases only (scam phrases in other languages, or of one channel).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPhrases {
    /// The channels the phrases apply to (`sms`, `chat`, ...); every channel when absent.
    #[serde(default)]
    channels: Vec<String>,
    #[serde(default)]
    phrases: BTreeMap<String, Vec<String>>,
    /// The language's words that make a request phrase a request, or negate it.
    #[serde(default)]
    requests: RawRequests,
}

/// Words around a request phrase (`your password`) that say whether it asks to hand the
/// thing over (`send`, `入力して`) or says it is never asked for (`never`, `ことはありません`).
/// Patterns like phrases: lowercase, over the normalised text, whole words unless written in
/// a script without spaces.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequests {
    /// Verbs that hand something over, starting the phrase or shortly before it in the same
    /// sentence (`provide`, `geben`, `envíe`).
    #[serde(default)]
    hand_over: Vec<String>,
    /// Verbs that hand something over when they follow the phrase in its sentence
    /// (Japanese `入力して`, German `einzugeben`).
    #[serde(default)]
    hand_over_after: Vec<String>,
    /// Of the verbs above, those with which genuine code messages tell you to use a code
    /// yourself (`enter`, `eingeben`): they do not hand a one-time code over. Plain words,
    /// written as the normalised text has them (no diacritics).
    #[serde(default)]
    use_code: Vec<String>,
    /// Words before the phrase in its sentence that negate it (`never`, `nunca`, `nie`).
    #[serde(default)]
    negation: Vec<String>,
    /// Words after the phrase in its sentence that negate it (`ことはありません`).
    #[serde(default)]
    negation_after: Vec<String>,
    /// Words that join the items of a list (`and`, `or`, `as well as`); a comma always does.
    /// "Your password and credit card number and SSN" asks for all three.
    #[serde(default)]
    list_joiners: Vec<String>,
    /// The possessive that request phrases start with (`your`), which the later items of a
    /// list leave out: "your password and (your) credit card number".
    #[serde(default)]
    list_possessives: Vec<String>,
}

impl RawRequests {
    fn extend(&mut self, more: RawRequests) {
        self.hand_over.extend(more.hand_over);
        self.hand_over_after.extend(more.hand_over_after);
        self.use_code.extend(more.use_code);
        self.negation.extend(more.negation);
        self.negation_after.extend(more.negation_after);
        self.list_joiners.extend(more.list_joiners);
        self.list_possessives.extend(more.list_possessives);
    }
}

/// The compiled [`RawRequests`] of every language: a message's language is never guessed
/// for them, so a German request in an English-looking message still counts.
#[derive(Debug, Clone, Default)]
pub struct RequestWords {
    /// Verbs handing something over, at or before a phrase.
    pub hand_over: Option<Regex>,
    /// Verbs handing something over, after a phrase.
    pub hand_over_after: Option<Regex>,
    /// Verbs for using a code yourself, as normalised words (`enter`, `zu bestatigen`).
    pub use_code: BTreeSet<String>,
    /// Negations before a phrase.
    pub negation: Option<Regex>,
    /// Negations after a phrase.
    pub negation_after: Option<Regex>,
    /// What joins one list item to the next, anchored at the start: a comma, a joining word,
    /// or both (`, and `). Over the normalised text.
    pub list_joiner: Option<Regex>,
    /// The possessives request phrases start with (`your`), normalised.
    pub list_possessives: Vec<String>,
}

impl RequestWords {
    fn compile(raw: &RawRequests, brand_alt: &str) -> Result<RequestWords, Error> {
        let one = |name: &str, list: &[String]| -> Result<Option<Regex>, Error> {
            if list.is_empty() {
                return Ok(None);
            }
            let pattern = list_pattern(name, list, brand_alt)?;
            Regex::new(&pattern)
                .map(Some)
                .map_err(|e| Error::invalid(FILE, name, e.to_string()))
        };
        Ok(RequestWords {
            hand_over: one("requests.hand_over", &raw.hand_over)?,
            hand_over_after: one("requests.hand_over_after", &raw.hand_over_after)?,
            use_code: raw.use_code.iter().cloned().collect(),
            negation: one("requests.negation", &raw.negation)?,
            negation_after: one("requests.negation_after", &raw.negation_after)?,
            list_joiner: list_joiner(&raw.list_joiners)?,
            list_possessives: raw.list_possessives.clone(),
        })
    }
}

/// The anchored pattern of a list joiner: a comma, one of the words, or a comma and a word.
fn list_joiner(words: &[String]) -> Result<Option<Regex>, Error> {
    if words.is_empty() {
        return Ok(None);
    }
    let alt = words
        .iter()
        .map(|w| regex::escape(w))
        .collect::<Vec<_>>()
        .join("|");
    Regex::new(&format!(r"^\s*(?:,\s*(?:(?:{alt})\s+)?|(?:{alt})\s+)"))
        .map(Some)
        .map_err(|e| Error::invalid(FILE, "requests.list_joiners", e.to_string()))
}

/// Channel names an extra phrase file may be limited to.
const CHANNELS: &[&str] = &["email", "sms", "chat", "call"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLang {
    lang: String,
    name: String,
    phrases: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    requests: RawRequests,
    spelling: Spelling,
}

/// A language pack, with each rule's phrases compiled into one pattern.
#[derive(Debug, Clone)]
pub struct LangPack {
    /// BCP 47 code (`en`).
    pub lang: String,
    /// Display name.
    pub name: String,
    /// Every compiled phrase list; the maps below hold indices (slots) into it.
    slots: Vec<PhraseRegex>,
    /// Rule IDs that have phrases (on any channel), sorted; a rule's place here is its
    /// number ([`LangPack::phrase_rule`]).
    rule_ids: Vec<String>,
    /// The number of each rule ID in `rule_ids`, by [`id_key`].
    rule_numbers: HashMap<u64, usize>,
    /// The number of each rule ID that has no key.
    long_rule_numbers: HashMap<String, usize>,
    /// Per rule number, its phrase lists: `(None, slot)` for every channel (first), then
    /// `(Some(set), slot)` of extra files limited to the channels of `channel_sets[set]`.
    rule_slots: Vec<Vec<(Option<usize>, usize)>>,
    /// The channels of each extra file limited to some.
    channel_sets: Vec<Vec<String>>,
    /// Which slots may match a text, in one pass over it.
    index: PhraseIndex,
    /// Words that make a request phrase a request or negate it, of every language.
    pub requests: RequestWords,
    /// Spelling settings.
    pub spelling: Spelling,
}

impl LangPack {
    /// Parses a language pack and compiles its phrases (`{brand}` becomes the brand's names).
    pub fn from_toml(text: &str, brand: &Brand) -> Result<LangPack, Error> {
        LangPack::from_tomls(text, &[], brand)
    }

    /// Parses a language pack plus files of extra phrases (`[phrases]` only, such as the
    /// scam phrases of other languages in `lures-intl.toml`), merged per rule ID: messages in
    /// other languages then trip the same rules, explained in the pack's language.
    pub fn from_tomls(text: &str, extra: &[&str], brand: &Brand) -> Result<LangPack, Error> {
        let mut raw: RawLang = parse_toml(FILE, text)?;
        let brand_alt = brand
            .names
            .iter()
            .map(|n| regex::escape(n))
            .collect::<Vec<_>>()
            .join("|");
        // Every phrase list, compiled, in a slot; its pattern for the index.
        let mut slots = Vec::new();
        let mut patterns = Vec::new();
        let mut add_list = |id: &str, list: &[String]| -> Result<usize, Error> {
            let (pattern, re) = compile_phrases(id, list, &brand_alt)?;
            patterns.push(pattern);
            slots.push(re);
            Ok(slots.len() - 1)
        };
        // Per rule ID, its lists: the pack's own (no channel set) first, then each channel
        // set's, in file order.
        let mut by_rule: BTreeMap<String, Vec<(Option<usize>, usize)>> = BTreeMap::new();
        let mut channel_sets = Vec::new();
        for e in extra {
            let mut more: RawPhrases = parse_toml("extra phrases", e)?;
            raw.requests.extend(std::mem::take(&mut more.requests));
            if more.channels.is_empty() {
                for (id, list) in more.phrases {
                    raw.phrases.entry(id).or_default().extend(list);
                }
                continue;
            }
            if let Some(bad) = more
                .channels
                .iter()
                .find(|c| !CHANNELS.contains(&c.as_str()))
            {
                return Err(Error::invalid(
                    "extra phrases",
                    "channels",
                    format!("`{bad}` is not a channel ({})", CHANNELS.join(", ")),
                ));
            }
            let set = channel_sets.len();
            for (id, list) in more.phrases {
                let slot = add_list(&id, &list)?;
                by_rule.entry(id).or_default().push((Some(set), slot));
            }
            channel_sets.push(more.channels);
        }
        for (id, list) in raw.phrases {
            let slot = add_list(&id, &list)?;
            by_rule.entry(id).or_default().insert(0, (None, slot));
        }
        let (rule_ids, rule_slots): (Vec<String>, Vec<_>) = by_rule.into_iter().unzip();
        let (mut rule_numbers, mut long_rule_numbers) = (HashMap::default(), HashMap::default());
        for (n, id) in rule_ids.iter().enumerate() {
            match id_key(id) {
                Some(key) => rule_numbers.insert(key, n),
                None => long_rule_numbers.insert(id.clone(), n),
            };
        }
        let index = PhraseIndex::new(&patterns.iter().map(String::as_str).collect::<Vec<_>>());
        let requests = RequestWords::compile(&raw.requests, &brand_alt)?;
        let mut spelling = raw.spelling;
        spelling.extra_words.sort_unstable();
        spelling.extra_words.dedup();
        spelling.extra_set = spelling
            .extra_words
            .iter()
            .map(|w| w.as_str().into())
            .collect();
        Ok(LangPack {
            lang: raw.lang,
            name: raw.name,
            slots,
            rule_ids,
            rule_numbers,
            long_rule_numbers,
            rule_slots,
            channel_sets,
            index,
            requests,
            spelling,
        })
    }

    /// The compiled phrases of a rule that apply on every channel, if the pack has any.
    pub fn phrases(&self, rule_id: &str) -> Option<&PhraseRegex> {
        let rule = self.phrase_rule(rule_id)?;
        self.rule_slots[rule]
            .iter()
            .find(|(set, _)| set.is_none())
            .map(|&(_, slot)| &self.slots[slot])
    }

    /// The compiled phrases of a rule on a channel (`sms`): those of every channel, then
    /// those of extra files limited to channels including this one.
    pub fn phrases_on<'a>(
        &'a self,
        rule_id: &'a str,
        channel: &'a str,
    ) -> impl Iterator<Item = &'a PhraseRegex> + 'a {
        self.phrase_rule(rule_id)
            .into_iter()
            .flat_map(move |rule| self.rule_slots_on(rule, channel))
            .map(|(_, re)| re)
    }

    /// The number of a rule that has phrases (on any channel): an index below
    /// [`LangPack::phrase_rule_count`], for a table per message.
    pub fn phrase_rule(&self, rule_id: &str) -> Option<usize> {
        match id_key(rule_id) {
            Some(key) => self.rule_numbers.get(&key).copied(),
            None => self.long_rule_numbers.get(rule_id).copied(),
        }
    }

    /// How many rules have phrases.
    pub fn phrase_rule_count(&self) -> usize {
        self.rule_ids.len()
    }

    /// The phrase lists of rule number `rule` ([`LangPack::phrase_rule`]) on a channel, as
    /// [`LangPack::phrases_on`] lists them, each with its slot for
    /// [`PhraseCandidates::find_iter`].
    pub fn rule_slots_on<'a>(
        &'a self,
        rule: usize,
        channel: &'a str,
    ) -> impl Iterator<Item = (usize, &'a PhraseRegex)> + 'a {
        self.rule_slots
            .get(rule)
            .into_iter()
            .flatten()
            .filter(move |(set, _)| match set {
                None => true,
                Some(set) => self.channel_sets[*set].iter().any(|c| c == channel),
            })
            .map(|&(_, slot)| (slot, &self.slots[slot]))
    }

    /// Whether any phrase list of rule number `rule`, on any channel, may match the text
    /// `candidates` were found in. When none may, the rule has no phrase hits on any
    /// channel: one look per list, before the channels are compared.
    pub fn rule_may_match(&self, rule: usize, candidates: &PhraseCandidates) -> bool {
        self.rule_slots
            .get(rule)
            .is_some_and(|slots| slots.iter().any(|&(_, slot)| candidates.may_match(slot)))
    }

    /// Which phrase lists may match `text` (the normalised text the phrases run over),
    /// found in one pass: a list that is not a candidate has no match, so it need not run.
    pub fn phrase_candidates(&self, text: &str) -> PhraseCandidates {
        self.index.candidates(text)
    }

    /// Rule IDs that have phrases (on any channel), sorted.
    pub fn phrase_ids(&self) -> impl Iterator<Item = &str> {
        self.rule_ids.iter().map(String::as_str)
    }
}

/// A rule ID of six bytes (`SCN010`, every rule's own ID) as one number. Rules ask for
/// their phrases by ID some fifty times per message; a map keyed by the ID's text hashed it
/// and compared it byte for byte each time. A longer ID (a rule's ID with a qualifier,
/// `PHN001.contact`) has no key and is looked up by its text.
fn id_key(id: &str) -> Option<u64> {
    let &[a, b, c, d, e, f] = id.as_bytes() else {
        return None;
    };
    Some(u64::from_le_bytes([a, b, c, d, e, f, 0, 0]))
}

/// A rule's phrases as one pattern of whole-word alternatives, and that pattern compiled.
fn compile_phrases(
    id: &str,
    list: &[String],
    brand_alt: &str,
) -> Result<(String, PhraseRegex), Error> {
    check_id(id)?;
    let field = format!("phrases.{id}");
    let pattern = list_pattern(&field, list, brand_alt)?;
    let re = PhraseRegex::new(&pattern).map_err(|e| Error::invalid(FILE, &field, e.to_string()))?;
    Ok((pattern, re))
}

/// Turns a list of lowercase patterns into one pattern of whole-word alternatives, checking
/// each; `field` names the list in errors.
fn list_pattern(field: &str, list: &[String], brand_alt: &str) -> Result<String, Error> {
    if list.is_empty() {
        return Err(Error::invalid(FILE, field, "is empty"));
    }
    let mut parts = Vec::with_capacity(list.len());
    for p in list {
        // Upper case is allowed only in escapes like `\S` and `\D`.
        let unescaped = p.replace('\\', "\u{0}");
        let has_upper = unescaped.split('\u{0}').enumerate().any(|(i, part)| {
            let part = if i == 0 {
                part
            } else {
                part.get(1..).unwrap_or("")
            };
            part.chars().any(char::is_uppercase)
        });
        if p.trim().is_empty() || has_upper {
            return Err(Error::invalid(
                FILE,
                field,
                format!("`{p}` must be non-empty lowercase"),
            ));
        }
        let p = ascii_boundaries(&p.replace("{brand}", &format!("(?:{brand_alt})")));
        // Each phrase must be a pattern on its own, so an error names the phrase (parsing
        // is enough and far cheaper than compiling: the whole list is compiled below).
        regex_syntax::Parser::new()
            .parse(&p)
            .map_err(|e| Error::invalid(FILE, field, format!("`{p}`: {e}")))?;
        // Whole words: a word boundary at each end, unless the pattern starts or ends
        // with an anchor, a boundary, a space or an escaped punctuation mark (next to
        // which a boundary would never match), or is written in a script without spaces
        // between words.
        let unspaced = p.chars().any(unspaced_script);
        let start = if p.starts_with('^')
            || p.starts_with(ASCII_BOUNDARY)
            || p.starts_with(' ')
            || escaped_punct_at_start(&p)
            || unspaced
        {
            ""
        } else {
            ASCII_BOUNDARY
        };
        let end = if p.ends_with('$')
            || p.ends_with(ASCII_BOUNDARY)
            || p.ends_with(' ')
            || escaped_punct_at_end(&p)
            || unspaced
        {
            ""
        } else {
            ASCII_BOUNDARY
        };
        parts.push(format!("{start}(?:{p}){end}"));
    }
    Ok(format!("(?m){}", parts.join("|")))
}

/// A word boundary between ASCII word characters and anything else.
///
/// Phrases run over the normalised text, where Latin letters have lost their diacritics and
/// look-alike letters are folded to ASCII, so an ASCII boundary is a whole-word boundary
/// there; next to letters that stay non-ASCII (kana, ideographs) it is a boundary too, which
/// is what mixed text like `amazonアカウント` needs. And it keeps matching linear and fast: a
/// Unicode `\b` makes the regex engine's DFA give up on any non-ASCII text and fall back to
/// a much slower engine, which took 22 s on 64 KB of text full of U+FFFD.
pub(crate) const ASCII_BOUNDARY: &str = r"(?-u:\b)";

/// `p` with every `\b` written as [`ASCII_BOUNDARY`].
pub(crate) fn ascii_boundaries(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut chars = p.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('b') => out.push_str(ASCII_BOUNDARY),
                Some(n) => {
                    out.push(c);
                    out.push(n);
                }
                None => out.push(c),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `\$...`, `\(...`: the pattern starts with an escaped punctuation mark.
fn escaped_punct_at_start(p: &str) -> bool {
    let mut c = p.chars();
    c.next() == Some('\\') && c.next().is_some_and(|x| !x.is_ascii_alphanumeric())
}

/// A letter of a script written without spaces between words (Chinese, Japanese kana,
/// Thai): "whole words" means nothing there, so a phrase written in one gets no word
/// boundaries (`请按9` must match inside `了解详情请按9了`).
pub(crate) fn unspaced_script(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}' // CJK Extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK Unified Ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK Compatibility Ideographs
        | '\u{0E00}'..='\u{0E7F}' // Thai
    )
}

/// `...\)`, `...\.`: the pattern ends with an escaped punctuation mark.
fn escaped_punct_at_end(p: &str) -> bool {
    let mut c = p.chars().rev();
    let last = c.next();
    last.is_some_and(|x| !x.is_ascii_alphanumeric()) && c.next() == Some('\\')
}

/// A rule ID (`PHN001`), or a rule ID with a qualifier naming a second phrase list of that
/// rule (`PHN001.contact`: the labels that make a number someone's contact, not a callback).
fn check_id(id: &str) -> Result<(), Error> {
    let (rule, qualifier) = id.split_once('.').unwrap_or((id, "x"));
    let b = rule.as_bytes();
    let ok = b.len() == 6
        && b[..3].iter().all(u8::is_ascii_uppercase)
        && b[3..].iter().all(u8::is_ascii_digit)
        && !qualifier.is_empty()
        && qualifier
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c == b'-');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            FILE,
            id,
            "is not a rule ID like ABC123 or ABC123.qualifier",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::id_key;

    #[test]
    fn rule_id_keys_differ_whenever_the_ids_do() {
        let ids = ["SCN010", "SCN011", "SCN100", "PHN010", "SCN01\0"];
        let keys: Vec<_> = ids.iter().map(|id| id_key(id).unwrap()).collect();
        for (i, a) in keys.iter().enumerate() {
            for (j, b) in keys.iter().enumerate() {
                assert_eq!(a == b, i == j, "{:?} {:?}", ids[i], ids[j]);
            }
        }
        for other in ["", "SCN01", "SCN010\0", "PHN001.contact"] {
            assert_eq!(id_key(other), None, "{other:?}");
        }
    }

    /// The set answers as a search of the sorted list does: for every extra word, for the
    /// words around each in the list's order, and for pieces and longer forms of them.
    #[test]
    fn extra_words_are_the_sorted_lists() {
        let profile = crate::Profile::embedded();
        let spelling = &profile.lang.spelling;
        let list = &spelling.extra_words;
        assert!(list.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
        let mut words: Vec<String> = Vec::new();
        for w in list {
            words.push(w.clone());
            words.push(format!("{w}s"));
            words.push(w.to_uppercase());
            words.extend(w.char_indices().skip(1).map(|(i, _)| w[..i].to_string()));
        }
        words.extend(["", "the", "zzz", "amazon\0"].map(String::from));
        assert!(words.iter().any(|w| !list.contains(w)));
        for w in &words {
            let searched = list.binary_search_by(|e| e.as_str().cmp(w)).is_ok();
            assert_eq!(spelling.is_extra_word(w), searched, "{w:?}");
        }
    }

    /// A rule none of whose lists may match on any channel has no match on any channel:
    /// each of its lists, scanned, finds nothing. The texts have phrases of lists that
    /// count on every channel and of lists limited to texts and chats (`lures-texts.toml`:
    /// "regularize", "giveaway", which the lists of their rules for every channel do not
    /// have), and the answer is sometimes yes and sometimes no.
    #[test]
    fn a_rule_that_may_not_match_has_no_match_on_any_channel() {
        let profile = crate::Profile::embedded();
        let lang = &profile.lang;
        let texts = [
            "Your account has been locked. Verify your password at once.",
            "Please regularize your account.",
            "Win our giveaway!",
            "press 1 to speak to an agent about the charge of $499",
            "Hi mom, dinner at 7?",
            "",
        ];
        let (mut may, mut may_not) = (0, 0);
        for text in texts {
            let candidates = lang.phrase_candidates(text);
            for rule in 0..lang.phrase_rule_count() {
                if lang.rule_may_match(rule, &candidates) {
                    may += 1;
                    continue;
                }
                may_not += 1;
                for channel in ["email", "sms", "chat", "call", "screen"] {
                    for (_, re) in lang.rule_slots_on(rule, channel) {
                        assert!(
                            re.find(text).is_none(),
                            "rule {rule} on {channel}: {text:?}"
                        );
                    }
                }
            }
        }
        assert!(may > 5 && may_not > 5, "{may} / {may_not}");
    }

    /// Every rule with phrases is found by its ID (a qualified one, `PHN001.contact`,
    /// through the second map), and an ID that differs only past its sixth byte is not
    /// taken for it.
    #[test]
    fn every_rule_number_is_found_by_its_id() {
        let profile = crate::Profile::embedded();
        let lang = &profile.lang;
        assert!(lang.phrase_rule_count() > 40);
        assert!(lang.phrase_ids().any(|id| id == "PHN001.contact"));
        for (n, id) in lang.phrase_ids().enumerate() {
            assert_eq!(lang.phrase_rule(id), Some(n), "{id}");
            assert_eq!(lang.phrase_rule(&format!("{id}.x")), None, "{id}.x");
        }
        assert_eq!(lang.phrase_rule("SCN999"), None);
    }
}
