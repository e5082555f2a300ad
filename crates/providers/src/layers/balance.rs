//! Load balancing across endpoints of one provider.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use deepsentinel_core::chat::{EmbeddingRequest, EmbeddingResponse, ModelList};
use deepsentinel_core::{ChatRequest, ChatResponse, ChatStream, Error, Provider};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use super::breaker::{BreakerHandle, BreakerState};
use super::error::{LayerConfigError, nonzero};
use super::stream::{Guarded, lock};

const LAYER: &str = "balance";

/// How a [`Balancer`] picks an endpoint. Endpoints whose breaker would
/// refuse the call are skipped by every strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Strategy {
    /// Each endpoint in turn (the default).
    #[default]
    RoundRobin,
    /// At random, in proportion to [`Endpoint::weight`].
    WeightedRandom,
    /// The endpoint with the fewest calls in flight; ties in turn.
    LeastInFlight,
    /// The endpoint with the lowest latency EWMA; endpoints without a
    /// sample yet go first, ties in turn.
    LowestLatency,
}

/// How a [`Balancer`] balances.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct BalanceConfig {
    /// The strategy. Default round robin.
    pub strategy: Strategy,
    /// The weight of the newest latency sample in the EWMA, in `(0, 1]`.
    /// Default 0.3.
    pub ewma_alpha: f64,
    /// Seed for weighted random; `None` (the default) seeds from the OS.
    pub seed: Option<u64>,
}

impl Default for BalanceConfig {
    fn default() -> BalanceConfig {
        BalanceConfig {
            strategy: Strategy::RoundRobin,
            ewma_alpha: 0.3,
            seed: None,
        }
    }
}

/// One endpoint: a key or region of a provider.
#[derive(Clone)]
pub struct Endpoint {
    /// The endpoint (its name names it in [`EndpointStats`]).
    pub provider: Arc<dyn Provider>,
    /// Its weight for [`Strategy::WeightedRandom`]; not zero.
    pub weight: u32,
    /// Its circuit breaker, when it has one: open endpoints are skipped.
    pub breaker: Option<BreakerHandle>,
}

impl Endpoint {
    /// An endpoint of weight 1 without a breaker.
    pub fn new(provider: Arc<dyn Provider>) -> Endpoint {
        Endpoint {
            provider,
            weight: 1,
            breaker: None,
        }
    }
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("provider", &self.provider.name())
            .field("weight", &self.weight)
            .field("breaker", &self.breaker.is_some())
            .finish()
    }
}

/// A snapshot of one endpoint's counters.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointStats {
    /// The endpoint's name.
    pub name: String,
    /// Calls in flight (a stream counts until it ends or is dropped).
    pub in_flight: u64,
    /// Calls made.
    pub total: u64,
    /// Calls that failed.
    pub errors: u64,
    /// `errors / total`, 0 before any call.
    pub error_rate: f64,
    /// Latency EWMA (to the response, or to the stream's acceptance).
    pub latency_ewma: Option<Duration>,
    /// The breaker's state, when the endpoint has one.
    pub breaker: Option<BreakerState>,
}

#[derive(Debug, Default)]
struct Counters {
    in_flight: AtomicU64,
    total: AtomicU64,
    errors: AtomicU64,
    /// Nanoseconds; `u64::MAX` = no sample yet.
    ewma_nanos: AtomicU64,
}

struct Slot {
    endpoint: Endpoint,
    counters: Arc<Counters>,
}

/// Decrements an endpoint's in-flight count when dropped.
struct InFlight(Arc<Counters>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Spreads calls over several endpoints; see [`Strategy`]. When every
/// endpoint's breaker is open it answers
/// `Error::Provider { code: Some("no_endpoint"), retryable: true, .. }`.
pub struct Balancer {
    name: String,
    slots: Vec<Slot>,
    strategy: Strategy,
    alpha: f64,
    next: AtomicUsize,
    rng: Mutex<StdRng>,
}

impl std::fmt::Debug for Balancer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Balancer")
            .field("name", &self.name)
            .field("strategy", &self.strategy)
            .field("stats", &self.stats())
            .finish()
    }
}

impl Balancer {
    /// A balancer named `name` over `endpoints`; validated (at least one
    /// endpoint, weights not zero, `ewma_alpha` in `(0, 1]`).
    pub fn new(
        name: impl Into<String>,
        endpoints: Vec<Endpoint>,
        config: &BalanceConfig,
    ) -> Result<Balancer, LayerConfigError> {
        if endpoints.is_empty() {
            return Err(LayerConfigError::Empty {
                layer: LAYER,
                field: "endpoints",
            });
        }
        for e in &endpoints {
            nonzero(u64::from(e.weight), LAYER, "endpoints.weight")?;
        }
        if !(config.ewma_alpha > 0.0 && config.ewma_alpha <= 1.0) {
            return Err(LayerConfigError::OutOfRange {
                layer: LAYER,
                field: "ewma_alpha",
                expected: "in (0, 1]",
            });
        }
        let rng = match config.seed {
            Some(seed) => StdRng::seed_from_u64(seed),
            None => StdRng::from_os_rng(),
        };
        Ok(Balancer {
            name: name.into(),
            slots: endpoints
                .into_iter()
                .map(|endpoint| Slot {
                    endpoint,
                    counters: Arc::new(Counters {
                        ewma_nanos: AtomicU64::new(u64::MAX),
                        ..Counters::default()
                    }),
                })
                .collect(),
            strategy: config.strategy,
            alpha: config.ewma_alpha,
            next: AtomicUsize::new(0),
            rng: Mutex::new(rng),
        })
    }

    /// Every endpoint's counters, in configuration order.
    pub fn stats(&self) -> Vec<EndpointStats> {
        self.slots
            .iter()
            .map(|s| {
                let c = &s.counters;
                let total = c.total.load(Ordering::Relaxed);
                let errors = c.errors.load(Ordering::Relaxed);
                let ewma = c.ewma_nanos.load(Ordering::Relaxed);
                EndpointStats {
                    name: s.endpoint.provider.name().to_owned(),
                    in_flight: c.in_flight.load(Ordering::Relaxed),
                    total,
                    errors,
                    error_rate: if total == 0 {
                        0.0
                    } else {
                        errors as f64 / total as f64
                    },
                    latency_ewma: (ewma != u64::MAX).then(|| Duration::from_nanos(ewma)),
                    breaker: s.endpoint.breaker.as_ref().map(BreakerHandle::state),
                }
            })
            .collect()
    }

    fn pick(&self) -> Result<&Slot, Error> {
        let n = self.slots.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed) % n;
        let usable = |i: &usize| {
            self.slots[*i]
                .endpoint
                .breaker
                .as_ref()
                .is_none_or(BreakerHandle::would_admit)
        };
        // Candidates in turn from `start`, so ties rotate.
        let candidates = (0..n).map(|k| (start + k) % n).filter(usable);
        let chosen = match self.strategy {
            Strategy::RoundRobin => candidates.take(1).next(),
            Strategy::WeightedRandom => {
                let c: Vec<usize> = {
                    let mut v: Vec<usize> = candidates.collect();
                    v.sort_unstable();
                    v
                };
                let total: u64 = c
                    .iter()
                    .map(|&i| u64::from(self.slots[i].endpoint.weight))
                    .sum();
                if total == 0 {
                    None
                } else {
                    let mut r = lock(&self.rng).random_range(0..total);
                    c.into_iter().find(|&i| {
                        let w = u64::from(self.slots[i].endpoint.weight);
                        if r < w {
                            true
                        } else {
                            r -= w;
                            false
                        }
                    })
                }
            }
            Strategy::LeastInFlight => {
                candidates.min_by_key(|&i| self.slots[i].counters.in_flight.load(Ordering::Relaxed))
            }
            Strategy::LowestLatency => candidates.min_by_key(|&i| {
                // No sample yet sorts first, so every endpoint gets measured.
                let e = self.slots[i].counters.ewma_nanos.load(Ordering::Relaxed);
                if e == u64::MAX {
                    0
                } else {
                    e.saturating_add(1)
                }
            }),
        };
        chosen
            .map(|i| &self.slots[i])
            .ok_or_else(|| Error::Provider {
                provider: self.name.clone(),
                status: None,
                retryable: true,
                retry_after: None,
                code: Some("no_endpoint".into()),
            })
    }

    fn begin(slot: &Slot) -> InFlight {
        slot.counters.in_flight.fetch_add(1, Ordering::Relaxed);
        slot.counters.total.fetch_add(1, Ordering::Relaxed);
        InFlight(Arc::clone(&slot.counters))
    }

    fn finish(&self, slot: &Slot, started: Instant, failed: bool) {
        let c = &slot.counters;
        if failed {
            c.errors.fetch_add(1, Ordering::Relaxed);
        }
        let sample = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX - 1);
        // A lost update under contention only drops one sample.
        let old = c.ewma_nanos.load(Ordering::Relaxed);
        let new = if old == u64::MAX {
            sample
        } else {
            (self.alpha * sample as f64 + (1.0 - self.alpha) * old as f64) as u64
        };
        c.ewma_nanos.store(new.min(u64::MAX - 1), Ordering::Relaxed);
    }
}

#[async_trait]
impl Provider for Balancer {
    fn name(&self) -> &str {
        &self.name
    }

    async fn complete(&self, req: &ChatRequest) -> Result<ChatResponse, Error> {
        let slot = self.pick()?;
        let _guard = Balancer::begin(slot);
        let started = Instant::now();
        let r = slot.endpoint.provider.complete(req).await;
        self.finish(slot, started, r.is_err());
        r
    }

    async fn stream(&self, req: &ChatRequest) -> Result<ChatStream, Error> {
        let slot = self.pick()?;
        let guard = Balancer::begin(slot);
        let started = Instant::now();
        let r = slot.endpoint.provider.stream(req).await;
        self.finish(slot, started, r.is_err());
        r.map(|s| Guarded::wrap(s, guard))
    }

    async fn embed(&self, req: &EmbeddingRequest) -> Result<EmbeddingResponse, Error> {
        let slot = self.pick()?;
        let _guard = Balancer::begin(slot);
        let started = Instant::now();
        let r = slot.endpoint.provider.embed(req).await;
        self.finish(slot, started, r.is_err());
        r
    }

    async fn models(&self) -> Result<ModelList, Error> {
        self.pick()?.endpoint.provider.models().await
    }
}
