//! Step 6: separator skipping.
//!
//! Spaces, punctuation, symbols and emoji placed between the characters of a term must not stop a
//! match: `比 特 币`, `U.S.D.T`, `收*U`, `喊 单 群`, `U S D T ➡️ R M B` all reach the automaton as
//! `比特币`, `usdt`, `收u`, `喊单群`, `usdtrmb`. They are removed from the key, and the character
//! after them is flagged [`NormChar::GAP_BEFORE`] so that word-boundary checks still see the space.
//!
//! Sentence and line breaks are different: a newline, `。`, or `.`/`!`/`?` ending a sentence becomes
//! one [`BREAK_CHAR`] that no pattern contains, so a match never spans two sentences.

use super::{BREAK_CHAR, Glyph, NormChar};
use crate::normalize::chinese::is_cjk;

/// Remove separators in place, keeping one break marker per run of sentence breaks. Symbols in
/// `kept` (sorted) count as content: lexicons use pictographs like ✈ as terms.
pub fn strip<G: Glyph>(chars: &mut Vec<G>, kept: &[char]) {
    let mut w = 0;
    let mut gap = false;
    let mut symbol_gap = false;
    let mut brk: Option<G> = None;
    for r in 0..chars.len() {
        let c = chars[r];
        if is_content(c.ch()) || (!kept.is_empty() && kept.binary_search(&c.ch()).is_ok()) {
            if let Some(b) = brk.take()
                && w > 0
            {
                chars[w] = b;
                w += 1;
            }
            let mut c = c;
            if gap {
                c.add_flags(NormChar::GAP_BEFORE);
            }
            if symbol_gap {
                c.add_flags(NormChar::SYMBOL_GAP);
            }
            chars[w] = c;
            w += 1;
            gap = false;
            symbol_gap = false;
        } else {
            gap = true;
            symbol_gap |= !c.ch().is_whitespace();
            if brk.is_none() && is_sentence_break(chars, r) {
                brk = Some(c.with(BREAK_CHAR, NormChar::BREAK | NormChar::GAP_BEFORE));
            }
        }
    }
    chars.truncate(w);
    mark_spaced_letters(chars);
}

/// Letters, digits and ideographs of any script are content; everything else separates.
#[inline]
pub fn is_content(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        // fast path for CJK unified ideographs, all alphabetic
        ('\u{4E00}'..='\u{9FFF}').contains(&c) || c.is_alphanumeric()
    }
}

/// True if folded char `i` ends a sentence or line (see the module docs).
#[inline]
pub fn is_sentence_break<G: Glyph>(chars: &[G], i: usize) -> bool {
    let Some(c) = chars.get(i).map(|c| c.ch()) else {
        return false;
    };
    if !is_break_char(c) {
        return false;
    }
    let next = chars.get(i + 1).map(|n| n.ch());
    let prev = i.checked_sub(1).and_then(|p| chars.get(p)).map(|p| p.ch());
    breaks_between(prev, c, next)
}

/// The characters that can end a sentence or line.
#[inline]
pub(crate) fn is_break_char(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{2028}' | '\u{2029}' | '。' | '.' | '!' | '?' | '！' | '？'
    )
}

/// [`is_sentence_break`] for char `c` between `prev` and `next` (`None`: the edge of the text).
pub(crate) fn breaks_between(prev: Option<char>, c: char, next: Option<char>) -> bool {
    match c {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' | '。' => true,
        '.' => next.is_none_or(char::is_whitespace) && prev.is_some_and(|p| !p.is_ascii_digit()),
        '!' | '?' | '！' | '？' => {
            next.is_none_or(|n| n.is_whitespace() || is_cjk(n)) || prev.is_some_and(is_cjk)
        }
        _ => false,
    }
}

fn mark_spaced_letters<G: Glyph>(chars: &mut [G]) {
    let n = chars.len();
    for i in 0..n {
        if !chars[i].ch().is_ascii_alphanumeric() {
            continue;
        }
        let alone_left = i == 0 || chars[i].has(NormChar::GAP_BEFORE);
        let alone_right = i + 1 == n || chars[i + 1].has(NormChar::GAP_BEFORE);
        if alone_left && alone_right {
            chars[i].add_flags(NormChar::SPACED);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> String {
        let mut chars: Vec<NormChar> = NormChar::plain(s);
        strip(&mut chars, &[]);
        chars.iter().map(|c| c.ch).collect()
    }

    #[test]
    fn separators_between_characters_are_skipped() {
        assert_eq!(key("比 特 币"), "比特币");
        assert_eq!(key("u.s.d.t"), "usdt");
        assert_eq!(key("收*u"), "收u");
        assert_eq!(key("u s d t ➡️ r m b"), "usdtrmb");
        assert_eq!(key("喊 单 群！！"), "喊单群");
    }

    #[test]
    fn content_fast_paths_agree_with_is_alphanumeric() {
        for c in (0u32..0x11000).filter_map(char::from_u32) {
            assert_eq!(is_content(c), c.is_alphanumeric(), "{c}");
        }
    }

    #[test]
    fn sentence_breaks_stay_as_barriers() {
        assert_eq!(key("卖掉了。币圈"), "卖掉了\n币圈");
        assert_eq!(key("i sold it. btc is up"), "isoldit\nbtcisup");
        assert_eq!(key("line one\nline two"), "lineone\nlinetwo");
        assert_eq!(key("rate 6.95 ok"), "rate695ok");
        assert_eq!(key("出u！微信"), "出u\n微信");
    }

    #[test]
    fn gaps_and_spaced_letters_are_flagged() {
        let mut chars: Vec<NormChar> = NormChar::plain("a b cd");
        strip(&mut chars, &[]);
        let gaps: Vec<bool> = chars.iter().map(|c| c.has(NormChar::GAP_BEFORE)).collect();
        let spaced: Vec<bool> = chars.iter().map(|c| c.has(NormChar::SPACED)).collect();
        assert_eq!(gaps, vec![false, true, true, false]);
        assert_eq!(spaced, vec![true, true, false, false]);
    }
}
