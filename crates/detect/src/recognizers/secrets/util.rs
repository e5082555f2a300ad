//! Byte-level helpers shared by the secret recognizers.

/// Characters of base64url tokens (`A-Za-z0-9_-`).
pub(super) fn is_b64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Characters of standard base64 (`A-Za-z0-9+/`).
pub(super) fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

/// Lower-case hex digits.
pub(super) fn is_lower_hex(b: u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
}

/// The end of the run of bytes satisfying `f` starting at `from`, looking
/// at no more than `max + 1` bytes (so a caller can tell "too long").
pub(super) fn run_end(bytes: &[u8], from: usize, max: usize, f: impl Fn(u8) -> bool) -> usize {
    let mut i = from;
    let lim = from.saturating_add(max + 1).min(bytes.len());
    while i < lim {
        match bytes.get(i) {
            Some(&b) if f(b) => i += 1,
            _ => break,
        }
    }
    i
}

/// Whether the byte before `pos` is an ASCII letter or digit.
pub(super) fn alnum_before(bytes: &[u8], pos: usize) -> bool {
    pos > 0 && bytes.get(pos - 1).is_some_and(u8::is_ascii_alphanumeric)
}

/// Whether the byte at `pos` is an ASCII letter or digit.
pub(super) fn alnum_at(bytes: &[u8], pos: usize) -> bool {
    bytes.get(pos).is_some_and(u8::is_ascii_alphanumeric)
}

/// Character classes present: (lower, upper, digit, other).
pub(super) fn classes(v: &[u8]) -> (bool, bool, bool, bool) {
    let mut c = (false, false, false, false);
    for &b in v {
        if b.is_ascii_lowercase() {
            c.0 = true;
        } else if b.is_ascii_uppercase() {
            c.1 = true;
        } else if b.is_ascii_digit() {
            c.2 = true;
        } else {
            c.3 = true;
        }
    }
    c
}

/// Number of classes present.
pub(super) fn class_count(v: &[u8]) -> usize {
    let c = classes(v);
    usize::from(c.0) + usize::from(c.1) + usize::from(c.2) + usize::from(c.3)
}

/// Shannon entropy in bits per byte.
pub(super) fn entropy(v: &[u8]) -> f32 {
    if v.is_empty() {
        return 0.0;
    }
    let mut counts = [0u16; 256];
    for &b in v {
        counts[b as usize] = counts[b as usize].saturating_add(1);
    }
    let len = v.len() as f32;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f32::from(c) / len;
            -p * p.log2()
        })
        .sum()
}

/// Case-insensitive substring test over ASCII.
pub(super) fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    if needle.len() > hay.len() {
        return false;
    }
    // The first byte decides most windows (one compare instead of a
    // slice comparison).
    let first = first.to_ascii_lowercase();
    hay.windows(needle.len()).any(|w| {
        w.split_first()
            .is_some_and(|(&a, r)| a.to_ascii_lowercase() == first && r.eq_ignore_ascii_case(rest))
    })
}

/// All [`PLACEHOLDER_PARTS`] in one automaton: one pass over a value instead
/// of one per fragment (this check runs for every candidate value).
static PLACEHOLDER_MATCHER: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(PLACEHOLDER_PARTS)
            .ok()
    });

/// Placeholder fragments: a value containing one of these is not a live
/// secret (templates, env references, masks, doc examples).
const PLACEHOLDER_PARTS: &[&[u8]] = &[
    b"xxxx",
    b"****",
    b"...",
    b"\xe2\x80\xa6",
    b"your",
    b"example",
    b"placeholder",
    b"changeme",
    b"change_me",
    b"change-me",
    b"changeit",
    b"redacted",
    b"${",
    b"{{",
    b"}}",
    b"env(",
    b"getenv",
    b"environ",
    b"process.env",
    b"dummy",
    b"sample",
    b"<",
    b">",
    b"fixme",
    b"todo",
    b"insert",
    b"replace",
    b"lorem",
    b"notreal",
    b"not-a-real",
    b"not_a_real",
    b"fake",
];

/// Whole values that are never secrets.
const PLACEHOLDER_WORDS: &[&[u8]] = &[
    b"null",
    b"none",
    b"nil",
    b"true",
    b"false",
    b"undefined",
    b"password",
    b"passwd",
    b"secret",
    b"string",
    b"empty",
    b"n/a",
    b"tbd",
    b"required",
    b"optional",
    b"hidden",
    b"masked",
    b"token",
    b"bearer",
    b"basic",
    b"private",
];

/// Whether `v` is a placeholder, template or reference rather than a value.
pub(super) fn is_placeholder(v: &[u8]) -> bool {
    if v.is_empty() {
        return true;
    }
    if matches!(
        v.first(),
        Some(b'$' | b'%' | b'@' | b'!' | b'&' | b'*' | b'|' | b'>')
    ) && !v
        .get(1..)
        .is_some_and(|r| r.len() >= 8 && class_count(r) >= 3)
    {
        return true;
    }
    // String interpolation (`f"{user}_{env}"`, `%(pw)s`).
    // (`%s` / `%(` by the `%` bytes only: most values have none.)
    let percent =
        || memchr::memchr_iter(b'%', v).any(|i| matches!(v.get(i + 1), Some(b's' | b'S' | b'(')));
    if v.contains(&b'{') && v.contains(&b'}') || percent() {
        return true;
    }
    if PLACEHOLDER_WORDS.iter().any(|w| v.eq_ignore_ascii_case(w)) {
        return true;
    }
    if PLACEHOLDER_MATCHER
        .as_ref()
        .is_some_and(|ac| ac.is_match(v))
    {
        return true;
    }
    // One repeated character (`aaaaaaaa`, `00000000`).
    v.iter().all(|&b| Some(&b) == v.first())
}

/// Whether `v` looks like a hash, an id or another non-secret token that
/// shows up next to credential words: hex digests (24 = ObjectId, 40 =
/// SHA-1/git, 64 = SHA-256, 128 = SHA-512), UUIDs, URLs, data URIs,
/// subresource-integrity strings, Google OAuth client ids, Stripe
/// publishable keys, public keys.
pub(super) fn is_known_non_secret(v: &[u8]) -> bool {
    let all_hex = v.iter().all(u8::is_ascii_hexdigit);
    if all_hex && matches!(v.len(), 24 | 40 | 64 | 128) {
        return true;
    }
    if is_uuid(v) {
        return true;
    }
    const PARTS: &[&[u8]] = &[
        b"://",
        b"data:",
        b".apps.googleusercontent.com",
        b"ssh-rsa",
        b"ssh-ed25519",
        b"ecdsa-sha2",
        b"public key",
    ];
    if PARTS.iter().any(|p| contains_ci(v, p)) {
        return true;
    }
    const PREFIXES: &[&[u8]] = &[
        b"sha512-",
        b"sha384-",
        b"sha256-",
        b"sha1-",
        b"pk_live_",
        b"pk_test_",
        b"md5-",
    ];
    PREFIXES
        .iter()
        .any(|p| v.len() >= p.len() && v.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p)))
}

/// 8-4-4-4-12 hex.
pub(super) fn is_uuid(v: &[u8]) -> bool {
    v.len() == 36
        && v.iter().enumerate().all(|(i, &b)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                b == b'-'
            } else {
                b.is_ascii_hexdigit()
            }
        })
}

/// Token bodies that are masks or fillers: runs of one character, or the
/// placeholder fragments above.
pub(super) fn body_is_filler(v: &[u8]) -> bool {
    if is_placeholder(v) {
        return true;
    }
    // A random body has many distinct characters.
    let mut seen = [false; 128];
    let mut distinct = 0;
    for &b in v {
        if let Some(s) = seen.get_mut(b as usize) {
            if !*s {
                *s = true;
                distinct += 1;
            }
        }
    }
    distinct < (v.len() / 4).clamp(4, 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `contains_ci` agrees with the plain window comparison, and the `%`
    /// shortcut of `is_placeholder` with the two substring tests it stands
    /// for.
    #[test]
    fn contains_ci_matches_windows() {
        fn reference(hay: &[u8], needle: &[u8]) -> bool {
            if needle.is_empty() || needle.len() > hay.len() {
                return needle.is_empty();
            }
            hay.windows(needle.len())
                .any(|w| w.eq_ignore_ascii_case(needle))
        }
        let alphabet = b"aAbB%sS(x";
        let mut rng = crate::testrand::Rng::new(0x0f1e_2d3c_4b5a_6978);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..20_000 {
            let hay: Vec<u8> = (0..next(12))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let needle: Vec<u8> = (0..next(4))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            assert_eq!(
                contains_ci(&hay, &needle),
                reference(&hay, &needle),
                "{hay:?} {needle:?}"
            );
            let percent = memchr::memchr_iter(b'%', &hay)
                .any(|i| matches!(hay.get(i + 1), Some(b's' | b'S' | b'(')));
            assert_eq!(
                percent,
                reference(&hay, b"%s") || reference(&hay, b"%("),
                "{hay:?}"
            );
        }
    }

    #[test]
    fn placeholders() {
        assert!(is_placeholder(b"YOUR_API_KEY"));
        assert!(is_placeholder(b"${DB_PASSWORD}"));
        assert!(is_placeholder(b"<your-api-key-here>"));
        assert!(is_placeholder(b"********"));
        assert!(is_placeholder(b"null"));
        assert!(is_placeholder(b"$SECRET_KEY"));
        assert!(!is_placeholder(b"Harbor%1121cobalt"));
        assert!(!is_placeholder(b"$8fQz!kP2vL9x"));
    }

    #[test]
    fn non_secrets() {
        assert!(is_known_non_secret(b"6f48b3ca-3973-4bff-811a-9250702288a3"));
        assert!(is_known_non_secret(
            b"7504ebc5a7efde15cd5cfb69165275fafcc10a14"
        ));
        assert!(!is_known_non_secret(b"0d42a210d1c938c5c61b4e6408ea00e2"));
    }

    #[test]
    fn runs() {
        assert_eq!(run_end(b"abc-def", 0, 10, |b| b.is_ascii_alphabetic()), 3);
        assert_eq!(run_end(b"abcdef", 0, 2, |b| b.is_ascii_alphabetic()), 3);
    }
}
