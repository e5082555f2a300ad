//! The `deepsentinel` command: scans files, directories (recursively,
//! honouring `.gitignore`) and stdin for personal, health and payment data,
//! secrets and prompt injection, and prints findings as text, JSON, JSON
//! lines or SARIF. Values are always masked. `docs/cli.md` is the
//! reference.
//!
//! `redact` rewrites a file's values under a policy; `policy check`
//! validates a policy and prints its table.
//!
//! Modules: `args` (flags → validated settings), `walk` (paths → files),
//! `source` (one input, scanned in bounded windows), `report` (positions and
//! masking), `output` (formats), `corpus` (`--jsonl-input`), `run` (the
//! parallel loop).
//!
//! Exit codes, as grep's: 0 nothing found, 1 findings, 2 an error. Errors
//! win over findings: a run that found something but could not read a file
//! exits 2, so CI never mistakes a partial scan for a complete one.

use std::process::ExitCode;

use clap::Parser;

mod args;
mod corpus;
mod output;
mod redact;
mod report;
mod run;
mod serve;
mod source;
mod walk;

/// jemalloc instead of the system allocator: the gateway allocates and frees
/// many small buffers per request from two threads, where glibc's malloc
/// costs ~12 % more CPU per request (docs/benchmarks.md). Its settings (a
/// background thread that returns freed memory to the OS) are in
/// `.cargo/config.toml`.
#[cfg(all(unix, not(target_env = "musl")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let scan = match cli.command {
        args::Command::Scan(scan) => scan,
        args::Command::Redact(r) => return redact::redact(r),
        args::Command::Policy(p) => return redact::policy(p),
        args::Command::Serve(s) => return serve::serve_command(s),
    };
    let result = args::Settings::new(scan).and_then(run::run);
    match result {
        Ok(run::Outcome { errors: true, .. }) => ExitCode::from(2),
        Ok(run::Outcome { found: true, .. }) => ExitCode::from(1),
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => report_error(&e),
    }
}

/// Prints a run's error and returns exit code 2; a closed pipe
/// (`deepsentinel scan | head`) is not a failure.
pub(crate) fn report_error(e: &anyhow::Error) -> ExitCode {
    let broken_pipe = e
        .downcast_ref::<std::io::Error>()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe);
    if broken_pipe {
        return ExitCode::SUCCESS;
    }
    eprintln!("deepsentinel: {e:#}");
    ExitCode::from(2)
}
