//! The `server` section of the configuration file.

use std::net::SocketAddr;
use std::time::Duration;

use deepsentinel_core::{ConfigProblem, Error};
use serde::Deserialize;

/// The gateway's settings (the `server` section; every field optional).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Where to listen. Default `127.0.0.1:8080`.
    pub listen: SocketAddr,
    /// Gateway API keys; none means no authentication, which is allowed
    /// only on a loopback address unless `allow_public` is set.
    pub keys: Vec<KeyConfig>,
    /// Listen on a non-loopback address without keys. Default `false`.
    pub allow_public: bool,
    /// Largest request body in bytes (413 above). Default 4 MiB.
    pub max_body_bytes: usize,
    /// Deadline for a whole non-streaming request (504 after). Default 120 s.
    #[serde(deserialize_with = "deepsentinel::providers::duration::deserialize")]
    pub request_timeout: Duration,
    /// Requests served at once; more are shed with 503 and `Retry-After`.
    /// Default 512.
    pub max_concurrency: usize,
    /// How long in-flight requests and streams may finish after
    /// SIGTERM/SIGINT. Default 30 s.
    #[serde(deserialize_with = "deepsentinel::providers::duration::deserialize")]
    pub shutdown_grace: Duration,
    /// Deadline for a client to send its request headers (slow clients
    /// are cut off). Default 10 s.
    #[serde(deserialize_with = "deepsentinel::providers::duration::deserialize")]
    pub header_timeout: Duration,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            keys: Vec::new(),
            allow_public: false,
            max_body_bytes: 4 << 20,
            request_timeout: Duration::from_secs(120),
            max_concurrency: 512,
            shutdown_grace: Duration::from_secs(30),
            header_timeout: Duration::from_secs(10),
        }
    }
}

/// One gateway API key. The key itself is never stored: only its SHA-256.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyConfig {
    /// A name for logs and metrics (never the key).
    pub id: String,
    /// The key's SHA-256, 64 hex digits (`printf %s "$KEY" | sha256sum`).
    pub sha256: String,
    /// The policy (preset or file) for requests with this key; default: the
    /// gateway's.
    #[serde(default)]
    pub policy: Option<String>,
    /// Models this key may use; empty = all.
    #[serde(default)]
    pub models: Vec<String>,
    /// Requests per minute for this key; none = unlimited.
    #[serde(default)]
    pub requests_per_minute: Option<u32>,
}

impl ServerConfig {
    /// Reads the `server` section (absent: defaults).
    ///
    /// # Errors
    /// [`Error::Config`] naming `server` and the offending field.
    pub fn from_value(v: Option<&serde_json::Value>) -> Result<ServerConfig, Error> {
        let config = match v {
            None => ServerConfig::default(),
            Some(v) => serde_json::from_value(v.clone()).map_err(|e| Error::Config {
                problems: vec![ConfigProblem::new("server", e.to_string())],
            })?,
        };
        config.validate()?;
        Ok(config)
    }

    /// Every problem: zero limits, malformed key hashes, duplicate ids, and
    /// no keys on a public address without `allow_public`.
    ///
    /// # Errors
    /// [`Error::Config`] listing them.
    pub fn validate(&self) -> Result<(), Error> {
        let mut p = Vec::new();
        if self.max_body_bytes == 0 {
            p.push(ConfigProblem::new(
                "server.max_body_bytes",
                "must be greater than zero",
            ));
        }
        if self.max_concurrency == 0 {
            p.push(ConfigProblem::new(
                "server.max_concurrency",
                "must be greater than zero",
            ));
        }
        for (name, d) in [
            ("request_timeout", self.request_timeout),
            ("header_timeout", self.header_timeout),
        ] {
            if d.is_zero() {
                p.push(ConfigProblem::new(
                    format!("server.{name}"),
                    "must be greater than zero",
                ));
            }
        }
        for (i, k) in self.keys.iter().enumerate() {
            if k.id.trim().is_empty() {
                p.push(ConfigProblem::new(
                    format!("server.keys[{i}].id"),
                    "must not be empty",
                ));
            }
            if k.sha256.len() != 64 || !k.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                p.push(ConfigProblem::new(
                    format!("server.keys[{i}].sha256"),
                    "must be 64 hex digits (the SHA-256 of the key, never the key itself)",
                ));
            }
            if self.keys[..i].iter().any(|o| o.id == k.id) {
                p.push(ConfigProblem::new(
                    format!("server.keys[{i}].id"),
                    format!("`{}` is used twice", k.id),
                ));
            }
            if k.requests_per_minute == Some(0) {
                p.push(ConfigProblem::new(
                    format!("server.keys[{i}].requests_per_minute"),
                    "must be greater than zero",
                ));
            }
        }
        if self.keys.is_empty() && !self.listen.ip().is_loopback() && !self.allow_public {
            p.push(ConfigProblem::new(
                "server.listen",
                format!(
                    "{} is not a loopback address and no gateway keys are configured; add server.keys or set server.allow_public",
                    self.listen
                ),
            ));
        }
        if p.is_empty() {
            Ok(())
        } else {
            Err(Error::Config { problems: p })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn durations_use_the_configuration_format() {
        let c = ServerConfig::from_value(Some(&json!({
            "request_timeout": "90s",
            "shutdown_grace": "2m",
            "header_timeout": "250ms",
        })))
        .expect("valid");
        assert_eq!(c.request_timeout, Duration::from_secs(90));
        assert_eq!(c.shutdown_grace, Duration::from_secs(120));
        assert_eq!(c.header_timeout, Duration::from_millis(250));
        // Bare numbers and fractions leave the unit to guess, as everywhere
        // else in the configuration.
        for bad in [json!(30), json!("1.5s"), json!("10"), json!("5 parsecs")] {
            let Err(Error::Config { problems }) =
                ServerConfig::from_value(Some(&json!({ "request_timeout": bad })))
            else {
                panic!("{bad} accepted")
            };
            assert_eq!(problems[0].path, "server", "{bad}");
        }
    }
}
