//! Structured signals: contact handles, phones, emails, wallet addresses, rates, amounts,
//! multipliers, percent gains and countdowns.
//!
//! The lexicon finds words; this stage finds *shapes* that a word list cannot enumerate — a WeChat
//! ID after "微信", a checksummed TRON address, "6.95" next to "收". Each finding is a
//! [`Detection`]: which [`Detector`] fired and a byte range into the scanned text. Rules refer to
//! detectors by [`Detector::name`].
//!
//! Everything here runs on adversarial input, so:
//! - every regex uses bounded repetition (or matches a maximal run exactly once), so iterating
//!   over matches is linear in the input; per-match checks look at a bounded window;
//! - every slice is taken at a regex match boundary or a checked char boundary, so no input panics;
//! - each call reports at most [`MAX_DETECTIONS`] findings.

mod census;
mod contact;
mod number;
mod promo;
pub mod quote;
mod wallet;
mod zh_number;

pub(crate) use census::{Census, Pretest};
use contact::ContactDetector;
use number::NumberDetector;
use promo::PromoDetector;
use wallet::WalletDetector;

/// Most findings one `detect_*` call appends; the earliest ones (by start) are kept.
///
/// A post with thousands of phone numbers is no more suspicious than one with hundreds, and a cap
/// keeps memory and evidence output bounded on hostile input.
pub const MAX_DETECTIONS: usize = 256;

/// Which detector found something. `name()` is the signal name rules refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Detector {
    /// A messenger ID after a channel word, an `@handle`, or a t.me / wa.me link.
    ContactHandle,
    /// A Chinese mobile or `+`-prefixed international phone number.
    Phone,
    /// An email address.
    Email,
    /// A checksum-valid BTC / bech32 / TRON address, or an ETH-shaped address.
    Wallet,
    /// A USDT↔CNY style exchange rate (`6.95`, `收7.05`, `汇率 7.1`).
    Rate,
    /// A quantity of crypto (`10w u`, `100k usdt`, `0.5 btc`).
    Amount,
    /// A gain multiplier (`100x`, `1000倍`, `x100`).
    Multiplier,
    /// A gain/profit percentage (`+300%`, `涨了200%`).
    PercentGain,
    /// A pump countdown or schedule (`5 minutes left`, `19:00 gmt`, `倒计时`).
    Countdown,
    /// A fixed return per period (`3% per day`, `年化120%`).
    YieldPromise,
    /// A ticker written to be bought (`$zaph`).
    Cashtag,
    /// A URL or bare domain.
    Link,
    /// A stand-alone token shaped like a messenger ID (`wang_xiafu_u`); weak evidence.
    IdToken,
    /// A claim of income per period (`月入3万`, `make $5k a day`).
    IncomeClaim,
    /// A pump channel's coin reveal or listing format (`coin is : qrx`, `trading pair: qrx-usdt`).
    CoinReveal,
    /// A trade setup: an entry price followed by a target or stop price.
    TradeSetup,
    /// A bonus or referral code in capitals and digits after "code" (`Code: QX7R2B`).
    PromoCode,
    /// A titled name (`Mr. Harold Benson`, `Mrs. Clara`): the "expert" or "account manager"
    /// a testimonial sends readers to.
    NamedPerson,
    /// Two sums where the second is at least half again the first, after "send" and "get"
    /// (`send 0.2 get 0.4`, `send 1 ETH receive 2 ETH back`): the doubling pitch, units or not.
    Doubling,
}

impl Detector {
    /// Every detector, in declaration order (handy for rule validation and reports).
    pub const ALL: [Detector; 19] = [
        Detector::ContactHandle,
        Detector::Phone,
        Detector::Email,
        Detector::Wallet,
        Detector::Rate,
        Detector::Amount,
        Detector::Multiplier,
        Detector::PercentGain,
        Detector::Countdown,
        Detector::YieldPromise,
        Detector::Cashtag,
        Detector::Link,
        Detector::IdToken,
        Detector::IncomeClaim,
        Detector::CoinReveal,
        Detector::TradeSetup,
        Detector::PromoCode,
        Detector::NamedPerson,
        Detector::Doubling,
    ];

    /// The signal name lexicon rules use to refer to this detector (stable; snake_case).
    pub fn name(self) -> &'static str {
        match self {
            Detector::ContactHandle => "contact_handle",
            Detector::Phone => "phone",
            Detector::Email => "email",
            Detector::Wallet => "wallet",
            Detector::Rate => "rate",
            Detector::Amount => "amount",
            Detector::Multiplier => "multiplier",
            Detector::PercentGain => "percent_gain",
            Detector::Countdown => "countdown",
            Detector::YieldPromise => "yield_promise",
            Detector::Cashtag => "cashtag",
            Detector::Link => "link",
            Detector::IdToken => "id_token",
            Detector::IncomeClaim => "income_claim",
            Detector::CoinReveal => "coin_reveal",
            Detector::TradeSetup => "trade_setup",
            Detector::PromoCode => "promo_code",
            Detector::NamedPerson => "named_person",
            Detector::Doubling => "doubling",
        }
    }
}

/// A finding: byte range `[start, end)` into the text that was scanned.
///
/// Both offsets are char boundaries of that text, and `start < end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detection {
    /// Which detector fired.
    pub detector: Detector,
    /// Byte offset of the first byte of the finding.
    pub start: usize,
    /// Byte offset just past the last byte of the finding.
    pub end: usize,
}

/// All detectors, compiled once (regexes); `Send + Sync`; cheap to share by reference.
///
/// Build one per process (e.g. inside the `Filter`) and call it from any thread.
#[derive(Debug, Clone)]
pub struct Detectors {
    contact: ContactDetector,
    number: NumberDetector,
    promo: PromoDetector,
    wallet: WalletDetector,
}

impl Default for Detectors {
    fn default() -> Self {
        Detectors::new()
    }
}

impl Detectors {
    /// The detectors every [`Filter`](crate::Filter) in this process shares, compiled on first
    /// use. They do not depend on the lexicon, and compiling their regexes is about half the
    /// cost of building a filter, so a filter that only ever sees clean posts never pays it and
    /// a second filter (`eval --baseline-lexicons`) pays it once.
    pub fn shared() -> &'static Detectors {
        static SHARED: std::sync::OnceLock<Detectors> = std::sync::OnceLock::new();
        SHARED.get_or_init(Detectors::new)
    }

    /// Run `f` with this thread's clone of [`Detectors::shared`].
    ///
    /// A regex keeps its search caches in a pool whose fast path serves only the thread that
    /// searched with it first; on every other thread each search takes a cache from a locked
    /// stack and puts it back. A clone shares the compiled regexes and has a pool of its own, so
    /// the worker threads of a batch scan each search on their fast path.
    pub fn with_local<T>(f: impl FnOnce(&Detectors) -> T) -> T {
        thread_local! {
            static LOCAL: Detectors = Detectors::shared().clone();
        }
        LOCAL.with(f)
    }

    /// Compiles every detector. The patterns are constants covered by tests, so this never
    /// panics in practice.
    pub fn new() -> Detectors {
        Detectors {
            contact: ContactDetector::new(),
            number: NumberDetector::new(),
            promo: PromoDetector::new(),
            wallet: WalletDetector::new(),
        }
    }

    /// Runs every detector except `wallet` on the folded post and appends the findings to `out`.
    ///
    /// `folded` is the post after NFKC, lowercasing, traditional→simplified and
    /// Chinese-numeral→digit folding; it keeps spaces and punctuation. `channel_ends` holds byte
    /// offsets in `folded` just after each contact-channel word the lexicon found (微信, vx, qq,
    /// telegram, ...); an ID that follows one is a `contact_handle`. Offsets that are out of
    /// range or not on a char boundary are ignored; order and duplicates do not matter.
    ///
    /// The appended findings are sorted by start (then longer first), contain no exact
    /// duplicates nor a finding nested inside another of the same detector, and number at most
    /// [`MAX_DETECTIONS`]. Existing contents of `out` are left untouched.
    pub fn detect_folded(&self, folded: &str, channel_ends: &[usize], out: &mut Vec<Detection>) {
        self.detect_folded_census(folded, &Census::of(folded), channel_ends, out);
    }

    /// [`Detectors::detect_folded`] with the [`Census`] of `folded` already taken (the filter
    /// takes it once for the detectors and its own quote marks).
    pub(crate) fn detect_folded_census(
        &self,
        folded: &str,
        census: &Census,
        channel_ends: &[usize],
        out: &mut Vec<Detection>,
    ) {
        // the findings go straight to the end of `out` and are tidied there: no list per call
        let from = out.len();
        self.contact.detect(folded, census, channel_ends, out);
        self.number.detect(folded, census, out);
        self.promo.detect(folded, census, out);
        self.chinese_figures(folded, out);
        drop_ids_covered_by_contacts(out, from);
        finish(out, from);
    }

    /// Numbers written in Chinese numerals (`日息一点五`, `百分之二百`, `两千%`): the number and
    /// yield detectors run again on the text with those figures as digits, and findings that
    /// touch a rewritten figure are mapped back onto its words.
    fn chinese_figures(&self, folded: &str, out: &mut Vec<Detection>) {
        if folded.is_ascii() {
            return; // no Chinese numerals
        }
        let Some(view) = zh_number::ArabicView::of(folded) else {
            return;
        };
        let from = out.len();
        let census = Census::of(&view.text);
        self.number.detect(&view.text, &census, out);
        self.promo.yields(&view.text, &census, out);
        filter_map_from(out, from, |d| {
            let (start, end) = view.back(d.start, d.end)?;
            Some(Detection { start, end, ..d })
        });
    }

    /// Finds wallet addresses, capitalized ticker reveals (`The coin is QRXZ`), promo codes and
    /// titled names in the untouched post (case matters for base58, ETH, tickers, codes and
    /// names) and appends them to `out`, with the same ordering and cap guarantees as
    /// [`Detectors::detect_folded`].
    pub fn detect_original(&self, original: &str, out: &mut Vec<Detection>) {
        let from = out.len();
        self.wallet.detect(original, out);
        self.promo.detect_original(original, out);
        finish(out, from);
    }
}

/// Collects findings from one source, stopping once the source has produced the cap.
///
/// Each source yields findings in (roughly) increasing start order, so keeping the first
/// [`MAX_DETECTIONS`] per source is enough to keep the first ones overall, and it bounds work
/// and memory on inputs with millions of candidates.
pub(crate) struct Sink<'a> {
    out: &'a mut Vec<Detection>,
    detector: Detector,
    pushed: usize,
}

impl<'a> Sink<'a> {
    /// A sink that tags everything it receives with `detector`.
    pub(crate) fn new(out: &'a mut Vec<Detection>, detector: Detector) -> Sink<'a> {
        Sink {
            out,
            detector,
            pushed: 0,
        }
    }

    /// Records `[start, end)` (ignored when empty or reversed).
    pub(crate) fn push(&mut self, start: usize, end: usize) {
        if start < end && !self.full() {
            self.out.push(Detection {
                detector: self.detector,
                start,
                end,
            });
            self.pushed += 1;
        }
    }

    /// True once this source has produced [`MAX_DETECTIONS`] findings; callers stop scanning.
    pub(crate) fn full(&self) -> bool {
        self.pushed >= MAX_DETECTIONS
    }
}

/// Replace `out[from..]` with what `keep` makes of each of its findings, in order, dropping those
/// it returns `None` for.
fn filter_map_from(
    out: &mut Vec<Detection>,
    from: usize,
    mut keep: impl FnMut(Detection) -> Option<Detection>,
) {
    let mut kept = from;
    for i in from..out.len() {
        if let Some(d) = keep(out[i]) {
            out[kept] = d;
            kept += 1;
        }
    }
    out.truncate(kept);
}

/// An ID token in `out[from..]` that is already part of a handle, email or link there is not a
/// second finding.
fn drop_ids_covered_by_contacts(out: &mut Vec<Detection>, from: usize) {
    let Some(found) = out.get(from..) else {
        return;
    };
    let is_cover = |d: &Detection| {
        matches!(
            d.detector,
            Detector::ContactHandle | Detector::Email | Detector::Link
        )
    };
    if !found.iter().any(|d| d.detector == Detector::IdToken) || !found.iter().any(is_cover) {
        return;
    }
    let covers: Vec<(usize, usize)> = (found.iter().filter(|d| is_cover(d)))
        .map(|d| (d.start, d.end))
        .collect();
    filter_map_from(out, from, |d| {
        let covered = covers.iter().any(|&(a, b)| a < d.end && d.start < b);
        (d.detector != Detector::IdToken || !covered).then_some(d)
    });
}

/// Sorts the findings `out[from..]`, removes exact duplicates and same-detector findings nested in
/// an earlier one, and keeps the first [`MAX_DETECTIONS`].
fn finish(out: &mut Vec<Detection>, from: usize) {
    let Some(found) = out.get_mut(from..) else {
        return;
    };
    found.sort_unstable_by_key(|d| (d.start, std::cmp::Reverse(d.end), d.detector));
    let mut max_end = [0usize; Detector::ALL.len()];
    let mut kept = 0;
    filter_map_from(out, from, |d| {
        let slot = &mut max_end[d.detector as usize];
        if kept == MAX_DETECTIONS || *slot >= d.end {
            return None; // past the cap, or a duplicate or nested in a longer finding
        }
        *slot = d.end;
        kept += 1;
        Some(d)
    });
}

/// The char just before byte offset `at` (which must be a char boundary), if any.
pub(crate) fn char_before(text: &str, at: usize) -> Option<char> {
    text.get(..at).and_then(|s| s.chars().next_back())
}

/// The char starting at byte offset `at` (which must be a char boundary), if any.
pub(crate) fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..).and_then(|s| s.chars().next())
}

/// True if the char at `at` exists and satisfies `pred`.
pub(crate) fn next_is(text: &str, at: usize, pred: impl Fn(char) -> bool) -> bool {
    char_at(text, at).is_some_and(pred)
}

/// True if the char before `at` exists and satisfies `pred`.
pub(crate) fn prev_is(text: &str, at: usize, pred: impl Fn(char) -> bool) -> bool {
    char_before(text, at).is_some_and(pred)
}

/// True for an ASCII letter, digit or underscore — the chars that glue a token to its neighbour.
pub(crate) fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// True if `[at..]` starts with `.` followed by an ASCII digit (the number goes on).
pub(crate) fn decimal_follows(text: &str, at: usize) -> bool {
    text.as_bytes()
        .get(at..at + 2)
        .is_some_and(|b| b[0] == b'.' && b[1].is_ascii_digit())
}

/// The byte offset `n` chars before `at` (or 0), staying on char boundaries.
pub(crate) fn back_chars(text: &str, at: usize, n: usize) -> usize {
    let Some(head) = text.get(..at) else {
        return at;
    };
    head.char_indices()
        .rev()
        .take(n)
        .last()
        .map_or(at, |(i, _)| i)
}

/// The byte offset `n` chars after `at` (or the end), staying on char boundaries.
pub(crate) fn forward_chars(text: &str, at: usize, n: usize) -> usize {
    let Some(tail) = text.get(at..) else {
        return at;
    };
    tail.char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A census that lets every pretest pass: detectors then search for every pattern.
    const EVERYTHING: Census = Census {
        seen: [true; 256],
        digits: usize::MAX,
        pretests: u32::MAX,
    };

    fn contact_and_number_piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "@", "＠", "/", "+", "+86 ", "138", "0013", "8888", "-", " ", ".", "%", "t.me",
            "wa.me", "https://", "joinchat", "abc_", "x", "mail", ".com", "微信", "电话", "5", "×",
            "倍", "@ ", "(", ")", "7.05", "汇率",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// The pretests only skip searches that would find nothing.
        #[test]
        fn census_pretests_never_lose_a_finding(
            pieces in prop::collection::vec(contact_and_number_piece(), 0..14)
        ) {
            let text: String = pieces.concat();
            let d = Detectors::shared();
            let run = |census: &Census| {
                let mut out = Vec::new();
                d.contact.detect(&text, census, &[], &mut out);
                d.number.detect(&text, census, &mut out);
                out
            };
            prop_assert_eq!(run(&Census::of(&text)), run(&EVERYTHING), "{:?}", text);
        }
    }

    fn folded(text: &str, ends: &[usize]) -> Vec<Detection> {
        let mut out = Vec::new();
        Detectors::new().detect_folded(text, ends, &mut out);
        out
    }

    fn names(text: &str, ends: &[usize]) -> Vec<(&'static str, String)> {
        folded(text, ends)
            .iter()
            .map(|d| (d.detector.name(), text[d.start..d.end].to_string()))
            .collect()
    }

    #[test]
    fn per_thread_clones_find_what_the_shared_detectors_find() {
        let text = "日息1.5% 月入3万 vx: zrq_otc88 官网 zrqswap.io $zaph buy 410 sell 455";
        let original = "The coin is QRXZ, code: QX7R2B, 0x52908400098527886E0F7030069857D2E4169EE7";
        let run = |d: &Detectors| {
            let mut out = Vec::new();
            d.detect_folded(text, &[], &mut out);
            d.detect_original(original, &mut out);
            out
        };
        let shared = run(Detectors::shared());
        assert!(shared.len() >= 6, "{shared:?}");
        // several threads at once, each searching many times with its own clone
        let local: Vec<Vec<Detection>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..3)
                .map(|_| s.spawn(|| (0..20).map(|_| Detectors::with_local(run)).collect()))
                .collect();
            let joined = handles.into_iter().filter_map(|h| h.join().ok());
            joined.flat_map(|runs: Vec<Vec<Detection>>| runs).collect()
        });
        assert_eq!(local.len(), 60);
        for found in local {
            assert_eq!(found, shared);
        }
    }

    #[test]
    fn names_are_unique_and_snake_case() {
        let mut seen: Vec<&str> = Detector::ALL.iter().map(|d| d.name()).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), Detector::ALL.len());
        assert!(
            seen.iter()
                .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        );
        for (i, d) in Detector::ALL.iter().enumerate() {
            assert_eq!(*d as usize, i, "ALL is in declaration order");
        }
    }

    #[test]
    fn detectors_compile_and_are_shareable() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Detectors>();
        let _ = Detectors::default();
    }

    #[test]
    fn otc_offer_end_to_end() {
        let text = "收u 6.95 微信 laozhang88";
        let ch = text.find("微信").map(|i| i + "微信".len()).unwrap_or(0);
        let got = names(text, &[ch]);
        assert_eq!(
            got,
            vec![
                ("rate", "6.95".to_string()),
                ("contact_handle", "laozhang88".to_string())
            ]
        );
    }

    #[test]
    fn output_is_sorted_deduplicated_and_appended() {
        let text = "vx: abc123 @abc123 +300% 100x";
        let mut out = vec![Detection {
            detector: Detector::Wallet,
            start: 99,
            end: 100,
        }];
        Detectors::new().detect_folded(text, &[2, 2, 2], &mut out);
        assert_eq!(out[0].start, 99, "existing contents are kept");
        let new = &out[1..];
        assert!(new.windows(2).all(|w| w[0].start <= w[1].start));
        assert!(new.windows(2).all(|w| w[0] != w[1]));
        assert_eq!(
            new.iter()
                .filter(|d| d.detector == Detector::ContactHandle)
                .count(),
            2
        );
    }

    #[test]
    fn nested_same_detector_findings_are_dropped() {
        // The international number contains a Chinese mobile number; report it once.
        let got = names("call +86 13812345678 now", &[]);
        assert_eq!(got, vec![("phone", "+86 13812345678".to_string())]);
    }

    #[test]
    fn bad_channel_ends_are_ignored() {
        let text = "微信号：abc12345";
        for &end in &[0, 1, 2, 4, text.len(), text.len() + 1, usize::MAX] {
            let _ = folded(text, &[end]);
        }
        let got = folded(text, &[1, 2, usize::MAX]);
        assert!(
            got.iter().all(|d| d.detector == Detector::IdToken),
            "no handle without a valid channel end: {got:?}"
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        let samples = [
            "",
            "@",
            "+",
            "0x",
            "t.me/",
            "微信",
            "1.",
            ".5%",
            "+%",
            "x",
            "倍",
            "5.5.5.5",
            "𝟘𝟙𝟚 ٣٤٥ 6.95\u{0}",
            "收",
            "汇率",
            "19:",
            "in 5",
        ];
        let det = Detectors::new();
        for s in samples {
            let ends: Vec<usize> = (0..=s.len() + 2).collect();
            let mut out = Vec::new();
            det.detect_folded(s, &ends, &mut out);
            det.detect_original(s, &mut out);
            for d in &out {
                assert!(s.is_char_boundary(d.start) && s.is_char_boundary(d.end));
            }
        }
    }

    #[test]
    fn cap_and_linear_behaviour_on_huge_inputs() {
        let det = Detectors::new();
        // 10 MB of repeated offers: the output is capped.
        let unit = "收u 6.95 vx: abc123 100x +300% 13812345678 a@b.com 10w u 19:00 gmt\n";
        let big = unit.repeat(10_000_000 / unit.len());
        let mut out = Vec::new();
        det.detect_folded(&big, &[], &mut out);
        assert_eq!(out.len(), MAX_DETECTIONS);
        assert!(out.windows(2).all(|w| w[0].start <= w[1].start));
        assert!(
            out.iter().all(|d| d.end <= 1000 * unit.len()),
            "earliest are kept"
        );

        // One million digits: no finding can be inside a digit run that long.
        let digits = "7".repeat(1_000_000);
        let mut out = Vec::new();
        det.detect_folded(&digits, &[0, 10, 500_000], &mut out);
        det.detect_original(&digits, &mut out);
        assert!(out.is_empty(), "{out:?}");

        // Floods (about 200 kB each) of partial matches: every position is a candidate and every candidate fails
        // (or is capped), with a channel word "ending" at every other byte.
        for flood in [
            "@".repeat(200_000),
            "@7".repeat(100_000),
            "1 ".repeat(100_000),
            "5%".repeat(100_000),
            "涨5%".repeat(40_000),
            "x".repeat(200_000),
            "1:".repeat(100_000),
            "微信: 1 2 3 4 ".repeat(10_000),
            "a".repeat(200_000),
        ] {
            let ends: Vec<usize> = (0..flood.len()).step_by(2).collect();
            let mut out = Vec::new();
            det.detect_folded(&flood, &ends, &mut out);
            det.detect_original(&flood, &mut out);
            assert!(out.len() <= 2 * MAX_DETECTIONS);
            assert!(
                out.iter()
                    .all(|d| flood.is_char_boundary(d.start) && flood.is_char_boundary(d.end))
            );
        }

        // A long base58-looking run and many decimal points.
        let noise = "1A".repeat(500_000) + &"6.9".repeat(300_000);
        let mut out = Vec::new();
        det.detect_original(&noise, &mut out);
        det.detect_folded(&noise, &[], &mut out);
        assert!(out.len() <= 2 * MAX_DETECTIONS);
    }
}
