//! DeepSentinel's client: call LLMs as you would call OpenAI, with
//! compliance enforced on the way out and on the way back.
//!
//! [`SentinelClient`] wires the detection engine (`deepsentinel-detect`),
//! compliance policies (`deepsentinel-policy`) and providers with their
//! resilience layers (`deepsentinel-providers`) into one pipeline: input
//! limits, interceptors, a decision over the whole request (a block never
//! reaches the network; anonymized values leave as placeholders), the
//! provider stack, and the reply transform (placeholders restored, values
//! the model produced rewritten per policy, streaming included). Every
//! response carries what compliance did in
//! `response.meta.compliance`.
#![deny(missing_docs)]

#[cfg(feature = "blocking")]
pub mod blocking;
mod client;
mod config;
mod detection;
mod from_config;
mod hooks;
mod json_len;
mod logging;
mod pipeline;
mod router;
mod usage;

pub use client::{
    Chat, ClientBuilder, Completions, Embeddings, HealthReport, Models, ProviderHealth,
    SentinelClient,
};
pub use config::{
    AnthropicSettings, AuditConfig, AzureSettings, BudgetRule, CacheConfig, CompatibleSettings,
    ComplianceConfig, DEFAULT_AZURE_API_VERSION, DetectionConfig, DetectionMode, Environment,
    FailModeSetting, FallbackEntry, LoggingConfig, NetworkSettings, OpenAiSettings, Price,
    ProvidersConfig, SentinelConfig, SentinelConfigBuilder, UsageConfig,
};
pub use hooks::{BypassRule, FailMode, Interceptor, Operation, RequestContext, RequestOptions};
pub use logging::{init_logging, logging_subscriber};
pub use pipeline::Limits;

pub use deepsentinel_core as core;
pub use deepsentinel_core::{ChatRequest, ChatResponse, ChatStream, Error, Message};
pub use deepsentinel_policy as policy;
pub use deepsentinel_providers as providers;
pub use detection::{
    DetectOutcome, Detection, DetectionSource, INVALID_SPAN, Precomputed, REMOTE_DETECTION,
    RemoteDetector,
};
pub use usage::{Budget, ModelPrice, Period, PriceTable, UsageTotals, UsageTracker};
