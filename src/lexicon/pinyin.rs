//! Pinyin-mixed spellings of Chinese terms, generated when a lexicon is built.
//!
//! Spammers replace some characters of a slang term with their pinyin (`带dan` for 带单,
//! `月ru` for 月入, `老shi` for 老师) so that a keyword list misses it while a Chinese reader still
//! reads it. Writing every mix by hand would multiply each entry by up to 6, so the builder adds
//! them: for a term of two or three Chinese characters, every spelling where some but not all of
//! the characters are replaced by their toneless pinyin. Longer terms get none (14 each at four
//! characters would double the shipped automaton); their two- and three-character cores usually
//! are terms of their own. At least one character stays Chinese,
//! so no all-Latin pattern (`laoshi`, `handan`) ever matches ordinary English or pinyin text.

use pinyin::ToPinyin;

/// Terms longer than this get no variants (there are 2^n − 2 of them).
pub const MAX_CHARS: usize = 3;

/// The pinyin-mixed spellings of `pattern`, or nothing if it is not 2 to [`MAX_CHARS`] Chinese
/// characters that all have a pinyin reading.
///
/// ```
/// use coinsieve::lexicon::pinyin::mixed_variants;
///
/// let v = mixed_variants("带单");
/// assert_eq!(v, ["dai单", "带dan"]);
/// assert_eq!(mixed_variants("老师带").len(), 6);
/// assert!(mixed_variants("月入十万").is_empty()); // four characters: none
/// assert!(mixed_variants("收u").is_empty()); // not all Chinese
/// ```
pub fn mixed_variants(pattern: &str) -> Vec<String> {
    let chars: Vec<char> = pattern.chars().collect();
    if !(2..=MAX_CHARS).contains(&chars.len()) {
        return Vec::new();
    }
    let readings: Option<Vec<&str>> = chars
        .iter()
        .map(|c| c.to_pinyin().map(|p| p.plain()))
        .collect();
    let Some(readings) = readings else {
        return Vec::new();
    };
    let all = (1u32 << chars.len()) - 1;
    (1..all)
        .map(|mask| spell(&chars, &readings, mask))
        .collect()
}

/// How many spellings [`mixed_variants`] returns for `pattern`, counted without building them
/// (an upper bound: a character with no reading makes it zero). Lets the builder refuse a
/// lexicon that would grow past its entry cap before generating anything.
pub fn variant_count(pattern: &str) -> usize {
    let mut n = 0;
    for c in pattern.chars() {
        if n == MAX_CHARS || !crate::normalize::chinese::is_cjk(c) {
            return 0;
        }
        n += 1;
    }
    if n < 2 { 0 } else { (1 << n) - 2 }
}

/// `chars` with the characters whose bit is set in `mask` written as pinyin.
fn spell(chars: &[char], readings: &[&str], mask: u32) -> String {
    let mut out = String::new();
    for (i, (c, reading)) in chars.iter().zip(readings).enumerate() {
        if mask & (1 << i) != 0 {
            out.push_str(reading);
        } else {
            out.push(*c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mix_keeps_a_chinese_character() {
        let v = mixed_variants("老师带");
        assert_eq!(v.len(), 6);
        assert!(v.contains(&"老shi带".to_string()));
        assert!(v.contains(&"laoshi带".to_string()));
        assert!(!v.contains(&"laoshidai".to_string()));
        assert!(v.iter().all(|s| !s.is_ascii()));
    }

    #[test]
    fn variant_count_matches_the_variants() {
        for p in ["带单", "老师带", "带单老师", "收u", "币", "稳赚"] {
            assert_eq!(variant_count(p), mixed_variants(p).len(), "{p}");
        }
    }

    #[test]
    fn only_short_all_chinese_terms_get_variants() {
        assert!(mixed_variants("币").is_empty());
        assert!(mixed_variants("比特币交易").is_empty());
        assert!(mixed_variants("带单老师").is_empty());
        assert!(mixed_variants("usdt").is_empty());
    }
}
