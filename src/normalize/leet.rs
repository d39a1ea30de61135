//! Step 5: leetspeak inside Latin words.
//!
//! `b1tc01n` → `bitcoin`, `g3m` → `gem`, `u$dt` → `usdt`, `t0 the m00n` → `to the moon`,
//! `8TC` → `btc`, `dou6le` → `double`.
//! Digits map 0→o 1→i 3→e 4→a 5→s 6→b 7→t 8→b 9→g; `$`→s, `@`→a and `!`→i only between letters.
//! (`1` also stands for `l`: the matcher tries an `l`→`i` variant of patterns, see [`crate::matcher`].) A token (a run of ASCII
//! letters, digits, `$`, `@`) is rewritten only when it reads as a word: it has a letter, every
//! digit in it has a letter twin, and it starts with a letter or has more letters than digits.
//! So numbers, prices, amounts and IDs stay intact: `100x`, `10k`, `6.95`, `0x86af…`, `abc123`.

use super::{Glyph, NormChar};

/// Longest token considered: longer ones are IDs, hashes or addresses, not disguised words.
const MAX_TOKEN: usize = 24;

/// Undo leetspeak in place.
pub fn undo<G: Glyph>(chars: &mut [G]) {
    let mut i = 0;
    while i < chars.len() {
        if !is_token_at(chars, i) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_token_at(chars, i) {
            i += 1;
        }
        rewrite_token(&mut chars[start..i]);
    }
}

/// Char `i` belongs to a token: an ASCII letter or digit, `$`, `@`, or a `!` between two
/// letters (`s!gnals`, `b!tcoin`; a `!` after a word ends it).
fn is_token_at<G: Glyph>(chars: &[G], i: usize) -> bool {
    match chars[i].ch() {
        c if c.is_ascii_alphanumeric() || c == '$' || c == '@' => true,
        '!' => {
            let letter = |j: Option<usize>| {
                j.and_then(|j| chars.get(j))
                    .is_some_and(|c| c.ch().is_ascii_alphabetic())
            };
            letter(i.checked_sub(1)) && letter(Some(i + 1))
        }
        _ => false,
    }
}

fn rewrite_token<G: Glyph>(token: &mut [G]) {
    // fast path: a plain word (no digit, `$` or `@`) never reads as leet
    if token.iter().all(|c| c.ch().is_ascii_alphabetic()) {
        return;
    }
    // a run of 2+ leading digits is a number with a suffix (`100xxx`, `24h`), not leet
    let leading_digits = token.iter().take_while(|c| c.ch().is_ascii_digit()).count();
    if token.len() > MAX_TOKEN || leading_digits >= 2 || !reads_as_word(token) {
        return;
    }
    // a run of 2+ trailing digits is a number on a name (laozhang88, user2024), not leet
    let trailing_digits = token
        .iter()
        .rev()
        .take_while(|c| c.ch().is_ascii_digit())
        .count();
    let end = if trailing_digits >= 2 {
        token.len() - trailing_digits
    } else {
        token.len()
    };
    let token = &mut token[..end];
    let Some(last) = token.len().checked_sub(1) else {
        return;
    };
    for (i, c) in token.iter_mut().enumerate() {
        let interior = i > 0 && i < last;
        let twin = match c.ch() {
            '$' | '@' if !interior => None,
            ch => letter_twin(ch),
        };
        if let Some(l) = twin {
            c.set_ch(l);
            c.add_flags(NormChar::DISGUISED);
        }
    }
}

fn reads_as_word<G: Glyph>(token: &[G]) -> bool {
    let letters = token
        .iter()
        .filter(|c| c.ch().is_ascii_alphabetic())
        .count();
    let digits: Vec<char> = token
        .iter()
        .map(|c| c.ch())
        .filter(char::is_ascii_digit)
        .collect();
    let symbols = (token.iter())
        .filter(|c| matches!(c.ch(), '$' | '@' | '!'))
        .count();
    if letters == 0 || (digits.is_empty() && symbols == 0) {
        return false;
    }
    // one letter with digits is usually a code or a unit (`u9.6`, `v2`, `x6`); only the most
    // common leet digits count there (`t0`, `m3`)
    if letters == 1 && digits.iter().any(|d| !matches!(d, '0' | '1' | '3')) {
        return false;
    }
    if digits.iter().any(|&d| letter_twin(d).is_none()) {
        return false;
    }
    token[0].ch().is_ascii_alphabetic() || letters > digits.len()
}

/// The letter a leet character stands for.
pub fn letter_twin(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' | '$' => 's',
        '6' | '8' => 'b',
        '7' => 't',
        '9' => 'g',
        '@' => 'a',
        '!' => 'i',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unleet(s: &str) -> String {
        let mut chars: Vec<NormChar> = NormChar::plain(s);
        undo(&mut chars);
        chars.iter().map(|c| c.ch).collect()
    }

    #[test]
    fn disguised_words_are_read() {
        assert_eq!(unleet("b1tc01n"), "bitcoin");
        assert_eq!(unleet("100x g3m"), "100x gem");
        assert_eq!(unleet("u$dt p@ck"), "usdt pack");
        assert_eq!(unleet("t0 the m00n"), "to the moon");
        assert_eq!(unleet("5h1ll"), "shill");
        assert_eq!(unleet("s!gnals, b!tcoin"), "signals, bitcoin");
    }

    #[test]
    fn numbers_prices_and_ids_stay() {
        for s in [
            "100x",
            "10k",
            "6.95",
            "0x86af3b",
            "abc123",
            "laozhang88",
            "$btc",
            "@user",
            "2fa",
            "100xxxxx",
            "24h",
            "wow!!",
            "hi! there",
        ] {
            assert_eq!(unleet(s), s, "{s}");
        }
    }
}
