//! Boundary checks: is a candidate a word, or a piece of a longer one?
//!
//! * Latin edges (a match starting or ending with an ASCII letter or digit) must be word edges in
//!   the key view: the neighbour is of another kind, a sentence break, or separated by a gap.
//!   `pump` fires in "pump group" but not in "pumpkin", `gem` not in "gemstone". In `auto` and
//!   `word` mode a trailing English inflection is allowed: pumps, pumped, pumping, sellers.
//! * Chinese edges are not checked by default; `boundary=jieba` entries additionally need their
//!   Chinese edges on jieba word boundaries — that check lives in [`crate::segment`], and
//!   [`needs_jieba`] says which edges to ask about.
//! * `boundary=pair` entries (quote currencies) match only glued to a trading pair's base
//!   (`ADAUSDT`): [`pair_base_start`] finds the base in the key view, and the caller checks in
//!   the original text that the whole symbol is written in capitals ([`written_in_capitals`]).

use crate::lexicon::Boundary;
use crate::normalize::chinese::is_cjk;
use crate::normalize::{Glyph, NormChar};

/// Suffixes accepted after a Latin match in `auto`/`word` mode (after repeat-collapsing).
pub const INFLECTIONS: [&str; 9] = ["s", "es", "ed", "d", "ing", "ings", "er", "ers", "ies"];

/// Why a candidate was rejected by the Latin edge check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// The match starts in the middle of a word.
    StartsInsideWord,
    /// The match ends in the middle of a word.
    EndsInsideWord,
    /// The match joins two words the pattern does not join (`i do` for `ido`).
    SpansTwoWords,
    /// An allow-list entry written across a gap: `回U 点位` holds no `U点`.
    ExceptionSpansGap,
    /// A `boundary=pair` match not glued after a pair's base of 2–10 letters.
    NoPairBase,
}

impl Rejection {
    /// The reason in words, as [`Filter::explain`](crate::Filter::explain) shows it.
    pub fn as_str(self) -> &'static str {
        match self {
            Rejection::StartsInsideWord => "starts inside a word",
            Rejection::EndsInsideWord => "ends inside a word",
            Rejection::SpansTwoWords => "joins two separate words",
            Rejection::ExceptionSpansGap => "an exception must be written without gaps",
            Rejection::NoPairBase => "not glued after a pair symbol's base of 2-10 letters",
        }
    }
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Check the Latin edges of key chars `start..end` under `mode`.
pub fn check_latin_edges<G: Glyph>(
    key: &[G],
    start: usize,
    end: usize,
    mode: Boundary,
) -> Result<(), Rejection> {
    if mode == Boundary::None || start >= end || end > key.len() {
        return Ok(());
    }
    if mode == Boundary::Pair {
        if pair_base_start(key, start).is_none() {
            return Err(Rejection::NoPairBase);
        }
    } else if start > 0 && glued(&key[start - 1], &key[start]) {
        return Err(Rejection::StartsInsideWord);
    }
    if end < key.len() && glued(&key[end - 1], &key[end]) {
        let inflected = matches!(mode, Boundary::Auto | Boundary::Word | Boundary::Jieba)
            && key[end - 1].ch().is_ascii_alphabetic()
            && is_inflection(key, end);
        if !inflected {
            return Err(Rejection::EndsInsideWord);
        }
    }
    Ok(())
}

/// Base lengths of a trading-pair symbol (`ADA` in `ADAUSDT`, `XYZAB` in `XYZABBTC`).
const PAIR_BASE_LEN: std::ops::RangeInclusive<usize> = 2..=10;

/// For a match at key index `start` glued on its left to ASCII letters: where that run of
/// letters (the base of a trading-pair symbol such as `ADAUSDT`) starts, if it is 2–10 letters
/// long. `None` when the match is not glued on its left or the run has another length.
pub fn pair_base_start<G: Glyph>(key: &[G], start: usize) -> Option<usize> {
    let mut base = start;
    while base > 0 && key[base - 1].ch().is_ascii_alphabetic() && glued(&key[base - 1], &key[base])
    {
        base -= 1;
        if start - base > *PAIR_BASE_LEN.end() {
            return None;
        }
    }
    PAIR_BASE_LEN.contains(&(start - base)).then_some(base)
}

/// The original text of a trading-pair symbol is written in capitals (digits allowed): `ADAUSDT`
/// is a pair, `teeth` and `Kenneth` are words.
pub fn written_in_capitals(source: &str) -> bool {
    // (an empty or all-digit text has no capital)
    (source.bytes()).all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && source.bytes().any(|b| b.is_ascii_uppercase())
}

/// Two neighbouring key chars belong to the same Latin word or number.
fn glued<G: Glyph>(a: &G, b: &G) -> bool {
    if b.has(NormChar::GAP_BEFORE) || a.has(NormChar::BREAK) || b.has(NormChar::BREAK) {
        return false;
    }
    let (a, b) = (a.ch(), b.ch());
    (a.is_ascii_alphabetic() && b.is_ascii_alphabetic())
        || (a.is_ascii_digit() && b.is_ascii_digit())
}

/// The rest of the word after `end` is an inflection suffix.
fn is_inflection<G: Glyph>(key: &[G], end: usize) -> bool {
    // the suffix is at most 5 ASCII letters: collect it without allocating
    let mut rest = [0u8; 5];
    let mut len = 0;
    for (i, c) in key[end..].iter().enumerate() {
        if (i > 0 && c.has(NormChar::GAP_BEFORE)) || !c.ch().is_ascii_alphabetic() || len > 4 {
            break;
        }
        rest[len] = c.ch() as u8;
        len += 1;
    }
    let rest = &rest[..len];
    INFLECTIONS.iter().any(|s| s.as_bytes() == rest)
}

/// A Latin match must not be two words glued by the key view (`i do` is not `ido`). A space the
/// pattern does not have is accepted only between spaced-out single letters (`U S D T`); a
/// symbol between letters (`U.S.D.T`, `p*mp`) is a disguise and accepted. `pattern_gaps` has bit
/// `i` set where the pattern itself has a space before key char `i`.
pub fn check_slipped_gaps<G: Glyph>(
    key: &[G],
    start: usize,
    end: usize,
    pattern_gaps: u64,
) -> Result<(), Rejection> {
    for i in unwritten_gaps(key, start, end, pattern_gaps) {
        let (prev, cur) = (&key[i - 1], &key[i]);
        if cur.has(NormChar::SYMBOL_GAP) {
            continue;
        }
        let latin = prev.ch().is_ascii_alphanumeric() && cur.ch().is_ascii_alphanumeric();
        if latin && !(prev.has(NormChar::SPACED) && cur.has(NormChar::SPACED)) {
            return Err(Rejection::SpansTwoWords);
        }
    }
    Ok(())
}

/// Key indices inside `start..end` (after the first) that have a gap before them which the
/// pattern itself does not have (`pattern_gaps` bit `i - start`).
fn unwritten_gaps<G: Glyph>(
    key: &[G],
    start: usize,
    end: usize,
    pattern_gaps: u64,
) -> impl Iterator<Item = usize> + '_ {
    (start + 1..end.min(key.len())).filter(move |&i| {
        let offset = i - start;
        let pattern_gap = offset < 64 && pattern_gaps & (1 << offset) != 0;
        key[i].has(NormChar::GAP_BEFORE) && !pattern_gap
    })
}

/// Allow-list entries are read across a gap only where the text is spaced out char by char
/// (`出 U 盘` is still `U盘`). A gap between two runs never makes an ordinary word: `回U 点位美丽`
/// must not yield the exception `U点` and hide the slang around it.
///
/// `pattern_gaps` is as in [`check_slipped_gaps`]: a gap the entry itself has (`usdt wallet`)
/// is always fine.
pub fn check_exception_contiguous(
    key: &[NormChar],
    start: usize,
    end: usize,
    pattern_gaps: u64,
) -> Result<(), Rejection> {
    let gapped = |i: usize| i >= key.len() || key[i].has(NormChar::GAP_BEFORE);
    for i in unwritten_gaps(key, start, end, pattern_gaps) {
        let left_alone = i == 1 || gapped(i - 1);
        let right_alone = gapped(i + 1);
        if !left_alone && !right_alone {
            return Err(Rejection::ExceptionSpansGap);
        }
    }
    Ok(())
}

/// Which edges of key chars `start..end` need a jieba check: `(start edge, end edge)`.
pub fn needs_jieba<G: Glyph>(key: &[G], start: usize, end: usize, mode: Boundary) -> (bool, bool) {
    if mode != Boundary::Jieba || start >= end || end > key.len() {
        return (false, false);
    }
    (is_cjk(key[start].ch()), is_cjk(key[end - 1].ch()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::Normalized;

    fn check(text: &str, pattern_key: &str, mode: Boundary) -> Result<(), Rejection> {
        let mut n = Normalized::default();
        n.normalize(text);
        let byte = n
            .key_text()
            .find(pattern_key)
            .expect("pattern present in key");
        let start = n.key_index_at_byte(byte);
        let end = start + pattern_key.chars().count();
        check_latin_edges(n.key(), start, end, mode)
    }

    #[test]
    fn whole_words_only() {
        assert_eq!(check("join the pump group", "pump", Boundary::Auto), Ok(()));
        assert_eq!(
            check("pumpkin pie", "pump", Boundary::Auto),
            Err(Rejection::EndsInsideWord)
        );
        assert_eq!(
            check("a gemstone ring", "gem", Boundary::Auto),
            Err(Rejection::EndsInsideWord)
        );
        assert_eq!(
            check("trump", "rump", Boundary::Auto),
            Err(Rejection::StartsInsideWord)
        );
        assert_eq!(check("收usdt", "usdt", Boundary::Auto), Ok(()));
        assert_eq!(check("btc!", "btc", Boundary::Auto), Ok(()));
    }

    #[test]
    fn inflections_allowed_except_in_strict_mode() {
        assert_eq!(check("they pumped it", "pump", Boundary::Auto), Ok(()));
        assert_eq!(check("two pumps", "pump", Boundary::Word), Ok(()));
        assert_eq!(
            check("two pumps", "pump", Boundary::Strict),
            Err(Rejection::EndsInsideWord)
        );
        assert_eq!(
            check("pumpkins", "pump", Boundary::Auto),
            Err(Rejection::EndsInsideWord)
        );
        assert_eq!(check("pumpkin", "pump", Boundary::None), Ok(()));
    }

    #[test]
    fn numbers_are_words_too() {
        assert_eq!(check("a 100x gem", "100x", Boundary::Auto), Ok(()));
        assert_eq!(
            check("a 2100x gem", "100x", Boundary::Auto),
            Err(Rejection::StartsInsideWord)
        );
    }

    #[test]
    fn words_joined_by_spaces_are_not_one_word() {
        let slipped = |text: &str, pattern: &str| {
            let mut n = Normalized::default();
            n.normalize(text);
            let p = crate::normalize::normalize_pattern(pattern);
            let start = n.key_index_at_byte(n.key_text().find(&p.key).expect("present"));
            check_slipped_gaps(n.key(), start, start + p.key.chars().count(), p.gaps)
        };
        assert_eq!(
            slipped("what would i do", "ido"),
            Err(Rejection::SpansTwoWords)
        );
        assert_eq!(slipped("u s d t now", "usdt"), Ok(()));
        assert_eq!(slipped("U.S.D.T now", "usdt"), Ok(()));
        assert_eq!(slipped("to the moon", "to the moon"), Ok(()));
        assert_eq!(slipped("收 U", "收u"), Ok(()));
    }

    #[test]
    fn pair_quotes_may_end_a_pair_symbol() {
        assert_eq!(check("ADAUSDT long", "usdt", Boundary::Pair), Ok(()));
        assert_eq!(check("buy XYZBTC now", "btc", Boundary::Pair), Ok(()));
        // only inside a pair symbol: not alone, not after a one-letter or over-long base
        assert_eq!(
            check("btc now", "btc", Boundary::Pair),
            Err(Rejection::NoPairBase)
        );
        assert_eq!(
            check("XBTC", "btc", Boundary::Pair),
            Err(Rejection::NoPairBase)
        );
        assert_eq!(
            check("ABCDEFGHIJKBTC", "btc", Boundary::Pair),
            Err(Rejection::NoPairBase)
        );
        // no inflections
        assert_eq!(
            check("XYZBTCS", "btc", Boundary::Pair),
            Err(Rejection::EndsInsideWord)
        );
        assert_eq!(
            check("ADAUSDT", "usdt", Boundary::Strict),
            Err(Rejection::StartsInsideWord)
        );
        let mut n = Normalized::default();
        n.normalize("go ADABTC");
        let start = n.key_index_at_byte(n.key_text().find("btc").expect("present"));
        assert_eq!(pair_base_start(n.key(), start), Some(start - 3));
    }

    #[test]
    fn pair_symbols_are_written_in_capitals() {
        assert!(written_in_capitals("ADAUSDT"));
        assert!(written_in_capitals("XYZ2BTC"));
        assert!(!written_in_capitals("teeth"));
        assert!(!written_in_capitals("Kenneth"));
        assert!(!written_in_capitals("2024"));
        assert!(!written_in_capitals(""));
    }

    #[test]
    fn jieba_edges_are_the_chinese_ones() {
        let mut n = Normalized::default();
        n.normalize("收u");
        assert_eq!(needs_jieba(n.key(), 0, 2, Boundary::Jieba), (true, false));
        assert_eq!(needs_jieba(n.key(), 0, 2, Boundary::Auto), (false, false));
    }
}
