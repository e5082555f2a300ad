//! Values hidden in encodings are found and mapped to the encoded bytes.

use base64::Engine as _;
use deepsentinel_detect::{EntityType, FindingFlags, Scanner};

fn emails(text: &str) -> Vec<(String, bool)> {
    Scanner::new()
        .scan(text)
        .into_iter()
        .filter(|f| f.entity_type() == &EntityType::EmailAddress)
        .map(|f| {
            (
                text[f.span().range()].to_owned(),
                f.flags().contains(FindingFlags::DECODED),
            )
        })
        .collect()
}

#[test]
fn json_unicode_escape() {
    let text = r#"{"note": "write to jane\u0040corp.com"}"#;
    assert_eq!(emails(text), vec![(r"jane\u0040corp.com".to_owned(), true)]);
}

#[test]
fn doubly_escaped_tool_output() {
    // A tool result serialized twice: \\u0040 becomes \u0040 becomes @.
    let text = r#"{"content": "{\"to\": \"jane\\u0040corp.com\"}"}"#;
    assert_eq!(
        emails(text),
        vec![(r"jane\\u0040corp.com".to_owned(), true)]
    );
}

#[test]
fn base64_blob() {
    let blob =
        base64::engine::general_purpose::STANDARD.encode("contact: jane.doe@corp.example please");
    let text = format!("data: {blob}\n");
    let got = emails(&text);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].1);
    assert!(blob.contains(&got[0].0), "span must lie inside the blob");
}

#[test]
fn plain_value_is_not_marked_decoded() {
    let text = "jane@corp.example and a\\nnewline";
    assert_eq!(emails(text), vec![("jane@corp.example".to_owned(), false)]);
}

#[test]
fn decoding_can_be_turned_off() {
    let mut cfg = deepsentinel_detect::Config::default();
    cfg.decode.max_depth = 0;
    let s = Scanner::from_config(cfg).expect("valid");
    assert!(s.scan("jane%40corp.com").is_empty());
}
