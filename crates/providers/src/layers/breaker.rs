//! A circuit breaker per endpoint.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use async_trait::async_trait;
use deepsentinel_core::chat::{EmbeddingRequest, EmbeddingResponse, ModelList};
use deepsentinel_core::{
    BoxChunkStream, ChatChunk, ChatRequest, ChatResponse, ChatStream, Error, Provider,
};
use futures_core::Stream;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use tokio::time::Instant;

use super::ProviderLayer;
use super::error::{LayerConfigError, nonzero, nonzero_duration};
use super::stream::lock;
use super::window::Window;

const LAYER: &str = "breaker";

/// When a [`CircuitBreaker`] opens and closes.
///
/// Only [`Error::is_endpoint_failure`] errors count as failures (network
/// errors, timeouts, 5xx); every other outcome, a 429 or a 400 included,
/// shows the endpoint is alive and counts as a success.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct BreakerConfig {
    /// Consecutive failures that open the circuit. Default 5; not zero.
    pub consecutive_failures: u32,
    /// The failure rate over `window` that opens it, in `(0, 1]`.
    /// Default 0.5.
    pub failure_rate: f64,
    /// The window of the failure rate. Default 30 s; not zero.
    #[serde(with = "crate::duration")]
    pub window: Duration,
    /// Calls needed in the window before the rate counts. Default 20.
    pub min_calls: u32,
    /// How long the circuit stays open before probing. Default 15 s.
    #[serde(with = "crate::duration")]
    pub cool_down: Duration,
    /// Probes allowed in flight while half-open. Default 1; not zero.
    pub half_open_probes: u32,
    /// Probe successes that close the circuit. Default 1; not zero.
    pub probe_successes: u32,
}

impl Default for BreakerConfig {
    fn default() -> BreakerConfig {
        BreakerConfig {
            consecutive_failures: 5,
            failure_rate: 0.5,
            window: Duration::from_secs(30),
            min_calls: 20,
            cool_down: Duration::from_secs(15),
            half_open_probes: 1,
            probe_successes: 1,
        }
    }
}

impl BreakerConfig {
    fn validate(&self) -> Result<(), LayerConfigError> {
        nonzero(
            u64::from(self.consecutive_failures),
            LAYER,
            "consecutive_failures",
        )?;
        nonzero_duration(self.window, LAYER, "window")?;
        nonzero_duration(self.cool_down, LAYER, "cool_down")?;
        nonzero(u64::from(self.half_open_probes), LAYER, "half_open_probes")?;
        nonzero(u64::from(self.probe_successes), LAYER, "probe_successes")?;
        if !(self.failure_rate > 0.0 && self.failure_rate <= 1.0) {
            return Err(LayerConfigError::OutOfRange {
                layer: LAYER,
                field: "failure_rate",
                expected: "in (0, 1]",
            });
        }
        Ok(())
    }
}

/// A circuit's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    /// Calls go through.
    Closed,
    /// Calls fail fast with `circuit_open` until the cool-down ends.
    Open,
    /// A limited number of probe calls go through.
    HalfOpen,
}

#[derive(Debug)]
struct Inner {
    state: BreakerState,
    consecutive: u32,
    window: Window,
    opened_at: Instant,
    probes_in_flight: u32,
    probe_successes: u32,
    /// Bumped on every transition, so an outcome of a call admitted under
    /// an earlier state is not counted against the current one.
    epoch: u64,
}

#[derive(Debug)]
struct Shared {
    name: String,
    config: BreakerConfig,
    inner: Mutex<Inner>,
    tx: watch::Sender<BreakerState>,
}

/// A handle on a breaker's state, shared with the [`CircuitBreaker`]: read
/// it, watch it, or ask whether a call would be let through (what the
/// balancer does to skip open endpoints). Cheap to clone.
#[derive(Debug, Clone)]
pub struct BreakerHandle {
    shared: Arc<Shared>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Success,
    Failure,
    /// The call was abandoned (a dropped future or stream).
    Abandoned,
}

/// One admitted call; reports its outcome once. Dropping it unreported
/// frees a probe slot without counting anything.
struct Ticket {
    shared: Arc<Shared>,
    probe: bool,
    epoch: u64,
    done: bool,
}

impl Ticket {
    fn finish(mut self, outcome: Outcome) {
        self.done = true;
        self.shared.record(self.probe, self.epoch, outcome);
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if !self.done {
            self.shared
                .record(self.probe, self.epoch, Outcome::Abandoned);
        }
    }
}

impl Shared {
    fn transition(&self, inner: &mut Inner, to: BreakerState, now: Instant) {
        inner.state = to;
        inner.epoch += 1;
        inner.consecutive = 0;
        inner.probes_in_flight = 0;
        inner.probe_successes = 0;
        match to {
            BreakerState::Open => inner.opened_at = now,
            BreakerState::Closed => inner.window.clear(now),
            BreakerState::HalfOpen => {}
        }
        tracing::info!(endpoint = %self.name, state = ?to, "circuit breaker transition");
        self.tx.send_replace(to);
    }

    /// Moves an open circuit whose cool-down has passed to half-open.
    fn refresh(&self, inner: &mut Inner, now: Instant) {
        if inner.state == BreakerState::Open
            && now.saturating_duration_since(inner.opened_at) >= self.config.cool_down
        {
            self.transition(inner, BreakerState::HalfOpen, now);
        }
    }

    fn admit(self: &Arc<Self>) -> Option<Ticket> {
        let now = Instant::now();
        let mut inner = lock(&self.inner);
        self.refresh(&mut inner, now);
        let probe = match inner.state {
            BreakerState::Closed => false,
            BreakerState::Open => return None,
            BreakerState::HalfOpen => {
                if inner.probes_in_flight >= self.config.half_open_probes {
                    return None;
                }
                inner.probes_in_flight += 1;
                true
            }
        };
        Some(Ticket {
            shared: Arc::clone(self),
            probe,
            epoch: inner.epoch,
            done: false,
        })
    }

    fn record(&self, probe: bool, epoch: u64, outcome: Outcome) {
        let now = Instant::now();
        let mut inner = lock(&self.inner);
        if epoch != inner.epoch {
            return;
        }
        if probe {
            inner.probes_in_flight = inner.probes_in_flight.saturating_sub(1);
            match outcome {
                Outcome::Success => {
                    inner.probe_successes += 1;
                    if inner.probe_successes >= self.config.probe_successes {
                        self.transition(&mut inner, BreakerState::Closed, now);
                    }
                }
                Outcome::Failure => self.transition(&mut inner, BreakerState::Open, now),
                Outcome::Abandoned => {}
            }
            return;
        }
        match outcome {
            Outcome::Success => {
                inner.consecutive = 0;
                inner.window.add(now, 1, 0);
            }
            Outcome::Failure => {
                inner.consecutive += 1;
                inner.window.add(now, 1, 1);
                let (calls, failures) = inner.window.sums(now);
                let rate_trips = calls >= u64::from(self.config.min_calls)
                    && calls > 0
                    && failures as f64 / calls as f64 >= self.config.failure_rate;
                if inner.consecutive >= self.config.consecutive_failures || rate_trips {
                    self.transition(&mut inner, BreakerState::Open, now);
                }
            }
            Outcome::Abandoned => {}
        }
    }
}

impl BreakerHandle {
    /// The current state (an open circuit whose cool-down has passed reads
    /// as half-open).
    pub fn state(&self) -> BreakerState {
        let mut inner = lock(&self.shared.inner);
        self.shared.refresh(&mut inner, Instant::now());
        inner.state
    }

    /// A receiver of every state change. The open → half-open change is
    /// seen when the breaker is next asked (a call, `state`, `would_admit`),
    /// not by a timer.
    pub fn subscribe(&self) -> watch::Receiver<BreakerState> {
        self.shared.tx.subscribe()
    }

    /// Whether a call made now would be let through (a probe slot is free
    /// when half-open).
    pub fn would_admit(&self) -> bool {
        let mut inner = lock(&self.shared.inner);
        self.shared.refresh(&mut inner, Instant::now());
        match inner.state {
            BreakerState::Closed => true,
            BreakerState::Open => false,
            BreakerState::HalfOpen => inner.probes_in_flight < self.shared.config.half_open_probes,
        }
    }

    /// The endpoint's name.
    pub fn name(&self) -> &str {
        &self.shared.name
    }
}

/// A validated [`BreakerConfig`].
#[derive(Debug, Clone)]
pub struct BreakerLayer {
    config: BreakerConfig,
}

impl BreakerLayer {
    /// Validates `config`.
    pub fn new(config: BreakerConfig) -> Result<BreakerLayer, LayerConfigError> {
        config.validate()?;
        Ok(BreakerLayer { config })
    }

    /// Wraps `inner` in a breaker with fresh (closed) state.
    pub fn wrap(&self, inner: Arc<dyn Provider>) -> CircuitBreaker {
        let (tx, _) = watch::channel(BreakerState::Closed);
        let now = Instant::now();
        CircuitBreaker {
            shared: Arc::new(Shared {
                name: inner.name().to_owned(),
                config: self.config.clone(),
                inner: Mutex::new(Inner {
                    state: BreakerState::Closed,
                    consecutive: 0,
                    window: Window::new(self.config.window, now),
                    opened_at: now,
                    probes_in_flight: 0,
                    probe_successes: 0,
                    epoch: 0,
                }),
                tx,
            }),
            inner,
        }
    }
}

impl ProviderLayer for BreakerLayer {
    fn layer(&self, inner: Arc<dyn Provider>) -> Arc<dyn Provider> {
        Arc::new(self.wrap(inner))
    }
}

/// Fails fast while the endpoint it wraps is failing; see
/// [`BreakerConfig`]. When open it answers
/// `Error::Provider { code: Some("circuit_open"), retryable: true, .. }`
/// without calling the endpoint. A stream's outcome is its first item.
pub struct CircuitBreaker {
    inner: Arc<dyn Provider>,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for CircuitBreaker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CircuitBreaker")
            .field("inner", &self.inner.name())
            .field("state", &self.handle().state())
            .finish()
    }
}

fn classify<T>(r: &Result<T, Error>) -> Outcome {
    match r {
        Err(e) => error_outcome(e),
        Ok(_) => Outcome::Success,
    }
}

impl CircuitBreaker {
    /// A handle on this breaker's state.
    pub fn handle(&self) -> BreakerHandle {
        BreakerHandle {
            shared: Arc::clone(&self.shared),
        }
    }

    fn admit(&self) -> Result<Ticket, Error> {
        self.shared.admit().ok_or_else(|| Error::Provider {
            provider: self.inner.name().to_owned(),
            status: None,
            retryable: true,
            retry_after: None,
            code: Some("circuit_open".into()),
        })
    }
}

fn error_outcome(e: &Error) -> Outcome {
    if e.is_endpoint_failure() {
        Outcome::Failure
    } else {
        Outcome::Success
    }
}

/// A stream that reports its first item (or its end) to the breaker.
struct Observed {
    inner: BoxChunkStream,
    ticket: Option<Ticket>,
}

impl Stream for Observed {
    type Item = Result<ChatChunk, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let polled = this.inner.as_mut().poll_next(cx);
        if let Poll::Ready(item) = &polled {
            if let Some(t) = this.ticket.take() {
                t.finish(match item {
                    Some(Err(e)) => error_outcome(e),
                    _ => Outcome::Success,
                });
            }
        }
        polled
    }
}

#[async_trait]
impl Provider for CircuitBreaker {
    fn name(&self) -> &str {
        self.inner.name()
    }

    async fn complete(&self, req: &ChatRequest) -> Result<ChatResponse, Error> {
        let ticket = self.admit()?;
        let r = self.inner.complete(req).await;
        ticket.finish(classify(&r));
        r
    }

    async fn stream(&self, req: &ChatRequest) -> Result<ChatStream, Error> {
        let ticket = self.admit()?;
        let s = match self.inner.stream(req).await {
            Ok(s) => s,
            Err(e) => {
                ticket.finish(error_outcome(&e));
                return Err(e);
            }
        };
        // The outcome is the first item; the ticket rides along until then.
        let (meta, inner) = s.into_parts();
        Ok(ChatStream::new(
            meta,
            Box::pin(Observed {
                inner,
                ticket: Some(ticket),
            }),
        ))
    }

    async fn embed(&self, req: &EmbeddingRequest) -> Result<EmbeddingResponse, Error> {
        let ticket = self.admit()?;
        let r = self.inner.embed(req).await;
        ticket.finish(classify(&r));
        r
    }

    async fn models(&self) -> Result<ModelList, Error> {
        self.inner.models().await
    }
}
