//! Field mapping: default names, flags, dotted paths, missing ids and accounts.

mod common;
use common::*;
use serde_json::json;

#[test]
fn default_alternative_names() {
    let data = [
        json!({"post_id": 11, "uid": "u1", "created_at": "2018-01-05", "content": BLOCK[0]}),
        json!({"mid": "m2", "author": "u2", "timestamp": 1515110400, "body": ALLOW[0]}),
        json!({"id": "i3", "user_id": 7, "message": ALLOW[1]}),
    ]
    .iter()
    .map(|v| v.to_string() + "\n")
    .collect::<String>();
    let out = cmd().arg("scan").write_stdin(data).assert().success();
    let recs = lines(&out.get_output().stdout);
    assert_eq!(ids(&recs), ["11", "m2", "i3"], "ids are always strings");
    assert_eq!(recs[0]["account"], "u1");
    assert_eq!(recs[1]["account"], "u2");
    assert_eq!(recs[2]["account"], "7");
    assert_eq!(recs[0]["time"], "2018-01-05");
    assert_eq!(recs[1]["time"], "1515110400");
    assert_eq!(labels(&recs), ["block", "allow", "allow"]);
}

#[test]
fn nested_dotted_paths() {
    let data = [
        json!({"post": {"key": "n1", "body": BLOCK[0]}, "user": {"id": 42, "name": "Lao Zhang"}}),
        json!({"post": {"key": "n2", "body": ALLOW[2]}, "user": {"id": 43}}),
    ]
    .iter()
    .map(|v| v.to_string() + "\n")
    .collect::<String>();
    let dir = tempfile::tempdir().unwrap();
    let acc = dir.path().join("acc.jsonl");
    let out = cmd()
        .args([
            "scan",
            "--text-field",
            "post.body",
            "--id-field",
            "post.key",
        ])
        .args(["--account-field", "user.id", "--accounts"])
        .arg(&acc)
        .write_stdin(data)
        .assert()
        .success();
    let recs = lines(&out.get_output().stdout);
    assert_eq!(ids(&recs), ["n1", "n2"]);
    assert_eq!(recs[0]["account"], "42");
    assert_eq!(labels(&recs), ["block", "allow"]);
    let accounts = read_lines(&acc);
    assert_eq!(accounts.len(), 2);
    assert_eq!(accounts[0]["account"], "42");
}

#[test]
fn comma_separated_candidates_first_found_wins() {
    let data = json!({"msg": ALLOW[0], "txt": BLOCK[0], "who": "w"}).to_string() + "\n";
    let out = cmd()
        .args([
            "scan",
            "--text-field",
            "txt,msg",
            "--account-field",
            "nobody,who",
        ])
        .write_stdin(data)
        .assert()
        .success();
    let recs = lines(&out.get_output().stdout);
    assert_eq!(labels(&recs), ["block"]);
    assert_eq!(recs[0]["account"], "w");
}

#[test]
fn missing_id_uses_line_number_and_missing_account_counts_nowhere() {
    let data = format!(
        "{}\n{}\n{}\n",
        json!({"text": BLOCK[0]}),
        json!({"id": null, "account": null, "text": BLOCK[1]}),
        json!({"id": "x", "account": "a", "text": ALLOW[0]}),
    );
    let dir = tempfile::tempdir().unwrap();
    let acc = dir.path().join("acc.jsonl");
    let out = cmd()
        .arg("scan")
        .arg("--accounts")
        .arg(&acc)
        .write_stdin(data)
        .assert()
        .success();
    let recs = lines(&out.get_output().stdout);
    assert_eq!(ids(&recs), ["1", "2", "x"]);
    assert!(recs[0]["account"].is_null() && recs[1]["account"].is_null());
    let accounts = read_lines(&acc);
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0]["account"], "a");
    assert_eq!(accounts[0]["label"], "ok");
}

#[test]
fn csv_columns_by_flag() {
    let csv = format!("Mid,Poster,Words\nq1,pz,{}\n", BLOCK[0]);
    let out = cmd()
        .args(["scan", "--format", "csv", "--text-field", "Words"])
        .args(["--account-field", "poster"]) // falls back to a case-insensitive match
        .write_stdin(csv)
        .assert()
        .success();
    let recs = lines(&out.get_output().stdout);
    assert_eq!(
        ids(&recs),
        ["q1"],
        "Mid matches the default `mid` ignoring case"
    );
    assert_eq!(recs[0]["account"], "pz");
}

#[test]
fn csv_without_text_column_is_a_usage_error() {
    cmd()
        .args(["scan", "--format", "csv"])
        .write_stdin("id,words\n1,hello\n")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("no text column"));
}
