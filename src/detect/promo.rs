//! Promotion shapes: daily-yield promises, cashtags, links, and stand-alone ID tokens.
//!
//! * `yield_promise`: a fixed return per period — "earn 3% per day", "4.5% DAILY",
//!   "年化120%", "静态收益每天1.5%". Real investments do not promise a daily percentage.
//! * `cashtag`: `$zaph`, `$dltx` — a ticker written to be searched and bought.
//! * `link`: a URL or a bare domain (`claim-zentra-drop.xyz`), the landing page of most scams.
//! * `id_token`: a token shaped like a messenger ID standing on its own (`wang_xiafu_u`,
//!   `laozhang88`) — ads often drop the channel word. Weak evidence: rules weigh it lower.
//! * `income_claim`: "月入3万", "日赚500", "make $5k a day", "turn $300 into $3,000".
//! * `rate` in Chinese numerals: "七块零五", "收柒零三" (the digit detector reads "7.05").

use super::census::Pretest;
use super::contact::compile;
use super::{Census, Detection, Detector, Sink, is_word, prev_is};
use regex::Regex;

/// The promotion detectors, compiled once.
#[derive(Debug, Clone)]
pub(crate) struct PromoDetector {
    yield_after: Regex,
    yield_before: Regex,
    /// `1,620% APY`: an annual rate written after the number.
    yield_annual_after: Regex,
    /// `日息一点二`: a daily or monthly rate spelled in Chinese numerals.
    yield_zh_numeral: Regex,
    earning_word: Regex,
    cashtag: Regex,
    /// `$ ANRX`: a cashtag split by a tokenizer; only a capitalised ticker counts (`$ salary` is
    /// prose), so it runs on the original text.
    spaced_cashtag: Regex,
    url: Regex,
    domain: Regex,
    id_token: Regex,
    /// `z e d _ g e m s`: a handle spelled out char by char (with an underscore, so spaced
    /// words like `v i p` are not IDs).
    spaced_id: Regex,
    income: Vec<Regex>,
    zh_rate: Vec<Regex>,
    coin_reveal: Vec<Regex>,
    ticker_reveal: Regex,
    short_channel_id: Regex,
    /// `kev_otc on tele`: an ID (with a digit or `_`) named before its channel.
    id_on_channel: Regex,
    setup_entry: Regex,
    setup_exit: Regex,
    setup_ticker_targets: Regex,
    /// `Code: QX7R2B`, `c0de QX9-RTZ`: checked by [`looks_like_code`].
    promo_code: Regex,
    /// `Mr. Harold Benson`, `Mrs Clara`.
    named_person: Regex,
}

/// Slots in [`PromoDetector::gated`]: the regexes searched over the whole text.
const YIELD_AFTER: usize = 0;
const YIELD_BEFORE: usize = 1;
const YIELD_ANNUAL_AFTER: usize = 2;
const YIELD_ZH_NUMERAL: usize = 3;
const CASHTAG: usize = 4;
const URL: usize = 5;
const SETUP_TICKER_TARGETS: usize = 6;
const SETUP_ENTRY: usize = 7;
/// The first of the `income` regexes, then the `zh_rate` ones.
const INCOME: usize = 8;

/// What the text must hold for a gated regex to match: an ASCII byte, or a literal of a
/// [`Pretest`].
#[derive(Debug, Clone, Copy)]
enum Need {
    Byte(u8),
    Literal(Pretest),
}

/// The [`Need`] of each slot of [`PromoDetector::gated`], in slot order.
const NEEDS: [Need; 16] = [
    Need::Byte(b'%'),                       // yield_after
    Need::Byte(b'%'),                       // yield_before
    Need::Byte(b'%'),                       // yield_annual_after
    Need::Literal(Pretest::YieldZhWord),    // yield_zh_numeral
    Need::Byte(b'$'),                       // cashtag
    Need::Literal(Pretest::UrlMark),        // url
    Need::Literal(Pretest::TradeVerb),      // setup_ticker_targets (`buy`)
    Need::Literal(Pretest::SetupEntryWord), // setup_entry
    Need::Literal(Pretest::IncomeZhWord),   // income: 月入 …
    Need::Byte(b'$'),                       // income: make $500 a day
    Need::Byte(b'$'),                       // income: $500 a day
    Need::Literal(Pretest::EarnVerb),       // income: earn 0.1 btc a day
    Need::Byte(b'$'),                       // income: turn $300 into $3,000
    Need::Byte(b'$'),                       // income: $900 profit today
    Need::Literal(Pretest::ZhRateBlock),    // zh_rate: 七块零五
    Need::Literal(Pretest::ZhRateDigit),    // zh_rate: 收柒零三
];

/// The slots of [`PromoDetector::gated`] that may match a text: bit `i` for slot `i`.
#[derive(Debug, Clone, Copy)]
struct Live(u32);

impl Live {
    /// The slots whose [`Need`] the text (taken by `census`) meets. A slot left out cannot
    /// match; one let in may still find nothing, and its search says so.
    fn of(census: &Census) -> Live {
        let bits = NEEDS.iter().enumerate().fold(0, |bits, (slot, need)| {
            let met = match *need {
                Need::Byte(b) => census.has(b),
                Need::Literal(pretest) => census.holds(pretest),
            };
            bits | u32::from(met) << slot
        });
        Live(bits)
    }

    fn has(self, slot: usize) -> bool {
        slot < 32 && self.0 & (1 << slot) != 0
    }
}

const PERIOD: &str = r"(?:per\s?day|a\s?day|daily|each\s?day|every\s?day|/\s?day|per\s?week|weekly|a\s?week|per\s?month|monthly|每天|每日|日|/天|一天|天|每周|每月|月)";
const PERIOD_WORD: &str =
    r"(?:日收益|月收益|周收益|年收益|静态收益|动态收益|年化|日化|日息|月息|roi|apy|apr)";
/// A number as promoters write it: `3`, `4.5`, `1,620`.
const NUM: &str = r"[0-9]{1,3}(?:,[0-9]{3}){0,3}(?:\.[0-9]{1,2})?";
const ZH_DIGIT: &str = "[零〇一二三四五六七八九壹贰叁肆伍陆柒捌玖]";
/// A dot, or a defanged one: `[.]`, `(.)`, ` dot `.
const DOT: &str = r"(?:\.|\[\.\]|\(\.\)| ?\[dot\] ?| dot )";
/// The top-level domains a bare domain may end with.
const TLDS: [&str; 33] = [
    "com", "net", "org", "io", "xyz", "app", "live", "finance", "co", "me", "top", "vip", "cc",
    "info", "site", "online", "pro", "fun", "club", "link", "biz", "ai", "gg", "to", "ly", "cn",
    "exchange", "trade", "money", "cash", "club", "shop", "store",
];
/// The words `yield_zh_numeral` starts with: a daily or monthly rate.
pub(super) const YIELD_ZH_WORDS: [&str; 5] = ["日息", "月息", "日返", "日收益", "月收益"];
/// What every URL the `url` regex finds holds (`https?://` or `www.`).
pub(super) const URL_MARKS: [&str; 2] = ["://", "www."];
/// The words a trade setup's entry starts with.
pub(super) const SETUP_ENTRY_WORDS: [&str; 6] =
    ["buy", "buying", "entry", "long", "short", "accumulate"];
/// The words a Chinese income claim starts with (`月入3万`).
pub(super) const INCOME_ZH_WORDS: [&str; 12] = [
    "月入",
    "日入",
    "日赚",
    "月赚",
    "年入",
    "周赚",
    "一天赚",
    "每天赚",
    "一个月赚",
    "日收入",
    "月收入",
    "一周赚",
];
/// What every verb of an income claim in coins (`earn 0.1 btc a day`) begins with.
pub(super) const EARN_VERBS: [&str; 3] = ["make", "making", "earn"];
/// A rate in Chinese numerals with 块 after its first figure (`七块零五`).
pub(super) const ZH_RATE_BLOCKS: [&str; 6] = ["五块", "六块", "七块", "伍块", "陆块", "柒块"];
/// The first figure of a rate in Chinese numerals (a USDT rate in yuan is 5–7).
pub(super) const ZH_RATE_DIGITS: [&str; 6] = ["五", "六", "七", "伍", "陆", "柒"];

/// The defanged dots of [`DOT`] (the other one is a plain `.`).
pub(super) const DEFANGED_DOTS: [&str; 4] = ["[.]", "(.)", "[dot]", " dot "];

impl PromoDetector {
    pub(crate) fn new() -> PromoDetector {
        PromoDetector {
            yield_after: compile(&format!(r"{NUM}\s?%\s?{PERIOD}")),
            earning_word: compile(
                r"earn|pays?|paying|profit|returns?|yield|interest|roi|stak(?:e|ing)|收益|利息|回报|返|赚|分红|生息",
            ),
            yield_before: compile(&format!(r"{PERIOD_WORD}[^\d\n]{{0,6}}{NUM}\s?%")),
            yield_annual_after: compile(&format!(r"{NUM}\s?%\s?(?:apy|apr|年化)")),
            yield_zh_numeral: compile(&format!(
                "(?:{})\\s?(?:百分之)?{ZH_DIGIT}(?:[点十百]?{ZH_DIGIT}){{0,3}}",
                YIELD_ZH_WORDS.join("|")
            )),
            cashtag: compile(r"\$[a-z][a-z0-9]{1,9}\b"),
            spaced_cashtag: compile(r"\$ [A-Z][A-Z0-9]{1,9}\b"),
            url: compile(r"(?:https?://|www\.)[^\s<>]{3,200}"),
            domain: compile(&format!(
                r"\b[a-z0-9][a-z0-9-]{{1,40}}(?:{DOT}[a-z0-9-]{{1,40}}){{0,3}}{DOT}(?:{})\b(?:/[^\s<>]{{0,100}})?",
                TLDS.join("|")
            )),
            id_token: compile(r"[a-z][a-z0-9_]{3,23}[a-z0-9]"),
            spaced_id: compile(r"(?:^|[^a-z0-9_])((?:[a-z0-9_] ){5,30}[a-z0-9_])(?:$|[^a-z0-9_])"),
            income: vec![
                compile(&format!(
                    r"(?:{})\s?(?:[0-9]{{1,6}}(?:\.[0-9]{{1,2}})?|[一二三四五六七八九十两百千万]{{1,4}})\s?(?:万|千|k|w|元|块|u|刀|美金)?",
                    INCOME_ZH_WORDS.join("|")
                )),
                compile(&format!(
                    r"(?:make|made|earn|earned|earning|making|earns|makes)\s(?:up to\s)?\${NUM}k?\s?(?:usd|usdt|dollars)?\s?(?:a|per|every|each|/)\s?(?:day|week|month|hour)"
                )),
                compile(&format!(
                    r"\${NUM}k?\s?(?:a day|per day|daily|weekly|a week|per week|monthly|a month)"
                )),
                compile(&format!(
                    r"(?:make|earn|earning|making|earns|makes)\s(?:up to\s)?{NUM}\s?(?:btc|bitcoin|eth|usdt|sol|bnb)\s(?:a|per|every|each|/)\s?(?:day|week|month)"
                )),
                compile(&format!(
                    r"turn(?:ed|s)?\s(?:my\s|her\s|his\s|your\s)?\${NUM}k?\s(?:into|to)\s\${NUM}k?"
                )),
                compile(&format!(
                    r"\${NUM}k?\s(?:profit|profits|gain|gains)\s(?:today|this week|in a day|in one day|overnight)"
                )),
            ],
            coin_reveal: vec![
                compile(
                    r"\b(?:coin|token)(?: name)?(?: is| will be)? ?[:：;=][^a-z0-9\n]{0,8}?\$? ?[a-z0-9]{2,12}\b",
                ),
                compile(r"\b(?:coin|token)(?: name)? is \$ ?[a-z0-9]{2,12}\b"),
                compile(r"\b(?:coin|token) name is ?:? ?[a-z0-9]{2,12}\b"),
                compile(
                    r"\b(?:coin|token|pump)(?: name)? is ?[:：\-]? ?(?:[^\sa-z0-9] ?){1,6}\$? ?[a-z0-9](?: ?[a-z0-9]){1,11}\b",
                ),
                compile(r"\b(?:selected|chosen) (?:coin|token) is ?:? ?\$? ?[a-z0-9]{2,12}\b"),
                compile(r"\bbuy (?:coin|token) ?(?:[^\sa-z0-9] ?){1,6}\$? ?[a-z0-9]{2,10}\b"),
                compile(
                    r"\bcoin we (?:are pumping|have picked|picked|chose|have chosen|have selected|selected)[a-z ]{0,20}is ?:? ?\$? ?[a-z0-9]{2,12}\b",
                ),
                compile(
                    r"\b(?:trading pair|pairing|pair) ?[:：] ?(?:[a-z0-9]{2,10} ?[-/_] ?[a-z0-9]{2,6}|[a-z0-9]{1,10}(?:usdt|busd|usdc|btc|eth|bnb)|(?:[-–] ?)?\$ ?[a-z0-9]{2,10})\b",
                ),
                compile(r"\bexchange ?[:：] ?[a-z0-9]{3,20}(?:_cex|_dex)?\b"),
            ],
            promo_code: compile(
                r"(?i:\b(?:code|c0de|coupon)\b)[ \t]?[:：]?[ \t]?([A-Z0-9]{2,8}(?:-[A-Z0-9]{2,8})?)\b",
            ),
            named_person: compile(
                r"\b(?:Mr|Mrs|Ms|Miss|Dr|Madam|Prof)\.?[ \t][A-Z][a-z]{2,15}(?:[ \t][A-Z][a-z]{2,15})?\b",
            ),
            ticker_reveal: compile(
                r"(?i:\b(?:(?:the )?coin (?:name(?: is| in)?|is|in|will be)|today'?s (?:signal|call|coin))\b) ?:? ?\$? ?[A-Z][A-Z0-9]{1,9}\b",
            ),
            short_channel_id: compile(
                r"(?:^|[^a-z0-9])(?:v|vx|wx|q|qq|tg|薇|微|扣|line|signal|whatsapp|wa|telegram|tele|wechat|skype|微信|电报)\s?[:：=]\s?([a-z0-9](?:[a-z0-9_-]|\.[a-z0-9]){4,24})",
            ),
            id_on_channel: compile(
                r"\b([a-z][a-z0-9_.-]{3,24}[a-z0-9]) (?:on|at|via|@) (?:tele|telegram|tg|wechat|signal|whatsapp|wa|line|skype|kik|ig|insta|instagram|discord|snap|snapchat|微信|电报)\b",
            ),
            setup_entry: compile(&format!(
                r"\b(?:{})\b[^\n0-9]{{0,30}}?[0-9][0-9.,]*k?",
                SETUP_ENTRY_WORDS.join("|")
            )),
            setup_exit: compile(
                r"\b(?:sell|sel|targets?|tp ?[0-9]?|take[ -]?profit|exit|stop(?: ?loss)?|sl)\b[^\n0-9]{0,12}?[0-9][0-9.,]*k?",
            ),
            setup_ticker_targets: compile(
                r"\b(?:buy|buying)\s\$?\s?[a-z][a-z0-9]{1,9}\s(?:sell\s(?:targets?|tp)\b|(?:targets?|tp)\s?[:：])[^\n0-9]{0,12}[0-9](?:[0-9.,]*[0-9])?k?",
            ),
            zh_rate: vec![
                compile(&format!(
                    "(?:{}){ZH_DIGIT}{{1,2}}",
                    ZH_RATE_BLOCKS.join("|")
                )),
                compile(&format!(
                    "(?:收|出|价格?|汇率)[:：\\s]{{0,2}}[{}][点.]?{ZH_DIGIT}{{1,2}}",
                    ZH_RATE_DIGITS.concat()
                )),
            ],
        }
    }

    /// The regexes that [`Live`] gates by their [`NEEDS`], in slot order ([`YIELD_AFTER`] …):
    /// the tests check each need against its regex.
    #[cfg(test)]
    fn gated(&self) -> Vec<&Regex> {
        let fixed = [
            &self.yield_after,
            &self.yield_before,
            &self.yield_annual_after,
            &self.yield_zh_numeral,
            &self.cashtag,
            &self.url,
            &self.setup_ticker_targets,
            &self.setup_entry,
        ];
        fixed
            .into_iter()
            .chain(&self.income)
            .chain(&self.zh_rate)
            .collect()
    }

    /// `census` is [`Census::of`] `text`.
    pub(crate) fn detect(&self, text: &str, census: &Census, out: &mut Vec<Detection>) {
        let live = Live::of(census);
        self.yields_live(text, live, out);
        if live.has(CASHTAG) {
            cashtags(&self.cashtag, text, out);
        }
        self.links(text, census, live, out);
        self.id_tokens(text, census, out);
        let income = live_only(&self.income, INCOME, live);
        push_all(income, text, &mut Sink::new(out, Detector::IncomeClaim));
        let rates = live_only(&self.zh_rate, INCOME + self.income.len(), live);
        push_all(rates, text, &mut Sink::new(out, Detector::Rate));
        // every reveal shape names its coin, token, pump, pair or exchange
        if census.holds(Pretest::RevealWord) {
            push_all(
                &self.coin_reveal,
                text,
                &mut Sink::new(out, Detector::CoinReveal),
            );
        }
        self.trade_setups(text, live, out);
        self.short_channel_ids(text, census, out);
    }

    /// `V：ls9997`, `Q:12345678`: a one-letter channel with a colon, then an ID; and
    /// `kev_otc on tele`, an ID before its channel.
    fn short_channel_ids(&self, text: &str, census: &Census, out: &mut Vec<Detection>) {
        let mut sink = Sink::new(out, Detector::ContactHandle);
        // pretests: the first shape needs a channel name before its colon (or `=`), the second
        // its linking word; the capture searches are slow on Chinese text and most posts have
        // neither
        let colon = may_hold_short_channel_id(text);
        let linked = census.holds(Pretest::LinkingWord);
        let by_colon = colon.then(|| self.short_channel_id.captures_iter(text));
        for c in by_colon.into_iter().flatten() {
            if sink.full() {
                return;
            }
            if let Some(id) = c.get(1) {
                sink.push(id.start(), id.end());
            }
        }
        let by_name = linked.then(|| self.id_on_channel.captures_iter(text));
        for c in by_name.into_iter().flatten() {
            if sink.full() {
                return;
            }
            let id = c.get(1).filter(|id| {
                let id = id.as_str();
                id.contains(|c: char| c.is_ascii_digit() || c == '_')
            });
            if let Some(id) = id {
                sink.push(id.start(), id.end());
            }
        }
    }

    /// Case-sensitive shapes in the original text: `The coin is QRXZ`, `Today's signal : QRXZ` (a
    /// ticker in capitals) and spaced cashtags `$ QRXZ`.
    ///
    /// Each search first looks for the literal its matches hold (`$ `, `coin ` or `today`,
    /// `code`/`c0de`/`coupon`, either case): most posts have none, and a search costs more than
    /// that look, even when it finds nothing.
    pub(crate) fn detect_original(&self, original: &str, out: &mut Vec<Detection>) {
        if original.contains("$ ") {
            cashtags(&self.spaced_cashtag, original, out);
        }
        if has_any_ignoring_ascii_case(original, &TICKER_REVEAL_WORDS) {
            push_all(
                std::slice::from_ref(&self.ticker_reveal),
                original,
                &mut Sink::new(out, Detector::CoinReveal),
            );
        }
        if has_any_ignoring_ascii_case(original, &PROMO_CODE_WORDS) {
            self.promo_codes(original, out);
        }
        // every title the pattern knows starts with one of these capitals
        if memchr::memchr3(b'M', b'D', b'P', original.as_bytes()).is_some() {
            push_all(
                std::slice::from_ref(&self.named_person),
                original,
                &mut Sink::new(out, Detector::NamedPerson),
            );
        }
    }

    /// Codes after "code": letters and digits mixed, so `code: 2024` or `Code: READ` is no code.
    fn promo_codes(&self, original: &str, out: &mut Vec<Detection>) {
        let mut sink = Sink::new(out, Detector::PromoCode);
        for caps in self.promo_code.captures_iter(original) {
            if sink.full() {
                return;
            }
            if let (Some(all), Some(code)) = (caps.get(0), caps.get(1))
                && looks_like_code(code.as_str())
            {
                sink.push(all.start(), all.end());
            }
        }
    }

    /// A trade setup: an entry price followed, within a few lines, by a target or stop price
    /// ("BUY - UNDER 410 SELL - 455-480", "Entry: 0.07 … Stop: 0.06").
    fn trade_setups(&self, text: &str, live: Live, out: &mut Vec<Detection>) {
        let mut sink = Sink::new(out, Detector::TradeSetup);
        // "BUY ZRQ SELL TARGET 820, 870": the coin, then its targets, no entry price
        let targets = live
            .has(SETUP_TICKER_TARGETS)
            .then(|| self.setup_ticker_targets.find_iter(text));
        for m in targets.into_iter().flatten() {
            if sink.full() {
                return;
            }
            sink.push(m.start(), m.end());
        }
        if !live.has(SETUP_ENTRY) {
            return;
        }
        let mut from = 0;
        while let Some(entry) = self.setup_entry.find_at(text, from) {
            if sink.full() {
                return;
            }
            let limit = super::forward_chars(text, entry.end(), 300);
            let exit = self.setup_exit.find_at(&text[..limit], entry.end());
            match exit {
                Some(exit) => {
                    sink.push(entry.start(), exit.end());
                    from = exit.end();
                }
                None => from = entry.end(),
            }
        }
    }

    /// "N% per day" needs an earning word within a few words before it (a price that moves 5% a
    /// day is not a promise); "年化 N%" / "APY N%" name the yield themselves.
    /// `census` is [`Census::of`] `text`.
    pub(crate) fn yields(&self, text: &str, census: &Census, out: &mut Vec<Detection>) {
        self.yields_live(text, Live::of(census), out);
    }

    /// [`PromoDetector::yields`] with the slots that may match `text` already known.
    fn yields_live(&self, text: &str, live: Live, out: &mut Vec<Detection>) {
        let mut sink = Sink::new(out, Detector::YieldPromise);
        let patterns = [
            (&self.yield_after, true, YIELD_AFTER),
            (&self.yield_before, false, YIELD_BEFORE),
            (&self.yield_annual_after, false, YIELD_ANNUAL_AFTER),
            (&self.yield_zh_numeral, false, YIELD_ZH_NUMERAL),
        ];
        for (re, needs_earning, slot) in patterns {
            if !live.has(slot) {
                continue;
            }
            for m in re.find_iter(text) {
                if sink.full() {
                    return;
                }
                let window = &text[super::back_chars(text, m.start(), 24)..m.start()];
                let earning = !needs_earning || self.earning_word.is_match(window);
                if !needs_earning && !outlandish_annual(m.as_str()) {
                    continue;
                }
                if earning && !prev_is(text, m.start(), |c| c.is_ascii_digit() || c == '.') {
                    sink.push(m.start(), m.end());
                }
            }
        }
    }

    fn links(&self, text: &str, census: &Census, live: Live, out: &mut Vec<Detection>) {
        let mut sink = Sink::new(out, Detector::Link);
        let urls = live.has(URL).then(|| self.url.find_iter(text));
        let domains = may_hold_domain(text, census).then(|| self.domain.find_iter(text));
        for m in (urls.into_iter().flatten()).chain(domains.into_iter().flatten()) {
            if sink.full() {
                return;
            }
            // a domain right after '@' is an email; after '.' or '/' it is part of a longer URL
            if !prev_is(text, m.start(), |c| {
                matches!(c, '@' | '.' | '/' | '-') || is_word(c)
            }) {
                let trimmed = m
                    .as_str()
                    .trim_end_matches(|c: char| ",.;:!?)]}'\"，。）】".contains(c));
                sink.push(m.start(), m.start() + trimmed.len());
            }
        }
    }

    fn id_tokens(&self, text: &str, census: &Census, out: &mut Vec<Detection>) {
        let mut sink = Sink::new(out, Detector::IdToken);
        // both kinds need an underscore, or (plain tokens) two digits: a text without them has
        // no ID token, whatever the regexes find
        let underscore = census.has(b'_');
        if !underscore && census.digits() < 2 {
            return;
        }
        // a spelled-out ID has its `_` between spaces (`z e d _ g e m s`): without `_ ` or ` _`
        // the capture search, slow on Chinese text, cannot find one
        let spaced_possible = underscore && census.holds(Pretest::SpacedUnderscore);
        let spaced = spaced_possible.then(|| self.spaced_id.captures_iter(text));
        for c in spaced.into_iter().flatten() {
            if sink.full() {
                return;
            }
            if let Some(m) = c.get(1).filter(|m| m.as_str().contains('_')) {
                sink.push(m.start(), m.end());
            }
        }
        if !may_hold_id_token(text) {
            return;
        }
        for m in self.id_token.find_iter(text) {
            if sink.full() {
                return;
            }
            let glued_before = prev_is(text, m.start(), |c| {
                is_word(c) || matches!(c, '@' | '.' | '/' | '-' | '$' | ':')
            });
            let glued_after = super::next_is(text, m.end(), |c| {
                is_word(c) || matches!(c, '@' | '.' | '/' | '-' | '%')
            });
            if !glued_before && !glued_after && looks_like_id(m.as_str()) {
                sink.push(m.start(), m.end());
            }
        }
    }
}

/// Words one of which every `coin_reveal` shape names (its coin, token, pump, pair or exchange).
pub(super) const REVEAL_WORDS: [&str; 5] = ["coin", "token", "pump", "pair", "exchange"];
/// The linking words of `id_on_channel`, one of which stands between an ID and its channel
/// (`kev_otc on tele`).
pub(super) const LINKING_WORDS: [&str; 4] = [" on ", " at ", " via ", " @ "];
/// One of which every `ticker_reveal` match holds, in either case.
const TICKER_REVEAL_WORDS: [&str; 2] = ["coin ", "today"];
/// One of which every `promo_code` match holds, in either case.
const PROMO_CODE_WORDS: [&str; 3] = ["code", "c0de", "coupon"];
/// The last chars of the channel names of `short_channel_id` (`v`, `vx`, `qq`, `tg`, `line`,
/// `signal`, `whatsapp`, `wa`, `telegram`, `wechat`, `skype`, `微信`, `电报`…).
const CHANNEL_NAME_ENDS: [char; 15] = [
    'v', 'x', 'q', 'g', 'e', 'l', 'p', 'a', 'm', 't', '薇', '微', '扣', '信', '报',
];

/// True if `text` holds one of `words` (ASCII, lowercase), ignoring ASCII case.
fn has_any_ignoring_ascii_case(text: &str, words: &[&str]) -> bool {
    let bytes = text.as_bytes();
    words.iter().any(|word| {
        let word = word.as_bytes();
        let first = word[0];
        memchr::memchr2_iter(first, first.to_ascii_uppercase(), bytes).any(|at| {
            (bytes.get(at..at + word.len())).is_some_and(|w| w.eq_ignore_ascii_case(word))
        })
    })
}

/// False when `short_channel_id` cannot match `text`: every match has a channel name (ending
/// in one of [`CHANNEL_NAME_ENDS`]), then optional white space, before its `:`, `：` or `=`.
/// Prices, times and labels (`price: 100`, `10:30`) mostly fail it.
fn may_hold_short_channel_id(text: &str) -> bool {
    // bytes, not chars: `：` is the only candidate led by 0xEF, which starts a char wherever it
    // is (a lead byte is never a continuation byte), and Chinese text has few of either
    let bytes = text.as_bytes();
    memchr::memchr3_iter(b':', b'=', 0xEF, bytes).any(|at| {
        (bytes[at] != 0xEF || bytes[at..].starts_with("：".as_bytes()))
            && text[..at]
                .trim_end_matches(char::is_whitespace)
                .ends_with(CHANNEL_NAME_ENDS)
    })
}

/// False when `id_token` cannot find an ID in `text`: a match lies inside one run of
/// `[a-z0-9_]`, and [`looks_like_id`] wants an underscore (then the run has a letter and 5+
/// chars) or 7+ chars with 3 letters and 2 digits. Posts with digits in prices and dates, but
/// no such run, are spared the search (it matches every word of 5+ letters).
fn may_hold_id_token(text: &str) -> bool {
    // one pass, counting each run as it goes (splitting first cost a few passes per run, and
    // Chinese text is mostly one-byte-long gaps between empty runs)
    let (mut len, mut letters, mut digits, mut underscore) = (0usize, 0usize, 0usize, false);
    // a trailing non-ID byte ends the last run like any other
    for &b in text.as_bytes().iter().chain([&b' ']) {
        match b {
            b'a'..=b'z' => letters += 1,
            b'0'..=b'9' => digits += 1,
            b'_' => underscore = true,
            _ => {
                if (underscore && letters > 0 && len >= 5)
                    || (len >= 7 && letters >= 3 && digits >= 2)
                {
                    return true;
                }
                (len, letters, digits, underscore) = (0, 0, 0, false);
                continue;
            }
        }
        len += 1;
    }
    false
}

/// False when the domain pattern cannot match `text` (whose [`Census`] is `census`): every
/// match ends with a [`DOT`] and a TLD of [`TLDS`], so `text` has a `.` right before a TLD name or
/// a defanged dot. (A cheap test that spares most posts the regex.)
fn may_hold_domain(text: &str, census: &Census) -> bool {
    let b = text.as_bytes();
    let dot_tld = memchr::memchr_iter(b'.', b).any(|i| {
        let after = b.get(i + 1..).unwrap_or_default();
        TLDS.iter().any(|t| after.starts_with(t.as_bytes()))
    });
    dot_tld || census.holds(Pretest::DefangedDot)
}

/// An annual figure (年化, APR, APY, ROI) is a promise only when it is outlandish: staking at
/// 5% a year is ordinary finance, "年化120%" is not.
fn outlandish_annual(m: &str) -> bool {
    let annual = ["年化", "年收益", "apr", "apy", "roi"]
        .iter()
        .any(|w| m.contains(w));
    let value: f64 = m
        .rsplit(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .find(|s| !s.is_empty())
        .map_or(0.0, |s| s.replace(',', "").parse().unwrap_or(0.0));
    !annual || value >= 50.0
}

/// Cashtag matches of `re` not glued to a preceding word or `$` (`abc$xyz`, `$$x`).
fn cashtags(re: &Regex, text: &str, out: &mut Vec<Detection>) {
    let mut sink = Sink::new(out, Detector::Cashtag);
    for m in re.find_iter(text) {
        if sink.full() {
            return;
        }
        if !prev_is(text, m.start(), |c| is_word(c) || c == '$') {
            sink.push(m.start(), m.end());
        }
    }
}

/// The regexes of `patterns` (gate slots `first`, `first + 1`, …) that [`Live`] lets in.
fn live_only(patterns: &[Regex], first: usize, live: Live) -> impl Iterator<Item = &Regex> {
    (patterns.iter().enumerate())
        .filter(move |(i, _)| live.has(first + i))
        .map(|(_, re)| re)
}

fn push_all<'a>(patterns: impl IntoIterator<Item = &'a Regex>, text: &str, sink: &mut Sink) {
    for re in patterns {
        for m in re.find_iter(text) {
            if sink.full() {
                return;
            }
            sink.push(m.start(), m.end());
        }
    }
}

/// 5–17 characters with at least one capital letter and one digit (`QX7R2B`, `QX9-RTZ`).
fn looks_like_code(token: &str) -> bool {
    (5..=17).contains(&token.len())
        && token.bytes().any(|b| b.is_ascii_uppercase())
        && token.bytes().any(|b| b.is_ascii_digit())
}

/// Has an underscore, or is 7+ characters with at least three letters and two digits
/// (`wang_xiafu_u`, `laozhang88`), and is not a token standard like `erc20` / `trc20`.
fn looks_like_id(token: &str) -> bool {
    let letters = token.chars().filter(char::is_ascii_alphabetic).count();
    let digits = token.chars().filter(char::is_ascii_digit).count();
    let standard = ["erc", "trc", "bep", "brc", "spl"]
        .iter()
        .any(|p| token.starts_with(p))
        && token.len() <= 6;
    !standard && (token.contains('_') || (token.len() >= 7 && letters >= 3 && digits >= 2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// One detector for the property tests, compiled once.
    fn shared() -> &'static PromoDetector {
        static PROMO: std::sync::OnceLock<PromoDetector> = std::sync::OnceLock::new();
        PROMO.get_or_init(PromoDetector::new)
    }

    fn found(text: &str, detector: Detector) -> Vec<&str> {
        let mut out = Vec::new();
        PromoDetector::new().detect(text, &Census::of(text), &mut out);
        let mut spans: Vec<(usize, usize)> = out
            .iter()
            .filter(|d| d.detector == detector)
            .map(|d| (d.start, d.end))
            .collect();
        spans.dedup(); // two patterns may report one span; `finish` removes those in real use
        spans.into_iter().map(|(a, b)| &text[a..b]).collect()
    }

    fn found_original(text: &str, detector: Detector) -> Vec<&str> {
        let mut out = Vec::new();
        PromoDetector::new().detect_original(text, &mut out);
        out.iter()
            .filter(|d| d.detector == detector)
            .map(|d| &text[d.start..d.end])
            .collect()
    }

    fn pretest_piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "ab",
            "zed",
            "x",
            "_",
            "7",
            "88",
            " ",
            ":",
            "：",
            "=",
            "\u{3000}",
            "\n",
            "v",
            "vx",
            "qq",
            "tg",
            "薇",
            "微信",
            "电报",
            "line",
            "signal",
            "wa",
            "skype",
            "price",
            "收",
            "-",
            ".",
            "wx",
            "vx:",
            "tg =",
            "qq：",
            "扣:",
            "abc123",
            "zed_88",
            "kev_otc",
            "Today's signal ",
            "the coin is ",
            "Coin name: ",
            "Code: ",
            "c0de ",
            "coupon:",
            "@",
            "$",
            "$ ",
            "QX",
            "7R2",
            "Coin ",
            "COIN",
            "coin",
            "name",
            "is",
            "The",
            "today",
            "TODAY",
            "'s",
            "code",
            "CODE",
            "c0de",
            "Coupon",
            "K",
            "ſ",
            "ı",
            "İ",
            "ℂ",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// The pretests before the ID-token, short channel ID, ticker, promo-code and spaced
        /// cashtag searches only skip searches that would find nothing.
        #[test]
        fn promo_pretests_never_hide_a_match(
            pieces in prop::collection::vec(pretest_piece(), 0..12)
        ) {
            let promo = shared();
            let text = pieces.concat();
            let id = promo.id_token.find_iter(&text).any(|m| looks_like_id(m.as_str()));
            prop_assert!(!id || may_hold_id_token(&text), "{}", text);
            let short = promo.short_channel_id.is_match(&text);
            prop_assert!(!short || may_hold_short_channel_id(&text), "{}", text);
            let ticker = promo.ticker_reveal.is_match(&text);
            prop_assert!(!ticker || has_any_ignoring_ascii_case(&text, &TICKER_REVEAL_WORDS), "{}", text);
            let code = promo.promo_code.is_match(&text);
            prop_assert!(!code || has_any_ignoring_ascii_case(&text, &PROMO_CODE_WORDS), "{}", text);
            prop_assert!(!promo.spaced_cashtag.is_match(&text) || text.contains("$ "), "{}", text);
        }
    }

    #[test]
    fn promo_pretests_see_what_the_searches_find() {
        assert!(may_hold_id_token("add zed_gems now"));
        assert!(may_hold_id_token("wx laozhang88"));
        assert!(!may_hold_id_token("price 6.95 on 2024-05-01, 100 coins"));
        assert!(may_hold_short_channel_id("vx： abc123"));
        assert!(may_hold_short_channel_id("电报 = zed_otc"));
        assert!(!may_hold_short_channel_id("总价: 100, at 10:30"));
        assert!(has_any_ignoring_ascii_case(
            "The COIN is QRXZ",
            &TICKER_REVEAL_WORDS
        ));
        assert!(has_any_ignoring_ascii_case(
            "Use CoUpOn X",
            &PROMO_CODE_WORDS
        ));
        assert!(!has_any_ignoring_ascii_case(
            "the coins fell",
            &TICKER_REVEAL_WORDS
        ));
        // and the searches behind them still run
        assert_eq!(
            found_original("buy $ QRXZ now", Detector::Cashtag),
            vec!["$ QRXZ"]
        );
        let reveal = found_original("The COIN is QRXZ", Detector::CoinReveal);
        assert_eq!(reveal, vec!["The COIN is QRXZ"]);
    }

    #[test]
    fn promo_codes_mix_capitals_and_digits() {
        let codes = |t| found_original(t, Detector::PromoCode);
        assert_eq!(codes("Deposit now. Code: QX7R2B!"), vec!["Code: QX7R2B"]);
        assert_eq!(codes("bonus w/ c0de QX9-RTZ"), vec!["c0de QX9-RTZ"]);
        assert!(codes("area code 2024 is new").is_empty(), "digits only");
        assert!(codes("Code: READ the docs").is_empty(), "letters only");
        assert!(codes("my zip code is a2b").is_empty(), "lower case, short");
        assert!(codes("barcode QX7R2B").is_empty(), "code must be a word");
    }

    #[test]
    fn titled_names_need_a_capitalized_name() {
        let names = |t| found_original(t, Detector::NamedPerson);
        assert_eq!(
            names("it's Mr. Harold Benson. Best decision"),
            vec!["Mr. Harold Benson"]
        );
        assert_eq!(names("contact Mrs Clara now"), vec!["Mrs Clara"]);
        assert!(names("Mr. bean is funny").is_empty());
        assert!(names("the DR of the fund").is_empty());
    }

    #[test]
    fn yield_promises() {
        assert_eq!(
            found("earn 3% per day in btc", Detector::YieldPromise),
            vec!["3% per day"]
        );
        assert_eq!(
            found("vault pays 1,620% apy", Detector::YieldPromise),
            vec!["1,620% apy"]
        );
        assert!(found("savings at 4.5% apy", Detector::YieldPromise).is_empty());
        assert_eq!(
            found("质押u，日息一点五，随存随取", Detector::YieldPromise),
            vec!["日息一点五"]
        );
        assert!(found("日化用品三折", Detector::YieldPromise).is_empty());
        assert_eq!(
            found("stake and get 4.5% daily", Detector::YieldPromise),
            vec!["4.5% daily"]
        );
        assert_eq!(
            found("矿机托管,年化120%", Detector::YieldPromise),
            vec!["年化120%"]
        );
        assert_eq!(
            found("静态收益每天1.5%", Detector::YieldPromise),
            vec!["静态收益每天1.5%"]
        );
        assert!(found("btc is up 3% today", Detector::YieldPromise).is_empty());
        assert!(
            found(
                "the price swings about 5% a day lately",
                Detector::YieldPromise
            )
            .is_empty()
        );
        assert!(found("每天要安排公司20%的人回来", Detector::YieldPromise).is_empty());
        assert!(found("inflation was 3% last year", Detector::YieldPromise).is_empty());
    }

    #[test]
    fn income_claims_and_chinese_numeral_rates() {
        assert_eq!(
            found("another $3k profit today, thanks", Detector::IncomeClaim),
            vec!["$3k profit today"]
        );
        assert_eq!(
            found("宝妈在家玩币月入3万", Detector::IncomeClaim),
            vec!["月入3万"]
        );
        // nested duplicates ("$5k a day" inside it) are removed later by `finish`
        assert_eq!(
            found("make $5k a day with flash loans", Detector::IncomeClaim)[0],
            "make $5k a day"
        );
        assert_eq!(
            found("turn $300 into $3,000 every week", Detector::IncomeClaim),
            vec!["turn $300 into $3,000"]
        );
        assert!(found("i make coffee a day", Detector::IncomeClaim).is_empty());
        assert_eq!(
            found("价格七块零五,收柒零三", Detector::Rate),
            vec!["七块零五", "收柒零三"]
        );
        assert!(found("七个人一起", Detector::Rate).is_empty());
        assert_eq!(
            found("apy 1,620% audited", Detector::YieldPromise),
            vec!["apy 1,620%"]
        );
        assert!(found("staking apr 5.7% this year", Detector::YieldPromise).is_empty());
    }

    #[test]
    fn capitalized_ticker_reveals_in_the_original() {
        let mut out = Vec::new();
        PromoDetector::new().detect_original("The coin is QRXZ", &mut out);
        assert_eq!(out.len(), 1);
        out.clear();
        PromoDetector::new().detect_original("the coin is dead and the coin is Good", &mut out);
        assert!(out.is_empty());
        PromoDetector::new().detect_original("Coin name MEKKO. buy: $ MEKKO", &mut out);
        assert_eq!(out.len(), 2, "a capitalised reveal and a spaced cashtag");
        out.clear();
        PromoDetector::new().detect_original("rent is 900$ USD, my $ salary", &mut out);
        assert!(out.is_empty(), "{out:?}");
        PromoDetector::new().detect_original("📈 Today's signal : ZORQ", &mut out);
        assert_eq!(out.len(), 1, "a call's header with its ticker: {out:?}");
        out.clear();
        PromoDetector::new().detect_original("today's signal was weak, Sadly", &mut out);
        assert!(out.is_empty(), "no ticker after the header: {out:?}");
    }

    #[test]
    fn pump_reveals_and_trade_setups() {
        assert_eq!(
            found("coin is : qrx 🚀 buy now", Detector::CoinReveal),
            vec!["coin is : qrx"]
        );
        assert_eq!(
            found(
                "exchange: lbank_cex, trading pair: qrx-usdt",
                Detector::CoinReveal
            ),
            vec!["trading pair: qrx-usdt", "exchange: lbank_cex"]
        );
        assert_eq!(
            found("3 hours left pair : - $ qrx", Detector::CoinReveal),
            vec!["pair : - $ qrx"]
        );
        assert!(found("the coin is dead, sadly", Detector::CoinReveal).is_empty());
        // a pair names its quote currency: `pair: still …` is a sentence going on
        assert_eq!(
            found("new pair: qrxusdt", Detector::CoinReveal),
            vec!["pair: qrxusdt"]
        );
        assert!(found("the qrx/btc pair: still ranging", Detector::CoinReveal).is_empty());
        assert_eq!(
            found("qrx buy - 410 sell - 455-480", Detector::TradeSetup),
            vec!["buy - 410 sell - 455"]
        );
        assert!(found("i sell my car to buy a house", Detector::TradeSetup).is_empty());
        assert_eq!(
            found("coin is 🔥 z o r a 🔥", Detector::CoinReveal),
            vec!["coin is 🔥 z o r a"]
        );
        assert_eq!(
            found("coin : * * mekko * *", Detector::CoinReveal),
            vec!["coin : * * mekko"]
        );
        assert_eq!(
            found("buy coin 👉 📍 mekko 📍", Detector::CoinReveal),
            vec!["buy coin 👉 📍 mekko"]
        );
        assert!(found("buy coin now and hold", Detector::CoinReveal).is_empty());
        assert_eq!(
            found("coin name = mekko", Detector::CoinReveal),
            vec!["coin name = mekko"]
        );
        assert_eq!(
            found("coin is 👉 🐳 mekko 🐳", Detector::CoinReveal),
            vec!["coin is 👉 🐳 mekko"]
        );
        assert_eq!(
            found("the coin we have chosen is mekko", Detector::CoinReveal),
            vec!["coin we have chosen is mekko"]
        );
        assert_eq!(
            found("buy zora 12 tp 15", Detector::TradeSetup),
            vec!["buy zora 12 tp 15"]
        );
        assert_eq!(
            found("buy zrq sell target 820, 870", Detector::TradeSetup),
            vec!["buy zrq sell target 820"]
        );
        assert_eq!(
            found(
                "buying plmx under 510 sats target 640",
                Detector::TradeSetup
            ),
            vec!["buying plmx under 510 sats target 640"]
        );
        assert!(found("buy milk and target 2 stores", Detector::TradeSetup).is_empty());
        assert!(found("buy tickets, target: 3 shows", Detector::TradeSetup).is_empty());
    }

    #[test]
    fn one_letter_channels_with_a_colon() {
        assert_eq!(
            found("带单老师 v：ls9997 每日三单", Detector::ContactHandle),
            vec!["ls9997"]
        );
        assert!(found("uniswap v2: liquidity", Detector::ContactHandle).is_empty());
        assert_eq!(
            found(
                "otc desk. signal: porto.otc42, line：deskline_7",
                Detector::ContactHandle
            ),
            vec!["porto.otc42", "deskline_7"]
        );
        assert!(found("the signal: buy at 5", Detector::ContactHandle).is_empty());
    }

    #[test]
    fn ids_named_before_their_channel() {
        assert_eq!(
            found("fast swaps, rio_desk7 on tele", Detector::ContactHandle),
            vec!["rio_desk7"]
        );
        assert_eq!(
            found("find otc.lisboa_2 via whatsapp", Detector::ContactHandle),
            vec!["otc.lisboa_2"]
        );
        // plain words are not IDs: no digit or underscore
        assert!(found("i read that on telegram", Detector::ContactHandle).is_empty());
        assert!(found("posted updates on wechat", Detector::ContactHandle).is_empty());
    }

    #[test]
    fn spaced_out_handles() {
        assert_eq!(
            found("dm z e d _ g e m s now", Detector::IdToken),
            vec!["z e d _ g e m s"]
        );
        assert!(found("v i p room open", Detector::IdToken).is_empty());
    }

    #[test]
    fn cashtags_links_and_ids() {
        assert_eq!(
            found("coin: $zaph buy now, not $100", Detector::Cashtag),
            vec!["$zaph"]
        );
        let mut links = found(
            "claim at claim-zentra-drop.xyz or https://t.co/ab12, mail a@b.com",
            Detector::Link,
        );
        links.extend(found(
            "drop at zent-drop[.]xyz or zent-drop dot app",
            Detector::Link,
        ));
        links.sort();
        assert_eq!(
            links,
            vec![
                "claim-zentra-drop.xyz",
                "https://t.co/ab12",
                "zent-drop dot app",
                "zent-drop[.]xyz"
            ]
        );
        assert_eq!(
            found("✈ wang_xiafu_u 收u, laozhang88", Detector::IdToken),
            vec!["wang_xiafu_u", "laozhang88"]
        );
        assert!(
            found(
                "hello world, covid test, @user_1, a.b_c.com",
                Detector::IdToken
            )
            .is_empty()
        );
    }

    fn domain_piece() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            "a", "zent", "-", "drop", "9", " ", ".", "。", "．", "[.]", "(.)", "[dot]", "[dot",
            " dot ", "dot", "(", ")", "[", "]", "/", "_", "com", "co", "xyz", "me", "to", "store",
            "收", "币", "é", "\n",
        ])
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        #[test]
        fn the_domain_pretest_never_hides_a_domain(
            pieces in proptest::collection::vec(domain_piece(), 0..16)
        ) {
            let promo = shared();
            let text = pieces.concat();
            proptest::prop_assert!(!promo.domain.is_match(&text) || may_hold_domain(&text, &Census::of(&text)), "{}", text);
        }

        #[test]
        fn the_id_token_pretest_never_hides_an_id(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "a", "b", "zx", "_", " ", "1", "9", "q", "收", "-", ".", "@", "wang", "88",
            ]), 0..24)
        ) {
            let promo = shared();
            let text = pieces.concat();
            let skipped = !text.contains('_') && text.bytes().filter(u8::is_ascii_digit).count() < 2;
            if skipped {
                let id = promo.id_token.find_iter(&text).any(|m| looks_like_id(m.as_str()));
                let spaced = promo.spaced_id.captures_iter(&text)
                    .any(|c| c.get(1).is_some_and(|m| m.as_str().contains('_')));
                proptest::prop_assert!(!id && !spaced, "{}", text);
            }
        }
    }

    #[test]
    fn gate_slots_name_their_regexes() {
        let d = PromoDetector::new();
        let gated = d.gated();
        let slots = [
            (YIELD_AFTER, &d.yield_after),
            (YIELD_BEFORE, &d.yield_before),
            (YIELD_ANNUAL_AFTER, &d.yield_annual_after),
            (YIELD_ZH_NUMERAL, &d.yield_zh_numeral),
            (CASHTAG, &d.cashtag),
            (URL, &d.url),
            (SETUP_TICKER_TARGETS, &d.setup_ticker_targets),
            (SETUP_ENTRY, &d.setup_entry),
            (INCOME, &d.income[0]),
            (INCOME + d.income.len(), &d.zh_rate[0]),
        ];
        for (slot, re) in slots {
            assert!(
                std::ptr::eq(gated[slot], re),
                "slot {slot}: {}",
                re.as_str()
            );
        }
        assert_eq!(gated.len(), NEEDS.len(), "one need per gated regex");
    }

    #[test]
    fn a_text_without_any_need_has_no_live_slot_and_each_need_opens_its_slots() {
        assert_eq!(Live::of(&Census::of("周末去公园 walk the dog")).0, 0);
        let live = Live::of(&Census::of("日返 50%"));
        let open: Vec<usize> = (0..NEEDS.len()).filter(|&s| live.has(s)).collect();
        assert_eq!(
            open,
            [
                YIELD_AFTER,
                YIELD_BEFORE,
                YIELD_ANNUAL_AFTER,
                YIELD_ZH_NUMERAL
            ]
        );
        let live = Live::of(&Census::of("see www.example.com"));
        let open: Vec<usize> = (0..NEEDS.len()).filter(|&s| live.has(s)).collect();
        assert_eq!(open, [URL]);
    }

    /// Words and marks the gated regexes look for, to build texts that match some of them.
    fn promo_word() -> impl Strategy<Value = String> {
        let words = [
            "earn",
            "3%",
            "4.5 %",
            "daily",
            "per day",
            "年化",
            "120%",
            "日息",
            "一点五",
            "$zaph",
            "$",
            "https://",
            "www.",
            "x.com",
            "buy",
            "btc",
            "sell",
            "targets:",
            "820",
            "entry",
            "0.07",
            "月入",
            "3万",
            "make",
            "$500",
            "a day",
            "turn",
            "into",
            "$3,000",
            "收",
            "七块零五",
            "陆点九",
            "日返",
            "月收益",
            "一点二",
            "http://",
            "long",
            "short",
            "accumulate",
            "日赚",
            "一天赚",
            "making",
            "earning",
            "0.1",
            "eth",
            "per",
            "伍块",
            "柒",
            "汇率",
            "出",
            "apy",
            // a match of each gated regex, so every slot's need meets texts it matches
            "earn 3% daily",
            "年化 120%",
            "1,620% apy",
            "日息一点五",
            "https://x.io/a",
            "buy $abc sell targets: 820",
            "entry 0.07",
            "月入3万",
            "make $500 a day",
            "$500 a day",
            "earn 0.1 btc a day",
            "turn $300 into $3,000",
            "$900 profit today",
            "收柒零三",
            "profit",
            "today",
            "项目",
            "the",
            " ",
            "\n",
            "：",
            ",",
        ];
        prop::sample::select(words.to_vec()).prop_map(str::to_string)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Every slot whose regex matches is live, so skipping the others finds nothing less.
        #[test]
        fn a_slot_is_live_wherever_its_regex_matches(
            words in prop::collection::vec(promo_word(), 0..12),
        ) {
            let d = shared();
            let text = words.concat();
            let live = Live::of(&Census::of(&text));
            for (slot, re) in d.gated().into_iter().enumerate() {
                prop_assert!(live.has(slot) || !re.is_match(&text), "{} on {:?}", re.as_str(), text);
            }
        }
    }
}
