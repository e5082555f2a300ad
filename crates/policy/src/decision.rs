//! Evaluation: findings + policies in, a [`Decision`] out.
//!
//! Evaluation is a pure function of the policies, the scanned text (for
//! allow-listed values) and the findings. For each policy:
//!
//! 1. A finding *counts* if its type is enabled, it is not a known test
//!    value (unless `count_test_values`), and its value is not allow-listed.
//! 2. Its action is the type's entry, else the category's, else the
//!    default. A `block` below `thresholds.block` confidence becomes
//!    `anonymize` (or `log` when the policy does not anonymize); a `redact`
//!    or `anonymize` below `thresholds.anonymize` becomes `log`.
//! 3. The risk score ([`crate::risk`]) is computed over the counted
//!    findings. The *residual* risk, over the counted findings that would
//!    reach the model unchanged (action `allow` or `log`), above
//!    `thresholds.max_risk_score` is a violation.
//! 4. Every finding whose action is `block` is a violation (grouped by type
//!    and rule). A violation blocks when `block_on_violation` is set.
//!
//! Several policies compose: if any blocks, the decision is `Block` with
//! the violations of every blocking policy; otherwise each finding takes
//! the most restrictive action any policy gives it
//! (`Block > Anonymize > Redact > Log > Allow`), rewritten by the operator
//! of the first policy that gave that action. The decision is `Anonymize`
//! if any finding is anonymized, else `Redact` if any is redacted, else
//! `Log` if any finding or violation is logged, else `Allow`.

pub use deepsentinel_core::Violation;
use deepsentinel_core::{EntityType, Finding, Span};
use regex_automata::meta;
use serde::Serialize;

use crate::error::PolicyError;
use crate::operators::{OperatorSpec, Rewrite};
use crate::policy::{Action, CompliancePolicy};
use crate::risk::RiskScore;

/// One finding's fate in a [`Plan`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanItem {
    /// Which text the finding is in (always 0 for [`PolicySet::evaluate`]).
    pub part: usize,
    /// Index of the finding in its text's findings.
    pub finding: usize,
    /// Its span.
    pub span: Span,
    /// Its type.
    pub entity_type: EntityType,
    /// `Redact` or `Anonymize`.
    pub action: Action,
    /// How the value is rewritten.
    pub operator: OperatorSpec,
    /// The policy that decided it.
    pub policy: String,
}

/// What to rewrite, with the risk and non-blocking violations for the log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// Values to rewrite, in span order.
    pub items: Vec<PlanItem>,
    /// The risk score of the counted findings.
    pub risk: RiskScore,
    /// Violations that did not block (policies without `block_on_violation`).
    pub violations: Vec<Violation>,
    /// Findings logged without rewriting.
    pub logged: usize,
}

impl Plan {
    /// The rewrites of text `part` to hand to [`crate::Anonymizer::apply`].
    pub fn rewrites(&self, part: usize) -> Vec<Rewrite> {
        self.items
            .iter()
            .filter(|i| i.part == part)
            .map(|i| Rewrite {
                span: i.span,
                entity_type: i.entity_type.clone(),
                operator: i.operator.clone(),
            })
            .collect()
    }
}

/// A refused request: every violation and the risk score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Blocked {
    /// Every violation of every blocking policy.
    pub violations: Vec<Violation>,
    /// The risk score.
    pub risk: RiskScore,
}

impl std::fmt::Display for Blocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "blocked (risk {:.2}, {:?}): ",
            self.risk.score, self.risk.level
        )?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Blocked {}

/// The outcome of evaluating findings against policies.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// Nothing to do.
    Allow {
        /// The risk score (of allowed findings, if any).
        risk: RiskScore,
    },
    /// Record, do not change.
    Log(Plan),
    /// Rewrite irreversibly.
    Redact(Plan),
    /// Rewrite, some values reversibly.
    Anonymize(Plan),
    /// Refuse.
    Block(Blocked),
}

impl Decision {
    /// The decision's action.
    pub fn action(&self) -> Action {
        match self {
            Decision::Allow { .. } => Action::Allow,
            Decision::Log(_) => Action::Log,
            Decision::Redact(_) => Action::Redact,
            Decision::Anonymize(_) => Action::Anonymize,
            Decision::Block(_) => Action::Block,
        }
    }

    /// The risk score.
    pub fn risk(&self) -> &RiskScore {
        match self {
            Decision::Allow { risk } => risk,
            Decision::Log(p) | Decision::Redact(p) | Decision::Anonymize(p) => &p.risk,
            Decision::Block(b) => &b.risk,
        }
    }

    /// The rewrite plan, for `Redact` and `Anonymize`.
    pub fn plan(&self) -> Option<&Plan> {
        match self {
            Decision::Redact(p) | Decision::Anonymize(p) => Some(p),
            _ => None,
        }
    }
}

/// A policy's allow-list, compiled: a set of values and one regex.
#[derive(Debug, Clone)]
pub(crate) struct AllowMatcher {
    pub(crate) values: std::collections::HashSet<String>,
    pub(crate) patterns: Option<meta::Regex>,
}

/// One or more validated policies, ready to evaluate.
#[derive(Debug, Clone)]
pub struct PolicySet {
    policies: Vec<(CompliancePolicy, AllowMatcher)>,
}

impl PolicySet {
    /// Validates and compiles `policies` (at least one). Every invalid
    /// policy's problems are reported.
    pub fn new(policies: Vec<CompliancePolicy>) -> Result<PolicySet, PolicyError> {
        if policies.is_empty() {
            return Err(PolicyError::Empty);
        }
        let mut problems = Vec::new();
        let mut compiled = Vec::new();
        for p in policies {
            match p.validate().and_then(|()| p.allow_regex()) {
                Ok(patterns) => {
                    let values = p.allow_list.values.iter().cloned().collect();
                    compiled.push((p, AllowMatcher { values, patterns }));
                }
                Err(PolicyError::Invalid {
                    policy,
                    problems: ps,
                }) => problems.extend(ps.into_iter().map(|mut pr| {
                    pr.field = format!("{policy}: {}", pr.field);
                    pr
                })),
                Err(e) => return Err(e),
            }
        }
        if !problems.is_empty() {
            return Err(PolicyError::Invalid {
                policy: "policy set".into(),
                problems,
            });
        }
        Ok(PolicySet { policies: compiled })
    }

    /// A set of one policy.
    pub fn single(policy: CompliancePolicy) -> Result<PolicySet, PolicyError> {
        PolicySet::new(vec![policy])
    }

    /// The policies, in order.
    pub fn policies(&self) -> impl Iterator<Item = &CompliancePolicy> {
        self.policies.iter().map(|(p, _)| p)
    }

    /// Evaluates `findings` (from scanning `text`). See the module docs.
    pub fn evaluate(&self, text: &str, findings: &[Finding]) -> Decision {
        self.evaluate_parts(&[(text, findings)])
    }

    /// Evaluates the findings of several texts as one request (the
    /// messages of a chat, say): the risk score and the residual-risk check
    /// cover all of them; [`PlanItem::part`] says which text an item is in.
    pub fn evaluate_parts(&self, parts: &[(&str, &[Finding])]) -> Decision {
        let all: Vec<(usize, usize, &str, &Finding)> = parts
            .iter()
            .enumerate()
            .flat_map(|(pi, (text, fs))| {
                fs.iter().enumerate().map(move |(fi, f)| (pi, fi, *text, f))
            })
            .collect();
        // Per finding: the most restrictive action and the policy giving it.
        let mut best: Vec<Option<(Action, usize)>> = vec![None; all.len()];
        let mut blocking: Vec<Violation> = Vec::new();
        let mut soft: Vec<Violation> = Vec::new();
        let mut counted_any = vec![false; all.len()];
        for (pi, (policy, allow)) in self.policies.iter().enumerate() {
            let mut residual: Vec<&Finding> = Vec::new();
            let mut violations: Vec<Violation> = Vec::new();
            for (i, &(_, _, text, f)) in all.iter().enumerate() {
                if !policy.considers(f, text, allow) {
                    continue;
                }
                counted_any[i] = true;
                let action = effective_action(policy, f);
                if matches!(action, Action::Allow | Action::Log) {
                    residual.push(f);
                }
                if action == Action::Block {
                    add_finding_violation(&mut violations, policy, f);
                }
                if best[i].is_none_or(|(a, _)| action > a) {
                    best[i] = Some((action, pi));
                }
            }
            let residual_risk = RiskScore::of(residual.iter().copied()).score;
            if residual_risk > policy.thresholds.max_risk_score {
                violations.push(Violation::Risk {
                    policy: policy.name.clone(),
                    score: residual_risk,
                    max: policy.thresholds.max_risk_score,
                });
            }
            if policy.block_on_violation && !violations.is_empty() {
                blocking.extend(violations);
            } else if policy.log_violations {
                soft.extend(violations);
            }
        }
        let risk = RiskScore::of(
            all.iter()
                .zip(&counted_any)
                .filter(|(_, c)| **c)
                .map(|(&(_, _, _, f), _)| f),
        );
        if !blocking.is_empty() {
            return Decision::Block(Blocked {
                violations: blocking,
                risk,
            });
        }
        let mut items = Vec::new();
        let mut logged = 0;
        for (i, b) in best.iter().enumerate() {
            let Some((action, pi)) = *b else { continue };
            let Some(&(part, fi, _, f)) = all.get(i) else {
                continue;
            };
            match action {
                Action::Redact | Action::Anonymize | Action::Block => {
                    let Some((policy, _)) = self.policies.get(pi) else {
                        continue;
                    };
                    // `Block` only reaches here for a policy that does not
                    // block on violations, which validation forbids; treat
                    // it as the strongest rewrite.
                    let action = if action == Action::Block {
                        Action::Anonymize
                    } else {
                        action
                    };
                    items.push(PlanItem {
                        part,
                        finding: fi,
                        span: f.span(),
                        entity_type: f.entity_type().clone(),
                        action,
                        operator: policy.operator_for(f.entity_type(), action),
                        policy: policy.name.clone(),
                    });
                }
                Action::Log => logged += 1,
                Action::Allow => {}
            }
        }
        items.sort_by_key(|i| (i.part, i.span.start(), i.span.end()));
        let kind = items.iter().map(|i| i.action).max();
        let plan = Plan {
            items,
            risk,
            violations: soft,
            logged,
        };
        match kind {
            Some(Action::Anonymize) => Decision::Anonymize(plan),
            Some(_) => Decision::Redact(plan),
            None if plan.logged > 0 || !plan.violations.is_empty() => Decision::Log(plan),
            None => Decision::Allow { risk: plan.risk },
        }
    }
}

/// A finding's action under `policy` after the confidence thresholds.
fn effective_action(policy: &CompliancePolicy, f: &Finding) -> Action {
    let mut action = policy.actions.for_type(f.entity_type());
    let score = f.score();
    if action == Action::Block && score < policy.thresholds.block {
        action = if policy.anonymize_sensitive_data {
            Action::Anonymize
        } else if policy.log_violations {
            Action::Log
        } else {
            Action::Allow
        };
    }
    if matches!(action, Action::Redact | Action::Anonymize) && score < policy.thresholds.anonymize {
        action = if policy.log_violations {
            Action::Log
        } else {
            Action::Allow
        };
    }
    action
}

fn add_finding_violation(out: &mut Vec<Violation>, policy: &CompliancePolicy, f: &Finding) {
    for v in out.iter_mut() {
        if let Violation::Finding {
            entity_type,
            rule,
            count,
            max_score,
            ..
        } = v
        {
            if entity_type == f.entity_type() && rule.as_str() == f.rule().as_str() {
                *count += 1;
                *max_score = max_score.max(f.score());
                return;
            }
        }
    }
    out.push(Violation::Finding {
        policy: policy.name.clone(),
        entity_type: f.entity_type().clone(),
        category: f.category(),
        rule: f.rule().as_str().to_string(),
        count: 1,
        max_score: f.score(),
    });
}

/// Evaluates `findings` of `text` against one or more policies; see
/// [`PolicySet::evaluate`].
pub fn evaluate(policies: &PolicySet, text: &str, findings: &[Finding]) -> Decision {
    policies.evaluate(text, findings)
}
