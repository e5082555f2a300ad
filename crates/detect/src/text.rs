//! Small, allocation-free helpers over text that handlers share: boundary
//! checks and digit extraction.

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
}
