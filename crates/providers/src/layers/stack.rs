//! The standard stack, assembled in one place.

use std::sync::Arc;

use async_trait::async_trait;
use deepsentinel_core::chat::{EmbeddingRequest, EmbeddingResponse, ModelList};
use deepsentinel_core::{ChatRequest, ChatResponse, ChatStream, Error, Provider};

use super::ProviderLayer;
use super::balance::{BalanceConfig, Balancer, Endpoint, EndpointStats};
use super::breaker::{BreakerConfig, BreakerHandle, BreakerLayer};
use super::concurrency::{ConcurrencyConfig, ConcurrencyLayer};
use super::error::LayerConfigError;
use super::fallback::{FallbackLayer, FallbackTarget};
use super::rate_limit::{RateLimitConfig, RateLimitLayer};
use super::retry::{RetryConfig, RetryLayer};
use super::timeout::{
    AttemptTimeoutConfig, AttemptTimeoutLayer, OverallTimeoutConfig, OverallTimeoutLayer,
};

/// Builds the standard stack for one provider with one or more endpoints.
/// From the outside in:
///
/// ```text
/// fallback[ overall-timeout( retry( rate-limit( concurrency(
///     balancer[ breaker( attempt-timeout( endpoint )) … ] )))) , fallbacks… ]
/// ```
///
/// Why this order: the overall deadline bounds everything the caller
/// waits for, retries included; each retry passes the rate limit and the
/// concurrency bound again, because it is real load; the balancer picks an
/// endpoint per attempt, so a retry can land on another key or region;
/// each endpoint has its own breaker, which the balancer reads to skip
/// open ones; and the breaker counts attempt timeouts as failures. The
/// fallbacks are whole providers (typically other built stacks) tried when
/// this one fails with an error that allows fallback.
///
/// Every layer but the balancer is optional; `new` turns on the attempt
/// timeout, breaker, concurrency bound, retry and overall timeout with
/// their defaults, and leaves rate limits off.
///
/// ```
/// # #[cfg(feature = "test-util")]
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use deepsentinel_core::{ChatRequest, Message, Provider};
/// use deepsentinel_providers::testing::{Outcome, ScriptedProvider};
/// use deepsentinel_providers::{FallbackTarget, RateLimitConfig, StackBuilder};
///
/// let key1 = ScriptedProvider::new("openai-key-1").otherwise(Outcome::status(503));
/// let key2 = ScriptedProvider::new("openai-key-2").otherwise(Outcome::reply("hi"));
/// let claude = ScriptedProvider::new("anthropic").otherwise(Outcome::reply("hello"));
/// let stack = StackBuilder::new("openai")
///     .endpoint(key1.arc())
///     .endpoint(key2.arc())
///     .rate_limit(Some(RateLimitConfig {
///         requests_per_minute: Some(500),
///         ..RateLimitConfig::default()
///     }))
///     .fallback(claude.arc(), FallbackTarget::model("claude-sonnet-4-5"))
///     .build()?;
///
/// let rt = tokio::runtime::Builder::new_current_thread().enable_time().build()?;
/// let req = ChatRequest::new("gpt-4o", vec![Message::user("Hi")]);
/// let reply = rt.block_on(stack.complete(&req))?;
/// // Key 1 answered 503; the retry went to key 2.
/// assert_eq!(reply.meta.provider, "openai-key-2");
/// assert_eq!(reply.meta.attempts, 2);
/// assert_eq!(stack.stats()[0].errors, 1);
/// # Ok(())
/// # }
/// # #[cfg(not(feature = "test-util"))]
/// # fn main() {}
/// ```
#[derive(Clone)]
pub struct StackBuilder {
    name: String,
    endpoints: Vec<(Arc<dyn Provider>, u32)>,
    attempt_timeout: Option<AttemptTimeoutConfig>,
    breaker: Option<BreakerConfig>,
    balance: BalanceConfig,
    concurrency: Option<ConcurrencyConfig>,
    rate_limit: Option<RateLimitConfig>,
    retry: Option<RetryConfig>,
    overall_timeout: Option<OverallTimeoutConfig>,
    fallback: FallbackLayer,
}

impl std::fmt::Debug for StackBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StackBuilder")
            .field("name", &self.name)
            .field("endpoints", &self.endpoints.len())
            .field("attempt_timeout", &self.attempt_timeout)
            .field("breaker", &self.breaker)
            .field("balance", &self.balance)
            .field("concurrency", &self.concurrency)
            .field("rate_limit", &self.rate_limit)
            .field("retry", &self.retry)
            .field("overall_timeout", &self.overall_timeout)
            .field("fallback", &self.fallback)
            .finish()
    }
}

impl StackBuilder {
    /// A builder for the provider called `name` (the balancer's name).
    pub fn new(name: impl Into<String>) -> StackBuilder {
        StackBuilder {
            name: name.into(),
            endpoints: Vec::new(),
            attempt_timeout: Some(AttemptTimeoutConfig::default()),
            breaker: Some(BreakerConfig::default()),
            balance: BalanceConfig::default(),
            concurrency: Some(ConcurrencyConfig::default()),
            rate_limit: None,
            retry: Some(RetryConfig::default()),
            overall_timeout: Some(OverallTimeoutConfig::default()),
            fallback: FallbackLayer::new(),
        }
    }

    /// Adds an endpoint of weight 1.
    pub fn endpoint(&mut self, provider: Arc<dyn Provider>) -> &mut StackBuilder {
        self.endpoints.push((provider, 1));
        self
    }

    /// Adds an endpoint with a weight (for weighted random balancing).
    pub fn weighted_endpoint(
        &mut self,
        provider: Arc<dyn Provider>,
        weight: u32,
    ) -> &mut StackBuilder {
        self.endpoints.push((provider, weight));
        self
    }

    /// The per-attempt timeouts; `None` turns them off.
    pub fn attempt_timeout(&mut self, c: Option<AttemptTimeoutConfig>) -> &mut StackBuilder {
        self.attempt_timeout = c;
        self
    }

    /// The per-endpoint breakers; `None` turns them off.
    pub fn breaker(&mut self, c: Option<BreakerConfig>) -> &mut StackBuilder {
        self.breaker = c;
        self
    }

    /// The balancing strategy.
    pub fn balance(&mut self, c: BalanceConfig) -> &mut StackBuilder {
        self.balance = c;
        self
    }

    /// The concurrency bound; `None` turns it off.
    pub fn concurrency(&mut self, c: Option<ConcurrencyConfig>) -> &mut StackBuilder {
        self.concurrency = c;
        self
    }

    /// The client-side rate limits; `None` (the default) turns them off.
    pub fn rate_limit(&mut self, c: Option<RateLimitConfig>) -> &mut StackBuilder {
        self.rate_limit = c;
        self
    }

    /// Retries; `None` turns them off.
    pub fn retry(&mut self, c: Option<RetryConfig>) -> &mut StackBuilder {
        self.retry = c;
        self
    }

    /// The overall deadline; `None` turns it off.
    pub fn overall_timeout(&mut self, c: Option<OverallTimeoutConfig>) -> &mut StackBuilder {
        self.overall_timeout = c;
        self
    }

    /// Adds a fallback provider, asked for the model `target` maps to.
    pub fn fallback(
        &mut self,
        provider: Arc<dyn Provider>,
        target: FallbackTarget,
    ) -> &mut StackBuilder {
        self.fallback = std::mem::take(&mut self.fallback).then(provider, target);
        self
    }

    /// Validates every configuration and assembles the stack.
    pub fn build(&self) -> Result<Stack, LayerConfigError> {
        let attempt = self
            .attempt_timeout
            .clone()
            .map(AttemptTimeoutLayer::new)
            .transpose()?;
        let breaker = self.breaker.clone().map(BreakerLayer::new).transpose()?;
        let concurrency = self
            .concurrency
            .clone()
            .map(ConcurrencyLayer::new)
            .transpose()?;
        let rate_limit = self
            .rate_limit
            .clone()
            .map(RateLimitLayer::new)
            .transpose()?;
        let retry = self.retry.clone().map(RetryLayer::new).transpose()?;
        let overall = self
            .overall_timeout
            .clone()
            .map(OverallTimeoutLayer::new)
            .transpose()?;

        let mut breakers = Vec::new();
        let mut endpoints = Vec::with_capacity(self.endpoints.len());
        for (provider, weight) in &self.endpoints {
            let mut p = Arc::clone(provider);
            if let Some(l) = &attempt {
                p = l.layer(p);
            }
            let mut handle = None;
            if let Some(l) = &breaker {
                let b = l.wrap(p);
                handle = Some(b.handle());
                breakers.push(b.handle());
                p = Arc::new(b);
            }
            endpoints.push(Endpoint {
                provider: p,
                weight: *weight,
                breaker: handle,
            });
        }
        let balancer = Arc::new(Balancer::new(self.name.clone(), endpoints, &self.balance)?);
        let mut p: Arc<dyn Provider> = Arc::clone(&balancer) as Arc<dyn Provider>;
        let outer: [Option<&dyn ProviderLayer>; 5] = [
            concurrency.as_ref().map(|l| l as &dyn ProviderLayer),
            rate_limit.as_ref().map(|l| l as &dyn ProviderLayer),
            retry.as_ref().map(|l| l as &dyn ProviderLayer),
            overall.as_ref().map(|l| l as &dyn ProviderLayer),
            Some(&self.fallback as &dyn ProviderLayer),
        ];
        for l in outer.into_iter().flatten() {
            p = l.layer(p);
        }
        Ok(Stack {
            provider: p,
            balancer,
            breakers,
        })
    }
}

/// A built stack: a [`Provider`], plus the handles to observe it.
#[derive(Clone)]
pub struct Stack {
    provider: Arc<dyn Provider>,
    balancer: Arc<Balancer>,
    breakers: Vec<BreakerHandle>,
}

impl std::fmt::Debug for Stack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stack")
            .field("balancer", &self.balancer)
            .finish_non_exhaustive()
    }
}

impl Stack {
    /// The stack as a provider.
    pub fn provider(&self) -> Arc<dyn Provider> {
        Arc::clone(&self.provider)
    }

    /// Per-endpoint counters.
    pub fn stats(&self) -> Vec<EndpointStats> {
        self.balancer.stats()
    }

    /// The endpoints' breakers, in endpoint order (empty when off).
    pub fn breakers(&self) -> &[BreakerHandle] {
        &self.breakers
    }
}

#[async_trait]
impl Provider for Stack {
    fn name(&self) -> &str {
        self.provider.name()
    }
    async fn complete(&self, req: &ChatRequest) -> Result<ChatResponse, Error> {
        self.provider.complete(req).await
    }
    async fn stream(&self, req: &ChatRequest) -> Result<ChatStream, Error> {
        self.provider.stream(req).await
    }
    async fn embed(&self, req: &EmbeddingRequest) -> Result<EmbeddingResponse, Error> {
        self.provider.embed(req).await
    }
    async fn models(&self) -> Result<ModelList, Error> {
        self.provider.models().await
    }
}
