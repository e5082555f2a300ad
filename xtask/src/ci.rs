//! `cargo xtask ci`: everything CI checks, in the order that fails fastest.

use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{cargo, in_ci, root, run, step, works};

/// Accuracy thresholds (see the project brief): micro-F1 on each shared
/// dev corpus.
const THRESHOLDS: [(&str, f64); 3] = [("pii", 0.93), ("secrets", 0.95), ("injection", 0.90)];

/// What to do with the evaluation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Eval {
    /// Run it and fail below a threshold (the default).
    Gate,
    /// Run it and print the scores only.
    Report,
    /// Don't run it.
    Off,
}

pub(crate) struct Options {
    fuzz_seconds: Option<u64>,
    eval: Eval,
    /// Run every step even after one failed, reporting all failures at the end.
    keep_going: bool,
}

impl Options {
    /// Parses `[--fuzz-seconds N] [--eval gate|report|off] [--keep-going]`; the
    /// `DEEPSENTINEL_EVAL` environment variable sets the default of `--eval`.
    pub(crate) fn parse(args: &[String]) -> Result<Options> {
        let mut o = Options {
            // CI runs the fuzzer briefly by default, as the issue asks.
            fuzz_seconds: if crate::in_ci() { Some(30) } else { None },
            keep_going: false,
            eval: match std::env::var("DEEPSENTINEL_EVAL").as_deref() {
                Ok(v) => parse_eval(v)?,
                Err(_) => Eval::Gate,
            },
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--fuzz-seconds" => {
                    let n = it.next().context("--fuzz-seconds needs a number")?;
                    o.fuzz_seconds = Some(n.parse().context("--fuzz-seconds needs a number")?);
                }
                "--keep-going" => o.keep_going = true,
                "--eval" => o.eval = parse_eval(it.next().context("--eval needs a value")?)?,
                other => bail!("ci: unknown argument {other:?}"),
            }
        }
        Ok(o)
    }
}

fn parse_eval(v: &str) -> Result<Eval> {
    match v {
        "gate" => Ok(Eval::Gate),
        "report" => Ok(Eval::Report),
        "off" => Ok(Eval::Off),
        _ => bail!("--eval must be gate, report or off, not {v:?}"),
    }
}

pub(crate) fn run_ci(o: &Options) -> Result<()> {
    let mut steps = Vec::new();
    let started = std::time::Instant::now();
    let result = all_steps(o, &mut steps);
    eprintln!("\n| step | seconds |\n| --- | ---: |");
    for (name, secs) in &steps {
        eprintln!("| {name} | {secs:.1} |");
    }
    eprintln!("| total | {:.1} |", started.elapsed().as_secs_f64());
    result
}

fn all_steps(o: &Options, steps: &mut Vec<(String, f64)>) -> Result<()> {
    type Task<'a> = (&'static str, Box<dyn Fn() -> Result<()> + 'a>);
    let mut tasks: Vec<Task<'_>> = vec![
        (
            "fmt",
            Box::new(|| run(cargo().args(["fmt", "--all", "--", "--check"]))),
        ),
        ("tidy", Box::new(|| crate::tidy::run(&root()))),
        (
            "clippy",
            Box::new(|| {
                run(cargo().args([
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--locked",
                    "--",
                    "-D",
                    "warnings",
                ]))
            }),
        ),
        ("test", Box::new(test)),
        (
            "doctest",
            Box::new(|| run(cargo().args(["test", "--workspace", "--doc", "--locked"]))),
        ),
        (
            "doc",
            Box::new(|| {
                run(cargo()
                    .args(["doc", "--workspace", "--no-deps", "--locked"])
                    .env("RUSTDOCFLAGS", "-D warnings"))
            }),
        ),
        ("fuzz build", Box::new(fuzz_build)),
    ];
    if let Some(secs) = o.fuzz_seconds {
        tasks.push(("fuzz run", Box::new(move || fuzz_run(secs))));
    }
    if o.eval == Eval::Off {
        eprintln!("NOTE: eval step disabled (--eval off)");
    } else {
        let mode = o.eval;
        tasks.push(("eval", Box::new(move || eval(mode))));
    }
    let mut failed = Vec::new();
    for (name, task) in tasks {
        if let Err(e) = step(steps, name, task) {
            if !o.keep_going {
                return Err(e);
            }
            eprintln!("FAILED: {e:#}");
            failed.push(name);
        }
    }
    if !failed.is_empty() {
        bail!("failed steps: {}", failed.join(", "));
    }
    Ok(())
}

fn test() -> Result<()> {
    if works(cargo().args(["nextest", "--version"])) {
        run(cargo().args(["nextest", "run", "--workspace", "--locked"]))
    } else {
        eprintln!("NOTE: cargo-nextest is not installed: running `cargo test` instead");
        run(cargo().args(["test", "--workspace", "--locked"]))
    }
}

fn fuzz_build() -> Result<()> {
    if !fuzz_available() {
        if in_ci() {
            bail!("cargo-fuzz (or the nightly toolchain) is missing; .ci/run installs it");
        }
        eprintln!("SKIPPED: fuzz build (cargo-fuzz or nightly not installed)");
        return Ok(());
    }
    run(nightly().args(["fuzz", "build", "scan"]))
}

/// `cargo +nightly` through rustup's proxy (`$CARGO` is the stable binary
/// itself and would not understand `+nightly`).
fn nightly() -> Command {
    let mut c = Command::new("cargo");
    c.arg("+nightly").current_dir(root());
    c
}

fn fuzz_available() -> bool {
    works(nightly().args(["fuzz", "--version"]))
}

/// Runs the `scan` fuzz target for `secs` seconds.
pub(crate) fn fuzz_run(secs: u64) -> Result<()> {
    if !fuzz_available() {
        bail!("cargo-fuzz (or the nightly toolchain) is missing: `cargo install cargo-fuzz`");
    }
    run(nightly().args([
        "fuzz",
        "run",
        "scan",
        "--",
        &format!("-max_total_time={secs}"),
    ]))
}

/// `shared/eval/run_eval.sh` beside the repository (CI clones it next to
/// `shared/`) or beside its parent (developers' worktrees live one level
/// deeper); `DEEPSENTINEL_SHARED` overrides both.
fn shared_eval_script() -> std::path::PathBuf {
    let rel = "eval/run_eval.sh";
    if let Some(dir) = std::env::var_os("DEEPSENTINEL_SHARED") {
        return std::path::PathBuf::from(dir).join(rel);
    }
    let near = root().join("../shared").join(rel);
    let far = root().join("../../shared").join(rel);
    if !near.is_file() && far.is_file() {
        far
    } else {
        near
    }
}

/// Builds the eval profile and scores the shared corpora with
/// `../shared/eval/run_eval.sh`, checking [`THRESHOLDS`] under `Gate`.
fn eval(mode: Eval) -> Result<()> {
    let script = shared_eval_script();
    if !script.is_file() {
        // Developers outside the project layout have no corpora; CI always
        // does, so this is loud there.
        let msg = format!("eval: {} not found", script.display());
        if in_ci() && mode == Eval::Gate {
            bail!("{msg}");
        }
        eprintln!("SKIPPED: {msg}");
        return Ok(());
    }
    run(cargo().args([
        "build",
        "--profile",
        "eval",
        "-p",
        "deepsentinel-cli",
        "--locked",
    ]))?;
    eprintln!("$ bash {}", script.display());
    let out = Command::new("bash")
        .arg(&script)
        .current_dir(root())
        .env(
            "DEEPSENTINEL_BIN",
            crate::target_dir().join("eval/deepsentinel"),
        )
        .output()
        .context("running run_eval.sh")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprint!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    if !out.status.success() {
        bail!("run_eval.sh failed ({})", out.status);
    }
    let last = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with("eval "))
        .context("run_eval.sh printed no `eval …` line")?;
    let mut failed = Vec::new();
    for (name, min) in THRESHOLDS {
        let value = last
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
            .unwrap_or("-");
        match value.parse::<f64>() {
            Ok(v) if v >= min => eprintln!("eval: {name} = {v:.4} >= {min} ok"),
            Ok(v) => {
                eprintln!("eval: {name} = {v:.4} < {min} BELOW THRESHOLD");
                failed.push(name);
            }
            Err(_) => eprintln!("eval: {name} not measured (no corpus)"),
        }
    }
    if !failed.is_empty() && mode == Eval::Gate {
        bail!(
            "accuracy below threshold for {} (use --eval report to only print scores)",
            failed.join(", ")
        );
    }
    Ok(())
}
