//! Scanning one input — a file or stdin — with bounded memory.
//!
//! The input is read in windows of at most `window` bytes (`--max-file-size`,
//! so a file up to that size is one window, read whole). Consecutive windows
//! overlap by [`OVERLAP`] bytes so that a value straddling a window boundary
//! is seen whole by one of them. Ownership decides which window reports a
//! finding: the boundary is the middle of the overlap, and a window keeps
//! exactly the findings that *start* in its owned range. A finding of up to
//! half the overlap (2 KiB) is therefore seen whole, with at least 2 KiB of
//! context before it, and reported once. Longer values can be cut at a
//! window boundary; that is the price of the memory bound.
//!
//! Window edges are moved onto UTF-8 character boundaries, so they never
//! split a character. Inside a window, bytes that are not valid UTF-8 split
//! the text into segments that are scanned separately (with `utf8_chunks`);
//! the file is reported with a warning naming the first invalid offset.
//! Lossy conversion was rejected: replacing an invalid byte with U+FFFD
//! (three bytes) would shift every offset after it.
//!
//! Binary files — a NUL byte in the first 8 KiB, as git and ripgrep decide —
//! are skipped silently.

use std::io::Read;

use deepsentinel_detect::Scanner;
use memchr::memchr;

use crate::args::OVERLAP;
use crate::report::{FileReport, Located, mask};

/// How much of the start of an input is checked for NUL bytes.
const BINARY_PROBE: usize = 8 << 10;

/// Scans everything `reader` yields. I/O errors end the scan and are recorded
/// in the report (findings made before the error are kept).
pub(crate) fn scan_reader(
    scanner: &Scanner,
    mut reader: impl Read,
    path: String,
    window: usize,
) -> FileReport {
    let mut report = FileReport::new(path);
    let mut buf: Vec<u8> = Vec::new();
    // File offset of buf[0].
    let mut base: u64 = 0;
    // Findings starting before this file offset belong to the previous window.
    let mut own_from: u64 = 0;
    let mut cursor = Cursor::default();
    let mut first = true;
    loop {
        let want = window.saturating_sub(buf.len()) as u64;
        let before = buf.len();
        if let Err(e) = (&mut reader).take(want).read_to_end(&mut buf) {
            report.error = Some(format!("cannot read: {e}"));
            return report;
        }
        let got = buf.len() - before;
        report.bytes += got as u64;
        let eof = (got as u64) < want || buf.len() < window;
        if first {
            first = false;
            let probe = buf.get(..BINARY_PROBE.min(buf.len())).unwrap_or_default();
            if memchr(0, probe).is_some() {
                report.skipped = Some("binary file");
                report.findings.clear();
                return report;
            }
        }
        if buf.is_empty() {
            return report;
        }
        let cut = if eof { buf.len() } else { window_end(&buf) };
        let next_start = if eof {
            None
        } else {
            Some(window_start(&buf, cut.saturating_sub(OVERLAP), cut))
        };
        let own_to = match next_start {
            None => usize::MAX,
            Some(s) => s + (cut - s) / 2,
        };
        let text = buf.get(..cut).unwrap_or_default();
        scan_window(
            scanner,
            text,
            base,
            own_from,
            own_to,
            &mut cursor,
            &mut report,
        );
        let Some(next) = next_start else {
            return report;
        };
        // Line/column tracking needs every byte once: consume up to where the
        // next window starts before those bytes are dropped.
        cursor.advance_to(base + next as u64, &buf, base);
        own_from = base + own_to as u64;
        buf.drain(..next);
        base += next as u64;
    }
}

fn scan_window(
    scanner: &Scanner,
    bytes: &[u8],
    base: u64,
    own_from: u64,
    own_to: usize,
    cursor: &mut Cursor,
    report: &mut FileReport,
) {
    let mut off = 0usize;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        let mut found = scanner.scan(valid);
        found.sort_by_key(|f| (f.span().start(), f.span().end()));
        for f in found {
            let span = f.span();
            let rel = off + span.start();
            let abs = base + rel as u64;
            if abs < own_from || rel >= own_to {
                continue;
            }
            let Some(value) = span.slice(valid) else {
                continue;
            };
            let Some(shifted) = span.offset(rel - span.start()) else {
                continue;
            };
            // Shift to file offsets (saturating on 32-bit hosts, where a
            // file this large could not be addressed anyway).
            let file_span = usize::try_from(base)
                .ok()
                .and_then(|b| shifted.offset(b))
                .unwrap_or(shifted);
            cursor.advance_to(abs, bytes, base);
            let (line, column) = (cursor.line, cursor.column);
            let newlines = memchr::memchr_iter(b'\n', value.as_bytes()).count() as u64;
            let end_column = match value.rfind('\n') {
                Some(i) => 1 + count_chars(value.as_bytes().get(i + 1..).unwrap_or_default()),
                None => column + value.chars().count() as u64,
            };
            report.findings.push(Located {
                finding: f.with_span(file_span),
                line,
                column,
                end_line: line + newlines,
                end_column,
                masked: mask(value),
            });
        }
        off += valid.len();
        if !chunk.invalid().is_empty() && report.warning.is_none() {
            report.warning = Some(format!(
                "not valid UTF-8 (first invalid byte at offset {}); scanned the valid parts",
                base + off as u64
            ));
        }
        off += chunk.invalid().len();
    }
}

/// Where a non-final window ends: just before the last character that
/// starts in its final four bytes, so no character is split (the overlap
/// makes up for the bytes left out).
fn window_end(buf: &[u8]) -> usize {
    let len = buf.len();
    (len.saturating_sub(4)..len)
        .rev()
        .find(|&i| buf.get(i).is_some_and(|&b| !is_continuation(b)))
        .unwrap_or(len)
}

/// Where the next window starts: `from`, moved forward past at most three
/// continuation bytes onto a character boundary.
fn window_start(buf: &[u8], from: usize, limit: usize) -> usize {
    let mut s = from;
    while s < limit && s < from + 3 && buf.get(s).is_some_and(|&b| is_continuation(b)) {
        s += 1;
    }
    s
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

fn count_chars(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| !is_continuation(b)).count() as u64
}

/// Line and column of a file offset, moved forward only.
struct Cursor {
    pos: u64,
    line: u64,
    column: u64,
}

impl Default for Cursor {
    fn default() -> Cursor {
        Cursor {
            pos: 0,
            line: 1,
            column: 1,
        }
    }
}

impl Cursor {
    /// Moves to file offset `to` (no-op if already past it), reading the
    /// bytes in between from `buf`, which starts at file offset `base`.
    fn advance_to(&mut self, to: u64, buf: &[u8], base: u64) {
        if to <= self.pos {
            return;
        }
        let a = usize::try_from(self.pos.saturating_sub(base)).unwrap_or(usize::MAX);
        let b = usize::try_from(to - base).unwrap_or(usize::MAX);
        let Some(bytes) = buf.get(a..b) else {
            return;
        };
        let mut last_nl = None;
        for i in memchr::memchr_iter(b'\n', bytes) {
            self.line += 1;
            last_nl = Some(i);
        }
        match last_nl {
            Some(i) => self.column = 1 + count_chars(bytes.get(i + 1..).unwrap_or_default()),
            None => self.column += count_chars(bytes),
        }
        self.pos = to;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scanner() -> Scanner {
        Scanner::new()
    }

    #[test]
    fn windows_report_each_finding_once_with_file_positions() {
        // Emails every ~100 bytes, across many small windows.
        let mut text = String::new();
        for i in 0..400 {
            text.push_str(&format!("line {i} é mail user{i}@example.com ok\n"));
        }
        let whole = scan_reader(&scanner(), text.as_bytes(), "t".into(), 1 << 20);
        let windowed = scan_reader(&scanner(), text.as_bytes(), "t".into(), 2 * OVERLAP + 100);
        assert_eq!(whole.findings.len(), 400);
        assert_eq!(windowed.findings.len(), 400);
        for (a, b) in whole.findings.iter().zip(&windowed.findings) {
            assert_eq!(a.finding.span(), b.finding.span());
            assert_eq!((a.line, a.column), (b.line, b.column));
            assert_eq!(a.masked, b.masked);
        }
        let f = &whole.findings[7];
        assert_eq!(f.line, 8);
        assert_eq!(f.column, 15);
        assert_eq!(&text[f.finding.span().range()], "user7@example.com");
    }

    #[test]
    fn invalid_utf8_is_scanned_around() {
        let mut bytes = b"caf\xe9 write to jane.doe@example.com\n".to_vec();
        bytes.extend_from_slice(b"\xff\xfe then bob.smith@example.org");
        let r = scan_reader(&scanner(), &bytes[..], "t".into(), 1 << 20);
        assert_eq!(r.findings.len(), 2);
        let s = r.findings[1].finding.span();
        assert_eq!(&bytes[s.range()], b"bob.smith@example.org");
        assert_eq!(r.findings[1].line, 2);
        assert!(r.warning.as_deref().unwrap_or("").contains("offset 3"));
    }

    #[test]
    fn binary_is_skipped() {
        let r = scan_reader(
            &scanner(),
            &b"a\0b jane@example.com"[..],
            "t".into(),
            1 << 20,
        );
        assert_eq!(r.skipped, Some("binary file"));
        assert!(r.findings.is_empty());
    }
}
