//! The brand profile: who the brand is and what it really does.

use crate::{Error, parse_toml};
use regex::Regex;
use serde::Deserialize;

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBrand {
    id: String,
    name: String,
    names: Vec<String>,
    claim_patterns: Vec<String>,
    speaks_as_patterns: Vec<String>,
    legit_domains: Vec<String>,
    short_domains: Vec<String>,
    sender_domains: Vec<String>,
    phone_numbers: Vec<String>,
    short_codes: Vec<String>,
    order_number_patterns: Vec<String>,
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
    /// Matches a brand name as a whole word in normalised text.
    pub name_re: Regex,
    /// Matches phrases that claim the brand in normalised text.
    pub claim_re: Regex,
    /// Matches the stronger phrases that speak *as* the brand ("this is Amazon").
    pub speaks_as_re: Regex,
    /// Registrable domains the brand uses.
    pub legit_domains: Vec<String>,
    /// The brand's own link shorteners.
    pub short_domains: Vec<String>,
    /// Domains that send the brand's mail.
    pub sender_domains: Vec<String>,
    /// The brand's real phone numbers (E.164).
    pub phone_numbers: Vec<String>,
    /// The brand's SMS short codes.
    pub short_codes: Vec<String>,
    /// Order-number formats.
    pub order_res: Vec<Regex>,
    /// What the brand never does.
    pub never: NeverAsks,
    /// Where to report.
    pub report: BrandReport,
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
        for (field, list) in [
            ("legit_domains", &raw.legit_domains),
            ("short_domains", &raw.short_domains),
            ("sender_domains", &raw.sender_domains),
        ] {
            for d in list {
                check_domain(field, d)?;
            }
        }
        if raw.legit_domains.is_empty() {
            return Err(Error::invalid(
                FILE,
                "legit_domains",
                "needs at least one domain",
            ));
        }
        for p in &raw.phone_numbers {
            let digits = p.strip_prefix('+').unwrap_or("");
            if digits.len() < 8 || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(Error::invalid(
                    FILE,
                    "phone_numbers",
                    format!("`{p}` is not E.164 (+ and 8 to 15 digits)"),
                ));
            }
        }
        for c in &raw.short_codes {
            if !(3..=8).contains(&c.len()) || !c.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::invalid(
                    FILE,
                    "short_codes",
                    format!("`{c}` is not 3 to 8 digits"),
                ));
            }
        }
        let names_alt = raw
            .names
            .iter()
            .map(|n| name_pattern(n))
            .collect::<Vec<_>>()
            .join("|");
        let name_re = compile("names", &format!(r"\b(?:{names_alt})\b"))?;
        let claim_alt = raw
            .claim_patterns
            .iter()
            .map(|p| format!("(?:{p})"))
            .collect::<Vec<_>>()
            .join("|");
        let claim_re = compile("claim_patterns", &format!(r"\b(?:{claim_alt})\b"))?;
        let speaks_alt = raw
            .speaks_as_patterns
            .iter()
            .map(|p| format!("(?:{p})"))
            .collect::<Vec<_>>()
            .join("|");
        let speaks_as_re = compile("speaks_as_patterns", &format!(r"\b(?:{speaks_alt})\b"))?;
        let order_res = raw
            .order_number_patterns
            .iter()
            .map(|p| compile("order_number_patterns", p))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Brand {
            id: raw.id,
            name: raw.name,
            names: raw.names,
            name_re,
            claim_re,
            speaks_as_re,
            legit_domains: raw.legit_domains,
            short_domains: raw.short_domains,
            sender_domains: raw.sender_domains,
            phone_numbers: raw.phone_numbers,
            short_codes: raw.short_codes,
            order_res,
            never: raw.never,
            report: raw.report,
        })
    }

    /// True when `host` is one of the brand's domains or a sub-domain of one.
    pub fn is_legit_domain(&self, host: &str) -> bool {
        in_domains(&self.legit_domains, host) || in_domains(&self.short_domains, host)
    }

    /// True when `host` is one of the brand's short-link domains.
    pub fn is_short_domain(&self, host: &str) -> bool {
        in_domains(&self.short_domains, host)
    }

    /// True when `host` may send the brand's mail.
    pub fn is_sender_domain(&self, host: &str) -> bool {
        in_domains(&self.sender_domains, host)
    }

    /// True when `e164` is one of the brand's real numbers.
    pub fn is_brand_phone(&self, e164: &str) -> bool {
        self.phone_numbers.iter().any(|p| p == e164)
    }

    /// True when `value` has the brand's order-number format.
    /// A leading `#` and surrounding space are ignored.
    pub fn is_order_number(&self, value: &str) -> bool {
        let value = value.trim().trim_start_matches('#').trim();
        self.order_res.iter().any(|r| r.is_match(value))
    }

    /// The canonical name (`amazon`).
    pub fn canonical(&self) -> &str {
        &self.names[0]
    }
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
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    list.iter().any(|d| {
        host == *d
            || (host.len() > d.len()
                && host.ends_with(d.as_str())
                && host.as_bytes()[host.len() - d.len() - 1] == b'.')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_profiles() {
        let good = crate::AMAZON_TOML;
        assert!(Brand::from_toml(good).is_ok());
        let bad_phone = good.replace("+18882804331", "1-888-280-4331");
        assert!(
            Brand::from_toml(&bad_phone)
                .unwrap_err()
                .to_string()
                .contains("phone_numbers")
        );
        let bad_domain = good.replace("\"amazon.ca\"", "\"Amazon.CA\"");
        assert!(
            Brand::from_toml(&bad_domain)
                .unwrap_err()
                .to_string()
                .contains("legit_domains")
        );
        let bad_re = good.replace(r"'^\d{3}-\d{7}-\d{7}$'", "'(unclosed'");
        assert!(
            Brand::from_toml(&bad_re)
                .unwrap_err()
                .to_string()
                .contains("order_number_patterns")
        );
        assert!(Brand::from_toml("id = 1").is_err());
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
    fn domain_suffix_matching() {
        let list = vec!["amazon.com".to_string()];
        assert!(in_domains(&list, "amazon.com"));
        assert!(in_domains(&list, "smile.amazon.com"));
        assert!(!in_domains(&list, "fakeamazon.com"));
        assert!(!in_domains(&list, "amazon.com.evil.xyz"));
    }
}
