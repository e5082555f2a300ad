//! Configuration, custom rules and allow-lists.

use deepsentinel_detect::{Category, Config, CustomRule, EntityType, ErrorKind, Scanner};

fn rule(name: &str, pattern: &str) -> CustomRule {
    CustomRule {
        name: name.into(),
        entity_type: EntityType::custom("EMPLOYEE_ID"),
        category: None,
        pattern: pattern.into(),
        case_insensitive: false,
        validator: None,
        context: Vec::new(),
        requires_context: false,
        score: 0.6,
        context_score: None,
    }
}

#[test]
fn custom_rule_reports_its_type_category_and_rule_id() {
    let mut r = rule("employee-id", r"EMP-\d{6}");
    r.category = Some(Category::Pii);
    let s = Scanner::builder().rule(r).build().expect("valid rule");
    let text = "badge EMP-123456 issued";
    let f = s.scan(text);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].entity_type(), &EntityType::custom("EMPLOYEE_ID"));
    assert_eq!(f[0].category(), Category::Pii);
    assert_eq!(f[0].rule().as_str(), "employee-id");
    assert_eq!(&text[f[0].span().range()], "EMP-123456");
}

#[test]
fn value_group_context_and_validator() {
    let mut r = rule("card-ref", r"ref:(?P<value>[0-9 ]{12,19})");
    r.validator = Some("luhn".into());
    r.context = vec!["payment".into()];
    r.requires_context = true;
    r.score = 0.4;
    r.context_score = Some(0.8);
    let s = Scanner::builder().rule(r).build().expect("valid rule");
    let hit = "payment ref:4111 1111 1111 1111";
    let got: Vec<_> = s
        .scan(hit)
        .into_iter()
        .filter(|f| f.rule().as_str() == "card-ref")
        .collect();
    assert_eq!(got.len(), 1);
    assert_eq!(&hit[got[0].span().range()], "4111 1111 1111 1111");
    assert!((got[0].score() - 0.8).abs() < 1e-6);
    // No context word: not reported. Bad checksum: not reported.
    assert!(
        s.scan("ref:4111 1111 1111 1111")
            .iter()
            .all(|f| f.rule().as_str() != "card-ref")
    );
    assert!(
        s.scan("payment ref:4111 1111 1111 1112")
            .iter()
            .all(|f| f.rule().as_str() != "card-ref")
    );
}

#[test]
fn bad_rules_are_named_and_all_listed() {
    let mut bad_validator = rule("v", "x+");
    bad_validator.validator = Some("crc64".into());
    let mut bad_score = rule("s", "y+");
    bad_score.score = 3.0;
    let cfg = Config {
        rules: vec![
            rule("broken", "(unclosed"),
            rule("empty", "a*"),
            bad_validator,
            bad_score,
            rule("v", "z"),
        ],
        ..Config::default()
    };
    let err = Scanner::from_config(cfg).expect_err("invalid rules");
    let msg = err.to_string();
    for needle in [
        "\"broken\"",
        "invalid pattern",
        "\"empty\"",
        "empty string",
        "crc64",
        "score 3",
        "same name",
    ] {
        assert!(msg.contains(needle), "missing {needle:?} in: {msg}");
    }
    assert!(
        matches!(err.kind(), ErrorKind::Many(v) if v.len() == 5),
        "{err:?}"
    );
}

#[test]
fn oversized_rule_is_rejected_not_compiled() {
    let mut cfg = Config::default();
    cfg.rules.push(rule("huge", r"\w{500}\w{500}\w{500}"));
    cfg.size_limit = 1 << 16;
    let err = Scanner::from_config(cfg).expect_err("too large");
    assert!(err.to_string().contains("huge"), "{err}");
}

#[test]
fn hostile_patterns_run_in_linear_time() {
    // Catastrophic for a backtracking engine; linear here. The assertion is
    // on the result, not on time: a backtracking engine would not finish.
    let s = Scanner::builder()
        .rule(rule("nested", r"(a+)+b"))
        .build()
        .expect("valid rule");
    let text = "a".repeat(200_000) + "!";
    assert!(s.scan(&text).iter().all(|f| f.rule().as_str() != "nested"));
}

#[test]
fn allow_list_values_and_patterns() {
    let text = "mail ops@corp.example or jane@corp.example or bot-17@ci.example";
    let s = Scanner::builder()
        .allow_value("ops@corp.example")
        .allow_pattern(r"bot-\d+@ci\.example")
        .build()
        .expect("valid allow-list");
    let got: Vec<&str> = s
        .scan(text)
        .iter()
        .map(|f| &text[f.span().range()])
        .collect();
    assert_eq!(got, vec!["jane@corp.example"]);
}

#[test]
fn categories_and_disabled_types_filter() {
    let text = "jane@corp.example";
    let none = Scanner::builder()
        .categories(&[Category::Secret])
        .build()
        .expect("valid");
    assert!(none.scan(text).is_empty());
    let off = Scanner::builder()
        .disable_type(EntityType::EmailAddress)
        .build()
        .expect("valid");
    assert!(off.scan(text).is_empty());
    assert!(!off.is_enabled(&EntityType::EmailAddress));
}

#[test]
fn config_files_load_and_report_paths() {
    let dir = std::env::temp_dir().join(format!("ds-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let toml = dir.join("rules.toml");
    std::fs::write(
        &toml,
        "min-score = 0.7\n[[rules]]\nname = 'r'\nentity-type = 'TICKET'\npattern = 'T-[0-9]+'\n",
    )
    .expect("write");
    let c = Config::from_path(&toml).expect("parses");
    assert_eq!(c.min_score, 0.7);
    let yaml = dir.join("bad.yaml");
    std::fs::write(&yaml, "min-score: [1\n").expect("write");
    let err = Config::from_path(&yaml).expect_err("bad yaml");
    assert!(err.to_string().contains("bad.yaml"), "{err}");
    let missing = Config::from_path(dir.join("missing.toml")).expect_err("missing");
    assert!(matches!(missing.kind(), ErrorKind::Io { .. }));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unknown_type_names_are_errors_unless_declared() {
    let mut cfg = Config::default();
    cfg.types.push(EntityType::custom("TICKET"));
    assert!(Scanner::from_config(cfg.clone()).is_err());
    cfg.rules.push(CustomRule {
        entity_type: EntityType::custom("TICKET"),
        ..rule("ticket", "T-[0-9]+")
    });
    let s = Scanner::from_config(cfg).expect("declared by a rule");
    let text = "see T-42 and jane@corp.example";
    let got: Vec<&str> = s
        .scan(text)
        .iter()
        .map(|f| &text[f.span().range()])
        .collect();
    assert_eq!(got, vec!["T-42"]);
}
