//! Client-side request and token rate limits, with `governor`.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use deepsentinel_core::chat::{EmbeddingRequest, EmbeddingResponse, ModelList};
use deepsentinel_core::{ChatRequest, ChatResponse, ChatStream, Error, Provider, RateLimitOrigin};
use governor::clock::{Clock, Reference};
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use super::ProviderLayer;
use super::error::LayerConfigError;

const LAYER: &str = "rate_limit";

/// A `governor` clock reading `tokio::time::Instant`, so a paused tokio
/// clock (`#[tokio::test(start_paused = true)]`) drives the limiter
/// exactly. Instants are nanoseconds since the clock was made.
#[derive(Debug, Clone, Copy)]
pub struct TokioClock {
    origin: Instant,
}

impl TokioClock {
    /// A clock starting now.
    pub fn new() -> TokioClock {
        TokioClock {
            origin: Instant::now(),
        }
    }
}

impl Default for TokioClock {
    fn default() -> TokioClock {
        TokioClock::new()
    }
}

impl Clock for TokioClock {
    type Instant = Nanos;

    fn now(&self) -> Nanos {
        Nanos::from(Instant::now().saturating_duration_since(self.origin))
    }
}

/// What a [`RateLimit`] does when a limit is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum RateLimitMode {
    /// Wait for capacity, up to `max_wait`; a longer wait fails at once
    /// (without waiting) like [`RateLimitMode::FailFast`].
    Wait {
        /// The longest wait accepted.
        #[serde(rename = "max-wait", with = "crate::duration")]
        max_wait: Duration,
    },
    /// Fail at once with
    /// `Error::RateLimit { origin: RateLimitOrigin::Local, retry_after: Some(wait) }`.
    FailFast,
}

/// Client-side limits for one provider.
///
/// A request's tokens are `req.estimated_prompt_tokens() +
/// req.output_limit().unwrap_or(0)`. Limits allow a burst of a whole
/// minute's quota and refill evenly (GCRA).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RateLimitConfig {
    /// Requests per minute; `None` (the default) for no limit; not zero.
    pub requests_per_minute: Option<u32>,
    /// Tokens per minute; `None` (the default) for no limit; not zero.
    pub tokens_per_minute: Option<u32>,
    /// Default: wait up to 10 s.
    pub mode: RateLimitMode,
}

impl Default for RateLimitConfig {
    fn default() -> RateLimitConfig {
        RateLimitConfig {
            requests_per_minute: None,
            tokens_per_minute: None,
            mode: RateLimitMode::Wait {
                max_wait: Duration::from_secs(10),
            },
        }
    }
}

/// A validated [`RateLimitConfig`].
#[derive(Debug, Clone)]
pub struct RateLimitLayer {
    rpm: Option<NonZeroU32>,
    tpm: Option<NonZeroU32>,
    mode: RateLimitMode,
}

impl RateLimitLayer {
    /// Validates `config`.
    pub fn new(config: RateLimitConfig) -> Result<RateLimitLayer, LayerConfigError> {
        let nz = |v: Option<u32>, field| match v {
            None => Ok(None),
            Some(n) => NonZeroU32::new(n).map(Some).ok_or(LayerConfigError::Zero {
                layer: LAYER,
                field,
            }),
        };
        Ok(RateLimitLayer {
            rpm: nz(config.requests_per_minute, "requests_per_minute")?,
            tpm: nz(config.tokens_per_minute, "tokens_per_minute")?,
            mode: config.mode,
        })
    }

    /// Wraps `inner` with fresh limiters.
    pub fn wrap(&self, inner: Arc<dyn Provider>) -> RateLimit {
        let clock = TokioClock::new();
        let make = |n: NonZeroU32| RateLimiter::direct_with_clock(Quota::per_minute(n), clock);
        RateLimit {
            inner,
            requests: self.rpm.map(make),
            tokens: self.tpm.map(make),
            mode: self.mode,
            clock,
        }
    }
}

impl ProviderLayer for RateLimitLayer {
    fn layer(&self, inner: Arc<dyn Provider>) -> Arc<dyn Provider> {
        Arc::new(self.wrap(inner))
    }
}

type Limiter = RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<Nanos>>;

/// Holds calls to the provider it wraps to its request and token rates;
/// see [`RateLimitConfig`].
pub struct RateLimit {
    inner: Arc<dyn Provider>,
    requests: Option<Limiter>,
    tokens: Option<Limiter>,
    mode: RateLimitMode,
    clock: TokioClock,
}

impl std::fmt::Debug for RateLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimit")
            .field("inner", &self.inner.name())
            .field("requests", &self.requests.is_some())
            .field("tokens", &self.tokens.is_some())
            .field("mode", &self.mode)
            .finish()
    }
}

/// Takes `n` cells if they conform now (`Ok(ZERO)`); otherwise takes
/// nothing and returns the wait until they would. `Err` when `n` exceeds
/// the burst and never can.
fn wait_for(limiter: &Limiter, n: u32, now: Nanos) -> Result<Duration, ()> {
    let Some(n) = NonZeroU32::new(n) else {
        return Ok(Duration::ZERO);
    };
    match limiter.check_n(n) {
        Err(_) => Err(()),
        Ok(Ok(())) => Ok(Duration::ZERO),
        Ok(Err(not_until)) => Ok(Duration::from(
            not_until.earliest_possible().duration_since(now),
        )),
    }
}

impl RateLimit {
    fn local_error(&self, wait: Duration) -> Error {
        Error::RateLimit {
            provider: self.inner.name().to_owned(),
            retry_after: Some(wait),
            origin: RateLimitOrigin::Local,
        }
    }

    /// Takes one request and `tokens` tokens, waiting as configured.
    async fn acquire(&self, tokens: u64) -> Result<(), Error> {
        let tokens = u32::try_from(tokens).unwrap_or(u32::MAX);
        let deadline = match self.mode {
            RateLimitMode::Wait { max_wait } => Some(Instant::now() + max_wait),
            RateLimitMode::FailFast => None,
        };
        // Requests first, then tokens: a request cell taken while tokens
        // are short is not given back (governor cannot), which errs on the
        // side of sending less.
        if let Some(l) = &self.requests {
            self.take(l, 1, deadline).await?;
        }
        if let Some(l) = &self.tokens {
            self.take(l, tokens, deadline).await?;
        }
        Ok(())
    }

    async fn take(
        &self,
        limiter: &Limiter,
        n: u32,
        deadline: Option<Instant>,
    ) -> Result<(), Error> {
        loop {
            let now = self.clock.now();
            let wait = wait_for(limiter, n, now).map_err(|()| Error::InvalidRequest {
                provider: Some(self.inner.name().to_owned()),
                reason: "the request needs more tokens than the client-side tokens-per-minute limit allows".into(),
                param: None,
            })?;
            if wait.is_zero() {
                return Ok(());
            }
            match deadline {
                Some(d) if Instant::now() + wait <= d => tokio::time::sleep(wait).await,
                _ => return Err(self.local_error(wait)),
            }
        }
    }
}

#[async_trait]
impl Provider for RateLimit {
    fn name(&self) -> &str {
        self.inner.name()
    }

    async fn complete(&self, req: &ChatRequest) -> Result<ChatResponse, Error> {
        self.acquire(req.estimated_prompt_tokens() + u64::from(req.output_limit().unwrap_or(0)))
            .await?;
        self.inner.complete(req).await
    }

    async fn stream(&self, req: &ChatRequest) -> Result<ChatStream, Error> {
        self.acquire(req.estimated_prompt_tokens() + u64::from(req.output_limit().unwrap_or(0)))
            .await?;
        self.inner.stream(req).await
    }

    async fn embed(&self, req: &EmbeddingRequest) -> Result<EmbeddingResponse, Error> {
        let bytes: usize = req.input.texts().iter().map(|t| t.len()).sum();
        self.acquire((bytes as u64).div_ceil(4)).await?;
        self.inner.embed(req).await
    }

    async fn models(&self) -> Result<ModelList, Error> {
        self.inner.models().await
    }
}
