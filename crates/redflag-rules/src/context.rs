//! The per-message context every rule reads: built once, shared by all rules.

use crate::helpers::{lookalike_sender_domain, registrable};
use crate::rules::orders::{OrderCheck, check_orders};
use redflag_extract::Indicators;
use redflag_extract::OrderHistory;
use redflag_message::{Channel, Message, SectionKind, SenderKind, Span};
use redflag_profile::{PhraseCandidates, Profile};
use serde::Serialize;
use std::cell::OnceCell;

/// What the receiving server's checks say about the `From` domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthStatus {
    /// DMARC passed, or DKIM/SPF passed aligned with the `From` domain.
    Pass,
    /// DMARC failed, Microsoft's composite authentication (`compauth`) failed, or both DKIM
    /// and SPF failed.
    Fail,
    /// No usable `Authentication-Results` (not an email, or not recorded).
    Unknown,
}

/// Whether, where and how the message claims to be the brand.
#[derive(Debug, Clone, Default)]
pub struct BrandClaim {
    /// The message speaks as the brand (sender, subject, a claim phrase, or the brand name
    /// opening the text; any mention in a call).
    pub claims: bool,
    /// Every mention of a brand name (original spans).
    pub mentions: Vec<Span>,
    /// Spans that make it a claim.
    pub claim_spans: Vec<Span>,
    /// The brand's name opens the text like a sender label (`Amazon: ...`, `[Amazon]`), or
    /// is in the sender or subject: the message presents itself as the brand, rather than
    /// talking about it ("did your Amazon order come?").
    pub labelled: bool,
    /// The email's `From` address is on a brand sender domain and authentication did not fail.
    pub sender_is_brand: bool,
}

/// Who the message is proven to come from.
#[derive(Debug, Clone)]
pub enum VerifiedBy<'a> {
    /// The brand itself (one of its marketplaces or services, when known).
    Brand(Option<&'a redflag_profile::Site>),
    /// Another company redflag knows (`other_brands`), by its first name.
    Other(&'a str),
}

/// A sender that something other than the message's own words vouches for: the receiving
/// mail server's authentication of the `From` domain, or a text sender ID or short code that
/// only its registered owner can use.
#[derive(Debug, Clone)]
pub struct VerifiedSender<'a> {
    /// Whose it is.
    pub by: VerifiedBy<'a>,
    /// The domain, sender ID or short code (`amazon.co.jp`, `HDFCBK`, `262966`).
    pub id: String,
    /// Where the sender is in the text.
    pub span: Span,
    /// The authentication results that proved it (emails).
    pub auth_span: Option<Span>,
}

/// Everything the rules read about one message.
pub struct Context<'a> {
    /// The message.
    pub msg: &'a Message,
    /// What extraction found.
    pub ind: &'a Indicators,
    /// Brand, language and common facts.
    pub profile: &'a Profile,
    /// The brand claim.
    pub claim: BrandClaim,
    /// Sender authentication (emails).
    pub auth: AuthStatus,
    /// The sender, when something other than the message vouches for it.
    pub verified: Option<VerifiedSender<'a>>,
    /// The person's real orders, when given.
    pub orders: Option<&'a OrderHistory>,
    /// How the orders the message claims compare with `orders`, computed once here for the
    /// rules (ORD002) and the report alike; `None` without a history.
    pub order_check: Option<OrderCheck>,
    /// Subject plus body.
    pub content: Span,
    /// The text model's probability that the message is a scam, when a model is in use
    /// (set by the engine before the rules run).
    pub model_probability: Option<f32>,
    /// Phrase hits per rule with phrases ([`redflag_profile::LangPack::phrase_rule`]),
    /// computed once: several rules read the same phrases (IMP003 reads the scenarios,
    /// ATT004 the order confirmation).
    phrase_cache: Vec<OnceCell<Vec<Span>>>,
    /// Which phrase lists may match the normalised text, found in one pass on first use.
    phrase_candidates: OnceCell<PhraseCandidates>,
    /// The later items of lists of requests, found on first use.
    listed: OnceCell<Vec<crate::lists::Listed>>,
    /// The spans of links written in the text, sorted: words inside a web address
    /// (`...&X-Amz-Expires=...`) are not the message's words.
    text_links: Vec<Span>,
}

impl<'a> Context<'a> {
    /// Builds the context for one message.
    pub fn new(
        msg: &'a Message,
        ind: &'a Indicators,
        profile: &'a Profile,
        orders: Option<&'a OrderHistory>,
    ) -> Context<'a> {
        let content = msg.content_span();
        let auth = auth_status(msg);
        let verified = verified_sender(msg, profile, auth);
        let mut cx = Context {
            msg,
            ind,
            profile,
            claim: BrandClaim::default(),
            auth,
            verified,
            orders,
            order_check: None,
            content,
            model_probability: None,
            phrase_cache: (0..profile.lang.phrase_rule_count())
                .map(|_| OnceCell::new())
                .collect(),
            phrase_candidates: OnceCell::new(),
            listed: OnceCell::new(),
            text_links: text_link_spans(ind),
        };
        cx.claim = brand_claim(&cx);
        cx.order_check = check_orders(&cx);
        cx
    }

    /// True when `span` lies inside a link written in the text.
    pub(crate) fn in_text_link(&self, span: Span) -> bool {
        // The links starting at or before the span; link spans do not nest, so the last one
        // or two are the only ones that can contain it.
        let before = self.text_links.partition_point(|l| l.start <= span.start);
        self.text_links[..before]
            .iter()
            .rev()
            .take(2)
            .any(|l| l.contains(span))
    }

    /// The text of a span.
    pub fn text(&self, span: Span) -> &'a str {
        self.msg.text.get(span.range()).unwrap_or("")
    }

    /// True when the message's text was read from an image by text recognition, which can
    /// misread letters.
    pub fn read_from_image(&self) -> bool {
        self.msg
            .notes
            .iter()
            .any(|n| n.code == redflag_message::NOTE_READ_FROM_IMAGE)
    }

    /// True when the span lies in the subject or body.
    pub fn in_content(&self, span: Span) -> bool {
        self.content.contains(span)
    }

    /// Which phrase lists may match this message's normalised text (one pass over it, the
    /// first time a rule asks).
    pub(crate) fn phrase_candidates(&self) -> &PhraseCandidates {
        self.phrase_candidates.get_or_init(|| {
            redflag_message::work::steps(self.ind.norm.text.len());
            self.profile.lang.phrase_candidates(&self.ind.norm.text)
        })
    }

    /// The later items of lists of requests ("your password and credit card number"),
    /// found the first time a rule asks.
    pub(crate) fn listed_requests(&self) -> &[crate::lists::Listed] {
        self.listed.get_or_init(|| crate::lists::find_listed(self))
    }

    /// The cached phrase hits of a rule ID, computing them with `compute` the first time.
    pub(crate) fn cached_phrases(
        &self,
        rule: usize,
        compute: impl FnOnce() -> Vec<Span>,
    ) -> &[Span] {
        match self.phrase_cache.get(rule) {
            Some(cell) => cell.get_or_init(compute),
            None => &[],
        }
    }

    /// The `From` address's domain, lowercase (emails and email-address SMS senders).
    pub fn sender_domain(&self) -> Option<String> {
        let addr = match &self.msg.email {
            Some(e) => e.from.as_ref().map(|m| m.address.clone()),
            None => None,
        }
        .or_else(|| {
            self.msg
                .sender
                .as_ref()
                .filter(|s| s.value.contains('@'))
                .map(|s| s.value.clone())
        })?;
        addr.rsplit_once('@')
            .map(|(_, d)| d.trim_end_matches(['>', '.']).to_ascii_lowercase())
    }

    /// True for a host on the brand's domains or on one of the other well-known companies'
    /// (`other_brands`): a site whose owner is known.
    pub fn is_known_site(&self, host: &str) -> bool {
        self.profile.brand.is_legit_domain(host) || self.profile.common.is_other_brand_host(host)
    }
}

/// Most bytes between a brand mention and the phone number it names, on one line.
const SIGNATURE_GAP: usize = 40;

/// True when a phone number follows the mention as its label: on the same line and in the
/// same sentence, with at most a department name, a colon or a company suffix in between
/// (three words).
fn names_number(cx: &Context<'_>, span: Span) -> bool {
    let text = cx.msg.text.as_str();
    cx.ind.phones.iter().any(|p| {
        if p.span.start < span.end || p.span.start - span.end > SIGNATURE_GAP {
            return false;
        }
        let between = &text[span.end..p.span.start];
        !between.contains(['\n', '.', '!', '?', '。', '！', '？'])
            && between.split_whitespace().count() <= 3
    })
}

/// Most mentions of the brand (exact, and fuzzy) that a claim is judged on.
const MAX_MENTIONS: usize = 200;

fn brand_claim(cx: &Context<'_>) -> BrandClaim {
    let brand = &cx.profile.brand;
    let norm = &cx.ind.norm;
    let msg = cx.msg;
    let mut claim = BrandClaim::default();
    // The first mentions decide (the From and Subject lines come first); a text that names
    // the brand ten thousand times is not judged on all of them.
    for m in brand.name_re.find_iter(&norm.text).take(MAX_MENTIONS) {
        claim.mentions.push(norm.to_original(m.start(), m.end()));
    }
    for span in fuzzy_mentions(&msg.text, brand.canonical())
        .into_iter()
        .take(MAX_MENTIONS)
    {
        if !claim
            .mentions
            .iter()
            .any(|m| m.start < span.end && span.start < m.end)
        {
            claim.mentions.push(span);
        }
    }
    claim.mentions.sort();
    let body = msg.body_span();
    // A message proven to come from another company (a bank's authenticated alert, its
    // registered text sender) speaks as that company: naming the brand in its subject or
    // first words is about the brand ("AMAZON PAY INDIA" as the merchant), not a claim.
    let other_sender = matches!(
        cx.verified.as_ref().map(|v| &v.by),
        Some(VerifiedBy::Other(_))
    );
    // A mention in the form a card statement shows the brand (`AMZN Mktp US*2K4L71`) names
    // who was paid, in a bank's alert; it is not the message speaking as the brand.
    let on_statement = |span: Span| {
        brand.statement_re.as_ref().is_some_and(|re| {
            // Only the words around the mention: a descriptor starts at the name.
            let text = msg.text.as_str();
            let from = text.floor_char_boundary(span.start.saturating_sub(8));
            let to = text.ceil_char_boundary((span.end + 40).min(text.len()));
            re.find_iter(&text[from..to])
                .any(|m| from + m.start() <= span.start && span.start < from + m.end())
        })
    };
    for &span in &claim.mentions {
        if on_statement(span) {
            continue;
        }
        let kind = msg.section_at(span.start);
        // ... but a From name that says the brand is a claim whoever sends it.
        if other_sender && kind != Some(SectionKind::From) {
            continue;
        }
        let opening = kind == Some(SectionKind::Body) && opens_text(&msg.text, body.start, span);
        let call = msg.channel == Channel::Call && kind == Some(SectionKind::Body);
        // The brand's name given as whose number follows (`アマゾン相談係 03-6869-2471`,
        // `Amazon Support: 1-888-...`): the message signs as the brand.
        let signs_number = kind == Some(SectionKind::Body) && names_number(cx, span);
        if matches!(kind, Some(SectionKind::From | SectionKind::Subject))
            || opening
            || call
            || signs_number
        {
            claim.claim_spans.push(span);
            claim.labelled |= !call || opening;
        }
    }
    for m in brand.claim_re.find_iter(&norm.text) {
        let span = norm.to_original(m.start(), m.end());
        if cx.in_content(span) {
            claim.claim_spans.push(span);
        }
    }
    for m in brand.speaks_as_re.find_iter(&norm.text) {
        let span = norm.to_original(m.start(), m.end());
        if cx.in_content(span) {
            claim.claim_spans.push(span);
            claim.labelled = true;
        }
    }
    // An email from the brand's own domain claims the brand, even without naming it; so
    // does one from a look-alike of it (`amaz0n-alerts.com`), which is there to be taken
    // for the brand.
    if let Some(from) = msg.email.as_ref().and_then(|e| e.from.as_ref())
        && let Some((_, domain)) = from.address.rsplit_once('@')
    {
        if brand.is_sender_domain(domain) {
            claim.claim_spans.push(from.span);
            claim.sender_is_brand = cx.auth != AuthStatus::Fail;
        } else if lookalike_sender_domain(brand, domain).is_some() {
            // Its display name may have named the brand already.
            if !claim.claim_spans.iter().any(|s| from.span.contains(*s)) {
                claim.claim_spans.push(from.span);
            }
            claim.labelled = true;
        }
    }
    if msg.channel != Channel::Email
        && matches!(
            cx.verified.as_ref().map(|v| &v.by),
            Some(VerifiedBy::Brand(_))
        )
    {
        claim.sender_is_brand = true;
    }
    claim.claim_spans.sort();
    claim.claim_spans.dedup();
    claim.claims = !claim.claim_spans.is_empty();
    claim
}

/// Who vouches for the sender, if anyone: an authenticated `From` domain that is the brand's
/// or a known company's, or a text from the brand's or a known company's short code or
/// registered sender ID.
fn verified_sender<'a>(
    msg: &Message,
    profile: &'a Profile,
    auth: AuthStatus,
) -> Option<VerifiedSender<'a>> {
    let brand = &profile.brand;
    let common = &profile.common;
    if let Some(email) = &msg.email {
        let from = email.from.as_ref()?;
        if auth != AuthStatus::Pass {
            return None;
        }
        let domain = from.address.rsplit_once('@')?.1.to_ascii_lowercase();
        let by = if brand.is_sender_domain(&domain) || brand.is_legit_domain(&domain) {
            VerifiedBy::Brand(brand.site_of_host(&domain))
        } else if common.is_free_hosting(&domain)
            || registrable(&domain).is_some_and(|r| common.is_free_mail(&r))
        {
            // A company's tenant or app host (`x.onmicrosoft.com`) is its customer's, and a
            // free-mail address (`gmail.com`) is anyone's.
            return None;
        } else {
            VerifiedBy::Other(common.other_brand_of_host(&domain)?.names.first()?)
        };
        let auth_span = email
            .auth_results
            .iter()
            .find(|a| !a.results.is_empty())
            .map(|a| a.span);
        return Some(VerifiedSender {
            by,
            id: domain,
            span: from.span,
            auth_span,
        });
    }
    let sender = msg.sender.as_ref()?;
    let id = match sender.kind {
        SenderKind::ShortCode => sender.value.clone(),
        SenderKind::Name => common.registered_sender_id(&sender.value)?,
        _ => return None,
    };
    let by = if brand.short_codes.contains(&id) || brand.sender_ids.contains(&id) {
        VerifiedBy::Brand(
            brand
                .marketplaces
                .iter()
                .find(|m| m.sms_senders.contains(&id)),
        )
    } else {
        VerifiedBy::Other(common.brand_of_sms_sender(&id)?.names.first()?)
    };
    Some(VerifiedSender {
        by,
        id,
        span: sender.span,
        auth_span: None,
    })
}

/// The characters that end a word for [`fuzzy_mentions`]: white space and ASCII punctuation
/// that cannot be inside a disguised name.
fn ends_word(c: char) -> bool {
    match u8::try_from(c) {
        Ok(b) if b.is_ascii() => ASCII_ENDS_WORD[usize::from(b)],
        _ => c.is_whitespace(),
    }
}

/// [`ends_word`] of each ASCII character: one table lookup (a search of the set,
/// `contains`, was a call to a byte search per character).
const ASCII_ENDS_WORD: [bool; 128] = {
    let mut t = [false; 128];
    let set = b",;:()[]{}<>\"'!?| \t\n\x0b\x0c\r";
    let mut i = 0;
    while i < set.len() {
        t[set[i] as usize] = true;
        i += 1;
    }
    t
};

/// The words of `text` as [`fuzzy_mentions`] cuts them (between characters that
/// [`end a word`](ends_word)) that are at least `min` bytes long, as byte ranges.
///
/// Read as bytes: an ASCII byte is looked up in a table, and only a character outside
/// ASCII is decoded (decoding every character cost about 15 instructions a byte).
fn long_words(text: &str, min: usize) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = None;
    let mut i = 0;
    // One step past the end: the end of the text ends a word.
    while i <= bytes.len() {
        let (ends, len) = match bytes.get(i) {
            None => (true, 1),
            Some(&b) if b.is_ascii() => (ASCII_ENDS_WORD[usize::from(b)], 1),
            // `i` is always at a character's start: it moves by whole characters.
            Some(_) => text[i..]
                .chars()
                .next()
                .map_or((true, 1), |c| (ends_word(c), c.len_utf8())),
        };
        match (start, ends) {
            (None, false) => start = Some(i),
            (Some(s), true) => {
                if i - s >= min {
                    out.push((s, i));
                }
                start = None;
            }
            _ => {}
        }
        i += len;
    }
    out
}

/// A word's letters as [`fuzzy_mentions`] compares them: leet digits and symbols read as
/// letters, letters in ASCII lower case, everything else dropped.
fn fold_letter(c: char) -> Option<char> {
    redflag_extract::leet(c).or(c.is_alphabetic().then(|| c.to_ascii_lowercase()))
}

/// True when the folded word is the name or one edit from it (`compact` is a buffer for the
/// folded word).
fn near_name(tok: &str, name: &str, compact: &mut String) -> bool {
    // Both ways of being near need the folded word to start with the name's first two
    // bytes: when those are two ASCII letters, its first two characters tell, before the
    // whole word is folded (most words of the name's length stop here).
    if let Some(&[a, b]) = name.as_bytes().get(..2).filter(|p| p.is_ascii()) {
        let mut head = tok.chars().filter_map(fold_letter);
        if head.next() != Some(char::from(a)) || head.next() != Some(char::from(b)) {
            return false;
        }
    }
    compact.clear();
    compact.extend(tok.chars().filter_map(fold_letter));
    *compact == name
        || (compact.len() + 1 >= name.len()
            && compact.len() <= name.len() + 1
            && compact.get(..2) == name.get(..2)
            && crate::helpers::one_edit_apart(compact, name))
}

/// Words that are the brand's name disguised with symbols or one wrong letter, which the
/// normalised text does not catch: `AM#ZON`, `AM/AZON`, `Amazn`, `4mazon`. A trailing run of
/// three or more digits (`AM/AZON#254768`) is not part of the word.
pub(crate) fn fuzzy_mentions(text: &str, name: &str) -> Vec<Span> {
    let mut out = Vec::new();
    if name.len() < 5 {
        return out;
    }
    let mut compact = String::new();
    // Everything below only shortens a word, and one two or more bytes shorter than the
    // name is skipped there: most words stop here.
    for (s, e) in long_words(text, name.len() - 1) {
        let tok = &text[s..e];
        // Drop a trailing run of 3+ digits (a reference number glued on).
        let trimmed = tok.trim_end_matches(|c: char| c.is_ascii_digit());
        let tok = if tok.len() - trimmed.len() >= 3 {
            trimmed
        } else {
            tok
        };
        // A word cut by a broken quoted-printable soft line break (`Amazo=`) is damage, not
        // disguise.
        if tok.ends_with('=') {
            continue;
        }
        let tok = tok.trim_matches(|c: char| !c.is_alphanumeric());
        // The compact form below is never longer in bytes than the token (each character
        // becomes one of the same length or is dropped), so a token two or more bytes
        // shorter than the name cannot be within one edit of it: most words stop here.
        if tok.is_empty() || tok.len() > 24 || tok.len() + 1 < name.len() {
            continue;
        }
        let letters = tok.chars().filter(|c| c.is_alphabetic()).count();
        if letters < 3 {
            continue;
        }
        // Only a word of about the name's length can be one edit from it.
        let near = near_name(tok, name, &mut compact);
        if !near {
            continue;
        }
        let plain = tok.to_lowercase();
        if plain == name
            || plain
                .strip_prefix(name)
                .is_some_and(|rest| rest == "s" || rest.starts_with('.') || rest.starts_with('\''))
        {
            continue;
        }
        let off = tok.as_ptr() as usize - text.as_ptr() as usize;
        out.push(Span::new(off, off + tok.len()));
    }
    out
}

/// True when a brand mention opens the text like a sender label: the first word of the body
/// (`Amazon: your order...`, `[Amazon] ...`), or the first line's name before a colon, dash or
/// bracket. "The Amazon rainforest" is not a claim.
fn opens_text(text: &str, body_start: usize, span: Span) -> bool {
    let Some(before) = text.get(body_start..span.start) else {
        return false;
    };
    if before.len() > 60 || before.contains('\n') {
        return false;
    }
    let first_word = before.chars().all(|c| !c.is_alphanumeric());
    let after = text.get(span.end..).unwrap_or("");
    let labelled = after
        .trim_start_matches(".com")
        .starts_with([':', ']', ')', '|', '-', '–', '>']);
    first_word || labelled
}

/// Reads the topmost `Authentication-Results` header that has results.
fn auth_status(msg: &Message) -> AuthStatus {
    let Some(email) = &msg.email else {
        return AuthStatus::Unknown;
    };
    let Some(from) = email.from.as_ref() else {
        return AuthStatus::Unknown;
    };
    let from_reg = from
        .address
        .rsplit_once('@')
        .and_then(|(_, d)| registrable(d));
    let Some(ar) = email.auth_results.iter().find(|a| !a.results.is_empty()) else {
        return AuthStatus::Unknown;
    };
    let aligned = |key: &str, r: &redflag_message::AuthResult| {
        r.props.iter().any(|(k, v)| {
            k == key && {
                let d = v.rsplit_once('@').map(|(_, d)| d).unwrap_or(v);
                registrable(d).is_some() && registrable(d) == from_reg
            }
        })
    };
    if let Some(d) = ar.results.iter().find(|r| r.method == "dmarc") {
        match d.result.as_str() {
            "pass" => return AuthStatus::Pass,
            "fail" => return AuthStatus::Fail,
            _ => {}
        }
    }
    // Microsoft's composite authentication: its own verdict on the From domain, the one
    // behind Outlook's "this sender failed our fraud detection checks" banner.
    if ar
        .results
        .iter()
        .any(|r| r.method == "compauth" && r.result == "fail")
    {
        return AuthStatus::Fail;
    }
    let dkim_pass = ar
        .results
        .iter()
        .any(|r| r.method == "dkim" && r.result == "pass" && aligned("header.d", r))
        || ar
            .results
            .iter()
            .any(|r| r.method == "dkim" && r.result == "pass" && aligned("header.i", r));
    let spf_pass = ar
        .results
        .iter()
        .any(|r| r.method == "spf" && r.result == "pass" && aligned("smtp.mailfrom", r));
    if dkim_pass || spf_pass {
        return AuthStatus::Pass;
    }
    let dkim_bad = ar
        .results
        .iter()
        .any(|r| r.method == "dkim" && matches!(r.result.as_str(), "fail" | "none" | "permerror"));
    let spf_bad = ar
        .results
        .iter()
        .any(|r| r.method == "spf" && matches!(r.result.as_str(), "fail" | "softfail"));
    if dkim_bad && spf_bad {
        return AuthStatus::Fail;
    }
    AuthStatus::Unknown
}

/// The spans of the links written in the text, sorted by position.
fn text_link_spans(ind: &Indicators) -> Vec<Span> {
    let mut spans: Vec<Span> = ind
        .urls
        .iter()
        .filter(|u| u.source == redflag_extract::UrlSource::Text)
        .map(|u| u.span)
        .collect();
    spans.sort_by_key(|s| (s.start, s.end));
    spans
}

#[cfg(test)]
mod tests {
    use super::{ends_word, fold_letter, fuzzy_mentions, long_words, near_name};
    use proptest::prelude::*;

    /// The long words as the loop over characters cut them before [`long_words`] read
    /// bytes.
    fn long_words_by_chars(text: &str, min: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = None;
        let end = std::iter::once((text.len(), ' '));
        for (i, c) in text.char_indices().chain(end) {
            match (start, ends_word(c)) {
                (None, false) => start = Some(i),
                (Some(s), true) => {
                    if i - s + 1 > min {
                        out.push((s, i));
                    }
                    start = None;
                }
                _ => {}
            }
        }
        out
    }

    proptest! {
        /// Words read as bytes are the words read as characters: ASCII and other white
        /// space, the punctuation that ends a word, characters that do not (`#`, `\x1c`,
        /// which is not white space), letters of one to four bytes.
        #[test]
        fn long_words_read_as_bytes_are_the_words_of_characters(
            parts in proptest::collection::vec(
                prop::sample::select(vec![
                    "amazon", "AM#ZON", "a", " ", "\t", "\u{b}", "\r\n", "\u{1c}", "(", "|",
                    "\u{a0}", "\u{2003}", "\u{3000}", "é", "\u{430}", "カ", "𝐚", "#",
                ]),
                0..30,
            ),
            min in 0usize..8,
        ) {
            let text = parts.concat();
            prop_assert_eq!(long_words(&text, min), long_words_by_chars(&text, min));
        }
    }

    /// Every word of up to three pieces (disguises, near misses, look-alike letters,
    /// glued digits, other scripts): the quick look at the first two letters gives the
    /// answer of folding the whole word first, as `near_name` did before it.
    #[test]
    fn the_quick_reject_changes_no_answer() {
        const PIECES: [&str; 14] = [
            "amazon",
            "AM#ZON",
            "amazn",
            "4mazon",
            "arnazon",
            "Amaz0n",
            "amazonas",
            "emazon",
            "\u{e1}mazon",
            "am@zon",
            "\u{430}mazon",
            "a",
            "m",
            "\u{b}",
        ];
        let folded_first = |tok: &str, name: &str| {
            let compact: String = tok.chars().filter_map(fold_letter).collect();
            compact == name
                || (compact.len() + 1 >= name.len()
                    && compact.len() <= name.len() + 1
                    && compact.get(..2) == name.get(..2)
                    && strsim::damerau_levenshtein(&compact, name) == 1)
        };
        let mut buf = String::new();
        let mut checked = 0;
        for a in PIECES {
            for b in PIECES {
                for c in PIECES {
                    let tok = [a, b, c].concat();
                    for name in ["amazon", "paypal", "\u{e1}mazon"] {
                        assert_eq!(
                            near_name(&tok, name, &mut buf),
                            folded_first(&tok, name),
                            "{tok:?} / {name}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 8_000);
    }

    /// The table of word ends is the set it replaced, and white space of every kind.
    #[test]
    fn words_end_where_they_did() {
        for c in (0..0x3100u32).filter_map(char::from_u32) {
            let before =
                c.is_whitespace() || (c.is_ascii() && b",;:()[]{}<>\"'!?|".contains(&(c as u8)));
            assert_eq!(ends_word(c), before, "{c:?}");
        }
    }

    fn words(text: &str) -> Vec<&str> {
        fuzzy_mentions(text, "amazon")
            .into_iter()
            .map(|s| &text[s.range()])
            .collect()
    }

    #[test]
    fn disguised_brand_words() {
        assert_eq!(words("(AM#ZON) 163975 YOUR 4CCOUNT"), ["AM#ZON"]);
        assert_eq!(
            words("AM/AZON#254768 YOUR AM/AZON has"),
            ["AM/AZON", "AM/AZON"]
        );
        assert_eq!(words("Ref Number Amazn03321"), ["Amazn"]);
        assert_eq!(words("your 4mazon account"), ["4mazon"]);
        assert!(words("Amazon amazon.com Amazon's amazing Amazons").is_empty());
        assert!(words("I am a zone").is_empty());
    }
}
