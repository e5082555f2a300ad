//! IBAN_CODE: compact (`DE89370400440532013000`) or in groups of four
//! (`DE89 3704 0044 0532 0130 00`), validated by the per-country length
//! and the mod-97 check.

use deepsentinel_core::EntityType;

use crate::context::{Kw, KwSet};
use crate::engine::{Ctx, Hit, Module, Out, PendingFinding, Shape, prio};
use crate::text;
use crate::validate::iban;

pub(crate) struct Iban;

const GROUPED: u32 = 0;
const COMPACT: u32 = 1;

impl Module for Iban {
    fn name(&self) -> &'static str {
        "iban"
    }

    fn types(&self) -> &'static [EntityType] {
        &[EntityType::IbanCode]
    }

    fn shapes(&self) -> Vec<Shape> {
        vec![
            // Only the head of a grouped IBAN: the handler reads on to the
            // length the country needs, so the shape never swallows what
            // follows. Typed by hand, grouped IBANs are also written in
            // lower case (`de89 3704 …`); the checksum is case-blind.
            Shape::new(
                GROUPED,
                prio::IBAN,
                r"[A-Za-z]{2}[0-9]{2}[ \-][0-9A-Za-z]{4}[ \-][0-9A-Za-z]{4}",
            ),
            Shape::new(
                COMPACT,
                prio::TOKEN,
                r"(?-u:\b)[A-Z]{2}[0-9]{2}[0-9A-Z]{11,30}(?-u:\b)",
            ),
        ]
    }

    fn on_shape(&self, shape: u32, hit: Hit, ctx: &Ctx<'_>, out: &mut Out<'_>) {
        let t = ctx.text;
        let Some(end) = read(t, hit.start, shape == GROUPED) else {
            return;
        };
        let score = if ctx
            .keywords
            .near(hit.start, end, 48, KwSet::of(&[Kw::Iban, Kw::Account]))
        {
            0.99
        } else {
            0.95
        };
        out.push(
            t,
            PendingFinding::new(EntityType::IbanCode, hit.start, end, score, "iban").subtype(
                if shape == GROUPED {
                    "grouped"
                } else {
                    "compact"
                },
            ),
        );
    }
}

/// The end of a valid IBAN starting at `start` (not glued to a letter or
/// digit before or after), compact or, with `grouped`, in groups of four
/// separated by one kind of separator (space or dash).
fn read(t: &str, start: usize, grouped: bool) -> Option<usize> {
    if text::char_before(t, start).is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    let bytes = t.as_bytes();
    let (&c0, &c1) = (bytes.get(start)?, bytes.get(start + 1)?);
    let len = iban::country_length([c0.to_ascii_uppercase(), c1.to_ascii_uppercase()])?;
    let mut buf = [0u8; 34];
    let mut n = 0;
    let mut end = start;
    let mut sep: Option<u8> = None;
    let mut i = start;
    while n < len {
        let Some(&b) = bytes.get(i) else { break };
        if b.is_ascii_digit() || b.is_ascii_alphabetic() {
            if let Some(slot) = buf.get_mut(n) {
                *slot = b.to_ascii_uppercase();
            }
            n += 1;
            i += 1;
            end = i;
        } else if grouped && (b == b' ' || b == b'-') && sep.is_none_or(|s| s == b) {
            // Separators only between groups of four.
            if n % 4 != 0 {
                return None;
            }
            sep = Some(b);
            i += 1;
        } else {
            break;
        }
    }
    if n != len || text::char_at(t, end).is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    iban::is_valid_compact(buf.get(..n)?).then_some(end)
}

/// Whether `start..end` (a number the numeric module found) lies inside a
/// valid grouped IBAN: the tail groups of `PL34 6102 0866 4020 1769 3540
/// 0180` pass a card's Luhn check one time in ten.
pub(crate) fn inside_grouped(t: &str, start: usize, end: usize) -> bool {
    let b = t.as_bytes();
    // The groups before must be glued to the number by a separator.
    if !matches!(
        start.checked_sub(1).and_then(|i| b.get(i)),
        Some(b' ' | b'-')
    ) {
        return false;
    }
    // An IBAN is at most 34 characters in 9 groups: its start lies within
    // 42 bytes before the number's end.
    let lo = end.saturating_sub(42);
    (lo..start).any(|p| {
        matches!(b.get(p..p + 4), Some(&[c0, c1, d0, d1])
            if c0.is_ascii_alphabetic()
                && c1.is_ascii_alphabetic()
                && d0.is_ascii_digit()
                && d1.is_ascii_digit())
            && read(t, p, true).is_some_and(|e| e >= end)
    })
}
