//! The shapes regex: every module's token shapes in one leftmost-first
//! multi-pattern regex, searched once over the text.
//!
//! Matches are exactly those of `meta::Regex::find_iter` over the same
//! patterns (the meta regex is kept, and a differential test compares the
//! two), but found with the regex's two lazy DFAs driven directly: a forward
//! search for the end of the leftmost match, then an anchored reverse search
//! from that end for its start. The meta regex runs the same two searches;
//! its reverse one leaves its unrolled loop at every match state, and the
//! reverse DFA of a digit run is in a match state at nearly every byte, so a
//! loop that merely records the last match position costs a fraction per
//! byte. Whenever a lazy DFA cannot go on (its cache gave up, or a Unicode
//! word boundary met a non-ASCII byte), that search is answered by the meta
//! regex instead, which has engines that always finish.

use regex_automata::hybrid::{self, LazyStateID};
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind, meta, nfa::thompson};

/// The compiled shapes.
pub(crate) struct Shapes {
    meta: meta::Regex,
    /// The same patterns as two lazy DFAs (forward leftmost-first, reverse
    /// all-matches); `None` when one could not be built or a pattern can
    /// match the empty string (the meta iterator's empty-match rules are
    /// not reproduced here).
    lazy: Option<hybrid::regex::Regex>,
}

/// Per-thread search state of [`Shapes`] (the lazy DFAs' caches).
pub(crate) struct ShapesCache {
    lazy: Option<hybrid::regex::Cache>,
}

/// One match: pattern index and byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ShapeMatch {
    pub(crate) pattern: usize,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// Lazy DFA cache size per direction (per thread).
const CACHE: usize = 4 << 20;

impl Shapes {
    /// Compiles `patterns` (leftmost-first: at one start, the earlier
    /// pattern wins).
    /// The error is the meta regex's build error, as text.
    pub(crate) fn new(patterns: &[&str], nfa_limit: usize) -> Result<Shapes, String> {
        let meta = meta::Regex::builder()
            .configure(
                meta::Config::new()
                    .match_kind(MatchKind::LeftmostFirst)
                    // Per thread. The shapes are ASCII-shaped, so their
                    // lazy DFA settles in well under this; a Unicode word
                    // class needed 32 MiB and thrashed below it.
                    .hybrid_cache_capacity(CACHE)
                    .nfa_size_limit(Some(nfa_limit)),
            )
            .build_many(patterns)
            .map_err(|e| e.to_string())?;
        let lazy = if patterns.iter().all(|p| can_not_be_empty(p)) {
            hybrid::regex::Builder::new()
                .syntax(syntax::Config::new())
                .thompson(thompson::Config::new().nfa_size_limit(Some(nfa_limit)))
                .dfa(
                    // As the meta regex configures its own lazy DFAs.
                    hybrid::dfa::Config::new()
                        .match_kind(MatchKind::LeftmostFirst)
                        .unicode_word_boundary(true)
                        .cache_capacity(CACHE)
                        .skip_cache_capacity_check(false)
                        .minimum_cache_clear_count(Some(3))
                        .minimum_bytes_per_state(Some(10)),
                )
                .build_many(patterns)
                .ok()
        } else {
            None
        };
        Ok(Shapes { meta, lazy })
    }

    /// A fresh cache for searches of this regex.
    pub(crate) fn create_cache(&self) -> ShapesCache {
        ShapesCache {
            lazy: self.lazy.as_ref().map(|re| re.create_cache()),
        }
    }

    /// Calls `f` with every match in `text`, in order (non-overlapping,
    /// leftmost-first, as `meta::Regex::find_iter`).
    pub(crate) fn for_each(
        &self,
        cache: &mut ShapesCache,
        text: &str,
        mut f: impl FnMut(ShapeMatch),
    ) {
        let hay = text.as_bytes();
        let Some((re, c)) = self.lazy.as_ref().zip(cache.lazy.as_mut()) else {
            return self.meta_from(text, 0, &mut f);
        };
        let mut pos = 0usize;
        loop {
            match search(re, c, hay, pos) {
                // Never empty (see `lazy`), so `pos` moves on.
                Ok(Some(m)) if m.end > m.start => {
                    f(m);
                    pos = m.end;
                }
                Ok(None) => return,
                // A lazy DFA could not go on: the rest of this text with the
                // meta regex. The last match (if any) ended at `pos` and was
                // not empty, so its iterator started at `pos` goes on exactly
                // as one that had found that match would.
                Ok(Some(_)) | Err(()) => return self.meta_from(text, pos, &mut f),
            }
        }
    }

    /// The meta regex's matches in `text[pos..]` (looking around `pos` in
    /// `text`).
    fn meta_from(&self, text: &str, pos: usize, f: &mut impl FnMut(ShapeMatch)) {
        let input = Input::new(text).span(pos..text.len());
        for m in self.meta.find_iter(input) {
            f(ShapeMatch {
                pattern: m.pattern().as_usize(),
                start: m.start(),
                end: m.end(),
            });
        }
    }
}

/// Whether no match of `pattern` can be empty.
fn can_not_be_empty(pattern: &str) -> bool {
    regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .is_ok_and(|h| h.properties().minimum_len().is_none_or(|n| n > 0))
}

/// The leftmost-first match starting at or after `pos`; `Err` when a lazy
/// DFA gave up or quit.
#[inline(never)]
fn search(
    re: &hybrid::regex::Regex,
    cache: &mut hybrid::regex::Cache,
    hay: &[u8],
    pos: usize,
) -> Result<Option<ShapeMatch>, ()> {
    let (fcache, rcache) = cache.as_parts_mut();
    let input = Input::new(hay).span(pos..hay.len());
    let Some(end) = re.forward().try_search_fwd(fcache, &input).map_err(drop)? else {
        return Ok(None);
    };
    let end_at = end.offset();
    let start = rev_start(re.reverse(), rcache, hay, pos, end_at)?;
    // The reverse search always matches when the forward one did.
    let start = start.ok_or(())?;
    Ok(Some(ShapeMatch {
        pattern: end.pattern().as_usize(),
        start,
        end: end_at,
    }))
}

/// The smallest `s` in `lo..=end` such that the reverse DFA (all matches,
/// anchored at `end`) matches `s..end`, looking at `hay[lo - 1]` for the
/// look-behind at `lo` (as `hybrid::dfa::DFA::try_search_rev` over the span
/// `lo..end`).
#[inline(never)]
fn rev_start(
    dfa: &hybrid::dfa::DFA,
    cache: &mut hybrid::dfa::Cache,
    hay: &[u8],
    lo: usize,
    end: usize,
) -> Result<Option<usize>, ()> {
    let input = Input::new(hay).span(lo..end).anchored(Anchored::Yes);
    let mut sid: LazyStateID = dfa.start_state_reverse(cache, &input).map_err(drop)?;
    let mut mat = None;
    let seg = hay.get(lo..end).ok_or(())?;
    cache.search_start(end);
    for (k, &b) in seg.iter().enumerate().rev() {
        sid = match dfa.next_state(cache, sid, b) {
            Ok(s) => s,
            Err(_) => {
                cache.search_finish(lo + k);
                return Err(());
            }
        };
        if sid.is_tagged() {
            if sid.is_match() {
                mat = Some(lo + k + 1);
            } else {
                cache.search_finish(lo + k);
                return if sid.is_dead() { Ok(mat) } else { Err(()) };
            }
        }
    }
    cache.search_finish(lo);
    // The transition past the span's start: the byte before it, or the end
    // of input.
    let next = match lo.checked_sub(1).and_then(|i| hay.get(i)) {
        Some(&b) => dfa.next_state(cache, sid, b),
        None => dfa.next_eoi_state(cache, sid),
    };
    let sid = next.map_err(drop)?;
    if sid.is_match() {
        mat = Some(lo);
    } else if sid.is_quit() {
        return Err(());
    }
    Ok(mat)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta_all(s: &Shapes, text: &str) -> Vec<ShapeMatch> {
        s.meta
            .find_iter(text)
            .map(|m| ShapeMatch {
                pattern: m.pattern().as_usize(),
                start: m.start(),
                end: m.end(),
            })
            .collect()
    }

    fn ours(s: &Shapes, text: &str) -> Vec<ShapeMatch> {
        let mut cache = s.create_cache();
        let mut v = Vec::new();
        s.for_each(&mut cache, text, |m| v.push(m));
        v
    }

    /// The lazy-DFA search finds exactly the meta iterator's matches, on
    /// overlapping, nested and look-around patterns over noisy text.
    #[test]
    fn same_matches_as_meta() {
        let patterns = [
            r"\d[\d -]{2,}\d",
            r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4})+\b",
            r"(?m)^#+ \w+",
            r"[a-z]+@[a-z]+\.com",
            r"\d{3}",
            r"(?i)key_[a-z0-9]{8,}(?:\z|[^a-z0-9])",
            r"\d+\.\d+",
        ];
        let s = Shapes::new(&patterns, 1 << 24).expect("compiles");
        assert!(s.lazy.is_some());
        let alphabet: Vec<char> = "0123 45-6789.abcKEY_ @x.comZZé\n#AB\u{2009}"
            .chars()
            .collect();
        let mut rng = crate::testrand::Rng::new(0x9e37_79b9_7f4a_7c15);
        for round in 0..400 {
            let len = round % 90;
            let mut text = String::new();
            for _ in 0..len {
                let i = rng.below(alphabet.len());
                text.push(alphabet.get(i).copied().unwrap_or('0'));
            }
            assert_eq!(ours(&s, &text), meta_all(&s, &text), "{text:?}");
        }
        let fixed = "call 503 555 0100 or key_abcdef123 at a@b.com, DE12 3456 7890 1234 9.5";
        assert_eq!(ours(&s, fixed), meta_all(&s, fixed));
        assert!(!ours(&s, fixed).is_empty());
    }

    /// A pattern that can match the empty string leaves everything to the
    /// meta iterator, including its empty-match rules.
    #[test]
    fn empty_matches_use_meta() {
        let s = Shapes::new(&[r"\d*", r"a"], 1 << 24).expect("compiles");
        assert!(s.lazy.is_none());
        for text in ["", "a1b22é3", "ééa", "12a"] {
            assert_eq!(ours(&s, text), meta_all(&s, text), "{text:?}");
        }
    }
}
