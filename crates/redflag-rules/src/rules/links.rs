//! Links to phony sites: look-alike domains, homographs, the brand in a sub-domain or path,
//! bare IP addresses, shorteners, disguised links and link text that lies; and the link
//! red flags only texts (SMS and chat) have, where a text has no headers to check and few
//! words, so what it links to and what it tells you to do with the link carry the evidence:
//! a scam story next to an unknown site, a machine-made domain, a link to "activate".

use crate::helpers::{
    Lookalike, brand_lookalike, host, phrase_finding, phrase_hits, quote, registrable,
    request_hits, unknown_links,
};
use crate::{ALL, Context, Evidence, Finding, RuleMeta, TEXTS, family, rule};
use redflag_extract::{UrlRef, UrlSource};
use redflag_message::Channel;

family! {
    /// Links to phony sites (LNK).
    name: "links", prefix: "LNK", title: "Links to phony sites", rank: 3,
}

/// Web links with a host (no `mailto:` or `tel:`).
fn web_links<'a>(cx: &'a Context<'_>) -> impl Iterator<Item = &'a UrlRef> {
    // On a picture, `http://www` with no dot is a link recognition broke in two, not a site.
    let image = cx.read_from_image();
    cx.ind.urls.iter().filter(move |u| {
        u.host.is_some()
            && matches!(u.scheme.as_str(), "http" | "https" | "ftp" | "")
            && (!image || host(u).contains('.'))
    })
}

fn shown(u: &UrlRef) -> String {
    u.host_unicode
        .clone()
        .or_else(|| u.host.clone())
        .unwrap_or_default()
}

/// Pushes one finding with every offending link as evidence.
fn links_finding(
    meta: &'static RuleMeta,
    out: &mut Vec<Finding>,
    bad: &[(&UrlRef, String)],
    what: &str,
) {
    let Some((first, _)) = bad.first() else {
        return;
    };
    let evidence = bad
        .iter()
        .take(8)
        .map(|(u, note)| Evidence::with_note(u.span, note.clone()))
        .collect();
    out.push(Finding::new(
        meta,
        format!("{what} `{}`", quote(&shown(first))),
        evidence,
    ));
}

rule! {
    /// A link's visible text names one web address, but the link goes to another.
    ///
    /// **Why:** the classic phishing trick: `www.amazon.com` on screen, a fake site behind it.
    ///
    /// **Example:** `<a href="http://amazon-verify.top/login">www.amazon.com</a>`.
    ///
    /// **Known false positives:** click-tracking redirectors of newsletters (the text names
    /// the destination, the link goes to the tracker). A newsletter showing its own domain is
    /// skipped; a mismatch weighs 40 points when the text shows the brand's domain, the
    /// message claims the brand or the target is an IP address, and 20 otherwise.
    pub struct LinkTextDomainMismatch;
    id: "LNK001", name: "link-text-domain-mismatch", severity: High,
    points: 40, channels: ALL, status: Stable("0.1.0"), summary: "Link text shows one address but goes to another",
    explain: "A link shows one web address but actually goes somewhere else. That is a classic trick to send you to a fake site.",
    check: link_text_domain_mismatch,
}

fn link_text_domain_mismatch(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    let brand = &cx.profile.brand;
    let mut bad = Vec::new();
    let mut strong = false;
    let sender_reg = cx.sender_domain().and_then(|d| registrable(&d));
    for u in web_links(cx).filter(|u| u.source == UrlSource::Anchor) {
        let Some(text) = u.link_text.as_deref() else {
            continue;
        };
        let Some(shown_domain) = domain_in_text(text) else {
            continue;
        };
        let Some(a) = registrable(&shown_domain) else {
            continue;
        };
        // An IP-address target has no registrable domain: compare with the host itself.
        let Some(b) = u.registrable.as_deref().or(u.host.as_deref()) else {
            continue;
        };
        if a != b && !(brand.is_legit_domain(&a) && brand.is_legit_domain(b)) {
            // Newsletters show their own site and link through a click tracker.
            if sender_reg.as_deref() == Some(a.as_str()) && !cx.claim.claims {
                continue;
            }
            bad.push((u, format!("shows {shown_domain}, goes to {}", host(u))));
            strong |= brand.is_legit_domain(&a) || cx.claim.claims || u.is_ip;
        }
    }
    let before = out.len();
    links_finding(meta, out, &bad, "link text does not match its target");
    if !strong && let Some(f) = out.get_mut(before) {
        f.points = 20;
    }
}

/// A domain written as the whole link text (`www.amazon.com`, `https://amazon.com/x`).
fn domain_in_text(text: &str) -> Option<String> {
    let t = text.trim().trim_end_matches('/').to_ascii_lowercase();
    if t.contains(char::is_whitespace) || !t.contains('.') {
        return None;
    }
    let t = t.split_once("://").map(|(_, r)| r).unwrap_or(&t);
    let host = t.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map(|(_, h)| h).unwrap_or(host);
    let ok = host
        .split('.')
        .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    (ok && registrable(host).is_some()).then(|| host.to_string())
}

rule! {
    /// A message that claims to be the brand links to a site that is not the brand's.
    ///
    /// **Why:** the advisory: a text or email "provides a website link to a phony Amazon
    /// website". Real Amazon messages link only to Amazon's own domains.
    ///
    /// **Example:** `Amazon: confirm your order at https://secure-orders.help/confirm`.
    ///
    /// A link the message itself labels with its own site's name (`Seller: Goibibo
    /// (https://www.goibibo.com)`) does not pretend to be the brand's: when every off-brand
    /// link is so labelled, the finding is weak evidence worth 10 points.
    ///
    /// **Known false positives:** real Amazon mail that links to a partner (a carrier's
    /// tracking page, the shop an Amazon Pay receipt names): mail from the brand's own
    /// domain (not failing authentication) is skipped; the look-alike checks still apply to
    /// it. Pasted without its sender, such a link counts as above.
    pub struct OffBrandLink;
    id: "LNK002", name: "off-brand-link", severity: Medium,
    points: 30, channels: ALL, status: Stable("0.1.0"), summary: "Claims to be {brand} but links elsewhere",
    explain: "The message claims to be from {brand} but links to a website that is not {brand}'s.",
    check: off_brand_link,
}

fn off_brand_link(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    // Mail from the brand's own domain links to partners (carriers, health advice); the
    // look-alike and sub-domain rules still apply to it.
    if !cx.claim.claims || cx.claim.sender_is_brand {
        return;
    }
    let brand = &cx.profile.brand;
    // A link that may be the brand's own domain misread from a picture is LNK003's to weigh.
    let off: Vec<_> = web_links(cx)
        .filter(|u| !brand.is_legit_domain(host(u)))
        .filter(|u| {
            u.registrable
                .as_deref()
                .is_none_or(|r| crate::helpers::misread_brand_domain(cx, r).is_none())
        })
        .collect();
    let named: Vec<Option<String>> = off.iter().map(|u| named_site(cx, u)).collect();
    if !off.is_empty() && named.iter().all(Option::is_some) {
        // Every such link is labelled with its own site's name: the message says openly
        // that it leads away from the brand. Weak evidence, kept in the report.
        let bad: Vec<_> = off
            .iter()
            .zip(&named)
            .map(|(u, n)| {
                let n = n.as_deref().unwrap_or_default();
                (
                    *u,
                    format!(
                        "goes to {}, which the message names as {n}'s site, not {}'s",
                        shown(u),
                        brand.name
                    ),
                )
            })
            .collect();
        let first = &bad[0].0;
        let evidence = bad
            .iter()
            .take(8)
            .map(|(u, note)| Evidence::with_note(u.span, note.clone()))
            .collect();
        out.push(
            Finding::new(
                meta,
                format!(
                    "links to `{}`, a site it names as another company's",
                    quote(&shown(first))
                ),
                evidence,
            )
            .points(NAMED_SITE_POINTS)
            .soft(true),
        );
        return;
    }
    let bad: Vec<_> = off
        .into_iter()
        .map(|u| (u, format!("goes to {}, not {}", shown(u), brand.name)))
        .collect();
    links_finding(meta, out, &bad, "links to");
}

/// Points of an off-brand link that the message labels with its own site's name.
const NAMED_SITE_POINTS: u8 = 10;

/// The name the text gives a link's own site, when it gives one: `Seller: Goibibo
/// (https://www.goibibo.com)` names `goibibo.com` as Goibibo's. The name must be the site's
/// registrable label (5 letters or more, spaces and hyphens aside), written on the same line
/// just before the link or as an anchor's text, and must not contain the brand's name (that
/// is a look-alike, for LNK003).
fn named_site(cx: &Context<'_>, u: &UrlRef) -> Option<String> {
    let reg = u.registrable.as_deref()?;
    let label: String = reg
        .split('.')
        .next()?
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    if label.len() < 5 || label.contains(&cx.profile.brand.canonical().to_lowercase()) {
        return None;
    }
    let said = match (&u.source, &u.link_text) {
        (UrlSource::Anchor, Some(t)) if domain_in_text(t).is_none() => t.clone(),
        (UrlSource::Anchor, _) => return None,
        _ => {
            let text = cx.msg.text.as_str();
            let from = text.floor_char_boundary(u.span.start.saturating_sub(48));
            let before = &text[from..u.span.start];
            before.rsplit('\n').next().unwrap_or(before).to_string()
        }
    };
    let words: Vec<&str> = said
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // One to three words that spell the label: `Goibibo`, `Make My Trip`.
    for n in 1..=3 {
        for w in words.windows(n) {
            if w.concat().to_lowercase() == label {
                return Some(w.join(" "));
            }
        }
    }
    None
}

rule! {
    /// A link goes to a look-alike of the brand's domain: the name with extra words
    /// (`amazon-support-center.com`, combosquatting) or misspelled by one letter or with
    /// digits for letters (`amaz0n.com`, `arnazon.com`, typosquatting).
    ///
    /// **Why:** "a website link to a phony Amazon website" (advisory). Real Amazon addresses
    /// end in amazon.com or a country domain.
    ///
    /// **Example:** `https://amazon-account-verify.com/signin`.
    ///
    /// A brand name shorter than four letters (`dhl`) counts only as a whole dash-separated
    /// part of the name (`dhl-redelivery.top`): inside words and one letter off, it would
    /// match ordinary names.
    ///
    /// **Known false positives:** unrelated sites with "amazon" in their name (the river,
    /// third-party sellers' tools).
    pub struct LookalikeDomain;
    id: "LNK003", name: "lookalike-domain", severity: High,
    points: 50, channels: ALL, status: Stable("0.1.0"), summary: "Links to a look-alike of {brand}'s domain",
    explain: "A link goes to a fake look-alike of {brand}'s website (an extra word, a swapped letter, or a different ending). Real {brand} addresses end in amazon.com or a country domain.",
    check: lookalike_domain,
}

/// Points of a look-alike that may be the brand's own domain misread from a picture: none.
/// It is shown, so that the person looks at the picture, but recognition turns `amazon.com`
/// into `arnazon.com` more often than a scammer sends `arnazon.com` with nothing else
/// wrong in the message.
const MISREAD_POINTS: u8 = 0;

fn lookalike_domain(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    let brand = &cx.profile.brand;
    // On a picture, `arnazon.com` may be `amazon.com` misread: weak evidence, said so.
    let misread: Vec<_> = web_links(cx)
        .filter(|u| !brand.owns(host(u)))
        .filter_map(|u| {
            let reg = u.registrable.as_deref()?;
            let real = crate::helpers::misread_brand_domain(cx, reg)?;
            Some((
                u,
                format!("{reg} may be {real} misread from the picture: look at the picture"),
            ))
        })
        .collect();
    if !misread.is_empty() {
        let mut weak = Vec::new();
        links_finding(
            meta,
            &mut weak,
            &misread,
            "look-alike site, or a misreading:",
        );
        out.extend(
            weak.into_iter()
                .map(|f| f.points(MISREAD_POINTS).soft(true)),
        );
    }
    let bad: Vec<_> = web_links(cx)
        .filter(|u| {
            u.registrable
                .as_deref()
                .is_none_or(|r| crate::helpers::misread_brand_domain(cx, r).is_none())
        })
        .filter(|u| !brand.owns(host(u)) && !host(u).contains("xn--"))
        .filter_map(|u| {
            let reg = u.registrable.as_deref()?;
            let kind = brand_lookalike(brand, reg)?;
            let note = match kind {
                Lookalike::Combo => format!("{reg} adds words to {}'s name", brand.name),
                Lookalike::Typo => format!("{reg} misspells {}", brand.name),
            };
            Some((u, note))
        })
        .collect();
    links_finding(meta, out, &bad, "look-alike site");
}

rule! {
    /// A link's domain uses letters from another alphabet that look like the brand's
    /// (an IDN homograph: Cyrillic `а` in `аmazon.com`), or mixes alphabets in one name.
    ///
    /// **Why:** on screen it reads as the real name; it is a different site.
    ///
    /// **Example:** `https://аmazon.com/` (first letter Cyrillic; really
    /// `xn--mazon-3ve.com`).
    ///
    /// **Known false positives:** genuine sites in other scripts that happen to mix scripts;
    /// rare in mail claiming to be Amazon.
    pub struct IdnHomographDomain;
    id: "LNK004", name: "idn-homograph-domain", severity: Critical,
    points: 60, channels: ALL, status: Stable("0.1.0"), summary: "Links to a domain that fakes {brand}'s with look-alike letters",
    explain: "A link uses letters from another alphabet that look like {brand}'s name. On screen it looks real; it goes to a different site.",
    check: idn_homograph_domain,
}

fn idn_homograph_domain(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    let brand = &cx.profile.brand;
    let bad: Vec<_> = web_links(cx)
        .filter(|u| host(u).split('.').any(|l| l.starts_with("xn--")))
        .filter_map(|u| {
            let uni = u.host_unicode.as_deref()?;
            let mixed = uni.split('.').any(mixed_script);
            let skel_brand = brand
                .legit_domains
                .iter()
                .any(|d| redflag_extract::skeleton_eq(uni, d))
                || uni
                    .split('.')
                    .any(|l| redflag_extract::skeleton_eq(l, brand.canonical()));
            (mixed || skel_brand).then(|| (u, format!("{uni} is really {}", host(u))))
        })
        .collect();
    links_finding(meta, out, &bad, "look-alike letters in");
}

/// True when a label mixes Latin letters with letters of another script.
fn mixed_script(label: &str) -> bool {
    let latin = label.chars().any(|c| c.is_ascii_alphabetic());
    let other = label
        .chars()
        .any(|c| c.is_alphabetic() && !c.is_ascii() && !('\u{00C0}'..='\u{024F}').contains(&c));
    latin && other
}

rule! {
    /// A link puts the brand's name in front of or inside someone else's address: in a
    /// sub-domain (`amazon.com.account-check.xyz`) or in the path
    /// (`evil.example/amazon/signin`).
    ///
    /// **Why:** Amazon's help pages say a real address has a dot right before `amazon` and
    /// ends in amazon.com or a country domain; scammers rely on people reading only the
    /// start.
    ///
    /// **Example:** `http://amazon.co.uk.secure-id.top/login`.
    ///
    /// **Known false positives:** third-party pages about Amazon (reviews, seller tools);
    /// brand-in-path counts less than brand-in-sub-domain.
    pub struct BrandInSubdomainOrPath;
    id: "LNK005", name: "brand-in-subdomain-or-path", severity: High,
    points: 45, channels: ALL, status: Stable("0.1.0"), summary: "Puts {brand}'s name in a sub-domain or path of another site",
    explain: "A link puts {brand}'s name at the front or in the middle of someone else's web address, so a quick look sees \"{brand}\". What counts is the part just before the ending (like .com), and that is not {brand}.",
    check: brand_in_subdomain_or_path,
}

fn brand_in_subdomain_or_path(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    let brand = &cx.profile.brand;
    let name = brand.canonical();
    let mut sub = Vec::new();
    let mut path = Vec::new();
    for u in web_links(cx).filter(|u| !brand.is_legit_domain(host(u)) && !u.is_ip) {
        let h = host(u);
        let Some(reg) = u.registrable.as_deref() else {
            continue;
        };
        let prefix = h.strip_suffix(reg).unwrap_or("");
        if prefix.contains(name) {
            sub.push((u, format!("the site is {reg}, not {}", brand.name)));
        } else if u.path.to_ascii_lowercase().contains(name)
            && brand_lookalike(brand, reg).is_none()
        {
            path.push((
                u,
                format!("the site is {reg}; {} is only in the path", brand.name),
            ));
        }
    }
    if !sub.is_empty() {
        links_finding(meta, out, &sub, "hides the real site behind");
    } else if !path.is_empty() && cx.claim.claims {
        let before = out.len();
        links_finding(meta, out, &path, "puts the brand in the path of");
        if let Some(f) = out.get_mut(before) {
            f.points = 25;
        }
    }
}

rule! {
    /// A link goes to a bare IP address instead of a named site.
    ///
    /// **Why:** Amazon never links to an IP address; phishing kits on hacked servers do.
    ///
    /// **Example:** `http://185.23.44.10/amazon/login.php`.
    ///
    /// **Known false positives:** technical mail about servers (rare in consumer mail).
    pub struct IpAddressLink;
    id: "LNK006", name: "ip-address-link", severity: High,
    points: 35, channels: ALL, status: Stable("0.1.0"), summary: "Links to a bare IP address",
    explain: "A link goes to a bare number (an IP address) instead of a named website. {brand} never links to an IP address.",
    check: |cx, meta, out| {
        let bad: Vec<_> = web_links(cx).filter(|u| u.is_ip).map(|u| (u, "a bare IP address".to_string())).collect();
        links_finding(meta, out, &bad, "links to the IP address");
    },
}

rule! {
    /// A link is shortened (bit.ly, tinyurl and the like), which hides where it goes.
    ///
    /// **Why:** scam texts use shorteners so that the real site is invisible and filters
    /// cannot block it.
    ///
    /// **Example:** `Your package is held: https://bit.ly/3xYzAbc`.
    ///
    /// **Known false positives:** newsletters and people sharing links; weak on its own.
    /// The brand's own short links (amzn.to, a.co) are not counted.
    pub struct ShortenedLink;
    id: "LNK007", name: "shortened-link", severity: Low,
    points: 15, channels: ALL, status: Stable("0.1.0"), summary: "Uses a link shortener that hides the real site",
    explain: "A link is shortened, which hides where it really goes.",
    check: |cx, meta, out| {
        let brand = &cx.profile.brand;
        let bad: Vec<_> = web_links(cx)
            .filter(|u| cx.profile.common.is_shortener(host(u)) && !brand.is_short_domain(host(u)))
            .map(|u| (u, "a link shortener hides the real address".to_string()))
            .collect();
        links_finding(meta, out, &bad, "shortened link");
    },
}

rule! {
    /// A web address is written in a disguised way: `hxxp://`, `amazon[.]com`,
    /// `secure-login (dot) com`.
    ///
    /// **Why:** that only serves to get past filters; legitimate senders write links
    /// plainly.
    ///
    /// **Example:** `Visit amazon-refund[.]help to claim.`
    ///
    /// **Known false positives:** security researchers and IT staff share defanged links on
    /// purpose; not a consumer scenario. People write `example dot com` in ordinary mail
    /// and say it on the phone, so an address written only with the word "dot" weighs 10
    /// points; brackets and `hxxp` weigh 30.
    pub struct ObfuscatedLink;
    id: "LNK008", name: "obfuscated-link", severity: Medium,
    points: 30, channels: ALL, status: Stable("0.1.0"), summary: "Writes a web address in a disguised way",
    explain: "A web address is written in a disguised way (like hxxp or [.]), to get past filters. Legitimate senders do not do that.",
    check: |cx, meta, out| {
        let bad: Vec<_> = cx.ind.urls.iter().filter(|u| u.obfuscated).map(|u| (u, format!("really {}", u.url))).collect();
        let defanged = bad.iter().any(|(u, _)| {
            let written = cx.msg.text.get(u.span.range()).unwrap_or_default();
            written.contains(['[', '(', '{', '*']) || !written.to_ascii_lowercase().contains("dot")
        });
        let before = out.len();
        links_finding(meta, out, &bad, "disguised link");
        if !defanged && let Some(f) = out.get_mut(before) {
            f.points = 10;
        }
    },
}

rule! {
    /// A link goes to a web address ending that is cheap and heavily abused (`.top`,
    /// `.xyz`, `.icu`, `.help`, ...).
    ///
    /// **Why:** most scam texts link to throw-away domains on such endings.
    ///
    /// **Example:** `https://usps-redelivery.top/track`.
    ///
    /// **Known false positives:** real sites on those endings; weak on its own. In email it
    /// counts only when the message claims to be the brand.
    pub struct RiskyTldLink;
    id: "LNK009", name: "risky-tld-link", severity: Low,
    points: 15, channels: ALL, status: Stable("0.1.0"), summary: "Links to a web ending popular with scammers",
    explain: "A link goes to a web address ending that is cheap and popular with scammers.",
    check: risky_tld_link,
}

fn risky_tld_link(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    if cx.msg.channel == Channel::Email && !cx.claim.claims {
        return;
    }
    let brand = &cx.profile.brand;
    let bad: Vec<_> = web_links(cx)
        .filter(|u| !brand.is_legit_domain(host(u)) && !u.is_ip)
        .filter_map(|u| {
            cx.profile
                .common
                .risky_tld(host(u))
                .map(|t| (u, format!("ends in .{t}")))
        })
        .collect();
    links_finding(meta, out, &bad, "risky address");
}

rule! {
    /// A link hides the real site after an `@`: `https://amazon.com@evil.example/` goes to
    /// evil.example.
    ///
    /// **Why:** browsers treat everything before `@` as a user name, so the brand shown at
    /// the start means nothing.
    ///
    /// **Example:** `http://www.amazon.com@198.51.100.7/`.
    ///
    /// **Known false positives:** none in consumer mail.
    pub struct LinkUserinfoTrick;
    id: "LNK010", name: "link-userinfo-trick", severity: High,
    points: 50, channels: ALL, status: Stable("0.1.0"), summary: "Hides the real site after an @ in the link",
    explain: "A link hides the real website after an @ sign: everything before the @ is ignored by the browser.",
    check: |cx, meta, out| {
        let bad: Vec<_> = web_links(cx).filter(|u| u.has_userinfo).map(|u| (u, format!("really goes to {}", host(u)))).collect();
        links_finding(meta, out, &bad, "the real site is");
    },
}

rule! {
    /// A link goes to free app or page hosting (`*.firebaseapp.com`, `*.web.app`,
    /// `*.pages.dev`, `*.blogspot.com`, ...), where anyone can put up a page in a minute.
    ///
    /// **Why:** phishing pages are often parked on such hosts because they cost nothing and
    /// inherit the host's good name. Real companies link to their own sites.
    ///
    /// **Example:** `https://account-verify-4411.web.app/login`.
    ///
    /// **Known false positives:** hobby sites, small shops and Google Sites pages shared by
    /// friends; weak on its own.
    pub struct FreeHostingLink;
    id: "LNK011", name: "free-hosting-link", severity: Low,
    points: 15, channels: ALL, status: Stable("0.1.0"), summary: "Links to a page on free hosting that anyone can set up",
    explain: "A link goes to a page on free hosting, where anyone can put up a page in minutes. Real companies link to their own websites.",
    check: |cx, meta, out| {
        let bad: Vec<_> = web_links(cx)
            .filter(|u| cx.profile.common.is_free_hosting(host(u)))
            .map(|u| (u, format!("{} is free hosting", host(u))))
            .collect();
        links_finding(meta, out, &bad, "free hosting");
    },
}

rule! {
    /// The message dangles bait (a prize, a date, a windfall, crypto or casino riches:
    /// SCN009 and SCN014-016) and sends you to a link on a site that is not the sender's
    /// own.
    ///
    /// **Why:** the bait is the story; the link is where the card details or the wallet
    /// are taken. A company running a real promotion links to its own site.
    ///
    /// **Example:** `Congratulations, you have won a gift card! Claim it at
    /// https://gift-claim.example.net` from `news@shop.example.com`.
    ///
    /// **Known false positives:** a newsletter's prize draw whose links go through a
    /// mailing service's click tracker.
    pub struct BaitLink;
    id: "LNK012", name: "bait-link", severity: Low,
    points: 15, channels: ALL, status: Stable("0.1.0"), summary: "Offers a prize or riches and links to another site",
    explain: "The message offers a prize, a date, a windfall or riches and links to a site that is not the sender's own. A company with a real promotion links to its own site; the bait is there to get you to the link.",
    check: bait_link,
}

/// The bait scenarios: offers of something for nothing.
const BAITS: &[&str] = &["SCN009", "SCN014", "SCN015", "SCN016"];

/// Prize words that friends and mailing lists use too: bait only beside other prize words,
/// not alone.
const WEAK_BAIT: &[&str] = &[
    "congratulations",
    "felicitations",
    "félicitations",
    "parabéns",
    "parabens",
    "gefeliciteerd",
    "felicidades",
    "felicitaciones",
    "herzlichen glückwunsch",
    "herzlichen gluckwunsch",
    "free gift",
];

fn bait_link(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    let Some(bait) = BAITS.iter().find_map(|id| {
        phrase_hits(cx, id).iter().copied().find(|&s| {
            let said = cx.text(s).split_whitespace().collect::<Vec<_>>().join(" ");
            !WEAK_BAIT.contains(&said.to_lowercase().as_str())
        })
    }) else {
        return;
    };
    // The email's From domain (a text's sender address is not a site it would link to).
    let sender = cx
        .msg
        .email
        .as_ref()
        .and_then(|e| e.from.as_ref())
        .and(cx.sender_domain())
        .and_then(|d| registrable(&d));
    let Some(link) = web_links(cx).find(|u| {
        !cx.is_known_site(host(u)) && (sender.is_none() || registrable(host(u)) != sender)
    }) else {
        return;
    };
    out.push(Finding::new(
        meta,
        format!(
            "offers `{}` and links to `{}`",
            quote(cx.text(bait)),
            quote(&shown(link))
        ),
        vec![
            Evidence::with_note(bait, "the bait"),
            Evidence::with_note(link.span, "a site that is not the sender's"),
        ],
    ));
}

rule! {
    /// A text tells you to reply, copy the link into your browser, or close and reopen the
    /// message "to activate the link".
    ///
    /// **Why:** phones switch links off in texts from unknown senders. A real company's text
    /// comes from a known sender and never needs you to turn its link back on; a scam that
    /// wants you on its site does.
    ///
    /// **Example:** `Your parcel needs a new address. Reply Y and close this text, then open
    /// it again to activate the link, or paste the link into your browser.`
    ///
    /// **Known false positives:** none known.
    pub struct LinkActivationTrick;
    id: "LNK015", name: "link-activation-trick", severity: High,
    points: 30, channels: TEXTS, status: Stable("0.1.0"), summary: "Tells you to reply or copy the link to make it work",
    explain: "The text asks you to reply, or to copy its link into your browser, to make the link work. Phones turn off links in texts from unknown senders; a real company's text never needs you to turn its link back on.",
    check: |cx, meta, out| {
        let hits = phrase_hits(cx, meta.id);
        out.extend(phrase_finding(cx, meta, hits, "asks you to turn the link on"));
    },
}

/// Rules whose phrases tell a scam story (every scenario but a plain order confirmation).
const STORIES: &[&str] = &[
    "SCN001", "SCN002", "SCN003", "SCN004", "SCN006", "SCN007", "SCN008", "SCN009", "SCN010",
    "SCN011", "SCN012", "SCN013",
];

rule! {
    /// A text tells one of the scam stories (a charge, a locked account, a held parcel, a
    /// prize, a refund, a job, an unpaid fee, an invitation from a stranger) and links to a
    /// site that is neither the brand's nor another well-known company's.
    ///
    /// **Why:** that is the whole smishing scam in one line: a reason to worry or hope, and a
    /// link to act on it. A real company's text about your account links to its own site,
    /// or to none.
    ///
    /// **Example:** `Your parcel is on hold due to an unpaid fee of $1.99:
    /// https://redelivery-post.example.top/pay`.
    ///
    /// **Known false positives:** a small business's own text about a real delivery or
    /// bill, linking to its own site; the points are moderate so that it takes another red
    /// flag to make a scam.
    pub struct LureWithLink;
    id: "LNK013", name: "lure-with-link", severity: Medium,
    points: 20, channels: TEXTS, status: Stable("0.1.0"), summary: "A text tells a scam story and links to an unknown site",
    explain: "The text tells a story meant to worry or tempt you (a charge, a locked account, a parcel, a prize, a job, an invitation) and links to a site that belongs to no known company. That is how most scam texts work: a real company's text links to its own site, or to none.",
    check: lure_with_link,
}

fn lure_with_link(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    let links = unknown_links(cx);
    let Some(link) = links.first() else { return };
    let story = STORIES
        .iter()
        .find_map(|id| phrase_hits(cx, id).iter().copied().next())
        .or_else(|| request_hits(cx, "PAY005").into_iter().next())
        .or_else(|| phrase_hits(cx, meta.id).iter().copied().next());
    let Some(story) = story else { return };
    out.push(Finding::new(
        meta,
        format!(
            "says `{}` and links to `{}`",
            quote(cx.text(story)),
            quote(host(link))
        ),
        vec![
            Evidence::at(story),
            Evidence::with_note(
                link.span,
                format!("{} is not a known company's site", host(link)),
            ),
        ],
    ));
}

rule! {
    /// A text links to a web address whose name is gibberish: no vowels (`qwrtzk.com`), a
    /// long run of consonants, or consonants and digits mixed into a short code (`k8pq3t.com`).
    ///
    /// **Why:** scam texts are sent in waves from throw-away domains registered by the
    /// thousand under machine-made names. Companies use names people can read and remember.
    ///
    /// **Example:** `Hey, it's Dana, fancy a drink tonight? http://xkwrtp.com/Qa81Zc`.
    ///
    /// **Known false positives:** abbreviated names (`bkng.com`); the points are low.
    pub struct GibberishDomainLink;
    id: "LNK014", name: "gibberish-domain-link", severity: Low,
    points: 15, channels: TEXTS, status: Stable("0.1.0"), summary: "Links to a site with a machine-made name",
    explain: "The text links to a site whose name is gibberish (letters without vowels, or letters and digits mixed). Scam texts come from throw-away sites registered by the thousand under machine-made names.",
    check: |cx, meta, out| {
        let bad: Vec<(&UrlRef, String)> = unknown_links(cx)
            .into_iter()
            .filter(|u| !u.is_ip)
            .filter_map(|u| {
                let label = u.registrable.as_deref()?.split('.').next()?;
                gibberish(label).then(|| (u, format!("{label} is not a word or a name")))
            })
            .collect();
        let Some((first, _)) = bad.first() else { return };
        let evidence = bad.iter().take(4).map(|(u, note)| Evidence::with_note(u.span, note.clone())).collect();
        out.push(Finding::new(meta, format!("links to the made-up name `{}`", quote(host(first))), evidence));
    },
}

/// A domain label that no person would choose: at least four letters and no vowel, a run of
/// five consonants, or a short mix of consonants and digits.
pub(crate) fn gibberish(label: &str) -> bool {
    let l = label.to_ascii_lowercase();
    if l.len() < 4 || l.len() > 16 || !l.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return false;
    }
    let letters = l.bytes().filter(u8::is_ascii_alphabetic).count();
    if letters < 3 {
        return false;
    }
    let vowel = |b: u8| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u');
    let vowels = l.bytes().filter(|&b| vowel(b)).count();
    if vowels == 0 && letters >= 4 {
        return true;
    }
    let mut run = 0;
    for b in l.bytes() {
        run = if b.is_ascii_alphabetic() && !vowel(b) && b != b'y' {
            run + 1
        } else {
            0
        };
        if run >= 5 {
            return true;
        }
    }
    // One or two digits between consonants, in a short label: `r7j2j`, `qv02g`.
    let b = l.as_bytes();
    let digit_between = (1..b.len()).any(|i| {
        let run = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        (1..=2).contains(&run)
            && b[i - 1].is_ascii_alphabetic()
            && b.get(i + run).is_some_and(u8::is_ascii_alphabetic)
    });
    digit_between && vowels == 0 && l.len() <= 8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gibberish_labels() {
        for l in [
            "qwrtzk", "xkwrtp", "k8pq3t", "bv27dk", "t5gnx", "plmbrtz", "zdkfq",
        ] {
            assert!(gibberish(l), "{l}");
        }
        for l in [
            "amazon",
            "usps",
            "text2me",
            "freesms",
            "bankcard",
            "paypal",
            "web2sms",
            "ups",
            "bbc",
            "google",
            "bit",
            "citybank",
            "hotmail",
            "gardenhouse",
        ] {
            assert!(!gibberish(l), "{l}");
        }
    }
}
