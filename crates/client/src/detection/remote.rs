use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use deepsentinel_core::{Error, Finding, NetworkErrorKind, RateLimitOrigin, TimeoutPhase};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// The provider name remote-detection errors carry
/// ([`Error::provider`]).
pub const REMOTE_DETECTION: &str = "deepsentinel-scan";

/// The `code` of an [`Error::Provider`] for a remote answer whose span does
/// not lie on character boundaries of its text.
pub const INVALID_SPAN: &str = "invalid_span";

/// `POST {url}/v1/scan` request body.
#[derive(Serialize)]
struct ScanRequest<'a> {
    texts: &'a [&'a str],
}

/// `/v1/scan` response body. Unknown fields are refused, so a gateway
/// speaking another version of the format is an error, not a silent miss.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScanResponse {
    results: Vec<ScanResult>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScanResult {
    findings: Vec<Finding>,
}

/// A client of a DeepSentinel gateway's `/v1/scan` endpoint.
///
/// Cheap to clone. `Debug` never shows the key. The wire format follows.
///
#[doc = include_str!("wire.md")]
#[derive(Clone)]
pub struct RemoteDetector {
    inner: Arc<Inner>,
}

struct Inner {
    endpoint: String,
    api_key: Option<SecretString>,
    timeout: Duration,
    http: reqwest::Client,
}

impl fmt::Debug for RemoteDetector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteDetector")
            .field("endpoint", &self.inner.endpoint)
            .field(
                "api_key",
                &self.inner.api_key.as_ref().map(|_| "[REDACTED]"),
            )
            .field("timeout", &self.inner.timeout)
            .finish()
    }
}

impl RemoteDetector {
    /// A detector calling `POST {url}/v1/scan` (a trailing `/` on `url` is
    /// ignored) with `Authorization: Bearer {api_key}` when a key is given
    /// (usually `DEEPSENTINEL_API_KEY`), giving up after `timeout` for the
    /// whole exchange (connect, send, read the body).
    pub fn new(
        url: &str,
        api_key: Option<SecretString>,
        timeout: Duration,
        http: reqwest::Client,
    ) -> RemoteDetector {
        RemoteDetector {
            inner: Arc::new(Inner {
                endpoint: format!("{}/v1/scan", url.trim_end_matches('/')),
                api_key,
                timeout,
                http,
            }),
        }
    }

    /// The endpoint called, `{url}/v1/scan`.
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// The deadline for one call.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// Scans `texts` remotely in one request: one list of findings per
    /// text, in the same order, each sorted by `(start, end)` and each span
    /// checked against its text. An empty `texts` makes no request.
    ///
    /// # Errors
    /// Errors name [`REMOTE_DETECTION`] as the provider and never carry the
    /// key, the URL, the texts or the gateway's free text:
    /// - [`Error::Timeout`] (phase `Attempt`) when `timeout` passed;
    /// - [`Error::Network`] when the connection failed or broke;
    /// - [`Error::Authentication`] on 401 and 403, [`Error::RateLimit`] on
    ///   429, [`Error::Provider`] with the status on any other non-2xx;
    /// - [`Error::Provider`] with code `malformed_response` when the body
    ///   is not the documented JSON or has the wrong number of results, and
    ///   with code [`INVALID_SPAN`] when a span lies outside its text or
    ///   splits a character.
    pub async fn detect_many(&self, texts: &[&str]) -> Result<Vec<Vec<Finding>>, Error> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let timeout = self.inner.timeout;
        match tokio::time::timeout(timeout, self.call(texts)).await {
            Ok(result) => result,
            Err(_) => Err(Error::Timeout {
                provider: REMOTE_DETECTION.to_owned(),
                phase: TimeoutPhase::Attempt,
                after: timeout,
            }),
        }
    }

    async fn call(&self, texts: &[&str]) -> Result<Vec<Vec<Finding>>, Error> {
        let mut req = self
            .inner
            .http
            .post(&self.inner.endpoint)
            .json(&ScanRequest { texts });
        if let Some(key) = &self.inner.api_key {
            req = req.bearer_auth(key.expose_secret());
        }
        let resp = req.send().await.map_err(transport_error)?;
        let status = resp.status().as_u16();
        if !resp.status().is_success() {
            return Err(status_error(status, &resp));
        }
        let body = resp.bytes().await.map_err(transport_error)?;
        let parsed: ScanResponse = serde_json::from_slice(&body).map_err(|_| malformed(status))?;
        if parsed.results.len() != texts.len() {
            return Err(malformed(status));
        }
        parsed
            .results
            .into_iter()
            .zip(texts)
            .map(|(r, text)| {
                let mut findings = r.findings;
                for f in &findings {
                    if f.span().check(text).is_err() {
                        return Err(provider_error(Some(status), false, INVALID_SPAN));
                    }
                }
                // The `Detector` contract: ascending `(start, end)`.
                findings.sort_by_key(|f| (f.span().start(), f.span().end()));
                Ok(findings)
            })
            .collect()
    }
}

fn provider_error(status: Option<u16>, retryable: bool, code: &str) -> Error {
    Error::Provider {
        provider: REMOTE_DETECTION.to_owned(),
        status,
        retryable,
        retry_after: None,
        code: Some(code.to_owned()),
    }
}

fn malformed(status: u16) -> Error {
    provider_error(Some(status), false, "malformed_response")
}

fn status_error(status: u16, resp: &reqwest::Response) -> Error {
    let retry_after = resp
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    match status {
        401 | 403 => Error::Authentication {
            provider: REMOTE_DETECTION.to_owned(),
            status: Some(status),
        },
        429 => Error::RateLimit {
            provider: REMOTE_DETECTION.to_owned(),
            retry_after,
            origin: RateLimitOrigin::Upstream,
        },
        _ => Error::Provider {
            provider: REMOTE_DETECTION.to_owned(),
            status: Some(status),
            retryable: status >= 500 && status != 501,
            retry_after,
            code: None,
        },
    }
}

/// A transport failure, URL stripped (the URL may carry credentials in
/// user-info; the key itself only ever travels in a header).
fn transport_error(e: reqwest::Error) -> Error {
    let e = e.without_url();
    let kind = if e.is_connect() {
        NetworkErrorKind::Connect
    } else if e.is_body() || e.is_decode() {
        NetworkErrorKind::Body
    } else if e.is_request() {
        NetworkErrorKind::Reset
    } else {
        NetworkErrorKind::Other
    };
    Error::Network {
        provider: REMOTE_DETECTION.to_owned(),
        kind,
        source: Some(Arc::new(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_key() {
        let d = RemoteDetector::new(
            "http://gw.example/",
            Some(SecretString::from("sk-very-secret")),
            Duration::from_secs(1),
            reqwest::Client::new(),
        );
        let shown = format!("{d:?}");
        assert!(!shown.contains("sk-very-secret"), "{shown}");
        assert!(shown.contains("[REDACTED]"), "{shown}");
        assert_eq!(d.endpoint(), "http://gw.example/v1/scan");
    }

    #[test]
    fn wire_format_is_as_documented() {
        let body = serde_json::to_value(ScanRequest { texts: &["a", "b"] }).expect("serializes");
        assert_eq!(body, serde_json::json!({"texts": ["a", "b"]}));
        let ok = r#"{"results":[{"findings":[]},{"findings":[{"entity_type":"EMAIL_ADDRESS","category":"pii","start":0,"end":1,"score":0.5,"rule":"r"}]}]}"#;
        let parsed: ScanResponse = serde_json::from_str(ok).expect("parses");
        assert_eq!(parsed.results[1].findings[0].span().range(), 0..1);
        assert!(serde_json::from_str::<ScanResponse>(r#"{"results":[],"x":1}"#).is_err());
    }
}
