//! Puts a report together: the verdict and findings with their words in the report's
//! language, the indicators, the advice and the ready-to-send reports.

use crate::outbound;
use crate::report::*;
use crate::score::{Verdict, score};
use crate::{Engine, SCHEMA_VERSION, advice};
use redflag_extract::Indicators;
use redflag_message::{Message, ParseNote, Span};
use redflag_profile::Profile;
use redflag_rules::{Context, Family, Finding};

pub(crate) fn build(
    engine: &Engine,
    msg: &Message,
    ind: &Indicators,
    cx: &Context<'_>,
    findings: Vec<Finding>,
    model: Option<(&str, f32)>,
    country: Option<&str>,
) -> Report {
    let profile: &Profile = &engine.profile;
    let lang = crate::locale::language(profile, msg);
    let country = crate::locale::country(profile, msg, ind, &lang, country);
    let words = profile.locale(&lang);
    // What the verdict would be without the model, to say when the model moved it (the
    // other findings by reference: copying them cost more than scoring them).
    let without_model: Option<Vec<&Finding>> = findings
        .iter()
        .any(|f| f.rule.family == Family::MODEL)
        .then(|| {
            findings
                .iter()
                .filter(|f| f.rule.family != Family::MODEL)
                .collect()
        });
    let total_without_model = without_model.map(|mut w| {
        w.sort_by_key(|f| f.rule.id);
        score(&w).total
    });
    let crate::assess::Ranked {
        total,
        genuine,
        red_flags: items,
    } = crate::assess::rank(findings);
    let verdict = Verdict::from_score(total);
    let verdict_without_model = total_without_model.map_or(verdict, Verdict::from_score);
    let genuine_signs: Vec<GenuineSign> = genuine
        .iter()
        .map(|(_, f)| GenuineSign {
            rule: f.rule.id,
            name: f.rule.name,
            strong: !f.soft,
            message: message(profile, &lang, msg, f),
            explanation: explanation(profile, &lang, f),
            evidence: evidences(msg, f),
        })
        .collect();
    let report_findings: Vec<ReportFinding> = items
        .iter()
        .map(|((p, outweighed), f)| ReportFinding {
            rule: f.rule.id,
            name: f.rule.name,
            family: f.rule.family,
            severity: f.rule.severity,
            points: *p,
            soft: f.soft,
            outweighed: *outweighed,
            message: message(profile, &lang, msg, f),
            explanation: explanation(profile, &lang, f),
            evidence: evidences(msg, f),
        })
        .collect();
    let mut scenarios: Vec<ScenarioRef> = items
        .iter()
        .filter(|(_, f)| f.rule.family == Family::SCENARIO)
        .map(|(_, f)| ScenarioRef {
            id: f.rule.id,
            name: f.rule.name,
            summary: profile.fill_in(&lang, f.rule.summary),
        })
        .collect();
    scenarios.sort_by_key(|s| s.id);
    scenarios.dedup_by_key(|s| s.id);
    let indicators = indicators(profile, msg, ind, &report_findings);
    let fired: Vec<&str> = report_findings.iter().map(|f| f.rule).collect();
    // Authenticated mail from the brand's own domain (what GEN001 reports).
    let brand_sent = msg.email.is_some()
        && matches!(
            cx.verified.as_ref().map(|v| &v.by),
            Some(redflag_rules::VerifiedBy::Brand(_))
        );
    let advice = advice::build(
        &engine.advice,
        &lang,
        verdict,
        &scenarios,
        &fired,
        brand_sent,
    );
    let mut report = Report {
        schema_version: SCHEMA_VERSION,
        verdict,
        verdict_label: match verdict {
            Verdict::Scam => words.ui.verdict_scam.clone(),
            Verdict::Suspicious => words.ui.verdict_suspicious.clone(),
            Verdict::Clean => words.ui.verdict_clean.clone(),
        },
        lang: lang.clone(),
        country,
        score: total,
        channel: msg.channel,
        brand: profile.brand.id.clone(),
        claims_brand: cx.claim.claims,
        scenarios,
        findings: report_findings,
        genuine_signs,
        indicators,
        advice,
        reports: Vec::new(),
        notes: msg
            .notes
            .iter()
            .cloned()
            .chain(ind.limits.iter().map(|l| ParseNote::new("limit", l.clone())))
            .collect(),
        model: model.map(|(name, probability)| {
            let points = items.iter().filter(|(_, f)| f.rule.family == Family::MODEL).map(|((p, _), _)| *p).sum();
            let moved_verdict = verdict != verdict_without_model;
            let summary = if moved_verdict {
                format!(
                    "The text model tipped the verdict: the red flags alone would give \"{}\", and the model's {:.0}% makes it \"{}\".",
                    verdict_without_model.label(),
                    probability * 100.0,
                    verdict.label()
                )
            } else {
                format!("The text model gives it a {:.0}% chance of being a scam; the verdict rests on the red flags.", probability * 100.0)
            };
            ModelOpinion { name: name.to_string(), probability, points, moved_verdict, summary }
        }),
        orders: cx.order_check.clone(),
        text: msg.text.clone(),
        image: None,
    };
    report.reports = outbound::build(profile, msg, &report);
    report
}

/// A finding's plain-language explanation in the report's language: the locale's, or the
/// rule's own (English).
fn explanation(profile: &Profile, lang: &str, f: &Finding) -> String {
    let text = profile
        .locale(lang)
        .explain
        .get(f.rule.id)
        .map(String::as_str)
        .unwrap_or(f.rule.explain);
    profile.fill_in(lang, text)
}

/// A finding's short description. The rules write it in English, quoting the message; in
/// another language it is the rule's title in that language and the first quote.
fn message(profile: &Profile, lang: &str, msg: &Message, f: &Finding) -> String {
    let Some(title) = profile.locale(lang).summary.get(f.rule.id) else {
        return f.message.clone();
    };
    let title = profile.fill_in(lang, title);
    let quoted = f
        .evidence
        .first()
        .map(|e| msg.text.get(e.span.start..e.span.end).unwrap_or("").trim())
        .filter(|t| !t.is_empty() && t.chars().count() <= 80);
    match quoted {
        Some(q) => format!("{title}: `{}`", q.replace('`', "'")),
        None => title,
    }
}

/// A finding's evidence, with the text at each span.
fn evidences(msg: &Message, f: &Finding) -> Vec<ReportEvidence> {
    f.evidence
        .iter()
        .map(|e| evidence(msg, e.span, e.note.clone()))
        .collect()
}

fn evidence(msg: &Message, span: Span, note: Option<String>) -> ReportEvidence {
    ReportEvidence {
        start: span.start,
        end: span.end,
        text: msg.text.get(span.range()).unwrap_or("").to_string(),
        note,
        part: msg.body_part_at(span.start),
    }
}

/// Adds `s` unless it is empty or listed (lists are bounded by extraction's caps, so the
/// scan stays cheap: at most `MAX_LINKS` entries).
fn push_unique(list: &mut Vec<String>, s: String) {
    if !s.is_empty() && !list.contains(&s) {
        list.push(s);
    }
}

fn indicators(
    profile: &Profile,
    msg: &Message,
    ind: &Indicators,
    findings: &[ReportFinding],
) -> ReportIndicators {
    let brand = &profile.brand;
    let mut out = ReportIndicators::default();
    for u in &ind.urls {
        if u.host.is_none() {
            continue;
        }
        push_unique(&mut out.urls, u.url.clone());
        if let Some(reg) = &u.registrable {
            let d = DomainIndicator {
                domain: reg.clone(),
                brand: brand.is_legit_domain(reg),
            };
            if !out.domains.contains(&d) {
                out.domains.push(d);
            }
        }
    }
    for p in &ind.phones {
        let number = p.e164.clone().unwrap_or_else(|| p.raw.clone());
        if brand.is_brand_phone(&number) {
            push_unique(&mut out.brand_phone_numbers, number.clone());
        }
        push_unique(&mut out.phone_numbers, number);
    }
    if let Some(e) = &msg.email {
        if let Some(f) = &e.from {
            push_unique(&mut out.emails, f.address.clone());
        }
        for r in &e.reply_to {
            push_unique(&mut out.emails, r.address.clone());
        }
    } else if let Some(s) = msg.sender.as_ref().filter(|s| s.value.contains('@')) {
        push_unique(&mut out.emails, s.value.clone());
    }
    for e in &ind.emails {
        push_unique(&mut out.emails, e.address.clone());
    }
    for m in &ind.money {
        push_unique(&mut out.amounts, m.raw.clone());
    }
    for o in &ind.orders {
        let oi = OrderIndicator {
            value: o.value.clone(),
            brand_format: brand.is_order_number(&o.value),
        };
        if !out.order_numbers.contains(&oi) {
            out.order_numbers.push(oi);
        }
    }
    for f in findings.iter().filter(|f| f.family == Family::PAYMENT) {
        let what = match f.rule {
            "PAY001" | "PAY002" => "gift cards",
            "PAY003" => "cryptocurrency",
            "PAY004" => "wire transfer or payment app",
            "PAY005" => "fee",
            _ => "store purchase",
        };
        push_unique(&mut out.payment_methods, what.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use redflag_message::{TextInput, parse_text_message};
    use redflag_rules::Evidence;

    /// A locale that has not translated a rule yet shows the rule's own English words, with
    /// the brand's name filled in: a new rule needs no edit of the translations to work.
    #[test]
    fn a_rule_a_locale_lacks_is_explained_in_english() {
        let mut profile = (*Profile::embedded()).clone();
        let de = profile.locales.get_mut("de").expect("a German locale");
        assert!(de.summary.contains_key("URG001") && de.explain.contains_key("URG001"));
        let translated = explanation(&Profile::embedded(), "de", &finding());
        de.summary.remove("URG001");
        de.explain.remove("URG001");
        let msg = parse_text_message(TextInput {
            channel: redflag_message::Channel::Sms,
            text: "Handeln Sie sofort",
            sender: None,
            subject: None,
        })
        .unwrap();
        let f = finding();
        let english = explanation(&profile, "de", &f);
        assert_ne!(english, translated);
        assert_eq!(english, profile.fill(f.rule.explain));
        assert!(english.contains(&profile.brand.name) && !english.contains("{brand}"));
        assert_eq!(message(&profile, "de", &msg, &f), f.message);
    }

    fn finding() -> Finding {
        let rule = redflag_rules::find_rule("URG001").expect("URG001").meta();
        Finding::new(rule, "says `sofort`", vec![Evidence::at(Span::new(8, 13))])
    }
}
