//! The resilience layers, each alone and stacked, over `ScriptedProvider`.
#![expect(
    clippy::expect_used,
    reason = "fixture helpers outside #[test] functions fail loudly on invalid configs, as tests do"
)]

mod balance;
mod breaker;
mod concurrency;
mod fallback;
mod rate_limit;
mod retry;
mod stack;
mod timeout;

use std::time::Duration;

use deepsentinel_core::{ChatRequest, Error, Message, RateLimitOrigin, TimeoutPhase};

fn req(model: &str) -> ChatRequest {
    ChatRequest::new(model, vec![Message::user("hi")])
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn upstream_429(retry_after: Option<Duration>) -> Error {
    Error::RateLimit {
        provider: String::new(),
        retry_after,
        origin: RateLimitOrigin::Upstream,
    }
}

fn auth() -> Error {
    Error::Authentication {
        provider: String::new(),
        status: Some(401),
    }
}

fn compliance() -> Error {
    Error::ComplianceViolation {
        policy: "production".into(),
        violations: vec![],
        risk_score: 0.9,
    }
}

fn code(e: &Error) -> Option<&str> {
    match e {
        Error::Provider { code, .. } => code.as_deref(),
        _ => None,
    }
}

fn status(e: &Error) -> Option<u16> {
    match e {
        Error::Provider { status, .. } => *status,
        _ => None,
    }
}

fn timeout_phase(e: &Error) -> Option<TimeoutPhase> {
    match e {
        Error::Timeout { phase, .. } => Some(*phase),
        _ => None,
    }
}

/// Every item of a stream: texts, and the errors as labels.
async fn drain(s: deepsentinel_core::ChatStream) -> Vec<Result<String, Error>> {
    use futures_util::StreamExt;
    s.map(|item| item.map(|c| c.text())).collect().await
}
