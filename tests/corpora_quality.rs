//! The project's quality bar: the shipped lexicons on `corpora/*.jsonl`, thresholds from
//! `corpora/quality.toml`. CI enforces `[guard]` (no regression); the gap to `[target]` (the
//! project's bar) is printed on every run.

use coinsieve::Filter;
use coinsieve::eval::{self, Corpus, MissKind};
use std::path::Path;

#[test]
fn shipped_lexicons_meet_the_corpora_quality_bar() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora");
    let bar: toml::Table = toml::from_str(
        &std::fs::read_to_string(dir.join("quality.toml")).expect("corpora/quality.toml"),
    )
    .expect("quality.toml is TOML");
    let number = |table: &str, k: &str| {
        bar.get(table)
            .and_then(|t| t.get(k))
            .and_then(|v| v.as_float())
            .unwrap_or_else(|| panic!("quality.toml needs a number {k} in [{table}]"))
    };
    let (min_recall, max_allow_blocked) = (
        number("guard", "min_block_recall"),
        number("guard", "max_allow_blocked"),
    );
    let (target_recall, target_allow_blocked) = (
        number("target", "min_block_recall"),
        number("target", "max_allow_blocked"),
    );
    assert!(
        min_recall <= target_recall && max_allow_blocked >= target_allow_blocked,
        "the guard may not be stricter than the target; raise the target instead"
    );
    let exclude: Vec<String> = bar
        .get("exclude")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpora/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .filter(|p| !exclude.iter().any(|x| p.ends_with(x)))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpora found");

    let corpus = Corpus::load(&files);
    assert!(corpus.problems.is_empty(), "{:#?}", corpus.problems);
    let report = eval::evaluate(&Filter::shipped().expect("shipped lexicons load"), &corpus);
    let m = &report.overall;
    let recall = m.recall.expect("corpora have block rows");
    let allow_blocked = m.allow_blocked_rate.expect("corpora have allow rows");

    eprintln!(
        "corpora quality: block recall {recall:.4} (guard {min_recall}, target {target_recall}); \
         allow blocked {allow_blocked:.4} (guard < {max_allow_blocked}, target < {target_allow_blocked})"
    );
    let mut failures = Vec::new();
    if recall < min_recall {
        failures.push(format!("block recall {recall:.4} < {min_recall}"));
    }
    if allow_blocked >= max_allow_blocked {
        failures.push(format!(
            "allow rows blocked {allow_blocked:.4} >= {max_allow_blocked}"
        ));
    }
    if !failures.is_empty() {
        let examples: Vec<String> = report
            .misses
            .iter()
            .filter(|x| x.kind != MissKind::AllowReviewed)
            .take(15)
            .map(|x| {
                format!(
                    "  {} {}:{} expected {} got {}",
                    x.id.as_deref().unwrap_or("-"),
                    x.file,
                    x.line,
                    x.expected,
                    x.got
                )
            })
            .collect();
        panic!(
            "quality guard missed (a regression): {}\n(for the full list: coinsieve eval $(ls corpora/*.jsonl | grep -v demo))\n{}",
            failures.join("; "),
            examples.join("\n")
        );
    }
}
