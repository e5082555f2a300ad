//! What every HTTP provider shares: a base URL, credentials in headers,
//! fixed query parameters, and sending a request with status mapping.

use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use deepsentinel_core::chat::ResponseMeta;
use deepsentinel_core::{ConfigProblem, Error, NetworkErrorKind, RateLimitInfo};
use futures_util::StreamExt;
use hyper_util::client::proxy::matcher::Matcher;
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::headers;
use crate::http::{HttpClient, body_error, malformed, status_error, transport_error};
use crate::transport::{self, Fault, Response};

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
    /// Endpoint URLs parsed once (`base` + path), not on every request;
    /// for the direct transport also as a URI with the query.
    urls: Arc<RwLock<Vec<Endpoint>>>,
    /// No proxy applies to `base`: requests go through the direct
    /// transport (`crate::transport`), not reqwest.
    direct: bool,
}

#[derive(Debug)]
struct Endpoint {
    path: &'static str,
    url: reqwest::Url,
    uri: Option<hyper::Uri>,
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
        let mut direct = false;
        match reqwest::Url::parse(base_url) {
            Ok(u) => {
                host = host_header(&u);
                // The proxy settings reqwest would apply (`HTTP_PROXY`,
                // `HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`, read the same way).
                direct = reached_directly(&u, &Matcher::from_env());
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
            direct,
        })
    }

    /// The headers sent with every request (credentials included).
    #[cfg(test)]
    pub(crate) fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// `pick` applied to the endpoint `base` + `path`, parsed once (as a
    /// URL, and as a URI with the query); `None` if that is not a valid URL
    /// (the request then fails in reqwest as before). Only what `pick`
    /// takes is cloned: the direct transport needs the URI, reqwest the URL.
    fn endpoint<R>(&self, path: &'static str, pick: impl Fn(&Endpoint) -> R) -> Option<R> {
        if let Ok(urls) = self.urls.read()
            && let Some(e) = urls.iter().find(|e| e.path == path)
        {
            return Some(pick(e));
        }
        let url = reqwest::Url::parse(&format!("{}{}", self.base, path)).ok()?;
        let mut with_query = url.clone();
        if !self.query.is_empty() {
            with_query.query_pairs_mut().extend_pairs(&self.query);
        }
        let uri = with_query.as_str().parse::<hyper::Uri>().ok();
        let e = Endpoint { path, url, uri };
        let picked = pick(&e);
        if let Ok(mut urls) = self.urls.write()
            && !urls.iter().any(|e| e.path == path)
        {
            urls.push(e);
        }
        Some(picked)
    }

    fn request(&self, method: Method, path: &'static str) -> reqwest::RequestBuilder {
        let client = self.client.reqwest();
        let rb = match self.endpoint(path, |e| e.url.clone()) {
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
        if self.direct {
            return self.send_direct(Method::POST, path, buf, streaming).await;
        }
        let mut rb = self
            .request(Method::POST, path)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(buf);
        if streaming {
            rb = rb.header(reqwest::header::ACCEPT, "text/event-stream");
        } else {
            rb = rb.timeout(self.client.config().request_timeout);
        }
        self.send(rb).await
    }

    /// Sends a GET.
    pub(crate) async fn get(&self, path: &'static str) -> Result<Response, Error> {
        if self.direct {
            return self.send_direct(Method::GET, path, Vec::new(), false).await;
        }
        let rb = self
            .request(Method::GET, path)
            .timeout(self.client.config().request_timeout);
        self.send(rb).await
    }

    async fn send(&self, rb: reqwest::RequestBuilder) -> Result<Response, Error> {
        let resp = rb
            .send()
            .await
            .map_err(|e| transport_error(&self.name, Fault::Reqwest(e), self.client.config()))?;
        self.success(Response::Reqwest(resp)).await
    }

    /// Sends through the direct transport with the headers reqwest would
    /// send (the configured ones, `User-Agent`, `Accept`, and for a body
    /// `Content-Type`), within the read deadline for the response headers
    /// and, unless streaming, the whole-request deadline.
    async fn send_direct(
        &self,
        method: Method,
        path: &'static str,
        body: Vec<u8>,
        streaming: bool,
    ) -> Result<Response, Error> {
        let config = self.client.config();
        let Some(Some(uri)) = self.endpoint(path, |e| e.uri.clone()) else {
            return Err(Error::Network {
                provider: self.name.clone(),
                kind: NetworkErrorKind::Other,
                source: None,
            });
        };
        let has_body = !body.is_empty();
        let mut req = hyper::Request::new(http_body_util::Full::new(Bytes::from(body)));
        *req.method_mut() = method;
        *req.uri_mut() = uri;
        let headers = req.headers_mut();
        headers.clone_from(&self.headers);
        if !headers.contains_key(reqwest::header::USER_AGENT)
            && let Ok(v) = HeaderValue::from_str(&config.user_agent)
        {
            headers.insert(reqwest::header::USER_AGENT, v);
        }
        if streaming {
            headers.insert(
                reqwest::header::ACCEPT,
                HeaderValue::from_static("text/event-stream"),
            );
        } else if !headers.contains_key(reqwest::header::ACCEPT) {
            headers.insert(reqwest::header::ACCEPT, HeaderValue::from_static("*/*"));
        }
        if has_body {
            headers.insert(
                reqwest::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
        }
        let now = tokio::time::Instant::now();
        let deadline = (!streaming).then(|| transport::after(now, config.request_timeout));
        let read = transport::after(now, config.read_timeout);
        let first_byte = deadline.map_or(read, |d| d.min(read));
        let sent = tokio::time::timeout_at(first_byte, self.client.direct().request(req)).await;
        let inner = match sent {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => return Err(transport_error(&self.name, Fault::Request(e), config)),
            Err(_) => return Err(transport_error(&self.name, Fault::Timeout, config)),
        };
        self.success(Response::Direct {
            inner,
            read_timeout: config.read_timeout,
            deadline,
        })
        .await
    }

    /// `resp` if its status is a success, else its error.
    async fn success(&self, resp: Response) -> Result<Response, Error> {
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

/// Whether `u` is reached without a proxy under `proxies`.
fn reached_directly(u: &reqwest::Url, proxies: &Matcher) -> bool {
    u.as_str()
        .parse::<hyper::Uri>()
        .is_ok_and(|uri| proxies.intercept(&uri).is_none())
}

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

/// The rate-limit state a response reports, if it reports any.
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

    /// An upstream at `base` with a key, a fixed query and an extra
    /// header, sending directly or (`direct: false`) through reqwest.
    fn upstream(base: &str, direct: bool) -> Upstream {
        let client = HttpClient::new(&NetworkConfig::default()).expect("client");
        let key = SecretString::from("sk-test-key");
        let mut up = Upstream::new(
            "p",
            "test",
            base,
            Some(&key),
            &AuthStyle::Bearer,
            &[("api-version".to_owned(), "2024 06/01".to_owned())],
            &[("x-extra".to_owned(), "yes".to_owned())],
            client,
        )
        .expect("valid upstream");
        up.direct = direct;
        up
    }

    /// A loopback server answering each connection's one request with a
    /// small JSON body; yields each request's head (lines, header names
    /// lower-cased and sorted) and body.
    async fn capture() -> (
        String,
        tokio::sync::mpsc::UnboundedReceiver<(Vec<String>, Vec<u8>)>,
    ) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}/v1", listener.local_addr().expect("addr"));
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok((mut conn, _)) = listener.accept().await {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let (head_end, len) = loop {
                    let Ok(n) = conn.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
                        let len = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length: "))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        break (end + 4, len);
                    }
                };
                while buf.len() < head_end + len {
                    let Ok(n) = conn.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                let head = String::from_utf8_lossy(&buf[..head_end - 4]).into_owned();
                let mut lines: Vec<String> = head.split("\r\n").map(str::to_owned).collect();
                let request_line = lines.remove(0);
                let mut headers: Vec<String> = lines
                    .iter()
                    .map(|l| match l.split_once(':') {
                        Some((k, v)) => format!("{}:{}", k.to_lowercase(), v.trim()),
                        None => l.clone(),
                    })
                    .collect();
                headers.sort();
                headers.insert(0, request_line);
                let _ = tx.send((headers, buf[head_end..].to_vec()));
                let body = br#"{"ok":true}"#;
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = conn.write_all(reply.as_bytes()).await;
                let _ = conn.write_all(body).await;
            }
        });
        (base, rx)
    }

    #[tokio::test]
    async fn direct_requests_carry_what_reqwest_sends() {
        let (base, mut seen) = capture().await;
        let body =
            serde_json::json!({"model": "m", "messages": [{"role": "user", "content": "hé"}]});
        for streaming in [false, true] {
            let mut got = Vec::new();
            for direct in [true, false] {
                let up = upstream(&base, direct);
                let resp = up
                    .post("/chat/completions", &body, streaming)
                    .await
                    .expect("sent");
                assert!(matches!(resp, Response::Direct { .. }) == direct);
                let v: serde_json::Value = up.json(resp).await.expect("json");
                assert_eq!(v, serde_json::json!({"ok": true}));
                got.push(seen.recv().await.expect("captured"));
            }
            assert_eq!(got[0], got[1], "direct vs reqwest, streaming {streaming}");
            let (head, sent) = &got[0];
            assert_eq!(
                head[0],
                "POST /v1/chat/completions?api-version=2024+06%2F01 HTTP/1.1"
            );
            assert!(
                head.contains(&"authorization:Bearer sk-test-key".to_owned()),
                "{head:?}"
            );
            assert!(head.contains(&"x-extra:yes".to_owned()), "{head:?}");
            assert_eq!(
                serde_json::from_slice::<serde_json::Value>(sent).expect("json body"),
                body
            );
        }
        let mut got = Vec::new();
        for direct in [true, false] {
            let up = upstream(&base, direct);
            let resp = up.get("/models").await.expect("sent");
            let _: serde_json::Value = up.json(resp).await.expect("json");
            got.push(seen.recv().await.expect("captured"));
        }
        assert_eq!(got[0], got[1], "GET: direct vs reqwest");
        assert!(got[0].1.is_empty());
    }

    #[tokio::test]
    async fn bodies_in_many_chunks_are_joined() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}/v1", listener.local_addr().expect("addr"));
        let parts = [r#"{"id":"x","#, r#""list":[1,2,"#, r#"3]}"#];
        tokio::spawn(async move {
            while let Ok((mut conn, _)) = listener.accept().await {
                let mut buf = [0u8; 8192];
                let _ = conn.read(&mut buf).await;
                let _ = conn
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n")
                    .await;
                for p in parts {
                    let _ = conn
                        .write_all(format!("{:x}\r\n{p}\r\n", p.len()).as_bytes())
                        .await;
                    let _ = conn.flush().await;
                    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                }
                let _ = conn.write_all(b"0\r\n\r\n").await;
            }
        });
        for direct in [true, false] {
            let up = upstream(&base, direct);
            let resp = up.get("/models").await.expect("sent");
            let v: serde_json::Value = up.json(resp).await.expect("joined");
            assert_eq!(
                v,
                serde_json::json!({"id": "x", "list": [1, 2, 3]}),
                "direct {direct}"
            );
        }
    }

    #[tokio::test]
    async fn refused_connections_are_connect_errors_either_way() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}/v1", listener.local_addr().expect("addr"));
        drop(listener);
        for direct in [true, false] {
            let e = upstream(&base, direct)
                .post("/chat/completions", &serde_json::json!({}), false)
                .await
                .expect_err("refused");
            assert!(
                matches!(
                    e,
                    Error::Network {
                        kind: NetworkErrorKind::Connect,
                        ..
                    }
                ),
                "direct {direct}: {e:?}"
            );
            assert!(!format!("{e} {e:?}").contains("sk-test-key"));
        }
    }

    /// A TLS server on loopback with a fresh self-signed certificate for
    /// `localhost`, answering each connection's request with `{"tls":true}`.
    async fn tls_server() -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let key =
            rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("certificate");
        let cert = key.cert.der().clone();
        let private = rustls::pki_types::PrivateKeyDer::Pkcs8(
            rustls::pki_types::PrivatePkcs8KeyDer::from(key.signing_key.serialize_der()),
        );
        let config = rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert], private)
        .expect("server config");
        let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(conn).await else {
                        return;
                    };
                    let mut buf = [0u8; 8192];
                    let _ = tls.read(&mut buf).await;
                    let body = br#"{"tls":true}"#;
                    let head = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = tls.write_all(head.as_bytes()).await;
                    let _ = tls.write_all(body).await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        format!("https://localhost:{port}/v1")
    }

    #[tokio::test]
    async fn tls_upstreams_are_verified_unless_told_not_to() {
        let base = tls_server().await;
        let key = SecretString::from("sk-test-key");
        let with = |verify_tls: bool| {
            let client = HttpClient::new(&NetworkConfig {
                verify_tls,
                ..NetworkConfig::default()
            })
            .expect("client");
            let mut up = Upstream::new(
                "p",
                "test",
                &base,
                Some(&key),
                &AuthStyle::Bearer,
                &[],
                &[],
                client,
            )
            .expect("valid upstream");
            // The direct transport's TLS, whatever proxy the environment sets.
            up.direct = true;
            up
        };
        // A self-signed certificate is refused by default, before any
        // request (and so the key) is sent.
        let e = with(true).get("/models").await.expect_err("unknown issuer");
        assert!(
            matches!(
                e,
                Error::Network {
                    kind: NetworkErrorKind::Connect,
                    ..
                }
            ),
            "{e:?}"
        );
        let up = with(false);
        let resp = up
            .get("/models")
            .await
            .expect("accepted without verification");
        let v: serde_json::Value = up.json(resp).await.expect("json");
        assert_eq!(v, serde_json::json!({"tls": true}));
    }

    #[test]
    fn only_upstreams_no_proxy_applies_to_are_reached_directly() {
        let url = |s: &str| reqwest::Url::parse(s).expect("url");
        let none = Matcher::builder().build();
        assert!(reached_directly(&url("http://10.0.0.1:8080/v1"), &none));
        assert!(reached_directly(&url("https://api.openai.com/v1"), &none));
        let http_only = Matcher::builder().http("http://127.0.0.1:3128").build();
        assert!(!reached_directly(
            &url("http://10.0.0.1:8080/v1"),
            &http_only
        ));
        assert!(reached_directly(
            &url("https://api.openai.com/v1"),
            &http_only
        ));
        let all = Matcher::builder()
            .all("http://127.0.0.1:3128")
            .no("internal.example")
            .build();
        assert!(!reached_directly(&url("https://api.openai.com/v1"), &all));
        assert!(reached_directly(&url("http://internal.example/v1"), &all));
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
