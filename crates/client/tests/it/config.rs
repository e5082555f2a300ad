//! `SentinelConfig`: defaults, sources and their precedence, validation.
//!
//! No test touches the process environment: variables are passed to
//! `apply_env_from` or `SentinelConfigBuilder::env_from`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use deepsentinel::{
    DetectionMode, Environment, FailModeSetting, SentinelConfig, SentinelConfigBuilder,
};
use deepsentinel_core::{ConfigProblem, Error};

fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("temp file is writable");
    path
}

fn problems(result: Result<impl std::fmt::Debug, Error>) -> Vec<ConfigProblem> {
    match result {
        Err(Error::Config { problems }) => problems,
        other => panic!("expected Error::Config, got {other:?}"),
    }
}

fn paths(problems: &[ConfigProblem]) -> Vec<String> {
    let mut p: Vec<String> = problems.iter().map(|p| p.path.clone()).collect();
    p.sort();
    p
}

fn has(problems: &[ConfigProblem], path: &str, needle: &str) -> bool {
    problems
        .iter()
        .any(|p| p.path == path && p.message.contains(needle))
}

#[test]
fn defaults_are_the_documented_ones() {
    let c = SentinelConfig::default();
    assert_eq!(c.environment, Environment::Production);
    assert!(!c.debug);
    assert_eq!(c.default_provider, None);
    assert_eq!(c.network.timeout, Duration::from_secs(30));
    assert_eq!(c.network.max_retries, 3);
    assert_eq!(c.network.retry_config().max_attempts, 4);
    assert_eq!(c.network.attempt_timeout, None);
    assert!(c.network.verify_tls);
    assert_eq!(
        c.network.network_config().connect_timeout,
        Duration::from_secs(10)
    );
    assert!(c.compliance.enabled);
    assert!(c.compliance.policies.is_empty());
    assert_eq!(c.compliance.max_risk_score, None);
    assert_eq!(c.compliance.fail_mode, FailModeSetting::ByEnvironment);
    assert_eq!(c.compliance.max_message_bytes, 1 << 20);
    assert_eq!(c.compliance.max_request_bytes, 4 << 20);
    assert_eq!(c.detection.mode, DetectionMode::Local);
    assert_eq!(c.detection.remote_timeout, Duration::from_secs(2));
    assert_eq!(c.detection.hybrid_threshold, 0.7);
    assert_eq!(c.cache.remote_detection_ttl, Duration::from_secs(300));
    assert_eq!(c.cache.max_entries, 10_000);
    assert!(c.audit.enabled);
    assert_eq!(c.logging.level, "info");
    assert!(c.providers.configured().is_empty());
    // Derived defaults follow the environment.
    assert!(c.fail_closed());
    assert_eq!(c.policy_specs(), ["production"]);
    let mut dev = c.clone();
    dev.environment = Environment::Test;
    assert!(!dev.fail_closed());
    assert_eq!(dev.policy_specs(), ["development"]);

    // The defaults lack only a provider.
    assert_eq!(paths(&problems(c.validate())), ["providers"]);
    // An empty file is the defaults.
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = write(dir.path(), "empty.yaml", "");
    assert_eq!(
        paths(&problems(SentinelConfig::from_file(&empty))),
        ["providers"]
    );
}

#[test]
fn provider_defaults_and_routing() {
    let c = SentinelConfig::builder()
        .openai_key("k1")
        .anthropic_key("k2")
        .env_from(vars(&[
            ("AZURE_OPENAI_API_KEY", "k3"),
            ("AZURE_OPENAI_ENDPOINT", "https://r.openai.azure.com"),
        ]))
        .build()
        .expect("valid");
    let azure = c.providers.azure.as_ref().expect("azure configured by env");
    assert_eq!(azure.api_version, "2024-10-21");
    assert_eq!(c.providers.route("gpt-4o").as_deref(), Some("openai"));
    assert_eq!(c.providers.route("o3-mini").as_deref(), Some("openai"));
    assert_eq!(
        c.providers.route("claude-sonnet-4-5").as_deref(),
        Some("anthropic")
    );
    assert_eq!(c.providers.route("llama3"), None);
    assert_eq!(c.providers.configured(), ["openai", "anthropic", "azure"]);
}

const FILE_TOML: &str = r#"
environment = "staging"
[providers.openai]
api_key = "file-key"
[network]
timeout = "10s"
max_retries = 1
[logging]
level = "warn"
"#;

#[test]
fn precedence_is_file_then_env_then_code() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "ds.toml", FILE_TOML);

    // The file alone.
    let file_only = SentinelConfig::from_file(&path).expect("valid file");
    assert_eq!(file_only.environment, Environment::Staging);
    assert_eq!(file_only.network.timeout, Duration::from_secs(10));
    assert_eq!(file_only.network.max_retries, 1);

    // Code set before the environment is read still wins over it.
    let c = SentinelConfig::builder()
        .max_retries(7)
        .file(&path)
        .env_from(vars(&[
            ("DEEPSENTINEL_TIMEOUT", "20.5"),
            ("DEEPSENTINEL_MAX_RETRIES", "2"),
            ("DEEPSENTINEL_ENVIRONMENT", "dev"),
        ]))
        .build()
        .expect("valid");
    assert_eq!(
        c.network.timeout,
        Duration::from_millis(20_500),
        "env over file"
    );
    assert_eq!(c.environment, Environment::Development, "env over file");
    assert_eq!(c.network.max_retries, 7, "code over env and file");
    assert_eq!(c.logging.level, "warn", "file over defaults");
    assert_eq!(c.compliance.max_message_bytes, 1 << 20, "defaults remain");

    let c = SentinelConfig::builder()
        .file(&path)
        .env_from(vars(&[("DEEPSENTINEL_TIMEOUT", "20")]))
        .timeout(Duration::from_secs(5))
        .build()
        .expect("valid");
    assert_eq!(c.network.timeout, Duration::from_secs(5), "code over env");

    // apply_env_from layers on an existing configuration the same way.
    let mut c = file_only;
    c.apply_env_from(vars(&[
        ("ENVIRONMENT", "test"),
        ("DEEPSENTINEL_DEBUG", "YES"),
    ]))
    .expect("parses");
    assert_eq!(c.environment, Environment::Test);
    assert!(c.debug);
    assert_eq!(c.network.timeout, Duration::from_secs(10), "untouched");
}

#[test]
fn toml_and_yaml_read_the_same() {
    let toml = r#"
environment = "development"
default_provider = "local"
[providers]
echo = true
[providers.compatible.local]
base_url = "http://localhost:11434/v1"
models = ["llama"]
[providers.breaker]
consecutive-failures = 3
cool-down = "5s"
[compliance]
policies = ["hipaa"]
max_risk_score = 0.5
fail_mode = "block"
[[compliance.bypass]]
user = "load-test"
[detection]
mode = "hybrid"
remote_url = "https://detect.example"
remote_timeout = "750ms"
[detection.scanner]
min-score = 0.6
[network]
attempt_timeout = "5s"
tcp_keepalive = "30s"
[usage.prices."gpt-4o"]
input_per_mtok = 2.5
output_per_mtok = 10.0
[[usage.budgets]]
period = "day"
limit_usd = 20.0
"#;
    let yaml = r#"
environment: dev
default_provider: local
providers:
  echo: true
  compatible:
    local:
      base_url: http://localhost:11434/v1
      models: [llama]
  breaker:
    consecutive-failures: 3
    cool-down: 5s
compliance:
  policies: [hipaa]
  max_risk_score: 0.5
  fail_mode: block
  bypass:
    - user: load-test
detection:
  mode: hybrid
  remote_url: https://detect.example
  remote_timeout: 750ms
  scanner:
    min-score: 0.6
network:
  attempt_timeout: 5s
  tcp_keepalive: 30s
usage:
  prices:
    gpt-4o: { input_per_mtok: 2.5, output_per_mtok: 10.0 }
  budgets:
    - { period: day, limit_usd: 20.0 }
"#;
    let dir = tempfile::tempdir().expect("temp dir");
    let from_toml =
        SentinelConfig::from_file(write(dir.path(), "c.toml", toml)).expect("valid TOML");
    let from_yaml =
        SentinelConfig::from_file(write(dir.path(), "c.yml", yaml)).expect("valid YAML");
    for c in [&from_toml, &from_yaml] {
        assert_eq!(c.environment, Environment::Development);
        assert_eq!(c.default_provider.as_deref(), Some("local"));
        assert_eq!(c.providers.configured(), ["local", "echo"]);
        assert_eq!(c.providers.route("llama3").as_deref(), Some("local"));
        let breaker = c.providers.breaker.as_ref().expect("breaker set");
        assert_eq!(breaker.consecutive_failures, 3);
        assert_eq!(breaker.cool_down, Duration::from_secs(5));
        assert_eq!(c.compliance.policies, ["hipaa"]);
        assert_eq!(c.compliance.max_risk_score, Some(0.5));
        assert!(c.fail_closed());
        assert_eq!(c.compliance.bypass.len(), 1);
        let ctx = |user: &str| deepsentinel::RequestContext {
            operation: deepsentinel::Operation::Chat,
            model: "gpt-4o".into(),
            options: deepsentinel::RequestOptions::default().with_user(user),
        };
        assert!(c.compliance.bypass[0].matches(&ctx("load-test")));
        assert!(!c.compliance.bypass[0].matches(&ctx("alice")));
        assert_eq!(c.detection.mode, DetectionMode::Hybrid);
        assert_eq!(c.detection.remote_timeout, Duration::from_millis(750));
        assert_eq!(c.detection.scanner.min_score, 0.6);
        assert_eq!(c.network.attempt_timeout, Some(Duration::from_secs(5)));
        assert_eq!(c.network.tcp_keepalive, Some(Duration::from_secs(30)));
        assert_eq!(c.usage.prices["gpt-4o"].output_per_mtok, 10.0);
        assert_eq!(c.usage.budgets[0].limit_usd, 20.0);
        // The override reaches the loaded policy.
        let policies = c.policies().expect("hipaa loads");
        assert_eq!(policies.len(), 1);
        assert_eq!(policies[0].thresholds.max_risk_score, 0.5);
    }
    assert_eq!(from_toml.usage, from_yaml.usage);
}

#[test]
fn unknown_keys_are_errors_naming_their_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let toml = write(
        dir.path(),
        "typo.toml",
        "[providers]\necho = true\n[compliance]\nmax_risk = 0.5\n[network]\ntimeout_ms = 5\n",
    );
    let p = problems(SentinelConfig::from_file(&toml));
    assert_eq!(paths(&p), ["compliance.max_risk", "network.timeout_ms"]);
    assert!(has(&p, "compliance.max_risk", "max_risk_score"), "{p:?}");

    let yaml = write(
        dir.path(),
        "typo.yaml",
        "providers:\n  openai:\n    api_key: k\n    organisation: x\n  breaker:\n    failures: 2\n",
    );
    let p = problems(SentinelConfig::from_file(&yaml));
    assert_eq!(
        paths(&p),
        ["providers.breaker", "providers.openai.organisation"]
    );
    assert!(has(&p, "providers.breaker", "failures"), "{p:?}");
}

#[test]
fn every_problem_is_reported_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "conflicted.toml",
        "name = \"conflicted\"\nblock_on_violation = false\n[actions]\ndefault = \"block\"\n",
    );
    let path = write(
        dir.path(),
        "bad.toml",
        r#"
environment = "development"
default_provider = "mistral"
[providers.openai]
base_url = "ftp://example.com"
[compliance]
policies = ["conflicted.toml", "no-such-preset"]
max_risk_score = 1.5
hmac_key = "zz"
[[compliance.bypass]]
[detection]
mode = "remote"
hybrid_threshold = 2.0
[detection.scanner]
types = ["NOT_A_TYPE"]
[network]
timeout = "0s"
attempt_timeout = "0ms"
[cache]
max_entries = 0
[logging]
level = "loud"
[[usage.budgets]]
period = "month"
limit_usd = -5.0
"#,
    );
    let p = problems(SentinelConfig::from_file(&path));
    let got = paths(&p);
    for expected in [
        "compliance.bypass[0]",
        "compliance.hmac_key",
        "compliance.max_risk_score",
        "compliance.policies[0]",
        "compliance.policies[1]",
        "default_provider",
        "detection.hybrid_threshold",
        "detection.remote_url",
        "detection.scanner.types",
        "logging.level",
        "network.attempt_timeout",
        "network.timeout",
        "cache.max_entries",
        "providers.openai.api_key",
        "providers.openai.base_url",
        "usage.budgets[0].limit_usd",
    ] {
        assert!(
            got.iter().any(|g| g == expected),
            "{expected} missing from {got:?}"
        );
    }
    assert!(
        has(&p, "compliance.policies[0]", "block_on_violation"),
        "{p:?}"
    );
    assert!(has(&p, "detection.scanner.types", "NOT_A_TYPE"), "{p:?}");
    assert!(has(&p, "default_provider", "mistral"), "{p:?}");
    // A bare name is not turned into a path next to the file.
    assert!(
        has(&p, "compliance.policies[1]", "`no-such-preset` is neither"),
        "{p:?}"
    );
    // Not production: no production rule fires.
    assert!(!got.iter().any(|g| g == "debug"));

    // The Display lists each problem on its own line.
    let err = SentinelConfig::from_file(&path).expect_err("invalid");
    let text = err.to_string();
    assert!(
        text.contains("\n  - network.timeout: must be greater than zero"),
        "{text}"
    );
}

#[test]
fn no_provider_and_unconfigured_references() {
    let p = problems(
        SentinelConfig::builder()
            .environment(Environment::Development)
            .default_provider("openai")
            .configure(|c| {
                c.providers.fallback.push(deepsentinel::FallbackEntry {
                    provider: "anthropic".into(),
                    ..Default::default()
                })
            })
            .build(),
    );
    assert_eq!(
        paths(&p),
        [
            "default_provider",
            "providers",
            "providers.fallback[0].provider"
        ]
    );
}

#[test]
fn environment_variables_parse_strictly() {
    let mut c = SentinelConfig::default();
    let err = c
        .apply_env_from(vars(&[
            ("DEEPSENTINEL_TIMEOUT", "abc"),
            ("DEEPSENTINEL_DEBUG", "maybe"),
            ("DEEPSENTINEL_COMPLIANCE_ENABLED", "2"),
            ("DEEPSENTINEL_MAX_RETRIES", "-1"),
            ("DEEPSENTINEL_MAX_RISK_SCORE", "high"),
            ("DEEPSENTINEL_ENVIRONMENT", "moon"),
            ("DEEPSENTINEL_FAIL_MODE", "shrug"),
            ("DEEPSENTINEL_DETECTION_MODE", "psychic"),
            // These parse and are applied despite the others.
            ("OPENAI_API_KEY", "sk-env"),
            ("DEEPSENTINEL_LOG_LEVEL", "debug"),
            ("UNRELATED", "ignored"),
        ]))
        .expect_err("bad values");
    let p = problems(Err::<(), _>(err.clone()));
    assert_eq!(
        paths(&p),
        [
            "DEEPSENTINEL_COMPLIANCE_ENABLED",
            "DEEPSENTINEL_DEBUG",
            "DEEPSENTINEL_DETECTION_MODE",
            "DEEPSENTINEL_ENVIRONMENT",
            "DEEPSENTINEL_FAIL_MODE",
            "DEEPSENTINEL_MAX_RETRIES",
            "DEEPSENTINEL_MAX_RISK_SCORE",
            "DEEPSENTINEL_TIMEOUT",
        ]
    );
    assert!(
        err.to_string()
            .contains(r#"DEEPSENTINEL_TIMEOUT: "abc" is not a number of seconds"#),
        "{err}"
    );
    assert!(c.providers.openai.is_some());
    assert_eq!(c.logging.level, "debug");
    assert_eq!(
        c.network.timeout,
        Duration::from_secs(30),
        "bad value not applied"
    );

    // Every accepted spelling.
    let mut c = SentinelConfig::default();
    c.apply_env_from(vars(&[
        ("DEEPSENTINEL_DEBUG", "On"),
        ("DEEPSENTINEL_COMPLIANCE_ENABLED", "no"),
        ("DEEPSENTINEL_TIMEOUT", "0.25"),
        ("DEEPSENTINEL_MAX_RISK_SCORE", "0.4"),
        ("DEEPSENTINEL_ENVIRONMENT", "STAGING"),
        ("ENVIRONMENT", "development"),
        ("DEEPSENTINEL_DEFAULT_PROVIDER", "anthropic"),
        ("DEEPSENTINEL_POLICIES", "hipaa, gdpr"),
        ("DEEPSENTINEL_URL", "https://detect.example"),
        ("DEEPSENTINEL_API_KEY", "ds-key"),
        ("DEEPSENTINEL_DETECTION_MODE", "remote"),
        ("DEEPSENTINEL_LOG_FILE", "/var/log/ds.log"),
        ("ANTHROPIC_API_KEY", "a-key"),
        ("ANTHROPIC_BASE_URL", "https://proxy.example"),
        ("AZURE_OPENAI_API_KEY", "z-key"),
        ("AZURE_OPENAI_ENDPOINT", "https://r.openai.azure.com"),
        ("AZURE_OPENAI_API_VERSION", "2025-01-01"),
        ("AZURE_OPENAI_DEPLOYMENT", "gpt4o-prod"),
        ("OPENAI_BASE_URL", "   "),
    ]))
    .expect("all parse");
    assert!(c.debug);
    assert!(!c.compliance.enabled);
    assert_eq!(c.network.timeout, Duration::from_millis(250));
    assert_eq!(c.compliance.max_risk_score, Some(0.4));
    assert_eq!(
        c.environment,
        Environment::Staging,
        "the specific name wins"
    );
    assert_eq!(c.default_provider.as_deref(), Some("anthropic"));
    assert_eq!(c.compliance.policies, ["hipaa", "gdpr"]);
    assert_eq!(c.detection.mode, DetectionMode::Remote);
    assert_eq!(
        c.detection.remote_url.as_deref(),
        Some("https://detect.example")
    );
    assert!(c.detection.remote_api_key.is_some());
    assert_eq!(
        c.logging.file.as_deref(),
        Some(Path::new("/var/log/ds.log"))
    );
    let anthropic = c.providers.anthropic.as_ref().expect("configured");
    assert_eq!(anthropic.base_url.as_deref(), Some("https://proxy.example"));
    let azure = c.providers.azure.as_ref().expect("configured");
    assert_eq!(azure.api_version, "2025-01-01");
    assert_eq!(azure.deployment, "gpt4o-prod");
    assert!(c.providers.openai.is_none(), "a blank variable is unset");
    c.validate().expect("a valid staging configuration");
}

#[test]
fn production_rules() {
    let build = |env: Environment| {
        SentinelConfig::builder()
            .environment(env)
            .echo(true)
            .debug(true)
            .max_risk_score(0.9)
            .verify_tls(false)
            .fail_mode(FailModeSetting::Allow)
            .build()
    };
    let p = problems(build(Environment::Production));
    assert_eq!(
        paths(&p),
        [
            "compliance.fail_mode",
            "compliance.max_risk_score",
            "debug",
            "network.verify_tls",
            "providers",
        ]
    );
    assert!(has(&p, "providers", "echo does not count"), "{p:?}");
    build(Environment::Staging).expect("the same is fine outside production");

    // A real provider and sane settings pass in production.
    let c = SentinelConfig::builder()
        .openai_key("sk-prod")
        .max_risk_score(0.8)
        .build()
        .expect("valid production configuration");
    assert!(c.fail_closed());
}

const SECRETS: [&str; 6] = [
    "sk-openai-SECRET",
    "sk-ant-SECRET",
    "azure-SECRET",
    "ds-remote-SECRET",
    "hmac-SECRET-not-hex",
    "compat-SECRET",
];

fn assert_hidden(text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "{s} leaked in {text}");
    }
    assert!(!text.contains("SECRET"), "a secret leaked in {text}");
}

#[test]
fn secrets_never_show() {
    let mut builder: SentinelConfigBuilder = SentinelConfig::builder();
    builder
        .environment(Environment::Development)
        .openai_key(SECRETS[0])
        .anthropic_key(SECRETS[1])
        .azure("https://r.openai.azure.com", SECRETS[2])
        .remote_detection("https://detect.example", SECRETS[3])
        .configure(|c| {
            c.providers.compatible.insert(
                "local".into(),
                deepsentinel::CompatibleSettings {
                    base_url: "http://localhost:8000/v1".into(),
                    api_key: Some(SECRETS[5].into()),
                    ..Default::default()
                },
            );
        });
    let c = builder.build().expect("valid");
    assert_hidden(&format!("{c:?}"));
    assert_hidden(&format!("{c:#?}"));
    assert_hidden(&c.to_string());
    assert!(c.to_string().contains("openai_key=[REDACTED]"));
    assert_hidden(&format!("{builder:?}"));

    // A key that does not decode, and a URL carrying a password.
    let err = builder
        .configure(|c| {
            c.compliance.hmac_key = Some(SECRETS[4].into());
            c.providers.openai.as_mut().expect("set above").base_url =
                Some("https://user:pw-SECRET@api.example".into());
        })
        .build()
        .expect_err("invalid key and URL");
    let p = problems(Err::<(), _>(err.clone()));
    assert!(has(&p, "compliance.hmac_key", "HMAC"), "{p:?}");
    assert!(has(&p, "providers.openai.base_url", "credentials"), "{p:?}");
    assert_hidden(&err.to_string());
    assert_hidden(&format!("{err:?}"));

    // A file whose key line does not parse.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(
        dir.path(),
        "k.toml",
        "[providers.openai]\napi_key = [\"sk-openai-SECRET\"]\n",
    );
    let err = SentinelConfig::from_file(&path).expect_err("a list is not a key");
    assert_hidden(&err.to_string());
    // Nor from the environment.
    let mut c = SentinelConfig::default();
    c.apply_env_from(vars(&[("OPENAI_API_KEY", SECRETS[0])]))
        .expect("parses");
    assert_hidden(&format!("{c:?}"));
}

#[test]
fn file_errors_are_typed_and_name_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("absent.toml");
    let p = problems(SentinelConfig::from_file(&missing));
    assert_eq!(paths(&p), ["file"]);
    assert!(p[0].message.contains("absent.toml"), "{p:?}");

    let bad = write(dir.path(), "bad.toml", "[network]\ntimeout = \"30s\n");
    let p = problems(SentinelConfig::from_file(&bad));
    assert_eq!(paths(&p), ["file"]);
    assert!(p[0].message.contains("bad.toml"), "{p:?}");
    assert!(p[0].message.contains("line 2"), "{p:?}");

    let bad_yaml = write(dir.path(), "bad.yaml", "network: [timeout: 1\n");
    let p = problems(SentinelConfig::from_file(&bad_yaml));
    assert_eq!(paths(&p), ["file"]);
    assert!(p[0].message.contains("bad.yaml"), "{p:?}");

    // A wrong type is located too.
    let wrong = write(
        dir.path(),
        "wrong.toml",
        "[network]\nmax_retries = \"three\"\n",
    );
    let p = problems(SentinelConfig::from_file(&wrong));
    assert!(p[0].message.contains("line 2"), "{p:?}");

    // `load` with a missing file reports it with the environment's problems.
    let p = problems(SentinelConfig::load(Some(&missing)));
    assert!(p.iter().any(|p| p.path == "file"), "{p:?}");
}

#[test]
fn policy_paths_in_a_file_are_relative_to_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("policies")).expect("mkdir");
    write(
        &dir.path().join("policies"),
        "mine.toml",
        "name = \"mine\"\n[actions]\ndefault = \"log\"\n",
    );
    let path = write(
        dir.path(),
        "ds.toml",
        "environment = \"test\"\n[providers]\necho = true\n[compliance]\npolicies = [\"policies/mine.toml\", \"gdpr\"]\n",
    );
    let c = SentinelConfig::from_file(&path).expect("valid");
    let names: Vec<String> = c
        .policies()
        .expect("both load")
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names.len(), 2);
    assert_eq!(names[0], "mine");
}
