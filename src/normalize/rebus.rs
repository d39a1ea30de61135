//! Step 2b: emoji rebus → the Chinese character they stand for, next to Chinese text.
//!
//! Chinese slang hides a character behind an emoji that reads as it: `💯倍币` is 百倍币 (a
//! hundredfold coin), `上🚗` is 上车 (get on board), `赚💰` is 赚钱, `🐂市` is 牛市. An emoji is
//! read as its character only when a Chinese character stands next to it (spaces allowed), so
//! `great job 💯` keeps its emoji. The character count and the offset map stay unchanged: the
//! rewritten character keeps the emoji's source span, and it is flagged
//! [`NormChar::DISGUISED`].

use super::NormChar;
use super::chinese::is_cjk;

/// The character an emoji stands for in a rebus, if it is one of the few read that way.
pub fn reading(c: char) -> Option<char> {
    Some(match c {
        '💯' => '百',
        '🚗' | '🚙' => '车',
        '💰' => '钱',
        '🐂' => '牛',
        '🍚' => '米',
        _ => return None,
    })
}

/// Rewrite rebus emoji that touch a Chinese character (across spaces) in place.
pub fn to_chinese(chars: &mut [NormChar]) {
    if !chars.iter().any(|c| reading(c.ch).is_some()) {
        return;
    }
    for i in 0..chars.len() {
        let Some(r) = reading(chars[i].ch) else {
            continue;
        };
        let before = chars[..i].iter().rev().find(|c| c.ch != ' ');
        let after = chars[i + 1..].iter().find(|c| c.ch != ' ');
        let touches = |c: Option<&NormChar>| c.is_some_and(|c| is_cjk(c.ch));
        if touches(before) || touches(after) {
            chars[i].ch = r;
            chars[i].flags |= NormChar::DISGUISED;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rebus(text: &str) -> String {
        let mut chars = NormChar::plain(text);
        to_chinese(&mut chars);
        chars.iter().map(|c| c.ch).collect()
    }

    #[test]
    fn emoji_next_to_chinese_read_as_characters() {
        assert_eq!(rebus("💯倍币"), "百倍币");
        assert_eq!(rebus("上🚗 要快"), "上车 要快");
        assert_eq!(rebus("洗 🍚"), "洗 米");
    }

    #[test]
    fn emoji_among_latin_text_stay() {
        assert_eq!(rebus("great job 💯"), "great job 💯");
        assert_eq!(rebus("🚗 ride home"), "🚗 ride home");
    }
}
