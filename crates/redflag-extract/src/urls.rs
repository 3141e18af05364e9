//! Links and email addresses.

use redflag_message::{Message, Span};
use serde::Serialize;

/// Where a link was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UrlSource {
    /// An HTML `<a href>`; the span is the link's visible text.
    Anchor,
    /// A URL or bare domain written in the text.
    Text,
}

/// A link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UrlRef {
    /// Where it is in `Message::text` (the anchor text for anchors, the URL itself otherwise).
    pub span: Span,
    /// The URL, de-obfuscated (`hxxp` → `http`, `[.]` → `.`) and with a scheme added when the
    /// text had none.
    pub url: String,
    /// Where it was found.
    pub source: UrlSource,
    /// The visible text of an anchor (trimmed), `None` for text links.
    pub link_text: Option<String>,
    /// Host, lowercase ASCII (punycode for IDNs); `None` when the URL has no host
    /// (`mailto:`, `tel:`, unparsable).
    pub host: Option<String>,
    /// The host's Unicode form, when it differs from `host`.
    pub host_unicode: Option<String>,
    /// Registrable domain of the host (eTLD+1), lowercase ASCII.
    pub registrable: Option<String>,
    /// Scheme, lowercase (`http`, `https`, `mailto`, `tel`, ...).
    pub scheme: String,
    /// The path and query (`/x?y=1`), for brand-in-path checks.
    pub path: String,
    /// The host is an IP address.
    pub is_ip: bool,
    /// The text hid the link (`hxxp://`, `amazon[.]com`, `amazon(dot)com`).
    pub obfuscated: bool,
    /// The URL carries user info (`https://amazon.com@evil.example/`).
    pub has_userinfo: bool,
}

/// An email address written in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmailRef {
    /// Where it is.
    pub span: Span,
    /// The address, lowercase.
    pub address: String,
    /// Domain part, lowercase ASCII.
    pub domain: String,
    /// Registrable domain of the domain part.
    pub registrable: Option<String>,
}

/// Finds links (HTML anchors from `msg.links`, URLs and bare domains in the text, obfuscated
/// forms) and email addresses. Deduplicates links with the same span and URL.
pub(crate) fn find(msg: &Message) -> (Vec<UrlRef>, Vec<EmailRef>) {
    let _ = msg;
    todo!()
}
