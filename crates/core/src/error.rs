use thiserror::Error;

/// Why a [`Span`](crate::Span) could not be made.
///
/// Offsets are reported; the text itself never is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SpanError {
    /// `start` was greater than `end`.
    #[error("span start {start} is after its end {end}")]
    Reversed {
        /// The offending start offset.
        start: usize,
        /// The offending end offset.
        end: usize,
    },
    /// `end` lies beyond the end of the text.
    #[error("span end {end} is beyond the text length {len}")]
    OutOfBounds {
        /// The offending end offset.
        end: usize,
        /// The length of the text in bytes.
        len: usize,
    },
    /// An offset falls inside a multi-byte UTF-8 character.
    #[error("span offset {offset} is not on a UTF-8 character boundary")]
    NotCharBoundary {
        /// The offending offset.
        offset: usize,
    },
}
