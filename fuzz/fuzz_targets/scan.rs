//! Scans arbitrary bytes — as UTF-8 when they are, lossily converted when
//! not — with every recognizer on, and checks the scanner's contract:
//! spans within the text on character boundaries, sorted, scores in
//! `[0, 1]`, and no panic. Crashes go to `testdata/fuzz/scan/`, where
//! `crates/detect/tests/it/fuzz_regressions.rs` replays them.
#![no_main]

use std::sync::LazyLock;

use deepsentinel_detect::Scanner;
use libfuzzer_sys::fuzz_target;

#[path = "../../crates/detect/tests/it/fuzz_regressions.rs"]
#[allow(dead_code)]
mod regressions;

static SCANNER: LazyLock<Scanner> = LazyLock::new(Scanner::new);

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    regressions::check_invariants(&SCANNER, &text);
});
