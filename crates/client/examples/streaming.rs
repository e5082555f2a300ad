//! Streaming: chunks arrive as the model writes them; placeholders are
//! restored without ever emitting half of one.
//!
//! `cargo run -p deepsentinel --example streaming`

use std::io::Write;
use std::sync::Arc;

use deepsentinel::providers::EchoProvider;
use deepsentinel::{ChatRequest, Message, SentinelClient};
use futures_util::StreamExt;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), deepsentinel::Error> {
    let client = SentinelClient::builder()
        .provider("echo", Arc::new(EchoProvider::new()))
        .policy_preset("staging")
        .build()?;
    let request = ChatRequest::new(
        "echo",
        vec![Message::user(
            "Call me at 415-555-0132 or write to jane.doe@example.com tomorrow.",
        )],
    );
    let mut stream = client.chat().completions().stream(request).await?;
    let mut out = std::io::stdout().lock();
    while let Some(chunk) = stream.next().await {
        let _ = write!(out, "{}", chunk?.text());
        let _ = out.flush();
    }
    let _ = writeln!(out);
    Ok(())
}
