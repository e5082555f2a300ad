//! The one integration-test binary of `deepsentinel-gateway`.

#![allow(clippy::expect_used, clippy::panic)]

mod common;
mod flows;
mod robustness;
mod sdk;
