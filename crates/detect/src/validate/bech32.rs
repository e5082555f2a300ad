//! Bech32 (BIP-173) and Bech32m (BIP-350) checksums and segwit address
//! checks.

const CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const BECH32: u32 = 1;
const BECH32M: u32 = 0x2bc8_30a3;

fn polymod_step(chk: u32, v: u8) -> u32 {
    const GEN: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let top = chk >> 25;
    let mut c = ((chk & 0x01ff_ffff) << 5) ^ u32::from(v);
    for (i, g) in GEN.iter().enumerate() {
        if (top >> i) & 1 == 1 {
            c ^= g;
        }
    }
    c
}

fn value(b: u8) -> Option<u8> {
    let lower = b.to_ascii_lowercase();
    CHARSET
        .iter()
        .position(|&c| c == lower)
        .and_then(|p| u8::try_from(p).ok())
}

/// The checksum constant of `s` (`hrp1data`), or `None` if malformed.
/// Mixed case is rejected.
fn residue(s: &str) -> Option<(u32, usize)> {
    let bytes = s.as_bytes();
    if bytes.len() > 90 || bytes.len() < 8 {
        return None;
    }
    let has_lower = bytes.iter().any(u8::is_ascii_lowercase);
    let has_upper = bytes.iter().any(u8::is_ascii_uppercase);
    if has_lower && has_upper {
        return None;
    }
    let sep = bytes.iter().rposition(|&b| b == b'1')?;
    if sep == 0 || sep + 7 > bytes.len() {
        return None;
    }
    let (hrp, rest) = bytes.split_at(sep);
    let data = rest.get(1..)?;
    let mut chk = 1u32;
    for &h in hrp {
        if !(33..=126).contains(&h) {
            return None;
        }
        chk = polymod_step(chk, h.to_ascii_lowercase() >> 5);
    }
    chk = polymod_step(chk, 0);
    for &h in hrp {
        chk = polymod_step(chk, h.to_ascii_lowercase() & 31);
    }
    for &d in data {
        chk = polymod_step(chk, value(d)?);
    }
    Some((chk, sep))
}

/// Whether `s` is valid bech32 or bech32m (any human-readable part).
pub(crate) fn is_valid_str(s: &str) -> bool {
    matches!(residue(s), Some((BECH32 | BECH32M, _)))
}

/// Whether `s` is a valid segwit address with human-readable part `bc`
/// or `tb`: v0 with bech32 and a 20/32-byte program, v1+ with bech32m and
/// a 2-40 byte program.
pub(crate) fn is_segwit_address(s: &str) -> bool {
    let Some((c, sep)) = residue(s) else {
        return false;
    };
    let hrp = s.get(..sep).unwrap_or("");
    if !hrp.eq_ignore_ascii_case("bc") && !hrp.eq_ignore_ascii_case("tb") {
        return false;
    }
    let data = s.as_bytes().get(sep + 1..).unwrap_or(&[]);
    // Witness version, program, 6 checksum characters.
    let Some(prog_len5) = data.len().checked_sub(7) else {
        return false;
    };
    let Some(ver) = data.first().and_then(|&b| value(b)) else {
        return false;
    };
    if ver > 16 {
        return false;
    }
    // 5-bit groups to bytes; padding must be < 5 bits and zero.
    let bits = prog_len5 * 5;
    let prog_len = bits / 8;
    if bits % 8 >= 5 {
        return false;
    }
    if bits % 8 != 0 {
        let last = data.get(prog_len5).and_then(|&b| value(b)).unwrap_or(1);
        let pad = bits % 8;
        if last & ((1u8 << pad) - 1) != 0 {
            return false;
        }
    }
    match ver {
        0 => c == BECH32 && (prog_len == 20 || prog_len == 32),
        _ => c == BECH32M && (2..=40).contains(&prog_len),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bip_vectors() {
        assert!(is_segwit_address(
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
        ));
        assert!(is_segwit_address(
            "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"
        ));
        assert!(is_segwit_address(
            "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3"
        ));
        assert!(is_segwit_address(
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"
        ));
        assert!(is_segwit_address(
            "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx"
        ));
        // Changed character, mixed case, v0 with bech32m checksum.
        assert!(!is_segwit_address(
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"
        ));
        assert!(!is_segwit_address(
            "bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
        ));
        assert!(!is_segwit_address(
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd"
        ));
        assert!(is_valid_str("a12uel5l"));
        assert!(!is_valid_str("a12uel5m"));
        assert!(!is_segwit_address(""));
    }
}
