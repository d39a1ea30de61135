//! Step 7: runs of a repeated Latin letter collapse to one.
//!
//! `mooooon` and `moon` both become `mon`; `pumpppp` becomes `pump`. Lexicon patterns collapse the
//! same way, so `to the moon` still meets `to the mooooon`. The kept character's source span grows
//! to cover the whole run. Letters on either side of a space are different words and stay apart,
//! unless both are single spaced-out letters (`m o o n`).

use super::{Glyph, NormChar};

/// Collapse repeated ASCII letters in place. A token that is nothing but one repeated letter
/// (`qq`, `xx`) is a word of its own, not an elongation, and stays.
pub fn collapse<G: Glyph>(chars: &mut Vec<G>) {
    let n = chars.len();
    let mut w = 0;
    let mut i = 0;
    while i < n {
        if i + 1 == n || !continues_run(&chars[i], &chars[i + 1]) {
            // no run starts here (the common case)
            chars[w] = chars[i];
            w += 1;
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < n && continues_run(&chars[j - 1], &chars[j]) {
            j += 1;
        }
        let run = j - i;
        let keep_all = run > 1 && is_whole_token(chars, i, j);
        let mut kept = chars[i];
        if run > 1 && !keep_all {
            kept.extend_to(&chars[j - 1]);
            if run >= 3 || chars[i + 1..j].iter().any(|c| c.has(NormChar::GAP_BEFORE)) {
                kept.add_flags(NormChar::DISGUISED);
            }
            chars[w] = kept;
            w += 1;
        } else {
            for k in i..j {
                chars[w] = chars[k];
                w += 1;
            }
        }
        i = j;
    }
    chars.truncate(w);
}

/// The run `i..j` is a whole Latin token (bounded by a gap or a non-letter on both sides) and not
/// a spaced-out sequence of single letters.
fn is_whole_token<G: Glyph>(chars: &[G], i: usize, j: usize) -> bool {
    let word_edge = |c: &G| c.has(NormChar::GAP_BEFORE) || !c.ch().is_ascii_alphabetic();
    !chars[i].has(NormChar::SPACED)
        && (i == 0 || word_edge(&chars[i]) || !chars[i - 1].ch().is_ascii_alphabetic())
        && chars.get(j).is_none_or(word_edge)
}

fn continues_run<G: Glyph>(kept: &G, c: &G) -> bool {
    let same_letter = c.ch().is_ascii_alphabetic() && c.ch() == kept.ch();
    let same_word =
        !c.has(NormChar::GAP_BEFORE) || (kept.has(NormChar::SPACED) && c.has(NormChar::SPACED));
    same_letter && same_word
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::separators;

    fn collapsed(s: &str) -> (String, Vec<(u32, u32)>) {
        let mut chars: Vec<NormChar> = NormChar::plain(s);
        separators::strip(&mut chars, &[]);
        collapse(&mut chars);
        (
            chars.iter().map(|c| c.ch).collect(),
            chars.iter().map(|c| (c.src_start, c.src_end)).collect(),
        )
    }

    #[test]
    fn elongated_words_collapse() {
        assert_eq!(collapsed("mooooon").0, "mon");
        assert_eq!(collapsed("moon").0, "mon");
        assert_eq!(collapsed("m o o n").0, "mon");
        assert_eq!(collapsed("pumppp").1, vec![(0, 1), (1, 2), (2, 3), (3, 6)]);
    }

    #[test]
    fn a_token_of_one_repeated_letter_stays() {
        assert_eq!(collapsed("qq 123").0, "qq123");
        assert_eq!(collapsed("加qq").0, "加qq");
        assert_eq!(collapsed("qqq").0, "qqq");
    }

    #[test]
    fn words_across_a_space_stay_apart() {
        assert_eq!(collapsed("all lots").0, "allots");
        assert_eq!(collapsed("1100").0, "1100");
    }
}
