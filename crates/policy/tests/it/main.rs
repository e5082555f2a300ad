//! Integration tests of `deepsentinel-policy`.

mod chat;
mod guard;
mod operators;
mod policy;
mod stream;
