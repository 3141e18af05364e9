//! Facts common to all brands.

use crate::{Error, parse_toml};
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
}

impl Common {
    /// Parses and checks the common facts.
    pub fn from_toml(text: &str) -> Result<Common, Error> {
        let c: Common = parse_toml("common.toml", text)?;
        for (field, list) in [
            ("free_mail", &c.free_mail),
            ("shorteners", &c.shorteners),
            ("risky_tlds", &c.risky_tlds),
            ("risky_extensions", &c.risky_extensions),
            ("remote_tools", &c.remote_tools),
            ("macro_extensions", &c.macro_extensions),
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
        Ok(c)
    }

    /// True for a free-mail registrable domain.
    pub fn is_free_mail(&self, registrable: &str) -> bool {
        self.free_mail.iter().any(|d| d == registrable)
    }

    /// True for a link-shortener host.
    pub fn is_shortener(&self, host: &str) -> bool {
        crate::brand::in_domains(&self.shorteners, host)
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
