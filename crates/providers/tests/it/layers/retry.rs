use std::sync::Arc;

use deepsentinel_core::{Error, Provider};
use deepsentinel_providers::testing::{Outcome, ScriptedProvider};
use deepsentinel_providers::{BudgetConfig, RetryConfig, RetryLayer};
use tokio::time::Instant;

use super::*;

fn exact(max_attempts: u32) -> RetryConfig {
    RetryConfig {
        max_attempts,
        base_backoff: ms(100),
        max_backoff: secs(10),
        jitter: false,
        max_retry_after: secs(30),
        budget: None,
        seed: None,
    }
}

fn retry(config: RetryConfig, p: &ScriptedProvider) -> Arc<dyn Provider> {
    Arc::new(RetryLayer::new(config).expect("valid config").wrap(p.arc()))
}

fn offsets(p: &ScriptedProvider, t0: Instant) -> Vec<Duration> {
    p.call_times().into_iter().map(|t| t - t0).collect()
}

#[tokio::test(start_paused = true)]
async fn retries_with_exact_exponential_delays() {
    let p = ScriptedProvider::new("a")
        .then(Outcome::status(503))
        .then(Outcome::status(500))
        .then(Outcome::reply("ok"));
    let t0 = Instant::now();
    let r = retry(exact(4), &p)
        .complete(&req("m"))
        .await
        .expect("third attempt serves");
    assert_eq!(offsets(&p, t0), [ms(0), ms(100), ms(300)]);
    assert_eq!(r.text(), "ok");
    assert_eq!(r.meta.attempts, 3);
}

#[tokio::test(start_paused = true)]
async fn backoff_is_capped_and_attempts_bounded() {
    let p = ScriptedProvider::new("a").otherwise(Outcome::status(503));
    let config = RetryConfig {
        max_backoff: ms(250),
        ..exact(5)
    };
    let t0 = Instant::now();
    let e = retry(config, &p)
        .complete(&req("m"))
        .await
        .expect_err("always 503");
    assert_eq!(status(&e), Some(503));
    assert_eq!(offsets(&p, t0), [ms(0), ms(100), ms(300), ms(550), ms(800)]);
}

#[tokio::test(start_paused = true)]
async fn full_jitter_is_seeded_and_bounded() {
    let run = || async {
        let p = ScriptedProvider::new("a").otherwise(Outcome::status(503));
        let config = RetryConfig {
            jitter: true,
            seed: Some(7),
            ..exact(4)
        };
        let t0 = Instant::now();
        let _ = retry(config, &p).complete(&req("m")).await;
        let t = offsets(&p, t0);
        vec![t[1] - t[0], t[2] - t[1], t[3] - t[2]]
    };
    let gaps = run().await;
    assert_eq!(gaps, run().await, "same seed, same delays");
    for (gap, bound) in gaps.iter().zip([ms(100), ms(200), ms(400)]) {
        assert!(*gap <= bound, "{gap:?} > {bound:?}");
    }
    assert_ne!(gaps, [ms(100), ms(200), ms(400)], "jitter must move delays");
}

#[tokio::test(start_paused = true)]
async fn retry_after_replaces_the_backoff() {
    let p = ScriptedProvider::new("a")
        .then(Outcome::Fail(upstream_429(Some(secs(2)))))
        .then(Outcome::reply("ok"));
    let t0 = Instant::now();
    retry(exact(3), &p)
        .complete(&req("m"))
        .await
        .expect("served after the wait");
    assert_eq!(offsets(&p, t0), [ms(0), secs(2)]);
}

#[tokio::test(start_paused = true)]
async fn retry_after_above_the_maximum_ends_retrying() {
    let p = ScriptedProvider::new("a")
        .then(Outcome::Fail(upstream_429(Some(secs(120)))))
        .then(Outcome::reply("ok"));
    let t0 = Instant::now();
    let e = retry(exact(3), &p)
        .complete(&req("m"))
        .await
        .expect_err("not waited for");
    assert_eq!(e.retry_after(), Some(secs(120)));
    assert_eq!(p.call_count(), 1);
    assert_eq!(Instant::now(), t0, "no wait at all");
}

#[tokio::test(start_paused = true)]
async fn never_retries_what_cannot_succeed() {
    for outcome in [
        Outcome::Fail(Error::invalid_request("bad")),
        Outcome::status(400),
        Outcome::Fail(auth()),
        Outcome::Fail(compliance()),
        Outcome::status(501),
    ] {
        let p = ScriptedProvider::new("a")
            .then(outcome)
            .otherwise(Outcome::reply("ok"));
        let e = retry(exact(5), &p)
            .complete(&req("m"))
            .await
            .expect_err("passed through");
        assert!(!e.is_retryable());
        assert_eq!(p.call_count(), 1, "{e}");
    }
}

#[tokio::test(start_paused = true)]
async fn an_exhausted_budget_stops_retries() {
    let config = RetryConfig {
        budget: Some(BudgetConfig {
            ttl: secs(10),
            min_per_sec: 0,
            retry_ratio: 0.1,
        }),
        ..exact(5)
    };
    let p = ScriptedProvider::new("a")
        .then(Outcome::status(503))
        .then_n(10, Outcome::reply("ok"))
        .otherwise(Outcome::status(503));
    let r = retry(config, &p);
    // One request deposits a tenth of a retry: not enough for one.
    r.complete(&req("m")).await.expect_err("no budget yet");
    assert_eq!(p.call_count(), 1);
    for _ in 0..10 {
        r.complete(&req("m")).await.expect("scripted success");
    }
    assert_eq!(p.call_count(), 11);
    // Eleven more deposits buy one retry, and only one.
    r.complete(&req("m")).await.expect_err("still failing");
    assert_eq!(p.call_count(), 13);
}

#[tokio::test(start_paused = true)]
async fn a_stream_is_retried_before_its_first_chunk() {
    let p = ScriptedProvider::new("a")
        .then(Outcome::status(503))
        .then(Outcome::ChunksThenFail(
            vec![],
            Error::Timeout {
                provider: String::new(),
                phase: TimeoutPhase::FirstByte,
                after: secs(1),
            },
        ))
        .then(Outcome::Chunks(vec![
            (ms(0), "he".into()),
            (ms(5), "llo".into()),
        ]));
    let s = retry(exact(4), &p)
        .stream(&req("m"))
        .await
        .expect("third attempt streams");
    assert_eq!(s.meta.attempts, 3);
    let items = drain(s).await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_deref().ok(), Some("he"));
    assert_eq!(items[1].as_deref().ok(), Some("llo"));
    assert_eq!(p.call_count(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_stream_is_not_retried_after_its_first_chunk() {
    let p = ScriptedProvider::new("a")
        .then(Outcome::ChunksThenFail(
            vec![(ms(0), "he".into())],
            Error::Provider {
                provider: String::new(),
                status: Some(503),
                retryable: true,
                retry_after: None,
                code: Some("stream_error".into()),
            },
        ))
        .otherwise(Outcome::reply("never"));
    let s = retry(exact(4), &p)
        .stream(&req("m"))
        .await
        .expect("first chunk arrived");
    let items = drain(s).await;
    assert_eq!(items.len(), 2, "the chunk, then exactly one error");
    assert_eq!(items[0].as_deref().ok(), Some("he"));
    assert_eq!(items[1].as_ref().err().and_then(code), Some("stream_error"));
    assert_eq!(p.call_count(), 1);
}

#[test]
fn invalid_configs_name_the_field() {
    let e = RetryLayer::new(RetryConfig {
        base_backoff: Duration::ZERO,
        ..RetryConfig::default()
    })
    .expect_err("zero backoff");
    assert_eq!(e.path(), "retry.base_backoff");
    let e = RetryLayer::new(RetryConfig {
        budget: Some(BudgetConfig {
            ttl: ms(10),
            ..BudgetConfig::default()
        }),
        ..RetryConfig::default()
    })
    .expect_err("ttl too short");
    assert_eq!(e.path(), "retry.budget.ttl");
    let core: Error = e.into();
    assert_eq!(core.label(), "config");
}
