//! The brand profile: who the brand is and what it really does.
//!
//! A profile lists the brand's **marketplaces** (the countries or storefronts it trades in,
//! each with its own domains, senders, short links, phone numbers, text senders, languages and
//! order-number formats) and its **services** (sub-brands with domains of their own). Every
//! fact carries its source: a list that is not empty needs an entry of the same name in the
//! site's `sources` table, and what could not be confirmed is written in `unconfirmed`
//! instead of being guessed. The flat lists the rules use (`legit_domains`,
//! `sender_domains`...) are the union of the sites', built at load.

use crate::{Error, parse_toml};
use regex::Regex;
use serde::Deserialize;
use std::collections::BTreeMap;

const FILE: &str = "brand profile";

/// What the brand says it never does, one sentence each.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct NeverAsks {
    /// Passwords and one-time codes.
    pub credentials: String,
    /// Card numbers.
    pub card: String,
    /// Bank accounts.
    pub bank: String,
    /// Social Security numbers and tax IDs.
    pub ssn: String,
    /// Identity questions.
    pub identity: String,
    /// Remote access and installs.
    pub remote: String,
    /// Payment outside the website.
    pub payment: String,
    /// What real links look like.
    pub links: String,
    /// Callback numbers.
    pub callback: String,
    /// Pressure.
    pub pressure: String,
    /// Orders.
    pub orders: String,
}

/// Where to report to the brand.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct BrandReport {
    /// Address to forward suspicious email to (as an attachment).
    pub email: String,
    /// Web form.
    pub web: String,
    /// Address for people who are not customers.
    pub non_customer_email: String,
    /// How to report, in plain words.
    pub how: String,
    /// How to check for yourself, in plain words.
    pub verify: String,
}

/// Whether a site is a marketplace (a country's storefront) or a service (a sub-brand).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteKind {
    /// A country or storefront (`amazon.co.jp`).
    Marketplace,
    /// A service or sub-brand with domains of its own (AWS, Audible).
    Service,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSite {
    #[serde(default)]
    code: Option<String>,
    name: String,
    #[serde(default)]
    domains: Vec<String>,
    #[serde(default)]
    sender_domains: Vec<String>,
    #[serde(default)]
    senders: Vec<String>,
    #[serde(default)]
    short_domains: Vec<String>,
    #[serde(default)]
    phone_numbers: Vec<String>,
    #[serde(default)]
    sms_senders: Vec<String>,
    #[serde(default)]
    languages: Vec<String>,
    #[serde(default)]
    order_number_patterns: Vec<String>,
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    sources: BTreeMap<String, String>,
    #[serde(default)]
    unconfirmed: Vec<String>,
}

/// One marketplace or service of the brand, with the sources of its facts.
#[derive(Debug, Clone)]
pub struct Site {
    /// Marketplace or service.
    pub kind: SiteKind,
    /// Marketplace code (`JP`, `UK`); none for services.
    pub code: Option<String>,
    /// Display name (`Amazon.co.jp`, `AWS`).
    pub name: String,
    /// Registrable domains of its websites.
    pub domains: Vec<String>,
    /// Domains its mail comes from (`From`, DKIM `d=`).
    pub sender_domains: Vec<String>,
    /// Sender addresses seen in its real mail (lowercase).
    pub senders: Vec<String>,
    /// Its own link-shortener domains.
    pub short_domains: Vec<String>,
    /// Its customer-service numbers (E.164).
    pub phone_numbers: Vec<String>,
    /// The SMS short codes and sender IDs it texts from (short codes as digits; sender IDs
    /// uppercase, without an operator's prefix).
    pub sms_senders: Vec<String>,
    /// Languages its messages are written in (ISO 639-1).
    pub languages: Vec<String>,
    /// Currency (ISO 4217), when known.
    pub currency: Option<String>,
    /// Where each fact comes from: fact name → URL.
    pub sources: BTreeMap<String, String>,
    /// What could not be confirmed, in words.
    pub unconfirmed: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBrand {
    id: String,
    name: String,
    names: Vec<String>,
    #[serde(default)]
    short_names: Vec<String>,
    claim_patterns: Vec<String>,
    speaks_as_patterns: Vec<String>,
    order_number_patterns: Vec<String>,
    #[serde(default)]
    customer_hosting: Vec<String>,
    #[serde(default)]
    customer_hosting_source: Option<String>,
    #[serde(default)]
    statement_names: Vec<String>,
    #[serde(default)]
    statement_names_source: Option<String>,
    #[serde(default)]
    service_endpoints: Vec<String>,
    #[serde(default)]
    service_endpoints_source: Option<String>,
    #[serde(default)]
    marketplace: Vec<RawSite>,
    #[serde(default)]
    service: Vec<RawSite>,
    never: NeverAsks,
    report: BrandReport,
}

/// A brand profile, validated.
#[derive(Debug, Clone)]
pub struct Brand {
    /// Stable identifier (`amazon`).
    pub id: String,
    /// Display name (`Amazon`).
    pub name: String,
    /// Names as people write them, lowercase; the first is canonical.
    pub names: Vec<String>,
    /// Short forms of the name that look-alike domains use as a whole dash-separated part
    /// (`amzn-prime-regali.com`, `amz-navidad.com`), lowercase.
    pub short_names: Vec<String>,
    /// Matches a brand name as a whole word in normalised text.
    pub name_re: Regex,
    /// Matches phrases that claim the brand in normalised text.
    pub claim_re: Regex,
    /// Matches the stronger phrases that speak *as* the brand ("this is Amazon").
    pub speaks_as_re: Regex,
    /// The brand's marketplaces, in file order.
    pub marketplaces: Vec<Site>,
    /// The brand's services, in file order.
    pub services: Vec<Site>,
    /// Registrable domains the brand uses (every site's `domains` and `sender_domains`).
    pub legit_domains: Vec<String>,
    /// The brand's own link shorteners.
    pub short_domains: Vec<String>,
    /// Domains that send the brand's mail.
    pub sender_domains: Vec<String>,
    /// Domains the brand owns but where its customers publish their own pages (cloud
    /// storage, app hosting): a link there is not the brand speaking.
    pub customer_hosting: Vec<String>,
    /// Hosts on the customer hosting that are the brand's own service endpoints
    /// (`sns.us-east-1.amazonaws.com`), as whole-host patterns.
    pub service_endpoints: Vec<Regex>,
    /// The brand's real phone numbers (E.164).
    pub phone_numbers: Vec<String>,
    /// The brand's SMS short codes (digits).
    pub short_codes: Vec<String>,
    /// The brand's alphanumeric SMS sender IDs (uppercase).
    pub sender_ids: Vec<String>,
    /// Order-number formats.
    pub order_res: Vec<Regex>,
    /// The same formats unanchored, for finding order numbers in a text (any letter case,
    /// ASCII word boundaries); `None` when the profile lists none.
    order_finder: Option<Regex>,
    /// How the brand appears as the merchant on card statements and payment alerts
    /// (`AMZN Mktp US*2K4L71`), case-insensitive, on the original text; `None` when the
    /// profile lists none.
    pub statement_re: Option<Regex>,
    /// What the brand never does.
    pub never: NeverAsks,
    /// Where to report.
    pub report: BrandReport,
    /// `legit_domains` and `short_domains`, indexed by domain.
    legit_set: DomainSet,
    /// `sender_domains`, indexed by domain.
    sender_set: DomainSet,
    /// Every site's web, sender and short-link domains, to the index of the first site (in
    /// [`Brand::sites`] order) that lists it.
    site_index: rustc_hash::FxHashMap<String, usize>,
}

/// A set of domains that answers "is this host one of them or below one?" with one lookup
/// per label of the host, however long the list: the checks run for every link of a message.
#[derive(Debug, Clone, Default)]
pub(crate) struct DomainSet(rustc_hash::FxHashSet<String>);

impl DomainSet {
    pub(crate) fn new<'a>(domains: impl IntoIterator<Item = &'a String>) -> DomainSet {
        DomainSet(
            domains
                .into_iter()
                .map(|d| d.trim_end_matches('.').to_ascii_lowercase())
                .collect(),
        )
    }

    /// The set that answers as [`in_domains`] of `list` does. An entry that ends with a dot
    /// is left out: no host, its own final dots trimmed, ends with one.
    pub(crate) fn of_list(list: &[String]) -> DomainSet {
        DomainSet::new(list.iter().filter(|d| !d.ends_with('.')))
    }

    /// The longest of the set's domains that `host` is or is below.
    pub(crate) fn find<'s>(&'s self, host: &str) -> Option<&'s str> {
        first_suffix(host, |d| self.0.get(d).map(String::as_str))
    }

    pub(crate) fn contains_host(&self, host: &str) -> bool {
        self.find(host).is_some()
    }
}

/// `look` asked about a host, lowercase and without a final dot, then about each of its
/// parent domains (`a.b.example.com`, `b.example.com`, `example.com`, `com`) until it
/// answers.
///
/// A loop over the host's bytes, lowered once and only when it has a capital: hosts are a
/// few dozen bytes, and an iterator of suffixes (a `memchr` call per label, a copy of each
/// suffix of a capitalised host) cost more than the lookups.
fn first_suffix<T>(host: &str, mut look: impl FnMut(&str) -> Option<T>) -> Option<T> {
    let host = host.trim_end_matches('.');
    let lowered;
    let host = match host.bytes().any(|b| b.is_ascii_uppercase()) {
        true => {
            lowered = host.to_ascii_lowercase();
            lowered.as_str()
        }
        false => host,
    };
    let bytes = host.as_bytes();
    let mut at = 0;
    loop {
        if let Some(found) = look(&host[at..]) {
            return Some(found);
        }
        match bytes[at..].iter().position(|&b| b == b'.') {
            Some(i) if at + i + 1 < bytes.len() => at += i + 1,
            _ => return None,
        }
    }
}

impl RawSite {
    /// The facts a site may list, with how many values each has; a fact with values needs a
    /// source of the same name.
    fn facts(&self) -> [(&'static str, usize); 8] {
        [
            ("domains", self.domains.len()),
            ("sender_domains", self.sender_domains.len()),
            ("senders", self.senders.len()),
            ("short_domains", self.short_domains.len()),
            ("phone_numbers", self.phone_numbers.len()),
            ("sms_senders", self.sms_senders.len()),
            ("languages", self.languages.len()),
            ("order_number_patterns", self.order_number_patterns.len()),
        ]
    }
}

/// A brand-wide list that is not empty needs its source (`<field>_source`).
fn sourced(field: &str, list: &[String], source: &Option<String>) -> Result<(), Error> {
    if list.is_empty() || source.is_some() {
        Ok(())
    } else {
        Err(Error::invalid(
            FILE,
            format!("{field}_source"),
            format!("{field} needs a source"),
        ))
    }
}

impl Brand {
    /// Parses and validates a brand profile.
    pub fn from_toml(text: &str) -> Result<Brand, Error> {
        let raw: RawBrand = parse_toml(FILE, text)?;
        if raw.id.is_empty()
            || !raw
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(Error::invalid(
                FILE,
                "id",
                "must be lowercase letters, digits and dashes",
            ));
        }
        if raw.names.is_empty() {
            return Err(Error::invalid(FILE, "names", "needs at least one name"));
        }
        for n in &raw.names {
            if n.trim().is_empty() || n != &n.to_lowercase() {
                return Err(Error::invalid(
                    FILE,
                    "names",
                    format!("`{n}` must be non-empty lowercase"),
                ));
            }
        }
        for d in &raw.customer_hosting {
            check_domain("customer_hosting", d)?;
        }
        sourced(
            "customer_hosting",
            &raw.customer_hosting,
            &raw.customer_hosting_source,
        )?;
        sourced(
            "service_endpoints",
            &raw.service_endpoints,
            &raw.service_endpoints_source,
        )?;
        let service_endpoints = raw
            .service_endpoints
            .iter()
            .map(|p| compile("service_endpoints", &format!("^(?:{p})$")))
            .collect::<Result<Vec<_>, _>>()?;
        sourced(
            "statement_names",
            &raw.statement_names,
            &raw.statement_names_source,
        )?;
        let statement_re = if raw.statement_names.is_empty() {
            None
        } else {
            let alt = raw
                .statement_names
                .iter()
                .map(|p| format!("(?:{p})"))
                .collect::<Vec<_>>()
                .join("|");
            Some(compile(
                "statement_names",
                &format!(r"(?i)(?-u:\b)(?:{alt})"),
            )?)
        };
        let mut order_patterns = raw.order_number_patterns.clone();
        let mut marketplaces = Vec::new();
        let mut services = Vec::new();
        for (kind, list, table) in [
            (SiteKind::Marketplace, raw.marketplace, "marketplace"),
            (SiteKind::Service, raw.service, "service"),
        ] {
            for s in list {
                let field = format!("{table} `{}`", s.name);
                let site = site(kind, s, &field, &raw.customer_hosting)?;
                match kind {
                    SiteKind::Marketplace => marketplaces.push(site.0),
                    SiteKind::Service => services.push(site.0),
                }
                order_patterns.extend(site.1);
            }
        }
        let all: Vec<&Site> = marketplaces.iter().chain(&services).collect();
        let union = |f: fn(&Site) -> &Vec<String>| -> Vec<String> {
            let mut v: Vec<String> = all.iter().flat_map(|s| f(s).iter().cloned()).collect();
            v.sort();
            v.dedup();
            v
        };
        let mut legit_domains = union(|s| &s.domains);
        legit_domains.extend(union(|s| &s.sender_domains));
        legit_domains.sort();
        legit_domains.dedup();
        if legit_domains.is_empty() {
            return Err(Error::invalid(
                FILE,
                "marketplace",
                "needs at least one site with domains",
            ));
        }
        let sms = union(|s| &s.sms_senders);
        let (short_codes, sender_ids): (Vec<String>, Vec<String>) = sms
            .into_iter()
            .partition(|s| s.bytes().all(|b| b.is_ascii_digit()));
        order_patterns.sort();
        order_patterns.dedup();
        // Whole words, except in scripts written without spaces (`アマゾン` inside a run
        // of Japanese).
        let alternatives = |list: &[String], quote: bool| {
            list.iter()
                .map(|p| {
                    let p = if quote { name_pattern(p) } else { p.clone() };
                    if p.chars().any(crate::lang::unspaced_script) {
                        format!("(?:{p})")
                    } else if quote {
                        // A name in Latin letters ends where the Latin letters end:
                        // `amazonアカウント` names Amazon (text is de-accented first).
                        format!(r"(?-u:\b)(?:{p})(?-u:\b)")
                    } else {
                        let p = crate::lang::ascii_boundaries(&p);
                        format!(r"(?-u:\b)(?:{p})(?-u:\b)")
                    }
                })
                .collect::<Vec<_>>()
                .join("|")
        };
        let name_re = compile("names", &alternatives(&raw.names, true))?;
        let claim_re = compile("claim_patterns", &alternatives(&raw.claim_patterns, false))?;
        let speaks_as_re = compile(
            "speaks_as_patterns",
            &alternatives(&raw.speaks_as_patterns, false),
        )?;
        let order_res = order_patterns
            .iter()
            .map(|p| compile("order_number_patterns", p))
            .collect::<Result<Vec<_>, _>>()?;
        let order_finder = (!order_patterns.is_empty())
            .then(|| {
                let alternatives: Vec<String> = order_patterns
                    .iter()
                    .map(|p| {
                        let p = p.strip_prefix('^').unwrap_or(p);
                        format!("(?:{})", p.strip_suffix('$').unwrap_or(p))
                    })
                    .collect();
                compile(
                    "order_number_patterns",
                    &format!(r"(?i)(?-u:\b)(?:{})(?-u:\b)", alternatives.join("|")),
                )
            })
            .transpose()?;
        let short_domains = union(|s| &s.short_domains);
        let legit_set = DomainSet::new(legit_domains.iter().chain(&short_domains));
        let mut site_index = rustc_hash::FxHashMap::default();
        for (i, s) in marketplaces.iter().chain(&services).enumerate() {
            for d in s
                .domains
                .iter()
                .chain(&s.sender_domains)
                .chain(&s.short_domains)
            {
                site_index
                    .entry(d.trim_end_matches('.').to_ascii_lowercase())
                    .or_insert(i);
            }
        }
        let sender_domains = union(|s| &s.sender_domains);
        Ok(Brand {
            legit_set,
            sender_set: DomainSet::of_list(&sender_domains),
            site_index,
            id: raw.id,
            name: raw.name,
            names: raw.names,
            short_names: raw.short_names.iter().map(|n| n.to_lowercase()).collect(),
            name_re,
            claim_re,
            speaks_as_re,
            short_domains,
            sender_domains,
            phone_numbers: union(|s| &s.phone_numbers),
            legit_domains,
            short_codes,
            sender_ids,
            customer_hosting: raw.customer_hosting,
            service_endpoints,
            marketplaces,
            services,
            order_res,
            order_finder,
            statement_re,
            never: raw.never,
            report: raw.report,
        })
    }

    /// Every site: the marketplaces, then the services.
    pub fn sites(&self) -> impl Iterator<Item = &Site> {
        self.marketplaces.iter().chain(&self.services)
    }

    /// True when `host` is one of the brand's domains or a sub-domain of one, and not on the
    /// brand's customer hosting (`bucket.s3.amazonaws.com` is a customer's page), or one of
    /// the brand's own service endpoints there.
    pub fn is_legit_domain(&self, host: &str) -> bool {
        if self.is_customer_hosting(host) {
            return self.is_service_endpoint(host);
        }
        self.legit_set.contains_host(host)
    }

    /// True when `host` is on a domain the brand owns but lets its customers publish on.
    pub fn is_customer_hosting(&self, host: &str) -> bool {
        in_domains(&self.customer_hosting, host)
    }

    /// True when `host` is one of the brand's own service endpoints on its customer hosting.
    pub fn is_service_endpoint(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.service_endpoints.iter().any(|r| r.is_match(&host))
    }

    /// True when the brand owns `host`'s domain, its customers' hosting included: such a
    /// host is never a look-alike of the brand, whoever's page it is.
    pub fn owns(&self, host: &str) -> bool {
        self.legit_set.contains_host(host) || self.is_customer_hosting(host)
    }

    /// The part of a host on the brand's customer hosting that the customer chose
    /// (`amazon-login` in `amazon-login.s3.amazonaws.com`, with the service labels left in);
    /// `None` for other hosts and for the brand's own endpoints.
    pub fn customer_part<'h>(&self, host: &'h str) -> Option<&'h str> {
        if self.is_service_endpoint(host) {
            return None;
        }
        let lower = host.to_ascii_lowercase();
        self.customer_hosting
            .iter()
            .filter(|d| in_domains(std::slice::from_ref(*d), &lower))
            .map(|d| &host[..host.len().saturating_sub(d.len() + 1)])
            .next()
    }

    /// The site that owns `host` (its web, sender or short-link domains), most specific
    /// domain first: `aws.amazon.com` is AWS, not Amazon.com.
    pub fn site_of_host(&self, host: &str) -> Option<&Site> {
        if self.is_customer_hosting(host) {
            return None;
        }
        // The host's own name first, then its parents: the first listed is the most specific.
        let i = first_suffix(host, |d| self.site_index.get(d).copied())?;
        self.sites().nth(i)
    }

    /// True when `host` is one of the brand's short-link domains.
    pub fn is_short_domain(&self, host: &str) -> bool {
        in_domains(&self.short_domains, host)
    }

    /// True when `host` may send the brand's mail.
    pub fn is_sender_domain(&self, host: &str) -> bool {
        self.sender_set.contains_host(host)
    }

    /// True when `e164` is one of the brand's real numbers.
    pub fn is_brand_phone(&self, e164: &str) -> bool {
        self.phone_numbers.iter().any(|p| p == e164)
    }

    /// The site whose customer-service number `e164` is.
    pub fn site_of_phone(&self, e164: &str) -> Option<&Site> {
        self.sites()
            .find(|s| s.phone_numbers.iter().any(|p| p == e164))
    }

    /// True when `value` has the brand's order-number format.
    /// A leading `#` and surrounding space are ignored.
    pub fn is_order_number(&self, value: &str) -> bool {
        let value = value.trim().trim_start_matches('#').trim();
        self.order_res.iter().any(|r| r.is_match(value))
    }

    /// Where a text quotes order numbers in the brand's format (in any letter case), as byte
    /// ranges, left to right: `112-1234567-1234567`, `d01-7654321-7654321`. The formats are
    /// the profile's `order_number_patterns`, the one place they are written.
    pub fn order_numbers<'t>(
        &'t self,
        text: &'t str,
    ) -> impl Iterator<Item = std::ops::Range<usize>> + 't {
        self.order_finder
            .iter()
            .flat_map(move |re| re.find_iter(text).map(|m| m.range()))
    }

    /// The canonical name (`amazon`).
    pub fn canonical(&self) -> &str {
        &self.names[0]
    }
}

/// Checks one site and returns it with its order-number patterns.
fn site(
    kind: SiteKind,
    s: RawSite,
    field: &str,
    customer_hosting: &[String],
) -> Result<(Site, Vec<String>), Error> {
    if s.name.trim().is_empty() {
        return Err(Error::invalid(FILE, field, "needs a name"));
    }
    if kind == SiteKind::Marketplace
        && !s.code.as_deref().is_some_and(|c| {
            (2..=6).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_uppercase())
        })
    {
        return Err(Error::invalid(
            FILE,
            field,
            "a marketplace needs an uppercase `code` (`JP`)",
        ));
    }
    for (name, list) in [
        ("domains", &s.domains),
        ("sender_domains", &s.sender_domains),
        ("short_domains", &s.short_domains),
    ] {
        for d in list {
            check_domain(&format!("{field}.{name}"), d)?;
            if in_domains(customer_hosting, d) {
                return Err(Error::invalid(
                    FILE,
                    format!("{field}.{name}"),
                    format!("`{d}` is customer hosting, not the brand's own site"),
                ));
            }
        }
    }
    for a in &s.senders {
        let ok = a == &a.to_lowercase()
            && a.rsplit_once('@').is_some_and(|(local, d)| {
                !local.is_empty() && (in_domains(&s.sender_domains, d) || in_domains(&s.domains, d))
            });
        if !ok {
            return Err(Error::invalid(
                FILE,
                format!("{field}.senders"),
                format!("`{a}` must be a lowercase address on one of the site's domains"),
            ));
        }
    }
    for p in &s.phone_numbers {
        let digits = p.strip_prefix('+').unwrap_or("");
        if digits.len() < 8 || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid(
                FILE,
                format!("{field}.phone_numbers"),
                format!("`{p}` is not E.164 (+ and 8 to 15 digits)"),
            ));
        }
    }
    for c in &s.sms_senders {
        let code = c.bytes().all(|b| b.is_ascii_digit()) && (3..=8).contains(&c.len());
        let id = c.bytes().any(|b| b.is_ascii_uppercase())
            && c.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && (3..=11).contains(&c.len());
        if !code && !id {
            return Err(Error::invalid(
                FILE,
                format!("{field}.sms_senders"),
                format!("`{c}` is neither a short code (3 to 8 digits) nor an uppercase sender ID"),
            ));
        }
    }
    for l in &s.languages {
        if l.len() != 2 || !l.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(Error::invalid(
                FILE,
                format!("{field}.languages"),
                format!("`{l}` is not an ISO 639-1 code"),
            ));
        }
    }
    for p in &s.order_number_patterns {
        compile(&format!("{field}.order_number_patterns"), p)?;
    }
    let facts = s.facts();
    for (fact, list_len) in facts {
        if list_len > 0 && !s.sources.contains_key(fact) {
            return Err(Error::invalid(
                FILE,
                format!("{field}.sources"),
                format!("`{fact}` has no source"),
            ));
        }
    }
    for (fact, url) in &s.sources {
        if !facts.iter().any(|(f, _)| f == fact) && fact != "currency" {
            return Err(Error::invalid(
                FILE,
                format!("{field}.sources"),
                format!("`{fact}` is not a fact of a site"),
            ));
        }
        if url.trim().len() < 8 {
            return Err(Error::invalid(
                FILE,
                format!("{field}.sources.{fact}"),
                "needs a web address or a named document",
            ));
        }
    }
    let patterns = s.order_number_patterns.clone();
    Ok((
        Site {
            kind,
            code: s.code,
            name: s.name,
            domains: s.domains,
            sender_domains: s.sender_domains,
            senders: s.senders,
            short_domains: s.short_domains,
            phone_numbers: s.phone_numbers,
            sms_senders: s.sms_senders,
            languages: s.languages,
            currency: s.currency,
            sources: s.sources,
            unconfirmed: s.unconfirmed,
        },
        patterns,
    ))
}

/// A name as a pattern: dots literal, spaces match one space.
fn name_pattern(name: &str) -> String {
    regex::escape(name)
}

fn compile(field: &str, pattern: &str) -> Result<Regex, Error> {
    Regex::new(pattern).map_err(|e| Error::invalid(FILE, field, e.to_string()))
}

fn check_domain(field: &str, d: &str) -> Result<(), Error> {
    let ok = !d.is_empty()
        && d.contains('.')
        && !d.starts_with('.')
        && !d.ends_with('.')
        && d.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            FILE,
            field,
            format!("`{d}` is not a lowercase domain name"),
        ))
    }
}

/// True when `host` equals a domain of the list or ends with `.` + one of them.
pub(crate) fn in_domains(list: &[String], host: &str) -> bool {
    // Compared without allocating: this runs for every link against every list.
    let host = host.trim_end_matches('.').as_bytes();
    list.iter().any(|d| {
        let d = d.as_bytes();
        host.len() >= d.len()
            && host[host.len() - d.len()..].eq_ignore_ascii_case(d)
            && (host.len() == d.len() || host[host.len() - d.len() - 1] == b'.')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_profiles() {
        let good = crate::AMAZON_TOML;
        assert!(Brand::from_toml(good).is_ok());
        let err = |text: &str| Brand::from_toml(text).unwrap_err().to_string();
        assert!(err(&good.replace("+18882804331", "1-888-280-4331")).contains("phone_numbers"));
        assert!(err(&good.replace("\"amazon.ca\"", "\"Amazon.CA\"")).contains("domains"));
        assert!(
            err(&good.replace(r"'^\d{3}-\d{7}-\d{7}$'", "'(unclosed'"))
                .contains("order_number_patterns")
        );
        assert!(Brand::from_toml("id = 1").is_err());
    }

    #[test]
    fn every_fact_needs_a_source() {
        let minimal = |site: &str| {
            format!(
                "{}\n{site}\n{}",
                r#"id = "x"
name = "X"
names = ["x"]
claim_patterns = ["x"]
speaks_as_patterns = ["x"]
order_number_patterns = []"#,
                crate::AMAZON_TOML
                    .split_once("\n[never]")
                    .map(|(_, rest)| format!("[never]{rest}"))
                    .unwrap()
            )
        };
        let ok = minimal(
            "[[marketplace]]\ncode = \"US\"\nname = \"X\"\ndomains = [\"x.example\"]\n\
             sources = { domains = \"https://x.example/help\" }",
        );
        assert!(
            Brand::from_toml(&ok).is_ok(),
            "{:?}",
            Brand::from_toml(&ok).err()
        );
        let unsourced = minimal(
            "[[marketplace]]\ncode = \"US\"\nname = \"X\"\ndomains = [\"x.example\"]\n\
             phone_numbers = [\"+18005550100\"]\nsources = { domains = \"https://x.example/help\" }",
        );
        assert!(
            Brand::from_toml(&unsourced)
                .unwrap_err()
                .to_string()
                .contains("`phone_numbers` has no source")
        );
        let off_site_sender = minimal(
            "[[marketplace]]\ncode = \"US\"\nname = \"X\"\ndomains = [\"x.example\"]\n\
             senders = [\"help@gmail.com\"]\n\
             sources = { domains = \"https://x.example/help\", senders = \"https://x.example/s\" }",
        );
        assert!(Brand::from_toml(&off_site_sender).is_err());
    }

    #[test]
    fn a_second_brand_is_just_a_file() {
        let other = crate::AMAZON_TOML
            .replace("id = \"amazon\"", "id = \"examplemart\"")
            .replace("name = \"Amazon\"", "name = \"ExampleMart\"")
            .replace("names = [\"amazon\",", "names = [\"examplemart\",");
        let b = Brand::from_toml(&other).unwrap();
        assert_eq!(b.name, "ExampleMart");
        assert!(b.name_re.is_match("your examplemart order"));
    }

    #[test]
    fn sites_and_customer_hosting() {
        let b = Brand::from_toml(crate::AMAZON_TOML).unwrap();
        assert!(b.is_legit_domain("www.amazon.co.jp"));
        assert!(b.is_legit_domain("amzn.asia"));
        assert!(b.is_legit_domain("a.co"));
        assert!(!b.is_legit_domain("evil-bucket.s3.amazonaws.com"));
        assert!(b.is_customer_hosting("ec2-198-51-100-1.compute-1.amazonaws.com"));
        assert!(b.is_legit_domain("sns.us-east-1.amazonaws.com"));
        assert!(b.is_legit_domain("email-verification.eu-west-1.amazonaws.com"));
        assert!(!b.is_legit_domain("sns.us-east-1.amazonaws.com.evil.example"));
        assert!(b.owns("evil-bucket.s3.amazonaws.com"));
        assert_eq!(
            b.customer_part("amazon-login.s3.amazonaws.com"),
            Some("amazon-login.s3")
        );
        assert_eq!(b.customer_part("sns.us-east-1.amazonaws.com"), None);
        assert_eq!(b.customer_part("www.amazon.com"), None);
        assert_eq!(
            b.site_of_host("www.amazon.co.jp")
                .and_then(|s| s.code.as_deref()),
            Some("JP")
        );
        assert!(
            b.site_of_host("aws.amazon.com")
                .is_some_and(|s| s.name == "AWS")
        );
        assert!(b.site_of_host("amazon.be").is_none(), "a Belgian insurer's");
        let st = b.statement_re.as_ref().unwrap();
        assert!(st.is_match("Your $54.12 transaction with AMAZON MKTPL*B73KD9QF2"));
        assert!(st.is_match("AMZN Mktp US*2K4L71 WA"));
        assert!(!st.is_match("Your Amazon account is locked"));
        for s in b.sites() {
            assert!(
                !s.domains.is_empty() || !s.sender_domains.is_empty(),
                "{} has no domains",
                s.name
            );
        }
    }

    #[test]
    fn domain_suffix_matching() {
        let list = vec!["amazon.com".to_string()];
        assert!(in_domains(&list, "amazon.com"));
        assert!(in_domains(&list, "smile.amazon.com"));
        assert!(!in_domains(&list, "fakeamazon.com"));
        assert!(!in_domains(&list, "amazon.com.evil.xyz"));
        assert!(in_domains(&list, "Smile.AMAZON.com."));
        assert!(!in_domains(&list, "com"));
    }

    /// The indexed set answers as the list does, most specific domain first.
    #[test]
    fn domain_set_matches_like_the_list() {
        let list = vec!["amazon.com".to_string(), "aws.amazon.com".to_string()];
        let set = DomainSet::new(&list);
        for host in [
            "amazon.com",
            "smile.amazon.com",
            "Smile.AMAZON.com.",
            "fakeamazon.com",
            "amazon.com.evil.xyz",
            "com",
            "",
            ".",
            "a..amazon.com",
        ] {
            assert_eq!(set.contains_host(host), in_domains(&list, host), "{host}");
        }
        assert_eq!(set.find("console.aws.amazon.com"), Some("aws.amazon.com"));
        assert_eq!(set.find("www.amazon.com"), Some("amazon.com"));
    }

    proptest::proptest! {
        /// The places asked about, in order, are the suffixes the iterator this replaced
        /// gave: the host lowered and without final dots, then each parent domain; on
        /// hosts of labels, capitals, empty labels, final dots and letters outside ASCII.
        #[test]
        fn first_suffix_asks_the_suffixes_in_order(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec!["a", "Amazon", "com", ".", "..", "-", "é", "xn--p1ai", "CO.UK"]),
                0..8,
            )
        ) {
            let host: String = pieces.concat();
            let trimmed = host.trim_end_matches('.').to_ascii_lowercase();
            let mut want = vec![trimmed.clone()];
            let mut at = 0;
            while let Some(i) = trimmed[at..].find('.').map(|i| at + i + 1).filter(|&i| i < trimmed.len()) {
                want.push(trimmed[i..].to_string());
                at = i;
            }
            let mut asked = Vec::new();
            let none: Option<()> = first_suffix(&host, |d| {
                asked.push(d.to_string());
                None
            });
            proptest::prop_assert_eq!(none, None);
            proptest::prop_assert_eq!(&asked, &want, "{:?}", host);
            // The first answer stops the walk and is returned: answer at each place in turn.
            for (k, place) in want.iter().enumerate() {
                let mut asks = 0;
                let found = first_suffix(&host, |d| {
                    asks += 1;
                    (d == place.as_str()).then_some(d.len())
                });
                proptest::prop_assert_eq!(found, Some(place.len()));
                proptest::prop_assert_eq!(asks, k + 1);
            }
        }
    }

    /// The sets built from the shipped lists (free hosting, shorteners, the brand's
    /// senders) answer as the lists did, for each domain of every list, the hosts below
    /// and around it, and an entry that ends with a dot.
    #[test]
    fn shipped_domain_sets_answer_as_their_lists() {
        let profile = crate::Profile::embedded();
        let (common, brand) = (&profile.common, &profile.brand);
        let every: Vec<&String> = common
            .free_hosting
            .iter()
            .chain(&common.shorteners)
            .chain(&brand.sender_domains)
            .collect();
        let mut hosts = vec![String::new(), ".".into(), "com".into()];
        for d in &every {
            let last = d.rsplit('.').next().unwrap_or("");
            hosts.extend([
                d.to_string(),
                format!("www.{d}"),
                format!("a..{d}"),
                d.to_uppercase(),
                format!("{d}."),
                format!("x{d}"),
                format!("{d}.evil.xyz"),
                d.chars().skip(1).collect(),
                last.to_string(),
            ]);
        }
        for host in &hosts {
            let h = host.as_str();
            assert_eq!(
                common.is_free_hosting(h),
                in_domains(&common.free_hosting, h),
                "{h}"
            );
            assert_eq!(
                common.is_shortener(h),
                in_domains(&common.shorteners, h),
                "{h}"
            );
            assert_eq!(
                brand.is_sender_domain(h),
                in_domains(&brand.sender_domains, h),
                "{h}"
            );
        }
        assert!(hosts.iter().any(|h| common.is_free_hosting(h)));
        assert!(hosts.iter().any(|h| common.is_shortener(h)));
        assert!(hosts.iter().any(|h| brand.is_sender_domain(h)));
        let dotted = vec!["x.com.".to_string(), "y.com".to_string()];
        let set = DomainSet::of_list(&dotted);
        for h in ["x.com", "x.com.", "a.x.com", "y.com", "a.y.com."] {
            assert_eq!(set.contains_host(h), in_domains(&dotted, h), "{h}");
        }
    }
}
