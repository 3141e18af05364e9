//! The terminal report: verdict first, evidence highlighted, advice last. Colour only on a
//! terminal (or `--color always`). Message content is sanitised: control characters, which
//! could drive the terminal, are shown as `\u{..}` escapes.

use redflag_engine::Locale;
use redflag_engine::{BodyPartKind, Report, Verdict};
use std::io::Write;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const GREEN: &str = "\x1b[1;32m";
const DIM: &str = "\x1b[2m";
const MARK: &str = "\x1b[1;7m";

/// Replaces control and bidirectional-override characters so message text cannot drive the
/// terminal or reorder what is shown.
pub(crate) fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if (c.is_control() && c != '\n') || redflag_engine::shown::reorders(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("{code}{s}{RESET}")
        } else {
            s.to_string()
        }
    }

    fn mark(&self, s: &str) -> String {
        if self.color {
            format!("{MARK}{s}{RESET}")
        } else {
            format!("[[{s}]]")
        }
    }
}

/// Writes the human report.
pub(crate) fn report(
    out: &mut impl Write,
    r: &Report,
    words: &Locale,
    color: bool,
) -> std::io::Result<()> {
    let st = Style { color };
    let ui = &words.ui;
    let code = match r.verdict {
        Verdict::Scam => RED,
        Verdict::Suspicious => YELLOW,
        Verdict::Clean => GREEN,
    };
    let word = r.verdict_label.to_uppercase();
    let word = word.as_str();
    writeln!(
        out,
        "{}  ({} {}/100, {})",
        st.paint(code, word),
        ui.score,
        r.score,
        words.channel_word(r.channel.as_str())
    )?;
    writeln!(out, "{}", r.advice.summary)?;
    let flags: Vec<_> = r.findings.iter().filter(|f| f.points > 0).collect();
    let outweighed: Vec<_> = r.findings.iter().filter(|f| f.outweighed).collect();
    let context: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.points == 0 && !f.outweighed)
        .collect();
    if !flags.is_empty() {
        writeln!(
            out,
            "\n{}",
            st.paint(BOLD, &format!("{} ({}):", ui.red_flags, flags.len()))
        )?;
        for (i, f) in flags.iter().enumerate() {
            writeln!(
                out,
                "{:>2}. {}  {}",
                i + 1,
                st.paint(BOLD, &sanitize(&f.message)),
                st.paint(DIM, &format!("[{} +{}]", f.rule, f.points))
            )?;
            for e in f.evidence.iter().take(3) {
                write_evidence(out, r, e, &ui.evidence_plain_text_only, &st)?;
            }
            writeln!(out, "      {}", wrap(&f.explanation, 6))?;
        }
    }
    if !r.genuine_signs.is_empty() {
        writeln!(
            out,
            "\n{}",
            st.paint(
                BOLD,
                &format!("{} ({}):", ui.genuine_signs, r.genuine_signs.len())
            )
        )?;
        for g in &r.genuine_signs {
            writeln!(
                out,
                " +  {}  {}",
                sanitize(&g.message),
                st.paint(DIM, &format!("[{}]", g.rule))
            )?;
            if let Some(e) = g.evidence.first() {
                write_evidence(out, r, e, &ui.evidence_plain_text_only, &st)?;
            }
        }
        if !outweighed.is_empty() {
            let words: Vec<String> = outweighed.iter().map(|f| sanitize(&f.message)).collect();
            writeln!(
                out,
                "{} {}",
                st.paint(DIM, &ui.outweighed),
                wrap(&words.join("; "), 2)
            )?;
        }
    }
    if !context.is_empty() {
        // Findings that add no points (context, or capped): one line, so the list above
        // stays short for a frightened reader.
        let also: Vec<String> = context.iter().map(|f| sanitize(&f.message)).collect();
        writeln!(
            out,
            "\n{} {}",
            st.paint(DIM, &ui.also_noticed),
            wrap(&also.join("; "), 2)
        )?;
    }
    if let Some(o) = &r.orders {
        let line = match (o.matched.first(), o.unmatched.first()) {
            (Some(m), _) => format!(
                "`{}` matches your order {} (by {}).",
                m.claimed, m.order_id, m.by
            ),
            (None, Some(u)) => format!(
                "`{u}` matches none of the {} orders in your history.",
                o.orders_in_history
            ),
            (None, None) => format!(
                "the message names no order number or amount to compare with your {} orders.",
                o.orders_in_history
            ),
        };
        writeln!(
            out,
            "\n{} {}",
            st.paint(BOLD, "Your Orders:"),
            wrap(&sanitize(&line), 2)
        )?;
    }
    if !r.notes.is_empty() {
        writeln!(out)?;
        for n in &r.notes {
            writeln!(
                out,
                "{} {}",
                st.paint(DIM, &ui.could_not_read),
                sanitize(&n.message)
            )?;
        }
    }
    writeln!(out, "\n{}", st.paint(BOLD, &format!("{}:", ui.what_to_do)))?;
    for s in &r.advice.steps {
        writeln!(out, "  * {}", wrap(s, 4))?;
    }
    let relevant: Vec<_> = r
        .advice
        .if_you_already
        .iter()
        .filter(|a| a.relevant)
        .collect();
    for a in &relevant {
        writeln!(out, "\n{}", st.paint(BOLD, &format!("{}:", a.title)))?;
        for s in a.steps {
            writeln!(out, "  * {}", wrap(s, 4))?;
        }
    }
    if r.verdict != Verdict::Clean {
        writeln!(out, "\n{}", st.paint(BOLD, &format!("{}:", ui.report_it)))?;
        for rep in &r.reports {
            writeln!(out, "  * {}: {} ({})", rep.name, rep.address, rep.method)?;
            writeln!(out, "    {}", wrap(&rep.how, 4))?;
        }
        writeln!(out, "  {}", st.paint(DIM, &ui.report_json_hint))?;
    }
    writeln!(out)?;
    Ok(())
}

/// One piece of evidence: its line with the span marked, and its note.
fn write_evidence(
    out: &mut impl Write,
    r: &Report,
    e: &redflag_engine::ReportEvidence,
    plain_text_only: &str,
    st: &Style,
) -> std::io::Result<()> {
    let line = evidence_line(&r.text, e.start, e.end, st);
    // Where it is, when the person may not have seen it: only the plain-text version of an
    // HTML email has it.
    let part = (e.part == Some(BodyPartKind::PlainTextAlternative)).then_some(plain_text_only);
    let notes: Vec<String> = [e.note.as_deref(), part]
        .into_iter()
        .flatten()
        .map(sanitize)
        .collect();
    if notes.is_empty() {
        writeln!(out, "      > {line}")
    } else {
        let notes = format!("({})", notes.join("; "));
        writeln!(out, "      > {line}  {}", st.paint(DIM, &notes))
    }
}

/// The line around a span with the span marked, at most ~100 characters of context.
fn evidence_line(text: &str, start: usize, end: usize, st: &Style) -> String {
    let (start, end) = (start.min(text.len()), end.min(text.len()));
    if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
        return String::new();
    }
    let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[end..]
        .find('\n')
        .map(|i| end + i)
        .unwrap_or(text.len());
    let before = tail(&text[line_start..start], 50);
    let after = head(&text[end..line_end], 50);
    let mut hit: String = text[start..end].chars().take(120).collect();
    if hit.trim().is_empty() {
        hit = redflag_engine::EVIDENCE_WITHOUT_WORDS.to_string();
    }
    format!(
        "{}{}{}",
        sanitize(&before),
        st.mark(&sanitize(&hit.replace('\n', " "))),
        sanitize(&after)
    )
}

fn tail(s: &str, n: usize) -> String {
    let count = s.chars().count();
    if count <= n {
        s.to_string()
    } else {
        format!("...{}", s.chars().skip(count - n).collect::<String>())
    }
}

fn head(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}...", s.chars().take(n).collect::<String>())
    }
}

/// Wraps text at 88 columns, indenting continuation lines.
fn wrap(s: &str, indent: usize) -> String {
    let s = sanitize(s);
    let mut out = String::new();
    let mut col = indent;
    for (i, w) in s.split_whitespace().enumerate() {
        if i > 0 {
            if col + 1 + w.chars().count() > 88 {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
                col = indent;
            } else {
                out.push(' ');
                col += 1;
            }
        }
        out.push_str(w);
        col += w.chars().count();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizes_terminal_escapes() {
        assert_eq!(sanitize("a\x1b[31mb"), "a\\u{1b}[31mb");
        assert_eq!(sanitize("x\u{202E}y"), "x\\u{202e}y");
        // The Arabic letter mark reorders too: the same list as every other surface.
        assert_eq!(sanitize("x\u{061C}y"), "x\\u{61c}y");
        assert_eq!(sanitize("line\nnext"), "line\nnext");
    }

    #[test]
    fn marks_evidence() {
        let st = Style { color: false };
        assert_eq!(
            evidence_line("one\ncall 1-888 now\nthree", 9, 14, &st),
            "call [[1-888]] now"
        );
        // A link on a picture: an empty span where the link was.
        assert_eq!(
            evidence_line("See the offer", 4, 4, &st),
            "See [[a picture or button without words]]the offer"
        );
    }
}
