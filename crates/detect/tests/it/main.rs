//! Integration tests of the detection engine (one binary, submodules).

mod cases;
mod fuzz_regressions;
mod scanner;
