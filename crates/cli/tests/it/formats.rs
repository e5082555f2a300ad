//! Output formats, masking, configuration and flags.

use super::*;

fn sample() -> tempfile::TempDir {
    tree(&[(
        "notes/ticket.txt",
        format!("Ticket 12\nFrom: {ALICE}\nCc: Zoë <{BOB}>\n").as_bytes(),
    )])
}

/// Asserts that no raw value appears in `text`.
fn no_raw_values(text: &str) {
    for v in [ALICE, BOB] {
        assert!(!text.contains(v), "raw value {v} leaked:\n{text}");
    }
}

#[test]
fn human_is_masked_and_colored_on_request() {
    let dir = sample();
    let o = run(dir.path(), &["scan", "--color", "never", "notes"], b"");
    assert_eq!(code(&o), 1);
    let out = stdout(&o).replace('\\', "/");
    assert_eq!(
        out,
        "notes/ticket.txt:2:7: EMAIL_ADDRESS (0.90) al****om [email]\n\
         notes/ticket.txt:3:10: EMAIL_ADDRESS (0.90) bo****rg [email]\n"
    );
    let o = run(dir.path(), &["scan", "--color", "always", "notes"], b"");
    let out = stdout(&o);
    assert!(out.contains("\u{1b}["), "colored: {out:?}");
    no_raw_values(&out);
    // Piped stdout is not a terminal: auto means no colour.
    let o = run(dir.path(), &["scan", "notes"], b"");
    assert!(!stdout(&o).contains('\u{1b}'));
}

#[test]
fn json_document() {
    let dir = sample();
    let o = run(dir.path(), &["scan", "--format", "json", "notes"], b"");
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    no_raw_values(&out);
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    let files = v["files"].as_array().expect("files");
    assert_eq!(files.len(), 1);
    let f = &files[0]["findings"][1];
    assert_eq!(f["entity_type"], "EMAIL_ADDRESS");
    assert_eq!(f["category"], "pii");
    assert_eq!(f["line"], 3);
    assert_eq!(f["column"], 10);
    assert_eq!(f["end_line"], 3);
    assert_eq!(f["end_column"], 10 + BOB.len() as u64);
    assert_eq!(f["masked"], "bo****rg");
    let text = format!("Ticket 12\nFrom: {ALICE}\nCc: Zoë <{BOB}>\n");
    let (s, e) = (
        f["start"].as_u64().expect("start"),
        f["end"].as_u64().expect("end"),
    );
    assert_eq!(&text[s as usize..e as usize], BOB);
    assert_eq!(v["summary"]["findings"], 2);
    assert_eq!(v["summary"]["files_with_findings"], 1);

    // Nothing found is still one valid document.
    let o = run(dir.path(), &["scan", "--format", "json", "-"], b"nothing");
    assert_eq!(code(&o), 0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["files"], serde_json::json!([]));
}

#[test]
fn jsonl_per_finding_without_values() {
    let dir = sample();
    let o = run(dir.path(), &["scan", "--format", "jsonl", "notes"], b"");
    let out = stdout(&o);
    no_raw_values(&out);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| l.get("masked").is_none()));
    assert_eq!(lines[0]["line"], 2);
    assert_eq!(lines[0]["rule"], "email");
}

#[test]
fn sarif_is_valid_against_the_2_1_0_schema() {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/sarif-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).expect("vendored schema"))
            .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");

    let dir = sample();
    std::fs::write(dir.path().join("notes/with space.txt"), ALICE).expect("write");
    for args in [
        &["scan", "--format", "sarif", "notes"][..],
        &["scan", "--format", "sarif", "-"][..],
    ] {
        let o = run(dir.path(), args, b"nothing here");
        let out = stdout(&o);
        no_raw_values(&out);
        let doc: serde_json::Value = serde_json::from_str(&out).expect("SARIF is JSON");
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "schema violations: {errors:#?}");
        assert_eq!(doc["version"], "2.1.0");
    }

    let o = run(dir.path(), &["scan", "--format", "sarif", "notes"], b"");
    assert_eq!(code(&o), 1);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["rules"][0]["id"], "email");
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 3);
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri")
        })
        .collect();
    assert_eq!(
        uris,
        [
            "notes/ticket.txt",
            "notes/ticket.txt",
            "notes/with%20space.txt"
        ]
    );
    let region = &results[1]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 3);
    assert_eq!(region["startColumn"], 10);
    assert_eq!(region["endColumn"], 10 + BOB.len() as u64);
    assert_eq!(region["byteLength"], BOB.len() as u64);
    assert_eq!(results[1]["ruleId"], "email");
    assert_eq!(results[1]["ruleIndex"], 0);
}

#[test]
fn config_file_and_flags() {
    let dir = tree(&[
        (
            "t.txt",
            format!("{ALICE} {BOB} staff EMP-123456\n").as_bytes(),
        ),
        (
            "ds.toml",
            format!(
                "[allow-list]\nvalues = [\"{ALICE}\"]\n\n[[rules]]\nname = \"employee-id\"\n\
                 entity-type = \"EMPLOYEE_ID\"\npattern = 'EMP-\\d{{6}}'\ncontext = [\"staff\"]\n"
            )
            .as_bytes(),
        ),
        (
            "ds.yaml",
            format!("allow-list:\n  values: [\"{BOB}\"]\nmin-score: 0.95\n").as_bytes(),
        ),
    ]);
    let types = |o: &Output| -> Vec<String> {
        stdout(o)
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("JSON line");
                format!(
                    "{}@{}",
                    v["entity_type"].as_str().expect("type"),
                    v["start"]
                )
            })
            .collect()
    };
    let o = run(
        dir.path(),
        &["scan", "--format", "jsonl", "--config", "ds.toml", "t.txt"],
        b"",
    );
    assert_eq!(types(&o), ["EMAIL_ADDRESS@25", "EMPLOYEE_ID@56"]);
    // min-score 0.95 in the YAML file drops everything; the flag overrides it.
    let o = run(
        dir.path(),
        &["scan", "--format", "jsonl", "--config", "ds.yaml", "t.txt"],
        b"",
    );
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let o = run(
        dir.path(),
        &[
            "scan",
            "--format",
            "jsonl",
            "--config",
            "ds.yaml",
            "--min-score",
            "0.5",
            "t.txt",
        ],
        b"",
    );
    assert_eq!(types(&o), ["EMAIL_ADDRESS@0"]);
    // Categories without pii: no e-mail.
    let o = run(
        dir.path(),
        &["scan", "--categories", "secret,pci", "t.txt"],
        b"",
    );
    assert_eq!(code(&o), 0);
    let o = run(
        dir.path(),
        &["scan", "--categories", "pii,bogus", "t.txt"],
        b"",
    );
    assert_eq!(code(&o), 2);
}
