//! DeepSentinel's client.
#![deny(missing_docs)]

mod detection;
mod usage;

pub use detection::{
    DetectOutcome, Detection, DetectionSource, INVALID_SPAN, Precomputed, REMOTE_DETECTION,
    RemoteDetector,
};
pub use usage::{Budget, ModelPrice, Period, PriceTable, UsageTotals, UsageTracker};
