//! Parallel checking keeps input order; streaming, Ctrl-C and broken pipes behave.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

#[test]
fn order_is_kept_with_many_threads_and_tiny_chunks() {
    let dir = tempfile::tempdir().unwrap();
    let n = 20_000;
    let f = write(dir.path(), "many.jsonl.gz", gz(mixed_dump(n).as_bytes()));
    for threads in ["1", "8"] {
        let out = cmd()
            .arg("scan")
            .arg(&f)
            .args(["--threads", threads, "--chunk-size", "2K"])
            .assert()
            .success();
        let recs = lines(&out.get_output().stdout);
        assert_eq!(recs.len(), n);
        for (i, r) in recs.iter().enumerate() {
            assert_eq!(r["id"], format!("p{i}").as_str());
            let want = if i % 3 == 0 { "block" } else { "allow" };
            assert_eq!(r["label"], want, "post p{i}");
        }
    }
}

#[test]
fn output_plus_errors_equals_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = String::new();
    let mut bad = 0;
    for (i, line) in mixed_dump(3000).lines().enumerate() {
        if i % 97 == 0 {
            data.push_str("{\"id\": oops}\n");
            bad += 1;
        }
        if i % 101 == 0 {
            data.push('\n');
            bad += 1;
        }
        data.push_str(line);
        data.push('\n');
    }
    let f = write(dir.path(), "mixed.jsonl", &data);
    let s = dir.path().join("s.json");
    let out = cmd()
        .arg("scan")
        .arg(&f)
        .args(["-j", "4", "--chunk-size", "4K", "--summary-json"])
        .arg(&s)
        .assert()
        .success();
    let recs = lines(&out.get_output().stdout);
    let sum = summary(&s);
    assert_eq!(recs.len(), 3000);
    assert_eq!(sum["errors"], bad);
    assert_eq!(recs.len() as u64 + bad, data.lines().count() as u64);
    assert_eq!(sum["records"], data.lines().count() as u64);
}

#[test]
fn only_flagged_writes_review_and_block() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "d.jsonl", mixed_dump(300));
    let s = dir.path().join("s.json");
    let out = cmd()
        .arg("scan")
        .arg(&f)
        .arg("--only-flagged")
        .arg("--summary-json")
        .arg(&s)
        .assert()
        .success();
    let recs = lines(&out.get_output().stdout);
    assert_eq!(recs.len(), 100);
    assert!(recs.iter().all(|r| r["label"] != "allow"));
    let want: Vec<String> = (0..300).step_by(3).map(|i| format!("p{i}")).collect();
    assert_eq!(ids(&recs), want);
    let sum = summary(&s);
    assert_eq!(
        (sum["posts"].as_u64(), sum["written"].as_u64()),
        (Some(300), Some(100))
    );
    assert_eq!(sum["labels"]["block"], 100);
    assert!(sum["mb_per_sec"].as_f64().unwrap() > 0.0);
}

/// `producer | coinsieve scan - | consumer`: each record comes out while stdin is still open.
#[test]
fn streams_records_through_a_pipe_promptly() {
    let mut child = Command::new(bin())
        .args(["scan", "-", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    for (i, text) in [BLOCK[0], ALLOW[0], BLOCK[3]].iter().enumerate() {
        stdin
            .write_all(post(&format!("s{i}"), "a", "t", text).as_bytes())
            .unwrap();
        stdin.flush().unwrap();
        let line = rx
            .recv_timeout(Duration::from_secs(10))
            .expect("record not flushed while the input stays open");
        assert!(line.contains(&format!("\"id\":\"s{i}\"")), "{line}");
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
    reader.join().unwrap();
}

/// Ctrl-C while posts keep coming: stop reading, finish the line being written, write the
/// summary of what was done, exit 130.
#[test]
fn interrupt_finishes_whole_lines_and_prints_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.json");
    let acc = dir.path().join("acc.jsonl");
    let mut child = Command::new(bin())
        .args(["scan", "-", "--summary-json"])
        .arg(&s)
        .arg("--accounts")
        .arg(&acc)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    // An endless producer: the scan is busy when the signal arrives.
    let producer = std::thread::spawn(move || {
        let block = mixed_dump(1000);
        while stdin.write_all(block.as_bytes()).is_ok() {}
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        stderr.read_to_string(&mut s).unwrap();
        s
    });
    let mut out = BufReader::new(stdout);
    let mut data = Vec::new();
    for _ in 0..2000 {
        assert!(out.read_until(b'\n', &mut data).unwrap() > 0);
    }
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    out.read_to_end(&mut data).unwrap();
    let code = child.wait().unwrap().code();
    producer.join().unwrap();
    let err = err_reader.join().unwrap();
    assert_eq!(code, Some(130), "stderr: {err}");
    assert!(err.contains("interrupted"), "{err}");
    let recs = lines(&data); // panics on a half-written line
    let sum = summary(&s);
    assert_eq!(sum["interrupted"], true);
    assert_eq!(sum["written"].as_u64(), Some(recs.len() as u64));
    for (i, r) in recs.iter().enumerate() {
        assert_eq!(r["id"], format!("p{}", i % 1000).as_str());
    }
    assert_eq!(read_lines(&acc).len(), 7);
}

#[test]
fn broken_pipe_exits_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "big.jsonl", mixed_dump(50_000));
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "'{}' scan '{}' | head -n 1 >/dev/null; echo \"status=${{PIPESTATUS[0]}}\"",
            bin(),
            f.display()
        ))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("status=0"), "{stdout} {stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}
