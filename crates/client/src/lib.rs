//! DeepSentinel's client.
#![deny(missing_docs)]

mod config;

pub use config::{
    AnthropicSettings, AuditConfig, AzureSettings, BudgetRule, BypassRule, CacheConfig,
    CompatibleSettings, ComplianceConfig, DEFAULT_AZURE_API_VERSION, DetectionConfig,
    DetectionMode, Environment, FailMode, FallbackEntry, LoggingConfig, NetworkSettings,
    OpenAiSettings, Period, Price, ProvidersConfig, SentinelConfig, SentinelConfigBuilder,
    UsageConfig,
};
