//! The whole stack over real HTTP on loopback: provider faults scripted in
//! a fake upstream, absorbed (or not) by the layers in front of the real
//! OpenAI and Anthropic providers.

use std::sync::Arc;
use std::time::Duration;

use deepsentinel_core::{Error, Provider};
use deepsentinel_providers::testing::{FakeUpstream, Reply};
use deepsentinel_providers::{
    AnthropicConfig, AnthropicProvider, AttemptTimeoutConfig, BreakerConfig, FallbackTarget,
    HttpClient, NetworkConfig, OpenAiConfig, OpenAiProvider, RetryConfig, StackBuilder,
};
use futures_util::StreamExt;
use secrecy::SecretString;

use crate::suite::{fixture, request};

fn openai(fake: &FakeUpstream, client: &HttpClient) -> Arc<dyn Provider> {
    let mut cfg = OpenAiConfig::openai(SecretString::from("sk-test"));
    cfg.base_url = fake.url("/v1");
    Arc::new(OpenAiProvider::new(&cfg, client.clone()).expect("valid"))
}

fn anthropic(fake: &FakeUpstream, client: &HttpClient) -> Arc<dyn Provider> {
    let mut cfg = AnthropicConfig::new(SecretString::from("sk-ant-test"));
    cfg.base_url = fake.url("");
    Arc::new(AnthropicProvider::new(&cfg, client.clone()).expect("valid"))
}

fn retry() -> RetryConfig {
    RetryConfig {
        max_attempts: 4,
        base_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        budget: None,
        seed: Some(7),
        ..RetryConfig::default()
    }
}

#[tokio::test]
async fn a_5xx_burst_is_retried_until_it_passes() {
    let fake = FakeUpstream::start().await.expect("bind");
    fake.push([
        Reply::json(503, "{}"),
        Reply::json(500, "{}"),
        Reply::json(200, fixture("openai", "complete.json")),
    ]);
    let client = HttpClient::new(&NetworkConfig::default()).expect("client");
    let mut b = StackBuilder::new("openai");
    b.endpoint(openai(&fake, &client)).retry(Some(retry()));
    let stack = b.build().expect("valid");
    let r = stack
        .complete(&request())
        .await
        .expect("third attempt succeeds");
    assert_eq!(r.meta.attempts, 3);
    assert_eq!(fake.requests().len(), 3);
}

#[tokio::test]
async fn retry_after_ms_from_a_429_is_waited_for() {
    let fake = FakeUpstream::start().await.expect("bind");
    fake.push([
        Reply::json(429, fixture("openai", "error_429.json")).header("retry-after-ms", "300"),
        Reply::json(200, fixture("openai", "complete.json")),
    ]);
    let client = HttpClient::new(&NetworkConfig::default()).expect("client");
    let mut b = StackBuilder::new("openai");
    b.endpoint(openai(&fake, &client)).retry(Some(retry()));
    let stack = b.build().expect("valid");
    let t = tokio::time::Instant::now();
    stack
        .complete(&request())
        .await
        .expect("second attempt succeeds");
    assert!(
        t.elapsed() >= Duration::from_millis(300),
        "waited {:?}",
        t.elapsed()
    );
    assert_eq!(fake.requests().len(), 2);
}

#[tokio::test]
async fn client_errors_are_not_retried_or_sent_elsewhere() {
    let primary = FakeUpstream::start().await.expect("bind");
    let secondary = FakeUpstream::start().await.expect("bind");
    primary.push([
        Reply::json(401, fixture("openai", "error_401.json")),
        Reply::json(400, fixture("openai", "error_400.json")),
    ]);
    secondary.fallback(Reply::json(200, fixture("anthropic", "complete.json")));
    let client = HttpClient::new(&NetworkConfig::default()).expect("client");
    let mut b = StackBuilder::new("openai");
    b.endpoint(openai(&primary, &client))
        .retry(Some(retry()))
        .fallback(
            anthropic(&secondary, &client),
            FallbackTarget::model("claude-sonnet-4-5"),
        );
    let stack = b.build().expect("valid");
    let e = stack.complete(&request()).await.expect_err("401");
    assert!(matches!(e, Error::Authentication { .. }), "{e:?}");
    let e = stack.complete(&request()).await.expect_err("400");
    assert!(matches!(e, Error::InvalidRequest { .. }), "{e:?}");
    assert_eq!(primary.requests().len(), 2, "one attempt each");
    assert!(
        secondary.requests().is_empty(),
        "no fallback on client errors"
    );
}

#[tokio::test]
async fn a_dead_primary_falls_back_to_anthropic_with_the_mapped_model() {
    let primary = FakeUpstream::start().await.expect("bind");
    let secondary = FakeUpstream::start().await.expect("bind");
    primary.fallback(Reply::reset());
    secondary.push([
        Reply::json(200, fixture("anthropic", "complete.json")),
        Reply::sse(fixture("anthropic", "stream.sse"), 11),
    ]);
    let client = HttpClient::new(&NetworkConfig::default()).expect("client");
    let mut b = StackBuilder::new("openai");
    b.endpoint(openai(&primary, &client))
        .retry(Some(RetryConfig {
            max_attempts: 2,
            ..retry()
        }))
        .breaker(Some(BreakerConfig {
            consecutive_failures: 2,
            ..BreakerConfig::default()
        }))
        .fallback(
            anthropic(&secondary, &client),
            FallbackTarget::model("claude-haiku-4-5").map("gpt-4o-mini", "claude-sonnet-4-5"),
        );
    let stack = b.build().expect("valid");
    let r = stack.complete(&request()).await.expect("anthropic serves");
    assert_eq!(r.meta.provider, "anthropic");
    assert_eq!(r.meta.model, "claude-sonnet-4-5");
    assert_eq!(r.meta.fallback_index, 1);
    assert_eq!(secondary.requests()[0].json()["model"], "claude-sonnet-4-5");
    assert_eq!(
        primary.requests().len(),
        2,
        "two attempts before falling back"
    );
    // The primary's breaker is now open: the stream goes straight to the fallback.
    let s = stack.stream(&request()).await.expect("fallback streams");
    assert_eq!(s.meta.provider, "anthropic");
    let text: String = s
        .map(|c| c.expect("ok").text())
        .collect::<Vec<_>>()
        .await
        .concat();
    assert!(text.starts_with("Hello!"), "{text}");
    assert_eq!(
        primary.requests().len(),
        2,
        "the open breaker kept the primary out"
    );
}

#[tokio::test]
async fn a_slow_first_byte_is_cut_by_the_attempt_timeout_and_retried() {
    let fake = FakeUpstream::start().await.expect("bind");
    fake.push([
        Reply::json(200, fixture("openai", "complete.json")).delay(Duration::from_secs(5)),
        Reply::json(200, fixture("openai", "complete.json")),
    ]);
    let client = HttpClient::new(&NetworkConfig::default()).expect("client");
    let mut b = StackBuilder::new("openai");
    b.endpoint(openai(&fake, &client))
        .retry(Some(retry()))
        .attempt_timeout(Some(AttemptTimeoutConfig {
            attempt: Some(Duration::from_millis(200)),
            first_chunk: Some(Duration::from_millis(200)),
            idle: None,
        }));
    let stack = b.build().expect("valid");
    let t = tokio::time::Instant::now();
    let r = stack
        .complete(&request())
        .await
        .expect("the retry succeeds");
    assert_eq!(r.meta.attempts, 2);
    assert!(
        t.elapsed() < Duration::from_secs(4),
        "did not wait for the slow reply: {:?}",
        t.elapsed()
    );
}

#[tokio::test]
async fn a_stream_cut_after_its_first_chunk_is_not_retried() {
    let fake = FakeUpstream::start().await.expect("bind");
    let body = fixture("openai", "stream.sse");
    let cut = body.find("\"content\":\"!\"").expect("second chunk") + 3;
    fake.push([
        Reply::sse(body.clone(), 16).cut_after(cut),
        Reply::sse(body, 16),
    ]);
    let client = HttpClient::new(&NetworkConfig::default()).expect("client");
    let mut b = StackBuilder::new("openai");
    b.endpoint(openai(&fake, &client)).retry(Some(retry()));
    let stack = b.build().expect("valid");
    let items: Vec<_> = stack
        .stream(&request())
        .await
        .expect("starts")
        .collect()
        .await;
    assert!(items[0].is_ok());
    assert!(
        matches!(items.last(), Some(Err(Error::Network { .. }))),
        "{items:?}"
    );
    assert_eq!(
        fake.requests().len(),
        1,
        "bytes already reached the caller: no retry"
    );
}

fn runtime(current_thread: bool) -> tokio::runtime::Runtime {
    let mut b = if current_thread {
        tokio::runtime::Builder::new_current_thread()
    } else {
        tokio::runtime::Builder::new_multi_thread()
    };
    b.worker_threads(2).enable_all().build().expect("runtime")
}

/// Connections belong to the event loop that opened them: two threads
/// each running a current-thread runtime get a pool each (no request is
/// sent over another loop's connection), while a multi-threaded runtime
/// shares one pool between its workers.
#[test]
fn each_current_thread_event_loop_pools_its_own_connections() {
    let server = runtime(false);
    let fake = Arc::new(server.block_on(FakeUpstream::start()).expect("bind"));
    fake.fallback(Reply::json(200, fixture("openai", "complete.json")));
    let client = HttpClient::new(&NetworkConfig::default()).expect("client");
    let provider = openai(&fake, &client);

    // Thread A calls once and keeps its event loop running (its
    // connection idle in its pool) while thread B calls twice.
    let (called, called_rx) = std::sync::mpsc::channel();
    let (finish, finish_rx) = tokio::sync::oneshot::channel::<()>();
    let a = {
        let provider = provider.clone();
        std::thread::spawn(move || {
            runtime(true).block_on(async {
                provider.complete(&request()).await.expect("A completes");
                called.send(()).expect("main waits");
                let _ = finish_rx.await;
            });
        })
    };
    called_rx.recv().expect("A called");
    let b = {
        let provider = provider.clone();
        std::thread::spawn(move || {
            runtime(true).block_on(async {
                for _ in 0..2 {
                    provider.complete(&request()).await.expect("B completes");
                }
            });
        })
    };
    b.join().expect("B ends");
    let _ = finish.send(());
    a.join().expect("A ends");
    assert_eq!(
        fake.connections(),
        2,
        "one connection per event loop, reused within it"
    );

    runtime(false).block_on(async {
        for _ in 0..3 {
            provider.complete(&request()).await.expect("completes");
            // hyper-util hands a connection whose response was read back to
            // the pool from a task of its own, here on another worker
            // thread; a request sent before that task ran would open a
            // second connection whatever the pooling. Let it run.
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    });
    assert_eq!(
        fake.connections(),
        3,
        "a multi-threaded runtime shares one pool"
    );
}
