//! Test fakes, compiled with the `test-util` feature (and in this crate's
//! own tests): a scripted in-process provider for layer tests, and a fake
//! upstream HTTP server on loopback for provider tests.

mod scripted;
mod upstream;

pub use scripted::{Call, CallKind, Outcome, ScriptedProvider};
pub use upstream::{FakeUpstream, RecordedRequest, Reply};
