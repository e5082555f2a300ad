//! Basic chat: one call through the compliance pipeline.
//!
//! Uses the built-in echo provider (it answers with what it received), so
//! it runs anywhere: `cargo run -p deepsentinel --example basic_chat`.
//! The echo provider prints what the upstream would have seen; the caller
//! gets the original values back.

#![expect(clippy::print_stdout, reason = "an example prints what happened")]

use std::sync::Arc;

use deepsentinel::providers::EchoProvider;
use deepsentinel::{ChatRequest, Message, SentinelClient};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), deepsentinel::Error> {
    let client = SentinelClient::builder()
        .provider("echo", Arc::new(EchoProvider::new()))
        .policy_preset("staging")
        .build()?;
    let request = ChatRequest::new(
        "echo",
        vec![Message::user(
            "Please email Jane Doe at jane.doe@example.com about her order.",
        )],
    );
    let reply = client.chat().completions().create(request).await?;
    let compliance = reply.meta.compliance.clone().unwrap_or_default();
    println!("reply:    {}", reply.text());
    println!(
        "decision: {} (risk {:.2}, policy {})",
        compliance.decision, compliance.risk_score, compliance.policy
    );
    println!("found:    {:?}", compliance.findings);
    println!(
        "served by {} ({} attempt(s))",
        reply.meta.provider, reply.meta.attempts
    );
    Ok(())
}
