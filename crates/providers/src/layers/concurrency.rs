//! Bounded concurrency per provider.

use std::sync::Arc;

use async_trait::async_trait;
use deepsentinel_core::chat::{EmbeddingRequest, EmbeddingResponse, ModelList};
use deepsentinel_core::{ChatRequest, ChatResponse, ChatStream, Error, Provider};
use serde::{Deserialize, Serialize};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::ProviderLayer;
use super::error::{LayerConfigError, nonzero};
use super::stream::Guarded;

/// How many calls may be in flight at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConcurrencyConfig {
    /// The bound. Default 64; not zero. A stream holds its slot until it
    /// ends or is dropped. Callers beyond it wait, first come first served.
    pub max_in_flight: usize,
}

impl Default for ConcurrencyConfig {
    fn default() -> ConcurrencyConfig {
        ConcurrencyConfig { max_in_flight: 64 }
    }
}

/// A validated [`ConcurrencyConfig`].
#[derive(Debug, Clone)]
pub struct ConcurrencyLayer {
    max: usize,
}

impl ConcurrencyLayer {
    /// Validates `config`.
    pub fn new(config: ConcurrencyConfig) -> Result<ConcurrencyLayer, LayerConfigError> {
        nonzero(config.max_in_flight as u64, "concurrency", "max_in_flight")?;
        Ok(ConcurrencyLayer {
            max: config.max_in_flight.min(Semaphore::MAX_PERMITS),
        })
    }

    /// Wraps `inner` with its own semaphore.
    pub fn wrap(&self, inner: Arc<dyn Provider>) -> ConcurrencyLimit {
        ConcurrencyLimit {
            inner,
            permits: Arc::new(Semaphore::new(self.max)),
        }
    }
}

impl ProviderLayer for ConcurrencyLayer {
    fn layer(&self, inner: Arc<dyn Provider>) -> Arc<dyn Provider> {
        Arc::new(self.wrap(inner))
    }
}

/// Holds calls to the provider it wraps to a bound; see
/// [`ConcurrencyConfig`].
pub struct ConcurrencyLimit {
    inner: Arc<dyn Provider>,
    permits: Arc<Semaphore>,
}

impl std::fmt::Debug for ConcurrencyLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConcurrencyLimit")
            .field("inner", &self.inner.name())
            .field("available", &self.available())
            .finish()
    }
}

impl ConcurrencyLimit {
    /// Free slots right now.
    pub fn available(&self) -> usize {
        self.permits.available_permits()
    }

    async fn permit(&self) -> Result<OwnedSemaphorePermit, Error> {
        // The semaphore is never closed; the error arm is for completeness.
        Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| Error::Provider {
                provider: self.inner.name().to_owned(),
                status: None,
                retryable: false,
                retry_after: None,
                code: Some("concurrency_closed".into()),
            })
    }
}

#[async_trait]
impl Provider for ConcurrencyLimit {
    fn name(&self) -> &str {
        self.inner.name()
    }

    async fn complete(&self, req: &ChatRequest) -> Result<ChatResponse, Error> {
        let _permit = self.permit().await?;
        self.inner.complete(req).await
    }

    async fn stream(&self, req: &ChatRequest) -> Result<ChatStream, Error> {
        let permit = self.permit().await?;
        let s = self.inner.stream(req).await?;
        Ok(Guarded::wrap(s, permit))
    }

    async fn embed(&self, req: &EmbeddingRequest) -> Result<EmbeddingResponse, Error> {
        let _permit = self.permit().await?;
        self.inner.embed(req).await
    }

    async fn models(&self) -> Result<ModelList, Error> {
        self.inner.models().await
    }
}
