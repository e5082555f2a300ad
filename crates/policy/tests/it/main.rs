//! Integration tests of `deepsentinel-policy`.

// Helpers outside `#[test]` functions build fixtures the same way tests do.
#![allow(clippy::expect_used)]

mod chat;
mod guard;
mod operators;
mod policy;
mod stream;
