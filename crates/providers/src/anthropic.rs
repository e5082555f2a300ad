//! Anthropic's Messages API.

use async_trait::async_trait;
use deepsentinel_core::anthropic::{
    ChunkMapper, MessagesResponse, StreamEvent, from_messages_response, to_messages_request,
};
use deepsentinel_core::chat::{ChatChunk, ModelInfo, ModelList};
use deepsentinel_core::{ChatRequest, ChatResponse, ChatStream, Error, Provider};
use futures_util::StreamExt;
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::http::{HttpClient, malformed};
use crate::openai::{cut, stream_fault};
use crate::sse::SseStream;
use crate::upstream::{AuthStyle, Upstream, unix_now};

/// Configuration of the Anthropic provider. `Debug` never shows the key.
#[derive(Debug, Clone)]
pub struct AnthropicConfig {
    /// The name used in errors, metrics and responses' metadata.
    pub name: String,
    /// The API root, `https://api.anthropic.com` (paths start with `/v1`).
    pub base_url: String,
    /// The API key (sent as `x-api-key`).
    pub api_key: Option<SecretString>,
    /// The `anthropic-version` header. Default `2023-06-01`.
    pub version: String,
    /// `anthropic-beta` features, if any.
    pub beta: Vec<String>,
    /// Output limit for requests that set none (Anthropic requires one).
    /// Default 4096.
    pub default_max_tokens: u32,
}

impl AnthropicConfig {
    /// Anthropic with `api_key` and the defaults.
    pub fn new(api_key: SecretString) -> AnthropicConfig {
        AnthropicConfig {
            name: "anthropic".into(),
            base_url: "https://api.anthropic.com".into(),
            api_key: Some(api_key),
            version: "2023-06-01".into(),
            beta: Vec::new(),
            default_max_tokens: 4096,
        }
    }
}

/// The Anthropic provider: OpenAI-shaped requests in, Messages API on the
/// wire, OpenAI-shaped answers out (see [`deepsentinel_core::anthropic`]).
#[derive(Debug, Clone)]
pub struct AnthropicProvider {
    upstream: Upstream,
    default_max_tokens: u32,
}

impl AnthropicProvider {
    /// A provider sending through `client`.
    ///
    /// # Errors
    /// [`Error::Config`] listing every invalid setting.
    pub fn new(config: &AnthropicConfig, client: HttpClient) -> Result<AnthropicProvider, Error> {
        let path = format!("providers.{}", config.name);
        let mut headers = vec![("anthropic-version".to_owned(), config.version.clone())];
        if !config.beta.is_empty() {
            headers.push(("anthropic-beta".to_owned(), config.beta.join(",")));
        }
        let mut problems = Vec::new();
        let upstream = match Upstream::new(
            &path,
            &config.name,
            &config.base_url,
            config.api_key.as_ref(),
            &AuthStyle::Header("x-api-key".into()),
            &[],
            &headers,
            client,
        ) {
            Ok(u) => Some(u),
            Err(Error::Config { problems: p }) => {
                problems = p;
                None
            }
            Err(e) => return Err(e),
        };
        if config.default_max_tokens == 0 {
            problems.push(deepsentinel_core::ConfigProblem::new(
                format!("{path}.default_max_tokens"),
                "must be greater than zero",
            ));
        }
        match upstream {
            Some(upstream) if problems.is_empty() => Ok(AnthropicProvider {
                upstream,
                default_max_tokens: config.default_max_tokens,
            }),
            _ => Err(Error::Config { problems }),
        }
    }

    fn body(
        &self,
        req: &ChatRequest,
        stream: bool,
    ) -> Result<deepsentinel_core::anthropic::MessagesRequest, Error> {
        let mut body = to_messages_request(req, self.default_max_tokens).map_err(|e| match e {
            Error::InvalidRequest { reason, param, .. } => Error::InvalidRequest {
                provider: Some(self.upstream.name.clone()),
                reason,
                param,
            },
            other => other,
        })?;
        body.stream = stream.then_some(true);
        Ok(body)
    }
}

#[derive(Deserialize)]
struct AnthropicModels {
    data: Vec<AnthropicModel>,
}

#[derive(Deserialize)]
struct AnthropicModel {
    id: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
}

#[async_trait]
impl Provider for AnthropicProvider {
    fn name(&self) -> &str {
        &self.upstream.name
    }

    async fn complete(&self, req: &ChatRequest) -> Result<ChatResponse, Error> {
        let body = self.body(req, false)?;
        let resp = self.upstream.post("/v1/messages", &body, false).await?;
        let meta = self.upstream.meta(&req.model, resp.headers());
        let msg: MessagesResponse = self.upstream.json(resp).await?;
        let mut out = from_messages_response(msg, unix_now());
        out.meta = meta;
        Ok(out)
    }

    async fn stream(&self, req: &ChatRequest) -> Result<ChatStream, Error> {
        let body = self.body(req, true)?;
        let resp = self.upstream.post("/v1/messages", &body, true).await?;
        let meta = self.upstream.meta(&req.model, resp.headers());
        let state = EventState {
            events: SseStream::new(resp.bytes_stream()),
            mapper: ChunkMapper::new(self.upstream.name.clone(), req.include_usage(), unix_now()),
            name: self.upstream.name.clone(),
            read_timeout: self.upstream.read_timeout(),
            pending: std::collections::VecDeque::new(),
            done: false,
        };
        let chunks = futures_util::stream::unfold(state, |mut s| async move {
            let item = s.next_chunk().await?;
            Some((item, s))
        });
        Ok(ChatStream::new(meta, Box::pin(chunks)))
    }

    async fn models(&self) -> Result<ModelList, Error> {
        let resp = self.upstream.get("/v1/models").await?;
        let list: AnthropicModels = self.upstream.json(resp).await?;
        Ok(ModelList {
            object: "list".into(),
            data: list
                .data
                .into_iter()
                .map(|m| {
                    let mut info = ModelInfo::new(m.id, "anthropic");
                    info.created = m
                        .created_at
                        .and_then(|t| OffsetDateTime::parse(&t, &Rfc3339).ok())
                        .and_then(|t| u64::try_from(t.unix_timestamp()).ok());
                    if let Some(d) = m.display_name {
                        info.extra.insert("display_name".into(), Value::String(d));
                    }
                    info
                })
                .collect(),
            extra: Default::default(),
        })
    }
}

struct EventState<S> {
    events: SseStream<S, crate::transport::Fault>,
    mapper: ChunkMapper,
    name: String,
    read_timeout: std::time::Duration,
    pending: std::collections::VecDeque<ChatChunk>,
    /// `message_stop` or an error was seen.
    done: bool,
}

impl<S> EventState<S>
where
    S: futures_core::Stream<Item = Result<bytes::Bytes, crate::transport::Fault>>,
{
    async fn next_chunk(&mut self) -> Option<Result<ChatChunk, Error>> {
        loop {
            if let Some(c) = self.pending.pop_front() {
                return Some(Ok(c));
            }
            if self.done {
                return None;
            }
            let event = match self.events.next().await {
                Some(Ok(e)) => e,
                Some(Err(fault)) => {
                    self.done = true;
                    return Some(Err(stream_fault(&self.name, fault, self.read_timeout)));
                }
                None => {
                    // Every Anthropic stream ends with `message_stop`.
                    self.done = true;
                    return Some(Err(cut(&self.name)));
                }
            };
            let parsed: StreamEvent = match serde_json::from_str(&event.data) {
                Ok(e) => e,
                Err(_) => {
                    self.done = true;
                    return Some(Err(malformed(&self.name, Some(200))));
                }
            };
            let stop = matches!(parsed, StreamEvent::MessageStop);
            match self.mapper.on_event(parsed) {
                Ok(chunks) => self.pending.extend(chunks),
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
            if stop {
                self.done = true;
            }
        }
    }
}
