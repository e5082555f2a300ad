//! The built-in policies. Their tables are documented in
//! `docs/policies.md`; `deepsentinel policy check <preset>` prints them.

use std::collections::BTreeMap;

use deepsentinel_core::{Category, EntityType};

use crate::operators::OperatorSpec;
use crate::policy::{Action, Actions, AllowList, CompliancePolicy, Thresholds};

fn base(name: &str, default: Action) -> CompliancePolicy {
    CompliancePolicy {
        name: name.to_string(),
        categories: Category::ALL.to_vec(),
        types: Vec::new(),
        actions: Actions {
            default,
            by_category: BTreeMap::new(),
            by_type: BTreeMap::new(),
        },
        thresholds: Thresholds::default(),
        block_on_violation: true,
        anonymize_sensitive_data: true,
        log_violations: true,
        anonymize_audit_logs: true,
        count_test_values: false,
        allow_list: AllowList::default(),
        operators: BTreeMap::new(),
    }
}

fn card_mask() -> OperatorSpec {
    OperatorSpec::Mask {
        char: '*',
        keep_first: 0,
        keep_last: 4,
    }
}

/// The policy that applies when none is configured: secrets and prompt
/// injection block, every other finding is pseudonymized (restored in the
/// reply), overall tolerated risk 0.8.
pub(crate) fn default_policy() -> CompliancePolicy {
    let mut p = base("default", Action::Anonymize);
    p.thresholds.max_risk_score = 0.8;
    p.actions
        .by_category
        .insert(Category::Secret, Action::Block);
    p.actions
        .by_category
        .insert(Category::Injection, Action::Block);
    p
}

pub(crate) fn preset(name: &str) -> Option<CompliancePolicy> {
    let p = match name {
        "default" => default_policy(),
        "production" => {
            let mut p = base("production", Action::Anonymize);
            p.thresholds = Thresholds {
                max_risk_score: 0.6,
                block: 0.6,
                anonymize: 0.5,
            };
            for c in [Category::Pci, Category::Secret, Category::Injection] {
                p.actions.by_category.insert(c, Action::Block);
            }
            p.actions.by_type.insert(EntityType::UsSsn, Action::Block);
            p
        }
        "staging" => {
            let mut p = base("staging", Action::Anonymize);
            p.thresholds.max_risk_score = 0.8;
            p.block_on_violation = false;
            // Secrets and injection text have nothing worth restoring.
            p.actions
                .by_category
                .insert(Category::Secret, Action::Redact);
            p.actions
                .by_category
                .insert(Category::Injection, Action::Redact);
            p
        }
        "development" => {
            let mut p = base("development", Action::Log);
            p.thresholds.max_risk_score = 0.9;
            p.block_on_violation = false;
            p.anonymize_sensitive_data = false;
            p
        }
        "hipaa" => {
            // The HIPAA Safe Harbor identifiers this engine detects.
            let mut p = base("hipaa", Action::Anonymize);
            p.thresholds.max_risk_score = 0.7;
            p.categories = vec![Category::Pii, Category::Phi, Category::Pci];
            p.types = vec![
                EntityType::Person,
                EntityType::Location,
                EntityType::DateTime,
                EntityType::PhoneNumber,
                EntityType::EmailAddress,
                EntityType::UsSsn,
                EntityType::MedicalRecordNumber,
                EntityType::UkNhs,
                EntityType::Npi,
                EntityType::UsBankNumber,
                EntityType::UsDriverLicense,
                EntityType::Url,
                EntityType::IpAddress,
                EntityType::MacAddress,
            ];
            p
        }
        "pci-dss" => {
            // Cardholder data and what protects it.
            let mut p = base("pci-dss", Action::Anonymize);
            p.thresholds.max_risk_score = 0.6;
            p.categories = vec![Category::Pii, Category::Pci, Category::Secret];
            p.types = vec![
                EntityType::CreditCard,
                EntityType::IbanCode,
                EntityType::UsBankNumber,
                EntityType::Person,
                EntityType::Secret,
            ];
            p.actions
                .by_type
                .insert(EntityType::CreditCard, Action::Redact);
            p.operators.insert(EntityType::CreditCard, card_mask());
            p.actions.by_type.insert(EntityType::Secret, Action::Block);
            p
        }
        "gdpr" => {
            // Personal data, including special-category health data.
            let mut p = base("gdpr", Action::Anonymize);
            p.thresholds.max_risk_score = 0.7;
            p.block_on_violation = false;
            p.categories = vec![Category::Pii, Category::Phi, Category::Pci];
            p.types = vec![
                EntityType::Person,
                EntityType::EmailAddress,
                EntityType::PhoneNumber,
                EntityType::Location,
                EntityType::DateTime,
                EntityType::IpAddress,
                EntityType::MacAddress,
                EntityType::UsSsn,
                EntityType::UsItin,
                EntityType::UsPassport,
                EntityType::UsDriverLicense,
                EntityType::UkNhs,
                EntityType::MedicalRecordNumber,
                EntityType::IbanCode,
                EntityType::UsBankNumber,
                EntityType::CreditCard,
                EntityType::Crypto,
            ];
            p
        }
        _ => return None,
    };
    Some(p)
}
