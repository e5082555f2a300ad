//! Output formats. Each is a [`Printer`] that receives one [`FileReport`]
//! at a time, in output order, and writes to stdout.
//!
//! No format ever writes a raw value: `human` and `json` show the masked
//! form computed by [`crate::report::mask`], `jsonl` and `sarif` show
//! positions only.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use crate::args::Format;
use crate::report::{FileReport, Located};

mod human;
mod json;
mod sarif;

/// Receives reports in output order.
pub(crate) trait Printer {
    /// Writes (or records) one file's findings.
    fn file(&mut self, report: &FileReport) -> io::Result<()>;
    /// Completes the output. `ok` is false when some input failed.
    fn finish(&mut self, ok: bool) -> io::Result<()>;
}

/// The printer for `format`, writing to `out`.
pub(crate) fn printer<'w>(
    format: Format,
    color: bool,
    out: Box<dyn Write + 'w>,
) -> Box<dyn Printer + 'w> {
    match format {
        Format::Human => Box::new(human::Human::new(out, color)),
        Format::Json => Box::new(json::Json::new(out)),
        Format::Jsonl => Box::new(json::Jsonl::new(out)),
        Format::Sarif => Box::new(sarif::Sarif::new(out)),
    }
}

/// The fields of a finding shared by `json` and `jsonl`: type, category,
/// score, rule, subtype and flags, byte offsets and line/column.
fn finding_fields(l: &Located) -> Map<String, Value> {
    let f = &l.finding;
    let mut m = Map::new();
    m.insert("entity_type".into(), json!(f.entity_type().as_str()));
    m.insert("category".into(), json!(f.category().as_str()));
    m.insert("score".into(), json!(round(f.score())));
    m.insert("rule".into(), json!(f.rule().as_str()));
    if let Some(s) = f.subtype() {
        m.insert("subtype".into(), json!(s.as_str()));
    }
    let flags: Vec<&str> = f.flags().names().collect();
    if !flags.is_empty() {
        m.insert("flags".into(), json!(flags));
    }
    m.insert("start".into(), json!(f.span().start()));
    m.insert("end".into(), json!(f.span().end()));
    m.insert("line".into(), json!(l.line));
    m.insert("column".into(), json!(l.column));
    m.insert("end_line".into(), json!(l.end_line));
    m.insert("end_column".into(), json!(l.end_column));
    m
}

/// Scores printed with two decimals (f32 → f64 would print 0.8999999761…).
fn round(score: f32) -> f64 {
    (f64::from(score) * 100.0).round() / 100.0
}
