//! Repository conventions, checked as code (after rust-analyzer's
//! `xtask/src/tidy.rs`):
//! - every workspace crate has crate docs (`//!` first in `lib.rs` or
//!   `main.rs`) and inherits the workspace lints (`[lints] workspace = true`);
//! - every dependency comes from `[workspace.dependencies]`
//!   (`workspace = true`);
//! - library crates print nothing to stdout (`println!`/`print!`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

pub(crate) fn run(root: &Path) -> Result<()> {
    let mut problems = Vec::new();
    for dir in crate_dirs(root)? {
        check_crate(root, &dir, &mut problems)?;
    }
    if problems.is_empty() {
        eprintln!("tidy: ok");
        return Ok(());
    }
    for p in &problems {
        eprintln!("tidy: {p}");
    }
    bail!("{} tidy problem(s)", problems.len())
}

/// `crates/*` and `xtask`.
fn crate_dirs(root: &Path) -> Result<Vec<PathBuf>> {
    let mut dirs = vec![root.join("xtask")];
    for e in std::fs::read_dir(root.join("crates")).context("reading crates/")? {
        let p = e?.path();
        if p.join("Cargo.toml").is_file() {
            dirs.push(p);
        }
    }
    dirs.sort();
    Ok(dirs)
}

fn check_crate(root: &Path, dir: &Path, problems: &mut Vec<String>) -> Result<()> {
    let name = dir.strip_prefix(root).unwrap_or(dir).display().to_string();
    let manifest_path = dir.join("Cargo.toml");
    let manifest: toml::Table = std::fs::read_to_string(&manifest_path)?
        .parse()
        .with_context(|| format!("parsing {}", manifest_path.display()))?;

    let lints_ok = manifest
        .get("lints")
        .and_then(|l| l.get("workspace"))
        .and_then(toml::Value::as_bool)
        == Some(true);
    if !lints_ok {
        problems.push(format!(
            "{name}: Cargo.toml lacks `[lints] workspace = true`"
        ));
    }

    for section in ["dependencies", "dev-dependencies", "build-dependencies"] {
        let Some(deps) = manifest.get(section).and_then(toml::Value::as_table) else {
            continue;
        };
        for (dep, spec) in deps {
            let inherited = spec.get("workspace").and_then(toml::Value::as_bool) == Some(true);
            if !inherited {
                problems.push(format!(
                    "{name}: [{section}] {dep} must use `workspace = true` \
                     (declare its version in [workspace.dependencies])"
                ));
            }
        }
    }

    let lib = dir.join("src/lib.rs");
    let entry = if lib.is_file() {
        lib.clone()
    } else {
        dir.join("src/main.rs")
    };
    let text =
        std::fs::read_to_string(&entry).with_context(|| format!("reading {}", entry.display()))?;
    if !text.trim_start().starts_with("//!") {
        problems.push(format!(
            "{name}: {} must start with crate docs (`//!`)",
            entry.display()
        ));
    }

    if lib.is_file() {
        let mut files = Vec::new();
        rust_files(&dir.join("src"), &mut files)?;
        for f in files {
            let text = std::fs::read_to_string(&f)?;
            for (i, line) in text.lines().enumerate() {
                let code = line.trim_start();
                if code.starts_with("//") {
                    continue;
                }
                if code.contains("println!(") || code.contains("print!(") {
                    problems.push(format!(
                        "{}:{}: library code must not print to stdout",
                        f.strip_prefix(root).unwrap_or(&f).display(),
                        i + 1
                    ));
                }
            }
        }
    }
    Ok(())
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            rust_files(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// The conventions hold for this repository (so `cargo test` enforces
    /// them too, not only `cargo xtask tidy`).
    #[test]
    fn repository_is_tidy() {
        super::run(&crate::root()).expect("tidy problems: see stderr");
    }

    #[test]
    fn problems_are_found() {
        let dir = tempfile_dir();
        let c = dir.join("crates/bad");
        std::fs::create_dir_all(c.join("src")).expect("mkdir");
        std::fs::create_dir_all(dir.join("xtask/src")).expect("mkdir");
        std::fs::write(
            dir.join("xtask/Cargo.toml"),
            "[package]\nname = \"xtask\"\n[lints]\nworkspace = true\n",
        )
        .expect("write");
        std::fs::write(dir.join("xtask/src/main.rs"), "//! Docs.\nfn main() {}\n").expect("write");
        std::fs::write(
            c.join("Cargo.toml"),
            "[package]\nname = \"bad\"\n[dependencies]\nserde = \"1\"\n",
        )
        .expect("write");
        std::fs::write(c.join("src/lib.rs"), "pub fn f() { println!(\"x\"); }\n").expect("write");
        let mut problems = Vec::new();
        super::check_crate(&dir, &c, &mut problems).expect("checks run");
        let all = problems.join("\n");
        assert_eq!(problems.len(), 4, "{all}");
        assert!(all.contains("[lints]") && all.contains("serde") && all.contains("//!"));
        assert!(all.contains("lib.rs:1"), "{all}");
        assert!(super::run(&dir).is_err());
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("xtask-tidy-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }
}
