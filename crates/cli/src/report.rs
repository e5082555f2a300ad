//! What a scan of one input produced, in the form every output format
//! reads: findings with their position (line, column, byte offsets) and a
//! masked rendering of the value, computed while the text was in memory.
//! The raw value is never stored here, so no output can leak it.

use deepsentinel_core::Finding;

/// The scan of one file (or stdin).
#[derive(Debug)]
pub(crate) struct FileReport {
    /// The path as given or found by the walk (`-` for stdin), for display.
    pub(crate) path: String,
    /// Findings in ascending order of byte offset.
    pub(crate) findings: Vec<Located>,
    /// Why the file was skipped (binary), if it was. Not an error.
    pub(crate) skipped: Option<&'static str>,
    /// A problem that did not stop the scan (invalid UTF-8 bytes).
    pub(crate) warning: Option<String>,
    /// Why the file could not be scanned (unreadable). An error: exit 2.
    pub(crate) error: Option<String>,
    /// Bytes read.
    pub(crate) bytes: u64,
}

impl FileReport {
    pub(crate) fn new(path: String) -> FileReport {
        FileReport {
            path,
            findings: Vec::new(),
            skipped: None,
            warning: None,
            error: None,
            bytes: 0,
        }
    }
}

/// A finding placed in its file.
#[derive(Debug, Clone)]
pub(crate) struct Located {
    /// The finding, its span in bytes of the whole file.
    pub(crate) finding: Finding,
    /// 1-based line of the first byte.
    pub(crate) line: u64,
    /// 1-based column of the first byte, in Unicode code points.
    pub(crate) column: u64,
    /// 1-based line of the last byte.
    pub(crate) end_line: u64,
    /// 1-based column just past the last character, in code points.
    pub(crate) end_column: u64,
    /// The value masked by [`mask`].
    pub(crate) masked: String,
}

/// Masks a value: values of 12 or more characters keep their first and
/// last two characters around `****` (`ja****om`); shorter ones become
/// `****` whole, since two characters at each end would reveal too much of
/// them. Control characters among the kept ones are shown as `?`.
pub(crate) fn mask(value: &str) -> String {
    let n = value.chars().count();
    if n < 12 {
        return "****".to_owned();
    }
    let clean = |c: char| if c.is_control() { '?' } else { c };
    let head: String = value.chars().take(2).map(clean).collect();
    let tail: String = value.chars().skip(n - 2).map(clean).collect();
    format!("{head}****{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking() {
        assert_eq!(mask("jane.doe@example.com"), "ja****om");
        assert_eq!(mask("123-45-6789"), "****");
        assert_eq!(mask(""), "****");
        assert_eq!(mask("\nbcdefghijkl\t"), "?b****l?");
        assert_eq!(mask("éèàùçâêîôûëï"), "éè****ëï");
    }
}
