//! Number-shaped signals on the folded text: exchange rates, crypto amounts, gain multipliers,
//! percent gains and pump countdowns.
//!
//! Every pattern is bounded (or matches a maximal digit run once), and every context check looks
//! at a window of a few chars around the match, so a scan is linear in the text.

use regex::Regex;

use super::census::Pretest;
use super::contact::compile;
use super::{
    Census, Detection, Detector, Sink, back_chars, char_at, char_before, decimal_follows,
    forward_chars, is_word, next_is, prev_is,
};

/// Maximal decimal tokens: digits with at least one `.digits` part (versions, dates, IPs
/// included, so they can be rejected as a whole). Leftmost-first plus greedy makes the match
/// cover the whole run; plain integers never match, so digit floods cost no per-match work.
const DECIMAL: &str = r"[0-9]+(?:\.[0-9]+)+";
/// Words after which any number is a rate; `@` only counts right before a number (`@ 6.95`).
const RATE_WORD: &str = r"汇率|价格|单价|报价|rate|price|@ {0,3}[0-9]";
/// Words just before a decimal that make it a version, score or size rather than a rate.
const NOT_RATE_BEFORE: &str = r"(?:(?-u:\b)v|version|ver|release|edition|版本|版|发布|ios|android|update|更新|升级|评分|score|rating|分数|python|java) ?$";
/// Literals one of which every [`RATE_WORD`] match contains.
pub(super) const RATE_WORD_LITERALS: [&str; 7] =
    ["汇率", "价格", "单价", "报价", "rate", "price", "@"];
/// Characters one of which every [`MULTIPLIER`] match contains.
pub(super) const MULTIPLIER_MARKS: [&str; 4] = ["x", "×", "✖", "倍"];
/// Number, optional magnitude, crypto unit (longest units first so `usdt` wins over `u`).
const AMOUNT: &str = r"[0-9]{1,12}(?:\.[0-9]{1,8})? {0,2}(?:百万|w|万|k|千|m|亿)? {0,2}(?:usdt|tether|bitcoin|btc|ethereum|eth|trx|tron|bnb|个u|u|刀)";
/// `100x`, `50 x`, `100×`, `100✖`, `1000倍`, `x100`, `百倍`.
/// `1OOx` (capital O for zero) is read as `100x`: a digit then only o's before the x.
const MULTIPLIER: &str = r"[0-9]{1,7}(?:\.[0-9]{1,2})? ?(?:x+|倍|×|✖)|x[0-9]{1,7}|[十百千万]倍|(?-u:\b)[1-9]o{1,4}x(?-u:\b)";
/// A percentage with an optional plus sign (spaces tolerated: `+ 35 %`), or with its sign first
/// as Turkish and some other languages write it (`% 35`, `%35`).
const PERCENT: &str = r"(?:\+ ?)?[0-9]{1,7}(?:\.[0-9]{1,6})? ?%|% ?[0-9]{1,7}(?:\.[0-9]{1,6})?";
/// Words near a percentage that make it a gain.
const GAIN_WORD: &str = r"目标|涨|翻|收益|盈利|利润|回报|赚|返利|年化|(?-u:\b)(?:gains?|gained|profits?|roi|pump(?:ed|ing)?|up|moon(?:ed|ing)?|returns?|yield|apy|apr|pnl|increase|rise)(?-u:\b)";
/// "send N … get M": a send verb, a sum, an optional unit and joiner, a get verb, a sum (digits
/// for leetspeak vowels: `s3nd`, `g3t`). [`NumberDetector::doublings`] compares the two sums.
const DOUBLING: &str = concat!(
    r"(?-u:\b)(?:s[e3]nd|s[e3]nding|deposit|transfer)(?-u:\b) {0,2}(?:only |just )?\$? ?",
    r"([0-9]{1,9}(?:\.[0-9]{1,8})?)",
    r"(?: {0,2}[a-z₮]{1,5}(?-u:\b))?[ ,;:.!→➡>=&/\-]{0,6}(?:and |to |then )?(?:you )?(?:will |'ll )?",
    r"(?:g[e3]t|r[e3]c[e3]iv[e3]|recieve)(?-u:\b) {0,2}(?:back )?\$? ?",
    r"([0-9]{1,9}(?:\.[0-9]{1,8})?)",
);
/// "selling 3k at 1.01": a trade verb, then within a few words a price near the dollar peg,
/// the way a stablecoin desk quotes (a news line's "USDC traded at 0.97" names no trader).
const PEG_RATE: &str = r"(?-u:\b)(?:sell|selling|buy|buying|sells|buys)(?-u:\b)[^.\n]{0,24}?(?-u:\b)at ([01]\.[0-9]{2,3})";
/// Quotes around the dollar peg that a USDT desk asks (`at 0.98` buying, `at 1.03` selling).
const PEG_RANGE: std::ops::RangeInclusive<f64> = 0.9..=1.1;
/// The verbs one of which every [`DOUBLING`] match starts with (`sending` contains `send`).
pub(super) const DOUBLING_VERBS: [&str; 4] = ["send", "s3nd", "deposit", "transfer"];

/// Smallest ratio of the second sum to the first that reads as "get more back".
const DOUBLING_RATIO: f64 = 1.5;

/// Pump countdowns and announced times.
const COUNTDOWN: &str = concat!(
    r"(?-u:\b)[0-9]{1,3}(?:\.[0-9])? ?(?:minutes?|mins?|hours?|hrs?|h|m|seconds?|secs?|days?) (?:left|remaining|to go|until|till|before|away)(?-u:\b)",
    r"|(?-u:\b)(?:less than|under) [0-9]{1,3} ?(?:minutes?|mins?|hours?|hrs?)(?-u:\b)",
    r"|(?-u:\b)(?:one|two|three|four|five|six|seven|eight|nine|ten|an?|few) (?:minutes?|mins?|hours?|hrs?|days?) (?:left|remaining|to go|until)(?-u:\b)",
    r"|(?-u:\b)[0-9]{1,3} more (?:minutes?|mins?|hours?|hrs?)(?-u:\b)",
    r"|(?-u:\b)(?:last|final) [0-9]{1,2} ?(?:minutes?|mins?)(?-u:\b)",
    r"|[⏰⏳⌛⏱⏲🕐-🕧] ?[0-9]{1,3} ?(?:minutes?|mins?|hours?|hrs?|seconds?|secs?)(?-u:\b)",
    r"|(?-u:\b)in (?:less th[ae]n |under |about |~ ?)?[0-9]{1,3}(?:\.[0-9])? ?(?:minutes?|mins?|hours?|hrs?|seconds?|secs?)(?-u:\b)",
    r"|(?-u:\b)count ?-? ?down(?-u:\b)",
    r"|(?-u:\b)[0-9]{1,2}:[0-5][0-9] ?(?:am |pm )?(?:gmt|utc|est|edt|pst|pdt|cet|cest|bst|sgt|hkt|jst|kst)(?-u:\b)",
    r"|(?-u:\b)(?:[01][0-9]|2[0-3])[0-5][0-9] ?(?:gmt|utc)(?-u:\b)",
    r"|(?-u:\b)(?:[01]?[0-9]|2[0-3]) ?(?:gmt|utc)(?-u:\b)",
    r"|(?-u:\b)[0-9]{1,2}(?::[0-5][0-9])? ?(?:am|pm) ?(?:gmt|utc|est|edt|pst|pdt|cet|cest|bst|sgt|hkt|jst|kst)(?-u:\b)",
    r"|\A[^0-9a-z\n]{0,12}[0-9]{1,3} ?(?:minutes?|mins?|hours?|hrs?)(?-u:\b)",
    r"|倒计时|(?-u:\b)countdown(?-u:\b)",
    r"|还有 ?[0-9]{1,3} ?(?:分钟|小时|秒)",
    r"|(?:最后|仅剩|只剩) ?[0-9]{1,3} ?(?:分钟|小时|秒|天)",
    r"|[0-9]{1,3} ?(?:分钟|小时|秒)(?:后|之后|以后)",
    r"|北京时间 ?[0-9]{1,2}(?::[0-5][0-9]|点)",
);

/// Literals one of which every [`COUNTDOWN`] match contains (a unit, a "left"-word, a time zone,
/// "count", or the Chinese words). `cest` contains `est`; `mins` contains `min`.
pub(super) const COUNTDOWN_CUES: [&str; 32] = [
    "left",
    "remaining",
    "to go",
    "until",
    "till",
    "before",
    "away",
    "min",
    "hour",
    "hr",
    "sec",
    "count",
    "gmt",
    "utc",
    "est",
    "edt",
    "pst",
    "pdt",
    "cet",
    "bst",
    "sgt",
    "hkt",
    "jst",
    "kst",
    "倒计时",
    "分钟",
    "小时",
    "秒",
    "最后",
    "仅剩",
    "只剩",
    "北京时间",
];

/// Chars that mark the side of an OTC offer when glued to a rate (`收7.05`, `6.9出`).
const SIDE_CHARS: [char; 4] = ['收', '出', '买', '卖'];
/// Chars right after a decimal that make it something other than a rate (units, dates, times,
/// discounts, versions).
const NOT_RATE_AFTER: &[char] = &[
    '%', '万', '千', '亿', '倍', '版', '分', '寸', '斤', '米', '克', '度', '级', '星', '岁', '号',
    '日', '楼', '点', '折', '秒', '寸', '吨', '升', '码',
];
/// Longest numeric token read after a rate word.
const MAX_RATE_TOKEN: usize = 16;
/// Chars searched after a rate word for its number.
const RATE_WORD_REACH: usize = 4;
/// Chars on each side of a percentage searched for a gain word.
const GAIN_WINDOW: usize = 12;

/// Compiled number patterns.
#[derive(Debug, Clone)]
pub(crate) struct NumberDetector {
    decimal: Regex,
    rate_word: Regex,
    not_rate_before: Regex,
    amount: Regex,
    multiplier: Regex,
    percent: Regex,
    gain_word: Regex,
    countdown: Regex,
    doubling: Regex,
    peg_rate: Regex,
}

impl NumberDetector {
    /// Compiles the number patterns.
    pub(crate) fn new() -> NumberDetector {
        NumberDetector {
            decimal: compile(DECIMAL),
            rate_word: compile(RATE_WORD),
            not_rate_before: compile(NOT_RATE_BEFORE),
            amount: compile(AMOUNT),
            multiplier: compile(MULTIPLIER),
            percent: compile(PERCENT),
            gain_word: compile(GAIN_WORD),
            countdown: compile(COUNTDOWN),
            doubling: compile(DOUBLING),
            peg_rate: compile(PEG_RATE),
        }
    }

    /// Runs every number detector on `text`, appending to `out`.
    /// `census` is [`Census::of`] `text`.
    pub(crate) fn detect(&self, text: &str, census: &Census, out: &mut Vec<Detection>) {
        // Every pattern but the countdowns ("an hour left", 倒计时) and the Chinese multipliers
        // (百倍) needs an ASCII digit: a post without one skips their searches.
        // Each search also needs a character of its own (a decimal point, a rate word, `%`, an
        // x or 倍), found by one cheap pass rather than a regex search per pattern.
        let digits = census.digits() > 0;
        if digits {
            if census.has(b'.') {
                self.bare_rates(text, &mut Sink::new(out, Detector::Rate));
            }
            if census.holds(Pretest::RateWord) {
                self.worded_rates(text, &mut Sink::new(out, Detector::Rate));
            }
            if census.holds(Pretest::PegQuote) && census.holds(Pretest::TradeVerb) {
                self.peg_rates(text, &mut Sink::new(out, Detector::Rate));
            }
            self.amounts(text, &mut Sink::new(out, Detector::Amount));
        }
        if census.holds(Pretest::MultiplierMark) && (digits || census.holds(Pretest::TimesWord)) {
            self.multipliers(text, &mut Sink::new(out, Detector::Multiplier));
        }
        if digits && census.has(b'%') {
            self.percent_gains(text, &mut Sink::new(out, Detector::PercentGain));
        }
        // the countdown regex, the costliest number pattern, runs only on posts with a cue
        if census.holds(Pretest::CountdownCue) {
            self.countdowns(text, &mut Sink::new(out, Detector::Countdown));
        }
        // every doubling pattern starts with a verb ("sending" contains "send")
        if digits && census.holds(Pretest::DoublingVerb) {
            self.doublings(text, &mut Sink::new(out, Detector::Doubling));
        }
    }

    /// "send 0.2 get 0.4": the second sum at least [`DOUBLING_RATIO`] times the first. Equal
    /// sums ("send 5 get 5 back", a refund) and smaller ones are not a pitch.
    fn doublings(&self, text: &str, sink: &mut Sink) {
        for caps in self.doubling.captures_iter(text) {
            if sink.full() {
                break;
            }
            let (Some(whole), Some(sent), Some(got)) = (caps.get(0), caps.get(1), caps.get(2))
            else {
                continue;
            };
            let ratio = match (sent.as_str().parse::<f64>(), got.as_str().parse::<f64>()) {
                (Ok(s), Ok(g)) if s > 0.0 => g / s,
                _ => continue,
            };
            let glued = next_is(text, whole.end(), |c| c.is_ascii_digit());
            if ratio >= DOUBLING_RATIO && !glued {
                sink.push(whole.start(), whole.end());
            }
        }
    }

    /// Decimals in [5.5, 8.0] that stand alone, extended over a glued 收/出/买/卖.
    fn bare_rates(&self, text: &str, sink: &mut Sink) {
        for m in self.decimal.find_iter(text) {
            if sink.full() {
                break;
            }
            if is_rate_value(m.as_str()) && self.rate_context_ok(text, m.start(), m.end()) {
                let (start, end) = extend_side(text, m.start(), m.end());
                sink.push(start, end);
            }
        }
    }

    /// True if nothing around `[start, end)` says "version", "date", "unit" or "longer token".
    fn rate_context_ok(&self, text: &str, start: usize, end: usize) -> bool {
        let prev = char_before(text, start);
        let glued_word = prev.is_some_and(|c| c.is_ascii_alphabetic())
            && char_before(text, start - 1).is_some_and(|c| c.is_ascii_alphabetic());
        let bad_prev = matches!(prev, Some('.' | 'v' | '/' | '_' | '$' | '¥')) || glued_word;
        let next = char_at(text, end);
        let bad_next = next
            .is_some_and(|c| c.is_ascii_alphanumeric() || NOT_RATE_AFTER.contains(&c))
            || text.get(end..).is_some_and(|t| t.starts_with(" %"));
        let window = &text[back_chars(text, start, 10)..start];
        !bad_prev && !bad_next && !self.not_rate_before.is_match(window)
    }

    /// "selling 3k at 1.01": a price within [`PEG_RANGE`] after a trade verb and "at", the way
    /// USDT is quoted against the dollar. Not a clock time (`at 1.05pm`) nor a percentage.
    fn peg_rates(&self, text: &str, sink: &mut Sink) {
        // (every match quotes `at 0.xx` or `at 1.xx` after a trade verb: see the caller)
        for caps in self.peg_rate.captures_iter(text) {
            if sink.full() {
                break;
            }
            let Some(number) = caps.get(1) else { continue };
            let in_range = number
                .as_str()
                .parse::<f64>()
                .is_ok_and(|v| PEG_RANGE.contains(&v));
            let runs_on = next_is(text, number.end(), |c| is_word(c) || c == '%')
                || text[number.end()..].starts_with(" %")
                || ["am", "pm", "a.m", "p.m"]
                    .iter()
                    .any(|clock| text[number.end()..].trim_start().starts_with(clock));
            if in_range && !runs_on {
                sink.push(number.start(), number.end());
            }
        }
    }

    /// Any number within a few chars after a rate word (`汇率 7.1`, `price: 100`, `@6.95`).
    fn worded_rates(&self, text: &str, sink: &mut Sink) {
        for m in self.rate_word.find_iter(text) {
            if sink.full() {
                break;
            }
            let at_sign = m.as_str().starts_with('@');
            let glued =
                m.as_str().is_ascii() && prev_is(text, m.start(), |c| c.is_ascii_alphabetic());
            if glued && !at_sign {
                continue; // "accurate", "pirate"
            }
            // `@ 6.95` matched through its first digit; other words match just the word.
            let after = if at_sign { m.end() - 1 } else { m.end() };
            if let Some((start, end)) = number_after(text, after, at_sign) {
                sink.push(start, end);
            }
        }
    }

    /// Number + optional magnitude + crypto unit.
    fn amounts(&self, text: &str, sink: &mut Sink) {
        if !may_hold_amount(text) {
            return;
        }
        for m in self.amount.find_iter(text) {
            if sink.full() {
                break;
            }
            let glued_before = prev_is(text, m.start(), |c| is_word(c) || c == '.');
            if !glued_before && amount_ok(text, m.as_str(), m.end()) {
                sink.push(m.start(), m.end());
            }
        }
    }

    /// Gain multipliers of at least 2, not dimensions (`2x4`) or hex (`0x1f`).
    fn multipliers(&self, text: &str, sink: &mut Sink) {
        if !may_hold_multiplier(text) {
            return;
        }
        for m in self.multiplier.find_iter(text) {
            if sink.full() {
                break;
            }
            if multiplier_ok(text, m.as_str(), m.start(), m.end()) {
                sink.push(m.start(), m.end());
            }
        }
    }

    /// Percentages with a plus sign or a gain word nearby, not negative and not discounts.
    ///
    /// Gain words are found in one pass over the text and walked alongside the percentages
    /// (both come in increasing order), so hostile floods of `5%` cost no extra regex searches.
    fn percent_gains(&self, text: &str, sink: &mut Sink) {
        let mut gains = self.gain_word.find_iter(text).peekable();
        let mut at = 0;
        while let Some(m) = self.percent.find_at(text, at) {
            if sink.full() {
                break;
            }
            let (start, end) = (m.start(), m.end());
            // `269 % 30`: a number after the sign makes it sign-first (`% 30`), the number before
            // it a price: search again from the sign
            if m.as_str().ends_with('%') && number_follows(text, end) {
                at = end - 1;
                continue;
            }
            at = end;
            let window_start = back_chars(text, start, GAIN_WINDOW);
            let window_end = forward_chars(text, end, GAIN_WINDOW);
            while gains.next_if(|g| g.end() <= window_start).is_some() {}
            let gain_near = gains.peek().is_some_and(|g| g.start() < window_end);
            let plus = m.as_str().starts_with('+');
            let sign_first = m.as_str().starts_with('%');
            let shape_ok = if sign_first {
                sign_first_shape_ok(text, start, end)
            } else {
                percent_shape_ok(text, plus, start, end)
            };
            if (plus || gain_near) && shape_ok {
                sink.push(start, end);
            }
        }
    }

    /// Countdown phrases; clock times must have a plausible hour.
    fn countdowns(&self, text: &str, sink: &mut Sink) {
        for m in self.countdown.find_iter(text) {
            if sink.full() {
                break;
            }
            let past = text[m.end()..].trim_start().starts_with("ago");
            if plausible_hour(m.as_str())
                && !past
                && !prev_is(text, m.start(), |c| {
                    c.is_ascii_digit() || c == ':' || c == '.'
                })
            {
                sink.push(m.start(), m.end());
            }
        }
    }
}

/// A gain percentage must not be glued to a longer number, negative (`-5%`), or a discount
/// (`50% off`, `30%优惠`).
fn percent_shape_ok(text: &str, plus: bool, start: usize, end: usize) -> bool {
    let glued = prev_is(text, start, |c| c.is_ascii_digit() || c == '.');
    let before = &text[back_chars(text, start, 2)..start];
    let negative = !plus && before.trim_end().ends_with('-');
    let after = text[end..].trim_start_matches(' ');
    let discount = DISCOUNT_WORDS.iter().any(|w| after.starts_with(w))
        && !after.starts_with("offer")
        && !(after.starts_with("off") && next_is(after, 3, |c| c.is_ascii_alphabetic()));
    !glued && !negative && !discount
}

/// True if a digit follows `at`, after at most one space.
fn number_follows(text: &str, at: usize) -> bool {
    let rest = text.get(at..).unwrap_or_default();
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    rest.starts_with(|c: char| c.is_ascii_digit())
}

/// A sign-first percentage (`% 35`) must stand alone: not inside a URL's escapes (`a%20b`,
/// `%2F`), glued to a longer number, negative (`-%5`), or a discount.
fn sign_first_shape_ok(text: &str, start: usize, end: usize) -> bool {
    let glued_before = prev_is(text, start, |c| {
        c.is_alphanumeric() || matches!(c, '%' | '/' | '=' | '&' | '-' | '.' | '_')
    });
    let glued_after = next_is(text, end, |c| {
        c.is_ascii_alphanumeric() || c == '%' || c == '.'
    });
    !glued_before && !glued_after && percent_shape_ok(text, false, start, end)
}

/// Words right after a percentage that make it a discount.
const DISCOUNT_WORDS: [&str; 5] = ["off", "discount", "折", "优惠", "减"];

/// True if `token` (a maximal numeric token) is a decimal in [5.5, 8.0] with 1–3 decimals.
fn is_rate_value(token: &str) -> bool {
    let Some((int, frac)) = token.split_once('.') else {
        return false;
    };
    if int.len() != 1 || !(1..=3).contains(&frac.len()) || frac.contains('.') {
        return false;
    }
    token.parse::<f64>().is_ok_and(|v| (5.5..=8.0).contains(&v))
}

/// Extends a rate span over a 收/出/买/卖 glued before it, or else after it.
fn extend_side(text: &str, start: usize, end: usize) -> (usize, usize) {
    if let Some(c) = char_before(text, start).filter(|c| SIDE_CHARS.contains(c)) {
        return (start - c.len_utf8(), end);
    }
    if let Some(c) = char_at(text, end).filter(|c| SIDE_CHARS.contains(c)) {
        return (start, end + c.len_utf8());
    }
    (start, end)
}

/// The numeric token that starts within [`RATE_WORD_REACH`] chars after `at` (only spaces may
/// be skipped when `spaces_only`), if it is a plain number (at most one dot, not a percentage,
/// not a domain like `163.com`).
fn number_after(text: &str, at: usize, spaces_only: bool) -> Option<(usize, usize)> {
    let tail = text.get(at..)?;
    let (offset, _) = tail
        .char_indices()
        .take(RATE_WORD_REACH + 1)
        .take_while(|&(_, c)| !spaces_only || c == ' ' || c.is_ascii_digit())
        .find(|&(_, c)| c.is_ascii_digit())?;
    let start = at + offset;
    if prev_is(text, start, |c| c.is_ascii_alphabetic() || c == '.') {
        return None; // inside a word or a longer token ("v1.2", "usdt2")
    }
    let end = numeric_token_end(text, start)?;
    let after_ok = !next_is(text, end, |c| is_word(c) || c == '%' || c == '.')
        || (next_is(text, end, |c| c == '.') && !dotted_alnum(text, end));
    after_ok.then_some((start, end))
}

/// End of the number `[0-9]+(\.[0-9]+)?` at `start`, or None if it runs on (more dots, more
/// than [`MAX_RATE_TOKEN`] bytes).
fn numeric_token_end(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes().get(start..)?;
    let mut end = 0;
    let mut dots = 0;
    while end < bytes.len() {
        match bytes[end] {
            b'0'..=b'9' => end += 1,
            b'.' if bytes.get(end + 1).is_some_and(u8::is_ascii_digit) => {
                dots += 1;
                end += 1;
            }
            _ => break,
        }
        if end > MAX_RATE_TOKEN || dots > 1 {
            return None;
        }
    }
    Some(start + end)
}

/// True if `[at..]` is `.` followed by an ASCII letter or digit.
fn dotted_alnum(text: &str, at: usize) -> bool {
    text.as_bytes()
        .get(at..at + 2)
        .is_some_and(|b| b[0] == b'.' && b[1].is_ascii_alphanumeric())
}

/// Crypto units, longest first so suffix tests pick the right one.
const UNITS: [&str; 12] = [
    "ethereum", "bitcoin", "tether", "usdt", "tron", "btc", "eth", "trx", "bnb", "个u", "u", "刀",
];

/// The magnitudes an [`AMOUNT`] may put between its number and its unit (`""`: none).
const MAGNITUDES: [&str; 8] = ["", "百万", "w", "万", "k", "千", "m", "亿"];

/// False when [`AMOUNT`] cannot match `text`. Every match ends a run of ASCII digits, then has
/// at most two spaces, an optional magnitude, at most two spaces and a unit (`100 usdt`, `5万u`).
/// Most posts with digits (dates, prices, counts) have no unit right after any of them: one pass
/// over the digit runs spares them the regex search, ~90% of the full-path posts of the bench dump.
fn may_hold_amount(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let after_number = skip_spaces(bytes, i, 2);
        let unit_follows = MAGNITUDES.iter().any(|magnitude| {
            let rest = &bytes[after_number..];
            rest.starts_with(magnitude.as_bytes()) && {
                let unit_at = skip_spaces(bytes, after_number + magnitude.len(), 2);
                (UNITS.iter()).any(|unit| bytes[unit_at..].starts_with(unit.as_bytes()))
            }
        });
        if unit_follows {
            return true;
        }
    }
    false
}

/// `at` moved past at most `max` ASCII spaces of `bytes`.
fn skip_spaces(bytes: &[u8], at: usize, max: usize) -> usize {
    let spaces = (bytes.get(at..).unwrap_or_default().iter())
        .take(max)
        .take_while(|&&b| b == b' ')
        .count();
    at + spaces
}

/// False when [`MULTIPLIER`] cannot match `text`. Every match has a mark (`x`, `×`, `✖`, `倍`)
/// right after a digit, an `o` or a space (`100x`, `1.5 ×`, `1oox`), an `x` right before a digit
/// (`x100`), or `倍` after 十/百/千/万. English text is full of `x` (`next`, `exchange`), and
/// this spares most of it the regex search.
fn may_hold_multiplier(text: &str) -> bool {
    let bytes = text.as_bytes();
    let counted_before = |at: usize| {
        let at = if at > 0 && bytes[at - 1] == b' ' {
            at - 1
        } else {
            at
        };
        at > 0 && (bytes[at - 1].is_ascii_digit() || bytes[at - 1] == b'o')
    };
    let x_counts =
        |at: usize| counted_before(at) || bytes.get(at + 1).is_some_and(u8::is_ascii_digit);
    if memchr::memchr_iter(b'x', bytes).any(x_counts) {
        return true;
    }
    ['倍', '×', '✖'].iter().any(|&mark| {
        text.match_indices(mark).any(|(at, _)| {
            counted_before(at) || (mark == '倍' && text[..at].ends_with(['十', '百', '千', '万']))
        })
    })
}

/// Checks an amount match `s` ending at `end`: the unit must end the token, a bare `u` must not
/// start a word or 盘/盾/型/形 (`u盘` is a USB stick), and "2 u" (you) needs a magnitude or two
/// digits.
fn amount_ok(text: &str, s: &str, end: usize) -> bool {
    let Some(unit) = UNITS.iter().find(|u| s.ends_with(**u)) else {
        return false;
    };
    if next_is(text, end, |c| c.is_ascii_alphanumeric() || c == '_') {
        return false;
    }
    if !unit.ends_with('u') {
        return true;
    }
    if next_is(text, end, |c| matches!(c, '盘' | '盾' | '型' | '形')) {
        return false;
    }
    let number_len = s
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.')
        .count();
    let middle = &s[number_len..s.len() - unit.len()];
    let int_digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let spaced_bare_u = *unit == "u" && middle.starts_with(' ') && middle.trim().is_empty();
    !(spaced_bare_u && int_digits < 2)
}

/// Checks a multiplier match `s` at `[start, end)`.
fn multiplier_ok(text: &str, s: &str, start: usize, end: usize) -> bool {
    if s.starts_with(['十', '百', '千', '万']) {
        return !prev_is(text, start, |c| c.is_ascii_digit());
    }
    // `1oox`: the o's after the leading digit are zeros
    let digits = s.trim_start_matches('x').replace('o', "0");
    let number_len = digits
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.')
        .count();
    let value_ok = digits[..number_len].parse::<f64>().is_ok_and(|v| v >= 2.0);
    let glued_before = prev_is(text, start, |c| is_word(c) || c == '.');
    let glued_after = if s.ends_with('倍') {
        false
    } else {
        next_is(text, end, is_word) || decimal_follows(text, end) || digit_after_space(text, end)
    };
    value_ok && !glued_before && !glued_after
}

/// True if `[at..]` is one space then a digit ("2 x 4" dimensions).
fn digit_after_space(text: &str, at: usize) -> bool {
    text.as_bytes()
        .get(at..at + 2)
        .is_some_and(|b| b[0] == b' ' && b[1].is_ascii_digit())
}

/// For clock-time countdowns (`19:00 gmt`, `5pm utc`), the hour must exist on a clock.
fn plausible_hour(s: &str) -> bool {
    let hour_len = s.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &s[hour_len..];
    let max = if hour_len == 4 {
        return true; // `1400gmt`: the pattern itself bounds the hour and minutes
    } else if rest.starts_with(':') {
        24 // `17:00 pm gmt` is sloppy but still a clock time
    } else if rest.trim_start().starts_with("am") || rest.trim_start().starts_with("pm") {
        12
    } else {
        return true;
    };
    s[..hour_len].parse::<u32>().is_ok_and(|h| h <= max)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One detector for the property tests, compiled once.
    fn shared() -> &'static NumberDetector {
        static NUMBER: std::sync::OnceLock<NumberDetector> = std::sync::OnceLock::new();
        NUMBER.get_or_init(NumberDetector::new)
    }

    fn of(text: &str, det: Detector) -> Vec<String> {
        let mut out = Vec::new();
        NumberDetector::new().detect(text, &Census::of(text), &mut out);
        let mut got: Vec<_> = out.into_iter().filter(|d| d.detector == det).collect();
        got.sort_by_key(|d| (d.start, d.end));
        got.dedup();
        got.iter()
            .map(|d| text[d.start..d.end].to_string())
            .collect()
    }

    #[test]
    fn patterns_compile() {
        for p in [
            DECIMAL,
            RATE_WORD,
            NOT_RATE_BEFORE,
            AMOUNT,
            MULTIPLIER,
            PERCENT,
            GAIN_WORD,
            COUNTDOWN,
        ] {
            assert!(Regex::new(p).is_ok(), "{p}");
        }
    }

    #[test]
    fn rates() {
        assert_eq!(of("收u 6.95 速度", Detector::Rate), ["6.95"]);
        assert_eq!(of("6.9出，量大", Detector::Rate), ["6.9出"]);
        assert_eq!(of("长期收7.05", Detector::Rate), ["收7.05"]);
        assert_eq!(of("今天7.1买", Detector::Rate), ["7.1买"]);
        assert_eq!(of("u价 7.125元", Detector::Rate), ["7.125"]);
        assert_eq!(of("汇率 7", Detector::Rate), ["7"]);
        assert_eq!(of("价格：100", Detector::Rate), ["100"]);
        assert_eq!(of("price: 6.8", Detector::Rate), ["6.8"]);
        assert_eq!(of("出u@6.95", Detector::Rate), ["6.95"]);
        assert_eq!(of("5.5 and 8.0", Detector::Rate), ["5.5", "8.0"]);
        assert_eq!(of("selling 3k at 1.01, paypal", Detector::Rate), ["1.01"]);
        assert_eq!(of("buying usdt at 0.985", Detector::Rate), ["0.985"]);
    }

    #[test]
    fn peg_quotes_are_not_times_or_other_prices() {
        for text in [
            "meet at 1.05pm",
            "meet at 1.05 pm",
            "bought at 1.25",
            "up at 1.05%",
            "at 1.050.1",
            "that 1.01",
            "usdc traded at 0.97 during the scare",
            "selling. at 1.01",
        ] {
            assert!(of(text, Detector::Rate).is_empty(), "{text}");
        }
    }

    #[test]
    fn non_rates() {
        for text in [
            "updated to v1.7.2 today",
            "release 7.1 is out",
            "version 7.12",
            "ios7.1",
            "v7.1",
            "on 7.12.2021 we met",
            "host 192.168.7.12",
            "server 6.95.1.1",
            "7.12日见",
            "打6.9折",
            "7.5%",
            "8.01",
            "5.49",
            "12.345",
            "6.9999",
            "7.5k",
            "17.05",
            "accurate 7 times",
            "a@163.com",
            "汇率 5%",
            "晚上7.30点",
        ] {
            assert!(
                of(text, Detector::Rate).is_empty(),
                "{text}: {:?}",
                of(text, Detector::Rate)
            );
        }
    }

    #[test]
    fn amounts() {
        for (text, want) in [
            ("出10w u 速来", "10w u"),
            ("收5万u", "5万u"),
            ("100k usdt", "100k usdt"),
            ("888u", "888u"),
            ("2个u", "2个u"),
            ("0.5 btc", "0.5 btc"),
            ("1000 usdt", "1000 usdt"),
            ("3万 usdt", "3万 usdt"),
            ("有100 u要出", "100 u"),
            ("200刀", "200刀"),
            ("50 trx", "50 trx"),
            ("1.5 eth.", "1.5 eth"),
        ] {
            assert_eq!(of(text, Detector::Amount), [want], "{text}");
        }
    }

    #[test]
    fn non_amounts() {
        for text in [
            "买了个32g u盘",
            "5u盾",
            "3 u know",
            "100 usd",
            "2 ethernet cables",
            "abc100u",
            "100ux",
            "12345678901234u",
            "v2u",
        ] {
            assert!(
                of(text, Detector::Amount).is_empty(),
                "{text}: {:?}",
                of(text, Detector::Amount)
            );
        }
    }

    #[test]
    fn multipliers() {
        for (text, want) in [
            ("next 100x gem", "100x"),
            ("1000倍币", "1000倍"),
            ("easy 50 x", "50 x"),
            ("百倍币", "百倍"),
            ("千倍", "千倍"),
            ("x100 soon", "x100"),
            ("2.5x!", "2.5x"),
            ("100✖ gem", "100✖"),
            ("gone 20× already", "20×"),
            ("100xxxx incoming", "100xxxx"),
            ("1oox gem", "1oox"),
        ] {
            assert_eq!(of(text, Detector::Multiplier), [want], "{text}");
        }
        for text in [
            "a1oox",
            "1ooxy",
            "2x4 lumber",
            "2×4 lumber",
            "2 x 4",
            "0x1f2e",
            "0x100",
            "1x",
            "1.5倍",
            "1080x1920",
            "box10",
            "100xyz",
        ] {
            assert!(
                of(text, Detector::Multiplier).is_empty(),
                "{text}: {:?}",
                of(text, Detector::Multiplier)
            );
        }
    }

    #[test]
    fn doublings_need_the_second_sum_larger() {
        for (text, want) in [
            ("send 0.2 get 0.4", "send 0.2 get 0.4"),
            ("send 1 eth, receive 2 eth back", "send 1 eth, receive 2"),
            ("s3nd 0.5 → g3t 1.0", "s3nd 0.5 → g3t 1.0"),
            ("deposit $100 and get $300", "deposit $100 and get $300"),
            (
                "sending 0.1 you will get back 0.2.",
                "sending 0.1 you will get back 0.2",
            ),
        ] {
            assert_eq!(of(text, Detector::Doubling), [want], "{text}");
        }
        for text in [
            "send 5 get 5 back",             // a refund, not a pitch
            "send 2 get 1",                  // less back
            "send me 2 and get 4",           // "me" is not a sum: stays out of the shape
            "sent 3 emails, got 40 replies", // past tense is a story
            "send 0 get 5",                  // nothing sent
        ] {
            assert!(of(text, Detector::Doubling).is_empty(), "{text}");
        }
    }

    #[test]
    fn percent_gains() {
        for (text, want) in [
            ("+300% 🚀", "+300%"),
            ("printed + 35 % profit", "+ 35 %"),
            ("涨了200%", "200%"),
            ("300% profit", "300%"),
            ("gain 45%", "45%"),
            ("收益率 12.5%", "12.5%"),
            ("up 80% today", "80%"),
            ("target 2 done % 35 profit", "% 35"),
            ("kar %42 🚀 profit", "%42"),
            ("hit 269 % 30 profit", "% 30"),
            ("a 310 % increase in price", "310 %"),
            ("a total rise of 126 %", "126 %"),
        ] {
            assert_eq!(of(text, Detector::PercentGain), [want], "{text}");
        }
        for text in [
            "50% off everything",
            "打折 30% 优惠",
            "profit? 20% off",
            "down 40% today",
            "涨跌 -5%",
            "50% of people",
            "supported by 90%",
            "+20% off",
            "profit link a%20b",
            "profit: see /x?q=%35",
            "%2f profit",
            "down %8 today",
            "profit %40 off",
            "prices rose while 40% of people",
            "increased by 30% off",
        ] {
            assert!(
                of(text, Detector::PercentGain).is_empty(),
                "{text}: {:?}",
                of(text, Detector::PercentGain)
            );
        }
    }

    fn countdown_piece() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            "5",
            "30",
            "1",
            " ",
            "minutes",
            "min",
            "mins",
            "hours",
            "hrs",
            "h",
            "m",
            "secs",
            "days",
            "left",
            "remaining",
            "to go",
            "until",
            "away",
            "less than ",
            "under ",
            "in ",
            "one ",
            "an ",
            "few ",
            "more ",
            "last ",
            "final ",
            "⏰",
            "🕐",
            "count",
            "down",
            "-",
            ":",
            "00",
            "gmt",
            "utc",
            "cest",
            "am",
            "pm",
            "倒计时",
            "还有",
            "分钟",
            "小时",
            "秒",
            "后",
            "最后",
            "天",
            "北京时间",
            "点",
            "x",
            "\n",
        ])
    }

    fn amount_or_multiplier_piece() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            "5", "30", "1", ".", " ", "  ", "w", "万", "k", "千", "m", "亿", "百万", "u", "usdt",
            "tether", "bitcoin", "btc", "eth", "ethereum", "trx", "tron", "bnb", "个", "刀", "盘",
            "x", "xx", "×", "✖", "倍", "十", "百", "o", "oo", "next", "at 0.", "at 1.", "sell",
            "buy", "99", "a", "收", "\n", "send ", "s3nd", " get ", "deposit", "transf", "er",
            "rate", "price", "@ ", "汇率", "单价",
        ])
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// The pretests before the amount, multiplier, peg, doubling and worded-rate searches
        /// only skip searches that would find nothing.
        #[test]
        fn number_pretests_never_hide_a_match(
            pieces in proptest::collection::vec(amount_or_multiplier_piece(), 0..12)
        ) {
            let number = shared();
            let text = pieces.concat();
            proptest::prop_assert!(!number.amount.is_match(&text) || may_hold_amount(&text), "{}", text);
            proptest::prop_assert!(
                !number.multiplier.is_match(&text) || may_hold_multiplier(&text), "{}", text
            );
            let census = Census::of(&text);
            let quote = census.holds(Pretest::PegQuote) && census.holds(Pretest::TradeVerb);
            proptest::prop_assert!(!number.peg_rate.is_match(&text) || quote, "{}", text);
            let verb = census.holds(Pretest::DoublingVerb);
            proptest::prop_assert!(!number.doubling.is_match(&text) || verb, "{}", text);
            let worded = census.holds(Pretest::RateWord);
            proptest::prop_assert!(!number.rate_word.is_match(&text) || worded, "{}", text);
        }

        #[test]
        fn the_countdown_cues_never_hide_a_countdown(
            pieces in proptest::collection::vec(countdown_piece(), 0..12)
        ) {
            let number = shared();
            let text = pieces.concat();
            proptest::prop_assert!(
                !number.countdown.is_match(&text) || Census::of(&text).holds(Pretest::CountdownCue),
                "{}", text
            );
        }
    }

    #[test]
    fn number_pretests_see_what_the_searches_find() {
        for text in ["出10w u 速来", "收 5万 u", "100k usdt", "2 eth", "7刀"] {
            assert!(may_hold_amount(text), "{text}");
        }
        for text in ["2018年 6.95", "ubuntu 22.04", "5 people use it"] {
            assert!(!may_hold_amount(text), "{text}");
        }
        for text in ["100x", "1.5 ×", "x100", "百倍", "1oox", "10倍"] {
            assert!(may_hold_multiplier(text), "{text}");
        }
        for text in ["next exchange", "six of 6", "× marks"] {
            assert!(!may_hold_multiplier(text), "{text}");
        }
    }

    #[test]
    fn countdowns() {
        for (text, want) in [
            ("only 5 minutes left!", "5 minutes left"),
            ("10 mins left", "10 mins left"),
            ("pump in 30 minutes", "in 30 minutes"),
            ("at 19:00 gmt sharp", "19:00 gmt"),
            ("5pm utc", "5pm utc"),
            ("5 pm gmt", "5 pm gmt"),
            ("cancelled for 1400gmt / utc", "1400gmt"),
            ("today at 2200 gmt", "2200 gmt"),
            ("delayed to 17:00 pm gmt", "17:00 pm gmt"),
            ("倒计时开始", "倒计时"),
            ("还有10分钟", "还有10分钟"),
            ("空投最后24小时", "最后24小时"),
            ("10分钟后开盘", "10分钟后"),
            ("北京时间20:00", "北京时间20:00"),
            ("🔥 last 10 minutes 🔥", "last 10 minutes"),
            ("pump ⏰ 10 mins", "⏰ 10 mins"),
            ("pump starts 18gmt on the exchange", "18gmt"),
            ("starts at 9 utc", "9 utc"),
        ] {
            assert_eq!(of(text, Detector::Countdown), [want], "{text}");
        }
        for text in [
            "25:00 gmt",
            "13pm utc",
            "meeting at 19:00",
            "within 30 minutes",
            "5 minutes ago",
            "119:00 gmt",
            "2500 gmt",
            "12345gmt",
            "over the last 24 hours",
            "24 gmt",
        ] {
            assert!(
                of(text, Detector::Countdown).is_empty(),
                "{text}: {:?}",
                of(text, Detector::Countdown)
            );
        }
    }

    #[test]
    fn digit_floods_stay_quiet() {
        let mut text = "9".repeat(100_000);
        text.push_str(".95%x倍u");
        for det in Detector::ALL {
            assert!(of(&text, det).is_empty(), "{det:?}");
        }
    }
}
