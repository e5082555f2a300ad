//! `deepsentinel serve` as a process: several serving threads answering
//! real HTTP on loopback, and a graceful stop on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `deepsentinel serve ARGS` with no upstream configured (the echo
/// provider), and its stderr.
fn spawn(args: &[&str]) -> (Child, BufReader<std::process::ChildStderr>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_deepsentinel"));
    cmd.arg("serve")
        .args(args)
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, _) in std::env::vars() {
        if k.starts_with("DEEPSENTINEL_") || k.starts_with("OPENAI_") || k.starts_with("ANTHROPIC_")
        {
            cmd.env_remove(k);
        }
    }
    let mut child = cmd.spawn().expect("the binary runs");
    let err = BufReader::new(child.stderr.take().expect("stderr is piped"));
    (child, err)
}

fn http(addr: &str, request: &str) -> String {
    let mut s = TcpStream::connect(addr).expect("connects");
    s.set_read_timeout(Some(Duration::from_secs(20)))
        .expect("read timeout");
    s.write_all(request.as_bytes()).expect("sends");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("reads the answer");
    out
}

fn wait(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("waits") {
            return status;
        }
        let late = start.elapsed() > limit;
        if late {
            let _ = child.kill();
        }
        assert!(!late, "the gateway did not stop within {limit:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn serve_answers_from_several_threads_and_stops_on_sigterm() {
    let (mut child, mut err) = spawn(&["--listen", "127.0.0.1:0", "--threads", "3"]);
    let mut banner = String::new();
    while !banner.contains("listening on http://") {
        banner.clear();
        let n = err.read_line(&mut banner).expect("reads stderr");
        assert!(n > 0, "the gateway exited before listening");
    }
    assert!(banner.contains("threads: 3"), "{banner}");
    let addr = banner
        .split("http://")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .expect("an address")
        .to_owned();
    let body =
        r#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello from a test"}]}"#;
    let request = format!(
        "POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    // More connections at once than threads, so every thread accepts some.
    let answers: Vec<_> = (0..12)
        .map(|_| {
            let (addr, request) = (addr.clone(), request.clone());
            std::thread::spawn(move || http(&addr, &request))
        })
        .collect();
    for a in answers {
        let a = a.join().expect("client thread");
        assert!(a.starts_with("HTTP/1.1 200"), "{a}");
        assert!(a.contains("hello from a test"), "the echo reply: {a}");
    }
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let status = wait(&mut child, Duration::from_secs(20));
    assert!(status.success(), "{status:?}");
    let mut rest = String::new();
    err.read_to_string(&mut rest).expect("reads stderr");
    assert!(rest.contains("deepsentinel gateway stopped"), "{rest}");
}

#[test]
fn serve_refuses_zero_threads() {
    let (mut child, mut err) = spawn(&["--listen", "127.0.0.1:0", "--threads", "0"]);
    let status = wait(&mut child, Duration::from_secs(20));
    assert_eq!(status.code(), Some(2));
    let mut text = String::new();
    err.read_to_string(&mut text).expect("reads stderr");
    assert!(text.contains("--threads"), "{text}");
}
