//! Logging from [`LoggingConfig`](crate::LoggingConfig): a `tracing`
//! subscriber writing to standard error or a file, filtered by the
//! configured level or directives.
//!
//! Libraries do not install subscribers on their own; an application calls
//! [`init_logging`] once at start-up (the gateway and the CLI do), or
//! installs its own subscriber and ignores this module. DeepSentinel's log
//! records carry decisions, counts, rule names and ids, never values.

use std::sync::Mutex;

use deepsentinel_core::{ConfigProblem, Error};
use tracing_subscriber::EnvFilter;

use crate::config::LoggingConfig;

fn problem(path: &str, message: String) -> Error {
    Error::Config {
        problems: vec![ConfigProblem::new(path, message)],
    }
}

/// A subscriber for `config`, not installed (for tests, or for
/// `tracing::subscriber::with_default`).
///
/// # Errors
/// [`Error::Config`] if the level does not parse or the file cannot be
/// opened for appending.
pub fn logging_subscriber(
    config: &LoggingConfig,
) -> Result<Box<dyn tracing::Subscriber + Send + Sync>, Error> {
    let filter = EnvFilter::try_new(&config.level).map_err(|_| {
        problem(
            "logging.level",
            format!("`{}` is not a level or filter directive", config.level),
        )
    })?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(true);
    Ok(match &config.file {
        Some(path) => {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| {
                    problem(
                        "logging.file",
                        format!("cannot open {}: {e}", path.display()),
                    )
                })?;
            Box::new(
                builder
                    .with_ansi(false)
                    .with_writer(Mutex::new(file))
                    .finish(),
            )
        }
        None => Box::new(builder.with_writer(std::io::stderr).finish()),
    })
}

/// Installs [`logging_subscriber`] as the global subscriber.
///
/// # Errors
/// As [`logging_subscriber`], or [`Error::Config`] if a global subscriber
/// is already installed.
pub fn init_logging(config: &LoggingConfig) -> Result<(), Error> {
    let subscriber = logging_subscriber(config)?;
    tracing::subscriber::set_global_default(subscriber)
        .map_err(|_| problem("logging", "a global logger is already installed".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_go_to_the_configured_file_at_the_configured_level() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sentinel.log");
        let config = LoggingConfig {
            level: "warn".into(),
            file: Some(path.clone()),
        };
        let sub = logging_subscriber(&config).expect("valid");
        tracing::subscriber::with_default(sub, || {
            tracing::info!("quiet detail");
            tracing::warn!(rule = "user=ops", "compliance bypassed by rule");
        });
        let text = std::fs::read_to_string(&path).expect("log written");
        assert!(
            text.contains("compliance bypassed by rule") && text.contains("user=ops"),
            "{text}"
        );
        assert!(!text.contains("quiet detail"), "info is below warn: {text}");
    }

    #[test]
    fn bad_settings_are_config_errors() {
        let bad = LoggingConfig {
            level: "loud[".into(),
            file: None,
        };
        assert!(matches!(
            logging_subscriber(&bad),
            Err(Error::Config { .. })
        ));
        let unopenable = LoggingConfig {
            level: "info".into(),
            file: Some("/nonexistent-dir/x.log".into()),
        };
        let Err(Error::Config { problems }) = logging_subscriber(&unopenable) else {
            panic!("unopenable file accepted")
        };
        assert_eq!(problems[0].path, "logging.file");
    }
}
