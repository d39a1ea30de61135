//! JSONL records: one JSON object per line.

use super::fields::{FieldMap, lookup, scalar};
use super::{ErrorKind, Post};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};
use std::borrow::Cow;
use std::fmt;

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn json_error(e: &serde_json::Error) -> (ErrorKind, String) {
    // serde_json says "… at line 1 column N"; the line is always 1 here, so give the column.
    let msg = e.to_string();
    let msg = msg
        .rsplit_once(" at line ")
        .map_or(msg.as_str(), |(m, _)| m);
    (
        ErrorKind::InvalidJson,
        format!("invalid JSON at column {}: {msg}", e.column()),
    )
}

/// Parse one non-empty line into a post.
#[cfg(test)]
pub(crate) fn parse<'a>(
    line: &'a [u8],
    fields: &FieldMap,
) -> Result<Post<'a>, (ErrorKind, String)> {
    Reader::new(fields).parse(line)
}

/// Reads records against one field map, whose names are looked up once, not on every line.
pub(crate) struct Reader<'f> {
    fields: &'f FieldMap,
    names: Option<Names<'f>>,
}

impl<'f> Reader<'f> {
    /// A reader for `fields`.
    pub(crate) fn new(fields: &'f FieldMap) -> Self {
        Reader {
            fields,
            names: Names::of(fields),
        }
    }

    /// Parse one non-empty line into a post.
    pub(crate) fn parse<'a>(&self, line: &'a [u8]) -> Result<Post<'a>, (ErrorKind, String)> {
        let s = super::record_text(line)?;
        match &self.names {
            Some(names) => parse_flat(s, self.fields, names),
            None => parse_value(s, self.fields),
        }
    }
}

/// Most configured names a record is parsed against without building a [`Value`].
const MAX_NAMES: usize = 24;

/// The distinct configured field names, when none is a dotted path: then every field is a
/// top-level key and a record can be read in one pass, keeping only those keys' values.
struct Names<'f> {
    names: [&'f str; MAX_NAMES],
    /// Each name's length and its first 8 bytes as a number (zero-padded), so that a key of up
    /// to 8 bytes is looked up without a string comparison.
    words: [(usize, u64); MAX_NAMES],
    len: usize,
    /// The slot of each configured name, role by role: text, id, account, time.
    roles: [Vec<usize>; 4],
}

impl<'f> Names<'f> {
    fn of(fields: &'f FieldMap) -> Option<Self> {
        let mut n = Names {
            names: [""; MAX_NAMES],
            words: [(0, 0); MAX_NAMES],
            len: 0,
            roles: Default::default(),
        };
        let roles = [&fields.text, &fields.id, &fields.account, &fields.time];
        for (role, names) in roles.into_iter().enumerate() {
            for name in names {
                if name.contains('.') {
                    return None;
                }
                let slot = match n.index(name) {
                    Some(slot) => slot,
                    None => {
                        *n.names.get_mut(n.len)? = name;
                        *n.words.get_mut(n.len)? = (name.len(), word(name.as_bytes()));
                        n.len += 1;
                        n.len - 1
                    }
                };
                n.roles[role].push(slot);
            }
        }
        Some(n)
    }

    fn index(&self, key: &str) -> Option<usize> {
        let k = key.as_bytes();
        if k.len() <= 8 {
            let w = (k.len(), word(k));
            return self.words[..self.len].iter().position(|&n| n == w);
        }
        self.names[..self.len].iter().position(|n| *n == key)
    }
}

/// The first 8 bytes of `b` (zero-padded) as a number.
fn word(b: &[u8]) -> u64 {
    (b.iter().take(8).enumerate()).fold(0, |w, (i, &c)| w | (u64::from(c) << (8 * i)))
}

/// The value of a wanted key, as far as the scanner cares.
enum Field<'a> {
    Str(Cow<'a, str>),
    Num(Number),
    /// Anything else, by its type name.
    Other(&'static str),
}

impl Field<'_> {
    fn type_name(&self) -> &'static str {
        match self {
            Field::Str(_) => "a string",
            Field::Num(_) => "a number",
            Field::Other(t) => t,
        }
    }
}

/// One pass over a record with flat field names: the same checks and the same messages as
/// [`parse_value`], without building a `serde_json::Value` (every value is still fully parsed
/// and validated exactly as `Value` would; only the wanted keys' values are kept, borrowed
/// when they have no escapes).
fn parse_flat<'a>(
    s: &'a str,
    fields: &FieldMap,
    names: &Names<'_>,
) -> Result<Post<'a>, (ErrorKind, String)> {
    let mut slots: [Option<Field<'a>>; MAX_NAMES] = Default::default();
    if !plain_record(s, names, &mut slots) {
        let mut de = serde_json::Deserializer::from_str(s);
        let record = RecordSeed { names }
            .deserialize(&mut de)
            .and_then(|r| de.end().map(|()| r))
            .map_err(|e| json_error(&e))?;
        slots = record.map_err(|ty| {
            (
                ErrorKind::InvalidJson,
                format!("expected a JSON object, found {ty}"),
            )
        })?;
    }
    let get = |slot: &usize| slots.get(*slot)?.as_ref();
    let scalar = |role: &[usize]| {
        role.iter().find_map(|c| match get(c)? {
            Field::Str(s) if !s.is_empty() => Some(s.clone()),
            Field::Num(n) => Some(Cow::Owned(n.to_string())),
            _ => None,
        })
    };
    let mut text = None;
    let mut wrong: Option<(&str, &'static str)> = None;
    for (name, slot) in fields.text.iter().zip(&names.roles[0]) {
        match get(slot) {
            Some(Field::Str(t)) => {
                text = Some(t);
                break;
            }
            Some(other) if wrong.is_none() => wrong = Some((name, other.type_name())),
            _ => {}
        }
    }
    let Some(text) = text else {
        return Err(no_text(fields, wrong));
    };
    Ok(Post {
        id: scalar(&names.roles[1]),
        account: scalar(&names.roles[2]),
        time: scalar(&names.roles[3]),
        text: text.clone(),
    })
}

/// The common record shape, read without serde: one flat object whose keys and values are all
/// strings with no escape and no control character, its wanted values written to `slots` (all
/// `None` on entry). False for anything else (serde then reads the record, with its exact
/// checks and messages, into fresh slots). What it writes is what serde returns for such a
/// record (tested against the `Value` path below).
fn plain_record<'a>(
    s: &'a str,
    names: &Names<'_>,
    slots: &mut [Option<Field<'a>>; MAX_NAMES],
) -> bool {
    plain_fields(s, names, slots).is_some()
}

/// [`plain_record`], `None` for false.
fn plain_fields<'a>(
    s: &'a str,
    names: &Names<'_>,
    slots: &mut [Option<Field<'a>>; MAX_NAMES],
) -> Option<()> {
    let b = s.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return (skip_ws(b, i + 1) == b.len()).then_some(());
    }
    loop {
        let (key, j) = plain_string(s, i)?;
        i = skip_ws(b, j);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let (value, j) = plain_string(s, skip_ws(b, i + 1))?;
        if let Some(slot) = names.index(key).and_then(|k| slots.get_mut(k)) {
            *slot = Some(Field::Str(Cow::Borrowed(value)));
        }
        i = skip_ws(b, j);
        match b.get(i) {
            Some(b',') => i = skip_ws(b, i + 1),
            Some(b'}') => return (skip_ws(b, i + 1) == b.len()).then_some(()),
            _ => return None,
        }
    }
}

/// The JSON string at byte `i` when it has no escape and no control character: its contents
/// and the index just past its closing quote.
fn plain_string(s: &str, i: usize) -> Option<(&str, usize)> {
    let b = s.as_bytes();
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let start = i + 1;
    let len = memchr::memchr2(b'"', b'\\', b.get(start..)?)?;
    let body = b.get(start..start + len)?;
    if b[start + len] != b'"' || has_control(body) {
        return None;
    }
    Some((s.get(start..start + len)?, start + len + 1))
}

/// True if `b` has a byte below 0x20 (a control character, which JSON strings must escape);
/// 16 bytes at a time, without an early exit inside a block, so the compiler can vectorize it.
fn has_control(b: &[u8]) -> bool {
    let mut blocks = b.chunks_exact(16);
    let found = (blocks.by_ref()).any(|block| block.iter().fold(false, |m, &c| m | (c < 0x20)));
    found || blocks.remainder().iter().any(|&c| c < 0x20)
}

/// The index of the first byte at or after `i` that is not JSON whitespace.
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

fn no_text(fields: &FieldMap, wrong: Option<(&str, &'static str)>) -> (ErrorKind, String) {
    match wrong {
        Some((name, ty)) => (
            ErrorKind::TextNotString,
            format!("text field `{name}` is {ty}, not a string"),
        ),
        None => (
            ErrorKind::MissingText,
            format!("no text field (looked for {})", fields.text.join(", ")),
        ),
    }
}

/// The wanted keys' values of a record (a later duplicate key wins, as in a `Value` map), or
/// the type name of a top-level value that is not an object.
type Slots<'de> = Result<[Option<Field<'de>>; MAX_NAMES], &'static str>;

struct RecordSeed<'n, 'f> {
    names: &'n Names<'f>,
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_, '_> {
    type Value = Slots<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_, '_> {
    type Value = Slots<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut slots: [Option<Field<'de>>; MAX_NAMES] = Default::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match self.names.index(&key) {
                Some(i) => slots[i] = Some(map.next_value_seed(FieldSeed)?),
                None => map.next_value_seed(Skip)?,
            }
        }
        Ok(Ok(slots))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Skip.visit_seq(seq).map(|()| Err("an array"))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Err("a boolean"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Err("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Err("a number"))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Err(if v.is_finite() { "a number" } else { "null" }))
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Err("a string"))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Err("null"))
    }
}

/// A key, borrowed when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// A wanted value.
struct FieldSeed;

impl<'de> DeserializeSeed<'de> for FieldSeed {
    type Value = Field<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FieldSeed {
    type Value = Field<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Field::Other("a boolean"))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Field::Num(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Field::Num(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        // as `Value` does: a float that is not a JSON number becomes null
        Ok(Number::from_f64(v).map_or(Field::Other("null"), Field::Num))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Field::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Field::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Field::Str(Cow::Owned(v)))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Field::Other("null"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Skip.visit_seq(seq).map(|()| Field::Other("an array"))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Skip.visit_map(map).map(|()| Field::Other("an object"))
    }
}

/// An unwanted value: parsed and validated exactly like a `Value` (through `deserialize_any`,
/// not `IgnoredAny`, which skips numbers without range checks), then dropped.
struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(Skip)?.is_some() {
            map.next_value_seed(Skip)?;
        }
        Ok(())
    }
}

/// The general path (dotted field names): parse into a [`Value`] and look the fields up.
fn parse_value(s: &str, fields: &FieldMap) -> Result<Post<'static>, (ErrorKind, String)> {
    let mut v: Value = serde_json::from_str(s).map_err(|e| json_error(&e))?;
    if !v.is_object() {
        return Err((
            ErrorKind::InvalidJson,
            format!("expected a JSON object, found {}", type_name(&v)),
        ));
    }
    let mut text = None;
    let mut wrong: Option<(&str, &'static str)> = None;
    for name in &fields.text {
        match lookup(&v, name) {
            Some(Value::String(_)) => {
                text = Some(name.as_str());
                break;
            }
            Some(other) if wrong.is_none() => wrong = Some((name, type_name(other))),
            _ => {}
        }
    }
    let id = scalar(&v, &fields.id);
    let account = scalar(&v, &fields.account);
    let time = scalar(&v, &fields.time);
    let text = match text {
        Some(name) => match take(&mut v, name) {
            Value::String(s) => s,
            _ => unreachable!("checked above"),
        },
        None => return Err(no_text(fields, wrong)),
    };
    Ok(Post {
        id: id.map(Cow::Owned),
        account: account.map(Cow::Owned),
        time: time.map(Cow::Owned),
        text: Cow::Owned(text),
    })
}

/// Move the value at `path` out of `v` (it is known to exist).
fn take(v: &mut Value, path: &str) -> Value {
    if v.get(path).is_some() {
        return v[path].take();
    }
    let mut cur = v;
    for seg in path.split('.') {
        cur = match cur {
            Value::Array(a) => &mut a[seg.parse::<usize>().unwrap_or(usize::MAX)],
            other => &mut other[seg],
        };
    }
    cur.take()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_reader_agrees_with_the_value_path() {
        let f = FieldMap::default();
        let names = Names::of(&f).expect("flat names");
        for line in [
            r#"{"id":"a1","account":"lz","time":"t","text":"收U 6.95"}"#,
            r#"{"mid":12,"user":{"id":3},"uid":"u9","content":"hi"}"#,
            r#"{"id":-3,"post_id":"x","text":"a\"b\u00e9\n"}"#,
            r#"{"id":1.5e3,"text":"x","text":"later wins"}"#,
            r#"{"id":"","post_id":7,"body":5,"message":"m"}"#,
            r#"{"text":null,"content":["a",{"b":[1,2]}],"body":"ok"}"#,
            r#"{"text":5}"#,
            r#"{"text":true,"content":{}}"#,
            r#"{"x":1}"#,
            r#"{"x":1e999,"text":"a"}"#,
            r#"{"x":"\ud800","text":"a"}"#,
            r#"{"text":"a"} x"#,
            r#"{"text":"a""#,
            r#"[1,{"text":"a"}]"#,
            r#""text""#,
            "12",
            "true",
            "null",
            r#"  {"text" : "spaced" }  "#,
            r#"{"\u0074ext":"escaped key","acc\u006funt":"a"}"#,
            r#"{}"#,
            r#" { } "#,
            r#"{"text":"a",}"#,
            r#"{"text":"a" "id":"b"}"#,
            r#"{"text""a"}"#,
            r#"{"text":"a"}}"#,
            r#"{"text":"a"},"#,
            "{\"text\":\"tab\there\"}",
            "{\"text\":\"a\"}\n\r\t ",
            "\u{feff}{\"text\":\"a\"}",
            r#"{"id":"1","id":"2","text":"dup","text":"dup2"}"#,
            r#"{"text":"a","text":5}"#,
            r#"{"text":"","content":"c"}"#,
            r#"{"id":"x","text":"收 U \u0001"}"#,
            r#"{"text":"a\\b"}"#,
            r#"{"text":"a","x":"b\"}"#,
            r#"{"text":"a"#,
            r#"{"text":"#,
            r#"{"text"#,
            r#"{"#,
            "",
        ] {
            let flat = format!("{:?}", parse_flat(line, &f, &names));
            let value = format!("{:?}", parse_value(line, &f));
            assert_eq!(flat, value, "{line}");
        }
        let mut dotted = f.clone();
        dotted.account = vec!["user.id".into()];
        assert!(Names::of(&dotted).is_none());
        // the common shape takes the plain reader
        let plain = |line| plain_record(line, &names, &mut Default::default());
        assert!(plain(r#" {"id" : "a", "text":"收 U"} "#));
        assert!(!plain(r#"{"id":1,"text":"b"}"#));
    }

    fn json_piece() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            "{",
            "}",
            "[",
            "]",
            ":",
            ",",
            " ",
            "\n",
            "\t",
            "\"",
            "\"text\"",
            "\"id\"",
            "\"account\"",
            "\"time\"",
            "\"x\"",
            "\"收U\"",
            "\"a b\"",
            "\"\\n\"",
            "\"\\\"",
            "\"\u{1}\"",
            "\"\u{7f}\"",
            "12",
            "-1.5e3",
            "null",
            "true",
            "a",
            "\\",
            "\u{feff}",
        ])
    }

    fn utf8_piece() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        proptest::sample::select(vec![
            b"a".to_vec(),
            "收".as_bytes().to_vec(),
            "😀".as_bytes().to_vec(),
            "é".as_bytes().to_vec(),
            vec![0xE6, 0x94],                             // a 3-byte char cut short
            vec![0x80],                                   // a lone continuation byte
            vec![0xF8],                                   // never valid
            vec![0xED, 0xA0, 0x80],                       // a surrogate
            vec![0xC0, 0xAF],                             // an overlong `/`
            b"0123456789abcdef0123456789abcdef".to_vec(), // past one SIMD block
        ])
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn simd_utf8_check_agrees_with_std(pieces in proptest::collection::vec(utf8_piece(), 0..80)) {
            let bytes = pieces.concat();
            // same text, or the same error (the position of the first bad byte is reported)
            proptest::prop_assert_eq!(super::super::utf8(&bytes), std::str::from_utf8(&bytes));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        #[test]
        fn plain_reader_agrees_with_the_value_path(
            pieces in proptest::collection::vec(json_piece(), 0..24),
            shape in proptest::collection::vec(proptest::sample::select(vec![
                "\"text\"", "\"id\"", "\"account\"", "\"time\"", "\"x\"", "\"v\"", "\"收 U\"",
                "\"\"", "\"a\\\"b\"", "1", "{}", "\"t\u{1}\"", "\"t\u{1f}\"", "\"t\u{7f}\"", "\"t\te\"",
            ]), 0..12),
        ) {
            let f = FieldMap::default();
            let names = Names::of(&f).expect("flat names");
            // free-form token soup, and well-formed flat objects of mostly plain strings
            let soup: String = pieces.concat();
            let pairs: Vec<String> = shape.chunks(2).map(|kv| format!("{}:{}", kv[0], kv.get(1).unwrap_or(&"\"\""))).collect();
            let object = format!("{{{}}}", pairs.join(","));
            for line in [soup.as_str(), object.as_str()] {
                let flat = format!("{:?}", parse_flat(line, &f, &names));
                let value = format!("{:?}", parse_value(line, &f));
                proptest::prop_assert_eq!(flat, value, "{}", line);
            }
        }
    }

    #[test]
    fn control_bytes_are_found_anywhere() {
        for len in 0..40 {
            let clean = vec![b'a'; len];
            assert!(!has_control(&clean));
            for at in 0..len {
                let mut dirty = clean.clone();
                dirty[at] = 0x1f;
                assert!(has_control(&dirty), "{len} {at}");
            }
        }
        assert!(!has_control("收 U \u{7f}\u{80}".as_bytes()));
    }

    #[test]
    fn parses_and_reports() {
        let f = FieldMap::default();
        let p = parse(
            br#"{"mid":12,"user":{"id":3},"uid":"u9","content":"hi"}"#,
            &f,
        )
        .unwrap();
        assert_eq!(
            (p.id.as_deref(), p.account.as_deref(), &*p.text),
            (Some("12"), Some("u9"), "hi")
        );
        let mut nested = f.clone();
        nested.text = vec!["post.body".into()];
        let p = parse(br#"{"post":{"body":"deep"}}"#, &nested).unwrap();
        assert_eq!(p.text, "deep");
        assert_eq!(
            parse(b"{\"text\":5}", &f).unwrap_err().0,
            ErrorKind::TextNotString
        );
        assert_eq!(
            parse(b"{\"x\":1}", &f).unwrap_err().0,
            ErrorKind::MissingText
        );
        assert_eq!(parse(b"[1]", &f).unwrap_err().0, ErrorKind::InvalidJson);
        assert_eq!(
            parse(b"{\"text\":", &f).unwrap_err().0,
            ErrorKind::InvalidJson
        );
        assert_eq!(
            parse(b"{\"text\":\"\xff\"}", &f).unwrap_err().0,
            ErrorKind::InvalidUtf8
        );
    }
}
