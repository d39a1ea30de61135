//! The output record: one JSON object per scanned post.

use crate::verdict::{ContextPenalty, FiredRule, Hit, MatchHow, Verdict};
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
pub(crate) struct RecordRef<'a, S = String> {
    pub id: &'a str,
    pub account: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<&'a str>,
    #[serde(flatten)]
    pub verdict: &'a Verdict<S>,
}

/// Append the output line for one record (without the newline) to `out`: the bytes serde
/// writes for [`RecordRef`] (tested below), without serde's slow path for flattened fields. A
/// clean post's verdict (the verdict is [`Verdict::allow`]) is a constant tail; any other
/// verdict is serialized as itself, its opening brace turned into the comma that continues the
/// record's object.
pub(crate) fn write_record<S: AsRef<str>>(out: &mut Vec<u8>, r: &RecordRef<'_, S>) {
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
    write_verdict_fields(out, v);
}

/// Append the fields of a verdict, as serde writes them inside the record's object: each one
/// after a comma, then the closing brace. Every struct is destructured in full, so a field
/// added to one of them does not compile until it is written here too (and the tests below
/// compare with serde's output).
fn write_verdict_fields<S: AsRef<str>>(out: &mut Vec<u8>, v: &Verdict<S>) {
    let Verdict {
        label,
        score,
        categories,
        rules,
        context,
        hits,
        hits_capped,
    } = v;
    out.extend_from_slice(b",\"label\":\"");
    out.extend_from_slice(label.as_str().as_bytes());
    out.extend_from_slice(b"\",\"score\":");
    push_f64(out, *score);
    out.extend_from_slice(b",\"categories\":[");
    for (i, c) in categories.iter().enumerate() {
        push_separator(out, i);
        push_str(out, c.as_ref());
    }
    out.extend_from_slice(b"],\"rules\":[");
    for (i, r) in rules.iter().enumerate() {
        let FiredRule {
            name,
            category,
            score,
        } = r;
        push_separator(out, i);
        out.extend_from_slice(b"{\"name\":");
        push_str(out, name.as_ref());
        out.extend_from_slice(b",\"category\":");
        push_str(out, category.as_ref());
        out.extend_from_slice(b",\"score\":");
        push_f64(out, *score);
        out.push(b'}');
    }
    out.push(b']');
    if !context.is_empty() {
        out.extend_from_slice(b",\"context\":[");
        for (i, c) in context.iter().enumerate() {
            let ContextPenalty { signal, penalty } = c;
            push_separator(out, i);
            out.extend_from_slice(b"{\"signal\":");
            push_str(out, signal.as_ref());
            out.extend_from_slice(b",\"penalty\":");
            push_f64(out, *penalty);
            out.push(b'}');
        }
        out.push(b']');
    }
    out.extend_from_slice(b",\"hits\":[");
    for (i, h) in hits.iter().enumerate() {
        let Hit {
            entry,
            signal,
            category,
            start,
            end,
            byte_start,
            byte_end,
            text,
            how,
        } = h;
        push_separator(out, i);
        out.extend_from_slice(b"{\"entry\":");
        push_str(out, entry.as_ref());
        out.extend_from_slice(b",\"signal\":");
        push_str(out, signal.as_ref());
        if let Some(c) = category {
            out.extend_from_slice(b",\"category\":");
            push_str(out, c.as_ref());
        }
        out.extend_from_slice(b",\"start\":");
        push_usize(out, *start);
        out.extend_from_slice(b",\"end\":");
        push_usize(out, *end);
        out.extend_from_slice(b",\"byte_start\":");
        push_usize(out, *byte_start);
        out.extend_from_slice(b",\"byte_end\":");
        push_usize(out, *byte_end);
        out.extend_from_slice(b",\"text\":");
        push_str(out, text.as_ref());
        out.extend_from_slice(b",\"how\":\"");
        out.extend_from_slice(match how {
            MatchHow::Exact => b"exact".as_slice(),
            MatchHow::Normalized => b"normalized",
            MatchHow::Disguised => b"disguised",
            MatchHow::Detected => b"detected",
            MatchHow::Phrase => b"phrase",
        });
        out.extend_from_slice(b"\"}");
    }
    out.push(b']');
    if *hits_capped {
        out.extend_from_slice(b",\"hits_capped\":true");
    }
    out.push(b'}');
}

/// Append the `,` that goes before every array element but the first (`i` = 0).
fn push_separator(out: &mut Vec<u8>, i: usize) {
    if i > 0 {
        out.push(b',');
    }
}

/// Append a float as serde_json writes it (`null` when not finite).
fn push_f64(out: &mut Vec<u8>, x: f64) {
    serde_json::to_writer(&mut *out, &x).expect("writing to a Vec cannot fail");
}

/// Append an unsigned integer in decimal.
fn push_usize(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// Append `s` as a JSON string, escaped exactly as serde_json escapes it.
fn push_str(out: &mut Vec<u8>, s: &str) {
    if !needs_escape(s.as_bytes()) {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
        return;
    }
    serde_json::to_writer(&mut *out, s).expect("writing to a Vec cannot fail");
}

/// True if serde_json escapes a byte of `b`: `"`, `\` or a control character below U+0020.
/// 16 bytes at a time, without an early exit inside a block, so the compiler can vectorize it.
fn needs_escape(b: &[u8]) -> bool {
    let escaped = |c: u8| c < 0x20 || c == b'"' || c == b'\\';
    let mut blocks = b.chunks_exact(16);
    let found = (blocks.by_ref()).any(|block| block.iter().fold(false, |m, &c| m | escaped(c)));
    found || blocks.remainder().iter().any(|&c| escaped(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record_json<S: AsRef<str>>(r: &RecordRef<'_, S>) -> String {
        let mut out = Vec::new();
        write_record(&mut out, r);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_are_found_at_every_position() {
        for len in 0..40 {
            let plain = "a".repeat(len);
            assert!(!needs_escape(plain.as_bytes()));
            for at in 0..len {
                for (special, escaped) in [
                    (b'"', true),
                    (b'\\', true),
                    (0x01, true),
                    (0x1f, true),
                    (b' ', false),
                    (0x7f, false),
                    (0xc3, false),
                ] {
                    let mut bytes = plain.clone().into_bytes();
                    bytes[at] = special;
                    assert_eq!(needs_escape(&bytes), escaped, "{len} {at} {special}");
                }
            }
        }
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

    #[test]
    fn verdicts_are_written_as_serde_writes_them() {
        let same = |verdict: &Verdict| {
            let r = RecordRef {
                id: "i",
                account: Some("a"),
                time: None,
                verdict,
            };
            assert_eq!(record_json(&r), serde_json::to_string(&r).unwrap());
        };
        let filter = crate::Filter::shipped().unwrap();
        let texts = crate::eval::corpus::project_corpus_texts();
        let mut flagged = 0;
        for text in &texts {
            // the scan writes the borrowed verdict: the same bytes as serde's for the owned one
            let borrowed = filter.check_borrowed(text);
            let verdict = borrowed.clone().into_owned();
            flagged += usize::from(!verdict.hits.is_empty());
            same(&verdict);
            let written = record_json(&RecordRef {
                id: "i",
                account: Some("a"),
                time: None,
                verdict: &borrowed,
            });
            let owned = RecordRef {
                id: "i",
                account: Some("a"),
                time: None,
                verdict: &verdict,
            };
            assert_eq!(written, serde_json::to_string(&owned).unwrap());
        }
        assert!(flagged > 100, "{flagged} corpus rows with hits");
        // the optional and unusual parts
        let mut v = filter.check("收U 6.95 微信 laozhang88，出 U 汇率 7.05");
        assert!(!v.hits.is_empty() && !v.rules.is_empty());
        v.hits_capped = true;
        v.context = vec![
            ContextPenalty {
                signal: "news\"quote\u{1}".into(),
                penalty: 0.25,
            },
            ContextPenalty {
                signal: String::new(),
                penalty: -1e-7,
            },
        ];
        v.score = f64::NAN;
        v.rules[0].score = 1e21;
        v.hits[0].category = None;
        v.hits[0].text = "\u{7f}\\ \t\u{2028}".into();
        v.hits[0].start = usize::MAX;
        v.hits[0].byte_end = 0;
        v.categories.push("\u{1f}é".into());
        for how in [
            MatchHow::Exact,
            MatchHow::Normalized,
            MatchHow::Disguised,
            MatchHow::Detected,
            MatchHow::Phrase,
        ] {
            v.hits[0].how = how;
            same(&v);
        }
        v.score = f64::INFINITY;
        v.categories.clear();
        v.rules.clear();
        v.context.clear();
        v.hits_capped = false;
        same(&v);
        v.hits.clear();
        v.label = crate::verdict::Label::Review;
        same(&v);
    }
}
