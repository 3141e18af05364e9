//! A small, lenient reader for `Authentication-Results` headers (RFC 8601).
//!
//! The grammar is `authserv-id [version]; method[/version]=result (comment) ptype.prop=value
//! ...; method=result ...`, or `authserv-id; none`. Real headers bend it: comments anywhere
//! (nested too), quoted values, spaces around `=`, a missing authserv-id, `reason="..."`
//! properties, empty results. This reader takes what it can and never fails.

use crate::AuthResult;

/// Most method results kept from one header.
const MAX_RESULTS: usize = 64;

/// Most properties kept for one method result.
const MAX_PROPS: usize = 32;

/// Parses an unfolded `Authentication-Results` value into its authserv-id and results.
/// The authserv-id, methods, results and property keys are lowercased; property values are
/// kept as written (without quotes).
pub(crate) fn parse_auth_results(value: &str) -> (String, Vec<AuthResult>) {
    let cleaned = strip_comments(value);
    let segments = split_outside_quotes(&cleaned, ';');
    let mut authserv_id = String::new();
    let mut results = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        let pairs = pairs(segment);
        if i == 0 && !pairs.iter().any(|(_, v)| v.is_some()) {
            // `authserv-id [version]`.
            if let Some((id, _)) = pairs.first() {
                authserv_id = id.to_lowercase();
            }
            continue;
        }
        let mut it = pairs.into_iter();
        let Some((method, result)) = it.next() else {
            continue;
        };
        let method = method
            .split('/')
            .next()
            .unwrap_or_default()
            .trim()
            .to_lowercase();
        if method.is_empty() || (method == "none" && result.is_none()) {
            continue;
        }
        let result = result.unwrap_or_default().to_lowercase();
        let props = it
            .filter_map(|(k, v)| Some((k.to_lowercase(), v?)))
            .take(MAX_PROPS)
            .collect();
        results.push(AuthResult {
            method,
            result,
            props,
        });
        if results.len() >= MAX_RESULTS {
            break;
        }
    }
    (authserv_id, results)
}

/// Replaces comments (parenthesised, possibly nested, outside quoted strings) by a space.
fn strip_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    let mut in_quote = false;
    let mut escaped = false;
    for c in s.chars() {
        if depth > 0 {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '(' {
                depth += 1;
            } else if c == ')' {
                depth -= 1;
                if depth == 0 {
                    out.push(' ');
                }
            }
            continue;
        }
        if in_quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_quote = false;
            }
            out.push(c);
            continue;
        }
        match c {
            '(' => depth = 1,
            ')' => out.push(' '),
            '"' => {
                in_quote = true;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Splits on `sep` where it is not inside a quoted string.
fn split_outside_quotes(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut in_quote = false;
    let mut escaped = false;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if in_quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_quote = false;
            }
        } else if c == '"' {
            in_quote = true;
        } else if c == sep {
            parts.push(&s[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&s[start..]);
    parts
}

/// Reads `key=value` and bare `key` tokens from one segment.
fn pairs(s: &str) -> Vec<(String, Option<String>)> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < chars.len() && chars[*i].is_whitespace() {
            *i += 1;
        }
    };
    loop {
        skip_ws(&mut i);
        if i >= chars.len() {
            break;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '=' {
            i += 1;
        }
        let key: String = chars[start..i].iter().collect();
        let before_eq = i;
        skip_ws(&mut i);
        if i < chars.len() && chars[i] == '=' {
            i += 1;
            let after_eq = i;
            skip_ws(&mut i);
            let value = if i < chars.len() && chars[i] == '"' {
                i += 1;
                let mut v = String::new();
                let mut escaped = false;
                while i < chars.len() {
                    let c = chars[i];
                    i += 1;
                    if escaped {
                        v.push(c);
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    } else {
                        v.push(c);
                    }
                }
                v
            } else {
                let vstart = i;
                while i < chars.len() && !chars[i].is_whitespace() {
                    i += 1;
                }
                let v: String = chars[vstart..i].iter().collect();
                if i > after_eq && vstart > after_eq && v.contains('=') {
                    // `dkim= header.d=x`: the result is missing and the next token is a
                    // property; give it back.
                    i = vstart;
                    String::new()
                } else {
                    v
                }
            };
            out.push((key, Some(value)));
        } else {
            // A bare token (`none`, a version number, a stray word). The key is never empty
            // here (an empty key means the next character is `=`), but make progress anyway.
            i = before_eq.max(start + 1);
            out.push((key, None));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    type Flat = (String, String, Vec<(String, String)>);

    fn results(v: &str) -> (String, Vec<Flat>) {
        let (id, r) = parse_auth_results(v);
        (
            id,
            r.into_iter()
                .map(|r| (r.method, r.result, r.props))
                .collect(),
        )
    }

    fn p(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn gmail_style_header() {
        let (id, r) = results(
            "mx.google.com; dkim=pass header.i=@amazon.com header.s=yg4mwqurec7fkhzutopddd3ytuaqrvuz \
             header.b=Qm9/abc=; spf=pass (google.com: domain of 2024@bounces.amazon.com designates \
             54.240.13.1 as permitted sender) smtp.mailfrom=2024@bounces.amazon.com; \
             dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) header.from=amazon.com",
        );
        assert_eq!(id, "mx.google.com");
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].0, "dkim");
        assert_eq!(r[0].1, "pass");
        assert_eq!(r[0].2[0], p("header.i", "@amazon.com"));
        assert_eq!(r[0].2[2], p("header.b", "Qm9/abc="));
        assert_eq!(
            r[1],
            (
                "spf".into(),
                "pass".into(),
                vec![p("smtp.mailfrom", "2024@bounces.amazon.com")]
            )
        );
        assert_eq!(
            r[2],
            (
                "dmarc".into(),
                "pass".into(),
                vec![p("header.from", "amazon.com")]
            )
        );
    }

    #[test]
    fn failures_comments_quotes_and_case() {
        let (id, r) = results(
            "(outer (nested) comment) MX.Example.NET 1; SPF=SoftFail smtp.mailfrom=\"billing@amaz0n-secure.co\"; \
             dkim/1 = fail reason=\"signature verification failed; key (2048)\" header.d=amaz0n-secure.co; \
             dmarc=fail header.from=amazon.com; arc=none",
        );
        assert_eq!(id, "mx.example.net");
        assert_eq!(
            r[0],
            (
                "spf".into(),
                "softfail".into(),
                vec![p("smtp.mailfrom", "billing@amaz0n-secure.co")]
            )
        );
        assert_eq!(r[1].0, "dkim");
        assert_eq!(r[1].1, "fail");
        assert_eq!(
            r[1].2,
            vec![
                p("reason", "signature verification failed; key (2048)"),
                p("header.d", "amaz0n-secure.co")
            ]
        );
        assert_eq!(
            r[2],
            (
                "dmarc".into(),
                "fail".into(),
                vec![p("header.from", "amazon.com")]
            )
        );
        assert_eq!(r[3], ("arc".into(), "none".into(), vec![]));
    }

    #[test]
    fn none_and_missing_pieces() {
        assert_eq!(
            results("mx.example.org; none"),
            ("mx.example.org".into(), vec![])
        );
        assert_eq!(results("mx.example.org"), ("mx.example.org".into(), vec![]));
        assert_eq!(results(""), (String::new(), vec![]));
        let (id, r) = results("spf=pass smtp.mailfrom=a@b.c");
        assert_eq!(id, "");
        assert_eq!(r[0].1, "pass");
        let (_, r) = results("x; dkim= header.d=evil.example; spf; ;;; = ; dmarc=\"unterminated");
        assert_eq!(
            r[0],
            (
                "dkim".into(),
                String::new(),
                vec![p("header.d", "evil.example")]
            )
        );
        assert_eq!(r[1], ("spf".into(), String::new(), vec![]));
        assert_eq!(r[2].0, "dmarc");
        assert_eq!(r[2].1, "unterminated");
        // Unbalanced parentheses and stray characters do not panic.
        let _ = results("a; b=c (unclosed comment; d=e");
        let _ = results("a; b=c) d=e)) ((( \\");
        let _ = results("é; ü=ö (ß) ä.ö=\"ñ\\\"\"");
    }
}
