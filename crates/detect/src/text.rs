//! Small, allocation-free helpers over text that handlers share: boundary
//! checks, digit extraction and the fields of delimited rows.

/// Whether `c` counts as part of a word for boundary checks (letters and
/// digits of any script, and `_`).
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The character just before byte `pos`, if any.
pub(crate) fn char_before(text: &str, pos: usize) -> Option<char> {
    text.get(..pos).and_then(|s| s.chars().next_back())
}

/// The character starting at byte `pos`, if any.
pub(crate) fn char_at(text: &str, pos: usize) -> Option<char> {
    text.get(pos..).and_then(|s| s.chars().next())
}

/// Whether `start..end` is not glued to ASCII alphanumerics on either side
/// (a looser check that lets `_`, `=`, `"`, … delimit a token).
pub(crate) fn is_alnum_bounded(text: &str, start: usize, end: usize) -> bool {
    !char_before(text, start).is_some_and(|c| c.is_alphanumeric())
        && !char_at(text, end).is_some_and(|c| c.is_alphanumeric())
}

/// Copies the ASCII digits of `s` into `buf` (up to its length) and returns
/// how many there were in total (which may exceed `buf.len()`).
pub(crate) fn digits_into(s: &str, buf: &mut [u8]) -> usize {
    let mut n = 0;
    for b in s.bytes() {
        if b.is_ascii_digit() {
            if let Some(slot) = buf.get_mut(n) {
                *slot = b - b'0';
            }
            n += 1;
        }
    }
    n
}

/// The fields of a delimited `line`, as `(start, end)` byte ranges, in
/// order, until `f` returns `false`. A field that opens with a double
/// quote (after optional spaces) runs to its closing quote, so delimiters
/// inside it do not split it (`"Lee, Chang"` is one CSV field), and `""`
/// inside it is an escaped quote. An unclosed quote runs to the line end.
pub(crate) fn for_each_field(line: &[u8], delim: u8, mut f: impl FnMut(usize, usize) -> bool) {
    let mut start = 0;
    let mut i = 0;
    let mut at_field_start = true;
    let mut quoted = false;
    while let Some(&c) = line.get(i) {
        if quoted {
            if c == b'"' {
                if line.get(i + 1) == Some(&b'"') {
                    i += 2;
                    continue;
                }
                quoted = false;
            }
        } else if c == delim {
            if !f(start, i) {
                return;
            }
            start = i + 1;
            at_field_start = true;
            i += 1;
            continue;
        } else if c == b'"' && at_field_start {
            quoted = true;
        }
        if c != b' ' {
            at_field_start = false;
        }
        i += 1;
    }
    f(start, line.len());
}

/// The field delimiter of a table row: `|` for a Markdown row (which may
/// hold commas in its cells: `| Doe, Jane | … |`), else the first of
/// `,`, tab, `|`, `;` that occurs in it.
pub(crate) fn row_delimiter(line: &[u8]) -> Option<u8> {
    if line.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'|') {
        return Some(b'|');
    }
    // The memchr crate's searchers (vectorised) rather than `contains`:
    // most lines asked about are long prose lines without a delimiter.
    [b',', b'\t', b'|', b';']
        .into_iter()
        .find(|&d| memchr::memchr(d, line).is_some())
}

/// Which field of the delimited `line` byte `at` lies in (0-based), with
/// the quoting of [`for_each_field`].
pub(crate) fn field_index(line: &[u8], at: usize, delim: u8) -> usize {
    let mut col = 0;
    for_each_field(line, delim, |_, end| {
        if at <= end {
            return false;
        }
        col += 1;
        true
    });
    col
}

/// How many delimiters of the delimited `line` separate fields (the
/// fields less one), with the quoting of [`for_each_field`].
pub(crate) fn field_separators(line: &[u8], delim: u8) -> usize {
    let mut n = 0usize;
    for_each_field(line, delim, |_, _| {
        n += 1;
        true
    });
    n.saturating_sub(1)
}

/// The byte range of field `col` of the delimited `line`, with the quoting
/// of [`for_each_field`]; `None` when the line has fewer fields.
pub(crate) fn field_range(line: &[u8], col: usize, delim: u8) -> Option<(usize, usize)> {
    let mut k = 0;
    let mut found = None;
    for_each_field(line, delim, |start, end| {
        if k == col {
            found = Some((start, end));
            return false;
        }
        k += 1;
        true
    });
    found
}

/// For a value starting at `start` inside the tuple of an SQL `INSERT INTO
/// t (a, b, …) VALUES (…)` on one line, the byte range of its column's
/// name in the column list (`None` when the value is not in such a tuple
/// or there is no column list). The line is looked at up to `max_line`
/// bytes back.
pub(crate) fn sql_column(b: &[u8], start: usize, max_line: usize) -> Option<(usize, usize)> {
    // Cheap pre-check: a tuple field starts after `(` or `,` (and an
    // opening quote, spaces).
    let mut p = start;
    while p > 0 && matches!(b.get(p - 1), Some(b' ' | b'\'' | b'"')) {
        p -= 1;
    }
    if !matches!(p.checked_sub(1).and_then(|i| b.get(i)), Some(b',' | b'(')) {
        return None;
    }
    let ls = line_start(b, start, max_line);
    // Up to the field's opening quote.
    let line = b.get(ls..p)?;
    // A tuple needs a `(` (fast reject for CSV rows), then the last
    // `VALUES` keyword before the value (as SQL dumps write it).
    memchr::memrchr(b'(', line)?;
    let v = match (
        memchr::memmem::rfind(line, b"VALUES"),
        memchr::memmem::rfind(line, b"values"),
    ) {
        (Some(a), Some(b)) => a.max(b),
        (a, b) => a.or(b)?,
    };
    // Column index within the current tuple.
    let mut col = 0usize;
    let mut quote = 0u8;
    let mut open = false;
    for &c in line.get(v + 6..)? {
        match c {
            b'\'' | b'"' if quote == 0 => quote = c,
            _ if c == quote => quote = 0,
            _ if quote != 0 => {}
            b'(' => {
                open = true;
                col = 0;
            }
            b')' => open = false,
            b',' => col += 1,
            _ => {}
        }
    }
    if !open || quote != 0 {
        return None;
    }
    // The column list: the last `( … )` before `VALUES`.
    let head = line.get(..v)?;
    let close = head.iter().rposition(|&c| !c.is_ascii_whitespace())?;
    if head.get(close) != Some(&b')') {
        return None;
    }
    let openp = head.get(..close)?.iter().rposition(|&c| c == b'(')?;
    let mut f0 = ls + openp + 1;
    let mut f1 = ls + close;
    let mut k = 0;
    for (i, &c) in head.get(openp + 1..close)?.iter().enumerate() {
        if c == b',' {
            if k == col {
                f1 = ls + openp + 1 + i;
                break;
            }
            k += 1;
            f0 = ls + openp + 2 + i;
        }
    }
    if k != col {
        return None;
    }
    Some((f0, f1))
}

/// The start of the line holding `pos`, looking at most `max` bytes back
/// (`pos - max` when no newline is that close).
pub(crate) fn line_start(b: &[u8], pos: usize, max: usize) -> usize {
    let lo = pos.saturating_sub(max);
    b.get(lo..pos)
        .and_then(|s| memchr::memrchr(b'\n', s))
        .map_or(lo, |i| lo + i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries() {
        assert!(is_alnum_bounded("x_123_", 2, 5));
    }

    #[test]
    fn digits() {
        let mut buf = [0u8; 4];
        assert_eq!(digits_into("12-34-5", &mut buf), 5);
        assert_eq!(buf, [1, 2, 3, 4]);
    }

    #[test]
    fn delimited_fields_respect_quotes() {
        let fields = |line: &str, d: u8| {
            let mut out = Vec::new();
            for_each_field(line.as_bytes(), d, |s, e| {
                out.push(line.get(s..e).unwrap_or("?").to_owned());
                true
            });
            out
        };
        assert_eq!(fields("a,b,,c", b','), ["a", "b", "", "c"]);
        assert_eq!(fields("\"Lee, Chang\",x", b','), ["\"Lee, Chang\"", "x"]);
        // `""` is an escaped quote; spaces may come before the opening one.
        assert_eq!(
            fields("1, \"a \"\"b, c\"\"\",2", b','),
            ["1", " \"a \"\"b, c\"\"\"", "2"]
        );
        // A quote inside an unquoted field opens nothing.
        assert_eq!(fields("5\" screen,b,c", b','), ["5\" screen", "b", "c"]);
        // An unclosed quote runs to the end of the line.
        assert_eq!(fields("a;\"b;c", b';'), ["a", "\"b;c"]);
        assert_eq!(fields("", b','), [""]);
        let line = b"x,\"p,q\",y";
        assert_eq!(field_index(line, 0, b','), 0);
        assert_eq!(field_index(line, 4, b','), 1);
        assert_eq!(field_index(line, 8, b','), 2);
        assert_eq!(field_separators(line, b','), 2);
        assert_eq!(field_range(line, 2, b','), Some((8, 9)));
        assert_eq!(field_range(line, 3, b','), None);
    }
}
