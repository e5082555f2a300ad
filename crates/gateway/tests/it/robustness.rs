//! Bad input, authentication, load shedding, slow clients, shutdown, and
//! the service endpoints.

use std::time::Duration;

use deepsentinel_gateway::{KeyConfig, ServerConfig};
use deepsentinel_providers::testing::{FakeUpstream, Reply};
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::*;

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

async fn post_raw(url: &str, body: Vec<u8>) -> (u16, serde_json::Value) {
    let resp = http()
        .post(url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("sent");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(serde_json::Value::Null))
}

#[tokio::test]
async fn bad_input_gets_typed_errors_and_the_server_keeps_serving() {
    let fake = FakeUpstream::start().await.expect("bind");
    fake.fallback(Reply::json(200, openai_completion("fine")));
    let config = ServerConfig {
        max_body_bytes: 64 << 10,
        ..ServerConfig::default()
    };
    let gw = spawn(client(openai(&fake), "staging"), config).await;
    let chat = format!("{}/v1/chat/completions", gw.url);
    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        (
            "malformed JSON",
            b"{\"model\": \"m\", \"messages\": [".to_vec(),
            400,
        ),
        (
            "wrong types",
            br#"{"model": 7, "messages": "hi"}"#.to_vec(),
            400,
        ),
        ("missing field", br#"{"messages": []}"#.to_vec(), 400),
        (
            "invalid UTF-8",
            b"{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"\xff\xfe\"}]}"
                .to_vec(),
            400,
        ),
        (
            "oversized",
            format!(
                "{{\"model\":\"m\",\"messages\":[{{\"role\":\"user\",\"content\":\"{}\"}}]}}",
                "a".repeat(70 << 10)
            )
            .into_bytes(),
            413,
        ),
    ];
    for (name, body, status) in cases {
        let (got, v) = post_raw(&chat, body).await;
        assert_eq!(got, status, "{name}: {v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{name}: {v}"
        );
    }
    let resp = http()
        .get(format!("{}/v2/nothing", gw.url))
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status(), 404);
    let resp = http().get(&chat).send().await.expect("sent");
    assert_eq!(resp.status(), 405);
    // Still serving.
    let ok = http()
        .post(&chat)
        .json(&json!({"model": "m", "messages": [{"role": "user", "content": "hello"}]}))
        .send()
        .await
        .expect("sent");
    assert_eq!(ok.status(), 200);
}

#[tokio::test]
async fn a_slow_loris_client_is_cut_off_and_others_are_served() {
    let fake = FakeUpstream::start().await.expect("bind");
    fake.fallback(Reply::json(200, openai_completion("fine")));
    let config = ServerConfig {
        header_timeout: Duration::from_millis(300),
        ..ServerConfig::default()
    };
    let gw = spawn(client(openai(&fake), "staging"), config).await;
    let addr = gw.url.trim_start_matches("http://").to_owned();
    let mut slow = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    slow.write_all(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("partial headers");
    // Others are served meanwhile.
    let ok = http()
        .post(format!("{}/v1/chat/completions", gw.url))
        .json(&json!({"model": "m", "messages": [{"role": "user", "content": "hello"}]}))
        .send()
        .await
        .expect("sent");
    assert_eq!(ok.status(), 200);
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the slow connection was closed by the server");
}

fn keyed(keys: Vec<KeyConfig>) -> ServerConfig {
    ServerConfig {
        keys,
        ..ServerConfig::default()
    }
}

fn key(id: &str, secret: &str) -> KeyConfig {
    KeyConfig {
        id: id.into(),
        sha256: Sha256::digest(secret.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        policy: None,
        models: Vec::new(),
        requests_per_minute: None,
    }
}

#[tokio::test]
async fn gateway_keys_authenticate_and_limit() {
    let fake = FakeUpstream::start().await.expect("bind");
    fake.fallback(Reply::json(200, openai_completion("fine")));
    let mut limited = key("limited", "sk-gw-limited");
    limited.models = vec!["gpt-4o-mini".into()];
    // Every authenticated request counts, the refused one included.
    limited.requests_per_minute = Some(3);
    let gw = spawn(
        client(openai(&fake), "staging"),
        keyed(vec![key("team", "sk-gw-team"), limited]),
    )
    .await;
    let chat = format!("{}/v1/chat/completions", gw.url);
    let body = json!({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hello"}]});
    let send = |auth: Option<(&'static str, String)>, body: serde_json::Value| {
        let mut rb = http().post(&chat).json(&body);
        if let Some((h, v)) = auth {
            rb = rb.header(h, v);
        }
        rb.send()
    };
    assert_eq!(send(None, body.clone()).await.expect("sent").status(), 401);
    assert_eq!(
        send(Some(("authorization", "Bearer wrong".into())), body.clone())
            .await
            .expect("sent")
            .status(),
        401
    );
    assert_eq!(
        send(
            Some(("authorization", "Bearer sk-gw-team".into())),
            body.clone()
        )
        .await
        .expect("sent")
        .status(),
        200
    );
    assert_eq!(
        send(Some(("x-api-key", "sk-gw-team".into())), body.clone())
            .await
            .expect("sent")
            .status(),
        200
    );
    let other_model =
        json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "hello"}]});
    assert_eq!(
        send(Some(("x-api-key", "sk-gw-limited".into())), other_model)
            .await
            .expect("sent")
            .status(),
        403
    );
    for _ in 0..2 {
        assert_eq!(
            send(Some(("x-api-key", "sk-gw-limited".into())), body.clone())
                .await
                .expect("sent")
                .status(),
            200
        );
    }
    let resp = send(Some(("x-api-key", "sk-gw-limited".into())), body.clone())
        .await
        .expect("sent");
    assert_eq!(resp.status(), 429);
    assert!(resp.headers().contains_key("retry-after"));
    // Errors never echo the presented key.
    let text = send(
        Some(("authorization", "Bearer sk-secret-attempt".into())),
        body,
    )
    .await
    .expect("sent")
    .text()
    .await
    .expect("body");
    assert!(!text.contains("sk-secret-attempt"), "{text}");
}

#[tokio::test]
async fn over_capacity_requests_are_shed_with_retry_after() {
    let fake = FakeUpstream::start().await.expect("bind");
    fake.push([Reply::json(200, openai_completion("slow")).delay(Duration::from_millis(800))]);
    fake.fallback(Reply::json(200, openai_completion("fast")));
    let config = ServerConfig {
        max_concurrency: 1,
        ..ServerConfig::default()
    };
    let gw = spawn(client(openai(&fake), "staging"), config).await;
    let chat = format!("{}/v1/chat/completions", gw.url);
    let body = json!({"model": "m", "messages": [{"role": "user", "content": "hello"}]});
    let first = tokio::spawn(http().post(&chat).json(&body).send());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let shed = http().post(&chat).json(&body).send().await.expect("sent");
    assert_eq!(shed.status(), 503);
    assert_eq!(shed.headers()["retry-after"], "1");
    assert_eq!(first.await.expect("task").expect("sent").status(), 200);
    let after = http().post(&chat).json(&body).send().await.expect("sent");
    assert_eq!(after.status(), 200, "capacity is back");
}

#[tokio::test]
async fn shutdown_lets_a_stream_in_flight_finish_then_stops() {
    let fake = FakeUpstream::start().await.expect("bind");
    fake.push([
        Reply::sse(openai_sse(&["one ", "two ", "three"]), 40).pace(Duration::from_millis(150))
    ]);
    let mut gw = spawn(client(openai(&fake), "staging"), ServerConfig::default()).await;
    let body =
        json!({"model": "m", "stream": true, "messages": [{"role": "user", "content": "count"}]});
    let resp = http()
        .post(format!("{}/v1/chat/completions", gw.url))
        .json(&body)
        .send()
        .await
        .expect("sent");
    gw.stop();
    let text = resp.text().await.expect("the stream finishes");
    let (reply, done, _) = openai_stream_text(&text);
    assert_eq!((reply.as_str(), done), ("one two three", 1));
    tokio::time::timeout(Duration::from_secs(5), &mut gw.task)
        .await
        .expect("server stops")
        .expect("task")
        .expect("ok");
    assert!(
        http()
            .get(format!("{}/healthz", gw.url))
            .send()
            .await
            .is_err(),
        "no longer accepting"
    );
}

#[tokio::test]
async fn service_endpoints_answer() {
    let fake = FakeUpstream::start().await.expect("bind");
    fake.fallback(Reply::json(
        200,
        r#"{"object":"list","data":[{"id":"gpt-4o","object":"model"}]}"#,
    ));
    let gw = spawn(client(openai(&fake), "staging"), ServerConfig::default()).await;
    assert_eq!(
        http()
            .get(format!("{}/healthz", gw.url))
            .send()
            .await
            .expect("sent")
            .status(),
        200
    );
    let ready: serde_json::Value = http()
        .get(format!("{}/readyz", gw.url))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(
        (
            ready["ready"].as_bool(),
            ready["compliance_self_test"].as_bool()
        ),
        (Some(true), Some(true))
    );
    let scan: serde_json::Value = http()
        .post(format!("{}/v1/scan", gw.url))
        .json(&json!({"texts": [format!("mail {EMAIL}"), "nothing"]}))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(
        scan["results"][0]["findings"][0]["entity_type"],
        "EMAIL_ADDRESS"
    );
    assert_eq!(scan["results"][0]["findings"][0]["start"], 5);
    assert_eq!(scan["results"][1]["findings"], json!([]));
    let red: serde_json::Value = http()
        .post(format!("{}/v1/redact", gw.url))
        .json(&json!({"text": format!("mail {EMAIL}")}))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(red["text"], "mail <EMAIL_ADDRESS_1>");
    let models: serde_json::Value = http()
        .get(format!("{}/v1/models", gw.url))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(models["data"][0]["id"], "gpt-4o");
    let metrics = http()
        .get(format!("{}/metrics", gw.url))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("text");
    assert!(
        metrics.contains("deepsentinel_requests_total{endpoint=\"scan\",status=\"200\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("deepsentinel_decisions_total{decision=\"anonymize\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("deepsentinel_request_duration_seconds_bucket"),
        "{metrics}"
    );
}

#[tokio::test]
async fn whole_requests_are_protected_tools_and_unknown_keys_included() {
    let fake = FakeUpstream::start().await.expect("bind");
    fake.fallback(Reply::json(200, openai_completion("ok")));
    let gw = spawn(client(openai(&fake), "staging"), ServerConfig::default()).await;
    let body = json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "hello"}],
        "tools": [{"type": "function", "function": {"name": "notify",
            "description": format!("Notifies {EMAIL} by mail"),
            "parameters": {"type": "object", "properties": {"to": {"type": "string", "description": format!("defaults to {EMAIL}")}}}}}],
        "metadata": {"note": format!("escalate to {EMAIL}")},
        "x_custom": {"deep": [format!("call {PHONE}")]}
    });
    let resp = http()
        .post(format!("{}/v1/chat/completions", gw.url))
        .json(&body)
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status(), 200);
    let sent = captured(&fake.requests());
    assert_clean(&sent);
    let forwarded = fake.requests()[0].json();
    assert!(
        forwarded["x_custom"]["deep"][0]
            .as_str()
            .is_some_and(|s| s.starts_with("call <PHONE")),
        "{forwarded}"
    );
    assert_eq!(
        forwarded["tools"][0]["function"]["parameters"]["properties"]["to"]["type"],
        "string"
    );
}
