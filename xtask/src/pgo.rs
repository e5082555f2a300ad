//! `cargo xtask pgo`: a profile-guided (PGO) release build of the
//! `deepsentinel` binary, written to `target/pgo/deepsentinel`.
//!
//! 1. Finds an `llvm-profdata` of the LLVM that `rustc` uses (`rustc -vV`):
//!    `$LLVM_PROFDATA`, rustup's `llvm-tools` component, or Debian's
//!    `llvm-profdata-<major>` (installed with `apt-get install -y
//!    llvm-<major>` as root when missing).
//! 2. Builds the CLI instrumented (`-Cprofile-generate`) into
//!    `target/pgo/gen`.
//! 3. Trains it on the work the binary exists for ([`train`]): `scan`
//!    over this repository's sources, docs and test data, in every output
//!    format and over stdin; and `serve` in front of scripted upstreams on
//!    loopback, with OpenAI and Anthropic requests, whole and streamed,
//!    and the `/v1/scan` and `/v1/redact` endpoints. The prompts are
//!    generated with seeds of their own, not the benchmarks' inputs.
//! 4. Merges the profiles and builds again with `-Cprofile-use` into
//!    `target/pgo/use`, and copies the binary to `target/pgo/deepsentinel`.
//!
//! `cargo xtask gateway-bench --bin target/pgo/deepsentinel` measures it.
//! The caller's `RUSTFLAGS` (or `CARGO_ENCODED_RUSTFLAGS`) are kept; the
//! PGO flags are added.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::bench::inputs;
use crate::gateway_bench::{
    Proc, TempDir, apt_install, connect, free_port, json_string, post, wait_healthy, which,
};
use crate::{cargo, root, run, show, target_dir};

/// Command-line options of `pgo`.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// Gateway requests of each kind while training, times the kind's
    /// weight ([`Workload::requests`]).
    requests: usize,
}

impl Options {
    pub(crate) fn parse(args: &[String]) -> Result<Self> {
        let mut o = Options { requests: 1000 };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--requests" => {
                    o.requests = it
                        .next()
                        .context("pgo: --requests needs a number")?
                        .parse()
                        .context("pgo: --requests needs a number")?;
                }
                other => bail!("pgo: unknown option {other:?} (options: --requests N)"),
            }
        }
        if o.requests == 0 {
            bail!("pgo: --requests must be positive");
        }
        Ok(o)
    }
}

pub(crate) fn run_pgo(opts: &Options) -> Result<()> {
    let (major, host) = rustc_llvm()?;
    let profdata = ensure_llvm_profdata(major, &host)?;
    let dir = target_dir().join("pgo");
    let raw = dir.join("profraw");
    if raw.exists() {
        std::fs::remove_dir_all(&raw).with_context(|| format!("clearing {}", raw.display()))?;
    }

    eprintln!("\n==> instrumented build");
    let gen_dir = dir.join("gen");
    build(&gen_dir, &[format!("-Cprofile-generate={}", raw.display())])?;
    let instrumented = gen_dir.join("release/deepsentinel");

    eprintln!("\n==> training");
    let t = train(&instrumented, &Workload::full(opts.requests))?;
    eprintln!("  {} scan runs; {} gateway requests", t.scans, t.requests);
    let profiles = std::fs::read_dir(&raw)
        .with_context(|| format!("reading {}", raw.display()))?
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "profraw"))
        .count();
    if profiles == 0 {
        bail!(
            "the instrumented binary wrote no profile into {}",
            raw.display()
        );
    }

    eprintln!("\n==> merging {profiles} profile(s)");
    let merged = dir.join("deepsentinel.profdata");
    run(Command::new(&profdata)
        .arg("merge")
        .arg("-o")
        .arg(&merged)
        .arg(&raw))?;
    // Cargo rebuilds when the flags change, not when a file they name
    // does: the profile goes under a name made from its contents.
    let bytes = std::fs::read(&merged).with_context(|| format!("reading {}", merged.display()))?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    std::hash::Hasher::write(&mut h, &bytes);
    let named = dir.join(format!(
        "deepsentinel-{:016x}.profdata",
        std::hash::Hasher::finish(&h)
    ));
    for old in std::fs::read_dir(&dir)?.flatten() {
        let name = old.file_name().to_string_lossy().into_owned();
        if name.starts_with("deepsentinel-") && name.ends_with(".profdata") {
            std::fs::remove_file(old.path())?;
        }
    }
    std::fs::rename(&merged, &named)?;

    eprintln!("\n==> optimized build");
    let use_dir = dir.join("use");
    build(
        &use_dir,
        &[
            format!("-Cprofile-use={}", named.display()),
            "-Cllvm-args=-pgo-warn-missing-function=false".to_owned(),
        ],
    )?;
    let out = dir.join("deepsentinel");
    std::fs::copy(use_dir.join("release/deepsentinel"), &out)
        .with_context(|| format!("copying the binary to {}", out.display()))?;
    eprintln!(
        "\nPGO binary: {} (measure it with `cargo xtask gateway-bench --bin {}`)",
        out.display(),
        out.display()
    );
    Ok(())
}

/// `cargo build --release -p deepsentinel-cli` into `target`, with `flags`
/// added to the caller's rustc flags (`CARGO_ENCODED_RUSTFLAGS`, else
/// `RUSTFLAGS`). They are passed encoded, so paths may hold spaces.
fn build(target: &Path, flags: &[String]) -> Result<()> {
    let mut all: Vec<String> = match std::env::var("CARGO_ENCODED_RUSTFLAGS") {
        Ok(f) if !f.is_empty() => f.split('\x1f').map(str::to_owned).collect(),
        _ => std::env::var("RUSTFLAGS")
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
    };
    all.extend(flags.iter().cloned());
    let mut c = cargo();
    c.args(["build", "--release", "--locked", "-p", "deepsentinel-cli"])
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_ENCODED_RUSTFLAGS", all.join("\x1f"))
        .env_remove("RUSTFLAGS");
    eprintln!("rustc flags: {all:?}");
    run(&mut c)
}

// ---------------------------------------------------------------- llvm-profdata

fn rustc() -> Command {
    Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
}

/// The major version of the LLVM that `rustc` uses, and its host triple.
fn rustc_llvm() -> Result<(u32, String)> {
    let out = rustc().arg("-vV").output().context("running `rustc -vV`")?;
    let text = String::from_utf8_lossy(&out.stdout);
    let major =
        llvm_major(&text).with_context(|| format!("no `LLVM version` in `rustc -vV`:\n{text}"))?;
    let host = text
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .with_context(|| format!("no `host` in `rustc -vV`:\n{text}"))?;
    Ok((major, host.to_owned()))
}

/// The major version in an `LLVM version: 22.1.2` line (`rustc -vV`) or an
/// `LLVM version 22.1.2` line, perhaps after a vendor's name (`llvm-profdata
/// --version`: `Debian LLVM version 22.1.8`).
fn llvm_major(version_text: &str) -> Option<u32> {
    version_text.lines().find_map(|l| {
        let (_, rest) = l.split_once("LLVM version")?;
        let v = rest.trim_start_matches(':').trim();
        v.split('.').next()?.parse().ok()
    })
}

/// Whether `tool --version` reports LLVM `major`.
fn is_llvm(tool: &Path, major: u32) -> bool {
    Command::new(tool)
        .arg("--version")
        .stderr(Stdio::null())
        .output()
        .ok()
        .and_then(|o| llvm_major(&String::from_utf8_lossy(&o.stdout)))
        == Some(major)
}

/// An `llvm-profdata` of LLVM `major`; a profile written by one LLVM
/// version cannot be read by a much older one, so others are not taken.
fn find_llvm_profdata(major: u32, host: &str) -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(p) = std::env::var_os("LLVM_PROFDATA") {
        candidates.push(p.into());
    }
    // rustup's `llvm-tools` component.
    let sysroot = rustc()
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    if let Some(sysroot) = sysroot {
        candidates.push(
            Path::new(&sysroot)
                .join("lib/rustlib")
                .join(host)
                .join("bin/llvm-profdata"),
        );
    }
    candidates.extend(which(&format!("llvm-profdata-{major}")));
    candidates.push(PathBuf::from(format!(
        "/usr/lib/llvm-{major}/bin/llvm-profdata"
    )));
    candidates.extend(which("llvm-profdata"));
    candidates
        .into_iter()
        .find(|p| p.is_file() && is_llvm(p, major))
}

fn ensure_llvm_profdata(major: u32, host: &str) -> Result<PathBuf> {
    if let Some(p) = find_llvm_profdata(major, host) {
        return Ok(p);
    }
    let tool = format!("llvm-profdata (LLVM {major}, the version rustc uses)");
    apt_install(
        &tool,
        &format!("llvm-{major}"),
        "`rustup component add llvm-tools`, or set LLVM_PROFDATA",
    )?;
    find_llvm_profdata(major, host)
        .with_context(|| format!("{tool} still missing after apt-get install"))
}

// ---------------------------------------------------------------- training

/// How much training work to do.
#[derive(Debug, Clone)]
pub(crate) struct Workload {
    /// Files and directories given to `deepsentinel scan`.
    pub(crate) paths: Vec<PathBuf>,
    /// Texts of the JSONL corpus given to `scan --jsonl-input`.
    pub(crate) corpus_texts: usize,
    /// Size of the one large text scanned from stdin.
    pub(crate) big_text: usize,
    /// Gateway requests of each kind, times the kind's weight.
    pub(crate) requests: usize,
}

impl Workload {
    /// The whole workload: the repository's sources, docs and test data;
    /// 2,000 corpus texts; a 4 MiB text; `requests` requests of each kind
    /// (times its weight).
    pub(crate) fn full(requests: usize) -> Workload {
        let repo = root();
        Workload {
            paths: ["crates", "docs", "testdata", "README.md"]
                .map(|p| repo.join(p))
                .to_vec(),
            corpus_texts: 2000,
            big_text: 4 << 20,
            requests,
        }
    }
}

/// What a training run did.
#[derive(Debug)]
pub(crate) struct Training {
    /// `deepsentinel scan` runs.
    pub(crate) scans: usize,
    /// Gateway requests, every one answered with the reply expected (or,
    /// for a dense prompt, blocked by the policy).
    pub(crate) requests: usize,
}

/// Runs `bin` (any `deepsentinel` build) through the training workload
/// `w`: [`scan_workload`], then [`gateway_workload`]. Fails when a run
/// fails or a reply is not what the scripted upstream and the default
/// policy make it.
pub(crate) fn train(bin: &Path, w: &Workload) -> Result<Training> {
    let dir = TempDir::named("ds-pgo-train-")?;
    let scans = scan_workload(bin, w)?;
    let requests = gateway_workload(bin, dir.path(), w.requests)?;
    Ok(Training { scans, requests })
}

/// Whether training prompt `i` is dense with values, some of a kind the
/// default policy blocks (one in four).
fn is_dense(i: usize) -> bool {
    i % 4 == 0
}

/// A prompt of about `len` bytes for training request `i`:
/// support-ticket prose, either dense with values ([`is_dense`]) or with
/// a few personal details the default policy anonymizes (a name, an
/// e-mail address, a phone number, an IP address, a date). Seeds from
/// 900,000 on: the benchmarks use others.
fn prompt(i: usize, len: usize) -> String {
    const NAMES: [&str; 6] = [
        "Maria Lopez",
        "Tom Becker",
        "Priya Raman",
        "Lars Nilsson",
        "Olivia Brown",
        "Kenji Watanabe",
    ];
    let seed = 900_000 + i as u64;
    if is_dense(i) {
        return inputs::dense(len, seed);
    }
    let name = NAMES[i % NAMES.len()];
    let user = name.split(' ').next().unwrap_or("user").to_lowercase();
    let details = format!(
        " {name} wrote from {user}{n}@example.org on 2025-0{m}-1{d}; call back on \
         (212) 555-0{n:03} or check the log for 192.168.{a}.{b}. ",
        n = 100 + i % 900,
        m = 1 + i % 9,
        d = i % 10,
        a = i % 250,
        b = 1 + (i * 7) % 250,
    );
    let mut text = inputs::clean(len.saturating_sub(details.len()).max(16), seed);
    let mid = text
        .get(..text.len() / 2)
        .and_then(|h| h.rfind(' '))
        .unwrap_or(0);
    text.insert_str(mid, &details);
    text
}

/// `deepsentinel scan` over `w.paths` (what a user runs on a code base)
/// in each output format, over one large text on stdin, and over a JSONL
/// corpus of prompts. Returns the number of runs.
fn scan_workload(bin: &Path, w: &Workload) -> Result<usize> {
    let mut runs = 0;
    for format in ["human", "json", "jsonl", "sarif"] {
        let mut c = Command::new(bin);
        c.args(["scan", "--format", format]).args(&w.paths);
        scan_ok(&mut c, None)?;
        runs += 1;
    }
    // One large text (windowed scanning) and many small ones.
    let mut big = String::with_capacity(w.big_text);
    let mut i = 0;
    while big.len() < w.big_text {
        big.push_str(&prompt(i, 64 << 10));
        big.push('\n');
        i += 1;
    }
    let mut c = Command::new(bin);
    c.args(["scan", "-"]);
    scan_ok(&mut c, Some(big.as_bytes()))?;
    runs += 1;
    let mut corpus = String::new();
    for i in 0..w.corpus_texts {
        corpus.push_str(&format!(
            "{{\"id\":\"t{i}\",\"text\":{}}}\n",
            json_string(&prompt(i, 256 + (i % 8) * 256))
        ));
    }
    let mut c = Command::new(bin);
    c.args(["scan", "--jsonl-input", "--format", "jsonl"]);
    scan_ok(&mut c, Some(corpus.as_bytes()))?;
    runs += 1;
    Ok(runs)
}

/// Runs a `scan` command (stdin from `input`, else none), its findings
/// discarded; exit status 0 (nothing found) or 1 (findings) is success,
/// anything else fails with the command's stderr.
fn scan_ok(c: &mut Command, input: Option<&[u8]>) -> Result<()> {
    eprintln!("$ {}", show(c));
    c.stdout(Stdio::null())
        .stderr(Stdio::piped())
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    let mut child = c.spawn().with_context(|| format!("starting {}", show(c)))?;
    if let (Some(data), Some(mut stdin)) = (input, child.stdin.take()) {
        stdin.write_all(data).context("writing the scan's stdin")?;
    }
    let out = child.wait_with_output()?;
    match out.status.code() {
        Some(0 | 1) => Ok(()),
        _ => bail!(
            "{} failed ({}):\n{}",
            show(c),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// One kind of training request: where it goes, what its upstream
/// answers, and a string every correct reply contains.
struct Kind {
    path: &'static str,
    /// What the upstream answers; `None` for the endpoints that answer
    /// themselves.
    upstream: Option<Canned>,
    expect: &'static str,
    /// Whether the policy applies, so a dense prompt may be blocked.
    policy: bool,
    /// The request body around a prompt (a JSON string).
    body: fn(&str) -> String,
    /// Requests of this kind per [`Workload::requests`]: chat completions
    /// are most of what a gateway serves.
    weight: usize,
}

/// A scripted upstream's reply.
struct Canned {
    /// The OpenAI upstream, else the Anthropic one.
    openai: bool,
    /// The reply body, a file under `testdata/providers/`.
    file: &'static str,
    /// Sent as an SSE stream, else as one JSON body.
    stream: bool,
}

const KINDS: [Kind; 6] = [
    Kind {
        path: "/v1/chat/completions",
        upstream: Some(Canned {
            openai: true,
            file: "openai/complete.json",
            stream: false,
        }),
        expect: "chat.completion",
        policy: true,
        weight: 4,
        body: |p| {
            format!(
                "{{\"model\":\"gpt-4o-mini\",\"messages\":[{{\"role\":\"system\",\"content\":\"You \
                 answer support tickets.\"}},{{\"role\":\"user\",\"content\":{p}}}]}}"
            )
        },
    },
    Kind {
        path: "/v1/chat/completions",
        upstream: Some(Canned {
            openai: true,
            file: "openai/stream.sse",
            stream: true,
        }),
        expect: "[DONE]",
        policy: true,
        weight: 2,
        body: |p| {
            format!(
                "{{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{{\"include_usage\":\
                 true}},\"messages\":[{{\"role\":\"user\",\"content\":{p}}}]}}"
            )
        },
    },
    Kind {
        path: "/v1/messages",
        upstream: Some(Canned {
            openai: false,
            file: "anthropic/complete.json",
            stream: false,
        }),
        expect: "\"type\":\"message\"",
        policy: true,
        weight: 1,
        body: |p| {
            format!(
                "{{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"system\":\"You answer \
                 support tickets.\",\"messages\":[{{\"role\":\"user\",\"content\":{p}}}]}}"
            )
        },
    },
    Kind {
        path: "/v1/messages",
        upstream: Some(Canned {
            openai: false,
            file: "anthropic/stream.sse",
            stream: true,
        }),
        expect: "message_stop",
        policy: true,
        weight: 1,
        body: |p| {
            format!(
                "{{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":true,\"messages\":\
                 [{{\"role\":\"user\",\"content\":{p}}}]}}"
            )
        },
    },
    Kind {
        path: "/v1/scan",
        upstream: None,
        expect: "findings",
        policy: false,
        weight: 1,
        body: |p| format!("{{\"texts\":[{p}]}}"),
    },
    Kind {
        path: "/v1/redact",
        upstream: None,
        expect: "text",
        policy: true,
        weight: 1,
        body: |p| format!("{{\"text\":{p}}}"),
    },
];

/// `deepsentinel serve` in front of two scripted upstreams (OpenAI and
/// Anthropic) on loopback; `requests` requests of each of the [`KINDS`]
/// times its weight, each reply checked. Returns the number of requests.
fn gateway_workload(bin: &Path, tmp: &Path, requests: usize) -> Result<usize> {
    use deepsentinel_providers::testing::{FakeUpstream, Reply};

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let openai = rt.block_on(FakeUpstream::start())?;
    let anthropic = rt.block_on(FakeUpstream::start())?;
    let port = free_port()?;
    let log = tmp.join("serve.log");
    let mut c = Command::new(bin);
    c.args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("OPENAI_BASE_URL", openai.url("/v1"))
        .env("OPENAI_API_KEY", "sk-pgo-training")
        .env("ANTHROPIC_BASE_URL", anthropic.url(""))
        .env("ANTHROPIC_API_KEY", "sk-ant-pgo-training")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log)?);
    let mut gateway = Proc::spawn_logged("deepsentinel serve", &mut c)?;
    wait_healthy(port, &gateway, &log)?;

    let providers = root().join("testdata/providers");
    let mut sent = 0;
    let mut blocked = 0;
    for kind in &KINDS {
        if let Some(up) = &kind.upstream {
            let text = std::fs::read_to_string(providers.join(up.file))
                .with_context(|| format!("reading testdata/providers/{}", up.file))?;
            let reply = if up.stream {
                Reply::sse(text, 256)
            } else {
                Reply::json(200, text)
            };
            if up.openai { &openai } else { &anthropic }.fallback(reply);
        }
        let n = requests * kind.weight;
        let results: Vec<Result<usize>> = std::thread::scope(|s| {
            let workers: Vec<_> = (0..CLIENTS)
                .map(|t| s.spawn(move || client(port, kind, (t..n).step_by(CLIENTS))))
                .collect();
            workers
                .into_iter()
                .map(|w| {
                    w.join()
                        .unwrap_or_else(|_| Err(anyhow::anyhow!("a client thread panicked")))
                })
                .collect()
        });
        for r in results {
            let b = r.map_err(|e| {
                let tail = std::fs::read_to_string(&log).unwrap_or_default();
                e.context(format!("the gateway's log:\n{tail}"))
            })?;
            blocked += b;
        }
        sent += n;
    }
    // SIGTERM and wait: the instrumented binary writes its profile on a
    // clean exit.
    gateway.stop()?;
    eprintln!("  {sent} gateway requests, {blocked} of them blocked by the policy");
    Ok(sent)
}

/// Concurrent client connections of the gateway workload.
const CLIENTS: usize = 8;

/// Sends requests `indices` of `kind` on one keep-alive connection and
/// checks each reply. Returns how many the policy blocked.
fn client(port: u16, kind: &Kind, indices: impl Iterator<Item = usize>) -> Result<usize> {
    let mut conn = connect(port)?;
    let mut blocked = 0;
    for i in indices {
        let p = json_string(&prompt(i, 1 << 10));
        let r = post(&mut conn, port, kind.path, &(kind.body)(&p))?;
        let body = String::from_utf8_lossy(&r.body);
        let answered = r.status == 200 && body.contains(kind.expect);
        // A dense prompt may hold a value the policy blocks.
        let was_blocked = r.status == 400 && body.contains("compliance_violation");
        if !(answered || was_blocked && is_dense(i) && kind.policy) {
            bail!(
                "{} answered {} without {:?}: {body}",
                kind.path,
                r.status,
                kind.expect
            );
        }
        blocked += usize::from(was_blocked);
        if r.close {
            conn = connect(port)?;
        }
    }
    Ok(blocked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn llvm_major_reads_rustc_and_llvm_profdata_output() {
        let rustc = "rustc 1.95.0 (59807616e 2026-04-14)\nbinary: rustc\nhost: \
                     x86_64-unknown-linux-gnu\nrelease: 1.95.0\nLLVM version: 22.1.2\n";
        assert_eq!(llvm_major(rustc), Some(22));
        let profdata = "Debian LLVM version 19.1.7\n  Optimized build.\n";
        assert_eq!(llvm_major(profdata), Some(19));
        let profdata = "LLVM (http://llvm.org/):\n  LLVM version 22.1.8\n  Optimized build.\n";
        assert_eq!(llvm_major(profdata), Some(22));
        assert_eq!(llvm_major("LLVM version: x.1"), None);
        assert_eq!(llvm_major(""), None);
    }

    #[test]
    fn options_parse() {
        let o = Options::parse(&["--requests".into(), "7".into()]).unwrap();
        assert_eq!(o.requests, 7);
        assert!(Options::parse(&["--requests".into(), "0".into()]).is_err());
        assert!(Options::parse(&["--requests".into()]).is_err());
        assert!(Options::parse(&["--fast".into()]).is_err());
    }

    /// The training workload against the CLI as the tests build it: every
    /// command succeeds and every gateway reply is checked, so a change to
    /// the CLI or the wire formats that breaks training fails here, not in
    /// the next PGO build.
    #[test]
    fn the_training_workload_runs_against_the_cli() {
        let bin = target_dir().join("debug/deepsentinel");
        if !bin.is_file() {
            run(cargo().args(["build", "-p", "deepsentinel-cli"])).unwrap();
        }
        let repo = root();
        let w = Workload {
            paths: vec![repo.join("docs/gateway.md"), repo.join("testdata/cases")],
            corpus_texts: 20,
            big_text: 100 << 10,
            requests: 3,
        };
        let t = train(&bin, &w).unwrap();
        assert_eq!(
            t.requests,
            3 * KINDS.iter().map(|k| k.weight).sum::<usize>()
        );
        assert_eq!(t.scans, 6);
    }
}
