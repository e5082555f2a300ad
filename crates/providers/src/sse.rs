//! A stateful server-sent-events decoder over bytes.
//!
//! Network reads split a stream anywhere: inside an event, inside a line,
//! inside a multi-byte UTF-8 character, between the `\r` and `\n` of a line
//! ending. The decoder keeps the unfinished line as bytes and decodes a
//! line only once it is complete, so none of those splits matter; the
//! output for any split of the input is the output for the whole input.
//!
//! Parsing follows the WHATWG event-stream rules: lines end in `\r\n`,
//! `\n` or `\r`; a blank line dispatches the event; `data` lines join with
//! `\n`; one space after the colon is dropped; lines starting with `:` are
//! comments; a leading byte-order mark is skipped; an event with no data is
//! not dispatched. What the rules would silently drop is reported instead:
//! invalid UTF-8, an event larger than the limit, and a stream that ends in
//! the middle of an event.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use thiserror::Error;

/// One decoded event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SseEvent {
    /// The `event:` field; empty means the default type, `message`.
    pub event: String,
    /// The `data:` lines, joined with `\n`.
    pub data: String,
    /// The last `id:` seen, if any.
    pub id: Option<String>,
    /// A `retry:` reconnection delay in milliseconds, if sent.
    pub retry: Option<u64>,
}

/// What the decoder refuses.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SseError {
    /// A line is not UTF-8. `offset` counts bytes from the stream start.
    #[error("event stream is not UTF-8 at byte {offset}")]
    InvalidUtf8 {
        /// Where the bad line starts.
        offset: u64,
    },
    /// An event grew beyond the limit.
    #[error("event stream event exceeds {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: usize,
    },
    /// The stream ended inside an event (no blank line after its last field).
    #[error("event stream ended in the middle of an event")]
    Truncated,
}

/// The decoder. Feed it bytes as they arrive; collect events.
#[derive(Debug)]
pub struct SseDecoder {
    /// The unfinished line's bytes.
    line: Vec<u8>,
    /// Stream offset of `line`'s first byte.
    line_start: u64,
    /// Bytes consumed so far.
    offset: u64,
    /// The previous chunk ended with `\r`: a leading `\n` belongs to it.
    after_cr: bool,
    /// Nothing consumed yet (a BOM may follow).
    at_start: bool,
    /// Fields of the event being built.
    event: String,
    data: String,
    has_data: bool,
    /// Whether any field line was seen since the last dispatch.
    in_event: bool,
    last_id: Option<String>,
    retry: Option<u64>,
    limit: usize,
}

/// Events larger than this are refused by default (16 MiB).
pub const DEFAULT_MAX_EVENT: usize = 16 << 20;

impl Default for SseDecoder {
    fn default() -> Self {
        SseDecoder::new()
    }
}

impl SseDecoder {
    /// A decoder with the default event size limit.
    pub fn new() -> SseDecoder {
        SseDecoder::with_limit(DEFAULT_MAX_EVENT)
    }

    /// A decoder refusing events (or lines) larger than `limit` bytes.
    pub fn with_limit(limit: usize) -> SseDecoder {
        SseDecoder {
            line: Vec::new(),
            line_start: 0,
            offset: 0,
            after_cr: false,
            at_start: true,
            event: String::new(),
            data: String::new(),
            has_data: false,
            in_event: false,
            last_id: None,
            retry: None,
            limit,
        }
    }

    /// Decodes `bytes`, appending complete events to `out`.
    ///
    /// # Errors
    /// [`SseError::InvalidUtf8`] or [`SseError::TooLarge`]; the decoder
    /// should not be fed after an error.
    pub fn decode(&mut self, mut bytes: &[u8], out: &mut Vec<SseEvent>) -> Result<(), SseError> {
        if self.after_cr && !bytes.is_empty() {
            self.after_cr = false;
            if let [b'\n', rest @ ..] = bytes {
                bytes = rest;
                self.offset += 1;
                self.line_start = self.offset;
            }
        }
        if self.at_start && !bytes.is_empty() {
            // A BOM may itself straddle reads; collect up to 3 bytes first.
            self.line.extend_from_slice(bytes);
            self.offset += bytes.len() as u64;
            if self.line.len() < 3 && b"\xEF\xBB\xBF".starts_with(&self.line) {
                return Ok(());
            }
            self.at_start = false;
            let mut held = std::mem::take(&mut self.line);
            let skip = if held.starts_with(b"\xEF\xBB\xBF") {
                3
            } else {
                0
            };
            held.drain(..skip);
            self.offset -= held.len() as u64;
            self.line_start = self.offset;
            let r = self.decode(&held, out);
            return r;
        }
        while !bytes.is_empty() {
            match memchr::memchr2(b'\n', b'\r', bytes) {
                None => {
                    if self.line.len() + bytes.len() > self.limit {
                        return Err(SseError::TooLarge { limit: self.limit });
                    }
                    self.line.extend_from_slice(bytes);
                    self.offset += bytes.len() as u64;
                    return Ok(());
                }
                Some(i) => {
                    let end = bytes[i];
                    let mut consumed = i + 1;
                    if end == b'\r' {
                        match bytes.get(i + 1) {
                            Some(b'\n') => consumed += 1,
                            Some(_) => {}
                            None => self.after_cr = true,
                        }
                    }
                    if self.line.is_empty() {
                        self.line_start = self.offset;
                        self.process_line_bytes(&bytes[..i], out)?;
                    } else {
                        if self.line.len() + i > self.limit {
                            return Err(SseError::TooLarge { limit: self.limit });
                        }
                        self.line.extend_from_slice(&bytes[..i]);
                        let line = std::mem::take(&mut self.line);
                        self.process_line_bytes(&line, out)?;
                        self.line = line;
                        self.line.clear();
                    }
                    self.offset += consumed as u64;
                    self.line_start = self.offset;
                    bytes = &bytes[consumed..];
                }
            }
        }
        Ok(())
    }

    fn process_line_bytes(&mut self, line: &[u8], out: &mut Vec<SseEvent>) -> Result<(), SseError> {
        let line = std::str::from_utf8(line).map_err(|e| SseError::InvalidUtf8 {
            offset: self.line_start + e.valid_up_to() as u64,
        })?;
        self.process_line(line, out)
    }

    fn process_line(&mut self, line: &str, out: &mut Vec<SseEvent>) -> Result<(), SseError> {
        if line.is_empty() {
            if self.has_data {
                let mut data = std::mem::take(&mut self.data);
                if data.ends_with('\n') {
                    data.pop();
                }
                out.push(SseEvent {
                    event: std::mem::take(&mut self.event),
                    data,
                    id: self.last_id.clone(),
                    retry: self.retry.take(),
                });
            } else {
                self.event.clear();
                self.data.clear();
            }
            self.has_data = false;
            self.in_event = false;
            return Ok(());
        }
        if line.starts_with(':') {
            return Ok(());
        }
        self.in_event = true;
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "data" => {
                if self.data.len() + value.len() + 1 > self.limit {
                    return Err(SseError::TooLarge { limit: self.limit });
                }
                self.data.push_str(value);
                self.data.push('\n');
                self.has_data = true;
            }
            "event" => {
                self.event.clear();
                self.event.push_str(value);
            }
            "id" if !value.contains('\0') => self.last_id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok();
            }
            // Unknown fields are ignored, as the standard says.
            _ => {}
        }
        Ok(())
    }

    /// Ends the stream.
    ///
    /// # Errors
    /// [`SseError::Truncated`] if an event was begun and not finished by a
    /// blank line (a stream cut mid-event); its partial data is not
    /// returned.
    pub fn finish(&mut self) -> Result<(), SseError> {
        let partial_line = !self.line.is_empty();
        if partial_line || self.in_event {
            return Err(SseError::Truncated);
        }
        Ok(())
    }
}

/// What a byte stream of SSE yields: events, or the first failure (of the
/// transport, `E`, or of decoding).
#[derive(Debug)]
pub enum SseFault<E> {
    /// The body stream failed.
    Transport(E),
    /// The bytes were not a valid event stream.
    Decode(SseError),
}

/// Adapts a byte stream into an event stream. Events decoded before a
/// failure are delivered first; after the failure it ends.
pub struct SseStream<S, E> {
    inner: Pin<Box<S>>,
    decoder: SseDecoder,
    ready: std::collections::VecDeque<SseEvent>,
    buf: Vec<SseEvent>,
    error: Option<SseFault<E>>,
    done: bool,
}

impl<S, E> SseStream<S, E> {
    /// Wraps `inner`.
    pub fn new(inner: S) -> SseStream<S, E> {
        SseStream {
            inner: Box::pin(inner),
            decoder: SseDecoder::new(),
            ready: std::collections::VecDeque::new(),
            buf: Vec::new(),
            error: None,
            done: false,
        }
    }
}

impl<S, E> Stream for SseStream<S, E>
where
    S: Stream<Item = Result<Bytes, E>>,
    E: Unpin,
{
    type Item = Result<SseEvent, SseFault<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(e) = this.ready.pop_front() {
                return Poll::Ready(Some(Ok(e)));
            }
            if let Some(err) = this.error.take() {
                return Poll::Ready(Some(Err(err)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match this.inner.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(bytes))) => {
                    this.buf.clear();
                    let r = this.decoder.decode(&bytes, &mut this.buf);
                    this.ready.extend(this.buf.drain(..));
                    if let Err(e) = r {
                        this.error = Some(SseFault::Decode(e));
                        this.done = true;
                    }
                }
                Poll::Ready(Some(Err(e))) => {
                    this.error = Some(SseFault::Transport(e));
                    this.done = true;
                }
                Poll::Ready(None) => {
                    this.done = true;
                    if let Err(e) = this.decoder.finish() {
                        this.error = Some(SseFault::Decode(e));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(chunks: &[&[u8]]) -> Result<Vec<SseEvent>, SseError> {
        let mut d = SseDecoder::new();
        let mut out = Vec::new();
        for c in chunks {
            d.decode(c, &mut out)?;
        }
        d.finish()?;
        Ok(out)
    }

    fn ev(event: &str, data: &str) -> SseEvent {
        SseEvent {
            event: event.into(),
            data: data.into(),
            ..SseEvent::default()
        }
    }

    const SAMPLE: &str = "\u{feff}: comment\r\nevent: message_start\r\ndata: {\"a\":\"é😀\"}\r\n\r\ndata:line1\ndata: line2\n\nid: 7\rretry: 1500\rdata: x\r\r: only a comment\n\nfoo: bar\ndata: [DONE]\n\n";

    fn expected() -> Vec<SseEvent> {
        vec![
            ev("message_start", "{\"a\":\"é😀\"}"),
            ev("", "line1\nline2"),
            SseEvent {
                event: String::new(),
                data: "x".into(),
                id: Some("7".into()),
                retry: Some(1500),
            },
            SseEvent {
                id: Some("7".into()),
                ..ev("", "[DONE]")
            },
        ]
    }

    #[test]
    fn decodes_the_standard_forms() {
        assert_eq!(decode_all(&[SAMPLE.as_bytes()]).expect("valid"), expected());
    }

    #[test]
    fn every_split_gives_the_same_events() {
        let bytes = SAMPLE.as_bytes();
        for i in 0..=bytes.len() {
            for j in i..=bytes.len() {
                let got = decode_all(&[&bytes[..i], &bytes[i..j], &bytes[j..]]).expect("valid");
                assert_eq!(got, expected(), "split at {i} and {j}");
            }
        }
        for size in [1, 2, 3, 7] {
            let chunks: Vec<&[u8]> = bytes.chunks(size).collect();
            assert_eq!(
                decode_all(&chunks).expect("valid"),
                expected(),
                "chunks of {size}"
            );
        }
    }

    #[test]
    fn a_stream_cut_mid_event_is_reported() {
        assert_eq!(
            decode_all(&[b"data: {\"a\":1}\n\ndata: {\"b\""]),
            Err(SseError::Truncated)
        );
        assert_eq!(
            decode_all(&[b"data: {\"a\":1}\n\ndata: {\"b\":2}\n"]),
            Err(SseError::Truncated)
        );
        assert_eq!(
            decode_all(&[b"data: {\"a\":1}\n\n"])
                .expect("complete")
                .len(),
            1
        );
        assert!(decode_all(&[b""]).expect("empty stream").is_empty());
    }

    #[test]
    fn invalid_utf8_is_reported_with_its_offset() {
        let err = decode_all(&[b"data: ok\n\ndata: a\xFFb\n\n"]).expect_err("invalid");
        assert_eq!(err, SseError::InvalidUtf8 { offset: 17 });
        // A character split across reads is fine.
        let s = "data: é\n\n".as_bytes();
        assert_eq!(decode_all(&[&s[..7], &s[7..]]).expect("valid")[0].data, "é");
    }

    fn sse_like() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            Just(b"data: ".to_vec()),
            Just(b"data:".to_vec()),
            Just(b"event: x".to_vec()),
            Just(b"id: 1".to_vec()),
            Just(b"retry: 9".to_vec()),
            Just(b":c".to_vec()),
            Just(b"\n".to_vec()),
            Just(b"\r".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"\n\n".to_vec()),
            Just("é😀".as_bytes().to_vec()),
            Just(vec![0xEF, 0xBB, 0xBF]),
            Just(vec![0xFF]),
            any::<u8>().prop_map(|b| vec![b]),
        ];
        proptest::collection::vec(piece, 0..48).prop_map(|v| v.concat())
    }

    proptest::proptest! {
        /// Any bytes, any split: the same events or the same error as one
        /// read, and never a panic.
        #[test]
        fn any_split_of_any_bytes_matches_one_read(
            bytes in sse_like(),
            cuts in proptest::collection::vec(0usize..400, 0..6),
        ) {
            let whole = decode_all(&[&bytes]);
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(bytes.len())).collect();
            cuts.sort_unstable();
            let mut pieces = Vec::new();
            let mut at = 0;
            for c in cuts {
                pieces.push(&bytes[at..c]);
                at = c;
            }
            pieces.push(&bytes[at..]);
            proptest::prop_assert_eq!(decode_all(&pieces), whole);
        }
    }

    #[test]
    fn oversized_events_are_refused() {
        let mut d = SseDecoder::with_limit(16);
        let mut out = Vec::new();
        assert_eq!(
            d.decode(b"data: 0123456789abcdef0123\n", &mut out),
            Err(SseError::TooLarge { limit: 16 })
        );
        let mut d = SseDecoder::with_limit(16);
        assert_eq!(
            d.decode(b"data: 0123456789\ndata: 0123456789\n", &mut out),
            Err(SseError::TooLarge { limit: 16 })
        );
    }
}
