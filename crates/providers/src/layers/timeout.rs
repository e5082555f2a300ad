//! Per-attempt and overall deadlines, and stream first-chunk and idle
//! deadlines.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use async_trait::async_trait;
use deepsentinel_core::chat::{EmbeddingRequest, EmbeddingResponse, ModelList};
use deepsentinel_core::{
    BoxChunkStream, ChatChunk, ChatRequest, ChatResponse, ChatStream, Error, Provider, TimeoutPhase,
};
use futures_core::Stream;
use serde::{Deserialize, Serialize};
use tokio::time::{Instant, Sleep};

use super::ProviderLayer;
use super::error::{LayerConfigError, nonzero_duration};

/// Deadlines for one attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct AttemptTimeoutConfig {
    /// For `complete` and `embed` as a whole, and for `stream` until the
    /// upstream accepted the request ([`TimeoutPhase::Attempt`]). Default
    /// 60 s; `None` for no limit.
    #[serde(with = "crate::duration::option")]
    pub attempt: Option<Duration>,
    /// For a stream, from the call to its first chunk
    /// ([`TimeoutPhase::FirstByte`]). Default 30 s; `None` for no limit.
    #[serde(with = "crate::duration::option")]
    pub first_chunk: Option<Duration>,
    /// For a stream, between two chunks ([`TimeoutPhase::Idle`]). Default
    /// `None` (no limit): reasoning models may think for minutes.
    #[serde(with = "crate::duration::option")]
    pub idle: Option<Duration>,
}

impl Default for AttemptTimeoutConfig {
    fn default() -> AttemptTimeoutConfig {
        AttemptTimeoutConfig {
            attempt: Some(Duration::from_secs(60)),
            first_chunk: Some(Duration::from_secs(30)),
            idle: None,
        }
    }
}

/// A validated [`AttemptTimeoutConfig`].
#[derive(Debug, Clone)]
pub struct AttemptTimeoutLayer {
    config: AttemptTimeoutConfig,
}

impl AttemptTimeoutLayer {
    /// Validates `config`: no deadline may be zero.
    pub fn new(config: AttemptTimeoutConfig) -> Result<AttemptTimeoutLayer, LayerConfigError> {
        for (field, value) in [
            ("attempt", config.attempt),
            ("first_chunk", config.first_chunk),
            ("idle", config.idle),
        ] {
            if let Some(d) = value {
                nonzero_duration(d, "attempt_timeout", field)?;
            }
        }
        Ok(AttemptTimeoutLayer { config })
    }
}

impl ProviderLayer for AttemptTimeoutLayer {
    fn layer(&self, inner: Arc<dyn Provider>) -> Arc<dyn Provider> {
        Arc::new(AttemptTimeout {
            inner,
            config: self.config.clone(),
        })
    }
}

/// Bounds each call to the provider it wraps; see
/// [`AttemptTimeoutConfig`]. Timeouts are retryable.
pub struct AttemptTimeout {
    inner: Arc<dyn Provider>,
    config: AttemptTimeoutConfig,
}

impl std::fmt::Debug for AttemptTimeout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AttemptTimeout")
            .field("inner", &self.inner.name())
            .field("config", &self.config)
            .finish()
    }
}

async fn bounded<T>(
    provider: &str,
    limit: Option<Duration>,
    phase: TimeoutPhase,
    fut: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    match limit {
        None => fut.await,
        Some(after) => match tokio::time::timeout(after, fut).await {
            Ok(r) => r,
            Err(_) => Err(Error::Timeout {
                provider: provider.to_owned(),
                phase,
                after,
            }),
        },
    }
}

#[async_trait]
impl Provider for AttemptTimeout {
    fn name(&self) -> &str {
        self.inner.name()
    }

    async fn complete(&self, req: &ChatRequest) -> Result<ChatResponse, Error> {
        bounded(
            self.inner.name(),
            self.config.attempt,
            TimeoutPhase::Attempt,
            self.inner.complete(req),
        )
        .await
    }

    async fn stream(&self, req: &ChatRequest) -> Result<ChatStream, Error> {
        let start = Instant::now();
        let s = bounded(
            self.inner.name(),
            self.config.attempt,
            TimeoutPhase::Attempt,
            self.inner.stream(req),
        )
        .await?;
        if self.config.first_chunk.is_none() && self.config.idle.is_none() {
            return Ok(s);
        }
        let (meta, inner) = s.into_parts();
        let first = self.config.first_chunk.map(|d| (start + d, d));
        let sleep = first.map(|(at, _)| Box::pin(tokio::time::sleep_until(at)));
        Ok(ChatStream::new(
            meta,
            Box::pin(DeadlineStream {
                inner,
                provider: self.inner.name().to_owned(),
                sleep,
                first_after: first.map(|(_, d)| d),
                idle: self.config.idle,
                seen_chunk: false,
                done: false,
            }),
        ))
    }

    async fn embed(&self, req: &EmbeddingRequest) -> Result<EmbeddingResponse, Error> {
        bounded(
            self.inner.name(),
            self.config.attempt,
            TimeoutPhase::Attempt,
            self.inner.embed(req),
        )
        .await
    }

    async fn models(&self) -> Result<ModelList, Error> {
        bounded(
            self.inner.name(),
            self.config.attempt,
            TimeoutPhase::Attempt,
            self.inner.models(),
        )
        .await
    }
}

/// A stream with a deadline to its first chunk and between chunks. When
/// one passes it yields a timeout error and ends.
struct DeadlineStream {
    inner: BoxChunkStream,
    provider: String,
    sleep: Option<Pin<Box<Sleep>>>,
    first_after: Option<Duration>,
    idle: Option<Duration>,
    seen_chunk: bool,
    done: bool,
}

impl Stream for DeadlineStream {
    type Item = Result<ChatChunk, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        match this.inner.as_mut().poll_next(cx) {
            Poll::Ready(Some(item)) => {
                this.seen_chunk = true;
                match this.idle {
                    Some(idle) => match &mut this.sleep {
                        Some(s) => s.as_mut().reset(Instant::now() + idle),
                        None => this.sleep = Some(Box::pin(tokio::time::sleep(idle))),
                    },
                    None => this.sleep = None,
                }
                Poll::Ready(Some(item))
            }
            Poll::Ready(None) => {
                this.done = true;
                Poll::Ready(None)
            }
            Poll::Pending => {
                let Some(sleep) = &mut this.sleep else {
                    return Poll::Pending;
                };
                if sleep.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                this.done = true;
                let (phase, after) = if this.seen_chunk {
                    (TimeoutPhase::Idle, this.idle.unwrap_or_default())
                } else {
                    (
                        TimeoutPhase::FirstByte,
                        this.first_after.unwrap_or_default(),
                    )
                };
                Poll::Ready(Some(Err(Error::Timeout {
                    provider: this.provider.clone(),
                    phase,
                    after,
                })))
            }
        }
    }
}

/// The deadline for a whole call, retries and fallbacks included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct OverallTimeoutConfig {
    /// For `complete` and `embed` as a whole, and for `stream` until it
    /// returns (in the standard stack: until the first chunk arrived, since
    /// the retry layer waits for it). Default 120 s.
    #[serde(with = "crate::duration")]
    pub overall: Duration,
}

impl Default for OverallTimeoutConfig {
    fn default() -> OverallTimeoutConfig {
        OverallTimeoutConfig {
            overall: Duration::from_secs(120),
        }
    }
}

/// A validated [`OverallTimeoutConfig`].
#[derive(Debug, Clone)]
pub struct OverallTimeoutLayer {
    config: OverallTimeoutConfig,
}

impl OverallTimeoutLayer {
    /// Validates `config`: the deadline may not be zero.
    pub fn new(config: OverallTimeoutConfig) -> Result<OverallTimeoutLayer, LayerConfigError> {
        nonzero_duration(config.overall, "overall_timeout", "overall")?;
        Ok(OverallTimeoutLayer { config })
    }
}

impl ProviderLayer for OverallTimeoutLayer {
    fn layer(&self, inner: Arc<dyn Provider>) -> Arc<dyn Provider> {
        Arc::new(OverallTimeout {
            inner,
            overall: self.config.overall,
        })
    }
}

/// Bounds whole calls; its [`TimeoutPhase::Overall`] error is not
/// retryable.
pub struct OverallTimeout {
    inner: Arc<dyn Provider>,
    overall: Duration,
}

impl std::fmt::Debug for OverallTimeout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OverallTimeout")
            .field("inner", &self.inner.name())
            .field("overall", &self.overall)
            .finish()
    }
}

#[async_trait]
impl Provider for OverallTimeout {
    fn name(&self) -> &str {
        self.inner.name()
    }

    async fn complete(&self, req: &ChatRequest) -> Result<ChatResponse, Error> {
        let limit = Some(self.overall);
        bounded(
            self.inner.name(),
            limit,
            TimeoutPhase::Overall,
            self.inner.complete(req),
        )
        .await
    }

    async fn stream(&self, req: &ChatRequest) -> Result<ChatStream, Error> {
        let limit = Some(self.overall);
        bounded(
            self.inner.name(),
            limit,
            TimeoutPhase::Overall,
            self.inner.stream(req),
        )
        .await
    }

    async fn embed(&self, req: &EmbeddingRequest) -> Result<EmbeddingResponse, Error> {
        let limit = Some(self.overall);
        bounded(
            self.inner.name(),
            limit,
            TimeoutPhase::Overall,
            self.inner.embed(req),
        )
        .await
    }

    async fn models(&self) -> Result<ModelList, Error> {
        let limit = Some(self.overall);
        bounded(
            self.inner.name(),
            limit,
            TimeoutPhase::Overall,
            self.inner.models(),
        )
        .await
    }
}
