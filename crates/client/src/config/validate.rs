//! The checks behind [`SentinelConfig::validate`]: every problem, each at
//! its path, collected in one pass.

use deepsentinel_core::ConfigProblem;
use deepsentinel_policy::{CompliancePolicy, Keys, PolicyError};
use deepsentinel_providers::{BreakerLayer, ConcurrencyLayer, RateLimitLayer, RetryLayer};
use secrecy::{ExposeSecret, SecretString};

use super::{
    ComplianceConfig, Environment, FailModeSetting, SentinelConfig, duration, secret_is_blank,
};

/// The highest `compliance.max_risk_score` accepted in production.
const PRODUCTION_MAX_RISK: f32 = 0.8;
/// Names a compatible entry may not take: the built-in providers'.
const RESERVED: [&str; 4] = ["openai", "anthropic", "azure", "echo"];
const MAX_RETRIES: u32 = 100;

#[derive(Default)]
struct Problems(Vec<ConfigProblem>);

impl Problems {
    fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(ConfigProblem::new(path, message));
    }
}

pub(super) fn problems(c: &SentinelConfig) -> Vec<ConfigProblem> {
    let mut p = Problems::default();
    providers(c, &mut p);
    compliance(c, &mut p);
    detection(c, &mut p);
    network(c, &mut p);
    rest(c, &mut p);
    production(c, &mut p);
    p.0
}

fn providers(c: &SentinelConfig, p: &mut Problems) {
    let pc = &c.providers;
    if pc.configured().is_empty() {
        p.add(
            "providers",
            "no provider is configured: set providers.openai, anthropic, azure, compatible or \
             echo (or OPENAI_API_KEY, ANTHROPIC_API_KEY, AZURE_OPENAI_API_KEY)",
        );
    }
    if let Some(o) = &pc.openai {
        key(&o.api_key, "providers.openai.api_key", "OPENAI_API_KEY", p);
        if let Some(u) = &o.base_url {
            url(u, "providers.openai.base_url", p);
        }
        models(&o.models, "providers.openai.models", p);
    }
    if let Some(a) = &pc.anthropic {
        key(
            &a.api_key,
            "providers.anthropic.api_key",
            "ANTHROPIC_API_KEY",
            p,
        );
        if let Some(u) = &a.base_url {
            url(u, "providers.anthropic.base_url", p);
        }
        if a.version.as_deref().is_some_and(|v| v.trim().is_empty()) {
            p.add("providers.anthropic.version", "must not be empty when set");
        }
        if a.default_max_tokens == Some(0) {
            p.add(
                "providers.anthropic.default_max_tokens",
                "must be greater than zero",
            );
        }
        models(&a.models, "providers.anthropic.models", p);
    }
    if let Some(z) = &pc.azure {
        key(
            &z.api_key,
            "providers.azure.api_key",
            "AZURE_OPENAI_API_KEY",
            p,
        );
        if z.endpoint.trim().is_empty() {
            p.add(
                "providers.azure.endpoint",
                "is required (or set AZURE_OPENAI_ENDPOINT)",
            );
        } else {
            url(&z.endpoint, "providers.azure.endpoint", p);
        }
        if z.api_version.trim().is_empty() {
            p.add("providers.azure.api_version", "must not be empty");
        }
        models(&z.models, "providers.azure.models", p);
    }
    for (name, s) in &pc.compatible {
        let at = format!("providers.compatible.{name}");
        if name.trim().is_empty() {
            p.add(&at, "the name must not be empty");
        } else if RESERVED.contains(&name.as_str()) {
            p.add(&at, format!("`{name}` is a built-in provider's name"));
        }
        if s.base_url.trim().is_empty() {
            p.add(format!("{at}.base_url"), "is required");
        } else {
            url(&s.base_url, &format!("{at}.base_url"), p);
        }
        if let Some(k) = &s.api_key {
            if secret_is_blank(k) {
                p.add(format!("{at}.api_key"), "is empty");
            }
        }
        if let Some(h) = &s.auth_header {
            if reqwest::header::HeaderName::from_bytes(h.as_bytes()).is_err() {
                p.add(format!("{at}.auth_header"), "is not a valid header name");
            }
        }
        models(&s.models, &format!("{at}.models"), p);
    }
    for (i, f) in pc.fallback.iter().enumerate() {
        let at = format!("providers.fallback[{i}].provider");
        if f.provider.trim().is_empty() {
            p.add(at, "is required");
        } else if !pc.is_configured(&f.provider) {
            p.add(at, format!("`{}` is not a configured provider", f.provider));
        }
    }
    if let Some(b) = &pc.breaker {
        if let Err(e) = BreakerLayer::new(b.clone()) {
            p.add(format!("providers.{}", e.path()), e.to_string());
        }
    }
    if let Some(r) = &pc.rate_limit {
        if let Err(e) = RateLimitLayer::new(r.clone()) {
            p.add(format!("providers.{}", e.path()), e.to_string());
        }
    }
    if let Some(cc) = &pc.concurrency {
        if let Err(e) = ConcurrencyLayer::new(cc.clone()) {
            p.add(format!("providers.{}", e.path()), e.to_string());
        }
    }
    let alpha = pc.balance.ewma_alpha;
    if !(alpha > 0.0 && alpha <= 1.0) {
        p.add(
            "providers.balance.ewma-alpha",
            format!("{alpha} is outside (0, 1]"),
        );
    }
    if let Some(d) = &c.default_provider {
        if !pc.is_configured(d) {
            p.add(
                "default_provider",
                format!(
                    "`{d}` is not a configured provider (configured: {})",
                    pc.configured().join(", ")
                ),
            );
        }
    }
}

fn key(k: &Option<SecretString>, path: &str, var: &str, p: &mut Problems) {
    match k {
        None => p.add(path, format!("is required (or set {var})")),
        Some(k) if secret_is_blank(k) => p.add(path, "is empty"),
        Some(_) => {}
    }
}

/// An `http`/`https` URL without credentials. The URL is not quoted: it
/// could hold a token.
fn url(u: &str, path: &str, p: &mut Problems) {
    match reqwest::Url::parse(u.trim()) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {
            if !parsed.username().is_empty() || parsed.password().is_some() {
                p.add(
                    path,
                    "must not hold credentials (configure the key instead)",
                );
            }
        }
        Ok(_) => p.add(path, "must be an http or https URL"),
        Err(e) => p.add(path, format!("is not a valid URL ({e})")),
    }
}

fn models(models: &[String], path: &str, p: &mut Problems) {
    if models.iter().any(|m| m.trim().is_empty()) {
        p.add(path, "an empty prefix would route every model here");
    }
}

fn compliance(c: &SentinelConfig, p: &mut Problems) {
    let cc = &c.compliance;
    if let Some(r) = cc.max_risk_score {
        if !(0.0..=1.0).contains(&r) {
            p.add(
                "compliance.max_risk_score",
                format!("{r} is outside [0, 1]"),
            );
        }
    }
    for (i, rule) in cc.bypass.iter().enumerate() {
        let at = format!("compliance.bypass[{i}]");
        if rule.user.is_none() && rule.model.is_none() && rule.operation.is_none() {
            p.add(
                &at,
                "sets no field, so it would bypass every request; set user, model or operation",
            );
        }
        if let Some(op) = &rule.operation {
            if !matches!(op.as_str(), "chat" | "embeddings") {
                p.add(
                    format!("{at}.operation"),
                    format!("{op:?} is not chat or embeddings"),
                );
            }
        }
    }
    if cc.max_message_bytes == 0 {
        p.add("compliance.max_message_bytes", "must be greater than zero");
    }
    if cc.max_request_bytes == 0 {
        p.add("compliance.max_request_bytes", "must be greater than zero");
    } else if cc.max_request_bytes < cc.max_message_bytes {
        p.add(
            "compliance.max_request_bytes",
            format!(
                "{} is below max_message_bytes ({})",
                cc.max_request_bytes, cc.max_message_bytes
            ),
        );
    }
    if let Err(problem) = keys(cc) {
        p.0.push(problem);
    }
    let (_, problems) = load_policies(c);
    p.0.extend(problems);
}

/// The operator keys; the first bad one is reported (never its value).
pub(super) fn keys(cc: &ComplianceConfig) -> Result<Keys, ConfigProblem> {
    let mut keys = Keys::none();
    if let Some(k) = &cc.hmac_key {
        keys = Keys::decode_key("HMAC", k.expose_secret())
            .and_then(|bytes| keys.with_hmac_key(&bytes))
            .map_err(|e| ConfigProblem::new("compliance.hmac_key", e.to_string()))?;
    }
    if let Some(k) = &cc.aes_key {
        keys = Keys::decode_key("AES-256", k.expose_secret())
            .and_then(|bytes| keys.with_aes_key(&bytes))
            .map_err(|e| ConfigProblem::new("compliance.aes_key", e.to_string()))?;
    }
    Ok(keys)
}

/// Loads the policies in force, with the risk override applied.
pub(super) fn load_policies(c: &SentinelConfig) -> (Vec<CompliancePolicy>, Vec<ConfigProblem>) {
    let mut policies = Vec::new();
    let mut problems = Vec::new();
    let explicit = !c.compliance.policies.is_empty();
    for (i, spec) in c.policy_specs().iter().enumerate() {
        let at = if explicit {
            format!("compliance.policies[{i}]")
        } else {
            "compliance.policies".to_owned()
        };
        match CompliancePolicy::load(spec) {
            Ok(mut policy) => {
                if let Some(r) = c.compliance.max_risk_score {
                    policy.thresholds.max_risk_score = r;
                }
                policies.push(policy);
            }
            Err(PolicyError::Invalid {
                policy,
                problems: inner,
            }) => {
                for q in inner {
                    problems.push(ConfigProblem::new(
                        &at,
                        format!("policy `{policy}`: {}: {}", q.field, q.problem),
                    ));
                }
            }
            Err(e) => problems.push(ConfigProblem::new(&at, e.to_string())),
        }
    }
    (policies, problems)
}

fn detection(c: &SentinelConfig, p: &mut Problems) {
    use super::DetectionMode;
    let d = &c.detection;
    match (&d.remote_url, d.mode) {
        (None, DetectionMode::Remote | DetectionMode::Hybrid) => p.add(
            "detection.remote_url",
            "is required in remote and hybrid mode (or set DEEPSENTINEL_URL)",
        ),
        (Some(u), _) => url(u, "detection.remote_url", p),
        (None, DetectionMode::Local) => {}
    }
    if let Some(k) = &d.remote_api_key {
        if secret_is_blank(k) {
            p.add("detection.remote_api_key", "is empty");
        }
    }
    if d.remote_timeout.is_zero() {
        p.add("detection.remote_timeout", "must be greater than zero");
    }
    if !(0.0..=1.0).contains(&d.hybrid_threshold) {
        p.add(
            "detection.hybrid_threshold",
            format!("{} is outside [0, 1]", d.hybrid_threshold),
        );
    }
    // Compiling is the only complete check of custom rules and type names.
    if let Err(e) = deepsentinel_detect::Builder::from_config(d.scanner.clone()).build() {
        scanner_problems(&e, p);
    }
}

fn scanner_problems(e: &deepsentinel_detect::Error, p: &mut Problems) {
    use deepsentinel_detect::ErrorKind;
    match e.kind() {
        ErrorKind::Many(errors) => {
            for e in errors {
                scanner_problems(e, p);
            }
        }
        ErrorKind::InvalidConfig { field, problem } => {
            p.add(format!("detection.scanner.{field}"), problem.clone());
        }
        ErrorKind::InvalidRule { .. } => p.add("detection.scanner.rules", e.to_string()),
        ErrorKind::InvalidAllowPattern { .. } => {
            p.add("detection.scanner.allow-list.patterns", e.to_string());
        }
        _ => p.add("detection.scanner", e.to_string()),
    }
}

fn network(c: &SentinelConfig, p: &mut Problems) {
    let n = &c.network;
    if n.timeout.is_zero() {
        p.add("network.timeout", "must be greater than zero");
    }
    if let Some(a) = n.attempt_timeout {
        if a.is_zero() {
            p.add("network.attempt_timeout", "must be greater than zero");
        } else if !n.timeout.is_zero() && a > n.timeout {
            p.add(
                "network.attempt_timeout",
                format!(
                    "{} is longer than network.timeout ({}), which bounds every attempt",
                    duration::format(a),
                    duration::format(n.timeout)
                ),
            );
        }
    }
    if n.max_retries > MAX_RETRIES {
        p.add(
            "network.max_retries",
            format!("{} is above {MAX_RETRIES}", n.max_retries),
        );
    }
    if let Err(e) = RetryLayer::new(n.retry_config()) {
        p.add("network.retry_budget", e.to_string());
    }
    p.0.extend(n.network_config().problems("network"));
}

fn rest(c: &SentinelConfig, p: &mut Problems) {
    if c.cache.max_entries == 0 {
        p.add("cache.max_entries", "must be greater than zero");
    }
    if c.audit
        .file
        .as_ref()
        .is_some_and(|f| f.as_os_str().is_empty())
    {
        p.add("audit.file", "must not be empty when set");
    }
    if let Err(message) = log_level(&c.logging.level) {
        p.add("logging.level", message);
    }
    if c.logging
        .file
        .as_ref()
        .is_some_and(|f| f.as_os_str().is_empty())
    {
        p.add("logging.file", "must not be empty when set");
    }
    for (model, price) in &c.usage.prices {
        let at = format!("usage.prices.{model}");
        if model.trim().is_empty() {
            p.add(&at, "the model name must not be empty");
        }
        for (field, v) in [
            ("input_per_mtok", price.input_per_mtok),
            ("output_per_mtok", price.output_per_mtok),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                p.add(format!("{at}.{field}"), format!("{v} is not a price ≥ 0"));
            }
        }
    }
    for (i, b) in c.usage.budgets.iter().enumerate() {
        let at = format!("usage.budgets[{i}]");
        if !(b.limit_usd.is_finite() && b.limit_usd > 0.0) {
            p.add(
                format!("{at}.limit_usd"),
                format!("{} is not an amount > 0", b.limit_usd),
            );
        }
        if b.scope.as_deref().is_some_and(|s| s.trim().is_empty()) {
            p.add(format!("{at}.scope"), "must not be empty when set");
        }
    }
}

const LEVELS: [&str; 6] = ["trace", "debug", "info", "warn", "error", "off"];

/// A level, or comma-separated `target`, `level` or `target=level`
/// directives as `tracing_subscriber::EnvFilter` reads them (without span
/// filters).
pub(super) fn log_level(s: &str) -> Result<(), String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    let is_target = |t: &str| {
        !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '.'))
    };
    for directive in s.split(',').map(str::trim) {
        let ok = match directive.split_once('=') {
            Some((target, level)) => {
                is_target(target.trim())
                    && LEVELS.contains(&level.trim().to_ascii_lowercase().as_str())
            }
            // A bare word is a target to `EnvFilter`, so a misspelt level
            // (`verbose`) would silently mean "everything from crate
            // `verbose`": bare targets must be module paths.
            None => {
                LEVELS.contains(&directive.to_ascii_lowercase().as_str())
                    || (directive.contains("::") && is_target(directive))
            }
        };
        if !ok {
            return Err(format!(
                "{directive:?} is not a level ({}) or a target=level directive",
                LEVELS.join(", ")
            ));
        }
    }
    Ok(())
}

fn production(c: &SentinelConfig, p: &mut Problems) {
    if c.environment != Environment::Production {
        return;
    }
    if c.debug {
        p.add("debug", "must be off in production");
    }
    if let Some(r) = c.compliance.max_risk_score {
        if r > PRODUCTION_MAX_RISK {
            p.add(
                "compliance.max_risk_score",
                format!("{r} is above {PRODUCTION_MAX_RISK}, the most production allows"),
            );
        }
    }
    let configured = c.providers.configured();
    if !configured.is_empty() && configured.iter().all(|n| n == "echo") {
        p.add(
            "providers",
            "production needs at least one real provider (echo does not count)",
        );
    }
    if !c.network.verify_tls {
        p.add("network.verify_tls", "must be on in production");
    }
    if c.compliance.fail_mode == FailModeSetting::Allow {
        p.add(
            "compliance.fail_mode",
            "`allow` would let unchecked requests through in production",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_levels() {
        for ok in [
            "info",
            "DEBUG",
            "off",
            "info,deepsentinel=debug",
            "hyper::client",
            "a::b=warn",
        ] {
            assert_eq!(log_level(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "loud",
            "x=loud",
            "info,,debug",
            "a b",
            "=info",
            "verbose",
        ] {
            assert!(log_level(bad).is_err(), "{bad}");
        }
    }
}
