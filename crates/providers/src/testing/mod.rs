//! Test fakes, compiled with the `test-util` feature (and in this crate's
//! own tests): a fake upstream HTTP server on loopback for provider tests.

mod upstream;

pub use upstream::{FakeUpstream, RecordedRequest, Reply};
