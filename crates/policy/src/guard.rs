//! [`Guard`]: the scanner, the policies and the operators together.
//!
//! - [`Guard::protect`] scans a text, evaluates the policies and applies
//!   the decision: the rewritten text, or [`GuardError::Blocked`] with
//!   every violation.
//! - [`Guard::restore`] puts the original values back into a reply.
//! - [`Guard::reply`] is the whole-text reply transform: restore the
//!   placeholders this conversation issued, rewrite sensitive values the
//!   model produced itself, block when the policies say so. It is also the
//!   per-segment transform of the streaming reply transform
//!   ([`crate::stream`]).

use deepsentinel_core::Finding;
use deepsentinel_detect::Scanner;

use crate::decision::{Blocked, Decision, PolicySet};
use crate::error::OperatorError;
use crate::operators::{Anonymizer, OperatorSpec};
use crate::vault::{Vault, placeholders};

/// Why a transform did not produce text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum GuardError {
    /// The policies refuse the text.
    #[error("{0}")]
    Blocked(Box<Blocked>),
    /// An operator failed (for example a missing key).
    #[error(transparent)]
    Operator(#[from] OperatorError),
    /// The request's texts changed between scanning and rewriting (a bug;
    /// the request is left as it was).
    #[error("internal error: texts changed between scanning and rewriting at `{pointer}`")]
    Inconsistent {
        /// Where.
        pointer: String,
    },
}

/// The result of [`Guard::protect`].
#[derive(Debug, Clone)]
pub struct Protected {
    /// The text to send on.
    pub text: String,
    /// The decision that produced it.
    pub decision: Decision,
    /// The findings in the original text (spans into it; no values).
    pub findings: Vec<Finding>,
}

/// Scanner + policies + operators. Cheap to clone, `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Guard {
    scanner: Scanner,
    policies: PolicySet,
    anonymizer: Anonymizer,
}

impl Guard {
    /// A guard from its parts.
    pub fn new(scanner: Scanner, policies: PolicySet, anonymizer: Anonymizer) -> Guard {
        Guard {
            scanner,
            policies,
            anonymizer,
        }
    }

    /// The scanner.
    pub fn scanner(&self) -> &Scanner {
        &self.scanner
    }

    /// The policies.
    pub fn policies(&self) -> &PolicySet {
        &self.policies
    }

    /// The anonymizer (for [`Anonymizer::decrypt`]).
    pub fn anonymizer(&self) -> &Anonymizer {
        &self.anonymizer
    }

    /// Scans `text`, decides, and rewrites it. Placeholders are issued in
    /// `vault`, which [`Guard::restore`] later reads.
    ///
    /// A value that is rewritten is rewritten wherever else it occurs in
    /// the text as a whole word, even where the scanner did not report it
    /// (a name repeated without its context, say): a value judged sensitive
    /// once never goes out in the clear.
    pub fn protect(&self, text: &str, vault: &mut Vault) -> Result<Protected, GuardError> {
        let findings = self.scanner.scan(text);
        let decision = self.policies.evaluate(text, &findings);
        let text = match &decision {
            Decision::Block(b) => return Err(GuardError::Blocked(Box::new(b.clone()))),
            Decision::Redact(plan) | Decision::Anonymize(plan) => {
                let mut rewrites = plan.rewrites(0);
                let mut values = Vec::new();
                repeat_values(text, &rewrites, &mut values);
                add_repeats(text, &mut rewrites, &values);
                self.anonymizer.apply(text, &rewrites, vault)?
            }
            Decision::Allow { .. } | Decision::Log(_) => text.to_string(),
        };
        Ok(Protected {
            text,
            decision,
            findings,
        })
    }

    /// `text` with the placeholders `vault` issued replaced by the original
    /// values.
    pub fn restore(&self, text: &str, vault: &Vault) -> String {
        vault.restore(text)
    }

    /// The reply transform of a whole text: placeholders issued in `vault`
    /// are restored; values the policies rewrite are rewritten (a
    /// `pseudonymize` operator becomes `replace` here, since the user could
    /// not resolve a new placeholder); a block is an error. Appends to `out`.
    pub fn reply(&self, text: &str, vault: &Vault, out: &mut String) -> Result<(), GuardError> {
        self.reply_rewritten(text, vault, out).map(drop)
    }

    /// [`Guard::reply`], also returning the type of every value the
    /// policies rewrote (restored placeholders are not counted): what a
    /// report of the reply may say without holding the values.
    pub fn reply_rewritten(
        &self,
        text: &str,
        vault: &Vault,
        out: &mut String,
    ) -> Result<Vec<deepsentinel_core::EntityType>, GuardError> {
        let mut rewritten = Vec::new();
        let issued: Vec<(usize, usize, &str)> = placeholders(text)
            .filter_map(|p| vault.original(p.text).map(|v| (p.start, p.end, v)))
            .collect();
        let mut findings = self.scanner.scan(text);
        findings.retain(|f| {
            let (s, e) = (f.span().start(), f.span().end());
            !issued.iter().any(|&(ps, pe, _)| s < pe && ps < e)
        });
        let decision = self.policies.evaluate(text, &findings);
        let mut edits: Vec<(usize, usize, String)> = issued
            .iter()
            .map(|&(s, e, v)| (s, e, v.to_string()))
            .collect();
        match &decision {
            Decision::Block(b) => return Err(GuardError::Blocked(Box::new(b.clone()))),
            Decision::Redact(plan) | Decision::Anonymize(plan) => {
                // A scratch vault: replies never issue placeholders.
                let mut scratch = Vault::new();
                for item in &plan.items {
                    let op = match item.operator {
                        OperatorSpec::Pseudonymize => OperatorSpec::Replace,
                        ref op => op.clone(),
                    };
                    let (s, e) = (item.span.start(), item.span.end());
                    let Some(value) = text.get(s..e) else {
                        continue;
                    };
                    let new =
                        self.anonymizer
                            .operate(&op, &item.entity_type, value, &mut scratch)?;
                    edits.push((s, e, new));
                    rewritten.push(item.entity_type.clone());
                }
            }
            Decision::Allow { .. } | Decision::Log(_) => {}
        }
        edits.sort_by_key(|&(s, e, _)| (s, e));
        let mut at = 0;
        for (s, e, new) in edits {
            if s < at {
                continue;
            }
            out.push_str(text.get(at..s).unwrap_or(""));
            out.push_str(&new);
            at = e;
        }
        out.push_str(text.get(at..).unwrap_or(""));
        Ok(rewritten)
    }
}

/// Whether the scanner recognises values of `t` by their format and
/// checksum alone, so a repeat is always reported like the first one.
fn by_format(t: &deepsentinel_core::EntityType) -> bool {
    use deepsentinel_core::EntityType as E;
    matches!(
        t,
        E::EmailAddress
            | E::Url
            | E::IpAddress
            | E::MacAddress
            | E::CreditCard
            | E::IbanCode
            | E::Crypto
            | E::Secret
            | E::PromptInjection
    )
}

/// A value rewritten somewhere, to be rewritten wherever else it repeats.
type Repeat = (
    String,
    deepsentinel_core::EntityType,
    crate::operators::OperatorSpec,
);

/// The values of `rewrites` (into `text`) worth looking for elsewhere:
/// values whose recognition depends on context (names, places,
/// context-only numbers), at least 4 characters long (short values repeat
/// by chance: "Al", "12"), each once. Values recognised by their format
/// alone (addresses, checksummed numbers, keys) are found wherever they
/// repeat already.
fn repeat_values(text: &str, rewrites: &[crate::operators::Rewrite], out: &mut Vec<Repeat>) {
    for r in rewrites {
        let Some(value) = text.get(r.span.range()) else {
            continue;
        };
        if by_format(&r.entity_type)
            || value.chars().count() < 4
            || out.iter().any(|(v, _, _)| v == value)
        {
            continue;
        }
        out.push((value.to_owned(), r.entity_type.clone(), r.operator.clone()));
    }
}

/// Adds a rewrite for every whole-word occurrence in `text` of a value in
/// `values` that no rewrite covers yet.
fn add_repeats(text: &str, rewrites: &mut Vec<crate::operators::Rewrite>, values: &[Repeat]) {
    use deepsentinel_core::Span;
    let mut taken: Vec<(usize, usize)> = rewrites
        .iter()
        .map(|r| (r.span.start(), r.span.end()))
        .collect();
    taken.sort_unstable();
    let overlaps = |taken: &[(usize, usize)], s: usize, e: usize| {
        // The spans are disjoint and sorted, so ends are sorted too: the
        // first span ending after `s` is the only one that can overlap.
        let i = taken.partition_point(|&(_, te)| te <= s);
        taken.get(i).is_some_and(|&(ts, _)| ts < e)
    };
    let mut extra = Vec::new();
    for (value, entity_type, operator) in values {
        for s in memchr::memmem::find_iter(text.as_bytes(), value.as_bytes()) {
            let e = s + value.len();
            let word_char = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
            if word_char(text.get(..s).and_then(|t| t.chars().next_back()))
                || word_char(text.get(e..).and_then(|t| t.chars().next()))
                || overlaps(&taken, s, e)
            {
                continue;
            }
            if let Ok(span) = Span::new(s, e) {
                let i = taken.partition_point(|&t| t < (s, e));
                taken.insert(i, (s, e));
                extra.push(crate::operators::Rewrite {
                    span,
                    entity_type: entity_type.clone(),
                    operator: operator.clone(),
                });
            }
        }
    }
    rewrites.extend(extra);
}

/// The per-segment reply transform of [`Guard::reply`], for
/// [`crate::stream`]: restore this conversation's placeholders, rewrite
/// values the model produced, end the stream on a block.
#[derive(Debug, Clone, Copy)]
pub struct ReplySegments<'a> {
    guard: &'a Guard,
    vault: &'a Vault,
}

impl crate::stream::SegmentTransform for ReplySegments<'_> {
    type Error = GuardError;

    fn transform(&mut self, segment: &str, out: &mut String) -> Result<(), GuardError> {
        self.guard.reply(segment, self.vault, out)
    }
}

impl Guard {
    /// A streaming reply transform: push the model's text deltas, get text
    /// that never contains part of a sensitive value or of a placeholder.
    /// Its output equals [`Guard::reply_whole`] for every way of splitting
    /// the reply.
    pub fn reply_stream<'a>(
        &'a self,
        vault: &'a Vault,
        config: &crate::stream::StreamConfig,
    ) -> crate::stream::TransformStream<ReplySegments<'a>> {
        crate::stream::TransformStream::new(ReplySegments { guard: self, vault }, config)
    }

    /// The reply transform of a whole reply, segment by segment exactly as
    /// the stream does it.
    pub fn reply_whole(
        &self,
        text: &str,
        vault: &Vault,
        config: &crate::stream::StreamConfig,
    ) -> Result<String, crate::stream::StreamError<GuardError>> {
        crate::stream::transform_whole(&mut ReplySegments { guard: self, vault }, text, config)
    }
}

/// A finding in a chat request: where, and what (never the value).
#[derive(Debug, Clone, PartialEq)]
pub struct LocatedFinding {
    /// The text it is in.
    pub location: crate::chat::TextLocation,
    /// The finding; its span is into that text.
    pub finding: Finding,
}

/// The result of [`Guard::protect_request`].
#[derive(Debug, Clone)]
pub struct ProtectedRequest {
    /// The decision over the whole request.
    pub decision: Decision,
    /// Every finding, by location, in document order.
    pub findings: Vec<LocatedFinding>,
    /// What the walk saw.
    pub report: crate::chat::Report,
}

/// Why a chat request could not be protected.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// The policies refuse the request.
    #[error("{0}")]
    Blocked(Box<Blocked>),
    /// The request is not a chat request of a known shape.
    #[error(transparent)]
    Chat(#[from] crate::chat::ChatError<GuardError>),
    /// An operator failed.
    #[error(transparent)]
    Operator(#[from] OperatorError),
}

impl Guard {
    /// Scans every text of a chat request (OpenAI or Anthropic format; see
    /// [`crate::chat`]), decides over the request as a whole, and rewrites
    /// the texts in place. On a block or an error the request is left
    /// unchanged. Roles and all other fields pass through untouched.
    pub fn protect_request(
        &self,
        req: &mut serde_json::Value,
        vault: &mut Vault,
    ) -> Result<ProtectedRequest, RequestError> {
        self.protect_request_with(&self.scanner, req, vault)
    }

    /// [`Guard::protect_request`] with findings from another detector (a
    /// remote detection service, or findings computed ahead of time)
    /// instead of the guard's scanner. Each text of the request is given to
    /// `detector` once, in [`crate::chat::visit_request`] order.
    pub fn protect_request_with(
        &self,
        detector: &dyn deepsentinel_core::Detector,
        req: &mut serde_json::Value,
        vault: &mut Vault,
    ) -> Result<ProtectedRequest, RequestError> {
        let mut texts: Vec<(crate::chat::TextLocation, String, Vec<Finding>)> = Vec::new();
        crate::chat::visit_request(req, &mut |loc, text| {
            let findings = detector.detect_all(text);
            texts.push((loc.clone(), text.to_string(), findings));
            Ok::<(), GuardError>(())
        })?;
        let parts: Vec<(&str, &[Finding])> = texts
            .iter()
            .map(|(_, t, f)| (t.as_str(), f.as_slice()))
            .collect();
        let decision = self.policies.evaluate_parts(&parts);
        if let Decision::Block(b) = &decision {
            return Err(RequestError::Blocked(Box::new(b.clone())));
        }
        // Rewrite every text first, so a failing operator leaves the
        // request unchanged.
        let mut rewritten: Vec<Option<String>> = vec![None; texts.len()];
        if let Some(plan) = decision.plan() {
            // A value rewritten in one text is rewritten wherever it
            // repeats in any text of the request (a name recognised in the
            // user message but not in the system prompt, say).
            let mut values = Vec::new();
            for (i, (_, text, _)) in texts.iter().enumerate() {
                repeat_values(text, &plan.rewrites(i), &mut values);
            }
            for (i, (_, text, _)) in texts.iter().enumerate() {
                let mut rewrites = plan.rewrites(i);
                add_repeats(text, &mut rewrites, &values);
                if rewrites.is_empty() {
                    continue;
                }
                rewritten[i] = Some(self.anonymizer.apply(text, &rewrites, vault)?);
            }
        }
        let mut next = 0;
        let report = crate::chat::transform_request(req, &mut |loc, _| {
            let i = next;
            next += 1;
            match texts.get(i) {
                Some((expected, _, _)) if expected == loc => {
                    Ok(rewritten.get_mut(i).and_then(Option::take))
                }
                // The walk is deterministic; a mismatch would be a bug.
                _ => Err(GuardError::Inconsistent {
                    pointer: loc.pointer.clone(),
                }),
            }
        })?;
        let findings = texts
            .into_iter()
            .flat_map(|(location, _, fs)| {
                fs.into_iter().map(move |finding| LocatedFinding {
                    location: location.clone(),
                    finding,
                })
            })
            .collect();
        Ok(ProtectedRequest {
            decision,
            findings,
            report,
        })
    }

    /// Restores this conversation's placeholders in every text of a chat
    /// response (see [`crate::chat::transform_response`]).
    pub fn restore_response(
        &self,
        resp: &mut serde_json::Value,
        vault: &Vault,
    ) -> Result<crate::chat::Report, crate::chat::ChatError<std::convert::Infallible>> {
        crate::chat::transform_response(resp, &mut |_, text| {
            let restored = vault.restore(text);
            Ok(if restored == text {
                None
            } else {
                Some(restored)
            })
        })
    }
}
