//! Reading a screenshot as a person does: what kind of screen it is (a phone's message
//! thread, an email, a chat, a pop-up or web page), who the message is from (the number or
//! name at the top of a phone's thread, the From line of an email), its subject, and which
//! lines are the message and which are the phone's or the program's own (status bar, "Text
//! Message · Today 9:41", the reply box).

use crate::layout::{Line, Page};
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// What the screenshot shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ScreenKind {
    /// A phone's text-message thread.
    Sms,
    /// An email in a mail program or webmail.
    Email,
    /// A chat (Messenger, WhatsApp).
    Chat,
    /// A web page or a pop-up on a computer's screen.
    Popup,
}

impl ScreenKind {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            ScreenKind::Sms => "sms",
            ScreenKind::Email => "email",
            ScreenKind::Chat => "chat",
            ScreenKind::Popup => "popup",
        }
    }
}

/// How the screenshot was read.
#[derive(Debug, Clone, Serialize)]
pub struct Reading {
    /// The kind of screen, guessed from what is on it.
    pub kind: ScreenKind,
    /// The clues the guess rests on (for the report: "a From: line", "tall like a phone").
    pub clues: Vec<&'static str>,
    /// The sender shown: a phone number, short code, address or name.
    pub sender: Option<String>,
    /// The subject line of an email.
    pub subject: Option<String>,
    /// The message itself: the lines that are not the phone's or program's own.
    pub body: String,
    /// The line the sender was read from ([`Page::lines`] index).
    pub sender_line: Option<usize>,
    /// The line the subject was read from.
    pub subject_line: Option<usize>,
    /// The lines of the body, in order.
    pub body_lines: Vec<usize>,
}

static TIME_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[^a-z0-9]*\d{1,2}[:.]\d{2}\s*(am|pm)?[^a-z0-9]*$").expect("valid regex")
});
static STATUS_BAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*\d{1,2}[:.]\d{2}\b.*(lte|5g|4g|3g|wi-?fi|%|▮|ııl|ull|all)")
        .expect("valid regex")
});
static STARTS_WITH_TIME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\W{0,2}\d{1,2}[:.]\d{2}\b").expect("valid regex"));
/// A sender as mail programs show it: `Name <address>`.
static ANGLE_ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\w[^<>]{0,60}<[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}>?")
        .expect("valid regex")
});
static PHONE_OR_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[<‹(\s]*(\+?[\d][\d ().\-]{5,18}\d|\d{4,6})[\s>›)]*$").expect("valid regex")
});
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}").expect("valid regex")
});
static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W{0,2}(from|to|cc|bcc|subject|date|sent|reply-to)\s*[:;]\s*(.*)$")
        .expect("valid regex")
});
/// Lines a phone's or program's own screen shows around a message.
static CHROME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\W*(
            text\ message(\s*[·•.\-]?\s*(today|yesterday).*)? | imessage | sms | mms | messages? |
            (today|yesterday)(\s*[,·•]?\s*(at\s+)?\d{1,2}[:.]\d{2}.*)? | now | delivered |
            read(\s+\d{1,2}[:.]\d{2}.*)? | details | info |
            (mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+.{0,20}\d{1,2}[:.]\d{2}.* |
            (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(,\s*\d{4})?
                (\s*(at\s+)?\d{1,2}[:.]\d{2}.*)? |
            tap\ to\ load\ preview | type\ a\ message | send | reply | reply\ all | forward |
            inbox | archive | delete | move | spam | junk | more | back | cancel | edit |
            the\ sender\ is\ not\ in\ your\ contact\ list.* | report\ junk | add\ to\ contacts |
            to:?\s*me | to\ me.* | active\ now | online | typing.*
        )\W*$",
    )
    .expect("valid regex")
});

/// Reads a page: its kind (unless the person said), sender, subject and body.
pub fn read(page: &Page, kind: Option<ScreenKind>) -> Reading {
    let (guess, clues) = guess_kind(page);
    let kind = kind.unwrap_or(guess);
    let mut skip = vec![false; page.lines.len()];
    for (i, line) in page.lines.iter().enumerate() {
        let t = page.line_text(line).trim();
        if is_status_bar(page, line, t) || CHROME.is_match(t) {
            skip[i] = true;
        }
    }
    let mut sender = None;
    let mut subject = None;
    let mut sender_line = None;
    let mut subject_line = None;
    match kind {
        ScreenKind::Sms | ScreenKind::Chat => {
            if let Some((i, s)) = thread_sender(page, &skip) {
                sender = Some(s);
                sender_line = Some(i);
                // Everything above the sender is the phone's own.
                for s in skip.iter_mut().take(i + 1) {
                    *s = true;
                }
            }
        }
        ScreenKind::Email => {
            let mut first_header = None;
            for (i, line) in page.lines.iter().enumerate() {
                let t = page.line_text(line).trim();
                if let Some(c) = HEADER.captures(t) {
                    first_header.get_or_insert(i);
                    let field = c[1].to_ascii_lowercase();
                    let value = c[2].trim().to_string();
                    skip[i] = true;
                    match field.as_str() {
                        "from" if sender.is_none() && !value.is_empty() => {
                            sender = Some(through_address(&value));
                            sender_line = Some(i);
                        }
                        "subject" if subject.is_none() && !value.is_empty() => {
                            subject = Some(value);
                            subject_line = Some(i);
                        }
                        _ => {}
                    }
                }
            }
            if sender.is_none() {
                // A mail app shows the sender's name and address without "From:", next to
                // an avatar whose initials are read as stray letters.
                let top = page.height * 3 / 5;
                // Not the To: or Cc: line: that address is the person's own.
                if let Some((i, line)) = page.lines.iter().enumerate().find(|(_, l)| {
                    let t = page.line_text(l);
                    l.rect.y < top && EMAIL.is_match(t) && !HEADER.is_match(t.trim())
                }) {
                    sender = Some(shown_sender(page.line_text(line)));
                    sender_line = Some(i);
                    skip[i] = true;
                }
            }
            // Above the message's header lines: the program's menus, folders and list of
            // other mail, which are not the message.
            if let Some(first) = first_header.into_iter().chain(sender_line).min() {
                for s in skip.iter_mut().take(first) {
                    *s = true;
                }
            }
        }
        ScreenKind::Popup => {}
    }
    let body_lines: Vec<usize> = (0..page.lines.len()).filter(|&i| !skip[i]).collect();
    let body = join_lines(page, &body_lines);
    Reading {
        kind,
        clues,
        sender,
        subject,
        body,
        sender_line,
        subject_line,
        body_lines,
    }
}

/// The body's lines as one text, as a person reads it: the lines a bubble or window wrapped
/// are one paragraph (joined by a space), and a line cut in the middle of a number or link
/// runs on into the next ("Call 1-888-297-" / "4106").
fn join_lines(page: &Page, lines: &[usize]) -> String {
    let mut out = String::new();
    for (k, &i) in lines.iter().enumerate() {
        let t = page.line_text(&page.lines[i]).trim();
        if k > 0 {
            let prev = &page.lines[lines[k - 1]];
            let line = &page.lines[i];
            if wrapped(page, lines[k - 1], i) {
            } else if prev.block == line.block && prev.par == line.par && lines[k - 1] + 1 == i {
                out.push(' ');
            } else {
                out.push('\n');
            }
        }
        out.push_str(t);
    }
    out
}

static WRAPPED_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d-$").expect("valid regex"));
static LINK_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(https?://|www\.|[a-z0-9-]\.[a-z]{2,}/)[^\s]*[a-z0-9/=&?%_\-]$")
        .expect("valid regex")
});
static LINK_CONTINUES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9/?=&%#_~.\-]+(\s|$)").expect("valid regex"));

/// True when line `b` continues line `a` without a break: the same block, `a` filled to the
/// block's right edge, and cut inside a number (`-` then digits) or a link.
fn wrapped(page: &Page, a: usize, b: usize) -> bool {
    let (la, lb) = (&page.lines[a], &page.lines[b]);
    if la.block != lb.block || b != a + 1 {
        return false;
    }
    let right = page
        .lines
        .iter()
        .filter(|l| l.block == la.block)
        .map(|l| l.rect.x + l.rect.w)
        .max()
        .unwrap_or(0);
    let (ta, tb) = (page.line_text(la).trim(), page.line_text(lb).trim());
    let full = (la.rect.x + la.rect.w) * 100 >= right * 85;
    let starts_digit = tb.starts_with(|c: char| c.is_ascii_digit());
    (WRAPPED_NUMBER.is_match(ta) && starts_digit)
        || ((full || ta.ends_with(['-', '/', '?', '=', '&']))
            && LINK_END.is_match(ta)
            && LINK_CONTINUES.is_match(tb))
}

/// The sender a mail app shows on a line without "From:": `Name <address>` when the line
/// has the angle brackets (the name without the avatar's stray letters before it), else the
/// address alone.
fn shown_sender(line: &str) -> String {
    let Some(m) = EMAIL.find(line) else {
        return line.trim().to_string();
    };
    let before = &line[..m.start()];
    match before.rfind('<') {
        Some(lt) => {
            let name = without_icons(&before[..lt]);
            let name = name.trim_matches(|c: char| !c.is_alphanumeric());
            let end = if line[m.end()..].starts_with('>') {
                m.end() + 1
            } else {
                m.end()
            };
            if name.is_empty() {
                m.as_str().to_string()
            } else {
                format!("{name} {}", &line[lt..end])
            }
        }
        None => m.as_str().to_string(),
    }
}

/// A From line up to the end of its address: what a mail program shows after it (the date,
/// "to me") is not the sender.
fn through_address(value: &str) -> String {
    match EMAIL.find(value) {
        Some(m) => {
            let end = if value[m.end()..].starts_with('>') {
                m.end() + 1
            } else {
                m.end()
            };
            value[..end].trim().to_string()
        }
        None => value.trim().to_string(),
    }
}

/// A phone's status bar: the clock (and signal, battery) in the top strip.
fn is_status_bar(page: &Page, line: &Line, t: &str) -> bool {
    let top_strip = line.rect.y < page.height / 20 + 8;
    top_strip
        && (TIME_ONLY.is_match(t)
            || STATUS_BAR.is_match(t)
            || STARTS_WITH_TIME.is_match(t)
            || t.chars().count() <= 3)
}

/// The sender at the top of a message thread: the first phone number, short code or address
/// in the top third, else the name just above "Text Message" or the first message.
fn thread_sender(page: &Page, skip: &[bool]) -> Option<(usize, String)> {
    let top = page.height / 3;
    let candidates: Vec<usize> = (0..page.lines.len())
        .filter(|&i| !skip[i] && page.lines[i].rect.y < top)
        .collect();
    // The header's icons (back arrow, avatar, call button) are read as stray marks around
    // the sender: look for the sender inside the line.
    for &i in &candidates {
        let t = without_icons(page.line_text(&page.lines[i]));
        if let Some(m) = EMAIL.find(&t)
            && t.len() <= m.as_str().len() + 4
        {
            return Some((i, m.as_str().to_string()));
        }
        for re in [&*PHONE_IN_LINE, &*SENDER_ID, &*SHORT_CODE] {
            if let Some(m) = re.find(&t)
                && t.len() <= m.as_str().len() + 12
            {
                return Some((i, m.as_str().trim().to_string()));
            }
        }
    }
    // A contact or business name: a short line of words in the top strip, before the first
    // line of the message (which is long).
    let first = *candidates.first()?;
    let t = without_icons(page.line_text(&page.lines[first]));
    let words = t.split_whitespace().count();
    let in_header = page.lines[first].rect.y < page.height / 6;
    // A name, not a sentence: no link, amount or time in it, and it starts like a name.
    let name_like = !t.contains(['.', '/', ':', '@', '$', '!', '?'])
        && t.starts_with(|c: char| c.is_uppercase());
    (in_header && name_like && (1..=4).contains(&words) && t.len() <= 40)
        .then(|| (first, t.to_string()))
}

static PHONE_IN_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\+?\(?\d[\d ().\-]{6,18}\d").expect("valid regex"));
/// An alphanumeric sender ID as Indian operators show it (`AX-AMAZON`, `VM-AMAZON-S`).
static SENDER_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[A-Z]{2}-[A-Z0-9]{3,10}(-[A-Z])?\b").expect("valid regex"));
static SHORT_CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{4,6}$").expect("valid regex"));

/// A header line without the marks its icons leave: pieces with no letter or digit, and
/// one- or two-character pieces at its ends (`<`, `Ox`, `@)`).
fn without_icons(line: &str) -> String {
    let pieces: Vec<&str> = line
        .split_whitespace()
        .filter(|p| p.chars().any(char::is_alphanumeric))
        .collect();
    let keep =
        |p: &&str| p.chars().count() > 2 || p.chars().all(|c| c.is_ascii_digit() || c == '+');
    let start = pieces.iter().position(keep).unwrap_or(pieces.len());
    let end = pieces.iter().rposition(keep).map_or(start, |e| e + 1);
    pieces[start..end.max(start)]
        .join(" ")
        .trim_matches(|c: char| "<>‹›".contains(c))
        .trim()
        .to_string()
}

/// Guesses the kind of screen from what is on it, with the clues.
fn guess_kind(page: &Page) -> (ScreenKind, Vec<&'static str>) {
    let text = page.text.to_lowercase();
    let has = |pat: &str| text.contains(pat);
    let mut clues = Vec::new();
    let mut score = [0i32; 4]; // sms, email, chat, popup
    let header_lines = page
        .lines
        .iter()
        .filter(|l| HEADER.is_match(page.line_text(l).trim()))
        .count();
    if header_lines >= 2 {
        score[1] += 4;
        clues.push("From:/To:/Subject: lines");
    } else if header_lines == 1 {
        score[1] += 2;
        clues.push("a From: or Subject: line");
    }
    if page
        .lines
        .iter()
        .any(|l| ANGLE_ADDRESS.is_match(page.line_text(l)))
    {
        score[1] += 3;
        clues.push("a sender as Name <address>");
    } else if EMAIL.is_match(&page.text) {
        score[1] += 1;
        clues.push("an email address");
    }
    if [
        "inbox",
        "reply all",
        "forward",
        "unsubscribe",
        "compose",
        "drafts",
        "starred",
        "archive",
    ]
    .iter()
    .filter(|p| has(p))
    .count()
        >= 2
    {
        score[1] += 2;
        clues.push("a mail program's words");
    }
    if [
        "text message",
        "imessage",
        "sms",
        "mms",
        "tap to load preview",
    ]
    .iter()
    .any(|p| has(p))
    {
        score[0] += 3;
        clues.push("\"Text Message\" or \"iMessage\"");
    }
    if ["messenger", "whatsapp", "active now", "telegram"]
        .iter()
        .any(|p| has(p))
    {
        score[2] += 3;
        clues.push("a chat app's name");
    }
    let top = page.height / 4;
    if page
        .lines
        .iter()
        .any(|l| l.rect.y < top && PHONE_OR_CODE.is_match(page.line_text(l).trim()))
    {
        score[0] += 2;
        clues.push("a number at the top, as a phone shows the sender");
    }
    if [
        "windows",
        "defender",
        "microsoft",
        "virus",
        "malware",
        "firewall",
        "computer",
        "error code",
        "do not close",
        "do not restart",
        "do not shut",
        "blocked",
        "this pc",
        "browser",
        "not secure",
    ]
    .iter()
    .filter(|p| has(p))
    .count()
        >= 2
    {
        score[3] += 3;
        clues.push("a computer or browser's words");
    }
    if page.height > page.width * 3 / 2 {
        score[0] += 1;
        score[2] += 1;
        clues.push("tall, like a phone's screen");
    } else if page.width > page.height {
        score[1] += 1;
        score[3] += 1;
        clues.push("wide, like a computer's screen");
    }
    const KINDS: [ScreenKind; 4] = [
        ScreenKind::Sms,
        ScreenKind::Email,
        ScreenKind::Chat,
        ScreenKind::Popup,
    ];
    let best = (0..4).max_by_key(|&i| (score[i], 3 - i)).unwrap_or(0);
    let kind = if score[best] == 0 {
        if page.height > page.width {
            ScreenKind::Sms
        } else {
            ScreenKind::Popup
        }
    } else {
        KINDS[best]
    };
    (kind, clues)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::lay_out;
    use crate::words::{Rect, Word};

    /// A page from lines of text, one line per `(y, text)`.
    fn page(w: u32, h: u32, lines: &[(u32, &str)]) -> Page {
        let mut words = Vec::new();
        for (n, (y, line)) in lines.iter().enumerate() {
            let mut x = 10;
            for t in line.split(' ') {
                words.push(Word {
                    text: t.into(),
                    rect: Rect {
                        x,
                        y: *y,
                        w: 9 * t.len() as u32,
                        h: 14,
                    },
                    conf: 90.0,
                    line: (n as u32 + 1, 1, 1),
                });
                x += 9 * t.len() as u32 + 6;
            }
        }
        lay_out(&words, w, h)
    }

    #[test]
    fn a_phone_thread_gives_the_number_at_the_top_as_sender() {
        let p = page(
            1170,
            2532,
            &[
                (20, "9:41"),
                (160, "+1 (844) 555-0142"),
                (300, "Text Message"),
                (330, "Today 9:41 AM"),
                (
                    400,
                    "Amazon: your account is locked. Call 1-888-555-0199 now.",
                ),
                (2400, "Text Message"),
            ],
        );
        let r = read(&p, None);
        assert_eq!(r.kind, ScreenKind::Sms);
        assert_eq!(r.sender.as_deref(), Some("+1 (844) 555-0142"));
        assert_eq!(
            r.body,
            "Amazon: your account is locked. Call 1-888-555-0199 now."
        );
    }

    #[test]
    fn icons_around_the_sender_and_wrapped_numbers_are_read_as_a_person_would() {
        let p = page(
            1170,
            2532,
            &[
                (20, "9:41 al > @)"),
                (160, "< } Ox AX-AMAZON >"),
                (400, "Confirmed: your order 408-5521937-"),
                (430, "2208341 will reach you on Monday."),
                (460, "Call 1-888-297-"),
                (490, "4106 or visit https://amzn.in/d/ab"),
                (520, "cd today or https://amazon-"),
                (550, "help.top/x?"),
                (580, "id=7"),
            ],
        );
        // One block per line in `page`; the wrap needs one block: rebuild as one.
        let mut p = p;
        for l in &mut p.lines[2..] {
            l.block = 99;
        }
        let r = read(&p, None);
        assert_eq!(r.sender.as_deref(), Some("AX-AMAZON"));
        assert_eq!(
            r.body,
            "Confirmed: your order 408-5521937-2208341 will reach you on Monday. \
             Call 1-888-297-4106 or visit https://amzn.in/d/abcd today or https://amazon-help.top/x?id=7"
        );
    }

    #[test]
    fn a_sentence_that_ends_a_line_is_not_joined() {
        // Near miss: a short line ending with a link is not cut by the edge of the bubble.
        let mut p = page(
            1170,
            2532,
            &[
                (400, "Track it at amazon.com/orders"),
                (430, "Thanks for shopping with us, we hope you enjoy it."),
            ],
        );
        for l in &mut p.lines {
            l.block = 7;
        }
        let r = read(&p, Some(ScreenKind::Sms));
        assert!(r.body.contains("amazon.com/orders Thanks"), "{}", r.body);
    }

    #[test]
    fn a_short_code_or_a_name_is_a_sender_too() {
        let p = page(
            750,
            1334,
            &[
                (10, "9:41"),
                (90, "262966"),
                (200, "Amazon: Your package was delivered."),
            ],
        );
        assert_eq!(read(&p, None).sender.as_deref(), Some("262966"));
        let p = page(
            750,
            1334,
            &[
                (10, "9:41"),
                (90, "Mom"),
                (200, "Call me when you land, love you."),
            ],
        );
        let r = read(&p, None);
        assert_eq!(r.sender.as_deref(), Some("Mom"));
        assert_eq!(r.body, "Call me when you land, love you.");
    }

    #[test]
    fn a_thread_without_header_keeps_its_first_line_as_message() {
        // Near miss: the first line is a long sentence, not a name.
        let p = page(
            750,
            1334,
            &[(
                90,
                "Your Amazon account has been locked due to unusual activity.",
            )],
        );
        let r = read(&p, Some(ScreenKind::Sms));
        assert_eq!(r.sender, None);
        assert!(r.body.starts_with("Your Amazon account"));
    }

    #[test]
    fn an_email_gives_from_and_subject() {
        let p = page(
            1280,
            800,
            &[
                (40, "Inbox"),
                (60, "Drafts Sent Items Your order has shipped"),
                (80, "From: Amazon Security <alert@amaz0n-alerts.com>"),
                (100, "To: me"),
                (120, "Subject: Your account is on hold"),
                (200, "Dear customer, we noticed a charge of $499.99."),
            ],
        );
        let r = read(&p, None);
        assert_eq!(r.kind, ScreenKind::Email);
        assert_eq!(
            r.sender.as_deref(),
            Some("Amazon Security <alert@amaz0n-alerts.com>")
        );
        assert_eq!(r.subject.as_deref(), Some("Your account is on hold"));
        // A mail app's From line with the date after the address.
        let p = page(
            750,
            1334,
            &[
                (80, "From: return@amazon.com Aug 31, 2024"),
                (200, "Your return is accepted."),
            ],
        );
        assert_eq!(
            read(&p, Some(ScreenKind::Email)).sender.as_deref(),
            Some("return@amazon.com")
        );
        // A mail app without "From:", the avatar's initials read as letters.
        assert_eq!(
            shown_sender("wow auto-confirm@amazon.com"),
            "auto-confirm@amazon.com"
        );
        assert!(
            shown_sender("ntox © Amazon.com <auto-confirm@amazon.com == 1")
                .ends_with("Amazon.com <auto-confirm@amazon.com")
        );
        assert_eq!(r.body, "Dear customer, we noticed a charge of $499.99.");
    }

    #[test]
    fn a_pop_up_is_read_whole() {
        let p = page(
            1366,
            768,
            &[
                (10, "https://secure-alert.example/warning"),
                (200, "Windows Defender Security Center"),
                (
                    240,
                    "Access to this PC has been blocked. Do not restart your computer.",
                ),
                (280, "Call Amazon Support: 1-888-555-0199"),
            ],
        );
        let r = read(&p, None);
        assert_eq!(r.kind, ScreenKind::Popup);
        assert!(r.body.contains("Call Amazon Support"));
        assert!(r.body.starts_with("https://"));
        // The person can say what it is.
        assert_eq!(read(&p, Some(ScreenKind::Email)).kind, ScreenKind::Email);
    }
}
