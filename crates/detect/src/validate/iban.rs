//! IBAN: per-country length table (SWIFT IBAN registry) and the ISO 7064
//! mod-97-10 check.

/// Expected total length of an IBAN for a two-letter country code, or
/// `None` when the country does not issue IBANs.
pub(crate) fn country_length(cc: [u8; 2]) -> Option<usize> {
    let n = match &cc {
        b"AD" => 24,
        b"AE" => 23,
        b"AL" => 28,
        b"AT" => 20,
        b"AZ" => 28,
        b"BA" => 20,
        b"BE" => 16,
        b"BG" => 22,
        b"BH" => 22,
        b"BI" => 27,
        b"BR" => 29,
        b"BY" => 28,
        b"CH" => 21,
        b"CR" => 22,
        b"CY" => 28,
        b"CZ" => 24,
        b"DE" => 22,
        b"DJ" => 27,
        b"DK" => 18,
        b"DO" => 28,
        b"EE" => 20,
        b"EG" => 29,
        b"ES" => 24,
        b"FI" => 18,
        b"FK" => 18,
        b"FO" => 18,
        b"FR" => 27,
        b"GB" => 22,
        b"GE" => 22,
        b"GI" => 23,
        b"GL" => 18,
        b"GR" => 27,
        b"GT" => 28,
        b"HN" => 28,
        b"HR" => 21,
        b"HU" => 28,
        b"IE" => 22,
        b"IL" => 23,
        b"IQ" => 23,
        b"IS" => 26,
        b"IT" => 27,
        b"JO" => 30,
        b"KW" => 30,
        b"KZ" => 20,
        b"LB" => 28,
        b"LC" => 32,
        b"LI" => 21,
        b"LT" => 20,
        b"LU" => 20,
        b"LV" => 21,
        b"LY" => 25,
        b"MC" => 27,
        b"MD" => 24,
        b"ME" => 22,
        b"MK" => 19,
        b"MN" => 20,
        b"MR" => 27,
        b"MT" => 31,
        b"MU" => 30,
        b"NI" => 28,
        b"NL" => 18,
        b"NO" => 15,
        b"OM" => 23,
        b"PK" => 24,
        b"PL" => 28,
        b"PS" => 29,
        b"PT" => 25,
        b"QA" => 29,
        b"RO" => 24,
        b"RS" => 22,
        b"RU" => 33,
        b"SA" => 24,
        b"SC" => 31,
        b"SD" => 18,
        b"SE" => 24,
        b"SI" => 19,
        b"SK" => 24,
        b"SM" => 27,
        b"SO" => 23,
        b"ST" => 25,
        b"SV" => 28,
        b"TL" => 23,
        b"TN" => 24,
        b"TR" => 26,
        b"UA" => 29,
        b"VA" => 22,
        b"VG" => 24,
        b"XK" => 20,
        b"YE" => 30,
        _ => return None,
    };
    Some(n)
}

/// Mod-97 over compact upper-case IBAN characters (`A-Z0-9`), rotated so
/// the country code and check digits come last. True when the remainder
/// is 1.
pub(crate) fn mod97_ok(compact: &[u8]) -> bool {
    if compact.len() < 5 {
        return false;
    }
    let (head, tail) = compact.split_at(4);
    let mut rem: u32 = 0;
    for &b in tail.iter().chain(head.iter()) {
        match b {
            b'0'..=b'9' => rem = (rem * 10 + u32::from(b - b'0')) % 97,
            b'A'..=b'Z' => {
                let v = u32::from(b - b'A') + 10;
                rem = (rem * 100 + v) % 97;
            }
            _ => return false,
        }
    }
    rem == 1
}

/// Whether `s` is a valid IBAN: spaces and dashes are ignored, letters may
/// be lower-case, the country must issue IBANs and the length must match.
pub(crate) fn is_valid_str(s: &str) -> bool {
    let mut buf = [0u8; 34];
    let mut n = 0;
    for b in s.bytes() {
        match b {
            b' ' | b'-' => {}
            b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' => {
                let Some(slot) = buf.get_mut(n) else {
                    return false;
                };
                *slot = b.to_ascii_uppercase();
                n += 1;
            }
            _ => return false,
        }
    }
    is_valid_compact(buf.get(..n).unwrap_or(&[]))
}

/// Whether upper-case compact `b` is a valid IBAN.
pub(crate) fn is_valid_compact(b: &[u8]) -> bool {
    let (Some(&c0), Some(&c1), Some(&d0), Some(&d1)) = (b.first(), b.get(1), b.get(2), b.get(3))
    else {
        return false;
    };
    if !d0.is_ascii_digit() || !d1.is_ascii_digit() {
        return false;
    }
    country_length([c0, c1]) == Some(b.len()) && mod97_ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert!(is_valid_str("DE89 3704 0044 0532 0130 00"));
        assert!(is_valid_str("GB82WEST12345698765432"));
        assert!(is_valid_str("gb82 west 1234 5698 7654 32"));
        assert!(is_valid_str("NL91ABNA0417164300"));
        assert!(is_valid_str("FR1420041010050500013M02606"));
        assert!(is_valid_str("NO9386011117947"));
        // Bad check digits, wrong length, unknown country.
        assert!(!is_valid_str("DE88 3704 0044 0532 0130 00"));
        assert!(!is_valid_str("DE89 3704 0044 0532 0130 0"));
        assert!(!is_valid_str("XX89 3704 0044 0532 0130 00"));
        assert!(!is_valid_str("DE89_3704"));
        assert!(!is_valid_str(""));
    }
}
