//! Step 1: Unicode compatibility folding, case folding, invisible characters.
//!
//! * NFKC-style compatibility decomposition: full-width `ＵＳＤＴ` → `usdt`, circled `ⓑ` and
//!   mathematical `𝐁` → `b`, circled digits `①` → `1`, ligatures `ﬁ` → `fi`;
//! * lowercase;
//! * combining marks are dropped after decomposition, so `Ṵ`, `ú`, zalgo stacks → plain letters;
//! * zero-width, bidi, format and control characters are removed (tab and newline are kept);
//! * Hangul syllables are kept whole (decomposing them would only produce jamo noise).
//!
//! Styled letters (circled, mathematical, accented, zalgo) and removed invisibles mark their
//! characters [`NormChar::DISGUISED`]; full-width forms, which ordinary CJK typing produces, do not.

use super::NormChar;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Fold `text` into `out`, one or more [`NormChar`]s per source character.
pub fn fold(text: &str, out: &mut Vec<NormChar>) {
    let mut hidden_before = false;
    for (start, c) in text.char_indices() {
        let end = start + c.len_utf8();
        if c.is_ascii() {
            if c.is_ascii_control() && c != '\n' && c != '\t' && c != '\r' {
                hidden_before = mark_hidden(out);
                continue;
            }
            push(out, c.to_ascii_lowercase(), start, end, hidden_before);
            hidden_before = false;
            continue;
        }
        if is_plain_ideograph(c) {
            // fast path: CJK unified ideographs have no decomposition, no case and are not styled
            push(out, c, start, end, hidden_before);
            hidden_before = false;
            continue;
        }
        if is_invisible(c) {
            hidden_before = mark_hidden(out);
            continue;
        }
        let before = out.len();
        fold_char(c, start, end, out);
        if out.len() == before {
            // only marks: a zalgo mark or a lone accent between characters hides nothing useful
            hidden_before = mark_hidden(out);
            continue;
        }
        if hidden_before || is_styled(c, &out[before..]) {
            for n in &mut out[before..] {
                n.flags |= NormChar::DISGUISED;
            }
        }
        hidden_before = false;
    }
}

/// CJK unified ideographs (U+4E00–U+9FFF): no compatibility decomposition, no case mapping,
/// not invisible, not a combining mark; they fold to themselves.
#[inline]
fn is_plain_ideograph(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

fn push(out: &mut Vec<NormChar>, c: char, start: usize, end: usize, disguised: bool) {
    let mut n = NormChar::new(c, start, end);
    if disguised {
        n.flags |= NormChar::DISGUISED;
    }
    out.push(n);
}

/// Flag the previous character as next to hidden material; the next one is flagged by the caller.
fn mark_hidden(out: &mut [NormChar]) -> bool {
    if let Some(prev) = out.last_mut() {
        prev.flags |= NormChar::DISGUISED;
    }
    true
}

fn fold_char(c: char, start: usize, end: usize, out: &mut Vec<NormChar>) {
    // Hangul syllables stay whole; ℹ (the information emoji, `ℹ️ 45 minutes`) is a symbol,
    // not the letter i that compatibility decomposition makes of it.
    if ('\u{AC00}'..='\u{D7A3}').contains(&c) || c == INFORMATION_SOURCE {
        out.push(NormChar::new(c, start, end));
        return;
    }
    if let Some(letter) = enclosed_letter(c) {
        out.push(NormChar::new(letter, start, end));
        return;
    }
    decompose_compatible(c, |d| {
        if is_combining_mark(d) || is_invisible(d) {
            return;
        }
        for l in d.to_lowercase() {
            if !is_combining_mark(l) {
                out.push(NormChar::new(l, start, end));
            }
        }
    });
}

/// `ℹ` (U+2139), written as an emoji before announcements; NFKC would make it an `i`.
const INFORMATION_SOURCE: char = '\u{2139}';

/// Enclosed capitals Unicode gives no compatibility decomposition: negative circled 🅐,
/// negative squared 🅰 and regional indicators 🇦 (flags are pairs of these) read as letters.
fn enclosed_letter(c: char) -> Option<char> {
    let base = match c {
        '\u{1F150}'..='\u{1F169}' => 0x1F150,
        '\u{1F170}'..='\u{1F189}' => 0x1F170,
        '\u{1F1E6}'..='\u{1F1FF}' => 0x1F1E6,
        _ => return None,
    };
    char::from_u32('a' as u32 + (c as u32 - base))
}

/// A styled or decorated letter/digit that folds to plain ASCII: a disguise, unless it is the
/// full-width form ordinary CJK input methods produce.
fn is_styled(original: char, folded: &[NormChar]) -> bool {
    let fullwidth = ('\u{FF01}'..='\u{FF5E}').contains(&original);
    !fullwidth && folded.iter().any(|n| n.ch.is_ascii_alphanumeric())
}

/// Characters that render as nothing (or only steer rendering) and are used to split keywords.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}')
        || (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(s: &str) -> String {
        let mut out = Vec::new();
        fold(s, &mut out);
        out.iter().map(|c| c.ch).collect()
    }

    fn flags(s: &str) -> Vec<bool> {
        let mut out = Vec::new();
        fold(s, &mut out);
        out.iter().map(|c| c.has(NormChar::DISGUISED)).collect()
    }

    #[test]
    fn width_case_and_styled_letters_fold_to_ascii() {
        assert_eq!(folded("ＵＳＤＴ"), "usdt");
        assert_eq!(folded("ⓑⓣⓒ 𝐁𝐓𝐂"), "btc btc");
        assert_eq!(folded("①②③"), "123");
        assert_eq!(folded("Ṵ café"), "u cafe");
        assert_eq!(folded("🅤🅢🅓🅣 🅑🅣🅒"), "usdt btc");
    }

    #[test]
    fn invisible_and_control_characters_disappear() {
        assert_eq!(folded("比\u{200B}特\u{FEFF}币"), "比特币");
        assert_eq!(folded("a\u{0007}b\tc\nd"), "ab\tc\nd");
        assert_eq!(folded("U\u{0347}S\u{0347}D\u{0347}T"), "usdt");
    }

    #[test]
    fn disguise_flags_separate_styling_from_ordinary_width() {
        assert_eq!(flags("ＵＳ"), vec![false, false]);
        assert_eq!(flags("𝐔s"), vec![true, false]);
        assert_eq!(flags("a\u{200B}b"), vec![true, true]);
    }

    #[test]
    fn ideograph_fast_path_matches_the_general_fold() {
        for c in ('\u{4E00}'..='\u{9FFF}').step_by(7) {
            let mut fast = Vec::new();
            fold(&c.to_string(), &mut fast);
            let mut slow = Vec::new();
            fold_char(c, 0, c.len_utf8(), &mut slow);
            assert!(!is_invisible(c));
            assert_eq!(fast, slow, "{c}");
        }
    }

    #[test]
    fn hangul_is_kept_and_offsets_cover_the_source() {
        let mut out = Vec::new();
        fold("한ﬁ", &mut out);
        let chars: String = out.iter().map(|c| c.ch).collect();
        assert_eq!(chars, "한fi");
        assert_eq!((out[1].src_start, out[1].src_end), (3, 6));
        assert_eq!((out[2].src_start, out[2].src_end), (3, 6));
    }
}
