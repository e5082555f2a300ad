//! `SentinelClient`: an OpenAI-style API over the compliance pipeline.

use std::sync::Arc;
use std::time::{Duration, Instant};

use deepsentinel_core::chat::{EmbeddingRequest, EmbeddingResponse, ModelList};
use deepsentinel_core::{ChatRequest, ChatResponse, ChatStream, ConfigProblem, Error, Provider};
use deepsentinel_detect::Scanner;
use deepsentinel_policy::stream::StreamConfig;
use deepsentinel_policy::{Anonymizer, CompliancePolicy, Guard, Keys, PolicySet};

use crate::detection::Detection;
use crate::hooks::{BypassRule, FailMode, Interceptor, RequestOptions};
use crate::pipeline::{Guards, Limits, Pipeline};
use crate::router::Router;
use crate::usage::UsageTracker;

/// The DeepSentinel client: call it as you would call OpenAI, with
/// compliance enforced on the way out and on the way back.
///
/// Cheap to clone (one `Arc`); `Send + Sync`.
///
/// ```
/// use std::sync::Arc;
/// use deepsentinel::SentinelClient;
/// use deepsentinel_core::{ChatRequest, Message};
/// use deepsentinel_providers::EchoProvider;
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let client = SentinelClient::builder()
///     .provider("echo", Arc::new(EchoProvider::new()))
///     .policy_preset("staging")
///     .build()
///     .expect("valid");
/// let reply = client
///     .chat()
///     .completions()
///     .create(ChatRequest::new("echo", vec![Message::user("Mail jane.doe@example.com please")]))
///     .await
///     .expect("allowed");
/// // The echo provider saw a placeholder; the caller gets the value back.
/// assert_eq!(reply.text(), "Mail jane.doe@example.com please");
/// assert_eq!(reply.meta.compliance.expect("ran").decision, "anonymize");
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct SentinelClient {
    pipeline: Arc<Pipeline>,
}

/// Builds a [`SentinelClient`] from parts.
pub struct ClientBuilder {
    router: Router,
    scanner: Option<Scanner>,
    policies: Option<Result<PolicySet, Vec<ConfigProblem>>>,
    tag_policies: Vec<(String, Result<PolicySet, Vec<ConfigProblem>>)>,
    keys: Keys,
    enabled: bool,
    limits: Limits,
    fail_mode: FailMode,
    bypass: Vec<BypassRule>,
    hooks: Vec<Arc<dyn Interceptor>>,
    stream: StreamConfig,
    detection: Option<Detection>,
    usage: Option<UsageTracker>,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("router", &self.router)
            .finish_non_exhaustive()
    }
}

fn preset_set(name: &str, path: &str) -> Result<PolicySet, Vec<ConfigProblem>> {
    CompliancePolicy::preset(name)
        .and_then(PolicySet::single)
        .map_err(|e| vec![ConfigProblem::new(path, e.to_string())])
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            router: Router::default(),
            scanner: None,
            policies: None,
            tag_policies: Vec::new(),
            keys: Keys::none(),
            enabled: true,
            limits: Limits::default(),
            fail_mode: FailMode::Block,
            bypass: Vec::new(),
            hooks: Vec::new(),
            stream: StreamConfig::default(),
            detection: None,
            usage: None,
        }
    }
}

impl ClientBuilder {
    /// Adds a provider (usually a resilience stack) under `name`. The first
    /// provider added is the default unless [`ClientBuilder::default_provider`]
    /// says otherwise.
    pub fn provider(mut self, name: impl Into<String>, provider: Arc<dyn Provider>) -> Self {
        self.router.add(name.into(), provider);
        self
    }

    /// Routes models starting with `prefix` to provider `name`.
    pub fn route(mut self, prefix: impl Into<String>, name: impl Into<String>) -> Self {
        self.router.route(prefix.into(), name.into());
        self
    }

    /// The provider for requests no route matches.
    pub fn default_provider(mut self, name: impl Into<String>) -> Self {
        self.router.set_default(name.into());
        self
    }

    /// The scanner (default: every built-in recognizer).
    pub fn scanner(mut self, scanner: Scanner) -> Self {
        self.scanner = Some(scanner);
        self
    }

    /// The policies (default: the `default` preset).
    pub fn policies(mut self, policies: PolicySet) -> Self {
        self.policies = Some(Ok(policies));
        self
    }

    /// A preset by name (`production`, `staging`, `development`, `hipaa`,
    /// `pci-dss`, `gdpr`, `default`).
    pub fn policy_preset(mut self, name: &str) -> Self {
        self.policies = Some(preset_set(name, "compliance.policies"));
        self
    }

    /// Requests tagged `tag` are decided by `policies` instead.
    pub fn tag_policies(mut self, tag: impl Into<String>, policies: PolicySet) -> Self {
        self.tag_policies.push((tag.into(), Ok(policies)));
        self
    }

    /// Keys for the `hash` and `encrypt` operators.
    pub fn keys(mut self, keys: Keys) -> Self {
        self.keys = keys;
        self
    }

    /// Turns compliance on or off (default on).
    pub fn compliance(mut self, enabled: bool) -> Self {
        self.enabled = enabled;
        self
    }

    /// Input size limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// What happens when the compliance engine fails (default: block).
    pub fn fail_mode(mut self, mode: FailMode) -> Self {
        self.fail_mode = mode;
        self
    }

    /// Adds a bypass rule.
    pub fn bypass(mut self, rule: BypassRule) -> Self {
        self.bypass.push(rule);
        self
    }

    /// Adds an interceptor; interceptors run in the order added.
    pub fn interceptor(mut self, hook: Arc<dyn Interceptor>) -> Self {
        self.hooks.push(hook);
        self
    }

    /// The streaming reply transform's settings.
    pub fn stream_config(mut self, config: StreamConfig) -> Self {
        self.stream = config;
        self
    }

    /// Where findings come from (default: the local scanner only).
    pub fn detection(mut self, detection: Detection) -> Self {
        self.detection = Some(detection);
        self
    }

    /// Records token usage and cost per provider and model, and refuses
    /// calls once a budget is spent.
    pub fn usage(mut self, usage: UsageTracker) -> Self {
        self.usage = Some(usage);
        self
    }

    /// Checks everything and builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] listing every problem: no provider, routes or a
    /// default naming unknown providers, zero limits, policies that do not
    /// load.
    pub fn build(self) -> Result<SentinelClient, Error> {
        let mut problems = self.router.problems();
        if self.limits.max_message_bytes == 0 {
            problems.push(ConfigProblem::new(
                "compliance.max_message_bytes",
                "must be greater than zero",
            ));
        }
        if self.limits.max_request_bytes == 0 {
            problems.push(ConfigProblem::new(
                "compliance.max_request_bytes",
                "must be greater than zero",
            ));
        }
        let scanner = self.scanner.unwrap_or_default();
        let anonymizer = Anonymizer::new(self.keys);
        let mut guard = |set: Result<PolicySet, Vec<ConfigProblem>>| match set {
            Ok(set) => Some(Arc::new(Guard::new(
                scanner.clone(),
                set,
                anonymizer.clone(),
            ))),
            Err(p) => {
                problems.extend(p);
                None
            }
        };
        let default = guard(
            self.policies
                .unwrap_or_else(|| preset_set("default", "compliance.policies")),
        );
        let by_tag: Vec<(String, Arc<Guard>)> = self
            .tag_policies
            .into_iter()
            .filter_map(|(tag, set)| guard(set).map(|g| (tag, g)))
            .collect();
        let mut router = self.router;
        match (default, problems.is_empty()) {
            (Some(default), true) => {
                router.ensure_default();
                Ok(SentinelClient {
                    pipeline: Arc::new(Pipeline {
                        router,
                        guards: Guards { default, by_tag },
                        enabled: self.enabled,
                        limits: self.limits,
                        fail_mode: self.fail_mode,
                        bypass: self.bypass,
                        hooks: self.hooks,
                        stream: self.stream,
                        detection: self.detection,
                        usage: self.usage,
                    }),
                })
            }
            _ => Err(Error::Config { problems }),
        }
    }
}

/// One provider's health.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderHealth {
    /// The configured name.
    pub name: String,
    /// `None` when reachable; else why not.
    pub error: Option<String>,
    /// How long the check took.
    pub latency: Duration,
}

/// The result of [`SentinelClient::health`].
#[derive(Debug, Clone, PartialEq)]
pub struct HealthReport {
    /// Each provider, reached through its models list (never a paid call).
    pub providers: Vec<ProviderHealth>,
    /// Whether the compliance self-test caught its known test SSN.
    pub compliance_ok: bool,
    /// How long the self-test took.
    pub compliance_latency: Duration,
}

impl HealthReport {
    /// Ready: compliance works and at least one provider answers.
    pub fn is_ready(&self) -> bool {
        self.compliance_ok && self.providers.iter().any(|p| p.error.is_none())
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

impl SentinelClient {
    /// Token usage and cost so far, per provider and model (empty when the
    /// client records no usage).
    pub fn usage(&self) -> Vec<crate::usage::UsageTotals> {
        self.pipeline
            .usage
            .as_ref()
            .map(UsageTracker::totals)
            .unwrap_or_default()
    }

    /// Findings in `text` from the default policy's scanner (what the
    /// gateway's `/v1/scan` serves). Spans are UTF-8 byte offsets into
    /// `text`; values are not included.
    pub fn scan(&self, text: &str) -> Vec<deepsentinel_core::Finding> {
        self.pipeline.scanner().scan(text)
    }

    /// One text through the request side of the pipeline (detect, decide,
    /// rewrite), as the gateway's `/v1/redact` serves it. Placeholders
    /// issued here cannot be restored later.
    ///
    /// # Errors
    /// [`Error::ComplianceViolation`] when the policy blocks the text.
    pub fn protect_text(
        &self,
        text: &str,
        options: &RequestOptions,
    ) -> Result<(String, deepsentinel_core::chat::ComplianceMeta), Error> {
        self.pipeline.protect_text(text, options)
    }

    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
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

    /// Each provider's reachability (its models list, never a paid
    /// completion) and a compliance self-test (a known test SSN must be
    /// caught), with timings. Providers are checked concurrently.
    pub async fn health(&self) -> HealthReport {
        let checks = self
            .pipeline
            .router
            .providers()
            .iter()
            .map(|(name, p)| async move {
                let t = Instant::now();
                let error = p.models().await.err().map(|e| e.to_string());
                ProviderHealth {
                    name: name.clone(),
                    error,
                    latency: t.elapsed(),
                }
            });
        let providers = futures_util::future::join_all(checks).await;
        let t = Instant::now();
        let compliance_ok = self
            .pipeline
            .guards
            .default
            .scanner()
            .scan(SELF_TEST)
            .iter()
            .any(|f| *f.entity_type() == deepsentinel_core::EntityType::UsSsn);
        HealthReport {
            providers,
            compliance_ok,
            compliance_latency: t.elapsed(),
        }
    }
}

/// The self-test text: the SSN printed on a 1938 wallet insert, the
/// best-known test SSN.
const SELF_TEST: &str = "self-test: SSN 078-05-1120";

impl Chat<'_> {
    /// Chat completions.
    pub fn completions(&self) -> Completions<'_> {
        Completions {
            client: self.client,
        }
    }
}

impl Completions<'_> {
    /// One completion through the pipeline.
    ///
    /// # Errors
    /// Every [`Error`] variant: `ComplianceViolation` before any network
    /// I/O when a policy blocks, `InvalidRequest` for oversized input or an
    /// unknown provider, and whatever the provider stack returns.
    pub async fn create(&self, req: ChatRequest) -> Result<ChatResponse, Error> {
        self.client
            .pipeline
            .chat(req, &RequestOptions::default())
            .await
    }

    /// [`Completions::create`] with per-request options.
    pub async fn create_with(
        &self,
        req: ChatRequest,
        options: &RequestOptions,
    ) -> Result<ChatResponse, Error> {
        self.client.pipeline.chat(req, options).await
    }

    /// A streamed completion: OpenAI-shaped chunks with the reply transform
    /// applied. A block in the reply ends the stream with an error item.
    pub async fn stream(&self, req: ChatRequest) -> Result<ChatStream, Error> {
        self.client
            .pipeline
            .chat_stream(req, &RequestOptions::default())
            .await
    }

    /// [`Completions::stream`] with per-request options.
    pub async fn stream_with(
        &self,
        req: ChatRequest,
        options: &RequestOptions,
    ) -> Result<ChatStream, Error> {
        self.client.pipeline.chat_stream(req, options).await
    }
}

impl Embeddings<'_> {
    /// Embeddings of the (checked, possibly rewritten) inputs.
    pub async fn create(&self, req: EmbeddingRequest) -> Result<EmbeddingResponse, Error> {
        self.client
            .pipeline
            .embed(req, &RequestOptions::default())
            .await
    }

    /// [`Embeddings::create`] with per-request options.
    pub async fn create_with(
        &self,
        req: EmbeddingRequest,
        options: &RequestOptions,
    ) -> Result<EmbeddingResponse, Error> {
        self.client.pipeline.embed(req, options).await
    }
}

impl Models<'_> {
    /// Every configured provider's models, concatenated (a provider that
    /// fails is skipped; if all fail, the first error is returned).
    pub async fn list(&self) -> Result<ModelList, Error> {
        let mut out = ModelList {
            object: "list".into(),
            ..ModelList::default()
        };
        let mut first_error = None;
        let mut any = false;
        for (_, p) in self.client.pipeline.router.providers() {
            match p.models().await {
                Ok(list) => {
                    any = true;
                    out.data.extend(list.data);
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        match (any, first_error) {
            (false, Some(e)) => Err(e),
            _ => Ok(out),
        }
    }
}
