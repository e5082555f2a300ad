//! LLM providers and the resilience layers around them.
//!
//! Every provider implements [`deepsentinel_core::Provider`]: OpenAI,
//! Anthropic, any OpenAI-compatible server, and the built-in echo provider.
//! The resilience layers implement the same trait around an
//! `Arc<dyn Provider>`, so they stack in any order and each can be
//! configured and tested alone.
#![deny(missing_docs)]

mod anthropic;
mod echo;
pub mod headers;
mod http;
mod openai;
pub mod sse;
#[cfg(any(test, feature = "test-util"))]
pub mod testing;
mod upstream;

pub use anthropic::{AnthropicConfig, AnthropicProvider};
pub use echo::EchoProvider;
pub use http::{HttpClient, NetworkConfig};
pub use openai::{OpenAiConfig, OpenAiProvider};
pub use upstream::AuthStyle;
