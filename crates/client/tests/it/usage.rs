//! Usage, cost and budgets (issue 5).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use deepsentinel::{Budget, ModelPrice, Period, PriceTable, UsageTotals, UsageTracker};
use deepsentinel_core::chat::{Nullable, Usage};
use deepsentinel_core::{ChatChunk, ChatResponse, Error};

fn at(unix: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(unix)
}

// 2024-03-10T10:59:59Z and the hours, days and months around it.
const MAR10_1059: u64 = 1_710_068_399;
const MAR10_1100: u64 = 1_710_068_400;
const MAR10_2359: u64 = 1_710_115_199;
const MAR11_0000: u64 = 1_710_115_200;
const MAR31_2359: u64 = 1_711_929_599;
const APR01_0000: u64 = 1_711_929_600;

/// One million tokens at 1 USD per token-million: every cost is an exact
/// integer, so sums are exact whatever the order.
fn dollar_table() -> PriceTable {
    PriceTable::empty()
        .with("m*", ModelPrice::new(1.0, 2.0))
        .with("other", ModelPrice::new(3.0, 0.0))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn records_tokens_per_provider_and_model() {
    let t = UsageTracker::new(dollar_table(), Vec::new());
    let now = at(MAR10_1059);
    t.record("openai", "m-1", &Usage::new(1_000_000, 0), now);
    t.record("openai", "m-1", &Usage::new(0, 500_000), now);
    t.record("azure", "m-1", &Usage::new(10, 20), now);
    t.record("openai", "other", &Usage::new(2_000_000, 7), now);
    let totals = t.totals();
    let keys: Vec<(&str, &str)> = totals
        .iter()
        .map(|u| (u.provider.as_str(), u.model.as_str()))
        .collect();
    assert_eq!(
        keys,
        [("azure", "m-1"), ("openai", "m-1"), ("openai", "other")]
    );
    let openai_m = &totals[1];
    assert_eq!(
        (
            openai_m.requests,
            openai_m.prompt_tokens,
            openai_m.completion_tokens
        ),
        (2, 1_000_000, 500_000)
    );
    assert!(close(openai_m.cost_usd, 2.0), "{}", openai_m.cost_usd);
    assert!(close(totals[2].cost_usd, 6.0));
    assert!(totals.iter().all(|u| !u.unpriced));
    // Clones share the same numbers.
    let clone = t.clone();
    clone.record("azure", "m-1", &Usage::new(1, 1), now);
    assert_eq!(t.totals()[0].requests, 2);
}

#[test]
fn prefix_prices_longest_match_wins_and_exact_beats_prefix() {
    let table = PriceTable::empty()
        .with("gpt-4o*", ModelPrice::new(2.5, 10.0))
        .with("gpt-4o-mini*", ModelPrice::new(0.15, 0.6))
        .with("gpt-4o", ModelPrice::new(5.0, 15.0))
        .with("gpt-4o-mini-2024-07-18", ModelPrice::new(0.1, 0.1));
    let u = Usage::new(1_000_000, 1_000_000);
    // Longest prefix.
    assert_eq!(table.cost("gpt-4o-2024-08-06", &u), Some(12.5));
    assert_eq!(table.cost("gpt-4o-mini-2025", &u), Some(0.15 + 0.6));
    // The exact key beats the prefix `gpt-4o*` of the same length.
    assert_eq!(table.cost("gpt-4o", &u), Some(20.0));
    // An exact key longer than any prefix.
    assert_eq!(table.cost("gpt-4o-mini-2024-07-18", &u), Some(0.2));
    // No key matches: a prefix key needs the whole prefix.
    assert_eq!(table.cost("gpt-4", &u), None);
    // Cost math: 1234 input at 2.5/M + 567 output at 10/M.
    let cost = table
        .cost("gpt-4o-x", &Usage::new(1234, 567))
        .expect("priced");
    assert!(close(cost, (1234.0 * 2.5 + 567.0 * 10.0) / 1e6), "{cost}");
}

#[test]
fn default_table_is_overridable() {
    let mut table = PriceTable::default();
    let u = Usage::new(1_000_000, 0);
    let big = table.cost("gpt-4o-2024-08-06", &u).expect("gpt-4o priced");
    let mini = table.cost("gpt-4o-mini", &u).expect("mini priced");
    assert!(mini < big, "{mini} < {big}");
    assert!(table.cost("claude-sonnet-4-20250514", &u).is_some());
    table.set("gpt-4o*", ModelPrice::new(100.0, 0.0));
    assert_eq!(table.cost("gpt-4o-2024-08-06", &u), Some(100.0));
}

#[test]
fn unpriced_models_cost_nothing_and_are_flagged() {
    let t = UsageTracker::new(dollar_table(), Vec::new());
    let now = at(MAR10_1059);
    assert_eq!(
        t.record("local", "llama-3", &Usage::new(5, 6), now),
        None,
        "unknown model has no cost"
    );
    assert_eq!(
        t.record("openai", "m-1", &Usage::new(1_000_000, 0), now),
        Some(1.0)
    );
    let totals = t.totals();
    assert_eq!(
        totals[0],
        UsageTotals {
            provider: "local".into(),
            model: "llama-3".into(),
            requests: 1,
            prompt_tokens: 5,
            completion_tokens: 6,
            cost_usd: 0.0,
            unpriced: true,
        }
    );
    assert!(!totals[1].unpriced);
    assert!(close(t.spent(Period::Total, None, now), 1.0));
}

#[test]
fn records_responses_and_final_stream_chunks() {
    let t = UsageTracker::new(dollar_table(), Vec::new());
    let now = at(MAR10_1059);
    let mut resp: ChatResponse = serde_json::from_str(
        r#"{"id":"c","model":"m-2024","choices":[],
            "usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}"#,
    )
    .expect("parses");
    resp.meta.provider = "openai".into();
    resp.meta.model = "m".into();
    assert!(t.record_response(&resp, now));
    resp.usage = Nullable::Absent;
    assert!(!t.record_response(&resp, now), "no usage, nothing recorded");

    let mut chunk = ChatChunk::new("c", "m-stream", 1);
    assert!(!t.record_chunk("anthropic", "", &chunk, now));
    chunk.usage = Nullable::Null;
    assert!(!t.record_chunk("anthropic", "", &chunk, now));
    chunk.usage = Nullable::Value(Usage::new(10, 1));
    assert!(t.record_chunk("anthropic", "", &chunk, now));

    let totals = t.totals();
    assert_eq!(totals.len(), 2);
    assert_eq!(
        (
            totals[0].provider.as_str(),
            totals[0].model.as_str(),
            totals[0].prompt_tokens
        ),
        ("anthropic", "m-stream", 10)
    );
    assert_eq!(
        (
            totals[1].provider.as_str(),
            totals[1].model.as_str(),
            totals[1].completion_tokens
        ),
        ("openai", "m-2024", 4)
    );
}

#[test]
fn budget_blocks_the_next_request_not_the_one_in_flight() {
    let t = UsageTracker::new(dollar_table(), vec![Budget::new(Period::Day, 2.0)]);
    let now = at(MAR10_1059);
    t.check("openai", "m", now).expect("nothing spent");
    t.record("openai", "m", &Usage::new(1_000_000, 0), now); // 1 USD
    t.check("openai", "m", now).expect("1 of 2 USD spent");
    // This request takes spending past the limit: it was already allowed.
    t.record("openai", "m", &Usage::new(0, 1_000_000), now); // +2 USD
    let err = t
        .check("openai", "m", now)
        .expect_err("3 of 2 USD spent: the next request is refused");
    match err {
        Error::BudgetExceeded {
            ref period,
            ref scope,
            limit_usd,
            spent_usd,
        } => {
            assert_eq!(period, "day");
            assert_eq!(scope, &None);
            assert_eq!(limit_usd, 2.0);
            assert!(close(spent_usd, 3.0), "{spent_usd}");
        }
        other => panic!("expected BudgetExceeded, got {other:?}"),
    }
    assert_eq!(err.label(), "budget_exceeded");
    assert!(!err.allows_fallback() && !err.is_retryable());
    assert!(err.to_string().contains("day budget of 2.00 USD"), "{err}");
}

#[test]
fn reaching_the_limit_exactly_uses_the_budget_up() {
    let t = UsageTracker::new(dollar_table(), vec![Budget::new(Period::Total, 1.0)]);
    let now = at(MAR10_1059);
    t.record("p", "m", &Usage::new(1_000_000, 0), now);
    assert!(t.check("p", "m", now).is_err());
    let zero = UsageTracker::new(dollar_table(), vec![Budget::new(Period::Total, 0.0)]);
    assert!(
        zero.check("p", "m", now).is_err(),
        "a zero budget refuses all"
    );
}

#[test]
fn budgets_per_scope() {
    let budgets = vec![
        Budget::new(Period::Month, 1.5).scoped("openai"),
        Budget::new(Period::Month, 0.5).scoped("other"),
    ];
    let t = UsageTracker::new(dollar_table(), budgets);
    let now = at(MAR10_1059);
    t.record("openai", "m-1", &Usage::new(1_000_000, 0), now); // 1 USD on openai
    t.record("azure", "m-1", &Usage::new(1_000_000, 0), now); // 1 USD on azure
    assert!(close(t.spent(Period::Month, Some("openai"), now), 1.0));
    assert!(close(t.spent(Period::Month, Some("m-1"), now), 2.0));
    assert!(close(t.spent(Period::Month, None, now), 2.0));
    t.check("openai", "m-1", now).expect("openai: 1 of 1.5");
    t.check("azure", "other", now)
        .expect("`other` model: nothing spent on it yet");
    t.record("azure", "other", &Usage::new(200_000, 0), now); // 0.6 USD
    let err = t
        .check("openai", "other", now)
        .expect_err("the model budget applies to every provider");
    assert!(
        matches!(&err, Error::BudgetExceeded { scope: Some(s), .. } if s == "other"),
        "{err:?}"
    );
    t.check("azure", "m-1", now)
        .expect("no budget covers azure's m-1");
    t.record("openai", "m-1", &Usage::new(500_000, 0), now); // openai at 1.5
    let err = t.check("openai", "m-1", now).expect_err("openai used up");
    assert!(
        matches!(&err, Error::BudgetExceeded { scope: Some(s), period, .. } if s == "openai" && period == "month"),
        "{err:?}"
    );
}

#[test]
fn hourly_budget_resets_at_the_hour() {
    let t = UsageTracker::new(dollar_table(), vec![Budget::new(Period::Hour, 1.0)]);
    t.record("p", "m", &Usage::new(1_000_000, 0), at(MAR10_1059));
    assert!(t.check("p", "m", at(MAR10_1059)).is_err());
    t.check("p", "m", at(MAR10_1100))
        .expect("a new hour starts at :00");
    assert_eq!(t.spent(Period::Hour, None, at(MAR10_1100)), 0.0);
    // Spending at 11:00 does not count against 10:00-11:00.
    t.record("p", "m", &Usage::new(500_000, 0), at(MAR10_1100));
    assert!(close(t.spent(Period::Hour, None, at(MAR10_1059)), 1.0));
}

#[test]
fn daily_budget_resets_at_midnight_utc() {
    let t = UsageTracker::new(dollar_table(), vec![Budget::new(Period::Day, 1.0)]);
    t.record("p", "m", &Usage::new(1_000_000, 0), at(MAR10_1059));
    assert!(t.check("p", "m", at(MAR10_2359)).is_err());
    t.check("p", "m", at(MAR11_0000)).expect("a new day");
}

#[test]
fn monthly_budget_resets_on_the_first() {
    let t = UsageTracker::new(dollar_table(), vec![Budget::new(Period::Month, 1.0)]);
    t.record("p", "m", &Usage::new(1_000_000, 0), at(MAR10_1059));
    assert!(t.check("p", "m", at(MAR31_2359)).is_err());
    t.check("p", "m", at(APR01_0000)).expect("a new month");
    assert_eq!(t.spent(Period::Month, None, at(APR01_0000)), 0.0);
    // The total never resets.
    assert!(close(t.spent(Period::Total, None, at(APR01_0000)), 1.0));
}

#[test]
fn total_budget_never_resets() {
    let t = UsageTracker::new(dollar_table(), vec![Budget::new(Period::Total, 1.0)]);
    t.record("p", "m", &Usage::new(1_000_000, 0), at(MAR10_1059));
    let err = t
        .check("p", "m", at(APR01_0000 + 86_400 * 400))
        .expect_err("total");
    assert!(
        matches!(&err, Error::BudgetExceeded { period, .. } if period == "total"),
        "{err:?}"
    );
}

#[test]
fn first_exceeded_budget_in_order_is_reported() {
    let budgets = vec![
        Budget::new(Period::Month, 10.0),
        Budget::new(Period::Hour, 1.0),
        Budget::new(Period::Day, 1.0),
    ];
    let t = UsageTracker::new(dollar_table(), budgets.clone());
    assert_eq!(t.budgets(), &budgets[..]);
    t.record("p", "m", &Usage::new(1_000_000, 0), at(MAR10_1059));
    let err = t.check("p", "m", at(MAR10_1059)).expect_err("hour and day");
    assert!(
        matches!(&err, Error::BudgetExceeded { period, .. } if period == "hour"),
        "{err:?}"
    );
    let err = t.check("p", "m", at(MAR10_1100)).expect_err("day only");
    assert!(
        matches!(&err, Error::BudgetExceeded { period, .. } if period == "day"),
        "{err:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_recording_gives_exact_totals() {
    let t = UsageTracker::new(dollar_table(), Vec::new());
    let now = at(MAR10_1059);
    let tasks: Vec<_> = (0..64)
        .map(|i| {
            let t = t.clone();
            tokio::spawn(async move {
                let provider = if i % 2 == 0 { "a" } else { "b" };
                for _ in 0..100 {
                    t.record(provider, "m", &Usage::new(1_000_000, 1_000_000), now);
                    tokio::task::yield_now().await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task finished");
    }
    let totals = t.totals();
    assert_eq!(totals.len(), 2);
    for u in &totals {
        assert_eq!(u.requests, 32 * 100);
        assert_eq!(u.prompt_tokens, 32 * 100 * 1_000_000);
        assert_eq!(u.completion_tokens, 32 * 100 * 1_000_000);
        assert_eq!(u.cost_usd, 32.0 * 100.0 * 3.0);
    }
    assert_eq!(t.spent(Period::Hour, None, now), 64.0 * 100.0 * 3.0);
}
