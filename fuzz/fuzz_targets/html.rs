//! HTML to visible text with links (`html_to_text`), and its link ranges.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let out = redflag_message::html_to_text(&html);
    for (href, range) in &out.links {
        assert!(
            out.text.get(range.clone()).is_some(),
            "link {href:?} range {range:?} not in the text ({} bytes)",
            out.text.len()
        );
    }
});
