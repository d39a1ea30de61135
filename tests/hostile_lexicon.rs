//! Lexicons from an untrusted maintainer: oversized entries, counts, rule tables and directory
//! loops are refused with a clear error, quickly, before anything expensive is built.

use coinsieve::lexicon::{Lexicon, MAX_ENTRIES, MAX_LEXICON_BYTES, MAX_PATTERN_CHARS, SHIPPED};
use coinsieve::{Error, Filter};

fn shipped_rules() -> String {
    SHIPPED
        .iter()
        .find(|(n, _)| *n == "rules.toml")
        .map(|(_, t)| t.to_string())
        .unwrap()
}

fn load(terms: String, rules: String) -> Result<Lexicon, Error> {
    Lexicon::from_sources([
        ("x.terms".to_string(), terms),
        ("rules.toml".to_string(), rules),
    ])
}

#[test]
fn an_overlong_pattern_is_an_error_at_its_line() {
    let long = "币".repeat(MAX_PATTERN_CHARS + 1);
    let err = load(format!("[asset]\nbtc\n{long}\n"), shipped_rules()).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("x.terms:3"), "{msg}");
    assert!(msg.contains("longer than"), "{msg}");
}

#[test]
fn too_many_source_bytes_is_refused_before_parsing() {
    let huge = "a\n".repeat(MAX_LEXICON_BYTES / 2 + 1);
    let err = load(format!("[asset]\n{huge}"), shipped_rules()).unwrap_err();
    assert!(matches!(err, Error::TooLarge(_)), "{err}");
}

#[test]
fn pinyin_spellings_count_toward_the_entry_cap() {
    // each three-character term adds six spellings: 1/6 of the cap in terms is over it in all
    let n = MAX_ENTRIES / 6 + 1;
    let terms: String = (0..n as u32)
        .map(|i| {
            let c = |k: u32| char::from_u32(0x4E00 + (i >> (5 * k)) % 32 + 32 * k).unwrap_or('一');
            format!("{}{}{}\n", c(0), c(1), c(2))
        })
        .collect();
    let err = load(format!("[asset] pinyin=mix\n{terms}"), shipped_rules()).unwrap_err();
    assert!(
        matches!(&err, Error::TooLarge(m) if m.contains("pinyin=mix")),
        "{err}"
    );
}

#[test]
fn too_many_pattern_bytes_is_refused() {
    // 100 k entries of 180 characters: each is allowed, together they are over the cap.
    let line = "x".repeat(180);
    let terms: String = (0..100_000).map(|i| format!("{line}{i}\n")).collect();
    let err = load(format!("[asset]\n{terms}"), shipped_rules()).unwrap_err();
    assert!(
        matches!(&err, Error::TooLarge(m) if m.contains("bytes of patterns")),
        "{err}"
    );
}

#[test]
fn too_many_rule_tables_is_an_error() {
    let mut rules = shipped_rules();
    for _ in 0..10_001 {
        rules.push_str("\n[[context]]\nsignal = \"news\"\npenalty = 0.1\n");
    }
    let err = load("[asset]\nbtc\n".into(), rules).unwrap_err();
    assert!(err.to_string().contains("[[context]] tables"), "{err}");
}

#[test]
fn a_rule_with_too_many_names_is_an_error() {
    let names: Vec<String> = (0..1001).map(|_| "\"news\"".to_string()).collect();
    let rules = format!(
        "{}\n[[rule]]\nname = \"big\"\ncategory = \"otc_offer\"\nscore = 1.0\nany = [{}]\n",
        shipped_rules(),
        names.join(",")
    );
    let err = load("[asset]\nbtc\n".into(), rules).unwrap_err();
    assert!(err.to_string().contains("signal names"), "{err}");
}

#[test]
fn max_hits_is_clamped() {
    let rules = shipped_rules().replace("max_hits = 256", "max_hits = 18446744073709551615");
    assert!(rules.contains("max_hits = 18446744073709551615"));
    let sources = SHIPPED.iter().map(|(n, t)| {
        let text = if *n == "rules.toml" {
            rules.clone()
        } else {
            t.to_string()
        };
        (n.to_string(), text)
    });
    let lexicon = Lexicon::from_sources(sources).unwrap();
    assert!(lexicon.rules().max_hits <= 100_000);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_a_lexicon_directory_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rules.toml"), shipped_rules()).unwrap();
    std::fs::write(dir.path().join("a.terms"), "[asset]\nbtc\n").unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    let err = Filter::from_dir(dir.path()).unwrap_err();
    assert!(err.to_string().contains("symlink loop"), "{err}");
}

/// Odd inputs to the lexicon parsers: NUL patterns, empty options, non-finite thresholds.
#[test]
fn odd_lexicon_inputs_are_errors_not_panics() {
    let cases: &[(&str, &str)] = &[
        ("[a]\n\u{0}\n", ""),
        ("[allow] suppresses=\n|\n", ""),
        ("[segment]\n\n", "[labels]\nreview = 1e309\nblock = 1.0\n"),
    ];
    for (terms, rules) in cases {
        let _ = load(terms.to_string(), rules.to_string());
    }
}
