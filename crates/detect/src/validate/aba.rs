//! ABA routing transit numbers: 9 digits, weights 3-7-1 sum to a multiple
//! of 10, and a Federal Reserve prefix (00-12, 21-32, 61-72, 80).

/// Checksum and prefix check over 9 digit values.
pub(crate) fn is_valid_digits(d: &[u8]) -> bool {
    if d.len() != 9 || d.iter().any(|&x| x > 9) {
        return false;
    }
    let prefix = u32::from(d[0]) * 10 + u32::from(d[1]);
    if !matches!(prefix, 0..=12 | 21..=32 | 61..=72 | 80) {
        return false;
    }
    let w = [3u32, 7, 1, 3, 7, 1, 3, 7, 1];
    let sum: u32 = d.iter().zip(w).map(|(&x, w)| u32::from(x) * w).sum();
    sum % 10 == 0
}

/// Over the ASCII digits of `s` (separators ignored).
pub(crate) fn is_valid_str(s: &str) -> bool {
    let mut buf = [0u8; 9];
    crate::text::digits_into(s, &mut buf) == 9 && is_valid_digits(&buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert!(is_valid_str("011000015"));
        assert!(is_valid_str("021000021"));
        assert!(!is_valid_str("021000022"));
        assert!(!is_valid_str("12345678"));
        assert!(!is_valid_str("991000021"));
    }
}
