//! The statistical text model's opinion, as a finding like any other.

use crate::helpers::phrase_hits;
use crate::{AuthStatus, Context, Evidence, Finding, RuleMeta, family, rule};
use redflag_message::Channel;

family! {
    /// The statistical text model's opinion (MDL).
    name: "model", prefix: "MDL", title: "Text model", rank: 12,
}

/// Channels the shipped model has seen both scams and legitimate messages of. Its training
/// data has no legitimate calls, so on a call its opinion would only say "this is a call".
pub const MODEL_CHANNELS: &[Channel] = &[Channel::Email, Channel::Sms, Channel::Chat];

/// Probability at or above which the model's opinion counts, and the points it adds.
const STEPS: [(f32, u8); 2] = [(0.97, 25), (0.90, 15)];

/// Probability at or above which the model may speak alone, when nothing in the message
/// looks genuine.
const STANDALONE_AT: f32 = 0.99;

/// Points of a model finding that stands alone: exactly "suspicious", never "scam". The
/// scorer keeps a model finding with these points even without another red flag.
pub const MODEL_STANDALONE_POINTS: u8 = 30;

rule! {
    /// The text model (a small fastText classifier trained on public scam and legitimate
    /// messages) says the message reads like the scams it has seen.
    ///
    /// **Why:** the rules catch the advisory's red flags one by one; the model catches the
    /// overall wording of scams the rules have no phrase for. Mostly it only adds weight
    /// (15 points at 90% and 25 points at 97%), next to at least one red flag of low
    /// severity or above. At 99% it may make a message "suspicious" on its own (30
    /// points, never "scam"), but only when nothing in the message looks genuine: not when
    /// the email comes authenticated from the brand's own domain or the text from its short
    /// code, not when every link goes to known companies' own sites, not for a text
    /// that gives no way to act (no link, number or address, and no words asking to reply,
    /// call, click or pay). It gives no points at all on an email body pasted without its
    /// sender (in its training data every such body was phishing, so genuine mail pasted
    /// reads as phishing too: on the reference set of genuine Amazon mail the same messages
    /// score a median 0.32 with their headers and 0.999 pasted), nor on text mostly in a
    /// script other than Latin (it never saw such messages), nor alone on text read from a
    /// screenshot. When the sender or every link checks out, the opinion is
    /// reported with no points at all: wording is weaker evidence than where a message
    /// sends you.
    ///
    /// **Example:** `Dear user, your e-mail storage is almost full, click here to keep
    /// receiving messages` (probability 0.99).
    ///
    /// **Known false positives:** the shipped model learned from old legitimate mail
    /// (2002–2005 mailing lists) and more recent phishing, so modern marketing mail can read
    /// as "scam-like" to it; that is why it can never make a message a "scam" alone. A site can train
    /// its own model on its own mail with `redflag train` and use it with `--model`. It
    /// does not run on calls: the public training data has no legitimate calls.
    pub struct ModelSaysScam;
    id: "MDL001", name: "model-says-scam", severity: Medium,
    points: 25, channels: MODEL_CHANNELS, soft: true, status: Stable("0.1.0"), summary: "The text model says the message reads like known scams",
    explain: "A statistical text model, trained on thousands of real scam and legitimate messages, says this message reads like the scams it has seen. It only adds weight to the red flags above; it never decides alone.",
    check: model_says_scam,
}

fn model_says_scam(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    let Some(p) = cx.model_probability else {
        return;
    };
    let Some(&(_, points)) = STEPS.iter().find(|(at, _)| p >= *at) else {
        return;
    };
    // The model learned from messages in Latin script only; on text mostly in another
    // script (Japanese, Arabic, Hindi) its probability says nothing.
    let foreign = !mostly_latin(cx.text(cx.content));
    // An email body pasted without its sender reads as phishing to the model whatever it
    // is: in its training data every such body was phishing (the Nazario bodies) and every
    // legitimate mail came with its headers. On the genuine reference set the same mails
    // score a median 0.32 with their headers and 0.999 pasted. Its opinion there is noise.
    let pasted = cx.msg.email.as_ref().is_some_and(|e| e.from.is_none());
    let genuine = looks_genuine(cx);
    // Text read from a picture carries the recognition's stray marks (`Be & EES`, `4+ (`),
    // which the model never saw and which read as scam-like to it: there it only adds weight
    // to another red flag, never speaks alone.
    let image = cx.read_from_image();
    let standalone =
        p >= STANDALONE_AT && !genuine && !foreign && !pasted && !image && gives_a_way_to_act(cx);
    // Wording is weaker evidence than where a message sends you: when the sender or every
    // link checks out, the model's opinion is reported but adds nothing.
    let points = if standalone {
        MODEL_STANDALONE_POINTS
    } else if genuine || foreign || pasted {
        0
    } else {
        points
    };
    let body = cx.msg.body_span();
    let evidence = if body.is_empty() { cx.content } else { body };
    out.push(
        Finding::new(
            meta,
            format!(
                "the text model gives it a {:.0}% chance of being a scam",
                p * 100.0
            ),
            vec![Evidence::with_note(
                evidence,
                if standalone {
                    "the whole text (nothing in it looks genuine)"
                } else if genuine {
                    "the whole text (no points: its sender or links check out)"
                } else if foreign {
                    "the whole text (no points: the model learned from messages in Latin script)"
                } else if pasted {
                    "the whole text (no points: pasted without its sender, any email reads as phishing to the model)"
                } else {
                    "the whole text"
                },
            )],
        )
        .points(points),
    );
}

/// A message can only hurt if it gives a way to act. An email can be answered. A text needs
/// a link, a number or an address that is not the brand's or a known company's (theirs are
/// where the person would go anyway), or words that ask the person to reply, call, click,
/// claim or pay (the language pack's `MDL001` phrases); one without any (an order notice, a
/// ringtone confirmation) is not flagged on the model's word alone. (A pasted email body,
/// which cannot be answered, gets no points from the model at all.)
fn gives_a_way_to_act(cx: &Context<'_>) -> bool {
    if cx.msg.email.is_some() {
        return true;
    }
    let brand = &cx.profile.brand;
    cx.ind
        .urls
        .iter()
        .any(|u| !u.host.as_deref().is_some_and(|h| cx.is_known_site(h)))
        || cx
            .ind
            .phones
            .iter()
            .any(|p| !p.e164.as_deref().is_some_and(|e| brand.is_brand_phone(e)))
        || cx.ind.emails.iter().any(|e| !cx.is_known_site(&e.domain))
        || !phrase_hits(cx, "MDL001").is_empty()
}

/// True when at least half the letters of `text` are Latin (the script of every message the
/// shipped model was trained on).
fn mostly_latin(text: &str) -> bool {
    // Every letter of an ASCII text is Latin: no need to count (most messages).
    if text.is_ascii() {
        return true;
    }
    let (mut latin, mut letters) = (0usize, 0usize);
    // The model reads the first few thousand characters; so does this.
    for c in text.chars().take(16 * 1024).filter(|c| c.is_alphabetic()) {
        letters += 1;
        latin += usize::from(c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c));
    }
    letters == 0 || latin * 2 >= letters
}

/// Something in the message vouches for it: an authenticated sender on the brand's domain
/// (or its SMS short code), or links that all go to known companies' own sites (a receipt
/// from PayPal links to PayPal and to the eBay item), unless the email comes from an
/// unauthenticated stranger's domain that copied a company's footer.
fn looks_genuine(cx: &Context<'_>) -> bool {
    if cx.claim.sender_is_brand {
        return true;
    }
    let hosts: Vec<&str> = cx
        .ind
        .urls
        .iter()
        .filter(|u| matches!(u.scheme.as_str(), "http" | "https" | ""))
        .filter_map(|u| u.host.as_deref())
        .collect();
    if hosts.is_empty() {
        return false;
    }
    let brand = &cx.profile.brand;
    // Links to known companies vouch for a message from one of them, or from a sender the
    // receiving server authenticated; not for a stranger who copied a company's footer.
    if cx.msg.email.as_ref().is_some_and(|e| e.from.is_some())
        && let Some(d) = cx.sender_domain()
        && cx.auth != AuthStatus::Pass
        && !brand.is_sender_domain(&d)
        && !cx.is_known_site(&d)
    {
        return false;
    }
    hosts.iter().all(|h| cx.is_known_site(h))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rule;
    use proptest::prelude::*;
    use redflag_message::{TextInput, parse_text_message};
    use redflag_profile::Profile;

    proptest! {
        /// The same answer as counting the letters of every text, ASCII ones included, on
        /// texts of ASCII, Latin letters outside ASCII, other scripts and digits.
        #[test]
        fn mostly_latin_is_the_count_of_letters(
            pieces in proptest::collection::vec(
                prop::sample::select(vec!["a", "Z", "7", " ", ".", "é", "ſ", "Ж", "я", "カ", "中", "٣", "\u{301}"]),
                0..40,
            )
        ) {
            let text: String = pieces.concat();
            let (mut latin, mut letters) = (0usize, 0usize);
            for c in text.chars().take(16 * 1024).filter(|c| c.is_alphabetic()) {
                letters += 1;
                latin += usize::from(c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c));
            }
            prop_assert_eq!(mostly_latin(&text), letters == 0 || latin * 2 >= letters, "{:?}", text);
        }
    }

    /// The points MDL001 gives a message at the model probability `p`.
    fn points(channel: Channel, text: &str, sender: Option<&str>, p: f32) -> u8 {
        let profile = Profile::embedded();
        let msg = parse_text_message(TextInput {
            channel,
            text,
            sender,
            subject: None,
        })
        .unwrap();
        let ind = redflag_extract::extract(&msg, &Profile::embedded().brand);
        let mut cx = Context::new(&msg, &ind, &profile, None);
        cx.model_probability = Some(p);
        let mut out = Vec::new();
        model_says_scam(&cx, ModelSaysScam.meta(), &mut out);
        out.first().map_or(0, |f| f.points)
    }

    #[test]
    fn the_model_speaks_alone_only_where_it_can_judge() {
        let text = "Your mailbox is almost full. Upgrade now at https://mail-upgrade.example.org/x";
        // An email with its sender, or a text: 99% alone is "suspicious".
        let from = Some("it-desk@mail-upgrade.example.org");
        assert_eq!(
            points(Channel::Email, text, from, 0.995),
            MODEL_STANDALONE_POINTS
        );
        assert_eq!(
            points(Channel::Sms, text, None, 0.995),
            MODEL_STANDALONE_POINTS
        );
        // The same body pasted without its sender: no points.
        assert_eq!(points(Channel::Email, text, None, 0.995), 0);
        // Text mostly in a script the model never saw: no points.
        let ja = "メールボックスの容量がいっぱいです。今すぐアップグレードしてください https://mail-upgrade.example.org/x";
        assert_eq!(points(Channel::Sms, ja, None, 0.995), 0);
        // Links only to the brand: no points.
        let amazon = "Your Amazon order has shipped: https://www.amazon.com/gp/css/order-history";
        assert_eq!(points(Channel::Sms, amazon, None, 0.995), 0);
    }
}
