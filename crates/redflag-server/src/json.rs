//! The API's JSON answers, written byte for byte as `serde_json::to_vec` writes them, with
//! strings scanned eight bytes at a time.
//!
//! serde_json escapes a string one byte at a time (a table lookup and a branch per byte,
//! about nine instructions). A report is mostly text: its explanations, advice and
//! ready-to-send reports. Callgrind of `redflag serve` over the peers bench's 300 corpus
//! SMS put writing a report's strings at a fifth of the server's instructions per SMS
//! (docs/performance.md, "Nineteenth round"). serde_json has no hook for the scan, so this
//! is a serializer of its own: serde's data model to compact JSON, the numbers by the same
//! crates serde_json uses (itoa, zmij). `tests::writes_what_serde_json_writes` holds it to
//! serde_json's output.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::ser::{self, Impossible};
use std::fmt;

use crate::error::ApiError;

/// An answer with a JSON body, like `axum::Json` but written by [`to_vec`].
pub(crate) struct Json<T>(pub(crate) T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        match to_vec(&self.0) {
            Ok(body) => {
                let mut res = body.into_response();
                res.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                res
            }
            Err(e) => ApiError::internal("writing the answer", &e).into_response(),
        }
    }
}

/// The room a body starts with: a report on a text message is about 7 KB, on an email
/// about 14 KB, so most bodies grow once at most.
const START_CAPACITY: usize = 8 * 1024;

/// `value` as compact JSON, the bytes `serde_json::to_vec` gives.
///
/// # Errors
///
/// What the value's `Serialize` returns, and a map key that is not a string, a number, a
/// bool or a char (as serde_json refuses it).
pub(crate) fn to_vec<T: ?Sized + Serialize>(value: &T) -> Result<Vec<u8>, Error> {
    let mut w = Writer {
        out: Vec::with_capacity(START_CAPACITY),
    };
    value.serialize(&mut w)?;
    Ok(w.out)
}

/// Why a value could not be written.
#[derive(Debug)]
pub(crate) struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

fn key_must_be_a_string() -> Error {
    Error("key must be a string".to_owned())
}

struct Writer {
    out: Vec<u8>,
}

impl Writer {
    /// Starts an enum variant that holds a value: `{"variant":`.
    fn open_variant(&mut self, variant: &str) {
        self.out.push(b'{');
        write_str(&mut self.out, variant);
        self.out.push(b':');
    }

    /// Starts an enum variant that holds an array or an object (`open`, `[` or `{`):
    /// `{"variant":[`, ended by `close` (`]}` or `}}`).
    fn variant_compound(&mut self, variant: &str, open: u8, close: &'static [u8]) -> Compound<'_> {
        self.open_variant(variant);
        self.out.push(open);
        Compound::new(self, close)
    }

    /// A float as serde_json writes it: `null` when it is not finite.
    fn float(&mut self, finite: bool, write: impl FnOnce(&mut Vec<u8>)) -> Result<(), Error> {
        if finite {
            write(&mut self.out);
        } else {
            self.out.extend_from_slice(b"null");
        }
        Ok(())
    }
}

/// `ESCAPE[b]`: what byte `b` becomes in a JSON string: 0 for itself, `u` for `\u00XX`,
/// else the letter after the backslash. The same choices as serde_json's table.
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b'u';
        b += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);

/// True when one of the eight bytes of `w` is below 0x20, a quote or a backslash. Exact:
/// with no such byte no subtraction borrows, so no byte sets its high bit.
fn any_to_escape(w: u64) -> bool {
    let below_space = w.wrapping_sub(ONES * 0x20) & !w;
    let quote = w ^ (ONES * u64::from(b'"'));
    let backslash = w ^ (ONES * u64::from(b'\\'));
    let quote = quote.wrapping_sub(ONES) & !quote;
    let backslash = backslash.wrapping_sub(ONES) & !backslash;
    (below_space | quote | backslash) & HIGHS != 0
}

/// Writes `s` as a JSON string.
///
/// Most strings of a report need no escape, so the whole string is first tested eight
/// bytes at a time, its last bytes too (as the string's last eight, or padded with spaces
/// in a string under eight bytes), and then copied in one go. A string that needs an
/// escape is written byte by byte from the first eight bytes that may hold one.
fn write_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    match first_to_escape(bytes) {
        None => out.extend_from_slice(bytes),
        Some(from) => write_escaped(out, bytes, from),
    }
    out.push(b'"');
}

/// Where the first eight bytes of `bytes` that may need an escape start (a multiple of
/// eight), or `None` when no byte does.
fn first_to_escape(bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    for (n, chunk) in chunks.by_ref().enumerate() {
        if any_to_escape(u64::from_ne_bytes(chunk.try_into().expect("eight bytes"))) {
            return Some(8 * n);
        }
    }
    let rest = chunks.remainder();
    if rest.is_empty() {
        return None;
    }
    // The string's last eight bytes (those before `rest` are known to need nothing), or, in
    // a string under eight bytes, its bytes and spaces. Built in a register: eight bytes
    // copied to the stack and read back as one word were slower (the load waits for the
    // stores).
    let last = match bytes.last_chunk::<8>() {
        Some(last) => u64::from_ne_bytes(*last),
        None => rest
            .iter()
            .enumerate()
            .fold(ONES * u64::from(b' '), |w, (i, &b)| {
                (w & !(0xff << (8 * i))) | (u64::from(b) << (8 * i))
            }),
    };
    any_to_escape(last).then_some(bytes.len() - rest.len())
}

/// Writes `bytes` escaped, scanning from `from` (no byte before it needs an escape).
fn write_escaped(out: &mut Vec<u8>, bytes: &[u8], from: usize) {
    // `done`: the bytes before it are written; `i`: where the scan is.
    let (mut done, mut i) = (0, from);
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let w = u64::from_ne_bytes(chunk.try_into().expect("eight bytes"));
            if !any_to_escape(w) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        let e = ESCAPE[usize::from(b)];
        if e != 0 {
            out.extend_from_slice(&bytes[done..i]);
            write_escape(out, b, e);
            done = i + 1;
        }
        i += 1;
    }
    out.extend_from_slice(&bytes[done..]);
}

fn write_escape(out: &mut Vec<u8>, b: u8, e: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    if e == b'u' {
        out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[usize::from(b >> 4)],
            HEX[usize::from(b & 0xf)],
        ]);
    } else {
        out.extend_from_slice(&[b'\\', e]);
    }
}

fn write_int(out: &mut Vec<u8>, n: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

fn write_float(out: &mut Vec<u8>, f: impl zmij::Float) {
    out.extend_from_slice(zmij::Buffer::new().format_finite(f).as_bytes());
}

/// The ten integer methods of a serializer: `integers!(|s, v| body)` writes `fn serialize_i8(self,
/// v: i8)` and the nine others, each running `body` with `s` bound to `self`.
macro_rules! integers {
    (|$s:ident, $v:ident| $body:expr) => {
        integers!(@ $s $v $body; serialize_i8 i8, serialize_i16 i16, serialize_i32 i32,
            serialize_i64 i64, serialize_i128 i128, serialize_u8 u8, serialize_u16 u16,
            serialize_u32 u32, serialize_u64 u64, serialize_u128 u128);
    };
    (@ $s:ident $v:ident $body:expr; $($method:ident $t:ty),*) => {$(
        fn $method(self, $v: $t) -> Result<(), Error> {
            let $s = self;
            $body
        }
    )*};
}

/// The methods both serializers write alike: a char, an enum's unit variant, a newtype
/// struct and an option's value are written as the string or value they hold.
macro_rules! written_as_their_contents {
    () => {
        fn serialize_char(self, v: char) -> Result<(), Error> {
            self.serialize_str(v.encode_utf8(&mut [0; 4]))
        }
        fn serialize_unit_variant(
            self,
            _name: &'static str,
            _index: u32,
            variant: &'static str,
        ) -> Result<(), Error> {
            self.serialize_str(variant)
        }
        fn serialize_newtype_struct<T: ?Sized + Serialize>(
            self,
            _name: &'static str,
            value: &T,
        ) -> Result<(), Error> {
            value.serialize(self)
        }
        fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Error> {
            value.serialize(self)
        }
    };
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    written_as_their_contents!();
    integers!(|w, v| {
        write_int(&mut w.out, v);
        Ok(())
    });
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.float(v.is_finite(), |o| write_float(o, v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.float(v.is_finite(), |o| write_float(o, v))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_str(&mut self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        use ser::SerializeSeq as _;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for b in v {
            seq.serialize_element(b)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.open_variant(variant);
        value.serialize(&mut *self)?;
        self.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        self.out.push(b'[');
        Ok(Compound::new(self, b"]"))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        Ok(self.variant_compound(variant, b'[', b"]}"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        self.out.push(b'{');
        Ok(Compound::new(self, b"}"))
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        Ok(self.variant_compound(variant, b'{', b"}}"))
    }
}

/// An array, an object or a variant holding one, being written: `close` ends it.
struct Compound<'a> {
    w: &'a mut Writer,
    first: bool,
    close: &'static [u8],
}

impl<'a> Compound<'a> {
    fn new(w: &'a mut Writer, close: &'static [u8]) -> Compound<'a> {
        Compound {
            w,
            first: true,
            close,
        }
    }

    fn comma(&mut self) {
        if !std::mem::take(&mut self.first) {
            self.w.out.push(b',');
        }
    }

    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.comma();
        value.serialize(&mut *self.w)
    }

    fn field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.comma();
        write_str(&mut self.w.out, key);
        self.w.out.push(b':');
        value.serialize(&mut *self.w)
    }

    fn end(self) -> Result<(), Error> {
        self.w.out.extend_from_slice(self.close);
        Ok(())
    }
}

/// The traits of a sequence: each element after a comma.
macro_rules! elements {
    ($($trait:ident::$method:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
                self.element(value)
            }
            fn end(self) -> Result<(), Error> {
                Compound::end(self)
            }
        }
    )*};
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        self.comma();
        key.serialize(MapKey(&mut self.w.out))
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.w.out.push(b':');
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

/// The traits of a struct: each field as a key and its value.
macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.field(key, value)
            }
            fn end(self) -> Result<(), Error> {
                Compound::end(self)
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

/// A map key: JSON keys are strings, so numbers, bools and chars are written as strings
/// and anything else refused, as serde_json does.
struct MapKey<'a>(&'a mut Vec<u8>);

impl MapKey<'_> {
    fn quoted(self, write: impl FnOnce(&mut Vec<u8>)) -> Result<(), Error> {
        self.0.push(b'"');
        write(self.0);
        self.0.push(b'"');
        Ok(())
    }

    fn float(self, finite: bool, write: impl FnOnce(&mut Vec<u8>)) -> Result<(), Error> {
        if finite {
            self.quoted(write)
        } else {
            Err(Error(
                "float key must be finite (got NaN or +/-inf)".to_owned(),
            ))
        }
    }
}

impl ser::Serializer for MapKey<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_str(self.0, v);
        Ok(())
    }
    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.quoted(|o| o.extend_from_slice(if v { b"true" } else { b"false" }))
    }
    written_as_their_contents!();
    integers!(|k, v| k.quoted(|o| write_int(o, v)));
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.float(v.is_finite(), |o| write_float(o, v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.float(v.is_finite(), |o| write_float(o, v))
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    use super::{any_to_escape, to_vec};
    use proptest::prelude::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    fn same<T: ?Sized + Serialize + std::fmt::Debug>(v: &T) {
        let ours = to_vec(v).map(String::from_utf8);
        let theirs = serde_json::to_vec(v).map(String::from_utf8);
        match (ours, theirs) {
            (Ok(a), Ok(b)) => assert_eq!(a.unwrap(), b.unwrap(), "{v:?}"),
            (Err(_), Err(_)) => {}
            (a, b) => panic!("{v:?}: ours {a:?}, serde_json {b:?}"),
        }
    }

    /// The files under `dir`, depth first, in name order.
    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                files(&p, out);
            } else {
                out.push(p);
            }
        }
    }

    /// Every report and assessment of the fixtures and of the field and genuine sets (about
    /// 940 files in nine languages), as the API answers them.
    #[test]
    fn writes_what_serde_json_writes() {
        use redflag_engine::{AnalyzeOptions, Channel, InputOptions, read_input};
        let engine = redflag_engine::Engine::default();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut paths = Vec::new();
        for dir in [
            "tests/fixtures/email",
            "tests/fixtures/sms",
            "tests/fixtures/chat",
            "tests/fixtures/call",
            "eval/field/messages",
            "eval/genuine/messages",
        ] {
            files(&root.join(dir), &mut paths);
        }
        let mut checked = 0;
        for path in paths {
            let name = path.to_string_lossy();
            let channel = if name.contains("fixtures/chat") {
                Some(Channel::Chat)
            } else if name.contains("fixtures/call") {
                Some(Channel::Call)
            } else if name.ends_with(".txt") {
                Some(Channel::Sms)
            } else {
                None
            };
            let bytes = std::fs::read(&path).unwrap();
            let opts = InputOptions {
                channel,
                ..InputOptions::default()
            };
            let Ok(read) = read_input(&bytes, &opts) else {
                continue;
            };
            for msg in read.into_iter().flatten() {
                let opts = AnalyzeOptions::default();
                let report = engine.analyze(&msg, &opts);
                assert_eq!(
                    String::from_utf8(to_vec(&report).unwrap()).unwrap(),
                    serde_json::to_string(&report).unwrap(),
                    "{name}"
                );
                same(&engine.assess(&msg, &opts));
                checked += 1;
            }
        }
        assert!(checked > 900, "only {checked} messages");
    }

    #[test]
    fn the_eight_byte_test_is_exact() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut w = [b'a'; 8];
                w[at] = b;
                let want = b < 0x20 || b == b'"' || b == b'\\';
                assert_eq!(any_to_escape(u64::from_ne_bytes(w)), want, "{b:#x} at {at}");
                // Bytes around it that need nothing, the high ones included.
                let mut w = [0xffu8; 8];
                w[at] = b;
                assert_eq!(any_to_escape(u64::from_ne_bytes(w)), want, "{b:#x} at {at}");
            }
        }
    }

    #[test]
    fn an_escape_is_found_at_every_place_of_short_strings() {
        // Strings of every length around one, two and three eight-byte steps, with one
        // byte to escape (or one on either side of those) at each place: the last bytes
        // (tested as the last eight, or padded in a string under eight) and the first ones
        // alike.
        let plain = ['a', ' ', '~', 'é'];
        for len in 0..=25 {
            for at in 0..len {
                for c in [
                    '\0', '\x1f', ' ', '"', '\\', '/', '\x7f', '\n', '!', '#', '[', ']',
                ] {
                    for p in plain {
                        let s: String = (0..len).map(|i| if i == at { c } else { p }).collect();
                        same(&s);
                    }
                }
            }
        }
    }

    #[derive(Debug, Serialize)]
    enum Kind {
        Unit,
        Newtype(u8),
        Tuple(i32, String),
        Struct { a: Option<f32>, b: char },
    }

    #[derive(Debug, Serialize)]
    struct Unit;

    #[derive(Debug, Serialize)]
    struct Wrap(String);

    #[derive(Debug, Serialize)]
    struct All {
        kinds: Vec<Kind>,
        floats: Vec<f64>,
        small: (i8, u16, i128, u128, bool),
        #[serde(with = "serde_bytes_as_seq")]
        bytes: Vec<u8>,
        unit: (),
        unit_struct: Unit,
        int_keys: BTreeMap<i64, Wrap>,
        char_keys: BTreeMap<char, ()>,
        #[serde(flatten)]
        rest: BTreeMap<String, Option<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
    }

    /// `serialize_bytes`, which derive never calls by itself.
    mod serde_bytes_as_seq {
        pub(super) fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(v)
        }
    }

    fn text() -> impl Strategy<Value = String> {
        // Every escape, bytes on both sides of the eight-byte steps, and characters of
        // two, three and four bytes.
        proptest::collection::vec(
            prop_oneof![
                Just('"'),
                Just('\\'),
                Just('/'),
                Just('\u{7f}'),
                (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap()),
                Just('é'),
                Just('€'),
                Just('𝒜'),
                (0x20u8..0x7f).prop_map(char::from),
            ],
            0..40,
        )
        .prop_map(|cs| cs.into_iter().collect())
    }

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            text().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::btree_map(text(), inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn strings_are_written_as_serde_json_writes_them(s in text()) {
            same(&s);
        }

        #[test]
        fn json_values_are_written_as_serde_json_writes_them(v in json_value()) {
            same(&v);
        }

        #[test]
        fn every_shape_of_serde_is_written_as_serde_json_writes_it(
            s in text(),
            f in any::<f32>(),
            floats in proptest::collection::vec(
                prop_oneof![any::<f64>(), Just(f64::NAN), Just(f64::INFINITY), Just(-0.0)], 0..4),
            c in any::<char>(),
            small in any::<(i8, u16, i128, u128, bool)>(),
            bytes in proptest::collection::vec(any::<u8>(), 0..5),
            int_keys in proptest::collection::btree_map(any::<i64>(), text(), 0..3),
            rest in proptest::collection::btree_map(text(), proptest::option::of(text()), 0..3),
            skipped in proptest::option::of(any::<u8>()),
        ) {
            same(&All {
                kinds: vec![
                    Kind::Unit,
                    Kind::Newtype(small.0 as u8),
                    Kind::Tuple(-7, s.clone()),
                    Kind::Struct { a: Some(f), b: c },
                    Kind::Struct { a: None, b: c },
                ],
                floats,
                small,
                bytes,
                unit: (),
                unit_struct: Unit,
                int_keys: int_keys.into_iter().map(|(k, v)| (k, Wrap(v))).collect(),
                char_keys: [(c, ())].into_iter().collect(),
                rest,
                skipped,
            });
            // Keys serde_json refuses, and float keys.
            same(&[(vec![1u8], 1u8)].into_iter().collect::<BTreeMap<_, _>>());
            same(&[(Some(()), 1u8)].into_iter().collect::<BTreeMap<_, _>>());
            same(&[((), 1u8)].into_iter().collect::<BTreeMap<_, _>>());
            same(&FloatKeys(vec![(f, 1)]));
            same(&FloatKeys(vec![(f32::NAN, 1)]));
        }
    }

    /// A map with one float key (BTreeMap needs `Ord`).
    #[derive(Debug)]
    struct FloatKeys(Vec<(f32, u8)>);

    impl Serialize for FloatKeys {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
        }
    }
}
