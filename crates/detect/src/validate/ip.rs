//! IP address validators.

use std::net::Ipv6Addr;
use std::str::FromStr;

/// Whether `s` is a dotted-quad IPv4 address: four decimal octets 0-255
/// without leading zeros.
pub(crate) fn is_ipv4(s: &str) -> bool {
    let mut parts = 0;
    for p in s.split('.') {
        parts += 1;
        if parts > 4 || p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
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

    #[test]
    fn v6() {
        assert!(is_ipv6("2001:db8::1"));
        assert!(is_ipv6("::ffff:192.0.2.1"));
        assert!(is_ipv6("fe80:0:0:0:202:b3ff:fe1e:8329"));
        assert!(!is_ipv6("12:34:56"));
        assert!(!is_ipv6("2001:db8:::1"));
    }
}
