//! SSE decoder throughput.
fn main() {}
