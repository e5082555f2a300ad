//! The deepsentinel CLI.
fn main() {}
