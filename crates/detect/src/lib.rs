//! DeepSentinel's detection engine.
//!
//! A [`Scanner`] is built once from a [`Config`] (or with a [`Builder`]) and
//! then finds sensitive values in text: personal data (names, contact
//! details, government identifiers), health identifiers, payment data,
//! secrets and prompt-injection attempts. It implements
//! [`deepsentinel_core::Detector`], pushing [`Finding`]s with exact UTF-8
//! byte spans, scores in `[0, 1]` and the id of the rule that fired.
//!
//! Each scan is two passes over the text, whatever the number of rules: an
//! Aho-Corasick pass over literal anchors and context keywords and one
//! multi-pattern regex pass over token shapes. Candidates are validated
//! (Luhn, mod-97, SSN issuance rules, …) and scored with the keywords near
//! them. Percent-encoded, JSON-escaped and base64 views of the text are
//! scanned too, and what they reveal is mapped back to the original bytes.
//! `docs/DESIGN.md` explains the engine.
//!
//! ```
//! use deepsentinel_core::{Category, EntityType};
//! use deepsentinel_detect::Scanner;
//!
//! let scanner = Scanner::builder()
//!     .categories(&[Category::Pii])
//!     .build()
//!     .expect("valid configuration");
//! let text = "Write to jane.doe@example.com";
//! let found = scanner.scan(text);
//! assert_eq!(found.len(), 1);
//! assert_eq!(found[0].entity_type(), &EntityType::EmailAddress);
//! assert_eq!(&text[found[0].span().range()], "jane.doe@example.com");
//! ```
#![deny(missing_docs)]

mod anchors;
mod config;
mod context;
mod custom;
mod engine;
mod error;
mod hir;
mod recognizers;
mod resolve;
mod scanner;
mod shapes;
mod starts;
#[cfg(test)]
mod testrand;
mod text;
mod validate;
mod views;

pub use config::{AllowList, Config, CustomRule, DEFAULT_MIN_SCORE, DecodeConfig};
pub use deepsentinel_core::{Category, Detector, EntityType, Finding, FindingFlags, Flow, Span};
pub use error::{Error, ErrorKind};
pub use scanner::{Builder, EngineInfo, Scanner};
