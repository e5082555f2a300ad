//! [`SentinelConfigBuilder`]: defaults, a file, the environment and code,
//! layered in that order and validated together.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use deepsentinel_core::{ConfigProblem, Error};
use secrecy::SecretString;

use super::{
    AnthropicSettings, AzureSettings, BudgetRule, CompatibleSettings, DetectionMode, Environment,
    FailModeSetting, OpenAiSettings, Price, SentinelConfig, env, file, validate,
};

type Override = Arc<dyn Fn(&mut SentinelConfig) + Send + Sync>;

/// Where environment variables come from.
#[derive(Clone)]
enum EnvSource {
    None,
    /// The process environment, read at [`SentinelConfigBuilder::build`].
    Process,
    /// Given variables (tests).
    Vars(Vec<(String, String)>),
}

/// Builds a validated [`SentinelConfig`] from defaults, an optional file,
/// optional environment variables and settings from code, in that order
/// of precedence (lowest first) whatever the order of the calls: a setter
/// always beats the environment, which always beats the file.
///
/// Setters take `&mut self` and return `&mut Self`; [`build`] can be
/// called more than once.
///
/// ```no_run
/// use deepsentinel::{Environment, SentinelConfig};
/// use std::time::Duration;
///
/// let config = SentinelConfig::builder()
///     .file("deepsentinel.toml")
///     .env()
///     .environment(Environment::Staging)
///     .timeout(Duration::from_secs(10))
///     .build()?;
/// # Ok::<(), deepsentinel_core::Error>(())
/// ```
///
/// [`build`]: SentinelConfigBuilder::build
#[derive(Clone)]
pub struct SentinelConfigBuilder {
    file: Option<PathBuf>,
    env: EnvSource,
    overrides: Vec<Override>,
}

/// Shows the sources and the number of settings from code, never their
/// values.
impl fmt::Debug for SentinelConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let env = match &self.env {
            EnvSource::None => "none",
            EnvSource::Process => "process",
            EnvSource::Vars(_) => "given",
        };
        f.debug_struct("SentinelConfigBuilder")
            .field("file", &self.file)
            .field("env", &env)
            .field("overrides", &self.overrides.len())
            .finish()
    }
}

impl Default for SentinelConfigBuilder {
    fn default() -> SentinelConfigBuilder {
        SentinelConfigBuilder::new()
    }
}

impl SentinelConfigBuilder {
    /// Defaults only: no file, no environment.
    pub fn new() -> SentinelConfigBuilder {
        SentinelConfigBuilder {
            file: None,
            env: EnvSource::None,
            overrides: Vec::new(),
        }
    }

    /// Reads this file (TOML, or YAML for `.yaml`/`.yml`) over the
    /// defaults.
    pub fn file(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.file = Some(path.as_ref().to_path_buf());
        self
    }

    /// Reads the process environment (at [`build`](Self::build)) over the
    /// file.
    pub fn env(&mut self) -> &mut Self {
        self.env = EnvSource::Process;
        self
    }

    /// Reads these variables instead of the process environment.
    pub fn env_from(&mut self, vars: impl IntoIterator<Item = (String, String)>) -> &mut Self {
        self.env = EnvSource::Vars(vars.into_iter().collect());
        self
    }

    /// Any change from code; applied after the file and environment, in
    /// call order with the other setters.
    pub fn configure(
        &mut self,
        f: impl Fn(&mut SentinelConfig) + Send + Sync + 'static,
    ) -> &mut Self {
        self.overrides.push(Arc::new(f));
        self
    }

    /// Sets `environment`.
    pub fn environment(&mut self, e: Environment) -> &mut Self {
        self.configure(move |c| c.environment = e)
    }

    /// Sets `debug`.
    pub fn debug(&mut self, on: bool) -> &mut Self {
        self.configure(move |c| c.debug = on)
    }

    /// Sets `default_provider`.
    pub fn default_provider(&mut self, name: impl Into<String>) -> &mut Self {
        let name = name.into();
        self.configure(move |c| c.default_provider = Some(name.clone()))
    }

    /// Configures OpenAI with this key (other OpenAI settings are kept).
    pub fn openai_key(&mut self, key: impl Into<SecretString>) -> &mut Self {
        let key = key.into();
        self.configure(move |c| {
            c.providers
                .openai
                .get_or_insert_with(OpenAiSettings::default)
                .api_key = Some(key.clone());
        })
    }

    /// Sets OpenAI's base URL (configuring OpenAI).
    pub fn openai_base_url(&mut self, url: impl Into<String>) -> &mut Self {
        let url = url.into();
        self.configure(move |c| {
            c.providers
                .openai
                .get_or_insert_with(OpenAiSettings::default)
                .base_url = Some(url.clone());
        })
    }

    /// Configures Anthropic with this key (other Anthropic settings are
    /// kept).
    pub fn anthropic_key(&mut self, key: impl Into<SecretString>) -> &mut Self {
        let key = key.into();
        self.configure(move |c| {
            c.providers
                .anthropic
                .get_or_insert_with(AnthropicSettings::default)
                .api_key = Some(key.clone());
        })
    }

    /// Sets Anthropic's base URL (configuring Anthropic).
    pub fn anthropic_base_url(&mut self, url: impl Into<String>) -> &mut Self {
        let url = url.into();
        self.configure(move |c| {
            c.providers
                .anthropic
                .get_or_insert_with(AnthropicSettings::default)
                .base_url = Some(url.clone());
        })
    }

    /// Configures Azure OpenAI with this endpoint and key (other Azure
    /// settings are kept).
    pub fn azure(
        &mut self,
        endpoint: impl Into<String>,
        key: impl Into<SecretString>,
    ) -> &mut Self {
        let endpoint = endpoint.into();
        let key = key.into();
        self.configure(move |c| {
            let a = c.providers.azure.get_or_insert_with(AzureSettings::default);
            a.endpoint = endpoint.clone();
            a.api_key = Some(key.clone());
        })
    }

    /// Adds (or replaces) an OpenAI-compatible provider.
    pub fn compatible(
        &mut self,
        name: impl Into<String>,
        settings: CompatibleSettings,
    ) -> &mut Self {
        let name = name.into();
        self.configure(move |c| {
            c.providers
                .compatible
                .insert(name.clone(), settings.clone());
        })
    }

    /// Turns the echo provider on or off.
    pub fn echo(&mut self, on: bool) -> &mut Self {
        self.configure(move |c| c.providers.echo = on)
    }

    /// Replaces `compliance.policies`.
    pub fn policies<I, S>(&mut self, specs: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let specs: Vec<String> = specs.into_iter().map(Into::into).collect();
        self.configure(move |c| c.compliance.policies = specs.clone())
    }

    /// Sets `compliance.enabled`.
    pub fn compliance_enabled(&mut self, on: bool) -> &mut Self {
        self.configure(move |c| c.compliance.enabled = on)
    }

    /// Sets `compliance.max_risk_score`.
    pub fn max_risk_score(&mut self, score: f32) -> &mut Self {
        self.configure(move |c| c.compliance.max_risk_score = Some(score))
    }

    /// Sets `compliance.fail_mode`.
    pub fn fail_mode(&mut self, mode: FailModeSetting) -> &mut Self {
        self.configure(move |c| c.compliance.fail_mode = mode)
    }

    /// Sets `detection.mode`.
    pub fn detection_mode(&mut self, mode: DetectionMode) -> &mut Self {
        self.configure(move |c| c.detection.mode = mode)
    }

    /// Sets the remote detection service's URL and key.
    pub fn remote_detection(
        &mut self,
        url: impl Into<String>,
        key: impl Into<SecretString>,
    ) -> &mut Self {
        let url = url.into();
        let key = key.into();
        self.configure(move |c| {
            c.detection.remote_url = Some(url.clone());
            c.detection.remote_api_key = Some(key.clone());
        })
    }

    /// Sets `network.timeout`.
    pub fn timeout(&mut self, timeout: Duration) -> &mut Self {
        self.configure(move |c| c.network.timeout = timeout)
    }

    /// Sets `network.max_retries`.
    pub fn max_retries(&mut self, retries: u32) -> &mut Self {
        self.configure(move |c| c.network.max_retries = retries)
    }

    /// Sets `network.attempt_timeout`.
    pub fn attempt_timeout(&mut self, timeout: Duration) -> &mut Self {
        self.configure(move |c| c.network.attempt_timeout = Some(timeout))
    }

    /// Sets `network.verify_tls`.
    pub fn verify_tls(&mut self, on: bool) -> &mut Self {
        self.configure(move |c| c.network.verify_tls = on)
    }

    /// Sets `logging.level`.
    pub fn log_level(&mut self, level: impl Into<String>) -> &mut Self {
        let level = level.into();
        self.configure(move |c| c.logging.level = level.clone())
    }

    /// Sets `audit.file`.
    pub fn audit_file(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        let path = path.into();
        self.configure(move |c| c.audit.file = Some(path.clone()))
    }

    /// Sets the price of a model or model-name prefix.
    pub fn price(&mut self, model: impl Into<String>, price: Price) -> &mut Self {
        let model = model.into();
        self.configure(move |c| {
            c.usage.prices.insert(model.clone(), price);
        })
    }

    /// Adds a spending budget.
    pub fn budget(&mut self, rule: BudgetRule) -> &mut Self {
        self.configure(move |c| c.usage.budgets.push(rule.clone()))
    }

    /// Layers defaults, file, environment and code, then validates.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] with every problem: the file's (unreadable,
    /// unparsable, unknown keys), each environment variable that does not
    /// parse, and everything [`SentinelConfig::validate`] reports. When the
    /// file could not be used, validation is skipped (its findings would
    /// be about settings the file meant to provide).
    pub fn build(&self) -> Result<SentinelConfig, Error> {
        let mut problems: Vec<ConfigProblem> = Vec::new();
        let mut file_ok = true;
        let mut config = match &self.file {
            Some(path) => match file::read(path) {
                Ok(c) => c,
                Err(p) => {
                    file_ok = false;
                    problems.extend(p);
                    SentinelConfig::default()
                }
            },
            None => SentinelConfig::default(),
        };
        match &self.env {
            EnvSource::None => {}
            EnvSource::Process => {
                let mut vars = Vec::new();
                for name in env::VARIABLES {
                    if let Some(v) = std::env::var_os(name) {
                        match v.into_string() {
                            Ok(v) => vars.push(((*name).to_owned(), v)),
                            Err(_) => {
                                problems.push(ConfigProblem::new(*name, "is not valid UTF-8"));
                            }
                        }
                    }
                }
                problems.extend(env::apply(&mut config, vars));
            }
            EnvSource::Vars(vars) => problems.extend(env::apply(&mut config, vars.clone())),
        }
        for f in &self.overrides {
            f(&mut config);
        }
        if file_ok {
            problems.extend(validate::problems(&config));
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(Error::Config { problems })
        }
    }
}
