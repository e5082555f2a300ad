//! LLM providers and the resilience layers around them.
//!
//! Every provider implements [`deepsentinel_core::Provider`]: OpenAI,
//! Anthropic, any OpenAI-compatible server, and the built-in echo provider.
//! The resilience layers implement the same trait around an
//! `Arc<dyn Provider>`, so they stack in any order and each can be
//! configured and tested alone.
#![deny(missing_docs)]

mod layers;
#[cfg(any(test, feature = "test-util"))]
pub mod testing;

pub use layers::{
    AttemptTimeout, AttemptTimeoutConfig, AttemptTimeoutLayer, BalanceConfig, Balancer, Batch,
    BatchItem, BreakerConfig, BreakerHandle, BreakerLayer, BreakerState, BudgetConfig,
    CircuitBreaker, ConcurrencyConfig, ConcurrencyLayer, ConcurrencyLimit, Endpoint, EndpointStats,
    Fallback, FallbackLayer, FallbackTarget, LayerConfigError, OverallTimeout,
    OverallTimeoutConfig, OverallTimeoutLayer, Priority, ProviderLayer, RateLimit, RateLimitConfig,
    RateLimitLayer, RateLimitMode, Retry, RetryBudget, RetryConfig, RetryLayer, Stack,
    StackBuilder, Strategy, TokioClock, apply,
};
