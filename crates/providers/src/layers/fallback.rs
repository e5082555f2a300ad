//! A fallback chain across providers and models.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use deepsentinel_core::chat::{EmbeddingRequest, EmbeddingResponse, ModelList, ResponseMeta};
use deepsentinel_core::{ChatRequest, ChatResponse, ChatStream, Error, Provider};
use serde::{Deserialize, Serialize};

use super::ProviderLayer;
use super::stream::first_item;

/// Which model to ask a fallback provider for.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct FallbackTarget {
    /// The requested model → the model to send here (e.g. `gpt-4o` →
    /// `claude-sonnet-4-5`). Default empty.
    pub models: HashMap<String, String>,
    /// The model for requested models missing from `models`; `None` (the
    /// default) sends the requested model unchanged.
    pub default_model: Option<String>,
}

impl FallbackTarget {
    /// A target that always sends `model`.
    pub fn model(model: impl Into<String>) -> FallbackTarget {
        FallbackTarget {
            models: HashMap::new(),
            default_model: Some(model.into()),
        }
    }

    /// Adds a mapping from `from` to `to`.
    pub fn map(mut self, from: impl Into<String>, to: impl Into<String>) -> FallbackTarget {
        self.models.insert(from.into(), to.into());
        self
    }

    fn model_for<'a>(&'a self, requested: &'a str) -> &'a str {
        self.models
            .get(requested)
            .or(self.default_model.as_ref())
            .map_or(requested, String::as_str)
    }
}

/// The fallbacks behind a primary provider, in order; the
/// [`ProviderLayer`] for [`Fallback`] (the wrapped provider is the
/// primary). Nothing to validate: an empty list only forwards.
#[derive(Clone, Default)]
pub struct FallbackLayer {
    fallbacks: Vec<(Arc<dyn Provider>, FallbackTarget)>,
}

impl std::fmt::Debug for FallbackLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.fallbacks.iter().map(|(p, t)| (p.name(), t)))
            .finish()
    }
}

impl FallbackLayer {
    /// No fallbacks yet.
    pub fn new() -> FallbackLayer {
        FallbackLayer::default()
    }

    /// Adds `provider`, asked for the model `target` maps to.
    pub fn then(mut self, provider: Arc<dyn Provider>, target: FallbackTarget) -> FallbackLayer {
        self.fallbacks.push((provider, target));
        self
    }

    /// The chain with `primary` first.
    pub fn wrap(&self, primary: Arc<dyn Provider>) -> Fallback {
        let mut chain = vec![(primary, None)];
        chain.extend(
            self.fallbacks
                .iter()
                .map(|(p, t)| (Arc::clone(p), Some(t.clone()))),
        );
        Fallback { chain }
    }
}

impl ProviderLayer for FallbackLayer {
    fn layer(&self, inner: Arc<dyn Provider>) -> Arc<dyn Provider> {
        Arc::new(self.wrap(inner))
    }
}

/// Tries each provider of the chain in order until one serves the
/// request. Never falls back on an error with `!allows_fallback()`
/// (compliance, authentication, invalid request, configuration): that
/// error is returned at once. Streams fall back only before their first
/// chunk. The response's `meta.fallback_index` is the serving entry's
/// position, `meta.attempts` adds one per failed entry to the served
/// entry's own count (errors do not say how many attempts a failed entry
/// made), and `meta.provider`/`meta.model` are filled when the entry left
/// them empty. When every entry fails, the last error is returned.
pub struct Fallback {
    chain: Vec<(Arc<dyn Provider>, Option<FallbackTarget>)>,
}

impl std::fmt::Debug for Fallback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.chain.iter().map(|(p, _)| p.name()))
            .finish()
    }
}

fn request_for<'a>(req: &'a ChatRequest, target: Option<&FallbackTarget>) -> Cow<'a, ChatRequest> {
    match target.map(|t| t.model_for(&req.model)) {
        Some(m) if m != req.model => {
            let mut r = req.clone();
            r.model = m.to_owned();
            Cow::Owned(r)
        }
        _ => Cow::Borrowed(req),
    }
}

fn fill(meta: &mut ResponseMeta, provider: &dyn Provider, model: &str, index: usize, failed: u32) {
    if meta.provider.is_empty() {
        meta.provider = provider.name().to_owned();
    }
    if meta.model.is_empty() {
        meta.model = model.to_owned();
    }
    meta.fallback_index = index;
    meta.attempts = failed + meta.attempts.max(1);
}

impl Fallback {
    fn no_entries(&self) -> Error {
        Error::invalid_request("the fallback chain is empty")
    }
}

#[async_trait]
impl Provider for Fallback {
    fn name(&self) -> &str {
        self.chain.first().map_or("fallback", |(p, _)| p.name())
    }

    async fn complete(&self, req: &ChatRequest) -> Result<ChatResponse, Error> {
        let mut last = None;
        for (index, (provider, target)) in self.chain.iter().enumerate() {
            let sent = request_for(req, target.as_ref());
            match provider.complete(&sent).await {
                Ok(mut r) => {
                    fill(
                        &mut r.meta,
                        provider.as_ref(),
                        &sent.model,
                        index,
                        index as u32,
                    );
                    return Ok(r);
                }
                Err(e) if !e.allows_fallback() => return Err(e),
                Err(e) => {
                    tracing::debug!(
                        provider = provider.name(),
                        index,
                        error = e.label(),
                        "falling back"
                    );
                    last = Some(e);
                }
            }
        }
        Err(last.unwrap_or_else(|| self.no_entries()))
    }

    async fn stream(&self, req: &ChatRequest) -> Result<ChatStream, Error> {
        let mut last = None;
        for (index, (provider, target)) in self.chain.iter().enumerate() {
            let sent = request_for(req, target.as_ref());
            let opened = match provider.stream(&sent).await {
                Ok(s) => first_item(s).await,
                Err(e) => Err(e),
            };
            match opened {
                Ok(mut s) => {
                    fill(
                        &mut s.meta,
                        provider.as_ref(),
                        &sent.model,
                        index,
                        index as u32,
                    );
                    return Ok(s);
                }
                Err(e) if !e.allows_fallback() => return Err(e),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| self.no_entries()))
    }

    /// Embeddings go through the chain without model mapping (chat model
    /// maps do not apply to embedding models).
    async fn embed(&self, req: &EmbeddingRequest) -> Result<EmbeddingResponse, Error> {
        let mut last = None;
        for (provider, _) in &self.chain {
            match provider.embed(req).await {
                Ok(r) => return Ok(r),
                Err(e) if !e.allows_fallback() => return Err(e),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| self.no_entries()))
    }

    async fn models(&self) -> Result<ModelList, Error> {
        match self.chain.first() {
            Some((p, _)) => p.models().await,
            None => Err(self.no_entries()),
        }
    }
}
