//! The length of a value's compact JSON (`serde_json::to_vec`) without
//! writing it.
//!
//! The request-size limit is checked on every call, before anything else;
//! counting through `serde_json::to_writer` into a byte counter escapes
//! every string byte by byte. Here a string's length is its byte length,
//! its quotes, and the extra bytes of its escapes, found eight bytes at a
//! time. Anything this counter does not handle the way serde_json writes it
//! (byte strings, non-string map keys, serde_json's private number and raw
//! value tokens) is reported as unsupported, and the caller counts through
//! serde_json instead, so the figure is always serde_json's.

use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible};

/// The length in bytes of `serde_json::to_vec(value)`, or `None` when the
/// value uses something this counter does not handle (see the module docs)
/// or fails to serialize.
pub(crate) fn json_len<T: Serialize + ?Sized>(value: &T) -> Option<usize> {
    let mut len = Len(0);
    value.serialize(&mut len).ok()?;
    Some(len.0)
}

/// `serde_json::to_writer`'s byte count: the fallback, and the only way for
/// floats (their shortest round-trip form is serde_json's business).
pub(crate) fn serde_json_len<T: Serialize + ?Sized>(value: &T) -> usize {
    let mut n = ByteCount(0);
    serde_json::to_writer(&mut n, value).map_or(0, |()| n.0)
}

/// Counts what is written to it.
struct ByteCount(usize);

impl std::io::Write for ByteCount {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The running length.
struct Len(usize);

/// Something [`Len`] does not count; the caller falls back to serde_json.
#[derive(Debug)]
pub(crate) struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not counted without serializing")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Whether any byte of `w` is zero.
fn has_zero(w: u64) -> bool {
    w.wrapping_sub(LO) & !w & HI != 0
}

/// Whether any byte of `w` is one serde_json escapes: a control character
/// (below 0x20), `"` or `\`. Exact for the whole word (the per-byte count
/// then finds which).
fn needs_escape(w: u64) -> bool {
    w.wrapping_sub(LO * 0x20) & !w & HI != 0
        || has_zero(w ^ (LO * u64::from(b'"')))
        || has_zero(w ^ (LO * u64::from(b'\\')))
}

/// Bytes serde_json adds to escape `b`: `\"`, `\\`, `\b`, `\f`, `\n`,
/// `\r`, `\t` add one; other control characters are `\u00XX`, five more.
fn escape_extra(b: u8) -> usize {
    match b {
        b'"' | b'\\' | 0x08 | 0x0C | b'\n' | b'\r' | b'\t' => 1,
        0..=0x1F => 5,
        _ => 0,
    }
}

/// The length of `s` as a JSON string, quotes included.
fn str_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut extra = 0;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        if needs_escape(u64::from_le_bytes(w)) {
            extra += word.iter().map(|&b| escape_extra(b)).sum::<usize>();
        }
    }
    extra += words
        .remainder()
        .iter()
        .map(|&b| escape_extra(b))
        .sum::<usize>();
    bytes.len() + 2 + extra
}

/// serde_json's private struct names (arbitrary-precision numbers, raw
/// values) are written as their contents, not as structs.
fn is_private(name: &str) -> bool {
    name.starts_with("$serde_json::private")
}

impl Len {
    fn int(&mut self, digits: &str) -> Result<(), Unsupported> {
        self.0 += digits.len();
        Ok(())
    }
}

impl<'a> ser::Serializer for &'a mut Len {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Unsupported> {
        self.0 += if v { 4 } else { 5 };
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Unsupported> {
        self.int(itoa::Buffer::new().format(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Unsupported> {
        self.int(itoa::Buffer::new().format(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Unsupported> {
        self.int(itoa::Buffer::new().format(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), Unsupported> {
        self.int(itoa::Buffer::new().format(v))
    }
    fn serialize_i128(self, v: i128) -> Result<(), Unsupported> {
        self.int(itoa::Buffer::new().format(v))
    }
    fn serialize_u8(self, v: u8) -> Result<(), Unsupported> {
        self.int(itoa::Buffer::new().format(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Unsupported> {
        self.int(itoa::Buffer::new().format(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Unsupported> {
        self.int(itoa::Buffer::new().format(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), Unsupported> {
        self.int(itoa::Buffer::new().format(v))
    }
    fn serialize_u128(self, v: u128) -> Result<(), Unsupported> {
        self.int(itoa::Buffer::new().format(v))
    }
    fn serialize_f32(self, v: f32) -> Result<(), Unsupported> {
        self.0 += serde_json_len(&v);
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Unsupported> {
        self.0 += serde_json_len(&v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Unsupported> {
        self.0 += str_len(v.encode_utf8(&mut [0u8; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Unsupported> {
        self.0 += str_len(v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result<(), Unsupported> {
        self.0 += 4;
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unsupported> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unsupported> {
        self.0 += 4;
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unsupported> {
        self.0 += 4;
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Unsupported> {
        self.0 += str_len(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        if is_private(name) {
            return Err(Unsupported);
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        // {"variant":value}
        self.0 += 3 + str_len(variant);
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Unsupported> {
        Ok(Compound::open(self, 0))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, Unsupported> {
        Ok(Compound::open(self, 0))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Unsupported> {
        Ok(Compound::open(self, 0))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Unsupported> {
        // {"variant":[…]}
        self.0 += 2 + str_len(variant);
        Ok(Compound::open(self, 1))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Unsupported> {
        Ok(Compound::open(self, 0))
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Compound<'a>, Unsupported> {
        if is_private(name) {
            return Err(Unsupported);
        }
        Ok(Compound::open(self, 0))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Unsupported> {
        // {"variant":{…}}
        self.0 += 2 + str_len(variant);
        Ok(Compound::open(self, 1))
    }
}

/// A sequence or map being counted: its opening bracket is counted when it
/// opens, a comma before every element but the first, and on close its
/// closing bracket plus `outer` more (the `}` of an enclosing variant).
struct Compound<'a> {
    len: &'a mut Len,
    first: bool,
    outer: usize,
}

impl<'a> Compound<'a> {
    fn open(len: &'a mut Len, outer: usize) -> Compound<'a> {
        len.0 += 1;
        Compound {
            len,
            first: true,
            outer,
        }
    }

    fn comma(&mut self) {
        if !std::mem::replace(&mut self.first, false) {
            self.len.0 += 1;
        }
    }

    fn close(self) -> Result<(), Unsupported> {
        self.len.0 += 1 + self.outer;
        Ok(())
    }

    /// `"key":` for a struct field.
    fn field(&mut self, key: &str) {
        self.comma();
        self.len.0 += str_len(key) + 1;
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.comma();
        value.serialize(&mut *self.len)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.close()
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.close()
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.close()
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.close()
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unsupported> {
        self.comma();
        self.len.0 += key.serialize(KeyLen)? + 1;
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        value.serialize(&mut *self.len)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.close()
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        self.field(key);
        value.serialize(&mut *self.len)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.close()
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.close()
    }
}

/// A map key: strings only (serde_json quotes other keys in ways not
/// reproduced here).
struct KeyLen;

impl ser::Serializer for KeyLen {
    type Ok = usize;
    type Error = Unsupported;
    type SerializeSeq = Impossible<usize, Unsupported>;
    type SerializeTuple = Impossible<usize, Unsupported>;
    type SerializeTupleStruct = Impossible<usize, Unsupported>;
    type SerializeTupleVariant = Impossible<usize, Unsupported>;
    type SerializeMap = Impossible<usize, Unsupported>;
    type SerializeStruct = Impossible<usize, Unsupported>;
    type SerializeStructVariant = Impossible<usize, Unsupported>;

    fn serialize_str(self, v: &str) -> Result<usize, Unsupported> {
        Ok(str_len(v))
    }
    fn serialize_char(self, v: char) -> Result<usize, Unsupported> {
        Ok(str_len(v.encode_utf8(&mut [0u8; 4])))
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<usize, Unsupported> {
        Ok(str_len(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<usize, Unsupported> {
        if is_private(name) {
            return Err(Unsupported);
        }
        value.serialize(self)
    }
    fn serialize_bool(self, _: bool) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_i8(self, _: i8) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_i16(self, _: i16) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_i32(self, _: i32) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_i64(self, _: i64) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_u8(self, _: u8) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_u16(self, _: u16) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_u32(self, _: u32) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_u64(self, _: u64) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_f32(self, _: f32) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_f64(self, _: f64) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_unit(self) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<usize, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(Unsupported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn check<T: Serialize + ?Sized + fmt::Debug>(v: &T) {
        let want = serde_json::to_vec(v).expect("serializes").len();
        match json_len(v) {
            Some(got) => assert_eq!(got, want, "{v:?}"),
            None => panic!("not counted: {v:?}"),
        }
    }

    #[test]
    fn strings_with_every_escape() {
        for b in 0u8..=0x7F {
            let c = b as char;
            for s in [
                c.to_string(),
                format!("abcdefg{c}"),
                format!("{c}abcdefgh{c}ij"),
                format!("0123456789abcdef{c}"),
            ] {
                check(&s);
            }
        }
        for s in [
            "",
            "plain text",
            "é ü 漢字 🙂",
            "\u{2028}\u{2029}",
            "\"quoted\\path\"\n\t\r",
            "\u{0}\u{1f}\u{7f}",
            "aaaaaaa\"aaaaaaaa\\aaaaaaaa\u{8}\u{c}",
        ] {
            check(s);
        }
    }

    #[test]
    fn values_of_every_kind() {
        let v = json!({
            "model": "gpt-4o",
            "n": 1, "neg": -42, "big": u64::MAX, "small": i64::MIN,
            "t": 0.7, "e": 1e300, "tiny": 5e-324, "whole": 100.0,
            "ok": true, "no": false, "null": null,
            "list": [1, "two", [3.5, {"k\n": "v\u{1}"}], [], {}],
            "messages": [{"role": "user", "content": "Call Jane at jane@example.com\r\n"}],
            "key with \"quotes\"": {"nested": {"deeper": ["x", "x", "x"]}},
        });
        check(&v);
    }

    #[test]
    fn typed_values_and_enums() {
        #[derive(Serialize, Debug)]
        enum E {
            Unit,
            New(u8),
            Tuple(u8, String),
            Struct { a: f32, b: Option<char> },
        }
        #[derive(Serialize, Debug)]
        struct S<'a> {
            e: Vec<E>,
            t: (u8, &'a str),
            o: Option<i128>,
            c: char,
            unit: (),
            map: std::collections::BTreeMap<&'a str, u16>,
        }
        check(&S {
            e: vec![
                E::Unit,
                E::New(7),
                E::Tuple(1, "x\"".into()),
                E::Struct {
                    a: 1.5,
                    b: Some('\n'),
                },
                E::Struct {
                    a: f32::NAN,
                    b: None,
                },
            ],
            t: (9, "t"),
            o: Some(-170141183460469231731687303715884105728),
            c: '"',
            unit: (),
            map: [("a", 1), ("b\\", 65535)].into_iter().collect(),
        });
    }

    #[test]
    fn chat_requests() {
        let body = json!({
            "model": "gpt-4o-mini",
            "messages": [
                {"role": "system", "content": "Be brief.\nNever \"guess\"."},
                {"role": "user", "content": [
                    {"type": "text", "text": "Jane Roe, jane@corp.example, 555-0100\u{1}"},
                    {"type": "image_url", "image_url": {"url": "https://x.example/a.png", "detail": "low"}}
                ]},
                {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function",
                    "function": {"name": "lookup", "arguments": "{\"q\":\"Jane\"}"}}]},
                {"role": "tool", "tool_call_id": "c1", "content": "found: \t1 row"}
            ],
            "tools": [{"type": "function", "function": {"name": "lookup", "description": "Find a person",
                "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}}}],
            "temperature": 0.2, "max_tokens": 256, "stream": false, "user": "u-1",
            "metadata": {"team": "a/b", "n": [1, 2.5, null]}, "unknown_field": {"x": true}
        });
        let req: deepsentinel_core::ChatRequest =
            serde_json::from_value(body).expect("a chat request");
        check(&req);
    }

    #[test]
    fn unsupported_shapes_fall_back() {
        let mut m = std::collections::BTreeMap::new();
        m.insert(1u8, "int key");
        assert!(json_len(&m).is_none());
        assert_eq!(
            serde_json_len(&m),
            serde_json::to_vec(&m).expect("ser").len()
        );
        let raw: Value = serde_json::from_str(r#"{"a":[1,2]}"#).expect("parses");
        check(&raw);
    }
}
