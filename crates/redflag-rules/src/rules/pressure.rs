//! Pressure and threats: deadlines, suspension, legal threats, secrecy.

use crate::helpers::{phrase_finding, phrase_hits, phrase_rule};
use crate::{ALL, Context, Finding, RuleMeta, family, rule};
use redflag_message::Channel;

family! {
    /// Pressure and threats (URG).
    name: "pressure", prefix: "URG", title: "Pressure and threats", rank: 10,
}

rule! {
    /// Pushes you to act now: deadlines, "immediately", "within 24 hours", "final notice".
    ///
    /// **Why:** Amazon "will not pressure you to act now". Hurry stops people from checking.
    ///
    /// **Example:** `Verify within 24 hours or your account will be closed.`
    ///
    /// **Known false positives:** real reminders with dates; the points are low.
    pub struct DeadlinePressure;
    id: "URG001", name: "deadline-pressure", severity: Low,
    points: 10, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "Pushes you to act right away",
    explain: "The message pushes you to act right away. {brand} will not pressure you to act now; scammers hurry you so that you do not stop and check.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, false, "pressure"),
}

rule! {
    /// Threatens to suspend, lock, close or charge the account unless you act.
    ///
    /// **Why:** a threat to your account is the lever that makes the lure work.
    ///
    /// **Example:** `Failure to confirm will result in your account being permanently
    /// suspended.`
    ///
    /// **Known false positives:** real service notices ("your subscription will be
    /// cancelled at the end of the month"); the points are low.
    pub struct SuspensionThreat;
    id: "URG002", name: "suspension-threat", severity: Low,
    points: 15, channels: ALL, soft: true, status: Stable("0.1.0"), summary: "Threatens to close, lock or charge your account",
    explain: "The message threatens to close, lock or charge your account if you do not act. That threat is a pressure tactic.",
    check: |cx, meta, out| phrase_rule(cx, meta, out, false, "threat"),
}

rule! {
    /// Threatens arrest, legal action, the police or tax authorities.
    ///
    /// **Why:** real companies do not threaten customers with the police; impostors do.
    ///
    /// **Example:** `A warrant will be issued for your arrest.`
    ///
    /// **Known false positives:** news and mailing lists that discuss the police or courts.
    /// For that reason it counts only in calls, texts and chats, or in an email that claims
    /// to be the brand.
    pub struct LegalThreat;
    id: "URG003", name: "legal-threat", severity: Medium,
    points: 20, channels: ALL, status: Stable("0.1.0"), summary: "Threatens arrest, legal action or the police",
    explain: "The message threatens arrest, legal action or the police. Real companies do not threaten you like that; government imposters and scammers do.",
    check: legal_threat,
}

fn legal_threat(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    if cx.msg.channel == Channel::Email && !cx.claim.claims {
        return;
    }
    let hits = phrase_hits(cx, meta.id);
    out.extend(phrase_finding(cx, meta, hits, "legal threat"));
}

rule! {
    /// Tells you to keep it secret, not to tell your bank or family, or to stay on the line.
    ///
    /// **Why:** scammers isolate their victims so that nobody can warn them.
    ///
    /// **Example:** `Do not tell the bank why you are withdrawing the money.`
    ///
    /// **Known false positives:** secrets between friends ("don't tell Grandma about the
    /// party"); it weighs 30 points in calls and in messages claiming to be the brand, 20
    /// otherwise. A bank's "do not share this code with anyone" is protective and not
    /// matched.
    pub struct SecrecyDemand;
    id: "URG004", name: "secrecy-demand", severity: High,
    points: 20, channels: ALL, status: Stable("0.1.0"), summary: "Tells you to keep it secret or stay on the line",
    explain: "The message tells you to keep this secret or to stay on the line. Scammers isolate you so that nobody can warn you.",
    check: |cx, meta, out| {
        let hits = phrase_hits(cx, meta.id);
        // Isolation is the phone scammer's tool: it weighs more in calls and in messages
        // that claim to be the brand than in a note between friends.
        let strong = cx.msg.channel == Channel::Call || cx.claim.claims;
        out.extend(phrase_finding(cx, meta, hits, "secrecy").map(|f| if strong { f.points(30) } else { f }));
    },
}
