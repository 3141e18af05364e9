//! What the store keeps and gives back, and the rows it reads them from.

use crate::{StoreError, parse_channel, parse_time};
use chrono::{DateTime, Utc};
use redflag_engine::{Channel, Report, Verdict};
use serde::Serialize;

/// A case's number, given by the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct CaseId(pub i64);

impl std::fmt::Display for CaseId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// What an indicator is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IndicatorKind {
    /// A phone number in the message (E.164 when valid), other than the brand's own.
    Phone,
    /// The registrable domain of a link in the message, other than the brand's own.
    Domain,
    /// Who sent the message: an email address, phone number, short code or name.
    Sender,
}

impl IndicatorKind {
    /// `phone`, `domain` or `sender`.
    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorKind::Phone => "phone",
            IndicatorKind::Domain => "domain",
            IndicatorKind::Sender => "sender",
        }
    }

    fn parse(s: &str) -> Result<IndicatorKind, StoreError> {
        match s {
            "phone" => Ok(IndicatorKind::Phone),
            "domain" => Ok(IndicatorKind::Domain),
            "sender" => Ok(IndicatorKind::Sender),
            _ => Err(StoreError::Corrupt(format!("unknown indicator kind `{s}`"))),
        }
    }
}

/// Something a case contains that can come back in other cases.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Indicator {
    /// What it is.
    pub kind: IndicatorKind,
    /// The value, normalised (E.164 phone numbers, lowercase domains and addresses).
    pub value: String,
}

/// A case to save.
#[derive(Debug, Clone)]
pub struct NewCase {
    /// How the message arrived.
    pub channel: Channel,
    /// The verdict.
    pub verdict: Verdict,
    /// The score, 0 to 100.
    pub score: u8,
    /// Who sent it (also kept as a `sender` indicator).
    pub sender: Option<String>,
    /// The subject, for an email.
    pub subject: Option<String>,
    /// The person agreed that the hotline keeps the message.
    pub consent: bool,
    /// The hotline's note.
    pub note: Option<String>,
    /// The report, as JSON (`redflag check --json`).
    pub report: serde_json::Value,
    /// The message as checked (the report's `text`).
    pub message_text: String,
    /// Phone numbers and domains from the report (the sender is added when saving).
    pub indicators: Vec<Indicator>,
    /// The screenshot the message was read from, when it was one (re-encoded without its
    /// metadata by the caller).
    pub image: Option<CaseImage>,
}

/// A screenshot kept with a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseImage {
    /// `image/png` or `image/jpeg`.
    pub media_type: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The encoded image.
    pub bytes: Vec<u8>,
}

impl NewCase {
    /// A case from a report: verdict, score, channel, text, and as indicators the phone
    /// numbers and link domains in the message that are not the brand's own (as the report
    /// marks them: the store judges nothing itself). `sender`,
    /// `subject` and `note` are left empty and `consent` false for the caller to fill.
    pub fn from_report(report: &Report) -> NewCase {
        let mut indicators = Vec::new();
        let brand_phones = &report.indicators.brand_phone_numbers;
        for p in &report.indicators.phone_numbers {
            if !brand_phones.contains(p) {
                indicators.push(Indicator {
                    kind: IndicatorKind::Phone,
                    value: p.trim().to_string(),
                });
            }
        }
        for d in report.indicators.domains.iter().filter(|d| !d.brand) {
            indicators.push(Indicator {
                kind: IndicatorKind::Domain,
                value: d.domain.trim().to_lowercase(),
            });
        }
        NewCase {
            channel: report.channel,
            verdict: report.verdict,
            score: report.score,
            sender: None,
            subject: None,
            consent: false,
            note: None,
            report: serde_json::to_value(report).unwrap_or(serde_json::Value::Null),
            message_text: report.text.clone(),
            indicators,
            image: None,
        }
    }

    /// The indicators to store: the report's and the sender, without duplicates or empties.
    pub fn all_indicators(&self) -> Vec<Indicator> {
        let mut all = self.indicators.clone();
        if let Some(s) = self
            .sender
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            all.push(Indicator {
                kind: IndicatorKind::Sender,
                value: s.to_lowercase(),
            });
        }
        all.retain(|i| !i.value.is_empty());
        all.sort();
        all.dedup();
        all
    }
}

/// A saved case, without its report and text (for lists).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseSummary {
    /// Its number.
    pub id: CaseId,
    /// When it was saved (UTC).
    pub created_at: DateTime<Utc>,
    /// How the message arrived.
    pub channel: Channel,
    /// The verdict.
    pub verdict: Verdict,
    /// The score.
    pub score: u8,
    /// Who sent it.
    pub sender: Option<String>,
    /// The subject.
    pub subject: Option<String>,
    /// The person agreed that the hotline keeps the message.
    pub consent: bool,
    /// The hotline's note.
    pub note: Option<String>,
}

/// A saved case, in full.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    /// What the list shows.
    #[serde(flatten)]
    pub summary: CaseSummary,
    /// The report, as saved.
    pub report: serde_json::Value,
    /// The message as checked.
    pub message_text: String,
    /// Its indicators, sorted.
    pub indicators: Vec<Indicator>,
    /// A screenshot is kept with it ([`crate::Store::case_image`]).
    pub has_image: bool,
}

/// How often an indicator was seen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorCount {
    /// What it is.
    pub kind: IndicatorKind,
    /// The value.
    pub value: String,
    /// In how many cases.
    pub count: u64,
    /// The first case it was in was saved then.
    pub first_seen: DateTime<Utc>,
    /// The last case it was in was saved then.
    pub last_seen: DateTime<Utc>,
}

fn parse_verdict(s: &str) -> Result<Verdict, StoreError> {
    [Verdict::Clean, Verdict::Suspicious, Verdict::Scam]
        .into_iter()
        .find(|v| v.as_str() == s)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown verdict `{s}`")))
}

#[derive(sqlx::FromRow)]
pub(crate) struct CaseRow {
    id: i64,
    created_at: String,
    channel: String,
    verdict: String,
    score: i64,
    sender: Option<String>,
    subject: Option<String>,
    consent: bool,
    note: Option<String>,
}

impl CaseRow {
    pub(crate) fn into_summary(self) -> Result<CaseSummary, StoreError> {
        Ok(CaseSummary {
            id: CaseId(self.id),
            created_at: parse_time(&self.created_at)?,
            channel: parse_channel(&self.channel)?,
            verdict: parse_verdict(&self.verdict)?,
            score: u8::try_from(self.score)
                .map_err(|_| StoreError::Corrupt(format!("bad score {}", self.score)))?,
            sender: self.sender,
            subject: self.subject,
            consent: self.consent,
            note: self.note,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct FullCaseRow {
    #[sqlx(flatten)]
    pub(crate) case: CaseRow,
    report: String,
    message_text: String,
    has_image: bool,
}

impl FullCaseRow {
    pub(crate) fn id(&self) -> i64 {
        self.case.id
    }

    pub(crate) fn into_case(self, indicators: Vec<IndicatorRow>) -> Result<Case, StoreError> {
        let report = serde_json::from_str(&self.report)
            .map_err(|e| StoreError::Corrupt(format!("the stored report is not JSON: {e}")))?;
        Ok(Case {
            summary: self.case.into_summary()?,
            report,
            message_text: self.message_text,
            has_image: self.has_image,
            indicators: indicators
                .into_iter()
                .map(IndicatorRow::into_indicator)
                .collect::<Result<_, _>>()?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct IndicatorRow {
    pub(crate) kind: String,
    pub(crate) value: String,
}

impl IndicatorRow {
    fn into_indicator(self) -> Result<Indicator, StoreError> {
        Ok(Indicator {
            kind: IndicatorKind::parse(&self.kind)?,
            value: self.value,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct CaseIndicatorRow {
    pub(crate) case_id: i64,
    pub(crate) kind: String,
    pub(crate) value: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct IndicatorCountRow {
    kind: String,
    value: String,
    case_count: i64,
    first_seen: String,
    last_seen: String,
}

impl IndicatorCountRow {
    pub(crate) fn into_count(self) -> Result<IndicatorCount, StoreError> {
        Ok(IndicatorCount {
            kind: IndicatorKind::parse(&self.kind)?,
            value: self.value,
            count: u64::try_from(self.case_count).unwrap_or(0),
            first_seen: parse_time(&self.first_seen)?,
            last_seen: parse_time(&self.last_seen)?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct CaseImageRow {
    media_type: String,
    width: i64,
    height: i64,
    bytes: Vec<u8>,
}

impl CaseImageRow {
    pub(crate) fn into_image(self) -> Result<CaseImage, StoreError> {
        let side = |v: i64| {
            u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("bad image side {v}")))
        };
        Ok(CaseImage {
            media_type: self.media_type,
            width: side(self.width)?,
            height: side(self.height)?,
            bytes: self.bytes,
        })
    }
}
