//! The same API without async (feature `blocking`), like reqwest's.
//!
//! A blocking client owns a small tokio runtime (one worker thread) and
//! runs each call on it. As with reqwest's blocking client, do not use it
//! from inside an async runtime: calling or dropping it there panics in
//! tokio. Use [`crate::SentinelClient`] in async code.
//!
//! ```
//! use std::sync::Arc;
//! use deepsentinel::{ChatRequest, Message};
//! use deepsentinel_providers::EchoProvider;
//!
//! let async_client = deepsentinel::SentinelClient::builder()
//!     .provider("echo", Arc::new(EchoProvider::new()))
//!     .build()
//!     .expect("valid");
//! let client = deepsentinel::blocking::SentinelClient::new(async_client).expect("runtime");
//! let reply = client
//!     .chat()
//!     .completions()
//!     .create(ChatRequest::new("echo", vec![Message::user("hello")]))
//!     .expect("echo answers");
//! assert_eq!(reply.text(), "hello");
//! let words: Vec<String> = client
//!     .chat()
//!     .completions()
//!     .stream(ChatRequest::new("echo", vec![Message::user("one two")]))
//!     .expect("starts")
//!     .map(|c| c.expect("chunk").text())
//!     .collect();
//! assert_eq!(words.concat(), "one two");
//! ```

use std::sync::Arc;

use deepsentinel_core::chat::{
    ChatChunk, EmbeddingRequest, EmbeddingResponse, ModelList, ResponseMeta,
};
use deepsentinel_core::{ChatRequest, ChatResponse, ChatStream, ConfigProblem, Error};
use futures_util::StreamExt;

use crate::client::HealthReport;
use crate::hooks::RequestOptions;

/// A blocking [`crate::SentinelClient`]. Cheap to clone.
#[derive(Debug, Clone)]
pub struct SentinelClient {
    inner: crate::SentinelClient,
    rt: Arc<tokio::runtime::Runtime>,
}

impl SentinelClient {
    /// Wraps an async client.
    ///
    /// # Errors
    /// [`Error::Config`] if the runtime cannot start (no threads).
    pub fn new(inner: crate::SentinelClient) -> Result<SentinelClient, Error> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("deepsentinel-blocking")
            .enable_all()
            .build()
            .map_err(|_| Error::Config {
                problems: vec![ConfigProblem::new(
                    "blocking",
                    "the client's runtime could not start",
                )],
            })?;
        Ok(SentinelClient {
            inner,
            rt: Arc::new(rt),
        })
    }

    /// Chat endpoints.
    pub fn chat(&self) -> Chat<'_> {
        Chat { client: self }
    }

    /// Embeddings.
    pub fn embeddings(&self) -> Embeddings<'_> {
        Embeddings { client: self }
    }

    /// Models.
    pub fn models(&self) -> Models<'_> {
        Models { client: self }
    }

    /// See [`crate::SentinelClient::health`].
    pub fn health(&self) -> HealthReport {
        self.rt.block_on(self.inner.health())
    }
}

/// `client.chat()`.
#[derive(Debug, Clone, Copy)]
pub struct Chat<'a> {
    client: &'a SentinelClient,
}

/// `client.chat().completions()`.
#[derive(Debug, Clone, Copy)]
pub struct Completions<'a> {
    client: &'a SentinelClient,
}

/// `client.embeddings()`.
#[derive(Debug, Clone, Copy)]
pub struct Embeddings<'a> {
    client: &'a SentinelClient,
}

/// `client.models()`.
#[derive(Debug, Clone, Copy)]
pub struct Models<'a> {
    client: &'a SentinelClient,
}

impl Chat<'_> {
    /// Chat completions.
    pub fn completions(&self) -> Completions<'_> {
        Completions {
            client: self.client,
        }
    }
}

impl Completions<'_> {
    /// See [`crate::Completions::create`].
    pub fn create(&self, req: ChatRequest) -> Result<ChatResponse, Error> {
        self.create_with(req, &RequestOptions::default())
    }

    /// See [`crate::Completions::create_with`].
    pub fn create_with(
        &self,
        req: ChatRequest,
        options: &RequestOptions,
    ) -> Result<ChatResponse, Error> {
        let c = &self.client.inner;
        self.client
            .rt
            .block_on(c.chat().completions().create_with(req, options))
    }

    /// See [`crate::Completions::stream`]: an iterator of chunks.
    pub fn stream(&self, req: ChatRequest) -> Result<ChunkIter, Error> {
        self.stream_with(req, &RequestOptions::default())
    }

    /// See [`crate::Completions::stream_with`].
    pub fn stream_with(
        &self,
        req: ChatRequest,
        options: &RequestOptions,
    ) -> Result<ChunkIter, Error> {
        let c = &self.client.inner;
        let stream = self
            .client
            .rt
            .block_on(c.chat().completions().stream_with(req, options))?;
        Ok(ChunkIter {
            meta: stream.meta.clone(),
            stream,
            rt: self.client.rt.clone(),
        })
    }
}

impl Embeddings<'_> {
    /// See [`crate::Embeddings::create`].
    pub fn create(&self, req: EmbeddingRequest) -> Result<EmbeddingResponse, Error> {
        let c = &self.client.inner;
        self.client.rt.block_on(c.embeddings().create(req))
    }
}

impl Models<'_> {
    /// See [`crate::Models::list`].
    pub fn list(&self) -> Result<ModelList, Error> {
        let c = &self.client.inner;
        self.client.rt.block_on(c.models().list())
    }
}

/// A streamed completion as an iterator; each `next` blocks until the next
/// chunk (or the end).
pub struct ChunkIter {
    /// Who serves the stream, and the request's compliance decision.
    pub meta: ResponseMeta,
    stream: ChatStream,
    rt: Arc<tokio::runtime::Runtime>,
}

impl std::fmt::Debug for ChunkIter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChunkIter")
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

impl Iterator for ChunkIter {
    type Item = Result<ChatChunk, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.rt.block_on(self.stream.next())
    }
}
