use std::sync::Arc;

use deepsentinel_core::{Error, Provider, RateLimitOrigin};
use deepsentinel_providers::testing::{Outcome, ScriptedProvider};
use deepsentinel_providers::{RateLimitConfig, RateLimitLayer, RateLimitMode};
use tokio::time::Instant;

use super::*;

fn limited(config: RateLimitConfig, p: &ScriptedProvider) -> Arc<dyn Provider> {
    Arc::new(RateLimitLayer::new(config).expect("valid").wrap(p.arc()))
}

fn rpm(n: u32, mode: RateLimitMode) -> RateLimitConfig {
    RateLimitConfig {
        requests_per_minute: Some(n),
        tokens_per_minute: None,
        mode,
    }
}

#[tokio::test(start_paused = true)]
async fn waits_exactly_for_the_next_request_slot() {
    let p = ScriptedProvider::new("a").otherwise(Outcome::reply("ok"));
    let l = limited(rpm(2, RateLimitMode::Wait { max_wait: secs(60) }), &p);
    let t0 = Instant::now();
    for _ in 0..4 {
        l.complete(&req("m")).await.expect("waited");
    }
    let times: Vec<_> = p.call_times().into_iter().map(|t| t - t0).collect();
    assert_eq!(times, [secs(0), secs(0), secs(30), secs(60)]);
}

#[tokio::test(start_paused = true)]
async fn fails_fast_with_a_local_rate_limit() {
    let p = ScriptedProvider::new("a").otherwise(Outcome::reply("ok"));
    let l = limited(rpm(2, RateLimitMode::FailFast), &p);
    l.complete(&req("m")).await.expect("1");
    l.complete(&req("m")).await.expect("2");
    let e = l.complete(&req("m")).await.expect_err("3rd is over");
    assert!(
        matches!(
            &e,
            Error::RateLimit { origin: RateLimitOrigin::Local, retry_after: Some(d), provider }
                if *d == secs(30) && provider == "a"
        ),
        "expected a local rate limit: {e:?}"
    );
    assert!(!e.is_retryable());
    assert_eq!(p.call_count(), 2);
    tokio::time::advance(secs(30)).await;
    l.complete(&req("m")).await.expect("a slot came back");
}

#[tokio::test(start_paused = true)]
async fn a_wait_beyond_the_maximum_fails_without_waiting() {
    let p = ScriptedProvider::new("a").otherwise(Outcome::reply("ok"));
    let l = limited(rpm(2, RateLimitMode::Wait { max_wait: secs(10) }), &p);
    let t0 = Instant::now();
    l.complete(&req("m")).await.expect("1");
    l.complete(&req("m")).await.expect("2");
    let e = l.complete(&req("m")).await.expect_err("30 s > 10 s");
    assert_eq!(e.retry_after(), Some(secs(30)));
    assert_eq!(Instant::now(), t0);
}

#[tokio::test(start_paused = true)]
async fn tokens_per_minute_count_prompt_and_output() {
    let p = ScriptedProvider::new("a").otherwise(Outcome::reply("ok"));
    let l = limited(
        RateLimitConfig {
            requests_per_minute: None,
            tokens_per_minute: Some(1000),
            mode: RateLimitMode::Wait { max_wait: secs(60) },
        },
        &p,
    );
    let mut r = req("m");
    r.max_tokens = Some(600);
    assert_eq!(r.estimated_prompt_tokens(), 2);
    let t0 = Instant::now();
    l.complete(&r).await.expect("fits the burst");
    l.complete(&r).await.expect("waited");
    // 602 + 602 tokens against a 1000 burst refilled at 60 ms a token:
    // 204 tokens short.
    assert_eq!(p.call_times()[1] - t0, ms(204 * 60));

    r.max_tokens = Some(5000);
    let e = l.complete(&r).await.expect_err("can never fit");
    assert_eq!(e.label(), "invalid_request");
}

#[test]
fn zero_limits_are_refused() {
    let e = RateLimitLayer::new(rpm(0, RateLimitMode::FailFast)).expect_err("zero");
    assert_eq!(e.path(), "rate_limit.requests_per_minute");
}
