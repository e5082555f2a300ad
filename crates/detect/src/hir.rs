//! Helpers over parsed regexes.

use regex_syntax::hir::{
    Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind,
    Literal, Repetition,
};

/// `h` restricted to the matches made of ASCII bytes only: non-ASCII
/// literals fail, classes lose their non-ASCII members. Every match of the
/// result is a match of `h` and every all-ASCII match of `h` is one of the
/// result, with the same preference among alternatives, so on an ASCII
/// text both find the same leftmost-first matches.
pub(crate) fn ascii_only(h: &Hir) -> Hir {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => h.clone(),
        HirKind::Literal(Literal(bytes)) => {
            if bytes.is_ascii() {
                h.clone()
            } else {
                Hir::fail()
            }
        }
        HirKind::Class(Class::Unicode(c)) => {
            let mut c = c.clone();
            c.intersect(&ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7f')]));
            Hir::class(Class::Unicode(c))
        }
        HirKind::Class(Class::Bytes(c)) => {
            let mut c = c.clone();
            c.intersect(&ClassBytes::new([ClassBytesRange::new(0, 0x7f)]));
            Hir::class(Class::Bytes(c))
        }
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            sub: Box::new(ascii_only(&r.sub)),
            ..r.clone()
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            sub: Box::new(ascii_only(&c.sub)),
            ..c.clone()
        }),
        HirKind::Concat(xs) => Hir::concat(xs.iter().map(ascii_only).collect()),
        HirKind::Alternation(xs) => Hir::alternation(xs.iter().map(ascii_only).collect()),
    }
}

/// A pattern for a quick "no match" test on the original of a text that
/// was transformed byte for byte, run over the original's *keys*.
///
/// `maps_to(r, f)` says whether an original byte `r` may have become `f`;
/// `key` maps each original byte to a key byte. The result matches
/// `key(r)` (byte by byte) for every ASCII text `r` of which some
/// transform `f` (`maps_to(r[i], f[i])` at every position) matches `h` at
/// the same place: each class or literal byte `C` becomes the keys of the
/// bytes that may map into `C`, and look-around assertions are dropped. So
/// it matches more, never less: when it finds nothing in `key(r)`, `h`
/// finds nothing in any such `f`. With a `key` that merges what the
/// transform merges (case, say), most classes stay single bytes and the
/// pattern keeps the size of `h`. `h` must be ASCII-only (see
/// [`ascii_only`]); non-ASCII members are ignored.
pub(crate) fn keyed_preimage(
    h: &Hir,
    maps_to: &dyn Fn(u8, u8) -> bool,
    key: &dyn Fn(u8) -> u8,
) -> Hir {
    // `keys[f]`: the keys of the bytes that may map to the ASCII byte `f`,
    // a bit each.
    let mut keys = [0u128; 0x80];
    for (f, set) in (0u8..).zip(keys.iter_mut()) {
        for r in 0u8..0x80 {
            if maps_to(r, f) {
                *set |= 1u128 << (key(r) & 0x7f);
            }
        }
    }
    keyed_with(h, &keys)
}

fn keyed_with(h: &Hir, keys: &[u128; 0x80]) -> Hir {
    // The class of the keys of the bytes that may map into `into`.
    let class = |into: &mut dyn Iterator<Item = u32>| {
        let set = into
            .filter_map(|f| keys.get(f as usize))
            .fold(0u128, |a, s| a | s);
        let ranges = (0u8..0x80)
            .filter(|&r| set & (1u128 << r) != 0)
            .map(|r| ClassBytesRange::new(r, r));
        Hir::class(Class::Bytes(ClassBytes::new(ranges)))
    };
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => Hir::empty(),
        HirKind::Literal(Literal(bytes)) => Hir::concat(
            bytes
                .iter()
                .map(|&b| class(&mut std::iter::once(u32::from(b))))
                .collect(),
        ),
        HirKind::Class(c) => {
            let ranges: Vec<(u32, u32)> = match c {
                Class::Unicode(c) => c
                    .ranges()
                    .iter()
                    .map(|r| (u32::from(r.start()), u32::from(r.end())))
                    .collect(),
                Class::Bytes(c) => c
                    .ranges()
                    .iter()
                    .map(|r| (u32::from(r.start()), u32::from(r.end())))
                    .collect(),
            };
            // Its ASCII members (an empty range for the rest).
            class(
                &mut ranges
                    .into_iter()
                    .flat_map(|(a, b)| a.min(0x80)..=b.min(0x7f)),
            )
        }
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            sub: Box::new(keyed_with(&r.sub, keys)),
            ..r.clone()
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            sub: Box::new(keyed_with(&c.sub, keys)),
            ..c.clone()
        }),
        HirKind::Concat(xs) => Hir::concat(xs.iter().map(|x| keyed_with(x, keys)).collect()),
        HirKind::Alternation(xs) => {
            Hir::alternation(xs.iter().map(|x| keyed_with(x, keys)).collect())
        }
    }
}

/// Appends a random string matching `h`, for tests (look-arounds are
/// ignored: a sample may not match). Class members are mostly drawn from
/// the class's ASCII part.
#[cfg(test)]
pub(crate) fn sample(h: &Hir, rng: &mut crate::testrand::Rng, out: &mut Vec<u8>) {
    // A random member of the ranges `(start, end)`, from their ASCII
    // part three times in four when they have one.
    let pick = |ranges: Vec<(u32, u32)>, rng: &mut crate::testrand::Rng| {
        let ascii: Vec<(u32, u32)> = ranges
            .iter()
            .filter(|r| r.0 < 0x80)
            .map(|&(a, b)| (a, b.min(0x7f)))
            .collect();
        let from = if !ascii.is_empty() && rng.below(4) > 0 {
            ascii
        } else {
            ranges
        };
        let &(a, b) = from.get(rng.below(from.len().max(1)))?;
        Some(a + rng.below((b - a + 1) as usize) as u32)
    };
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(Literal(b)) => out.extend_from_slice(b),
        HirKind::Class(Class::Unicode(c)) => {
            let ranges = c.ranges().iter();
            let ranges = ranges.map(|r| (u32::from(r.start()), u32::from(r.end())));
            if let Some(ch) = pick(ranges.collect(), rng).and_then(char::from_u32) {
                out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
            }
        }
        HirKind::Class(Class::Bytes(c)) => {
            let ranges = c.ranges().iter();
            let ranges = ranges.map(|r| (u32::from(r.start()), u32::from(r.end())));
            if let Some(b) = pick(ranges.collect(), rng).and_then(|b| u8::try_from(b).ok()) {
                out.push(b);
            }
        }
        HirKind::Repetition(r) => {
            let max = r.max.unwrap_or(r.min + 3).min(r.min + 3);
            let n = r.min + rng.below((max - r.min + 1) as usize) as u32;
            for _ in 0..n {
                sample(&r.sub, rng, out);
            }
        }
        HirKind::Capture(c) => sample(&c.sub, rng, out),
        HirKind::Concat(xs) => xs.iter().for_each(|x| sample(x, rng, out)),
        HirKind::Alternation(xs) => {
            if let Some(x) = xs.get(rng.below(xs.len())) {
                sample(x, rng, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Hir {
        let mut parser = regex_syntax::ParserBuilder::new().utf8(false).build();
        parser.parse(s).expect("parse")
    }

    #[test]
    fn ascii_only_drops_non_ascii_members_and_literals() {
        assert_eq!(
            ascii_only(&parse(r"(?-u:[A\xC0-\xFF])b")),
            parse(r"(?-u:[A])b")
        );
        assert_eq!(ascii_only(&parse(r"(?-u:[\x80-\xFF])")), Hir::fail());
        assert_eq!(ascii_only(&parse("[a-zé-ü]")), parse("[a-z]"));
        assert_eq!(ascii_only(&parse("[é-ü]")), Hir::fail());
        assert_eq!(ascii_only(&parse("é")), Hir::fail());
        assert_eq!(ascii_only(&parse(r"(?-u:\b)x+")), parse(r"(?-u:\b)x+"));
    }

    #[test]
    fn keyed_preimage_maps_every_member_to_its_keys_and_drops_look_arounds() {
        // Upper case maps to lower case; `0` may stand for `o`.
        let maps = |r: u8, f: u8| r.to_ascii_lowercase() == f || (r == b'0' && f == b'o');
        let same = |r: u8| r;
        assert_eq!(
            keyed_preimage(&parse(r"(?-u:\b)no[a-c]+$"), &maps, &same),
            parse(r"(?-u:[Nn][Oo0][a-cA-C]+)")
        );
        assert_eq!(
            keyed_preimage(&parse("[x-z]|q"), &maps, &same),
            parse("(?-u:[x-zX-Z]|[qQ])")
        );
        // Keyed by the transform itself, letters stay single bytes.
        let key = |r: u8| {
            if r == b'0' {
                b'o'
            } else {
                r.to_ascii_lowercase()
            }
        };
        assert_eq!(
            keyed_preimage(&parse(r"(?-u:\b)no[a-c]+$"), &maps, &key),
            parse(r"(?-u:no[a-c]+)")
        );
        // A digit class takes the keys of the digits: `0` is keyed `o`.
        assert_eq!(
            keyed_preimage(&parse("[0-2]"), &maps, &key),
            parse("(?-u:[12o])")
        );
    }
}
