//! LLM providers and the resilience layers around them.
//!
//! Every provider implements [`deepsentinel_core::Provider`]: OpenAI and
//! OpenAI-compatible servers ([`OpenAiProvider`]), Anthropic
//! ([`AnthropicProvider`]) and the built-in [`EchoProvider`]. The HTTP
//! providers share one pooled [`HttpClient`]. The resilience layers
//! ([`Retry`], [`AttemptTimeout`], [`OverallTimeout`], [`CircuitBreaker`],
//! [`Fallback`], [`Balancer`], [`RateLimit`], [`ConcurrencyLimit`])
//! implement the same trait around an `Arc<dyn Provider>`, so they stack in
//! any order and each can be configured and tested alone; [`StackBuilder`]
//! assembles the standard order. `docs/providers.md` is the reference.
//!
//! ```
//! use std::sync::Arc;
//! use deepsentinel_core::{ChatRequest, Message, Provider};
//! use deepsentinel_providers::{EchoProvider, RetryConfig, RetryLayer, ProviderLayer};
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let retry = RetryLayer::new(RetryConfig::default()).expect("valid defaults");
//! let provider: Arc<dyn Provider> = retry.layer(Arc::new(EchoProvider::new()));
//! let reply = provider
//!     .complete(&ChatRequest::new("echo", vec![Message::user("hello")]))
//!     .await
//!     .expect("echo answers");
//! assert_eq!(reply.text(), "hello");
//! assert_eq!(reply.meta.attempts, 1);
//! # });
//! ```
#![deny(missing_docs)]

mod anthropic;
pub mod duration;
mod echo;
pub mod headers;
mod http;
mod layers;
mod openai;
pub mod sse;
#[cfg(any(test, feature = "test-util"))]
pub mod testing;
mod transport;
mod upstream;

pub use anthropic::{AnthropicConfig, AnthropicProvider};
pub use echo::EchoProvider;
pub use http::{HttpClient, NetworkConfig};
pub use layers::{
    AttemptTimeout, AttemptTimeoutConfig, AttemptTimeoutLayer, BalanceConfig, Balancer, Batch,
    BatchItem, BreakerConfig, BreakerHandle, BreakerLayer, BreakerState, BudgetConfig,
    CircuitBreaker, ConcurrencyConfig, ConcurrencyLayer, ConcurrencyLimit, Endpoint, EndpointStats,
    Fallback, FallbackLayer, FallbackTarget, LayerConfigError, OverallTimeout,
    OverallTimeoutConfig, OverallTimeoutLayer, Priority, ProviderLayer, RateLimit, RateLimitConfig,
    RateLimitLayer, RateLimitMode, Retry, RetryBudget, RetryConfig, RetryLayer, Stack,
    StackBuilder, Strategy, TokioClock, apply,
};
pub use openai::{OpenAiConfig, OpenAiProvider};
pub use upstream::AuthStyle;
