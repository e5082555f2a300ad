//! Replays the inputs under `testdata/fuzz/scan/` (crashes found by the
//! `scan` fuzz target, plus seeds) through the scanner and checks the same
//! invariants the fuzz target checks. `fuzz/fuzz_targets/scan.rs` includes
//! this file, so the invariants are written once. `testdata/fuzz/README.md`
//! says what each input was about.

use deepsentinel_detect::Scanner;

/// The scanner's contract on any text: every span lies within it on
/// character boundaries, spans come sorted, scores lie in `[0, 1]`.
pub(crate) fn check_invariants(scanner: &Scanner, text: &str) {
    let found = scanner.scan(text);
    for f in &found {
        let s = f.span();
        assert!(
            s.start() <= s.end() && s.end() <= text.len(),
            "{f:?} out of bounds"
        );
        assert!(
            text.is_char_boundary(s.start()) && text.is_char_boundary(s.end()),
            "{f:?} splits a character"
        );
        assert!((0.0..=1.0).contains(&f.score()), "{f:?} score out of range");
    }
    assert!(
        found
            .windows(2)
            .all(|w| (w[0].span().start(), w[0].span().end())
                <= (w[1].span().start(), w[1].span().end())),
        "findings not sorted: {found:?}"
    );
}

#[test]
fn replay_fuzz_inputs() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/fuzz/scan");
    let scanner = Scanner::new();
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("testdata/fuzz/scan exists") {
        let path = entry.expect("readable entry").path();
        let bytes = std::fs::read(&path).expect("readable input");
        check_invariants(&scanner, &String::from_utf8_lossy(&bytes));
        n += 1;
    }
    assert!(n > 0, "no inputs in {}", dir.display());
}
