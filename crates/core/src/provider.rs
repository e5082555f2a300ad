use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use async_trait::async_trait;
use futures_core::Stream;

use crate::Error;
use crate::chat::{
    ChatChunk, ChatRequest, ChatResponse, EmbeddingRequest, EmbeddingResponse, ModelList,
    ResponseMeta,
};

/// An LLM provider: OpenAI, Anthropic, an OpenAI-compatible server, the
/// echo provider, or any resilience layer wrapping one of them.
///
/// Requests and responses are in OpenAI's shape ([`crate::chat`]); a
/// provider with another wire format maps at its edge. Layers (retries,
/// circuit breakers, fallback, balancing, rate limits) implement this same
/// trait around an `Arc<dyn Provider>`, so any stack of them is still a
/// `Provider`.
#[async_trait]
pub trait Provider: Send + Sync {
    /// The configured name, used in errors, metrics and [`ResponseMeta`].
    fn name(&self) -> &str;

    /// One chat completion.
    async fn complete(&self, req: &ChatRequest) -> Result<ChatResponse, Error>;

    /// A streamed chat completion. Returns once the upstream has accepted
    /// the request (status and headers received); the chunks follow.
    async fn stream(&self, req: &ChatRequest) -> Result<ChatStream, Error>;

    /// Embeddings. Providers without an embeddings API return
    /// [`Error::InvalidRequest`].
    async fn embed(&self, req: &EmbeddingRequest) -> Result<EmbeddingResponse, Error> {
        let _ = req;
        Err(Error::InvalidRequest {
            provider: Some(self.name().to_owned()),
            reason: "this provider has no embeddings API".into(),
            param: None,
        })
    }

    /// The models the provider offers.
    async fn models(&self) -> Result<ModelList, Error>;
}

#[async_trait]
impl<P: Provider + ?Sized> Provider for std::sync::Arc<P> {
    fn name(&self) -> &str {
        (**self).name()
    }
    async fn complete(&self, req: &ChatRequest) -> Result<ChatResponse, Error> {
        (**self).complete(req).await
    }
    async fn stream(&self, req: &ChatRequest) -> Result<ChatStream, Error> {
        (**self).stream(req).await
    }
    async fn embed(&self, req: &EmbeddingRequest) -> Result<EmbeddingResponse, Error> {
        (**self).embed(req).await
    }
    async fn models(&self) -> Result<ModelList, Error> {
        (**self).models().await
    }
}

/// The boxed chunk stream inside a [`ChatStream`].
pub type BoxChunkStream = Pin<Box<dyn Stream<Item = Result<ChatChunk, Error>> + Send>>;

/// A streamed chat completion: chunks, then the end of the stream. An
/// error item ends the stream.
pub struct ChatStream {
    /// Who is serving the stream.
    pub meta: ResponseMeta,
    inner: BoxChunkStream,
}

impl ChatStream {
    /// A stream served by `meta.provider`.
    pub fn new(meta: ResponseMeta, inner: BoxChunkStream) -> ChatStream {
        ChatStream { meta, inner }
    }

    /// The inner stream, and the meta.
    pub fn into_parts(self) -> (ResponseMeta, BoxChunkStream) {
        (self.meta, self.inner)
    }
}

impl fmt::Debug for ChatStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChatStream")
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

impl Stream for ChatStream {
    type Item = Result<ChatChunk, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().inner.as_mut().poll_next(cx)
    }
}

/// An upstream's rate-limit state, from its response headers.
///
/// Parsed from OpenAI's `x-ratelimit-*` headers (resets as durations such
/// as `6m0s`) and Anthropic's `anthropic-ratelimit-*` headers (resets as
/// RFC 3339 times, turned into a wait from the response's arrival). Any
/// field may be missing; a header that does not parse is left out, never
/// an error.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RateLimitInfo {
    /// Requests allowed per window.
    pub requests_limit: Option<u64>,
    /// Requests left in the window.
    pub requests_remaining: Option<u64>,
    /// Until the request window resets.
    pub requests_reset: Option<Duration>,
    /// Tokens allowed per window.
    pub tokens_limit: Option<u64>,
    /// Tokens left in the window.
    pub tokens_remaining: Option<u64>,
    /// Until the token window resets.
    pub tokens_reset: Option<Duration>,
    /// `Retry-After` (or `retry-after-ms`), when sent.
    pub retry_after: Option<Duration>,
}

impl RateLimitInfo {
    /// Whether any field was found.
    pub fn is_empty(&self) -> bool {
        *self == RateLimitInfo::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Losing object safety must break the build, not a user.
    #[allow(dead_code)]
    fn object_safe(_: Box<dyn Provider>, _: std::sync::Arc<dyn Provider>) {}
}
