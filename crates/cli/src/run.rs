//! One `scan` run: expand the inputs, scan them in parallel, print in order.
//!
//! Files are scanned in batches of [`BATCH_PER_THREAD`] files per thread on a
//! rayon pool and printed in the walk's order once a batch is done, so
//! output is deterministic (sorted by path within each argument) and each
//! file's findings stay together, while memory holds one batch of reports —
//! positions and masked values, never file contents — plus one window per
//! thread. The batch is sized by threads, not a fixed count: a finding-dense
//! 1 MiB file yields some 15,000 findings (a few MB of reports), so a fixed
//! batch of 64 files held over 100 MB.

use std::io::{self, BufWriter, Write};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::args::Settings;
use crate::report::FileReport;
use crate::walk::{self, Item};
use crate::{corpus, output, source};

/// Files scanned between two prints, per scanning thread.
const BATCH_PER_THREAD: usize = 2;

/// A progress bar appears for more files or bytes than these.
const PROGRESS_MIN_FILES: usize = 100;
const PROGRESS_MIN_BYTES: u64 = 50 << 20;

/// How a run ended.
pub(crate) struct Outcome {
    /// Something was found.
    pub(crate) found: bool,
    /// Some input could not be scanned (or a corpus line failed).
    pub(crate) errors: bool,
}

pub(crate) fn run(settings: Settings) -> Result<Outcome> {
    let stdout = io::stdout();
    if settings.jsonl_input {
        let mut out = BufWriter::new(stdout.lock());
        let o = corpus::run(&settings.scanner, io::stdin().lock(), &mut out)?;
        return Ok(Outcome {
            found: o.found,
            errors: o.failed_lines > 0,
        });
    }

    let items = walk::collect(&settings);
    let total_bytes: u64 = items
        .iter()
        .map(|i| match i {
            Item::File { size, .. } => *size,
            _ => 0,
        })
        .sum();
    let bar = if settings.progress
        && (items.len() > PROGRESS_MIN_FILES || total_bytes > PROGRESS_MIN_BYTES)
    {
        let bar = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .build()
        .context("starting the scanning threads")?;
    let mut printer = output::printer(
        settings.format,
        settings.color,
        Box::new(BufWriter::new(stdout.lock())),
    );
    let mut outcome = Outcome {
        found: false,
        errors: false,
    };
    let batch_len = settings.threads.max(1) * BATCH_PER_THREAD;
    for batch in items.chunks(batch_len) {
        let reports: Vec<FileReport> =
            pool.install(|| batch.par_iter().map(|i| scan_item(&settings, i)).collect());
        for report in &reports {
            bar.suspend(|| note(report));
            outcome.found |= !report.findings.is_empty();
            outcome.errors |= report.error.is_some();
            printer.file(report)?;
            bar.inc(report.bytes);
        }
    }
    bar.finish_and_clear();
    printer.finish(!outcome.errors)?;
    Ok(outcome)
}

fn scan_item(settings: &Settings, item: &Item) -> FileReport {
    match item {
        Item::Stdin => source::scan_reader(
            &settings.scanner,
            io::stdin().lock(),
            "<stdin>".into(),
            settings.window,
        ),
        Item::File { path, .. } => {
            let name = path.display().to_string();
            match std::fs::File::open(path) {
                Ok(file) => source::scan_reader(&settings.scanner, file, name, settings.window),
                Err(e) => {
                    let mut r = FileReport::new(name);
                    r.error = Some(format!("cannot open: {e}"));
                    r
                }
            }
        }
        Item::Error { path, message } => {
            let mut r = FileReport::new(path.clone());
            r.error = Some(message.clone());
            r
        }
    }
}

/// Per-file problems go to stderr: they never stop the run.
fn note(report: &FileReport) {
    let mut err = io::stderr().lock();
    if let Some(e) = &report.error {
        let _ = writeln!(err, "deepsentinel: {}: {e}", report.path);
    }
    if let Some(w) = &report.warning {
        let _ = writeln!(err, "deepsentinel: warning: {}: {w}", report.path);
    }
}
