//! Whatever the bytes, stamping only adds header fields: remove them and the input is back.

use proptest::prelude::*;
use redflag_mailflow::{Stamp, write_stamped};

/// The stamped output without the stamp's own lines (and the line ending added after an
/// unterminated header).
fn strip(out: &[u8], stamp_lines: &[Vec<u8>]) -> Vec<u8> {
    let mut out = out.to_vec();
    for line in stamp_lines {
        let at = out
            .windows(line.len())
            .position(|w| w == line.as_slice())
            .expect("every field is written");
        out.drain(at..at + line.len());
    }
    out
}

fn message() -> impl Strategy<Value = Vec<u8>> {
    let header = "[A-Za-z-]{1,12}: [ -~]{0,30}";
    let eol = prop_oneof![Just("\n"), Just("\r\n")];
    (
        prop::collection::vec((header, prop::bool::ANY), 0..6),
        eol,
        prop::option::of(prop::collection::vec(any::<u8>(), 0..200)),
    )
        .prop_map(|(headers, eol, body)| {
            let mut raw = Vec::new();
            for (h, folded) in headers {
                raw.extend_from_slice(h.as_bytes());
                raw.extend_from_slice(eol.as_bytes());
                if folded {
                    raw.extend_from_slice(b"\tmore");
                    raw.extend_from_slice(eol.as_bytes());
                }
            }
            if let Some(body) = body {
                raw.extend_from_slice(eol.as_bytes());
                raw.extend_from_slice(&body);
            }
            raw
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn only_fields_are_added(raw in prop_oneof![message(), prop::collection::vec(any::<u8>(), 0..300)]) {
        // Inputs that carry redflag's fields already lose them: keep those out of this test.
        let lower = String::from_utf8_lossy(&raw).to_ascii_lowercase();
        prop_assume!(!lower.contains("x-redflag-"));
        let stamp = Stamp::unchecked("test");
        let mut out = Vec::new();
        write_stamped(&mut out, &raw, &stamp).unwrap();
        let crlf = {
            // The line ending the fields were written in.
            let at = out.windows(18).position(|w| w == b"X-Redflag-Verdict:").unwrap();
            let end = at + out[at..].iter().position(|&b| b == b'\n').unwrap();
            out[end - 1] == b'\r'
        };
        let nl: &[u8] = if crlf { b"\r\n" } else { b"\n" };
        let lines: Vec<Vec<u8>> = stamp
            .fields
            .iter()
            .map(|(n, v)| [format!("{n}: {v}").as_bytes(), nl].concat())
            .collect();
        let back = strip(&out, &lines);
        // An input that ends inside its header gets a line ending before the fields.
        prop_assert!(back == raw || back.strip_suffix(nl) == Some(raw.as_slice()),
            "{:?} -> {:?}", String::from_utf8_lossy(&raw), String::from_utf8_lossy(&out));
    }
}
