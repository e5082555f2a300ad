//! User-defined rules from configuration.
//!
//! All custom rules compile into one multi-pattern meta regex (one extra
//! pass when any exist), matched leftmost-first: at the same position the
//! rule listed first wins. Regexes are Rust `regex` syntax, which has no
//! back-references or look-around, so every rule runs in linear time; the
//! compiled size is bounded by `size-limit`.

use aho_corasick::AhoCorasick;
use deepsentinel_core::{Category, EntityType, Finding, Label, Span};
use regex_automata::meta;
use regex_automata::util::captures::Captures;

use crate::config::CustomRule;
use crate::engine::{Ctx, Out};
use crate::error::{Error, ErrorKind};
use crate::validate::Validator;

/// How far before a match context words are looked for, in bytes.
const CONTEXT_WINDOW: usize = 64;

pub(crate) struct CustomRules {
    re: meta::Regex,
    rules: Vec<Compiled>,
}

struct Compiled {
    name: Label,
    entity: EntityType,
    category: Category,
    validator: Option<Validator>,
    /// The rule's own regex, when it has a `value` group to extract.
    value: Option<(meta::Regex, usize)>,
    context: Option<AhoCorasick>,
    requires_context: bool,
    score: f32,
    context_score: f32,
}

impl CustomRules {
    /// Compiles the rules that are enabled. Returns every problem found.
    pub(crate) fn build(
        rules: &[CustomRule],
        categories: &[Category],
        disabled: &[EntityType],
        only: &[EntityType],
        size_limit: usize,
    ) -> Result<Option<CustomRules>, Vec<ErrorKind>> {
        let mut problems = Vec::new();
        let mut compiled = Vec::new();
        let mut patterns = Vec::new();
        let mut names = std::collections::HashSet::new();
        for (i, r) in rules.iter().enumerate() {
            let rule_name = if r.name.trim().is_empty() {
                format!("#{}", i + 1)
            } else {
                r.name.clone()
            };
            let mut bad = |problem: String| {
                problems.push(ErrorKind::InvalidRule {
                    rule: rule_name.clone(),
                    problem,
                })
            };
            if r.name.trim().is_empty() {
                bad("the rule has no name".into());
            } else if !names.insert(r.name.clone()) {
                bad("another rule has the same name".into());
            }
            for (field, v) in [("score", Some(r.score)), ("context-score", r.context_score)] {
                if let Some(v) = v {
                    if !(0.0..=1.0).contains(&v) {
                        bad(format!("{field} {v} is outside [0, 1]"));
                    }
                }
            }
            if r.requires_context && r.context.is_empty() {
                bad("requires-context is set but no context words are given".into());
            }
            let validator = match &r.validator {
                None => None,
                Some(v) => match Validator::by_name(v) {
                    Some(v) => Some(v),
                    None => {
                        bad(format!(
                            "unknown validator {v:?} (known: {})",
                            Validator::NAMES.join(", ")
                        ));
                        None
                    }
                },
            };
            let pattern = if r.case_insensitive {
                format!("(?i:{})", r.pattern)
            } else {
                r.pattern.clone()
            };
            let hir = match regex_syntax::ParserBuilder::new()
                .nest_limit(64)
                .build()
                .parse(&pattern)
            {
                Ok(h) => h,
                Err(e) => {
                    bad(format!("invalid pattern: {e}"));
                    continue;
                }
            };
            if hir.properties().minimum_len() == Some(0) {
                bad("the pattern can match the empty string".into());
                continue;
            }
            let single = match meta::Regex::builder()
                .configure(meta::Config::new().nfa_size_limit(Some(size_limit)))
                .build(&pattern)
            {
                Ok(re) => re,
                Err(e) => {
                    bad(format!("pattern too large or invalid: {e}"));
                    continue;
                }
            };
            let value = single
                .group_info()
                .to_index(regex_automata::PatternID::ZERO, "value")
                .map(|g| (single.clone(), g));
            let context = if r.context.is_empty() {
                None
            } else {
                match AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(&r.context)
                {
                    Ok(ac) => Some(ac),
                    Err(e) => {
                        bad(format!("invalid context words: {e}"));
                        continue;
                    }
                }
            };
            let category = r.category.unwrap_or_else(|| r.entity_type.category());
            let on = categories.contains(&category)
                && !disabled.contains(&r.entity_type)
                && (only.is_empty() || only.contains(&r.entity_type));
            if !on {
                continue;
            }
            patterns.push(pattern);
            compiled.push(Compiled {
                name: Label::new_shared(r.name.as_str()),
                entity: r.entity_type.clone(),
                category,
                validator,
                value,
                context,
                requires_context: r.requires_context,
                score: r.score,
                context_score: r.context_score.unwrap_or((r.score + 0.3).min(1.0)),
            });
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        if compiled.is_empty() {
            return Ok(None);
        }
        let re = meta::Regex::builder()
            .configure(meta::Config::new().nfa_size_limit(Some(size_limit)))
            .build_many(&patterns)
            .map_err(|e| {
                vec![ErrorKind::TooLarge {
                    what: format!("the custom rules together ({e})"),
                    limit: size_limit,
                }]
            })?;
        Ok(Some(CustomRules {
            re,
            rules: compiled,
        }))
    }

    pub(crate) fn len(&self) -> usize {
        self.rules.len()
    }

    pub(crate) fn scan(&self, ctx: &Ctx<'_>, out: &mut Out<'_>) {
        let text = ctx.text;
        for m in self.re.find_iter(text) {
            let Some(rule) = self.rules.get(m.pattern().as_usize()) else {
                continue;
            };
            let (mut start, mut end) = (m.start(), m.end());
            if let Some((re, group)) = &rule.value {
                let mut caps = Captures::all(re.group_info().clone());
                let input = regex_automata::Input::new(text)
                    .range(start..end)
                    .anchored(regex_automata::Anchored::Yes);
                re.search_captures(&input, &mut caps);
                match caps.get_group(*group) {
                    Some(g) => (start, end) = (g.start, g.end),
                    None => continue,
                }
            }
            if start >= end {
                continue;
            }
            let value = &text[start..end];
            if let Some(v) = rule.validator {
                if !v.check(value) {
                    continue;
                }
            }
            let has_context = rule.context.as_ref().is_some_and(|ac| {
                let mut from = start.saturating_sub(CONTEXT_WINDOW);
                while !text.is_char_boundary(from) {
                    from += 1;
                }
                ac.is_match(&text[from..start])
            });
            if rule.requires_context && !has_context {
                continue;
            }
            let score = if has_context {
                rule.context_score
            } else {
                rule.score
            };
            let Ok(span) = Span::in_text(text, start, end) else {
                continue;
            };
            out.push_finding(
                Finding::new(rule.entity.clone(), span, score, rule.name.clone())
                    .with_category(rule.category),
            );
        }
    }
}

impl From<Vec<ErrorKind>> for Error {
    fn from(mut v: Vec<ErrorKind>) -> Error {
        if v.len() == 1 {
            Error::new(v.remove(0))
        } else {
            Error::new(ErrorKind::Many(v.into_iter().map(Error::new).collect()))
        }
    }
}
