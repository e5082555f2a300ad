//! Turning the command line's paths into the list of inputs to scan.
//!
//! Directories are walked with the `ignore` crate's parallel walker, which
//! honours `.gitignore`, `.ignore` and git's exclude files (also outside a
//! git repository: a `.gitignore` in a scanned directory is a statement
//! about that directory whether or not `.git` sits next to it) and skips
//! hidden entries unless `--hidden`. The files found under one argument are
//! sorted by path; arguments keep their command-line order. Collecting the
//! list before scanning costs one `PathBuf` per file and buys a
//! deterministic output order and an exact total for the progress bar.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::args::{Input, Settings};

/// One item of work.
#[derive(Debug)]
pub(crate) enum Item {
    Stdin,
    File {
        path: PathBuf,
        size: u64,
    },
    /// A path that could not be walked; the message names the problem.
    Error {
        path: String,
        message: String,
    },
}

/// Expands the inputs into files, in output order.
pub(crate) fn collect(settings: &Settings) -> Vec<Item> {
    let mut items = Vec::new();
    for input in &settings.inputs {
        match input {
            Input::Stdin => items.push(Item::Stdin),
            Input::Path(root) => walk_one(root, settings, &mut items),
        }
    }
    items
}

fn walk_one(root: &Path, settings: &Settings, items: &mut Vec<Item>) {
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .hidden(!settings.hidden)
        .require_git(false)
        .threads(settings.threads);
    if settings.no_ignore {
        builder
            .ignore(false)
            .git_ignore(false)
            .git_global(false)
            .git_exclude(false)
            .parents(false);
    }
    let found: Mutex<Vec<Item>> = Mutex::new(Vec::new());
    builder.build_parallel().run(|| {
        let found = &found;
        Box::new(move |entry| {
            let item = match entry {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                    let size = e.metadata().map(|m| m.len()).unwrap_or(0);
                    Some(Item::File {
                        path: e.into_path(),
                        size,
                    })
                }
                Ok(_) => None,
                Err(err) => Some(Item::Error {
                    path: error_path(&err).unwrap_or_else(|| root.display().to_string()),
                    message: strip_path(&err.to_string()),
                }),
            };
            if let Some(item) = item {
                if let Ok(mut v) = found.lock() {
                    v.push(item);
                }
            }
            ignore::WalkState::Continue
        })
    });
    let mut found = found.into_inner().unwrap_or_else(|e| e.into_inner());
    found.sort_by(|a, b| sort_key(a).cmp(sort_key(b)));
    items.extend(found);
}

fn sort_key(item: &Item) -> &Path {
    match item {
        Item::File { path, .. } => path,
        Item::Error { path, .. } => Path::new(path),
        Item::Stdin => Path::new(""),
    }
}

/// The path an `ignore` error is about, if it names one.
fn error_path(err: &ignore::Error) -> Option<String> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.display().to_string()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

/// `ignore` prefixes messages with the path, which we print separately.
fn strip_path(msg: &str) -> String {
    match msg.rsplit_once(": ") {
        Some((_, tail)) if !tail.is_empty() => tail.to_owned(),
        _ => msg.to_owned(),
    }
}
