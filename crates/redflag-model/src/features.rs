//! The text the model reads.

use redflag_extract::Indicators;
use redflag_message::{Message, prefix_chars};
use std::borrow::Cow;

/// Most characters of body text the model reads.
const MAX_BODY_CHARS: usize = 3000;

/// Builds the model's input for a message: the subject and body (lowercased, with email
/// addresses and their domains replaced by `emailaddr` / `emaildomain`), then marker words
/// for the sender (`sender_name_<word>` for each display-name word, `sender_tld_<tld>`,
/// `sender_phone`, `sender_shortcode`) and the links (`link_tld_<tld>`, `link_ip`,
/// `link_count_<n>`).
///
/// Full domains are deliberately left out: in public corpora they identify the mailing list
/// or honeypot a message came from, which a model would learn instead of the scam.
pub fn features(msg: &Message, ind: &Indicators) -> String {
    let mut out = String::new();
    let content = msg.content_span();
    let body = msg.text.get(content.range()).unwrap_or("");
    // The first MAX_BODY_CHARS characters, borrowed; copied only when a replacement below
    // changes them (`str::replace` copies the whole text even when nothing matches).
    let mut text = Cow::Borrowed(prefix_chars(body, MAX_BODY_CHARS));
    let replace = |text: &mut Cow<'_, str>, from: &str, to: &str| {
        if text.contains(from) {
            *text = Cow::Owned(text.replace(from, to));
        }
    };
    // Addresses first, then any leftover mention of their domains.
    let mut domains: Vec<&str> = Vec::new();
    for e in &ind.emails {
        replace(&mut text, &e.address, " emailaddr ");
        domains.push(&e.domain);
    }
    if let Some(s) = msg.sender.as_ref().filter(|s| s.value.contains('@')) {
        replace(&mut text, &s.value, " emailaddr ");
    }
    domains.sort_by_key(|d| std::cmp::Reverse(d.len()));
    domains.dedup();
    for d in &domains {
        if !d.is_empty() {
            replace(&mut text, d, " emaildomain ");
        }
    }
    out.push_str(&redflag_message::to_lowercase(&text));
    if let Some(s) = &msg.sender {
        use redflag_message::SenderKind;
        match s.kind {
            SenderKind::Phone => out.push_str(" sender_phone"),
            SenderKind::ShortCode => out.push_str(" sender_shortcode"),
            SenderKind::Email | SenderKind::Name => {}
        }
        if let Some(name) = s
            .display_name
            .as_deref()
            .or((s.kind == SenderKind::Name).then_some(s.value.as_str()))
        {
            for w in name
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .take(6)
            {
                out.push_str(" sender_name_");
                out.push_str(&w.to_lowercase());
            }
        }
        if let Some((_, domain)) = s.value.rsplit_once('@')
            && let Some(tld) = domain.rsplit('.').next()
        {
            out.push_str(" sender_tld_");
            out.push_str(&tld.to_lowercase());
        }
    }
    let mut links = 0;
    for u in ind.urls.iter().filter(|u| u.host.is_some()) {
        links += 1;
        if u.is_ip {
            out.push_str(" link_ip");
        } else if let Some(tld) = u.host.as_deref().and_then(|h| h.rsplit('.').next()) {
            out.push_str(" link_tld_");
            out.push_str(tld);
        }
        if u.obfuscated {
            out.push_str(" link_obfuscated");
        }
    }
    out.push_str(&format!(" link_count_{}", links.min(5)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use redflag_message::{Channel, TextInput, parse_text_message};

    #[test]
    fn scrubs_addresses_and_marks_the_sender_and_links() {
        let m = parse_text_message(TextInput {
            channel: Channel::Sms,
            text: "Hi jose@monkey.org, your monkey.org mailbox is full: https://fix.example.top/x",
            sender: Some("+14155550100"),
            subject: None,
        })
        .unwrap();
        let ind = redflag_extract::extract(&m, &redflag_profile::Profile::embedded().brand);
        let f = features(&m, &ind);
        assert!(!f.contains("jose"), "{f}");
        assert!(!f.contains("monkey.org"), "{f}");
        assert!(f.contains("emailaddr") && f.contains("emaildomain"), "{f}");
        assert!(f.contains("sender_phone"), "{f}");
        assert!(f.contains("link_tld_top"), "{f}");
        assert!(
            !f.contains("+14155550100"),
            "the sender line is not part of the text: {f}"
        );
    }
}
