//! Quoted spans: text inside quotation marks.
//!
//! Reports and warnings *mention* slang in quotes (警方提醒：凡是“收U”的…, a 'pump group'
//! promising…); offers *use* it. The filter marks lexicon hits that sit inside a short quoted span
//! with the `quoted` context signal.

/// Longest quoted span considered, in chars: quotes around a whole sentence are speech, not a mention.
pub const MAX_QUOTED_CHARS: usize = 24;

/// The first question mark (ASCII or full-width) that asks something: questions lower a score.
/// A `?` that opens a URL query (`swap?token=0x…`, also spaced out) asks nothing.
pub fn question_mark(text: &str) -> Option<(usize, usize)> {
    // by bytes: `？` is EF BC 9F, and 0xEF only ever leads a char, so a byte search finds the
    // same marks as a walk over the chars without decoding every char of a Chinese post
    const FULL_WIDTH: &[u8] = "？".as_bytes();
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'?', FULL_WIDTH[0], bytes)
        .filter_map(|i| match bytes[i] {
            b'?' => Some((i, i + 1)),
            _ if bytes[i..].starts_with(FULL_WIDTH) => Some((i, i + FULL_WIDTH.len())),
            _ => None,
        })
        .find(|&(_, end)| !opens_query(&text[end..]))
}

/// True if `rest` (what follows a `?`) reads as a URL query: `name=` or `name =`.
fn opens_query(rest: &str) -> bool {
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    let name_len = rest
        .bytes()
        .take(33)
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    let after = &rest[name_len..];
    (1..=32).contains(&name_len) && after.strip_prefix(' ').unwrap_or(after).starts_with('=')
}

/// The opening marks of [`quoted_spans`]: a text without one has no quoted span.
pub const OPENING_MARKS: [&str; 7] = ["“", "‘", "「", "『", "《", "\"", "'"];

/// Byte ranges of the *insides* of quoted spans in `text` (folded text: one line of chars, any
/// script). Pairs: “…” ‘…’ 「…」 『…』 《…》 and ASCII "…" '…' (an ASCII quote opens only after a
/// non-alphanumeric char and closes only before one, so `don't` is not a quote).
pub fn quoted_spans(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, open) = chars[i];
        let Some(close) = closer(open) else {
            i += 1;
            continue;
        };
        if is_ascii_quote(open) && i > 0 && chars[i - 1].1.is_alphanumeric() {
            i += 1;
            continue;
        }
        let limit = (i + 1 + MAX_QUOTED_CHARS).min(chars.len());
        let found = (i + 1..limit).find(|&j| {
            chars[j].1 == close
                && (!is_ascii_quote(close)
                    || chars.get(j + 1).is_none_or(|n| !n.1.is_alphanumeric()))
        });
        match found {
            Some(j) if j > i + 1 && !chars[i + 1..j].iter().any(|c| c.1 == '\n') => {
                spans.push((start + open.len_utf8(), chars[j].0));
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    spans
}

fn closer(open: char) -> Option<char> {
    Some(match open {
        '“' => '”',
        '‘' => '’',
        '「' => '」',
        '『' => '』',
        '《' => '》',
        '"' => '"',
        '\'' => '\'',
        _ => return None,
    })
}

fn is_ascii_quote(c: char) -> bool {
    c == '"' || c == '\''
}

#[cfg(test)]
mod tests {
    use super::*;

    fn insides(text: &str) -> Vec<&str> {
        quoted_spans(text)
            .into_iter()
            .map(|(a, b)| &text[a..b])
            .collect()
    }

    #[test]
    fn url_queries_ask_nothing() {
        assert_eq!(question_mark("buy: dex.example/swap?token=0xab"), None);
        assert_eq!(question_mark("dex / swap ? token_id = 7"), None);
        let text = "swap?x=1 but why?";
        assert_eq!(question_mark(text), Some((16, 17)));
        assert_eq!(question_mark("why? =)"), Some((3, 4)));
        assert_eq!(question_mark("is it safe？"), Some((10, 13)));
    }

    #[test]
    fn finds_mentions_in_all_quote_styles() {
        assert_eq!(insides("凡是“收u”“跑分”的"), vec!["收u", "跑分"]);
        assert_eq!(
            insides("a 'pump group' and \"100x\" and 「u商」"),
            vec!["pump group", "100x", "u商"]
        );
    }

    #[test]
    fn apostrophes_and_long_speech_are_not_mentions() {
        assert!(insides("don't join, it's a scam").is_empty());
        assert!(
            insides("he said \"this is a very long sentence that is speech, not a mention\"")
                .is_empty()
        );
        assert!(insides("unclosed “quote").is_empty());
    }
}
