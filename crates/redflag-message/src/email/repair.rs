//! Repairs to the raw bytes before MIME parsing: an mbox postmark line at the start, a cut
//! that bounds how many embedded messages mail-parser is given, and the blank line a header
//! block lost before its first MIME boundary.

/// Most embedded messages (`message/rfc822`, `message/global`, `multipart/digest`) read.
pub(super) const MAX_EMBEDDED_MESSAGES: usize = 64;

/// Where to cut the input so that it declares at most [`MAX_EMBEDDED_MESSAGES`] embedded
/// messages; `None` when it declares no more than that.
pub(super) fn nesting_cut(raw: &[u8]) -> Option<usize> {
    // Each needle has one `/`, seven or nine bytes in: jump from one `/` to the next
    // (memchr, many bytes at a time; `/` is rarer than the `m` all three start with) and
    // look back. Two matches cannot overlap (no needle has another's first letter after
    // its own start), so the matches found in the order of their `/` are the ones a
    // left-to-right scan finds. A byte-by-byte scan cost 140,000 instructions per corpus
    // email, a jump from one `m` to the next 83,000.
    let at = |start: usize, needle: &[u8]| {
        raw.get(start..start + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
    };
    let mut count = 0;
    for slash in memchr::memchr_iter(b'/', raw) {
        // The letter before the `/` ends `message` or `multipart`: most `/`s are a link's.
        if !slash
            .checked_sub(1)
            .is_some_and(|i| matches!(raw[i].to_ascii_lowercase(), b'e' | b't'))
        {
            continue;
        }
        let start = match (slash.checked_sub(7), slash.checked_sub(9)) {
            (Some(s), _) if at(s, b"message/rfc822") || at(s, b"message/global") => s,
            (_, Some(s)) if at(s, b"multipart/digest") => s,
            _ => continue,
        };
        count += 1;
        if count > MAX_EMBEDDED_MESSAGES {
            return Some(start);
        }
    }
    None
}

/// When the header block declares a multipart `boundary` and its first boundary line comes
/// before any blank line (the blank line that ends the headers is missing), the input with
/// a blank line inserted before that boundary line; otherwise `None`.
pub(super) fn blank_line_before_boundary(raw: &[u8]) -> Option<Vec<u8>> {
    let mut boundary: Option<Vec<u8>> = None;
    let mut pos = 0;
    while pos < raw.len() {
        let end = memchr::memchr(b'\n', &raw[pos..]).map_or(raw.len(), |i| pos + i + 1);
        let line = raw[pos..end].strip_suffix(b"\n").unwrap_or(&raw[pos..end]);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return None;
        }
        if let Some(b) = &boundary
            && line.len() >= b.len() + 2
            && line.starts_with(b"--")
            && &line[2..2 + b.len()] == b.as_slice()
        {
            let mut out = Vec::with_capacity(raw.len() + 1);
            out.extend_from_slice(&raw[..pos]);
            out.push(b'\n');
            out.extend_from_slice(&raw[pos..]);
            return Some(out);
        }
        if boundary.is_none() {
            boundary = boundary_param(line);
        }
        pos = end;
    }
    None
}

/// The value of a `boundary=` parameter on a header line (quoted or not).
fn boundary_param(line: &[u8]) -> Option<Vec<u8>> {
    let rest = &line[boundary_value_start(line)?..];
    let value: Vec<u8> = if let Some(q) = rest.strip_prefix(b"\"") {
        q.iter().take_while(|&&c| c != b'"').copied().collect()
    } else {
        rest.iter()
            .take_while(|&&c| !c.is_ascii_whitespace() && c != b';')
            .copied()
            .collect()
    };
    (!value.is_empty()).then_some(value)
}

/// Where the value of the line's first `boundary=` (any case) starts: found from the `=`
/// signs, rare in header lines, without a lowercased copy of the line.
fn boundary_value_start(line: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'=', line)
        .find(|&eq| eq >= 8 && line[eq - 8..eq].eq_ignore_ascii_case(b"boundary"))
        .map(|eq| eq + 1)
}

/// Skips an mbox `From sender date` line at the very start, if a header line follows it
/// (a single message saved from a mailbox file). Text that merely starts with "From the
/// Amazon team..." is left alone.
pub(super) fn skip_postmark(raw: &[u8]) -> &[u8] {
    let n = raw.iter().take_while(|c| c.is_ascii_whitespace()).count();
    let rest = &raw[n..];
    if !rest.starts_with(b"From ") {
        return raw;
    }
    let Some(eol) = rest.iter().position(|&c| c == b'\n') else {
        return raw;
    };
    let next = &rest[eol + 1..];
    let next_line = &next[..next.iter().position(|&c| c == b'\n').unwrap_or(next.len())];
    let header = next_line
        .iter()
        .position(|&c| c == b':')
        .is_some_and(|colon| colon > 0 && next_line[..colon].iter().all(u8::is_ascii_graphic));
    if header { next } else { raw }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-by-byte definition `nesting_cut` replaced.
    fn nesting_cut_by_bytes(raw: &[u8]) -> Option<usize> {
        const NEEDLES: [&[u8]; 3] = [b"message/rfc822", b"message/global", b"multipart/digest"];
        let (mut count, mut i) = (0, 0);
        while i + 14 <= raw.len() {
            if let Some(n) = NEEDLES.iter().find(|n| {
                raw.get(i..i + n.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(n))
            }) {
                count += 1;
                if count > MAX_EMBEDDED_MESSAGES {
                    return Some(i);
                }
                i += n.len();
                continue;
            }
            i += 1;
        }
        None
    }

    proptest::proptest! {
        /// Any mix of the needles (in any case, cut anywhere) and filler: the same cut.
        #[test]
        fn nesting_cut_is_the_byte_by_byte_search(
            pieces in proptest::collection::vec(0usize..10, 0..200),
            tail in 0usize..20,
        ) {
            const PIECES: [&[u8]; 10] = [
                b"message/rfc822", b"MESSAGE/Global", b"multipart/digest", b"m", b"Mess",
                b"x\n", b"multipart/diges", b"/", b"message/", b"multipart/",
            ];
            let mut raw: Vec<u8> = pieces.iter().flat_map(|&p| PIECES[p].iter().copied()).collect();
            raw.truncate(raw.len().saturating_sub(tail));
            proptest::prop_assert_eq!(nesting_cut(&raw), nesting_cut_by_bytes(&raw));
        }
    }

    /// The search `boundary_value_start` replaced: the line lowercased, then searched.
    fn boundary_value_start_lowercased(line: &[u8]) -> Option<usize> {
        let lower = line.to_ascii_lowercase();
        Some(lower.windows(9).position(|w| w == b"boundary=")? + 9)
    }

    proptest::proptest! {
        /// Parameters, partial names, quotes and other `=` signs: the same value.
        #[test]
        fn boundary_is_found_where_the_lowercased_search_finds_it(
            pieces in proptest::collection::vec(0usize..10, 0..30),
        ) {
            const PIECES: [&[u8]; 10] = [
                b"boundary=", b"BoUnDaRy=", b"\"", b"x", b";", b" ", b"=", b"bound", b"ary=",
                b"\xc3\xa9",
            ];
            let line: Vec<u8> = pieces.iter().flat_map(|&p| PIECES[p].iter().copied()).collect();
            proptest::prop_assert_eq!(
                boundary_value_start(&line),
                boundary_value_start_lowercased(&line)
            );
        }
    }

    #[test]
    fn nesting_cut_counts_past_the_limit() {
        let raw = b"message/rfc822 ".repeat(MAX_EMBEDDED_MESSAGES + 2);
        assert_eq!(nesting_cut(&raw), Some(15 * MAX_EMBEDDED_MESSAGES));
        assert_eq!(nesting_cut(&raw[..15 * MAX_EMBEDDED_MESSAGES]), None);
    }

    #[test]
    fn headers_that_end_with_a_blank_line_are_left_alone() {
        assert_eq!(blank_line_before_boundary(b"From: a@b.c\n\nbody"), None);
    }
}
