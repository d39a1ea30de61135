//! Step 4: Cyrillic and Greek look-alike letters → Latin.
//!
//! `ВТС` (Cyrillic) reads as BTC, `usdт` mixes scripts, `ᗷTC` and `ᑌSDT` borrow Canadian
//! syllabics, `Ꮪend` Cherokee, `⋃` and `Ƀ` are symbols drawn like letters. A run of letters is
//! mapped when it mixes Latin with look-alikes, or when every non-Latin letter in it has a Latin
//! twin (a pure look-alike word). Ordinary Russian or Greek words have letters without twins and
//! stay as they are.

use super::NormChar;

/// Map look-alike letters in place.
pub fn to_latin(chars: &mut [NormChar]) {
    let mut i = 0;
    while i < chars.len() {
        if !is_word_letter(chars[i].ch) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_word_letter(chars[i].ch) {
            i += 1;
        }
        map_word(&mut chars[start..i]);
    }
}

fn map_word(word: &mut [NormChar]) {
    let foreign = word.iter().filter(|c| !c.ch.is_ascii()).count();
    if foreign == 0 {
        return;
    }
    let has_latin = word.iter().any(|c| c.ch.is_ascii_alphabetic());
    let all_twins = word
        .iter()
        .all(|c| c.ch.is_ascii() || latin_twin(c.ch).is_some());
    if !(has_latin || all_twins) {
        return;
    }
    for c in word.iter_mut() {
        if let Some(l) = latin_twin(c.ch) {
            c.ch = l;
            c.flags |= NormChar::DISGUISED;
        }
    }
}

/// A letter that can be part of a look-alike word (Latin, Greek, Cyrillic, or one with a Latin twin).
pub(crate) fn is_word_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || ('\u{0370}'..='\u{052F}').contains(&c) || latin_twin(c).is_some()
}

/// The Latin letter a look-alike is drawn like (Cyrillic, Greek, Cherokee, Canadian syllabics,
/// letter-like symbols). Folded text is lowercase, so Cherokee is looked up by its capital form.
pub fn latin_twin(c: char) -> Option<char> {
    // fast path: every look-alike in the table is below U+3000 except Cherokee small letters
    if c.is_ascii() || (c >= '\u{3000}' && !('\u{AB70}'..='\u{ABBF}').contains(&c)) {
        return None;
    }
    if ('\u{AB70}'..='\u{ABBF}').contains(&c) || ('\u{13F8}'..='\u{13FD}').contains(&c) {
        return c.to_uppercase().next().and_then(twin_table);
    }
    twin_table(c)
}

fn twin_table(c: char) -> Option<char> {
    Some(match c {
        // Cyrillic: letters drawn like a Latin letter in upper or lower case
        'а' => 'a',
        'в' => 'b',
        'с' => 'c',
        'ԁ' => 'd',
        'е' | 'ё' => 'e',
        'һ' | 'н' => 'h',
        'і' | 'ї' => 'i',
        'ј' => 'j',
        'к' => 'k',
        'ӏ' => 'l',
        'м' => 'm',
        'о' => 'o',
        'р' => 'p',
        'ԛ' => 'q',
        'ѕ' => 's',
        'т' => 't',
        'ѵ' => 'v',
        'ԝ' => 'w',
        'х' => 'x',
        'у' => 'y',
        // Greek
        'α' => 'a',
        'β' => 'b',
        'ε' => 'e',
        'ι' => 'i',
        'κ' => 'k',
        'μ' => 'm',
        'ν' => 'v',
        'ο' => 'o',
        'ρ' => 'p',
        'τ' => 't',
        'υ' => 'u',
        'χ' => 'x',
        'γ' => 'y',
        // Cherokee capitals
        'Ꭺ' => 'a',
        'Ᏼ' => 'b',
        'Ꮯ' => 'c',
        'Ꭰ' => 'd',
        'Ꭼ' => 'e',
        'Ꮐ' => 'g',
        'Ꮋ' => 'h',
        'Ꭵ' => 'i',
        'Ꭻ' => 'j',
        'Ꮶ' => 'k',
        'Ꮮ' => 'l',
        'Ꮇ' => 'm',
        'Ꮲ' => 'p',
        'Ꮢ' => 'r',
        'Ꮪ' => 's',
        'Ꭲ' => 't',
        'Ꮩ' => 'v',
        'Ꮃ' => 'w',
        'Ꮓ' => 'z',
        // Canadian syllabics
        'ᗩ' => 'a',
        'ᗷ' => 'b',
        'ᑕ' => 'c',
        'ᗪ' => 'd',
        'ᕮ' => 'e',
        'ᖴ' => 'f',
        'ᘜ' => 'g',
        'ᕼ' => 'h',
        'ᒍ' => 'j',
        'ᒪ' => 'l',
        'ᗰ' => 'm',
        'ᑎ' => 'n',
        'ᑭ' => 'p',
        'ᖇ' => 'r',
        'ᔕ' => 's',
        'ᑌ' => 'u',
        'ᐯ' => 'v',
        'ᗯ' => 'w',
        '᙭' => 'x',
        'ᘔ' => 'z',
        // letter-like symbols and letters with strokes
        '⋃' | '∪' | 'ᥙ' => 'u',
        'ƀ' => 'b',
        'ȼ' => 'c',
        'đ' => 'd',
        'ɇ' => 'e',
        'ǥ' => 'g',
        'ħ' => 'h',
        'ɨ' => 'i',
        'ł' => 'l',
        'ø' => 'o',
        'ᵽ' => 'p',
        'ɍ' => 'r',
        'ŧ' => 't',
        'ʉ' => 'u',
        'ɏ' => 'y',
        'ƶ' => 'z',
        '∩' => 'n',
        '℮' => 'e',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(s: &str) -> String {
        let mut chars: Vec<NormChar> = NormChar::plain(s);
        to_latin(&mut chars);
        chars.iter().map(|c| c.ch).collect()
    }

    #[test]
    fn look_alike_words_become_latin() {
        assert_eq!(map("втс"), "btc");
        assert_eq!(map("usdт and рumр"), "usdt and pump");
        assert_eq!(map("ѕеll"), "sell");
        assert_eq!(map("ᗷtc ᑌsdt ꮪend ⋃ ƀtc"), "btc usdt send u btc");
    }

    #[test]
    fn fast_path_agrees_with_the_table() {
        for c in (0u32..0x20000).filter_map(char::from_u32) {
            let table = if ('\u{AB70}'..='\u{ABBF}').contains(&c)
                || ('\u{13F8}'..='\u{13FD}').contains(&c)
            {
                c.to_uppercase().next().and_then(twin_table)
            } else {
                twin_table(c)
            };
            assert_eq!(latin_twin(c), table, "{c}");
        }
    }

    #[test]
    fn real_russian_and_greek_words_stay() {
        assert_eq!(map("привет"), "привет");
        assert_eq!(map("λόγος"), "λόγος");
    }
}
