//! GitHub token checksum: the last 6 characters of a `ghp_`/`gho_`/`ghu_`/
//! `ghs_`/`ghr_` token are the CRC32 of the 30 random characters before
//! them, written in base62 (`0-9A-Za-z`) and left-padded with `0`.

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Whether `body` (the 36 characters after the `ghp_` prefix) carries a
/// valid checksum.
pub(crate) fn classic_checksum_ok(body: &[u8]) -> bool {
    if body.len() != 36 || !body.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let (random, check) = body.split_at(30);
    let mut n = crc32fast::hash(random);
    let mut enc = [b'0'; 6];
    for slot in enc.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    // A CRC32 needs at most 6 base62 digits (62^6 > 2^32).
    enc == check
}

#[cfg(test)]
mod tests {
    use super::*;

    fn make(random: &[u8; 30]) -> Vec<u8> {
        let mut n = crc32fast::hash(random);
        let mut enc = [b'0'; 6];
        for slot in enc.iter_mut().rev() {
            *slot = BASE62[(n % 62) as usize];
            n /= 62;
        }
        let mut v = random.to_vec();
        v.extend_from_slice(&enc);
        v
    }

    #[test]
    fn valid_and_invalid() {
        let body = make(b"Zq8VtB3kLm0pR7sYwXc2Nd5Hf9Ge1J");
        assert!(classic_checksum_ok(&body));
        let mut bad = body.clone();
        bad[35] = if bad[35] == b'a' { b'b' } else { b'a' };
        assert!(!classic_checksum_ok(&bad));
        assert!(!classic_checksum_ok(b"short"));
    }

    #[test]
    fn known_shape() {
        // A synthetic token, computed independently (Python zlib.crc32 + base62).
        assert!(classic_checksum_ok(b"FZto2M00C678u6WGXP15xnXLdqXuzx0ovtFU"));
    }
}
