//! Everything redflag knows as data rather than code: the brand profile (names, real domains,
//! the real phone number, the order-number format, what the brand never asks, where reports
//! go), the language pack (phrase patterns for each rule, plain-language explanations,
//! advice, extra dictionary words), and facts common to all brands (free-mail providers,
//! link shorteners, risky web endings and attachment types).
//!
//! The defaults are embedded in the binary. [`Profile::load`] validates everything at load
//! (patterns compile, domains are lower-case host names, phone numbers are E.164), so a bad
//! data file fails at start with a clear error, never in the middle of an analysis.
//!
//! **API boundary:** a second brand is a new TOML file passed to [`Brand::from_toml`], not new
//! code.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod advice;
mod brand;
mod common;
mod countries;
mod lang;
mod locale;
mod phrase_index;

pub use advice::{Advice, AlreadyStep};
pub use brand::{Brand, BrandReport, NeverAsks, Site, SiteKind};
pub use common::{Common, OtherBrand, SmsRegistry, name_words};
pub use countries::{Countries, Country, CountryBrandReport, CountryReport};
pub use lang::{LangPack, Spelling};
pub use locale::{Locale, Ui};
pub use phrase_index::PhraseCandidates;

use serde::Deserialize;
use std::sync::{Arc, OnceLock};

/// The embedded Amazon brand profile.
pub const AMAZON_TOML: &str = include_str!("../data/brands/amazon.toml");
/// The embedded English language pack.
pub const EN_TOML: &str = include_str!("../data/lang/en.toml");
/// Scam phrases in other languages, merged into the language pack's rules.
pub const LURES_INTL_TOML: &str = include_str!("../data/lang/lures-intl.toml");
/// English phrases of text-message scams (smishing), merged into the language pack's rules.
pub const LURES_TEXTS_TOML: &str = include_str!("../data/lang/lures-texts.toml");
/// Scam phrases per language (`lures-<lang>.toml`), merged into the language pack's rules
/// like `lures-intl.toml`: detection does not depend on guessing the language.
pub const LURES_BY_LANG: &[&str] = &[
    include_str!("../data/lang/lures-de.toml"),
    include_str!("../data/lang/lures-es.toml"),
    include_str!("../data/lang/lures-fr.toml"),
    include_str!("../data/lang/lures-it.toml"),
    include_str!("../data/lang/lures-ja.toml"),
    include_str!("../data/lang/lures-nl.toml"),
    include_str!("../data/lang/lures-pl.toml"),
    include_str!("../data/lang/lures-pt.toml"),
];
/// The embedded English advice.
pub const EN_ADVICE_TOML: &str = include_str!("../data/lang/en-advice.toml");
/// The embedded English words around the findings.
pub const EN_TEXT_TOML: &str = include_str!("../data/lang/en-text.toml");
/// The embedded locales other than English: (text, advice) per language.
pub const LOCALES: &[(&str, &str)] = &[
    (
        include_str!("../data/lang/de-text.toml"),
        include_str!("../data/lang/de-advice.toml"),
    ),
    (
        include_str!("../data/lang/es-text.toml"),
        include_str!("../data/lang/es-advice.toml"),
    ),
    (
        include_str!("../data/lang/fr-text.toml"),
        include_str!("../data/lang/fr-advice.toml"),
    ),
    (
        include_str!("../data/lang/it-text.toml"),
        include_str!("../data/lang/it-advice.toml"),
    ),
    (
        include_str!("../data/lang/ja-text.toml"),
        include_str!("../data/lang/ja-advice.toml"),
    ),
    (
        include_str!("../data/lang/nl-text.toml"),
        include_str!("../data/lang/nl-advice.toml"),
    ),
    (
        include_str!("../data/lang/pl-text.toml"),
        include_str!("../data/lang/pl-advice.toml"),
    ),
    (
        include_str!("../data/lang/pt-text.toml"),
        include_str!("../data/lang/pt-advice.toml"),
    ),
];
/// The embedded common facts.
pub const COMMON_TOML: &str = include_str!("../data/common.toml");
/// The embedded report destinations.
pub const REPORTS_TOML: &str = include_str!("../data/reports.toml");
/// The embedded report destinations per country.
pub const COUNTRIES_TOML: &str = include_str!("../data/countries.toml");
/// The embedded Hunspell en_US affix file (SCOWL; licence in `data/dict/COPYING-en_US.txt`).
pub const EN_US_AFF: &str = include_str!("../data/dict/en_US.aff");
/// The embedded Hunspell en_US word list.
pub const EN_US_DIC: &str = include_str!("../data/dict/en_US.dic");

/// A data file that could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file is not valid TOML, or lacks a field.
    #[error("{file}: {source}")]
    Toml {
        /// Which data file.
        file: String,
        /// What the TOML parser said.
        #[source]
        source: toml::de::Error,
    },
    /// A value is present but wrong.
    #[error("{file}: {field}: {message}")]
    Invalid {
        /// Which data file.
        file: String,
        /// Which field.
        field: String,
        /// What is wrong.
        message: String,
    },
}

impl Error {
    pub(crate) fn invalid(
        file: &str,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Error {
        Error::Invalid {
            file: file.to_string(),
            field: field.into(),
            message: message.into(),
        }
    }
}

pub(crate) fn parse_toml<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> Result<T, Error> {
    toml::from_str(text).map_err(|source| Error::Toml {
        file: file.to_string(),
        source,
    })
}

/// One report destination that is not the brand (the FTC, 7726, a hotline).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Destination {
    /// Who it is.
    pub name: String,
    /// Web address, if any.
    #[serde(default)]
    pub web: Option<String>,
    /// Phone number or short code, if any.
    #[serde(default)]
    pub phone: Option<String>,
    /// Email address, if any.
    #[serde(default)]
    pub email: Option<String>,
    /// What to do, in one or two sentences.
    #[serde(default)]
    pub how: Option<String>,
}

/// The 7726 (SPAM) forwarding service of US mobile carriers.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Sms7726 {
    /// Who it is.
    pub name: String,
    /// The short code.
    pub number: String,
    /// What to do with a text.
    pub how_text: String,
    /// What to do about a call.
    pub how_call: String,
}

/// Where reports go besides the brand.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Reports {
    /// The FTC.
    pub ftc: Destination,
    /// 7726.
    pub sms7726: Sms7726,
    /// The local fraud hotline.
    pub hotline: Destination,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HotlineFile {
    hotline: Destination,
}

impl Reports {
    /// Parses and checks a reports file.
    pub fn from_toml(text: &str) -> Result<Reports, Error> {
        let r: Reports = parse_toml("reports.toml", text)?;
        check_destination("reports.toml", "hotline", &r.hotline)?;
        Ok(r)
    }

    /// Replaces the hotline with the `[hotline]` table of a site's own file.
    pub fn with_hotline_toml(mut self, text: &str) -> Result<Reports, Error> {
        let h: HotlineFile = parse_toml("hotline file", text)?;
        check_destination("hotline file", "hotline", &h.hotline)?;
        self.hotline = h.hotline;
        Ok(self)
    }
}

fn check_destination(file: &str, field: &str, d: &Destination) -> Result<(), Error> {
    if d.name.trim().is_empty() {
        return Err(Error::invalid(file, format!("{field}.name"), "is empty"));
    }
    if d.phone.is_none() && d.email.is_none() && d.web.is_none() {
        return Err(Error::invalid(
            file,
            field,
            "needs a phone, an email or a web address",
        ));
    }
    if let Some(e) = &d.email
        && !e.contains('@')
    {
        return Err(Error::invalid(
            file,
            format!("{field}.email"),
            "is not an email address",
        ));
    }
    Ok(())
}

/// Everything the analysis needs, loaded and checked.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The brand being protected.
    pub brand: Brand,
    /// The language pack.
    pub lang: LangPack,
    /// Advice texts.
    pub advice: Advice,
    /// Facts common to all brands.
    pub common: Common,
    /// Report destinations.
    pub reports: Reports,
    /// What a person is shown, per language (`en` always present).
    pub locales: std::collections::BTreeMap<String, Locale>,
    /// Where people report, per country.
    pub countries: Countries,
}

impl Profile {
    /// Loads a profile from the given texts (brand, language, advice, common, reports).
    pub fn load(
        brand: &str,
        lang: &str,
        advice: &str,
        common: &str,
        reports: &str,
    ) -> Result<Profile, Error> {
        let brand = Brand::from_toml(brand)?;
        let mut extra = vec![LURES_INTL_TOML, LURES_TEXTS_TOML];
        extra.extend_from_slice(LURES_BY_LANG);
        let lang = LangPack::from_tomls(lang, &extra, &brand)?;
        let en = Locale::from_tomls(EN_TEXT_TOML, advice)?;
        let en_advice = en.advice.clone();
        let mut locales = std::collections::BTreeMap::new();
        locales.insert(en.lang.clone(), en);
        for (text, advice) in LOCALES {
            let l = Locale::from_tomls(text, advice)?;
            locales.insert(l.lang.clone(), l);
        }
        Ok(Profile {
            lang,
            locales,
            countries: Countries::from_toml(COUNTRIES_TOML)?,
            advice: en_advice,
            common: Common::from_toml(common)?,
            reports: Reports::from_toml(reports)?,
            brand,
        })
    }

    /// The embedded profile (Amazon, English). Loaded once and shared.
    pub fn embedded() -> Arc<Profile> {
        static EMBEDDED: OnceLock<Arc<Profile>> = OnceLock::new();
        EMBEDDED
            .get_or_init(|| {
                Arc::new(
                    Profile::load(
                        AMAZON_TOML,
                        EN_TOML,
                        EN_ADVICE_TOML,
                        COMMON_TOML,
                        REPORTS_TOML,
                    )
                    .expect("the embedded profile is checked by tests"),
                )
            })
            .clone()
    }

    /// The embedded profile with another brand file (`--brands FILE`).
    pub fn with_brand(brand_toml: &str) -> Result<Profile, Error> {
        Profile::load(
            brand_toml,
            EN_TOML,
            EN_ADVICE_TOML,
            COMMON_TOML,
            REPORTS_TOML,
        )
    }

    /// The words for a language (`ja`), or English when redflag does not speak it.
    pub fn locale(&self, lang: &str) -> &Locale {
        self.locales
            .get(lang)
            .or_else(|| self.locales.get("en"))
            .expect("the English locale is always loaded")
    }

    /// Fills `{brand}` and `{verify}` in a text of a language's locale (`{verify}` in that
    /// language when the locale says it, else the brand profile's).
    pub fn fill_in(&self, lang: &str, text: &str) -> String {
        // Most texts have no placeholder: no searching, one copy. (memchr: `str::contains`
        // with a char is a byte search that does not use vector instructions, called
        // for every line of the advice and the reports.)
        if memchr::memchr(b'{', text.as_bytes()).is_none() {
            return text.to_string();
        }
        let out = replace_braced(text, "{brand}", &self.brand.name);
        if find_braced(&out, "{verify}", 0).is_none() {
            return out;
        }
        let verify = self
            .locale(lang)
            .ui
            .verify
            .as_deref()
            .unwrap_or(&self.brand.report.verify);
        let verify = replace_braced(verify, "{brand}", &self.brand.name);
        replace_braced(&out, "{verify}", &verify)
    }

    /// Fills `{brand}` and `{verify}` in a text.
    pub fn fill(&self, text: &str) -> String {
        if memchr::memchr(b'{', text.as_bytes()).is_none() {
            return text.to_string();
        }
        let out = replace_braced(text, "{brand}", &self.brand.name);
        replace_braced(&out, "{verify}", &self.brand.report.verify)
    }
}

/// Where `pat` (which starts with `{`) first occurs in `text` at or after `from`: found
/// from one `{` to the next with memchr. (`str::replace` and `str::contains` set up a
/// two-way searcher per call, several times the cost for the short lines filled here.)
fn find_braced(text: &str, pat: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(i) = memchr::memchr(b'{', bytes.get(at..)?) {
        let start = at + i;
        if bytes[start..].starts_with(pat.as_bytes()) {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

/// `text.replace(pat, with)` for a `pat` that starts with `{` (see [`find_braced`]).
fn replace_braced(text: &str, pat: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    while let Some(at) = find_braced(text, pat, done) {
        out.push_str(&text[done..at]);
        out.push_str(with);
        done = at + pat.len();
    }
    out.push_str(&text[done..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn replace_braced_is_str_replace(
            text in "(\\{|\\}|\\{brand\\}|\\{verify\\}|brand|a|é| ){0,16}",
            with in "(\\{|\\}|brand|x){0,3}",
        ) {
            for pat in ["{brand}", "{verify}"] {
                proptest::prop_assert_eq!(replace_braced(&text, pat, &with), text.replace(pat, &with));
                proptest::prop_assert_eq!(find_braced(&text, pat, 0), text.find(pat));
            }
        }
    }

    #[test]
    fn embedded_profile_loads() {
        let p = Profile::load(
            AMAZON_TOML,
            EN_TOML,
            EN_ADVICE_TOML,
            COMMON_TOML,
            REPORTS_TOML,
        )
        .unwrap();
        assert_eq!(p.brand.id, "amazon");
        assert!(p.brand.is_legit_domain("www.amazon.co.uk"));
        assert!(p.brand.is_legit_domain("amazon.com"));
        assert!(!p.brand.is_legit_domain("amazon.com.verify-account.xyz"));
        assert!(!p.brand.is_legit_domain("notamazon.com"));
        assert!(p.brand.is_order_number("112-1234567-1234567"));
        assert!(p.brand.is_order_number("D01-1234567-1234567"));
        assert!(!p.brand.is_order_number("AMZ-4491-22"));
        assert!(p.common.is_free_mail("gmail.com"));
        assert!(p.lang.phrases("SCN006").is_some());
    }

    #[test]
    fn phrases_in_unspaced_scripts_match_inside_a_run_of_text() {
        let p = Profile::embedded();
        let press = p.lang.phrases("PHN003").unwrap();
        // Chinese has no spaces between words: the phrase sits inside a run of characters.
        assert!(press.is_match("了解详情请按9由人工客服"));
        // Latin phrases stay whole words.
        assert!(!press.is_match("impress 1 person"));
    }

    #[test]
    fn phrases_can_be_limited_to_channels() {
        let p = Profile::embedded();
        let hits = |channel: &str, text: &str| {
            p.lang
                .phrases_on("SCN009", channel)
                .any(|re| re.is_match(text))
        };
        // The texts-only file adds "giveaway"; the pack's own phrases apply everywhere.
        assert!(hits("sms", "our monthly giveaway"));
        assert!(hits("chat", "our monthly giveaway"));
        assert!(!hits("email", "our monthly giveaway"));
        assert!(hits("email", "congratulations"));
        assert!(p.lang.phrase_ids().any(|id| id == "LNK013"));
        let brand = Brand::from_toml(AMAZON_TOML).unwrap();
        let bad = "channels = [\"fax\"]\n[phrases]\nSCN009 = ['prize']\n";
        assert!(LangPack::from_tomls(EN_TOML, &[bad], &brand).is_err());
    }

    #[test]
    fn hotline_can_be_replaced() {
        let r = Reports::from_toml(REPORTS_TOML).unwrap();
        let r = r
            .with_hotline_toml(
                "[hotline]\nname = \"Test County Fraud Line\"\nphone = \"555-0100\"\n",
            )
            .unwrap();
        assert_eq!(r.hotline.name, "Test County Fraud Line");
        let bad = Reports::from_toml(REPORTS_TOML)
            .unwrap()
            .with_hotline_toml("[hotline]\nname = \"x\"\n");
        assert!(bad.is_err());
    }
}
