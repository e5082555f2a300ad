//! US Social Security and Individual Taxpayer Identification Numbers.

/// Issuance rules of an SSN: area 001-899 except 666, group 01-99, serial
/// 0001-9999.
pub(crate) fn is_issuable(d: &[u8]) -> bool {
    if d.len() != 9 || d.iter().any(|&x| x > 9) {
        return false;
    }
    let area = num(&d[0..3]);
    let group = num(&d[3..5]);
    let serial = num(&d[5..9]);
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

/// Whether 9 digits are an ITIN: area 9XX and group 50-65, 70-88, 90-92 or
/// 94-99.
pub(crate) fn is_itin(d: &[u8]) -> bool {
    if d.len() != 9 || d.iter().any(|&x| x > 9) || d[0] != 9 {
        return false;
    }
    let group = num(&d[3..5]);
    matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99)
}

/// Numbers published as examples (the Woolworth wallet card, the SSA's
/// pamphlet number, the ubiquitous `123-45-6789`) and the advertising range
/// 987-65-4320..4329.
pub(crate) fn is_sample(d: &[u8]) -> bool {
    if d.len() != 9 {
        return false;
    }
    let v = num(d);
    matches!(
        v,
        78_051_120 | 219_099_999 | 123_456_789 | 987_654_320..=987_654_329
    )
}

fn num(d: &[u8]) -> u32 {
    d.iter().fold(0u32, |a, &x| a * 10 + u32::from(x))
}

fn digits(s: &str) -> Option<[u8; 9]> {
    let mut buf = [0u8; 9];
    if s.bytes()
        .any(|b| !(b.is_ascii_digit() || b == b'-' || b == b' '))
    {
        return None;
    }
    (crate::text::digits_into(s, &mut buf) == 9).then_some(buf)
}

/// Validator "ssn": issuable and not a sample.
pub(crate) fn is_valid_ssn_str(s: &str) -> bool {
    digits(s).is_some_and(|d| is_issuable(&d) && !is_sample(&d))
}

/// Validator "itin".
pub(crate) fn is_valid_itin_str(s: &str) -> bool {
    digits(s).is_some_and(|d| is_itin(&d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssn() {
        assert!(is_valid_ssn_str("342-64-9503"));
        assert!(is_valid_ssn_str("342649503"));
        assert!(!is_valid_ssn_str("000-20-1050"));
        assert!(!is_valid_ssn_str("666-40-0127"));
        assert!(!is_valid_ssn_str("185-00-9146"));
        assert!(!is_valid_ssn_str("709-26-0000"));
        assert!(!is_valid_ssn_str("923-39-2728"));
        assert!(!is_valid_ssn_str("078-05-1120"));
        assert!(!is_valid_ssn_str("12-345-678"));
    }

    #[test]
    fn itin() {
        assert!(is_valid_itin_str("945-58-5909"));
        assert!(is_valid_itin_str("993715563"));
        assert!(!is_valid_itin_str("923-39-2728"));
        assert!(!is_valid_itin_str("923-93-2728"));
        assert!(!is_valid_itin_str("342-64-9503"));
    }
}
