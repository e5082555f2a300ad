use std::sync::Arc;

use deepsentinel_core::Provider;
use deepsentinel_providers::testing::{Outcome, ScriptedProvider};
use deepsentinel_providers::{Batch, BatchItem, ConcurrencyConfig, ConcurrencyLayer, Priority};
use tokio::time::Instant;

use super::*;

fn bounded(max: usize, p: &ScriptedProvider) -> Arc<dyn Provider> {
    Arc::new(
        ConcurrencyLayer::new(ConcurrencyConfig { max_in_flight: max })
            .expect("valid")
            .wrap(p.arc()),
    )
}

#[tokio::test(start_paused = true)]
async fn the_bound_is_never_exceeded() {
    let p = ScriptedProvider::new("a").otherwise(Outcome::delayed(secs(1), Outcome::reply("ok")));
    let l = bounded(3, &p);
    let t0 = Instant::now();
    let calls = (0..10).map(|_| {
        let l = l.clone();
        tokio::spawn(async move { l.complete(&req("m")).await })
    });
    for h in futures_util::future::join_all(calls).await {
        h.expect("joined").expect("served");
    }
    assert_eq!(p.max_in_flight(), 3);
    assert_eq!(Instant::now() - t0, secs(4), "ceil(10 / 3) rounds of 1 s");
}

#[tokio::test(start_paused = true)]
async fn a_stream_holds_its_slot_until_dropped() {
    let p = ScriptedProvider::new("a")
        .then(Outcome::Chunks(vec![
            (ms(0), "x".into()),
            (secs(5), "y".into()),
        ]))
        .otherwise(Outcome::reply("ok"));
    let l = bounded(1, &p);
    let s = l.stream(&req("m")).await.expect("accepted");
    let blocked = tokio::time::timeout(secs(1), l.complete(&req("m"))).await;
    assert!(blocked.is_err(), "the stream holds the only slot");
    drop(s);
    l.complete(&req("m")).await.expect("slot freed");
}

#[tokio::test(start_paused = true)]
async fn a_batch_admits_by_priority_and_answers_in_input_order() {
    let p = ScriptedProvider::new("a").otherwise(Outcome::delayed(ms(10), Outcome::reply("ok")));
    let priorities = [
        Priority::Low,
        Priority::Critical,
        Priority::Normal,
        Priority::High,
        Priority::Critical,
        Priority::Normal,
    ];
    let items = priorities
        .iter()
        .enumerate()
        .map(|(i, p)| BatchItem::new(*p, req(&format!("m{i}"))))
        .collect();
    let results = Batch::new(1).expect("valid").run(&p, items).await;
    let order: Vec<String> = p.calls().into_iter().map(|c| c.model).collect();
    assert_eq!(order, ["m1", "m4", "m3", "m2", "m5", "m0"]);
    let models: Vec<String> = results
        .into_iter()
        .map(|r| r.expect("served").model)
        .collect();
    assert_eq!(models, ["m0", "m1", "m2", "m3", "m4", "m5"]);
}

#[tokio::test(start_paused = true)]
async fn a_batch_respects_its_cap_and_reports_every_error() {
    let p = ScriptedProvider::new("a")
        .then(Outcome::delayed(ms(10), Outcome::status(503)))
        .otherwise(Outcome::delayed(ms(10), Outcome::reply("ok")));
    let items = (0..20)
        .map(|i| BatchItem::new(Priority::Normal, req(&format!("m{i}"))))
        .collect();
    let results = Batch::new(4).expect("valid").run(&p, items).await;
    assert_eq!(results.len(), 20);
    assert_eq!(p.max_in_flight(), 4);
    assert_eq!(results.iter().filter(|r| r.is_err()).count(), 1);
    assert!(results[0].is_err(), "the first admitted got the 503");
    assert!(Batch::new(0).is_err());
}
