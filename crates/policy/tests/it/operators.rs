//! Operators and the vault.

use deepsentinel_core::{EntityType, Span};
use deepsentinel_policy::operators::mask;
use deepsentinel_policy::{Anonymizer, Keys, OperatorError, OperatorSpec, Rewrite, Vault};

fn rw(start: usize, end: usize, t: EntityType, op: OperatorSpec) -> Rewrite {
    Rewrite {
        span: Span::new(start, end).expect("span"),
        entity_type: t,
        operator: op,
    }
}

fn keys() -> Keys {
    Keys::none()
        .with_hmac_key(b"0123456789abcdef0123456789abcdef")
        .expect("hmac")
        .with_aes_key(&[7u8; 32])
        .expect("aes")
}

#[test]
fn mask_keeps_separators_and_the_requested_characters() {
    assert_eq!(
        mask("4111 1111 1111 1234", '*', 0, 4),
        "**** **** **** 1234"
    );
    assert_eq!(
        mask("4111-1111-1111-1234", '#', 4, 4),
        "4111-####-####-1234"
    );
    assert_eq!(mask("jane@corp.com", '*', 1, 0), "j***@****.***");
    // Never reveals a whole value.
    assert_eq!(mask("1234", '*', 0, 4), "****");
    assert_eq!(mask("ab", '*', 1, 1), "**");
    assert_eq!(mask("", '*', 1, 1), "");
    assert_eq!(mask("José Ñúñez", '*', 1, 0), "J*** *****");
}

#[test]
fn replace_redact_and_pseudonymize() {
    let a = Anonymizer::default();
    let text = "Jane Doe <jane@corp.com> and Jane Doe again";
    let mut v = Vault::new();
    let out = a
        .apply(
            text,
            &[
                rw(0, 8, EntityType::Person, OperatorSpec::Pseudonymize),
                rw(10, 23, EntityType::EmailAddress, OperatorSpec::Replace),
                rw(29, 37, EntityType::Person, OperatorSpec::Pseudonymize),
            ],
            &mut v,
        )
        .expect("apply");
    assert_eq!(out, "<PERSON_1> <<EMAIL_ADDRESS>> and <PERSON_1> again");
    assert_eq!(
        v.restore(&out),
        "Jane Doe <<EMAIL_ADDRESS>> and Jane Doe again"
    );
    let out = a
        .apply(
            text,
            &[rw(10, 23, EntityType::EmailAddress, OperatorSpec::Redact)],
            &mut v,
        )
        .expect("apply");
    assert_eq!(out, "Jane Doe <> and Jane Doe again");
}

#[test]
fn placeholders_number_per_type_and_skip_ones_already_in_the_text() {
    let a = Anonymizer::default();
    let text = "<PERSON_1> is a literal; Ann and Bob";
    let mut v = Vault::new();
    let out = a
        .apply(
            text,
            &[
                rw(25, 28, EntityType::Person, OperatorSpec::Pseudonymize),
                rw(33, 36, EntityType::Person, OperatorSpec::Pseudonymize),
            ],
            &mut v,
        )
        .expect("apply");
    assert_eq!(out, "<PERSON_1> is a literal; <PERSON_2> and <PERSON_3>");
    // The literal is not restored: it was never issued.
    assert_eq!(v.restore(&out), text);
    // Placeholders from another conversation stay text.
    assert_eq!(Vault::new().restore(&out), out);
    // Unknown numbers, malformed shapes, and neighbours stay.
    assert_eq!(
        v.restore("<PERSON_9> <PERSON_02> <person_2> <PERSON_2><PERSON_3>"),
        "<PERSON_9> <PERSON_02> <person_2> AnnBob"
    );
    assert!(!format!("{v:?}").contains("Ann"));
}

#[test]
fn hash_is_keyed_and_stable() {
    let a = Anonymizer::new(keys());
    let mut v = Vault::new();
    let op = OperatorSpec::Hash { bytes: 16 };
    let h1 = a
        .operate(&op, &EntityType::EmailAddress, "jane@corp.com", &mut v)
        .expect("hash");
    let h2 = a
        .operate(&op, &EntityType::EmailAddress, "jane@corp.com", &mut v)
        .expect("hash");
    let h3 = a
        .operate(&op, &EntityType::EmailAddress, "john@corp.com", &mut v)
        .expect("hash");
    assert_eq!(h1, h2);
    assert_ne!(h1, h3);
    assert!(
        h1.starts_with("<EMAIL_ADDRESS:") && h1.len() == "<EMAIL_ADDRESS:>".len() + 32,
        "{h1}"
    );
    let other = Anonymizer::new(
        Keys::none()
            .with_hmac_key(b"another key, 32 bytes long......")
            .expect("key"),
    );
    assert_ne!(
        other
            .operate(&op, &EntityType::EmailAddress, "jane@corp.com", &mut v)
            .expect("hash"),
        h1
    );
    assert_eq!(
        Anonymizer::default().operate(&op, &EntityType::EmailAddress, "x", &mut v),
        Err(OperatorError::MissingHmacKey)
    );
}

#[test]
fn encrypt_round_trips_and_detects_tampering() {
    let a = Anonymizer::new(keys());
    let mut v = Vault::new();
    let text = "SSN 123-45-6789 and card 4242 4242 4242 4242.";
    let out = a
        .apply(
            text,
            &[
                rw(4, 15, EntityType::UsSsn, OperatorSpec::Encrypt),
                rw(25, 44, EntityType::CreditCard, OperatorSpec::Encrypt),
            ],
            &mut v,
        )
        .expect("encrypt");
    assert!(!out.contains("6789") && !out.contains("4242"), "{out}");
    assert_eq!(a.decrypt(&out).expect("decrypt"), text);
    // Random nonces: encrypting twice differs.
    let again = a
        .apply(
            text,
            &[rw(4, 15, EntityType::UsSsn, OperatorSpec::Encrypt)],
            &mut v,
        )
        .expect("encrypt");
    assert_ne!(again.get(..40), out.get(..40));
    // Another key cannot decrypt, and the error names an offset, not a value.
    let wrong = Anonymizer::new(Keys::none().with_aes_key(&[8u8; 32]).expect("key"));
    assert_eq!(
        wrong.decrypt(&out),
        Err(OperatorError::Decrypt { offset: 4 })
    );
    // Tampering is detected.
    let start = out.find(":enc:").expect("token") + 6;
    let mut bytes = out.clone().into_bytes();
    bytes[start] = if bytes[start] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(bytes).expect("ascii");
    assert!(matches!(
        a.decrypt(&tampered),
        Err(OperatorError::Decrypt { .. })
    ));
    // Text without tokens passes through.
    assert_eq!(
        a.decrypt("no <TOKENS:enc:!!> here").expect("plain"),
        "no <TOKENS:enc:!!> here"
    );
}

#[test]
fn keys_decode_and_never_print() {
    let hex = "00".repeat(32);
    assert_eq!(Keys::decode_key("AES", &hex).expect("hex").len(), 32);
    let b64 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    assert_eq!(Keys::decode_key("AES", b64).expect("b64").len(), 32);
    assert!(Keys::decode_key("AES", "not a key!").is_err());
    assert!(matches!(
        Keys::none().with_aes_key(&[1u8; 16]),
        Err(OperatorError::KeyLength {
            expected: 32,
            got: 16,
            ..
        })
    ));
    let k = keys();
    let shown = format!("{k:?}");
    assert!(
        !shown.contains("0123456789abcdef") && !shown.contains("7, 7"),
        "{shown}"
    );
}

#[test]
fn bad_spans_are_typed_errors() {
    let a = Anonymizer::default();
    let mut v = Vault::new();
    let err = a
        .apply(
            "héllo",
            &[rw(1, 2, EntityType::Person, OperatorSpec::Replace)],
            &mut v,
        )
        .expect_err("splits é");
    assert!(matches!(err, OperatorError::BadSpan { index: 0, .. }));
    let err = a
        .apply(
            "abc",
            &[rw(1, 9, EntityType::Person, OperatorSpec::Replace)],
            &mut v,
        )
        .expect_err("out of range");
    assert!(matches!(err, OperatorError::BadSpan { .. }));
}

#[test]
fn operator_specs_parse_from_policy_syntax() {
    let op: OperatorSpec = toml::from_str::<std::collections::BTreeMap<String, OperatorSpec>>(
        "x = { kind = \"mask\", char = \"#\", keep_last = 4 }",
    )
    .expect("toml")
    .remove("x")
    .expect("x");
    assert_eq!(
        op,
        OperatorSpec::Mask {
            char: '#',
            keep_first: 0,
            keep_last: 4
        }
    );
    assert_eq!(
        OperatorSpec::parse("hash"),
        Some(OperatorSpec::Hash { bytes: 16 })
    );
    assert_eq!(OperatorSpec::parse("nope"), None);
    assert!(
        OperatorSpec::Mask {
            char: 'x',
            keep_first: 0,
            keep_last: 0
        }
        .validate()
        .is_err()
    );
}
