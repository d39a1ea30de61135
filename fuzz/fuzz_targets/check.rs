//! `Filter::check` and `Filter::explain` on arbitrary bytes (lossily decoded as UTF-8): never
//! panic, spans point into the original text, allow iff no category.
#![no_main]

use coinsieve::{Filter, Label};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn filter() -> &'static Filter {
    static F: OnceLock<Filter> = OnceLock::new();
    F.get_or_init(|| Filter::shipped().expect("shipped lexicons load"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let v = filter().check(&text);
    for h in &v.hits {
        assert!(h.byte_start <= h.byte_end && h.byte_end <= text.len());
        assert_eq!(&text[h.byte_start..h.byte_end], h.text);
        assert!(h.start <= h.end);
    }
    assert!(v.score.is_finite() && v.score >= 0.0);
    assert_eq!(v.label == Label::Allow, v.categories.is_empty());
    // explain runs the same pipeline with tracing; it must agree with check.
    if data.len() < 512 {
        let e = filter().explain(&text);
        assert_eq!(e.verdict.label, v.label);
    }
});
