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
pub fn digit_value(c: char) -> Option<u8> {
    Some(match c {
        '0'..='9' => c as u8 - b'0',
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

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(s: &str) -> String {
        let mut chars: Vec<NormChar> = NormChar::plain(s);
        to_digits(&mut chars);
        chars.iter().map(|c| c.ch).collect()
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
