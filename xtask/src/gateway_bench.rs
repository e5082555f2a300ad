//! `cargo xtask gateway-bench`: the gateway's load benchmark (issue 6).
//!
//! The gateway (`deepsentinel serve`) in front of a fast local upstream
//! (nginx from Debian's packages serving canned completions and streams
//! from `testdata/bench/`) versus the same upstream directly, with 1 KB
//! prompts (English-like prose with a few PII values, deterministic).
//!
//! 1. Checks for `nginx` and `oha` and installs them when missing (`apt-get
//!    install -y nginx` as root, `cargo install oha --locked`), or stops
//!    with a message saying how.
//! 2. Builds the CLI in release mode (`--no-build` skips it). The gateway
//!    rows are measured when `target/release/deepsentinel serve` exists;
//!    otherwise only the direct path is, and the table says so. `--bin
//!    PATH` measures another build instead, e.g. `cargo xtask pgo`'s.
//! 3. Writes the nginx config into a temp dir: one worker, one loopback
//!    port answering `POST /v1/chat/completions` with `completion.json`
//!    and a second port answering it with `stream.sse` (so nothing depends
//!    on the gateway forwarding a bench-only header; a second gateway
//!    instance fronts the streaming port).
//! 4. Measures with `oha`: peak requests/s at concurrency 32 and 256,
//!    latency p50/p99 at a fixed rate (open loop, `-q 1000
//!    --latency-correction`), streaming time to first byte at that rate;
//!    with an own sequential HTTP/1.1 client (keep-alive, 1,000 requests)
//!    the streaming time to first byte and to the first complete SSE event;
//!    the gateway's RSS idle (3 s after startup) and at load (`VmRSS` polled
//!    every 50 ms, and `VmHWM`), and its CPU time per request at peak and
//!    at the fixed rate (`utime + stime` from `/proc/<pid>/stat`).
//! 5. Prints a Markdown table to stdout, with the commands and versions.
//!
//! Every child process is stopped on exit, on error too (SIGTERM, then
//! SIGKILL after 5 s); on Ctrl-C the children, in the same process group,
//! get the signal themselves (the temp dir is then removed by the next
//! run). Killing only this process (SIGTERM/SIGKILL to its pid) leaves
//! nginx and the gateway running. Nothing here is a pass/fail gate.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::{cargo, root, run, show, target_dir, works};

/// Command-line options of `gateway-bench`.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// Seconds per peak-throughput and fixed-rate run.
    seconds: u64,
    /// The fixed request rate for the latency runs.
    rate: u32,
    /// Sequential requests of the time-to-first-token client.
    ttft_requests: usize,
    /// Skip `cargo build --release -p deepsentinel-cli`.
    no_build: bool,
    /// Skip the gateway rows even when the binary has `serve`.
    direct_only: bool,
    /// The gateway binary to measure instead of the release build (e.g.
    /// `cargo xtask pgo`'s); implies `no_build`.
    bin: Option<PathBuf>,
}

impl Options {
    pub(crate) fn parse(args: &[String]) -> Result<Self> {
        let mut o = Options {
            seconds: 10,
            rate: 1000,
            ttft_requests: 1000,
            no_build: false,
            direct_only: false,
            bin: None,
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = |name: &str| {
                it.next()
                    .with_context(|| format!("gateway-bench: {name} needs a value"))
            };
            match a.as_str() {
                "--seconds" => o.seconds = value("--seconds")?.parse().context("--seconds")?,
                "--rate" => o.rate = value("--rate")?.parse().context("--rate")?,
                "--ttft-requests" => {
                    o.ttft_requests = value("--ttft-requests")?
                        .parse()
                        .context("--ttft-requests")?;
                }
                "--no-build" => o.no_build = true,
                "--direct-only" => o.direct_only = true,
                "--bin" => {
                    o.bin = Some(PathBuf::from(value("--bin")?));
                    o.no_build = true;
                }
                other => bail!(
                    "gateway-bench: unknown option {other:?} (options: --seconds N, --rate RPS, \
                     --ttft-requests N, --no-build, --direct-only, --bin PATH)"
                ),
            }
        }
        if o.seconds == 0 || o.rate == 0 || o.ttft_requests == 0 {
            bail!("gateway-bench: --seconds, --rate and --ttft-requests must be positive");
        }
        Ok(o)
    }
}

/// Distinct request bodies written for `oha -Z` (one JSON body a line).
const BODIES: usize = 256;
/// Size of each prompt's user content, in bytes.
const PROMPT_BYTES: usize = 1024;

pub(crate) fn run_gateway_bench(opts: &Options) -> Result<()> {
    let nginx = ensure_nginx()?;
    let oha = ensure_oha()?;
    let mut cmds: Vec<String> = Vec::new();
    if !opts.no_build {
        let mut build = cargo();
        build.args(["build", "--release", "-p", "deepsentinel-cli"]);
        cmds.push(show(&build));
        run(&mut build)?;
    }
    let gateway_bin = opts
        .bin
        .clone()
        .unwrap_or_else(|| target_dir().join("release/deepsentinel"));
    let gateway = if opts.direct_only {
        eprintln!("note: --direct-only: the gateway rows are skipped");
        None
    } else if gateway_bin.is_file() && works(Command::new(&gateway_bin).args(["serve", "--help"])) {
        Some(gateway_bin)
    } else if opts.bin.is_some() {
        bail!(
            "gateway-bench: --bin {}: not a `deepsentinel` binary with a `serve` command",
            gateway_bin.display()
        );
    } else {
        eprintln!(
            "note: {} has no `serve` command (the gateway has not landed): only the direct \
             path is measured",
            gateway_bin.display()
        );
        None
    };

    let dir = TempDir::new()?;
    let bodies = dir.path().join("bodies.jsonl");
    let stream_bodies = dir.path().join("stream-bodies.jsonl");
    write_bodies(&bodies, false)?;
    write_bodies(&stream_bodies, true)?;

    let port = free_port()?;
    let stream_port = free_port()?;
    let conf = write_nginx_conf(dir.path(), port, stream_port)?;
    let mut nginx_cmd = Command::new(&nginx);
    nginx_cmd
        .arg("-p")
        .arg(dir.path())
        .arg("-c")
        .arg(&conf)
        .arg("-e")
        .arg(dir.path().join("error.log"));
    cmds.push(show(&nginx_cmd));
    let nginx_proc = Proc::spawn("nginx", nginx_cmd)?;
    wait_healthy(port, &nginx_proc, &dir.path().join("error.log"))?;
    wait_healthy(stream_port, &nginx_proc, &dir.path().join("error.log"))?;
    let nginx_pid = nginx_worker_pid(nginx_proc.pid());

    let bench = Bench {
        oha: oha.clone(),
        opts: opts.clone(),
        bodies,
        stream_bodies,
    };

    // Direct path.
    eprintln!("\n==> direct: nginx on 127.0.0.1:{port} (streams on {stream_port})");
    check_reply(port, &bench.bodies, false).context("direct completion")?;
    check_reply(stream_port, &bench.stream_bodies, true).context("direct stream")?;
    let direct = bench.measure(port, stream_port, &mut cmds, None, nginx_pid)?;

    // Gateway path.
    let mut gw: Option<(Figures, Memory)> = None;
    if let Some(bin) = &gateway {
        let gw_port = free_port()?;
        let gw_stream_port = free_port()?;
        let mut a_cmd = gateway_cmd(bin, gw_port, port);
        cmds.push(show_env(&a_cmd));
        let log_a = dir.path().join("gateway.log");
        let a = Proc::spawn_logged("gateway", a_cmd.stderr(file(&log_a)?))?;
        wait_healthy(gw_port, &a, &log_a)?;
        let mut b_cmd = gateway_cmd(bin, gw_stream_port, stream_port);
        cmds.push(show_env(&b_cmd));
        let log_b = dir.path().join("gateway-stream.log");
        let b = Proc::spawn_logged("gateway (streams)", b_cmd.stderr(file(&log_b)?))?;
        wait_healthy(gw_stream_port, &b, &log_b)?;
        // Idle means settled: the allocator returns what start-up freed
        // (building the scanner) within its one-second decay time.
        std::thread::sleep(Duration::from_secs(3));
        let idle = read_status_kb(a.pid(), "VmRSS:").unwrap_or(0);
        eprintln!(
            "\n==> gateway on 127.0.0.1:{gw_port} (streams: 127.0.0.1:{gw_stream_port}); idle RSS {:.1} MB",
            idle as f64 / 1000.0
        );
        let decisions = check_reply(gw_port, &bench.bodies, false).context("gateway completion")?;
        let stream_decisions =
            check_reply(gw_stream_port, &bench.stream_bodies, true).context("gateway stream")?;
        let poller = RssPoller::start(a.pid());
        let figures =
            bench.measure(gw_port, gw_stream_port, &mut cmds, Some(a.pid()), nginx_pid)?;
        let mut figures = figures;
        figures.decisions = (decisions, stream_decisions);
        let peak_polled = poller.stop();
        let hwm = read_status_kb(a.pid(), "VmHWM:").unwrap_or(0);
        gw = Some((
            figures,
            Memory {
                idle_kb: idle,
                peak_polled_kb: peak_polled,
                hwm_kb: hwm,
            },
        ));
        drop(b);
        drop(a);
    }
    drop(nginx_proc);

    let versions = versions(&nginx, &oha, gateway.as_deref());
    let table = render(opts, &direct, gw.as_ref(), &versions, &cmds);
    let mut out = std::io::stdout().lock();
    write!(out, "{table}")?;
    Ok(())
}

// ---------------------------------------------------------------- tools

fn ensure_nginx() -> Result<PathBuf> {
    let found = [
        "/usr/sbin/nginx",
        "/usr/local/sbin/nginx",
        "/usr/local/nginx/sbin/nginx",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.is_file())
    .or_else(|| which("nginx"));
    if let Some(p) = found {
        return Ok(p);
    }
    apt_install("nginx", "nginx", "put nginx on PATH")?;
    which("nginx")
        .or_else(|| Some(PathBuf::from("/usr/sbin/nginx")).filter(|p| p.is_file()))
        .context("nginx still missing after apt-get install")
}

/// Installs Debian's `package` (for the missing `tool`) with `apt-get
/// install -y` when running as root where apt-get exists; otherwise fails
/// with the command to run, or `instead`.
pub(crate) fn apt_install(tool: &str, package: &str, instead: &str) -> Result<()> {
    eprintln!(
        "{tool} is missing: installing it with `apt-get install -y {package}` (Debian's package)"
    );
    let root_user = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false);
    if !root_user || which("apt-get").is_none() {
        bail!(
            "{tool} is missing and cannot be installed from here: run `sudo apt-get install -y \
             {package}` (or {instead}) and rerun"
        );
    }
    run(Command::new("apt-get").args(["install", "-y", package]))
        .with_context(|| format!("installing {package} (try `apt-get update` first)"))
}

fn ensure_oha() -> Result<PathBuf> {
    if let Some(p) = which("oha") {
        return Ok(p);
    }
    let home_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|h| h.join("bin/oha"));
    if let Some(p) = home_bin.filter(|p| p.is_file()) {
        return Ok(p);
    }
    eprintln!(
        "oha (the load generator) is missing: installing it with `cargo install oha --locked` \
         (several minutes on 2 cores)"
    );
    let mut c = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    c.args(["install", "oha", "--locked"]);
    // Its own target dir, not this workspace's.
    c.env_remove("CARGO_TARGET_DIR");
    run(&mut c).context("`cargo install oha --locked` failed: install oha and rerun")?;
    which("oha")
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|h| PathBuf::from(h).join(".cargo/bin/oha"))
                .filter(|p| p.is_file())
        })
        .context("oha still missing after cargo install (is ~/.cargo/bin on PATH?)")
}

pub(crate) fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn versions(nginx: &Path, oha: &Path, gateway: Option<&Path>) -> Vec<String> {
    let out = |c: &mut Command| {
        c.output()
            .map(|o| {
                let s = if o.stdout.is_empty() {
                    o.stderr
                } else {
                    o.stdout
                };
                String::from_utf8_lossy(&s)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_owned()
            })
            .unwrap_or_else(|_| "unknown".into())
    };
    let mut v = vec![
        out(Command::new(nginx).arg("-v")),
        out(Command::new(oha).arg("--version")),
    ];
    if let Some(g) = gateway {
        v.push(out(Command::new(g).arg("--version")));
    }
    let commit = out(Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root()));
    v.push(format!("commit {commit}"));
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    v.push(format!(
        "{cpu}, {cores} cores (load generator, upstream and gateway share them)"
    ));
    v
}

// ---------------------------------------------------------------- setup

/// A temp dir removed on drop.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<Self> {
        Self::named("ds-gateway-bench-")
    }

    /// `<temp>/<prefix><pid>`.
    pub(crate) fn named(prefix: &str) -> Result<Self> {
        // A run stopped by Ctrl-C (no destructors) leaves its dir: remove
        // those whose process is gone.
        if let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if let Some(pid) = name.strip_prefix(prefix)
                    && !Path::new("/proc").join(pid).exists()
                {
                    std::fs::remove_dir_all(e.path()).ok();
                }
            }
        }
        let d = std::env::temp_dir().join(format!("{prefix}{}", std::process::id()));
        if d.exists() {
            std::fs::remove_dir_all(&d).ok();
        }
        std::fs::create_dir_all(&d).with_context(|| format!("creating {}", d.display()))?;
        Ok(TempDir(d))
    }
    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

pub(crate) fn free_port() -> Result<u16> {
    let l = TcpListener::bind("127.0.0.1:0").context("binding a free loopback port")?;
    Ok(l.local_addr()?.port())
}

fn file(p: &Path) -> Result<std::fs::File> {
    std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))
}

/// Escapes a canned text for a single-quoted nginx string.
fn nginx_quote(s: &str) -> Result<String> {
    if s.contains('$') {
        bail!("canned responses must not contain '$' (nginx variables)");
    }
    Ok(s.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn write_nginx_conf(dir: &Path, port: u16, stream_port: u16) -> Result<PathBuf> {
    let src = root().join("testdata/bench");
    let read = |n: &str| {
        std::fs::read_to_string(src.join(n)).with_context(|| format!("reading testdata/bench/{n}"))
    };
    let template = read("nginx.conf.template")?;
    let completion = read("completion.json")?;
    let stream = read("stream.sse")?;
    let conf = template
        .replace("{{PREFIX}}", &dir.display().to_string())
        .replace("{{PORT}}", &port.to_string())
        .replace("{{STREAM_PORT}}", &stream_port.to_string())
        .replace("{{COMPLETION}}", &nginx_quote(completion.trim())?)
        .replace("{{STREAM}}", &nginx_quote(&stream)?);
    if conf.contains("{{") {
        bail!("testdata/bench/nginx.conf.template has an unknown placeholder");
    }
    let path = dir.join("nginx.conf");
    std::fs::write(&path, conf)?;
    Ok(path)
}

/// Deterministic English-like prose of `PROMPT_BYTES` bytes with a few PII
/// values (a name, an e-mail address, a phone number, an IP address), none
/// of them a kind the default (production) policy blocks: every request is
/// scanned, anonymized and forwarded.
fn prompt(i: usize) -> String {
    const WORDS: &[&str] = &[
        "the",
        "team",
        "will",
        "review",
        "quarterly",
        "report",
        "before",
        "the",
        "meeting",
        "and",
        "send",
        "a",
        "summary",
        "to",
        "all",
        "stakeholders",
        "please",
        "check",
        "whether",
        "our",
        "delivery",
        "schedule",
        "still",
        "matches",
        "contract",
        "terms",
        "customer",
        "asked",
        "for",
        "an",
        "update",
        "on",
        "invoice",
        "shipment",
        "warehouse",
        "budget",
        "forecast",
        "next",
        "week",
        "because",
        "of",
        "changes",
        "in",
        "supplier",
        "pricing",
        "we",
        "need",
        "to",
        "confirm",
        "details",
        "with",
        "finance",
        "legal",
        "today",
        "account",
        "support",
    ];
    const NAMES: &[&str] = &[
        "Alice Johnson",
        "Bob Martinez",
        "Carol Nguyen",
        "David Okafor",
        "Emma Schmidt",
        "Farid Haddad",
        "Grace Kim",
        "Henry Walsh",
    ];
    let mut seed = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        // xorshift64*: deterministic, no dependency.
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        seed.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let name = NAMES[i % NAMES.len()];
    let first = name.split(' ').next().unwrap_or("user").to_lowercase();
    let email = format!("{first}.{}@example.com", 100 + i % 900);
    let phone = format!("+1 415 555 {:04}", 100 + (i * 37) % 9000);
    let ip = format!(
        "10.{}.{}.{}",
        1 + i % 200,
        (i * 7) % 250,
        2 + (i * 13) % 250
    );
    let pii = [
        format!("Please contact {name} about this."),
        format!("Her e-mail is {email} if anything changes."),
        format!("Call {phone} after lunch."),
        format!("The VPN gateway at {ip} dropped her session twice."),
    ];
    let mut s = String::with_capacity(PROMPT_BYTES + 64);
    let mut sentence = 0usize;
    while s.len() < PROMPT_BYTES {
        if sentence % 3 == 1 && sentence / 3 < pii.len() {
            s.push_str(&pii[sentence / 3]);
        } else {
            let n = 8 + (next() % 10) as usize;
            for w in 0..n {
                let word = WORDS[(next() % WORDS.len() as u64) as usize];
                if w == 0 {
                    let mut c = word.chars();
                    if let Some(f) = c.next() {
                        s.extend(f.to_uppercase());
                        s.push_str(c.as_str());
                    }
                } else {
                    s.push(' ');
                    s.push_str(word);
                }
            }
            s.push('.');
        }
        s.push(' ');
        sentence += 1;
    }
    s.truncate(PROMPT_BYTES);
    // Cut on a word boundary, keep it ASCII (all inputs are).
    if let Some(sp) = s.rfind(' ') {
        s.truncate(sp);
    }
    s.push('.');
    s
}

pub(crate) fn json_string(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(o, "\\u{:04x}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn body(i: usize, stream: bool) -> String {
    format!(
        "{{\"model\":\"gpt-4o-mini\",\"messages\":[{{\"role\":\"system\",\"content\":\"You are a \
         helpful assistant.\"}},{{\"role\":\"user\",\"content\":{}}}],\"max_tokens\":64{}}}",
        json_string(&prompt(i)),
        if stream { ",\"stream\":true" } else { "" }
    )
}

fn write_bodies(path: &Path, stream: bool) -> Result<()> {
    let mut s = String::new();
    for i in 0..BODIES {
        s.push_str(&body(i, stream));
        s.push('\n');
    }
    std::fs::write(path, s).with_context(|| format!("writing {}", path.display()))
}

fn gateway_cmd(bin: &Path, listen: u16, upstream: u16) -> Command {
    let mut c = Command::new(bin);
    c.args(["serve", "--listen", &format!("127.0.0.1:{listen}")])
        .env("OPENAI_BASE_URL", format!("http://127.0.0.1:{upstream}/v1"))
        .env("OPENAI_API_KEY", "sk-bench")
        .stdout(Stdio::null());
    c
}

fn show_env(c: &Command) -> String {
    let mut s = String::new();
    for (k, v) in c.get_envs() {
        if let Some(v) = v {
            let _ = write!(s, "{}={} ", k.to_string_lossy(), v.to_string_lossy());
        }
    }
    s + &show(c)
}

// ---------------------------------------------------------------- processes

/// A child process stopped on drop: SIGTERM, then SIGKILL after 5 s.
pub(crate) struct Proc {
    name: &'static str,
    child: Child,
}

impl Proc {
    fn spawn(name: &'static str, mut cmd: Command) -> Result<Self> {
        cmd.stdout(Stdio::null());
        Self::spawn_logged(name, &mut cmd)
    }

    pub(crate) fn spawn_logged(name: &'static str, cmd: &mut Command) -> Result<Self> {
        eprintln!("$ {}", show(cmd));
        let child = cmd
            .spawn()
            .with_context(|| format!("starting {name}: {}", show(cmd)))?;
        Ok(Proc { name, child })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGTERM and waits up to 5 s for the process to exit; then
    /// kills it. The exit status, `None` when it had to be killed.
    fn terminate(&mut self) -> Option<std::process::ExitStatus> {
        if let Ok(Some(status)) = self.child.try_wait() {
            return Some(status);
        }
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        eprintln!(
            "{} did not stop on SIGTERM within 5 s: killing it",
            self.name
        );
        let _ = self.child.kill();
        let _ = self.child.wait();
        None
    }

    /// Stops the process as on drop, and fails unless it exited
    /// successfully on SIGTERM.
    pub(crate) fn stop(&mut self) -> Result<()> {
        match self.terminate() {
            Some(s) if s.success() => Ok(()),
            Some(s) => bail!("{} exited with {s} on SIGTERM", self.name),
            None => bail!("{} did not stop on SIGTERM within 5 s", self.name),
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.terminate();
    }
}

/// Polls `GET /healthz` until it answers 200 (10 s at most).
pub(crate) fn wait_healthy(port: u16, proc: &Proc, log: &Path) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(r) = http_get(port, "/healthz")
            && r.starts_with("HTTP/1.1 200")
        {
            return Ok(());
        }
        if Instant::now() > deadline {
            let tail = std::fs::read_to_string(log).unwrap_or_default();
            bail!(
                "{} on 127.0.0.1:{port} did not answer GET /healthz with 200 within 10 s; its log:\n{tail}",
                proc.name
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn http_get(port: u16, path: &str) -> Result<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(2)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    Ok(out)
}

/// nginx's worker (the one process serving requests): the master's child.
fn nginx_worker_pid(master: u32) -> Option<u32> {
    let children =
        std::fs::read_to_string(format!("/proc/{master}/task/{master}/children")).ok()?;
    children.split_whitespace().next()?.parse().ok()
}

fn read_status_kb(pid: u32, key: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find(|l| l.starts_with(key))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// utime + stime of a process, in seconds (USER_HZ = 100).
fn cpu_seconds(pid: u32) -> Option<f64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // Fields 14 and 15 of stat; `rest` starts at field 3.
    let utime: u64 = f.get(11)?.parse().ok()?;
    let stime: u64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) as f64 / 100.0)
}

struct RssPoller {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    handle: std::thread::JoinHandle<()>,
}

impl RssPoller {
    fn start(pid: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(0));
        let (s, p) = (stop.clone(), peak.clone());
        let handle = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                if let Some(kb) = read_status_kb(pid, "VmRSS:") {
                    p.fetch_max(kb, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        RssPoller { stop, peak, handle }
    }

    fn stop(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.handle.join();
        self.peak.load(Ordering::Relaxed)
    }
}

// ---------------------------------------------------------------- measuring

struct Bench {
    oha: PathBuf,
    opts: Options,
    bodies: PathBuf,
    stream_bodies: PathBuf,
}

/// One oha run's figures.
#[derive(Debug, Default, Clone)]
struct Oha {
    rps: f64,
    success: f64,
    p50: f64,
    p99: f64,
    fb_p50: f64,
    fb_p99: f64,
    requests: f64,
    errors: String,
}

#[derive(Debug, Default, Clone)]
struct Figures {
    peak32: Oha,
    peak256: Oha,
    /// CPU µs per request of the measured server (gateway, else nginx) at
    /// concurrency 32 and 256.
    cpu_us: [Option<f64>; 2],
    /// nginx worker CPU µs per request at concurrency 32 and 256.
    nginx_cpu_us: [Option<f64>; 2],
    fixed: Oha,
    /// CPU µs per request of the measured server and of nginx's worker
    /// during the fixed-rate run.
    fixed_cpu_us: (Option<f64>, Option<f64>),
    stream_fixed: Oha,
    ttft: Ttft,
    /// The gateway's decisions on every prompt (completions; streams).
    decisions: (String, String),
}

struct Memory {
    idle_kb: u64,
    peak_polled_kb: u64,
    hwm_kb: u64,
}

impl Bench {
    fn oha_cmd(&self, port: u16, stream: bool, args: &[String]) -> Command {
        let mut c = Command::new(&self.oha);
        c.args(["--no-tui", "--output-format", "json", "-w", "-m", "POST"])
            .args(["-T", "application/json"])
            .arg("-Z")
            .arg(if stream {
                &self.stream_bodies
            } else {
                &self.bodies
            })
            .args(args)
            .arg(format!("http://127.0.0.1:{port}/v1/chat/completions"));
        c
    }

    fn oha(&self, port: u16, stream: bool, args: &[String], cmds: &mut Vec<String>) -> Result<Oha> {
        let mut c = self.oha_cmd(port, stream, args);
        let shown = show(&c);
        eprintln!("$ {shown}");
        if !cmds
            .iter()
            .any(|x| *x == shown.replace(&port.to_string(), "PORT"))
        {
            cmds.push(shown.replace(&port.to_string(), "PORT"));
        }
        let out = c
            .stderr(Stdio::inherit())
            .output()
            .with_context(|| format!("running {shown}"))?;
        if !out.status.success() {
            bail!("{shown} failed ({})", out.status);
        }
        let j = String::from_utf8_lossy(&out.stdout).into_owned();
        let num =
            |section: Option<&str>, key: &str| json_number(&j, section, key).unwrap_or(f64::NAN);
        let rps = num(Some("summary"), "requestsPerSec");
        let total = num(Some("summary"), "total");
        let r = Oha {
            rps,
            success: num(Some("summary"), "successRate"),
            p50: num(Some("latencyPercentiles"), "p50"),
            p99: num(Some("latencyPercentiles"), "p99"),
            fb_p50: num(Some("firstBytePercentiles"), "p50"),
            fb_p99: num(Some("firstBytePercentiles"), "p99"),
            requests: rps * total,
            errors: json_object(&j, "errorDistribution")
                .map(|s| s.trim().to_owned())
                .filter(|s| s != "{}")
                .unwrap_or_default()
                + &json_object(&j, "statusCodeDistribution")
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !only_200(s))
                    .map(|s| format!(" status {s}"))
                    .unwrap_or_default(),
        };
        eprintln!(
            "    {:.0} req/s, p50 {:.0} µs, p99 {:.0} µs, success {:.4}{}",
            r.rps,
            r.p50 * 1e6,
            r.p99 * 1e6,
            r.success,
            if r.errors.is_empty() {
                String::new()
            } else {
                format!(", errors {}", r.errors)
            }
        );
        Ok(r)
    }

    /// Peak throughput at `c` connections, with the CPU time per request of
    /// `server` and of nginx's worker.
    fn peak(
        &self,
        port: u16,
        c: u32,
        server: Option<u32>,
        nginx: Option<u32>,
        cmds: &mut Vec<String>,
    ) -> Result<(Oha, Option<f64>, Option<f64>)> {
        let s0 = server.and_then(cpu_seconds);
        let n0 = nginx.and_then(cpu_seconds);
        let r = self.oha(
            port,
            false,
            &[
                "-c".into(),
                c.to_string(),
                "-z".into(),
                format!("{}s", self.opts.seconds),
            ],
            cmds,
        )?;
        let per = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) if r.requests > 0.0 => Some((b - a) / r.requests * 1e6),
            _ => None,
        };
        let s = per(s0, server.and_then(cpu_seconds));
        let n = per(n0, nginx.and_then(cpu_seconds));
        Ok((r, s, n))
    }

    fn measure(
        &self,
        port: u16,
        stream_port: u16,
        cmds: &mut Vec<String>,
        server: Option<u32>,
        nginx: Option<u32>,
    ) -> Result<Figures> {
        let mut f = Figures::default();
        // Warm-up: connections, caches, allocator.
        eprintln!("  warm-up (2 s)");
        self.oha(
            port,
            false,
            &["-c".into(), "32".into(), "-z".into(), "2s".into()],
            &mut Vec::new(),
        )?;
        eprintln!("  peak, concurrency 32");
        let (r, s, n) = self.peak(port, 32, server, nginx, cmds)?;
        f.peak32 = r;
        f.cpu_us[0] = if server.is_some() { s } else { n };
        f.nginx_cpu_us[0] = n;
        eprintln!("  peak, concurrency 256");
        let (r, s, n) = self.peak(port, 256, server, nginx, cmds)?;
        f.peak256 = r;
        f.cpu_us[1] = if server.is_some() { s } else { n };
        f.nginx_cpu_us[1] = n;
        let fixed_args = [
            "-c".into(),
            "32".into(),
            "-q".into(),
            self.opts.rate.to_string(),
            "--latency-correction".into(),
            "-z".into(),
            format!("{}s", self.opts.seconds),
        ];
        eprintln!("  fixed rate {} req/s (open loop)", self.opts.rate);
        let (s0, n0) = (server.and_then(cpu_seconds), nginx.and_then(cpu_seconds));
        f.fixed = self.oha(port, false, &fixed_args, cmds)?;
        let requests = f.fixed.requests;
        let per = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) if requests > 0.0 => Some((b - a) / requests * 1e6),
            _ => None,
        };
        let n = per(n0, nginx.and_then(cpu_seconds));
        let s = if server.is_some() {
            per(s0, server.and_then(cpu_seconds))
        } else {
            n
        };
        f.fixed_cpu_us = (s, n);
        eprintln!("  streams, fixed rate {} req/s (open loop)", self.opts.rate);
        f.stream_fixed = self.oha(stream_port, true, &fixed_args, cmds)?;
        eprintln!(
            "  streams, {} sequential requests (own client: first byte, first SSE event)",
            self.opts.ttft_requests
        );
        f.ttft = ttft(stream_port, &self.stream_bodies, self.opts.ttft_requests)?;
        eprintln!(
            "    first byte p50 {:.0} µs p99 {:.0} µs; first event p50 {:.0} µs p99 {:.0} µs",
            f.ttft.fb_p50 * 1e6,
            f.ttft.fb_p99 * 1e6,
            f.ttft.ev_p50 * 1e6,
            f.ttft.ev_p99 * 1e6
        );
        Ok(f)
    }
}

fn only_200(s: &str) -> bool {
    let inner = s
        .trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .trim();
    inner.is_empty()
        || inner
            .split(',')
            .all(|kv| kv.trim().trim_start_matches('"').starts_with("200"))
}

/// The text of the JSON object under the first `"key":`, braces included
/// (oha's output: no braces inside strings there).
fn json_object<'a>(j: &'a str, key: &str) -> Option<&'a str> {
    let at = j.find(&format!("\"{key}\""))?;
    let open = at + j[at..].find('{')?;
    let mut depth = 0usize;
    for (i, b) in j[open..].bytes().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&j[open..=open + i]);
                }
            }
            _ => {}
        }
    }
    None
}

/// The number under `"key":` (inside the object `section` when given).
fn json_number(j: &str, section: Option<&str>, key: &str) -> Option<f64> {
    let scope = match section {
        Some(s) => json_object(j, s)?,
        None => j,
    };
    let pat = format!("\"{key}\"");
    let at = scope.find(&pat)? + pat.len();
    let rest = scope[at..].trim_start().strip_prefix(':')?.trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E')))
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

// ---------------------------------------------------------------- streaming client

#[derive(Debug, Default, Clone)]
struct Ttft {
    fb_p50: f64,
    fb_p99: f64,
    ev_p50: f64,
    ev_p99: f64,
    total_p50: f64,
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let i = ((p / 100.0) * v.len() as f64) as usize;
    v[i.min(v.len() - 1)]
}

/// One request's reply, read from a keep-alive HTTP/1.1 connection.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
    first_byte: Duration,
    first_event: Option<Duration>,
    pub(crate) close: bool,
    /// The gateway's `x-deepsentinel-decision` header, if any.
    decision: Option<String>,
}

fn find(h: &[u8], needle: &[u8]) -> Option<usize> {
    h.windows(needle.len()).position(|w| w == needle)
}

/// Sends `body` on `conn` and reads the reply (Content-Length, chunked, or
/// until close), timing the first byte and the first complete SSE event
/// (`data:` … blank line).
fn exchange(conn: &mut TcpStream, port: u16, body: &str) -> Result<Reply> {
    post(conn, port, "/v1/chat/completions", body)
}

/// [`exchange`] with `body` sent to `path`.
pub(crate) fn post(conn: &mut TcpStream, port: u16, path: &str, body: &str) -> Result<Reply> {
    let req = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: \
         application/json\r\nAccept: text/event-stream\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let t0 = Instant::now();
    conn.write_all(req.as_bytes())?;
    let mut buf: Vec<u8> = Vec::with_capacity(8192);
    let mut chunk = [0u8; 16384];
    let mut first_byte = None;
    let mut read_more = |buf: &mut Vec<u8>| -> Result<usize> {
        let n = conn.read(&mut chunk)?;
        if first_byte.is_none() {
            first_byte = Some(t0.elapsed());
        }
        buf.extend_from_slice(&chunk[..n]);
        Ok(n)
    };
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i + 4;
        }
        if read_more(&mut buf)? == 0 {
            bail!("connection closed before the reply's headers");
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .context("bad status line")?;
    let header = |name: &str| {
        head.lines()
            .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_owned()))
    };
    let chunked = header("transfer-encoding:").is_some_and(|v| v.contains("chunked"));
    let length: Option<usize> = header("content-length:").and_then(|v| v.parse().ok());
    let close = header("connection:").is_some_and(|v| v.contains("close"));
    let decision = header("x-deepsentinel-decision:");
    let mut raw: Vec<u8> = buf.split_off(head_end);
    let mut body_out: Vec<u8> = Vec::new();
    let mut first_event = None;
    let mut note_event = |b: &[u8]| {
        if first_event.is_none()
            && let Some(d) = find(b, b"data:")
            && find(&b[d..], b"\n\n").is_some()
        {
            first_event = Some(t0.elapsed());
        }
    };
    if chunked {
        let mut pos = 0usize;
        loop {
            // Chunk-size line.
            let line_end = loop {
                if let Some(i) = find(&raw[pos..], b"\r\n") {
                    break pos + i;
                }
                if read_more(&mut raw)? == 0 {
                    bail!("connection closed inside a chunked body");
                }
            };
            let size_text = String::from_utf8_lossy(&raw[pos..line_end]);
            let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
                .with_context(|| format!("bad chunk size {size_text:?}"))?;
            let data_start = line_end + 2;
            if size == 0 {
                // Trailers (none expected) end with a blank line.
                while find(&raw[line_end..], b"\r\n\r\n").is_none() {
                    if read_more(&mut raw)? == 0 {
                        break;
                    }
                }
                break;
            }
            while raw.len() < data_start + size + 2 {
                if read_more(&mut raw)? == 0 {
                    bail!("connection closed inside a chunk");
                }
            }
            body_out.extend_from_slice(&raw[data_start..data_start + size]);
            note_event(&body_out);
            pos = data_start + size + 2;
        }
    } else if let Some(n) = length {
        note_event(&raw);
        while raw.len() < n {
            if read_more(&mut raw)? == 0 {
                bail!("connection closed inside the body");
            }
            note_event(&raw);
        }
        raw.truncate(n);
        body_out = raw;
    } else {
        note_event(&raw);
        while read_more(&mut raw)? > 0 {
            note_event(&raw);
        }
        body_out = raw;
        return Ok(Reply {
            status,
            body: body_out,
            first_byte: first_byte.unwrap_or_default(),
            first_event,
            close: true,
            decision,
        });
    }
    Ok(Reply {
        status,
        body: body_out,
        first_byte: first_byte.unwrap_or_default(),
        first_event,
        close,
        decision,
    })
}

pub(crate) fn connect(port: u16) -> Result<TcpStream> {
    let c = TcpStream::connect(("127.0.0.1", port))
        .with_context(|| format!("connecting to 127.0.0.1:{port}"))?;
    c.set_nodelay(true)?;
    c.set_read_timeout(Some(Duration::from_secs(10)))?;
    Ok(c)
}

fn read_lines(path: &Path) -> Result<Vec<String>> {
    Ok(std::fs::read_to_string(path)?
        .lines()
        .map(str::to_owned)
        .collect())
}

/// Every prompt once, checked: 200 and a body that looks like the canned
/// reply. Returns the gateway's decisions (`x-deepsentinel-decision`)
/// with their counts, empty for the direct path.
fn check_reply(port: u16, bodies: &Path, stream: bool) -> Result<String> {
    let lines = read_lines(bodies)?;
    let mut conn = connect(port)?;
    let mut decisions: std::collections::BTreeMap<String, usize> = Default::default();
    for line in &lines {
        let r = exchange(&mut conn, port, line)?;
        let text = String::from_utf8_lossy(&r.body);
        if r.status != 200 {
            bail!("127.0.0.1:{port} answered {}: {text}", r.status);
        }
        let ok = if stream {
            text.contains("data:") && text.contains("[DONE]")
        } else {
            text.contains("chat.completion")
        };
        if !ok {
            bail!("127.0.0.1:{port}: unexpected reply body: {text}");
        }
        if let Some(d) = r.decision {
            *decisions.entry(d).or_default() += 1;
        }
        if r.close {
            conn = connect(port)?;
        }
    }
    let d = decisions
        .iter()
        .map(|(k, v)| format!("{k} × {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    eprintln!(
        "  {} prompts answered 200{}",
        lines.len(),
        if d.is_empty() {
            String::new()
        } else {
            format!("; gateway decisions: {d}")
        }
    );
    Ok(d)
}

/// `n` sequential streaming requests on one keep-alive connection.
fn ttft(port: u16, bodies: &Path, n: usize) -> Result<Ttft> {
    let lines = read_lines(bodies)?;
    let mut conn = connect(port)?;
    let (mut fb, mut ev, mut total) = (Vec::new(), Vec::new(), Vec::new());
    // 50 unmeasured requests first.
    for i in 0..n + 50 {
        let t0 = Instant::now();
        let r = exchange(&mut conn, port, &lines[i % lines.len()])?;
        let t = t0.elapsed();
        if r.status != 200 {
            bail!("stream request answered {}", r.status);
        }
        if i >= 50 {
            fb.push(r.first_byte.as_secs_f64());
            ev.push(r.first_event.unwrap_or(t).as_secs_f64());
            total.push(t.as_secs_f64());
        }
        if r.close {
            conn = connect(port)?;
        }
    }
    Ok(Ttft {
        fb_p50: pct(&mut fb, 50.0),
        fb_p99: pct(&mut fb, 99.0),
        ev_p50: pct(&mut ev, 50.0),
        ev_p99: pct(&mut ev, 99.0),
        total_p50: pct(&mut total, 50.0),
    })
}

// ---------------------------------------------------------------- output

fn us(s: f64) -> String {
    if s.is_nan() {
        "–".into()
    } else {
        format!("{:.0} µs", s * 1e6)
    }
}

fn added(g: f64, d: f64) -> String {
    if g.is_nan() || d.is_nan() {
        "–".into()
    } else {
        format!("{:+.0} µs", (g - d) * 1e6)
    }
}

fn rps(o: &Oha) -> String {
    let mut s = format!("{:.0}", o.rps);
    if o.success < 1.0 || !o.errors.is_empty() {
        let _ = write!(
            s,
            " (success {:.2}%{})",
            o.success * 100.0,
            if o.errors.is_empty() {
                String::new()
            } else {
                format!("; {}", o.errors)
            }
        );
    }
    s
}

fn cpu(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{v:.0} µs"))
}

fn render(
    opts: &Options,
    d: &Figures,
    g: Option<&(Figures, Memory)>,
    versions: &[String],
    cmds: &[String],
) -> String {
    let mut o = String::new();
    let s = opts.seconds;
    let q = opts.rate;
    let n = opts.ttft_requests;
    let _ = writeln!(o, "{}\n", versions.join("; "));
    let _ = writeln!(o, "| measure | direct (nginx) | gateway | added / target |");
    let _ = writeln!(o, "| --- | ---: | ---: | --- |");
    let na = "not measured (no `deepsentinel serve`)";
    let row = |o: &mut String, name: String, dv: String, gv: Option<String>, note: String| {
        let _ = writeln!(
            o,
            "| {name} | {dv} | {} | {note} |",
            gv.unwrap_or_else(|| na.into())
        );
    };
    let gf = g.map(|(f, _)| f);
    for (i, (label, dd, gg)) in [
        ("32", &d.peak32, gf.map(|f| &f.peak32)),
        ("256", &d.peak256, gf.map(|f| &f.peak256)),
    ]
    .into_iter()
    .enumerate()
    {
        row(
            &mut o,
            format!("peak requests/s, concurrency {label} ({s} s, closed loop)"),
            rps(dd),
            gg.map(rps),
            "target ≥ 15,000 req/s through the gateway".into(),
        );
        row(
            &mut o,
            format!("server CPU per request at concurrency {label}"),
            format!("{} (nginx)", cpu(d.cpu_us[i])),
            gf.map(|f| {
                format!(
                    "{} (gateway; nginx {})",
                    cpu(f.cpu_us[i]),
                    cpu(f.nginx_cpu_us[i])
                )
            }),
            "target gateway ≤ 120 µs".into(),
        );
    }
    // A p50 and a p99 row of one latency; an empty target adds none.
    let latency = |o: &mut String,
                   name: &dyn Fn(&str) -> String,
                   targets: [&str; 2],
                   pick: &dyn Fn(&Figures, bool) -> f64| {
        for (p, target) in [("p50", targets[0]), ("p99", targets[1])] {
            let at = |f: &Figures| pick(f, p == "p50");
            let note = gf.map_or_else(
                || target.into(),
                |f| {
                    let a = added(at(f), at(d));
                    if target.is_empty() {
                        a
                    } else {
                        format!("{a} (target {target})")
                    }
                },
            );
            row(o, name(p), us(at(d)), gf.map(|f| us(at(f))), note);
        }
    };
    row(
        &mut o,
        format!("server CPU per request at {q} req/s"),
        format!("{} (nginx)", cpu(d.fixed_cpu_us.0)),
        gf.map(|f| {
            format!(
                "{} (gateway; nginx {})",
                cpu(f.fixed_cpu_us.0),
                cpu(f.fixed_cpu_us.1)
            )
        }),
        "no target: at a low rate each request starts on cold caches; compare with peak".into(),
    );
    latency(
        &mut o,
        &|p| format!("latency {p} at {q} req/s (open loop, {s} s)"),
        ["added < 150 µs", "added < 1 ms"],
        &|f, p50| if p50 { f.fixed.p50 } else { f.fixed.p99 },
    );
    latency(
        &mut o,
        &|p| format!("streaming: time to first byte {p} at {q} req/s (oha)"),
        ["added < 1 ms", ""],
        &|f, p50| {
            if p50 {
                f.stream_fixed.fb_p50
            } else {
                f.stream_fixed.fb_p99
            }
        },
    );
    latency(
        &mut o,
        &|p| format!("streaming: time to first token (first SSE event) {p}, {n} sequential"),
        ["added < 1 ms", ""],
        &|f, p50| if p50 { f.ttft.ev_p50 } else { f.ttft.ev_p99 },
    );
    row(
        &mut o,
        format!("streaming: whole stream p50, {n} sequential"),
        us(d.ttft.total_p50),
        gf.map(|f| us(f.ttft.total_p50)),
        gf.map_or_else(String::new, |f| added(f.ttft.total_p50, d.ttft.total_p50)),
    );
    let mem = |m: &Memory| {
        (
            format!("{:.1} MB", m.idle_kb as f64 / 1000.0),
            format!(
                "{:.1} MB (VmRSS polled; VmHWM {:.1} MB)",
                m.peak_polled_kb as f64 / 1000.0,
                m.hwm_kb as f64 / 1000.0
            ),
        )
    };
    let m = g.map(|(_, m)| mem(m));
    row(
        &mut o,
        "gateway RSS idle (3 s after startup)".into(),
        "".into(),
        m.as_ref().map(|m| m.0.clone()),
        "target < 30 MB".into(),
    );
    row(
        &mut o,
        "gateway RSS at load (all runs above)".into(),
        "".into(),
        m.as_ref().map(|m| m.1.clone()),
        "target < 100 MB".into(),
    );
    let _ = writeln!(
        o,
        "\nPrompts: {BODIES} distinct 1 KB English-like prompts with a name, an e-mail \
         address, a phone number and an IP address (`oha -Z`); upstream: nginx, one worker, \
         canned `testdata/bench/` replies. MB is 10^6 bytes.{}\n\nCommands (PORT is the direct \
         or the gateway port):\n",
        gf.map_or_else(String::new, |f| format!(
            " Gateway decisions on the {BODIES} prompts (default policy, full scanning): \
             completions {}; streams {}.",
            f.decisions.0, f.decisions.1
        ))
    );
    for c in cmds {
        let _ = writeln!(o, "    {c}");
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_rows_show_both_sides_the_difference_and_the_target() {
        let opts = Options::parse(&[]).expect("defaults");
        let mut d = Figures::default();
        let mut g = Figures::default();
        (d.fixed.p50, d.fixed.p99, g.fixed.p50, g.fixed.p99) = (80e-6, 358e-6, 404e-6, 905e-6);
        (d.stream_fixed.fb_p50, d.stream_fixed.fb_p99) = (72e-6, 313e-6);
        (g.stream_fixed.fb_p50, g.stream_fixed.fb_p99) = (485e-6, 1115e-6);
        (d.ttft.ev_p50, d.ttft.ev_p99, g.ttft.ev_p50, g.ttft.ev_p99) =
            (25e-6, 52e-6, 424e-6, 678e-6);
        let memory = Memory {
            idle_kb: 1,
            peak_polled_kb: 1,
            hwm_kb: 1,
        };
        let table = render(&opts, &d, Some(&(g, memory)), &[], &[]);
        for row in [
            "| latency p50 at 1000 req/s (open loop, 10 s) | 80 \u{b5}s | 404 \u{b5}s | +324 \u{b5}s (target added < 150 \u{b5}s) |",
            "| latency p99 at 1000 req/s (open loop, 10 s) | 358 \u{b5}s | 905 \u{b5}s | +547 \u{b5}s (target added < 1 ms) |",
            "| streaming: time to first byte p50 at 1000 req/s (oha) | 72 \u{b5}s | 485 \u{b5}s | +413 \u{b5}s (target added < 1 ms) |",
            "| streaming: time to first byte p99 at 1000 req/s (oha) | 313 \u{b5}s | 1115 \u{b5}s | +802 \u{b5}s |",
            "| streaming: time to first token (first SSE event) p50, 1000 sequential | 25 \u{b5}s | 424 \u{b5}s | +399 \u{b5}s (target added < 1 ms) |",
            "| streaming: time to first token (first SSE event) p99, 1000 sequential | 52 \u{b5}s | 678 \u{b5}s | +626 \u{b5}s |",
        ] {
            assert!(table.lines().any(|l| l == row), "{row}\n{table}");
        }
        // Without a gateway, only the direct figure and the target.
        let direct = render(&opts, &d, None, &[], &[]);
        assert!(
            direct.lines().any(|l| {
                l.starts_with(
            "| streaming: time to first byte p99 at 1000 req/s (oha) | 313 \u{b5}s | not measured"
        ) && l.ends_with("|  |")
            }),
            "{direct}"
        );
    }

    #[test]
    fn prompts_are_1kb_deterministic_and_valid_json_strings() {
        for i in 0..BODIES {
            let p = prompt(i);
            assert!(
                (PROMPT_BYTES - 40..=PROMPT_BYTES + 1).contains(&p.len()),
                "{}",
                p.len()
            );
            assert_eq!(p, prompt(i));
            assert!(p.contains("@example.com"));
        }
        assert_ne!(prompt(0), prompt(1));
        assert!(body(3, true).ends_with(",\"stream\":true}"));
    }

    #[test]
    fn reads_oha_json() {
        let j = r#"{"summary":{"successRate":1.0,"total":10.0,"requestsPerSec":1234.5},
            "latencyPercentiles":{"p10":0.0001,"p50":0.0002,"p99":0.0009},
            "firstBytePercentiles":{"p50":0.0003,"p99":1e-3},
            "statusCodeDistribution":{"200":12345},"errorDistribution":{}}"#;
        assert_eq!(
            json_number(j, Some("summary"), "requestsPerSec"),
            Some(1234.5)
        );
        assert_eq!(
            json_number(j, Some("latencyPercentiles"), "p50"),
            Some(0.0002)
        );
        assert_eq!(
            json_number(j, Some("firstBytePercentiles"), "p99"),
            Some(0.001)
        );
        assert!(only_200(
            json_object(j, "statusCodeDistribution").unwrap_or("")
        ));
        assert!(!only_200(r#"{"200":5,"502":1}"#));
        assert_eq!(json_object(j, "errorDistribution"), Some("{}"));
    }

    #[test]
    fn quotes_for_nginx() {
        assert_eq!(nginx_quote(r#"a'b\c"#).ok().as_deref(), Some(r#"a\'b\\c"#));
        assert!(nginx_quote("$x").is_err());
    }
}
