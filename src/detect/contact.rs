//! Contact detectors: messenger IDs after channel words, `@handles`, Telegram/WhatsApp links,
//! phone numbers and emails — all on the folded (lowercase, half-width) text.

use regex::Regex;

use super::{
    Census, Detection, Detector, Sink, char_at, decimal_follows, is_word, next_is, prev_is,
};

/// Most filler chars skipped between a channel word and its ID ("微信号码 : ").
const MAX_FILLER_CHARS: usize = 8;

/// Multi-char filler words between a channel word and its ID, and whether each marks what
/// follows as an ID even without digits ("微信号码 laozhang" vs "telegram group").
const FILLER_WORDS: &[(&str, bool)] = &[
    ("号码", true),
    ("同号", true),
    ("账号", true),
    ("帐号", true),
    ("id", true),
    ("一下", false),
    ("联系", false),
    ("搜索", false),
];

/// Single-char filler and its strength: a colon, `=` or 号 makes the next token an ID even
/// without digits ("telegram: cryptoking"); other punctuation is just skipped.
fn filler_char(c: char) -> Option<bool> {
    match c {
        ':' | '：' | '=' | '号' => Some(true),
        '是' | '为' | '加' | '@' | '+' | '-' | '>' | '~' | '/' | '(' | ')' | '[' | ']' | '【'
        | '】' | '（' | '）' | '"' | '\'' => Some(false),
        c if c.is_whitespace() => Some(false),
        _ => None,
    }
}

/// Longest letter-led ID (`[a-z][a-z0-9_-]{4,31}`).
const MAX_LETTER_ID: usize = 32;
/// Longest digit ID, in digits, and most digit groups ("242 00 654" has three).
const MAX_ID_DIGITS: usize = 12;
/// Most digit groups in a digit ID.
const MAX_ID_GROUPS: usize = 6;
/// `@handle`; the char before `@` is checked separately so emails do not count.
const AT_HANDLE: &str = r"@[a-z](?:[a-z0-9_]|\.[a-z0-9_]){3,31}";
/// Telegram / WhatsApp links, with or without scheme.
const LINK: &str = r"(?:https?://)?(?:www\.)?(?:t\.me|telegram\.me|telegram\.dog|wa\.me|chat\.whatsapp\.com)/(?:joinchat/|\+)?[a-z0-9_\-]{2,64}";
/// Chinese mobile numbers, optionally grouped 3-4-4.
const CN_MOBILE: &str = r"1[3-9][0-9][ \-]?[0-9]{4}[ \-]?[0-9]{4}";
/// `+` country code, an optional `(area)` code, and the number, with optional single separators.
const INTL_PHONE: &str = r"\+[0-9]{1,3}[ \-]?(?:\([0-9]{1,4}\)[ \-]?)?(?:[ \-]?[0-9]){5,14}";
/// Fewest digits an [`INTL_PHONE`] match holds.
const MIN_INTL_PHONE_DIGITS: usize = 6;
/// Digits in a [`CN_MOBILE`] match.
const CN_MOBILE_DIGITS: usize = 11;
/// Ordinary email addresses (folded text is lowercase).
const EMAIL: &str =
    r"[a-z0-9._%+\-]{1,64}@[a-z0-9\-]{1,63}(?:\.[a-z0-9\-]{1,63}){0,4}\.[a-z]{2,24}";

/// Compiled contact patterns.
#[derive(Debug, Clone)]
pub(crate) struct ContactDetector {
    at_handle: Regex,
    link: Regex,
    cn_mobile: Regex,
    intl_phone: Regex,
    email: Regex,
}

/// Compiles one constant pattern; patterns are covered by tests, so failure is a build bug.
///
/// Every `\b` becomes an ASCII word boundary: the detectors' notion of a word is ASCII letters,
/// digits and `_` (as [`is_word`](super::is_word), which their glue checks use), so a domain or
/// ID glued to Chinese text (`官网zrqswap.io`) starts at a boundary. It is also
/// what keeps the regexes fast: a Unicode `\b` sends the lazy DFA back to a slower engine on
/// any text that is not ASCII (an emoji is enough), as many flagged posts are.
pub(crate) fn compile(pattern: &str) -> Regex {
    let pattern = &ascii_word_boundaries(pattern);
    match Regex::new(pattern) {
        Ok(re) => re,
        Err(e) => panic!("detector pattern {pattern:?} does not compile: {e}"),
    }
}

/// `pattern` with every `\b` made an ASCII word boundary (`(?-u:\b)`); other escapes, `\\b`
/// included, are kept as written.
pub(crate) fn ascii_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str("(?-u:\\b)"),
            Some(next) => {
                out.push(c);
                out.push(next);
            }
            None => out.push(c),
        }
    }
    out
}

impl ContactDetector {
    /// Compiles the contact patterns.
    pub(crate) fn new() -> ContactDetector {
        ContactDetector {
            at_handle: compile(AT_HANDLE),
            link: compile(LINK),
            cn_mobile: compile(CN_MOBILE),
            intl_phone: compile(INTL_PHONE),
            email: compile(EMAIL),
        }
    }

    /// Runs every contact detector on `text`, appending to `out`.
    ///
    /// `census` is [`Census::of`] `text`: each pattern's search runs only if the text holds
    /// what every match of it holds (an `@`, a `/`, a `+`, enough digits).
    pub(crate) fn detect(
        &self,
        text: &str,
        census: &Census,
        channel_ends: &[usize],
        out: &mut Vec<Detection>,
    ) {
        self.channel_ids(
            text,
            channel_ends,
            &mut Sink::new(out, Detector::ContactHandle),
        );
        if census.has(b'@') {
            self.at_handles(text, &mut Sink::new(out, Detector::ContactHandle));
        }
        if census.has(b'/') {
            self.links(text, &mut Sink::new(out, Detector::ContactHandle));
        }
        self.phones(text, census, &mut Sink::new(out, Detector::Phone));
        if census.has(b'@') {
            self.emails(text, &mut Sink::new(out, Detector::Email));
        }
    }

    /// IDs following a channel word; bad offsets are skipped.
    fn channel_ids(&self, text: &str, channel_ends: &[usize], sink: &mut Sink) {
        let mut ends: Vec<usize> = channel_ends
            .iter()
            .copied()
            .filter(|&e| text.is_char_boundary(e))
            .collect();
        ends.sort_unstable();
        ends.dedup();
        for end in ends {
            if sink.full() {
                break;
            }
            let (at, strong) = skip_filler(text, end);
            if let Some(id_end) = self.id_at(text, at, strong) {
                sink.push(at, id_end);
            }
        }
    }

    /// The end of a valid ID starting at `at`, if there is one.
    ///
    /// Hand-written bounded scans rather than a regex: this runs once per channel word, and a
    /// hostile post can contain millions of those.
    fn id_at(&self, text: &str, at: usize, strong: bool) -> Option<usize> {
        let first = *text.as_bytes().get(at)?;
        if first.is_ascii_digit() {
            digit_id_end(text, at)
        } else {
            letter_id_end(text, at, strong)
        }
    }

    /// `@handle` not preceded by an email local part and not followed by a domain.
    fn at_handles(&self, text: &str, sink: &mut Sink) {
        for m in self.at_handle.find_iter(text) {
            if sink.full() {
                break;
            }
            let in_email = prev_is(text, m.start(), is_email_local);
            let glued = next_is(text, m.end(), is_word) || dotted_word_follows(text, m.end());
            if !in_email && !glued {
                sink.push(m.start(), m.end());
            }
        }
    }

    /// t.me / telegram.me / wa.me links, not glued to a longer host name ("bot.me").
    fn links(&self, text: &str, sink: &mut Sink) {
        for m in self.link.find_iter(text) {
            if sink.full() {
                break;
            }
            let glued = prev_is(text, m.start(), |c| is_word(c) || c == '.' || c == '-');
            if !glued {
                sink.push(m.start(), m.end());
            }
        }
    }

    /// Chinese mobile and international phone numbers.
    fn phones(&self, text: &str, census: &Census, sink: &mut Sink) {
        let intl = census.has(b'+') && census.digits() >= MIN_INTL_PHONE_DIGITS;
        let cn = census.digits() >= CN_MOBILE_DIGITS;
        let searched = [(intl, &self.intl_phone), (cn, &self.cn_mobile)];
        for re in searched
            .into_iter()
            .filter_map(|(live, re)| live.then_some(re))
        {
            for m in re.find_iter(text) {
                if sink.full() {
                    break;
                }
                if phone_bounded(text, m.start(), m.end()) {
                    sink.push(m.start(), m.end());
                }
            }
        }
    }

    /// Email addresses whose top-level domain is not glued to more word chars.
    fn emails(&self, text: &str, sink: &mut Sink) {
        for m in self.email.find_iter(text) {
            if sink.full() {
                break;
            }
            if !next_is(text, m.end(), |c| is_word(c) || c == '-') {
                sink.push(m.start(), m.end());
            }
        }
    }
}

/// Skips filler after a channel word; returns where the ID would start and whether a strong
/// separator (colon, 号, =, id) was seen.
fn skip_filler(text: &str, mut pos: usize) -> (usize, bool) {
    let mut budget = MAX_FILLER_CHARS;
    let mut strong = false;
    while budget > 0 {
        let Some(rest) = text.get(pos..) else { break };
        let Some((len, chars, is_strong)) = filler_at(rest) else {
            break;
        };
        pos += len;
        budget = budget.saturating_sub(chars);
        strong |= is_strong;
    }
    (pos, strong)
}

/// The filler at the start of `rest`: (byte length, char count, strong).
fn filler_at(rest: &str) -> Option<(usize, usize, bool)> {
    let first = rest.chars().next()?;
    if matches!(first, '号' | '同' | '账' | '帐' | 'i' | '一' | '联' | '搜') {
        let word = FILLER_WORDS.iter().find_map(|&(word, strong)| {
            let after = rest.strip_prefix(word)?;
            // "id" is filler only as a word of its own ("tg id: x", not "tg idol123").
            let glued = word == "id" && after.starts_with(|c: char| c.is_ascii_alphanumeric());
            (!glued).then(|| (word.len(), word.chars().count(), strong))
        });
        if word.is_some() {
            return word;
        }
    }
    filler_char(first).map(|strong| (first.len_utf8(), 1, strong))
}

/// The end of a letter-led ID `[a-z][a-z0-9_-]{4,31}` at `at` (trailing `-` trimmed). It must
/// not run on into more word chars, a domain or an email, and it must contain a digit or `_`
/// unless a strong separator introduced it.
fn letter_id_end(text: &str, at: usize, strong: bool) -> Option<usize> {
    let bytes = text.as_bytes().get(at..)?;
    if !bytes.first()?.is_ascii_lowercase() {
        return None;
    }
    let is_id_byte =
        |b: &&u8| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'-');
    let len = bytes
        .iter()
        .take(MAX_LETTER_ID)
        .take_while(is_id_byte)
        .count();
    let end = at + len;
    let glued = next_is(text, end, |c| is_word(c) || c == '@') || dotted_word_follows(text, end);
    let id = text.get(at..end)?.trim_end_matches('-');
    let id_like = strong || id.contains(|c: char| c.is_ascii_digit() || c == '_');
    (id.len() >= 5 && !glued && id_like).then_some(at + id.len())
}

/// The end of a digit ID at `at`: up to [`MAX_ID_GROUPS`] groups of digits joined by single
/// spaces or hyphens, 5–12 digits in all. The longest prefix of whole groups that ends cleanly
/// (not followed by a word char, `%` or a decimal part) wins, so "qq 12345 6.95" gives "12345".
fn digit_id_end(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes().get(at..)?;
    let (mut i, mut digits, mut best) = (0, 0, None);
    for group in 0..MAX_ID_GROUPS {
        if group > 0 {
            let sep = bytes.get(i).is_some_and(|b| matches!(b, b' ' | b'-'));
            if !sep || !bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
                break;
            }
            i += 1;
        }
        let run = bytes[i..]
            .iter()
            .take(MAX_ID_DIGITS + 1)
            .take_while(|b| b.is_ascii_digit())
            .count();
        digits += run;
        i += run;
        if run > MAX_ID_DIGITS || digits > MAX_ID_DIGITS {
            break;
        }
        let clean =
            !next_is(text, at + i, |c| is_word(c) || c == '%') && !decimal_follows(text, at + i);
        if digits >= 5 && clean {
            best = Some(at + i);
        }
    }
    best
}

/// True if `[at..]` is `.` followed by a word char: the token continues as a domain or file name.
fn dotted_word_follows(text: &str, at: usize) -> bool {
    text.as_bytes()
        .get(at..at + 2)
        .is_some_and(|b| b[0] == b'.' && (b[1].is_ascii_alphanumeric() || b[1] == b'_'))
}

/// Chars that may appear in an email local part.
fn is_email_local(c: char) -> bool {
    is_word(c) || matches!(c, '.' | '%' | '+' | '-')
}

/// A phone candidate must not be part of a longer digit run or decimal, must not be a quantity
/// ("+1000000 usdt", "+10000000%"), and must not sit inside a word ("abc13812345678def").
fn phone_bounded(text: &str, start: usize, end: usize) -> bool {
    let prev_digit = prev_is(text, start, |c| c.is_ascii_digit() || c == '.' || c == '_');
    let next_digit =
        next_is(text, end, |c| c.is_ascii_digit() || c == '_') || decimal_follows(text, end);
    let in_word = prev_is(text, start, |c| c.is_ascii_alphabetic())
        && next_is(text, end, |c| c.is_ascii_alphabetic());
    !prev_digit && !next_digit && !in_word && !quantity_follows(text, end)
}

/// True if a unit or magnitude follows `at` (after at most one space): the number is a
/// quantity or a percentage, not a phone number.
fn quantity_follows(text: &str, at: usize) -> bool {
    let at = if char_at(text, at) == Some(' ') {
        at + 1
    } else {
        at
    };
    let Some(rest) = text.get(at..) else {
        return false;
    };
    let Some(first) = rest.chars().next() else {
        return false;
    };
    if matches!(
        first,
        '%' | '倍' | '万' | '千' | '亿' | '刀' | '元' | '块' | '个'
    ) {
        return true;
    }
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .take(6)
        .collect();
    matches!(
        word.as_str(),
        "u" | "usdt" | "btc" | "eth" | "trx" | "bnb" | "x" | "k" | "w" | "m"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, channels: &[&str]) -> Vec<(Detector, String)> {
        let mut ends = Vec::new();
        for ch in channels {
            ends.extend(text.match_indices(ch).map(|(i, s)| i + s.len()));
        }
        let mut out = Vec::new();
        ContactDetector::new().detect(text, &Census::of(text), &ends, &mut out);
        out.sort_by_key(|d| (d.start, d.end));
        out.iter()
            .map(|d| (d.detector, text[d.start..d.end].to_string()))
            .collect()
    }

    fn handles(text: &str, channels: &[&str]) -> Vec<String> {
        run(text, channels)
            .into_iter()
            .filter(|(d, _)| *d == Detector::ContactHandle)
            .map(|(_, s)| s)
            .collect()
    }

    fn of(text: &str, det: Detector) -> Vec<String> {
        run(text, &[])
            .into_iter()
            .filter(|(d, _)| *d == det)
            .map(|(_, s)| s)
            .collect()
    }

    #[test]
    fn patterns_compile() {
        for p in [AT_HANDLE, LINK, CN_MOBILE, INTL_PHONE, EMAIL] {
            assert!(Regex::new(p).is_ok(), "{p}");
        }
    }

    #[test]
    fn word_boundaries_become_ascii() {
        assert_eq!(ascii_word_boundaries(r"\bab\b"), r"(?-u:\b)ab(?-u:\b)");
        assert_eq!(ascii_word_boundaries(r"a\\b\d\B"), r"a\\b\d\B");
        assert_eq!(ascii_word_boundaries("x\\"), "x\\");
        // a Chinese character is no ASCII word character: the boundary holds after it
        let re = compile(r"\bzrq\b");
        assert!(re.is_match("官网zrq上线"));
        assert!(!re.is_match("zrqx"));
    }

    #[test]
    fn ids_after_channel_words() {
        assert_eq!(handles("加微信 laozhang88 详谈", &["微信"]), ["laozhang88"]);
        assert_eq!(handles("vx:tiger_king", &["vx"]), ["tiger_king"]);
        assert_eq!(handles("扣扣：524600118人很好", &["扣扣"]), ["524600118"]);
        assert_eq!(handles("qq号 = 88776655", &["qq"]), ["88776655"]);
        assert_eq!(handles("微信号码: wxid-abc12-", &["微信"]), ["wxid-abc12"]);
        assert_eq!(
            handles("联系飞机一下 @dealer_77", &["飞机"]),
            ["@dealer_77", "dealer_77"]
        );
        assert_eq!(handles("tg id: moonboy", &["tg"]), ["moonboy"]);
        assert_eq!(
            handles("telegram: cryptoking", &["telegram"]),
            ["cryptoking"]
        );
        assert_eq!(handles("薇 242 00 654 速来", &["薇"]), ["242 00 654"]);
        assert_eq!(handles("qq 12345 6.95", &["qq"]), ["12345"]);
        assert_eq!(handles("v信13812345678", &["v信"]), ["13812345678"]);
        assert_eq!(handles("微信同号 13912345678", &["微信"]), ["13912345678"]);
    }

    #[test]
    fn non_ids_after_channel_words() {
        assert!(handles("join our telegram group today", &["telegram"]).is_empty());
        assert!(handles("we accept wechat pay and alipay", &["wechat"]).is_empty());
        assert!(
            handles("tg idol2024", &["tg"]).len() == 1,
            "idol2024 is an id, not 'id'+'ol2024'"
        );
        assert_eq!(handles("tg idol2024", &["tg"]), ["idol2024"]);
        assert!(handles("qq 1234", &["qq"]).is_empty(), "too short");
        assert!(
            handles("qq 1234567890123456", &["qq"]).is_empty(),
            "too long"
        );
        assert!(handles("qq 12345.67", &["qq"]).is_empty(), "decimal");
        assert!(handles("qq 12345u", &["qq"]).is_empty(), "quantity");
        assert!(
            handles("微信            abc12345", &["微信"]).is_empty(),
            "too far"
        );
        assert!(handles("wx: ab", &["wx"]).is_empty());
        assert!(
            handles("vx a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7", &["vx"]).is_empty(),
            "too long"
        );
        assert!(
            handles("wx: laozhang@qq.com", &["wx"]).is_empty(),
            "that is an email"
        );
    }

    #[test]
    fn at_handles_and_links() {
        assert_eq!(handles("dm @pump_king now", &[]), ["@pump_king"]);
        assert!(handles("mail me at boss@gmail.com", &[]).is_empty());
        assert!(handles("@abc is short", &[]).is_empty());
        assert_eq!(
            handles("join https://t.me/pumpgroup99 now", &[]),
            ["https://t.me/pumpgroup99"]
        );
        assert_eq!(handles("t.me/+abcdef123 进群", &[]), ["t.me/+abcdef123"]);
        assert_eq!(
            handles("t.me/joinchat/aaabbbccc", &[]),
            ["t.me/joinchat/aaabbbccc"]
        );
        assert_eq!(handles("wa.me/8613812345678", &[]), ["wa.me/8613812345678"]);
        assert_eq!(
            handles("telegram.me/otc_desk", &[]),
            ["telegram.me/otc_desk"]
        );
        assert!(handles("visit robot.me/page or chat.me", &[]).is_empty());
        assert_eq!(handles("dm @ivy.swapdesk today", &[]), ["@ivy.swapdesk"]);
        assert_eq!(
            handles("ask @ivy_desk.", &[]),
            ["@ivy_desk"],
            "a full stop ends it"
        );
    }

    #[test]
    fn phones() {
        assert_eq!(of("电话13812345678", Detector::Phone), ["13812345678"]);
        assert_eq!(
            of("call 138 1234 5678.", Detector::Phone),
            ["138 1234 5678"]
        );
        assert_eq!(of("call 138-1234-5678", Detector::Phone), ["138-1234-5678"]);
        assert_eq!(
            of("whatsapp +44 7911123456", Detector::Phone),
            ["+44 7911123456"]
        );
        assert_eq!(of("+8613812345678", Detector::Phone), ["+8613812345678"]);
        assert_eq!(
            of("call +1 (202) 555-0147 now", Detector::Phone),
            ["+1 (202) 555-0147"]
        );
        assert!(
            of("订单号 213812345678901", Detector::Phone).is_empty(),
            "inside a digit run"
        );
        assert!(
            of("abc13812345678def", Detector::Phone).is_empty(),
            "inside a word"
        );
        assert!(of("price 13812345678.50", Detector::Phone).is_empty());
        assert!(of("profit +1000000 usdt", Detector::Phone).is_empty());
        assert!(of("gain +12345678%", Detector::Phone).is_empty());
        assert!(
            of("12812345678", Detector::Phone).is_empty(),
            "not a mobile prefix"
        );
    }

    #[test]
    fn emails() {
        assert_eq!(
            of("联系 boss.li+otc@163.com 谢谢", Detector::Email),
            ["boss.li+otc@163.com"]
        );
        assert_eq!(
            of("a_b@mail.example.co.uk", Detector::Email),
            ["a_b@mail.example.co.uk"]
        );
        assert!(of("not@an email", Detector::Email).is_empty());
        assert!(of("@handle.only", Detector::Email).is_empty());
    }

    #[test]
    fn multibyte_neighbours_do_not_panic() {
        let text = "微信：中文号码 qq：一二三 @中文 t.me/中文 +中文 飞机";
        for i in 0..=text.len() + 1 {
            let mut out = Vec::new();
            ContactDetector::new().detect(text, &Census::of(text), &[i], &mut out);
            assert!(out.is_empty(), "{i}: {out:?}");
        }
    }
}
