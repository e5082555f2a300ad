use std::sync::Arc;

use deepsentinel_core::Provider;
use deepsentinel_providers::testing::{Outcome, ScriptedProvider};
use deepsentinel_providers::{
    AttemptTimeoutConfig, BreakerConfig, ConcurrencyConfig, FallbackTarget, RateLimitConfig,
    RateLimitMode, RetryConfig, Stack, StackBuilder,
};

use super::*;

fn builder(endpoints: &[&ScriptedProvider]) -> StackBuilder {
    let mut b = StackBuilder::new("openai");
    for p in endpoints {
        b.endpoint(p.arc());
    }
    b.retry(Some(RetryConfig {
        max_attempts: 3,
        base_backoff: ms(100),
        jitter: false,
        budget: None,
        ..RetryConfig::default()
    }))
    .breaker(Some(BreakerConfig {
        consecutive_failures: 2,
        cool_down: secs(30),
        ..BreakerConfig::default()
    }))
    .attempt_timeout(Some(AttemptTimeoutConfig {
        attempt: Some(secs(1)),
        first_chunk: Some(secs(1)),
        idle: Some(secs(1)),
    }))
    .concurrency(Some(ConcurrencyConfig { max_in_flight: 8 }))
    .rate_limit(Some(RateLimitConfig {
        requests_per_minute: Some(100_000),
        tokens_per_minute: None,
        mode: RateLimitMode::FailFast,
    }));
    b
}

#[tokio::test(start_paused = true)]
async fn a_retry_moves_to_the_next_endpoint() {
    let k1 = ScriptedProvider::new("k1").otherwise(Outcome::status(503));
    let k2 = ScriptedProvider::new("k2").otherwise(Outcome::reply("ok"));
    let stack = builder(&[&k1, &k2]).build().expect("valid");
    let r = stack.complete(&req("gpt-4o")).await.expect("k2 serves");
    assert_eq!(r.meta.provider, "k2");
    assert_eq!(r.meta.attempts, 2);
    assert_eq!(r.meta.fallback_index, 0);
    let stats = stack.stats();
    assert_eq!((stats[0].total, stats[0].errors), (1, 1));
    assert_eq!((stats[1].total, stats[1].errors), (1, 0));
}

#[tokio::test(start_paused = true)]
async fn a_failing_provider_falls_back_and_its_breakers_open() {
    let k1 = ScriptedProvider::new("k1").otherwise(Outcome::status(503));
    let k2 = ScriptedProvider::new("k2").otherwise(Outcome::status(502));
    let claude = ScriptedProvider::new("anthropic").otherwise(Outcome::reply("from claude"));
    let stack = builder(&[&k1, &k2])
        .fallback(claude.arc(), FallbackTarget::model("claude-sonnet-4-5"))
        .build()
        .expect("valid");
    for _ in 0..3 {
        let r = stack
            .complete(&req("gpt-4o"))
            .await
            .expect("fallback serves");
        assert_eq!(r.meta.provider, "anthropic");
        assert_eq!(r.meta.model, "claude-sonnet-4-5");
        assert_eq!(r.meta.fallback_index, 1);
    }
    // Two failures each open both breakers during the first two requests;
    // after that the primary answers no_endpoint without calling anyone.
    assert!(
        stack
            .breakers()
            .iter()
            .all(|b| b.state() == deepsentinel_providers::BreakerState::Open)
    );
    assert_eq!(k1.call_count() + k2.call_count(), 4);
    assert_eq!(claude.call_count(), 3);
}

/// Issue 4: every request ends in a response or exactly one typed error,
/// whatever mix of failures the upstream produces; nothing stays in flight.
#[tokio::test(start_paused = true)]
async fn every_request_ends_in_a_response_or_one_typed_error() {
    let mix = |p: ScriptedProvider| {
        (0..40)
            .fold(p, |p, i| {
                p.then(match i % 6 {
                    0 => Outcome::reply("ok"),
                    1 => Outcome::status(503),
                    2 => Outcome::delayed(secs(5), Outcome::reply("late")),
                    3 => Outcome::Fail(upstream_429(Some(ms(100)))),
                    4 => Outcome::status(400),
                    _ => Outcome::Chunks(vec![(ms(10), "a".into()), (secs(3), "b".into())]),
                })
            })
            .otherwise(Outcome::reply("ok"))
    };
    let k1 = mix(ScriptedProvider::new("k1"));
    let k2 = mix(ScriptedProvider::new("k2"));
    let stack: Stack = builder(&[&k1, &k2]).build().expect("valid");
    let provider: Arc<dyn Provider> = stack.provider();
    let calls = (0..60).map(|i| {
        let p = provider.clone();
        tokio::spawn(async move {
            if i % 2 == 0 {
                p.complete(&req("m")).await.map(|r| vec![Ok(r.text())])
            } else {
                match p.stream(&req("m")).await {
                    Ok(s) => Ok(drain(s).await),
                    Err(e) => Err(e),
                }
            }
        })
    });
    let known = ["provider", "timeout", "rate_limit", "invalid_request"];
    let mut ok = 0;
    for h in futures_util::future::join_all(calls).await {
        match h.expect("no task panicked") {
            Ok(items) => {
                ok += 1;
                let errors = items.iter().filter(|i| i.is_err()).count();
                assert!(errors <= 1, "at most one error per stream");
                if errors == 1 {
                    assert!(
                        items.last().is_some_and(Result::is_err),
                        "the error ends it"
                    );
                }
            }
            Err(e) => assert!(known.contains(&e.label()), "{e}"),
        }
    }
    assert!(ok > 0);
    assert_eq!(k1.in_flight() + k2.in_flight(), 0);
    assert!(stack.stats().iter().all(|s| s.in_flight == 0));
    assert!(k1.max_in_flight() + k2.max_in_flight() <= 16);
}

#[test]
fn the_builder_validates_every_layer() {
    let k1 = ScriptedProvider::new("k1");
    let e = builder(&[&k1])
        .retry(Some(RetryConfig {
            max_attempts: 0,
            ..RetryConfig::default()
        }))
        .build()
        .expect_err("zero attempts");
    assert_eq!(e.path(), "retry.max_attempts");
    let e = builder(&[]).build().expect_err("no endpoints");
    assert_eq!(e.path(), "balance.endpoints");
}
