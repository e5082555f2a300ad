use std::sync::Arc;

use deepsentinel_core::{Provider, TimeoutPhase};
use deepsentinel_providers::testing::{Outcome, ScriptedProvider};
use deepsentinel_providers::{
    AttemptTimeoutConfig, AttemptTimeoutLayer, OverallTimeoutConfig, OverallTimeoutLayer,
    ProviderLayer, RetryConfig, RetryLayer, apply,
};
use tokio::time::Instant;

use super::*;

fn attempt(config: AttemptTimeoutConfig, p: &ScriptedProvider) -> Arc<dyn Provider> {
    AttemptTimeoutLayer::new(config)
        .expect("valid")
        .layer(p.arc())
}

#[tokio::test(start_paused = true)]
async fn an_attempt_times_out_at_its_deadline() {
    let p = ScriptedProvider::new("a").then(Outcome::delayed(secs(5), Outcome::reply("late")));
    let t0 = Instant::now();
    let e = attempt(
        AttemptTimeoutConfig {
            attempt: Some(secs(1)),
            ..AttemptTimeoutConfig::default()
        },
        &p,
    )
    .complete(&req("m"))
    .await
    .expect_err("too slow");
    assert_eq!(timeout_phase(&e), Some(TimeoutPhase::Attempt));
    assert!(e.is_retryable());
    assert_eq!(Instant::now() - t0, secs(1));
}

#[tokio::test(start_paused = true)]
async fn a_stream_without_a_first_chunk_in_time_fails_once() {
    let p = ScriptedProvider::new("a").then(Outcome::Chunks(vec![(secs(3), "a".into())]));
    let t0 = Instant::now();
    let s = attempt(
        AttemptTimeoutConfig {
            attempt: Some(secs(10)),
            first_chunk: Some(secs(1)),
            idle: None,
        },
        &p,
    )
    .stream(&req("m"))
    .await
    .expect("accepted");
    let items = drain(s).await;
    assert_eq!(items.len(), 1, "exactly one error, then the end");
    let e = items[0].as_ref().expect_err("timed out");
    assert_eq!(timeout_phase(e), Some(TimeoutPhase::FirstByte));
    assert_eq!(Instant::now() - t0, secs(1));
}

#[tokio::test(start_paused = true)]
async fn an_idle_stream_fails_after_the_idle_deadline() {
    let p = ScriptedProvider::new("a").then(Outcome::Chunks(vec![
        (ms(0), "a".into()),
        (ms(500), "b".into()),
        (secs(3), "c".into()),
    ]));
    let t0 = Instant::now();
    let s = attempt(
        AttemptTimeoutConfig {
            attempt: None,
            first_chunk: Some(secs(1)),
            idle: Some(secs(1)),
        },
        &p,
    )
    .stream(&req("m"))
    .await
    .expect("accepted");
    let items = drain(s).await;
    assert_eq!(items.len(), 3);
    assert_eq!(items[1].as_deref().ok(), Some("b"));
    let e = items[2].as_ref().expect_err("idle");
    assert_eq!(timeout_phase(e), Some(TimeoutPhase::Idle));
    assert_eq!(Instant::now() - t0, ms(1500));
}

#[tokio::test(start_paused = true)]
async fn the_overall_deadline_bounds_retries_and_is_final() {
    let p = ScriptedProvider::new("a").otherwise(Outcome::status(503));
    let retry = RetryLayer::new(RetryConfig {
        max_attempts: 10,
        base_backoff: secs(1),
        jitter: false,
        budget: None,
        ..RetryConfig::default()
    })
    .expect("valid");
    let overall =
        OverallTimeoutLayer::new(OverallTimeoutConfig { overall: ms(2500) }).expect("valid");
    let stack = apply(p.arc(), &[&retry, &overall]);
    let t0 = Instant::now();
    let e = stack.complete(&req("m")).await.expect_err("deadline");
    assert_eq!(timeout_phase(&e), Some(TimeoutPhase::Overall));
    assert!(!e.is_retryable());
    assert_eq!(Instant::now() - t0, ms(2500));
    // Attempts at 0 s and 1 s; the next would be at 3 s.
    assert_eq!(p.call_count(), 2);
}

#[tokio::test(start_paused = true)]
async fn attempt_timeouts_under_retry_are_retried() {
    let p = ScriptedProvider::new("a")
        .then(Outcome::delayed(secs(5), Outcome::reply("late")))
        .then(Outcome::reply("ok"));
    let timeout = AttemptTimeoutLayer::new(AttemptTimeoutConfig {
        attempt: Some(secs(1)),
        ..AttemptTimeoutConfig::default()
    })
    .expect("valid");
    let retry = RetryLayer::new(RetryConfig {
        base_backoff: ms(100),
        jitter: false,
        budget: None,
        ..RetryConfig::default()
    })
    .expect("valid");
    let t0 = Instant::now();
    let r = apply(p.arc(), &[&timeout, &retry])
        .complete(&req("m"))
        .await
        .expect("second attempt");
    assert_eq!(r.text(), "ok");
    let times: Vec<_> = p.call_times().into_iter().map(|t| t - t0).collect();
    assert_eq!(times, [ms(0), ms(1100)]);
}

#[test]
fn zero_deadlines_are_refused() {
    let e = AttemptTimeoutLayer::new(AttemptTimeoutConfig {
        idle: Some(Duration::ZERO),
        ..AttemptTimeoutConfig::default()
    })
    .expect_err("zero idle");
    assert_eq!(e.path(), "attempt_timeout.idle");
    assert!(
        OverallTimeoutLayer::new(OverallTimeoutConfig {
            overall: Duration::ZERO
        })
        .is_err()
    );
}
