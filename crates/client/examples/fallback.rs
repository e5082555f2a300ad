//! Several providers with retries and fallback: the primary fails with 503s,
//! the stack retries it, then falls back to a second provider with a model
//! map. Compliance holds on every path.
//!
//! Both "providers" are fake OpenAI-compatible servers on loopback
//! (`deepsentinel-providers`' `FakeUpstream`), so this runs anywhere:
//! `cargo run -p deepsentinel --example fallback`

#![expect(clippy::print_stdout, reason = "an example prints what happened")]

use std::sync::Arc;
use std::time::Duration;

use deepsentinel::providers::testing::{FakeUpstream, Reply};
use deepsentinel::providers::{
    FallbackTarget, HttpClient, NetworkConfig, OpenAiConfig, OpenAiProvider, RetryConfig,
    StackBuilder,
};
use deepsentinel::{ChatRequest, Message, SentinelClient};
use secrecy::SecretString;

fn provider(
    fake: &FakeUpstream,
    name: &str,
    http: &HttpClient,
) -> Result<Arc<OpenAiProvider>, deepsentinel::Error> {
    let mut cfg =
        OpenAiConfig::compatible(name, fake.url("/v1"), Some(SecretString::from("sk-demo")));
    cfg.name = name.into();
    Ok(Arc::new(OpenAiProvider::new(&cfg, http.clone())?))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let primary = FakeUpstream::start().await?;
    let backup = FakeUpstream::start().await?;
    primary.fallback(Reply::json(503, "{}"));
    backup.fallback(Reply::json(
        200,
        r#"{"id":"c1","object":"chat.completion","created":1,"model":"backup-model",
            "choices":[{"index":0,"message":{"role":"assistant","content":"Sent to <EMAIL_ADDRESS_1>."},"finish_reason":"stop"}]}"#,
    ));
    let http = HttpClient::new(&NetworkConfig::default())?;
    let mut stack = StackBuilder::new("primary");
    stack
        .endpoint(provider(&primary, "primary", &http)?)
        .retry(Some(RetryConfig {
            max_attempts: 3,
            base_backoff: Duration::from_millis(20),
            ..RetryConfig::default()
        }))
        .fallback(
            provider(&backup, "backup", &http)?,
            FallbackTarget::model("backup-model").map("gpt-4o", "backup-large"),
        );
    let client = SentinelClient::builder()
        .provider("primary", stack.build()?.provider())
        .policy_preset("staging")
        .build()?;
    let reply = client
        .chat()
        .completions()
        .create(ChatRequest::new(
            "gpt-4o",
            vec![Message::user("Send the invoice to jane.doe@example.com")],
        ))
        .await?;
    println!("reply: {}", reply.text());
    println!(
        "served by {} as {} after {} attempt(s) (fallback #{})",
        reply.meta.provider, reply.meta.model, reply.meta.attempts, reply.meta.fallback_index
    );
    println!(
        "primary saw {} request(s), backup {}",
        primary.requests().len(),
        backup.requests().len()
    );
    let leaked = backup
        .requests()
        .iter()
        .any(|r| String::from_utf8_lossy(&r.body).contains("jane.doe"));
    println!("raw e-mail sent upstream: {leaked}");
    Ok(())
}
