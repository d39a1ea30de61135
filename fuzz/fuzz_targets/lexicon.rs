//! The lexicon parsers: a `.terms` file and a `rules.toml` from arbitrary bytes. Loading must
//! return `Ok` or `Err`, never panic or hang; a lexicon that loads must build a filter that can
//! check a post.
#![no_main]

use coinsieve::Filter;
use coinsieve::lexicon::{Lexicon, SHIPPED};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest).into_owned();
    // Parse the terms parser alone, always.
    let _ = coinsieve::lexicon::terms::parse("fuzz.terms", &text);
    let shipped_rules = SHIPPED
        .iter()
        .find(|(n, _)| *n == "rules.toml")
        .map(|(_, t)| t.to_string())
        .unwrap_or_default();
    let sources: Vec<(String, String)> = match mode % 3 {
        // Fuzzed terms with the shipped rules.
        0 => vec![
            ("fuzz.terms".into(), text),
            ("rules.toml".into(), shipped_rules),
        ],
        // Fuzzed rules with a small terms file.
        1 => vec![
            (
                "otc.terms".into(),
                "[trade_verb]\n收u\n出u\n[channel]\n微信\n".into(),
            ),
            ("rules.toml".into(), text),
        ],
        // Both from the input, split at the first NUL.
        _ => {
            let (t, r) = text.split_once('\0').unwrap_or((&text, ""));
            vec![
                ("fuzz.terms".into(), t.to_string()),
                ("rules.toml".into(), r.to_string()),
            ]
        }
    };
    if let Ok(lexicon) = Lexicon::from_sources(sources)
        && let Ok(filter) = Filter::new(lexicon)
    {
        let _ = filter.check("收U 6.95 微信 laozhang88 pump group 100x");
    }
});
