//! `deepsentinel redact` and `deepsentinel policy check`.

use super::*;

const TEXT: &str = "Ticket 12: mail alice.martin@example.com, card 4539 5787 6362 1486.\n";

#[test]
fn redact_replaces_every_finding_by_default() {
    let dir = tree(&[("t.txt", TEXT.as_bytes())]);
    let o = run(dir.path(), &["redact", "t.txt"], b"");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "Ticket 12: mail <EMAIL_ADDRESS>, card <CREDIT_CARD>.\n"
    );
    // stdin, and idempotent.
    let o2 = run(dir.path(), &["redact", "-"], stdout(&o).as_bytes());
    assert_eq!(stdout(&o2), stdout(&o));
}

#[test]
fn redact_operators() {
    let dir = tree(&[("t.txt", TEXT.as_bytes())]);
    let o = run(dir.path(), &["redact", "--operator", "mask", "t.txt"], b"");
    assert!(
        stdout(&o).contains("card **** **** **** 1486."),
        "{}",
        stdout(&o)
    );
    let o = run(
        dir.path(),
        &["redact", "--operator", "pseudonymize", "t.txt"],
        b"",
    );
    assert!(stdout(&o).contains("<EMAIL_ADDRESS_1>"), "{}", stdout(&o));
    let o = run(
        dir.path(),
        &["redact", "--operator", "redact", "t.txt"],
        b"",
    );
    assert_eq!(stdout(&o), "Ticket 12: mail , card .\n");
    let o = run(dir.path(), &["redact", "--operator", "shred", "t.txt"], b"");
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("unknown"), "{}", stderr(&o));
    // encrypt without a key is refused, nothing written.
    let o = run(
        dir.path(),
        &["redact", "--operator", "encrypt", "t.txt"],
        b"",
    );
    assert_eq!(code(&o), 2);
    assert!(stdout(&o).is_empty());
    assert!(
        stderr(&o).contains("DEEPSENTINEL_AES_KEY"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn hash_is_stable_with_a_key_from_the_environment() {
    let dir = tree(&[("t.txt", TEXT.as_bytes())]);
    let hashed = || {
        let out = Command::new(env!("CARGO_BIN_EXE_deepsentinel"))
            .args(["redact", "--operator", "hash", "t.txt"])
            .current_dir(dir.path())
            .env("DEEPSENTINEL_HMAC_KEY", "00112233445566778899aabbccddeeff")
            .output()
            .expect("runs");
        String::from_utf8(out.stdout).expect("utf8")
    };
    let a = hashed();
    assert!(a.contains("<EMAIL_ADDRESS:"), "{a}");
    assert!(!a.contains("alice"), "{a}");
    assert_eq!(a, hashed());
}

#[test]
fn a_blocking_policy_writes_nothing_and_exits_3() {
    let dir = tree(&[("t.txt", TEXT.as_bytes())]);
    let o = run(
        dir.path(),
        &["redact", "--policy", "production", "t.txt"],
        b"",
    );
    assert_eq!(code(&o), 3);
    assert!(stdout(&o).is_empty());
    let err = stderr(&o);
    assert!(
        err.contains("CREDIT_CARD") && err.contains("production"),
        "{err}"
    );
    assert!(!err.contains("4539"), "{err}");
    // staging anonymizes instead.
    let o = run(dir.path(), &["redact", "--policy", "staging", "t.txt"], b"");
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("<CREDIT_CARD_1>"), "{}", stdout(&o));
}

#[test]
fn invalid_utf8_is_an_error_with_an_offset() {
    let dir = tree(&[("bin.dat", b"ok \xff\xfe")]);
    let o = run(dir.path(), &["redact", "bin.dat"], b"");
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("offset 3"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
}

#[test]
fn policy_check_prints_tables_and_lists_every_problem() {
    let dir = tree(&[
        (
            "good.yaml",
            b"name: bot\ncategories: [pii]\nactions:\n  default: anonymize\n  type:\n    US_SSN: block\n",
        ),
        (
            "bad.toml",
            b"name = \"bad\"\nblock_on_violation = false\n[thresholds]\nmax_risk_score = 2.0\nblock = 0.5\nanonymize = 0.5\n[actions]\ndefault = \"block\"\n",
        ),
    ]);
    let o = run(dir.path(), &["policy", "check", "good.yaml"], b"");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("policy `bot` is valid"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("US_SSN") && l.contains("block")),
        "{out}"
    );
    assert!(
        out.contains("not covered:") && out.contains("SECRET"),
        "{out}"
    );
    let o = run(dir.path(), &["policy", "check", "bad.toml"], b"");
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("2 problems"), "{err}");
    assert!(
        err.contains("thresholds.max_risk_score") && err.contains("actions.default"),
        "{err}"
    );
    let o = run(dir.path(), &["policy", "check", "hipaa"], b"");
    assert!(stdout(&o).contains("MEDICAL_RECORD_NUMBER"));
    let o = run(dir.path(), &["policy", "check", "--toml", "pci-dss"], b"");
    assert!(stdout(&o).contains("keep_last = 4"), "{}", stdout(&o));
}

#[test]
fn a_preset_name_that_is_also_a_file_is_ambiguous() {
    let dir = tree(&[(
        "staging",
        b"name = \"mine\"\n[actions]\ndefault = \"log\"\n",
    )]);
    let o = run(dir.path(), &["policy", "check", "staging"], b"");
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("./staging"), "{}", stderr(&o));
    // The explicit path reaches the file, which has no known extension.
    let o = run(dir.path(), &["policy", "check", "./staging"], b"");
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("unknown format"), "{}", stderr(&o));
}
