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
}
