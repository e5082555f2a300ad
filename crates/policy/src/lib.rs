//! Compliance policies for DeepSentinel: findings become decisions.
//!
//! - [`chat`]: applies a text transform to every text of a chat request or
//!   response (OpenAI and Anthropic wire formats), keeping JSON valid.
//! - [`stream`]: a streaming-safe transform for model replies that arrive
//!   as text deltas, byte-identical to the whole-text transform.

pub mod chat;
pub mod stream;
