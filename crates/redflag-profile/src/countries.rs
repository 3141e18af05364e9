//! Where people report a scam, per country (`data/countries.toml`): the national consumer
//! and fraud bodies, the phishing addresses, the short codes that take forwarded texts, and
//! the brand's own reporting channel for that marketplace. Every entry names its sources.

use crate::{Error, parse_toml};
use serde::Deserialize;
use std::collections::BTreeMap;

const FILE: &str = "countries.toml";

/// One place to report to.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountryReport {
    /// Stable ID (`antiphishing-jp`).
    pub id: String,
    /// Its name in English.
    pub name: String,
    /// Its name in the country's language.
    #[serde(default)]
    pub name_local: Option<String>,
    /// `email`, `web`, `phone` or `sms`.
    pub method: String,
    /// Address, web address, phone number or short code.
    pub address: String,
    /// The channels of messages it takes (`email`, `sms`, `chat`, `call`); all when empty.
    #[serde(default)]
    pub channels: Vec<String>,
    /// What to do, in English.
    pub how: String,
    /// What to do, in the country's language.
    #[serde(default)]
    pub how_local: Option<String>,
    /// Where the facts come from.
    pub sources: Vec<String>,
    /// What could not be confirmed.
    #[serde(default)]
    pub unconfirmed: Option<String>,
}

/// The brand's own reporting channel in one country.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountryBrandReport {
    /// The brand profile it belongs to (`amazon`): other brands use their own `[report]`.
    pub brand: String,
    /// Email address for forwarding phishing.
    #[serde(default)]
    pub email: Option<String>,
    /// Web page for reporting.
    #[serde(default)]
    pub web: Option<String>,
    /// What to do, in English.
    pub how: String,
    /// What to do, in the country's language.
    #[serde(default)]
    pub how_local: Option<String>,
    /// Where the facts come from.
    pub sources: Vec<String>,
    /// What could not be confirmed.
    #[serde(default)]
    pub unconfirmed: Option<String>,
}

/// One country.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Country {
    /// English name.
    pub name: String,
    /// Its own name.
    #[serde(default)]
    pub name_local: Option<String>,
    /// Languages people there write in.
    pub langs: Vec<String>,
    /// International dialling prefix (`+81`).
    #[serde(default)]
    pub phone_prefix: Option<String>,
    /// Where to report.
    #[serde(default)]
    pub report: Vec<CountryReport>,
    /// The brand's own channel there.
    #[serde(default)]
    pub brand_report: Option<CountryBrandReport>,
}

impl Country {
    /// The reports that take a message of this channel.
    pub fn reports_for<'a>(&'a self, channel: &'a str) -> impl Iterator<Item = &'a CountryReport> {
        self.report
            .iter()
            .filter(move |r| r.channels.is_empty() || r.channels.iter().any(|c| c == channel))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCountries {
    country: BTreeMap<String, Country>,
}

/// Every country, by ISO 3166-1 alpha-2 code (`JP`).
#[derive(Debug, Clone, Default)]
pub struct Countries {
    /// By code.
    pub by_code: BTreeMap<String, Country>,
}

const METHODS: &[&str] = &["email", "web", "phone", "sms"];
const CHANNELS: &[&str] = &["email", "sms", "chat", "call"];

impl Countries {
    /// Parses and checks the countries file.
    pub fn from_toml(text: &str) -> Result<Countries, Error> {
        let raw: RawCountries = parse_toml(FILE, text)?;
        for (code, c) in &raw.country {
            if code.len() != 2 || !code.chars().all(|ch| ch.is_ascii_uppercase()) {
                return Err(Error::invalid(FILE, code, "is not a country code (`JP`)"));
            }
            if c.langs.is_empty() {
                return Err(Error::invalid(FILE, format!("{code}.langs"), "is empty"));
            }
            for r in &c.report {
                let at = format!("{code}.report.{}", r.id);
                if !METHODS.contains(&r.method.as_str()) {
                    return Err(Error::invalid(
                        FILE,
                        &at,
                        format!("method `{}` is not one of {}", r.method, METHODS.join(", ")),
                    ));
                }
                if let Some(bad) = r
                    .channels
                    .iter()
                    .find(|ch| !CHANNELS.contains(&ch.as_str()))
                {
                    return Err(Error::invalid(
                        FILE,
                        &at,
                        format!("`{bad}` is not a channel"),
                    ));
                }
                if r.sources.is_empty() {
                    return Err(Error::invalid(FILE, &at, "has no source"));
                }
                if r.method == "email" && !r.address.contains('@') {
                    return Err(Error::invalid(FILE, &at, "is not an email address"));
                }
            }
            if let Some(b) = &c.brand_report {
                if b.sources.is_empty() {
                    return Err(Error::invalid(
                        FILE,
                        format!("{code}.brand_report"),
                        "has no source",
                    ));
                }
                if b.email.is_none() && b.web.is_none() {
                    return Err(Error::invalid(
                        FILE,
                        format!("{code}.brand_report"),
                        "needs an email or a web address",
                    ));
                }
            }
        }
        Ok(Countries {
            by_code: raw.country,
        })
    }

    /// A country by code (`jp` or `JP`).
    pub fn get(&self, code: &str) -> Option<&Country> {
        self.by_code.get(&code.to_ascii_uppercase())
    }

    /// The country whose dialling prefix starts an E.164 number, longest prefix first.
    pub fn by_phone(&self, e164: &str) -> Option<&str> {
        self.by_code
            .iter()
            .filter_map(|(code, c)| {
                let p = c.phone_prefix.as_deref()?;
                e164.starts_with(p).then_some((p.len(), code.as_str()))
            })
            .max()
            .map(|(_, code)| code)
    }
}
