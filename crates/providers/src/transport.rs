//! The direct transport: hyper-util's pooled HTTP/1.1 and HTTP/2 client
//! over rustls, for upstreams reached without a proxy.
//!
//! reqwest costs about twice the CPU per request of the client it wraps
//! (it parses the URL again on the way out and on the way back, and runs
//! redirect and retry layers we turn off anyway): on loopback, 23–27 µs
//! against 11–16 µs per request (`docs/benchmarks.md`). Upstreams that an
//! `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY` setting routes through a proxy
//! keep using reqwest, which tunnels; everything else goes through here,
//! with the same settings ([`NetworkConfig`]): connect, read and request
//! deadlines, pool size and idle time, TCP keep-alive, HTTP/2 by ALPN or
//! prior knowledge, certificate verification, the web PKI's roots.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

use crate::http::NetworkConfig;

/// The direct client; clones share the pool.
pub(crate) type Direct = Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

/// Builds the direct client for `config`; `None` if TLS cannot start.
pub(crate) fn build(config: &NetworkConfig) -> Option<Direct> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .ok()?;
    let tls = if config.verify_tls {
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        builder.with_root_certificates(roots).with_no_client_auth()
    } else {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
            .with_no_client_auth()
    };
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http.set_nodelay(true);
    http.set_connect_timeout(Some(config.connect_timeout));
    http.set_keepalive(config.tcp_keepalive);
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http();
    let connector = if config.http2_prior_knowledge {
        connector.enable_http2().wrap_connector(http)
    } else {
        connector.enable_all_versions().wrap_connector(http)
    };
    let mut client = Client::builder(TokioExecutor::new());
    client
        .timer(TokioTimer::new())
        .pool_timer(TokioTimer::new())
        .pool_idle_timeout(config.pool_idle_timeout)
        .pool_max_idle_per_host(config.pool_max_idle_per_host)
        .http2_only(config.http2_prior_knowledge);
    Some(client.build(connector))
}

/// Accepts any certificate (`verify_tls = false`, refused in production by
/// the client's configuration checks); signatures are still checked, so
/// the handshake is with whoever holds the presented certificate's key.
#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// Why reading a response (or waiting for it) failed.
#[derive(Debug)]
pub(crate) enum Fault {
    /// reqwest's error (proxied upstreams).
    Reqwest(reqwest::Error),
    /// The direct client's error before the response headers.
    Request(hyper_util::client::legacy::Error),
    /// The direct client's error reading the body.
    Body(hyper::Error),
    /// A deadline passed (the read deadline, or the whole request's).
    Timeout,
}

impl Fault {
    /// Whether a deadline passed.
    pub(crate) fn is_timeout(&self) -> bool {
        match self {
            Fault::Reqwest(e) => e.is_timeout(),
            Fault::Timeout => true,
            Fault::Request(_) | Fault::Body(_) => false,
        }
    }

    /// The underlying error, without URL, for [`deepsentinel_core::Error`]
    /// sources.
    pub(crate) fn into_source(self) -> Option<Arc<dyn std::error::Error + Send + Sync>> {
        match self {
            Fault::Reqwest(e) => Some(Arc::new(e.without_url())),
            Fault::Request(e) => Some(Arc::new(e)),
            Fault::Body(e) => Some(Arc::new(e)),
            Fault::Timeout => None,
        }
    }
}

/// A response whose headers have arrived; its body is read with the read
/// deadline for each read, and the whole-request deadline if one was set.
#[derive(Debug)]
pub(crate) enum Response {
    /// Through the direct client.
    Direct {
        inner: hyper::Response<Incoming>,
        read_timeout: Duration,
        deadline: Option<tokio::time::Instant>,
    },
    /// Through reqwest (a proxy applies).
    Reqwest(reqwest::Response),
}

impl Response {
    /// The status.
    pub(crate) fn status(&self) -> reqwest::StatusCode {
        match self {
            Response::Direct { inner, .. } => inner.status(),
            Response::Reqwest(r) => r.status(),
        }
    }

    /// The headers.
    pub(crate) fn headers(&self) -> &reqwest::header::HeaderMap {
        match self {
            Response::Direct { inner, .. } => inner.headers(),
            Response::Reqwest(r) => r.headers(),
        }
    }

    /// The whole body.
    pub(crate) async fn bytes(self) -> Result<Bytes, Fault> {
        match self {
            Response::Reqwest(r) => r.bytes().await.map_err(Fault::Reqwest),
            Response::Direct {
                inner,
                read_timeout,
                deadline,
            } => {
                let mut body = inner.into_body();
                // One chunk (the usual case) is returned as it is.
                let mut single: Option<Bytes> = None;
                let mut joined: Vec<u8> = Vec::new();
                while let Some(data) = next_data(&mut body, read_timeout, deadline).await? {
                    if single.is_none() && joined.is_empty() {
                        single = Some(data);
                        continue;
                    }
                    if let Some(s) = single.take() {
                        joined.extend_from_slice(&s);
                    }
                    joined.extend_from_slice(&data);
                }
                Ok(single.unwrap_or_else(|| Bytes::from(joined)))
            }
        }
    }

    /// The body as a stream of chunks.
    pub(crate) fn bytes_stream(
        self,
    ) -> futures_util::stream::BoxStream<'static, Result<Bytes, Fault>> {
        use futures_util::StreamExt;
        match self {
            Response::Reqwest(r) => r.bytes_stream().map(|r| r.map_err(Fault::Reqwest)).boxed(),
            Response::Direct {
                inner,
                read_timeout,
                deadline,
            } => futures_util::stream::unfold(Some(inner.into_body()), move |body| async move {
                let mut body = body?;
                match next_data(&mut body, read_timeout, deadline).await {
                    Ok(Some(data)) => Some((Ok(data), Some(body))),
                    Ok(None) => None,
                    Err(e) => Some((Err(e), None)),
                }
            })
            .boxed(),
        }
    }
}

/// `d` after `now`, or a century on if that is not representable (a
/// configured deadline of `u64::MAX` seconds means "never").
pub(crate) fn after(now: tokio::time::Instant, d: Duration) -> tokio::time::Instant {
    now.checked_add(d)
        .or_else(|| now.checked_add(Duration::from_secs(100 * 365 * 86_400)))
        .unwrap_or(now)
}

/// The next data frame of `body` (trailers are skipped), within the read
/// deadline and `deadline`.
async fn next_data(
    body: &mut Incoming,
    read_timeout: Duration,
    deadline: Option<tokio::time::Instant>,
) -> Result<Option<Bytes>, Fault> {
    loop {
        let mut until = after(tokio::time::Instant::now(), read_timeout);
        if let Some(d) = deadline {
            until = until.min(d);
        }
        match tokio::time::timeout_at(until, body.frame()).await {
            Err(_) => return Err(Fault::Timeout),
            Ok(None) => return Ok(None),
            Ok(Some(Err(e))) => return Err(Fault::Body(e)),
            Ok(Some(Ok(frame))) => {
                if let Ok(data) = frame.into_data() {
                    if !data.is_empty() {
                        return Ok(Some(data));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_too_far_to_represent_do_not_panic() {
        let now = tokio::time::Instant::now();
        assert_eq!(
            after(now, Duration::from_secs(1)),
            now + Duration::from_secs(1)
        );
        let far = after(now, Duration::MAX);
        assert!(far > now + Duration::from_secs(50 * 365 * 86_400));
    }
}
