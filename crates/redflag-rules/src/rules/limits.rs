//! Analysis cut short by redflag's own limits.

use crate::{ALL, Context, Evidence, Finding, RuleMeta, family, rule};
use redflag_message::Span;

family! {
    /// redflag's own limits: part of the message was not read (LIM).
    name: "limits", prefix: "LIM", title: "Analysis cut short", rank: 13,
}

/// Codes of the parse notes that say part of the message was not read
/// (`redflag_message::ParseNote::code`).
pub const CUT_SHORT_NOTES: &[&str] = &["truncated", "parts-skipped", "nesting", "mime-unreadable"];

rule! {
    /// The message is larger or more deeply built than redflag reads in full (the limits in
    /// `docs/limits.md`: text over 128 KiB, more than 256 MIME parts or 64 attached emails,
    /// HTML nested over 256 levels, more than 500 links or 500 phone numbers), or its MIME
    /// structure could not be read at all, so part of it was not checked.
    ///
    /// **Why:** a scammer can pad a message so that the lure sits past what a filter reads.
    /// What was read cannot vouch for what was not, so such a message is never "no red
    /// flags found": these points alone make it "suspicious", and the report lists what was
    /// left out.
    ///
    /// **Example:** an email with a megabyte of nested `<div>` tags around one sentence.
    ///
    /// **Known false positives:** very long genuine mail (a full terms-of-service text, an
    /// mbox saved as one message). Real messages from the brand stay far below the limits.
    pub struct AnalysisCutShort;
    id: "LIM001", name: "analysis-cut-short", severity: Medium,
    points: 30, channels: ALL, status: Stable("0.1.0"), summary: "Too large or complex to check in full",
    explain: "The message is larger or more deeply built than redflag reads in full, so part of it was not checked. Scammers pad messages so that the lure sits past what a filter reads. What was read cannot vouch for the rest: treat the message with care.",
    check: cut_short,
}

fn cut_short(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
    let mut reasons: Vec<&str> = cx
        .msg
        .notes
        .iter()
        .filter(|n| CUT_SHORT_NOTES.contains(&n.code.as_str()))
        .map(|n| n.message.as_str())
        .collect();
    reasons.extend(cx.ind.limits.iter().map(String::as_str));
    if reasons.is_empty() {
        return;
    }
    // The evidence is where reading stopped: the end of the text that was read.
    let Some(span) = last_words(&cx.msg.text) else {
        return;
    };
    let evidence = vec![Evidence::with_note(span, "checked up to here")];
    out.push(Finding::new(
        meta,
        format!(
            "only part of the message was checked: {}",
            reasons.join(" ")
        ),
        evidence,
    ));
}

/// The last (up to) 60 bytes of the text, without trailing white space, on char boundaries.
fn last_words(text: &str) -> Option<Span> {
    let end = text.trim_end().len();
    if end == 0 {
        return None;
    }
    let start = text.floor_char_boundary(end.saturating_sub(60));
    Some(Span::new(start, end))
}

#[cfg(test)]
mod tests {
    use super::last_words;

    #[test]
    fn last_words_stay_on_char_boundaries() {
        let t = format!("{}é end  \n", "é".repeat(40));
        let s = last_words(&t).unwrap();
        assert!(t.is_char_boundary(s.start) && t.is_char_boundary(s.end));
        assert!(t[s.start..s.end].ends_with("end"));
        assert_eq!(last_words("  \n"), None);
    }
}
