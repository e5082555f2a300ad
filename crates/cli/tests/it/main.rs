//! Integration tests: run the built `deepsentinel` binary on temporary
//! directories and check exit codes, every output format, the walk rules and
//! corpus mode. Findings are e-mail addresses, which the reference
//! recognizer always detects, so the tests don't depend on other modules.
#![expect(
    clippy::expect_used,
    reason = "test helpers fail the test loudly; clippy's in-test allowance covers only #[test] fns"
)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

mod corpus;
mod formats;
mod redact;
mod serve;
mod walk;

/// Runs `deepsentinel` with `args` in `dir`, feeding `stdin`.
fn run(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_deepsentinel"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    pipe.write_all(stdin).expect("stdin accepts input");
    drop(pipe);
    child.wait_with_output().expect("the binary finishes")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

/// A temporary directory with `files` (path, contents) in it.
fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, contents) in files {
        let p = dir.path().join(path);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, contents).expect("write file");
    }
    dir
}

/// The raw values used across tests; none may ever appear in output.
const ALICE: &str = "alice.martin@example.com";
const BOB: &str = "bob.o.connor@example.org";
