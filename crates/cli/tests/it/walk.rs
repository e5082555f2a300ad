//! Directory walking, exit codes and per-file problems.

use super::*;

/// The `path` of each line of `--format jsonl` output, `/`-separated.
fn jsonl_paths(o: &Output) -> Vec<String> {
    stdout(o)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            v["path"].as_str().expect("path").replace('\\', "/")
        })
        .collect()
}

#[test]
fn exit_codes() {
    let dir = tree(&[("clean.txt", b"nothing to see here\n")]);
    assert_eq!(code(&run(dir.path(), &["scan", "clean.txt"], b"")), 0);
    assert_eq!(code(&run(dir.path(), &["scan"], ALICE.as_bytes())), 1);
    assert_eq!(code(&run(dir.path(), &["scan", "-"], b"no mail")), 0);
    // Bad flags, bad values and bad configuration are errors.
    assert_eq!(code(&run(dir.path(), &["scan", "--bogus"], b"")), 2);
    let o = run(dir.path(), &["scan", "--min-score", "3"], b"");
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--min-score"), "{}", stderr(&o));
    std::fs::write(dir.path().join("bad.toml"), "min-scor = 0.3\n").expect("write");
    let o = run(
        dir.path(),
        &["scan", "--config", "bad.toml", "clean.txt"],
        b"",
    );
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("min-scor"), "{}", stderr(&o));
    // A missing file is reported, the others are scanned, and the exit code
    // is 2 even though something was found.
    std::fs::write(dir.path().join("mail.txt"), ALICE).expect("write");
    let o = run(dir.path(), &["scan", "missing.txt", "mail.txt"], b"");
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("missing.txt"), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("mail.txt:1:1: EMAIL_ADDRESS"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn gitignore_hidden_and_binary() {
    let dir = tree(&[
        ("root/.gitignore", b"ignored.txt\nbuild/\n"),
        ("root/kept.txt", format!("to {ALICE}\n").as_bytes()),
        ("root/ignored.txt", format!("to {BOB}\n").as_bytes()),
        ("root/build/out.txt", format!("to {BOB}\n").as_bytes()),
        ("root/.hidden/h.txt", format!("to {BOB}\n").as_bytes()),
        ("root/blob.bin", format!("\0\x01\x02 {BOB}").as_bytes()),
    ]);
    let o = run(dir.path(), &["scan", "--format", "jsonl", "root"], b"");
    assert_eq!(code(&o), 1);
    let paths = jsonl_paths(&o);
    assert_eq!(paths, ["root/kept.txt"]);

    let o = run(
        dir.path(),
        &[
            "scan",
            "--format",
            "jsonl",
            "--hidden",
            "--no-ignore",
            "root",
        ],
        b"",
    );
    let mut paths = jsonl_paths(&o);
    paths.sort();
    // The binary file stays skipped whatever the flags.
    assert_eq!(
        paths,
        [
            "root/.hidden/h.txt",
            "root/build/out.txt",
            "root/ignored.txt",
            "root/kept.txt"
        ]
    );
}

#[test]
fn invalid_utf8_is_reported_and_the_run_continues() {
    let mut latin1 = b"Caf\xe9 order for ".to_vec();
    latin1.extend_from_slice(BOB.as_bytes());
    let dir = tree(&[
        ("a.txt", &latin1),
        ("b.txt", format!("{ALICE}\n").as_bytes()),
    ]);
    let o = run(dir.path(), &["scan", "--color", "never", "."], b"");
    assert_eq!(code(&o), 1, "a warning is not an error");
    let err = stderr(&o);
    assert!(
        err.contains("a.txt") && err.contains("not valid UTF-8"),
        "{err}"
    );
    let out = stdout(&o);
    // The valid part of a.txt is scanned with exact offsets (the invalid
    // byte counts as one column).
    assert!(out.contains("a.txt:1:16: EMAIL_ADDRESS"), "{out}");
    assert!(out.contains("b.txt:1:1: EMAIL_ADDRESS"), "{out}");
    assert!(!err.contains(BOB), "{err}");
}

#[test]
fn output_is_sorted_and_large_files_are_windowed() {
    // Many files, scanned in parallel, printed in path order.
    let names: Vec<String> = (0..150).map(|i| format!("f{i:03}.txt")).collect();
    let contents = format!("x {ALICE}\n");
    let files: Vec<(&str, &[u8])> = names
        .iter()
        .map(|n| (n.as_str(), contents.as_bytes()))
        .collect();
    let dir = tree(&files);
    let o = run(
        dir.path(),
        &["scan", "--format", "jsonl", "-j", "2", "."],
        b"",
    );
    let paths = jsonl_paths(&o);
    assert_eq!(paths.len(), 150);
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);

    // A file much larger than the window: every address reported once, at
    // the right line.
    let mut big = String::new();
    for i in 0..3000 {
        big.push_str(&format!("row {i}: contact user{i}@example.com — ok\n"));
    }
    std::fs::write(dir.path().join("big.log"), &big).expect("write");
    let o = run(
        dir.path(),
        &[
            "scan",
            "--format",
            "jsonl",
            "--max-file-size",
            "16K",
            "big.log",
        ],
        b"",
    );
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 3000);
    for (i, v) in lines.iter().enumerate() {
        assert_eq!(v["line"], i as u64 + 1);
        let (s, e) = (
            v["start"].as_u64().expect("start") as usize,
            v["end"].as_u64().expect("end") as usize,
        );
        assert_eq!(&big[s..e], format!("user{i}@example.com"));
    }
}
