//! Compliance policies for DeepSentinel: findings become decisions.
//!
//! - [`policy`]: [`CompliancePolicy`], its presets, files and validation.
//! - [`risk`]: the risk score, one formula for all categories.
//! - [`decision`]: evaluation, a pure function from findings to a [`Decision`].
//! - [`operators`]: replace, redact, mask, hash, encrypt, pseudonymize.
//! - [`vault`]: placeholder mapping and restore.
//! - [`guard`]: scanner + policies + operators on a text or a chat request.
//! - [`chat`]: applies a text transform to every text of a chat request or
//!   response (OpenAI and Anthropic wire formats), keeping JSON valid.
//! - [`stream`]: a streaming-safe transform for model replies that arrive
//!   as text deltas, byte-identical to the whole-text transform.
//!
//! See `docs/policies.md` for the preset tables and the risk formula.

pub mod chat;
pub mod decision;
pub mod error;
pub mod guard;
pub mod operators;
pub mod policy;
mod presets;
pub mod risk;
pub mod stream;
pub mod vault;

pub use decision::{Blocked, Decision, Plan, PlanItem, PolicySet, Violation, evaluate};
pub use error::{OperatorError, PolicyError, Problem};
pub use guard::{
    Guard, GuardError, LocatedFinding, Protected, ProtectedRequest, ReplySegments, RequestError,
};
pub use operators::{Anonymizer, Keys, OperatorSpec, Rewrite};
pub use policy::{Action, CompliancePolicy, PRESETS};
pub use risk::{RiskLevel, RiskScore};
pub use vault::Vault;
