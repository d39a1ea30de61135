//! The output record: one JSON object per scanned post.

use crate::verdict::Verdict;
use serde::{Deserialize, Serialize};

/// One line of `coinsieve scan` output: the post's id, account and time, then the [`Verdict`]
/// fields flattened (`label`, `score`, `categories`, `rules`, `context` if any, `hits`,
/// `hits_capped` if true).
///
/// `id`, `account` and `time` are always JSON strings (a numeric id `12` becomes `"12"`);
/// `account` is `null` when the record has none; `time` is left out when the record has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanRecord {
    /// The post id, or the input line number when the record has none.
    pub id: String,
    /// The account, if the record names one.
    pub account: Option<String>,
    /// The post time as written in the input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The verdict.
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// Borrowing twin of [`ScanRecord`], for serializing without copies.
#[derive(Serialize)]
pub(crate) struct RecordRef<'a> {
    pub id: &'a str,
    pub account: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<&'a str>,
    #[serde(flatten)]
    pub verdict: &'a Verdict,
}

/// The output line for one record (without the newline). A clean post's record (the verdict is
/// [`Verdict::allow`]) is written directly, skipping serde's slow path for flattened fields; the
/// bytes are the same as serde's (tested below).
pub(crate) fn record_json(r: &RecordRef<'_>) -> String {
    let v = r.verdict;
    let clean = v.label == crate::verdict::Label::Allow
        && v.score.to_bits() == 0f64.to_bits()
        && v.categories.is_empty()
        && v.rules.is_empty()
        && v.context.is_empty()
        && v.hits.is_empty()
        && !v.hits_capped;
    if !clean {
        return serde_json::to_string(r).expect("a verdict always serializes");
    }
    let len = r.id.len() + r.account.map_or(4, str::len) + r.time.map_or(0, str::len);
    let mut out: Vec<u8> = Vec::with_capacity(len + 128);
    out.extend_from_slice(b"{\"id\":");
    push_str(&mut out, r.id);
    out.extend_from_slice(b",\"account\":");
    match r.account {
        Some(a) => push_str(&mut out, a),
        None => out.extend_from_slice(b"null"),
    }
    if let Some(t) = r.time {
        out.extend_from_slice(b",\"time\":");
        push_str(&mut out, t);
    }
    out.extend_from_slice(
        b",\"label\":\"allow\",\"score\":0.0,\"categories\":[],\"rules\":[],\"hits\":[]}",
    );
    // serde_json writes valid UTF-8: `out` is ASCII plus JSON-escaped copies of `&str`s.
    String::from_utf8(out).expect("JSON output is UTF-8")
}

/// Append `s` as a JSON string, escaped exactly as serde_json escapes it.
fn push_str(out: &mut Vec<u8>, s: &str) {
    // serde_json escapes only `"`, `\` and control characters below U+0020
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
        return;
    }
    serde_json::to_writer(&mut *out, s).expect("writing to a Vec cannot fail");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_records_are_written_as_serde_writes_them() {
        let allow = Verdict::allow();
        for (id, account, time) in [
            ("p0", Some("acct_1"), Some("2026-01-01T10:00:00Z")),
            ("12", None, None),
            ("q\"uo\\te\n\u{1}\u{7f}", Some("账号\u{2028}"), None),
            ("", Some(""), Some("")),
            ("a\u{1f}", Some("\u{7f}\u{80}é\u{2029}"), Some("\\")),
            ("\u{0}", Some("a\"b"), Some("\t")),
        ] {
            let r = RecordRef {
                id,
                account,
                time,
                verdict: &allow,
            };
            assert_eq!(record_json(&r), serde_json::to_string(&r).unwrap());
        }
        let mut flagged = Verdict::allow();
        flagged.score = 0.5;
        let r = RecordRef {
            id: "x",
            account: None,
            time: None,
            verdict: &flagged,
        };
        assert_eq!(record_json(&r), serde_json::to_string(&r).unwrap());
    }
}
