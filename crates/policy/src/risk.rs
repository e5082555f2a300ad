//! The risk score: one number in `[0, 1]` for all categories.
//!
//! ```text
//! risk = 1 − Π over findings (1 − wᵢ · cᵢ)
//! ```
//!
//! where `wᵢ` is the severity weight of the finding's type ([`weight`]) and
//! `cᵢ` its confidence score. Each finding can only raise the score, a
//! single finding never exceeds its own `w · c`, and the score stays below
//! 1 unless a finding has weight and confidence 1. Levels: `low` below
//! 0.3, `medium` below 0.6, `high` below 0.85, `critical` from 0.85.

use deepsentinel_core::{EntityType, Finding};
use serde::Serialize;

/// Severity weight of a type, in `(0, 1]`: how bad it is for a value of
/// this type to reach a third-party model. Documented in `docs/policies.md`.
pub fn weight(t: &EntityType) -> f32 {
    match t.as_str() {
        "SECRET" | "PROMPT_INJECTION" => 1.0,
        "CREDIT_CARD" | "US_SSN" => 0.9,
        "US_ITIN" | "IBAN_CODE" | "US_BANK_NUMBER" | "US_PASSPORT" => 0.8,
        "MEDICAL_RECORD_NUMBER" | "UK_NHS" | "US_DRIVER_LICENSE" => 0.7,
        "CRYPTO" => 0.6,
        "EMAIL_ADDRESS" | "PHONE_NUMBER" => 0.4,
        "PERSON" | "NPI" => 0.3,
        "LOCATION" | "IP_ADDRESS" | "MAC_ADDRESS" => 0.2,
        "DATE_TIME" | "URL" => 0.1,
        _ => 0.5,
    }
}

/// A risk level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RiskLevel {
    /// Below 0.3.
    Low,
    /// From 0.3, below 0.6.
    Medium,
    /// From 0.6, below 0.85.
    High,
    /// From 0.85.
    Critical,
}

impl RiskLevel {
    /// The level of a score.
    pub fn of(score: f32) -> RiskLevel {
        if score >= 0.85 {
            RiskLevel::Critical
        } else if score >= 0.6 {
            RiskLevel::High
        } else if score >= 0.3 {
            RiskLevel::Medium
        } else {
            RiskLevel::Low
        }
    }
}

/// One type's share of a risk score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskFactor {
    /// The type.
    pub entity_type: EntityType,
    /// How many findings of it.
    pub count: usize,
    /// Its severity weight.
    pub weight: f32,
    /// The highest confidence among them.
    pub max_score: f32,
    /// `1 − Π(1 − w·c)` over this type's findings alone.
    pub contribution: f32,
}

/// A risk score with its level and the factors behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskScore {
    /// The score, in `[0, 1]`.
    pub score: f32,
    /// Its level.
    pub level: RiskLevel,
    /// Per type, largest contribution first (ties by type name).
    pub factors: Vec<RiskFactor>,
}

impl RiskScore {
    /// The score of no finding.
    pub fn zero() -> RiskScore {
        RiskScore {
            score: 0.0,
            level: RiskLevel::Low,
            factors: Vec::new(),
        }
    }

    /// The score of `findings`.
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> RiskScore {
        let mut factors: Vec<(RiskFactor, f64)> = Vec::new();
        let mut keep = 1.0f64;
        for f in findings {
            let w = weight(f.entity_type());
            let c = f.score().clamp(0.0, 1.0);
            let p = 1.0 - f64::from(w) * f64::from(c);
            keep *= p;
            match factors
                .iter_mut()
                .find(|(r, _)| &r.entity_type == f.entity_type())
            {
                Some((r, k)) => {
                    r.count += 1;
                    r.max_score = r.max_score.max(c);
                    *k *= p;
                }
                None => factors.push((
                    RiskFactor {
                        entity_type: f.entity_type().clone(),
                        count: 1,
                        weight: w,
                        max_score: c,
                        contribution: 0.0,
                    },
                    p,
                )),
            }
        }
        let mut factors: Vec<RiskFactor> = factors
            .into_iter()
            .map(|(mut r, k)| {
                r.contribution = (1.0 - k).clamp(0.0, 1.0) as f32;
                r
            })
            .collect();
        factors.sort_by(|a, b| {
            b.contribution
                .total_cmp(&a.contribution)
                .then_with(|| a.entity_type.as_str().cmp(b.entity_type.as_str()))
        });
        let score = (1.0 - keep).clamp(0.0, 1.0) as f32;
        RiskScore {
            score,
            level: RiskLevel::of(score),
            factors,
        }
    }
}
