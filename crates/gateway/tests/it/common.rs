//! A gateway on `127.0.0.1:0` in front of fake upstreams.

use std::sync::Arc;

use deepsentinel::SentinelClient;
use deepsentinel_core::Provider;
use deepsentinel_gateway::{Gateway, ServerConfig, serve};
use deepsentinel_providers::testing::{FakeUpstream, RecordedRequest};
use deepsentinel_providers::{
    AnthropicConfig, AnthropicProvider, HttpClient, NetworkConfig, OpenAiConfig, OpenAiProvider,
};
use secrecy::SecretString;
use tokio::sync::oneshot;

pub(crate) struct Running {
    pub(crate) url: String,
    stop: Option<oneshot::Sender<()>>,
    pub(crate) task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Signals shutdown (as SIGTERM would).
    pub(crate) fn stop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop();
    }
}

pub(crate) async fn spawn(client: SentinelClient, config: ServerConfig) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(serve(Gateway::new(client, config), listener, async move {
        let _ = rx.await;
    }));
    Running {
        url,
        stop: Some(tx),
        task,
    }
}

pub(crate) fn openai(fake: &FakeUpstream) -> Arc<dyn Provider> {
    let mut cfg = OpenAiConfig::openai(SecretString::from("sk-upstream-key"));
    cfg.base_url = fake.url("/v1");
    Arc::new(
        OpenAiProvider::new(
            &cfg,
            HttpClient::new(&NetworkConfig::default()).expect("client"),
        )
        .expect("valid"),
    )
}

pub(crate) fn anthropic(fake: &FakeUpstream) -> Arc<dyn Provider> {
    let mut cfg = AnthropicConfig::new(SecretString::from("sk-ant-upstream-key"));
    cfg.base_url = fake.url("");
    Arc::new(
        AnthropicProvider::new(
            &cfg,
            HttpClient::new(&NetworkConfig::default()).expect("client"),
        )
        .expect("valid"),
    )
}

/// A client over `fake` (OpenAI-format upstream) with `preset`.
pub(crate) fn client(provider: Arc<dyn Provider>, preset: &str) -> SentinelClient {
    SentinelClient::builder()
        .provider("upstream", provider)
        .policy_preset(preset)
        .build()
        .expect("valid client")
}

/// Everything the upstream received: request line target, headers, body.
pub(crate) fn captured(reqs: &[RecordedRequest]) -> String {
    reqs.iter()
        .map(|r| {
            let headers: String = r
                .headers
                .iter()
                .map(|(k, v)| format!("{k}: {v}\n"))
                .collect();
            format!(
                "{} {}\n{headers}\n{}",
                r.method,
                r.target,
                String::from_utf8_lossy(&r.body)
            )
        })
        .collect()
}

pub(crate) const EMAIL: &str = "jane.doe@example.com";
pub(crate) const PHONE: &str = "415-555-0132";
pub(crate) const CARD: &str = "4539 5787 6362 1486";

pub(crate) fn assert_clean(sent: &str) {
    for v in [EMAIL, PHONE, "Jane Doe", CARD, "4539578763621486"] {
        assert!(!sent.contains(v), "{v} reached the upstream:\n{sent}");
    }
}

pub(crate) fn openai_completion(text: &str) -> String {
    serde_json::json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
    })
    .to_string()
}

pub(crate) fn openai_sse(pieces: &[&str]) -> String {
    let chunk = |delta: serde_json::Value, finish: Option<&str>| {
        format!(
            "data: {}\n\n",
            serde_json::json!({"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o-mini",
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})
        )
    };
    let mut body = chunk(
        serde_json::json!({"role": "assistant", "content": ""}),
        None,
    );
    for p in pieces {
        body.push_str(&chunk(serde_json::json!({"content": p}), None));
    }
    body.push_str(&chunk(serde_json::json!({}), Some("stop")));
    body.push_str("data: [DONE]\n\n");
    body
}

pub(crate) fn anthropic_message(text: &str) -> String {
    serde_json::json!({
        "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
        "content": [{"type": "text", "text": text}], "stop_reason": "end_turn", "stop_sequence": null,
        "usage": {"input_tokens": 10, "output_tokens": 5}
    })
    .to_string()
}

pub(crate) fn anthropic_sse(pieces: &[&str]) -> String {
    let ev = |name: &str, v: serde_json::Value| format!("event: {name}\ndata: {v}\n\n");
    let mut s = ev(
        "message_start",
        serde_json::json!({"type": "message_start", "message": {"id": "msg_1", "type": "message",
        "role": "assistant", "content": [], "model": "claude-sonnet-4-5", "stop_reason": null, "stop_sequence": null,
        "usage": {"input_tokens": 10, "output_tokens": 1}}}),
    );
    s.push_str(&ev("content_block_start", serde_json::json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}})));
    for p in pieces {
        s.push_str(&ev("content_block_delta", serde_json::json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}})));
    }
    s.push_str(&ev(
        "content_block_stop",
        serde_json::json!({"type": "content_block_stop", "index": 0}),
    ));
    s.push_str(&ev("message_delta", serde_json::json!({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}, "usage": {"output_tokens": 5}})));
    s.push_str(&ev(
        "message_stop",
        serde_json::json!({"type": "message_stop"}),
    ));
    s
}

/// The text of an OpenAI SSE body, and how many `[DONE]` it has.
pub(crate) fn openai_stream_text(body: &str) -> (String, usize, Vec<String>) {
    let mut text = String::new();
    let mut pieces = Vec::new();
    let mut done = 0;
    for line in body.lines() {
        let Some(data) = line.strip_prefix("data: ") else {
            continue;
        };
        if data == "[DONE]" {
            done += 1;
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(data).expect("each event is JSON");
        if let Some(t) = v
            .pointer("/choices/0/delta/content")
            .and_then(|c| c.as_str())
        {
            text.push_str(t);
            pieces.push(t.to_owned());
        }
    }
    (text, done, pieces)
}

/// The text of an Anthropic SSE body, and the event names.
pub(crate) fn anthropic_stream_text(body: &str) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut names = Vec::new();
    for line in body.lines() {
        if let Some(n) = line.strip_prefix("event: ") {
            names.push(n.to_owned());
        }
        let Some(data) = line.strip_prefix("data: ") else {
            continue;
        };
        let v: serde_json::Value = serde_json::from_str(data).expect("each event is JSON");
        if let Some(t) = v.pointer("/delta/text").and_then(|c| c.as_str()) {
            text.push_str(t);
        }
    }
    (text, names)
}
