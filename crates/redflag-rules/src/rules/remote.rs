//! Remote access and software installs.

use crate::helpers::{phrase_finding, request_hits};
use crate::{ALL, Context, Finding, RuleMeta, family, rule};
use redflag_message::Channel;

family! {
    /// Remote access and software installs (RMT).
    name: "remote-access", prefix: "RMT", title: "Remote access and software installs", rank: 5,
}

rule! {
    /// Asks for remote access, screen sharing, or names a remote-control tool (AnyDesk,
    /// TeamViewer, UltraViewer, ...).
    ///
    /// **Why:** "may request remote access to the consumer's computer" (advisory). With it a
    /// scammer reaches bank accounts and passwords and installs malware. Amazon will never
    /// ask for remote access.
    ///
    /// **Example:** `Download AnyDesk so our technician can fix your account.`
    ///
    /// **Known false positives:** IT support you called yourself; newsletters about remote
    /// work (in an email that does not claim to be the brand, only a named tool counts).
    pub struct RemoteAccessRequest;
    id: "RMT001", name: "remote-access-request", severity: Critical,
    points: 50, channels: ALL, status: Stable("0.1.0"), summary: "Asks for remote access or screen sharing",
    explain: "The message asks for remote access to your computer or phone, or to share your screen. {brand} will never ask for remote access. With it, a scammer can reach your bank and passwords.",
    check: remote_access_request,
}

fn remote_access_request(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    let mut hits = request_hits(cx, meta.id);
    if cx.msg.channel == Channel::Email && !cx.claim.claims {
        // Newsletters discuss "remote access"; only a named remote-control tool counts there.
        let tools = &cx.profile.common.remote_tools;
        hits.retain(|s| {
            let t: String = cx
                .text(*s)
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase();
            tools.iter().any(|tool| t.contains(tool.as_str()))
        });
    }
    out.extend(phrase_finding(cx, meta, &hits, "asks for remote access"));
}

rule! {
    /// Asks you to download, install or run an app, program or file.
    ///
    /// **Why:** the advisory warns of "prompts to install software on your device"; it can
    /// be malware or a remote-control tool.
    ///
    /// **Example:** `Install the security app from the link to protect your account.`
    ///
    /// **Known false positives:** "download the Amazon app" in real Amazon mail, which is
    /// skipped when the brand's name follows.
    pub struct SoftwareInstallRequest;
    id: "RMT002", name: "software-install-request", severity: Medium,
    points: 25, channels: ALL, status: Stable("0.1.0"), summary: "Asks you to download or install software",
    explain: "The message asks you to download or install something. The advisory warns against prompts to install software; it can be malware or a remote-access tool.",
    check: software_install_request,
}

fn software_install_request(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    if cx.msg.channel == Channel::Email && !cx.claim.claims {
        return;
    }
    let brand = &cx.profile.brand.name_re;
    let hits: Vec<_> = request_hits(cx, meta.id)
        .into_iter()
        .filter(|s| {
            // "Download the Amazon app", "get our app": the brand's own app is fine.
            let after = cx
                .msg
                .text
                .get(s.start..(s.end + 24).min(cx.msg.text.len()))
                .unwrap_or("");
            let after = after.to_lowercase();
            !brand.is_match(&after)
        })
        .collect();
    out.extend(phrase_finding(
        cx,
        meta,
        &hits,
        "asks you to install something",
    ));
}
