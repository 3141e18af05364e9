//! The raw bytes of each message of a file, and the Date of an email.
//!
//! `read_input` gives parsed messages only. Two things need the raw bytes of each: the
//! report's messages-over-time chart (the `Date` header) and `--copy-flagged` for mbox
//! files (each message written as its own file). [`split_mbox`] is the engine's, the same
//! split its mbox reader makes; callers use its pieces only when their number matches the
//! messages `read_input` gave.

pub(crate) use redflag_engine::split_mbox;

/// The earliest plausible date (1990-01-01), in seconds since 1970: older ones are broken
/// clocks, not mail.
const EARLIEST: i64 = 631_152_000;
/// The latest plausible date (2100-01-01).
const LATEST: i64 = 4_102_444_800;

/// The email's `Date` header as seconds since 1970 (UTC), when it parses to a date between
/// 1990 and 2100. Only the header block is read.
pub(crate) fn email_date(raw: &[u8]) -> Option<i64> {
    // The header block ends at the first blank line; cap what is handed to the parser.
    let end = find_blank_line(raw).unwrap_or(raw.len()).min(256 * 1024);
    let head = &raw[..end];
    let parsed = mail_parser::MessageParser::new().parse_headers(head)?;
    let date = parsed.date()?;
    if !date.is_valid() {
        return None;
    }
    Some(date.to_timestamp()).filter(|t| (EARLIEST..LATEST).contains(t))
}

/// Where the first empty line (`\n\n` or `\r\n\r\n`) ends.
fn find_blank_line(raw: &[u8]) -> Option<usize> {
    raw.windows(2)
        .position(|w| w == b"\n\n")
        .map(|i| i + 2)
        .into_iter()
        .chain(raw.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4))
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_the_mbox_reader() {
        let mbox = b"From a@b.example Mon Jan 13 15:02:11 2025\nFrom: a@b.example\nSubject: one\n\n>From here\n\nFrom c@d.example Mon Jan 13 16:02:11 2025\nFrom: c@d.example\nSubject: two\n\nbody\n";
        let parts = split_mbox(mbox);
        assert_eq!(parts.len(), 2);
        assert!(parts[0].starts_with(b"From: a@b.example"));
        assert!(parts[0].windows(10).any(|w| w == b"\nFrom here"));
        assert!(parts[1].ends_with(b"body\n"));
    }

    #[test]
    fn reads_the_date_header() {
        let t =
            email_date(b"From: a@b.example\r\nDate: Fri, 22 Nov 2024 02:37:44 +0000\r\n\r\nbody")
                .unwrap();
        assert_eq!(t, 1_732_243_064);
        assert_eq!(
            email_date(b"From: a@b.example\n\nDate: Fri, 22 Nov 2024 02:37:44 +0000\n"),
            None
        );
        assert_eq!(
            email_date(b"Date: Thu, 1 Jan 1970 00:00:00 +0000\n\n"),
            None
        );
        assert_eq!(email_date(b""), None);
    }
}
