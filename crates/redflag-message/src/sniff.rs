//! What an attachment really is, from its first bytes (the declared type and the file name
//! are chosen by the sender and often lie: `invoice.pdf` that is a Windows program).

/// How far into a zip file to look for Office file names.
const ZIP_SCAN_BYTES: usize = 64 * 1024;

/// Names `sniff` returns: `pdf`, `zip`, `ooxml`, `ole`, `exe`, `elf`, `rar`, `7z`, `gzip`,
/// `iso`, `image`, `html`, `text`, `unknown`.
pub(crate) fn sniff(bytes: &[u8]) -> &'static str {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"%PDF", "pdf"),
        (b"\xD0\xCF\x11\xE0", "ole"),
        (b"MZ", "exe"),
        (b"\x7FELF", "elf"),
        (b"Rar!\x1A\x07", "rar"),
        (b"7z\xBC\xAF\x27\x1C", "7z"),
        (b"\x1F\x8B", "gzip"),
        (b"\x89PNG\r\n\x1A\n", "image"),
        (b"\xFF\xD8\xFF", "image"),
        (b"GIF87a", "image"),
        (b"GIF89a", "image"),
    ];
    if bytes.is_empty() {
        return "unknown";
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return if is_ooxml(bytes) { "ooxml" } else { "zip" };
    }
    if let Some((_, name)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return name;
    }
    if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        return "image";
    }
    if [0x8001, 0x8801, 0x9001]
        .iter()
        .any(|&at| bytes.get(at..at + 5) == Some(&b"CD001"[..]))
    {
        return "iso";
    }
    if looks_like_html(bytes) {
        return "html";
    }
    // PDF readers accept junk before the header.
    if contains(&bytes[..bytes.len().min(1024)], b"%PDF-") {
        return "pdf";
    }
    if looks_like_text(bytes) {
        return "text";
    }
    "unknown"
}

/// Decodes base64 leniently: characters outside the alphabet are skipped and decoding stops
/// at the first `=`. For parts whose base64 is damaged (mail-parser then keeps the encoded
/// text), so the real file type can still be seen.
pub(crate) fn decode_base64_lenient(input: &[u8]) -> Vec<u8> {
    fn value(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' | b'-' => Some(62),
            b'/' | b'_' => Some(63),
            _ => None,
        }
    }
    let mut out = Vec::with_capacity(input.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0u32;
    for &c in input {
        if c == b'=' {
            break;
        }
        let Some(v) = value(c) else { continue };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xFF) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// A zip that holds Office Open XML parts (docx, docm, xlsx, xlsm, pptx...). The names of
/// the first entries sit in plain text in their local headers, near the start.
fn is_ooxml(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(ZIP_SCAN_BYTES)];
    [&b"[Content_Types].xml"[..], b"word/", b"xl/", b"ppt/"]
        .iter()
        .any(|n| contains(head, n))
}

/// HTML, or SVG (which runs scripts in a browser just the same): after a byte order mark,
/// white space, an XML declaration and comments, the first tag is one of the usual openers.
fn looks_like_html(bytes: &[u8]) -> bool {
    const OPENERS: &[&[u8]] = &[
        b"<!doctype html",
        b"<html",
        b"<script",
        b"<svg",
        b"<!doctype svg",
        b"<head",
        b"<body",
        b"<meta",
        b"<iframe",
    ];
    let head = &bytes[..bytes.len().min(4096)];
    let mut rest = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    loop {
        rest = trim_start(rest);
        let lower: Vec<u8> = rest.iter().take(16).map(u8::to_ascii_lowercase).collect();
        if OPENERS.iter().any(|o| lower.starts_with(o)) {
            return true;
        }
        let (open, close): (&[u8], &[u8]) = if lower.starts_with(b"<!--") {
            (b"<!--", b"-->")
        } else if lower.starts_with(b"<?xml") {
            (b"<?xml", b"?>")
        } else {
            return false;
        };
        let after = &rest[open.len()..];
        match find(after, close) {
            Some(at) => rest = &after[at + close.len()..],
            None => return false,
        }
    }
}

/// Text: no NUL bytes and almost no control characters (any 8-bit charset counts).
fn looks_like_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return false;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C | 0x1B))
        .count();
    control * 100 <= head.len()
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    find(hay, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures() {
        assert_eq!(sniff(b"%PDF-1.7\n%\xE2\xE3"), "pdf");
        assert_eq!(sniff(b"\r\n junk %PDF-1.4"), "pdf");
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0"), "exe");
        assert_eq!(sniff(b"\x7FELF\x02\x01"), "elf");
        assert_eq!(sniff(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), "ole");
        assert_eq!(sniff(b"Rar!\x1A\x07\x01\0"), "rar");
        assert_eq!(sniff(b"7z\xBC\xAF\x27\x1C\0\x04"), "7z");
        assert_eq!(sniff(b"\x1F\x8B\x08\0"), "gzip");
        assert_eq!(sniff(b"\x89PNG\r\n\x1A\n\0\0\0\rIHDR"), "image");
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF"), "image");
        assert_eq!(sniff(b"GIF89a\x01\0"), "image");
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), "image");
        let mut iso = vec![0u8; 0x8010];
        iso[0x8001..0x8006].copy_from_slice(b"CD001");
        assert_eq!(sniff(&iso), "iso");
        assert_eq!(sniff(b""), "unknown");
        assert_eq!(sniff(b"\0\x01\x02\x03\x04garbage"), "unknown");
    }

    #[test]
    fn zips() {
        let plain = b"PK\x03\x04\x14\0\0\0\x08\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x09\0\0\0setup.exe";
        assert_eq!(sniff(plain), "zip");
        let docm = b"PK\x03\x04\x14\0\x06\0\x08\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x13\0\0\0[Content_Types].xml";
        assert_eq!(sniff(docm), "ooxml");
        let xlsx =
            b"PK\x03\x04\x14\0\0\0\x08\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x0F\0\0\0xl/workbook.xml";
        assert_eq!(sniff(xlsx), "ooxml");
    }

    #[test]
    fn lenient_base64() {
        assert_eq!(decode_base64_lenient(b"JVBE\r\nRi0x@@LjcK"), b"%PDF-1.7\n");
        assert_eq!(decode_base64_lenient(b"TVqQ=garbage"), b"MZ\x90");
        assert_eq!(decode_base64_lenient(b""), b"");
        assert_eq!(
            sniff(&decode_base64_lenient(b"JVBERi0xLjcK ukphishing@pot")),
            "pdf"
        );
    }

    #[test]
    fn html_and_text() {
        assert_eq!(sniff(b"  \r\n<!DOCTYPE html><html><body>"), "html");
        assert_eq!(sniff(b"\xEF\xBB\xBF<HTML>"), "html");
        assert_eq!(
            sniff(b"<script>window.location='https://x'</script>"),
            "html"
        );
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<!-- made by x -->\n<svg xmlns=\"http://www.w3.org/2000/svg\">"),
            "html"
        );
        assert_eq!(sniff(b"<!-- unterminated"), "text");
        assert_eq!(sniff(b"Order 112-3344\r\nTotal: $1,499.00\r\n"), "text");
        assert_eq!(sniff(b"Caf\xE9 cr\xE8me (latin-1)"), "text");
        assert_eq!(sniff(b"<p>fragment only</p>"), "text");
    }
}
