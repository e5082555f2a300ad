use std::path::Path;

use deepsentinel_core::{Category, EntityType};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};

/// Configuration of a [`Scanner`](crate::Scanner): plain data, loadable from
/// TOML or YAML, validated by [`Builder::build`](crate::Builder::build).
///
/// Every field has a documented default, so an empty file is a valid
/// configuration that enables every built-in recognizer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Categories to scan for. Default: all of them.
    pub categories: Vec<Category>,
    /// When non-empty, only these types are reported (within the enabled
    /// categories). Default: empty (every type of an enabled category).
    pub types: Vec<EntityType>,
    /// Types never reported. Default: none.
    pub disable_types: Vec<EntityType>,
    /// Findings scoring below this are dropped. In `[0, 1]`. Default `0.5`.
    pub min_score: f32,
    /// Values and patterns that are never reported.
    pub allow_list: AllowList,
    /// Which decoded views of the text are scanned too.
    pub decode: DecodeConfig,
    /// User-defined rules.
    pub rules: Vec<CustomRule>,
    /// Upper bound, in bytes, on the compiled size of the custom rules'
    /// and allow-list's regexes. Default 8 MiB.
    pub size_limit: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            categories: Category::ALL.to_vec(),
            types: Vec::new(),
            disable_types: Vec::new(),
            min_score: DEFAULT_MIN_SCORE,
            allow_list: AllowList::default(),
            decode: DecodeConfig::default(),
            rules: Vec::new(),
            size_limit: 8 << 20,
        }
    }
}

/// The default for [`Config::min_score`].
pub const DEFAULT_MIN_SCORE: f32 = 0.5;

/// Values that must never be reported, whatever matches them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct AllowList {
    /// Exact values (compared with the matched text).
    pub values: Vec<String>,
    /// Regexes that must match the *whole* matched text.
    pub patterns: Vec<String>,
}

/// Which decoded views are scanned in addition to the text itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct DecodeConfig {
    /// `%40`-style percent-encoding. Default on.
    pub percent: bool,
    /// JSON string escapes (`\"`, `\n`, `\u0040`, doubled escapes). Default on.
    pub json: bool,
    /// Base64 blobs that decode to text. Default on.
    pub base64: bool,
    /// How many encodings deep to look (e.g. base64 inside a JSON string is
    /// depth 2). Default 2; 0 disables decoding.
    pub max_depth: u8,
}

impl Default for DecodeConfig {
    fn default() -> DecodeConfig {
        DecodeConfig {
            percent: true,
            json: true,
            base64: true,
            max_depth: 2,
        }
    }
}

/// A user-defined recognizer.
///
/// ```toml
/// [[rules]]
/// name = "employee-id"
/// entity-type = "EMPLOYEE_ID"
/// category = "pii"
/// pattern = 'EMP-\d{6}'
/// context = ["employee", "staff id"]
/// score = 0.6
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CustomRule {
    /// Unique rule id; findings carry it as their rule.
    pub name: String,
    /// The type reported: a built-in name (`US_SSN`) or a new upper-case
    /// name that declares a custom type.
    pub entity_type: EntityType,
    /// The category; default: the built-in type's, else `custom`.
    #[serde(default)]
    pub category: Option<Category>,
    /// The regex (Rust `regex` syntax, linear time; no look-around or
    /// back-references). With a capture group named `value`, only that
    /// group is reported.
    pub pattern: String,
    /// Match the pattern case-insensitively. Default false.
    #[serde(default)]
    pub case_insensitive: bool,
    /// Name of a built-in validator the match must pass (`luhn`, `iban`,
    /// `aba`, `ssn`, `itin`, `npi`, `nhs`, `base58check`, `bech32`,
    /// `ipv4`, `ipv6`, `date`).
    #[serde(default)]
    pub validator: Option<String>,
    /// Words that raise the score when they appear shortly before the match.
    #[serde(default)]
    pub context: Vec<String>,
    /// Report only when a context word is present. Default false.
    #[serde(default)]
    pub requires_context: bool,
    /// Score without context, in `[0, 1]`. Default 0.6.
    #[serde(default = "default_rule_score")]
    pub score: f32,
    /// Score with context, in `[0, 1]`. Default: `min(score + 0.3, 1)`.
    #[serde(default)]
    pub context_score: Option<f32>,
}

fn default_rule_score() -> f32 {
    0.6
}

impl Config {
    /// Parses TOML.
    pub fn from_toml_str(s: &str) -> Result<Config, Error> {
        toml::from_str(s).map_err(|e| {
            Error::new(ErrorKind::Parse {
                source_name: "<toml>".into(),
                problem: e.to_string(),
            })
        })
    }

    /// Parses YAML.
    pub fn from_yaml_str(s: &str) -> Result<Config, Error> {
        serde_yaml_ng::from_str(s).map_err(|e| {
            Error::new(ErrorKind::Parse {
                source_name: "<yaml>".into(),
                problem: e.to_string(),
            })
        })
    }

    /// Reads a file, as YAML when its extension is `.yaml`/`.yml` and as TOML
    /// otherwise.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Config, Error> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| {
            Error::new(ErrorKind::Io {
                path: name.clone(),
                source,
            })
        })?;
        let yaml = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        );
        let parsed = if yaml {
            Config::from_yaml_str(&text)
        } else {
            Config::from_toml_str(&text)
        };
        parsed.map_err(|e| match e.kind() {
            ErrorKind::Parse { problem, .. } => Error::new(ErrorKind::Parse {
                source_name: name,
                problem: problem.clone(),
            }),
            _ => e,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_is_default() {
        assert_eq!(
            Config::from_toml_str("").expect("parses"),
            Config::default()
        );
        assert_eq!(
            Config::from_yaml_str("{}").expect("parses"),
            Config::default()
        );
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let err = Config::from_toml_str("min-scor = 0.3").expect_err("typo");
        assert!(err.to_string().contains("min-scor"), "{err}");
    }

    #[test]
    fn rules_parse_from_both_formats() {
        let toml = r#"
            categories = ["pii", "secret"]
            min-score = 0.4
            [allow-list]
            values = ["jane@example.com"]
            [[rules]]
            name = "employee-id"
            entity-type = "EMPLOYEE_ID"
            pattern = 'EMP-\d{6}'
            context = ["employee"]
        "#;
        let c = Config::from_toml_str(toml).expect("parses");
        assert_eq!(c.rules.len(), 1);
        assert_eq!(c.rules[0].entity_type, EntityType::custom("EMPLOYEE_ID"));
        assert_eq!(c.rules[0].score, 0.6);
        let yaml =
            "categories: [pii]\nrules:\n  - name: r\n    entity-type: SSN\n    pattern: 'x'\n";
        let c = Config::from_yaml_str(yaml).expect("parses");
        assert_eq!(c.rules[0].entity_type, EntityType::UsSsn);
    }
}
