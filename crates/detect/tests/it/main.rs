//! Integration tests of the detection engine (one binary, submodules).

mod cases;
mod config;
mod fuzz_regressions;
mod properties;
mod scanner;
mod views;
