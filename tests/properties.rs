//! Property tests: the engine never panics, spans are honest, separators do not change labels,
//! normalization maps are total, and an added exception never makes a post worse.

use coinsieve::lexicon::{Lexicon, SHIPPED};
use coinsieve::normalize::Normalized;
use coinsieve::{Filter, Label};
use proptest::prelude::*;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::OnceLock;

fn filter() -> &'static Filter {
    static FILTER: OnceLock<Filter> = OnceLock::new();
    FILTER.get_or_init(|| Filter::shipped().expect("shipped lexicons load"))
}

/// Text mixing the scripts and disguises the filter deals with, plus arbitrary Unicode.
fn posts() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("收U".to_string()),
        Just("比 特 币".to_string()),
        Just("薇".to_string()),
        Just("6.95".to_string()),
        Just("pump group".to_string()),
        Just("ВТС".to_string()),
        Just("b1tc01n".to_string()),
        Just("人民币".to_string()),
        Just("U盘".to_string()),
        Just("\u{200B}".to_string()),
        Just("。".to_string()),
        Just("\n".to_string()),
        "[a-z0-9 .@$*_-]{0,8}",
        "[\u{4E00}-\u{4E40}]{0,4}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn check_never_panics_and_spans_are_exact(text in posts()) {
        let v = filter().check(&text);
        for h in &v.hits {
            prop_assert!(text.is_char_boundary(h.byte_start) && text.is_char_boundary(h.byte_end));
            prop_assert!(h.byte_start <= h.byte_end);
            prop_assert_eq!(&text[h.byte_start..h.byte_end], h.text.as_str());
            let by_chars: String = text.chars().skip(h.start).take(h.end - h.start).collect();
            prop_assert_eq!(by_chars, h.text.clone());
        }
        prop_assert!(v.score >= 0.0);
        prop_assert_eq!(v.label == Label::Allow, v.categories.is_empty());
    }

    #[test]
    fn normalization_maps_are_monotonic_and_total(text in posts()) {
        let mut n = Normalized::default();
        n.normalize(&text);
        for view in [n.folded(), n.key()] {
            let mut last = 0;
            for c in view {
                prop_assert!(c.src_start <= c.src_end && c.src_end as usize <= text.len());
                prop_assert!(c.src_start >= last, "source starts never go backwards");
                prop_assert!(text.is_char_boundary(c.src_start as usize) && text.is_char_boundary(c.src_end as usize));
                last = c.src_start;
            }
        }
        prop_assert_eq!(n.key_text().chars().count(), n.key().len());
    }

    #[test]
    fn separators_between_term_characters_do_not_change_the_label(
        sep in prop::sample::select(vec![" ", "*", ".", "-", "_", "|", "·", " ➡️ ", "\u{200B}", "  "]),
        case in 0usize..4,
    ) {
        let (before, term, after) = [
            ("大量", "收U", "，汇率6.95，微信 laowang_66"),
            ("", "比特币", "大量收，电报联系"),
            ("join our ", "pump group", ", next pump 5pm GMT"),
            ("今天去", "收U盘", "了"),
        ][case];
        let plain = format!("{before}{term}{after}");
        let spaced: String = term.chars().map(String::from).collect::<Vec<_>>().join(sep);
        let disguised = format!("{before}{spaced}{after}");
        prop_assert_eq!(filter().check(&plain).label, filter().check(&disguised).label, "{} vs {}", plain, disguised);
    }
}

/// Candidate exceptions for the allow-list property: pieces of trade terms, contact channels,
/// context words (news, warnings) and ordinary words.
const ALLOW_CANDIDATES: [&str; 12] = [
    "收u",
    "微信",
    "u",
    "币",
    "pump",
    "group",
    "据报道",
    "警方",
    "6.95",
    "laozhang",
    "今天",
    "t.me",
];

/// The shipped filter with `entry` appended to the `[allow]` list (built once per entry).
fn filter_with_allow(entry: &str) -> &'static Filter {
    static CACHE: OnceLock<Mutex<HashMap<String, &'static Filter>>> = OnceLock::new();
    let mut cache = CACHE.get_or_init(Mutex::default).lock().unwrap();
    cache.entry(entry.to_string()).or_insert_with(|| {
        let sources = SHIPPED.iter().map(|(name, text)| {
            let mut text = text.to_string();
            if name.ends_with("allow.terms") {
                text.push_str(&format!("\n[allow] lang=any\n{entry}\n"));
            }
            (name.to_string(), text)
        });
        let lexicon = Lexicon::from_sources(sources).expect("lexicon with an extra exception");
        Box::leak(Box::new(Filter::new(lexicon).expect("filter builds")))
    })
}

/// Posts that often contain the candidate exceptions.
fn posts_with_terms() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(ALLOW_CANDIDATES.to_vec()).prop_map(String::from),
        Just("收U 6.95 微信 laozhang88".to_string()),
        Just("join our pump group t.me/xyz, next pump 100x".to_string()),
        Just("据报道，警方提醒：不要收U".to_string()),
        Just("出 U 汇率 7.05".to_string()),
        Just("U盘".to_string()),
        Just(" ".to_string()),
        Just("，".to_string()),
        "[a-z0-9 .@_]{0,6}",
        "[\u{4E00}-\u{4E40}]{0,3}",
    ];
    prop::collection::vec(piece, 0..10).prop_map(|v| v.concat())
}

fn rank(l: Label) -> u8 {
    match l {
        Label::Allow => 0,
        Label::Review => 1,
        Label::Block => 2,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Normalizing arbitrary Unicode never panics, and every map is total and monotonic: each
    /// folded byte maps to the folded char containing it, each key char to a folded char, and
    /// each original byte to a folded index.
    #[test]
    fn normalization_maps_are_total(text in any::<String>(), more in posts()) {
        let text = format!("{text}{more}");
        let mut n = Normalized::default();
        n.normalize(&text);
        let folded = n.folded();
        prop_assert_eq!(n.folded_text().chars().count(), folded.len());
        let mut last = 0;
        for i in 0..=folded.len() {
            let b = n.folded_byte(i);
            prop_assert!(b >= last && b <= n.folded_text().len());
            last = b;
        }
        for (b, _) in n.folded_text().char_indices() {
            let i = n.folded_index_at_byte(b);
            prop_assert!(i < folded.len());
            prop_assert!(n.folded_byte(i) <= b && b < n.folded_byte(i + 1));
        }
        let mut last_folded = 0;
        for k in n.key() {
            prop_assert!((k.folded as usize) < folded.len());
            prop_assert!(k.folded >= last_folded);
            last_folded = k.folded;
        }
        let mut last_idx = 0;
        for b in 0..=text.len() {
            let i = n.folded_index_at_src(b);
            prop_assert!(i <= folded.len() && i >= last_idx);
            last_idx = i;
        }
        if !n.key().is_empty() {
            let (s, e) = n.key_src_span(0, n.key().len());
            prop_assert!(s <= e && e <= text.len());
        }
    }

    /// Adding an `[allow]` exception drops hits; it never turns an allowed post into a blocked one.
    #[test]
    fn an_added_exception_never_turns_allow_into_block(
        text in posts_with_terms(),
        entry in prop::sample::select(ALLOW_CANDIDATES.to_vec()),
    ) {
        let before = filter().check(&text).label;
        let after = filter_with_allow(entry).check(&text).label;
        if before == Label::Allow {
            prop_assert_ne!(after, Label::Block, "{:?} with exception {:?}", text, entry);
        }
        prop_assert!(rank(after) <= rank(before) || before == Label::Allow,
            "{:?}: {:?} -> {:?} with exception {:?}", text, before, after, entry);
    }
}

/// Found by the property above: an exception covering the news word of a report ("据报道")
/// used to drop that context hit, lifting the penalty and blocking the post. Exceptions no
/// longer drop signals that only lower scores.
#[test]
fn an_exception_over_a_news_word_does_not_lift_its_penalty() {
    let text = "据报道出 U 汇率 7.05";
    assert_eq!(filter().check(text).label, Label::Allow);
    assert_ne!(filter_with_allow("据报道").check(text).label, Label::Block);
}
