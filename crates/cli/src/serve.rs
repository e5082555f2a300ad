//! `deepsentinel serve`: the gateway.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use deepsentinel::{Environment, SentinelClient, SentinelConfig};
use deepsentinel_gateway::{Gateway, ServerConfig, key_tag, serve, shutdown_signal};
use deepsentinel_policy::{CompliancePolicy, PolicySet};

/// `serve` arguments.
#[derive(clap::Args, Debug)]
pub(crate) struct ServeArgs {
    /// Configuration file (TOML or YAML): the client's settings plus a
    /// `server` section. Environment variables apply over it.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8080, or server.listen].
    #[arg(long, value_name = "ADDR")]
    listen: Option<SocketAddr>,
    /// Policy preset or file for every request (overrides
    /// compliance.policies).
    #[arg(long, value_name = "PRESET|FILE")]
    policy: Option<String>,
}

pub(crate) fn serve_command(args: ServeArgs) -> ExitCode {
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => crate::report_error(&e),
    }
}

fn run(args: ServeArgs) -> Result<()> {
    let mut builder = SentinelConfig::builder();
    if let Some(path) = &args.config {
        builder.file(path);
    }
    builder.env();
    if let Some(policy) = args.policy.clone() {
        builder.configure(move |c| c.compliance.policies = vec![policy.clone()]);
    }
    // With no upstream configured the gateway still works, on the echo
    // provider; production rules require a real provider, so such a demo
    // runs as staging (and says so).
    builder.configure(|c| {
        if c.providers.configured().is_empty() {
            c.providers.echo = true;
            if c.environment == Environment::Production {
                c.environment = Environment::Staging;
            }
        }
    });
    let config = builder.build().map_err(anyhow::Error::from)?;
    let mut server =
        ServerConfig::from_value(config.server.as_ref()).map_err(anyhow::Error::from)?;
    if let Some(addr) = args.listen {
        server.listen = addr;
        server.validate().map_err(anyhow::Error::from)?;
    }
    let mut client = SentinelClient::builder_from(&config).map_err(anyhow::Error::from)?;
    for k in &server.keys {
        if let Some(spec) = &k.policy {
            let set = CompliancePolicy::load(spec)
                .and_then(PolicySet::single)
                .with_context(|| format!("server.keys `{}`: policy `{spec}`", k.id))?;
            client = client.tag_policies(key_tag(&k.id), set);
        }
    }
    let client = client.build().map_err(anyhow::Error::from)?;
    if let Err(e) = deepsentinel::init_logging(&config.logging) {
        eprintln!("deepsentinel: logging not set up: {e}");
    }
    let providers = config.providers.configured();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(server.listen)
            .await
            .with_context(|| format!("cannot listen on {}", server.listen))?;
        let addr = listener.local_addr()?;
        if providers == ["echo"] {
            eprintln!(
                "deepsentinel: no upstream configured (set OPENAI_API_KEY or ANTHROPIC_API_KEY, or use --config): \
                 serving the built-in ECHO provider, which answers with what it receives"
            );
        }
        eprintln!(
            "deepsentinel gateway listening on http://{addr} (providers: {}; environment: {}; policies: {}; keys: {})",
            providers.join(", "),
            config.environment.as_str(),
            config.policy_specs().join(", "),
            if server.keys.is_empty() { "none, loopback only".to_owned() } else { server.keys.len().to_string() },
        );
        serve(Gateway::new(client, server), listener, shutdown_signal())
            .await
            .context("serving")?;
        eprintln!("deepsentinel gateway stopped");
        Ok(())
    })
}
