//! Step 7: runs of a repeated Latin letter collapse to one.
//!
//! `mooooon` and `moon` both become `mon`; `pumpppp` becomes `pump`. Lexicon patterns collapse the
//! same way, so `to the moon` still meets `to the mooooon`. The kept character's source span grows
//! to cover the whole run. Letters on either side of a space are different words and stay apart,
//! unless both are single spaced-out letters (`m o o n`).

use super::NormChar;

/// Collapse repeated ASCII letters in place.
pub fn collapse(chars: &mut Vec<NormChar>) {
    let mut w = 0;
    let mut run = 0;
    for r in 0..chars.len() {
        let c = chars[r];
        if w > 0 && continues_run(&chars[w - 1], &c) {
            run += 1;
            let kept = &mut chars[w - 1];
            kept.src_end = c.src_end;
            if run >= 2 || c.has(NormChar::GAP_BEFORE) {
                kept.flags |= NormChar::DISGUISED;
            }
            continue;
        }
        run = 0;
        chars[w] = c;
        w += 1;
    }
    chars.truncate(w);
}

fn continues_run(kept: &NormChar, c: &NormChar) -> bool {
    let same_letter = c.ch.is_ascii_alphabetic() && c.ch == kept.ch;
    let same_word =
        !c.has(NormChar::GAP_BEFORE) || (kept.has(NormChar::SPACED) && c.has(NormChar::SPACED));
    same_letter && same_word
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::separators;

    fn collapsed(s: &str) -> (String, Vec<(u32, u32)>) {
        let mut chars: Vec<NormChar> = s
            .char_indices()
            .map(|(i, c)| NormChar::new(c, i, i + 1))
            .collect();
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
    fn words_across_a_space_stay_apart() {
        assert_eq!(collapsed("all lots").0, "allots");
        assert_eq!(collapsed("1100").0, "1100");
    }
}
