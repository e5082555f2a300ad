//! Retries with exponential backoff, full jitter, `Retry-After` and a
//! retry budget.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use deepsentinel_core::chat::{EmbeddingRequest, EmbeddingResponse, ModelList};
use deepsentinel_core::{ChatRequest, ChatResponse, ChatStream, Error, Provider};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use super::ProviderLayer;
use super::error::{LayerConfigError, nonzero, nonzero_duration};
use super::stream::{first_item, lock};
use super::window::Window;

const LAYER: &str = "retry";

/// How [`Retry`] retries.
///
/// The delay before retry `n` (1-based) is drawn uniformly from
/// `[0, min(max_backoff, base_backoff * 2^(n-1))]` ("full jitter"), or is
/// exactly that bound when `jitter` is off. A `Retry-After` from the
/// upstream replaces the backoff; one longer than `max_retry_after` ends
/// retrying with the error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RetryConfig {
    /// Attempts in total, the first included. Default 3; at least 1.
    pub max_attempts: u32,
    /// The first backoff bound. Default 200 ms; not zero.
    #[serde(with = "crate::duration")]
    pub base_backoff: Duration,
    /// The largest backoff bound. Default 10 s; at least `base_backoff`.
    #[serde(with = "crate::duration")]
    pub max_backoff: Duration,
    /// Full jitter (default `true`); off, the delay is the bound itself.
    pub jitter: bool,
    /// The longest `Retry-After` worth waiting for. Default 30 s.
    #[serde(with = "crate::duration")]
    pub max_retry_after: Duration,
    /// The retry budget; `None` retries without one. Default: the
    /// [`BudgetConfig`] defaults.
    pub budget: Option<BudgetConfig>,
    /// Seed for the jitter; `None` (the default) seeds from the OS.
    pub seed: Option<u64>,
}

impl Default for RetryConfig {
    fn default() -> RetryConfig {
        RetryConfig {
            max_attempts: 3,
            base_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            jitter: true,
            max_retry_after: Duration::from_secs(30),
            budget: Some(BudgetConfig::default()),
            seed: None,
        }
    }
}

/// A retry budget, after tower's `TpsBudget`: each request deposits
/// `retry_ratio` of a retry, each retry withdraws one, and `min_per_sec`
/// retries per second are always allowed. Deposits expire after `ttl`, so
/// during an outage retries add at most `retry_ratio` (plus the minimum)
/// to the load instead of multiplying it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct BudgetConfig {
    /// How long a deposit counts. Default 10 s; between 1 s and 60 s.
    #[serde(with = "crate::duration")]
    pub ttl: Duration,
    /// Retries per second always allowed. Default 10.
    pub min_per_sec: u32,
    /// Retries allowed per request, in `[0, 1000]`. Default 0.2.
    pub retry_ratio: f32,
}

impl Default for BudgetConfig {
    fn default() -> BudgetConfig {
        BudgetConfig {
            ttl: Duration::from_secs(10),
            min_per_sec: 10,
            retry_ratio: 0.2,
        }
    }
}

/// The shared state of a retry budget. Cheap to clone.
#[derive(Debug, Clone)]
pub struct RetryBudget {
    inner: Arc<Mutex<BudgetState>>,
}

#[derive(Debug)]
struct BudgetState {
    window: Window,
    /// Units one request deposits; a retry costs [`WITHDRAW`].
    deposit: u64,
    reserve: u64,
}

const WITHDRAW: u64 = 1000;

impl RetryBudget {
    /// A budget; validated.
    pub fn new(config: &BudgetConfig) -> Result<RetryBudget, LayerConfigError> {
        if config.ttl < Duration::from_secs(1) || config.ttl > Duration::from_secs(60) {
            return Err(LayerConfigError::OutOfRange {
                layer: LAYER,
                field: "budget.ttl",
                expected: "between 1 s and 60 s",
            });
        }
        if !(0.0..=1000.0).contains(&config.retry_ratio) {
            return Err(LayerConfigError::OutOfRange {
                layer: LAYER,
                field: "budget.retry_ratio",
                expected: "between 0 and 1000",
            });
        }
        let deposit = (f64::from(config.retry_ratio) * WITHDRAW as f64).round() as u64;
        let reserve = u64::from(config.min_per_sec) * config.ttl.as_secs() * WITHDRAW;
        Ok(RetryBudget {
            inner: Arc::new(Mutex::new(BudgetState {
                window: Window::new(config.ttl, Instant::now()),
                deposit,
                reserve,
            })),
        })
    }

    /// Records a request.
    pub fn deposit(&self) {
        let mut s = lock(&self.inner);
        let d = s.deposit;
        s.window.add(Instant::now(), d, 0);
    }

    /// Takes one retry from the budget; `false` when it is exhausted.
    pub fn withdraw(&self) -> bool {
        let mut s = lock(&self.inner);
        let now = Instant::now();
        let (deposited, withdrawn) = s.window.sums(now);
        if s.reserve + deposited >= withdrawn + WITHDRAW {
            s.window.add(now, 0, WITHDRAW);
            true
        } else {
            false
        }
    }
}

/// A validated [`RetryConfig`]; the [`ProviderLayer`] for [`Retry`].
#[derive(Debug, Clone)]
pub struct RetryLayer {
    config: RetryConfig,
}

impl RetryLayer {
    /// Validates `config`.
    pub fn new(config: RetryConfig) -> Result<RetryLayer, LayerConfigError> {
        nonzero(u64::from(config.max_attempts), LAYER, "max_attempts")?;
        nonzero_duration(config.base_backoff, LAYER, "base_backoff")?;
        if config.max_backoff < config.base_backoff {
            return Err(LayerConfigError::OutOfRange {
                layer: LAYER,
                field: "max_backoff",
                expected: "at least base_backoff",
            });
        }
        if let Some(b) = &config.budget {
            RetryBudget::new(b)?;
        }
        Ok(RetryLayer { config })
    }

    /// Wraps `inner` in a [`Retry`] with its own budget.
    pub fn wrap(&self, inner: Arc<dyn Provider>) -> Retry {
        let budget = self
            .config
            .budget
            .as_ref()
            .and_then(|b| RetryBudget::new(b).ok());
        let rng = match self.config.seed {
            Some(seed) => StdRng::seed_from_u64(seed),
            None => StdRng::from_os_rng(),
        };
        Retry {
            inner,
            config: self.config.clone(),
            budget,
            rng: Mutex::new(rng),
        }
    }
}

impl ProviderLayer for RetryLayer {
    fn layer(&self, inner: Arc<dyn Provider>) -> Arc<dyn Provider> {
        Arc::new(self.wrap(inner))
    }
}

/// Retries retryable errors ([`Error::is_retryable`]) of the provider it
/// wraps. Streams are retried only until their first chunk: `stream`
/// returns after the first chunk arrived, so a retry never repeats text
/// the caller has seen. The served response's `meta.attempts` counts the
/// attempts made here.
pub struct Retry {
    inner: Arc<dyn Provider>,
    config: RetryConfig,
    budget: Option<RetryBudget>,
    rng: Mutex<StdRng>,
}

impl std::fmt::Debug for Retry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Retry")
            .field("inner", &self.inner.name())
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Retry {
    /// The budget this wrapper draws from, if any.
    pub fn budget(&self) -> Option<&RetryBudget> {
        self.budget.as_ref()
    }

    /// After failed attempt `attempt` (1-based) with `err`: how long to
    /// wait before the next one, or `None` to give up.
    fn next_delay(&self, attempt: u32, err: &Error) -> Option<Duration> {
        if !err.is_retryable() || attempt >= self.config.max_attempts {
            return None;
        }
        let delay = match err.retry_after() {
            Some(after) if after > self.config.max_retry_after => return None,
            Some(after) => after,
            None => {
                let exp = 2u32.saturating_pow(attempt - 1);
                let bound = self
                    .config
                    .base_backoff
                    .saturating_mul(exp)
                    .min(self.config.max_backoff);
                if self.config.jitter {
                    let nanos = u64::try_from(bound.as_nanos()).unwrap_or(u64::MAX);
                    Duration::from_nanos(lock(&self.rng).random_range(0..=nanos))
                } else {
                    bound
                }
            }
        };
        // The budget is checked last, so a retry that would not happen
        // anyway does not spend it.
        if let Some(b) = &self.budget {
            if !b.withdraw() {
                tracing::debug!(provider = self.inner.name(), "retry budget exhausted");
                return None;
            }
        }
        Some(delay)
    }

    fn deposit(&self) {
        if let Some(b) = &self.budget {
            b.deposit();
        }
    }
}

#[async_trait]
impl Provider for Retry {
    fn name(&self) -> &str {
        self.inner.name()
    }

    async fn complete(&self, req: &ChatRequest) -> Result<ChatResponse, Error> {
        self.deposit();
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            match self.inner.complete(req).await {
                Ok(mut r) => {
                    r.meta.attempts = attempt - 1 + r.meta.attempts.max(1);
                    return Ok(r);
                }
                Err(e) => match self.next_delay(attempt, &e) {
                    Some(d) => {
                        tracing::debug!(
                            provider = self.inner.name(),
                            attempt,
                            error = e.label(),
                            delay_ms = d.as_millis() as u64,
                            "retrying"
                        );
                        tokio::time::sleep(d).await;
                    }
                    None => return Err(e),
                },
            }
        }
    }

    async fn stream(&self, req: &ChatRequest) -> Result<ChatStream, Error> {
        self.deposit();
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let opened = match self.inner.stream(req).await {
                Ok(s) => first_item(s).await,
                Err(e) => Err(e),
            };
            match opened {
                Ok(mut s) => {
                    s.meta.attempts = attempt - 1 + s.meta.attempts.max(1);
                    return Ok(s);
                }
                Err(e) => match self.next_delay(attempt, &e) {
                    Some(d) => tokio::time::sleep(d).await,
                    None => return Err(e),
                },
            }
        }
    }

    async fn embed(&self, req: &EmbeddingRequest) -> Result<EmbeddingResponse, Error> {
        self.deposit();
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            match self.inner.embed(req).await {
                Ok(r) => return Ok(r),
                Err(e) => match self.next_delay(attempt, &e) {
                    Some(d) => tokio::time::sleep(d).await,
                    None => return Err(e),
                },
            }
        }
    }

    async fn models(&self) -> Result<ModelList, Error> {
        self.inner.models().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_is_validated() {
        let bad = RetryConfig {
            max_attempts: 0,
            ..RetryConfig::default()
        };
        assert_eq!(
            RetryLayer::new(bad).map(|_| ()),
            Err(LayerConfigError::Zero {
                layer: "retry",
                field: "max_attempts"
            })
        );
        let bad = RetryConfig {
            max_backoff: Duration::from_millis(1),
            ..RetryConfig::default()
        };
        assert!(matches!(
            RetryLayer::new(bad),
            Err(LayerConfigError::OutOfRange {
                field: "max_backoff",
                ..
            })
        ));
        assert!(RetryLayer::new(RetryConfig::default()).is_ok());
    }
}
