use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Deserializer, Serialize};

use crate::SpanError;

/// A half-open UTF-8 byte range `start..end` of a scanned text.
///
/// Invariant: `start <= end`. [`Span::in_text`] additionally checks that both
/// offsets lie on character boundaries of a given text, which is what every
/// span produced by a DeepSentinel detector guarantees for the text it scanned.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    start: usize,
    end: usize,
}

impl Span {
    /// Makes a span, checking only that `start <= end`.
    pub fn new(start: usize, end: usize) -> Result<Span, SpanError> {
        if start > end {
            return Err(SpanError::Reversed { start, end });
        }
        Ok(Span { start, end })
    }

    /// Makes a span and checks that it lies within `text` on UTF-8 character
    /// boundaries, so `&text[span.range()]` cannot panic.
    pub fn in_text(text: &str, start: usize, end: usize) -> Result<Span, SpanError> {
        let span = Span::new(start, end)?;
        span.check(text)?;
        Ok(span)
    }

    /// Checks that this span lies within `text` on character boundaries.
    pub fn check(&self, text: &str) -> Result<(), SpanError> {
        if self.end > text.len() {
            return Err(SpanError::OutOfBounds {
                end: self.end,
                len: text.len(),
            });
        }
        for offset in [self.start, self.end] {
            if !text.is_char_boundary(offset) {
                return Err(SpanError::NotCharBoundary { offset });
            }
        }
        Ok(())
    }

    /// The first byte of the span.
    pub fn start(&self) -> usize {
        self.start
    }

    /// One past the last byte of the span.
    pub fn end(&self) -> usize {
        self.end
    }

    /// `end - start`.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The span as a `Range`, for slicing.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// Whether the two spans share at least one byte.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Whether `other` lies entirely within this span.
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The same span moved `by` bytes to the right (for spans found in a
    /// slice of a larger text). Returns `None` on overflow.
    pub fn offset(&self, by: usize) -> Option<Span> {
        Some(Span {
            start: self.start.checked_add(by)?,
            end: self.end.checked_add(by)?,
        })
    }

    /// The text covered by this span, or `None` if it does not lie on
    /// character boundaries of `text`.
    pub fn slice<'t>(&self, text: &'t str) -> Option<&'t str> {
        text.get(self.range())
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl<'de> Deserialize<'de> for Span {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Span, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            start: usize,
            end: usize,
        }
        let raw = Raw::deserialize(d)?;
        Span::new(raw.start, raw.end).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_reversed() {
        assert_eq!(
            Span::new(3, 2),
            Err(SpanError::Reversed { start: 3, end: 2 })
        );
    }

    #[test]
    fn checks_char_boundaries() {
        let text = "é1"; // 'é' is two bytes
        assert!(Span::in_text(text, 0, 2).is_ok());
        assert_eq!(
            Span::in_text(text, 1, 3),
            Err(SpanError::NotCharBoundary { offset: 1 })
        );
        assert_eq!(
            Span::in_text(text, 0, 4),
            Err(SpanError::OutOfBounds { end: 4, len: 3 })
        );
    }

    #[test]
    fn overlap_and_containment() {
        let a = Span::new(0, 5).expect("ordered");
        let b = Span::new(4, 9).expect("ordered");
        let c = Span::new(5, 9).expect("ordered");
        assert!(a.overlaps(&b));
        assert!(!a.overlaps(&c));
        assert!(b.contains(&c));
        assert!(!c.contains(&b));
    }

    #[test]
    fn deserialize_validates_order() {
        let ok: Span = serde_json::from_str(r#"{"start":1,"end":2}"#).expect("valid span");
        assert_eq!(ok.range(), 1..2);
        assert!(serde_json::from_str::<Span>(r#"{"start":3,"end":2}"#).is_err());
    }
}
