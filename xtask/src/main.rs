//! DeepSentinel's task runner, wired as `cargo xtask` by the alias in
//! `.cargo/config.toml` (the rust-analyzer pattern): one entry point for
//! what CI and developers run.
//!
//! - `cargo xtask ci [--fuzz-seconds N] [--eval gate|report|off]`: format
//!   check, tidy, clippy with warnings denied, tests (nextest when
//!   installed), doc tests, docs with warnings denied, the fuzz build (and
//!   a short fuzz run with `--fuzz-seconds`), then the accuracy evaluation
//!   against the shared corpora with its thresholds.
//! - `cargo xtask bench`: release build, throughput / latency / peak-memory
//!   figures as a Markdown table (see `docs/benchmarks.md`).
//! - `cargo xtask gateway-bench`: the gateway's load benchmark against a
//!   local nginx upstream, direct versus through the gateway (see
//!   `gateway_bench.rs`).
//! - `cargo xtask pgo [--requests N]`: a profile-guided release build of
//!   the `deepsentinel` binary, trained on scanning and serving (see
//!   `pgo.rs`).
//! - `cargo xtask fuzz [SECONDS]`: runs the `scan` fuzz target.
//! - `cargo xtask tidy`: repository conventions.
//!
//! Under `CI=true` nothing is skipped silently: a missing tool is an error,
//! or a loud note when a documented fallback exists.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

mod bench;
mod ci;
mod gateway_bench;
mod pgo;
mod tidy;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (task, rest) = match args.split_first() {
        Some((t, r)) => (t.as_str(), r),
        None => ("help", &[][..]),
    };
    match task {
        "ci" => ci::run_ci(&ci::Options::parse(rest)?),
        "bench" => bench::run_bench(),
        "bench-measure" => bench::measure(),
        "gateway-bench" => gateway_bench::run_gateway_bench(&gateway_bench::Options::parse(rest)?),
        "pgo" => pgo::run_pgo(&pgo::Options::parse(rest)?),
        "fuzz" => {
            let secs = match rest.first() {
                Some(s) => s.parse().context("fuzz: SECONDS must be a number")?,
                None => 60,
            };
            ci::fuzz_run(secs)
        }
        "tidy" => tidy::run(&root()),
        _ => {
            eprintln!(
                "usage: cargo xtask <task>\n\n\
                 tasks:\n  \
                 ci [--fuzz-seconds N] [--eval gate|report|off]\n  \
                 bench\n  \
                 gateway-bench [--seconds N] [--rate RPS] [--ttft-requests N] [--no-build] [--direct-only] [--bin PATH]\n  \
                 pgo [--requests N]\n  \
                 fuzz [SECONDS]   (default 60)\n  \
                 tidy"
            );
            if task == "help" || task == "--help" || task == "-h" {
                Ok(())
            } else {
                bail!("unknown task {task:?}")
            }
        }
    }
}

/// The repository root (the workspace's directory).
pub(crate) fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Cargo's target directory (`CARGO_TARGET_DIR`, else `target/`).
pub(crate) fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => root().join(d),
        None => root().join("target"),
    }
}

/// Whether this runs under CI (`CI=true`).
pub(crate) fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// `cargo` as invoked by the user's cargo (respects `CARGO`).
pub(crate) fn cargo() -> Command {
    let mut c = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    c.current_dir(root());
    c
}

/// Runs `cmd`, echoing it, and fails if it fails.
pub(crate) fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("$ {}", show(cmd));
    let status = cmd
        .status()
        .with_context(|| format!("cannot start {}", show(cmd)))?;
    if !status.success() {
        bail!("{} failed ({status})", show(cmd));
    }
    Ok(())
}

/// Whether `cmd` runs and exits successfully (output discarded).
pub(crate) fn works(cmd: &mut Command) -> bool {
    cmd.stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

pub(crate) fn show(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Times `f`, recording the step's name and duration in `steps`.
pub(crate) fn step(
    steps: &mut Vec<(String, f64)>,
    name: &str,
    f: impl FnOnce() -> Result<()>,
) -> Result<()> {
    eprintln!("\n==> {name}");
    let t = Instant::now();
    let r = f();
    steps.push((name.to_owned(), t.elapsed().as_secs_f64()));
    r.with_context(|| format!("step {name:?} failed"))
}
