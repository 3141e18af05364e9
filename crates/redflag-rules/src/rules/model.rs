//! The statistical text model's opinion, as a finding like any other.

use crate::{Context, Evidence, Finding, RuleMeta, rule};
use redflag_message::Channel;

/// Channels the shipped model has seen both scams and legitimate messages of. Its training
/// data has no legitimate calls, so on a call its opinion would only say "this is a call".
pub const MODEL_CHANNELS: &[Channel] = &[Channel::Email, Channel::Sms, Channel::Chat];

/// Probability at or above which the model's opinion counts, and the points it adds.
const STEPS: [(f32, u8); 2] = [(0.97, 25), (0.90, 15)];

rule! {
    /// The text model (a small fastText classifier trained on public scam and legitimate
    /// messages) says the message reads like the scams it has seen.
    ///
    /// **Why:** the rules catch the advisory's red flags one by one; the model catches the
    /// overall wording of scams the rules have no phrase for. It only adds weight (15 points
    /// at 90% and 25 points at 97%), and only next to at least one red flag of low severity
    /// or above; the rules carry the verdict.
    ///
    /// **Example:** `Dear user, your e-mail storage is almost full, click here to keep
    /// receiving messages` (probability 0.99).
    ///
    /// **Known false positives:** the shipped model learned from old legitimate mail
    /// (2002–2005 mailing lists) and more recent phishing, so modern marketing mail can read
    /// as "scam-like" to it; that is why it cannot decide a verdict alone. A site can train
    /// its own model on its own mail with `redflag train` and use it with `--model`. It
    /// does not run on calls: the public training data has no legitimate calls.
    pub struct ModelSaysScam;
    id: "MDL001", name: "model-says-scam", family: Model, severity: Medium,
    points: 25, channels: MODEL_CHANNELS, summary: "The text model says the message reads like known scams",
    check: model_says_scam,
}

fn model_says_scam(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    let Some(p) = cx.model_probability else {
        return;
    };
    let Some(&(_, points)) = STEPS.iter().find(|(at, _)| p >= *at) else {
        return;
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
            vec![Evidence::with_note(evidence, "the whole text")],
        )
        .points(points),
    );
}
