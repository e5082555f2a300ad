use std::fmt;

use thiserror::Error;

/// An error building a [`Scanner`](crate::Scanner) or loading its
/// configuration.
///
/// Opaque on purpose (the kinds will grow); branch on [`Error::kind`].
/// Messages name the rule, field or file at fault and never quote scanned
/// text.
#[derive(Debug, Error)]
#[error("{kind}")]
pub struct Error {
    kind: ErrorKind,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Error {
        Error { kind }
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error::new(kind)
    }
}

/// The kinds of [`struct@Error`].
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A custom rule is invalid; `problem` says why.
    InvalidRule {
        /// The rule's name (or its position when it has none).
        rule: String,
        /// What is wrong with it.
        problem: String,
    },
    /// An allow-list pattern does not compile.
    InvalidAllowPattern {
        /// Position of the pattern in the allow-list.
        index: usize,
        /// The regex error.
        problem: String,
    },
    /// A configuration value is out of range or inconsistent.
    InvalidConfig {
        /// Path of the offending field, such as `min-score`.
        field: String,
        /// What is wrong with it.
        problem: String,
    },
    /// Several problems at once: every one is listed.
    Many(Vec<Error>),
    /// A configuration file could not be parsed.
    Parse {
        /// The file (or `<inline>`).
        source_name: String,
        /// The parser's message (it may quote configuration, never scanned text).
        problem: String,
    },
    /// A configuration file could not be read.
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The compiled rule set would exceed the configured size limit.
    TooLarge {
        /// What exceeded it.
        what: String,
        /// The limit in bytes.
        limit: usize,
    },
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::InvalidRule { rule, problem } => {
                write!(f, "custom rule {rule:?}: {problem}")
            }
            ErrorKind::InvalidAllowPattern { index, problem } => {
                write!(f, "allow-list pattern #{index}: {problem}")
            }
            ErrorKind::InvalidConfig { field, problem } => write!(f, "{field}: {problem}"),
            ErrorKind::Many(errors) => {
                write!(f, "{} configuration problems:", errors.len())?;
                for e in errors {
                    write!(f, "\n  - {e}")?;
                }
                Ok(())
            }
            ErrorKind::Parse {
                source_name,
                problem,
            } => write!(f, "cannot parse {source_name}: {problem}"),
            ErrorKind::Io { path, source } => write!(f, "cannot read {path}: {source}"),
            ErrorKind::TooLarge { what, limit } => {
                write!(f, "{what} exceeds the size limit of {limit} bytes")
            }
        }
    }
}

impl std::error::Error for ErrorKind {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ErrorKind::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Collects problems and turns them into one error listing all of them.
#[derive(Default)]
pub(crate) struct Problems(Vec<Error>);

impl Problems {
    pub(crate) fn push(&mut self, kind: ErrorKind) {
        self.0.push(Error::new(kind));
    }

    pub(crate) fn finish(mut self) -> Result<(), Error> {
        match self.0.len() {
            0 => Ok(()),
            1 => Err(self.0.remove(0)),
            _ => Err(Error::new(ErrorKind::Many(self.0))),
        }
    }
}
