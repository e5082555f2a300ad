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
    /// Serving threads, each with its own event loop accepting from the
    /// shared listener [default: the number of cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
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
    let listener = std::net::TcpListener::bind(server.listen)
        .with_context(|| format!("cannot listen on {}", server.listen))?;
    listener
        .set_nonblocking(true)
        .context("configuring the listener")?;
    let addr = listener.local_addr()?;
    if providers == ["echo"] {
        eprintln!(
            "deepsentinel: no upstream configured (set OPENAI_API_KEY or ANTHROPIC_API_KEY, or use --config): \
             serving the built-in ECHO provider, which answers with what it receives"
        );
    }
    let threads = args.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
        usize::from,
    );
    eprintln!(
        "deepsentinel gateway listening on http://{addr} (providers: {}; environment: {}; policies: {}; keys: {}; threads: {threads})",
        providers.join(", "),
        config.environment.as_str(),
        config.policy_specs().join(", "),
        if server.keys.is_empty() {
            "none, loopback only".to_owned()
        } else {
            server.keys.len().to_string()
        },
    );
    serve_threads(Gateway::new(client, server), &listener, threads)?;
    eprintln!("deepsentinel gateway stopped");
    Ok(())
}

/// Serves on `threads` threads, each running its own single-threaded event
/// loop that accepts from the shared listener, until SIGTERM/SIGINT (or a
/// thread fails). A request stays on the thread that accepted its
/// connection from start to end, so it is never handed between threads:
/// on two cores this costs ~10 % less CPU per request than a work-stealing
/// runtime (docs/benchmarks.md). Shutdown is graceful on every thread.
fn serve_threads(gateway: Gateway, listener: &std::net::TcpListener, threads: usize) -> Result<()> {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel::<Result<()>>();
    let mut handles = Vec::with_capacity(threads);
    for i in 0..threads {
        let listener = listener.try_clone().context("sharing the listener")?;
        let gateway = gateway.clone();
        let mut stop = stop_rx.clone();
        let done = done_tx.clone();
        let handle = std::thread::Builder::new()
            .name(format!("gateway-{i}"))
            .spawn(move || {
                let served = (|| -> Result<()> {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .context("starting an event loop")?;
                    runtime.block_on(async move {
                        let listener = tokio::net::TcpListener::from_std(listener)?;
                        let stopped = async move {
                            let _ = stop.wait_for(|stop| *stop).await;
                        };
                        serve(gateway, listener, stopped).await
                    })?;
                    Ok(())
                })();
                let _ = done.send(served.context("serving"));
            })
            .context("starting a serving thread")?;
        handles.push(handle);
    }
    drop(done_tx);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    // Stop on a signal, or as soon as any thread ends (it only ends on
    // its own when serving failed).
    let early = runtime.block_on(async {
        tokio::select! {
            () = shutdown_signal() => None,
            r = done_rx.recv() => r,
        }
    });
    let _ = stop_tx.send(true);
    let mut result = match early {
        Some(Err(e)) => Err(e),
        _ => Ok(()),
    };
    for h in handles {
        if h.join().is_err() && result.is_ok() {
            result = Err(anyhow::anyhow!("a serving thread panicked"));
        }
    }
    while let Ok(r) = done_rx.try_recv() {
        if result.is_ok() {
            result = r;
        }
    }
    result
}
