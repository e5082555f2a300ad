//! Corpus mode (`--jsonl-input`): JSON lines `{"id": …, "text": …}` on
//! stdin (other fields ignored), one line `{"id": …, "findings": [...]}` out
//! per input record, findings with UTF-8 byte offsets into `text`.
//!
//! Every non-blank input line yields exactly one output line, so outputs
//! stay aligned with inputs. A line that fails — not JSON, not an object,
//! no string `text`, not UTF-8 — yields `{"id": …, "line": N, "error": …}`
//! (`id` is `null` when it cannot be read) and a message on stderr naming
//! the line number; the run goes on and exits with 2 at the end. Messages
//! describe the problem by position and never quote the line.

use std::io::{BufRead, Write};

use anyhow::{Context, Result};
use deepsentinel_detect::Scanner;
use serde_json::{Value, json};

/// What a corpus run saw.
pub(crate) struct Outcome {
    pub(crate) found: bool,
    pub(crate) failed_lines: u64,
}

/// Reads records from `input` and writes results to `out`.
pub(crate) fn run(scanner: &Scanner, input: impl BufRead, out: &mut dyn Write) -> Result<Outcome> {
    let mut outcome = Outcome {
        found: false,
        failed_lines: 0,
    };
    let mut input = input;
    let mut raw = Vec::new();
    let mut line_no = 0u64;
    loop {
        raw.clear();
        let n = input.read_until(b'\n', &mut raw).context("reading stdin")?;
        if n == 0 {
            break;
        }
        line_no += 1;
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let record = match parse(&raw) {
            Ok((id, text)) => {
                let findings = scanner.scan(&text);
                outcome.found |= !findings.is_empty();
                json!({"id": id, "findings": findings})
            }
            Err((id, problem)) => {
                outcome.failed_lines += 1;
                eprintln!("deepsentinel: stdin line {line_no}: {problem}");
                json!({"id": id, "line": line_no, "error": problem})
            }
        };
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(outcome)
}

/// The record's id and text, or its id (if readable) and what is wrong.
fn parse(raw: &[u8]) -> Result<(Value, String), (Value, String)> {
    let line = std::str::from_utf8(raw).map_err(|e| {
        (
            Value::Null,
            format!("not valid UTF-8 (byte {})", e.valid_up_to() + 1),
        )
    })?;
    // serde_json's messages for syntax errors name a position, never the
    // input; only the column is kept to be sure.
    let value: Value = serde_json::from_str(line).map_err(|e| {
        (
            Value::Null,
            format!("malformed JSON (column {})", e.column()),
        )
    })?;
    let Value::Object(mut map) = value else {
        return Err((Value::Null, "not a JSON object".into()));
    };
    let id = map.remove("id").unwrap_or(Value::Null);
    match map.remove("text") {
        Some(Value::String(text)) => Ok((id, text)),
        Some(_) => Err((id, "field \"text\" is not a string".into())),
        None => Err((id, "missing field \"text\"".into())),
    }
}
