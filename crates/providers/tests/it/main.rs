//! The one integration-test binary of `deepsentinel-providers`.
mod layers;
