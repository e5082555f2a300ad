//! The blocking API, from a plain thread, against the fake upstream hosted
//! on a runtime of its own.

use deepsentinel::{ChatRequest, Error, Message, SentinelClient};
use deepsentinel_providers::testing::FakeUpstream;

use crate::pipeline::{completion, openai, stream_of};

#[test]
fn the_blocking_client_enforces_the_same_pipeline() {
    let server_rt = tokio::runtime::Runtime::new().expect("runtime");
    let fake = server_rt.block_on(FakeUpstream::start()).expect("bind");
    fake.push([
        completion("Mailing <EMAIL_ADDRESS_1>."),
        stream_of(&["Mailing <EMAIL_", "ADDRESS_1>", "."]),
    ]);
    let provider = openai(&fake, "openai");
    let client = deepsentinel::blocking::SentinelClient::new(
        SentinelClient::builder()
            .provider("openai", provider)
            .policy_preset("production")
            .build()
            .expect("valid"),
    )
    .expect("runtime");
    let ask = |t: &str| ChatRequest::new("gpt-4o-mini", vec![Message::user(t)]);
    let r = client
        .chat()
        .completions()
        .create(ask("Mail jane.doe@example.com"))
        .expect("ok");
    assert_eq!(r.text(), "Mailing jane.doe@example.com.");
    let text: String = client
        .chat()
        .completions()
        .stream(ask("Mail jane.doe@example.com"))
        .expect("starts")
        .map(|c| c.expect("chunk").text())
        .collect();
    assert_eq!(text, "Mailing jane.doe@example.com.");
    let e = client
        .chat()
        .completions()
        .create(ask("card 4539 5787 6362 1486"))
        .expect_err("blocked");
    assert!(matches!(e, Error::ComplianceViolation { .. }));
    assert_eq!(fake.requests().len(), 2);
    assert!(
        fake.requests()
            .iter()
            .all(|r| !String::from_utf8_lossy(&r.body).contains("jane.doe"))
    );
    drop(client);
    drop(fake);
}
