//! `coinsieve lint` and `coinsieve::lint`: one tiny lexicon directory per check.

use assert_cmd::Command;
use coinsieve::lint::{self, Finding, Severity};
use std::path::{Path, PathBuf};

const RULES: &str = r#"
[detect]
channel_signals = []
[[rule]]
name = "r"
category = "otc_offer"
score = 1.2
all = ["trade_verb", "asset"]
"#;

fn dir_with(root: &Path, terms: &str, rules: &str) -> PathBuf {
    let dir = root.join("lex");
    std::fs::create_dir_all(dir.join("sub")).expect("mkdir");
    std::fs::write(dir.join("sub/a.terms"), terms).expect("write");
    std::fs::write(dir.join("rules.toml"), rules).expect("write");
    dir
}

/// Lint `terms` (as `sub/a.terms`) with the standard rules; findings of `check` as strings.
fn lint_check(terms: &str, check: &str) -> Vec<String> {
    let tmp = tempfile::tempdir().expect("tempdir");
    let findings = lint::lint_dir(dir_with(tmp.path(), terms, RULES)).expect("reads");
    findings
        .iter()
        .filter(|f| f.check == check)
        .map(Finding::to_string)
        .collect()
}

const BASE: &str = "[trade_verb]\nbuy\n[asset]\nusdt\n";

fn coinsieve() -> Command {
    Command::cargo_bin("coinsieve").expect("binary builds")
}

#[test]
fn clean_lexicon_has_no_findings() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let findings = lint::lint_dir(dir_with(tmp.path(), BASE, RULES)).expect("reads");
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn syntax_errors_all_located_and_exit_1() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let terms = "[trade_verb]\nbuy\nsell | weight=eleven\n[asset]\nusdt\nusdc | bogus=1\n";
    let rules = format!("{RULES}\n[[context]]\nsignal = \"nope\"\npenalty = 1\n");
    let dir = dir_with(tmp.path(), terms, &rules);
    let out = coinsieve()
        .args(["lint", "--lexicons"])
        .arg(&dir)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let d = dir.display();
    assert!(
        text.contains(&format!("{d}/sub/a.terms:3:15: error: weight must be")),
        "{text}"
    );
    assert!(
        text.contains(&format!("{d}/sub/a.terms:6:8: error: unknown option")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{d}/rules.toml:11:11: error: unknown signal \"nope\""
        )),
        "{text}"
    );
    assert!(text.contains("3 error(s)"), "{text}");
}

#[test]
fn duplicates_exact_and_normalized() {
    let got = lint_check(&format!("{BASE}usdt\n"), "duplicate");
    assert_eq!(
        got,
        vec![
            "sub/a.terms:5:1: error: duplicate pattern \"usdt\" in [asset], first at sub/a.terms:4:1 [duplicate]"
        ]
    );
    let got = lint_check(
        &format!("{BASE}ＵＳＤＴ\nU S D T\n"),
        "normalized-duplicate",
    );
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[0].starts_with("sub/a.terms:5:1: warning: \"ＵＳＤＴ\" and \"usdt\" at sub/a.terms:4:1 are the same after normalization (key \"usdt\")"), "{got:?}");
    // same text in another signal is not a duplicate, but two roles (info)
    let got = lint_check(&format!("{BASE}[trade_verb]\nusdt\n"), "two-roles");
    assert_eq!(
        got,
        vec![
            "sub/a.terms:6:1: info: \"usdt\" (key \"usdt\") in [trade_verb] is also in [asset] at sub/a.terms:4:1 [two-roles]"
        ]
    );
}

#[test]
fn dead_terms_under_exceptions() {
    let got = lint_check(&format!("{BASE}[allow]\nUSDT\n"), "dead-term");
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].starts_with("sub/a.terms:4:1: warning: term \"usdt\" in [asset] is always dropped: exception \"USDT\" at sub/a.terms:6:1 has the same key"), "{got:?}");
    // an exception containing the term is the intended use: no warning
    assert!(lint_check(&format!("{BASE}[allow]\nusdt wallet\n"), "dead-term").is_empty());
    // an exception inside the term kills it; a Latin exception inside a longer word does not
    let got = lint_check(
        "[trade_verb]\nsell\n[asset]\nusdt\nto the moon\nmoonshot\n[allow]\nmoon\n",
        "dead-term",
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].contains("\"to the moon\" in [asset] is always dropped"),
        "{got:?}"
    );
    // suppresses= exceptions inside a term of a suppressed signal
    let got = lint_check(
        "[trade_verb]\nsell\n[asset]\nusdt\n[allow]\nsd | suppresses=asset\n",
        "dead-term",
    );
    assert!(got.is_empty(), "Latin inside a word: {got:?}");
    let got = lint_check(
        "[trade_verb]\n出售\n[asset]\n泰达币\n[allow]\n泰达 | suppresses=asset\n",
        "dead-term",
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].contains("suppresses=[asset] exception"), "{got:?}");
}

#[test]
fn patterns_that_normalize_surprisingly() {
    let got = lint_check(
        &format!("{BASE}B1tcoin\nmoon\nfree signals\n"),
        "normalized-form",
    );
    assert_eq!(
        got.len(),
        2,
        "doubled letters in a long key are by design: {got:?}"
    );
    assert!(
        got[0].contains("\"B1tcoin\" normalizes to key \"bitcoin\""),
        "{got:?}"
    );
    assert!(
        got[1].contains("\"moon\" normalizes to key \"mon\""),
        "{got:?}"
    );
}

#[test]
fn too_short_entries() {
    let got = lint_check(
        &format!("{BASE}u\n币\n[trade_verb] boundary=jieba\n收\n"),
        "too-short",
    );
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        got[0].starts_with("sub/a.terms:5:1: warning: \"u\" in [asset]: Latin key"),
        "{got:?}"
    );
    assert!(got[1].starts_with("sub/a.terms:6:1: warning: \"币\" in [asset]: a single CJK character without boundary=jieba"), "{got:?}");
}

#[test]
fn exceptions_that_never_apply() {
    let got = lint_check(
        &format!("{BASE}[allow]\nusdt wallet\nsold out\nmooncake | suppresses=asset\n"),
        "useless-exception",
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("sub/a.terms:7:1: warning: exception \"sold out\""),
        "{got:?}"
    );
}

#[test]
fn unused_signals_and_alias_conflicts() {
    let got = lint_check(
        &format!("{BASE}[orphan]\nfoo\n[allow]\nbar | suppresses=ghost\n[ghost]\nbaz\n"),
        "unused-signal",
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with(
            "sub/a.terms:5:2: warning: signal [orphan] (1 entries) is used by no phrase"
        ),
        "{got:?}"
    );
    let got = lint_check(
        &format!("{BASE}泰达 -> usdt\n[trade_verb]\n泰達 -> 出售\n"),
        "alias-conflict",
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].contains(
            "\"泰達\" -> \"出售\" conflicts with \"泰达\" -> \"usdt\" at sub/a.terms:5:1"
        ),
        "{got:?}"
    );
}

#[test]
fn against_background_lists_noisy_terms() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let terms = "[trade_verb]\nbuy\n[asset]\nusdt\n[news]\nreport\n[allow]\nbuy out\n";
    let rules = format!("{RULES}[[context]]\nsignal = \"news\"\npenalty = 1\n");
    let dir = dir_with(tmp.path(), terms, &rules);
    let bg = tmp.path().join("bg.txt");
    let mut lines = vec!["{\"text\": \"we buy bikes, report says\"}".to_string()];
    lines.extend((0..9).map(|i| format!("plain line {i} about buy out shows and a report")));
    lines.extend((0..90).map(|i| format!("nothing here {i}")));
    std::fs::write(&bg, lines.join("\n")).expect("write");

    let lexicon = coinsieve::lexicon::Lexicon::from_dir(&dir).expect("loads");
    let filter = coinsieve::Filter::new(lexicon).expect("builds");
    let (texts, problems) = lint::read_texts(&[&bg]);
    assert_eq!((texts.len(), problems.len()), (100, 0));
    assert_eq!(texts[0], "we buy bikes, report says");
    let (rates, findings) = lint::against(&filter, &texts, 50.0);
    let got: Vec<(String, usize, bool)> = rates
        .iter()
        .map(|r| (r.pattern.clone(), r.posts, r.exempt))
        .collect();
    // `buy` inside `buy out` is dropped by the exception: 1 post, 100 per 10k
    assert_eq!(
        got,
        vec![
            ("report".to_string(), 10, true),
            ("buy out".to_string(), 9, true),
            ("buy".to_string(), 1, false),
        ]
    );
    let warn: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .collect();
    assert_eq!(warn.len(), 1);
    assert!(warn[0].to_string().starts_with("sub/a.terms:2:1: warning: \"buy\" [trade_verb] hits 100.0 per 10k background posts (1 of 100), above 50"), "{}", warn[0]);

    let out = coinsieve()
        .args(["lint", "--max-rate", "150", "--lexicons"])
        .arg(&dir)
        .arg("--against")
        .arg(&bg)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(!text.contains("\"buy\" [trade_verb]"), "{text}");
    assert!(
        text.contains("\"report\" [news] hits 1000.0 per 10k"),
        "{text}"
    );
    assert!(text.contains("0 error(s), 0 warning(s), 2 info"), "{text}");
}

#[test]
fn shipped_lexicons_have_no_lint_errors() {
    let out = coinsieve().args(["lint", "--json"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["errors"], 0);
    assert!(v["findings"].as_array().is_some());
}
