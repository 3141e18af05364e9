//! Advice texts.

use crate::{Error, parse_toml};
use serde::Deserialize;
use std::collections::BTreeMap;

/// One "if you already ..." block.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AlreadyStep {
    /// Heading ("If you already called the number").
    pub title: String,
    /// What to do, in order.
    pub steps: Vec<String>,
}

/// Advice: general steps, steps per scenario, and "if you already ..." steps.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Advice {
    /// First steps for any flagged message.
    pub general: Vec<String>,
    /// Steps for a clean verdict.
    pub clean: Vec<String>,
    /// Extra steps per scenario rule ID.
    pub scenario: BTreeMap<String, Vec<String>>,
    /// "If you already ..." blocks by key (`called`, `gift_cards`, `card`, `bank`, `remote`,
    /// `password`, `ssn`, `clicked`).
    pub already: BTreeMap<String, AlreadyStep>,
}

/// The "if you already ..." keys every advice file must have.
pub const ALREADY_KEYS: [&str; 8] = [
    "called",
    "gift_cards",
    "card",
    "bank",
    "remote",
    "password",
    "ssn",
    "clicked",
];

impl Advice {
    /// Parses and checks advice.
    pub fn from_toml(text: &str) -> Result<Advice, Error> {
        let a: Advice = parse_toml("advice", text)?;
        for k in ALREADY_KEYS {
            match a.already.get(k) {
                Some(s) if !s.steps.is_empty() => {}
                _ => {
                    return Err(Error::invalid(
                        "advice",
                        format!("already.{k}"),
                        "is missing or has no steps",
                    ));
                }
            }
        }
        if a.general.is_empty() || a.clean.is_empty() {
            return Err(Error::invalid(
                "advice",
                "general",
                "needs at least one step",
            ));
        }
        Ok(a)
    }
}
