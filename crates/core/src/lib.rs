//! The vocabulary every DeepSentinel layer shares.
//!
//! A [`Detector`] looks at text and pushes [`Finding`]s to a sink. A finding
//! names *what* was found ([`EntityType`], grouped into a [`Category`]),
//! *where* ([`Span`], a UTF-8 byte range of the scanned text), *how sure* the
//! detector is (a score in `[0, 1]`) and *which rule* fired. Findings never
//! carry the matched text: whoever holds the text can slice it with the span,
//! and everybody else (logs, audit records, errors) never sees the value.
//!
//! The request path's vocabulary lives here too: the chat types in OpenAI's
//! wire format ([`chat`]) and their mapping to Anthropic's ([`anthropic`]),
//! the [`Provider`] trait every provider and resilience layer implements,
//! and the one [`Error`] taxonomy callers match on.
//!
//! This crate has no regex engine, no I/O and no runtime; it is the seam the
//! detection engine, the policy layer, the providers and the client meet at.
//!
//! ```
//! use deepsentinel_core::{Category, Detector, EntityType, Finding, Flow, Span};
//!
//! /// A toy detector that reports every `@`.
//! struct At;
//!
//! impl Detector for At {
//!     fn detect(&self, text: &str, found: &mut dyn FnMut(Finding) -> Flow) {
//!         for (i, _) in text.match_indices('@') {
//!             let span = Span::new(i, i + 1).expect("start <= end");
//!             if found(Finding::new(EntityType::EmailAddress, span, 0.1, "at-sign")).is_stop() {
//!                 return;
//!             }
//!         }
//!     }
//! }
//!
//! let findings = At.detect_all("a@b c@d");
//! assert_eq!(findings.len(), 2);
//! assert_eq!(findings[0].category(), Category::Pii);
//! assert_eq!(findings[1].span().range(), 5..6);
//! ```
#![deny(missing_docs)]

pub mod anthropic;
pub mod chat;
mod detector;
mod entity;
mod error;
mod finding;
mod label;
mod provider;
mod span;
#[cfg(test)]
mod testutil;
mod violation;

pub use chat::{ChatChunk, ChatRequest, ChatResponse, Message, Role};
pub use detector::{Detector, Flow};
pub use entity::{Category, EntityType, ParseCategoryError, ParseEntityTypeError};
pub use error::{ConfigProblem, Error, NetworkErrorKind, RateLimitOrigin, SpanError, TimeoutPhase};
pub use finding::{Finding, FindingFlags};
pub use label::Label;
pub use provider::{BoxChunkStream, ChatStream, Provider, RateLimitInfo};
pub use span::Span;
pub use violation::Violation;
