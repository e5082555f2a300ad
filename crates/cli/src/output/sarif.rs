//! SARIF 2.1.0. Results are buffered until the end because the rules table
//! (`tool.driver.rules`, one entry per rule id seen) comes first and results
//! point into it by index; results hold positions only, so the buffer is
//! small.
//!
//! Levels: `error` for secrets, payment data and prompt injection, and for
//! any finding scoring 0.9 or more; `warning` from 0.6; `note` below.
//! Columns count Unicode code points (`columnKind: unicodeCodePoints`),
//! `endColumn` is exclusive, as SARIF defines it. The value itself is never
//! written: not in the message, not in a snippet.

use std::collections::BTreeMap;
use std::io::{self, Write};

use deepsentinel_core::{Category, Finding};
use serde_json::{Value, json};

use super::{Printer, round};
use crate::report::FileReport;

pub(super) struct Sarif<'w> {
    out: Box<dyn Write + 'w>,
    /// rule id → (index, entity type, category), in order of first sight.
    rules: BTreeMap<String, (usize, String, Category)>,
    results: Vec<Value>,
}

impl<'w> Sarif<'w> {
    pub(super) fn new(out: Box<dyn Write + 'w>) -> Sarif<'w> {
        Sarif {
            out,
            rules: BTreeMap::new(),
            results: Vec::new(),
        }
    }
}

fn level(f: &Finding) -> &'static str {
    match f.category() {
        Category::Secret | Category::Pci | Category::Injection => "error",
        _ if f.score() >= 0.9 => "error",
        _ if f.score() >= 0.6 => "warning",
        _ => "note",
    }
}

/// A relative URI reference for a path: `/` separators, everything but
/// RFC 3986 unreserved characters and `/` percent-encoded.
fn uri(path: &str) -> String {
    if path == "<stdin>" {
        return "stdin".to_owned();
    }
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Printer for Sarif<'_> {
    fn file(&mut self, report: &FileReport) -> io::Result<()> {
        let uri = uri(&report.path);
        for l in &report.findings {
            let f = &l.finding;
            let next = self.rules.len();
            let index = self
                .rules
                .entry(f.rule().as_str().to_owned())
                .or_insert_with(|| (next, f.entity_type().as_str().to_owned(), f.category()))
                .0;
            let span = f.span();
            self.results.push(json!({
                "ruleId": f.rule().as_str(),
                "ruleIndex": index,
                "level": level(f),
                "message": {
                    "text": format!(
                        "{} ({}) found, score {:.2}",
                        f.entity_type().as_str(),
                        f.category().as_str(),
                        f.score()
                    )
                },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri},
                        "region": {
                            "startLine": l.line,
                            "startColumn": l.column,
                            "endLine": l.end_line,
                            "endColumn": l.end_column,
                            "byteOffset": span.start(),
                            "byteLength": span.len(),
                        }
                    }
                }],
                "properties": {
                    "entityType": f.entity_type().as_str(),
                    "category": f.category().as_str(),
                    "score": round(f.score()),
                }
            }));
        }
        Ok(())
    }

    fn finish(&mut self, ok: bool) -> io::Result<()> {
        let mut rules: Vec<(&String, &(usize, String, Category))> = self.rules.iter().collect();
        rules.sort_by_key(|(_, (i, _, _))| *i);
        let rules: Vec<Value> = rules
            .into_iter()
            .map(|(id, (_, entity, category))| {
                json!({
                    "id": id,
                    "name": id,
                    "shortDescription": {"text": format!("{entity} ({category})")},
                    "fullDescription": {
                        "text": format!("Rule {id} finds values of type {entity}, category {category}.")
                    },
                    "properties": {"entityType": entity, "category": category.as_str()},
                })
            })
            .collect();
        let doc = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "deepsentinel",
                        "version": env!("CARGO_PKG_VERSION"),
                        "informationUri": "https://example.invalid/deepsentinel",
                        "rules": rules,
                    }
                },
                "invocations": [{"executionSuccessful": ok}],
                "columnKind": "unicodeCodePoints",
                "results": std::mem::take(&mut self.results),
            }]
        });
        serde_json::to_writer_pretty(&mut self.out, &doc)?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn uris_are_encoded() {
        assert_eq!(uri("./a b/c%.txt"), "a%20b/c%25.txt");
        assert_eq!(uri("dir\\x.txt"), "dir/x.txt");
        assert_eq!(uri("<stdin>"), "stdin");
    }
}
