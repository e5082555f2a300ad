//! Environment variables.
//!
//! Values are parsed strictly: a value that does not parse is a problem
//! named after the variable, never ignored. Messages quote the value of
//! ordinary settings (it helps to see `"abc"`) but never of a key.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use deepsentinel_core::ConfigProblem;
use secrecy::SecretString;

use super::{
    AnthropicSettings, AzureSettings, DetectionMode, Environment, FailModeSetting, OpenAiSettings,
    SentinelConfig,
};

/// Every variable read, for documentation and tests.
pub(crate) const VARIABLES: &[&str] = &[
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_BASE_URL",
    "AZURE_OPENAI_API_KEY",
    "AZURE_OPENAI_ENDPOINT",
    "AZURE_OPENAI_API_VERSION",
    "AZURE_OPENAI_DEPLOYMENT",
    "DEEPSENTINEL_API_KEY",
    "DEEPSENTINEL_URL",
    "DEEPSENTINEL_DETECTION_MODE",
    "DEEPSENTINEL_ENVIRONMENT",
    "ENVIRONMENT",
    "DEEPSENTINEL_DEBUG",
    "DEEPSENTINEL_COMPLIANCE_ENABLED",
    "DEEPSENTINEL_POLICIES",
    "DEEPSENTINEL_MAX_RISK_SCORE",
    "DEEPSENTINEL_FAIL_MODE",
    "DEEPSENTINEL_TIMEOUT",
    "DEEPSENTINEL_MAX_RETRIES",
    "DEEPSENTINEL_DEFAULT_PROVIDER",
    "DEEPSENTINEL_LOG_LEVEL",
    "DEEPSENTINEL_LOG_FILE",
];

/// Applies the variables in `vars` that this module reads; returns the
/// problems of those that do not parse.
pub(super) fn apply(
    config: &mut SentinelConfig,
    vars: impl IntoIterator<Item = (String, String)>,
) -> Vec<ConfigProblem> {
    // Later duplicates win, as in a process environment; blank is unset.
    let vars: BTreeMap<String, String> = vars
        .into_iter()
        .filter(|(k, v)| VARIABLES.contains(&k.as_str()) && !v.trim().is_empty())
        .collect();
    let get = |name: &str| vars.get(name).map(|v| v.trim().to_owned());
    let secret = |name: &str| vars.get(name).map(|v| SecretString::from(v.trim()));
    let mut problems = Vec::new();

    if get("OPENAI_API_KEY").is_some() || get("OPENAI_BASE_URL").is_some() {
        let p = config
            .providers
            .openai
            .get_or_insert_with(OpenAiSettings::default);
        if let Some(k) = secret("OPENAI_API_KEY") {
            p.api_key = Some(k);
        }
        if let Some(u) = get("OPENAI_BASE_URL") {
            p.base_url = Some(u);
        }
    }
    if get("ANTHROPIC_API_KEY").is_some() || get("ANTHROPIC_BASE_URL").is_some() {
        let p = config
            .providers
            .anthropic
            .get_or_insert_with(AnthropicSettings::default);
        if let Some(k) = secret("ANTHROPIC_API_KEY") {
            p.api_key = Some(k);
        }
        if let Some(u) = get("ANTHROPIC_BASE_URL") {
            p.base_url = Some(u);
        }
    }
    let azure_vars = [
        "AZURE_OPENAI_API_KEY",
        "AZURE_OPENAI_ENDPOINT",
        "AZURE_OPENAI_API_VERSION",
        "AZURE_OPENAI_DEPLOYMENT",
    ];
    if azure_vars.iter().any(|v| get(v).is_some()) {
        let p = config
            .providers
            .azure
            .get_or_insert_with(AzureSettings::default);
        if let Some(k) = secret("AZURE_OPENAI_API_KEY") {
            p.api_key = Some(k);
        }
        if let Some(v) = get("AZURE_OPENAI_ENDPOINT") {
            p.endpoint = v;
        }
        if let Some(v) = get("AZURE_OPENAI_API_VERSION") {
            p.api_version = v;
        }
        if let Some(v) = get("AZURE_OPENAI_DEPLOYMENT") {
            p.deployment = v;
        }
    }

    if let Some(k) = secret("DEEPSENTINEL_API_KEY") {
        config.detection.remote_api_key = Some(k);
    }
    if let Some(u) = get("DEEPSENTINEL_URL") {
        config.detection.remote_url = Some(u);
    }
    if let Some(v) = get("DEEPSENTINEL_DETECTION_MODE") {
        match v.parse::<DetectionMode>() {
            Ok(m) => config.detection.mode = m,
            Err(p) => problems.push(renamed("DEEPSENTINEL_DETECTION_MODE", p)),
        }
    }

    // The specific name wins over the generic one.
    for name in ["DEEPSENTINEL_ENVIRONMENT", "ENVIRONMENT"] {
        if let Some(v) = get(name) {
            match v.parse::<Environment>() {
                Ok(e) => config.environment = e,
                Err(p) => problems.push(renamed(name, p)),
            }
            break;
        }
    }
    if let Some(b) = parse_with("DEEPSENTINEL_DEBUG", &get, parse_bool, &mut problems) {
        config.debug = b;
    }
    if let Some(b) = parse_with(
        "DEEPSENTINEL_COMPLIANCE_ENABLED",
        &get,
        parse_bool,
        &mut problems,
    ) {
        config.compliance.enabled = b;
    }
    if let Some(v) = get("DEEPSENTINEL_POLICIES") {
        config.compliance.policies = v
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
    }
    if let Some(r) = parse_with(
        "DEEPSENTINEL_MAX_RISK_SCORE",
        &get,
        parse_risk,
        &mut problems,
    ) {
        config.compliance.max_risk_score = Some(r);
    }
    if let Some(v) = get("DEEPSENTINEL_FAIL_MODE") {
        match v.parse::<FailModeSetting>() {
            Ok(m) => config.compliance.fail_mode = m,
            Err(p) => problems.push(renamed("DEEPSENTINEL_FAIL_MODE", p)),
        }
    }
    if let Some(d) = parse_with("DEEPSENTINEL_TIMEOUT", &get, parse_seconds, &mut problems) {
        config.network.timeout = d;
    }
    if let Some(n) = parse_with(
        "DEEPSENTINEL_MAX_RETRIES",
        &get,
        |s| {
            s.parse::<u32>()
                .map_err(|_| format!("{s:?} is not a whole number of retries"))
        },
        &mut problems,
    ) {
        config.network.max_retries = n;
    }
    if let Some(v) = get("DEEPSENTINEL_DEFAULT_PROVIDER") {
        config.default_provider = Some(v);
    }
    if let Some(v) = get("DEEPSENTINEL_LOG_LEVEL") {
        config.logging.level = v;
    }
    if let Some(v) = get("DEEPSENTINEL_LOG_FILE") {
        config.logging.file = Some(PathBuf::from(v));
    }
    problems
}

fn parse_with<T>(
    name: &str,
    get: &dyn Fn(&str) -> Option<String>,
    parse: impl Fn(&str) -> Result<T, String>,
    problems: &mut Vec<ConfigProblem>,
) -> Option<T> {
    let v = get(name)?;
    match parse(&v) {
        Ok(t) => Some(t),
        Err(message) => {
            problems.push(ConfigProblem::new(name, message));
            None
        }
    }
}

/// The same problem, at the variable instead of the setting.
fn renamed(name: &str, p: ConfigProblem) -> ConfigProblem {
    ConfigProblem::new(name, p.message)
}

/// `true/false/1/0/yes/no/on/off`, case-insensitive.
pub(super) fn parse_bool(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(format!("{s:?} is not a boolean (true/false, 1/0, yes/no)")),
    }
}

fn parse_risk(s: &str) -> Result<f32, String> {
    match s.trim().parse::<f32>() {
        Ok(r) if r.is_finite() => Ok(r),
        _ => Err(format!("{s:?} is not a number")),
    }
}

/// Fractional seconds (`30`, `2.5`), positive and finite.
fn parse_seconds(s: &str) -> Result<Duration, String> {
    let not = || format!("{s:?} is not a number of seconds");
    let secs: f64 = s.trim().parse().map_err(|_| not())?;
    if !secs.is_finite() || secs < 0.0 {
        return Err(not());
    }
    Duration::try_from_secs_f64(secs).map_err(|_| not())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans() {
        for t in ["true", "TRUE", "1", "yes", "Yes", "on"] {
            assert_eq!(parse_bool(t), Ok(true), "{t}");
        }
        for f in ["false", "0", "no", "NO", "off"] {
            assert_eq!(parse_bool(f), Ok(false), "{f}");
        }
        for bad in ["2", "y", "truthy", "enabled"] {
            assert!(parse_bool(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn seconds() {
        assert_eq!(parse_seconds("2.5"), Ok(Duration::from_millis(2500)));
        assert_eq!(parse_seconds("30"), Ok(Duration::from_secs(30)));
        for bad in ["abc", "-1", "inf", "NaN", "30s", "1e400"] {
            assert!(parse_seconds(bad).is_err(), "{bad}");
        }
    }
}
