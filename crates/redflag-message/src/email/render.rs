//! The display text of an email, in the order the `email` module doc gives (header lines,
//! attachment lines, a blank line, the body), with its sections, spans and notes: the
//! [`Message`] built from the [`Draft`].

use super::Draft;
use super::attachments::format_size;
use crate::authres::parse_auth_results;
use crate::text::{classify_sender, truncate_from};
use crate::{
    Attachment, AuthResults, BodyPart, Channel, EmailMeta, HtmlLink, MAX_TEXT_BYTES, Mailbox,
    Message, ParseNote, SectionKind, Sender, SenderKind, Span, TextBuilder,
};

/// Builds the display text and the message from the draft.
pub(super) fn render(d: Draft) -> Message {
    let mut notes = d.notes;
    let mut b = TextBuilder::new();
    let mut meta = EmailMeta {
        subject: d.subject.clone(),
        html: d.html,
        forwarded: d.forwarded,
        from_entries: d.from_entries,
        relayed: d.relayed,
        ..EmailMeta::default()
    };
    let mut sender = None;
    if let Some(from) = &d.from {
        let span = b.header("From", SectionKind::From, &from.display());
        match &from.address {
            Some(addr) => {
                let address = addr.to_ascii_lowercase();
                sender = Some(Sender {
                    kind: SenderKind::Email,
                    value: address.clone(),
                    display_name: from.name.clone(),
                    span,
                });
                meta.from = Some(Mailbox {
                    name: from.name.clone(),
                    address,
                    span,
                });
            }
            None => {
                let (kind, value) = classify_sender(&from.display());
                sender = Some(Sender {
                    kind,
                    value,
                    display_name: None,
                    span,
                });
            }
        }
    }
    for r in &d.reply_to {
        if let Some(addr) = &r.address {
            let span = b.header("Reply-To", SectionKind::ReplyTo, &r.display());
            meta.reply_to.push(Mailbox {
                name: r.name.clone(),
                address: addr.to_ascii_lowercase(),
                span,
            });
        }
    }
    if let Some(rp) = &d.return_path {
        let span = b.header("Return-Path", SectionKind::ReturnPath, rp);
        meta.return_path = Some(Mailbox {
            name: None,
            address: rp.to_ascii_lowercase(),
            span,
        });
    }
    for value in &d.auth {
        let span = b.header("Authentication-Results", SectionKind::AuthResults, value);
        let (authserv_id, results) = parse_auth_results(value);
        meta.auth_results.push(AuthResults {
            authserv_id,
            results,
            span,
        });
    }
    if let Some(subject) = &d.subject {
        b.header("Subject", SectionKind::Subject, subject);
    }
    let mut attachments = Vec::new();
    for a in d.attachments {
        let shown_name = if a.name.is_empty() {
            "(no name)"
        } else {
            a.name.as_str()
        };
        let line = format!(
            "{shown_name} ({}, {})",
            a.declared_type,
            format_size(a.size)
        );
        let span = b.header("Attachment", SectionKind::Attachment, &line);
        attachments.push(Attachment {
            name: a.name,
            declared_type: a.declared_type,
            sniffed_type: a.sniffed_type.to_string(),
            size: a.size,
            span,
        });
    }
    let body = truncate_from(&d.body, d.body_total, MAX_TEXT_BYTES, &mut notes);
    if body.trim().is_empty() {
        notes.push(ParseNote::new("no-body", "The email has no text to read."));
    }
    let garbled = body.contains('\u{FFFD}')
        || d.subject.as_deref().is_some_and(|s| s.contains('\u{FFFD}'))
        || d.from
            .as_ref()
            .is_some_and(|f| f.display().contains('\u{FFFD}'));
    if garbled {
        notes.push(ParseNote::new(
            "bad-charset",
            "Some of the text is in a character set that could not be read; unreadable characters show as \u{FFFD}.",
        ));
    }
    let body_len = body.len();
    let body_span = b.body(body);
    let links = d
        .links
        .into_iter()
        .filter(|(_, r)| r.start <= r.end && r.start <= body_len)
        .map(|(href, r)| HtmlLink {
            href,
            span: Span::new(
                body_span.start + r.start,
                body_span.start + r.end.min(body_len),
            ),
        })
        .collect();
    // Which part each stretch of the body is in, when it was read from several.
    let parts: Vec<BodyPart> = d
        .parts
        .into_iter()
        .filter(|(_, r)| r.start < body_len)
        .map(|(kind, r)| BodyPart {
            kind,
            span: Span::new(
                body_span.start + r.start,
                body_span.start + r.end.min(body_len),
            ),
        })
        .collect();
    if parts.len() > 1 || d.several_parts {
        meta.body_parts = parts;
    }
    if d.forwarded {
        notes.push(ParseNote::new(
            "forwarded",
            "This is a forwarded email; the message inside it was checked.",
        ));
    }
    let (text, sections, header_notes) = b.finish();
    notes.extend(header_notes);
    Message {
        channel: Channel::Email,
        text,
        sections,
        sender,
        email: Some(meta),
        links,
        attachments,
        notes,
    }
}
