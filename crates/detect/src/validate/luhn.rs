//! The Luhn (mod 10) checksum.

/// Luhn over digit values (0-9), last digit being the check digit.
pub(crate) fn is_valid_digits(digits: &[u8]) -> bool {
    if digits.len() < 2 {
        return false;
    }
    let mut sum = 0u32;
    for (i, &d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(d);
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

/// Luhn over the ASCII digits of `s`; any non-digit other than space, `-`
/// or `.` makes it invalid. At most 32 digits.
pub(crate) fn is_valid_str(s: &str) -> bool {
    let mut buf = [0u8; 32];
    let mut n = 0;
    for b in s.bytes() {
        match b {
            b'0'..=b'9' => {
                if n == buf.len() {
                    return false;
                }
                buf[n] = b - b'0';
                n += 1;
            }
            b' ' | b'-' | b'.' => {}
            _ => return false,
        }
    }
    is_valid_digits(&buf[..n])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert!(is_valid_str("4111 1111 1111 1111"));
        assert!(is_valid_str("4111-1111-1111-1111"));
        assert!(!is_valid_str("4111 1111 1111 1112"));
        assert!(!is_valid_str("4111x1111"));
        assert!(!is_valid_str("7"));
        assert!(is_valid_str("79927398713"));
    }
}
