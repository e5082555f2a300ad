use std::sync::Arc;

use deepsentinel_core::Provider;
use deepsentinel_providers::testing::{Outcome, ScriptedProvider};
use deepsentinel_providers::{
    BalanceConfig, Balancer, BreakerConfig, BreakerLayer, BreakerState, Endpoint, Strategy,
};

use super::*;

fn balancer(strategy: Strategy, endpoints: Vec<Endpoint>) -> Arc<Balancer> {
    let config = BalanceConfig {
        strategy,
        seed: Some(42),
        ..BalanceConfig::default()
    };
    Arc::new(Balancer::new("openai", endpoints, &config).expect("valid"))
}

fn plain(ps: &[&ScriptedProvider]) -> Vec<Endpoint> {
    ps.iter().map(|p| Endpoint::new(p.arc())).collect()
}

#[tokio::test(start_paused = true)]
async fn round_robin_is_exact() {
    let ps: Vec<_> = ["k1", "k2", "k3"]
        .into_iter()
        .map(|n| ScriptedProvider::new(n).otherwise(Outcome::reply(n)))
        .collect();
    let b = balancer(Strategy::RoundRobin, plain(&ps.iter().collect::<Vec<_>>()));
    let mut served = Vec::new();
    for _ in 0..9 {
        served.push(b.complete(&req("m")).await.expect("ok").meta.provider);
    }
    assert_eq!(
        served,
        ["k1", "k2", "k3", "k1", "k2", "k3", "k1", "k2", "k3"]
    );
    let stats = b.stats();
    assert!(
        stats
            .iter()
            .all(|s| s.total == 3 && s.errors == 0 && s.in_flight == 0)
    );
}

#[tokio::test(start_paused = true)]
async fn weighted_random_follows_the_weights() {
    let a = ScriptedProvider::new("a").otherwise(Outcome::reply("a"));
    let c = ScriptedProvider::new("c").otherwise(Outcome::reply("c"));
    let b = balancer(
        Strategy::WeightedRandom,
        vec![
            Endpoint {
                weight: 1,
                ..Endpoint::new(a.arc())
            },
            Endpoint {
                weight: 3,
                ..Endpoint::new(c.arc())
            },
        ],
    );
    for _ in 0..4000 {
        b.complete(&req("m")).await.expect("ok");
    }
    let share = c.call_count() as f64 / 4000.0;
    assert!((share - 0.75).abs() < 0.03, "share of weight 3: {share}");
}

#[tokio::test(start_paused = true)]
async fn least_in_flight_avoids_the_busy_endpoint() {
    let a = ScriptedProvider::new("a")
        .then(Outcome::delayed(secs(100), Outcome::reply("slow")))
        .otherwise(Outcome::reply("a"));
    let c = ScriptedProvider::new("c").otherwise(Outcome::reply("c"));
    let b = balancer(Strategy::LeastInFlight, plain(&[&a, &c]));
    let busy = {
        let b = b.clone();
        tokio::spawn(async move { b.complete(&req("m")).await })
    };
    tokio::task::yield_now().await;
    assert_eq!(b.stats()[0].in_flight, 1);
    for _ in 0..9 {
        b.complete(&req("m")).await.expect("ok");
    }
    assert_eq!((a.call_count(), c.call_count()), (1, 9));
    busy.await.expect("joined").expect("slow one served");
    assert_eq!(b.stats()[0].in_flight, 0);
}

#[tokio::test(start_paused = true)]
async fn lowest_latency_prefers_the_fast_endpoint() {
    let slow =
        ScriptedProvider::new("slow").otherwise(Outcome::delayed(ms(50), Outcome::reply("s")));
    let fast =
        ScriptedProvider::new("fast").otherwise(Outcome::delayed(ms(5), Outcome::reply("f")));
    let b = balancer(Strategy::LowestLatency, plain(&[&slow, &fast]));
    for _ in 0..20 {
        b.complete(&req("m")).await.expect("ok");
    }
    // One call each to measure, then the fast one.
    assert_eq!((slow.call_count(), fast.call_count()), (1, 19));
    let stats = b.stats();
    assert_eq!(stats[0].latency_ewma, Some(ms(50)));
    assert_eq!(stats[1].latency_ewma, Some(ms(5)));
}

#[tokio::test(start_paused = true)]
async fn open_endpoints_are_skipped_and_all_open_is_no_endpoint() {
    let layer = BreakerLayer::new(BreakerConfig {
        consecutive_failures: 1,
        cool_down: secs(60),
        ..BreakerConfig::default()
    })
    .expect("valid");
    let a = ScriptedProvider::new("a").otherwise(Outcome::status(503));
    let c = ScriptedProvider::new("c")
        .then_n(5, Outcome::reply("c"))
        .otherwise(Outcome::status(503));
    let endpoints: Vec<Endpoint> = [&a, &c]
        .into_iter()
        .map(|p| {
            let br = layer.wrap(p.arc());
            Endpoint {
                breaker: Some(br.handle()),
                ..Endpoint::new(Arc::new(br))
            }
        })
        .collect();
    let b = balancer(Strategy::RoundRobin, endpoints);
    b.complete(&req("m")).await.expect_err("a fails and opens");
    for _ in 0..5 {
        assert_eq!(b.complete(&req("m")).await.expect("c").meta.provider, "c");
    }
    assert_eq!(a.call_count(), 1);
    b.complete(&req("m")).await.expect_err("c fails and opens");
    let e = b.complete(&req("m")).await.expect_err("none left");
    assert_eq!(code(&e), Some("no_endpoint"));
    assert!(e.is_retryable());
    let stats = b.stats();
    assert_eq!(stats[0].breaker, Some(BreakerState::Open));
    assert_eq!((stats[1].total, stats[1].errors), (6, 1));
    assert!((stats[1].error_rate - 1.0 / 6.0).abs() < 1e-9);
}

#[tokio::test(start_paused = true)]
async fn a_stream_is_in_flight_until_dropped() {
    let a = ScriptedProvider::new("a").otherwise(Outcome::Chunks(vec![
        (ms(0), "x".into()),
        (secs(5), "y".into()),
    ]));
    let b = balancer(Strategy::RoundRobin, plain(&[&a]));
    let s = b.stream(&req("m")).await.expect("accepted");
    assert_eq!(b.stats()[0].in_flight, 1);
    drop(s);
    assert_eq!(b.stats()[0].in_flight, 0);
    let s = b.stream(&req("m")).await.expect("accepted");
    assert_eq!(drain(s).await.len(), 2);
    assert_eq!(b.stats()[0].in_flight, 0, "ended");
}

#[test]
fn an_empty_balancer_is_refused() {
    let e = Balancer::new("x", vec![], &BalanceConfig::default()).expect_err("no endpoints");
    assert_eq!(e.path(), "balance.endpoints");
}
