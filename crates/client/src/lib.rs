//! DeepSentinel's client.
#![deny(missing_docs)]
