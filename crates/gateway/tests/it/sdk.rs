//! The official `openai` and `anthropic` Python SDKs as callers of the
//! gateway. The venv is made by the test command (`.ci/run`: `python3 -m
//! venv .venv-sdk && .venv-sdk/bin/pip install openai anthropic`); its
//! Python is `DEEPSENTINEL_SDK_PYTHON` or `<workspace>/.venv-sdk/bin/python`.
//! Without it the tests are skipped, except under `CI=true`, where they fail.

use std::path::PathBuf;

use deepsentinel_gateway::ServerConfig;
use deepsentinel_providers::testing::{FakeUpstream, Reply};
use serde_json::json;

use crate::common::*;

fn python() -> Option<PathBuf> {
    let p = std::env::var_os("DEEPSENTINEL_SDK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv-sdk/bin/python")
        });
    if p.exists() {
        return Some(p);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the SDK venv is missing at {} (CI must install it: see .ci/run)",
        p.display()
    );
    eprintln!(
        "SKIPPED: no SDK venv at {} (bash .ci/run installs it)",
        p.display()
    );
    None
}

async fn run(script: &str, url: &str, python: &PathBuf) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sdk")
        .join(script);
    let out = tokio::process::Command::new(python)
        .arg(&path)
        .arg(url)
        .output()
        .await
        .expect("python runs");
    assert!(
        out.status.success(),
        "{script} failed:\nstdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_openai_sdk_works_through_the_gateway() {
    let Some(python) = python() else { return };
    let fake = FakeUpstream::start().await.expect("bind");
    fake.push([
        Reply::json(200, openai_completion("Emailing <EMAIL_ADDRESS_1> now.")),
        Reply::sse(openai_sse(&["Emailing <EMAIL_", "ADDRESS_1> now."]), 9),
        Reply::json(
            200,
            json!({"id": "c", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini",
                "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant", "content": null,
                    "tool_calls": [{"id": "call_1", "type": "function",
                        "function": {"name": "send_mail", "arguments": "{\"to\":\"<EMAIL_ADDRESS_1>\"}"}}]}}]})
            .to_string(),
        ),
    ]);
    let gw = spawn(client(openai(&fake), "production"), ServerConfig::default()).await;
    run("openai_sdk.py", &gw.url, &python).await;
    assert_eq!(fake.requests().len(), 3, "the blocked call never left");
    assert_clean(&captured(&fake.requests()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_anthropic_sdk_works_through_the_gateway() {
    let Some(python) = python() else { return };
    let fake = FakeUpstream::start().await.expect("bind");
    fake.push([
        Reply::json(200, anthropic_message("Emailing <EMAIL_ADDRESS_1> now.")),
        Reply::sse(anthropic_sse(&["Emailing <EMAIL", "_ADDRESS_1> now."]), 11),
        Reply::json(
            200,
            json!({"id": "msg_2", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
                "content": [{"type": "tool_use", "id": "toolu_1", "name": "send_mail", "input": {"to": "<EMAIL_ADDRESS_1>"}}],
                "stop_reason": "tool_use", "stop_sequence": null, "usage": {"input_tokens": 10, "output_tokens": 5}})
            .to_string(),
        ),
    ]);
    let gw = spawn(
        client(anthropic(&fake), "production"),
        ServerConfig::default(),
    )
    .await;
    run("anthropic_sdk.py", &gw.url, &python).await;
    assert_eq!(fake.requests().len(), 3, "the blocked call never left");
    assert_clean(&captured(&fake.requests()));
}
