//! One behaviour suite stamped onto every HTTP provider, run against
//! real-format fixtures (`testdata/providers/<dir>/`) served by a fake
//! upstream on loopback, plus each provider's own cases.

use std::sync::Arc;
use std::time::Duration;

use deepsentinel_core::chat::{ChatChunk, FunctionDef, Nullable, StreamOptions, Tool};
use deepsentinel_core::{
    ChatRequest, Error, Message, NetworkErrorKind, Provider, RateLimitOrigin, TimeoutPhase,
};
use deepsentinel_providers::testing::{FakeUpstream, RecordedRequest, Reply};
use deepsentinel_providers::{
    AnthropicConfig, AnthropicProvider, HttpClient, NetworkConfig, OpenAiConfig, OpenAiProvider,
};
use futures_util::StreamExt;
use secrecy::SecretString;

const KEY: &str = "sk-test-SECRET-key-0123456789";
const TEXT: &str = "Hello! How can I help you today? 👋 Ça va?";

/// What differs between providers.
pub(crate) struct Kind {
    dir: &'static str,
    /// The chat endpoint's request target (path and query).
    chat_target: &'static str,
    models_target: &'static str,
    make: fn(&FakeUpstream, NetworkConfig) -> Arc<dyn Provider>,
    check_auth: fn(&RecordedRequest),
}

fn key() -> SecretString {
    SecretString::from(KEY)
}

fn client(net: &NetworkConfig) -> HttpClient {
    HttpClient::new(net).expect("valid network config")
}

pub(crate) fn openai() -> Kind {
    Kind {
        dir: "openai",
        chat_target: "/v1/chat/completions",
        models_target: "/v1/models",
        make: |f, net| {
            let mut cfg = OpenAiConfig::openai(key());
            cfg.base_url = f.url("/v1");
            Arc::new(OpenAiProvider::new(&cfg, client(&net)).expect("valid"))
        },
        check_auth: |r| {
            assert_eq!(
                r.header("authorization"),
                Some(format!("Bearer {KEY}").as_str())
            )
        },
    }
}

pub(crate) fn compatible() -> Kind {
    Kind {
        dir: "openai",
        chat_target: "/openai/deployments/my-deploy/chat/completions?api-version=2024-10-21",
        models_target: "/openai/deployments/my-deploy/models?api-version=2024-10-21",
        make: |f, net| {
            let cfg = OpenAiConfig::azure(&f.url(""), "my-deploy", "2024-10-21", key());
            Arc::new(OpenAiProvider::new(&cfg, client(&net)).expect("valid"))
        },
        check_auth: |r| {
            assert_eq!(r.header("api-key"), Some(KEY));
            assert_eq!(r.header("authorization"), None);
        },
    }
}

pub(crate) fn anthropic() -> Kind {
    Kind {
        dir: "anthropic",
        chat_target: "/v1/messages",
        models_target: "/v1/models",
        make: |f, net| {
            let mut cfg = AnthropicConfig::new(key());
            cfg.base_url = f.url("");
            Arc::new(AnthropicProvider::new(&cfg, client(&net)).expect("valid"))
        },
        check_auth: |r| {
            assert_eq!(r.header("x-api-key"), Some(KEY));
            assert_eq!(r.header("anthropic-version"), Some("2023-06-01"));
        },
    }
}

pub(crate) fn fixture(dir: &str, name: &str) -> String {
    let path = format!(
        "{}/../../testdata/providers/{dir}/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

pub(crate) async fn setup(kind: &Kind) -> (FakeUpstream, Arc<dyn Provider>) {
    setup_with(kind, NetworkConfig::default()).await
}

pub(crate) async fn setup_with(
    kind: &Kind,
    net: NetworkConfig,
) -> (FakeUpstream, Arc<dyn Provider>) {
    let fake = FakeUpstream::start().await.expect("bind loopback");
    let p = (kind.make)(&fake, net);
    (fake, p)
}

pub(crate) fn request() -> ChatRequest {
    let mut r = ChatRequest::new(
        "gpt-4o-mini",
        vec![Message::system("Be kind."), Message::user("Hi!")],
    );
    r.max_tokens = Some(64);
    r
}

fn tool_request() -> ChatRequest {
    let mut r = request();
    r.tools = Some(vec![Tool::function(FunctionDef {
        name: "get_weather".into(),
        description: Some("Weather for a city".into()),
        parameters: Some(
            serde_json::json!({"type": "object", "properties": {"city": {"type": "string"}}}),
        ),
        strict: None,
        extra: Default::default(),
    })]);
    r
}

async fn collect(s: deepsentinel_core::ChatStream) -> Vec<Result<ChatChunk, Error>> {
    s.collect().await
}

fn finish_reasons(chunks: &[ChatChunk]) -> Vec<String> {
    chunks
        .iter()
        .flat_map(|c| c.choices.iter())
        .filter_map(|c| c.finish_reason.value().cloned())
        .collect()
}

pub(crate) async fn complete_text(kind: Kind) {
    let (fake, p) = setup(&kind).await;
    fake.push([Reply::json(200, fixture(kind.dir, "complete.json"))]);
    let r = p.complete(&request()).await.expect("completes");
    assert_eq!(r.text(), TEXT);
    assert_eq!(r.choices[0].finish_reason, Nullable::Value("stop".into()));
    let u = r.usage.value().expect("usage");
    assert_eq!(
        (u.prompt_tokens, u.completion_tokens, u.total_tokens),
        (12, 9, 21)
    );
    assert_eq!(r.meta.provider, p.name());
    assert_eq!(r.meta.model, "gpt-4o-mini");
    let reqs = fake.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].method, "POST");
    assert_eq!(reqs[0].target, kind.chat_target);
    (kind.check_auth)(&reqs[0]);
    let body = reqs[0].json();
    assert_eq!(body["model"], "gpt-4o-mini");
    assert_eq!(body["max_tokens"], 64);
    assert!(body.get("stream").is_none_or(|s| s == false), "{body}");
}

pub(crate) async fn complete_tool_call(kind: Kind) {
    let (fake, p) = setup(&kind).await;
    fake.push([Reply::json(200, fixture(kind.dir, "complete_tools.json"))]);
    let r = p.complete(&tool_request()).await.expect("completes");
    let calls = r.choices[0]
        .message
        .tool_calls
        .as_ref()
        .expect("a tool call");
    assert_eq!(calls[0].function.name, "get_weather");
    let args: serde_json::Value =
        serde_json::from_str(&calls[0].function.arguments).expect("JSON arguments");
    assert_eq!(args, serde_json::json!({"city": "Paris"}));
    assert_eq!(
        r.choices[0].finish_reason,
        Nullable::Value("tool_calls".into())
    );
    let body = fake.requests()[0].json();
    assert!(body["tools"].to_string().contains("get_weather"), "{body}");
}

pub(crate) async fn stream_text_survives_any_split(kind: Kind) {
    for piece in [1, 2, 3, 7, 4096] {
        let (fake, p) = setup(&kind).await;
        fake.push([Reply::sse(fixture(kind.dir, "stream.sse"), piece)]);
        let mut req = request();
        req.stream_options = Some(StreamOptions {
            include_usage: Some(true),
            extra: Default::default(),
        });
        let s = p.stream(&req).await.expect("stream starts");
        assert_eq!(s.meta.provider, p.name());
        let chunks: Vec<ChatChunk> = collect(s)
            .await
            .into_iter()
            .map(|c| c.expect("no error"))
            .collect();
        let text: String = chunks.iter().map(ChatChunk::text).collect();
        assert_eq!(text, TEXT, "pieces of {piece}");
        assert_eq!(finish_reasons(&chunks), ["stop"]);
        let last = chunks.last().expect("chunks");
        assert_eq!(
            last.usage.value().map(|u| u.completion_tokens),
            Some(9),
            "usage chunk last"
        );
        let body = fake.requests()[0].json();
        assert_eq!(body["stream"], true);
        (kind.check_auth)(&fake.requests()[0]);
    }
}

pub(crate) async fn stream_tool_call(kind: Kind) {
    let (fake, p) = setup(&kind).await;
    fake.push([Reply::sse(fixture(kind.dir, "stream_tools.sse"), 5)]);
    let chunks: Vec<ChatChunk> = collect(p.stream(&tool_request()).await.expect("starts"))
        .await
        .into_iter()
        .map(|c| c.expect("ok"))
        .collect();
    let deltas: Vec<_> = chunks
        .iter()
        .flat_map(|c| c.choices.iter())
        .flat_map(|c| c.delta.tool_calls.iter().flatten())
        .collect();
    assert_eq!(
        deltas[0].function.as_ref().and_then(|f| f.name.as_deref()),
        Some("get_weather")
    );
    assert!(deltas[0].id.is_some());
    let args: String = deltas
        .iter()
        .filter_map(|d| d.function.as_ref()?.arguments.clone())
        .collect();
    let args: serde_json::Value = serde_json::from_str(&args).expect("arguments JSON");
    assert_eq!(args, serde_json::json!({"city": "Paris"}));
    assert_eq!(finish_reasons(&chunks), ["tool_calls"]);
}

pub(crate) async fn status_errors_are_typed(kind: Kind) {
    let (fake, p) = setup(&kind).await;
    fake.push([
        Reply::json(400, fixture(kind.dir, "error_400.json")),
        Reply::json(401, fixture(kind.dir, "error_401.json")),
        Reply::json(429, fixture(kind.dir, "error_429.json")).header("retry-after", "2"),
        Reply::json(500, "{}"),
        Reply::json(501, "{}"),
        Reply::json(503, "<html>oops</html>")
            .header("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"),
    ]);
    let req = request();
    let e = p.complete(&req).await.expect_err("400");
    assert!(matches!(e, Error::InvalidRequest { .. }), "{e:?}");
    assert!(!e.allows_fallback() && !e.is_retryable());
    let e = p.complete(&req).await.expect_err("401");
    assert!(
        matches!(
            e,
            Error::Authentication {
                status: Some(401),
                ..
            }
        ),
        "{e:?}"
    );
    let e = p.complete(&req).await.expect_err("429");
    assert!(
        matches!(e, Error::RateLimit { origin: RateLimitOrigin::Upstream, retry_after: Some(d), .. } if d == Duration::from_secs(2)),
        "{e:?}"
    );
    let e = p.complete(&req).await.expect_err("500");
    assert!(e.is_retryable() && e.is_endpoint_failure(), "{e:?}");
    let e = p.complete(&req).await.expect_err("501");
    assert!(!e.is_retryable(), "{e:?}");
    let e = p.complete(&req).await.expect_err("503");
    assert!(e.is_retryable(), "{e:?}");
    assert_eq!(
        e.retry_after(),
        Some(Duration::ZERO),
        "a past HTTP-date means now"
    );
    // Streams get the same mapping before the first chunk.
    fake.push([Reply::json(401, fixture(kind.dir, "error_401.json"))]);
    let e = p.stream(&req).await.expect_err("401 on a stream");
    assert_eq!(e.label(), "authentication");
}

pub(crate) async fn malformed_bodies_are_typed(kind: Kind) {
    let (fake, p) = setup(&kind).await;
    fake.push([
        Reply::json(200, "{\"id\": \"x\", \"choices\": [tru"),
        Reply::json(200, "[]"),
    ]);
    for _ in 0..2 {
        let e = p.complete(&request()).await.expect_err("malformed");
        assert!(
            matches!(&e, Error::Provider { code: Some(c), .. } if c == "malformed_response"),
            "{e:?}"
        );
    }
    fake.push([Reply::sse("data: {\"choices\": [\n\n", 3)]);
    let items = collect(p.stream(&request()).await.expect("starts")).await;
    assert_eq!(items.len(), 1);
    assert!(
        matches!(&items[0], Err(Error::Provider { code: Some(c), .. }) if c == "malformed_response"),
        "{items:?}"
    );
}

pub(crate) async fn stream_cut_mid_event_ends_in_one_error(kind: Kind) {
    let body = fixture(kind.dir, "stream.sse");
    // Cut inside the second-to-last event's data.
    let cut = body[..body.len() - 20].rfind("data:").expect("events") + 12;
    let (fake, p) = setup(&kind).await;
    fake.push([Reply::sse(body, 9).cut_after(cut)]);
    let items = collect(p.stream(&request()).await.expect("starts")).await;
    let (last, rest) = items.split_last().expect("items");
    assert!(rest.iter().all(Result::is_ok), "only the last item fails");
    assert!(!rest.is_empty(), "chunks before the cut arrive");
    assert!(
        matches!(
            last,
            Err(Error::Network {
                kind: NetworkErrorKind::Body,
                ..
            })
        ),
        "a cut stream is a body error: {last:?}"
    );
    assert!(last.as_ref().err().is_some_and(Error::is_retryable));
}

pub(crate) async fn reset_before_answer_is_a_network_error(kind: Kind) {
    let (fake, p) = setup(&kind).await;
    fake.push([Reply::reset(), Reply::reset()]);
    let e = p.complete(&request()).await.expect_err("reset");
    assert_eq!(e.label(), "network", "{e:?}");
    assert!(e.is_retryable());
    let e = p.stream(&request()).await.expect_err("reset");
    assert_eq!(e.label(), "network", "{e:?}");
}

pub(crate) async fn slow_first_byte_times_out(kind: Kind) {
    let net = NetworkConfig {
        read_timeout: Duration::from_millis(150),
        ..NetworkConfig::default()
    };
    let (fake, p) = setup_with(&kind, net).await;
    fake.push([Reply::json(200, fixture(kind.dir, "complete.json")).delay(Duration::from_secs(2))]);
    let e = p.complete(&request()).await.expect_err("times out");
    assert!(
        matches!(
            e,
            Error::Timeout {
                phase: TimeoutPhase::FirstByte,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.is_retryable());
    // A stream whose events stall longer than the read timeout.
    fake.push([Reply::sse(fixture(kind.dir, "stream.sse"), 64).pace(Duration::from_secs(2))]);
    let items = collect(p.stream(&request()).await.expect("starts")).await;
    let last = items.last().expect("items");
    assert!(
        matches!(
            last,
            Err(Error::Timeout {
                phase: TimeoutPhase::Idle,
                ..
            })
        ),
        "{last:?}"
    );
}

pub(crate) async fn models_are_listed(kind: Kind) {
    let (fake, p) = setup(&kind).await;
    fake.push([Reply::json(200, fixture(kind.dir, "models.json"))]);
    let m = p.models().await.expect("lists");
    assert!(m.data.len() >= 2);
    assert!(m.data.iter().all(|m| !m.id.is_empty()));
    let reqs = fake.requests();
    assert_eq!(
        (reqs[0].method.as_str(), reqs[0].target.as_str()),
        ("GET", kind.models_target)
    );
    (kind.check_auth)(&reqs[0]);
}

pub(crate) async fn secrets_never_shown(kind: Kind) {
    let (fake, p) = setup(&kind).await;
    fake.push([
        Reply::json(401, fixture(kind.dir, "error_401.json")),
        Reply::reset(),
    ]);
    let e1 = p.complete(&request()).await.expect_err("401");
    let e2 = p.complete(&request()).await.expect_err("reset");
    for shown in [format!("{e1} {e1:?}"), format!("{e2} {e2:?}")] {
        assert!(!shown.contains(KEY) && !shown.contains("SECRET"), "{shown}");
        assert!(!shown.contains("127.0.0.1"), "no URL in errors: {shown}");
    }
}

pub(crate) async fn servers_closing_after_each_response_are_fine(kind: Kind) {
    let (fake, p) = setup(&kind).await;
    fake.close_after_each(true);
    fake.fallback(Reply::json(200, fixture(kind.dir, "complete.json")));
    for _ in 0..3 {
        assert_eq!(
            p.complete(&request()).await.expect("completes").text(),
            TEXT
        );
    }
    assert_eq!(fake.connections(), 3);
}

pub(crate) async fn connections_are_reused(kind: Kind) {
    let (fake, p) = setup(&kind).await;
    fake.fallback(Reply::json(200, fixture(kind.dir, "complete.json")));
    for _ in 0..5 {
        p.complete(&request()).await.expect("completes");
    }
    assert_eq!(
        fake.connections(),
        1,
        "keep-alive pool reuses one connection"
    );
}

/// A burst of concurrent requests opens a connection each; with the
/// default pool they all stay open for the next burst (a gateway under a
/// steady 100+ concurrent load must not reconnect per request).
pub(crate) async fn bursts_reuse_their_connections(kind: Kind) {
    const BURST: usize = 100;
    let (fake, p) = setup(&kind).await;
    fake.fallback(
        Reply::json(200, fixture(kind.dir, "complete.json"))
            .delay(std::time::Duration::from_millis(100)),
    );
    let burst = || {
        futures_util::future::join_all((0..BURST).map(|_| {
            let p = p.clone();
            async move { p.complete(&request()).await.expect("completes") }
        }))
    };
    burst().await;
    let opened = fake.connections();
    assert!(opened >= BURST / 2, "the burst ran concurrently: {opened}");
    burst().await;
    assert_eq!(fake.connections(), opened, "the second burst reconnected");
}

pub(crate) async fn rate_limit_headers_are_exposed(kind: Kind) {
    let (fake, p) = setup(&kind).await;
    let reply = Reply::json(200, fixture(kind.dir, "complete.json"));
    let reply = if kind.dir == "anthropic" {
        reply
            .header("anthropic-ratelimit-requests-limit", "50")
            .header("anthropic-ratelimit-requests-remaining", "49")
            .header("anthropic-ratelimit-requests-reset", "2099-01-01T00:00:00Z")
    } else {
        reply
            .header("x-ratelimit-limit-requests", "50")
            .header("x-ratelimit-remaining-requests", "49")
            .header("x-ratelimit-reset-requests", "1m30s")
    };
    fake.push([
        reply,
        Reply::json(200, fixture(kind.dir, "complete.json"))
            .header("x-ratelimit-limit-requests", "bogus"),
    ]);
    let r = p.complete(&request()).await.expect("completes");
    let info = r.meta.rate_limits.expect("rate limits");
    assert_eq!(
        (info.requests_limit, info.requests_remaining),
        (Some(50), Some(49))
    );
    assert!(
        info.requests_reset
            .is_some_and(|d| d >= Duration::from_secs(60))
    );
    let r = p
        .complete(&request())
        .await
        .expect("a bad header never fails the request");
    assert_eq!(r.text(), TEXT);
}

macro_rules! provider_suite {
    ($name:ident, $kind:expr) => {
        mod $name {
            #[tokio::test]
            async fn complete_text() {
                super::complete_text($kind).await;
            }
            #[tokio::test]
            async fn complete_tool_call() {
                super::complete_tool_call($kind).await;
            }
            #[tokio::test]
            async fn stream_text_survives_any_split() {
                super::stream_text_survives_any_split($kind).await;
            }
            #[tokio::test]
            async fn stream_tool_call() {
                super::stream_tool_call($kind).await;
            }
            #[tokio::test]
            async fn status_errors_are_typed() {
                super::status_errors_are_typed($kind).await;
            }
            #[tokio::test]
            async fn malformed_bodies_are_typed() {
                super::malformed_bodies_are_typed($kind).await;
            }
            #[tokio::test]
            async fn stream_cut_mid_event_ends_in_one_error() {
                super::stream_cut_mid_event_ends_in_one_error($kind).await;
            }
            #[tokio::test]
            async fn reset_before_answer_is_a_network_error() {
                super::reset_before_answer_is_a_network_error($kind).await;
            }
            #[tokio::test]
            async fn slow_first_byte_times_out() {
                super::slow_first_byte_times_out($kind).await;
            }
            #[tokio::test]
            async fn models_are_listed() {
                super::models_are_listed($kind).await;
            }
            #[tokio::test]
            async fn secrets_never_shown() {
                super::secrets_never_shown($kind).await;
            }
            #[tokio::test]
            async fn servers_closing_after_each_response_are_fine() {
                super::servers_closing_after_each_response_are_fine($kind).await;
            }
            #[tokio::test]
            async fn connections_are_reused() {
                super::connections_are_reused($kind).await;
            }
            #[tokio::test]
            async fn bursts_reuse_their_connections() {
                super::bursts_reuse_their_connections($kind).await;
            }
            #[tokio::test]
            async fn rate_limit_headers_are_exposed() {
                super::rate_limit_headers_are_exposed($kind).await;
            }
        }
    };
}

provider_suite!(openai_suite, super::openai());
provider_suite!(compatible_suite, super::compatible());
provider_suite!(anthropic_suite, super::anthropic());

// Provider-specific cases.

#[tokio::test]
async fn openai_minimal_chunks_without_done_are_accepted() {
    let kind = openai();
    let (fake, p) = setup(&kind).await;
    fake.push([Reply::sse(fixture("openai", "stream_minimal.sse"), 4)]);
    let chunks: Vec<ChatChunk> = collect(p.stream(&request()).await.expect("starts"))
        .await
        .into_iter()
        .map(|c| c.expect("ok"))
        .collect();
    assert_eq!(chunks.iter().map(ChatChunk::text).collect::<String>(), TEXT);
    assert_eq!(finish_reasons(&chunks), ["stop"]);
}

#[tokio::test]
async fn openai_stream_closed_before_finishing_is_an_error() {
    let kind = openai();
    let (fake, p) = setup(&kind).await;
    fake.push([Reply::sse(
        "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n",
        8,
    )]);
    let items = collect(p.stream(&request()).await.expect("starts")).await;
    assert_eq!(items.len(), 2);
    assert!(
        matches!(
            items[1],
            Err(Error::Network {
                kind: NetworkErrorKind::Body,
                ..
            })
        ),
        "{items:?}"
    );
}

#[tokio::test]
async fn openai_embeddings() {
    let kind = openai();
    let (fake, p) = setup(&kind).await;
    fake.push([Reply::json(200, fixture("openai", "embeddings.json"))]);
    let req = serde_json::from_value(
        serde_json::json!({"model": "text-embedding-3-small", "input": "hello"}),
    )
    .expect("valid");
    let r = p.embed(&req).await.expect("embeds");
    assert_eq!(r.data.len(), 1);
    assert_eq!(r.meta.provider, "openai");
    assert_eq!(fake.requests()[0].target, "/v1/embeddings");
}

#[tokio::test]
async fn anthropic_request_body_is_in_messages_format() {
    let kind = anthropic();
    let (fake, p) = setup(&kind).await;
    fake.push([Reply::json(200, fixture("anthropic", "complete.json"))]);
    let mut req = request();
    req.max_tokens = None;
    p.complete(&req).await.expect("completes");
    let body = fake.requests()[0].json();
    assert_eq!(body["system"], "Be kind.");
    assert_eq!(
        body["max_tokens"], 4096,
        "the default output limit is filled in"
    );
    assert_eq!(
        body["messages"],
        serde_json::json!([{"role": "user", "content": "Hi!"}])
    );
}

#[tokio::test]
async fn anthropic_overloaded_is_retryable_before_and_during_a_stream() {
    let kind = anthropic();
    let (fake, p) = setup(&kind).await;
    fake.push([
        Reply::json(529, fixture("anthropic", "error_529.json")),
        Reply::sse(fixture("anthropic", "stream_error.sse"), 16),
    ]);
    let e = p.complete(&request()).await.expect_err("529");
    assert!(
        e.is_retryable() && e.to_string().contains("overloaded_error"),
        "{e}"
    );
    let items = collect(p.stream(&request()).await.expect("starts")).await;
    let last = items.last().expect("items");
    assert!(matches!(last, Err(e) if e.is_retryable()), "{last:?}");
    assert!(items[..items.len() - 1].iter().all(Result::is_ok));
}

#[tokio::test]
async fn anthropic_stream_without_message_stop_is_cut() {
    let kind = anthropic();
    let (fake, p) = setup(&kind).await;
    let body = fixture("anthropic", "stream.sse");
    let end = body.find("event: message_stop").expect("has a stop");
    fake.push([Reply::sse(body[..end].to_owned(), 32)]);
    let items = collect(p.stream(&request()).await.expect("starts")).await;
    assert!(
        matches!(items.last(), Some(Err(Error::Network { .. }))),
        "{items:?}"
    );
}

#[tokio::test]
async fn invalid_configuration_lists_every_problem() {
    let net = NetworkConfig::default();
    let cfg = OpenAiConfig {
        name: String::new(),
        base_url: "ftp://user:pw@example.com/v1?x=1".into(),
        api_key: Some(SecretString::from("bad\nkey")),
        auth: deepsentinel_providers::AuthStyle::Bearer,
        query: vec![],
        headers: vec![("bad header".into(), "v".into())],
    };
    let e = OpenAiProvider::new(&cfg, client(&net)).expect_err("invalid");
    let Error::Config { problems } = &e else {
        panic!("config error: {e:?}")
    };
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "providers..name",
            "providers..base_url",
            "providers..base_url",
            "providers..base_url",
            "providers..headers.bad header",
            "providers..api_key"
        ]
    );
    assert!(!format!("{e} {e:?}").contains("bad\nkey"));
    let mut a = AnthropicConfig::new(SecretString::from(""));
    a.default_max_tokens = 0;
    let e = AnthropicProvider::new(&a, client(&net)).expect_err("invalid");
    assert!(
        e.to_string().contains("api_key") && e.to_string().contains("default_max_tokens"),
        "{e}"
    );
}
