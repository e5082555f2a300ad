//! From a validated [`SentinelConfig`] to a ready client: providers wrapped
//! in resilience stacks, routes, policies, detection mode, usage.

use std::sync::Arc;

use deepsentinel_core::{ConfigProblem, Error, Provider};
use deepsentinel_detect::Scanner;
use deepsentinel_policy::PolicySet;
use deepsentinel_providers::{
    AnthropicConfig, AnthropicProvider, AuthStyle, EchoProvider, FallbackTarget, HttpClient,
    OpenAiConfig, OpenAiProvider, StackBuilder,
};

use crate::client::{ClientBuilder, SentinelClient};
use crate::config::{DetectionMode, SentinelConfig};
use crate::detection::{Detection, RemoteDetector};
use crate::hooks::FailMode;
use crate::pipeline::Limits;
use crate::usage::{Budget, ModelPrice, PriceTable, UsageTracker};

/// Providers by configured name.
type Named = Vec<(String, Arc<dyn Provider>)>;

/// The providers a configuration names, before any layer.
fn raw_providers(config: &SentinelConfig, http: &HttpClient) -> Result<Named, Error> {
    let p = &config.providers;
    let mut out: Vec<(String, Arc<dyn Provider>)> = Vec::new();
    let mut problems = Vec::new();
    let mut push = |name: &str, made: Result<Arc<dyn Provider>, Error>| match made {
        Ok(provider) => out.push((name.to_owned(), provider)),
        Err(Error::Config { problems: p }) => problems.extend(p),
        Err(e) => problems.push(ConfigProblem::new(
            format!("providers.{name}"),
            e.to_string(),
        )),
    };
    if let Some(o) = &p.openai {
        let mut c = OpenAiConfig::openai(o.api_key.clone().unwrap_or_default());
        c.api_key = o.api_key.clone();
        if let Some(url) = &o.base_url {
            c.base_url = url.clone();
        }
        push(
            "openai",
            OpenAiProvider::new(&c, http.clone()).map(|p| Arc::new(p) as Arc<dyn Provider>),
        );
    }
    if let Some(a) = &p.anthropic {
        let mut c = AnthropicConfig::new(a.api_key.clone().unwrap_or_default());
        c.api_key = a.api_key.clone();
        if let Some(url) = &a.base_url {
            c.base_url = url.clone();
        }
        if let Some(v) = &a.version {
            c.version = v.clone();
        }
        if let Some(m) = a.default_max_tokens {
            c.default_max_tokens = m;
        }
        push(
            "anthropic",
            AnthropicProvider::new(&c, http.clone()).map(|p| Arc::new(p) as Arc<dyn Provider>),
        );
    }
    if let Some(z) = &p.azure {
        let mut c = OpenAiConfig::azure(
            &z.endpoint,
            &z.deployment,
            &z.api_version,
            z.api_key.clone().unwrap_or_default(),
        );
        c.name = "azure".into();
        c.api_key = z.api_key.clone();
        push(
            "azure",
            OpenAiProvider::new(&c, http.clone()).map(|p| Arc::new(p) as Arc<dyn Provider>),
        );
    }
    for (name, s) in &p.compatible {
        let auth = match (&s.auth_header, &s.api_key) {
            (Some(h), _) => AuthStyle::Header(h.clone()),
            (None, Some(_)) => AuthStyle::Bearer,
            (None, None) => AuthStyle::None,
        };
        let c = OpenAiConfig {
            name: name.clone(),
            base_url: s.base_url.clone(),
            api_key: s.api_key.clone(),
            auth,
            query: s
                .query
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            headers: Vec::new(),
        };
        push(
            name,
            OpenAiProvider::new(&c, http.clone()).map(|p| Arc::new(p) as Arc<dyn Provider>),
        );
    }
    if p.echo {
        push("echo", Ok(Arc::new(EchoProvider::new())));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Error::Config { problems })
    }
}

/// Each provider in its resilience stack, with the configured fallback
/// chain (entries naming the provider itself are skipped).
fn stacks(config: &SentinelConfig, raw: &[(String, Arc<dyn Provider>)]) -> Result<Named, Error> {
    let p = &config.providers;
    let net = &config.network;
    let mut out = Vec::new();
    for (name, provider) in raw {
        let mut b = StackBuilder::new(name.clone());
        b.endpoint(provider.clone())
            .retry(Some(net.retry_config()))
            .attempt_timeout(Some(net.attempt_timeout_config()))
            .overall_timeout(Some(net.overall_timeout_config()))
            .balance(p.balance.clone());
        if let Some(c) = &p.breaker {
            b.breaker(Some(c.clone()));
        }
        if let Some(c) = &p.concurrency {
            b.concurrency(Some(c.clone()));
        }
        if let Some(c) = &p.rate_limit {
            b.rate_limit(Some(c.clone()));
        }
        for entry in &p.fallback {
            if entry.provider == *name {
                continue;
            }
            let Some((_, target)) = raw.iter().find(|(n, _)| *n == entry.provider) else {
                continue; // validate() reports unknown fallback providers
            };
            b.fallback(
                target.clone(),
                FallbackTarget {
                    models: entry
                        .models
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                    default_model: entry.default_model.clone(),
                },
            );
        }
        let stack = b.build().map_err(Error::from)?;
        out.push((name.clone(), stack.provider()));
    }
    Ok(out)
}

fn detection(config: &SentinelConfig, scanner: &Scanner, http: &HttpClient) -> Option<Detection> {
    let d = &config.detection;
    let remote = || {
        d.remote_url.as_ref().map(|url| {
            RemoteDetector::new(
                url,
                d.remote_api_key.clone(),
                d.remote_timeout,
                http.reqwest(),
            )
        })
    };
    match d.mode {
        DetectionMode::Local => None,
        DetectionMode::Remote => remote().map(|r| Detection::remote(r, scanner.clone())),
        DetectionMode::Hybrid => remote().map(|r| {
            Detection::hybrid(
                r,
                scanner.clone(),
                d.hybrid_threshold,
                config.cache.remote_detection_ttl,
                config.cache.max_entries,
            )
        }),
    }
}

fn usage(config: &SentinelConfig) -> UsageTracker {
    let mut prices = PriceTable::default();
    for (model, p) in &config.usage.prices {
        prices.set(
            model.clone(),
            ModelPrice::new(p.input_per_mtok, p.output_per_mtok),
        );
    }
    let budgets = config
        .usage
        .budgets
        .iter()
        .map(|b| {
            let budget = Budget::new(b.period, b.limit_usd);
            match &b.scope {
                Some(s) => budget.scoped(s.clone()),
                None => budget,
            }
        })
        .collect();
    UsageTracker::new(prices, budgets)
}

impl SentinelClient {
    /// A client from a configuration, validated first.
    ///
    /// # Errors
    /// [`Error::Config`] listing every problem.
    pub fn new(config: SentinelConfig) -> Result<SentinelClient, Error> {
        SentinelClient::builder_from(&config)?.build()
    }

    /// A builder set up from a configuration (validated first), to add
    /// what configuration files cannot express (interceptors, per-tag
    /// policies) before [`ClientBuilder::build`].
    ///
    /// # Errors
    /// [`Error::Config`] listing every problem.
    pub fn builder_from(config: &SentinelConfig) -> Result<ClientBuilder, Error> {
        let config = config.clone();
        config.validate()?;
        let http = HttpClient::new(&config.network.network_config())?;
        let raw = raw_providers(&config, &http)?;
        let stacked = stacks(&config, &raw)?;
        let scanner =
            Scanner::from_config(config.detection.scanner.clone()).map_err(|e| Error::Config {
                problems: vec![ConfigProblem::new("detection.scanner", e.to_string())],
            })?;
        let policies = PolicySet::new(config.policies()?).map_err(|e| Error::Config {
            problems: vec![ConfigProblem::new("compliance.policies", e.to_string())],
        })?;
        let mut b: ClientBuilder = SentinelClient::builder();
        for (name, p) in stacked {
            b = b.provider(name, p);
        }
        let p = &config.providers;
        let mut routes: Vec<(&str, &Vec<String>)> = Vec::new();
        if let Some(o) = &p.openai {
            routes.push(("openai", &o.models));
        }
        if let Some(a) = &p.anthropic {
            routes.push(("anthropic", &a.models));
        }
        if let Some(z) = &p.azure {
            routes.push(("azure", &z.models));
        }
        for (name, c) in &p.compatible {
            routes.push((name, &c.models));
        }
        for (name, prefixes) in routes {
            for prefix in prefixes {
                b = b.route(prefix.clone(), name);
            }
        }
        if let Some(d) = &config.default_provider {
            b = b.default_provider(d.clone());
        }
        if let Some(d) = detection(&config, &scanner, &http) {
            b = b.detection(d);
        }
        for rule in &config.compliance.bypass {
            b = b.bypass(rule.clone());
        }
        Ok(b.scanner(scanner)
            .policies(policies)
            .keys(config.operator_keys()?)
            .compliance(config.compliance.enabled)
            .fail_mode(if config.fail_closed() {
                FailMode::Block
            } else {
                FailMode::Allow
            })
            .limits(Limits {
                max_message_bytes: config.compliance.max_message_bytes,
                max_request_bytes: config.compliance.max_request_bytes,
            })
            .usage(usage(&config)))
    }

    /// [`SentinelClient::new`] from the defaults and the environment
    /// variables (see `docs/configuration.md`).
    ///
    /// # Errors
    /// [`Error::Config`] listing every problem, including variables whose
    /// value does not parse.
    pub fn from_env() -> Result<SentinelClient, Error> {
        SentinelClient::new(SentinelConfig::from_env()?)
    }

    /// [`SentinelClient::new`] from the defaults, a TOML or YAML file, then
    /// the environment.
    ///
    /// # Errors
    /// [`Error::Config`] listing every problem (the file unreadable or
    /// malformed, unknown keys, invalid values).
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<SentinelClient, Error> {
        SentinelClient::new(SentinelConfig::load(Some(path.as_ref()))?)
    }
}
