//! Integration tests of the detection engine (one binary, submodules).

mod cases;
mod scanner;
