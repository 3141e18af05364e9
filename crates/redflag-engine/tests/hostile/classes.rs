//! Hostile inputs, one generator per class the limits are tested on (`tests/hostile.rs`) and
//! benchmarked on (`benches/hostile.rs`). Each takes a target size in bytes, so tests can
//! compare the work at two sizes, and each names Amazon and gives a callback number, so the
//! analysis must still find the scam whatever the padding does.

#![allow(dead_code)]

/// The lure every class carries.
pub const LURE: &str =
    "Amazon Security: your account is locked. Call Amazon support at 1-888-555-0199 now.";

/// A hostile class: its name, the input's bytes, and the channel to read it as
/// (`None`: detected from the bytes).
pub struct Class {
    pub name: &'static str,
    pub bytes: Vec<u8>,
    pub channel: Option<&'static str>,
}

fn email(headers: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Amazon <support@amaz0n-help.com>\r\nTo: you@example.com\r\nSubject: Account locked\r\nMIME-Version: 1.0\r\n{headers}\r\n{body}"
    )
    .into_bytes()
}

/// `body` with `unit(0)`, `unit(1)`, ... appended until it is `size` bytes or more.
fn fill(mut body: String, size: usize, unit: impl Fn(usize) -> String) -> String {
    let mut i = 0;
    while body.len() < size {
        body.push_str(&unit(i));
        i += 1;
    }
    body
}

fn repeat_to(unit: &str, size: usize) -> String {
    unit.repeat((size / unit.len().max(1)).max(1))
}

/// Every class at about `size` bytes.
pub fn all(size: usize) -> Vec<Class> {
    vec![
        nested_div(size),
        many_attributes(size),
        formatting_soup(size),
        deep_mime(size),
        many_links(size),
        many_phones(size),
        combining_marks(size),
        homoglyphs(size),
        one_long_line(size),
        long_header(size),
        one_char_run(size),
        invalid_utf8(size),
        mixed_charsets(size),
        zip_bomb(size),
        nested_archives(size),
        nested_messenger(size),
        many_parts(size),
        many_words(size),
    ]
}

/// `<div>` nested to the size: html5ever took minutes on a megabyte of this.
pub fn nested_div(size: usize) -> Class {
    let body = format!(
        "<html><body>{}{LURE}{}</body></html>",
        repeat_to("<div>", size / 2),
        "</div>".repeat(10)
    );
    Class {
        name: "nested-div",
        bytes: email("Content-Type: text/html\r\n", &body),
        channel: None,
    }
}

/// One tag with as many attributes as fit: html5ever checks each against all before it.
pub fn many_attributes(size: usize) -> Class {
    let n = size / 9;
    let attrs: String = (0..n).map(|i| format!(" a{i}=\"\"")).collect();
    let body = format!("<div{attrs}>{LURE}</div>");
    Class {
        name: "many-attributes",
        bytes: email("Content-Type: text/html\r\n", &body),
        channel: None,
    }
}

/// Unclosed formatting elements and table cells (the adoption agency and foster parenting).
pub fn formatting_soup(size: usize) -> Class {
    let body = format!(
        "{}<p>{LURE}</b></i></td></a>",
        repeat_to("<b><i><a href=x><table><td><p>", size)
    );
    Class {
        name: "formatting-soup",
        bytes: email("Content-Type: text/html\r\n", &body),
        channel: None,
    }
}

/// multipart/mixed nested in itself as deep as the size allows.
pub fn deep_mime(size: usize) -> Class {
    let depth = (size / 80).max(1);
    let mut body = String::new();
    for i in 0..depth {
        body.push_str(&format!(
            "--b{i}\r\nContent-Type: multipart/mixed; boundary=\"b{}\"\r\n\r\n",
            i + 1
        ));
    }
    body.push_str(&format!(
        "--b{depth}\r\nContent-Type: text/plain\r\n\r\n{LURE}\r\n"
    ));
    Class {
        name: "deep-mime",
        bytes: email("Content-Type: multipart/mixed; boundary=\"b0\"\r\n", &body),
        channel: None,
    }
}

/// Links by the tens of thousands (100,000 at about 3 MB).
pub fn many_links(size: usize) -> Class {
    let body = fill(format!("{LURE}\n"), size, |i| {
        format!("https://a{i}.example.com/p ")
    });
    Class {
        name: "many-links",
        bytes: body.into_bytes(),
        channel: Some("sms"),
    }
}

/// Phone-number-like strings by the tens of thousands.
pub fn many_phones(size: usize) -> Class {
    let body = fill(format!("{LURE}\n"), size, |i| {
        format!("+1 (888) 555-{:04} ", i % 10_000)
    });
    Class {
        name: "many-phones",
        bytes: body.into_bytes(),
        channel: Some("sms"),
    }
}

/// Every letter buried under combining marks (Zalgo text).
pub fn combining_marks(size: usize) -> Class {
    let marks = "\u{0301}\u{0308}\u{0327}\u{0338}".repeat(8);
    let mut body = String::new();
    for c in LURE.chars().cycle() {
        if body.len() >= size {
            break;
        }
        body.push(c);
        body.push_str(&marks);
    }
    body.push('\n');
    body.push_str(LURE);
    Class {
        name: "combining-marks",
        bytes: body.into_bytes(),
        channel: Some("sms"),
    }
}

/// Look-alike letters from other scripts and zero-width characters everywhere.
pub fn homoglyphs(size: usize) -> Class {
    let unit = "Аmаzоn ѕесurіtу: уоur ассоunt іѕ lосkеd\u{200B}\u{200D}. ";
    let body = format!("{}\n{LURE}", repeat_to(unit, size));
    Class {
        name: "homoglyphs",
        bytes: body.into_bytes(),
        channel: Some("sms"),
    }
}

/// One line with no break at all, text words to the size.
pub fn one_long_line(size: usize) -> Class {
    let body = format!("{LURE} {}", repeat_to("verify account now please ", size));
    Class {
        name: "one-long-line",
        bytes: email("Content-Type: text/plain\r\n", &body),
        channel: None,
    }
}

/// One header (a Subject folded over thousands of lines) as long as the size.
pub fn long_header(size: usize) -> Class {
    let subject = repeat_to("Amazon account locked verify now\r\n ", size);
    let raw = format!(
        "From: Amazon <support@amaz0n-help.com>\r\nSubject: {subject}\r\nX-Long: {}\r\nContent-Type: text/plain\r\n\r\n{LURE}\r\n",
        "x".repeat(size / 4)
    );
    Class {
        name: "long-header",
        bytes: raw.into_bytes(),
        channel: None,
    }
}

/// A run of one character (no spaces, no words).
pub fn one_char_run(size: usize) -> Class {
    let body = format!("{LURE}\n{}", "a".repeat(size));
    Class {
        name: "one-char-run",
        bytes: body.into_bytes(),
        channel: Some("sms"),
    }
}

/// Invalid UTF-8 sequences in a body that says it is UTF-8.
pub fn invalid_utf8(size: usize) -> Class {
    let mut bytes = email("Content-Type: text/plain; charset=utf-8\r\n", LURE);
    bytes.extend_from_slice(b"\r\n");
    while bytes.len() < size {
        bytes.extend_from_slice(b"caf\xC3 \xFF\xFE \xED\xA0\x80 \xF4\x90\x80\x80 verify ");
    }
    Class {
        name: "invalid-utf8",
        bytes,
        channel: None,
    }
}

/// Many parts, each in another charset and transfer encoding.
pub fn mixed_charsets(size: usize) -> Class {
    let charsets = [
        "iso-8859-1",
        "windows-1252",
        "shift_jis",
        "koi8-r",
        "utf-16",
        "x-unknown",
        "gb2312",
        "utf-7",
    ];
    let mut body = String::new();
    let mut i = 0;
    while body.len() < size {
        let cs = charsets[i % charsets.len()];
        body.push_str(&format!(
            "--mix\r\nContent-Type: text/plain; charset={cs}\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{LURE} =E9=E8=FF=00=\r\n verify\r\n"
        ));
        i += 1;
    }
    body.push_str("--mix--\r\n");
    Class {
        name: "mixed-charsets",
        bytes: email("Content-Type: multipart/mixed; boundary=\"mix\"\r\n", &body),
        channel: None,
    }
}

/// A zip file that claims gigabytes of content, attached in base64.
pub fn zip_bomb(size: usize) -> Class {
    // A local file header claiming a 4 GiB entry, then compressed bytes that are one deflate
    // block of zeros, repeated to the size.
    let mut zip = Vec::new();
    zip.extend_from_slice(b"PK\x03\x04\x14\x00\x00\x00\x08\x00\x00\x00\x00\x00");
    zip.extend_from_slice(&[0, 0, 0, 0]); // crc
    zip.extend_from_slice(&(size as u32).to_le_bytes()); // compressed size
    zip.extend_from_slice(&u32::MAX.to_le_bytes()); // uncompressed size
    zip.extend_from_slice(&[9, 0, 0, 0]);
    zip.extend_from_slice(b"bomb.exe");
    while zip.len() < size * 3 / 4 {
        zip.extend_from_slice(&[0xED, 0xC1, 0x01, 0x0D, 0x00, 0x00, 0x00, 0xC2, 0xA0]);
    }
    let body = attachment_mail("invoice.zip", "application/zip", &zip);
    Class {
        name: "zip-bomb",
        bytes: body,
        channel: None,
    }
}

/// Archives in archives in attached emails in attached emails.
pub fn nested_archives(size: usize) -> Class {
    let mut inner = attachment_mail("a.zip", "application/zip", b"PK\x03\x04 nested");
    let mut depth = 0;
    while inner.len() < size && depth < 10_000 {
        let mut outer = email(
            "Content-Type: multipart/mixed; boundary=\"n\"\r\n",
            "--n\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n--n\r\nContent-Type: message/rfc822\r\n\r\n",
        );
        outer.extend_from_slice(&inner);
        outer.extend_from_slice(b"\r\n--n--\r\n");
        inner = outer;
        depth += 1;
    }
    Class {
        name: "nested-archives",
        bytes: inner,
        channel: None,
    }
}

fn attachment_mail(name: &str, ctype: &str, data: &[u8]) -> Vec<u8> {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(data);
    let wrapped: Vec<&str> = b64
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    email(
        "Content-Type: multipart/mixed; boundary=\"att\"\r\n",
        &format!(
            "--att\r\nContent-Type: text/plain\r\n\r\n{LURE}\r\n--att\r\nContent-Type: {ctype}; name=\"{name}\"\r\nContent-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--att--\r\n",
            wrapped.join("\r\n")
        ),
    )
}

/// A Messenger export whose JSON nests 10,000 levels (or as deep as the size allows).
pub fn nested_messenger(size: usize) -> Class {
    let depth = (size / 8).clamp(10, 10_000);
    let json = format!(
        "{{\"participants\":[{{\"name\":\"Amazon Support\"}}],\"messages\":[{{\"sender_name\":\"Amazon Support\",\"content\":\"{LURE}\",\"x\":{}0{}}}]}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    Class {
        name: "nested-messenger",
        bytes: json.into_bytes(),
        channel: None,
    }
}

/// Thousands of small MIME parts.
pub fn many_parts(size: usize) -> Class {
    let mut body = fill(
        format!("--p\r\nContent-Type: text/plain\r\n\r\n{LURE}\r\n"),
        size,
        |i| format!("--p\r\nContent-Type: application/octet-stream; name=\"f{i}.js\"\r\n\r\nx\r\n"),
    );
    body.push_str("--p--\r\n");
    Class {
        name: "many-parts",
        bytes: email("Content-Type: multipart/mixed; boundary=\"p\"\r\n", &body),
        channel: None,
    }
}

/// Distinct misspelt words for the spelling check.
pub fn many_words(size: usize) -> Class {
    let body = fill(format!("{LURE}\n"), size, |i| {
        format!("acount{i}q verifiy pleese ")
    });
    Class {
        name: "many-words",
        bytes: email("Content-Type: text/plain\r\n", &body),
        channel: None,
    }
}
