//! Both formats end to end: no raw value reaches the upstream (target,
//! headers, body), the caller gets its values back, leaked values in
//! replies arrive redacted whatever the SSE split.

use deepsentinel_gateway::ServerConfig;
use deepsentinel_providers::testing::{FakeUpstream, Reply};
use serde_json::json;

use crate::common::*;

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

#[tokio::test]
async fn openai_format_round_trip_is_anonymized_and_restored() {
    let fake = FakeUpstream::start().await.expect("bind");
    fake.push([
        Reply::json(
            200,
            openai_completion("Emailing <EMAIL_ADDRESS_1> and calling <PHONE_NUMBER_1>."),
        ),
        Reply::sse(
            openai_sse(&[
                "Emailing <EMAIL_",
                "ADDRESS_1> and calling <PHONE",
                "_NUMBER_1>.",
            ]),
            7,
        ),
    ]);
    let gw = spawn(client(openai(&fake), "staging"), ServerConfig::default()).await;
    let ask = format!("Email {EMAIL} and call {PHONE}");
    let body = json!({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": ask}]});
    let resp = http()
        .post(format!("{}/v1/chat/completions", gw.url))
        .json(&body)
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["x-deepsentinel-decision"], "anonymize");
    let risk = resp.headers()["x-deepsentinel-risk-score"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let (units, decimals) = risk.split_once('.').expect("a decimal point");
    assert!(
        units.len() == 1 && decimals.len() == 3 && decimals.bytes().all(|b| b.is_ascii_digit()),
        "three decimals: {risk}"
    );
    let risk: f64 = risk.parse().expect("a number");
    assert!(risk > 0.0 && risk <= 1.0, "{risk}");
    assert!(resp.headers().contains_key("x-request-id"));
    let v: serde_json::Value = resp.json().await.expect("json");
    assert_eq!(
        v["choices"][0]["message"]["content"],
        format!("Emailing {EMAIL} and calling {PHONE}.")
    );
    let mut streamed = body.clone();
    streamed["stream"] = json!(true);
    let resp = http()
        .post(format!("{}/v1/chat/completions", gw.url))
        .json(&streamed)
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.headers()["content-type"], "text/event-stream");
    let text = resp.text().await.expect("body");
    let (reply, done, pieces) = openai_stream_text(&text);
    assert_eq!(reply, format!("Emailing {EMAIL} and calling {PHONE}."));
    assert_eq!(done, 1, "exactly one [DONE]");
    assert!(
        pieces.len() >= 3,
        "not collapsed into one chunk: {pieces:?}"
    );
    assert!(
        pieces
            .iter()
            .all(|p| !p.contains("<EMAIL_") && !p.contains("<PHONE")),
        "{pieces:?}"
    );
    assert_clean(&captured(&fake.requests()));
}

#[tokio::test]
async fn anthropic_format_round_trip_is_anonymized_and_restored() {
    let fake = FakeUpstream::start().await.expect("bind");
    fake.push([
        Reply::json(
            200,
            anthropic_message("Emailing <EMAIL_ADDRESS_1> for <PERSON_1>."),
        ),
        Reply::sse(
            anthropic_sse(&["Emailing <EMAIL", "_ADDRESS_1> for <PER", "SON_1>."]),
            5,
        ),
    ]);
    let gw = spawn(client(anthropic(&fake), "staging"), ServerConfig::default()).await;
    let body = json!({
        "model": "claude-sonnet-4-5", "max_tokens": 100,
        "system": format!("Assist Jane Doe ({EMAIL})."),
        "messages": [{"role": "user", "content": [{"type": "text", "text": format!("Email {EMAIL} for Jane Doe")}]}]
    });
    let resp = http()
        .post(format!("{}/v1/messages", gw.url))
        .header("anthropic-version", "2023-06-01")
        .json(&body)
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status(), 200);
    let v: serde_json::Value = resp.json().await.expect("json");
    assert_eq!(v["type"], "message");
    assert_eq!(
        v["content"][0]["text"],
        format!("Emailing {EMAIL} for Jane Doe.")
    );
    let mut streamed = body.clone();
    streamed["stream"] = json!(true);
    let text = http()
        .post(format!("{}/v1/messages", gw.url))
        .json(&streamed)
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("body");
    let (reply, names) = anthropic_stream_text(&text);
    assert_eq!(reply, format!("Emailing {EMAIL} for Jane Doe."));
    assert_eq!(names.first().map(String::as_str), Some("message_start"));
    assert_eq!(names.last().map(String::as_str), Some("message_stop"));
    let sent = captured(&fake.requests());
    assert_clean(&sent);
    assert!(sent.contains("<EMAIL_ADDRESS_1>"), "{sent}");
}

#[tokio::test]
async fn leaked_values_split_at_every_offset_arrive_redacted() {
    let leaked = "Write to john.smith@corp.example today.";
    let start = leaked.find("john").expect("value");
    let end = start + "john.smith@corp.example".len();
    let fake = FakeUpstream::start().await.expect("bind");
    for k in start..=end {
        fake.push([Reply::sse(openai_sse(&[&leaked[..k], &leaked[k..]]), 64)]);
    }
    let gw = spawn(client(openai(&fake), "staging"), ServerConfig::default()).await;
    let body = json!({"model": "gpt-4o-mini", "stream": true, "messages": [{"role": "user", "content": "Who do I write to?"}]});
    for k in start..=end {
        let text = http()
            .post(format!("{}/v1/chat/completions", gw.url))
            .json(&body)
            .send()
            .await
            .expect("sent")
            .text()
            .await
            .expect("body");
        let (reply, done, pieces) = openai_stream_text(&text);
        assert_eq!(reply, "Write to <EMAIL_ADDRESS> today.", "split at {k}");
        assert_eq!(done, 1);
        for p in &pieces {
            assert!(
                !p.contains("john") && !p.contains("corp.example"),
                "split {k}: partial value in {p:?}"
            );
        }
    }
}

#[tokio::test]
async fn tool_calls_pass_through_with_arguments_restored() {
    let fake = FakeUpstream::start().await.expect("bind");
    fake.push([Reply::json(
        200,
        json!({"id": "c", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini",
            "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant", "content": null,
                "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "send_mail",
                    "arguments": "{\"to\":\"<EMAIL_ADDRESS_1>\"}"}}]}}]})
        .to_string(),
    )]);
    let gw = spawn(client(openai(&fake), "staging"), ServerConfig::default()).await;
    let body = json!({"model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": format!("Mail {EMAIL}")}],
        "tools": [{"type": "function", "function": {"name": "send_mail", "parameters": {"type": "object", "properties": {"to": {"type": "string"}}}}}]});
    let v: serde_json::Value = http()
        .post(format!("{}/v1/chat/completions", gw.url))
        .json(&body)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let args = v["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"]
        .as_str()
        .expect("arguments");
    let args: serde_json::Value = serde_json::from_str(args).expect("arguments stay JSON");
    assert_eq!(args["to"], EMAIL);
    assert_clean(&captured(&fake.requests()));
}

#[tokio::test]
async fn a_blocked_request_is_a_400_compliance_violation_and_never_sent() {
    let fake = FakeUpstream::start().await.expect("bind");
    let gw = spawn(client(openai(&fake), "production"), ServerConfig::default()).await;
    let body = json!({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": format!("card {CARD}")}]});
    let resp = http()
        .post(format!("{}/v1/chat/completions", gw.url))
        .json(&body)
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status(), 400);
    assert_eq!(resp.headers()["x-should-retry"], "false");
    let text = resp.text().await.expect("body");
    assert!(!text.contains("4539"), "no value in the error: {text}");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["error"]["type"], "compliance_violation");
    assert_eq!(v["error"]["violations"][0]["entity_type"], "CREDIT_CARD");
    assert!(v["error"]["risk_score"].as_f64().is_some_and(|r| r > 0.5));
    let resp = http()
        .post(format!("{}/v1/messages", gw.url))
        .json(&json!({"model": "claude", "max_tokens": 10, "messages": [{"role": "user", "content": format!("card {CARD}")}]}))
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status(), 400);
    let v: serde_json::Value = resp.json().await.expect("json");
    assert_eq!(
        (v["type"].as_str(), v["error"]["type"].as_str()),
        (Some("error"), Some("compliance_violation"))
    );
    assert!(fake.requests().is_empty());
}
