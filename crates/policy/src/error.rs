//! Typed errors. None of them carries a sensitive value.

use std::fmt;

/// One problem found while validating a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The setting, as a dotted path (`thresholds.block`, `actions.type.US_SSN`).
    pub field: String,
    /// What is wrong with it.
    pub problem: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

/// Loading or validating a policy failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The policy is invalid; every problem is listed.
    #[error("policy `{policy}` is invalid ({} problem{}):\n{}", problems.len(), if problems.len() == 1 { "" } else { "s" }, list(problems))]
    Invalid {
        /// The policy's name.
        policy: String,
        /// Every problem found.
        problems: Vec<Problem>,
    },
    /// The file could not be parsed.
    #[error("cannot parse {format} policy: {message}")]
    Parse {
        /// `TOML` or `YAML`.
        format: &'static str,
        /// The parser's message (with line and column).
        message: String,
    },
    /// The file could not be read.
    #[error("cannot read policy file {path}: {message}")]
    Io {
        /// The path.
        path: String,
        /// The OS error.
        message: String,
    },
    /// The file's extension names no known format.
    #[error("policy file {path}: unknown format (use .toml, .yaml or .yml)")]
    UnknownFormat {
        /// The path.
        path: String,
    },
    /// No preset has this name and no file exists at this path.
    #[error("`{name}` is neither a preset ({}) nor an existing policy file", crate::policy::PRESETS.join(", "))]
    UnknownPreset {
        /// What was asked for.
        name: String,
    },
    /// A preset name that is also a file in the working directory.
    #[error("`{name}` is both a preset and a file here: write `./{name}` for the file")]
    Ambiguous {
        /// The name.
        name: String,
    },
    /// A policy set must hold at least one policy.
    #[error("no policy given")]
    Empty,
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// An operator could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OperatorError {
    /// `hash` needs an HMAC key and none was supplied.
    #[error("the hash operator needs an HMAC key; none was configured")]
    MissingHmacKey,
    /// `encrypt`/`decrypt` need an AES key and none was supplied.
    #[error("the encrypt/decrypt operators need an AES-256 key; none was configured")]
    MissingAesKey,
    /// A key has the wrong length.
    #[error("{which} key must be {expected} bytes, got {got}")]
    KeyLength {
        /// Which key.
        which: &'static str,
        /// Required length.
        expected: usize,
        /// Supplied length.
        got: usize,
    },
    /// A key in hex or base64 could not be decoded.
    #[error("{which} key is not valid {encoding}")]
    KeyEncoding {
        /// Which key.
        which: &'static str,
        /// Expected encoding.
        encoding: &'static str,
    },
    /// An encrypted token did not decrypt (wrong key or tampered); its
    /// position in the text is given, not its content.
    #[error(
        "encrypted value at byte {offset} does not decrypt with this key (wrong key or tampered)"
    )]
    Decrypt {
        /// Byte offset of the token.
        offset: usize,
    },
    /// The system random source failed.
    #[error("random source failed: {0}")]
    Random(String),
    /// A plan item's span is not inside the text or splits a character.
    #[error(
        "plan item {index} has span {start}..{end}, not a char-aligned range of the text ({len} bytes)"
    )]
    BadSpan {
        /// Index of the item in the plan.
        index: usize,
        /// Span start.
        start: usize,
        /// Span end.
        end: usize,
        /// Text length.
        len: usize,
    },
}
