//! The one compliance pipeline, shared by [`crate::SentinelClient`] and the
//! gateway:
//!
//! 1. input limits (message and request size);
//! 2. `before` interceptors (so what they add is checked too);
//! 3. detect and decide on the whole request; a block returns
//!    [`Error::ComplianceViolation`] before any network I/O; anonymized
//!    values leave as placeholders;
//! 4. the provider stack (retries, breakers, fallback, balancing, limits);
//! 5. the reply: this call's placeholders restored, values the policy
//!    covers that the model produced rewritten (a block is an error); for
//!    streams the same transform, segment by segment, never emitting part
//!    of a value or placeholder;
//! 6. compliance metadata on the response; `after` interceptors.

use std::collections::{BTreeMap, HashMap};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use deepsentinel_core::chat::{ChatChunk, ComplianceMeta, EmbeddingRequest, EmbeddingResponse};
use deepsentinel_core::{ChatRequest, ChatResponse, ChatStream, EntityType, Error, Provider};
use deepsentinel_policy::stream::{SegmentTransform, StreamConfig, StreamError, TransformStream};
use deepsentinel_policy::{Guard, GuardError, RequestError, Vault};
use futures_core::Stream;

use crate::hooks::{BypassRule, FailMode, Interceptor, Operation, RequestContext, RequestOptions};
use crate::json_len::{json_len, serde_json_len};
use crate::router::Router;

/// Input size limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest text of one message, in bytes. Default 1 MiB.
    pub max_message_bytes: usize,
    /// Largest request as serialized JSON, in bytes. Default 4 MiB.
    pub max_request_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_message_bytes: 1 << 20,
            max_request_bytes: 4 << 20,
        }
    }
}

/// A guard per policy selection.
#[derive(Debug, Clone)]
pub(crate) struct Guards {
    pub(crate) default: Arc<Guard>,
    /// (tag, guard): the first tag of a request with a guard selects it.
    pub(crate) by_tag: Vec<(String, Arc<Guard>)>,
}

impl Guards {
    fn select(&self, options: &RequestOptions) -> &Arc<Guard> {
        options
            .tags
            .iter()
            .find_map(|t| self.by_tag.iter().find(|(tag, _)| tag == t).map(|(_, g)| g))
            .unwrap_or(&self.default)
    }
}

/// The assembled pipeline.
#[derive(Debug)]
pub(crate) struct Pipeline {
    pub(crate) router: Router,
    pub(crate) guards: Guards,
    pub(crate) enabled: bool,
    pub(crate) limits: Limits,
    pub(crate) fail_mode: FailMode,
    pub(crate) bypass: Vec<BypassRule>,
    pub(crate) hooks: Vec<Arc<dyn Interceptor>>,
    pub(crate) stream: StreamConfig,
    /// Remote or hybrid detection; `None` is the guard's local scanner.
    pub(crate) detection: Option<crate::detection::Detection>,
    pub(crate) usage: Option<crate::usage::UsageTracker>,
}

impl std::fmt::Debug for dyn Interceptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Interceptor")
    }
}

/// What the request side decided, carried to the reply side.
struct Prepared {
    /// `None` when compliance did not run (disabled, bypassed, fail-open).
    guard: Option<Arc<Guard>>,
    vault: Vault,
    meta: ComplianceMeta,
}

fn counts<'a>(types: impl IntoIterator<Item = &'a EntityType>) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for t in types {
        *m.entry(t.to_string()).or_insert(0) += 1;
    }
    m
}

fn policy_names(guard: &Guard) -> String {
    guard
        .policies()
        .policies()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn blocked(guard: &Guard, b: &deepsentinel_policy::Blocked) -> Error {
    let mut names: Vec<&str> = b.violations.iter().map(|v| v.policy()).collect();
    names.dedup();
    let policy = if names.is_empty() {
        policy_names(guard)
    } else {
        names.join(",")
    };
    Error::ComplianceViolation {
        policy,
        violations: b.violations.clone(),
        risk_score: b.risk.score,
    }
}

/// The engine failed and the fail mode blocks: a compliance violation with
/// no violations, naming the fail mode, so callers handle it like any
/// other refusal.
fn engine_failure(guard: &Guard) -> Error {
    Error::ComplianceViolation {
        policy: format!("{} (fail mode: block)", policy_names(guard)),
        violations: Vec::new(),
        risk_score: 1.0,
    }
}

impl Pipeline {
    fn context(
        &self,
        operation: Operation,
        model: &str,
        user: Option<&str>,
        options: &RequestOptions,
    ) -> RequestContext {
        let mut options = options.clone();
        if options.user.is_none() {
            options.user = user.map(str::to_owned);
        }
        RequestContext {
            operation,
            model: model.to_owned(),
            options,
        }
    }

    fn check_limits(&self, req: &ChatRequest) -> Result<(), Error> {
        for (i, m) in req.messages.iter().enumerate() {
            let len = match m.content.value() {
                Some(deepsentinel_core::chat::MessageContent::Text(t)) => t.len(),
                Some(deepsentinel_core::chat::MessageContent::Parts(parts)) => parts
                    .iter()
                    .map(|p| json_len(p).unwrap_or_else(|| serde_json_len(p)))
                    .sum(),
                None => 0,
            };
            if len > self.limits.max_message_bytes {
                return Err(Error::InvalidRequest {
                    provider: None,
                    reason: format!(
                        "message {i} is {len} bytes; the limit is {} bytes",
                        self.limits.max_message_bytes
                    ),
                    param: Some(format!("messages[{i}].content")),
                });
            }
        }
        let size = json_len(req).unwrap_or_else(|| serde_json_len(req));
        if size > self.limits.max_request_bytes {
            return Err(Error::InvalidRequest {
                provider: None,
                reason: format!(
                    "the request is {size} bytes; the limit is {} bytes",
                    self.limits.max_request_bytes
                ),
                param: None,
            });
        }
        Ok(())
    }

    fn passthrough(&self, decision: &str, bypass_rule: Option<String>) -> Prepared {
        Prepared {
            guard: None,
            vault: Vault::new(),
            meta: ComplianceMeta {
                decision: decision.into(),
                policy: String::new(),
                bypass_rule,
                ..ComplianceMeta::default()
            },
        }
    }

    /// Step 3: the compliance check of the whole request, rewriting it in
    /// place (or refusing it).
    async fn prepare(
        &self,
        req: &mut ChatRequest,
        ctx: &RequestContext,
    ) -> Result<Prepared, Error> {
        if !self.enabled {
            return Ok(self.passthrough("disabled", None));
        }
        if let Some(rule) = self.bypass.iter().find(|r| r.matches(ctx)) {
            tracing::warn!(
                rule = %rule.describe(),
                model = %ctx.model,
                user = ctx.options.user.as_deref().unwrap_or(""),
                "compliance bypassed by rule"
            );
            return Ok(self.passthrough("bypassed", Some(rule.describe())));
        }
        let guard = self.guards.select(&ctx.options).clone();
        let anthropic = req.anthropic.take();
        let value = serde_json::to_value(&*req).map_err(|_| None);
        // Remote and hybrid modes: every text's findings first (one call
        // for the whole request), then the same decision and rewrite.
        let precomputed = match (&self.detection, &value) {
            (Some(detection), Ok(v)) => {
                let mut texts: Vec<String> = Vec::new();
                let walked = deepsentinel_policy::chat::visit_request(v, &mut |_, t| {
                    texts.push(t.to_owned());
                    Ok::<(), std::convert::Infallible>(())
                });
                if walked.is_ok() {
                    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
                    let outcome = detection.detect_many(&refs).await;
                    Some(outcome.to_precomputed(&refs, detection.scanner().clone()))
                } else {
                    None
                }
            }
            _ => None,
        };
        let outcome = value.and_then(|mut value| {
            let mut vault = Vault::new();
            let protected = match &precomputed {
                Some(p) => guard.protect_request_with(p, &mut value, &mut vault),
                None => guard.protect_request(&mut value, &mut vault),
            };
            match protected {
                // Nothing rewritten: the request stands as it is, with no
                // second conversion from the JSON value.
                Ok(p) if p.report.changed == 0 => Ok((None, p, vault)),
                Ok(p) => serde_json::from_value::<ChatRequest>(value)
                    .map(|r| (Some(r), p, vault))
                    .map_err(|_| None),
                Err(RequestError::Blocked(b)) => Err(Some(blocked(&guard, &b))),
                Err(_) => Err(None),
            }
        });
        match outcome {
            Ok((rewritten, protected, vault)) => {
                if let Some(rewritten) = rewritten {
                    *req = rewritten;
                }
                req.anthropic = anthropic;
                let decision = protected.decision.action().to_string();
                let meta = ComplianceMeta {
                    decision,
                    risk_score: protected.decision.risk().score,
                    policy: policy_names(&guard),
                    findings: counts(protected.findings.iter().map(|f| f.finding.entity_type())),
                    reply_findings: BTreeMap::new(),
                    bypass_rule: None,
                };
                // Debug, not info: one line per request costs a gateway a
                // formatted record and a write per call; decisions are
                // counted in metrics, blocks and bypasses log at warn.
                tracing::debug!(
                    decision = %meta.decision,
                    risk = meta.risk_score,
                    findings = ?meta.findings,
                    user = ctx.options.user.as_deref().unwrap_or(""),
                    session = ctx.options.session.as_deref().unwrap_or(""),
                    tags = ?ctx.options.tags,
                    "compliance decision"
                );
                Ok(Prepared {
                    guard: Some(guard),
                    vault,
                    meta,
                })
            }
            Err(Some(e)) => {
                tracing::warn!(error = %e, user = ctx.options.user.as_deref().unwrap_or(""), "request blocked");
                Err(e)
            }
            Err(None) => {
                req.anthropic = anthropic;
                match self.fail_mode {
                    FailMode::Block => {
                        tracing::error!("compliance engine failed; fail mode blocks the request");
                        Err(engine_failure(&guard))
                    }
                    FailMode::Allow => {
                        tracing::error!(
                            "compliance engine failed; fail mode lets the request through unchecked"
                        );
                        Ok(self.passthrough("fail_open", None))
                    }
                }
            }
        }
    }

    /// One text through the request side only: detect, decide, rewrite
    /// (placeholders are not restorable by the caller: the vault is not
    /// kept). A block is [`Error::ComplianceViolation`].
    pub(crate) fn protect_text(
        &self,
        text: &str,
        options: &RequestOptions,
    ) -> Result<(String, ComplianceMeta), Error> {
        let guard = self.guards.select(options);
        match guard.protect(text, &mut Vault::new()) {
            Ok(p) => Ok((
                p.text,
                ComplianceMeta {
                    decision: p.decision.action().to_string(),
                    risk_score: p.decision.risk().score,
                    policy: policy_names(guard),
                    findings: counts(p.findings.iter().map(|f| f.entity_type())),
                    ..ComplianceMeta::default()
                },
            )),
            Err(GuardError::Blocked(b)) => Err(blocked(guard, &b)),
            Err(_) => Err(engine_failure(guard)),
        }
    }

    /// The default policy's scanner.
    pub(crate) fn scanner(&self) -> &deepsentinel_detect::Scanner {
        self.guards.default.scanner()
    }

    /// Refuses the call when a budget covering it is spent.
    fn check_budget(&self, provider: &str, model: &str) -> Result<(), Error> {
        match &self.usage {
            Some(u) => u.check(provider, model, std::time::SystemTime::now()),
            None => Ok(()),
        }
    }

    /// Step 5 for a whole response.
    fn reply(&self, resp: &mut ChatResponse, prepared: &mut Prepared) -> Result<(), Error> {
        let Some(guard) = prepared.guard.clone() else {
            return Ok(());
        };
        let meta = std::mem::take(&mut resp.meta);
        let mut value = serde_json::to_value(&*resp).map_err(|_| engine_failure(&guard))?;
        let mut rewritten = Vec::new();
        let vault = &prepared.vault;
        let result = deepsentinel_policy::chat::transform_response(&mut value, &mut |_, text| {
            let mut out = String::with_capacity(text.len());
            rewritten.extend(guard.reply_rewritten(text, vault, &mut out)?);
            Ok::<_, GuardError>(if out == text { None } else { Some(out) })
        });
        let changed = match result {
            Ok(report) => report.changed,
            Err(deepsentinel_policy::chat::ChatError::Transform {
                source: GuardError::Blocked(b),
                ..
            }) => {
                return Err(blocked(&guard, &b));
            }
            Err(_) => return Err(engine_failure(&guard)),
        };
        if changed > 0 {
            *resp = serde_json::from_value(value).map_err(|_| engine_failure(&guard))?;
        }
        resp.meta = meta;
        prepared.meta.reply_findings = counts(rewritten.iter());
        Ok(())
    }

    /// Steps 1–4 of a chat call, streamed or not: limits, `before` hooks,
    /// the provider to use, the compliance check, the budget check.
    async fn request_side(
        &self,
        req: &mut ChatRequest,
        options: &RequestOptions,
    ) -> Result<(RequestContext, Arc<dyn Provider>, Prepared), Error> {
        let ctx = self.context(Operation::Chat, &req.model, req.user.as_deref(), options);
        self.check_limits(req)?;
        for h in &self.hooks {
            h.before(req, &ctx).await?;
        }
        let provider = self
            .router
            .pick(ctx.options.provider.as_deref(), &req.model)?
            .clone();
        let prepared = self.prepare(req, &ctx).await?;
        self.check_budget(provider.name(), &req.model)?;
        Ok((ctx, provider, prepared))
    }

    /// A non-streaming chat completion through the whole pipeline.
    pub(crate) async fn chat(
        &self,
        mut req: ChatRequest,
        options: &RequestOptions,
    ) -> Result<ChatResponse, Error> {
        let (ctx, provider, mut prepared) = self.request_side(&mut req, options).await?;
        let mut resp = provider.complete(&req).await?;
        if let Some(u) = &self.usage {
            u.record_response(&resp, std::time::SystemTime::now());
        }
        self.reply(&mut resp, &mut prepared)?;
        resp.meta.compliance = Some(prepared.meta);
        for h in &self.hooks {
            h.after(&mut resp, &ctx).await?;
        }
        Ok(resp)
    }

    /// A streamed chat completion through the whole pipeline.
    pub(crate) async fn chat_stream(
        &self,
        mut req: ChatRequest,
        options: &RequestOptions,
    ) -> Result<ChatStream, Error> {
        let (_, provider, prepared) = self.request_side(&mut req, options).await?;
        let upstream = provider.stream(&req).await?;
        let (mut meta, inner) = upstream.into_parts();
        meta.compliance = Some(prepared.meta.clone());
        let usage = self
            .usage
            .clone()
            .map(|u| (u, meta.provider.clone(), meta.model.clone()));
        if prepared.guard.is_none() && usage.is_none() {
            return Ok(ChatStream::new(meta, inner));
        }
        let transformed = ReplyStream {
            inner,
            usage,
            guard: prepared.guard,
            vault: Arc::new(prepared.vault),
            config: self.stream,
            content: HashMap::new(),
            tools: HashMap::new(),
            pending: std::collections::VecDeque::new(),
            done: false,
        };
        Ok(ChatStream::new(meta, Box::pin(transformed)))
    }

    /// Embeddings: the inputs are checked like chat texts (a block refuses
    /// the call; rewrites are applied to the texts sent).
    pub(crate) async fn embed(
        &self,
        mut req: EmbeddingRequest,
        options: &RequestOptions,
    ) -> Result<EmbeddingResponse, Error> {
        let ctx = self.context(
            Operation::Embeddings,
            &req.model,
            req.user.as_deref(),
            options,
        );
        for (i, t) in req.input.texts().iter().enumerate() {
            if t.len() > self.limits.max_message_bytes {
                return Err(Error::InvalidRequest {
                    provider: None,
                    reason: format!(
                        "input {i} is {} bytes; the limit is {} bytes",
                        t.len(),
                        self.limits.max_message_bytes
                    ),
                    param: Some(format!("input[{i}]")),
                });
            }
        }
        let provider = self
            .router
            .pick(ctx.options.provider.as_deref(), &req.model)?
            .clone();
        // Each input is checked as one user message, so the decision is
        // taken over all inputs together; token-id inputs have no text.
        let texts: Vec<String> = req.input.texts().iter().map(|t| (*t).to_owned()).collect();
        let mut chat = ChatRequest::new(
            req.model.clone(),
            texts
                .iter()
                .map(|t| deepsentinel_core::Message::user(t.as_str()))
                .collect(),
        );
        let prepared = self.prepare(&mut chat, &ctx).await?;
        self.check_budget(provider.name(), &req.model)?;
        if prepared.guard.is_some() {
            let rewritten: Vec<String> = chat
                .messages
                .iter()
                .map(deepsentinel_core::Message::text)
                .collect();
            if rewritten != texts {
                req.input = match req.input {
                    deepsentinel_core::chat::EmbeddingInput::Text(_) => {
                        deepsentinel_core::chat::EmbeddingInput::Text(
                            rewritten.into_iter().next().unwrap_or_default(),
                        )
                    }
                    _ => deepsentinel_core::chat::EmbeddingInput::Texts(rewritten),
                };
            }
        }
        let mut resp = provider.embed(&req).await?;
        resp.meta.compliance = Some(prepared.meta);
        Ok(resp)
    }
}

/// The reply transform of [`Guard::reply`] owning its guard and vault, so
/// a stream can hold it.
struct OwnedReply {
    guard: Arc<Guard>,
    vault: Arc<Vault>,
}

impl SegmentTransform for OwnedReply {
    type Error = GuardError;

    fn transform(&mut self, segment: &str, out: &mut String) -> Result<(), GuardError> {
        self.guard.reply(segment, &self.vault, out)
    }
}

/// Applies the streaming reply transform to every choice's `delta.content`
/// and to every tool call's streamed arguments, chunk by chunk. Text a
/// transform holds back (a possible value or placeholder not yet complete)
/// is released in a later chunk, at the latest with the choice's
/// `finish_reason` or at the end of the stream; no chunk is merged away.
struct ReplyStream {
    inner: deepsentinel_core::BoxChunkStream,
    /// Where to record the stream's usage chunk: (tracker, provider, model).
    usage: Option<(crate::usage::UsageTracker, String, String)>,
    /// `None` when compliance did not run: chunks pass unchanged.
    guard: Option<Arc<Guard>>,
    vault: Arc<Vault>,
    config: StreamConfig,
    /// Per choice index.
    content: HashMap<u32, TransformStream<OwnedReply>>,
    /// Per (choice index, tool call index).
    tools: HashMap<(u32, u32), TransformStream<OwnedReply>>,
    pending: std::collections::VecDeque<Result<ChatChunk, Error>>,
    done: bool,
}

fn stream_error(guard: &Guard, e: StreamError<GuardError>) -> Error {
    match e {
        StreamError::Transform {
            source: GuardError::Blocked(b),
            ..
        } => blocked(guard, &b),
        _ => engine_failure(guard),
    }
}

impl ReplyStream {
    fn transform(&mut self, mut chunk: ChatChunk) -> Result<ChatChunk, Error> {
        if let Some((tracker, provider, model)) = &self.usage {
            tracker.record_chunk(provider, model, &chunk, std::time::SystemTime::now());
        }
        let Some(guard) = self.guard.clone() else {
            return Ok(chunk);
        };
        for choice in &mut chunk.choices {
            let idx = choice.index;
            let finishing = choice.finish_reason.value().is_some();
            if let Some(text) = choice.delta.content.value_mut() {
                let s = self.content.entry(idx).or_insert_with(|| {
                    TransformStream::new(
                        OwnedReply {
                            guard: guard.clone(),
                            vault: self.vault.clone(),
                        },
                        &self.config,
                    )
                });
                let mut out = String::new();
                s.push(text, &mut out)
                    .map_err(|e| stream_error(&guard, e))?;
                *text = out;
            }
            for call in choice.delta.tool_calls.iter_mut().flatten() {
                let key = (idx, call.index);
                if let Some(args) = call.function.as_mut().and_then(|f| f.arguments.as_mut()) {
                    let s = self.tools.entry(key).or_insert_with(|| {
                        TransformStream::new(
                            OwnedReply {
                                guard: guard.clone(),
                                vault: self.vault.clone(),
                            },
                            &self.config,
                        )
                    });
                    let mut out = String::new();
                    s.push(args, &mut out)
                        .map_err(|e| stream_error(&guard, e))?;
                    *args = out;
                }
            }
            if finishing {
                self.flush_choice(idx, choice)?;
            }
        }
        Ok(chunk)
    }

    /// Releases everything held for choice `idx` into `choice`'s delta.
    fn flush_choice(
        &mut self,
        idx: u32,
        choice: &mut deepsentinel_core::chat::ChunkChoice,
    ) -> Result<(), Error> {
        let Some(guard) = self.guard.clone() else {
            return Ok(());
        };
        if let Some(mut s) = self.content.remove(&idx) {
            let mut out = String::new();
            s.finish(&mut out).map_err(|e| stream_error(&guard, e))?;
            if !out.is_empty() {
                match choice.delta.content.value_mut() {
                    Some(t) => t.push_str(&out),
                    None => choice.delta.content = deepsentinel_core::chat::Nullable::Value(out),
                }
            }
        }
        let keys: Vec<(u32, u32)> = self.tools.keys().filter(|k| k.0 == idx).copied().collect();
        for key in keys {
            let Some(mut s) = self.tools.remove(&key) else {
                continue;
            };
            let mut out = String::new();
            s.finish(&mut out).map_err(|e| stream_error(&guard, e))?;
            if out.is_empty() {
                continue;
            }
            let calls = choice.delta.tool_calls.get_or_insert_with(Vec::new);
            match calls.iter_mut().find(|c| c.index == key.1) {
                Some(c) => {
                    let f = c.function.get_or_insert_with(Default::default);
                    f.arguments.get_or_insert_with(String::new).push_str(&out);
                }
                None => calls.push(deepsentinel_core::chat::ToolCallDelta {
                    index: key.1,
                    function: Some(deepsentinel_core::chat::FunctionCallDelta {
                        arguments: Some(out),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
            }
        }
        Ok(())
    }

    /// At the end of the stream: whatever is still held, in one last chunk
    /// per choice (only when the upstream never sent a `finish_reason`).
    fn flush_all(&mut self) -> Result<Vec<ChatChunk>, Error> {
        let mut idx: Vec<u32> = self
            .content
            .keys()
            .copied()
            .chain(self.tools.keys().map(|k| k.0))
            .collect();
        idx.sort_unstable();
        idx.dedup();
        let mut out = Vec::new();
        for i in idx {
            let mut choice = deepsentinel_core::chat::ChunkChoice {
                index: i,
                ..Default::default()
            };
            self.flush_choice(i, &mut choice)?;
            if choice.delta.content.value().is_some_and(|t| !t.is_empty())
                || choice.delta.tool_calls.is_some()
            {
                let mut c = ChatChunk::default();
                c.choices.push(choice);
                out.push(c);
            }
        }
        Ok(out)
    }
}

impl Stream for ReplyStream {
    type Item = Result<ChatChunk, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.pending.pop_front() {
                return Poll::Ready(Some(item));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match this.inner.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => match this.transform(chunk) {
                    Ok(c) => return Poll::Ready(Some(Ok(c))),
                    Err(e) => {
                        this.done = true;
                        return Poll::Ready(Some(Err(e)));
                    }
                },
                Poll::Ready(Some(Err(e))) => {
                    // Held text is not released after an upstream error: it
                    // may be the first half of a value.
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => {
                    this.done = true;
                    match this.flush_all() {
                        Ok(chunks) => this.pending.extend(chunks.into_iter().map(Ok)),
                        Err(e) => this.pending.push_back(Err(e)),
                    }
                }
            }
        }
    }
}
