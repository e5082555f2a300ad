//! IP address validators.

use std::net::Ipv6Addr;
use std::str::FromStr;

/// Whether `s` is a dotted-quad IPv4 address: four decimal octets 0-255
/// without leading zeros.
pub(crate) fn is_ipv4(s: &str) -> bool {
    // One pass over the bytes: each octet is 1-3 digits, no leading zero
    // unless it is `0`, at most 255; exactly three dots between four.
    let mut parts = 0u32;
    let mut value = 0u32;
    let mut len = 0u32;
    let mut lead_zero = false;
    for &b in s.as_bytes() {
        match b {
            b'0'..=b'9' => {
                if len == 0 {
                    lead_zero = b == b'0';
                } else if lead_zero || len == 3 {
                    return false;
                }
                value = value * 10 + u32::from(b - b'0');
                len += 1;
            }
            b'.' => {
                if len == 0 || value > 255 || parts == 3 {
                    return false;
                }
                parts += 1;
                value = 0;
                len = 0;
            }
            _ => return false,
        }
    }
    parts == 3 && len > 0 && value <= 255
}

/// Whether `s` is an IPv6 address (full, compressed, or with an embedded
/// IPv4 tail).
pub(crate) fn is_ipv6(s: &str) -> bool {
    Ipv6Addr::from_str(s).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v4() {
        assert!(is_ipv4("192.168.0.1"));
        assert!(is_ipv4("0.0.0.0"));
        assert!(is_ipv4("255.255.255.255"));
        assert!(!is_ipv4("256.1.1.1"));
        assert!(!is_ipv4("01.2.3.4"));
        assert!(!is_ipv4("1.2.3"));
        assert!(!is_ipv4("1.2.3.4.5"));
        assert!(!is_ipv4("1.2.3.x"));
    }

    /// The one-pass check agrees with the split-and-parse definition on
    /// every short string over digits, dots and one other byte.
    #[test]
    fn v4_matches_split_parse() {
        fn reference(s: &str) -> bool {
            let mut parts = 0;
            for p in s.split('.') {
                parts += 1;
                if parts > 4
                    || p.is_empty()
                    || p.len() > 3
                    || !p.bytes().all(|b| b.is_ascii_digit())
                {
                    return false;
                }
                if p.len() > 1 && p.starts_with('0') {
                    return false;
                }
                if p.parse::<u16>().map_or(true, |v| v > 255) {
                    return false;
                }
            }
            parts == 4
        }
        let alphabet = ['0', '1', '2', '5', '6', '9', '.', '.', '.', 'x'];
        let mut rng = crate::testrand::Rng::new(0x1234_5678_9abc_def1);
        let mut valid = 0;
        for round in 0..200_000 {
            let len = round % 18;
            let mut s = String::new();
            for _ in 0..len {
                s.push(alphabet[rng.below(alphabet.len())]);
            }
            assert_eq!(is_ipv4(&s), reference(&s), "{s:?}");
            valid += usize::from(reference(&s));
        }
        // Octet-shaped parts, three to five of them.
        let octets = [
            "0", "7", "00", "01", "10", "99", "100", "199", "249", "255", "256", "300", "999",
            "1000", "", "1x",
        ];
        for round in 0..50_000 {
            let mut parts = Vec::new();
            for _ in 0..3 + round % 3 {
                parts.push(octets[rng.below(octets.len())]);
            }
            let s = parts.join(".");
            assert_eq!(is_ipv4(&s), reference(&s), "{s:?}");
            valid += usize::from(reference(&s));
        }
        assert!(valid > 1000, "{valid}");
        for s in [
            "255.255.255.255",
            "256.0.0.0",
            "1.2.3.04",
            "0.0.0.0",
            "1.2.3.",
            ".1.2.3",
            "1..2.3",
        ] {
            assert_eq!(is_ipv4(s), reference(s), "{s:?}");
        }
    }

    #[test]
    fn v6() {
        assert!(is_ipv6("2001:db8::1"));
        assert!(is_ipv6("::ffff:192.0.2.1"));
        assert!(is_ipv6("fe80:0:0:0:202:b3ff:fe1e:8329"));
        assert!(!is_ipv6("12:34:56"));
        assert!(!is_ipv6("2001:db8:::1"));
    }
}
