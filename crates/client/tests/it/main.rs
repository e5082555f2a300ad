//! The one integration-test binary of `deepsentinel`.

// Shared steps live outside `#[test]` functions and fail the test the same
// way tests do.
#![allow(clippy::expect_used, clippy::panic)]

mod blocking;
mod config;
mod detection;
mod from_config;
mod pipeline;
mod usage;
