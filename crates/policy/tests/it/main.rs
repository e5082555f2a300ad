//! Integration tests of `deepsentinel-policy`.

mod chat;
mod stream;
