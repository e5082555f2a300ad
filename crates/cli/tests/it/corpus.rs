//! Corpus mode (`--jsonl-input`).

use super::*;

#[test]
fn records_in_records_out() {
    let dir = tree(&[]);
    let input = format!(
        "{{\"id\": \"a\", \"text\": \"mail {ALICE} today\", \"lang\": \"en\"}}\n\
         \n\
         {{\"id\": 7, \"text\": \"nothing\"}}\n\
         {{\"id\": \"é\", \"text\": \"Zoë → {BOB}\"}}\n"
    );
    let o = run(dir.path(), &["scan", "--jsonl-input"], input.as_bytes());
    assert_eq!(code(&o), 1);
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 3, "one line per record, blank lines skipped");
    assert_eq!(lines[0]["id"], "a");
    let f = &lines[0]["findings"][0];
    assert_eq!(f["entity_type"], "EMAIL_ADDRESS");
    assert_eq!(
        (f["start"].as_u64(), f["end"].as_u64()),
        (Some(5), Some(5 + ALICE.len() as u64))
    );
    assert!(f["score"].as_f64().expect("score") >= 0.5);
    assert_eq!(lines[1]["id"], 7);
    assert_eq!(lines[1]["findings"], serde_json::json!([]));
    // Offsets are UTF-8 bytes: "Zoë → " is 9 bytes.
    assert_eq!(lines[2]["findings"][0]["start"], 9);
}

#[test]
fn malformed_lines_are_reported_and_the_run_goes_on() {
    let dir = tree(&[]);
    let input = format!(
        "{{\"id\": 1, \"text\": \"{ALICE}\"}}\n\
         {{\"id\": 2, \"text\": \"{BOB}\"\n\
         {{\"id\": 3}}\n\
         [1, 2]\n\
         {{\"id\": 5, \"text\": \"nothing\"}}\n"
    );
    let o = run(dir.path(), &["scan", "--jsonl-input"], input.as_bytes());
    assert_eq!(code(&o), 2, "failed lines make the run fail at the end");
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["findings"][0]["entity_type"], "EMAIL_ADDRESS");
    assert_eq!(lines[1]["line"], 2);
    assert!(
        lines[1]["error"]
            .as_str()
            .expect("error")
            .contains("malformed JSON")
    );
    assert_eq!(lines[1]["id"], serde_json::Value::Null);
    assert_eq!(lines[2]["id"], 3, "the id is kept when it can be read");
    assert!(lines[2]["error"].as_str().expect("error").contains("text"));
    assert_eq!(lines[3]["line"], 4);
    assert_eq!(lines[4]["id"], 5);
    let err = stderr(&o);
    for n in [2, 3, 4] {
        assert!(err.contains(&format!("line {n}:")), "{err}");
    }
    assert!(!err.contains(BOB) && !stdout(&o).contains(BOB), "{err}");
}

#[test]
fn corpus_mode_rejects_paths_and_other_formats() {
    let dir = tree(&[]);
    assert_eq!(
        code(&run(dir.path(), &["scan", "--jsonl-input", "x.txt"], b"")),
        2
    );
    assert_eq!(
        code(&run(
            dir.path(),
            &["scan", "--jsonl-input", "--format", "sarif"],
            b""
        )),
        2
    );
}
