//! The compliance pipeline end to end, through the public API only, against
//! the fake provider server on loopback.

use std::sync::Arc;

use async_trait::async_trait;
use deepsentinel::{
    BypassRule, ChatRequest, Error, FailMode, Interceptor, Limits, Message, RequestContext,
    RequestOptions, SentinelClient,
};
use deepsentinel_core::ChatResponse;
use deepsentinel_policy::{CompliancePolicy, OperatorSpec, PolicySet};
use deepsentinel_providers::testing::{FakeUpstream, RecordedRequest, Reply};
use deepsentinel_providers::{
    FallbackTarget, HttpClient, NetworkConfig, OpenAiConfig, OpenAiProvider, RetryConfig,
    StackBuilder,
};
use futures_util::StreamExt;
use secrecy::SecretString;

const EMAIL: &str = "jane.doe@example.com";
const PHONE: &str = "415-555-0132";
const CARD: &str = "4539 5787 6362 1486";

pub(crate) fn openai(fake: &FakeUpstream, name: &str) -> Arc<dyn deepsentinel_core::Provider> {
    let mut cfg = OpenAiConfig::openai(SecretString::from("sk-test-key"));
    cfg.name = name.into();
    cfg.base_url = fake.url("/v1");
    let client = HttpClient::new(&NetworkConfig::default()).expect("client");
    Arc::new(OpenAiProvider::new(&cfg, client).expect("valid"))
}

pub(crate) fn completion(text: &str) -> Reply {
    Reply::json(
        200,
        serde_json::json!({
            "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
        })
        .to_string(),
    )
}

pub(crate) fn stream_of(pieces: &[&str]) -> Reply {
    let mut body = String::new();
    let chunk = |delta: serde_json::Value, finish: Option<&str>| {
        serde_json::json!({"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o-mini",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})
    };
    body.push_str(&format!(
        "data: {}\n\n",
        chunk(
            serde_json::json!({"role": "assistant", "content": ""}),
            None
        )
    ));
    for p in pieces {
        body.push_str(&format!(
            "data: {}\n\n",
            chunk(serde_json::json!({"content": p}), None)
        ));
    }
    body.push_str(&format!(
        "data: {}\n\n",
        chunk(serde_json::json!({}), Some("stop"))
    ));
    body.push_str("data: [DONE]\n\n");
    Reply::sse(body, 13)
}

fn client(fake: &FakeUpstream, preset: &str) -> SentinelClient {
    SentinelClient::builder()
        .provider("openai", openai(fake, "openai"))
        .policy_preset(preset)
        .build()
        .expect("valid client")
}

fn ask(text: &str) -> ChatRequest {
    ChatRequest::new(
        "gpt-4o-mini",
        vec![Message::system("You help."), Message::user(text)],
    )
}

/// Everything the upstream received, as one string: target, headers, body.
fn everything_sent(reqs: &[RecordedRequest]) -> String {
    reqs.iter()
        .map(|r| {
            let headers: String = r
                .headers
                .iter()
                .map(|(k, v)| format!("{k}: {v}\n"))
                .collect();
            format!(
                "{}\n{headers}\n{}",
                r.target,
                String::from_utf8_lossy(&r.body)
            )
        })
        .collect()
}

fn assert_no_raw_values(sent: &str) {
    for v in [EMAIL, PHONE, "Jane Doe", CARD, "4539578763621486"] {
        assert!(!sent.contains(v), "{v} reached the upstream:\n{sent}");
    }
}

#[tokio::test]
async fn a_blocked_request_never_reaches_the_network() {
    let fake = FakeUpstream::start().await.expect("bind");
    fake.fallback(completion("never"));
    let client = client(&fake, "production");
    let e = client
        .chat()
        .completions()
        .create(ask(&format!("Charge my card {CARD} please")))
        .await
        .expect_err("production blocks cards");
    let Error::ComplianceViolation {
        policy,
        violations,
        risk_score,
    } = &e
    else {
        panic!("expected a compliance violation, got {e:?}")
    };
    assert_eq!(policy, "production");
    assert!(
        violations
            .iter()
            .any(|v| v.to_string().contains("CREDIT_CARD")),
        "{violations:?}"
    );
    assert!(*risk_score > 0.5);
    assert!(
        !format!("{e} {e:?}").contains("4539"),
        "no value in the error"
    );
    let s = client
        .chat()
        .completions()
        .stream(ask(&format!("card {CARD}")))
        .await;
    assert!(matches!(s, Err(Error::ComplianceViolation { .. })));
    assert!(fake.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn anonymized_values_never_leave_and_come_back_restored() {
    let fake = FakeUpstream::start().await.expect("bind");
    fake.push([completion(
        "I will email <EMAIL_ADDRESS_1> and call <PHONE_NUMBER_1> for <PERSON_1>.",
    )]);
    let client = client(&fake, "staging");
    let r = client
        .chat()
        .completions()
        .create(ask(&format!(
            "Please email {EMAIL} and call {PHONE} for Jane Doe."
        )))
        .await
        .expect("anonymized, not blocked");
    let sent = everything_sent(&fake.requests());
    assert_no_raw_values(&sent);
    assert!(
        sent.contains("<EMAIL_ADDRESS_1>") && sent.contains("<PHONE_NUMBER_1>"),
        "{sent}"
    );
    assert_eq!(
        r.text(),
        format!("I will email {EMAIL} and call {PHONE} for Jane Doe.")
    );
    let c = r.meta.compliance.expect("compliance ran");
    assert_eq!(c.decision, "anonymize");
    assert_eq!(c.findings.get("EMAIL_ADDRESS"), Some(&1));
    assert_eq!(c.policy, "staging");
    assert_eq!(r.meta.provider, "openai");
}

#[tokio::test]
async fn streamed_replies_are_restored_even_when_placeholders_straddle_chunks() {
    let fake = FakeUpstream::start().await.expect("bind");
    fake.push([stream_of(&[
        "Writing to <EMAIL_",
        "ADDRESS_1> now",
        ", and to <PER",
        "SON_1>.",
    ])]);
    let client = client(&fake, "staging");
    let s = client
        .chat()
        .completions()
        .stream(ask(&format!("Write to {EMAIL} for Jane Doe")))
        .await
        .expect("starts");
    assert_eq!(
        s.meta.compliance.as_ref().map(|c| c.decision.as_str()),
        Some("anonymize")
    );
    let chunks: Vec<_> = s.map(|c| c.expect("no error")).collect().await;
    assert!(
        chunks.len() >= 4,
        "the stream is not collapsed: {} chunks",
        chunks.len()
    );
    for c in &chunks {
        let t = c.text();
        assert!(
            !t.contains("<EMAIL_") && !t.contains("ADDRESS_1>"),
            "no partial placeholder in a chunk: {t:?}"
        );
    }
    let text: String = chunks.iter().map(|c| c.text()).collect();
    assert_eq!(text, format!("Writing to {EMAIL} now, and to Jane Doe."));
    assert_no_raw_values(&everything_sent(&fake.requests()));
}

#[tokio::test]
async fn values_the_model_made_up_are_redacted_in_the_reply() {
    let fake = FakeUpstream::start().await.expect("bind");
    fake.push([
        completion("Try support@othercorp.example or 212-555-0199."),
        stream_of(&["Try support@other", "corp.example or 212-", "555-0199."]),
    ]);
    let client = client(&fake, "staging");
    let r = client
        .chat()
        .completions()
        .create(ask("Who can help me?"))
        .await
        .expect("ok");
    assert!(
        !r.text().contains("support@othercorp.example") && !r.text().contains("212-555-0199"),
        "{}",
        r.text()
    );
    assert!(r.text().contains("<EMAIL_ADDRESS>"), "{}", r.text());
    let c = r.meta.compliance.expect("ran");
    assert_eq!(c.reply_findings.get("EMAIL_ADDRESS"), Some(&1), "{c:?}");
    let s = client
        .chat()
        .completions()
        .stream(ask("Who can help me?"))
        .await
        .expect("starts");
    let text: String = s
        .map(|c| c.expect("ok").text())
        .collect::<Vec<_>>()
        .await
        .concat();
    assert!(
        !text.contains("othercorp") && !text.contains("0199"),
        "{text}"
    );
}

#[tokio::test]
async fn retries_and_fallback_still_honor_compliance() {
    let primary = FakeUpstream::start().await.expect("bind");
    let secondary = FakeUpstream::start().await.expect("bind");
    primary.fallback(Reply::json(503, "{}"));
    secondary.push([completion("Done for <EMAIL_ADDRESS_1>.")]);
    let mut stack = StackBuilder::new("openai");
    stack
        .endpoint(openai(&primary, "openai"))
        .retry(Some(RetryConfig {
            max_attempts: 2,
            base_backoff: std::time::Duration::from_millis(1),
            budget: None,
            ..RetryConfig::default()
        }))
        .fallback(
            openai(&secondary, "backup"),
            FallbackTarget::model("gpt-4o-mini"),
        );
    let client = SentinelClient::builder()
        .provider("openai", stack.build().expect("valid").provider())
        .policy_preset("staging")
        .build()
        .expect("valid");
    let r = client
        .chat()
        .completions()
        .create(ask(&format!("Notify {EMAIL}")))
        .await
        .expect("backup serves");
    assert_eq!(r.text(), format!("Done for {EMAIL}."));
    assert_eq!(r.meta.provider, "backup");
    assert_eq!(primary.requests().len(), 2);
    assert_no_raw_values(&everything_sent(&primary.requests()));
    assert_no_raw_values(&everything_sent(&secondary.requests()));
}

#[tokio::test]
async fn oversized_input_is_refused_before_the_network() {
    let fake = FakeUpstream::start().await.expect("bind");
    let client = SentinelClient::builder()
        .provider("openai", openai(&fake, "openai"))
        .limits(Limits {
            max_message_bytes: 100,
            max_request_bytes: 10_000,
        })
        .build()
        .expect("valid");
    let e = client
        .chat()
        .completions()
        .create(ask(&"x".repeat(101)))
        .await
        .expect_err("too big");
    assert!(
        matches!(&e, Error::InvalidRequest { param: Some(p), .. } if p == "messages[1].content"),
        "{e:?}"
    );
    let many = ChatRequest::new(
        "m",
        (0..200).map(|_| Message::user("y".repeat(90))).collect(),
    );
    let e = client
        .chat()
        .completions()
        .create(many)
        .await
        .expect_err("request too big");
    assert!(e.to_string().contains("limit is 10000 bytes"), "{e}");
    assert!(fake.requests().is_empty());
}

struct AddContext;

#[async_trait]
impl Interceptor for AddContext {
    async fn before(&self, req: &mut ChatRequest, _: &RequestContext) -> Result<(), Error> {
        req.messages
            .push(Message::user(format!("(account owner: {EMAIL})")));
        Ok(())
    }
    async fn after(&self, resp: &mut ChatResponse, ctx: &RequestContext) -> Result<(), Error> {
        // The after hook sees the restored reply and the caller's metadata.
        if let Some(c) = resp.choices.first_mut() {
            let text = format!(
                "{} [user {}]",
                c.message.text(),
                ctx.options.user.as_deref().unwrap_or("-")
            );
            c.message.content = deepsentinel_core::chat::Nullable::Value(text.into());
        }
        Ok(())
    }
}

#[tokio::test]
async fn interceptors_run_around_the_call_and_their_additions_are_checked() {
    let fake = FakeUpstream::start().await.expect("bind");
    fake.push([completion("Owner is <EMAIL_ADDRESS_1>.")]);
    let client = SentinelClient::builder()
        .provider("openai", openai(&fake, "openai"))
        .policy_preset("staging")
        .interceptor(Arc::new(AddContext))
        .build()
        .expect("valid");
    let r = client
        .chat()
        .completions()
        .create_with(
            ask("Who owns this?"),
            &RequestOptions::default().with_user("u-7"),
        )
        .await
        .expect("ok");
    assert_no_raw_values(&everything_sent(&fake.requests()));
    assert_eq!(r.text(), format!("Owner is {EMAIL}. [user u-7]"));
}

#[tokio::test]
async fn bypass_rules_skip_compliance_and_say_so() {
    let fake = FakeUpstream::start().await.expect("bind");
    fake.fallback(completion("ok"));
    let client = SentinelClient::builder()
        .provider("openai", openai(&fake, "openai"))
        .policy_preset("production")
        .bypass(BypassRule {
            user: Some("ops-bot".into()),
            ..BypassRule::default()
        })
        .build()
        .expect("valid");
    let text = format!("card {CARD}");
    let r = client
        .chat()
        .completions()
        .create_with(ask(&text), &RequestOptions::default().with_user("ops-bot"))
        .await
        .expect("bypassed");
    let c = r.meta.compliance.expect("meta");
    assert_eq!(
        (c.decision.as_str(), c.bypass_rule.as_deref()),
        ("bypassed", Some("user=ops-bot"))
    );
    assert!(
        everything_sent(&fake.requests()).contains(CARD),
        "a bypass sends the text as is"
    );
    let e = client
        .chat()
        .completions()
        .create_with(
            ask(&text),
            &RequestOptions::default().with_user("someone-else"),
        )
        .await;
    assert!(
        matches!(e, Err(Error::ComplianceViolation { .. })),
        "others are still checked"
    );
}

fn hashing_policy() -> PolicySet {
    let mut p = CompliancePolicy::preset("staging").expect("preset");
    p.operators.insert(
        deepsentinel_core::EntityType::EmailAddress,
        OperatorSpec::Hash { bytes: 16 },
    );
    PolicySet::single(p).expect("valid")
}

#[tokio::test]
async fn the_fail_mode_decides_when_the_engine_fails() {
    // The hash operator needs a key; none is configured, so the engine
    // fails on an e-mail address.
    let fake = FakeUpstream::start().await.expect("bind");
    fake.fallback(completion("ok"));
    for (mode, allowed) in [(FailMode::Block, false), (FailMode::Allow, true)] {
        let client = SentinelClient::builder()
            .provider("openai", openai(&fake, "openai"))
            .policies(hashing_policy())
            .fail_mode(mode)
            .build()
            .expect("valid");
        let r = client
            .chat()
            .completions()
            .create(ask(&format!("mail {EMAIL}")))
            .await;
        match (allowed, r) {
            (
                false,
                Err(Error::ComplianceViolation {
                    policy, violations, ..
                }),
            ) => {
                assert!(policy.contains("fail mode: block") && violations.is_empty());
            }
            (true, Ok(r)) => assert_eq!(r.meta.compliance.expect("meta").decision, "fail_open"),
            (_, other) => panic!("{mode:?}: unexpected {other:?}"),
        }
    }
    assert_eq!(fake.requests().len(), 1, "only the fail-open call was sent");
}

#[tokio::test]
async fn tags_select_policies_and_providers_are_routed() {
    let a = FakeUpstream::start().await.expect("bind");
    let b = FakeUpstream::start().await.expect("bind");
    a.fallback(completion("from a"));
    b.fallback(completion("from b"));
    let client = SentinelClient::builder()
        .provider("a", openai(&a, "a"))
        .provider("b", openai(&b, "b"))
        .route("claude-", "b")
        .policy_preset("development")
        .tag_policies(
            "strict",
            PolicySet::single(CompliancePolicy::preset("production").expect("p")).expect("v"),
        )
        .build()
        .expect("valid");
    let card = ask(&format!("card {CARD}"));
    let r = client
        .chat()
        .completions()
        .create(card.clone())
        .await
        .expect("development logs only");
    assert_eq!(
        (
            r.text().as_str(),
            r.meta.compliance.expect("m").decision.as_str()
        ),
        ("from a", "log")
    );
    let e = client
        .chat()
        .completions()
        .create_with(card, &RequestOptions::default().with_tag("strict"))
        .await;
    assert!(matches!(e, Err(Error::ComplianceViolation { .. })), "{e:?}");
    let mut claude = ask("hi");
    claude.model = "claude-sonnet-4-5".into();
    assert_eq!(
        client
            .chat()
            .completions()
            .create(claude.clone())
            .await
            .expect("routed")
            .text(),
        "from b"
    );
    let r = client
        .chat()
        .completions()
        .create_with(claude, &RequestOptions::provider("a"))
        .await
        .expect("named");
    assert_eq!(r.text(), "from a");
    let e = client
        .chat()
        .completions()
        .create_with(ask("hi"), &RequestOptions::provider("zzz"))
        .await;
    assert!(matches!(e, Err(Error::InvalidRequest { .. })));
}

#[tokio::test]
async fn embeddings_inputs_are_checked_too() {
    let fake = FakeUpstream::start().await.expect("bind");
    fake.push([Reply::json(
        200,
        r#"{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1]}],"model":"e","usage":{"prompt_tokens":1,"total_tokens":1}}"#,
    )]);
    let client = client(&fake, "staging");
    let req = serde_json::from_value(
        serde_json::json!({"model": "text-embedding-3-small", "input": [format!("mail {EMAIL}")]}),
    )
    .expect("valid");
    let r = client.embeddings().create(req).await.expect("embeds");
    assert_eq!(r.meta.compliance.expect("ran").decision, "anonymize");
    assert_no_raw_values(&everything_sent(&fake.requests()));
}

#[tokio::test]
async fn health_reports_providers_and_the_self_test() {
    let up = FakeUpstream::start().await.expect("bind");
    let down = FakeUpstream::start().await.expect("bind");
    up.fallback(Reply::json(
        200,
        r#"{"object":"list","data":[{"id":"gpt-4o","object":"model"}]}"#,
    ));
    down.fallback(Reply::json(503, "{}"));
    let client = SentinelClient::builder()
        .provider("up", openai(&up, "up"))
        .provider("down", openai(&down, "down"))
        .build()
        .expect("valid");
    let h = client.health().await;
    assert!(h.compliance_ok && h.is_ready());
    assert_eq!(h.providers.len(), 2);
    assert!(h.providers[0].error.is_none());
    assert!(
        h.providers[1]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("503")),
        "{:?}",
        h.providers[1]
    );
    assert!(
        up.requests()
            .iter()
            .all(|r| r.method == "GET" && r.target == "/v1/models"),
        "never a paid call"
    );
    let models = client.models().list().await.expect("one provider answers");
    assert_eq!(models.data[0].id, "gpt-4o");
}

#[tokio::test]
async fn builder_problems_are_all_listed() {
    let e = SentinelClient::builder()
        .route("gpt-", "nope")
        .default_provider("missing")
        .policy_preset("no-such-preset")
        .limits(Limits {
            max_message_bytes: 0,
            max_request_bytes: 0,
        })
        .build()
        .expect_err("invalid");
    let Error::Config { problems } = e else {
        panic!("config error")
    };
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "providers",
            "routes.gpt-",
            "default_provider",
            "compliance.max_message_bytes",
            "compliance.max_request_bytes",
            "compliance.policies"
        ]
    );
}
