//! Ethereum addresses: `0x` and 40 hex digits. EIP-55 writes the checksum
//! in the case of the letters: a letter is upper case exactly when the
//! matching nibble of the Keccak-256 hash of the lower-case hex digits is
//! 8 or more. An address all in one case carries no checksum.

use sha3::{Digest, Keccak256};

/// What the case of an address's letters says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    /// Mixed case that matches the checksum.
    Checksummed,
    /// Mixed case that does not: a typo, or no address.
    Wrong,
    /// All letters in one case: no checksum to test.
    Unchecked,
}

/// The 40 hex digits of `s` (with or without `0x`), if that is all it is.
fn digits(s: &str) -> Option<&[u8]> {
    let s = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    let b = s.as_bytes();
    (b.len() == 40 && b.iter().all(u8::is_ascii_hexdigit)).then_some(b)
}

/// The checksum state of the address `s`; `None` when it is no address.
pub(crate) fn case(s: &str) -> Option<Case> {
    let d = digits(s)?;
    let upper = d.iter().any(u8::is_ascii_uppercase);
    let lower = d.iter().any(u8::is_ascii_lowercase);
    if !(upper && lower) {
        return Some(Case::Unchecked);
    }
    let mut low = [0u8; 40];
    for (l, c) in low.iter_mut().zip(d) {
        *l = c.to_ascii_lowercase();
    }
    let hash = Keccak256::digest(low);
    let ok = d.iter().enumerate().all(|(i, c)| {
        let byte = hash.get(i / 2).copied().unwrap_or(0);
        let nibble = if i % 2 == 0 { byte >> 4 } else { byte & 0x0f };
        !c.is_ascii_alphabetic() || c.is_ascii_uppercase() == (nibble >= 8)
    });
    Some(if ok { Case::Checksummed } else { Case::Wrong })
}

/// Whether `s` is an address whose case is not a wrong checksum.
pub(crate) fn is_valid_str(s: &str) -> bool {
    matches!(case(s.trim()), Some(Case::Checksummed | Case::Unchecked))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eip55_vectors() {
        for a in [
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
            "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
            "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        ] {
            assert_eq!(case(a), Some(Case::Checksummed), "{a}");
        }
        // One letter's case flipped.
        assert_eq!(
            case("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"),
            Some(Case::Wrong)
        );
        assert_eq!(
            case("0x52908400098527886e0f7030069857d2e4169ee7"),
            Some(Case::Unchecked)
        );
        assert_eq!(
            case("0x8617E340B3D01FA5F11F306F4090FD50E238070D"),
            Some(Case::Unchecked)
        );
        assert_eq!(case("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA"), None);
        assert_eq!(case("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg"), None);
        assert!(is_valid_str(" 0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB "));
        assert!(!is_valid_str("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6Fb"));
    }
}
