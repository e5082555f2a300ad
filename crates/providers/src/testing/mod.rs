//! Fakes for tests, behind the `test-util` feature.

mod scripted;

pub use scripted::{Call, CallKind, Outcome, ScriptedProvider};
