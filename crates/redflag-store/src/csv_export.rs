//! The CSV export: one row per case, safe to open in a spreadsheet.

use crate::{Case, IndicatorKind, StoreError, format_time};

/// The header row.
pub(crate) const HEADER: [&str; 14] = [
    "id",
    "created_at",
    "channel",
    "verdict",
    "score",
    "sender",
    "subject",
    "consent",
    "note",
    "phones",
    "domains",
    "senders",
    "rules",
    "message",
];

/// Writes the cases as CSV (RFC 4180 quoting, CRLF line ends).
pub(crate) fn write(cases: &[Case]) -> Result<String, StoreError> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(HEADER)?;
    for c in cases {
        let s = &c.summary;
        let of_kind = |kind: IndicatorKind| {
            c.indicators
                .iter()
                .filter(|i| i.kind == kind)
                .map(|i| i.value.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let rules = c
            .report
            .get("findings")
            .and_then(|f| f.as_array())
            .map(|fs| {
                fs.iter()
                    .filter_map(|f| f.get("rule").and_then(|r| r.as_str()))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
        let record = [
            s.id.to_string(),
            format_time(s.created_at),
            s.channel.as_str().to_string(),
            s.verdict.as_str().to_string(),
            s.score.to_string(),
            s.sender.clone().unwrap_or_default(),
            s.subject.clone().unwrap_or_default(),
            if s.consent { "yes" } else { "no" }.to_string(),
            s.note.clone().unwrap_or_default(),
            of_kind(IndicatorKind::Phone),
            of_kind(IndicatorKind::Domain),
            of_kind(IndicatorKind::Sender),
            rules,
            c.message_text.clone(),
        ];
        w.write_record(record.iter().map(|cell| neutralise(cell).into_owned()))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| StoreError::Csv(e.into_error().into()))?;
    String::from_utf8(bytes).map_err(|_| StoreError::Corrupt("the export is not UTF-8".into()))
}

/// A cell a spreadsheet could run as a formula gets a leading `'`: the engine's guard,
/// shared with `redflag scan`'s CSV.
pub(crate) use redflag_engine::shown::csv_cell as neutralise;

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formula_cells_are_neutralised() {
        for (cell, want) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+18885550199", "'+18885550199"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("amazon-help.top", "amazon-help.top"),
            ("", ""),
            (" =1", " =1"),
        ] {
            assert_eq!(neutralise(cell), want, "{cell:?}");
        }
    }
}
