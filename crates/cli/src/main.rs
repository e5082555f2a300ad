//! The `deepsentinel` command.
//!
//! Minimal corpus mode; the full scanner CLI is built on top of this.

use std::io::{BufRead, Write};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use deepsentinel_core::Category;
use deepsentinel_detect::Scanner;

#[derive(Parser)]
#[command(name = "deepsentinel", version, about = "Find sensitive data in text")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan files, directories or stdin.
    Scan {
        /// Read JSON lines {"id", "text"} and write {"id", "findings"}.
        #[arg(long)]
        jsonl_input: bool,
        /// Output format.
        #[arg(long, default_value = "jsonl")]
        format: String,
        /// Categories to scan for (comma-separated).
        #[arg(long, value_delimiter = ',')]
        categories: Vec<Category>,
    },
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(true) => std::process::ExitCode::from(1),
        Ok(false) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("deepsentinel: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}

fn run() -> Result<bool> {
    let cli = Cli::parse();
    let Command::Scan { categories, .. } = cli.command;
    let mut b = Scanner::builder();
    if !categories.is_empty() {
        b.categories(&categories);
    }
    let scanner = b.build()?;
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut any = false;
    for line in stdin.lock().lines() {
        let line = line.context("reading stdin")?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line).context("parsing a JSON line")?;
        let text = v.get("text").and_then(|t| t.as_str()).unwrap_or("");
        let findings = scanner.scan(text);
        any |= !findings.is_empty();
        let rec = serde_json::json!({"id": v.get("id"), "findings": findings});
        writeln!(out, "{rec}")?;
    }
    out.flush()?;
    Ok(any)
}
