//! Provider stack overhead: the standard stack with every layer on
//! (fallback, overall timeout, retry with budget, rate limits, concurrency,
//! balancer over two endpoints, breakers, attempt timeouts) over an
//! instant in-process provider, against that provider called directly.
//!
//! Run: `cargo bench -p deepsentinel-providers --bench stack`. Besides
//! criterion's estimates it prints its own p50/p99 of single `complete`
//! calls to stderr.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use criterion::{Criterion, criterion_group, criterion_main};
use deepsentinel_core::chat::{Choice, Extra, ModelList, Nullable, ResponseMeta};
use deepsentinel_core::{ChatRequest, ChatResponse, ChatStream, Error, Message, Provider};
use deepsentinel_providers::{
    AttemptTimeoutConfig, BreakerConfig, ConcurrencyConfig, FallbackTarget, OverallTimeoutConfig,
    RateLimitConfig, RateLimitMode, RetryConfig, StackBuilder,
};

/// Answers at once with a prebuilt response.
struct InstantProvider {
    name: String,
    response: ChatResponse,
}

impl InstantProvider {
    fn arc(name: &str) -> Arc<dyn Provider> {
        Arc::new(InstantProvider {
            name: name.into(),
            response: ChatResponse {
                id: "bench".into(),
                object: "chat.completion".into(),
                created: 0,
                model: "gpt-4o".into(),
                choices: vec![Choice {
                    index: 0,
                    message: Message::assistant("ok"),
                    finish_reason: Nullable::Value("stop".into()),
                    extra: Extra::new(),
                }],
                usage: Nullable::Absent,
                extra: Extra::new(),
                meta: ResponseMeta {
                    provider: name.into(),
                    model: "gpt-4o".into(),
                    attempts: 1,
                    ..ResponseMeta::default()
                },
            },
        })
    }
}

#[async_trait]
impl Provider for InstantProvider {
    fn name(&self) -> &str {
        &self.name
    }
    async fn complete(&self, _req: &ChatRequest) -> Result<ChatResponse, Error> {
        Ok(self.response.clone())
    }
    async fn stream(&self, _req: &ChatRequest) -> Result<ChatStream, Error> {
        Err(Error::invalid_request("not benchmarked"))
    }
    async fn models(&self) -> Result<ModelList, Error> {
        Ok(ModelList::default())
    }
}

fn full_stack() -> Arc<dyn Provider> {
    let mut b = StackBuilder::new("openai");
    b.endpoint(InstantProvider::arc("key-1"))
        .endpoint(InstantProvider::arc("key-2"))
        .attempt_timeout(Some(AttemptTimeoutConfig::default()))
        .breaker(Some(BreakerConfig::default()))
        .concurrency(Some(ConcurrencyConfig::default()))
        .rate_limit(Some(RateLimitConfig {
            requests_per_minute: Some(u32::MAX),
            tokens_per_minute: Some(u32::MAX),
            mode: RateLimitMode::Wait {
                max_wait: Duration::from_secs(1),
            },
        }))
        .retry(Some(RetryConfig::default()))
        .overall_timeout(Some(OverallTimeoutConfig::default()))
        .fallback(
            InstantProvider::arc("anthropic"),
            FallbackTarget::model("claude-sonnet-4-5"),
        );
    match b.build() {
        Ok(stack) => stack.provider(),
        Err(e) => unreachable!("the bench stack is valid: {e}"),
    }
}

fn percentiles(
    rt: &tokio::runtime::Runtime,
    p: &Arc<dyn Provider>,
    req: &ChatRequest,
) -> (Duration, Duration) {
    let mut samples: Vec<Duration> = (0..50_000)
        .map(|_| {
            let t = Instant::now();
            let r = rt.block_on(p.complete(req));
            let d = t.elapsed();
            black_box(r.is_ok());
            d
        })
        .collect();
    samples.sort_unstable();
    (
        samples[samples.len() / 2],
        samples[samples.len() * 99 / 100],
    )
}

fn bench(c: &mut Criterion) {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => unreachable!("a runtime: {e}"),
    };
    let req = ChatRequest::new("gpt-4o", vec![Message::user("Hello, how are you?")]);
    let bare = InstantProvider::arc("key-1");
    let stack = full_stack();

    for (label, p) in [("bare", &bare), ("full stack", &stack)] {
        let (p50, p99) = percentiles(&rt, p, &req);
        eprintln!(
            "{label}: complete p50 {p50:?}, p99 {p99:?} (50k single calls, current-thread runtime)"
        );
    }

    let mut g = c.benchmark_group("complete");
    g.bench_function("bare provider", |b| {
        b.iter(|| rt.block_on(bare.complete(black_box(&req))))
    });
    g.bench_function("full stack", |b| {
        b.iter(|| rt.block_on(stack.complete(black_box(&req))))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
