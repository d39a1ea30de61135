//! Step 2: traditional → simplified Chinese, and variant glyphs → their common form.
//!
//! Uses fast2s's table (character for character, with a little context for ambiguous ones), so the
//! character count and the offset map stay unchanged: `比特幣` → `比特币`, `收購` → `收购`.
//! Spammers also swap in rare variant characters that look like the common one (`岀` for `出`,
//! `徦` for `假`, `黒` for `黑`); [`variant_of`] maps those, like look-alike letters for Latin.
//! (Homophones — `薇` for `微` — are not look-alikes; they live in the lexicons as aliases.)

use super::NormChar;

/// Convert traditional characters in place. `scratch` is a reusable buffer.
pub fn to_simplified(chars: &mut [NormChar], scratch: &mut String) {
    if !chars.iter().any(|c| is_cjk(c.ch)) {
        return;
    }
    for c in chars.iter_mut() {
        if let Some(v) = variant_of(c.ch) {
            c.ch = v;
            c.flags |= NormChar::DISGUISED;
        }
    }
    if !chars.iter().any(|c| CONTEXT_CHARS.contains(&c.ch)) {
        // every character converts the same whatever its neighbours: one table lookup each
        let table = t2s_table();
        for c in chars.iter_mut() {
            if let Some(&s) = (c.ch as usize)
                .checked_sub(T2S_FIRST)
                .and_then(|i| table.get(i))
            {
                c.ch = s;
            }
        }
        return;
    }
    scratch.clear();
    scratch.extend(chars.iter().map(|c| c.ch));
    let simplified = fast2s::convert(scratch);
    // fast2s maps char to char; if that ever stopped holding we keep the originals.
    if simplified.chars().count() != chars.len() {
        return;
    }
    for (c, s) in chars.iter_mut().zip(simplified.chars()) {
        c.ch = s;
    }
}

/// What [`to_simplified`] turns `c` into in a post without any of the context characters
/// (variant glyph first, then fast2s's table); `None` for a context character itself, whose
/// conversion depends on its neighbours.
pub(crate) fn simplify_alone(c: char) -> Option<char> {
    if CONTEXT_CHARS.contains(&c) {
        return None;
    }
    let v = variant_of(c).unwrap_or(c);
    let table = t2s_table();
    Some(
        (v as usize)
            .checked_sub(T2S_FIRST)
            .and_then(|i| table.get(i))
            .copied()
            .unwrap_or(v),
    )
}

/// Characters fast2s converts differently depending on the characters around them (its
/// exclusion and special-case lists); a post with one of them goes through `fast2s::convert`.
const CONTEXT_CHARS: [char; 15] = [
    '兒', '覆', '夥', '藉', '瞭', '麽', '幺', '於', '乾', '著', '苧', '闔', '鍾', '讎', '畫',
];

/// fast2s only converts characters of 3 UTF-8 bytes: U+0800..=U+FFFF.
const T2S_FIRST: usize = 0x800;

/// fast2s's conversion of every 3-byte character outside any context, built on first use (a few
/// ms, 250 KB). For characters not in [`CONTEXT_CHARS`] it is exactly what `fast2s::convert` does.
fn t2s_table() -> &'static [char] {
    static TABLE: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut one = String::new();
        (T2S_FIRST as u32..=0xFFFF)
            .map(|u| match char::from_u32(u) {
                Some(c) => {
                    one.clear();
                    one.push(c);
                    fast2s::convert(&one).chars().next().unwrap_or(c)
                }
                None => '\u{FFFD}', // surrogates are never chars
            })
            .collect()
    })
}

/// The common character a rare look-alike variant stands for (异体字 used to dodge filters).
pub fn variant_of(c: char) -> Option<char> {
    Some(match c {
        '岀' => '出',
        '徦' | '叚' => '假',
        '汸' | '彷' => '仿',
        '黒' => '黑',
        '朂' => '最',
        '噺' => '新',
        '朮' => '术',
        '荍' => '收',
        '収' => '收',
        '亊' => '事',
        '僞' => '伪',
        '媺' => '美',
        '囙' => '回',
        '廻' => '回',
        '冋' => '回',
        '夲' => '本',
        _ => return None,
    })
}

/// CJK ideographs (unified, extension A, compatibility).
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn simplify(s: &str) -> String {
        let mut chars: Vec<NormChar> = NormChar::plain(s);
        to_simplified(&mut chars, &mut String::new());
        chars.iter().map(|c| c.ch).collect()
    }

    #[test]
    fn traditional_becomes_simplified_char_for_char() {
        assert_eq!(simplify("收購泰達幣，微信聯繫"), "收购泰达币，微信联系");
        assert_eq!(simplify("plain ascii"), "plain ascii");
        assert_eq!(simplify("大量岀徦Ｕ 黒u"), "大量出假Ｕ 黑u");
    }

    #[test]
    fn table_path_matches_fast2s_on_every_3_byte_character() {
        let all: Vec<char> = (0x800u32..=0xFFFF)
            .filter_map(char::from_u32)
            .filter(|c| !CONTEXT_CHARS.contains(c) && variant_of(*c).is_none())
            .collect();
        for block in all.chunks(500) {
            let text: String = std::iter::once('中').chain(block.iter().copied()).collect();
            assert_eq!(simplify(&text), fast2s::convert(&text));
        }
        assert_eq!(simplify("企畫 計畫 畫圖"), "企划 计划 画图");
    }

    #[test]
    fn cjk_detection() {
        assert!(is_cjk('币') && is_cjk('幣') && !is_cjk('u') && !is_cjk('，'));
    }
}
