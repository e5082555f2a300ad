//! The one shared HTTP client, and how HTTP outcomes become [`Error`]s.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use deepsentinel_core::{ConfigProblem, Error, NetworkErrorKind, RateLimitOrigin, TimeoutPhase};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::headers;
use crate::transport::{self, Direct, Fault};

/// Connection settings shared by every provider.
///
/// One [`HttpClient`] built from this serves all providers, so connections
/// to one host are pooled and reused across requests and providers.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkConfig {
    /// TCP (and TLS) connect deadline. Default 10 s.
    pub connect_timeout: Duration,
    /// Deadline for one whole non-streaming request, body included.
    /// Default 600 s (long generations); the retry layer's per-attempt
    /// timeout is usually the tighter bound.
    pub request_timeout: Duration,
    /// Deadline for each read of a response body: between stream events,
    /// it is the idle timeout. Default 300 s.
    pub read_timeout: Duration,
    /// Idle connections kept per host (by each thread's pool). Default
    /// 256: a connection a burst opened beyond this is closed after its
    /// response, and the next burst pays for a new one (at 256 concurrent
    /// requests, 32 made one request in ten open a connection).
    pub pool_max_idle_per_host: usize,
    /// How long an idle pooled connection is kept. Default 90 s.
    pub pool_idle_timeout: Duration,
    /// TCP keep-alive probe interval. Default 60 s.
    pub tcp_keepalive: Option<Duration>,
    /// Speak HTTP/2 without negotiation (for h2c servers). Default off:
    /// HTTP/2 is used whenever a TLS server offers it through ALPN.
    pub http2_prior_knowledge: bool,
    /// Verify TLS certificates. Default on; turning it off is refused in
    /// production by the client's configuration checks.
    pub verify_tls: bool,
    /// The `User-Agent` header.
    pub user_agent: String,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        NetworkConfig {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(600),
            read_timeout: Duration::from_secs(300),
            pool_max_idle_per_host: 256,
            pool_idle_timeout: Duration::from_secs(90),
            tcp_keepalive: Some(Duration::from_secs(60)),
            http2_prior_knowledge: false,
            verify_tls: true,
            user_agent: concat!("deepsentinel/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }
}

impl NetworkConfig {
    /// Every problem with these settings, with its path under `prefix`.
    pub fn problems(&self, prefix: &str) -> Vec<ConfigProblem> {
        let mut out = Vec::new();
        for (name, d) in [
            ("connect_timeout", self.connect_timeout),
            ("request_timeout", self.request_timeout),
            ("read_timeout", self.read_timeout),
        ] {
            if d.is_zero() {
                out.push(ConfigProblem::new(
                    format!("{prefix}.{name}"),
                    "must be greater than zero",
                ));
            }
        }
        if self.user_agent.is_empty()
            || reqwest::header::HeaderValue::from_str(&self.user_agent).is_err()
        {
            out.push(ConfigProblem::new(
                format!("{prefix}.user_agent"),
                "must be a non-empty header value",
            ));
        }
        out
    }
}

/// A pooled HTTP client; clones share the pool.
///
/// Two transports with the same settings: hyper-util's client over rustls
/// for upstreams reached directly, and reqwest for upstreams that the
/// `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY` variables send through a proxy
/// (and for [`HttpClient::reqwest`] callers); see `transport.rs`.
///
/// On a multi-threaded tokio runtime every thread shares one pool. On a
/// current-thread runtime each thread gets its own pool (built on first
/// use with the same settings): a connection is driven by the event loop
/// that opened it, so sharing it with another thread's event loop would
/// hand every request and response between threads (and a connection of a
/// runtime that was dropped is dead). `deepsentinel serve` runs one
/// current-thread runtime per core this way.
#[derive(Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
    /// The direct transport (upstreams no proxy applies to).
    direct: Direct,
    config: NetworkConfig,
    /// Identifies this client's per-thread pools.
    id: u64,
}

static NEXT_CLIENT_ID: AtomicU64 = AtomicU64::new(1);

/// Per-thread pools kept by one thread, at most this many (the oldest is
/// dropped first), so a thread that builds many clients does not keep
/// them all.
const THREAD_POOLS: usize = 16;

thread_local! {
    static POOLS: RefCell<Vec<(u64, reqwest::Client)>> = const { RefCell::new(Vec::new()) };
    static DIRECT_POOLS: RefCell<Vec<(u64, Direct)>> = const { RefCell::new(Vec::new()) };
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClient")
            .field("config", &self.config)
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

fn tls_failed() -> Error {
    Error::Config {
        problems: vec![ConfigProblem::new(
            "network",
            "the HTTP client (TLS backend) could not start",
        )],
    }
}

/// Whether the calling thread runs a current-thread tokio runtime.
fn on_current_thread_runtime() -> bool {
    tokio::runtime::Handle::try_current()
        .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::CurrentThread)
}

/// This thread's entry for client `id` in `pools`, made by `build` on
/// first use (at most [`THREAD_POOLS`] kept, the oldest dropped first).
fn per_thread<C: Clone>(
    pools: &'static std::thread::LocalKey<RefCell<Vec<(u64, C)>>>,
    id: u64,
    build: impl FnOnce() -> Option<C>,
) -> Option<C> {
    pools.with(|pools| {
        let mut pools = pools.borrow_mut();
        if let Some((_, c)) = pools.iter().find(|(i, _)| *i == id) {
            return Some(c.clone());
        }
        let c = build()?;
        if pools.len() >= THREAD_POOLS {
            pools.remove(0);
        }
        pools.push((id, c.clone()));
        Some(c)
    })
}

fn build_reqwest(config: &NetworkConfig) -> Result<reqwest::Client, Error> {
    let mut b = reqwest::Client::builder()
        .connect_timeout(config.connect_timeout)
        .read_timeout(config.read_timeout)
        .pool_max_idle_per_host(config.pool_max_idle_per_host)
        .pool_idle_timeout(config.pool_idle_timeout)
        .tcp_keepalive(config.tcp_keepalive)
        .tcp_nodelay(true)
        .user_agent(config.user_agent.clone())
        .danger_accept_invalid_certs(!config.verify_tls)
        // Redirects would re-send keys to wherever a server points.
        .redirect(reqwest::redirect::Policy::none());
    if config.http2_prior_knowledge {
        b = b.http2_prior_knowledge();
    }
    b.build().map_err(|_| tls_failed())
}

impl HttpClient {
    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] listing every invalid setting, or if the TLS
    /// backend cannot start.
    pub fn new(config: &NetworkConfig) -> Result<HttpClient, Error> {
        let problems = config.problems("network");
        if !problems.is_empty() {
            return Err(Error::Config { problems });
        }
        Ok(HttpClient {
            inner: build_reqwest(config)?,
            direct: transport::build(config).ok_or_else(tls_failed)?,
            config: config.clone(),
            id: NEXT_CLIENT_ID.fetch_add(1, Ordering::Relaxed),
        })
    }

    /// The underlying client for the calling thread: the shared one, or on
    /// a current-thread runtime this thread's own (see the type's docs).
    pub fn reqwest(&self) -> reqwest::Client {
        if !on_current_thread_runtime() {
            return self.inner.clone();
        }
        // Same settings as `inner`, which was built from them, so this
        // only fails if the TLS backend stopped working; then share.
        per_thread(&POOLS, self.id, || build_reqwest(&self.config).ok())
            .unwrap_or_else(|| self.inner.clone())
    }

    /// The direct transport for the calling thread, pooled the same way as
    /// [`HttpClient::reqwest`].
    pub(crate) fn direct(&self) -> Direct {
        if !on_current_thread_runtime() {
            return self.direct.clone();
        }
        per_thread(&DIRECT_POOLS, self.id, || transport::build(&self.config))
            .unwrap_or_else(|| self.direct.clone())
    }

    /// The settings it was built from.
    pub fn config(&self) -> &NetworkConfig {
        &self.config
    }
}

/// A transport failure as an [`Error`], URL stripped.
///
/// A timeout while connecting reports the connect deadline; one while
/// waiting for the response reports the read deadline (or the whole-request
/// deadline when that is shorter).
pub(crate) fn transport_error(provider: &str, e: Fault, config: &NetworkConfig) -> Error {
    let connect = match &e {
        Fault::Reqwest(e) => e.is_connect(),
        Fault::Request(e) => e.is_connect(),
        Fault::Body(_) | Fault::Timeout => false,
    };
    // The direct client's connect deadline is an I/O "timed out" inside a
    // connect error.
    let connect_timed_out = connect && matches!(&e, Fault::Request(r) if timed_out(r));
    if e.is_timeout() || connect_timed_out {
        let (phase, after) = if connect {
            (TimeoutPhase::Connect, config.connect_timeout)
        } else {
            (
                TimeoutPhase::FirstByte,
                config.read_timeout.min(config.request_timeout),
            )
        };
        return Error::Timeout {
            provider: provider.to_owned(),
            phase,
            after,
        };
    }
    let kind = match &e {
        _ if connect => NetworkErrorKind::Connect,
        Fault::Reqwest(r) if r.is_body() || r.is_decode() => NetworkErrorKind::Body,
        Fault::Reqwest(r) if r.is_request() => NetworkErrorKind::Reset,
        Fault::Reqwest(_) => NetworkErrorKind::Other,
        // Sent or not, the connection failed before a response.
        Fault::Request(_) => NetworkErrorKind::Reset,
        Fault::Body(_) => NetworkErrorKind::Body,
        Fault::Timeout => NetworkErrorKind::Other,
    };
    Error::Network {
        provider: provider.to_owned(),
        kind,
        source: e.into_source(),
    }
}

/// Whether an I/O "timed out" is among the causes of `e`.
fn timed_out(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(e);
    while let Some(c) = cause {
        if c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
        {
            return true;
        }
        cause = c.source();
    }
    false
}

/// A body read failure mid-stream.
pub(crate) fn body_error(provider: &str, e: Fault, read_timeout: Duration) -> Error {
    if e.is_timeout() {
        return Error::Timeout {
            provider: provider.to_owned(),
            phase: TimeoutPhase::Idle,
            after: read_timeout,
        };
    }
    Error::Network {
        provider: provider.to_owned(),
        kind: NetworkErrorKind::Body,
        source: e.into_source(),
    }
}

/// A response that could not be understood.
pub(crate) fn malformed(provider: &str, status: Option<u16>) -> Error {
    Error::Provider {
        provider: provider.to_owned(),
        status,
        retryable: false,
        retry_after: None,
        code: Some("malformed_response".into()),
    }
}

/// The upstream's error `type`/`code` and `param`, from either provider's
/// error body. The free-text `message` is deliberately not read: it may
/// quote the prompt.
fn error_fields(body: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(v) = serde_json::from_slice::<Value>(body) else {
        return (None, None);
    };
    let err = v.get("error").unwrap_or(&v);
    let s = |k: &str| {
        err.get(k)
            .and_then(|x| {
                x.as_str()
                    .map(str::to_owned)
                    .or_else(|| x.as_i64().map(|n| n.to_string()))
            })
            .filter(|s| s.len() <= 128)
    };
    (s("code").or_else(|| s("type")), s("param"))
}

/// A non-success HTTP status as an [`Error`].
///
/// 400, 404, 413, 415 and 422 are invalid requests; 401 and 403
/// authentication; 429 a rate limit (except OpenAI's `insufficient_quota`,
/// which waiting does not fix); 408, 409 and 5xx except 501 retryable
/// provider errors (Anthropic's 529 `overloaded_error` included); anything
/// else a non-retryable provider error.
pub(crate) fn status_error(
    provider: &str,
    status: StatusCode,
    headers: &HeaderMap,
    body: &Bytes,
) -> Error {
    let code = status.as_u16();
    let (kind, param) = error_fields(body);
    let retry_after = headers::retry_after(headers, SystemTime::now());
    let p = provider.to_owned();
    match code {
        401 | 403 => Error::Authentication {
            provider: p,
            status: Some(code),
        },
        429 if kind.as_deref() != Some("insufficient_quota") => Error::RateLimit {
            provider: p,
            retry_after,
            origin: RateLimitOrigin::Upstream,
        },
        400 | 404 | 413 | 415 | 422 => Error::InvalidRequest {
            provider: Some(p),
            reason: match &kind {
                Some(k) => format!("HTTP {code} ({k})"),
                None => format!("HTTP {code}"),
            },
            param,
        },
        _ => Error::Provider {
            provider: p,
            status: Some(code),
            retryable: matches!(code, 408 | 409) || (code >= 500 && code != 501),
            retry_after,
            code: kind,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, body: &str) -> Error {
        let mut h = HeaderMap::new();
        h.insert(
            "retry-after",
            reqwest::header::HeaderValue::from_static("2"),
        );
        status_error(
            "openai",
            StatusCode::from_u16(status).expect("status"),
            &h,
            &Bytes::from(body.to_owned()),
        )
    }

    #[test]
    fn statuses_map_to_the_taxonomy() {
        let table = [
            (400, "invalid_request", false),
            (401, "authentication", false),
            (403, "authentication", false),
            (404, "invalid_request", false),
            (408, "provider", true),
            (409, "provider", true),
            (422, "invalid_request", false),
            (429, "rate_limit", true),
            (500, "provider", true),
            (501, "provider", false),
            (502, "provider", true),
            (503, "provider", true),
            (529, "provider", true),
            (418, "provider", false),
        ];
        for (status, label, retryable) in table {
            let e = err(status, "{}");
            assert_eq!(
                (e.label(), e.is_retryable()),
                (label, retryable),
                "HTTP {status}"
            );
        }
        assert_eq!(err(429, "{}").retry_after(), Some(Duration::from_secs(2)));
        assert_eq!(err(503, "{}").retry_after(), Some(Duration::from_secs(2)));
    }

    #[test]
    fn quota_exhaustion_is_not_a_rate_limit() {
        let e = err(
            429,
            r#"{"error":{"message":"You exceeded your quota","type":"insufficient_quota","code":"insufficient_quota"}}"#,
        );
        assert_eq!(e.label(), "provider");
        assert!(!e.is_retryable());
    }

    #[test]
    fn upstream_messages_are_not_copied() {
        let e = err(
            400,
            r#"{"error":{"message":"Invalid value for 'content': my SSN is 078-05-1120","type":"invalid_request_error","param":"messages[0].content","code":null}}"#,
        );
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains("078-05-1120"), "{shown}");
        assert!(shown.contains("messages[0].content"), "{shown}");
        let a = err(
            529,
            r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
        );
        assert!(a.to_string().contains("overloaded_error"), "{a}");
    }

    #[test]
    fn invalid_network_settings_are_all_listed() {
        let cfg = NetworkConfig {
            connect_timeout: Duration::ZERO,
            read_timeout: Duration::ZERO,
            user_agent: String::new(),
            ..NetworkConfig::default()
        };
        let problems = cfg.problems("network");
        let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "network.connect_timeout",
                "network.read_timeout",
                "network.user_agent"
            ]
        );
    }
}
