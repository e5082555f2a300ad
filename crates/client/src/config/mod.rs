//! [`SentinelConfig`]: everything the client needs, as plain data.
//!
//! Configuration flows in two stages, as ripgrep goes from `LowArgs` to
//! `HiArgs`: raw values are collected from defaults, a file, the
//! environment and code (in that order of precedence, lowest first), then
//! [`SentinelConfig::validate`] checks them together and reports every
//! problem at once. See `docs/configuration.md` for every setting.
//!
//! Field names are `snake_case` in files (`max_risk_score`, as in policy
//! files). The settings embedded from other crates keep their own spelling:
//! the providers crate's layer configurations (`providers.breaker`,
//! `providers.rate_limit`, `providers.concurrency`, `providers.balance`,
//! `network.retry_budget`) and the scanner configuration
//! (`detection.scanner`) use `kebab-case` keys, exactly as in their own
//! files, so a block can be copied between files unchanged.

mod builder;
mod duration;
mod env;
mod file;
mod validate;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use deepsentinel_core::{ConfigProblem, Error};
use deepsentinel_policy::{CompliancePolicy, Keys};
use deepsentinel_providers::{
    AttemptTimeoutConfig, BalanceConfig, BreakerConfig, BudgetConfig, ConcurrencyConfig,
    NetworkConfig, OverallTimeoutConfig, RateLimitConfig, RetryConfig,
};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

pub use builder::SentinelConfigBuilder;

/// The client's whole configuration: plain data with documented defaults.
///
/// Build one with [`SentinelConfig::load`] (defaults, then a file, then the
/// environment), [`SentinelConfig::from_file`], [`SentinelConfig::from_env`]
/// or [`SentinelConfig::builder`] (which adds settings from code on top);
/// all of them validate. [`SentinelConfig::default`] is the unvalidated
/// starting point: it configures no provider, so it does not validate on
/// its own.
///
/// Keys are [`SecretString`]s: `Debug`, `Display` and every error print a
/// placeholder instead.
///
/// ```
/// use deepsentinel::{Environment, SentinelConfig};
///
/// let config = SentinelConfig::builder()
///     .environment(Environment::Development)
///     .echo(true)
///     .build()
///     .expect("a development configuration with the echo provider is valid");
/// assert_eq!(config.network.timeout, std::time::Duration::from_secs(30));
/// assert!(!config.fail_closed());
/// ```
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SentinelConfig {
    /// Where the client runs. Default `production`. Env
    /// `DEEPSENTINEL_ENVIRONMENT` (else `ENVIRONMENT`). Chooses the default
    /// policy preset and fail mode, and turns on the production rules of
    /// [`SentinelConfig::validate`].
    pub environment: Environment,
    /// Debug mode (more logging; never logs prompt text or keys). Default
    /// off; refused in production. Env `DEEPSENTINEL_DEBUG`.
    pub debug: bool,
    /// The provider used when a model name matches no provider's `models`
    /// prefixes. Must name a configured provider (`openai`, `anthropic`,
    /// `azure`, `echo` or a `compatible` entry). Default: none. Env
    /// `DEEPSENTINEL_DEFAULT_PROVIDER`.
    pub default_provider: Option<String>,
    /// The upstream providers.
    pub providers: ProvidersConfig,
    /// What is enforced on requests and replies.
    pub compliance: ComplianceConfig,
    /// How sensitive data is found.
    pub detection: DetectionConfig,
    /// Timeouts, retries and HTTP connection settings.
    pub network: NetworkSettings,
    /// Caches.
    pub cache: CacheConfig,
    /// The audit trail.
    pub audit: AuditConfig,
    /// Logging.
    pub logging: LoggingConfig,
    /// Prices and spending budgets.
    pub usage: UsageConfig,
    /// The gateway's `server` section, kept as data: `deepsentinel-gateway`
    /// reads and checks it; the client ignores it.
    pub server: Option<serde_json::Value>,
}

/// Where the client runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// Production (the default): strict checks, failures block.
    #[default]
    #[serde(alias = "prod")]
    Production,
    /// Staging: production-like policy, failures block, no production rules.
    #[serde(alias = "stage")]
    Staging,
    /// Development: lenient policy, failures let requests through.
    #[serde(alias = "dev")]
    Development,
    /// Automated tests: as development.
    Test,
}

impl Environment {
    /// The lower-case name (`production`, `staging`, `development`, `test`).
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Staging => "staging",
            Environment::Development => "development",
            Environment::Test => "test",
        }
    }

    /// The policy preset used when `compliance.policies` is empty:
    /// `production`, `staging` or `development` (also for `test`).
    pub fn default_policy_preset(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Staging => "staging",
            Environment::Development | Environment::Test => "development",
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses `production`/`prod`, `staging`/`stage`, `development`/`dev` or
/// `test`, case-insensitively.
impl FromStr for Environment {
    type Err = ConfigProblem;
    fn from_str(s: &str) -> Result<Environment, ConfigProblem> {
        match s.trim().to_ascii_lowercase().as_str() {
            "production" | "prod" => Ok(Environment::Production),
            "staging" | "stage" => Ok(Environment::Staging),
            "development" | "dev" => Ok(Environment::Development),
            "test" => Ok(Environment::Test),
            other => Err(ConfigProblem::new(
                "environment",
                format!("{other:?} is not production, staging, development or test"),
            )),
        }
    }
}

/// The upstream providers. At least one must be configured.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProvidersConfig {
    /// OpenAI. Configured by this section or by any `OPENAI_*` variable.
    pub openai: Option<OpenAiSettings>,
    /// Anthropic. Configured by this section or by any `ANTHROPIC_*` variable.
    pub anthropic: Option<AnthropicSettings>,
    /// Azure OpenAI. Configured by this section or by any `AZURE_OPENAI_*`
    /// variable.
    pub azure: Option<AzureSettings>,
    /// OpenAI-compatible servers (vLLM, Ollama, LiteLLM, …), by the name
    /// used in `default_provider`, `fallback` and errors.
    pub compatible: BTreeMap<String, CompatibleSettings>,
    /// The built-in echo provider, which answers with the last user
    /// message (tests and demos). Default off; does not count as a
    /// provider in production.
    pub echo: bool,
    /// Where a request goes when its provider fails, in order.
    pub fallback: Vec<FallbackEntry>,
    /// The circuit breaker of each provider's endpoints. Unset: the
    /// providers crate's defaults (opens after 5 consecutive failures, or
    /// a failure rate of 0.5 over at least 20 calls in 30 s; probes after
    /// 15 s). Keys as in the providers crate (`consecutive-failures`,
    /// `cool-down`, …).
    pub breaker: Option<BreakerConfig>,
    /// A client-side rate limit per provider. Default: none. Keys
    /// `requests-per-minute`, `tokens-per-minute`, `mode`.
    pub rate_limit: Option<RateLimitConfig>,
    /// A cap on calls in flight per provider; callers beyond it wait, first
    /// come first served. Unset: the providers crate's default, 64. Key
    /// `max-in-flight`.
    pub concurrency: Option<ConcurrencyConfig>,
    /// How endpoints of one provider are balanced. Keys `strategy`,
    /// `ewma-alpha` (in `(0, 1]`), `seed`.
    pub balance: BalanceConfig,
}

impl ProvidersConfig {
    /// The names of the configured providers, in a fixed order: `openai`,
    /// `anthropic`, `azure`, the compatible entries by name, `echo`.
    pub fn configured(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.openai.is_some() {
            out.push("openai".to_owned());
        }
        if self.anthropic.is_some() {
            out.push("anthropic".to_owned());
        }
        if self.azure.is_some() {
            out.push("azure".to_owned());
        }
        out.extend(self.compatible.keys().cloned());
        if self.echo {
            out.push("echo".to_owned());
        }
        out
    }

    /// Whether `name` is a configured provider.
    pub fn is_configured(&self, name: &str) -> bool {
        self.configured().iter().any(|n| n == name)
    }

    /// The provider whose `models` prefixes match `model` (the longest
    /// prefix wins; ties go to the order of [`ProvidersConfig::configured`]),
    /// or `None`.
    pub fn route(&self, model: &str) -> Option<String> {
        let mut candidates: Vec<(&str, &[String])> = Vec::new();
        if let Some(p) = &self.openai {
            candidates.push(("openai", &p.models));
        }
        if let Some(p) = &self.anthropic {
            candidates.push(("anthropic", &p.models));
        }
        if let Some(p) = &self.azure {
            candidates.push(("azure", &p.models));
        }
        for (name, p) in &self.compatible {
            candidates.push((name, &p.models));
        }
        let mut best: Option<(&str, usize)> = None;
        for (name, prefixes) in candidates {
            for prefix in prefixes {
                if model.starts_with(prefix.as_str())
                    && best.is_none_or(|(_, len)| prefix.len() > len)
                {
                    best = Some((name, prefix.len()));
                }
            }
        }
        best.map(|(name, _)| name.to_owned())
    }
}

fn openai_models() -> Vec<String> {
    ["gpt-", "o1", "o3", "o4", "text-embedding-", "chatgpt-"]
        .map(String::from)
        .to_vec()
}

fn anthropic_models() -> Vec<String> {
    vec!["claude-".to_owned()]
}

/// OpenAI.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OpenAiSettings {
    /// The API key. Required. Env `OPENAI_API_KEY`.
    pub api_key: Option<SecretString>,
    /// Base URL; default `https://api.openai.com/v1`. Env `OPENAI_BASE_URL`.
    pub base_url: Option<String>,
    /// Model-name prefixes routed here. Default `["gpt-", "o1", "o3", "o4",
    /// "text-embedding-", "chatgpt-"]`.
    pub models: Vec<String>,
}

impl Default for OpenAiSettings {
    fn default() -> OpenAiSettings {
        OpenAiSettings {
            api_key: None,
            base_url: None,
            models: openai_models(),
        }
    }
}

/// Anthropic.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnthropicSettings {
    /// The API key. Required. Env `ANTHROPIC_API_KEY`.
    pub api_key: Option<SecretString>,
    /// Base URL; default `https://api.anthropic.com`. Env
    /// `ANTHROPIC_BASE_URL`.
    pub base_url: Option<String>,
    /// The `anthropic-version` header; default: the providers crate's.
    pub version: Option<String>,
    /// `max_tokens` sent when a request sets none (Anthropic requires
    /// one); default: the providers crate's. Must be > 0.
    pub default_max_tokens: Option<u32>,
    /// Model-name prefixes routed here. Default `["claude-"]`.
    pub models: Vec<String>,
}

impl Default for AnthropicSettings {
    fn default() -> AnthropicSettings {
        AnthropicSettings {
            api_key: None,
            base_url: None,
            version: None,
            default_max_tokens: None,
            models: anthropic_models(),
        }
    }
}

/// The default for [`AzureSettings::api_version`].
pub const DEFAULT_AZURE_API_VERSION: &str = "2024-10-21";

/// Azure OpenAI.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AzureSettings {
    /// The API key (sent as `api-key`). Required. Env `AZURE_OPENAI_API_KEY`.
    pub api_key: Option<SecretString>,
    /// The resource endpoint, `https://<resource>.openai.azure.com`.
    /// Required. Env `AZURE_OPENAI_ENDPOINT`.
    pub endpoint: String,
    /// The deployment; empty (the default) uses the request's model name
    /// as the deployment name. Env `AZURE_OPENAI_DEPLOYMENT`.
    pub deployment: String,
    /// The `api-version` query parameter. Default `2024-10-21`. Env
    /// `AZURE_OPENAI_API_VERSION`.
    pub api_version: String,
    /// Model-name prefixes routed here. Default none.
    pub models: Vec<String>,
}

impl Default for AzureSettings {
    fn default() -> AzureSettings {
        AzureSettings {
            api_key: None,
            endpoint: String::new(),
            deployment: String::new(),
            api_version: DEFAULT_AZURE_API_VERSION.to_owned(),
            models: Vec::new(),
        }
    }
}

/// An OpenAI-compatible server.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CompatibleSettings {
    /// Base URL, e.g. `http://localhost:11434/v1`. Required.
    pub base_url: String,
    /// The API key; none for servers without authentication.
    pub api_key: Option<SecretString>,
    /// The header carrying the key; `None` sends `Authorization: Bearer`
    /// when a key is set.
    pub auth_header: Option<String>,
    /// Query parameters added to every request (never put a key here).
    pub query: BTreeMap<String, String>,
    /// Model-name prefixes routed here. Default none.
    pub models: Vec<String>,
}

/// One fallback target.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FallbackEntry {
    /// A configured provider's name. Required.
    pub provider: String,
    /// The model asked of it when the request's model is not in `models`.
    pub default_model: Option<String>,
    /// Model renames for this provider (`gpt-4o` → `claude-sonnet-4-5`).
    pub models: BTreeMap<String, String>,
}

/// What is enforced on requests and replies.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ComplianceConfig {
    /// Whether compliance checks run at all. Default on. Env
    /// `DEEPSENTINEL_COMPLIANCE_ENABLED`.
    pub enabled: bool,
    /// Policy preset names (`default`, `production`, `staging`,
    /// `development`, `hipaa`, `pci-dss`, `gdpr`) or policy file paths
    /// (relative paths in a config file are relative to that file). Empty
    /// (the default) means the preset named after the environment. Env
    /// `DEEPSENTINEL_POLICIES` (comma-separated). Each must load and
    /// validate.
    pub policies: Vec<String>,
    /// Overrides every policy's `thresholds.max_risk_score` when set. In
    /// `[0, 1]`; at most 0.8 in production. Env
    /// `DEEPSENTINEL_MAX_RISK_SCORE`.
    pub max_risk_score: Option<f32>,
    /// What happens when the checks themselves fail (detection service
    /// down, a policy error). Default `by_environment`. Env
    /// `DEEPSENTINEL_FAIL_MODE`. `allow` is refused in production.
    pub fail_mode: FailModeSetting,
    /// Requests that skip the checks.
    pub bypass: Vec<BypassRule>,
    /// Largest message content checked, in bytes; larger messages are
    /// refused. Default 1 MiB; > 0.
    pub max_message_bytes: usize,
    /// Largest request checked, in bytes. Default 4 MiB; > 0 and at least
    /// `max_message_bytes`.
    pub max_request_bytes: usize,
    /// Key of the `hash` operator (HMAC-SHA-256), hex or base64, at least
    /// 16 bytes. Default none.
    pub hmac_key: Option<SecretString>,
    /// Key of the `encrypt` operator (AES-256-GCM), hex or base64, exactly
    /// 32 bytes. Default none.
    pub aes_key: Option<SecretString>,
}

impl Default for ComplianceConfig {
    fn default() -> ComplianceConfig {
        ComplianceConfig {
            enabled: true,
            policies: Vec::new(),
            max_risk_score: None,
            fail_mode: FailModeSetting::ByEnvironment,
            bypass: Vec::new(),
            max_message_bytes: 1 << 20,
            max_request_bytes: 4 << 20,
            hmac_key: None,
            aes_key: None,
        }
    }
}

/// What happens when compliance checking itself fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailModeSetting {
    /// Refuse the request.
    Block,
    /// Let the request through unchecked (and log it).
    Allow,
    /// `block` in production and staging, `allow` otherwise (the default).
    #[default]
    ByEnvironment,
}

impl FromStr for FailModeSetting {
    type Err = ConfigProblem;
    fn from_str(s: &str) -> Result<FailModeSetting, ConfigProblem> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "block" => Ok(FailModeSetting::Block),
            "allow" => Ok(FailModeSetting::Allow),
            "by_environment" => Ok(FailModeSetting::ByEnvironment),
            other => Err(ConfigProblem::new(
                "compliance.fail_mode",
                format!("{other:?} is not block, allow or by_environment"),
            )),
        }
    }
}

use crate::hooks::BypassRule;

/// How sensitive data is found.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DetectionConfig {
    /// Where detection runs. Default `local`. Env
    /// `DEEPSENTINEL_DETECTION_MODE`.
    pub mode: DetectionMode,
    /// The remote detection service; required for `remote` and `hybrid`.
    /// Env `DEEPSENTINEL_URL`.
    pub remote_url: Option<String>,
    /// The remote service's key. Env `DEEPSENTINEL_API_KEY`.
    pub remote_api_key: Option<SecretString>,
    /// Deadline for one remote call. Default 2 s; > 0.
    #[serde(deserialize_with = "duration::deserialize")]
    pub remote_timeout: Duration,
    /// In `hybrid` mode the remote service is asked when the local
    /// confidence is below this. Default 0.7; in `[0, 1]`.
    pub hybrid_threshold: f32,
    /// The local scanner's configuration, inline (the scanner's own
    /// `kebab-case` keys: `categories`, `min-score`, `rules`, …). Validated
    /// by compiling it, so unknown entity type names and bad custom rules
    /// are reported.
    pub scanner: deepsentinel_detect::Config,
}

impl Default for DetectionConfig {
    fn default() -> DetectionConfig {
        DetectionConfig {
            mode: DetectionMode::Local,
            remote_url: None,
            remote_api_key: None,
            remote_timeout: Duration::from_secs(2),
            hybrid_threshold: 0.7,
            scanner: deepsentinel_detect::Config::default(),
        }
    }
}

/// Where detection runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DetectionMode {
    /// In process only (the default).
    #[default]
    Local,
    /// The remote service only.
    Remote,
    /// Locally, and remotely when local confidence is low.
    Hybrid,
}

impl FromStr for DetectionMode {
    type Err = ConfigProblem;
    fn from_str(s: &str) -> Result<DetectionMode, ConfigProblem> {
        match s.trim().to_ascii_lowercase().as_str() {
            "local" => Ok(DetectionMode::Local),
            "remote" => Ok(DetectionMode::Remote),
            "hybrid" => Ok(DetectionMode::Hybrid),
            other => Err(ConfigProblem::new(
                "detection.mode",
                format!("{other:?} is not local, remote or hybrid"),
            )),
        }
    }
}

/// Timeouts, retries and HTTP connection settings.
///
/// The connection fields mirror [`NetworkConfig`] (which is not
/// deserializable itself); [`NetworkSettings::network_config`] converts.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NetworkSettings {
    /// The overall deadline of one call, retries included. Default 30 s;
    /// > 0. Env `DEEPSENTINEL_TIMEOUT` (fractional seconds).
    #[serde(deserialize_with = "duration::deserialize")]
    pub timeout: Duration,
    /// Retries after the first attempt (so attempts = retries + 1).
    /// Default 3; at most 100. Env `DEEPSENTINEL_MAX_RETRIES`.
    pub max_retries: u32,
    /// The deadline of one attempt. Default none (only `timeout` bounds
    /// it); > 0 and at most `timeout` when set.
    #[serde(deserialize_with = "duration::option::deserialize")]
    pub attempt_timeout: Option<Duration>,
    /// The retry budget (keys `ttl`, `min-per-sec`, `retry-ratio`).
    /// Default: the providers crate's (10 s, 10/s, 20 %).
    pub retry_budget: Option<BudgetConfig>,
    /// TCP (and TLS) connect deadline. Default 10 s; > 0.
    #[serde(deserialize_with = "duration::deserialize")]
    pub connect_timeout: Duration,
    /// Deadline for one whole HTTP request. Default 600 s; > 0.
    #[serde(deserialize_with = "duration::deserialize")]
    pub request_timeout: Duration,
    /// Deadline for each body read (the idle time between stream events).
    /// Default 300 s; > 0.
    #[serde(deserialize_with = "duration::deserialize")]
    pub read_timeout: Duration,
    /// Idle connections kept per host (by each thread's pool). Default 256.
    pub pool_max_idle_per_host: usize,
    /// How long an idle connection is kept. Default 90 s.
    #[serde(deserialize_with = "duration::deserialize")]
    pub pool_idle_timeout: Duration,
    /// TCP keep-alive interval. Default 60 s; none disables it.
    #[serde(deserialize_with = "duration::option::deserialize")]
    pub tcp_keepalive: Option<Duration>,
    /// Speak HTTP/2 without negotiation (h2c servers). Default off.
    pub http2_prior_knowledge: bool,
    /// Verify TLS certificates. Default on; must be on in production.
    pub verify_tls: bool,
    /// The `User-Agent` header. Default `deepsentinel/<version>`.
    pub user_agent: String,
}

impl Default for NetworkSettings {
    fn default() -> NetworkSettings {
        let n = NetworkConfig::default();
        NetworkSettings {
            timeout: Duration::from_secs(30),
            max_retries: 3,
            attempt_timeout: None,
            retry_budget: RetryConfig::default().budget,
            connect_timeout: n.connect_timeout,
            request_timeout: n.request_timeout,
            read_timeout: n.read_timeout,
            pool_max_idle_per_host: n.pool_max_idle_per_host,
            pool_idle_timeout: n.pool_idle_timeout,
            tcp_keepalive: n.tcp_keepalive,
            http2_prior_knowledge: n.http2_prior_knowledge,
            verify_tls: n.verify_tls,
            user_agent: n.user_agent,
        }
    }
}

impl NetworkSettings {
    /// The HTTP client settings.
    pub fn network_config(&self) -> NetworkConfig {
        NetworkConfig {
            connect_timeout: self.connect_timeout,
            request_timeout: self.request_timeout,
            read_timeout: self.read_timeout,
            pool_max_idle_per_host: self.pool_max_idle_per_host,
            pool_idle_timeout: self.pool_idle_timeout,
            tcp_keepalive: self.tcp_keepalive,
            http2_prior_knowledge: self.http2_prior_knowledge,
            verify_tls: self.verify_tls,
            user_agent: self.user_agent.clone(),
        }
    }

    /// The retry layer's settings: `max_retries + 1` attempts, the retry
    /// budget, and the providers crate's backoff defaults.
    pub fn retry_config(&self) -> RetryConfig {
        RetryConfig {
            max_attempts: self.max_retries.saturating_add(1),
            budget: self.retry_budget.clone(),
            ..RetryConfig::default()
        }
    }

    /// The per-attempt deadlines: `attempt_timeout` for the attempt (none
    /// when unset) and the providers crate's first-chunk and idle defaults.
    pub fn attempt_timeout_config(&self) -> AttemptTimeoutConfig {
        AttemptTimeoutConfig {
            attempt: self.attempt_timeout,
            ..AttemptTimeoutConfig::default()
        }
    }

    /// The overall deadline: `timeout`.
    pub fn overall_timeout_config(&self) -> OverallTimeoutConfig {
        OverallTimeoutConfig {
            overall: self.timeout,
        }
    }
}

/// Caches.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CacheConfig {
    /// How long a remote detection result is reused. Default 300 s; zero
    /// disables the cache.
    #[serde(deserialize_with = "duration::deserialize")]
    pub remote_detection_ttl: Duration,
    /// Entries kept. Default 10 000; > 0.
    pub max_entries: usize,
}

impl Default for CacheConfig {
    fn default() -> CacheConfig {
        CacheConfig {
            remote_detection_ttl: Duration::from_secs(300),
            max_entries: 10_000,
        }
    }
}

/// The audit trail. Records never hold raw values.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuditConfig {
    /// Whether decisions are recorded. Default on.
    pub enabled: bool,
    /// A JSON-lines file to append records to; none (the default) sends
    /// them to the log. Must not be empty when set.
    pub file: Option<PathBuf>,
}

impl Default for AuditConfig {
    fn default() -> AuditConfig {
        AuditConfig {
            enabled: true,
            file: None,
        }
    }
}

/// Logging.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LoggingConfig {
    /// `trace`, `debug`, `info`, `warn`, `error`, `off`, or an
    /// `EnvFilter`-like directive list (`info,deepsentinel=debug`).
    /// Default `info`. Env `DEEPSENTINEL_LOG_LEVEL`.
    pub level: String,
    /// A file to log to instead of standard error. Env
    /// `DEEPSENTINEL_LOG_FILE`.
    pub file: Option<PathBuf>,
}

impl Default for LoggingConfig {
    fn default() -> LoggingConfig {
        LoggingConfig {
            level: "info".to_owned(),
            file: None,
        }
    }
}

/// Prices and spending budgets.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UsageConfig {
    /// Prices by model name or model-name prefix (the longest match wins).
    pub prices: BTreeMap<String, Price>,
    /// Spending limits; a request that would exceed one is refused.
    pub budgets: Vec<BudgetRule>,
}

/// A model's price in USD per million tokens; both ≥ 0 and finite.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    /// Per million prompt tokens.
    pub input_per_mtok: f64,
    /// Per million completion tokens.
    pub output_per_mtok: f64,
}

/// A spending limit.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetRule {
    /// The period it resets after.
    pub period: Period,
    /// The limit in USD; > 0 and finite.
    pub limit_usd: f64,
    /// A provider name or model the limit applies to; none for all
    /// spending.
    #[serde(default)]
    pub scope: Option<String>,
}

use crate::usage::Period;

impl SentinelConfig {
    /// A builder starting from the defaults; see [`SentinelConfigBuilder`].
    pub fn builder() -> SentinelConfigBuilder {
        SentinelConfigBuilder::new()
    }

    /// Defaults, then the file at `path` (TOML, or YAML for `.yaml`/`.yml`),
    /// validated.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] listing every problem: the file cannot be read
    /// (path `file`) or parsed (path `file`, message naming the file, line
    /// and column), unknown keys (by their path, e.g.
    /// `compliance.max_risk`), and everything [`SentinelConfig::validate`]
    /// reports.
    pub fn from_file(path: impl AsRef<Path>) -> Result<SentinelConfig, Error> {
        let config = file::read(path.as_ref()).map_err(config_error)?;
        config.validate()?;
        Ok(config)
    }

    /// Defaults, then the process environment, validated.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] listing every variable that does not parse (by
    /// name) and everything [`SentinelConfig::validate`] reports.
    pub fn from_env() -> Result<SentinelConfig, Error> {
        SentinelConfig::load(None)
    }

    /// Defaults, then the file at `path` if any, then the process
    /// environment, validated. Problems of all three stages are reported
    /// together.
    ///
    /// # Errors
    ///
    /// As [`SentinelConfig::from_file`] and [`SentinelConfig::from_env`].
    pub fn load(path: Option<&Path>) -> Result<SentinelConfig, Error> {
        let mut builder = SentinelConfig::builder();
        if let Some(path) = path {
            builder.file(path);
        }
        builder.env().build()
    }

    /// Applies environment variables on top of this configuration (see
    /// `docs/configuration.md` for the list). Empty values count as unset;
    /// unknown variables are ignored. Every variable that parses is
    /// applied even when others do not. Does not validate.
    ///
    /// Tests pass their own variables here instead of touching the process
    /// environment.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] with one problem per variable that does not parse,
    /// whose path is the variable's name. Key values are never quoted.
    pub fn apply_env_from(
        &mut self,
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<(), Error> {
        let problems = env::apply(self, vars);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Config { problems })
        }
    }

    /// Checks every setting and reports every problem at once, each with
    /// its path (`compliance.max_risk_score`, `providers.openai.api_key`,
    /// `network.timeout`). Loads the configured policies and compiles the
    /// scanner configuration to check them, so it costs a few
    /// milliseconds; call it once.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] with every problem; see `docs/configuration.md`
    /// for the rules.
    pub fn validate(&self) -> Result<(), Error> {
        let problems = validate::problems(self);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Config { problems })
        }
    }

    /// Whether a failure of the checks themselves refuses the request:
    /// `fail_mode`, with `by_environment` resolved (block in production and
    /// staging).
    pub fn fail_closed(&self) -> bool {
        match self.compliance.fail_mode {
            FailModeSetting::Block => true,
            FailModeSetting::Allow => false,
            FailModeSetting::ByEnvironment => matches!(
                self.environment,
                Environment::Production | Environment::Staging
            ),
        }
    }

    /// The policy specs in force: `compliance.policies`, or the preset named
    /// after the environment when that is empty.
    pub fn policy_specs(&self) -> Vec<String> {
        if self.compliance.policies.is_empty() {
            vec![self.environment.default_policy_preset().to_owned()]
        } else {
            self.compliance.policies.clone()
        }
    }

    /// Loads the policies in force, with `compliance.max_risk_score`
    /// applied to each.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] with one problem per policy that fails to load or
    /// validate, at `compliance.policies[i]`.
    pub fn policies(&self) -> Result<Vec<CompliancePolicy>, Error> {
        let (policies, problems) = validate::load_policies(self);
        if problems.is_empty() {
            Ok(policies)
        } else {
            Err(Error::Config { problems })
        }
    }

    /// The operator keys (`compliance.hmac_key`, `compliance.aes_key`).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when a key is not hex or base64 or has the wrong
    /// length; the key is never quoted.
    pub fn operator_keys(&self) -> Result<Keys, Error> {
        validate::keys(&self.compliance).map_err(|p| Error::Config { problems: vec![p] })
    }
}

/// A one-paragraph summary for logs: environment, providers, policies,
/// detection mode and the main network settings. Never shows a key.
impl fmt::Display for SentinelConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let providers = self.providers.configured();
        write!(
            f,
            "environment={} debug={} providers=[{}] default_provider={} compliance={} \
             policies=[{}] fail_closed={} detection={:?} timeout={} max_retries={} verify_tls={}",
            self.environment,
            self.debug,
            providers.join(","),
            self.default_provider.as_deref().unwrap_or("-"),
            if self.compliance.enabled { "on" } else { "off" },
            self.policy_specs().join(","),
            self.fail_closed(),
            self.detection.mode,
            duration::format(self.network.timeout),
            self.network.max_retries,
            self.network.verify_tls,
        )?;
        for (name, set) in [
            (
                "openai",
                self.providers
                    .openai
                    .as_ref()
                    .is_some_and(|p| p.api_key.is_some()),
            ),
            (
                "anthropic",
                self.providers
                    .anthropic
                    .as_ref()
                    .is_some_and(|p| p.api_key.is_some()),
            ),
            (
                "azure",
                self.providers
                    .azure
                    .as_ref()
                    .is_some_and(|p| p.api_key.is_some()),
            ),
        ] {
            if set {
                write!(f, " {name}_key=[REDACTED]")?;
            }
        }
        Ok(())
    }
}

fn config_error(problems: Vec<ConfigProblem>) -> Error {
    Error::Config { problems }
}

/// Whether a secret is set and not blank.
fn secret_is_blank(s: &SecretString) -> bool {
    s.expose_secret().trim().is_empty()
}
