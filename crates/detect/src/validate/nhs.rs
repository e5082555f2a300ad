//! UK NHS numbers: 10 digits, weights 10..2 over the first nine, check
//! digit `11 - sum % 11` (11 -> 0, 10 -> invalid).

/// Over 10 digit values.
pub(crate) fn is_valid_digits(d: &[u8]) -> bool {
    if d.len() != 10 || d.iter().any(|&x| x > 9) {
        return false;
    }
    let sum: u32 = d[..9]
        .iter()
        .enumerate()
        .map(|(i, &x)| u32::from(x) * (10 - i as u32))
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    check == u32::from(d[9])
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
        assert!(is_valid_str("943 476 5919"));
        assert!(is_valid_str("6359177471"));
        assert!(is_valid_str("901 924 1966"));
        assert!(!is_valid_str("943 476 5918"));
        assert!(!is_valid_str("705 648 5018"));
    }
}
