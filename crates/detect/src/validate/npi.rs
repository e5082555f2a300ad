//! US National Provider Identifiers: 10 digits starting with 1 or 2, Luhn
//! over the digits prefixed with `80840`.

/// Over 10 digit values.
pub(crate) fn is_valid_digits(d: &[u8]) -> bool {
    if d.len() != 10 || !matches!(d[0], 1 | 2) {
        return false;
    }
    let mut buf = [8u8, 0, 8, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    buf[5..].copy_from_slice(d);
    super::luhn::is_valid_digits(&buf)
}

/// Over the ASCII digits of `s` (separators ignored).
pub(crate) fn is_valid_str(s: &str) -> bool {
    let mut buf = [0u8; 10];
    crate::text::digits_into(s, &mut buf) == 10 && is_valid_digits(&buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert!(is_valid_str("1234567893"));
        assert!(is_valid_str("1392052993"));
        assert!(is_valid_str("2263181242"));
        assert!(!is_valid_str("1234567890"));
        assert!(!is_valid_str("3234567893"));
        assert!(!is_valid_str("123456789"));
    }
}
