//! `coinsieve check` and `coinsieve explain` from the outside.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn coinsieve() -> Command {
    Command::cargo_bin("coinsieve").expect("binary builds")
}

fn check_json(text: &str) -> Value {
    let out = coinsieve()
        .args(["check", "--json", text])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

fn span_text(text: &str, hit: &Value) -> String {
    let (s, e) = (
        hit["start"].as_u64().expect("start") as usize,
        hit["end"].as_u64().expect("end") as usize,
    );
    text.chars().skip(s).take(e - s).collect()
}

#[test]
fn json_verdict_for_a_disguised_offer_has_exact_spans() {
    let text = "收 Ｕ 汇率 6.95，加 薇 ：laoli_8866";
    let v = check_json(text);
    assert_eq!(v["label"], "block", "{v:#}");
    assert_eq!(v["categories"][0], "otc_offer");
    let hits = v["hits"].as_array().expect("hits");
    assert!(!hits.is_empty());
    for h in hits {
        assert_eq!(
            span_text(text, h),
            h["text"].as_str().expect("text"),
            "{h:#}"
        );
        for field in [
            "entry",
            "signal",
            "start",
            "end",
            "byte_start",
            "byte_end",
            "text",
            "how",
        ] {
            assert!(h.get(field).is_some(), "hit lacks {field}: {h:#}");
        }
    }
    let channel = hits
        .iter()
        .find(|h| h["signal"] == "contact_channel")
        .expect("channel hit");
    assert_eq!(
        (channel["entry"].as_str(), channel["text"].as_str()),
        (Some("wechat"), Some("薇"))
    );
}

#[test]
fn spaced_characters_homophone_and_rate_block_with_exact_spans() {
    let text = "大 量 收 Ｕ，汇 率 6.95，加 薇 laoli_8866";
    let v = check_json(text);
    assert_eq!(v["label"], "block", "{v:#}");
    let hits = v["hits"].as_array().expect("hits");
    let by_signal = |s: &str| {
        hits.iter()
            .find(|h| h["signal"] == s)
            .unwrap_or_else(|| panic!("no {s} in {v:#}"))
    };
    assert_eq!(by_signal("otc_phrase")["text"], "大 量 收 Ｕ");
    assert_eq!(by_signal("otc_phrase")["how"], "disguised");
    assert_eq!(by_signal("rate")["text"], "6.95");
    assert_eq!(by_signal("contact_channel")["text"], "薇");
    assert_eq!(by_signal("contact_handle")["text"], "laoli_8866");
    for h in hits {
        assert_eq!(
            span_text(text, h),
            h["text"].as_str().expect("text"),
            "{h:#}"
        );
    }
}

#[test]
fn json_verdicts_for_the_design_examples() {
    let cases = [
        (
            "長期收購泰達幣，匯率7.10，支付寶銀行卡都可以，聯繫微信",
            "block",
        ),
        (
            "Jоin оur РUМР grоuр: nеxt рumр on Binance, 100x guaranteed",
            "block",
        ),
        (
            "据新华社报道，支付宝宣布将封禁用于比特币场外交易的账户。",
            "allow",
        ),
        (
            "警方提醒：陌生人让你加V信、扣扣做“收U”的，都是诈骗！",
            "allow",
        ),
        ("收U盘，32G的就行", "allow"),
        ("AirDrop the photos to me", "allow"),
    ];
    for (text, label) in cases {
        let v = check_json(text);
        assert_eq!(v["label"], label, "{text}: {v:#}");
        for h in v["hits"].as_array().expect("hits") {
            assert_eq!(span_text(text, h), h["text"].as_str().expect("text"));
        }
    }
}

#[test]
fn stdin_lines_are_checked_one_by_one() {
    let out = coinsieve()
        .args(["check", "--json"])
        .write_stdin(
            "收U 6.95 微信 laozhang88\n今天好累啊\nJoin our pump group, next pump 5pm GMT\n",
        )
        .output()
        .expect("runs");
    assert!(out.status.success());
    let labels: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).expect("json line")["label"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert_eq!(labels, ["block", "allow", "block"]);
}

#[test]
fn readable_output_names_label_and_evidence() {
    coinsieve()
        .args(["check", "--color", "never", "收U 6.95 微信 laozhang88"])
        .assert()
        .success()
        .stdout(
            predicate::str::starts_with("BLOCK")
                .and(predicate::str::contains("otc_offer"))
                .and(predicate::str::contains("\"收U\"")),
        );
    coinsieve()
        .args(["check", "--color", "always", "收U 6.95 微信 laozhang88"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\x1b[1;31m收U\x1b[0m"));
}

#[test]
fn explain_prints_every_stage() {
    coinsieve()
        .args(["explain", "比 特 币 大量收，薇 abc_8899"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("key     比特币大量收薇abc8899")
                .and(predicate::str::contains("3 segment"))
                .and(predicate::str::contains("5 rules"))
                .and(predicate::str::contains("6 verdict")),
        );
    let out = coinsieve()
        .args(["explain", "--json", "收U盘"])
        .output()
        .expect("runs");
    let e: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(e["verdict"]["label"], "allow");
    assert!(
        e["candidates"]
            .as_array()
            .expect("candidates")
            .iter()
            .any(|c| c["decision"]
                .as_str()
                .is_some_and(|d| d.contains("exception")))
    );
}

#[test]
fn bad_lexicon_dir_is_a_located_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("rules.toml"),
        "[labels]\nreview = 0.5\nblock = 1.0\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("x.terms"),
        "[trade_verb]\n收\nabc | weight=eleven\n",
    )
    .expect("write");
    coinsieve()
        .args(["check", "--lexicons"])
        .arg(dir.path())
        .arg("收U")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "x.terms:3:14: weight must be a number",
        ));
}

/// A reader that goes away (`coinsieve explain … | head -0`) ends every subcommand quietly:
/// exit 0 and no panic message, like `scan` (tested in scan_parallel.rs).
#[test]
fn closed_stdout_ends_report_commands_quietly() {
    let bin = assert_cmd::cargo::cargo_bin("coinsieve");
    for args in [
        vec!["explain", "收U 6.95 微信 laozhang88"],
        vec!["explain", "--json", "收U 6.95 微信 laozhang88"],
        vec!["lint"],
    ] {
        let mut child = std::process::Command::new(&bin)
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("starts");
        // close the read end before the command has loaded its lexicons and written anything
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
