//! [`CompliancePolicy`]: what a compliance officer configures.
//!
//! A policy says which findings count (categories, types, test values,
//! allow-lists), what each one triggers ([`Action`]), which confidence a
//! finding needs before it blocks or is anonymized, how much overall risk is
//! tolerated, and which operator rewrites each type. Policies are data:
//! they load from TOML or YAML, [`CompliancePolicy::validate`] lists every
//! problem at once, and [`crate::decision::evaluate`] turns one or more of
//! them plus a scan's findings into a [`crate::Decision`].

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use deepsentinel_core::{Category, EntityType, Finding};
use regex_automata::meta;
use serde::{Deserialize, Serialize};

use crate::error::{PolicyError, Problem};
use crate::operators::OperatorSpec;

/// What a finding triggers, from least to most restrictive.
///
/// The order is the composition order: when several policies apply, the
/// most restrictive action wins (`Block > Anonymize > Redact > Log > Allow`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Nothing happens.
    Allow,
    /// The finding is recorded (type, span, score; never the value).
    Log,
    /// The value is replaced irreversibly (by default with `<TYPE>`).
    Redact,
    /// The value is replaced reversibly (by default with a numbered
    /// placeholder such as `<PERSON_1>`, restored in the reply).
    Anonymize,
    /// The request is refused with every violation listed.
    Block,
}

impl Action {
    /// Every action, least restrictive first.
    pub const ALL: [Action; 5] = [
        Action::Allow,
        Action::Log,
        Action::Redact,
        Action::Anonymize,
        Action::Block,
    ];

    /// The lowercase name used in policy files.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Log => "log",
            Action::Redact => "redact",
            Action::Anonymize => "anonymize",
            Action::Block => "block",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which action each finding triggers: the type's entry, else its
/// category's, else `default`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actions {
    /// Action for findings whose type and category have no entry.
    pub default: Action,
    /// Per-category actions.
    #[serde(
        default,
        rename = "category",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub by_category: BTreeMap<Category, Action>,
    /// Per-type actions; they override the category's.
    #[serde(default, rename = "type", skip_serializing_if = "BTreeMap::is_empty")]
    pub by_type: BTreeMap<EntityType, Action>,
}

impl Actions {
    /// The action for a finding of type `t`.
    pub fn for_type(&self, t: &EntityType) -> Action {
        self.by_type
            .get(t)
            .or_else(|| self.by_category.get(&t.category()))
            .copied()
            .unwrap_or(self.default)
    }
}

/// The policy's thresholds, all in `[0, 1]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// The overall risk score ([`crate::risk`]) the policy tolerates. A
    /// higher score is a violation: it blocks when `block_on_violation` is
    /// set and is logged otherwise.
    pub max_risk_score: f32,
    /// The confidence a finding needs for its `block` action to block.
    /// Below it the finding is anonymized (or logged when the policy does
    /// not anonymize): a weak guess never refuses a request.
    pub block: f32,
    /// The confidence a finding needs for its `redact` or `anonymize`
    /// action; below it the finding is only logged.
    pub anonymize: f32,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            max_risk_score: 0.6,
            block: 0.7,
            anonymize: 0.5,
        }
    }
}

/// Values the policy never acts on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowList {
    /// Exact values (for example a company's public support address).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// Regexes a whole value must match (linear-time syntax).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patterns: Vec<String>,
}

fn all_categories() -> Vec<Category> {
    Category::ALL.to_vec()
}

fn yes() -> bool {
    true
}

/// A compliance policy. See the module docs and `docs/policies.md`.
///
/// Build one from a preset ([`CompliancePolicy::preset`]), a file
/// ([`CompliancePolicy::from_path`]) or a string, then
/// [`validate`](CompliancePolicy::validate) it (loading validates).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompliancePolicy {
    /// A name for reports and audit records.
    pub name: String,
    /// Enabled categories; findings of other categories are ignored.
    #[serde(default = "all_categories")]
    pub categories: Vec<Category>,
    /// When not empty, only these types count (each must belong to an
    /// enabled category).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<EntityType>,
    /// What each finding triggers.
    pub actions: Actions,
    /// Thresholds.
    #[serde(default)]
    pub thresholds: Thresholds,
    /// Whether a violation refuses the request. `false` forbids `block`
    /// actions.
    #[serde(default = "yes")]
    pub block_on_violation: bool,
    /// Whether values may be rewritten. `false` forbids `redact` and
    /// `anonymize` actions.
    #[serde(default = "yes")]
    pub anonymize_sensitive_data: bool,
    /// Whether findings and violations are logged. `false` forbids `log`
    /// actions.
    #[serde(default = "yes")]
    pub log_violations: bool,
    /// Whether audit records replace values by their type (they never
    /// contain raw values; with this set they do not contain masked or
    /// hashed forms either).
    #[serde(default = "yes")]
    pub anonymize_audit_logs: bool,
    /// Whether known test values (such as `4111 1111 1111 1111`) count.
    #[serde(default)]
    pub count_test_values: bool,
    /// Values never acted on.
    #[serde(default)]
    pub allow_list: AllowList,
    /// Operator per type for `redact` and `anonymize` actions; types
    /// without an entry use `replace` (redact) or `pseudonymize`
    /// (anonymize).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub operators: BTreeMap<EntityType, OperatorSpec>,
}

impl fmt::Debug for CompliancePolicy {
    /// Allow-listed values may themselves be sensitive: only their number
    /// is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompliancePolicy")
            .field("name", &self.name)
            .field("categories", &self.categories)
            .field("types", &self.types)
            .field("actions", &self.actions)
            .field("thresholds", &self.thresholds)
            .field("block_on_violation", &self.block_on_violation)
            .field("anonymize_sensitive_data", &self.anonymize_sensitive_data)
            .field("log_violations", &self.log_violations)
            .field("anonymize_audit_logs", &self.anonymize_audit_logs)
            .field("count_test_values", &self.count_test_values)
            .field("allow_values", &self.allow_list.values.len())
            .field("allow_patterns", &self.allow_list.patterns.len())
            .field("operators", &self.operators)
            .finish()
    }
}

/// The built-in presets, by name.
pub const PRESETS: [&str; 7] = [
    "default",
    "production",
    "staging",
    "development",
    "hipaa",
    "pci-dss",
    "gdpr",
];

impl CompliancePolicy {
    /// A built-in preset by name (see [`PRESETS`] and `docs/policies.md`).
    pub fn preset(name: &str) -> Result<CompliancePolicy, PolicyError> {
        crate::presets::preset(name).ok_or_else(|| PolicyError::UnknownPreset {
            name: name.to_string(),
        })
    }

    /// The policy that applies when none is configured.
    pub fn default_policy() -> CompliancePolicy {
        crate::presets::default_policy()
    }

    /// Parses a TOML policy and validates it.
    pub fn from_toml(text: &str) -> Result<CompliancePolicy, PolicyError> {
        let p: CompliancePolicy = toml::from_str(text).map_err(|e| PolicyError::Parse {
            format: "TOML",
            message: e.to_string(),
        })?;
        p.validate()?;
        Ok(p)
    }

    /// Parses a YAML policy and validates it.
    pub fn from_yaml(text: &str) -> Result<CompliancePolicy, PolicyError> {
        let p: CompliancePolicy =
            serde_yaml_ng::from_str(text).map_err(|e| PolicyError::Parse {
                format: "YAML",
                message: e.to_string(),
            })?;
        p.validate()?;
        Ok(p)
    }

    /// Loads a policy file (`.toml`, `.yaml` or `.yml`) and validates it.
    pub fn from_path(path: &Path) -> Result<CompliancePolicy, PolicyError> {
        let text = std::fs::read_to_string(path).map_err(|e| PolicyError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("toml") => CompliancePolicy::from_toml(&text),
            Some("yaml" | "yml") => CompliancePolicy::from_yaml(&text),
            _ => Err(PolicyError::UnknownFormat {
                path: path.display().to_string(),
            }),
        }
    }

    /// A preset name or a policy file path. A bare preset name that is
    /// also a file in the working directory is ambiguous and refused
    /// (write `./production` for the file).
    pub fn load(spec: &str) -> Result<CompliancePolicy, PolicyError> {
        let path = Path::new(spec);
        if PRESETS.contains(&spec) {
            if path.exists() {
                return Err(PolicyError::Ambiguous {
                    name: spec.to_string(),
                });
            }
            return CompliancePolicy::preset(spec);
        }
        if path.exists() {
            return CompliancePolicy::from_path(path);
        }
        Err(PolicyError::UnknownPreset {
            name: spec.to_string(),
        })
    }

    /// Checks the policy and lists every problem; conflicting settings are
    /// rejected, never resolved silently.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let mut problems = Vec::new();
        let mut bad = |field: String, problem: String| problems.push(Problem { field, problem });
        if self.name.trim().is_empty() {
            bad("name".into(), "must not be empty".into());
        }
        if self.categories.is_empty() {
            bad(
                "categories".into(),
                "no category is enabled: the policy would never act".into(),
            );
        }
        let th = &self.thresholds;
        for (field, v) in [
            ("thresholds.max_risk_score", th.max_risk_score),
            ("thresholds.block", th.block),
            ("thresholds.anonymize", th.anonymize),
        ] {
            if !(0.0..=1.0).contains(&v) {
                bad(field.into(), format!("{v} is outside [0, 1]"));
            }
        }
        if th.anonymize > th.block {
            bad(
                "thresholds".into(),
                format!(
                    "anonymize ({}) is above block ({}): a finding confident enough to \
                     block would not be confident enough to anonymize",
                    th.anonymize, th.block
                ),
            );
        }
        for t in &self.types {
            if !self.categories.contains(&t.category()) {
                bad(
                    "types".into(),
                    format!(
                        "{t} belongs to category {}, which is not enabled",
                        t.category()
                    ),
                );
            }
        }
        let mut seen = std::collections::HashSet::new();
        for c in &self.categories {
            if !seen.insert(*c) {
                bad("categories".into(), format!("{c} is listed twice"));
            }
        }
        // Every action the policy can take must be allowed by its switches.
        let mut uses: Vec<(String, Action)> =
            vec![("actions.default".into(), self.actions.default)];
        for (c, a) in &self.actions.by_category {
            if !self.categories.contains(c) {
                bad(
                    format!("actions.category.{c}"),
                    format!("category {c} is not enabled"),
                );
            }
            uses.push((format!("actions.category.{c}"), *a));
        }
        for (t, a) in &self.actions.by_type {
            if !self.covers_type(t) {
                bad(
                    format!("actions.type.{t}"),
                    format!("type {t} is not enabled by categories/types"),
                );
            }
            uses.push((format!("actions.type.{t}"), *a));
        }
        for (field, a) in &uses {
            match a {
                Action::Block if !self.block_on_violation => bad(
                    field.clone(),
                    "is `block` but block_on_violation = false".into(),
                ),
                Action::Redact | Action::Anonymize if !self.anonymize_sensitive_data => bad(
                    field.clone(),
                    format!("is `{a}` but anonymize_sensitive_data = false"),
                ),
                Action::Log if !self.log_violations => {
                    bad(field.clone(), "is `log` but log_violations = false".into())
                }
                _ => {}
            }
        }
        for (t, op) in &self.operators {
            if !self.covers_type(t) {
                bad(
                    format!("operators.{t}"),
                    format!("type {t} is not enabled by categories/types"),
                );
            }
            if let Err(problem) = op.validate() {
                bad(format!("operators.{t}"), problem);
            }
            let action = self.actions.for_type(t);
            if !matches!(action, Action::Redact | Action::Anonymize | Action::Block) {
                bad(
                    format!("operators.{t}"),
                    format!("an operator is set but the type's action is `{action}`"),
                );
            }
        }
        for (i, p) in self.allow_list.patterns.iter().enumerate() {
            if let Err(e) = compile_allow_pattern(p) {
                bad(format!("allow_list.patterns[{i}]"), e);
            }
        }
        for (i, v) in self.allow_list.values.iter().enumerate() {
            if v.is_empty() {
                bad(format!("allow_list.values[{i}]"), "is empty".into());
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(PolicyError::Invalid {
                policy: self.name.clone(),
                problems,
            })
        }
    }

    /// Whether findings of type `t` count for this policy (ignoring test
    /// values and allow-lists).
    pub fn covers_type(&self, t: &EntityType) -> bool {
        self.categories.contains(&t.category()) && (self.types.is_empty() || self.types.contains(t))
    }

    /// Whether the policy considers `f` at all, given the scanned `text`
    /// and the policy's compiled allow-list.
    pub(crate) fn considers(
        &self,
        f: &Finding,
        text: &str,
        allow: &crate::decision::AllowMatcher,
    ) -> bool {
        if !self.covers_type(f.entity_type()) {
            return false;
        }
        if f.is_test_value() && !self.count_test_values {
            return false;
        }
        if let Some(value) = f.span().slice(text) {
            if allow.values.contains(value) {
                return false;
            }
            if allow.patterns.as_ref().is_some_and(|re| re.is_match(value)) {
                return false;
            }
        }
        true
    }

    /// The allow-list patterns as one whole-value regex, `None` when empty.
    pub(crate) fn allow_regex(&self) -> Result<Option<meta::Regex>, PolicyError> {
        if self.allow_list.patterns.is_empty() {
            return Ok(None);
        }
        let anchored: Vec<String> = self
            .allow_list
            .patterns
            .iter()
            .map(|p| format!("^(?:{p})$"))
            .collect();
        meta::Regex::new_many(&anchored)
            .map(Some)
            .map_err(|e| PolicyError::Invalid {
                policy: self.name.clone(),
                problems: vec![Problem {
                    field: "allow_list.patterns".into(),
                    problem: e.to_string(),
                }],
            })
    }

    /// The effective action table: every type this policy covers with its
    /// action and operator, in [`EntityType::BUILTIN`] order, then custom
    /// types named in the policy.
    pub fn table(&self) -> Vec<TableRow> {
        let mut types: Vec<EntityType> = EntityType::BUILTIN.to_vec();
        for t in self.actions.by_type.keys().chain(self.types.iter()) {
            if !types.contains(t) {
                types.push(t.clone());
            }
        }
        types
            .into_iter()
            .filter(|t| self.covers_type(t))
            .map(|t| {
                let action = self.actions.for_type(&t);
                let operator = match action {
                    Action::Redact | Action::Anonymize => Some(self.operator_for(&t, action)),
                    _ => None,
                };
                TableRow {
                    category: t.category(),
                    weight: crate::risk::weight(&t),
                    entity_type: t,
                    action,
                    operator,
                }
            })
            .collect()
    }

    /// The operator that rewrites a value of type `t` under `action`.
    pub fn operator_for(&self, t: &EntityType, action: Action) -> OperatorSpec {
        if let Some(op) = self.operators.get(t) {
            return op.clone();
        }
        match action {
            Action::Anonymize => OperatorSpec::Pseudonymize,
            _ => OperatorSpec::Replace,
        }
    }

    /// Serializes the policy as TOML (for `policy check` and templates).
    pub fn to_toml(&self) -> Result<String, PolicyError> {
        toml::to_string_pretty(self).map_err(|e| PolicyError::Parse {
            format: "TOML",
            message: e.to_string(),
        })
    }
}

/// One row of [`CompliancePolicy::table`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableRow {
    /// The type.
    pub entity_type: EntityType,
    /// Its category.
    pub category: Category,
    /// What a finding of this type triggers.
    pub action: Action,
    /// How its value is rewritten, for `redact` and `anonymize`.
    pub operator: Option<OperatorSpec>,
    /// Its severity weight in the risk score.
    pub weight: f32,
}

fn compile_allow_pattern(p: &str) -> Result<(), String> {
    meta::Regex::new(&format!("^(?:{p})$"))
        .map(|_| ())
        .map_err(|e| e.to_string())
}
