//! The streaming transform: output equals the whole-text transform for every
//! split of the text, hold-back stays bounded, errors end the stream.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use deepsentinel_policy::stream::{
    ConfigError, DEFAULT_MAX_SEGMENT, MIN_MAX_SEGMENT, SegmentTransform, StreamConfig, StreamError,
    TransformStream, segments, transform_whole,
};
use proptest::prelude::*;

/// The test transform's error: a "block" decision, carrying no text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("blocked")]
struct Blocked;

/// A non-trivial transform whose output changes whenever segmentation does:
/// upper-cases, replaces runs of ASCII digits with `<N>`, restores `<X_n>`
/// placeholders to `value-n`, blocks on `BLOCK`, and closes every segment
/// with `⟧`.
#[derive(Debug, Default)]
struct Toy {
    calls: usize,
}

impl SegmentTransform for Toy {
    type Error = Blocked;

    fn transform(&mut self, segment: &str, out: &mut String) -> Result<(), Blocked> {
        self.calls += 1;
        let mut rest = segment;
        while let Some(c) = rest.chars().next() {
            if c.is_ascii_digit() {
                let n = rest
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(rest.len());
                out.push_str("<N>");
                rest = &rest[n..];
            } else if let Some(p) = placeholder(rest) {
                out.push_str("value-");
                out.push_str(&rest[3..p - 1]);
                rest = &rest[p..];
            } else if rest.starts_with("BLOCK") {
                return Err(Blocked);
            } else {
                out.extend(c.to_uppercase());
                rest = &rest[c.len_utf8()..];
            }
        }
        out.push('⟧');
        Ok(())
    }
}

/// Length of a `<X_digits>` placeholder at the start of `s`.
fn placeholder(s: &str) -> Option<usize> {
    let body = s.strip_prefix("<X_")?;
    let n = body.find(|c: char| !c.is_ascii_digit())?;
    (n > 0 && body[n..].starts_with('>')).then_some(3 + n + 1)
}

fn config(max: usize) -> StreamConfig {
    StreamConfig::builder()
        .max_segment(max)
        .build()
        .expect("valid max")
}

fn whole(text: &str, config: &StreamConfig) -> Result<String, StreamError<Blocked>> {
    transform_whole(&mut Toy::default(), text, config)
}

/// Streams `text` split at the given byte offsets (char boundaries),
/// checking the hold-back bound after every push.
fn streamed(text: &str, cuts: &[usize], config: &StreamConfig) -> String {
    let mut stream = TransformStream::new(Toy::default(), config);
    let mut out = String::new();
    let mut last = 0;
    for &cut in cuts.iter().chain(std::iter::once(&text.len())) {
        stream.push(&text[last..cut], &mut out).expect("push");
        assert!(
            stream.held_back() < config.max_segment(),
            "hold-back {}",
            stream.held_back()
        );
        last = cut;
    }
    stream.finish(&mut out).expect("finish");
    assert_eq!(stream.held_back(), 0);
    out
}

/// Streams the bytes of `text` in chunks split at arbitrary byte offsets.
fn streamed_bytes(text: &str, cuts: &[usize], config: &StreamConfig) -> String {
    let bytes = text.as_bytes();
    let mut stream = TransformStream::new(Toy::default(), config);
    let mut out = String::new();
    let mut last = 0;
    for &cut in cuts.iter().chain(std::iter::once(&bytes.len())) {
        stream
            .push_bytes(&bytes[last..cut], &mut out)
            .expect("push_bytes");
        assert!(stream.held_back() < config.max_segment());
        last = cut;
    }
    stream.finish(&mut out).expect("finish");
    out
}

fn char_boundaries(text: &str) -> Vec<usize> {
    (1..text.len())
        .filter(|&i| text.is_char_boundary(i))
        .collect()
}

fn chunk_cuts(text: &str, size: usize) -> Vec<usize> {
    // Chunks of `size` chars.
    let b: Vec<usize> = char_boundaries(text);
    b.into_iter().skip(size - 1).step_by(size).collect()
}

/// Texts rich in what the segment rule looks at.
fn text_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-z]{1,8}".prop_map(String::from),
        2 => Just(" ".to_string()),
        2 => Just("\n".to_string()),
        1 => Just("\n\n".to_string()),
        1 => Just("\r\n\r\n".to_string()),
        1 => Just("\n \t\r\n".to_string()),
        1 => Just("\t".to_string()),
        2 => "[0-9]{1,12}".prop_map(String::from),
        2 => (1u32..30).prop_map(|n| format!("<X_{n}>")),
        2 => prop::sample::select(vec!["é", "日本", "🦀", "\u{3000}", "\u{a0}", "ß", "ǅ"])
            .prop_map(String::from),
        1 => (20usize..150).prop_map(|n| "y".repeat(n)),
        1 => (10usize..60).prop_map(|n| "ü".repeat(n)),
        1 => (5usize..40).prop_map(|n| "🦀".repeat(n)),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn max_strategy() -> impl Strategy<Value = usize> {
    prop_oneof![
        Just(MIN_MAX_SEGMENT),
        Just(65),
        Just(67),
        Just(100),
        Just(DEFAULT_MAX_SEGMENT)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_single_split_point_equals_whole(text in text_strategy(), max in max_strategy()) {
        let config = config(max);
        let expected = whole(&text, &config).expect("no BLOCK in texts");
        prop_assert_eq!(&streamed(&text, &[], &config), &expected);
        for cut in char_boundaries(&text) {
            prop_assert_eq!(&streamed(&text, &[cut], &config), &expected, "cut at {}", cut);
        }
    }

    #[test]
    fn chunk_sizes_1_2_3_7_equal_whole(text in text_strategy(), max in max_strategy()) {
        let config = config(max);
        let expected = whole(&text, &config).expect("no BLOCK in texts");
        for size in [1, 2, 3, 7] {
            prop_assert_eq!(&streamed(&text, &chunk_cuts(&text, size), &config), &expected);
            let byte_cuts: Vec<usize> = (size..text.len()).step_by(size).collect();
            prop_assert_eq!(&streamed_bytes(&text, &byte_cuts, &config), &expected);
        }
    }

    #[test]
    fn random_splits_equal_whole(
        text in text_strategy(),
        max in max_strategy(),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 0..20),
    ) {
        let config = config(max);
        let expected = whole(&text, &config).expect("no BLOCK in texts");
        let bounds = char_boundaries(&text);
        let mut cuts: Vec<usize> = if bounds.is_empty() {
            Vec::new()
        } else {
            picks.iter().map(|i| bounds[i.index(bounds.len())]).collect()
        };
        cuts.sort_unstable();
        prop_assert_eq!(&streamed(&text, &cuts, &config), &expected);
        // Arbitrary byte offsets, inside characters too.
        let mut byte_cuts: Vec<usize> = if text.len() < 2 {
            Vec::new()
        } else {
            picks.iter().map(|i| 1 + i.index(text.len() - 1)).collect()
        };
        byte_cuts.sort_unstable();
        prop_assert_eq!(&streamed_bytes(&text, &byte_cuts, &config), &expected);
    }

    #[test]
    fn segments_follow_the_rule(text in text_strategy(), max in max_strategy()) {
        let config = config(max);
        let segs: Vec<&str> = segments(&text, &config).collect();
        prop_assert_eq!(segs.concat(), text.clone());
        let mut start = 0;
        for (i, seg) in segs.iter().enumerate() {
            prop_assert!(!seg.is_empty());
            prop_assert!(seg.len() <= max);
            check_segment(&text, start, seg, max, i + 1 == segs.len());
            start += seg.len();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// With a block somewhere, every split fails at the same segment as the
    /// whole-text path, after emitting exactly the segments before it.
    #[test]
    fn errors_match_whole_for_any_split(
        head in text_strategy(),
        tail in text_strategy(),
        max in max_strategy(),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 0..20),
    ) {
        // Spaces around it: a forced cut never splits " BLOCK " (a bare
        // "BLOCK" after a long run without whitespace could be split, the
        // documented limit, and then nothing would block).
        let text = format!("{head} BLOCK {tail}");
        let config = config(max);
        let Err(StreamError::Transform { offset, .. }) = whole(&text, &config) else {
            panic!("the toy blocks on BLOCK");
        };
        let mut before = String::new();
        let mut toy = Toy::default();
        let mut start = 0;
        for seg in segments(&text, &config) {
            if start == offset {
                break;
            }
            toy.transform(seg, &mut before).expect("segments before the block pass");
            start += seg.len();
        }
        prop_assert_eq!(start, offset);

        let mut cuts: Vec<usize> = picks.iter().map(|i| i.index(text.len() + 1)).collect();
        cuts.sort_unstable();
        let mut stream = TransformStream::new(Toy::default(), &config);
        let mut out = String::new();
        let mut last = 0;
        let mut failed = None;
        for cut in cuts.into_iter().chain(std::iter::once(text.len())) {
            let r = stream.push_bytes(&text.as_bytes()[last..cut], &mut out);
            last = cut;
            if let Err(e) = r {
                failed = Some(e);
                break;
            }
        }
        let err = match failed {
            Some(e) => e,
            None => stream.finish(&mut out).expect_err("the block fails"),
        };
        let got = match err {
            StreamError::Transform { offset: o, .. } => Some(o),
            _ => None,
        };
        prop_assert_eq!(got, Some(offset));
        prop_assert_eq!(&out, &before);
        let ended = matches!(stream.push("more", &mut out), Err(StreamError::Ended));
        prop_assert!(ended);
        prop_assert_eq!(&out, &before);
    }
}

/// The documented limit: a value straddling a forced cut is split, in both
/// paths alike.
#[test]
fn a_value_straddling_a_forced_cut_is_split_in_both_paths() {
    let c = config(64);
    let text = format!("{}<X_12>", "y".repeat(60));
    let segs: Vec<&str> = segments(&text, &c).collect();
    assert_eq!(segs, [&text[..64], "2>"]);
    let expected = format!("{}<X_<N>⟧<N>>⟧", "Y".repeat(60));
    assert_eq!(whole(&text, &c).unwrap(), expected);
    assert_eq!(streamed(&text, &chunk_cuts(&text, 1), &c), expected);
    // With a space before it, the forced cut falls before the placeholder.
    let text = format!("{} <X_1>", "y".repeat(60));
    assert_eq!(
        whole(&text, &c).unwrap(),
        format!("{} ⟧value-1⟧", "Y".repeat(60))
    );
}

#[test]
fn dyn_transforms_work() {
    let mut toy = Toy::default();
    let t: &mut dyn SegmentTransform<Error = Blocked> = &mut toy;
    let out = transform_whole(t, "a1\n\nb", &config(64)).unwrap();
    assert_eq!(out, "A<N>\n\n⟧B⟧");
}

/// First paragraph break of `s`: (index of its first '\n', end of the run
/// after the last '\n'), the run limited to `s`.
fn first_break(s: &str) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c != b'\n' {
            continue;
        }
        let mut j = i + 1;
        while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\r') {
            j += 1;
        }
        if j < b.len() && b[j] == b'\n' {
            let mut end = j + 1;
            let mut k = end;
            while k < b.len() && matches!(b[k], b' ' | b'\t' | b'\r' | b'\n') {
                if b[k] == b'\n' {
                    end = k + 1;
                }
                k += 1;
            }
            return Some((i, end));
        }
    }
    None
}

/// An independent statement of the segment rule, checked on one segment.
fn check_segment(text: &str, start: usize, seg: &str, max: usize, last: bool) {
    let rest = &text[start..];
    // The window: the longest char-boundary prefix of `rest` within `max`.
    let mut wlen = rest.len().min(max);
    while !rest.is_char_boundary(wlen) {
        wlen -= 1;
    }
    let window = &rest[..wlen];
    match first_break(window) {
        Some((_, end)) => assert_eq!(seg.len(), end, "break at segment start {start}"),
        None if rest.len() < max => {
            assert!(last, "no break, rest fits, so this is the last segment");
            assert_eq!(seg, rest);
        }
        None => {
            let ws_end = window
                .char_indices()
                .filter(|(_, c)| c.is_whitespace())
                .map(|(i, c)| i + c.len_utf8())
                .next_back();
            assert_eq!(
                seg.len(),
                ws_end.unwrap_or(wlen),
                "forced cut at segment start {start}"
            );
        }
    }
}

#[test]
fn segment_rule_examples() {
    let c = config(64);
    let segs = |t: &'static str| segments(t, &c).collect::<Vec<_>>();
    assert_eq!(segs("a\n\nb"), ["a\n\n", "b"]);
    assert_eq!(segs("a\n \n\n\t b\n\nc"), ["a\n \n\n", "\t b\n\n", "c"]);
    assert_eq!(segs("one\ntwo\r\nthree"), ["one\ntwo\r\nthree"]);
    assert!(segs("").is_empty());
    // A 100-byte line with one space: forced cut after the space.
    let line = format!("{} {}", "k".repeat(50), "v".repeat(49));
    let s: Vec<&str> = segments(&line, &c).collect();
    assert_eq!(s, [&line[..51], &line[51..]]);
    // No whitespace: cut at the last char boundary <= 64 (4-byte chars).
    let crabs = "🦀".repeat(20);
    let s: Vec<&str> = segments(&crabs, &c).collect();
    assert_eq!(s.iter().map(|s| s.len()).collect::<Vec<_>>(), [64, 16]);
}

#[test]
fn a_placeholder_split_across_deltas_is_restored() {
    let c = config(64);
    let mut stream = TransformStream::new(Toy::default(), &c);
    let mut out = String::new();
    stream.push("hi <X_", &mut out).unwrap();
    stream.push("12> and 4", &mut out).unwrap();
    stream.push("2\n", &mut out).unwrap();
    assert_eq!(out, "", "no paragraph break yet: all held back");
    assert_eq!(stream.held_back(), "hi <X_12> and 42\n".len());
    stream.push("\nnext", &mut out).unwrap();
    assert_eq!(
        out, "HI value-12 AND <N>\n\n⟧",
        "first segment emitted once its end is known"
    );
    assert_eq!(stream.held_back(), 4);
    stream.finish(&mut out).unwrap();
    assert_eq!(out, "HI value-12 AND <N>\n\n⟧NEXT⟧");
}

#[test]
fn hold_back_stays_below_max_on_long_text_without_breaks() {
    let c = config(64);
    let text = format!("{}{}", "word ".repeat(100), "z".repeat(500));
    let mut stream = TransformStream::new(Toy::default(), &c);
    let mut out = String::new();
    let mut max_seen = 0;
    for ch in text.chars() {
        stream.push(ch.encode_utf8(&mut [0; 4]), &mut out).unwrap();
        max_seen = max_seen.max(stream.held_back());
        assert!(stream.held_back() < 64);
    }
    assert_eq!(max_seen, 63);
    stream.finish(&mut out).unwrap();
    assert_eq!(out, whole(&text, &c).unwrap());
}

#[test]
fn a_transform_error_ends_the_stream() {
    let c = config(64);
    let mut stream = TransformStream::new(Toy::default(), &c);
    let mut out = String::new();
    stream
        .push("fine 1\n\nalso fine\n\nthen BLO", &mut out)
        .unwrap();
    assert_eq!(out, "FINE <N>\n\n⟧ALSO FINE\n\n⟧");
    let err = stream
        .push("CK here\n\nand more\n\n", &mut out)
        .unwrap_err();
    match &err {
        StreamError::Transform { offset, source } => {
            assert_eq!(*offset, "fine 1\n\nalso fine\n\n".len());
            assert_eq!(source, &Blocked);
        }
        other => panic!("expected Transform, got {other:?}"),
    }
    // Nothing of the failed segment (the toy had appended "THEN " before
    // failing) nor after it was emitted.
    assert_eq!(out, "FINE <N>\n\n⟧ALSO FINE\n\n⟧");
    assert!(stream.is_ended());
    assert_eq!(stream.held_back(), 0);
    assert!(matches!(
        stream.push("x", &mut out),
        Err(StreamError::Ended)
    ));
    assert!(matches!(
        stream.push_bytes(b"x", &mut out),
        Err(StreamError::Ended)
    ));
    assert!(matches!(stream.finish(&mut out), Err(StreamError::Ended)));
    assert_eq!(out, "FINE <N>\n\n⟧ALSO FINE\n\n⟧");
    assert_eq!(stream.into_inner().calls, 3);

    // The whole-text path fails at the same segment.
    let text = "fine 1\n\nalso fine\n\nthen BLOCK here\n\nand more\n\n";
    match whole(text, &c) {
        Err(StreamError::Transform { offset, .. }) => assert_eq!(offset, 19),
        other => panic!("expected Transform, got {other:?}"),
    }
}

#[test]
fn an_error_in_finish_ends_the_stream() {
    let c = config(64);
    let mut stream = TransformStream::new(Toy::default(), &c);
    let mut out = String::new();
    stream.push("ok\n\nBLOCK", &mut out).unwrap();
    assert!(matches!(
        stream.finish(&mut out),
        Err(StreamError::Transform { offset: 4, .. })
    ));
    assert_eq!(out, "OK\n\n⟧");
    assert!(matches!(stream.finish(&mut out), Err(StreamError::Ended)));
}

#[test]
fn finish_twice_is_ended() {
    let mut stream = TransformStream::new(Toy::default(), &config(64));
    let mut out = String::new();
    stream.push("a", &mut out).unwrap();
    stream.finish(&mut out).unwrap();
    assert_eq!(out, "A⟧");
    assert!(matches!(stream.finish(&mut out), Err(StreamError::Ended)));
    assert!(matches!(
        stream.push("b", &mut out),
        Err(StreamError::Ended)
    ));
}

#[test]
fn push_bytes_carries_split_multibyte_chars() {
    let c = config(64);
    let text = "é日🦀\u{3000}x";
    let bytes = text.as_bytes();
    for size in 1..=4 {
        let mut stream = TransformStream::new(Toy::default(), &c);
        let mut out = String::new();
        for chunk in bytes.chunks(size) {
            stream.push_bytes(chunk, &mut out).unwrap();
        }
        stream.finish(&mut out).unwrap();
        assert_eq!(out, "É日🦀\u{3000}X⟧", "chunk size {size}");
    }
    // The crab split 1 + 3 bytes across pushes.
    let crab = "🦀".as_bytes();
    let mut stream = TransformStream::new(Toy::default(), &c);
    let mut out = String::new();
    stream.push_bytes(&crab[..1], &mut out).unwrap();
    assert_eq!(stream.held_back(), 0, "partial char is carried, not text");
    stream.push_bytes(&crab[1..], &mut out).unwrap();
    assert_eq!(stream.held_back(), 4);
    stream.finish(&mut out).unwrap();
    assert_eq!(out, "🦀⟧");
}

#[test]
fn invalid_utf8_reports_offset_and_keeps_the_text_before() {
    let c = config(64);
    let mut stream = TransformStream::new(Toy::default(), &c);
    let mut out = String::new();
    stream.push_bytes(b"ab\n\ncd", &mut out).unwrap();
    let err = stream.push_bytes(b"ef\xffgh", &mut out).unwrap_err();
    assert!(
        matches!(err, StreamError::InvalidUtf8 { offset: 8 }),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "invalid UTF-8 at byte offset 8");
    assert!(!stream.is_ended());
    stream.finish(&mut out).unwrap();
    assert_eq!(out, "AB\n\n⟧CDEF⟧");

    // An invalid continuation after a carried lead byte.
    let mut stream = TransformStream::new(Toy::default(), &c);
    let mut out = String::new();
    stream.push_bytes(b"xy\xe2\x82", &mut out).unwrap();
    let err = stream.push_bytes(b"A", &mut out).unwrap_err();
    assert!(
        matches!(err, StreamError::InvalidUtf8 { offset: 2 }),
        "{err:?}"
    );
    stream.finish(&mut out).unwrap();
    assert_eq!(out, "XY⟧");

    // Text ending inside a character: flushed, then reported by finish.
    let mut stream = TransformStream::new(Toy::default(), &c);
    let mut out = String::new();
    stream.push_bytes(b"abc\xf0\x9f", &mut out).unwrap();
    let err = stream.finish(&mut out).unwrap_err();
    assert!(
        matches!(err, StreamError::InvalidUtf8 { offset: 3 }),
        "{err:?}"
    );
    assert_eq!(out, "ABC⟧");
    assert!(stream.is_ended());

    // A str push cannot complete a carried partial character.
    let mut stream = TransformStream::new(Toy::default(), &c);
    let mut out = String::new();
    stream.push_bytes(b"a\xc3", &mut out).unwrap();
    let err = stream.push("b", &mut out).unwrap_err();
    assert!(
        matches!(err, StreamError::InvalidUtf8 { offset: 1 }),
        "{err:?}"
    );
    stream.push("c", &mut out).unwrap();
    stream.finish(&mut out).unwrap();
    assert_eq!(out, "AC⟧");
}

#[test]
fn closures_are_segment_transforms() {
    let c = config(64);
    let mut seen = Vec::new();
    let mut count = |seg: &str, out: &mut String| -> Result<(), Blocked> {
        seen.push(seg.len());
        out.push_str(seg);
        Ok(())
    };
    let out = transform_whole(&mut count, "a\n\nbb\n\nccc", &c).unwrap();
    assert_eq!(out, "a\n\nbb\n\nccc");
    assert_eq!(seen, [3, 4, 3]);

    let mut stream = TransformStream::new(
        |seg: &str, out: &mut String| -> Result<(), Blocked> {
            out.push('[');
            out.push_str(seg);
            out.push(']');
            Ok(())
        },
        &c,
    );
    let mut out = String::new();
    stream.push("x\n", &mut out).unwrap();
    stream.push("\ny", &mut out).unwrap();
    stream.finish(&mut out).unwrap();
    assert_eq!(out, "[x\n\n][y]");
}

#[test]
fn config_validation_and_serde() {
    assert_eq!(StreamConfig::default().max_segment(), 4096);
    assert_eq!(
        StreamConfig::builder().max_segment(63).build(),
        Err(ConfigError::MaxSegmentTooSmall { value: 63, min: 64 })
    );
    assert_eq!(
        StreamConfig::builder()
            .max_segment(64)
            .build()
            .unwrap()
            .max_segment(),
        64
    );
    let c: StreamConfig = serde_json::from_str(r#"{"max-segment": 128}"#).unwrap();
    assert_eq!(c.max_segment(), 128);
    let c: StreamConfig = serde_json::from_str("{}").unwrap();
    assert_eq!(c.max_segment(), DEFAULT_MAX_SEGMENT);
    let err = serde_json::from_str::<StreamConfig>(r#"{"max-segment": 10}"#).unwrap_err();
    assert!(
        err.to_string()
            .contains("max-segment: 10 is below the minimum of 64"),
        "{err}"
    );
    assert!(serde_json::from_str::<StreamConfig>(r#"{"max_segment": 128}"#).is_err());
    assert_eq!(
        serde_json::to_string(&c).unwrap(),
        r#"{"max-segment":4096}"#
    );
}

#[test]
fn debug_output_never_shows_held_back_text() {
    let mut stream = TransformStream::new(Toy::default(), &config(64));
    let mut out = String::new();
    stream.push("password hunter2", &mut out).unwrap();
    let dbg = format!("{stream:?}");
    assert!(!dbg.contains("hunter2"), "{dbg}");
    assert!(dbg.contains("held_back: 16"), "{dbg}");
    let segs = segments("secret hunter2", &StreamConfig::default());
    assert!(!format!("{segs:?}").contains("hunter2"));
}
