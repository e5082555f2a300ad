//! Durations in configuration files (`"250ms"`, `"30s"`, `"5m"`, `"1h"`):
//! the providers crate's format and parser, so every duration of a
//! configuration file is read the same way.

pub(crate) use deepsentinel_providers::duration::{deserialize, format, option};
