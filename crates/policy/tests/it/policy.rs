//! Policies: validation, presets, files, evaluation tables, composition.

use deepsentinel_core::{Category, EntityType, Finding, FindingFlags, Span};
use deepsentinel_policy::{
    Action, CompliancePolicy, Decision, OperatorSpec, PRESETS, PolicyError, PolicySet, RiskLevel,
    RiskScore, Violation,
};

/// A finding of `t` at `start..end` with `score`.
fn f(t: EntityType, start: usize, end: usize, score: f32) -> Finding {
    Finding::new(t, Span::new(start, end).expect("span"), score, "test-rule")
}

fn preset(name: &str) -> PolicySet {
    PolicySet::single(CompliancePolicy::preset(name).expect("preset")).expect("valid")
}

/// One finding of each type, confident, over a text long enough for spans.
fn decide(set: &PolicySet, t: EntityType, score: f32) -> Decision {
    let text = "x".repeat(64);
    set.evaluate(&text, &[f(t, 4, 20, score)])
}

#[test]
fn every_preset_is_valid_and_round_trips_through_toml() {
    for name in PRESETS {
        let p = CompliancePolicy::preset(name).expect("preset");
        p.validate().expect("preset validates");
        let toml = p.to_toml().expect("serializes");
        let back = CompliancePolicy::from_toml(&toml).expect("parses back");
        assert_eq!(back, p, "{name}");
    }
    assert_eq!(
        CompliancePolicy::default_policy(),
        CompliancePolicy::preset("default").expect("default")
    );
}

#[test]
fn preset_decision_tables() {
    use EntityType::*;
    // (preset, type, expected action for one confident finding)
    let table: &[(&str, EntityType, Action)] = &[
        ("production", CreditCard, Action::Block),
        ("production", IbanCode, Action::Block),
        ("production", UsSsn, Action::Block),
        ("production", Secret, Action::Block),
        ("production", PromptInjection, Action::Block),
        ("production", EmailAddress, Action::Anonymize),
        ("production", Person, Action::Anonymize),
        ("production", MedicalRecordNumber, Action::Anonymize),
        ("production", UsItin, Action::Anonymize),
        ("staging", CreditCard, Action::Anonymize),
        ("staging", UsSsn, Action::Anonymize),
        ("staging", Secret, Action::Redact),
        ("staging", PromptInjection, Action::Redact),
        ("staging", Person, Action::Anonymize),
        ("development", CreditCard, Action::Log),
        ("development", Secret, Action::Log),
        ("development", Person, Action::Log),
        ("default", Secret, Action::Block),
        ("default", PromptInjection, Action::Block),
        ("default", CreditCard, Action::Anonymize),
        ("default", Person, Action::Anonymize),
        ("hipaa", MedicalRecordNumber, Action::Anonymize),
        ("hipaa", Person, Action::Anonymize),
        ("hipaa", Secret, Action::Allow),
        ("hipaa", CreditCard, Action::Allow),
        ("pci-dss", CreditCard, Action::Redact),
        ("pci-dss", Secret, Action::Block),
        ("pci-dss", Person, Action::Anonymize),
        ("pci-dss", EmailAddress, Action::Allow),
        ("gdpr", EmailAddress, Action::Anonymize),
        ("gdpr", CreditCard, Action::Anonymize),
        ("gdpr", Secret, Action::Allow),
        ("gdpr", PromptInjection, Action::Allow),
    ];
    for (name, t, want) in table {
        let d = decide(&preset(name), t.clone(), 0.95);
        assert_eq!(d.action(), *want, "{name} / {t}: {d:?}");
    }
}

#[test]
fn pci_dss_masks_cards_keeping_the_last_four() {
    let set = preset("pci-dss");
    let d = decide(&set, EntityType::CreditCard, 0.95);
    let plan = d.plan().expect("a plan");
    assert_eq!(
        plan.items[0].operator,
        OperatorSpec::Mask {
            char: '*',
            keep_first: 0,
            keep_last: 4
        }
    );
}

#[test]
fn weak_findings_do_not_block_and_weaker_ones_are_only_logged() {
    let set = preset("production");
    // thresholds: block 0.6, anonymize 0.5
    assert_eq!(
        decide(&set, EntityType::CreditCard, 0.55).action(),
        Action::Anonymize
    );
    assert_eq!(
        decide(&set, EntityType::CreditCard, 0.45).action(),
        Action::Log
    );
    assert_eq!(decide(&set, EntityType::Person, 0.45).action(), Action::Log);
}

#[test]
fn test_values_count_only_when_the_policy_says_so() {
    let text = "card 4111 1111 1111 1111";
    let finding = f(EntityType::CreditCard, 5, 24, 0.95).with_flags(FindingFlags::TEST_VALUE);
    let set = preset("production");
    assert_eq!(
        set.evaluate(text, std::slice::from_ref(&finding)).action(),
        Action::Allow
    );
    let mut p = CompliancePolicy::preset("production").expect("preset");
    p.count_test_values = true;
    let set = PolicySet::single(p).expect("valid");
    assert_eq!(set.evaluate(text, &[finding]).action(), Action::Block);
}

#[test]
fn allow_lists_skip_values() {
    let text = "mail support@example.com or jane@corp.com";
    let findings = [
        f(EntityType::EmailAddress, 5, 24, 0.9),
        f(EntityType::EmailAddress, 28, 41, 0.9),
    ];
    let mut p = CompliancePolicy::preset("staging").expect("preset");
    p.allow_list.values.push("support@example.com".into());
    let d = PolicySet::single(p.clone())
        .expect("valid")
        .evaluate(text, &findings);
    let plan = d.plan().expect("plan");
    assert_eq!(plan.items.len(), 1);
    assert_eq!(plan.items[0].span.start(), 28);
    p.allow_list.values.clear();
    p.allow_list.patterns.push(r".*@corp\.com".into());
    let d = PolicySet::single(p)
        .expect("valid")
        .evaluate(text, &findings);
    let plan = d.plan().expect("plan");
    assert_eq!(plan.items.len(), 1);
    assert_eq!(plan.items[0].span.start(), 5);
}

#[test]
fn a_block_lists_every_violation_without_values() {
    let text = "ssn 123-45-6789 card 4242 4242 4242 4242 ssn 234-56-7890 key AKIA";
    let findings = [
        f(EntityType::UsSsn, 4, 15, 0.9),
        f(EntityType::CreditCard, 21, 40, 0.95),
        f(EntityType::UsSsn, 45, 56, 0.8),
        f(EntityType::EmailAddress, 57, 60, 0.9),
    ];
    let d = preset("production").evaluate(text, &findings);
    let Decision::Block(b) = &d else {
        panic!("expected a block: {d:?}")
    };
    let ssn = b
        .violations
        .iter()
        .find(|v| matches!(v, Violation::Finding { entity_type, .. } if *entity_type == EntityType::UsSsn))
        .expect("ssn violation");
    let Violation::Finding {
        count,
        max_score,
        category,
        policy,
        ..
    } = ssn
    else {
        unreachable!()
    };
    assert_eq!((*count, *max_score), (2, 0.9));
    assert_eq!(*category, Category::Pii);
    assert_eq!(policy, "production");
    assert_eq!(b.violations.len(), 2);
    let shown = format!("{b} {b:?} {}", serde_json::to_string(&d).expect("json"));
    for value in ["123-45-6789", "4242 4242", "234-56-7890"] {
        assert!(!shown.contains(value), "value leaked: {shown}");
    }
}

#[test]
fn residual_risk_above_the_maximum_is_a_violation() {
    // Development logs everything; five confident cards push the residual
    // risk over 0.9: logged as a violation, not blocked.
    let text = "x".repeat(200);
    let findings: Vec<Finding> = (0..5)
        .map(|i| f(EntityType::CreditCard, i * 20, i * 20 + 16, 0.95))
        .collect();
    let d = preset("development").evaluate(&text, &findings);
    let Decision::Log(plan) = &d else {
        panic!("expected log: {d:?}")
    };
    assert!(matches!(plan.violations[..], [Violation::Risk { .. }]));
    // A custom policy that logs cards but blocks on violation blocks.
    let mut p = CompliancePolicy::preset("development").expect("preset");
    p.block_on_violation = true;
    let d = PolicySet::single(p)
        .expect("valid")
        .evaluate(&text, &findings);
    assert_eq!(d.action(), Action::Block);
    // Anonymized findings are not residual risk.
    let d = preset("staging").evaluate(&text, &findings);
    assert_eq!(d.action(), Action::Anonymize);
    assert!(d.plan().expect("plan").violations.is_empty());
}

#[test]
fn composition_takes_the_most_restrictive_action_per_finding() {
    let text = "x".repeat(100);
    let findings = [
        f(EntityType::Person, 0, 10, 0.9),
        f(EntityType::EmailAddress, 20, 30, 0.9),
        f(EntityType::CreditCard, 40, 56, 0.9),
    ];
    let dev = CompliancePolicy::preset("development").expect("dev");
    let pci = CompliancePolicy::preset("pci-dss").expect("pci");
    let set = PolicySet::new(vec![dev.clone(), pci]).expect("valid");
    let d = set.evaluate(&text, &findings);
    assert_eq!(d.action(), Action::Anonymize);
    let plan = d.plan().expect("plan");
    let actions: Vec<(usize, Action, &str)> = plan
        .items
        .iter()
        .map(|i| (i.finding, i.action, i.policy.as_str()))
        .collect();
    assert_eq!(
        actions,
        vec![
            (0, Action::Anonymize, "pci-dss"),
            (2, Action::Redact, "pci-dss")
        ]
    );
    assert_eq!(plan.logged, 1, "the e-mail is only logged (by development)");
    // Any blocking policy blocks the set.
    let set = PolicySet::new(vec![
        dev,
        CompliancePolicy::preset("production").expect("prod"),
    ])
    .expect("valid");
    assert_eq!(set.evaluate(&text, &findings).action(), Action::Block);
    // Order of actions.
    assert!(Action::Block > Action::Anonymize);
    assert!(Action::Anonymize > Action::Redact);
    assert!(Action::Redact > Action::Log);
    assert!(Action::Log > Action::Allow);
}

#[test]
fn no_findings_allow() {
    for name in PRESETS {
        assert_eq!(
            preset(name).evaluate("hello", &[]).action(),
            Action::Allow,
            "{name}"
        );
    }
}

#[test]
fn conflicting_settings_are_all_listed() {
    let text = r#"
name = "broken"
categories = ["pii", "pii"]
types = ["SECRET"]
block_on_violation = false
anonymize_sensitive_data = false
log_violations = false
[thresholds]
max_risk_score = 1.5
block = 0.4
anonymize = 0.6
[actions]
default = "anonymize"
[actions.category]
pci = "block"
[actions.type]
US_SSN = "log"
[operators]
EMAIL_ADDRESS = { kind = "hash", bytes = 99 }
[allow_list]
patterns = ["(unclosed"]
"#;
    let err = CompliancePolicy::from_toml(text).expect_err("invalid");
    let PolicyError::Invalid { problems, .. } = &err else {
        panic!("{err}")
    };
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    for want in [
        "categories",
        "types",
        "thresholds.max_risk_score",
        "thresholds",
        "actions.default",
        "actions.category.pci",
        "actions.type.US_SSN",
        "operators.EMAIL_ADDRESS",
        "allow_list.patterns[0]",
    ] {
        assert!(fields.contains(&want), "missing {want} in {fields:?}");
    }
    let msg = err.to_string();
    assert!(msg.contains("problems"), "{msg}");
}

#[test]
fn unknown_fields_and_wrong_types_are_parse_errors() {
    let err =
        CompliancePolicy::from_toml("name = \"x\"\nactions = { default = \"allow\" }\nblok = 1")
            .expect_err("unknown field");
    assert!(err.to_string().contains("blok"), "{err}");
    let err = CompliancePolicy::from_yaml("name: x\nactions: {default: maybe}\n")
        .expect_err("bad action");
    assert!(
        matches!(err, PolicyError::Parse { format: "YAML", .. }),
        "{err}"
    );
}

#[test]
fn yaml_and_toml_files_load() {
    let dir = tempfile::tempdir().expect("tempdir");
    let yaml = dir.path().join("p.yaml");
    std::fs::write(
        &yaml,
        "name: support-bot\ncategories: [pii, secret]\nactions:\n  default: anonymize\n  category:\n    secret: block\noperators:\n  PHONE_NUMBER: {kind: mask, keep_last: 2}\n",
    )
    .expect("write");
    let p = CompliancePolicy::from_path(&yaml).expect("loads");
    assert_eq!(p.name, "support-bot");
    assert_eq!(p.actions.for_type(&EntityType::Secret), Action::Block);
    assert_eq!(p.actions.for_type(&EntityType::Person), Action::Anonymize);
    let toml = dir.path().join("p.toml");
    std::fs::write(&toml, p.to_toml().expect("toml")).expect("write");
    assert_eq!(
        CompliancePolicy::load(toml.to_str().expect("utf8")).expect("loads"),
        p
    );
    assert!(matches!(
        CompliancePolicy::load("no-such-preset"),
        Err(PolicyError::UnknownPreset { .. })
    ));
    let txt = dir.path().join("p.txt");
    std::fs::write(&txt, "").expect("write");
    assert!(matches!(
        CompliancePolicy::from_path(&txt),
        Err(PolicyError::UnknownFormat { .. })
    ));
}

#[test]
fn risk_score_levels_and_factors() {
    assert_eq!(RiskScore::of(&[]).score, 0.0);
    let one = [f(EntityType::Secret, 0, 5, 1.0)];
    let r = RiskScore::of(&one);
    assert_eq!((r.score, r.level), (1.0, RiskLevel::Critical));
    let two = [
        f(EntityType::EmailAddress, 0, 5, 1.0),
        f(EntityType::Person, 6, 9, 1.0),
    ];
    let r = RiskScore::of(&two);
    // 1 - (1 - 0.4)(1 - 0.3) = 0.58
    assert!((r.score - 0.58).abs() < 1e-6, "{r:?}");
    assert_eq!(r.level, RiskLevel::Medium);
    assert_eq!(r.factors[0].entity_type, EntityType::EmailAddress);
    assert_eq!(RiskLevel::of(0.29), RiskLevel::Low);
    assert_eq!(RiskLevel::of(0.6), RiskLevel::High);
    assert_eq!(RiskLevel::of(0.85), RiskLevel::Critical);
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn finding() -> impl Strategy<Value = Finding> {
        (0usize..EntityType::BUILTIN.len(), 0.0f32..=1.0)
            .prop_map(|(i, s)| f(EntityType::BUILTIN[i].clone(), 0, 1, s))
    }

    proptest! {
        #[test]
        fn risk_is_bounded_and_monotone(fs in proptest::collection::vec(finding(), 0..20), extra in finding()) {
            let r = RiskScore::of(&fs).score;
            prop_assert!((0.0..=1.0).contains(&r));
            let mut more = fs.clone();
            more.push(extra);
            prop_assert!(RiskScore::of(&more).score >= r - 1e-6);
        }

        #[test]
        fn composing_never_relaxes(fs in proptest::collection::vec(finding(), 0..8), a in 0usize..7, b in 0usize..7) {
            let text = "x";
            let pa = CompliancePolicy::preset(PRESETS[a]).expect("preset");
            let pb = CompliancePolicy::preset(PRESETS[b]).expect("preset");
            let da = PolicySet::single(pa.clone()).expect("valid").evaluate(text, &fs).action();
            let db = PolicySet::single(pb.clone()).expect("valid").evaluate(text, &fs).action();
            let both = PolicySet::new(vec![pa, pb]).expect("valid").evaluate(text, &fs).action();
            prop_assert!(both >= da.max(db), "{both:?} < max({da:?}, {db:?})");
        }
    }
}
