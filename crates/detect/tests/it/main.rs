//! Integration tests of the detection engine (one binary, submodules).

mod cases;
mod config;
mod properties;
mod fuzz_regressions;
mod scanner;
mod views;
