//! Bad input: every case is reported with file:line and counted, and the scan goes on.

mod common;
use common::*;
use predicates::str::contains;

/// Errors file lines as (line, kind).
fn errors(path: &std::path::Path) -> Vec<(u64, String)> {
    read_lines(path)
        .iter()
        .map(|e| {
            assert!(e["file"].is_string() && e["reason"].is_string(), "{e}");
            (
                e["line"].as_u64().unwrap(),
                e["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_jsonl_problem_is_counted_and_the_scan_continues() {
    let dir = tempfile::tempdir().unwrap();
    let mut data: Vec<u8> = Vec::new();
    data.extend(post("ok1", "a", "t", BLOCK[0]).as_bytes()); // 1
    data.extend(b"{\"id\": \"broken\", \"text\": \n"); // 2 invalid JSON
    data.extend(b"{\"id\": \"nt\", \"body2\": \"x\"}\n"); // 3 missing text
    data.extend(b"{\"id\": \"num\", \"text\": 12}\n"); // 4 text not a string
    data.extend(b"{\"id\": \"bad\", \"text\": \"caf\xe9\"}\n"); // 5 invalid UTF-8
    data.extend(b"\n"); // 6 empty line
    data.extend(b"   \n"); // 7 whitespace only
    data.extend(format!("{{\"id\":\"long\",\"text\":\"{}\"}}\n", "x".repeat(300)).as_bytes()); // 8
    data.extend(b"[1,2]\n"); // 9 not an object
    data.extend(post("ok2", "a", "t", ALLOW[0]).as_bytes()); // 10
    let f = write(dir.path(), "bad.jsonl", &data);
    let e = dir.path().join("errors.jsonl");
    let s = dir.path().join("summary.json");
    let out = cmd()
        .arg("scan")
        .arg(&f)
        .args(["--max-line-bytes", "200", "--errors"])
        .arg(&e)
        .arg("--summary-json")
        .arg(&s)
        .assert()
        .success()
        .stderr(contains("bad.jsonl:2: invalid JSON"))
        .stderr(contains("bad.jsonl:8: line is"));
    let recs = lines(&out.get_output().stdout);
    assert_eq!(ids(&recs), ["ok1", "ok2"]);
    assert_eq!(
        errors(&e),
        [
            (2, "invalid_json".into()),
            (3, "missing_text".into()),
            (4, "text_not_string".into()),
            (5, "invalid_utf8".into()),
            (6, "empty_line".into()),
            (7, "empty_line".into()),
            (8, "line_too_long".into()),
            (9, "invalid_json".into()),
        ]
    );
    let sum = summary(&s);
    assert_eq!(sum["posts"], 2);
    assert_eq!(sum["errors"], 8);
    assert_eq!(sum["records"], 10);
    assert_eq!(sum["error_kinds"]["empty_line"], 2);
}

#[test]
fn csv_wrong_column_count_invalid_utf8_and_unclosed_quote() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv: Vec<u8> = Vec::new();
    csv.extend(format!("id,account,text\nr1,a,{}\n", BLOCK[0]).as_bytes()); // 1, 2
    csv.extend(b"r2,a\n"); // 3: too few
    csv.extend(b"r3,a,b,c\n"); // 4: too many
    csv.extend(b"\n"); // 5: empty
    csv.extend(b"r4,a,\xff\xfe\n"); // 6: invalid UTF-8
    csv.extend(format!("r5,b,{}\n", ALLOW[0]).as_bytes()); // 7
    csv.extend(b"r6,b,\"never closed\n"); // 8
    let f = write(dir.path(), "bad.csv", &csv);
    let e = dir.path().join("errors.jsonl");
    let out = cmd()
        .arg("scan")
        .arg(&f)
        .arg("--errors")
        .arg(&e)
        .assert()
        .success()
        .stderr(contains("bad.csv:3: 2 columns, but the header has 3"));
    assert_eq!(ids(&lines(&out.get_output().stdout)), ["r1", "r5"]);
    assert_eq!(
        errors(&e),
        [
            (3, "column_count".into()),
            (4, "column_count".into()),
            (5, "empty_line".into()),
            (6, "invalid_utf8".into()),
            (8, "invalid_csv".into()),
        ]
    );
}

#[test]
fn overlong_line_is_skipped_without_losing_neighbours() {
    let dir = tempfile::tempdir().unwrap();
    let long = "y".repeat(5000);
    let data = format!("{}\n{long}\n{}\n", ALLOW[0], BLOCK[0]);
    let f = write(dir.path(), "long.txt", data);
    let out = cmd()
        .arg("scan")
        .arg(&f)
        .args(["--max-line-bytes", "1K"])
        .assert()
        .success()
        .stderr(contains(
            "long.txt:2: line is 5000 bytes, over --max-line-bytes 1024",
        ));
    assert_eq!(ids(&lines(&out.get_output().stdout)), ["1", "3"]);
}

#[test]
fn truncated_gzip_and_zstd_are_reported_and_the_next_file_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let dump = mixed_dump(2000);
    let gzb = gz(dump.as_bytes());
    let zsb = zst(dump.as_bytes());
    let g = write(dir.path(), "cut.jsonl.gz", &gzb[..gzb.len() / 2]);
    let z = write(dir.path(), "cut.jsonl.zst", &zsb[..zsb.len() / 2]);
    let fine = write(dir.path(), "fine.jsonl", post("last", "a", "t", ALLOW[1]));
    let e = dir.path().join("errors.jsonl");
    let s = dir.path().join("s.json");
    let out = cmd()
        .arg("scan")
        .args([&g, &z, &fine])
        .arg("--errors")
        .arg(&e)
        .arg("--summary-json")
        .arg(&s)
        .assert()
        .success()
        .stderr(contains("truncated or corrupt gzip"))
        .stderr(contains("truncated or corrupt zstd"));
    let recs = lines(&out.get_output().stdout);
    assert_eq!(recs.last().unwrap()["id"], "last");
    let errs = read_lines(&e);
    assert_eq!(errs.len(), 2);
    assert!(errs.iter().all(|e| e["kind"] == "read_error"));
    // The gzip records before the cut came through in order; the error is at the next line.
    let gz_posts = recs
        .iter()
        .zip(0..)
        .take_while(|(r, i)| r["id"] == format!("p{i}").as_str())
        .count();
    assert!(gz_posts > 100, "{gz_posts}");
    assert!(errs[0]["file"].as_str().unwrap().ends_with("cut.jsonl.gz"));
    assert_eq!(errs[0]["line"].as_u64(), Some(gz_posts as u64 + 1));
    let sum = summary(&s);
    assert_eq!(sum["records"].as_u64(), Some(recs.len() as u64 + 2));
}

#[test]
fn strict_stops_at_the_first_error_with_exit_2() {
    let data = format!(
        "{}{{oops\n{}",
        post("g1", "a", "t", ALLOW[0]),
        post("g2", "a", "t", ALLOW[1])
    );
    let out = cmd()
        .args(["scan", "--strict"])
        .write_stdin(data)
        .assert()
        .code(2)
        .stderr(contains("<stdin>:2: invalid JSON"))
        .stderr(contains("stopped"));
    assert_eq!(ids(&lines(&out.get_output().stdout)), ["g1"]);
}

#[test]
fn max_errors_is_a_budget() {
    // Two empty lines between two good records.
    let data = format!(
        "{}\n\n{}",
        post("g1", "a", "t", ALLOW[0]),
        post("g2", "a", "t", ALLOW[1])
    );
    cmd()
        .args(["scan", "--max-errors", "2"])
        .write_stdin(data.clone())
        .assert()
        .success();
    cmd()
        .args(["scan", "--max-errors", "1"])
        .write_stdin(data)
        .assert()
        .code(2);
}

#[test]
fn only_the_first_errors_go_to_stderr_all_to_the_errors_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = "{bad\n".repeat(25);
    let e = dir.path().join("e.jsonl");
    let out = cmd()
        .arg("scan")
        .arg("--errors")
        .arg(&e)
        .write_stdin(data)
        .assert()
        .success()
        .stderr(contains("15 more bad records"));
    let stderr = String::from_utf8_lossy(&out.get_output().stderr);
    assert_eq!(stderr.matches("invalid JSON").count(), 10);
    assert_eq!(read_lines(&e).len(), 25);
}

#[test]
fn usage_and_config_errors_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    cmd()
        .args(["scan", "/nonexistent/posts.jsonl"])
        .assert()
        .code(1)
        .stderr(contains("cannot open"));
    let p = write(dir.path(), "policy.toml", "ban_at_blocked = \"many\"\n");
    cmd()
        .arg("scan")
        .arg("--policy")
        .arg(&p)
        .write_stdin("")
        .assert()
        .code(1)
        .stderr(contains("invalid policy"));
    cmd()
        .args(["scan", "--format", "xml"])
        .assert()
        .code(1)
        .stderr(contains("unknown format"));
}
