//! The router: thin handlers over [`SentinelClient`]. Each handler
//! authenticates, admits (or sheds), reads and parses the body, calls the
//! client, and writes the answer in its API's format.

use std::convert::Infallible;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use deepsentinel::{RequestOptions, SentinelClient};
use deepsentinel_core::anthropic::{self, EventMapper, MessagesRequest};
use deepsentinel_core::chat::{ComplianceMeta, EmbeddingRequest, ResponseMeta};
use deepsentinel_core::{BoxChunkStream, ChatRequest, ChatResponse, Error};
use futures_util::StreamExt;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::{KeyConfig, ServerConfig};
use crate::error::{ApiError, ApiFormat};
use crate::metrics::Metrics;

/// A configured gateway key.
struct Key {
    id: String,
    hash: [u8; 32],
    models: Vec<String>,
    limiter: Option<DefaultDirectRateLimiter>,
}

struct Inner {
    client: SentinelClient,
    config: ServerConfig,
    keys: Vec<Key>,
    permits: Arc<Semaphore>,
    metrics: Metrics,
    next_id: AtomicU64,
}

/// The gateway's shared state: the client, the keys, the limits, the
/// metrics. Cheap to clone.
#[derive(Clone)]
pub struct Gateway {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway")
            .field("listen", &self.inner.config.listen)
            .field(
                "keys",
                &self.inner.keys.iter().map(|k| &k.id).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

/// The policy tag under which a key's own policy is registered with the
/// client (`ClientBuilder::tag_policies`).
pub fn key_tag(id: &str) -> String {
    format!("gateway-key:{id}")
}

fn hex32(s: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

fn key(k: &KeyConfig) -> Key {
    Key {
        id: k.id.clone(),
        hash: hex32(&k.sha256).unwrap_or([0; 32]),
        models: k.models.clone(),
        limiter: k
            .requests_per_minute
            .and_then(NonZeroU32::new)
            .map(|n| RateLimiter::direct(Quota::per_minute(n))),
    }
}

impl Gateway {
    /// A gateway serving `client` with `config` (validated by the caller,
    /// see [`ServerConfig::validate`]). Keys with their own policy need
    /// that policy registered on the client under [`key_tag`].
    pub fn new(client: SentinelClient, config: ServerConfig) -> Gateway {
        Gateway {
            inner: Arc::new(Inner {
                keys: config.keys.iter().map(key).collect(),
                permits: Arc::new(Semaphore::new(config.max_concurrency)),
                client,
                config,
                metrics: Metrics::default(),
                next_id: AtomicU64::new(1),
            }),
        }
    }

    /// The settings.
    pub fn config(&self) -> &ServerConfig {
        &self.inner.config
    }

    /// The metrics.
    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// The router: every endpoint, with the request-id middleware.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/v1/chat/completions", post(chat_completions))
            .route("/v1/messages", post(messages))
            .route("/v1/embeddings", post(embeddings))
            .route("/v1/models", get(models))
            .route("/v1/scan", post(scan))
            .route("/v1/redact", post(redact))
            .route("/healthz", get(healthz))
            .route("/readyz", get(readyz))
            .route("/metrics", get(metrics))
            .fallback(not_found)
            .layer(middleware::from_fn_with_state(self.clone(), request_id))
            .with_state(self.clone())
    }

    /// Checks the caller's key (`Authorization: Bearer` or `x-api-key`),
    /// in constant time against every configured hash. No keys configured:
    /// everyone is admitted.
    fn authenticate(
        &self,
        headers: &HeaderMap,
        format: ApiFormat,
    ) -> Result<Option<&Key>, ApiError> {
        if self.inner.keys.is_empty() {
            return Ok(None);
        }
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .or_else(|| headers.get("x-api-key").and_then(|v| v.to_str().ok()))
            .map(str::trim)
            .filter(|k| !k.is_empty());
        let Some(presented) = presented else {
            return Err(ApiError::new(
                format,
                StatusCode::UNAUTHORIZED,
                "authentication_error",
                "missing API key: send `Authorization: Bearer <key>` or `x-api-key`",
            ));
        };
        let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        // Compare against every key, without stopping early, so timing does
        // not reveal which entry (if any) matched.
        let mut found = None;
        for k in &self.inner.keys {
            if bool::from(k.hash.ct_eq(&digest)) {
                found = Some(k);
            }
        }
        let Some(k) = found else {
            return Err(ApiError::new(
                format,
                StatusCode::UNAUTHORIZED,
                "authentication_error",
                "invalid API key",
            ));
        };
        if let Some(l) = &k.limiter {
            if let Err(not_until) = l.check() {
                let wait = not_until.wait_time_from(governor::clock::Clock::now(
                    &governor::clock::DefaultClock::default(),
                ));
                let mut e = ApiError::new(
                    format,
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limit_error",
                    format!("the request rate of key `{}` is exceeded", k.id),
                );
                e.retry_after = Some(wait);
                e.retryable = true;
                return Err(e);
            }
        }
        Ok(Some(k))
    }

    /// A slot among `max_concurrency`, or 503 with `Retry-After`.
    fn admit(&self, format: ApiFormat) -> Result<OwnedSemaphorePermit, ApiError> {
        self.inner.permits.clone().try_acquire_owned().map_err(|_| {
            let mut e = ApiError::new(
                format,
                StatusCode::SERVICE_UNAVAILABLE,
                "overloaded_error",
                "the gateway is at its concurrency limit; retry shortly",
            );
            e.retry_after = Some(std::time::Duration::from_secs(1));
            e.retryable = true;
            e
        })
    }

    async fn body(&self, body: Body, format: ApiFormat) -> Result<Bytes, ApiError> {
        let limit = self.inner.config.max_body_bytes;
        axum::body::to_bytes(body, limit).await.map_err(|_| {
            ApiError::new(
                format,
                StatusCode::PAYLOAD_TOO_LARGE,
                "invalid_request_error",
                format!("the request body is larger than {limit} bytes (or could not be read)"),
            )
        })
    }

    /// The common start of every POST endpoint: authenticate, take a
    /// concurrency slot, read the body within the limit, parse it.
    async fn accept<T: serde::de::DeserializeOwned>(
        &self,
        headers: &HeaderMap,
        body: Body,
        format: ApiFormat,
    ) -> Result<(Option<&Key>, OwnedSemaphorePermit, T), ApiError> {
        let key = self.authenticate(headers, format)?;
        let permit = self.admit(format)?;
        let bytes = self.body(body, format).await?;
        Ok((key, permit, parse(&bytes, format)?))
    }

    fn options(
        &self,
        key: Option<&Key>,
        headers: &HeaderMap,
        user: Option<&str>,
    ) -> RequestOptions {
        let mut o = RequestOptions {
            user: user.map(str::to_owned),
            session: headers
                .get("x-deepsentinel-session")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            ..RequestOptions::default()
        };
        if let Some(k) = key {
            o.tags.push(key_tag(&k.id));
        }
        o
    }

    fn check_model(
        &self,
        key: Option<&Key>,
        model: &str,
        format: ApiFormat,
    ) -> Result<(), ApiError> {
        match key {
            Some(k) if !k.models.is_empty() && !k.models.iter().any(|m| m == model) => {
                Err(ApiError::new(
                    format,
                    StatusCode::FORBIDDEN,
                    "permission_error",
                    format!("key `{}` may not use model `{model}`", k.id),
                ))
            }
            _ => Ok(()),
        }
    }

    fn failed(&self, format: ApiFormat, e: &Error) -> ApiError {
        self.inner.metrics.error(e.label());
        if let Error::ComplianceViolation { .. } = e {
            self.inner.metrics.decision("block", &Default::default());
        }
        ApiError::from_error(format, e)
    }

    fn record(&self, meta: &ResponseMeta) {
        if let Some(c) = &meta.compliance {
            self.inner.metrics.decision(&c.decision, &c.findings);
        }
    }

    /// A whole (non-streamed) chat reply through the client, within the
    /// request deadline, answered with `body` in the caller's format.
    async fn complete(
        &self,
        format: ApiFormat,
        req: ChatRequest,
        opts: &RequestOptions,
        permit: OwnedSemaphorePermit,
        body: impl FnOnce(&ChatResponse) -> Response,
    ) -> Result<Response, ApiError> {
        let chat = self.inner.client.chat();
        let out = with_deadline(self, format, chat.completions().create_with(req, opts)).await?;
        drop(permit);
        self.record(&out.meta);
        let mut resp = body(&out);
        compliance_headers(&mut resp, out.meta.compliance.as_ref());
        Ok(resp)
    }

    /// Starts a streamed chat reply through the client, within the request
    /// deadline: the request's compliance metadata and the chunks.
    async fn start_stream(
        &self,
        format: ApiFormat,
        req: ChatRequest,
        opts: &RequestOptions,
    ) -> Result<(Option<ComplianceMeta>, BoxChunkStream), ApiError> {
        let chat = self.inner.client.chat();
        let stream = with_deadline(self, format, chat.completions().stream_with(req, opts)).await?;
        self.record(&stream.meta);
        let compliance = stream.meta.compliance.clone();
        let (_, chunks) = stream.into_parts();
        Ok((compliance, chunks))
    }
}

fn parse<T: serde::de::DeserializeOwned>(bytes: &[u8], format: ApiFormat) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        // serde_json's messages name a line, column and expectation; they do
        // not quote the input.
        ApiError::new(
            format,
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            format!("the request body is not a valid request: {e}"),
        )
    })
}

fn compliance_headers(resp: &mut Response, c: Option<&ComplianceMeta>) {
    if let Some(c) = c {
        let h = resp.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&c.decision) {
            h.insert("x-deepsentinel-decision", v);
        }
        // Three decimals by integer arithmetic: `{:.3}` on an f64 takes
        // the slow exact-formatting path on every response.
        let thousandths = (c.risk_score.clamp(0.0, 1.0) * 1000.0).round() as u32;
        let risk = format!("{}.{:03}", thousandths / 1000, thousandths % 1000);
        if let Ok(v) = HeaderValue::from_str(&risk) {
            h.insert("x-deepsentinel-risk-score", v);
        }
    }
}

fn finish(gw: &Gateway, endpoint: &str, start: Instant, r: Result<Response, ApiError>) -> Response {
    let resp = r.unwrap_or_else(IntoResponse::into_response);
    gw.inner
        .metrics
        .request(endpoint, resp.status().as_u16(), start.elapsed());
    resp
}

fn sse(body: impl futures_util::Stream<Item = Bytes> + Send + 'static) -> Response {
    let mut resp = Response::new(Body::from_stream(body.map(Ok::<_, Infallible>)));
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    resp
}

async fn with_deadline<T>(
    gw: &Gateway,
    format: ApiFormat,
    f: impl Future<Output = Result<T, Error>>,
) -> Result<T, ApiError> {
    match tokio::time::timeout(gw.inner.config.request_timeout, f).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(gw.failed(format, &e)),
        Err(_) => {
            let mut e = ApiError::new(
                format,
                StatusCode::GATEWAY_TIMEOUT,
                "timeout_error",
                format!(
                    "the request took longer than {:?}",
                    gw.inner.config.request_timeout
                ),
            );
            e.retryable = true;
            Err(e)
        }
    }
}

async fn chat_completions(State(gw): State<Gateway>, headers: HeaderMap, body: Body) -> Response {
    let start = Instant::now();
    let f = ApiFormat::OpenAi;
    let r = async {
        let (key, permit, req): (_, _, ChatRequest) = gw.accept(&headers, body, f).await?;
        gw.check_model(key, &req.model, f)?;
        let opts = gw.options(key, &headers, req.user.as_deref());
        if req.stream == Some(true) {
            let (c, inner) = gw.start_stream(f, req, &opts).await?;
            let gw2 = gw.clone();
            let events = futures_util::stream::unfold(
                (inner, false, Some(permit)),
                move |(mut s, done, permit)| {
                    let gw = gw2.clone();
                    async move {
                        if done {
                            drop(permit);
                            return None;
                        }
                        match s.next().await {
                            Some(Ok(chunk)) => {
                                let json = serde_json::to_string(&chunk).unwrap_or_default();
                                Some((Bytes::from(format!("data: {json}\n\n")), (s, false, permit)))
                            }
                            Some(Err(e)) => {
                                let body = gw.failed(f, &e).body();
                                Some((Bytes::from(format!("data: {body}\n\n")), (s, true, permit)))
                            }
                            None => {
                                Some((Bytes::from_static(b"data: [DONE]\n\n"), (s, true, permit)))
                            }
                        }
                    }
                },
            );
            let mut resp = sse(events);
            compliance_headers(&mut resp, c.as_ref());
            Ok(resp)
        } else {
            gw.complete(f, req, &opts, permit, |out| json_response(&out))
                .await
        }
    }
    .await;
    finish(&gw, "chat_completions", start, r)
}

fn anthropic_event(e: &anthropic::StreamEvent) -> Bytes {
    let json = serde_json::to_string(e).unwrap_or_default();
    Bytes::from(format!("event: {}\ndata: {json}\n\n", e.event_name()))
}

async fn messages(State(gw): State<Gateway>, headers: HeaderMap, body: Body) -> Response {
    let start = Instant::now();
    let f = ApiFormat::Anthropic;
    let r = async {
        let (key, permit, wire): (_, _, MessagesRequest) = gw.accept(&headers, body, f).await?;
        gw.check_model(key, &wire.model, f)?;
        let req = anthropic::from_messages_request(wire).map_err(|e| gw.failed(f, &e))?;
        let opts = gw.options(key, &headers, req.user.as_deref());
        if req.stream == Some(true) {
            let model = req.model.clone();
            let (c, inner) = gw.start_stream(f, req, &opts).await?;
            let id = hex_id("msg_", gw.inner.next_id.fetch_add(1, Ordering::Relaxed));
            let mapper = EventMapper::new(id, model, 0);
            let gw2 = gw.clone();
            let events = futures_util::stream::unfold(
                (inner, mapper, false, Some(permit)),
                move |(mut s, mut mapper, done, permit)| {
                    let gw = gw2.clone();
                    async move {
                        if done {
                            drop(permit);
                            return None;
                        }
                        let out: Bytes = match s.next().await {
                            Some(Ok(chunk)) => mapper
                                .on_chunk(&chunk)
                                .iter()
                                .map(anthropic_event)
                                .collect::<Vec<_>>()
                                .concat()
                                .into(),
                            Some(Err(e)) => {
                                let body = gw.failed(f, &e).body();
                                return Some((
                                    Bytes::from(format!("event: error\ndata: {body}\n\n")),
                                    (s, mapper, true, permit),
                                ));
                            }
                            None => {
                                let last: Bytes = mapper
                                    .finish()
                                    .iter()
                                    .map(anthropic_event)
                                    .collect::<Vec<_>>()
                                    .concat()
                                    .into();
                                return Some((last, (s, mapper, true, permit)));
                            }
                        };
                        Some((out, (s, mapper, false, permit)))
                    }
                },
            )
            .filter(|b| futures_util::future::ready(!b.is_empty()));
            let mut resp = sse(events);
            compliance_headers(&mut resp, c.as_ref());
            Ok(resp)
        } else {
            gw.complete(f, req, &opts, permit, |out| {
                json_response(&anthropic::to_messages_response(out))
            })
            .await
        }
    }
    .await;
    finish(&gw, "messages", start, r)
}

async fn embeddings(State(gw): State<Gateway>, headers: HeaderMap, body: Body) -> Response {
    let start = Instant::now();
    let f = ApiFormat::OpenAi;
    let r = async {
        let (key, _permit, req): (_, _, EmbeddingRequest) = gw.accept(&headers, body, f).await?;
        gw.check_model(key, &req.model, f)?;
        let opts = gw.options(key, &headers, req.user.as_deref());
        let out =
            with_deadline(&gw, f, gw.inner.client.embeddings().create_with(req, &opts)).await?;
        gw.record(&out.meta);
        Ok(axum::Json(&out).into_response())
    }
    .await;
    finish(&gw, "embeddings", start, r)
}

async fn models(State(gw): State<Gateway>, headers: HeaderMap) -> Response {
    let start = Instant::now();
    let anthropic_caller = headers.contains_key("anthropic-version");
    let f = if anthropic_caller {
        ApiFormat::Anthropic
    } else {
        ApiFormat::OpenAi
    };
    let r = async {
        gw.authenticate(&headers, f)?;
        let list = with_deadline(&gw, f, gw.inner.client.models().list()).await?;
        if anthropic_caller {
            let data: Vec<serde_json::Value> = list
                .data
                .iter()
                .map(|m| {
                    serde_json::json!({
                        "type": "model", "id": m.id,
                        "display_name": m.extra.get("display_name").cloned().unwrap_or_else(|| m.id.clone().into()),
                        "created_at": "1970-01-01T00:00:00Z"
                    })
                })
                .collect();
            let first = list.data.first().map(|m| m.id.clone());
            let last = list.data.last().map(|m| m.id.clone());
            Ok(axum::Json(serde_json::json!({"data": data, "has_more": false, "first_id": first, "last_id": last})).into_response())
        } else {
            Ok(axum::Json(&list).into_response())
        }
    }
    .await;
    finish(&gw, "models", start, r)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScanRequest {
    texts: Vec<String>,
}

async fn scan(State(gw): State<Gateway>, headers: HeaderMap, body: Body) -> Response {
    let start = Instant::now();
    let f = ApiFormat::OpenAi;
    let r = async {
        let (_, _permit, req): (_, _, ScanRequest) = gw.accept(&headers, body, f).await?;
        let results: Vec<serde_json::Value> = req
            .texts
            .iter()
            .map(|t| serde_json::json!({"findings": gw.inner.client.scan(t)}))
            .collect();
        Ok(axum::Json(serde_json::json!({"results": results})).into_response())
    }
    .await;
    finish(&gw, "scan", start, r)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RedactRequest {
    text: String,
}

async fn redact(State(gw): State<Gateway>, headers: HeaderMap, body: Body) -> Response {
    let start = Instant::now();
    let f = ApiFormat::OpenAi;
    let r = async {
        let (key, _permit, req): (_, _, RedactRequest) = gw.accept(&headers, body, f).await?;
        let opts = gw.options(key, &headers, None);
        let (text, meta) = gw
            .inner
            .client
            .protect_text(&req.text, &opts)
            .map_err(|e| gw.failed(f, &e))?;
        gw.inner.metrics.decision(&meta.decision, &meta.findings);
        Ok(axum::Json(serde_json::json!({
            "text": text,
            "decision": meta.decision,
            "risk_score": meta.risk_score,
            "policy": meta.policy,
            "findings": meta.findings,
        }))
        .into_response())
    }
    .await;
    finish(&gw, "redact", start, r)
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn readyz(State(gw): State<Gateway>) -> Response {
    let h = gw.inner.client.health().await;
    let providers: Vec<serde_json::Value> = h
        .providers
        .iter()
        .map(|p| {
            serde_json::json!({"name": p.name, "ok": p.error.is_none(), "error": p.error,
                "latency_ms": p.latency.as_secs_f64() * 1e3})
        })
        .collect();
    let status = if h.is_ready() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        axum::Json(serde_json::json!({
            "ready": h.is_ready(),
            "compliance_self_test": h.compliance_ok,
            "compliance_self_test_ms": h.compliance_latency.as_secs_f64() * 1e3,
            "providers": providers,
        })),
    )
        .into_response()
}

async fn metrics(State(gw): State<Gateway>) -> Response {
    let mut resp = gw.inner.metrics.render().into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    resp
}

async fn not_found(headers: HeaderMap, req: Request) -> Response {
    let f = if headers.contains_key("anthropic-version") {
        ApiFormat::Anthropic
    } else {
        ApiFormat::OpenAi
    };
    let allowed = matches!(
        req.uri().path(),
        "/v1/chat/completions"
            | "/v1/messages"
            | "/v1/embeddings"
            | "/v1/models"
            | "/v1/scan"
            | "/v1/redact"
    );
    if allowed {
        return ApiError::new(
            f,
            StatusCode::METHOD_NOT_ALLOWED,
            "invalid_request_error",
            "method not allowed",
        )
        .into_response();
    }
    ApiError::new(
        f,
        StatusCode::NOT_FOUND,
        "not_found_error",
        format!("no route for {}", req.uri().path()),
    )
    .into_response()
}

/// A completion as a JSON response, as `axum::Json` makes it but written
/// into a buffer sized for a typical reply rather than grown from 128
/// bytes by doubling.
fn json_response<T: serde::Serialize>(value: &T) -> Response {
    let mut buf = Vec::with_capacity(2048);
    match serde_json::to_writer(&mut buf, value) {
        Ok(()) => (
            [(
                axum::http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            buf,
        )
            .into_response(),
        // axum's own error response for a value that does not serialize.
        Err(_) => axum::Json(value).into_response(),
    }
}

/// `prefix` and `n` as 16 lower-case hex digits (`format!("{prefix}{n:016x}")`
/// without the formatting machinery: one per request).
fn hex_id(prefix: &str, n: u64) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(prefix.len() + 16);
    s.push_str(prefix);
    for shift in (0..16).rev() {
        s.push(char::from(HEX[((n >> (shift * 4)) & 0xF) as usize]));
    }
    s
}

/// Takes the caller's `x-request-id` (if sane) or makes one; returns it on
/// the response and puts it on the request's log span.
async fn request_id(State(gw): State<Gateway>, req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_owned)
        .unwrap_or_else(|| hex_id("req_", gw.inner.next_id.fetch_add(1, Ordering::Relaxed)));
    let span = tracing::info_span!("request", id = %id, path = %req.uri().path());
    let mut resp = {
        let _enter = span.enter();
        tracing::debug!("received");
        drop(_enter);
        tracing::Instrument::instrument(next.run(req), span).await
    };
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::hex_id;

    #[test]
    fn hex_ids_match_the_format_they_replace() {
        for n in [
            0,
            1,
            0xf,
            0x10,
            0xdead_beef,
            u64::MAX - 1,
            u64::MAX,
            1 << 63,
        ] {
            assert_eq!(hex_id("req_", n), format!("req_{n:016x}"));
            assert_eq!(hex_id("msg_", n), format!("msg_{n:016x}"));
        }
    }
}
