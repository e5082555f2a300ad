//! Integration tests of the detection engine (one binary, submodules).

mod cases;
mod config;
mod properties;
mod scanner;
mod views;
