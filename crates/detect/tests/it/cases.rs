//! Table-driven detection cases from `testdata/cases/*.toml`.
//!
//! Each file holds `[[case]]` tables:
//!
//! ```toml
//! [[case]]
//! name = "visa with spaces"
//! text = "card 4111 1111 1111 1111 ok"
//! only = ["CREDIT_CARD"]            # optional: compare only these types
//! categories = ["pci"]              # optional: scanner categories
//! expect = [{ type = "CREDIT_CARD", value = "4111 1111 1111 1111", subtype = "visa", test_value = true }]
//! ```
//!
//! The findings (restricted to `only` when given) must equal `expect`
//! exactly as a multiset of `(type, matched text)`; `subtype` and
//! `test_value`, when given, must match too. `expect = []` states that
//! nothing (of those types) may be found: that is how near-misses and hard
//! negatives are written. Every case also runs through the streaming-free
//! scanner twice to check determinism.

use std::collections::HashMap;
use std::path::PathBuf;

use deepsentinel_detect::{Category, EntityType, Scanner};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    text: String,
    #[serde(default)]
    only: Vec<EntityType>,
    #[serde(default)]
    categories: Vec<Category>,
    expect: Vec<Expect>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(rename = "type")]
    entity: EntityType,
    value: String,
    #[serde(default)]
    subtype: Option<String>,
    #[serde(default)]
    test_value: Option<bool>,
}

fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/cases")
}

#[test]
fn testdata_cases() {
    let default = Scanner::new();
    let mut scanners: HashMap<Vec<Category>, Scanner> = HashMap::new();
    let mut failures = Vec::new();
    let mut total = 0;
    let mut entries: Vec<_> = std::fs::read_dir(cases_dir())
        .expect("testdata/cases exists")
        .map(|e| e.expect("readable dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    entries.sort();
    assert!(!entries.is_empty(), "no case files found");
    for path in entries {
        let src = std::fs::read_to_string(&path).expect("readable case file");
        let file: File = toml::from_str(&src).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let fname = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for case in file.case {
            total += 1;
            let scanner = if case.categories.is_empty() {
                &default
            } else {
                scanners.entry(case.categories.clone()).or_insert_with(|| {
                    Scanner::builder()
                        .categories(&case.categories)
                        .build()
                        .expect("valid categories")
                })
            };
            let findings = scanner.scan(&case.text);
            let mut got: Vec<(String, String)> = findings
                .iter()
                .filter(|f| case.only.is_empty() || case.only.contains(f.entity_type()))
                .map(|f| {
                    (
                        f.entity_type().to_string(),
                        case.text[f.span().range()].to_owned(),
                    )
                })
                .collect();
            let mut want: Vec<(String, String)> = case
                .expect
                .iter()
                .map(|e| (e.entity.to_string(), e.value.clone()))
                .collect();
            got.sort();
            want.sort();
            if got != want {
                failures.push(format!(
                    "{fname}: {}\n    text: {:?}\n    want: {want:?}\n    got:  {got:?}",
                    case.name, case.text
                ));
                continue;
            }
            for e in &case.expect {
                let f = findings.iter().find(|f| {
                    f.entity_type() == &e.entity && case.text[f.span().range()] == e.value
                });
                let Some(f) = f else { continue };
                if let Some(st) = &e.subtype {
                    if f.subtype().map(|s| s.as_str()) != Some(st.as_str()) {
                        failures.push(format!(
                            "{fname}: {}: subtype {:?}, want {st:?}",
                            case.name,
                            f.subtype()
                        ));
                    }
                }
                if let Some(tv) = e.test_value {
                    if f.is_test_value() != tv {
                        failures.push(format!(
                            "{fname}: {}: test_value {}, want {tv}",
                            case.name,
                            f.is_test_value()
                        ));
                    }
                }
            }
            assert_eq!(
                findings,
                scanner.scan(&case.text),
                "{fname}: {}: not deterministic",
                case.name
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
