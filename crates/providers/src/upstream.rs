//! What every HTTP provider shares: a base URL, credentials in headers,
//! fixed query parameters, and sending a request with status mapping.

use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use deepsentinel_core::chat::ResponseMeta;
use deepsentinel_core::{ConfigProblem, Error, RateLimitInfo};
use futures_util::StreamExt;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Response};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::headers;
use crate::http::{HttpClient, body_error, malformed, status_error, transport_error};

/// How the API key travels.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthStyle {
    /// `Authorization: Bearer <key>` (OpenAI, most compatible servers).
    Bearer,
    /// `<name>: <key>` (`api-key` for Azure OpenAI, `x-api-key` for Anthropic).
    Header(String),
    /// No key (local servers such as Ollama).
    None,
}

/// The parts of an HTTP provider's configuration every provider shares.
#[derive(Debug, Clone)]
pub(crate) struct Upstream {
    pub(crate) name: String,
    base: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    client: HttpClient,
    /// Endpoint URLs parsed once (`base` + path), not on every request.
    urls: Arc<RwLock<Vec<(&'static str, reqwest::Url)>>>,
}

/// Largest error body read to find the error code (bytes).
const ERROR_BODY_LIMIT: usize = 64 << 10;

impl Upstream {
    /// Checks and assembles; every problem is listed under `path`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        path: &str,
        name: &str,
        base_url: &str,
        key: Option<&SecretString>,
        auth: &AuthStyle,
        query: &[(String, String)],
        extra_headers: &[(String, String)],
        client: HttpClient,
    ) -> Result<Upstream, Error> {
        let mut problems = Vec::new();
        if name.trim().is_empty() {
            problems.push(ConfigProblem::new(
                format!("{path}.name"),
                "must not be empty",
            ));
        }
        let mut host = None;
        match reqwest::Url::parse(base_url) {
            Ok(u) => {
                host = host_header(&u);
                if !matches!(u.scheme(), "http" | "https") {
                    problems.push(ConfigProblem::new(
                        format!("{path}.base_url"),
                        "must be an http or https URL",
                    ));
                }
                if !u.username().is_empty() || u.password().is_some() {
                    problems.push(ConfigProblem::new(
                        format!("{path}.base_url"),
                        "must not carry credentials; set the API key instead",
                    ));
                }
                if u.query().is_some() {
                    problems.push(ConfigProblem::new(
                        format!("{path}.base_url"),
                        "must not have a query; use the query setting",
                    ));
                }
            }
            Err(_) => problems.push(ConfigProblem::new(
                format!("{path}.base_url"),
                "is not a valid URL",
            )),
        }
        let mut headers = HeaderMap::new();
        for (k, v) in extra_headers {
            match (
                HeaderName::from_bytes(k.as_bytes()),
                HeaderValue::from_str(v),
            ) {
                (Ok(n), Ok(v)) => {
                    headers.insert(n, v);
                }
                _ => problems.push(ConfigProblem::new(
                    format!("{path}.headers.{k}"),
                    "is not a valid HTTP header",
                )),
            }
        }
        match (auth, key) {
            (AuthStyle::None, _) => {}
            (_, None) => {
                problems.push(ConfigProblem::new(format!("{path}.api_key"), "is required"))
            }
            (style, Some(key)) => {
                let secret = key.expose_secret();
                let (name, value) = match style {
                    AuthStyle::Header(h) => (
                        HeaderName::from_bytes(h.as_bytes()),
                        HeaderValue::from_str(secret),
                    ),
                    _ => (
                        Ok(reqwest::header::AUTHORIZATION),
                        HeaderValue::from_str(&format!("Bearer {secret}")),
                    ),
                };
                match (name, value) {
                    (Ok(n), Ok(mut v)) if !secret.is_empty() => {
                        v.set_sensitive(true);
                        headers.insert(n, v);
                    }
                    (Err(_), _) => problems.push(ConfigProblem::new(
                        format!("{path}.auth"),
                        "is not a valid header name",
                    )),
                    // Never echo the key: only say it is unusable.
                    _ => problems.push(ConfigProblem::new(
                        format!("{path}.api_key"),
                        "is empty or contains characters not allowed in a header",
                    )),
                }
            }
        }
        if !problems.is_empty() {
            return Err(Error::Config { problems });
        }
        // The `Host` header hyper would otherwise format from the URL on
        // every request (redirects are off, so the host never changes).
        if let Some(v) = host
            && !headers.contains_key(reqwest::header::HOST)
        {
            headers.insert(reqwest::header::HOST, v);
        }
        Ok(Upstream {
            name: name.to_owned(),
            base: base_url.trim_end_matches('/').to_owned(),
            query: query.to_vec(),
            headers,
            client,
            urls: Arc::default(),
        })
    }

    /// The headers sent with every request (credentials included).
    #[cfg(test)]
    pub(crate) fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// `base` + `path`, parsed; `None` if that is not a valid URL (the
    /// request then fails in reqwest as before).
    fn url(&self, path: &'static str) -> Option<reqwest::Url> {
        if let Ok(urls) = self.urls.read()
            && let Some((_, u)) = urls.iter().find(|(p, _)| *p == path)
        {
            return Some(u.clone());
        }
        let url = reqwest::Url::parse(&format!("{}{}", self.base, path)).ok()?;
        if let Ok(mut urls) = self.urls.write()
            && !urls.iter().any(|(p, _)| *p == path)
        {
            urls.push((path, url.clone()));
        }
        Some(url)
    }

    fn request(&self, method: Method, path: &'static str) -> reqwest::RequestBuilder {
        let client = self.client.reqwest();
        let rb = match self.url(path) {
            Some(url) => client.request(method, url),
            None => client.request(method, format!("{}{}", self.base, path)),
        };
        let mut rb = rb.headers(self.headers.clone());
        if !self.query.is_empty() {
            rb = rb.query(&self.query);
        }
        rb
    }

    /// Sends a JSON body; returns the response once its status is a
    /// success. A non-streaming request gets the whole-request deadline.
    pub(crate) async fn post<T: Serialize + ?Sized>(
        &self,
        path: &'static str,
        body: &T,
        streaming: bool,
    ) -> Result<Response, Error> {
        // Sized for a typical request, not grown from 128 bytes by doubling.
        let mut buf = Vec::with_capacity(4096);
        serde_json::to_writer(&mut buf, body)
            .map_err(|_| Error::invalid_request("the request could not be serialized"))?;
        let body = buf;
        let mut rb = self
            .request(Method::POST, path)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        if streaming {
            rb = rb.header(reqwest::header::ACCEPT, "text/event-stream");
        } else {
            rb = rb.timeout(self.client.config().request_timeout);
        }
        self.send(rb).await
    }

    /// Sends a GET.
    pub(crate) async fn get(&self, path: &'static str) -> Result<Response, Error> {
        let rb = self
            .request(Method::GET, path)
            .timeout(self.client.config().request_timeout);
        self.send(rb).await
    }

    async fn send(&self, rb: reqwest::RequestBuilder) -> Result<Response, Error> {
        let resp = rb
            .send()
            .await
            .map_err(|e| transport_error(&self.name, e, self.client.config()))?;
        let status = resp.status();
        if status.is_success() {
            return Ok(resp);
        }
        let headers = resp.headers().clone();
        let body = read_limited(resp, ERROR_BODY_LIMIT).await;
        Err(status_error(&self.name, status, &headers, &body))
    }

    /// Reads and parses a JSON body.
    pub(crate) async fn json<T: DeserializeOwned>(&self, resp: Response) -> Result<T, Error> {
        let status = resp.status().as_u16();
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| body_error(&self.name, e, self.client.config().read_timeout))?;
        serde_json::from_slice(&bytes).map_err(|_| malformed(&self.name, Some(status)))
    }

    /// The meta of a response to a request for `model`: this provider,
    /// one attempt, and the rate limits the headers report.
    pub(crate) fn meta(&self, model: &str, headers: &HeaderMap) -> ResponseMeta {
        ResponseMeta {
            provider: self.name.clone(),
            model: model.to_owned(),
            attempts: 1,
            fallback_index: 0,
            rate_limits: rate_limits(headers),
            compliance: None,
        }
    }

    /// The read deadline, for errors.
    pub(crate) fn read_timeout(&self) -> Duration {
        self.client.config().read_timeout
    }
}

/// The rate-limit state a response reports, if it reports any.
/// `Host` for requests to `u`, as hyper sets it: the host, and the port
/// when it is not the scheme's default (`Url` drops a default port).
fn host_header(u: &reqwest::Url) -> Option<HeaderValue> {
    let host = u.host_str()?;
    let value = match u.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    HeaderValue::from_str(&value).ok()
}

fn rate_limits(headers: &HeaderMap) -> Option<RateLimitInfo> {
    let info = headers::rate_limit_info(headers, SystemTime::now());
    (!info.is_empty()).then_some(info)
}

/// Reads at most `limit` bytes of a body; errors give what was read.
async fn read_limited(resp: Response, limit: usize) -> Bytes {
    let mut out = Vec::new();
    let mut body = resp.bytes_stream();
    while let Some(Ok(chunk)) = body.next().await {
        let room = limit.saturating_sub(out.len());
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if out.len() >= limit {
            break;
        }
    }
    Bytes::from(out)
}

/// Unix seconds now (for stamping responses that carry no time).
pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::NetworkConfig;

    fn host_of(base: &str, extra: &[(String, String)]) -> Option<String> {
        let client = HttpClient::new(&NetworkConfig::default()).expect("client");
        let key = SecretString::from("sk-test");
        let up = Upstream::new(
            "p",
            "test",
            base,
            Some(&key),
            &AuthStyle::Bearer,
            &[],
            extra,
            client,
        )
        .expect("valid upstream");
        up.headers()
            .get(reqwest::header::HOST)
            .map(|v| v.to_str().expect("ascii").to_owned())
    }

    #[test]
    fn host_header_is_what_hyper_would_send() {
        let cases = [
            ("http://127.0.0.1:8080/v1", "127.0.0.1:8080"),
            ("https://api.openai.com/v1", "api.openai.com"),
            ("https://API.Example.COM:443/v1", "api.example.com"),
            ("http://gw.internal:80", "gw.internal"),
            ("http://gw.internal:443", "gw.internal:443"),
            ("https://gw.internal:80/x", "gw.internal:80"),
            ("http://[::1]:9000/v1", "[::1]:9000"),
        ];
        for (base, want) in cases {
            assert_eq!(host_of(base, &[]).as_deref(), Some(want), "{base}");
        }
        // A configured Host header is kept.
        let extra = [("Host".to_owned(), "proxy.example".to_owned())];
        assert_eq!(
            host_of("http://10.0.0.1:8080", &extra).as_deref(),
            Some("proxy.example")
        );
    }
}
