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

/// Append the output line for one record (without the newline) to `out`: the bytes serde
/// writes for [`RecordRef`] (tested below), without serde's slow path for flattened fields. A
/// clean post's verdict (the verdict is [`Verdict::allow`]) is a constant tail; any other
/// verdict is serialized as itself, its opening brace turned into the comma that continues the
/// record's object.
pub(crate) fn write_record(out: &mut Vec<u8>, r: &RecordRef<'_>) {
    let v = r.verdict;
    let clean = v.label == crate::verdict::Label::Allow
        && v.score.to_bits() == 0f64.to_bits()
        && v.categories.is_empty()
        && v.rules.is_empty()
        && v.context.is_empty()
        && v.hits.is_empty()
        && !v.hits_capped;
    out.extend_from_slice(b"{\"id\":");
    push_str(out, r.id);
    out.extend_from_slice(b",\"account\":");
    match r.account {
        Some(a) => push_str(out, a),
        None => out.extend_from_slice(b"null"),
    }
    if let Some(t) = r.time {
        out.extend_from_slice(b",\"time\":");
        push_str(out, t);
    }
    if clean {
        out.extend_from_slice(
            b",\"label\":\"allow\",\"score\":0.0,\"categories\":[],\"rules\":[],\"hits\":[]}",
        );
        return;
    }
    let at = out.len();
    serde_json::to_writer(&mut *out, v).expect("a verdict always serializes");
    // a verdict always has a label, so it is a non-empty object: `{"label":…}`
    if let Some(brace) = out.get_mut(at) {
        *brace = b',';
    }
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

    fn record_json(r: &RecordRef<'_>) -> String {
        let mut out = Vec::new();
        write_record(&mut out, r);
        String::from_utf8(out).unwrap()
    }

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
        let filter = crate::Filter::shipped().unwrap();
        for text in [
            "收U 6.95 微信 laozhang88",
            "出 U 汇率 7.05，薇 abc_8899",
            "$WOOFY 100x moon soon, buy now",
            "今天天气不错",
        ] {
            let verdict = filter.check(text);
            for (account, time) in [(Some("a\"1"), Some("t")), (None, None)] {
                let r = RecordRef {
                    id: "p\u{1}",
                    account,
                    time,
                    verdict: &verdict,
                };
                assert_eq!(record_json(&r), serde_json::to_string(&r).unwrap());
            }
        }
    }
}
