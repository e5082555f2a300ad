use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use thiserror::Error;

/// Why a [`Span`](crate::Span) could not be made.
///
/// Offsets are reported; the text itself never is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SpanError {
    /// `start` was greater than `end`.
    #[error("span start {start} is after its end {end}")]
    Reversed {
        /// The offending start offset.
        start: usize,
        /// The offending end offset.
        end: usize,
    },
    /// `end` lies beyond the end of the text.
    #[error("span end {end} is beyond the text length {len}")]
    OutOfBounds {
        /// The offending end offset.
        end: usize,
        /// The length of the text in bytes.
        len: usize,
    },
    /// An offset falls inside a multi-byte UTF-8 character.
    #[error("span offset {offset} is not on a UTF-8 character boundary")]
    NotCharBoundary {
        /// The offending offset.
        offset: usize,
    },
}

/// The one error taxonomy of DeepSentinel's request path.
///
/// Every variant is something a caller acts on: fix the request, fix the
/// configuration or key, wait and retry, or try another provider. Errors
/// carry identifiers (provider name, HTTP status, upstream error code,
/// parameter path, policy name) and never a key, a URL with credentials,
/// prompt text or an upstream's free-text message (which may quote the
/// prompt).
#[derive(Debug, Clone, Error)]
#[non_exhaustive]
pub enum Error {
    /// A compliance policy blocked the request (or the reply).
    #[error("{}", compliance_message(.policy, .violations, *.risk_score))]
    ComplianceViolation {
        /// The policy (or policies, comma-separated) that blocked.
        policy: String,
        /// What was violated; never the values.
        violations: Vec<crate::Violation>,
        /// The request's risk score in `[0, 1]`.
        risk_score: f32,
    },
    /// The provider rejected the credentials (HTTP 401 or 403).
    #[error("{provider} rejected the credentials{}: check the API key and its permissions", status_suffix(*.status))]
    Authentication {
        /// The provider's configured name.
        provider: String,
        /// The HTTP status.
        status: Option<u16>,
    },
    /// Too many requests: the upstream answered 429, or a client-side limit
    /// was reached.
    #[error("{}", rate_limit_message(.provider, *.retry_after, *.origin))]
    RateLimit {
        /// The provider's configured name.
        provider: String,
        /// When to try again, if known.
        retry_after: Option<Duration>,
        /// Whose limit it was.
        origin: RateLimitOrigin,
    },
    /// The provider failed: a 5xx, an unexpected status, an open circuit
    /// breaker, or a response that could not be understood.
    #[error("{}", provider_message(.provider, *.status, .code.as_deref(), *.retryable))]
    Provider {
        /// The provider's configured name.
        provider: String,
        /// The HTTP status, when there was a response.
        status: Option<u16>,
        /// Whether the same request may succeed if sent again.
        retryable: bool,
        /// A `Retry-After` the upstream sent with the failure.
        retry_after: Option<Duration>,
        /// The upstream's error type or code, or ours (`circuit_open`,
        /// `malformed_response`, `stream_error`, `no_endpoint`).
        code: Option<String>,
    },
    /// The connection failed or broke.
    #[error("network error talking to {provider}: {kind}")]
    Network {
        /// The provider's configured name.
        provider: String,
        /// What went wrong.
        kind: NetworkErrorKind,
        /// The underlying error (URLs stripped).
        #[source]
        source: Option<Arc<dyn std::error::Error + Send + Sync>>,
    },
    /// Something took too long.
    #[error("{provider} did not answer within {} ({phase})", fmt_duration(*.after))]
    Timeout {
        /// The provider's configured name.
        provider: String,
        /// Which deadline.
        phase: TimeoutPhase,
        /// The deadline that passed.
        after: Duration,
    },
    /// The request cannot succeed as written; do not retry it or send it
    /// elsewhere.
    #[error("invalid request{}: {reason}{}", provider_prefix(.provider.as_deref()), param_suffix(.param.as_deref()))]
    InvalidRequest {
        /// The provider that refused it, if it came from one.
        provider: Option<String>,
        /// What is wrong (ours, or the upstream's error code and status).
        reason: String,
        /// The offending parameter path, when known.
        param: Option<String>,
    },
    /// A spending budget for the period is used up; nothing was sent.
    #[error("the {period} budget of {limit_usd:.2} USD{} is used up ({spent_usd:.2} USD spent)", scope_suffix(.scope.as_deref()))]
    BudgetExceeded {
        /// `hour`, `day`, `month` or `total`.
        period: String,
        /// What the budget covers (a provider or model), or `None` for all spending.
        scope: Option<String>,
        /// The budget.
        limit_usd: f64,
        /// What was spent in the current period.
        spent_usd: f64,
    },
    /// The configuration is invalid; every problem is listed.
    #[error("invalid configuration:{}", problems_list(.problems))]
    Config {
        /// Every problem found.
        problems: Vec<ConfigProblem>,
    },
}

/// Whose rate limit a [`Error::RateLimit`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RateLimitOrigin {
    /// The upstream answered 429.
    Upstream,
    /// DeepSentinel's client-side limiter refused to send.
    Local,
}

/// What kind of network failure an [`Error::Network`] was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NetworkErrorKind {
    /// The connection could not be made (refused, DNS, TLS).
    Connect,
    /// The connection was reset or closed before a response.
    Reset,
    /// The response body broke off (a stream cut mid-event).
    Body,
    /// Any other transport failure.
    Other,
}

impl fmt::Display for NetworkErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NetworkErrorKind::Connect => "could not connect",
            NetworkErrorKind::Reset => "connection closed before a response",
            NetworkErrorKind::Body => "response body broke off",
            NetworkErrorKind::Other => "transport failure",
        })
    }
}

/// Which deadline an [`Error::Timeout`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutPhase {
    /// Connecting.
    Connect,
    /// Waiting for the first byte (or first stream event).
    FirstByte,
    /// Waiting between stream events.
    Idle,
    /// One attempt as a whole.
    Attempt,
    /// The whole call, retries included. Not retryable.
    Overall,
}

impl fmt::Display for TimeoutPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutPhase::Connect => "connect",
            TimeoutPhase::FirstByte => "first byte",
            TimeoutPhase::Idle => "idle between stream events",
            TimeoutPhase::Attempt => "per attempt",
            TimeoutPhase::Overall => "overall, retries included",
        })
    }
}

/// One problem in a configuration: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// The setting's path, e.g. `providers.openai.timeout`.
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

impl ConfigProblem {
    /// A problem at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> ConfigProblem {
        ConfigProblem {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl Error {
    /// Whether sending the same request again may succeed: connect errors,
    /// resets, broken bodies, per-attempt timeouts, upstream 408, 409, 429
    /// and 5xx except 501. Never compliance, authentication, invalid
    /// requests, configuration, the overall deadline or a local rate limit
    /// in fail-fast mode.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimit { origin, .. } => *origin == RateLimitOrigin::Upstream,
            Error::Provider { retryable, .. } => *retryable,
            Error::Network { .. } => true,
            Error::Timeout { phase, .. } => *phase != TimeoutPhase::Overall,
            _ => false,
        }
    }

    /// Whether another provider may be tried: every error except
    /// compliance, authentication, invalid-request, budget and configuration errors,
    /// which would fail (or must not be sent) anywhere.
    pub fn allows_fallback(&self) -> bool {
        !matches!(
            self,
            Error::ComplianceViolation { .. }
                | Error::Authentication { .. }
                | Error::InvalidRequest { .. }
                | Error::Config { .. }
                | Error::BudgetExceeded { .. }
        )
    }

    /// Whether the failure says something about the endpoint's health
    /// (what a circuit breaker counts): network errors, timeouts and 5xx.
    pub fn is_endpoint_failure(&self) -> bool {
        match self {
            Error::Network { .. } | Error::Timeout { .. } => true,
            Error::Provider { status, code, .. } => {
                status.is_some_and(|s| s >= 500) || code.as_deref() == Some("malformed_response")
            }
            _ => false,
        }
    }

    /// The wait the upstream asked for, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimit { retry_after, .. } | Error::Provider { retry_after, .. } => {
                *retry_after
            }
            _ => None,
        }
    }

    /// The provider the error came from, if any.
    pub fn provider(&self) -> Option<&str> {
        match self {
            Error::Authentication { provider, .. }
            | Error::RateLimit { provider, .. }
            | Error::Provider { provider, .. }
            | Error::Network { provider, .. }
            | Error::Timeout { provider, .. } => Some(provider),
            Error::InvalidRequest { provider, .. } => provider.as_deref(),
            _ => None,
        }
    }

    /// A low-cardinality label for metrics.
    pub fn label(&self) -> &'static str {
        match self {
            Error::ComplianceViolation { .. } => "compliance_violation",
            Error::Authentication { .. } => "authentication",
            Error::RateLimit { .. } => "rate_limit",
            Error::Provider { .. } => "provider",
            Error::Network { .. } => "network",
            Error::Timeout { .. } => "timeout",
            Error::InvalidRequest { .. } => "invalid_request",
            Error::Config { .. } => "config",
            Error::BudgetExceeded { .. } => "budget_exceeded",
        }
    }

    /// An invalid-request error of our own making.
    pub fn invalid_request(reason: impl Into<String>) -> Error {
        Error::InvalidRequest {
            provider: None,
            reason: reason.into(),
            param: None,
        }
    }
}

fn compliance_message(policy: &str, violations: &[crate::Violation], risk: f32) -> String {
    let mut s = format!(
        "blocked by compliance policy `{policy}` (risk score {risk:.2}): {} violation(s)",
        violations.len()
    );
    for v in violations {
        s.push_str("; ");
        s.push_str(&v.to_string());
    }
    s
}

fn scope_suffix(scope: Option<&str>) -> String {
    scope.map(|s| format!(" for {s}")).unwrap_or_default()
}

fn status_suffix(status: Option<u16>) -> String {
    status.map(|s| format!(" (HTTP {s})")).unwrap_or_default()
}

fn rate_limit_message(provider: &str, after: Option<Duration>, origin: RateLimitOrigin) -> String {
    let wait = after
        .map(|d| format!("; retry after {}", fmt_duration(d)))
        .unwrap_or_default();
    match origin {
        RateLimitOrigin::Upstream => {
            format!("{provider} is rate limiting requests (HTTP 429){wait}")
        }
        RateLimitOrigin::Local => {
            format!("the client-side rate limit for {provider} is exhausted{wait}")
        }
    }
}

fn provider_message(
    provider: &str,
    status: Option<u16>,
    code: Option<&str>,
    retryable: bool,
) -> String {
    let mut s = match (code, status) {
        (Some("circuit_open"), _) => format!("circuit breaker for {provider} is open"),
        (Some("no_endpoint"), _) => format!("no healthy endpoint for {provider}"),
        (Some("malformed_response"), _) => {
            format!("{provider} sent a response that could not be parsed")
        }
        (_, Some(st)) => format!("{provider} failed with HTTP {st}"),
        (_, None) => format!("{provider} failed"),
    };
    if let Some(c) = code {
        if !matches!(c, "circuit_open" | "no_endpoint" | "malformed_response") {
            s.push_str(&format!(" ({c})"));
        }
    }
    s.push_str(if retryable {
        "; retryable"
    } else {
        "; not retryable"
    });
    s
}

fn provider_prefix(provider: Option<&str>) -> String {
    provider
        .map(|p| format!(" (refused by {p})"))
        .unwrap_or_default()
}

fn param_suffix(param: Option<&str>) -> String {
    param.map(|p| format!(" [param {p}]")).unwrap_or_default()
}

fn problems_list(problems: &[ConfigProblem]) -> String {
    problems.iter().map(|p| format!("\n  - {p}")).collect()
}

fn fmt_duration(d: Duration) -> String {
    if d.as_millis() < 1000 {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<Error> {
        vec![
            Error::ComplianceViolation {
                policy: "production".into(),
                violations: vec![],
                risk_score: 0.9,
            },
            Error::Authentication {
                provider: "openai".into(),
                status: Some(401),
            },
            Error::RateLimit {
                provider: "openai".into(),
                retry_after: Some(Duration::from_secs(2)),
                origin: RateLimitOrigin::Upstream,
            },
            Error::RateLimit {
                provider: "openai".into(),
                retry_after: None,
                origin: RateLimitOrigin::Local,
            },
            Error::Provider {
                provider: "openai".into(),
                status: Some(503),
                retryable: true,
                retry_after: None,
                code: None,
            },
            Error::Provider {
                provider: "openai".into(),
                status: Some(501),
                retryable: false,
                retry_after: None,
                code: None,
            },
            Error::Network {
                provider: "openai".into(),
                kind: NetworkErrorKind::Reset,
                source: None,
            },
            Error::Timeout {
                provider: "openai".into(),
                phase: TimeoutPhase::Attempt,
                after: Duration::from_secs(30),
            },
            Error::Timeout {
                provider: "openai".into(),
                phase: TimeoutPhase::Overall,
                after: Duration::from_secs(60),
            },
            Error::invalid_request("messages must not be empty"),
            Error::Config {
                problems: vec![ConfigProblem::new("network.timeout", "must be > 0")],
            },
        ]
    }

    #[test]
    fn retryability_and_fallback_follow_the_taxonomy() {
        let got: Vec<(bool, bool)> = all()
            .iter()
            .map(|e| (e.is_retryable(), e.allows_fallback()))
            .collect();
        assert_eq!(
            got,
            [
                (false, false),
                (false, false),
                (true, true),
                (false, true),
                (true, true),
                (false, true),
                (true, true),
                (true, true),
                (false, true),
                (false, false),
                (false, false),
            ]
        );
    }

    #[test]
    fn labels_are_low_cardinality_and_messages_actionable() {
        let labels: std::collections::BTreeSet<_> = all().iter().map(Error::label).collect();
        assert_eq!(labels.len(), 8);
        let budget = Error::BudgetExceeded {
            period: "day".into(),
            scope: None,
            limit_usd: 5.0,
            spent_usd: 5.01,
        };
        assert_eq!(budget.label(), "budget_exceeded");
        assert!(!budget.is_retryable() && !budget.allows_fallback());
        assert!(
            budget.to_string().contains("day budget of 5.00 USD"),
            "{budget}"
        );
        let msgs: Vec<String> = all().iter().map(ToString::to_string).collect();
        assert!(msgs[1].contains("check the API key"), "{}", msgs[1]);
        assert!(msgs[2].contains("retry after 2.0 s"), "{}", msgs[2]);
        assert!(
            msgs[10].contains("network.timeout: must be > 0"),
            "{}",
            msgs[10]
        );
    }
}
