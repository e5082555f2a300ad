use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Category, EntityType, Label, Span};

/// Facts about a finding beyond its type and score.
///
/// A small bit set; combine with `|`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct FindingFlags(u8);

impl FindingFlags {
    /// No flag.
    pub const NONE: FindingFlags = FindingFlags(0);
    /// The value is a well-known test or documentation value (for example
    /// the card number `4111 1111 1111 1111`). It is reported, not dropped.
    pub const TEST_VALUE: FindingFlags = FindingFlags(1);
    /// The value is presented as an identifier of its type but cannot have
    /// been issued (for example an SSN with area `000`).
    pub const NOT_ISSUABLE: FindingFlags = FindingFlags(1 << 1);
    /// The value was found in a decoded view of the text (percent-encoding,
    /// JSON escapes, base64); the span covers its encoded form.
    pub const DECODED: FindingFlags = FindingFlags(1 << 2);

    const NAMES: [(FindingFlags, &'static str); 3] = [
        (FindingFlags::TEST_VALUE, "test_value"),
        (FindingFlags::NOT_ISSUABLE, "not_issuable"),
        (FindingFlags::DECODED, "decoded"),
    ];

    /// Whether every flag in `other` is set.
    pub fn contains(self, other: FindingFlags) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether no flag is set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The names of the flags that are set, for display and serialization.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        FindingFlags::NAMES
            .into_iter()
            .filter(move |(f, _)| self.contains(*f))
            .map(|(_, n)| n)
    }
}

impl std::ops::BitOr for FindingFlags {
    type Output = FindingFlags;
    fn bitor(self, rhs: FindingFlags) -> FindingFlags {
        FindingFlags(self.0 | rhs.0)
    }
}

impl std::ops::BitOrAssign for FindingFlags {
    fn bitor_assign(&mut self, rhs: FindingFlags) {
        self.0 |= rhs.0;
    }
}

impl fmt::Debug for FindingFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.names()).finish()
    }
}

/// One sensitive value found in a text.
///
/// A finding never holds the matched text: slice the scanned text with
/// [`Finding::span`] when you need it. That keeps values out of logs, audit
/// records and errors that carry findings around.
///
/// Invariant: the score lies in `[0, 1]` (constructors clamp it; `NaN`
/// becomes `0`).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "FindingRepr", into = "FindingRepr")]
pub struct Finding {
    entity: EntityType,
    category: Category,
    span: Span,
    score: f32,
    rule: Label,
    subtype: Option<Label>,
    flags: FindingFlags,
}

fn clamp_score(score: f32) -> f32 {
    if score.is_nan() {
        0.0
    } else {
        score.clamp(0.0, 1.0)
    }
}

impl Finding {
    /// A finding of `entity` (in that type's category) over `span`.
    pub fn new(entity: EntityType, span: Span, score: f32, rule: impl Into<Label>) -> Finding {
        Finding {
            category: entity.category(),
            entity,
            span,
            score: clamp_score(score),
            rule: rule.into(),
            subtype: None,
            flags: FindingFlags::NONE,
        }
    }

    /// Sets the category (custom rules may file their type under any).
    pub fn with_category(mut self, category: Category) -> Finding {
        self.category = category;
        self
    }

    /// Sets the subtype, such as `visa` or `aws_access_key_id`.
    pub fn with_subtype(mut self, subtype: impl Into<Label>) -> Finding {
        self.subtype = Some(subtype.into());
        self
    }

    /// Adds flags.
    pub fn with_flags(mut self, flags: FindingFlags) -> Finding {
        self.flags |= flags;
        self
    }

    /// Replaces the score (clamped to `[0, 1]`).
    pub fn with_score(mut self, score: f32) -> Finding {
        self.score = clamp_score(score);
        self
    }

    /// Replaces the span (used when mapping a finding from a decoded view or
    /// a slice back to the original text).
    pub fn with_span(mut self, span: Span) -> Finding {
        self.span = span;
        self
    }

    /// What was found.
    pub fn entity_type(&self) -> &EntityType {
        &self.entity
    }

    /// The category it is reported under.
    pub fn category(&self) -> Category {
        self.category
    }

    /// Where it is, in UTF-8 bytes of the scanned text.
    pub fn span(&self) -> Span {
        self.span
    }

    /// Confidence in `[0, 1]`.
    pub fn score(&self) -> f32 {
        self.score
    }

    /// The id of the rule that fired.
    pub fn rule(&self) -> &Label {
        &self.rule
    }

    /// A finer type, where the rule knows one.
    pub fn subtype(&self) -> Option<&Label> {
        self.subtype.as_ref()
    }

    /// Extra facts about the value.
    pub fn flags(&self) -> FindingFlags {
        self.flags
    }

    /// Whether the value is a known test value.
    pub fn is_test_value(&self) -> bool {
        self.flags.contains(FindingFlags::TEST_VALUE)
    }
}

/// Debug output shows where and what, never the value (a finding has no
/// value to show).
impl fmt::Debug for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Finding");
        d.field("entity_type", &self.entity)
            .field("span", &self.span)
            .field("score", &self.score)
            .field("rule", &self.rule);
        if let Some(s) = &self.subtype {
            d.field("subtype", s);
        }
        if !self.flags.is_empty() {
            d.field("flags", &self.flags);
        }
        d.finish()
    }
}

/// The wire shape of a finding: flat, with Presidio-style field names.
#[derive(Serialize, Deserialize)]
struct FindingRepr {
    entity_type: EntityType,
    category: Category,
    start: usize,
    end: usize,
    score: f32,
    rule: Label,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    subtype: Option<Label>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    flags: Vec<String>,
}

impl From<Finding> for FindingRepr {
    fn from(f: Finding) -> FindingRepr {
        FindingRepr {
            flags: f.flags.names().map(str::to_owned).collect(),
            entity_type: f.entity,
            category: f.category,
            start: f.span.start(),
            end: f.span.end(),
            score: f.score,
            rule: f.rule,
            subtype: f.subtype,
        }
    }
}

impl TryFrom<FindingRepr> for Finding {
    type Error = String;
    fn try_from(r: FindingRepr) -> Result<Finding, String> {
        let span = Span::new(r.start, r.end).map_err(|e| e.to_string())?;
        let mut flags = FindingFlags::NONE;
        for name in &r.flags {
            let (flag, _) = FindingFlags::NAMES
                .into_iter()
                .find(|(_, n)| n == name)
                .ok_or_else(|| format!("unknown finding flag {name:?}"))?;
            flags |= flag;
        }
        if !(0.0..=1.0).contains(&r.score) {
            return Err(format!("score {} is outside [0, 1]", r.score));
        }
        Ok(Finding {
            entity: r.entity_type,
            category: r.category,
            span,
            score: r.score,
            rule: r.rule,
            subtype: r.subtype,
            flags,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(a: usize, b: usize) -> Span {
        Span::new(a, b).expect("ordered")
    }

    #[test]
    fn score_is_clamped() {
        let f = Finding::new(EntityType::UsSsn, span(0, 1), 1.7, "r");
        assert_eq!(f.score(), 1.0);
        assert_eq!(f.clone().with_score(-1.0).score(), 0.0);
        assert_eq!(f.with_score(f32::NAN).score(), 0.0);
    }

    #[test]
    fn json_round_trip() {
        let f = Finding::new(EntityType::CreditCard, span(3, 22), 0.9, "card")
            .with_subtype("visa")
            .with_flags(FindingFlags::TEST_VALUE);
        let json = serde_json::to_value(&f).expect("serializes");
        assert_eq!(json["entity_type"], "CREDIT_CARD");
        assert_eq!(json["category"], "pci");
        assert_eq!(json["start"], 3);
        assert_eq!(json["end"], 22);
        assert_eq!(json["subtype"], "visa");
        assert_eq!(json["flags"][0], "test_value");
        let back: Finding = serde_json::from_value(json).expect("deserializes");
        assert_eq!(back, f);
        assert!(back.is_test_value());
    }

    #[test]
    fn bad_wire_values_are_rejected() {
        let bad_score =
            r#"{"entity_type":"URL","category":"pii","start":0,"end":1,"score":2.0,"rule":"r"}"#;
        assert!(serde_json::from_str::<Finding>(bad_score).is_err());
        let reversed =
            r#"{"entity_type":"URL","category":"pii","start":5,"end":1,"score":0.5,"rule":"r"}"#;
        assert!(serde_json::from_str::<Finding>(reversed).is_err());
        let flag = r#"{"entity_type":"URL","category":"pii","start":0,"end":1,"score":0.5,"rule":"r","flags":["nope"]}"#;
        assert!(serde_json::from_str::<Finding>(flag).is_err());
    }

    #[test]
    fn debug_has_no_value() {
        let f = Finding::new(EntityType::Secret, span(0, 4), 0.5, "aws");
        let d = format!("{f:?}");
        assert!(d.contains("SECRET") && d.contains("0..4"), "{d}");
    }
}
