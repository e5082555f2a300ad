//! Provider stack overhead.
fn main() {}
