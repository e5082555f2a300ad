//! OpenAI, and every server that speaks its API (Azure OpenAI, vLLM,
//! Ollama, LM Studio, …).

use async_trait::async_trait;
use deepsentinel_core::chat::{ChatChunk, EmbeddingRequest, EmbeddingResponse, ModelList};
use deepsentinel_core::{ChatRequest, ChatResponse, ChatStream, Error, NetworkErrorKind, Provider};
use futures_util::StreamExt;
use secrecy::SecretString;
use serde_json::Value;

use crate::http::{HttpClient, body_error, malformed};
use crate::sse::{SseError, SseFault, SseStream};
use crate::upstream::{AuthStyle, Upstream};

/// Configuration of an OpenAI or OpenAI-compatible provider.
///
/// `Debug` never shows the key.
#[derive(Debug, Clone)]
pub struct OpenAiConfig {
    /// The name used in errors, metrics and responses' metadata.
    pub name: String,
    /// The API root, e.g. `https://api.openai.com/v1`; paths such as
    /// `/chat/completions` are appended.
    pub base_url: String,
    /// The API key.
    pub api_key: Option<SecretString>,
    /// How the key is sent.
    pub auth: AuthStyle,
    /// Query parameters added to every request (`api-version` for Azure).
    pub query: Vec<(String, String)>,
    /// Extra headers sent with every request (not secrets).
    pub headers: Vec<(String, String)>,
}

impl OpenAiConfig {
    /// OpenAI itself.
    pub fn openai(api_key: SecretString) -> OpenAiConfig {
        OpenAiConfig {
            name: "openai".into(),
            base_url: "https://api.openai.com/v1".into(),
            api_key: Some(api_key),
            auth: AuthStyle::Bearer,
            query: Vec::new(),
            headers: Vec::new(),
        }
    }

    /// Any OpenAI-compatible server at `base_url` (bearer key if given,
    /// none otherwise).
    pub fn compatible(
        name: impl Into<String>,
        base_url: impl Into<String>,
        api_key: Option<SecretString>,
    ) -> OpenAiConfig {
        OpenAiConfig {
            name: name.into(),
            base_url: base_url.into(),
            auth: if api_key.is_some() {
                AuthStyle::Bearer
            } else {
                AuthStyle::None
            },
            api_key,
            query: Vec::new(),
            headers: Vec::new(),
        }
    }

    /// An Azure OpenAI deployment: `{endpoint}/openai/deployments/{deployment}`
    /// with `api-version` and the `api-key` header.
    pub fn azure(
        endpoint: &str,
        deployment: &str,
        api_version: &str,
        api_key: SecretString,
    ) -> OpenAiConfig {
        OpenAiConfig {
            name: "azure-openai".into(),
            base_url: format!(
                "{}/openai/deployments/{deployment}",
                endpoint.trim_end_matches('/')
            ),
            api_key: Some(api_key),
            auth: AuthStyle::Header("api-key".into()),
            query: vec![("api-version".into(), api_version.into())],
            headers: Vec::new(),
        }
    }
}

/// An OpenAI or OpenAI-compatible provider.
#[derive(Debug, Clone)]
pub struct OpenAiProvider {
    upstream: Upstream,
}

impl OpenAiProvider {
    /// A provider sending through `client`.
    ///
    /// # Errors
    /// [`Error::Config`] listing every invalid setting (base URL, missing
    /// or unusable key, header names).
    pub fn new(config: &OpenAiConfig, client: HttpClient) -> Result<OpenAiProvider, Error> {
        let path = format!("providers.{}", config.name);
        Ok(OpenAiProvider {
            upstream: Upstream::new(
                &path,
                &config.name,
                &config.base_url,
                config.api_key.as_ref(),
                &config.auth,
                &config.query,
                &config.headers,
                client,
            )?,
        })
    }
}

#[async_trait]
impl Provider for OpenAiProvider {
    fn name(&self) -> &str {
        &self.upstream.name
    }

    async fn complete(&self, req: &ChatRequest) -> Result<ChatResponse, Error> {
        let resp = if req.stream == Some(true) {
            let mut r = req.clone();
            r.stream = None;
            r.stream_options = None;
            self.upstream.post("/chat/completions", &r, false).await?
        } else {
            self.upstream.post("/chat/completions", req, false).await?
        };
        let meta = self.upstream.meta(&req.model, resp.headers());
        let mut out: ChatResponse = self.upstream.json(resp).await?;
        out.meta = meta;
        Ok(out)
    }

    async fn stream(&self, req: &ChatRequest) -> Result<ChatStream, Error> {
        let mut r = req.clone();
        r.stream = Some(true);
        let resp = self.upstream.post("/chat/completions", &r, true).await?;
        let meta = self.upstream.meta(&req.model, resp.headers());
        let name = self.upstream.name.clone();
        let read_timeout = self.upstream.read_timeout();
        let events = SseStream::new(resp.bytes_stream());
        let state = ChunkState {
            events,
            name,
            read_timeout,
            done: false,
            finished: false,
        };
        let chunks = futures_util::stream::unfold(state, |mut s| async move {
            let item = s.next_chunk().await?;
            Some((item, s))
        });
        Ok(ChatStream::new(meta, Box::pin(chunks)))
    }

    async fn embed(&self, req: &EmbeddingRequest) -> Result<EmbeddingResponse, Error> {
        let resp = self.upstream.post("/embeddings", req, false).await?;
        let meta = self.upstream.meta(&req.model, resp.headers());
        let mut out: EmbeddingResponse = self.upstream.json(resp).await?;
        out.meta = meta;
        Ok(out)
    }

    async fn models(&self) -> Result<ModelList, Error> {
        let resp = self.upstream.get("/models").await?;
        self.upstream.json(resp).await
    }
}

struct ChunkState<S> {
    events: SseStream<S, crate::transport::Fault>,
    name: String,
    read_timeout: std::time::Duration,
    /// `[DONE]` or an error was seen: nothing more is yielded.
    done: bool,
    /// A `finish_reason` was seen: the upstream may close without `[DONE]`.
    finished: bool,
}

impl<S> ChunkState<S>
where
    S: futures_core::Stream<Item = Result<bytes::Bytes, crate::transport::Fault>>,
{
    async fn next_chunk(&mut self) -> Option<Result<ChatChunk, Error>> {
        if self.done {
            return None;
        }
        loop {
            let event = match self.events.next().await {
                Some(Ok(e)) => e,
                Some(Err(fault)) => {
                    self.done = true;
                    return Some(Err(stream_fault(&self.name, fault, self.read_timeout)));
                }
                None => {
                    self.done = true;
                    // Tolerated: upstreams that close after the last chunk
                    // without `[DONE]`. Not tolerated: closing before any
                    // choice finished, which is a cut stream.
                    return (!self.finished).then(|| Err(cut(&self.name)));
                }
            };
            let data = event.data.trim();
            if data == "[DONE]" {
                self.done = true;
                return None;
            }
            if data.is_empty() {
                continue;
            }
            let value: Value = match serde_json::from_str(data) {
                Ok(v) => v,
                Err(_) => {
                    self.done = true;
                    return Some(Err(malformed(&self.name, Some(200))));
                }
            };
            if let Some(err) = value.get("error").filter(|e| e.is_object()) {
                self.done = true;
                let code = err
                    .get("code")
                    .and_then(Value::as_str)
                    .or_else(|| err.get("type").and_then(Value::as_str))
                    .map(str::to_owned);
                return Some(Err(Error::Provider {
                    provider: self.name.clone(),
                    status: None,
                    retryable: code
                        .as_deref()
                        .is_some_and(|c| c.contains("server_error") || c.contains("overloaded")),
                    retry_after: None,
                    code: code.or_else(|| Some("stream_error".into())),
                }));
            }
            match serde_json::from_value::<ChatChunk>(value) {
                Ok(chunk) => {
                    if chunk
                        .choices
                        .iter()
                        .any(|c| c.finish_reason.value().is_some())
                    {
                        self.finished = true;
                    }
                    return Some(Ok(chunk));
                }
                Err(_) => {
                    self.done = true;
                    return Some(Err(malformed(&self.name, Some(200))));
                }
            }
        }
    }
}

/// A stream that ended before its end marker.
pub(crate) fn cut(provider: &str) -> Error {
    Error::Network {
        provider: provider.to_owned(),
        kind: NetworkErrorKind::Body,
        source: None,
    }
}

/// An event-stream failure as an [`Error`].
pub(crate) fn stream_fault(
    provider: &str,
    fault: SseFault<crate::transport::Fault>,
    read_timeout: std::time::Duration,
) -> Error {
    match fault {
        SseFault::Transport(e) => body_error(provider, e, read_timeout),
        SseFault::Decode(SseError::Truncated) => cut(provider),
        SseFault::Decode(_) => malformed(provider, Some(200)),
    }
}
