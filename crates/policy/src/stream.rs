//! A streaming-safe transform for model replies that arrive as text deltas.
//!
//! A model reply streamed over SSE arrives as many small deltas, split
//! wherever the provider liked. A secret, a PII value or a placeholder such
//! as `<EMAIL_1>` can straddle two deltas, so transforming each delta on its
//! own would miss values and leave placeholders unrestored. This module
//! transforms the text in *segments* instead, and guarantees:
//!
//! > For every way of splitting a text into deltas, the concatenated output
//! > of a [`TransformStream`] is byte-identical to [`transform_whole`] of the
//! > whole text.
//!
//! The guarantee holds by construction: both paths cut the text into the
//! same segments by a rule that looks only at the text's content (never at
//! where the deltas were split), and hand each segment, and nothing else, to
//! the caller's [`SegmentTransform`]. The per-segment transform (scan,
//! redact, restore placeholders) is not part of this module.
//!
//! # The segment rule
//!
//! Segments are cut one after the other from the start of the text. Let
//! `max` be [`StreamConfig::max_segment`] and let the *rest* be the text not
//! yet cut. The next segment is found by reading the rest one character at a
//! time from its start:
//!
//! 1. **Paragraph break.** A paragraph break is a `'\n'` followed by zero or
//!    more spaces, tabs or `'\r'` and another `'\n'` (so `"\n\n"`,
//!    `"\r\n\r\n"` and `"\n \t\n"` are breaks). A break *run* goes on over
//!    every further space, tab, `'\r'` and `'\n'`; it ends at the first other
//!    character, at the end of the text, or where the window of rule 2 is
//!    full. The segment ends right after the **last `'\n'` of the run**
//!    (spaces, tabs or `'\r'` after that `'\n'` begin the next segment).
//!    Only breaks that lie wholly inside the segment count: the scan starts
//!    afresh at each segment's start.
//! 2. **Forced cut.** The window is full when the characters read so far
//!    total `max` bytes, or when the next character would take them past
//!    `max` bytes. If no break has been found by then, the segment ends right
//!    after the **last whitespace character** ([`char::is_whitespace`], so
//!    also e.g. U+3000 or U+00A0) inside the window; if the window holds no
//!    whitespace, it ends at the window's end, the last character boundary at
//!    or before `max` bytes.
//! 3. **End of text.** If the text ends before 1 or 2 apply, the rest is the
//!    last segment.
//!
//! So a segment is never longer than `max` bytes and never empty, the
//! segments concatenate to the text, and a segment's end depends only on the
//! text from the segment's start up to at most `max` bytes further on.
//!
//! # Limits
//!
//! Values and placeholders never contain a blank line, so cutting at
//! paragraph breaks loses nothing. Forced cuts can:
//!
//! - a value longer than `max_segment` bytes (the default, 4096, is the
//!   longest value the scanner reports, e.g. a PEM private key), or a value
//!   that straddles a forced cut (a long run of text without blank lines in
//!   which the value sits across the last whitespace of a full window), is
//!   split across two segments and may be missed;
//! - the scanner's context (keywords near a value, e.g. `password:` on the
//!   line before) does not cross segment boundaries.
//!
//! Both limits apply identically to the streaming and the whole-text path,
//! which is what keeps their outputs equal.
//!
//! # Hold-back
//!
//! A [`TransformStream`] holds back only the current unfinished segment:
//! after every push, [`TransformStream::held_back`] is below `max_segment`
//! bytes. Each segment's transformed text is emitted as soon as the
//! segment's end is known; [`TransformStream::finish`] flushes the rest.
//! [`TransformStream::push_bytes`] additionally carries at most 3 bytes of a
//! character split across byte chunks.
//!
//! # Errors
//!
//! A transform error (a policy's *block* decision arrives this way) ends the
//! stream: the push returns [`StreamError::Transform`], nothing of the failed
//! segment or after it is emitted, and every later call returns
//! [`StreamError::Ended`]. Errors carry byte offsets, never text.
//!
//! # Example
//!
//! ```
//! use deepsentinel_policy::stream::{transform_whole, StreamConfig, TransformStream};
//!
//! // A toy transform: upper-case each segment.
//! let upper = |seg: &str, out: &mut String| -> Result<(), std::convert::Infallible> {
//!     out.push_str(&seg.to_uppercase());
//!     Ok(())
//! };
//! let config = StreamConfig::builder().max_segment(64).build()?;
//! let text = "Hello, Ada.\n\nYour key is sk-\u{1F511}-42.";
//!
//! let mut stream = TransformStream::new(upper, &config);
//! let mut out = String::new();
//! for delta in ["Hel", "lo, Ada.\n", "\nYour key", " is sk-\u{1F511}", "-42."] {
//!     stream.push(delta, &mut out)?;
//!     assert!(stream.held_back() < config.max_segment());
//! }
//! stream.finish(&mut out)?;
//!
//! let mut whole = upper;
//! assert_eq!(out, transform_whole(&mut whole, text, &config)?);
//! assert_eq!(out, "HELLO, ADA.\n\nYOUR KEY IS SK-\u{1F511}-42.");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

/// The default [`StreamConfig::max_segment`]: 4096 bytes, the longest value
/// the scanner reports (e.g. a PEM private key).
pub const DEFAULT_MAX_SEGMENT: usize = 4096;

/// The smallest accepted [`StreamConfig::max_segment`].
pub const MIN_MAX_SEGMENT: usize = 64;

/// The per-segment transform a caller supplies (scan, redact values,
/// restore placeholders...).
///
/// It is called once per segment, in text order, with nothing but that
/// segment. Closures `FnMut(&str, &mut String) -> Result<(), E>` implement
/// it (annotate the parameter types so the closure accepts any lifetime).
pub trait SegmentTransform {
    /// The error that ends a stream (e.g. a policy's block decision).
    type Error: std::error::Error + Send + Sync + 'static;

    /// Appends the transformed `segment` to `out`.
    ///
    /// On error, whatever was appended to `out` during this call is
    /// discarded by the caller of this trait.
    fn transform(&mut self, segment: &str, out: &mut String) -> Result<(), Self::Error>;
}

impl<F, E> SegmentTransform for F
where
    F: FnMut(&str, &mut String) -> Result<(), E>,
    E: std::error::Error + Send + Sync + 'static,
{
    type Error = E;

    fn transform(&mut self, segment: &str, out: &mut String) -> Result<(), E> {
        self(segment, out)
    }
}

/// An invalid stream configuration; names the offending field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// `max-segment` is below [`MIN_MAX_SEGMENT`].
    #[error("max-segment: {value} is below the minimum of {min} bytes")]
    MaxSegmentTooSmall {
        /// The value given.
        value: usize,
        /// The minimum accepted.
        min: usize,
    },
}

/// Why a stream (or [`transform_whole`]) failed. Carries byte offsets, never
/// text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StreamError<E> {
    /// The segment transform failed on the segment starting at byte `offset`
    /// of the text. The stream has ended.
    #[error("segment transform failed on the segment starting at byte {offset}")]
    Transform {
        /// Byte offset of the failed segment's start in the whole text.
        offset: usize,
        /// The transform's error.
        #[source]
        source: E,
    },
    /// The bytes pushed with [`TransformStream::push_bytes`] are not UTF-8
    /// from byte `offset` of the stream on (or end inside a character, when
    /// returned by [`TransformStream::finish`]). Everything before `offset`
    /// was accepted.
    #[error("invalid UTF-8 at byte offset {offset}")]
    InvalidUtf8 {
        /// Byte offset of the first byte of the invalid (or incomplete)
        /// sequence, counted over all text accepted by the stream.
        offset: usize,
    },
    /// The stream has ended (finished, or a transform failed); nothing more
    /// is accepted.
    #[error("the stream has ended")]
    Ended,
}

/// Validated settings of the segment rule. Build one with
/// [`StreamConfig::builder`], or deserialize it (`{"max-segment": 4096}`,
/// validated on the way in); [`Default`] gives [`DEFAULT_MAX_SEGMENT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "RawStreamConfig", into = "RawStreamConfig")]
pub struct StreamConfig {
    max_segment: usize,
}

/// The serde form of [`StreamConfig`], validated by `TryFrom`.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawStreamConfig {
    #[serde(default = "default_max_segment")]
    max_segment: usize,
}

fn default_max_segment() -> usize {
    DEFAULT_MAX_SEGMENT
}

impl TryFrom<RawStreamConfig> for StreamConfig {
    type Error = ConfigError;

    fn try_from(raw: RawStreamConfig) -> Result<Self, ConfigError> {
        StreamConfig::builder().max_segment(raw.max_segment).build()
    }
}

impl From<StreamConfig> for RawStreamConfig {
    fn from(c: StreamConfig) -> Self {
        RawStreamConfig {
            max_segment: c.max_segment,
        }
    }
}

impl Default for StreamConfig {
    fn default() -> Self {
        StreamConfig {
            max_segment: DEFAULT_MAX_SEGMENT,
        }
    }
}

impl StreamConfig {
    /// A builder starting from the defaults.
    pub fn builder() -> StreamConfigBuilder {
        StreamConfigBuilder::new()
    }

    /// The longest segment in bytes, hence the hold-back bound.
    pub fn max_segment(&self) -> usize {
        self.max_segment
    }
}

/// Builds a validated [`StreamConfig`].
#[derive(Debug, Clone)]
pub struct StreamConfigBuilder {
    max_segment: usize,
}

impl Default for StreamConfigBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl StreamConfigBuilder {
    /// A builder with [`DEFAULT_MAX_SEGMENT`].
    pub fn new() -> Self {
        StreamConfigBuilder {
            max_segment: DEFAULT_MAX_SEGMENT,
        }
    }

    /// Sets the longest segment in bytes (at least [`MIN_MAX_SEGMENT`]).
    pub fn max_segment(&mut self, bytes: usize) -> &mut Self {
        self.max_segment = bytes;
        self
    }

    /// Validates the settings.
    ///
    /// # Errors
    ///
    /// [`ConfigError::MaxSegmentTooSmall`] if `max_segment` is below
    /// [`MIN_MAX_SEGMENT`].
    pub fn build(&self) -> Result<StreamConfig, ConfigError> {
        if self.max_segment < MIN_MAX_SEGMENT {
            return Err(ConfigError::MaxSegmentTooSmall {
                value: self.max_segment,
                min: MIN_MAX_SEGMENT,
            });
        }
        Ok(StreamConfig {
            max_segment: self.max_segment,
        })
    }
}

/// Where a paragraph break stands in the scan of the current segment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Break {
    /// No `'\n'` since the last character that is not a space, tab or `'\r'`.
    #[default]
    None,
    /// A `'\n'` followed so far only by spaces, tabs or `'\r'`.
    Newline,
    /// Inside a break run; `cut` is the position after its last `'\n'`.
    Run { cut: usize },
}

/// The incremental scan of one segment: the single implementation of the
/// segment rule, used by both the whole-text and the streaming path.
///
/// It is a state machine over characters, so feeding it a segment's text in
/// one call or in several (with `eof = false` until the last) reaches the
/// same decision at the same character.
#[derive(Debug, Clone, Copy, Default)]
struct Scan {
    /// Bytes of the segment read so far (always a char boundary).
    pos: usize,
    /// Position after the last whitespace character read; 0 if none.
    last_ws_end: usize,
    brk: Break,
}

impl Scan {
    /// Reads on through `seg` (the segment's text from its start; its first
    /// `self.pos` bytes were read by earlier calls). Returns the segment's
    /// length once known, `None` if more text is needed. With `eof`, `seg`
    /// is all the text there is, and the answer is always known.
    fn advance(&mut self, seg: &str, max: usize, eof: bool) -> Option<usize> {
        let rest = seg.get(self.pos..).unwrap_or("");
        for c in rest.chars() {
            let len = c.len_utf8();
            if self.pos.saturating_add(len) > max {
                return Some(self.window_full());
            }
            let is_run_ws = matches!(c, ' ' | '\t' | '\r' | '\n');
            if let Break::Run { cut } = self.brk {
                if !is_run_ws {
                    return Some(cut);
                }
            }
            match c {
                '\n' => {
                    self.brk = match self.brk {
                        Break::None => Break::Newline,
                        Break::Newline | Break::Run { .. } => Break::Run { cut: self.pos + 1 },
                    }
                }
                ' ' | '\t' | '\r' => {}
                _ => self.brk = Break::None,
            }
            self.pos += len;
            if c.is_whitespace() {
                self.last_ws_end = self.pos;
            }
            if self.pos >= max {
                // Decided now, not when the next character shows up: the
                // decision is the same either way, and the stream then never
                // holds `max` bytes.
                return Some(self.window_full());
            }
        }
        if !eof {
            return None;
        }
        Some(match self.brk {
            Break::Run { cut } => cut,
            Break::None | Break::Newline => self.pos,
        })
    }

    /// The segment's length when the window is full (rules 1 and 2).
    fn window_full(&self) -> usize {
        match self.brk {
            Break::Run { cut } => cut,
            Break::None | Break::Newline if self.last_ws_end > 0 => self.last_ws_end,
            Break::None | Break::Newline => self.pos,
        }
    }
}

/// The length of the next segment of `rest` (non-empty), `None` if more text
/// is needed. Never returns `Some(0)`.
fn next_cut(scan: &mut Scan, rest: &str, max: usize, eof: bool) -> Option<usize> {
    match scan.advance(rest, max, eof) {
        // Unreachable (max >= 4 and a run cut is >= 2), but an empty
        // segment would loop forever: take the rest instead.
        Some(0) => Some(rest.len()),
        other => other,
    }
}

/// The segments of `text` under the segment rule (see the
/// [module docs](self)), in order; they concatenate to `text`.
pub fn segments<'a>(text: &'a str, config: &StreamConfig) -> Segments<'a> {
    Segments {
        rest: text,
        max: config.max_segment,
    }
}

/// Iterator over the segments of a text; see [`segments`].
#[derive(Clone)]
pub struct Segments<'a> {
    rest: &'a str,
    max: usize,
}

impl fmt::Debug for Segments<'_> {
    // Never print the text: it may hold secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Segments")
            .field("rest_len", &self.rest.len())
            .field("max", &self.max)
            .finish()
    }
}

impl<'a> Iterator for Segments<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        let end =
            next_cut(&mut Scan::default(), self.rest, self.max, true).unwrap_or(self.rest.len());
        let (seg, rest) = match (self.rest.get(..end), self.rest.get(end..)) {
            (Some(seg), Some(rest)) => (seg, rest),
            _ => (self.rest, ""),
        };
        self.rest = rest;
        Some(seg)
    }
}

/// Transforms `text` segment by segment (see the [module docs](self)): the
/// reference result that a [`TransformStream`] reproduces for any split of
/// `text` into deltas.
///
/// # Errors
///
/// [`StreamError::Transform`] with the failed segment's offset; no other
/// variant is returned.
pub fn transform_whole<T>(
    transform: &mut T,
    text: &str,
    config: &StreamConfig,
) -> Result<String, StreamError<T::Error>>
where
    T: SegmentTransform + ?Sized,
{
    let mut out = String::with_capacity(text.len());
    let mut offset = 0;
    for seg in segments(text, config) {
        if let Err(source) = transform.transform(seg, &mut out) {
            return Err(StreamError::Transform { offset, source });
        }
        offset += seg.len();
    }
    Ok(out)
}

/// Applies a [`SegmentTransform`] to text arriving in deltas, with output
/// byte-identical to [`transform_whole`] (see the [module docs](self)).
///
/// Output is appended to the `out` buffer given to each call. Its `Debug`
/// shows sizes only, never the held-back text.
pub struct TransformStream<T> {
    transform: T,
    max: usize,
    /// The unfinished segment (outside a push call).
    pending: String,
    /// The scan of `pending` so far.
    scan: Scan,
    /// Offset in the whole text of `pending`'s start.
    pending_offset: usize,
    /// Bytes of a character split across `push_bytes` chunks (at most 3).
    carry: [u8; 4],
    carry_len: usize,
    ended: bool,
}

impl<T> fmt::Debug for TransformStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransformStream")
            .field("max_segment", &self.max)
            .field("held_back", &self.pending.len())
            .field("offset", &self.pending_offset)
            .field("carried_bytes", &self.carry_len)
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl<T: SegmentTransform> TransformStream<T> {
    /// A stream applying `transform` per segment, segments cut by `config`.
    pub fn new(transform: T, config: &StreamConfig) -> Self {
        TransformStream {
            transform,
            max: config.max_segment,
            pending: String::new(),
            scan: Scan::default(),
            pending_offset: 0,
            carry: [0; 4],
            carry_len: 0,
            ended: false,
        }
    }

    /// Bytes of text currently held back: the unfinished segment. Below
    /// `max_segment` after every call (plus at most 3 bytes of a split
    /// character carried by [`push_bytes`](Self::push_bytes), not counted
    /// here).
    pub fn held_back(&self) -> usize {
        self.pending.len()
    }

    /// Whether the stream has ended (finished, or a transform failed).
    pub fn is_ended(&self) -> bool {
        self.ended
    }

    /// The transform, e.g. to read state it gathered.
    pub fn transform_ref(&self) -> &T {
        &self.transform
    }

    /// Gives the transform back, dropping any held-back text.
    pub fn into_inner(self) -> T {
        self.transform
    }

    /// Accepts a text delta and appends to `out` the transformed text of
    /// every segment whose end is now known.
    ///
    /// # Errors
    ///
    /// [`StreamError::Ended`] if the stream has ended;
    /// [`StreamError::Transform`] if the transform failed (segments before
    /// the failed one stay in `out`, nothing of it or after it is appended,
    /// and the stream ends); [`StreamError::InvalidUtf8`] if
    /// [`push_bytes`](Self::push_bytes) left an incomplete character, which
    /// text cannot complete (the carried bytes and `delta` are dropped, the
    /// stream stays open).
    pub fn push(&mut self, delta: &str, out: &mut String) -> Result<(), StreamError<T::Error>> {
        if self.ended {
            return Err(StreamError::Ended);
        }
        if self.carry_len > 0 {
            // Text after a dangling partial character would reorder the
            // stream; the partial character is invalid UTF-8.
            return self.reject_carry();
        }
        self.accept(delta, out)
    }

    /// Accepts a delta of raw bytes split anywhere, even inside a character
    /// (the partial character is carried to the next call).
    ///
    /// # Errors
    ///
    /// As [`push`](Self::push), and [`StreamError::InvalidUtf8`] at the first
    /// invalid sequence: the valid bytes before it are accepted (and
    /// segments they complete are emitted), the bytes from it on are
    /// dropped, and the stream stays open (call [`finish`](Self::finish) to
    /// flush the valid text).
    pub fn push_bytes(
        &mut self,
        bytes: &[u8],
        out: &mut String,
    ) -> Result<(), StreamError<T::Error>> {
        if self.ended {
            return Err(StreamError::Ended);
        }
        let mut rest = bytes;
        // Complete a character split across chunks, one byte at a time, so
        // an invalid continuation is reported as soon as it arrives.
        while self.carry_len > 0 {
            let Some((&b, tail)) = rest.split_first() else {
                return Ok(());
            };
            rest = tail;
            match self.carry.get_mut(self.carry_len) {
                Some(slot) => *slot = b,
                None => return self.reject_carry(),
            }
            self.carry_len += 1;
            let carried = self.carry;
            match std::str::from_utf8(carried.get(..self.carry_len).unwrap_or(&[])) {
                Ok(ch) => {
                    self.carry_len = 0;
                    self.accept(ch, out)?;
                }
                Err(e) if e.error_len().is_none() => {}
                Err(_) => return self.reject_carry(),
            }
        }
        match std::str::from_utf8(rest) {
            Ok(text) => self.accept(text, out),
            Err(e) => {
                let valid = e.valid_up_to();
                let head = rest.get(..valid).unwrap_or(&[]);
                self.accept(std::str::from_utf8(head).unwrap_or(""), out)?;
                let tail = rest.get(valid..).unwrap_or(&[]);
                match e.error_len() {
                    // Incomplete final character: at most 3 bytes.
                    None if tail.len() < 4 => {
                        for (slot, &b) in self.carry.iter_mut().zip(tail) {
                            *slot = b;
                        }
                        self.carry_len = tail.len();
                        Ok(())
                    }
                    _ => Err(self.invalid_at_end()),
                }
            }
        }
    }

    /// Ends the stream: appends the transformed rest to `out`. Later calls
    /// return [`StreamError::Ended`].
    ///
    /// # Errors
    ///
    /// [`StreamError::Ended`] if the stream had already ended;
    /// [`StreamError::Transform`] as in [`push`](Self::push);
    /// [`StreamError::InvalidUtf8`] if [`push_bytes`](Self::push_bytes) left
    /// an incomplete character (the text before it is flushed first).
    pub fn finish(&mut self, out: &mut String) -> Result<(), StreamError<T::Error>> {
        if self.ended {
            return Err(StreamError::Ended);
        }
        self.emit_ready(true, out)?;
        self.ended = true;
        if self.carry_len > 0 {
            self.carry_len = 0;
            return Err(self.invalid_at_end());
        }
        Ok(())
    }

    /// The error for an invalid sequence starting right after the accepted
    /// text.
    fn invalid_at_end(&self) -> StreamError<T::Error> {
        StreamError::InvalidUtf8 {
            offset: self.pending_offset + self.pending.len(),
        }
    }

    fn reject_carry(&mut self) -> Result<(), StreamError<T::Error>> {
        self.carry_len = 0;
        Err(self.invalid_at_end())
    }

    /// Appends `text` to the unfinished segment and emits what is complete.
    fn accept(&mut self, text: &str, out: &mut String) -> Result<(), StreamError<T::Error>> {
        if text.is_empty() {
            return Ok(());
        }
        self.pending.push_str(text);
        self.emit_ready(false, out)
    }

    /// Transforms and emits every segment of `pending` whose end is known
    /// (all of them with `eof`), keeping the unfinished one.
    fn emit_ready(&mut self, eof: bool, out: &mut String) -> Result<(), StreamError<T::Error>> {
        // Segments are cut at a moving start and drained once at the end, so
        // a large delta costs linear time, not one copy per segment.
        let mut start = 0;
        let mut result = Ok(());
        while let Some(rest) = self.pending.get(start..) {
            if rest.is_empty() {
                break;
            }
            let Some(end) = next_cut(&mut self.scan, rest, self.max, eof) else {
                break;
            };
            let seg = rest.get(..end).unwrap_or(rest);
            let before = out.len();
            if let Err(source) = self.transform.transform(seg, out) {
                out.truncate(before);
                result = Err(StreamError::Transform {
                    offset: self.pending_offset + start,
                    source,
                });
                break;
            }
            start += seg.len();
            self.scan = Scan::default();
        }
        if result.is_err() {
            self.ended = true;
            self.pending = String::new();
            self.carry_len = 0;
            return result;
        }
        self.pending.drain(..start.min(self.pending.len()));
        self.pending_offset += start;
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(text: &str, max: usize) -> Vec<&str> {
        let config = StreamConfig::builder()
            .max_segment(max)
            .build()
            .expect("valid");
        segments(text, &config).collect()
    }

    /// `SegmentTransform` must stay object-safe (callers choose it at run time).
    #[allow(dead_code)]
    fn object_safe(_: Box<dyn SegmentTransform<Error = std::convert::Infallible>>) {}

    #[test]
    fn paragraph_breaks_cut_after_the_last_newline_of_the_run() {
        assert_eq!(segs("a\n\nb", 64), ["a\n\n", "b"]);
        assert_eq!(segs("a\r\n\r\nb", 64), ["a\r\n\r\n", "b"]);
        assert_eq!(segs("a\n \t\r\n\n  b\nc", 64), ["a\n \t\r\n\n", "  b\nc"]);
        assert_eq!(segs("a\nb\nc", 64), ["a\nb\nc"]);
        assert_eq!(segs("\n\n\n", 64), ["\n\n\n"]);
        assert_eq!(segs("a\n\n  ", 64), ["a\n\n", "  "]);
    }

    #[test]
    fn forced_cut_after_last_whitespace_or_at_char_boundary() {
        let text = format!("{} {}", "x".repeat(40), "y".repeat(40));
        assert_eq!(
            segs(&text, 64),
            [format!("{} ", "x".repeat(40)), "y".repeat(40)]
        );
        let text = "é".repeat(40); // 80 bytes, 2 each
        let s = segs(&text, 65);
        assert_eq!(s.first().map(|s| s.len()), Some(64));
        assert_eq!(s.concat(), text);
    }

    #[test]
    fn exactly_max_bytes_is_a_full_window() {
        let text = format!("{} {}", "a".repeat(10), "b".repeat(53)); // 64 bytes
        assert_eq!(
            segs(&text, 64),
            [format!("{} ", "a".repeat(10)), "b".repeat(53)]
        );
    }
}
