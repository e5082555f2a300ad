//! Reading a configuration file.
//!
//! serde's `deny_unknown_fields` stops at the first unknown key and names
//! it without its section, so the file is first parsed into a generic
//! value and walked against [`TOP`], a table of the keys each section
//! accepts: every unknown key is reported at once with its full path
//! (`compliance.max_risk`). Sections owned by other crates are checked by
//! deserializing them alone, so their errors get a path prefix too. Only a
//! file that passes is deserialized into [`SentinelConfig`], straight from
//! the text so type errors carry a line and column.
//!
//! The table must list every field of the section structs; the complete
//! example in `docs/configuration.md`, which sets every field, is parsed
//! by a test to catch a missing entry.

use std::path::Path;

use deepsentinel_core::ConfigProblem;
use deepsentinel_policy::PRESETS;
use deepsentinel_providers::{
    BalanceConfig, BreakerConfig, BudgetConfig, ConcurrencyConfig, RateLimitConfig,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::SentinelConfig;

/// What a key may hold.
#[derive(Clone, Copy)]
enum Shape {
    /// A value whose keys (if any) are not checked here.
    Leaf,
    /// A section with these keys.
    Struct(&'static [(&'static str, Shape)]),
    /// A table of user-chosen names to values of this shape.
    Map(&'static Shape),
    /// A list of values of this shape.
    List(&'static Shape),
    /// A section owned by another crate: deserialized alone; `Some` is the
    /// error message.
    Foreign(fn(&Value) -> Option<String>),
}

use Shape::{Foreign, Leaf, List, Map, Struct};

fn foreign<T: DeserializeOwned>(v: &Value) -> Option<String> {
    serde_json::from_value::<T>(v.clone())
        .err()
        .map(|e| e.to_string())
}

const MODELS: (&str, Shape) = ("models", Leaf);
const API_KEY: (&str, Shape) = ("api_key", Leaf);

const OPENAI: Shape = Struct(&[API_KEY, ("base_url", Leaf), MODELS]);
const ANTHROPIC: Shape = Struct(&[
    API_KEY,
    ("base_url", Leaf),
    ("version", Leaf),
    ("default_max_tokens", Leaf),
    MODELS,
]);
const AZURE: Shape = Struct(&[
    API_KEY,
    ("endpoint", Leaf),
    ("deployment", Leaf),
    ("api_version", Leaf),
    MODELS,
]);
const COMPATIBLE: Shape = Struct(&[
    ("base_url", Leaf),
    API_KEY,
    ("auth_header", Leaf),
    ("query", Leaf),
    MODELS,
]);
const FALLBACK: Shape = Struct(&[("provider", Leaf), ("default_model", Leaf), MODELS]);
const PROVIDERS: Shape = Struct(&[
    ("openai", OPENAI),
    ("anthropic", ANTHROPIC),
    ("azure", AZURE),
    ("compatible", Map(&COMPATIBLE)),
    ("echo", Leaf),
    ("fallback", List(&FALLBACK)),
    ("breaker", Foreign(foreign::<BreakerConfig>)),
    ("rate_limit", Foreign(foreign::<RateLimitConfig>)),
    ("concurrency", Foreign(foreign::<ConcurrencyConfig>)),
    ("balance", Foreign(foreign::<BalanceConfig>)),
]);
const BYPASS: Shape = Struct(&[("user", Leaf), ("model", Leaf), ("operation", Leaf)]);
const COMPLIANCE: Shape = Struct(&[
    ("enabled", Leaf),
    ("policies", Leaf),
    ("max_risk_score", Leaf),
    ("fail_mode", Leaf),
    ("bypass", List(&BYPASS)),
    ("max_message_bytes", Leaf),
    ("max_request_bytes", Leaf),
    ("hmac_key", Leaf),
    ("aes_key", Leaf),
]);
const DETECTION: Shape = Struct(&[
    ("mode", Leaf),
    ("remote_url", Leaf),
    ("remote_api_key", Leaf),
    ("remote_timeout", Leaf),
    ("hybrid_threshold", Leaf),
    ("scanner", Foreign(foreign::<deepsentinel_detect::Config>)),
]);
const NETWORK: Shape = Struct(&[
    ("timeout", Leaf),
    ("max_retries", Leaf),
    ("attempt_timeout", Leaf),
    ("retry_budget", Foreign(foreign::<BudgetConfig>)),
    ("connect_timeout", Leaf),
    ("request_timeout", Leaf),
    ("read_timeout", Leaf),
    ("pool_max_idle_per_host", Leaf),
    ("pool_idle_timeout", Leaf),
    ("tcp_keepalive", Leaf),
    ("http2_prior_knowledge", Leaf),
    ("verify_tls", Leaf),
    ("user_agent", Leaf),
]);
const CACHE: Shape = Struct(&[("remote_detection_ttl", Leaf), ("max_entries", Leaf)]);
const AUDIT: Shape = Struct(&[("enabled", Leaf), ("file", Leaf)]);
const LOGGING: Shape = Struct(&[("level", Leaf), ("file", Leaf)]);
const PRICE: Shape = Struct(&[("input_per_mtok", Leaf), ("output_per_mtok", Leaf)]);
const BUDGET: Shape = Struct(&[("period", Leaf), ("limit_usd", Leaf), ("scope", Leaf)]);
const USAGE: Shape = Struct(&[("prices", Map(&PRICE)), ("budgets", List(&BUDGET))]);
const TOP: Shape = Struct(&[
    ("environment", Leaf),
    ("debug", Leaf),
    ("default_provider", Leaf),
    ("providers", PROVIDERS),
    ("compliance", COMPLIANCE),
    ("detection", DETECTION),
    ("network", NETWORK),
    ("cache", CACHE),
    ("audit", AUDIT),
    ("logging", LOGGING),
    ("usage", USAGE),
    // The gateway's settings: checked by `deepsentinel-gateway`.
    ("server", Leaf),
]);

/// Reports every unknown key under `path`.
fn walk(value: &Value, shape: Shape, path: &str, out: &mut Vec<ConfigProblem>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match (shape, value) {
        (Struct(keys), Value::Object(map)) => {
            for (key, v) in map {
                match keys.iter().find(|(k, _)| k == key) {
                    Some((_, inner)) => walk(v, *inner, &join(key), out),
                    None => {
                        let expected: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
                        out.push(ConfigProblem::new(
                            join(key),
                            format!("unknown key (expected one of: {})", expected.join(", ")),
                        ));
                    }
                }
            }
        }
        (Map(inner), Value::Object(map)) => {
            for (key, v) in map {
                walk(v, *inner, &join(key), out);
            }
        }
        (List(inner), Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, *inner, &format!("{path}[{i}]"), out);
            }
        }
        (Foreign(check), v) => {
            if let Some(message) = check(v) {
                out.push(ConfigProblem::new(path, message));
            }
        }
        // A scalar where a section belongs, or any leaf: left to the typed
        // pass, which names the expected type with a line and column.
        _ => {}
    }
}

/// The file's format, from its extension.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Toml,
    Yaml,
}

/// Defaults, then the file at `path`; not validated.
pub(super) fn read(path: &Path) -> Result<SentinelConfig, Vec<ConfigProblem>> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![ConfigProblem::new(
            "file",
            format!("cannot read {name}: {e}"),
        )]
    })?;
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml") => Format::Yaml,
        _ => Format::Toml,
    };
    let mut config = parse(&text, format, &name)?;
    // Policy files named in a config file are found next to it, wherever
    // the process runs. Preset names are left alone, and so is a bare name
    // that is not a file there, so a misspelt preset is reported as such.
    if let Some(dir) = path.parent() {
        for spec in &mut config.compliance.policies {
            let p = Path::new(spec.as_str());
            let looks_like_path = spec.contains(['/', '\\']) || p.extension().is_some();
            if !PRESETS.contains(&spec.as_str())
                && p.is_relative()
                && (looks_like_path || dir.join(p).exists())
            {
                *spec = dir.join(p).display().to_string();
            }
        }
    }
    Ok(config)
}

/// Parses `text`; `name` is the file's name for messages.
fn parse(text: &str, format: Format, name: &str) -> Result<SentinelConfig, Vec<ConfigProblem>> {
    let generic: Value = match format {
        Format::Toml => toml::from_str(text).map_err(|e| vec![toml_problem(name, text, &e)])?,
        Format::Yaml => serde_yaml_ng::from_str(text).map_err(|e| vec![yaml_problem(name, &e)])?,
    };
    // An empty YAML document is `null`: all defaults.
    if generic.is_null() {
        return Ok(SentinelConfig::default());
    }
    let mut problems = Vec::new();
    walk(&generic, TOP, "", &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    match format {
        Format::Toml => toml::from_str(text).map_err(|e| vec![toml_problem(name, text, &e)]),
        Format::Yaml => serde_yaml_ng::from_str(text).map_err(|e| vec![yaml_problem(name, &e)]),
    }
}

/// The parser's message with line and column. `toml`'s own `Display`
/// quotes the offending line, which may hold a key, so it is not used.
fn toml_problem(name: &str, text: &str, e: &toml::de::Error) -> ConfigProblem {
    let at = e
        .span()
        .map(|span| {
            let before = text.get(..span.start).unwrap_or("");
            let line = before.matches('\n').count() + 1;
            let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            format!(" at line {line}, column {column}")
        })
        .unwrap_or_default();
    ConfigProblem::new(
        "file",
        format!("cannot parse {name} as TOML{at}: {}", e.message().trim()),
    )
}

fn yaml_problem(name: &str, e: &serde_yaml_ng::Error) -> ConfigProblem {
    ConfigProblem::new("file", format!("cannot parse {name} as YAML: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(problems: &[ConfigProblem]) -> Vec<&str> {
        problems.iter().map(|p| p.path.as_str()).collect()
    }

    #[test]
    fn unknown_keys_are_all_reported_with_their_path() {
        let toml = r#"
            colour = "blue"
            [compliance]
            max_risk = 0.5
            [providers.openai]
            api_kee = "x"
            [providers.compatible.local]
            base_url = "http://localhost:11434/v1"
            token = "x"
            [[providers.fallback]]
            provider = "anthropic"
            modle = "x"
            [providers.breaker]
            consecutive-failure = 3
        "#;
        let problems = parse(toml, Format::Toml, "t.toml")
            .err()
            .unwrap_or_default();
        let mut got = paths(&problems);
        got.sort_unstable();
        assert_eq!(
            got,
            [
                "colour",
                "compliance.max_risk",
                "providers.breaker",
                "providers.compatible.local.token",
                "providers.fallback[0].modle",
                "providers.openai.api_kee",
            ]
        );
    }

    /// The complete example of `docs/configuration.md`.
    fn documented_example() -> &'static str {
        let doc = include_str!("../../../../docs/configuration.md");
        let after = doc.split("## Complete example").nth(1).unwrap_or_default();
        after
            .split("```toml\n")
            .nth(1)
            .and_then(|rest| rest.split("\n```").next())
            .unwrap_or_default()
    }

    #[test]
    fn the_documented_example_parses_and_sets_every_key() {
        let toml = documented_example();
        match parse(toml, Format::Toml, "example.toml") {
            Ok(config) => assert!(config.validate().is_ok(), "{:?}", config.validate()),
            Err(problems) => panic!("the documented example does not parse: {problems:?}"),
        }

        fn missing(value: &Value, shape: Shape, path: &str, out: &mut Vec<String>) {
            match shape {
                Struct(keys) => {
                    for (k, inner) in keys {
                        let p = if path.is_empty() {
                            (*k).to_owned()
                        } else {
                            format!("{path}.{k}")
                        };
                        match value.get(k) {
                            Some(v) => missing(v, *inner, &p, out),
                            None => out.push(p),
                        }
                    }
                }
                Map(inner) => match value.as_object().and_then(|m| m.values().next()) {
                    Some(v) => missing(v, *inner, &format!("{path}.<name>"), out),
                    None => out.push(format!("{path}.<name>")),
                },
                List(inner) => match value.as_array().and_then(|a| a.first()) {
                    Some(v) => missing(v, *inner, &format!("{path}[0]"), out),
                    None => out.push(format!("{path}[0]")),
                },
                Leaf | Foreign(_) => {}
            }
        }
        let generic: Value = toml::from_str(toml).unwrap_or_default();
        let mut out = Vec::new();
        missing(&generic, TOP, "", &mut out);
        assert!(out.is_empty(), "the documented example lacks {out:?}");
    }

    /// Captures the field list serde's derive passes to
    /// `deserialize_struct`, so the key table can be compared with the
    /// structs themselves.
    mod introspect {
        use std::fmt;

        use serde::de::{self, Deserializer, Visitor};

        #[derive(Debug)]
        pub(super) struct Stop;

        impl fmt::Display for Stop {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("stop")
            }
        }

        impl std::error::Error for Stop {}

        impl de::Error for Stop {
            fn custom<T: fmt::Display>(_: T) -> Stop {
                Stop
            }
        }

        pub(super) struct Fields<'a>(pub(super) &'a mut &'static [&'static str]);

        impl<'de> Deserializer<'de> for Fields<'_> {
            type Error = Stop;

            fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
                Err(Stop)
            }

            fn deserialize_struct<V: Visitor<'de>>(
                self,
                _name: &'static str,
                fields: &'static [&'static str],
                _: V,
            ) -> Result<V::Value, Stop> {
                *self.0 = fields;
                Err(Stop)
            }

            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
                bytes byte_buf option unit unit_struct newtype_struct seq tuple
                tuple_struct map enum identifier ignored_any
            }
        }
    }

    fn fields_of<T: serde::de::DeserializeOwned>() -> Vec<&'static str> {
        let mut fields: &'static [&'static str] = &[];
        let _ = T::deserialize(introspect::Fields(&mut fields));
        let mut v = fields.to_vec();
        v.sort_unstable();
        v
    }

    fn keys_of(shape: Shape) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = match shape {
            Struct(keys) => keys.iter().map(|(k, _)| *k).collect(),
            _ => Vec::new(),
        };
        v.sort_unstable();
        v
    }

    #[test]
    fn the_key_table_matches_the_structs() {
        use super::super::*;
        let pairs: Vec<(&str, Vec<&str>, Shape)> = vec![
            ("top", fields_of::<SentinelConfig>(), TOP),
            ("providers", fields_of::<ProvidersConfig>(), PROVIDERS),
            ("openai", fields_of::<OpenAiSettings>(), OPENAI),
            ("anthropic", fields_of::<AnthropicSettings>(), ANTHROPIC),
            ("azure", fields_of::<AzureSettings>(), AZURE),
            ("compatible", fields_of::<CompatibleSettings>(), COMPATIBLE),
            ("fallback", fields_of::<FallbackEntry>(), FALLBACK),
            ("compliance", fields_of::<ComplianceConfig>(), COMPLIANCE),
            ("bypass", fields_of::<BypassRule>(), BYPASS),
            ("detection", fields_of::<DetectionConfig>(), DETECTION),
            ("network", fields_of::<NetworkSettings>(), NETWORK),
            ("cache", fields_of::<CacheConfig>(), CACHE),
            ("audit", fields_of::<AuditConfig>(), AUDIT),
            ("logging", fields_of::<LoggingConfig>(), LOGGING),
            ("usage", fields_of::<UsageConfig>(), USAGE),
            ("price", fields_of::<Price>(), PRICE),
            ("budget", fields_of::<BudgetRule>(), BUDGET),
        ];
        for (name, fields, shape) in pairs {
            assert!(!fields.is_empty(), "{name}: introspection found no fields");
            assert_eq!(fields, keys_of(shape), "{name}");
        }
    }

    #[test]
    fn toml_errors_do_not_quote_the_line() {
        let text = "[providers.openai]\napi_key = [\"sk-secret-value\"]\n";
        let problems = parse(text, Format::Toml, "t.toml")
            .err()
            .unwrap_or_default();
        assert_eq!(paths(&problems), ["file"]);
        let message = &problems[0].message;
        assert!(message.contains("line 2"), "{message}");
        assert!(!message.contains("sk-secret-value"), "{message}");
    }
}
