//! Command-line arguments, in two stages (as ripgrep goes from `LowArgs` to
//! `HiArgs`): clap collects raw values into [`Cli`], then [`Settings::new`]
//! validates them together with the configuration file and builds the
//! scanner. Only [`Settings`] reaches the rest of the program.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use deepsentinel_core::Category;
use deepsentinel_detect::{Config, Scanner};

/// Bytes shared by two consecutive windows of a large file.
pub(crate) const OVERLAP: usize = 4 << 10;

#[derive(Parser, Debug)]
#[command(
    name = "deepsentinel",
    version,
    about = "Find sensitive data (PII, PHI, PCI, secrets, prompt injection) in text",
    after_help = "Exit codes: 0 nothing found, 1 findings, 2 an error (bad arguments or \
                  configuration, an unreadable file, a malformed corpus line)."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Scan files, directories (recursively, honouring .gitignore) or stdin.
    Scan(ScanArgs),
    /// Write a file (or stdin) with its sensitive values rewritten.
    Redact(crate::redact::RedactArgs),
    /// Validate policies and show their effective tables.
    #[command(subcommand)]
    Policy(crate::redact::PolicyCommand),
    /// Run the gateway: an OpenAI- and Anthropic-compatible HTTP server
    /// enforcing compliance on every request and reply.
    Serve(crate::serve::ServeArgs),
}

/// Raw `scan` arguments, as typed.
#[derive(clap::Args, Debug)]
pub(crate) struct ScanArgs {
    /// Files or directories to scan; stdin when none is given or for `-`.
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,

    /// Output format. Default: `human`, or `jsonl` with --jsonl-input.
    #[arg(long, value_enum)]
    pub(crate) format: Option<Format>,

    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,

    /// Categories to scan for (comma-separated subset of
    /// pii,phi,pci,secret,injection,custom). Overrides the config file.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub(crate) categories: Vec<Category>,

    /// Drop findings scoring below this, in [0, 1]. Overrides the config
    /// file (default 0.5).
    #[arg(long, value_name = "SCORE")]
    pub(crate) min_score: Option<f32>,

    /// Configuration file (TOML, or YAML for .yaml/.yml).
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,

    /// Also scan hidden files and directories.
    #[arg(long)]
    pub(crate) hidden: bool,

    /// Don't honour .gitignore, .ignore and git exclude files.
    #[arg(long)]
    pub(crate) no_ignore: bool,

    /// Largest file read whole, in bytes (suffixes K, M, G accepted).
    /// Larger files and stdin are scanned in windows of this size that
    /// overlap by 4 KiB, so memory stays bounded.
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "8M")]
    pub(crate) max_file_size: u64,

    /// Number of scanning threads (default: available cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub(crate) threads: Option<usize>,

    /// Corpus mode: read JSON lines {"id", "text"} from stdin and write
    /// {"id", "findings"} lines.
    #[arg(long)]
    pub(crate) jsonl_input: bool,

    /// Never show a progress bar.
    #[arg(long)]
    pub(crate) no_progress: bool,
}

/// Output formats.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// `path:line:col: TYPE (score) masked-value [rule]`.
    Human,
    /// One JSON document listing files and their findings.
    Json,
    /// One JSON object per finding (per record in corpus mode).
    Jsonl,
    /// SARIF 2.1.0.
    Sarif,
}

/// `--color` values.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Validated settings for one run.
pub(crate) struct Settings {
    pub(crate) scanner: Scanner,
    pub(crate) inputs: Vec<Input>,
    pub(crate) format: Format,
    pub(crate) color: bool,
    pub(crate) hidden: bool,
    pub(crate) no_ignore: bool,
    pub(crate) window: usize,
    pub(crate) threads: usize,
    pub(crate) jsonl_input: bool,
    pub(crate) progress: bool,
}

/// Loads the scanner configuration file, if one is given; a problem is
/// added to `problems` (so every problem is reported together).
pub(crate) fn load_config(
    path: Option<&std::path::Path>,
    problems: &mut Vec<String>,
) -> Option<Config> {
    match Config::from_path(path?) {
        Ok(c) => Some(c),
        Err(e) => {
            problems.push(e.to_string());
            None
        }
    }
}

/// One thing to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Input {
    Stdin,
    Path(PathBuf),
}

impl Settings {
    /// Validates raw arguments, reporting every problem at once.
    pub(crate) fn new(args: ScanArgs) -> Result<Settings> {
        let mut problems: Vec<String> = Vec::new();
        if let Some(s) = args.min_score {
            if !(0.0..=1.0).contains(&s) {
                problems.push(format!("--min-score {s} is outside [0, 1]"));
            }
        }
        if args.max_file_size < 2 * OVERLAP as u64 + 4 {
            problems.push(format!(
                "--max-file-size {} is too small (at least {} bytes)",
                args.max_file_size,
                2 * OVERLAP + 4
            ));
        }
        let window = match usize::try_from(args.max_file_size) {
            Ok(w) => w,
            Err(_) => {
                problems.push("--max-file-size does not fit in memory".into());
                0
            }
        };
        if args.threads == Some(0) {
            problems.push("--threads must be at least 1".into());
        }
        let format = args.format.unwrap_or(if args.jsonl_input {
            Format::Jsonl
        } else {
            Format::Human
        });
        if args.jsonl_input {
            if format != Format::Jsonl {
                problems.push("--jsonl-input writes JSON lines: use --format jsonl".into());
            }
            if args.paths.iter().any(|p| p.as_os_str() != "-") {
                problems.push("--jsonl-input reads stdin only: don't pass paths".into());
            }
        }
        let config = load_config(args.config.as_deref(), &mut problems);
        if !problems.is_empty() {
            bail!("{}", problems.join("\n  "));
        }

        let mut builder = Scanner::builder();
        if let Some(config) = config {
            builder.config(config);
        }
        if !args.categories.is_empty() {
            builder.categories(&args.categories);
        }
        if let Some(s) = args.min_score {
            builder.min_score(s);
        }
        let scanner = builder.build().context("invalid configuration")?;

        let inputs = if args.paths.is_empty() {
            vec![Input::Stdin]
        } else {
            args.paths
                .into_iter()
                .map(|p| {
                    if p.as_os_str() == "-" {
                        Input::Stdin
                    } else {
                        Input::Path(p)
                    }
                })
                .collect()
        };
        let color = match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        let threads = args.threads.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        });
        Ok(Settings {
            scanner,
            inputs,
            format,
            color,
            hidden: args.hidden,
            no_ignore: args.no_ignore,
            window,
            threads,
            jsonl_input: args.jsonl_input,
            progress: !args.no_progress && std::io::stderr().is_terminal(),
        })
    }
}

/// Parses `123`, `64K`, `8M`, `1G` (binary multiples, optional `iB`/`B`).
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let upper = t.to_ascii_uppercase();
    let stripped = upper
        .strip_suffix("IB")
        .or_else(|| upper.strip_suffix('B'))
        .unwrap_or(&upper);
    let (digits, shift) = match stripped.chars().last() {
        Some('K') => (&stripped[..stripped.len() - 1], 10),
        Some('M') => (&stripped[..stripped.len() - 1], 20),
        Some('G') => (&stripped[..stripped.len() - 1], 30),
        _ => (stripped, 0),
    };
    let n: u64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("invalid size {t:?} (expected e.g. 65536, 64K, 8M, 1G)"))?;
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("size {t:?} is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("123"), Ok(123));
        assert_eq!(parse_size("64K"), Ok(64 << 10));
        assert_eq!(parse_size("8MiB"), Ok(8 << 20));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("99999999999G").is_err());
    }

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
