//! Resilience layers: each wraps an `Arc<dyn Provider>` and is itself a
//! [`Provider`], so layers stack in any order and each one can be
//! configured and tested alone.
//!
//! Every layer has a plain-data `*Config` with documented defaults and a
//! validated form (`*Layer`, or the provider type itself) made by
//! `try_new`/`new`, which returns a typed [`LayerConfigError`] naming the
//! offending field. The validated layers implement [`ProviderLayer`].

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
}
