//! `json`: one document, streamed file by file —
//! `{"files": [{"path", "findings": [...]}], "summary": {...}}`, listing only
//! files with findings. `jsonl`: one object per finding, with its `path`
//! and without the masked value, for line-oriented tools.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{Printer, finding_fields};
use crate::report::FileReport;

pub(super) struct Json<'w> {
    out: Box<dyn Write + 'w>,
    started: bool,
    files: u64,
    with_findings: u64,
    findings: u64,
    bytes: u64,
}

impl<'w> Json<'w> {
    pub(super) fn new(out: Box<dyn Write + 'w>) -> Json<'w> {
        Json {
            out,
            started: false,
            files: 0,
            with_findings: 0,
            findings: 0,
            bytes: 0,
        }
    }
}

impl Printer for Json<'_> {
    fn file(&mut self, report: &FileReport) -> io::Result<()> {
        self.files += 1;
        self.bytes += report.bytes;
        if report.findings.is_empty() {
            return Ok(());
        }
        self.with_findings += 1;
        self.findings += report.findings.len() as u64;
        let findings: Vec<Value> = report
            .findings
            .iter()
            .map(|l| {
                let mut m = finding_fields(l);
                m.insert("masked".into(), json!(l.masked));
                Value::Object(m)
            })
            .collect();
        let doc = json!({"path": report.path, "findings": findings});
        self.out.write_all(if self.started {
            b",\n"
        } else {
            b"{\"files\":[\n"
        })?;
        self.started = true;
        serde_json::to_writer(&mut self.out, &doc)?;
        Ok(())
    }

    fn finish(&mut self, ok: bool) -> io::Result<()> {
        if !self.started {
            self.out.write_all(b"{\"files\":[")?;
        }
        let summary = json!({
            "files_scanned": self.files,
            "files_with_findings": self.with_findings,
            "findings": self.findings,
            "bytes": self.bytes,
            "errors": !ok,
        });
        write!(self.out, "\n],\"summary\":{summary}}}\n")?;
        self.out.flush()
    }
}

pub(super) struct Jsonl<'w> {
    out: Box<dyn Write + 'w>,
}

impl<'w> Jsonl<'w> {
    pub(super) fn new(out: Box<dyn Write + 'w>) -> Jsonl<'w> {
        Jsonl { out }
    }
}

impl Printer for Jsonl<'_> {
    fn file(&mut self, report: &FileReport) -> io::Result<()> {
        for l in &report.findings {
            let mut m = serde_json::Map::new();
            m.insert("path".into(), json!(report.path));
            m.extend(finding_fields(l));
            serde_json::to_writer(&mut self.out, &Value::Object(m))?;
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn finish(&mut self, _ok: bool) -> io::Result<()> {
        self.out.flush()
    }
}
