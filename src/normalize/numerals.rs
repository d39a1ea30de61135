//! Step 3: Chinese numerals that spell a number or ID → ASCII digits.
//!
//! Spammers write contact numbers as `扣扣 一二三四五六七八` or `壹贰叁…` to dodge digit filters.
//! A run of at least [`MIN_RUN`] digit characters (Chinese or ASCII, mixed freely) that contains a
//! Chinese digit is converted. Shorter runs (`一道二道`, `三四个`) are ordinary words and stay.
//! Circled and full-width digits were already folded by the Unicode step.

use super::NormChar;

/// Shortest run of digit characters treated as a spelled-out number.
pub const MIN_RUN: usize = 5;

/// Convert spelled-out digit runs in place.
pub fn to_digits(chars: &mut [NormChar]) {
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].ch;
        if (c.is_ascii() && !c.is_ascii_digit()) || digit_value(c).is_none() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && digit_value(chars[i].ch).is_some() {
            i += 1;
        }
        let run = &mut chars[start..i];
        if run.len() >= MIN_RUN && run.iter().any(|c| !c.ch.is_ascii_digit()) {
            for c in run.iter_mut().filter(|c| !c.ch.is_ascii_digit()) {
                if let Some(d) = digit_value(c.ch) {
                    c.ch = char::from(b'0' + d);
                    c.flags |= NormChar::DISGUISED;
                }
            }
        }
    }
}

/// The digit a character stands for: ASCII digits, 〇零一…九, 幺 (1 when reading numbers), 两,
/// and the financial forms 壹贰叁肆伍陆柒捌玖.
#[inline]
pub fn digit_value(c: char) -> Option<u8> {
    if c.is_ascii() {
        return c.is_ascii_digit().then(|| c as u8 - b'0');
    }
    // most chars of a Chinese post are no digit: one bit test rejects them, where the match
    // below is a tree of compares that mispredicts on every char
    if !CHINESE_DIGITS.has(c) {
        return None;
    }
    chinese_digit(c)
}

/// The Chinese digit characters of [`digit_value`].
const DIGIT_CHARS: [char; 22] = [
    '〇', '零', '一', '幺', '壹', '二', '两', '贰', '三', '叁', '四', '肆', '五', '伍', '六', '陆',
    '七', '柒', '八', '捌', '九', '玖',
];

/// The unit characters of a Chinese figure (十, 百, 千, 万, 亿 and the financial forms).
const UNIT_CHARS: [char; 8] = ['十', '拾', '百', '佰', '千', '仟', '万', '亿'];

/// [`DIGIT_CHARS`] as a set.
static CHINESE_DIGITS: CharSet = CharSet::of(&DIGIT_CHARS, &[]);

/// Digits and units: the characters a Chinese figure (`两千`, `一点五`) is written with.
pub(crate) static CHINESE_NUMERALS: CharSet = CharSet::of(&DIGIT_CHARS, &UNIT_CHARS);

/// The value of a Chinese digit character (the table [`CHINESE_DIGITS`] is built to agree with).
fn chinese_digit(c: char) -> Option<u8> {
    Some(match c {
        '〇' | '零' => 0,
        '一' | '幺' | '壹' => 1,
        '二' | '两' | '贰' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// A set of characters from U+3000 to U+9FFF (CJK punctuation to the end of the unified
/// ideographs), one bit each: membership is a subtraction, a compare and a bit test.
pub(crate) struct CharSet {
    bits: [u64; CharSet::WORDS],
}

impl CharSet {
    const FIRST: u32 = 0x3000;
    const SPAN: u32 = 0xA000 - CharSet::FIRST;
    const WORDS: usize = (CharSet::SPAN / 64) as usize;

    /// The set of the chars of `a` and `b`; a char outside the span fails the build (this runs
    /// at compile time).
    const fn of(a: &[char], b: &[char]) -> CharSet {
        let mut bits = [0u64; CharSet::WORDS];
        let mut i = 0;
        while i < a.len() + b.len() {
            let c = if i < a.len() { a[i] } else { b[i - a.len()] };
            let at = c as u32 - CharSet::FIRST;
            assert!(at < CharSet::SPAN, "char outside the CharSet span");
            bits[(at / 64) as usize] |= 1 << (at % 64);
            i += 1;
        }
        CharSet { bits }
    }

    /// Whether `c` is in the set.
    #[inline]
    pub(crate) fn has(&self, c: char) -> bool {
        let at = (c as u32).wrapping_sub(CharSet::FIRST);
        at < CharSet::SPAN && (self.bits[(at / 64) as usize] >> (at % 64)) & 1 != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(s: &str) -> String {
        let mut chars: Vec<NormChar> = NormChar::plain(s);
        to_digits(&mut chars);
        chars.iter().map(|c| c.ch).collect()
    }

    #[test]
    fn the_digit_set_agrees_with_the_digit_values() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let expected = if c.is_ascii() {
                c.to_digit(10).map(|d| d as u8)
            } else {
                chinese_digit(c)
            };
            assert_eq!(digit_value(c), expected, "{c:?}");
            assert_eq!(CHINESE_DIGITS.has(c), chinese_digit(c).is_some(), "{c:?}");
            let unit = UNIT_CHARS.contains(&c);
            assert_eq!(CHINESE_NUMERALS.has(c), unit || chinese_digit(c).is_some());
        }
    }

    #[test]
    fn spelled_out_ids_become_digits() {
        assert_eq!(convert("扣扣一二三四五六七八"), "扣扣12345678");
        assert_eq!(convert("q壹叁捌0000"), "q1380000");
        assert_eq!(convert("幺三八幺二三四五"), "13812345");
    }

    #[test]
    fn short_runs_and_words_stay() {
        assert_eq!(convert("一道二道"), "一道二道");
        assert_eq!(convert("三四个人"), "三四个人");
        assert_eq!(convert("12345"), "12345");
    }
}
