//! JSONL records: one JSON object per line.

use super::fields::{FieldMap, lookup, scalar};
use super::{ErrorKind, Post};
use serde_json::Value;

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

/// Parse one non-empty line into a post.
pub(crate) fn parse(line: &[u8], fields: &FieldMap) -> Result<Post, (ErrorKind, String)> {
    let s = std::str::from_utf8(line).map_err(|e| {
        (
            ErrorKind::InvalidUtf8,
            format!("invalid UTF-8 at byte {}", e.valid_up_to()),
        )
    })?;
    let mut v: Value = serde_json::from_str(s).map_err(|e| {
        // serde_json says "… at line 1 column N"; the line is always 1 here, so give the column.
        let msg = e.to_string();
        let msg = msg
            .rsplit_once(" at line ")
            .map_or(msg.as_str(), |(m, _)| m);
        (
            ErrorKind::InvalidJson,
            format!("invalid JSON at column {}: {msg}", e.column()),
        )
    })?;
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
        None => {
            return Err(match wrong {
                Some((name, ty)) => (
                    ErrorKind::TextNotString,
                    format!("text field `{name}` is {ty}, not a string"),
                ),
                None => (
                    ErrorKind::MissingText,
                    format!("no text field (looked for {})", fields.text.join(", ")),
                ),
            });
        }
    };
    Ok(Post {
        id,
        account,
        time,
        text,
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
    fn parses_and_reports() {
        let f = FieldMap::default();
        let p = parse(
            br#"{"mid":12,"user":{"id":3},"uid":"u9","content":"hi"}"#,
            &f,
        )
        .unwrap();
        assert_eq!(
            (p.id.as_deref(), p.account.as_deref(), p.text.as_str()),
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
