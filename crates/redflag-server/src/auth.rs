//! The hotline's token: `Authorization: Bearer` for the API, and for the hotline's web
//! view a signed session cookie, so the token itself is never stored in the browser.
//!
//! Tokens are compared in constant time (on their SHA-256, so lengths do not leak either).
//! A session is `v1.<expiry>.<nonce>.<HMAC-SHA256>`, keyed by a key derived from the token:
//! changing the token ends every session.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// How long a hotline session lasts.
pub(crate) const SESSION_SECS: u64 = 12 * 60 * 60;

/// The name of the session cookie.
pub(crate) const COOKIE: &str = "redflag_hotline";

/// The hotline's token, as kept in memory.
pub(crate) struct Token {
    hash: [u8; 32],
    key: [u8; 32],
}

impl Token {
    pub(crate) fn new(raw: &str) -> Token {
        let hash: [u8; 32] = Sha256::digest(raw.as_bytes()).into();
        let mut k = Sha256::new();
        k.update(b"redflag hotline session key\0");
        k.update(raw.as_bytes());
        Token {
            hash,
            key: k.finalize().into(),
        }
    }

    /// Whether `given` is the token, in constant time.
    pub(crate) fn matches(&self, given: &str) -> bool {
        let h: [u8; 32] = Sha256::digest(given.trim().as_bytes()).into();
        h.ct_eq(&self.hash).into()
    }

    /// Whether the `Authorization` header value carries the token.
    pub(crate) fn matches_bearer(&self, header: Option<&str>) -> bool {
        let Some(h) = header else { return false };
        let mut parts = h.trim().splitn(2, ' ');
        let scheme = parts.next().unwrap_or("");
        let value = parts.next().unwrap_or("").trim();
        scheme.eq_ignore_ascii_case("bearer") && !value.is_empty() && self.matches(value)
    }

    fn mac(&self, payload: &str) -> Hmac<Sha256> {
        let mut mac =
            <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key).expect("HMAC takes any key");
        mac.update(payload.as_bytes());
        mac
    }

    /// A new session value, valid for [`SESSION_SECS`] from `now` (Unix seconds).
    pub(crate) fn new_session(&self, now: u64) -> Option<String> {
        let mut nonce = [0u8; 16];
        getrandom::fill(&mut nonce).ok()?;
        let payload = format!("v1.{}.{}", now + SESSION_SECS, hex(&nonce));
        let tag = self.mac(&payload).finalize().into_bytes();
        Some(format!("{payload}.{}", hex(&tag)))
    }

    /// Whether `value` is a session this token made that has not expired at `now`.
    pub(crate) fn check_session(&self, value: &str, now: u64) -> bool {
        let Some((payload, tag)) = value.rsplit_once('.') else {
            return false;
        };
        let mut parts = payload.split('.');
        let (Some("v1"), Some(expiry), Some(_nonce), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return false;
        };
        let Ok(expiry) = expiry.parse::<u64>() else {
            return false;
        };
        let Some(tag) = unhex(tag) else { return false };
        self.mac(payload).verify_slice(&tag).is_ok() && now < expiry
    }
}

pub(crate) fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

/// The value of cookie `name` in a `Cookie` header.
pub(crate) fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_bearers() {
        let t = Token::new("correct horse battery staple");
        assert!(t.matches("correct horse battery staple"));
        assert!(!t.matches("correct horse battery stapler"));
        assert!(!t.matches(""));
        assert!(t.matches_bearer(Some("Bearer correct horse battery staple")));
        assert!(t.matches_bearer(Some("bearer   correct horse battery staple ")));
        assert!(!t.matches_bearer(Some("Basic correct horse battery staple")));
        assert!(!t.matches_bearer(Some("Bearer")));
        assert!(!t.matches_bearer(None));
    }

    #[test]
    fn sessions_expire_and_are_bound_to_the_token() {
        let t = Token::new("s3cret-token-for-tests");
        let s = t.new_session(1_000).unwrap();
        assert!(!s.contains("s3cret"));
        assert!(t.check_session(&s, 1_001));
        assert!(!t.check_session(&s, 1_000 + SESSION_SECS));
        assert!(!Token::new("another-token").check_session(&s, 1_001));
        // Tampering with the expiry breaks the signature.
        let forged = s.replacen(&format!("v1.{}", 1_000 + SESSION_SECS), "v1.99999999999", 1);
        assert!(!t.check_session(&forged, 1_001));
        assert!(!t.check_session("v1.1.2.zz", 0));
        assert!(!t.check_session("", 0));
    }

    #[test]
    fn reads_cookies() {
        assert_eq!(cookie("a=1; redflag_hotline=x.y; b=2", COOKIE), Some("x.y"));
        assert_eq!(cookie("a=1", COOKIE), None);
    }
}
