//! DeepSentinel's gateway: an HTTP server speaking OpenAI's and Anthropic's
//! wire formats over the [`deepsentinel::SentinelClient`] pipeline, so
//! applications in any language adopt DeepSentinel by changing a base URL.
//!
//! [`Gateway`] holds the client and the [`ServerConfig`]; [`Gateway::router`]
//! is an axum router others can embed; [`serve`] runs it with slow-client
//! protection and graceful shutdown. Handlers are thin: authenticate,
//! admit or shed, parse, call the client, answer in the caller's format.
//! Compliance, providers and resilience all live in the client; the gateway
//! does not re-implement them. `docs/gateway.md` is the reference.
#![deny(missing_docs)]

mod app;
mod config;
mod error;
mod metrics;
mod server;

pub use app::{Gateway, key_tag};
pub use config::{KeyConfig, ServerConfig};
pub use error::{ApiError, ApiFormat};
pub use metrics::Metrics;
pub use server::{serve, shutdown_signal};
