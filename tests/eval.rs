//! `coinsieve eval` and `coinsieve::eval` on small synthetic corpora and a tiny lexicon.

use assert_cmd::Command;
use coinsieve::eval::{self, Corpus, Effect, MissKind};
use coinsieve::{Filter, Label};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

const RULES: &str = r#"
[labels]
review = 0.5
block = 1.0
[detect]
channel_signals = []
[[rule]]
name = "sell asset"
category = "otc_offer"
score = 1.2
all = ["trade_verb", "asset"]
[[rule]]
name = "asset alone"
category = "hype_shill"
score = 0.6
all = ["asset"]
"#;

/// A lexicon dir: `sell` (+ `buy` when `with_buy`) as trade verbs, `usdt` as asset, and the
/// exception `usdt wallet` when `with_exception`.
fn lexicon(root: &Path, name: &str, with_buy: bool, with_exception: bool) -> PathBuf {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let mut terms = String::from("[trade_verb] lang=en\nsell\n");
    if with_buy {
        terms.push_str("buy\n");
    }
    terms.push_str("[asset]\nusdt\n");
    if with_exception {
        terms.push_str("[allow]\nusdt wallet\n");
    }
    std::fs::write(dir.join("a.terms"), terms).expect("write terms");
    std::fs::write(dir.join("rules.toml"), RULES).expect("write rules");
    dir
}

const CORPUS: &str = r#"{"id": "b1", "text": "sell usdt now", "expect": "block", "category": "otc_offer"}
{"id": "b2", "text": "sell usdt fast", "expect": "block", "category": "otc_offer"}
{"id": "b3", "text": "usdt is the coin", "expect": "block", "category": "hype_shill"}
{"id": "b4", "text": "buy usdt here", "expect": "block", "category": "otc_offer"}
{"id": "a1", "text": "i sell usdt daily", "expect": "allow", "category": "news", "source": "ignored"}
{"id": "a2", "text": "my usdt wallet is empty", "expect": "allow", "category": "trap"}
{"id": "a3", "text": "nice weather", "expect": "allow", "category": "benign"}
{"id": "r1", "text": "usdt maybe", "expect": "review", "category": "otc_offer"}
{oops
{"id": "x", "text": "no label here"}
"#;

fn setup() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let corpus = tmp.path().join("corpus.jsonl");
    std::fs::write(&corpus, CORPUS).expect("write corpus");
    (tmp, corpus)
}

fn coinsieve() -> Command {
    Command::cargo_bin("coinsieve").expect("binary builds")
}

#[test]
fn metrics_review_rows_and_bad_lines() {
    let (tmp, corpus_path) = setup();
    let filter = Filter::from_dir(lexicon(tmp.path(), "lex", false, true)).expect("loads");
    let corpus = Corpus::load([&corpus_path]);
    assert_eq!(corpus.rows.len(), 8);
    let bad: Vec<String> = corpus.problems.iter().map(ToString::to_string).collect();
    let name = corpus_path.display().to_string();
    assert_eq!(bad.len(), 2, "{bad:?}");
    assert!(
        bad[0].starts_with(&format!("{name}:9: not valid JSON")),
        "{bad:?}"
    );
    assert!(
        bad[1].starts_with(&format!("{name}:10: no \"expect\"")),
        "{bad:?}"
    );

    let report = eval::evaluate(&filter, &corpus);
    let m = &report.overall;
    // b1 b2 blocked; b3 review, b4 allow (no `buy`); a1 blocked; a2 exception; r1 review.
    assert_eq!(
        (m.true_positives, m.false_positives, m.false_negatives),
        (2, 1, 2)
    );
    assert_eq!(m.precision, Some(2.0 / 3.0));
    assert_eq!(m.recall, Some(0.5));
    assert!((m.f1.expect("f1") - 4.0 / 7.0).abs() < 1e-12);
    assert_eq!(m.allow_blocked_rate, Some(1.0 / 3.0));
    assert_eq!(m.allow_reviewed_rate, Some(0.0));
    // the review row is in the matrix, never an error
    assert_eq!(m.confusion.review.review, 1);
    assert_eq!(m.rows, 8);
    assert!(report.misses.iter().all(|x| x.id.as_deref() != Some("r1")));
    assert_eq!(report.by_category["otc_offer"].recall, Some(2.0 / 3.0));
    assert_eq!(report.by_category["hype_shill"].recall, Some(0.0));
    assert_eq!(report.by_category["news"].allow_blocked_rate, Some(1.0));
    assert_eq!(report.by_language["en"].rows, 8);
    let kinds: Vec<(MissKind, &str)> = report
        .misses
        .iter()
        .map(|x| (x.kind, x.id.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (MissKind::MissedBlock, "b3"),
            (MissKind::MissedBlock, "b4"),
            (MissKind::FalseBlock, "a1"),
        ]
    );
    let a1 = &report.misses[2];
    assert_eq!(a1.rules, vec!["sell asset", "asset alone"]);
    assert!(
        a1.hits
            .iter()
            .any(|h| h.to_string() == "trade_verb:sell \"sell\"")
    );
}

#[test]
fn cli_table_misses_and_bad_lines() {
    let (tmp, corpus) = setup();
    let lex = lexicon(tmp.path(), "lex", false, true);
    let out = coinsieve()
        .args(["eval", "--lexicons"])
        .arg(&lex)
        .arg(&corpus)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains(&format!("bad line: {}:9:", corpus.display())),
        "{text}"
    );
    assert!(text.contains("2 bad line(s) skipped"), "{text}");
    assert!(text.contains("overall"), "{text}");
    assert!(text.contains("expected block, not blocked (2)"), "{text}");
    assert!(
        text.contains(&format!("a1 {}:5", corpus.display())),
        "{text}"
    );
    assert!(text.contains("rules: sell asset, asset alone"), "{text}");
}

#[test]
fn fail_under_exits_3_and_names_the_bar() {
    let (tmp, corpus) = setup();
    let lex = lexicon(tmp.path(), "lex", false, true);
    let run = |bars: &str| {
        coinsieve()
            .args(["eval", "--fail-under", bars, "--lexicons"])
            .arg(&lex)
            .arg(&corpus)
            .output()
            .expect("runs")
    };
    let out = run("recall=0.9,allow_blocked_max=0.5");
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stdout).contains("FAIL: recall 0.5000 < 0.9"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("quality bar missed"));
    assert_eq!(
        run("recall=0.5,precision=0.6,f1=0.5").status.code(),
        Some(0)
    );
    assert_eq!(run("allow_blocked_max=0.2").status.code(), Some(3));
    assert_eq!(run("recal=0.5").status.code(), Some(1), "usage error");
}

#[test]
fn unlabelled_files_need_assume_allow_and_gz_works() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let lex = lexicon(tmp.path(), "lex", false, true);
    let gz = tmp.path().join("bg.jsonl.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).expect("create"),
        flate2::Compression::default(),
    );
    enc.write_all(b"{\"id\": 1, \"text\": \"nice day\"}\n{\"text\": \"sell usdt\"}\n")
        .expect("write");
    enc.finish().expect("finish");
    let out = coinsieve()
        .args(["eval", "--lexicons"])
        .arg(&lex)
        .arg(&gz)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no row has an \"expect\" label"));
    let out = coinsieve()
        .args(["eval", "--assume-allow", "--json", "--lexicons"])
        .arg(&lex)
        .arg(&gz)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["report"]["overall"]["rows"], 2);
    assert_eq!(v["report"]["overall"]["false_positives"], 1);
    assert_eq!(v["report"]["overall"]["allow_blocked_rate"], 0.5);
    assert_eq!(v["report"]["misses"][0]["kind"], "false_block");
    assert_eq!(v["report"]["misses"][0]["line"], 2);
}

#[test]
fn baseline_diff_lists_flips_with_changed_hits() {
    let (tmp, corpus_path) = setup();
    let base = Filter::from_dir(lexicon(tmp.path(), "base", false, false)).expect("loads");
    let cand_dir = lexicon(tmp.path(), "cand", true, true);
    let cand = Filter::from_dir(&cand_dir).expect("loads");
    let corpus = Corpus::load([&corpus_path]);
    let d = eval::diff(&base, &cand, &corpus);
    let flips: Vec<(String, String, Effect)> = d
        .flips
        .iter()
        .map(|f| (f.id.clone().unwrap_or_default(), f.direction(), f.effect))
        .collect();
    // b4 "buy usdt": review → block; a2 "my usdt wallet": review → allow (exception)
    assert_eq!(
        flips,
        vec![
            (
                "b4".to_string(),
                "review → block".to_string(),
                Effect::Better
            ),
            (
                "a2".to_string(),
                "review → allow".to_string(),
                Effect::Better
            ),
        ]
    );
    assert_eq!(
        d.flips[0].hits_added[0].to_string(),
        "trade_verb:buy \"buy\""
    );
    assert_eq!(
        d.flips[1].hits_removed[0].to_string(),
        "asset:usdt \"usdt\""
    );
    assert_eq!(d.deltas.true_positives, 1);
    assert_eq!(d.deltas.recall, Some(0.25));
    assert_eq!(d.candidate.overall.confusion.block.block, 3);

    let out = coinsieve()
        .args(["eval", "--baseline-lexicons"])
        .arg(tmp.path().join("base"))
        .arg("--lexicons")
        .arg(&cand_dir)
        .arg(&corpus_path)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("2 post(s) flip: 0 worse, 2 better"), "{text}");
    assert!(text.contains("expected block: review → block"), "{text}");
    assert!(text.contains("+ trade_verb:buy \"buy\""), "{text}");
    assert!(text.contains("- asset:usdt \"usdt\""), "{text}");
    assert!(text.contains("recall"), "{text}");

    // and the reverse direction is worse
    let d = eval::diff(&cand, &base, &corpus);
    assert_eq!(d.count(Effect::Worse), 2);
    assert_eq!(d.flips[0].expected, Label::Block);
}
