//! Base58 (bitcoin alphabet) and Base58Check: the last four bytes are the
//! first four of the double SHA-256 of the rest.

use sha2::{Digest, Sha256};

/// Value of a base58 digit, or `None` for a character outside the
/// alphabet (`0`, `O`, `I`, `l` and non-alphanumerics).
fn digit(b: u8) -> Option<u8> {
    const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    ALPHABET
        .iter()
        .position(|&a| a == b)
        .and_then(|p| u8::try_from(p).ok())
}

/// Decodes `s` into `out` (big-endian, right-aligned) and returns the
/// decoded length, or `None` when `s` is not base58 or does not fit.
pub(crate) fn decode<'o>(s: &str, out: &'o mut [u8; 64]) -> Option<&'o [u8]> {
    let bytes = s.as_bytes();
    let zeros = bytes.iter().take_while(|&&b| b == b'1').count();
    *out = [0u8; 64];
    // Number of significant bytes used so far (from the right).
    let mut used = 0usize;
    for &b in bytes {
        let mut carry = u32::from(digit(b)?);
        let mut i = 0;
        while i < used || carry != 0 {
            let idx = 63usize.checked_sub(i)?;
            let slot = out.get_mut(idx)?;
            carry += u32::from(*slot) * 58;
            *slot = (carry & 0xff) as u8;
            carry >>= 8;
            i += 1;
        }
        used = i;
    }
    let total = used + zeros;
    if total > 64 {
        return None;
    }
    out.get(64 - total..)
}

/// Whether `payload` (data followed by a 4-byte checksum) checks out.
pub(crate) fn checksum_ok(payload: &[u8]) -> bool {
    if payload.len() < 5 {
        return false;
    }
    let (data, check) = payload.split_at(payload.len() - 4);
    let h = Sha256::digest(Sha256::digest(data));
    h.get(..4) == Some(check)
}

/// Whether `s` is valid Base58Check of any payload.
pub(crate) fn is_valid_check(s: &str) -> bool {
    let mut buf = [0u8; 64];
    decode(s, &mut buf).is_some_and(checksum_ok)
}

/// If `s` is a Base58Check bitcoin address (21-byte payload), its version
/// byte (0x00 P2PKH, 0x05 P2SH, 0x6f / 0xc4 testnet).
pub(crate) fn btc_version(s: &str) -> Option<u8> {
    let mut buf = [0u8; 64];
    let p = decode(s, &mut buf)?;
    if p.len() != 25 || !checksum_ok(p) {
        return None;
    }
    p.first().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(btc_version("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"), Some(0));
        assert_eq!(btc_version("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"), Some(5));
        assert_eq!(btc_version("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"), Some(0));
        // One character changed.
        assert_eq!(btc_version("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"), None);
        assert_eq!(btc_version("1A1zP1eP5QGefi2DMPTfTL5SLmv7Divf0a"), None);
        assert_eq!(btc_version(""), None);
        assert!(is_valid_check("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"));
        assert!(!is_valid_check(
            "11111111111111111111111111111111111111111111111111111111111111111111"
        ));
    }
}
