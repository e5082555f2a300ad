//! Small, allocation-free helpers over text that handlers share: boundary
//! checks, digit extraction, entropy.

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

/// Whether `start..end` is not glued to word characters on either side.
pub(crate) fn is_word_bounded(text: &str, start: usize, end: usize) -> bool {
    !char_before(text, start).is_some_and(is_word_char)
        && !char_at(text, end).is_some_and(is_word_char)
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

/// Shannon entropy of `s` in bits per byte.
pub(crate) fn shannon_entropy(s: &str) -> f32 {
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let len = bytes.len() as f32;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f32 / len;
            -p * p.log2()
        })
        .sum()
}

/// The byte range of the line containing `pos`.
pub(crate) fn line_bounds(text: &str, pos: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let pos = pos.min(bytes.len());
    let start = memchr::memrchr(b'\n', &bytes[..pos]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries() {
        assert!(is_word_bounded("a 123 b", 2, 5));
        assert!(!is_word_bounded("a123 b", 1, 4));
        assert!(!is_word_bounded("é123", 2, 5));
        assert!(is_alnum_bounded("x_123_", 2, 5));
    }

    #[test]
    fn digits() {
        let mut buf = [0u8; 4];
        assert_eq!(digits_into("12-34-5", &mut buf), 5);
        assert_eq!(buf, [1, 2, 3, 4]);
    }

    #[test]
    fn entropy() {
        assert_eq!(shannon_entropy("aaaa"), 0.0);
        assert!((shannon_entropy("abcd") - 2.0).abs() < 1e-6);
    }

    #[test]
    fn lines() {
        let t = "ab\ncd\nef";
        assert_eq!(line_bounds(t, 4), (3, 5));
        assert_eq!(line_bounds(t, 0), (0, 2));
        assert_eq!(line_bounds(t, 8), (6, 8));
    }
}
