//! The one integration-test binary of `deepsentinel-providers`.

// The suite's shared steps live outside `#[test]` functions and fail the
// test the same way tests do.
#![allow(clippy::expect_used, clippy::panic)]

mod http_stack;
mod layers;
mod suite;
