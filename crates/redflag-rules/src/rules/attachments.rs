//! Risky attachments.

use crate::helpers::{phrase_hits, quote};
use crate::{Context, EMAIL, Evidence, Finding, RuleMeta, family, rule};
use redflag_message::Attachment;

family! {
    /// Risky attachments (ATT).
    name: "attachments", prefix: "ATT", title: "Risky attachments", rank: 7,
}

fn extension(name: &str) -> Option<String> {
    let name = name.trim().trim_end_matches(['.', ' ']);
    let (_, ext) = name.rsplit_once('.')?;
    (!ext.is_empty() && ext.len() <= 12).then(|| ext.to_ascii_lowercase())
}

fn push(
    meta: &'static RuleMeta,
    out: &mut Vec<Finding>,
    bad: &[(&Attachment, String)],
    what: &str,
) {
    let Some((first, _)) = bad.first() else {
        return;
    };
    let evidence = bad
        .iter()
        .map(|(a, n)| Evidence::with_note(a.span, n.clone()))
        .collect();
    out.push(Finding::new(
        meta,
        format!("{what} `{}`", quote(&first.name)),
        evidence,
    ));
}

rule! {
    /// An attachment can run code or open a web page: HTML, SVG, programs, scripts, disk
    /// images, archives.
    ///
    /// **Why:** the advisory warns of attachments; an HTML attachment shows a fake login page
    /// offline, archives and programs install malware.
    ///
    /// **Example:** `Attachment: Amazon_Invoice_8841.html`.
    ///
    /// **Known false positives:** zip files between colleagues; calendar and contact cards
    /// are not counted, nor is a nameless HTML part (a second copy of the body that some
    /// mail programs send).
    pub struct RiskyAttachmentType;
    id: "ATT001", name: "risky-attachment-type", severity: High,
    points: 35, channels: EMAIL, status: Stable("0.1.0"), summary: "Has an attachment that can run code or open a web page",
    explain: "The email has an attachment of a risky type (a web page, an archive or a program). Opening it can install malware or show a fake login page.",
    check: |cx, meta, out| {
        let risky = &cx.profile.common.risky_extensions;
        let bad: Vec<_> = cx
            .msg
            .attachments
            .iter()
            .filter_map(|a| {
                let ext = extension(&a.name);
                if ext.as_ref().is_some_and(|e| risky.contains(e)) {
                    return Some((a, format!(".{} file", ext.unwrap_or_default())));
                }
                // A nameless HTML part is a body the mail program shows inline, not a
                // file to open.
                if a.name.trim().is_empty() && a.sniffed_type == "html" {
                    return None;
                }
                matches!(a.sniffed_type.as_str(), "html" | "exe" | "elf" | "rar" | "7z" | "iso")
                    .then(|| (a, format!("really a {} file", a.sniffed_type)))
            })
            .collect();
        push(meta, out, &bad, "risky attachment");
    },
}

rule! {
    /// An attachment is an Office document type that can carry macros (`.docm`, `.xlsm`,
    /// old `.doc`/`.xls`).
    ///
    /// **Why:** macros are a common way to install malware from an email.
    ///
    /// **Example:** `Attachment: order_details.xlsm`.
    ///
    /// **Known false positives:** old-format Office files from people you know.
    pub struct MacroDocument;
    id: "ATT002", name: "macro-document", severity: High,
    points: 35, channels: EMAIL, status: Stable("0.1.0"), summary: "Has an Office document that can run macros",
    explain: "The email has an Office document that can run macros. Macros can install malware.",
    check: |cx, meta, out| {
        let macros = &cx.profile.common.macro_extensions;
        let bad: Vec<_> = cx
            .msg
            .attachments
            .iter()
            .filter_map(|a| {
                let ext = extension(&a.name)?;
                macros.contains(&ext).then(|| (a, format!(".{ext} can carry macros")))
            })
            .collect();
        push(meta, out, &bad, "macro document");
    },
}

rule! {
    /// An attachment pretends to be another kind of file: a double ending
    /// (`invoice.pdf.exe`), or a name that says PDF or image while the content is a
    /// program, a web page or an archive.
    ///
    /// **Why:** disguise only serves to make you open something dangerous.
    ///
    /// **Example:** `receipt.pdf` whose bytes start with `MZ` (a Windows program).
    ///
    /// **Known false positives:** mislabelled files from careless senders (rare).
    pub struct DisguisedAttachment;
    id: "ATT003", name: "disguised-attachment", severity: Critical,
    points: 50, channels: EMAIL, status: Stable("0.1.0"), summary: "Has an attachment disguised as another file type",
    explain: "An attachment pretends to be one kind of file but is really another (for example a \"PDF\" that is a program).",
    check: disguised_attachment,
}

fn disguised_attachment(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    const DOC: &[&str] = &[
        "pdf", "doc", "docx", "xls", "xlsx", "txt", "jpg", "jpeg", "png", "gif", "csv",
    ];
    const DANGER: &[&str] = &["exe", "elf", "html", "rar", "7z", "iso", "zip"];
    let bad: Vec<_> = cx
        .msg
        .attachments
        .iter()
        .filter_map(|a| {
            let name = a.name.to_ascii_lowercase();
            let parts: Vec<&str> = name.rsplit('.').take(3).collect();
            if parts.len() >= 3
                && DOC.contains(&parts[1])
                && cx
                    .profile
                    .common
                    .risky_extensions
                    .iter()
                    .any(|e| e == parts[0])
            {
                return Some((
                    a,
                    format!("a .{} file pretending to be .{}", parts[0], parts[1]),
                ));
            }
            let ext = extension(&name)?;
            let claims_doc = DOC.contains(&ext.as_str());
            let really = a.sniffed_type.as_str();
            let ooxml_ok =
                matches!(ext.as_str(), "docx" | "xlsx") && matches!(really, "zip" | "ooxml");
            (claims_doc && DANGER.contains(&really) && !ooxml_ok)
                .then(|| (a, format!("named .{ext} but really a {really} file")))
        })
        .collect();
    push(meta, out, &bad, "disguised attachment");
}

rule! {
    /// An email that looks like an order confirmation or invoice, and claims to be the
    /// brand, comes with an attachment.
    ///
    /// **Why:** the advisory lists "an attachment to an order confirmation" among the things
    /// to verify in Your Orders: Amazon's confirmations do not need attachments.
    ///
    /// **Example:** `Your Amazon order #112-... — see attached invoice.pdf`.
    ///
    /// **Known false positives:** business invoices from Amazon Business (which are also in
    /// Your Orders).
    pub struct AttachmentOnOrderConfirmation;
    id: "ATT004", name: "attachment-on-order-confirmation", severity: Medium,
    points: 30, channels: EMAIL, status: Stable("0.1.0"), summary: "An order confirmation comes with an attachment",
    explain: "An order confirmation came with an attachment. The advisory says an attachment to an order confirmation is a red flag: {brand}'s real confirmations are in Your Orders.",
    check: |cx, meta, out| {
        if !cx.claim.claims || cx.msg.attachments.is_empty() || phrase_hits(cx, "SCN005").is_empty() {
            return;
        }
        let bad: Vec<_> = cx.msg.attachments.iter().map(|a| (a, "attached to an order confirmation".to_string())).collect();
        push(meta, out, &bad, "order confirmation with attachment");
    },
}
