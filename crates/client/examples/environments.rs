//! A compliance setup per environment: the same prompt under the
//! development, staging and production presets, and a stricter policy for
//! requests tagged `phi`.
//!
//! `cargo run -p deepsentinel --example environments`

#![expect(clippy::print_stdout, reason = "an example prints what happened")]

use std::sync::Arc;

use deepsentinel::policy::{CompliancePolicy, PolicySet};
use deepsentinel::providers::EchoProvider;
use deepsentinel::{ChatRequest, Message, RequestOptions, SentinelClient};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), deepsentinel::Error> {
    let prompt = "Patient Jane Doe, MRN 00482913, SSN 536-22-4817, email jane.doe@example.com";
    for env in ["development", "staging", "production"] {
        let client = SentinelClient::builder()
            .provider("echo", Arc::new(EchoProvider::new()))
            .policy_preset(env)
            .build()?;
        let req = ChatRequest::new("echo", vec![Message::user(prompt)]);
        match client.chat().completions().create(req).await {
            Ok(r) => {
                let c = r.meta.compliance.unwrap_or_default();
                println!(
                    "{env:<12} {:<10} risk {:.2} {:?}",
                    c.decision, c.risk_score, c.findings
                );
            }
            Err(e) => println!("{env:<12} refused: {e}"),
        }
    }
    let hipaa = PolicySet::single(
        CompliancePolicy::preset("hipaa")
            .map_err(|e| deepsentinel::Error::invalid_request(e.to_string()))?,
    )
    .map_err(|e| deepsentinel::Error::invalid_request(e.to_string()))?;
    let client = SentinelClient::builder()
        .provider("echo", Arc::new(EchoProvider::new()))
        .policy_preset("development")
        .tag_policies("phi", hipaa)
        .build()?;
    let req = ChatRequest::new("echo", vec![Message::user(prompt)]);
    let r = client
        .chat()
        .completions()
        .create_with(req, &RequestOptions::default().with_tag("phi"))
        .await;
    match r {
        Ok(r) => println!(
            "tag phi      {:<10} {}",
            r.meta.compliance.clone().unwrap_or_default().decision,
            r.text()
        ),
        Err(e) => println!("tag phi      refused: {e}"),
    }
    Ok(())
}
