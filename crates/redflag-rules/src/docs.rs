//! `docs/rules.md`, generated from the registry.

use crate::{Family, RULES, Rule};
use std::fmt::Write;

/// Renders the rule reference as Markdown, with `brand` for `{brand}` in the summaries.
/// `docs/rules.md` is this output for the embedded profile's brand; a test keeps it in sync.
pub fn rules_markdown(brand: &str) -> String {
    let mut s = String::new();
    s.push_str("# Rules\n\n");
    s.push_str("<!-- Generated from the rule registry by `redflag rules --markdown`. Do not edit by hand. -->\n\n");
    s.push_str("Every red flag redflag checks, by family, and the signs of a genuine message (GEN), which add no points. IDs are permanent. Points are what one finding adds to the score (0 to 100).\n\n");
    s.push_str("*Weak* red flags are context a genuine message can carry too (a story, wording, pressure, the text model's opinion). When a strong sign of a genuine message is present (an authenticated sender, links only to the brand's own sites, a registered text sender, a one-time code with a warning not to share it) and no strong red flag has points, the weak ones count for nothing. A strong red flag is never outweighed. A *weak* sign of a genuine message only supports: it outweighs nothing.\n\n");
    let mut families: Vec<Family> = RULES.iter().map(|r| r.meta().family).collect();
    families.sort();
    families.dedup();
    s.push_str(
        "| ID | Name | Severity | Points | Weak | Channels | Summary |\n|---|---|---|---|---|---|---|\n",
    );
    let mut sorted: Vec<&dyn Rule> = RULES.to_vec();
    sorted.sort_by_key(|r| (r.meta().family, r.meta().id));
    for r in &sorted {
        let m = r.meta();
        let ch: Vec<&str> = m.channels.iter().map(|c| c.as_str()).collect();
        let _ = writeln!(
            s,
            "| [{}](#{}) | {} | {} | {} | {} | {} | {} |",
            m.id,
            m.id.to_lowercase(),
            m.name,
            m.severity.as_str(),
            m.points,
            if m.soft { "weak" } else { "" },
            ch.join(", "),
            m.summary.replace("{brand}", brand)
        );
    }
    for fam in families {
        let _ = write!(s, "\n## {} ({})\n", fam.title(), fam.prefix());
        for r in sorted.iter().filter(|r| r.meta().family == fam) {
            let m = r.meta();
            let ch: Vec<&str> = m.channels.iter().map(|c| c.as_str()).collect();
            let _ = write!(
                s,
                "\n### {}\n\n`{}` · severity {} · {} points{} · channels: {}\n\n{}\n",
                m.id,
                m.name,
                m.severity.as_str(),
                m.points,
                if m.soft { " · weak evidence" } else { "" },
                ch.join(", "),
                unindent(m.doc).trim_end()
            );
        }
    }
    s
}

/// Doc comments arrive with a leading space on each line.
fn unindent(doc: &str) -> String {
    doc.lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
