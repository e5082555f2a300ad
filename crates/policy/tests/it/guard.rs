//! The guard end to end, with the real scanner.

use deepsentinel_detect::Scanner;
use deepsentinel_policy::{
    Action, Anonymizer, CompliancePolicy, Guard, GuardError, Keys, OperatorSpec, PolicySet, Vault,
};
use proptest::prelude::*;

/// One scanner for all tests: building it is the slow part (gazetteers),
/// especially in debug builds; it is cheap to clone.
fn scanner() -> Scanner {
    static SCANNER: std::sync::OnceLock<Scanner> = std::sync::OnceLock::new();
    SCANNER.get_or_init(Scanner::new).clone()
}

fn guard(preset: &str) -> Guard {
    Guard::new(
        scanner(),
        PolicySet::single(CompliancePolicy::preset(preset).expect("preset")).expect("valid"),
        Anonymizer::new(Keys::ephemeral().expect("keys")),
    )
}

/// Sensitive values the scanner reliably finds, by themselves.
const VALUES: &[&str] = &[
    "jane.doe@example.com",
    "+1 (415) 555-0132",
    "SSN 536-22-1847",
    "card 4539 5787 6362 1486",
    "IBAN DE89 3704 0044 0532 0130 00",
    "from 192.168.10.24",
    "Dr. Margaret Thompson",
];

const FILLER: &[&str] = &[
    "Hello,",
    "please update the record",
    "thanks!",
    "the meeting is moved",
    "<PERSON_1>",
    "ünïcödé ✓",
    "\n",
];

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            proptest::sample::select(VALUES).prop_map(str::to_string),
            proptest::sample::select(FILLER).prop_map(str::to_string),
        ],
        0..10,
    )
    .prop_map(|parts| parts.join(" "))
}

#[test]
fn staging_pseudonymizes_and_restores() {
    let g = guard("staging");
    let mut vault = Vault::new();
    let text =
        "Hi, I'm Margaret Thompson, mail me at jane.doe@example.com or call +1 (415) 555-0132.";
    let p = g.protect(text, &mut vault).expect("not blocked");
    assert_eq!(p.decision.action(), Action::Anonymize);
    assert!(p.text.contains("<EMAIL_ADDRESS_1>"), "{}", p.text);
    assert!(!p.text.contains("jane.doe"), "{}", p.text);
    assert_eq!(g.restore(&p.text, &vault), text);
}

#[test]
fn production_blocks_with_typed_error() {
    let g = guard("production");
    let mut vault = Vault::new();
    let err = g
        .protect("my card is 4539 5787 6362 1486, thanks", &mut vault)
        .expect_err("blocked");
    let GuardError::Blocked(b) = &err else {
        panic!("{err}")
    };
    assert!(!b.violations.is_empty());
    assert!(!err.to_string().contains("4539"), "{err}");
}

#[test]
fn reply_restores_placeholders_and_rewrites_new_values() {
    let g = guard("staging");
    let mut vault = Vault::new();
    let p = g
        .protect("Write to jane.doe@example.com please", &mut vault)
        .expect("ok");
    let placeholder = p
        .text
        .split_whitespace()
        .find(|w| w.starts_with("<EMAIL"))
        .expect("placeholder")
        .to_string();
    let reply = format!("Sure, I wrote to {placeholder}. Also reach bob.smith@example.org.");
    let mut out = String::new();
    g.reply(&reply, &vault, &mut out).expect("reply");
    assert_eq!(
        out,
        "Sure, I wrote to jane.doe@example.com. Also reach <EMAIL_ADDRESS>."
    );
    // A reply under production that leaks a card is blocked.
    let g = guard("production");
    let mut out = String::new();
    assert!(matches!(
        g.reply("here: 4539 5787 6362 1486", &Vault::new(), &mut out),
        Err(GuardError::Blocked(_))
    ));
}

fn redacting(op: OperatorSpec) -> Guard {
    let mut p = CompliancePolicy::preset("staging").expect("preset");
    p.actions.default = Action::Redact;
    p.actions.by_category.clear();
    for t in deepsentinel_core::EntityType::BUILTIN {
        p.operators.insert(t.clone(), op.clone());
    }
    Guard::new(
        scanner(),
        PolicySet::single(p).expect("valid"),
        Anonymizer::new(Keys::ephemeral().expect("keys")),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn restore_of_pseudonymize_is_identity(t in text()) {
        let g = guard("staging");
        let mut vault = Vault::new();
        let p = g.protect(&t, &mut vault).expect("staging never blocks");
        prop_assert_eq!(g.restore(&p.text, &vault), t);
    }

    #[test]
    fn output_never_contains_a_findings_text(t in text()) {
        let g = guard("staging");
        let mut vault = Vault::new();
        let p = g.protect(&t, &mut vault).expect("staging never blocks");
        for item in p.decision.plan().map(|pl| pl.items.clone()).unwrap_or_default() {
            let value = &t[item.span.range()];
            prop_assert!(!p.text.contains(value), "{:?} still in {:?}", value, p.text);
        }
    }

    #[test]
    fn redaction_is_idempotent(t in text(), which in 0usize..3) {
        let op = [
            OperatorSpec::Replace,
            OperatorSpec::Redact,
            OperatorSpec::Mask { char: '*', keep_first: 0, keep_last: 0 },
        ][which].clone();
        let g = redacting(op);
        let mut vault = Vault::new();
        let once = g.protect(&t, &mut vault).expect("ok").text;
        let twice = g.protect(&once, &mut vault).expect("ok").text;
        prop_assert_eq!(once, twice);
    }
}

mod streaming {
    use super::*;
    use deepsentinel_policy::stream::{StreamConfig, StreamError};

    fn conversation() -> (Guard, Vault, String) {
        let g = guard("staging");
        let mut vault = Vault::new();
        let p = g
            .protect(
                "I'm Margaret Thompson, mail jane.doe@example.com",
                &mut vault,
            )
            .expect("ok");
        (g, vault, p.text)
    }

    fn reply_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("<PERSON_1>".to_string()),
                Just("<EMAIL_ADDRESS_1>".to_string()),
                Just("<PERSON_7>".to_string()),
                Just("bob.smith@example.org".to_string()),
                Just("jane%40example.com".to_string()),
                Just("call +1 (415) 555-0132".to_string()),
                Just("Sure.".to_string()),
                Just("\n\n".to_string()),
                Just("ça va ✓".to_string()),
            ],
            0..12,
        )
        .prop_map(|p| p.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        #[test]
        fn streaming_equals_whole_for_every_chunk_size(t in reply_text(), size in prop_oneof![Just(1usize), Just(2), Just(3), Just(7)]) {
            let (g, vault, _) = conversation();
            let cfg = StreamConfig::default();
            let whole = g.reply_whole(&t, &vault, &cfg).expect("staging never blocks");
            let mut s = g.reply_stream(&vault, &cfg);
            let mut out = String::new();
            for chunk in t.as_bytes().chunks(size) {
                s.push_bytes(chunk, &mut out).expect("push");
            }
            s.finish(&mut out).expect("finish");
            prop_assert_eq!(out, whole);
        }
    }

    #[test]
    fn stream_restores_and_redacts_including_encoded_values() {
        let (g, vault, sent) = conversation();
        assert!(
            sent.contains("<PERSON_1>") && sent.contains("<EMAIL_ADDRESS_1>"),
            "{sent}"
        );
        let reply = "Dear <PERSON_1>, I wrote to <EMAIL_ADDRESS_1> and cc'd to=bob%40corp.com.";
        let cfg = StreamConfig::default();
        let mut s = g.reply_stream(&vault, &cfg);
        let mut out = String::new();
        for ch in reply.chars() {
            s.push(ch.encode_utf8(&mut [0; 4]), &mut out).expect("push");
            assert!(
                !out.contains("<PERSON_1"),
                "partial placeholder emitted: {out}"
            );
        }
        s.finish(&mut out).expect("finish");
        assert!(
            out.starts_with("Dear Margaret Thompson, I wrote to jane.doe@example.com"),
            "{out}"
        );
        assert!(!out.contains("bob%40corp.com"), "{out}");
    }

    #[test]
    fn a_block_mid_stream_ends_it_with_a_typed_error() {
        let g = guard("production");
        let vault = Vault::new();
        let cfg = StreamConfig::default();
        let mut s = g.reply_stream(&vault, &cfg);
        let mut out = String::new();
        s.push("All fine so far.\n\n", &mut out)
            .expect("first paragraph");
        let r = s
            .push("Your card 4539 5787 6362 1486 is", &mut out)
            .and_then(|()| s.finish(&mut out));
        assert!(
            matches!(
                r,
                Err(StreamError::Transform {
                    source: GuardError::Blocked(_),
                    ..
                })
            ),
            "{r:?}"
        );
        // The paragraph before the value went out; nothing of the value did.
        assert_eq!(out, "All fine so far.\n\n");
        assert!(matches!(s.push("more", &mut out), Err(StreamError::Ended)));
    }
}

mod requests {
    use super::*;
    use deepsentinel_policy::RequestError;
    use serde_json::json;

    #[test]
    fn openai_request_is_pseudonymized_everywhere_and_stays_valid() {
        let g = guard("staging");
        let mut vault = Vault::new();
        let mut req = json!({
            "model": "gpt-4o",
            "temperature": 0.2,
            "messages": [
                {"role": "system", "content": "You help Margaret Thompson's team."},
                {"role": "user", "content": [
                    {"type": "text", "text": "Mail jane.doe@example.com about it."},
                    {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}
                ]},
                {"role": "assistant", "content": null, "tool_calls": [
                    {"id": "call_1", "type": "function", "function": {
                        "name": "send_mail",
                        "arguments": "{\"to\":\"jane.doe@example.com\",\"cc\":[\"bob.smith@example.org\"],\"n\":3}"
                    }}
                ]},
                {"role": "tool", "tool_call_id": "call_1", "content": "{\"status\":\"sent to jane.doe@example.com\"}"}
            ]
        });
        let before = req.clone();
        let out = g
            .protect_request(&mut req, &mut vault)
            .expect("not blocked");
        assert_eq!(out.decision.action(), Action::Anonymize);
        let s = req.to_string();
        assert!(
            !s.contains("jane.doe@example.com") && !s.contains("bob.smith"),
            "{s}"
        );
        // Same value, same placeholder, across messages and inside JSON.
        assert_eq!(s.matches("<EMAIL_ADDRESS_1>").count(), 3, "{s}");
        let args: serde_json::Value = serde_json::from_str(
            req["messages"][2]["tool_calls"][0]["function"]["arguments"]
                .as_str()
                .expect("string"),
        )
        .expect("arguments stay valid JSON");
        assert_eq!(args["n"], 3);
        assert_eq!(args["to"], "<EMAIL_ADDRESS_1>");
        // Everything else untouched.
        assert_eq!(req["model"], before["model"]);
        assert_eq!(
            req["messages"][1]["content"][1],
            before["messages"][1]["content"][1]
        );
        assert_eq!(req["messages"][3]["tool_call_id"], "call_1");
        for (i, m) in req["messages"]
            .as_array()
            .expect("array")
            .iter()
            .enumerate()
        {
            assert_eq!(m["role"], before["messages"][i]["role"]);
        }
        // Findings are located by message and pointer.
        assert!(out.findings.iter().any(
            |f| f.location.message == Some(2) && f.location.embedded.as_deref() == Some("/to")
        ));
        // The reply is restored.
        let mut resp = json!({"choices": [{"index": 0, "message": {"role": "assistant",
            "content": "Done: wrote <EMAIL_ADDRESS_1>, not <EMAIL_ADDRESS_9>."}}]});
        g.restore_response(&mut resp, &vault).expect("restore");
        assert_eq!(
            resp["choices"][0]["message"]["content"],
            "Done: wrote jane.doe@example.com, not <EMAIL_ADDRESS_9>."
        );
    }

    #[test]
    fn anthropic_request_blocks_as_a_whole_and_stays_unchanged() {
        let g = guard("production");
        let mut vault = Vault::new();
        let mut req = json!({
            "model": "claude-sonnet-4-5",
            "max_tokens": 100,
            "system": "Be brief.",
            "messages": [
                {"role": "user", "content": [{"type": "text", "text": "Hi, I'm Margaret Thompson."}]},
                {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "pay",
                    "input": {"card": "4539 5787 6362 1486"}}]}
            ]
        });
        let before = req.clone();
        let err = g
            .protect_request(&mut req, &mut vault)
            .expect_err("blocked");
        assert!(matches!(err, RequestError::Blocked(_)), "{err}");
        assert!(!err.to_string().contains("4539"));
        assert_eq!(req, before);
    }

    #[test]
    fn malformed_requests_are_typed_errors() {
        let g = guard("staging");
        let mut vault = Vault::new();
        let mut req = json!({"messages": "not an array"});
        assert!(matches!(
            g.protect_request(&mut req, &mut vault),
            Err(RequestError::Chat(_))
        ));
    }
}

#[test]
fn a_rewritten_value_is_rewritten_at_every_whole_word_repeat() {
    let g = guard("staging");
    let mut vault = Vault::new();
    let text = "Dr. Margaret Thompson Dr. Margaret Thompson; Margaret Thompsonville is a town.";
    let p = g.protect(text, &mut vault).expect("ok");
    assert_eq!(
        p.text.matches("<PERSON_1>").count(),
        2,
        "both whole-word occurrences: {}",
        p.text
    );
    // Inside a longer word it is not a repeat of the value.
    assert!(!p.text.contains("<PERSON_1>ville"), "{}", p.text);
    assert_eq!(g.restore(&p.text, &vault), text);
}
