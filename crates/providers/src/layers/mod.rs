//! Resilience layers: each wraps an `Arc<dyn Provider>` and is itself a
//! [`Provider`], so layers stack in any order and each one can be
//! configured and tested alone.
//!
//! Every layer has a plain-data `*Config` with documented defaults and a
//! validated form (`*Layer`, or the provider type itself) made by
//! `try_new`/`new`, which returns a typed [`LayerConfigError`] naming the
//! offending field. The validated layers implement [`ProviderLayer`].
//!
//! Configurations also deserialize (serde, kebab-case names, unknown
//! fields refused, every field defaulted), with durations written as
//! `"250ms"`, `"10s"`, `"5m"` or `"1h"`.

mod balance;
mod batch;
mod breaker;
mod concurrency;
mod error;
mod fallback;
mod rate_limit;
mod retry;
mod stack;
mod stream;
mod timeout;
mod window;

use std::sync::Arc;

use deepsentinel_core::Provider;

pub use balance::{BalanceConfig, Balancer, Endpoint, EndpointStats, Strategy};
pub use batch::{Batch, BatchItem, Priority};
pub use breaker::{BreakerConfig, BreakerHandle, BreakerLayer, BreakerState, CircuitBreaker};
pub use concurrency::{ConcurrencyConfig, ConcurrencyLayer, ConcurrencyLimit};
pub use error::LayerConfigError;
pub use fallback::{Fallback, FallbackLayer, FallbackTarget};
pub use rate_limit::{RateLimit, RateLimitConfig, RateLimitLayer, RateLimitMode, TokioClock};
pub use retry::{BudgetConfig, Retry, RetryBudget, RetryConfig, RetryLayer};
pub use stack::{Stack, StackBuilder};
pub use timeout::{
    AttemptTimeout, AttemptTimeoutConfig, AttemptTimeoutLayer, OverallTimeout,
    OverallTimeoutConfig, OverallTimeoutLayer,
};

/// Something that wraps a provider in another provider: a validated layer
/// configuration.
///
/// `layer` is cheap and may be called many times; each call makes an
/// independent wrapper (its own breaker state, budget, limiter, …).
pub trait ProviderLayer: Send + Sync {
    /// Wraps `inner`.
    fn layer(&self, inner: Arc<dyn Provider>) -> Arc<dyn Provider>;
}

/// Applies `layers` to `inner`, the first layer innermost:
/// `apply(p, &[&a, &b])` is `b(a(p))`.
pub fn apply(inner: Arc<dyn Provider>, layers: &[&dyn ProviderLayer]) -> Arc<dyn Provider> {
    layers.iter().fold(inner, |p, l| l.layer(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Losing object safety must break the build, not a user.
    #[allow(dead_code)]
    fn object_safe(_: Box<dyn ProviderLayer>) {}

    fn round_trips<T>(value: &T)
    where
        T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let json = serde_json::to_string(value).expect("serializes");
        let back: T = serde_json::from_str(&json).expect("parses its own output");
        assert_eq!(&back, value, "{json}");
    }

    #[test]
    fn configs_read_kebab_case_with_human_durations() {
        let r: RetryConfig = serde_json::from_str(
            r#"{"max-attempts": 5, "base-backoff": "100ms", "max-retry-after": "1m", "budget": null}"#,
        )
        .expect("valid");
        assert_eq!(
            r,
            RetryConfig {
                max_attempts: 5,
                base_backoff: std::time::Duration::from_millis(100),
                max_retry_after: std::time::Duration::from_secs(60),
                budget: None,
                ..RetryConfig::default()
            }
        );
        let l: RateLimitConfig = serde_json::from_str(
            r#"{"requests-per-minute": 500, "mode": {"kind": "wait", "max-wait": "2s"}}"#,
        )
        .expect("valid");
        assert_eq!(
            l.mode,
            RateLimitMode::Wait {
                max_wait: std::time::Duration::from_secs(2)
            }
        );
        let t: AttemptTimeoutConfig =
            serde_json::from_str(r#"{"idle": "5s", "attempt": null}"#).expect("valid");
        assert_eq!(t.idle, Some(std::time::Duration::from_secs(5)));
        assert_eq!(t.attempt, None);
        assert_eq!(t.first_chunk, AttemptTimeoutConfig::default().first_chunk);
        let b: BalanceConfig =
            serde_json::from_str(r#"{"strategy": "lowest-latency"}"#).expect("valid");
        assert_eq!(b.strategy, Strategy::LowestLatency);

        for bad in [
            r#"{"max-atempts": 5}"#,
            r#"{"base-backoff": 100}"#,
            r#"{"base-backoff": "100"}"#,
        ] {
            assert!(serde_json::from_str::<RetryConfig>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn default_configs_round_trip() {
        round_trips(&RetryConfig::default());
        round_trips(&BudgetConfig::default());
        round_trips(&AttemptTimeoutConfig::default());
        round_trips(&OverallTimeoutConfig::default());
        round_trips(&BreakerConfig::default());
        round_trips(&BalanceConfig::default());
        round_trips(&ConcurrencyConfig::default());
        round_trips(&RateLimitConfig::default());
        round_trips(&FallbackTarget::model("claude-sonnet-4-5").map("gpt-4o", "claude-opus-4-1"));
        round_trips(&Priority::Critical);
    }
}
