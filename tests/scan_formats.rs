//! Input formats, compression, stdin and format detection.

mod common;
use common::*;

fn three_jsonl() -> String {
    [
        post("a1", "lz", "2018-01-05T10:00:00Z", BLOCK[0]),
        post("a2", "amy", "2018-01-05T11:00:00Z", ALLOW[1]),
        post("a3", "mp", "2018-01-05T12:00:00Z", BLOCK[3]),
    ]
    .concat()
}

fn check_three(out: &[u8]) {
    let recs = lines(out);
    assert_eq!(ids(&recs), ["a1", "a2", "a3"]);
    assert_eq!(labels(&recs), ["block", "allow", "block"]);
    assert_eq!(recs[0]["account"], "lz");
    assert_eq!(recs[0]["time"], "2018-01-05T10:00:00Z");
    for key in ["score", "categories", "rules", "hits"] {
        assert!(recs[1].get(key).is_some(), "missing {key}");
    }
}

#[test]
fn jsonl_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "posts.jsonl", three_jsonl());
    let out = cmd().arg("scan").arg(&f).assert().success();
    check_three(&out.get_output().stdout);
}

#[test]
fn output_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "posts.jsonl", three_jsonl());
    let o = dir.path().join("out.jsonl");
    let out = cmd()
        .arg("scan")
        .arg(&f)
        .arg("-o")
        .arg(&o)
        .assert()
        .success();
    assert!(out.get_output().stdout.is_empty());
    check_three(&std::fs::read(&o).unwrap());
}

#[test]
fn gzip_and_zstd_by_magic_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let data = three_jsonl();
    for (name, bytes) in [
        ("posts.jsonl.gz", gz(data.as_bytes())),
        ("posts.jsonl.zst", zst(data.as_bytes())),
        // The name says nothing about compression: detected from the content.
        ("gz-inside.jsonl", gz(data.as_bytes())),
        ("zst-inside", zst(data.as_bytes())),
    ] {
        let f = write(dir.path(), name, bytes);
        let out = cmd().arg("scan").arg(&f).assert().success();
        check_three(&out.get_output().stdout);
    }
}

#[test]
fn multi_member_gzip() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = gz(post("a1", "lz", "t", BLOCK[0]).as_bytes());
    bytes.extend(gz([
        post("a2", "amy", "t", ALLOW[1]),
        post("a3", "mp", "t", BLOCK[3]),
    ]
    .concat()
    .as_bytes()));
    let f = write(dir.path(), "cat.jsonl.gz", bytes);
    let out = cmd().arg("scan").arg(&f).assert().success();
    assert_eq!(ids(&lines(&out.get_output().stdout)), ["a1", "a2", "a3"]);
}

#[test]
fn compressed_stdin() {
    let out = cmd()
        .arg("scan")
        .write_stdin(gz(three_jsonl().as_bytes()))
        .assert()
        .success();
    check_three(&out.get_output().stdout);
}

#[test]
fn stdin_with_dash_and_without_file() {
    for args in [&["scan", "-"][..], &["scan"][..]] {
        let out = cmd()
            .args(args)
            .write_stdin(three_jsonl())
            .assert()
            .success();
        check_three(&out.get_output().stdout);
    }
}

#[test]
fn csv_with_header_quotes_and_multiline_field() {
    let dir = tempfile::tempdir().unwrap();
    let csv = format!(
        "post_id,user_id,created_at,content\n\
         c1,lz,2018-01-05,\"{}\"\n\
         c2,amy,2018-01-06,\"she said \"\"hi\"\",\nthen left\"\n\
         c3,mp,2018-01-07,{}\n",
        BLOCK[0], ALLOW[3]
    );
    let f = write(dir.path(), "posts.csv", csv);
    let out = cmd().arg("scan").arg(&f).assert().success();
    let recs = lines(&out.get_output().stdout);
    assert_eq!(ids(&recs), ["c1", "c2", "c3"]);
    assert_eq!(labels(&recs), ["block", "allow", "allow"]);
    assert_eq!(recs[0]["account"], "lz");
    assert_eq!(recs[2]["time"], "2018-01-07");
}

#[test]
fn tsv_file() {
    let dir = tempfile::tempdir().unwrap();
    let tsv = format!(
        "id\taccount\ttext\nt1\tlz\t{}\nt2\tamy\t\"quoted\" chat, with comma\n",
        BLOCK[1]
    );
    let f = write(dir.path(), "posts.tsv.gz", gz(tsv.as_bytes()));
    let out = cmd().arg("scan").arg(&f).assert().success();
    let recs = lines(&out.get_output().stdout);
    assert_eq!(ids(&recs), ["t1", "t2"]);
    assert_eq!(labels(&recs), ["block", "allow"]);
}

#[test]
fn plain_text_ids_are_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "posts.txt",
        format!("{}\n{}\n{}", ALLOW[0], BLOCK[0], ALLOW[1]),
    );
    let out = cmd().arg("scan").arg(&f).assert().success();
    let recs = lines(&out.get_output().stdout);
    assert_eq!(ids(&recs), ["1", "2", "3"]);
    assert_eq!(labels(&recs), ["allow", "block", "allow"]);
    assert!(recs[0]["account"].is_null());
    assert!(recs[0].get("time").is_none());
}

#[test]
fn format_detected_from_content_or_forced() {
    let dir = tempfile::tempdir().unwrap();
    let j = write(dir.path(), "dump.dat", three_jsonl());
    let out = cmd().arg("scan").arg(&j).assert().success();
    check_three(&out.get_output().stdout);

    let c = write(
        dir.path(),
        "dump2.dat",
        format!("id,text\nx1,{}\n", BLOCK[0]),
    );
    let out = cmd().arg("scan").arg(&c).assert().success();
    assert_eq!(ids(&lines(&out.get_output().stdout)), ["x1"]);

    // Forced: a JSONL file read as plain text keeps one record per line, ids = line numbers.
    let out = cmd()
        .args(["scan", "--format", "text"])
        .arg(&j)
        .assert()
        .success();
    assert_eq!(ids(&lines(&out.get_output().stdout)), ["1", "2", "3"]);

    // Forced CSV on stdin.
    let out = cmd()
        .args(["scan", "--format", "csv"])
        .write_stdin(format!("id,text\ns1,{}\n", ALLOW[1]))
        .assert()
        .success();
    assert_eq!(ids(&lines(&out.get_output().stdout)), ["s1"]);
}

#[test]
fn crlf_and_bom() {
    let dir = tempfile::tempdir().unwrap();
    let data = format!("\u{feff}{}", three_jsonl().replace('\n', "\r\n"));
    let f = write(dir.path(), "win.jsonl", data);
    let out = cmd().arg("scan").arg(&f).assert().success();
    check_three(&out.get_output().stdout);
    let f = write(
        dir.path(),
        "win.csv",
        format!("\u{feff}id,text\r\nw1,{}\r\n", BLOCK[0]),
    );
    let out = cmd().arg("scan").arg(&f).assert().success();
    let recs = lines(&out.get_output().stdout);
    assert_eq!(
        (ids(&recs), labels(&recs)),
        (vec!["w1".into()], vec!["block".into()])
    );
}

#[test]
fn several_files_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.jsonl", post("f1", "x", "t", ALLOW[0]));
    let b = write(
        dir.path(),
        "b.csv.zst",
        zst(format!("id,text\nf2,{}\n", BLOCK[0]).as_bytes()),
    );
    let c = write(dir.path(), "c.txt", format!("{}\n", ALLOW[2]));
    let s = dir.path().join("s.json");
    let out = cmd()
        .arg("scan")
        .args([&a, &b, &c])
        .arg("--summary-json")
        .arg(&s)
        .assert()
        .success();
    assert_eq!(ids(&lines(&out.get_output().stdout)), ["f1", "f2", "1"]);
    assert_eq!(summary(&s)["files"], 3);
}
