//! Facts common to all brands.

use crate::{Error, parse_toml};
use regex::Regex;
use serde::Deserialize;

/// Free-mail providers, link shorteners, risky web endings and attachment types.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Common {
    /// Free email providers (registrable domains).
    pub free_mail: Vec<String>,
    /// Link shorteners.
    pub shorteners: Vec<String>,
    /// Web address endings popular with scammers.
    pub risky_tlds: Vec<String>,
    /// Remote-control tools (lowercase, no spaces).
    pub remote_tools: Vec<String>,
    /// Attachment endings that run code or open a web page.
    pub risky_extensions: Vec<String>,
    /// Office endings that can carry macros.
    pub macro_extensions: Vec<String>,
    /// Free app and page hosting (registrable domains or hosts).
    pub free_hosting: Vec<String>,
    /// Words a sender name may add to a company's name ("Support", "Team").
    pub sender_name_filler: Vec<String>,
    /// Other companies scammers pretend to be, with the domains they really send from.
    pub other_brands: Vec<OtherBrand>,
    /// Countries where text-message sender IDs are registered and cannot be used by anyone
    /// else, with the shape of a registered sender.
    #[serde(default)]
    pub sms_sender_registries: Vec<SmsRegistry>,
    /// Every domain of `other_brands`, lowercase, computed at load: a host is looked up by
    /// its dot-separated suffixes instead of against each brand in turn.
    #[serde(skip)]
    other_brand_domains: crate::brand::DomainSet,
    /// Every name of `other_brands` as its ASCII words (`u.s. bank` → `u`, `s`, `bank`), in
    /// list order, computed at load.
    #[serde(skip)]
    other_brand_name_words: Vec<Vec<String>>,
    /// The names of `other_brand_name_words` by their first word, each word's names in
    /// ascending order: a text's words are looked up to find where any name may start.
    #[serde(skip)]
    other_brand_names_by_first_word: rustc_hash::FxHashMap<String, Vec<usize>>,
    /// The longest first word in `other_brand_names_by_first_word`, in bytes.
    #[serde(skip)]
    longest_first_word: usize,
    /// Every name of `other_brands` as its [`name_words`], with the brands (by index) and
    /// the places in their `names` that list it, in list order, computed at load.
    #[serde(skip)]
    names_by_words: rustc_hash::FxHashMap<String, Vec<(usize, usize)>>,
    /// The most words of a name in `names_by_words`.
    #[serde(skip)]
    max_name_words: usize,
    /// `free_hosting`, indexed by domain, computed at load.
    #[serde(skip)]
    free_hosting_set: crate::brand::DomainSet,
    /// `shorteners`, indexed by domain, computed at load.
    #[serde(skip)]
    shortener_set: crate::brand::DomainSet,
}

/// A country's register of text-message sender IDs (India's DLT headers).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsRegistry {
    /// Country code (`IN`).
    pub country: String,
    /// The shape of a registered sender as it reaches the phone, with the registered ID in
    /// the group named `id` (`^[A-Z]{2}-(?P<id>[A-Za-z0-9]{6})(?:-[PSTG])?$`).
    pub format: String,
    /// Where the shape is documented.
    pub source: String,
    #[serde(skip)]
    re: Option<Regex>,
}

/// A company other than the profile's brand, for the forged-sender check.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtherBrand {
    /// Its names, lowercase, as words of a display name.
    pub names: Vec<String>,
    /// The registrable domains it really sends from.
    pub domains: Vec<String>,
    /// The text-message sender IDs (uppercase) and short codes it really texts from.
    #[serde(default)]
    pub sms_senders: Vec<String>,
    /// Where `sms_senders` come from.
    #[serde(default)]
    pub sms_source: Option<String>,
}

impl OtherBrand {
    /// True when the host is one of the brand's domains or below one.
    pub fn owns(&self, host: &str) -> bool {
        crate::brand::in_domains(&self.domains, host)
    }
}

/// The longest runs of ASCII letters and digits in `text`, with their byte offsets, in text
/// order. (No byte of a multi-byte UTF-8 character is an ASCII letter or digit, so each run
/// starts and ends on a character boundary.)
fn ascii_words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at + bytes[at..].iter().position(u8::is_ascii_alphanumeric)?;
        let end = bytes[start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |n| start + n);
        at = end;
        Some((start, &text[start..end]))
    })
}

/// Lowercase words separated by single spaces: what [`Common::brand_named`] compares.
pub fn name_words(s: &str) -> String {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

impl Common {
    /// Parses and checks the common facts.
    pub fn from_toml(text: &str) -> Result<Common, Error> {
        let mut c: Common = parse_toml("common.toml", text)?;
        c.other_brand_domains =
            crate::brand::DomainSet::new(c.other_brands.iter().flat_map(|b| &b.domains));
        c.free_hosting_set = crate::brand::DomainSet::of_list(&c.free_hosting);
        c.shortener_set = crate::brand::DomainSet::of_list(&c.shorteners);
        c.other_brand_name_words = c
            .other_brands
            .iter()
            .flat_map(|b| &b.names)
            .map(|n| {
                n.split(|c: char| !c.is_ascii_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .collect();
        for (i, words) in c.other_brand_name_words.iter().enumerate() {
            if let Some(first) = words.first() {
                c.longest_first_word = c.longest_first_word.max(first.len());
                c.other_brand_names_by_first_word
                    .entry(first.clone())
                    .or_default()
                    .push(i);
            }
        }
        for (b, brand) in c.other_brands.iter().enumerate() {
            for (k, name) in brand.names.iter().enumerate() {
                let words = name_words(name);
                c.max_name_words = c.max_name_words.max(words.split(' ').count());
                c.names_by_words.entry(words).or_default().push((b, k));
            }
        }
        for r in &mut c.sms_sender_registries {
            let re = Regex::new(&r.format).map_err(|e| {
                Error::invalid("common.toml", "sms_sender_registries", e.to_string())
            })?;
            if !re.capture_names().any(|n| n == Some("id")) {
                return Err(Error::invalid(
                    "common.toml",
                    "sms_sender_registries",
                    format!("`{}` has no group named `id`", r.format),
                ));
            }
            r.re = Some(re);
        }
        for b in &c.other_brands {
            if !b.sms_senders.is_empty() && b.sms_source.is_none() {
                return Err(Error::invalid(
                    "common.toml",
                    "other_brands",
                    format!("{:?}: sms_senders needs an sms_source", b.names),
                ));
            }
        }
        for (field, list) in [
            ("free_mail", &c.free_mail),
            ("shorteners", &c.shorteners),
            ("risky_tlds", &c.risky_tlds),
            ("risky_extensions", &c.risky_extensions),
            ("remote_tools", &c.remote_tools),
            ("macro_extensions", &c.macro_extensions),
            ("free_hosting", &c.free_hosting),
            ("sender_name_filler", &c.sender_name_filler),
        ] {
            if let Some(bad) = list
                .iter()
                .find(|s| s.is_empty() || **s != s.to_ascii_lowercase())
            {
                return Err(Error::invalid(
                    "common.toml",
                    field,
                    format!("`{bad}` must be non-empty lowercase"),
                ));
            }
        }
        for b in &c.other_brands {
            if b.names.is_empty()
                || b.domains.is_empty()
                || b.names.iter().any(|n| name_words(n).is_empty())
                || b.domains
                    .iter()
                    .any(|d| d.is_empty() || *d != d.to_ascii_lowercase())
            {
                return Err(Error::invalid(
                    "common.toml",
                    "other_brands",
                    format!("{:?} needs names and lowercase domains", b.names),
                ));
            }
        }
        Ok(c)
    }

    /// The registered ID of a text-message sender (`HDFCBK` for `VM-HDFCBK-S`), uppercase,
    /// when it has the shape of a country's register; `None` for anything else, which anyone
    /// could have typed.
    pub fn registered_sender_id(&self, sender: &str) -> Option<String> {
        let sender = sender.trim();
        self.sms_sender_registries.iter().find_map(|r| {
            let caps = r.re.as_ref()?.captures(sender)?;
            caps.name("id").map(|m| m.as_str().to_ascii_uppercase())
        })
    }

    /// The other brand that texts from this registered ID or short code.
    pub fn brand_of_sms_sender(&self, id: &str) -> Option<&OtherBrand> {
        self.other_brands
            .iter()
            .find(|b| b.sms_senders.iter().any(|s| s.eq_ignore_ascii_case(id)))
    }

    /// The other brand that owns the host, if any.
    pub fn other_brand_of_host(&self, host: &str) -> Option<&OtherBrand> {
        self.other_brands.iter().find(|b| b.owns(host))
    }

    /// True when the host belongs to one of the other brands (`other_brands`).
    pub fn is_other_brand_host(&self, host: &str) -> bool {
        self.other_brand_domains.contains_host(host)
    }

    /// Where a name of another brand may start in `text`: the index of the name (over all
    /// `other_brands`' names in list order) and the byte offset of its first word, wherever
    /// a whole ASCII word of `text` (a longest run of ASCII letters and digits) is that first
    /// word. In order of position, then of index. Whether the rest of the name follows is the
    /// caller's to check, with [`Common::other_brand_name_words`].
    ///
    /// The text's words are looked up in a map of the first words. A search for the first
    /// words anywhere (one Aho-Corasick pass) also found them inside other words, where no
    /// name starts: short ones (the `u` of `u s bank`) occur all over a text, and each place
    /// cost the search and its caller more than the lookup of a word.
    pub fn other_brand_name_starts<'t>(
        &'t self,
        text: &'t str,
    ) -> impl Iterator<Item = (usize, usize)> + 't {
        ascii_words(text)
            .filter(|&(_, word)| word.len() <= self.longest_first_word)
            .filter_map(|(at, word)| {
                let names = self.other_brand_names_by_first_word.get(word)?;
                Some(names.iter().map(move |&i| (i, at)))
            })
            .flatten()
    }

    /// The ASCII words of the `i`th name of `other_brands` (see
    /// [`Common::other_brand_name_starts`]).
    pub fn other_brand_name_words(&self, i: usize) -> &[String] {
        self.other_brand_name_words
            .get(i)
            .map_or(&[], Vec::as_slice)
    }

    /// True for a host on free app or page hosting.
    pub fn is_free_hosting(&self, host: &str) -> bool {
        self.free_hosting_set.contains_host(host)
    }

    /// The other brand a display name is (`words` from [`name_words`]), with the name as
    /// listed: the name holds the brand's name and otherwise only filler words ("Support",
    /// "Team"), so "Lockergnome Apple Core" is not Apple.
    ///
    /// When several names fit, the first brand in the list wins, then its first name that
    /// fits. A name fits where it first occurs among the words, and every other word must
    /// be filler. The words' runs of up to the longest name's length are looked up in a map
    /// of the names, instead of searching the words for each name in turn (191 names today,
    /// 32,000 instructions per corpus email on average).
    pub fn brand_named(&self, words: &str) -> Option<(&OtherBrand, &str)> {
        // Where each word starts and ends in `words` (single spaces between words).
        let mut spans: Vec<(usize, usize)> = Vec::new();
        let mut at = 0;
        for w in words.split(' ') {
            spans.push((at, at + w.len()));
            at += w.len() + 1;
        }
        let filler = |w: &(usize, usize)| {
            let w = &words[w.0..w.1];
            self.sender_name_filler.iter().any(|f| f == w)
        };
        let mut best: Option<(usize, usize)> = None;
        let mut seen: Vec<&str> = Vec::new();
        for i in 0..spans.len() {
            for j in i + 1..=spans.len().min(i + self.max_name_words) {
                let run = &words[spans[i].0..spans[j - 1].1];
                let Some(places) = self.names_by_words.get(run) else {
                    continue;
                };
                // Only where the name first occurs: a later run is the same name.
                if seen.contains(&run) {
                    continue;
                }
                seen.push(run);
                // `places` is in list order: its first is this name's best.
                if let Some(&first) = places.first()
                    && spans[..i].iter().chain(&spans[j..]).all(filler)
                {
                    best = Some(best.map_or(first, |b| b.min(first)));
                }
            }
        }
        let (b, k) = best?;
        let brand = &self.other_brands[b];
        Some((brand, brand.names[k].as_str()))
    }

    /// True for a free-mail registrable domain.
    pub fn is_free_mail(&self, registrable: &str) -> bool {
        self.free_mail.iter().any(|d| d == registrable)
    }

    /// True for a link-shortener host.
    pub fn is_shortener(&self, host: &str) -> bool {
        self.shortener_set.contains_host(host)
    }

    /// True when the host ends in a risky suffix.
    pub fn risky_tld<'a>(&'a self, host: &str) -> Option<&'a str> {
        let host = host.trim_end_matches('.');
        self.risky_tlds
            .iter()
            .find(|t| {
                host.len() > t.len() + 1
                    && host.ends_with(t.as_str())
                    && host.as_bytes()[host.len() - t.len() - 1] == b'.'
            })
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `brand_named` answered before it looked names up by their words: each name in
    /// list order searched for in the padded words, the words left all filler.
    fn brand_named_by_search<'a>(c: &'a Common, words: &str) -> Option<(&'a OtherBrand, &'a str)> {
        let padded = format!(" {words} ");
        c.other_brands.iter().find_map(|b| {
            b.names
                .iter()
                .position(|n| {
                    let n = format!(" {} ", name_words(n));
                    padded.contains(n.as_str())
                        && padded
                            .replacen(n.as_str(), " ", 1)
                            .split_whitespace()
                            .all(|w| c.sender_name_filler.iter().any(|f| f == w))
                })
                .map(|i| (b, b.names[i].as_str()))
        })
    }

    fn common() -> Common {
        Common::from_toml(include_str!("../data/common.toml")).unwrap()
    }

    fn named(c: &Common, words: &str) -> Option<(String, String)> {
        c.brand_named(words).map(|(b, n)| {
            (
                b.domains.first().cloned().unwrap_or_default(),
                n.to_string(),
            )
        })
    }

    #[test]
    fn a_display_name_is_a_brand_with_filler_words_only() {
        let c = common();
        let paypal = named(&c, "paypal").unwrap();
        assert_eq!(paypal.1, "paypal");
        assert_eq!(named(&c, "paypal customer service"), Some(paypal.clone()));
        assert_eq!(named(&c, "the paypal team"), Some(paypal));
        assert_eq!(named(&c, "lockergnome paypal core"), None);
        assert_eq!(named(&c, ""), None);
        assert_eq!(named(&c, "support team"), None);
    }

    #[test]
    fn names_start_at_whole_words_only() {
        let c = common();
        let us_bank = (0..c.other_brand_name_words.len())
            .find(|&i| c.other_brand_name_words(i) == ["u", "s", "bank"])
            .expect("u.s. bank is listed");
        let starts = |text: &str| -> Vec<usize> {
            c.other_brand_name_starts(text)
                .filter(|&(i, _)| i == us_bank)
                .map(|(_, at)| at)
                .collect()
        };
        // The `u` of `bus` and of `us` starts no name; the one before `.s.` does.
        assert_eq!(starts("bus to us, u.s. bank"), vec![11]);
        assert_eq!(starts("u"), vec![0]);
        assert_eq!(starts("u2 ú"), Vec::<usize>::new());
    }

    proptest::proptest! {
        /// The same answer as a search for each name in turn, on display names made of
        /// the listed names' words, filler words and other words.
        #[test]
        fn the_same_brand_as_a_search_for_each_name(
            picks in proptest::collection::vec(0usize..10_000, 0..6)
        ) {
            let c = common();
            let names: Vec<String> =
                c.other_brands.iter().flat_map(|b| &b.names).map(|n| name_words(n)).collect();
            let mut pool = names.clone();
            pool.extend(names.iter().flat_map(|n| n.split(' ')).map(str::to_string));
            // Filler words often, so that many display names are a brand.
            for _ in 0..4 {
                pool.extend(c.sender_name_filler.iter().cloned());
            }
            pool.extend(["lockergnome", "core", "x"].map(String::from));
            let words: Vec<&str> = picks.iter().map(|&p| pool[p % pool.len()].as_str()).collect();
            let words = words.join(" ");
            let want = brand_named_by_search(&c, &words).map(|(b, n)| (b.domains.clone(), n));
            let got = c.brand_named(&words).map(|(b, n)| (b.domains.clone(), n));
            proptest::prop_assert_eq!(got, want, "{:?}", words);
        }

        /// The places where a search for the first words anywhere (what this replaced)
        /// finds one as a whole word, in order of position, then of index, on texts of the
        /// names' words, pieces of them and characters around them.
        #[test]
        fn name_starts_are_a_search_for_whole_first_words(
            picks in proptest::collection::vec(0usize..10_000, 0..12)
        ) {
            let c = common();
            let firsts: Vec<&str> = (0..c.other_brand_name_words.len())
                .map(|i| c.other_brand_name_words(i).first().map_or("", String::as_str))
                .collect();
            let search = aho_corasick::AhoCorasick::new(&firsts).expect("automaton");
            let mut pool: Vec<String> = firsts.iter().map(|w| w.to_string()).collect();
            pool.extend(firsts.iter().filter(|w| w.len() > 2).map(|w| w[1..].to_string()));
            pool.extend([" ", ". ", "x", "7", "U.S. ", "é", "'", "_"].map(String::from));
            let text: String = picks.iter().map(|&p| pool[p % pool.len()].as_str()).collect();
            let alnum = |at: usize| text.as_bytes().get(at).is_some_and(u8::is_ascii_alphanumeric);
            let mut want: Vec<(usize, usize)> = search
                .find_overlapping_iter(&text)
                .filter(|m| m.start() < m.end())
                .filter(|m| (m.start() == 0 || !alnum(m.start() - 1)) && !alnum(m.end()))
                .map(|m| (m.pattern().as_usize(), m.start()))
                .collect();
            want.sort_by_key(|&(i, at)| (at, i));
            let got: Vec<(usize, usize)> = c.other_brand_name_starts(&text).collect();
            proptest::prop_assert_eq!(got, want, "{:?}", text);
        }
    }
}
