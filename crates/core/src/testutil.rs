//! Helpers shared by this crate's unit tests.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Parses `json` as `T`, re-serializes it and checks nothing was lost or
/// added (compared as JSON values); returns the typed value.
pub(crate) fn round_trip<T: DeserializeOwned + Serialize>(json: &str) -> T {
    let value: Value = serde_json::from_str(json).expect("fixture is JSON");
    let typed: T = serde_json::from_value(value.clone()).expect("parses");
    assert_eq!(serde_json::to_value(&typed).expect("serializes"), value);
    typed
}
