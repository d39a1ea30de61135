//! What a text holds, found once for every detector: which ASCII bytes, how many ASCII digits,
//! and which of the detectors' pretest literals.
//!
//! Most detector searches cannot match a text that lacks some byte or word (a rate in words needs
//! `汇率`, `rate` or `price`; a countdown needs a unit or a "left"-word). Looking for each of those
//! words with its own `str::contains` took ~25 calls per post that reaches the detectors (~2,600
//! instructions and ~27 mispredicted branches under callgrind on the benchmark dump). One walk of
//! a small Aho-Corasick DFA over the text finds them all at once and keeps one bit per
//! [`Pretest`].

use super::{number, promo, quote};
use aho_corasick::MatchKind;
use aho_corasick::dfa::DFA;
use std::sync::LazyLock;

/// A question a detector asks before its search: does the text hold any of
/// [`Pretest::literals`]? [`Census::holds`] answers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pretest {
    /// A rate word (`汇率`, `price`, `@`): every worded rate has one.
    RateWord,
    /// A multiplication mark (`x`, `×`, `✖`, `倍`): every multiplier has one.
    MultiplierMark,
    /// `倍`, the one multiplication mark a multiplier without a digit (`百倍`) can use.
    TimesWord,
    /// A unit, a "left"-word, a time zone or a Chinese countdown word: every countdown has one.
    CountdownCue,
    /// `send`, `deposit`, `transfer`: every doubling pitch starts with one.
    DoublingVerb,
    /// `at 0.` or `at 1.`: every peg-rate quote has one.
    PegQuote,
    /// `sell` or `buy`: the trade verb every peg-rate quote has.
    TradeVerb,
    /// `coin`, `token`, `pump`, `pair`, `exchange`: every coin reveal names one.
    RevealWord,
    /// ` on `, ` at `, ` via `, ` @ `: the linking word of an ID before its channel.
    LinkingWord,
    /// `_ ` or ` _`: a spelled-out ID (`z e d _ g e m s`) has one.
    SpacedUnderscore,
    /// `[.]`, `(.)`, `[dot]`, ` dot `: the defanged dots of a link.
    DefangedDot,
    /// An opening quotation mark (`“`, `「`, `"`, ...): every quoted span starts with one.
    QuoteMark,
    /// `日息`, `月收益`, ...: every yield in Chinese numerals starts with one.
    YieldZhWord,
    /// `://` or `www.`: every URL has one.
    UrlMark,
    /// `buy`, `entry`, `long`, ...: every trade setup's entry starts with one.
    SetupEntryWord,
    /// `月入`, `日赚`, ...: every Chinese income claim starts with one.
    IncomeZhWord,
    /// `make`, `making`, `earn`: every income claim in coins starts with one.
    EarnVerb,
    /// `七块`, ...: a Chinese-numeral rate with 块 after its first figure.
    ZhRateBlock,
    /// `五`, `六`, `七` (or their financial forms): the first figure of a Chinese-numeral rate.
    ZhRateDigit,
}

impl Pretest {
    /// Every pretest; its index here is its bit in [`Census`].
    pub(crate) const ALL: [Pretest; 19] = [
        Pretest::RateWord,
        Pretest::MultiplierMark,
        Pretest::TimesWord,
        Pretest::CountdownCue,
        Pretest::DoublingVerb,
        Pretest::PegQuote,
        Pretest::TradeVerb,
        Pretest::RevealWord,
        Pretest::LinkingWord,
        Pretest::SpacedUnderscore,
        Pretest::DefangedDot,
        Pretest::QuoteMark,
        Pretest::YieldZhWord,
        Pretest::UrlMark,
        Pretest::SetupEntryWord,
        Pretest::IncomeZhWord,
        Pretest::EarnVerb,
        Pretest::ZhRateBlock,
        Pretest::ZhRateDigit,
    ];

    /// The literals one of which the text must hold (lowercase: detectors run on folded text).
    pub(crate) fn literals(self) -> &'static [&'static str] {
        match self {
            Pretest::RateWord => &number::RATE_WORD_LITERALS,
            Pretest::MultiplierMark => &number::MULTIPLIER_MARKS,
            Pretest::TimesWord => &["倍"],
            Pretest::CountdownCue => &number::COUNTDOWN_CUES,
            Pretest::DoublingVerb => &number::DOUBLING_VERBS,
            Pretest::PegQuote => &["at 0.", "at 1."],
            Pretest::TradeVerb => &["sell", "buy"],
            Pretest::RevealWord => &promo::REVEAL_WORDS,
            Pretest::LinkingWord => &promo::LINKING_WORDS,
            Pretest::SpacedUnderscore => &["_ ", " _"],
            Pretest::DefangedDot => &promo::DEFANGED_DOTS,
            Pretest::QuoteMark => &quote::OPENING_MARKS,
            Pretest::YieldZhWord => &promo::YIELD_ZH_WORDS,
            Pretest::UrlMark => &promo::URL_MARKS,
            Pretest::SetupEntryWord => &promo::SETUP_ENTRY_WORDS,
            Pretest::IncomeZhWord => &promo::INCOME_ZH_WORDS,
            Pretest::EarnVerb => &promo::EARN_VERBS,
            Pretest::ZhRateBlock => &promo::ZH_RATE_BLOCKS,
            Pretest::ZhRateDigit => &promo::ZH_RATE_DIGITS,
        }
    }

    fn bit(self) -> u32 {
        1 << self as u32
    }
}

/// The pretest literals' automaton: a DFA without prefilter (the literals are short and some,
/// like `x`, are common, so a prefilter would stop often), and the pretest bits of each pattern.
struct PretestAutomaton {
    dfa: DFA,
    bits_of_pattern: Vec<u32>,
}

impl PretestAutomaton {
    fn build() -> PretestAutomaton {
        let mut patterns: Vec<&str> = Vec::new();
        let mut bits_of_pattern: Vec<u32> = Vec::new();
        for pretest in Pretest::ALL {
            for &literal in pretest.literals() {
                match patterns.iter().position(|&p| p == literal) {
                    Some(i) => bits_of_pattern[i] |= pretest.bit(),
                    None => {
                        patterns.push(literal);
                        bits_of_pattern.push(pretest.bit());
                    }
                }
            }
        }
        let mut builder = DFA::builder();
        builder.match_kind(MatchKind::Standard).prefilter(false);
        let dfa = builder
            .build(&patterns)
            .unwrap_or_else(|e| panic!("the pretest literals do not build: {e}"));
        PretestAutomaton {
            dfa,
            bits_of_pattern,
        }
    }

    /// The bits of every pretest with a literal in `text`.
    fn bits(&self, text: &str) -> u32 {
        let mut bits = 0;
        crate::matcher::dfa_matches(&self.dfa, text.as_bytes(), |_, _, pattern| {
            bits |= self
                .bits_of_pattern
                .get(pattern)
                .copied()
                .unwrap_or(u32::MAX);
            std::ops::ControlFlow::Continue(())
        });
        bits
    }
}

static PRETESTS: LazyLock<PretestAutomaton> = LazyLock::new(PretestAutomaton::build);

/// Which ASCII bytes a text holds, how many ASCII digits, and which [`Pretest`]s it passes: one
/// pass over the text for the bytes and one automaton walk for the literals answer the pretests
/// of every detector (an `@` for handles and emails, a `/` for links, eleven digits for a mobile
/// number, a countdown cue for a countdown), where each would otherwise scan the text, or start a
/// regex search, of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Census {
    /// Indexed by byte value (one store per byte of text: cheaper than setting bits).
    pub(super) seen: [bool; 256],
    pub(super) digits: usize,
    /// One bit per [`Pretest`] passed, by its index in [`Pretest::ALL`].
    pub(super) pretests: u32,
}

impl Census {
    /// The census of `text`.
    pub(crate) fn of(text: &str) -> Census {
        let bytes = text.as_bytes();
        let mut seen = [false; 256];
        for &b in bytes {
            seen[usize::from(b)] = true;
        }
        let digits = bytes.iter().filter(|b| b.is_ascii_digit()).count();
        Census {
            seen,
            digits,
            pretests: PRETESTS.bits(text),
        }
    }

    /// True if `text` holds the ASCII byte `b` (always false for a non-ASCII `b`).
    pub(crate) fn has(&self, b: u8) -> bool {
        b.is_ascii() && self.seen[usize::from(b)]
    }

    /// How many ASCII digits `text` holds.
    pub(crate) fn digits(&self) -> usize {
        self.digits
    }

    /// True if `text` holds one of `pretest`'s literals.
    pub(crate) fn holds(&self, pretest: Pretest) -> bool {
        self.pretests & pretest.bit() != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn census_counts_digits_and_sees_ascii_bytes_only() {
        let c = Census::of("＠微信 a@b.c 12/3 +86");
        assert!(c.has(b'@') && c.has(b'/') && c.has(b'+') && c.has(b'.'));
        assert!(!c.has(b'%') && !c.has(b'#') && !c.has(0xEF) && !c.has(0xFF));
        assert_eq!(c.digits(), 5);
        let empty = Census::of("");
        assert!((0..=255).all(|b| !empty.has(b)) && empty.digits() == 0);
        assert!(Pretest::ALL.iter().all(|&p| !empty.holds(p)));
    }

    #[test]
    fn each_pretest_is_its_own_bit() {
        for (i, p) in Pretest::ALL.iter().enumerate() {
            assert_eq!(*p as usize, i, "{p:?} is out of order in Pretest::ALL");
            assert!(!p.literals().is_empty());
        }
        assert!(Pretest::ALL.len() <= 32);
    }

    #[test]
    fn a_literal_shared_by_two_pretests_passes_both() {
        let c = Census::of("翻了一百倍");
        assert!(c.holds(Pretest::TimesWord) && c.holds(Pretest::MultiplierMark));
        assert!(!c.holds(Pretest::CountdownCue));
        let c = Census::of("pump at 1.02, sell before noon");
        let expected = [
            Pretest::RevealWord,
            Pretest::PegQuote,
            Pretest::TradeVerb,
            Pretest::CountdownCue,
            Pretest::LinkingWord,
        ];
        for p in Pretest::ALL {
            assert_eq!(c.holds(p), expected.contains(&p), "{p:?}");
        }
    }

    /// Pieces of every literal, so texts join them into literals, near-misses and overlaps.
    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "at",
            " ",
            "0",
            "1",
            ".",
            "a",
            "t",
            "sel",
            "l",
            "bu",
            "y",
            "x",
            "×",
            "倍",
            "倒计",
            "时",
            "分",
            "钟",
            "min",
            "hou",
            "r",
            "s",
            "e",
            "c",
            "_",
            "[",
            "]",
            "(",
            ")",
            "do",
            "coi",
            "n",
            "tok",
            "pu",
            "mp",
            "pai",
            "ex",
            "change",
            "on",
            "via",
            "@",
            "汇",
            "率",
            "价格",
            "rate",
            "pri",
            "ce",
            "s3nd",
            "dep",
            "osit",
            "trans",
            "fer",
            "gmt",
            "cest",
            "北京时间",
            "仅剩",
            "“",
            "”",
            "「",
            "《",
            "\"",
            "'",
            "日",
            "息",
            "月",
            "收益",
            "返",
            ":/",
            "/",
            "ww",
            "w.",
            "en",
            "try",
            "lo",
            "ng",
            "sho",
            "accum",
            "ulate",
            "入",
            "赚",
            "一天",
            "周",
            "ma",
            "ke",
            "king",
            "ear",
            "五",
            "七",
            "柒",
            "块",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// The census passes a pretest exactly when the text contains one of its literals.
        #[test]
        fn census_holds_what_contains_finds(
            pieces in prop::collection::vec(piece(), 0..24)
        ) {
            let text: String = pieces.concat();
            let census = Census::of(&text);
            for p in Pretest::ALL {
                let contained = p.literals().iter().any(|w| text.contains(w));
                prop_assert_eq!(census.holds(p), contained, "{:?} in {:?}", p, text);
            }
        }
    }
}
