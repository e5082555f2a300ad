//! Clients built from configuration files, end to end against fake
//! upstreams: providers, policies, usage and budgets, remote detection.

use deepsentinel::{ChatRequest, Error, Message, SentinelClient};
use deepsentinel_providers::testing::{FakeUpstream, Reply};

use crate::pipeline::completion;

fn write(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write config");
    p
}

fn ask(text: &str) -> ChatRequest {
    ChatRequest::new("llama3", vec![Message::user(text)])
}

#[tokio::test]
async fn a_file_configured_client_enforces_policy_and_counts_usage_and_budgets() {
    let fake = FakeUpstream::start().await.expect("bind");
    fake.fallback(completion("Noted, <EMAIL_ADDRESS_1>."));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "sentinel.toml",
        &format!(
            r#"
environment = "staging"

[providers.compatible.local]
base_url = "{}"
models = ["llama"]

[compliance]
policies = ["staging"]

[network]
timeout = "5s"
max_retries = 1

[usage]
prices = {{ "gpt-4o-mini" = {{ input_per_mtok = 1000000.0, output_per_mtok = 0.0 }} }}
budgets = [{{ period = "day", limit_usd = 15.0, scope = "local" }}]
"#,
            fake.url("/v1")
        ),
    );
    let client = SentinelClient::from_file(&path).expect("valid configuration");
    let r = client
        .chat()
        .completions()
        .create(ask("Mail jane.doe@example.com"))
        .await
        .expect("first call");
    assert_eq!(r.text(), "Noted, jane.doe@example.com.");
    assert_eq!(r.meta.provider, "local");
    let sent = String::from_utf8_lossy(&fake.requests()[0].body).into_owned();
    assert!(
        !sent.contains("jane.doe") && sent.contains("<EMAIL_ADDRESS_1>"),
        "{sent}"
    );
    let totals = client.usage();
    assert_eq!(totals.len(), 1);
    assert_eq!(
        (totals[0].prompt_tokens, totals[0].completion_tokens),
        (10, 5)
    );
    // 10 prompt tokens at 1 USD each: 10 USD of a 15 USD budget.
    assert!((totals[0].cost_usd - 10.0).abs() < 1e-9, "{totals:?}");
    client
        .chat()
        .completions()
        .create(ask("hello"))
        .await
        .expect("second call: 10 < 15");
    let e = client
        .chat()
        .completions()
        .create(ask("hello"))
        .await
        .expect_err("20 ≥ 15: spent");
    assert!(
        matches!(&e, Error::BudgetExceeded { period, .. } if period == "day"),
        "{e:?}"
    );
    assert_eq!(fake.requests().len(), 2, "the refused call never left");
}

#[tokio::test]
async fn remote_detection_findings_drive_the_decision() {
    let scan = FakeUpstream::start().await.expect("bind");
    let llm = FakeUpstream::start().await.expect("bind");
    // The remote service knows a code name the local scanner cannot.
    let text = "Ship it to BLUEBIRD tonight";
    scan.fallback(Reply::json(
        200,
        r#"{"results":[{"findings":[{"entity_type":"PERSON","category":"pii","start":11,"end":19,"score":0.9,"rule":"remote-person"}]}]}"#,
    ));
    llm.fallback(completion("Shipping to <PERSON_1>."));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "sentinel.yaml",
        &format!(
            "environment: staging\nproviders:\n  compatible:\n    local:\n      base_url: \"{}\"\ndetection:\n  mode: remote\n  remote_url: \"{}\"\n",
            llm.url("/v1"),
            scan.url("")
        ),
    );
    let client = SentinelClient::from_file(&path).expect("valid configuration");
    let r = client
        .chat()
        .completions()
        .create(ask(text))
        .await
        .expect("ok");
    assert_eq!(r.text(), "Shipping to BLUEBIRD.");
    let sent = String::from_utf8_lossy(&llm.requests()[0].body).into_owned();
    assert!(
        !sent.contains("BLUEBIRD") && sent.contains("<PERSON_1>"),
        "{sent}"
    );
    assert_eq!(scan.requests()[0].target, "/v1/scan");
    assert_eq!(scan.requests()[0].json()["texts"][0], text);
    // The scan service down: local detection takes over, the call works.
    scan.fallback(Reply::json(500, "{}"));
    let r = client
        .chat()
        .completions()
        .create(ask("mail jane.doe@example.com"))
        .await
        .expect("local fallback");
    assert_eq!(r.meta.compliance.expect("meta").decision, "anonymize");
}

/// A configuration naming no `breaker` and no `concurrency` still gets the
/// providers crate's defaults for both (docs/configuration.md): a breaker
/// that opens after 5 consecutive failures, and at most 64 calls in flight.
#[tokio::test]
async fn unset_breaker_and_concurrency_take_the_stack_defaults() {
    let failing = FakeUpstream::start().await.expect("bind");
    failing.fallback(Reply::json(
        500,
        r#"{"error":{"message":"boom","type":"server_error"}}"#,
    ));
    let slow = FakeUpstream::start().await.expect("bind");
    slow.fallback(completion("ok").delay(std::time::Duration::from_millis(1000)));
    let dir = tempfile::tempdir().expect("tempdir");
    let config = |name: &str, url: String| {
        write(
            dir.path(),
            name,
            &format!(
                "environment = \"staging\"\n[providers.compatible.local]\nbase_url = \"{url}\"\n\
                 [network]\nmax_retries = 0\ntimeout = \"30s\"\n"
            ),
        )
    };

    // The breaker: five failures reach the upstream, the sixth call is
    // refused without leaving (the balancer skips the open endpoint, and
    // with none left says `no_endpoint`).
    let client = SentinelClient::from_file(config("failing.toml", failing.url("/v1")))
        .expect("valid configuration");
    for i in 0..5 {
        let e = client
            .chat()
            .completions()
            .create(ask("hello"))
            .await
            .expect_err("the upstream fails");
        assert!(
            matches!(
                &e,
                Error::Provider {
                    status: Some(500),
                    ..
                }
            ),
            "call {i}: {e:?}"
        );
    }
    let e = client
        .chat()
        .completions()
        .create(ask("hello"))
        .await
        .expect_err("the breaker is open");
    assert!(
        matches!(&e, Error::Provider { code: Some(code), retryable: true, .. } if code == "no_endpoint"),
        "{e:?}"
    );
    assert_eq!(failing.requests().len(), 5, "the refused call never left");

    // The concurrency bound: of 80 concurrent calls, 64 reach the upstream
    // while the first ones are still being answered; the rest follow.
    let client = SentinelClient::from_file(config("slow.toml", slow.url("/v1")))
        .expect("valid configuration");
    let calls: Vec<_> = (0..80)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.chat().completions().create(ask("hello")).await })
        })
        .collect();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while slow.requests().len() < 64 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(slow.requests().len(), 64, "64 in flight, the rest waiting");
    for call in calls {
        call.await.expect("task").expect("answered");
    }
    assert_eq!(slow.requests().len(), 80);
}

#[test]
fn file_and_configuration_errors_are_typed_and_complete() {
    let e = SentinelClient::from_file("/nonexistent/sentinel.toml").expect_err("missing");
    assert!(
        matches!(&e, Error::Config { problems } if problems[0].path == "file"),
        "{e:?}"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "bad.toml",
        "environment = \"production\"\ndebug = true\n[compliance]\nmax_risk_score = 1.5\nmax_risk = 1\n[network]\ntimeout = \"0s\"\n",
    );
    let Err(Error::Config { problems }) = SentinelClient::from_file(&path) else {
        panic!("invalid configuration accepted")
    };
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert!(
        paths.contains(&"compliance.max_risk"),
        "unknown key reported: {paths:?}"
    );
}
