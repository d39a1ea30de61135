//! Property tests: the engine never panics, spans are honest, separators do not change labels.

use coinsieve::normalize::Normalized;
use coinsieve::{Filter, Label};
use proptest::prelude::*;
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
