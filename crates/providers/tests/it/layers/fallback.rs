use std::sync::Arc;

use deepsentinel_core::{Error, Provider};
use deepsentinel_providers::testing::{CallKind, Outcome, ScriptedProvider};
use deepsentinel_providers::{
    FallbackLayer, FallbackTarget, ProviderLayer, RetryConfig, RetryLayer,
};

use super::*;

fn claude() -> FallbackTarget {
    FallbackTarget::model("claude-haiku-4-5").map("gpt-4o", "claude-sonnet-4-5")
}

fn chain(
    primary: &ScriptedProvider,
    second: Arc<dyn Provider>,
    third: &ScriptedProvider,
) -> Arc<dyn Provider> {
    FallbackLayer::new()
        .then(second, claude())
        .then(third.arc(), FallbackTarget::default())
        .layer(primary.arc())
}

#[tokio::test(start_paused = true)]
async fn falls_back_in_order_with_mapped_models_and_fills_meta() {
    let a = ScriptedProvider::new("openai").otherwise(Outcome::status(503));
    let b = ScriptedProvider::new("anthropic").otherwise(Outcome::Fail(Error::Timeout {
        provider: String::new(),
        phase: deepsentinel_core::TimeoutPhase::Attempt,
        after: secs(1),
    }));
    let c = ScriptedProvider::new("local").otherwise(Outcome::reply("ok"));
    let r = chain(&a, b.arc(), &c)
        .complete(&req("gpt-4o"))
        .await
        .expect("third serves");
    assert_eq!(r.meta.provider, "local");
    assert_eq!(r.meta.model, "gpt-4o", "no map: the requested model");
    assert_eq!(r.meta.fallback_index, 2);
    assert_eq!(r.meta.attempts, 3);
    assert_eq!(b.calls()[0].model, "claude-sonnet-4-5");
    assert_eq!([a.call_count(), b.call_count(), c.call_count()], [1, 1, 1]);
}

#[tokio::test(start_paused = true)]
async fn unmapped_models_use_the_entry_default() {
    let a = ScriptedProvider::new("openai").otherwise(Outcome::Fail(upstream_429(None)));
    let b = ScriptedProvider::new("anthropic").otherwise(Outcome::reply("ok"));
    let c = ScriptedProvider::new("local");
    let r = chain(&a, b.arc(), &c)
        .complete(&req("gpt-4o-mini"))
        .await
        .expect("b serves");
    assert_eq!(r.meta.model, "claude-haiku-4-5");
    assert_eq!(r.meta.fallback_index, 1);
    assert_eq!(c.call_count(), 0);
}

#[tokio::test(start_paused = true)]
async fn never_falls_back_on_auth_invalid_or_compliance_errors() {
    for e in [auth(), Error::invalid_request("bad"), compliance()] {
        let a = ScriptedProvider::new("openai").then(Outcome::Fail(e.clone()));
        let b = ScriptedProvider::new("anthropic").otherwise(Outcome::reply("ok"));
        let c = ScriptedProvider::new("local").otherwise(Outcome::reply("ok"));
        let got = chain(&a, b.arc(), &c)
            .complete(&req("gpt-4o"))
            .await
            .expect_err("final");
        assert_eq!(got.label(), e.label());
        assert_eq!(b.call_count() + c.call_count(), 0, "{e}");
    }
}

#[tokio::test(start_paused = true)]
async fn when_all_fail_the_last_error_is_returned() {
    let a = ScriptedProvider::new("openai").otherwise(Outcome::status(503));
    let b = ScriptedProvider::new("anthropic").otherwise(Outcome::status(529));
    let c = ScriptedProvider::new("local").otherwise(Outcome::status(502));
    let e = chain(&a, b.arc(), &c)
        .complete(&req("gpt-4o"))
        .await
        .expect_err("all down");
    assert_eq!(status(&e), Some(502));
    assert_eq!(e.provider(), Some("local"));
}

#[tokio::test(start_paused = true)]
async fn attempts_add_up_across_retries_and_fallbacks() {
    let a = ScriptedProvider::new("openai").otherwise(Outcome::status(503));
    let b = ScriptedProvider::new("anthropic")
        .then(Outcome::status(500))
        .otherwise(Outcome::reply("ok"));
    let retried = RetryLayer::new(RetryConfig {
        jitter: false,
        budget: None,
        ..RetryConfig::default()
    })
    .expect("valid")
    .layer(b.arc());
    let c = ScriptedProvider::new("local");
    let r = chain(&a, retried, &c)
        .complete(&req("gpt-4o"))
        .await
        .expect("b serves");
    assert_eq!(r.meta.attempts, 3, "1 failed primary + 2 attempts at b");
    assert_eq!(r.meta.provider, "anthropic");
}

#[tokio::test(start_paused = true)]
async fn streams_fall_back_before_the_first_chunk_only() {
    let a = ScriptedProvider::new("openai")
        .then(Outcome::status(503))
        .then(Outcome::ChunksThenFail(
            vec![(ms(0), "par".into())],
            Error::Provider {
                provider: String::new(),
                status: None,
                retryable: true,
                retry_after: None,
                code: Some("stream_error".into()),
            },
        ));
    let b = ScriptedProvider::new("anthropic").otherwise(Outcome::reply("whole"));
    let c = ScriptedProvider::new("local");
    let p = chain(&a, b.arc(), &c);

    let s = p.stream(&req("gpt-4o")).await.expect("b streams");
    assert_eq!(s.meta.fallback_index, 1);
    assert_eq!(s.meta.model, "claude-sonnet-4-5");
    let items = drain(s).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].as_deref().ok(), Some("whole"));

    let s = p.stream(&req("gpt-4o")).await.expect("a streams");
    assert_eq!(s.meta.fallback_index, 0);
    let items = drain(s).await;
    assert_eq!(items.len(), 2, "the chunk, then the error; no fallback");
    assert!(items[1].is_err());
    assert_eq!(b.call_count(), 1);
    assert!(b.calls().iter().all(|c| c.kind == CallKind::Stream));
}
