use deepsentinel_core::{Error, Provider};
use deepsentinel_providers::testing::{Outcome, ScriptedProvider};
use deepsentinel_providers::{BreakerConfig, BreakerLayer, BreakerState, CircuitBreaker};

use super::*;

fn config() -> BreakerConfig {
    BreakerConfig {
        consecutive_failures: 3,
        failure_rate: 1.0,
        window: secs(10),
        min_calls: 1000,
        cool_down: secs(10),
        half_open_probes: 1,
        probe_successes: 2,
    }
}

fn breaker(config: BreakerConfig, p: &ScriptedProvider) -> CircuitBreaker {
    BreakerLayer::new(config).expect("valid").wrap(p.arc())
}

#[tokio::test(start_paused = true)]
async fn closed_open_half_open_closed() {
    let p = ScriptedProvider::new("a")
        .then_n(3, Outcome::status(503))
        .otherwise(Outcome::reply("ok"));
    let b = breaker(config(), &p);
    let h = b.handle();
    let mut rx = h.subscribe();
    for _ in 0..2 {
        b.complete(&req("m")).await.expect_err("503");
        assert_eq!(h.state(), BreakerState::Closed);
    }
    b.complete(&req("m")).await.expect_err("503");
    assert_eq!(h.state(), BreakerState::Open);
    assert!(rx.has_changed().expect("sender alive"));
    assert_eq!(*rx.borrow_and_update(), BreakerState::Open);

    // Open: refused without calling the endpoint.
    let e = b.complete(&req("m")).await.expect_err("open");
    assert_eq!(code(&e), Some("circuit_open"));
    assert!(e.is_retryable());
    assert_eq!(p.call_count(), 3);

    tokio::time::advance(secs(9)).await;
    assert_eq!(h.state(), BreakerState::Open);
    tokio::time::advance(secs(1)).await;
    assert_eq!(h.state(), BreakerState::HalfOpen);
    b.complete(&req("m")).await.expect("probe 1");
    assert_eq!(
        h.state(),
        BreakerState::HalfOpen,
        "two probe successes needed"
    );
    b.complete(&req("m")).await.expect("probe 2");
    assert_eq!(h.state(), BreakerState::Closed);
    assert_eq!(*rx.borrow_and_update(), BreakerState::Closed);
    assert_eq!(p.call_count(), 5);
}

#[tokio::test(start_paused = true)]
async fn a_failed_probe_reopens() {
    let p = ScriptedProvider::new("a")
        .then_n(4, Outcome::status(502))
        .otherwise(Outcome::reply("ok"));
    let b = breaker(config(), &p);
    for _ in 0..3 {
        let _ = b.complete(&req("m")).await;
    }
    tokio::time::advance(secs(10)).await;
    assert_eq!(b.handle().state(), BreakerState::HalfOpen);
    b.complete(&req("m")).await.expect_err("probe fails");
    assert_eq!(b.handle().state(), BreakerState::Open);
    let e = b.complete(&req("m")).await.expect_err("open again");
    assert_eq!(code(&e), Some("circuit_open"));
    assert_eq!(p.call_count(), 4);
    // The cool-down starts again from the failed probe.
    tokio::time::advance(secs(10)).await;
    b.complete(&req("m")).await.expect("probe");
}

#[tokio::test(start_paused = true)]
async fn half_open_admits_only_the_configured_probes() {
    let p = ScriptedProvider::new("a")
        .then_n(3, Outcome::status(500))
        .then(Outcome::delayed(secs(1), Outcome::reply("slow probe")))
        .otherwise(Outcome::reply("ok"));
    let b = std::sync::Arc::new(breaker(config(), &p));
    for _ in 0..3 {
        let _ = b.complete(&req("m")).await;
    }
    tokio::time::advance(secs(10)).await;
    let probe = {
        let b = b.clone();
        tokio::spawn(async move { b.complete(&req("m")).await })
    };
    tokio::task::yield_now().await;
    let e = b.complete(&req("m")).await.expect_err("probe slot taken");
    assert_eq!(code(&e), Some("circuit_open"));
    probe.await.expect("joined").expect("probe served");
    assert_eq!(p.call_count(), 4);
}

#[tokio::test(start_paused = true)]
async fn only_endpoint_failures_count() {
    let p = ScriptedProvider::new("a")
        .then_n(5, Outcome::Fail(upstream_429(None)))
        .then_n(5, Outcome::status(400))
        .then_n(5, Outcome::Fail(auth()));
    let b = breaker(config(), &p);
    for _ in 0..15 {
        b.complete(&req("m")).await.expect_err("scripted");
    }
    assert_eq!(b.handle().state(), BreakerState::Closed);
    assert_eq!(p.call_count(), 15);
}

#[tokio::test(start_paused = true)]
async fn the_failure_rate_over_the_window_opens() {
    let p = ScriptedProvider::new("a")
        .then(Outcome::reply("ok"))
        .then(Outcome::status(503))
        .then(Outcome::reply("ok"))
        .then(Outcome::status(503))
        .otherwise(Outcome::reply("ok"));
    let b = breaker(
        BreakerConfig {
            consecutive_failures: 100,
            failure_rate: 0.5,
            min_calls: 4,
            ..config()
        },
        &p,
    );
    for _ in 0..3 {
        let _ = b.complete(&req("m")).await;
    }
    assert_eq!(
        b.handle().state(),
        BreakerState::Closed,
        "3 calls < min_calls"
    );
    let _ = b.complete(&req("m")).await;
    assert_eq!(b.handle().state(), BreakerState::Open, "2 of 4 failed");
}

#[tokio::test(start_paused = true)]
async fn a_stream_counts_by_its_first_item() {
    let timeout = Error::Timeout {
        provider: String::new(),
        phase: deepsentinel_core::TimeoutPhase::FirstByte,
        after: secs(1),
    };
    let p = ScriptedProvider::new("a").otherwise(Outcome::ChunksThenFail(vec![], timeout));
    let b = breaker(config(), &p);
    for _ in 0..3 {
        let s = b.stream(&req("m")).await.expect("accepted");
        let items = drain(s).await;
        assert!(items[0].is_err());
    }
    assert_eq!(b.handle().state(), BreakerState::Open);
}

#[test]
fn invalid_configs_are_refused() {
    let e = BreakerLayer::new(BreakerConfig {
        failure_rate: 1.5,
        ..BreakerConfig::default()
    })
    .expect_err("rate > 1");
    assert_eq!(e.path(), "breaker.failure_rate");
    let e = BreakerLayer::new(BreakerConfig {
        half_open_probes: 0,
        ..BreakerConfig::default()
    })
    .expect_err("no probes");
    assert_eq!(e.path(), "breaker.half_open_probes");
}
