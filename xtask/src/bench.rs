//! `cargo xtask bench`: the figures recorded in `docs/benchmarks.md`.
//!
//! 1. Builds the CLI in release mode.
//! 2. Re-runs this task runner in release mode (`bench-measure`), which
//!    times `Scanner::scan` on one core over the inputs of
//!    `crates/detect/benches/inputs` (included below, so criterion's bench
//!    and this table measure the same texts): MB/s on 2 KB prompts and
//!    1 MB documents, clean and dense, and p50/p99 latency per 2 KB prompt
//!    (over single scans, and over each prompt's median scan).
//! 3. Generates a 1 GiB directory under `target/bench-data/` (once; 1024
//!    files of 1 MiB, one in eight dense) and runs `deepsentinel scan` over
//!    it, reading its peak RSS (`VmHWM` in `/proc/<pid>/status`, polled
//!    until it exits).
//!
//! MB is 10^6 bytes. Nothing here is a pass/fail gate: speed targets live in
//! the benchmark record, not in tests.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use deepsentinel_detect::Scanner;

use crate::{cargo, root, run};

#[path = "../../crates/detect/benches/inputs/mod.rs"]
pub(crate) mod inputs;

pub(crate) fn run_bench() -> Result<()> {
    run(cargo().args([
        "build",
        "--release",
        "-p",
        "deepsentinel-cli",
        "-p",
        "xtask",
    ]))?;
    let rows = Command::new(crate::target_dir().join("release/xtask"))
        .arg("bench-measure")
        .current_dir(root())
        .stderr(Stdio::inherit())
        .output()
        .context("running bench-measure")?;
    if !rows.status.success() {
        bail!("bench-measure failed");
    }
    let scanner_rows = String::from_utf8_lossy(&rows.stdout).into_owned();
    let (rss, secs, bytes) = scan_directory()?;

    let commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
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
    let mut out = std::io::stdout().lock();
    writeln!(out, "commit {commit}, {cpu}, {cores} cores\n")?;
    writeln!(out, "| measure | input | figure |")?;
    writeln!(out, "| --- | --- | ---: |")?;
    write!(out, "{scanner_rows}")?;
    writeln!(
        out,
        "| `deepsentinel scan` peak RSS | 1 GiB directory (1024 × 1 MiB) | {:.1} MB |",
        rss as f64 / 1e6
    )?;
    writeln!(
        out,
        "| `deepsentinel scan` throughput, {cores} threads | 1 GiB directory | {:.0} MB/s ({secs:.1} s) |",
        bytes as f64 / 1e6 / secs
    )?;
    Ok(())
}

/// Prints the scanner's table rows (run in release mode by [`run`]).
pub(crate) fn measure() -> Result<()> {
    let scanner = Scanner::new();
    let mut out = std::io::stdout().lock();
    for (name, text) in inputs::standard() {
        let mbps = throughput(&scanner, &text);
        writeln!(out, "| throughput, 1 core | {name} | {mbps:.1} MB/s |")?;
    }
    for (name, dense) in [("2 KB clean", false), ("2 KB dense", true)] {
        let prompts: Vec<String> = (0..256)
            .map(|seed| {
                if dense {
                    inputs::dense(2 << 10, 1000 + seed)
                } else {
                    inputs::clean(2 << 10, 1000 + seed)
                }
            })
            .collect();
        let l = latency(&scanner, &prompts);
        writeln!(
            out,
            "| latency p50 / p99 | {name} | {:.1} µs / {:.1} µs |",
            l.p50, l.p99
        )?;
        writeln!(
            out,
            "| latency p50 / p99 over prompts, each prompt's median of {ROUNDS} scans (interrupts and preemption within single scans removed) | {name} | {:.1} µs / {:.1} µs |",
            l.prompt_p50, l.prompt_p99
        )?;
    }
    policy_rows(&mut out)?;
    provider_rows(&mut out)?;
    client_rows(&mut out)?;
    Ok(())
}

/// Rows for the client: its added latency over calling the same provider
/// (OpenAI → fake upstream on loopback) directly, for 2 KB prompts, whole
/// replies and time to first token, with the `staging` policy (anonymize).
/// One current-thread runtime: one core, the fake upstream included.
fn client_rows(out: &mut impl Write) -> Result<()> {
    use std::sync::Arc;

    use deepsentinel::SentinelClient;
    use deepsentinel_core::{ChatRequest, Message, Provider};
    use deepsentinel_providers::testing::{FakeUpstream, Reply};
    use deepsentinel_providers::{HttpClient, NetworkConfig, OpenAiConfig, OpenAiProvider};
    use futures_util::StreamExt;

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let fake = rt.block_on(FakeUpstream::start())?;
    let whole = std::fs::read_to_string(root().join("testdata/providers/openai/complete.json"))?;
    let stream = std::fs::read_to_string(root().join("testdata/providers/openai/stream.sse"))?;
    let mut cfg = OpenAiConfig::openai(secrecy::SecretString::from("sk-bench"));
    cfg.base_url = fake.url("/v1");
    let provider: Arc<dyn Provider> = Arc::new(OpenAiProvider::new(
        &cfg,
        HttpClient::new(&NetworkConfig::default())?,
    )?);
    let client = SentinelClient::builder()
        .provider("openai", provider.clone())
        .policy_preset("staging")
        .build()?;
    for (name, dense) in [("2 KB clean", false), ("2 KB dense", true)] {
        let prompts: Vec<ChatRequest> = (0..64)
            .map(|seed| {
                let text = if dense {
                    inputs::dense(2 << 10, 3000 + seed)
                } else {
                    inputs::clean(2 << 10, 3000 + seed)
                };
                ChatRequest::new("gpt-4o-mini", vec![Message::user(text)])
            })
            .collect();
        // (direct, client) samples in µs, interleaved per prompt so drift
        // hits both alike.
        let mut whole_direct = Vec::new();
        let mut whole_client = Vec::new();
        let mut ttft_direct = Vec::new();
        let mut ttft_client = Vec::new();
        for round in 0..16 {
            for req in &prompts {
                fake.push([
                    Reply::json(200, whole.clone()),
                    Reply::json(200, whole.clone()),
                ]);
                let t = Instant::now();
                rt.block_on(provider.complete(req))?;
                let d = t.elapsed().as_secs_f64() * 1e6;
                let t = Instant::now();
                rt.block_on(client.chat().completions().create(req.clone()))?;
                let c = t.elapsed().as_secs_f64() * 1e6;
                fake.push([
                    Reply::sse(stream.clone(), 1 << 16),
                    Reply::sse(stream.clone(), 1 << 16),
                ]);
                let t = Instant::now();
                let ds = rt.block_on(async {
                    let mut s = provider.stream(req).await?;
                    let _first = s.next().await;
                    let at = t.elapsed().as_secs_f64() * 1e6;
                    while s.next().await.is_some() {}
                    Ok::<_, deepsentinel_core::Error>(at)
                })?;
                let t = Instant::now();
                let ttft = rt.block_on(async {
                    let mut s = client.chat().completions().stream(req.clone()).await?;
                    let _first = s.next().await;
                    let at = t.elapsed().as_secs_f64() * 1e6;
                    while s.next().await.is_some() {}
                    Ok::<_, deepsentinel_core::Error>(at)
                })?;
                if round > 0 {
                    whole_direct.push(d);
                    whole_client.push(c);
                    ttft_direct.push(ds);
                    ttft_client.push(ttft);
                }
            }
        }
        let (wd, _) = quantiles(&mut whole_direct);
        let (wc, wc99) = quantiles(&mut whole_client);
        writeln!(
            out,
            "| client added latency, whole reply: direct / client p50 (client p99), added at p50 | {name}, staging policy | {wd:.1} / {wc:.1} µs ({wc99:.1} µs), +{:.1} µs |",
            wc - wd
        )?;
        let (td, _) = quantiles(&mut ttft_direct);
        let (tc, tc99) = quantiles(&mut ttft_client);
        writeln!(
            out,
            "| client added latency, time to first chunk (stream): direct / client p50 (client p99), added at p50 | {name}, staging policy | {td:.1} / {tc:.1} µs ({tc99:.1} µs), +{:.1} µs |",
            tc - td
        )?;
    }
    Ok(())
}

/// Rows for the provider layer: SSE decoding throughput, and the overhead
/// of the standard stack with every layer on, in process (over the echo
/// provider) and over HTTP on loopback (over the OpenAI provider talking to
/// a fake upstream), each against the same provider called bare. One
/// current-thread runtime: one core, the fake upstream included.
fn provider_rows(out: &mut impl Write) -> Result<()> {
    use std::sync::Arc;
    use std::time::Duration;

    use deepsentinel_core::{ChatRequest, Message, Provider};
    use deepsentinel_providers::sse::SseDecoder;
    use deepsentinel_providers::testing::{FakeUpstream, Reply};
    use deepsentinel_providers::{
        AttemptTimeoutConfig, BreakerConfig, ConcurrencyConfig, EchoProvider, FallbackTarget,
        HttpClient, NetworkConfig, OpenAiConfig, OpenAiProvider, OverallTimeoutConfig,
        RateLimitConfig, RateLimitMode, RetryConfig, StackBuilder,
    };

    // SSE: a 1 MB OpenAI stream, one event per token, in 16 KiB reads.
    let mut sse = String::new();
    while sse.len() < 1 << 20 {
        sse.push_str("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" token\"},\"finish_reason\":null}]}\n\n");
    }
    let mut best = f64::MAX;
    let mut events = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let mut d = SseDecoder::new();
        events.clear();
        for piece in sse.as_bytes().chunks(16 << 10) {
            d.decode(piece, &mut events)
                .map_err(|e| anyhow::anyhow!("sse: {e}"))?;
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    writeln!(
        out,
        "| SSE decode, 16 KiB reads | 1 MB OpenAI stream ({} events) | {:.0} MB/s |",
        events.len(),
        sse.len() as f64 / best / 1e6
    )?;

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let stack =
        |primary: Arc<dyn Provider>, second: Arc<dyn Provider>| -> Result<Arc<dyn Provider>> {
            let mut b = StackBuilder::new("openai");
            b.endpoint(primary)
                .endpoint(second)
                .attempt_timeout(Some(AttemptTimeoutConfig::default()))
                .breaker(Some(BreakerConfig::default()))
                .concurrency(Some(ConcurrencyConfig::default()))
                .rate_limit(Some(RateLimitConfig {
                    requests_per_minute: Some(u32::MAX),
                    tokens_per_minute: Some(u32::MAX),
                    mode: RateLimitMode::Wait {
                        max_wait: Duration::from_secs(1),
                    },
                }))
                .retry(Some(RetryConfig::default()))
                .overall_timeout(Some(OverallTimeoutConfig::default()))
                .fallback(
                    Arc::new(EchoProvider::named("fallback")),
                    FallbackTarget::model("claude-sonnet-4-5"),
                );
            Ok(b.build()?.provider())
        };
    let req = ChatRequest::new("gpt-4o-mini", vec![Message::user("Hello, how are you?")]);
    let time = |p: &Arc<dyn Provider>, n: usize| -> Result<(f64, f64)> {
        let mut samples = Vec::with_capacity(n);
        for i in 0..n + n / 10 {
            let t = Instant::now();
            rt.block_on(p.complete(&req))?;
            if i >= n / 10 {
                samples.push(t.elapsed().as_secs_f64() * 1e6);
            }
        }
        Ok(quantiles(&mut samples))
    };

    let echo: Arc<dyn Provider> = Arc::new(EchoProvider::named("key-1"));
    let stacked = stack(echo.clone(), Arc::new(EchoProvider::named("key-2")))?;
    let (b50, b99) = time(&echo, 50_000)?;
    let (s50, s99) = time(&stacked, 50_000)?;
    writeln!(
        out,
        "| provider stack overhead, all layers on: bare / stacked p50 (p99), added at p50 | in process (echo provider) | {b50:.2} / {s50:.2} µs ({b99:.2} / {s99:.2} µs), +{:.2} µs |",
        s50 - b50
    )?;

    let fake = rt.block_on(FakeUpstream::start())?;
    let body = std::fs::read_to_string(root().join("testdata/providers/openai/complete.json"))?;
    fake.fallback(Reply::json(200, body));
    let client = HttpClient::new(&NetworkConfig::default())?;
    let openai = |name: &str| -> Result<Arc<dyn Provider>> {
        let mut cfg = OpenAiConfig::openai(secrecy::SecretString::from("sk-bench"));
        cfg.name = name.into();
        cfg.base_url = fake.url("/v1");
        Ok(Arc::new(OpenAiProvider::new(&cfg, client.clone())?))
    };
    let bare = openai("key-1")?;
    let stacked = stack(openai("key-1")?, openai("key-2")?)?;
    // Interleaved rounds, so drift on a shared machine hits both alike.
    let (mut bare50, mut stack50, mut bare99, mut stack99) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..5 {
        let (a, b) = time(&bare, 2_000)?;
        let (c, d) = time(&stacked, 2_000)?;
        bare50.push(a);
        bare99.push(b);
        stack50.push(c);
        stack99.push(d);
    }
    let med = |v: &mut Vec<f64>| quantiles(v).0;
    let (b50, s50, b99, s99) = (
        med(&mut bare50),
        med(&mut stack50),
        med(&mut bare99),
        med(&mut stack99),
    );
    writeln!(
        out,
        "| provider stack overhead, all layers on: bare / stacked p50 (p99), added at p50 | HTTP on loopback (OpenAI provider → fake upstream, 1 core) | {b50:.1} / {s50:.1} µs ({b99:.1} / {s99:.1} µs), +{:.1} µs |",
        s50 - b50
    )?;
    Ok(())
}

/// Rows for the policy layer: the request-side transform (scan, decide,
/// pseudonymize, then restore the reply) per 2 KB prompt, and the streaming
/// reply transform fed 16-byte deltas.
fn policy_rows(out: &mut impl Write) -> Result<()> {
    use deepsentinel_policy::stream::StreamConfig;
    use deepsentinel_policy::{Anonymizer, CompliancePolicy, Guard, Keys, PolicySet, Vault};
    let guard = Guard::new(
        Scanner::new(),
        PolicySet::single(CompliancePolicy::preset("staging")?)?,
        Anonymizer::new(Keys::none()),
    );
    for (name, dense) in [("2 KB clean", false), ("2 KB dense", true)] {
        let prompts: Vec<String> = (0..256)
            .map(|seed| {
                if dense {
                    inputs::dense(2 << 10, 2000 + seed)
                } else {
                    inputs::clean(2 << 10, 2000 + seed)
                }
            })
            .collect();
        let mut samples = Vec::new();
        for round in 0..21 {
            for p in &prompts {
                let t = Instant::now();
                let mut vault = Vault::new();
                let sent = guard.protect(std::hint::black_box(p), &mut vault)?;
                std::hint::black_box(vault.restore(&sent.text));
                if round > 0 {
                    samples.push(t.elapsed().as_secs_f64() * 1e6);
                }
            }
        }
        let (p50, p99) = quantiles(&mut samples);
        writeln!(
            out,
            "| request transform (scan + decide + pseudonymize + restore) p50 / p99 | {name} | {p50:.1} µs / {p99:.1} µs |"
        )?;

        // Replies: the protected prompts, placeholders included, each with
        // its conversation's vault. Every call (pushes and the final
        // flush, where a reply without paragraph breaks is transformed) is
        // timed; the mean per delta is total time / deltas.
        let cfg = StreamConfig::default();
        let mut replies = Vec::new();
        for p in &prompts {
            let mut vault = Vault::new();
            let reply = guard.protect(p, &mut vault)?.text;
            replies.push((reply, vault));
        }
        let mut calls = Vec::new();
        let mut deltas = 0usize;
        let mut bytes = 0usize;
        let mut held = 0usize;
        let mut total = 0.0f64;
        for round in 0..5 {
            for (reply, vault) in &replies {
                let mut s = guard.reply_stream(vault, &cfg);
                let mut text = String::new();
                for chunk in reply.as_bytes().chunks(16) {
                    let t = Instant::now();
                    s.push_bytes(chunk, &mut text)
                        .map_err(|e| anyhow::anyhow!("stream: {e}"))?;
                    let dt = t.elapsed().as_secs_f64() * 1e6;
                    held = held.max(s.held_back());
                    if round > 0 {
                        calls.push(dt);
                        total += dt;
                        deltas += 1;
                    }
                }
                let t = Instant::now();
                s.finish(&mut text)
                    .map_err(|e| anyhow::anyhow!("stream: {e}"))?;
                let dt = t.elapsed().as_secs_f64() * 1e6;
                if round > 0 {
                    calls.push(dt);
                    total += dt;
                    bytes += reply.len();
                }
            }
        }
        let mean = total / deltas.max(1) as f64;
        let (c50, c99) = quantiles(&mut calls);
        writeln!(
            out,
            "| streaming reply transform, 16-byte deltas: MB/s; µs per delta (total / deltas); p50 / p99 per call; max held back | {name} reply | {:.1} MB/s; {mean:.2} µs; {c50:.2} / {c99:.1} µs; {held} B |",
            bytes as f64 / (total / 1e6) / 1e6
        )?;
    }
    Ok(())
}

/// p50 and p99 of `samples` (sorted in place).
fn quantiles(samples: &mut [f64]) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| {
        samples
            .get(((samples.len().saturating_sub(1)) as f64 * q) as usize)
            .copied()
            .unwrap_or(0.0)
    };
    (at(0.50), at(0.99))
}

/// MB/s scanning `text` repeatedly for about two seconds.
fn throughput(scanner: &Scanner, text: &str) -> f64 {
    std::hint::black_box(scanner.scan(text));
    let budget = Duration::from_secs(2);
    let start = Instant::now();
    let mut iters = 0u64;
    while start.elapsed() < budget {
        std::hint::black_box(scanner.scan(std::hint::black_box(text)));
        iters += 1;
    }
    (text.len() as u64 * iters) as f64 / 1e6 / start.elapsed().as_secs_f64()
}

/// Rounds of [`latency`]: each prompt is scanned this many times.
const ROUNDS: usize = 40;

/// Scan latencies over a set of prompts, in µs.
struct Latency {
    /// Quantiles of every single scan (each prompt [`ROUNDS`] times).
    p50: f64,
    p99: f64,
    /// Quantiles over the prompts of each prompt's own median: what the
    /// engine costs per prompt, without the interrupts and preemption a
    /// virtual machine puts into single scans.
    prompt_p50: f64,
    prompt_p99: f64,
}

/// Times single scans of `prompts`, [`ROUNDS`] rounds.
fn latency(scanner: &Scanner, prompts: &[String]) -> Latency {
    for p in prompts {
        std::hint::black_box(scanner.scan(p));
    }
    let mut per_prompt = vec![Vec::with_capacity(ROUNDS); prompts.len()];
    for _ in 0..ROUNDS {
        for (p, times) in prompts.iter().zip(&mut per_prompt) {
            let t = Instant::now();
            std::hint::black_box(scanner.scan(std::hint::black_box(p)));
            times.push(t.elapsed().as_secs_f64() * 1e6);
        }
    }
    let mut samples: Vec<f64> = per_prompt.iter().flatten().copied().collect();
    let (p50, p99) = quantiles(&mut samples);
    let mut medians: Vec<f64> = per_prompt
        .iter_mut()
        .map(|times| quantiles(times).0)
        .collect();
    let (prompt_p50, prompt_p99) = quantiles(&mut medians);
    Latency {
        p50,
        p99,
        prompt_p50,
        prompt_p99,
    }
}

/// Scans the generated 1 GiB directory; returns (peak RSS bytes, seconds,
/// bytes scanned).
fn scan_directory() -> Result<(u64, f64, u64)> {
    let dir = crate::target_dir().join("bench-data/scan-1g");
    let bytes = generate_directory(&dir)?;
    let bin = crate::target_dir().join("release/deepsentinel");
    eprintln!("$ {} scan --format jsonl {}", bin.display(), dir.display());
    let start = Instant::now();
    let mut child = Command::new(&bin)
        .args(["scan", "--format", "jsonl", "--no-progress"])
        .arg(&dir)
        .stdout(Stdio::null())
        .spawn()
        .context("running deepsentinel")?;
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    let status = loop {
        if let Ok(s) = std::fs::read_to_string(&status_path) {
            if let Some(kb) = s
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
            {
                peak_kb = peak_kb.max(kb);
            }
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let secs = start.elapsed().as_secs_f64();
    // 1 = findings, which the dense files have.
    if status.code() != Some(1) {
        bail!("deepsentinel scan exited with {status}");
    }
    Ok((peak_kb * 1024, secs, bytes))
}

/// Writes 1024 files of 1 MiB (every eighth dense) unless already there.
fn generate_directory(dir: &Path) -> Result<u64> {
    const FILES: u64 = 1024;
    const SIZE: usize = 1 << 20;
    let marker = dir.join(".complete");
    if !marker.is_file() {
        eprintln!("generating {} ({} MiB)", dir.display(), FILES);
        std::fs::create_dir_all(dir)?;
        for i in 0..FILES {
            let sub = dir.join(format!("d{:02}", i % 32));
            std::fs::create_dir_all(&sub)?;
            let text = if i % 8 == 0 {
                inputs::dense(SIZE, 10_000 + i)
            } else {
                inputs::clean(SIZE, 10_000 + i)
            };
            std::fs::write(sub.join(format!("f{i:04}.txt")), text)?;
        }
        std::fs::write(&marker, b"")?;
    }
    Ok(FILES * SIZE as u64)
}
