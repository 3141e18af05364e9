//! Shared by the integration tests.

use redflag_engine::{Assessment, Report, ReportEvidence};
use redflag_message::Span;

/// An assessment says what the report says: the same verdict, score, brand claim, model
/// probability and number of notes, and the same findings and genuine signs in the same
/// order, with the same points, weights and evidence spans.
pub fn assert_assessment_matches(what: &str, r: &Report, a: &Assessment) {
    assert_eq!(a.verdict, r.verdict, "{what}: verdict");
    assert_eq!(a.score, r.score, "{what}: score");
    assert_eq!(a.channel, r.channel, "{what}: channel");
    assert_eq!(a.claims_brand, r.claims_brand, "{what}: claims_brand");
    assert_eq!(a.brand, r.brand, "{what}: brand");
    assert_eq!(a.notes, r.notes.len(), "{what}: notes");
    assert_eq!(
        a.model_probability,
        r.model.as_ref().map(|m| m.probability),
        "{what}: model"
    );
    let spans = |evidence: &[ReportEvidence]| -> Vec<Span> {
        evidence
            .iter()
            .map(|e| Span {
                start: e.start,
                end: e.end,
            })
            .collect()
    };
    let red: Vec<_> = r
        .findings
        .iter()
        .map(|f| (f.rule, f.points, f.soft, f.outweighed, spans(&f.evidence)))
        .collect();
    let red_a: Vec<_> = a
        .findings
        .iter()
        .map(|f| (f.rule, f.points, f.soft, f.outweighed, f.evidence.clone()))
        .collect();
    assert_eq!(red_a, red, "{what}: findings");
    let genuine: Vec<_> = r
        .genuine_signs
        .iter()
        .map(|g| (g.rule, !g.strong, spans(&g.evidence)))
        .collect();
    let genuine_a: Vec<_> = a
        .genuine_signs
        .iter()
        .map(|g| (g.rule, g.soft, g.evidence.clone()))
        .collect();
    assert_eq!(genuine_a, genuine, "{what}: genuine signs");
}
