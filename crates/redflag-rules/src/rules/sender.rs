//! Forged senders: display names, look-alike and free-mail domains, Reply-To and Return-Path
//! elsewhere, failed or missing authentication, and texts from unexpected senders.

use crate::helpers::{lookalike_sender_domain, quote, registrable};
use crate::{AuthStatus, Context, EMAIL, Evidence, Finding, RuleMeta, TEXTS, family, rule};
use redflag_message::{Mailbox, SenderKind};

family! {
    /// Forged senders (SND).
    name: "sender", prefix: "SND", title: "Forged senders", rank: 9,
}

fn from<'a>(cx: &Context<'a>) -> Option<&'a Mailbox> {
    cx.msg.email.as_ref()?.from.as_ref()
}

fn domain_of(addr: &str) -> Option<&str> {
    addr.rsplit_once('@').map(|(_, d)| d)
}

/// True when the From display name names the brand.
fn display_claims_brand(cx: &Context<'_>, m: &Mailbox) -> bool {
    cx.claim.claim_spans.iter().any(|s| m.span.contains(*s))
        && m.name.as_deref().is_some_and(|n| {
            let n = redflag_extract::NormText::new(n);
            cx.profile.brand.name_re.is_match(&n.text)
        })
}

rule! {
    /// The sender's display name says the brand, but the address is not on one of the
    /// brand's domains, or there is no address at all.
    ///
    /// **Why:** the advisory warns of "forged email addresses to make it look like the
    /// email is coming from Amazon.com". Most mail apps show only the name.
    ///
    /// **Example:** `From: Amazon Support <alerts@secure-mailer.net>`.
    ///
    /// **Known false positives:** third parties that put "Amazon" in their name (sellers,
    /// "Amazon Web Services" resellers).
    pub struct DisplayNameImpersonation;
    id: "SND001", name: "display-name-impersonation", severity: High,
    points: 40, channels: EMAIL, status: Stable("0.1.0"), summary: "Sender name says {brand} but the address is not {brand}'s",
    explain: "The sender's name says {brand}, but the email address behind it is not {brand}'s. The advisory warns of forged email addresses made to look like they come from {brand}.",
    check: |cx, meta, out| {
        let Some(m) = from(cx) else {
            // A From line with the brand's name and no address at all (`From: Amazon`).
            if let Some(s) = cx.msg.sender.as_ref().filter(|_| cx.msg.email.is_some())
                && cx.claim.claim_spans.iter().any(|c| s.span.contains(*c))
            {
                out.push(Finding::new(
                    meta,
                    format!("named {} but gives no sender address", cx.profile.brand.name),
                    vec![Evidence::with_note(s.span, "no address to check or reply to")],
                ));
            }
            return;
        };
        let Some(domain) = domain_of(&m.address) else { return };
        let brand = &cx.profile.brand;
        // Any domain of the brand's own (a service's, `primevideo.com`) is the brand's; its
        // customers' hosting (`amazonses.com`) is not.
        let brands = brand.is_sender_domain(domain) || brand.is_legit_domain(domain);
        if display_claims_brand(cx, m) && !brands {
            out.push(Finding::new(
                meta,
                format!("named {} but sent from `{}`", cx.profile.brand.name, quote(&m.address)),
                vec![Evidence::with_note(m.span, format!("{domain} is not {}'s", cx.profile.brand.name))],
            ));
        }
    },
}

rule! {
    /// The sender's address is on a look-alike of the brand's domain
    /// (`amazon-security.com`, `amaz0n.co`).
    ///
    /// **Why:** a forged address made to look like Amazon's.
    ///
    /// **Example:** `From: <no-reply@amazon-accounts-help.com>`.
    ///
    /// **Known false positives:** unrelated companies with "amazon" in their domain.
    pub struct LookalikeSenderDomain;
    id: "SND002", name: "lookalike-sender-domain", severity: High,
    points: 45, channels: EMAIL, status: Stable("0.1.0"), summary: "Sender address uses a look-alike of {brand}'s domain",
    explain: "The sender's address uses a look-alike of {brand}'s domain.",
    check: |cx, meta, out| {
        let brand = &cx.profile.brand;
        let Some(m) = from(cx) else { return };
        let Some(domain) = domain_of(&m.address) else { return };
        if let Some(reg) = lookalike_sender_domain(brand, domain) {
            out.push(Finding::new(
                meta,
                format!("sent from the look-alike domain `{domain}`"),
                vec![Evidence::with_note(m.span, format!("{reg} imitates {}", brand.name))],
            ));
        }
    },
}

rule! {
    /// Replies would go to a different domain than the sender's, in a message that claims
    /// to be the brand or whose Reply-To is a free-mail account.
    ///
    /// **Why:** scammers forge the From and collect answers at their own address.
    ///
    /// **Example:** `From: Amazon <auto-confirm@amazon.com>` with
    /// `Reply-To: amazon.refunds@gmail.com`.
    ///
    /// Mail from an organisation's domain whose replies go to a free-mail account weighs 30
    /// points: companies do not collect answers in a personal mailbox.
    ///
    /// **Known false positives:** mailing lists (Reply-To is the list) and help desks; they
    /// rarely claim to be the brand or reply to free mail. A small club or business that
    /// sends from a host's domain but reads a personal Gmail.
    pub struct ReplyToElsewhere;
    id: "SND003", name: "reply-to-elsewhere", severity: Medium,
    points: 20, channels: EMAIL, status: Stable("0.1.0"), summary: "Replies go to a different address than the sender's",
    explain: "Replies to this email would go to a different address than the sender's. Scammers do this to receive your answers.",
    check: reply_to_elsewhere,
}

fn reply_to_elsewhere(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    let Some(email) = &cx.msg.email else { return };
    let Some(m) = &email.from else { return };
    let from_reg = domain_of(&m.address).and_then(registrable);
    for r in &email.reply_to {
        let Some(reg) = domain_of(&r.address).and_then(registrable) else {
            continue;
        };
        if Some(&reg) == from_reg.as_ref() || cx.profile.brand.is_sender_domain(&reg) {
            continue;
        }
        let free = cx.profile.common.is_free_mail(&reg);
        if cx.claim.claims || free {
            let note = if free {
                format!("{reg} is a free-mail provider")
            } else {
                format!("{reg} is not the sender's domain")
            };
            let f = Finding::new(
                meta,
                format!("replies go to `{}`", quote(&r.address)),
                vec![Evidence::with_note(r.span, note)],
            );
            // An organisation's mail whose answers go to a personal free-mail account.
            let org_sender = from_reg
                .as_deref()
                .is_some_and(|d| !cx.profile.common.is_free_mail(d));
            out.push(if free && org_sender { f.points(30) } else { f });
            return;
        }
    }
}

rule! {
    /// The bounce address (Return-Path) of a message that claims to be the brand is not on
    /// the brand's domains.
    ///
    /// **Why:** the Return-Path shows who really sent the mail; Amazon's is on its own
    /// domains, or on its mail service (`amazonses.com`) when the From address is Amazon's
    /// too.
    ///
    /// **Example:** `Return-Path: <bounce@mailer-77.ru>` on an "Amazon" email.
    ///
    /// **Known false positives:** Amazon mail sent through a partner's mailer (rare); weak
    /// on its own.
    pub struct ReturnPathElsewhere;
    id: "SND004", name: "return-path-elsewhere", severity: Low,
    points: 10, channels: EMAIL, soft: true, status: Stable("0.1.0"), summary: "Return-Path is not {brand}'s on a message claiming {brand}",
    explain: "The email's return address (Return-Path) is not {brand}'s, though the message claims to be from {brand}.",
    check: |cx, meta, out| {
        let Some(rp) = cx.msg.email.as_ref().and_then(|e| e.return_path.as_ref()) else { return };
        let Some(domain) = domain_of(&rp.address) else { return };
        let brand = &cx.profile.brand;
        // The brand's mail service (`amazonses.com`) bounces for the brand's own senders too.
        let own_service = brand.owns(domain)
            && from(cx).and_then(|m| domain_of(&m.address)).is_some_and(|d| brand.is_sender_domain(d) || brand.owns(d));
        if cx.claim.claims && !brand.is_sender_domain(domain) && !own_service {
            out.push(Finding::new(
                meta,
                format!("bounces go to `{}`", quote(&rp.address)),
                vec![Evidence::with_note(rp.span, format!("{domain} is not {}'s", cx.profile.brand.name))],
            ));
        }
    },
}

rule! {
    /// A message that claims to be the brand was sent from a free-mail account (Gmail,
    /// Outlook.com, Yahoo, ...).
    ///
    /// **Why:** companies send from their own domains; anyone can open a free account named
    /// "Amazon Support".
    ///
    /// **Example:** `From: Amazon Billing <amazon.billing.center@gmail.com>`.
    ///
    /// **Known false positives:** a friend writing about Amazon from Gmail with a claim
    /// phrase ("your Amazon order"); other checks usually stay quiet then.
    pub struct FreeMailSender;
    id: "SND005", name: "free-mail-sender", severity: High,
    points: 35, channels: EMAIL, status: Stable("0.1.0"), summary: "Claims to be {brand} but sent from a free-mail account",
    explain: "The message claims to be from {brand} but was sent from a free email account (like Gmail or Outlook). {brand} does not use free email accounts.",
    check: |cx, meta, out| {
        let Some(m) = from(cx) else { return };
        let Some(reg) = domain_of(&m.address).and_then(registrable) else { return };
        if cx.claim.claims && cx.profile.common.is_free_mail(&reg) {
            out.push(Finding::new(
                meta,
                format!("sent from the free-mail address `{}`", quote(&m.address)),
                vec![Evidence::with_note(m.span, format!("{reg} is a free-mail provider"))],
            ));
        }
    },
}

rule! {
    /// The receiving server's authentication checks (DMARC, Microsoft's composite
    /// authentication `compauth`, or both DKIM and SPF) failed for the sender's domain, or
    /// SPF failed for an envelope sender on the brand's own domain (`smtp.mailfrom=amazon.de`
    /// sent from a server Amazon does not use).
    ///
    /// **Why:** failed authentication means the From address is likely forged. It weighs
    /// more when the forged domain is the brand's own.
    ///
    /// **Example:** `Authentication-Results: mx.example; dmarc=fail header.from=amazon.com`.
    ///
    /// **Known false positives:** forwarded mail and some mailing lists break DKIM and SPF;
    /// DMARC-aware servers account for that. A small company whose mail setup is broken
    /// fails `compauth` too (Outlook then shows the same warning banner).
    pub struct SenderAuthenticationFailed;
    id: "SND006", name: "sender-authentication-failed", severity: High,
    points: 30, channels: EMAIL, status: Stable("0.1.0"), summary: "Sender authentication (DMARC/DKIM/SPF) failed",
    explain: "The receiving mail server checked the sender and the check failed: the email is likely forged.",
    check: |cx, meta, out| {
        let Some(ar) = cx.msg.email.as_ref().and_then(|e| e.auth_results.iter().find(|a| !a.results.is_empty())) else { return };
        // SPF failing for an envelope sender on the brand's own domain is a forged brand
        // address even when the From line shows none.
        let brand = &cx.profile.brand;
        let spf_brand_fail = ar.results.iter().any(|r| {
            r.method == "spf"
                && matches!(r.result.as_str(), "fail" | "softfail")
                && r.props.iter().any(|(k, v)| {
                    k == "smtp.mailfrom" && brand.is_sender_domain(v.rsplit_once('@').map_or(v.as_str(), |(_, d)| d))
                })
        });
        if cx.auth != AuthStatus::Fail && !spf_brand_fail {
            return;
        }
        let brand_domain = spf_brand_fail || from(cx).and_then(|m| domain_of(&m.address)).is_some_and(|d| brand.is_sender_domain(d));
        let f = Finding::new(meta, "the sender's authentication failed".to_string(), vec![Evidence::with_note(ar.span, "authentication failed")]);
        out.push(if brand_domain { f.points(60) } else { f });
    },
}

rule! {
    /// The email uses the brand's own From domain, but carries no passing authentication
    /// result.
    ///
    /// **Why:** anyone can type `amazon.com` into a From line; only the receiving server's
    /// check proves it. Saved or pasted emails often lack the header, so this weighs little.
    ///
    /// **Example:** `From: Amazon <account-update@amazon.com>` with no
    /// Authentication-Results.
    ///
    /// **Known false positives:** genuine Amazon mail saved without its headers.
    pub struct SenderAuthenticationMissing;
    id: "SND007", name: "sender-authentication-missing", severity: Info,
    points: 5, channels: EMAIL, soft: true, status: Stable("0.1.0"), summary: "Uses {brand}'s From domain without passing authentication",
    explain: "The email claims to come from {brand}'s own address, but there is no record that the sender was checked. Treat the From address as unproven.",
    check: |cx, meta, out| {
        let Some(m) = from(cx) else { return };
        let Some(domain) = domain_of(&m.address) else { return };
        if cx.profile.brand.is_sender_domain(domain) && cx.auth == AuthStatus::Unknown {
            out.push(Finding::new(
                meta,
                format!("`{domain}` is not proven by authentication results"),
                vec![Evidence::with_note(m.span, "no passing DMARC, DKIM or SPF result")],
            ));
        }
    },
}

rule! {
    /// A text or chat that claims to be the brand came from an email address or an ordinary
    /// (long) phone number rather than one of the brand's short codes.
    ///
    /// **Why:** companies text from short codes; scam texts come from email-to-SMS
    /// gateways and throw-away numbers.
    ///
    /// **Example:** a text from `amz.delivery@icloud.com` or `+1 (415) 555-0182` that says
    /// "Amazon: ...".
    ///
    /// **Known false positives:** a delivery driver texting from a personal number.
    pub struct UnexpectedTextSender;
    id: "SND008", name: "unexpected-text-sender", severity: Medium,
    points: 15, channels: TEXTS, status: Stable("0.1.0"), summary: "A text claiming {brand} came from an email address or a long number",
    explain: "A text that claims to be from {brand} came from an email address or an ordinary phone number, not from one of {brand}'s short codes.",
    check: |cx, meta, out| {
        // Only a text that presents itself as the brand ("Amazon: ..."), not a friend's
        // "did your Amazon order come?".
        if !cx.claim.labelled {
            return;
        }
        let Some(s) = &cx.msg.sender else { return };
        let what = match s.kind {
            SenderKind::Email => "an email address",
            SenderKind::Phone => "an ordinary phone number",
            _ => return,
        };
        out.push(Finding::new(
            meta,
            format!("sent from {what}, `{}`", quote(&s.value)),
            vec![Evidence::with_note(s.span, format!("not one of {}'s short codes", cx.profile.brand.name))],
        ));
    },
}

rule! {
    /// The sender's display name names another well-known company (PayPal, DHL, Netflix,
    /// a bank, a post office: the list is `other_brands` in the profile's `common.toml`),
    /// but the address is not on one of that company's domains.
    ///
    /// **Why:** the same forgery as SND001, for the other companies these gangs pose as.
    /// The advisory's red flag "forged email addresses" is not specific to Amazon.
    ///
    /// **Example:** `From: Correios <noreply@rastreio-pedido.online>`.
    ///
    /// **Known false positives:** a company writing from a new domain or a mailing service
    /// the list does not know; a newsletter or person whose name contains a brand's name.
    pub struct OtherBrandDisplayName;
    id: "SND009", name: "other-brand-display-name", severity: High,
    points: 35, channels: EMAIL, status: Stable("0.1.0"), summary: "Sender name is a well-known company but the address is not theirs",
    explain: "The sender's name is a well-known company, but the email address does not belong to that company. Anyone can type any name; look at the address.",
    check: |cx, meta, out| {
        let Some(m) = from(cx) else { return };
        let Some(name) = m.name.as_deref() else { return };
        let Some(domain) = domain_of(&m.address) else { return };
        let words = redflag_profile::name_words(&redflag_extract::NormText::new(name).text);
        let Some((brand, named)) = cx.profile.common.brand_named(&words) else { return };
        if brand.owns(domain) {
            return;
        }
        let reg = registrable(domain).unwrap_or_else(|| domain.to_string());
        out.push(Finding::new(
            meta,
            format!("named \"{}\" but sent from `{}`", quote(named), quote(&m.address)),
            vec![Evidence::with_note(m.span, format!("{reg} is not {named}'s"))],
        ));
    },
}

rule! {
    /// The sender's address is not a real internet address: its domain has no ending
    /// (`noreply@correios`), ends in digits, or is written in styled look-alike letters; or
    /// the From line lists several entries (`From: Gift Team, <service@shop.example>, Gift
    /// Team`) to show a name where a real From line has one sender.
    ///
    /// **Why:** mail between real companies always comes from a full domain and one sender.
    /// A From line that cannot be replied to, or that strings names and addresses together,
    /// was typed by hand to show a name, which is forgery.
    ///
    /// A domain spelled out in one-letter labels (`offers@h.a.d.o.a.n.example`) counts too:
    /// it is generated to dodge block lists. So does a From line with no address at all
    /// (`From: "Facebook" <>`) or with the whole address in quotes (`<"support@bank.example">`,
    /// which mail programs read as a name with no domain), on mail that went through mail
    /// servers; a From line typed by the person who pasted the message is not judged.
    ///
    /// **Example:** `From: Correios <taxa@pedidoretido188781463>`.
    ///
    /// **Known false positives:** mail from a program on the same machine (`root@localhost`),
    /// which people rarely see; a message written jointly by two people (RFC 5322 allows a
    /// From line with several authors, though mail programs do not offer it).
    pub struct MalformedSenderAddress;
    id: "SND010", name: "malformed-sender-address", severity: Medium,
    points: 30, channels: EMAIL, status: Stable("0.1.0"), summary: "Sender address is not a real internet address",
    explain: "The sender's address is not a real internet address, so nobody could reply to it: it was typed by hand to show a name. Real companies send from real addresses.",
    check: |cx, meta, out| {
        let Some(email) = cx.msg.email.as_ref() else { return };
        let Some(m) = email.from.as_ref() else {
            // A From line with a name and no address, on relayed mail.
            if let Some(s) = cx.msg.sender.as_ref().filter(|_| email.relayed && email.from_entries > 0) {
                out.push(Finding::new(
                    meta,
                    format!("the From line names `{}` but gives no address", quote(&s.value)),
                    vec![Evidence::with_note(s.span, "no address to reply to")],
                ));
            }
            return;
        };
        if email.relayed && m.address.starts_with('"') && m.address.ends_with('"') {
            out.push(Finding::new(
                meta,
                format!("the sender address `{}` is all in quotes, so it has no domain", quote(&m.address)),
                vec![Evidence::with_note(m.span, "an address in quotes is only a name")],
            ));
            return;
        }
        let entries = email.from_entries;
        if entries > 1 {
            out.push(Finding::new(
                meta,
                format!("the From line lists {entries} senders instead of one"),
                vec![Evidence::with_note(m.span, "a From line typed to show a name")],
            ));
            return;
        }
        let Some(domain) = domain_of(&m.address) else { return };
        let domain = domain.trim_end_matches(['>', '.']);
        if domain.is_empty() || domain == "localhost" {
            return;
        }
        let styled = domain.chars().any(|c| ('\u{1D400}'..='\u{1D7FF}').contains(&c) || ('\u{FF01}'..='\u{FF5E}').contains(&c));
        let tld = domain.rsplit('.').next().unwrap_or("");
        let single_letter_labels = domain.split('.').filter(|l| l.chars().count() == 1).count();
        let why = if styled {
            "written in styled look-alike letters"
        } else if single_letter_labels >= 4 {
            "is spelled out letter by letter (r.a.n.d.o.m)"
        } else if !domain.contains('.') && !domain.starts_with('[') {
            "has no ending such as .com"
        } else if !tld.is_empty() && tld.chars().all(|c| c.is_ascii_digit()) && domain.parse::<std::net::Ipv4Addr>().is_err() {
            "ends in digits"
        } else {
            return;
        };
        out.push(Finding::new(
            meta,
            format!("the sender address `{}` {why}", quote(&m.address)),
            vec![Evidence::with_note(m.span, format!("the domain {why}"))],
        ));
    },
}

rule! {
    /// The message was sent from a free app-hosting address (`noreply@my-app-12.firebaseapp.com`).
    ///
    /// **Why:** these default sender addresses come free with a hosting account; companies
    /// send from their own domains. Scam kits use them because they pass authentication.
    ///
    /// **Example:** `From: Your Bonus <noreply@loco-b9f8c.firebaseapp.com>`.
    ///
    /// **Known false positives:** a small app's sign-up mail before it set up its domain.
    pub struct FreeHostingSender;
    id: "SND011", name: "free-hosting-sender", severity: Medium,
    points: 30, channels: EMAIL, status: Stable("0.1.0"), summary: "Sent from a free app-hosting address",
    explain: "The email was sent from a free app-hosting address, not from a company's own domain. Scam kits use these addresses because they cost nothing.",
    check: |cx, meta, out| {
        let Some(m) = from(cx) else { return };
        let Some(domain) = domain_of(&m.address) else { return };
        if cx.profile.common.is_free_hosting(domain) {
            out.push(Finding::new(
                meta,
                format!("sent from `{}`, a free app-hosting address", quote(&m.address)),
                vec![Evidence::with_note(m.span, "free hosting, not a company's own domain")],
            ));
        }
    },
}

rule! {
    /// The sender's domain ends in a cheap, heavily abused ending (`.shop`, `.xyz`, `.top`,
    /// `.click`, ...: `risky_tlds` in the profile's `common.toml`, the list LNK009 uses).
    ///
    /// **Why:** bulk scam mail is sent from throw-away domains registered by the hundred on
    /// such endings; established companies send from their long-standing domains.
    ///
    /// **Example:** `From: Reward Center <offers@mail.gift-center.shop>`.
    ///
    /// **Known false positives:** a small shop that chose a new ending for its name; the
    /// points are low, so it only counts next to other red flags.
    pub struct RiskyTldSender;
    id: "SND012", name: "risky-tld-sender", severity: Low,
    points: 15, channels: EMAIL, status: Stable("0.1.0"), summary: "Sent from a domain on an ending popular with scammers",
    explain: "The email was sent from a domain on a cheap web address ending that scammers register by the hundred. Established companies send from their long-standing domains.",
    check: |cx, meta, out| {
        let Some(m) = from(cx) else { return };
        let Some(domain) = domain_of(&m.address) else { return };
        let domain = domain.trim_end_matches(['>', '.']);
        if cx.profile.brand.is_legit_domain(domain) {
            return;
        }
        if let Some(tld) = cx.profile.common.risky_tld(domain) {
            out.push(Finding::new(
                meta,
                format!("sent from `{}`, a domain ending in .{tld}", quote(&m.address)),
                vec![Evidence::with_note(m.span, format!(".{tld} is popular with scammers"))],
            ));
        }
    },
}
