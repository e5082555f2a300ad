use serde::{Deserialize, Serialize};

use crate::{Category, EntityType};

/// Why a request violates a compliance policy. Never holds a value.
///
/// Made by the policy layer, carried by [`crate::Error::ComplianceViolation`]
/// and shown to callers (and in the gateway's error bodies), so it names
/// types, rules, counts and scores, never the text that was found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Violation {
    /// Findings whose action is `block`.
    Finding {
        /// The policy.
        policy: String,
        /// Their type.
        entity_type: EntityType,
        /// Its category.
        category: Category,
        /// The recognizer rule that found them.
        rule: String,
        /// How many.
        count: usize,
        /// Their highest confidence.
        max_score: f32,
    },
    /// The residual risk exceeds the policy's `max_risk_score`.
    Risk {
        /// The policy.
        policy: String,
        /// The residual risk score.
        score: f32,
        /// The policy's maximum.
        max: f32,
    },
}

impl Violation {
    /// The policy that was violated.
    pub fn policy(&self) -> &str {
        match self {
            Violation::Finding { policy, .. } | Violation::Risk { policy, .. } => policy,
        }
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Violation::Finding {
                policy,
                entity_type,
                rule,
                count,
                max_score,
                ..
            } => write!(
                f,
                "{count} × {entity_type} (rule {rule}, score up to {max_score:.2}) blocked by policy `{policy}`"
            ),
            Violation::Risk { policy, score, max } => write!(
                f,
                "residual risk {score:.2} exceeds {max:.2} of policy `{policy}`"
            ),
        }
    }
}
