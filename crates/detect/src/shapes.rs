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
//!
//! **Skipping.** The built-in shapes share a property that lets the forward
//! search leave most prose unread (see [`Shapes::new`]'s `skippable`):
//!
//! 1. every match holds a *signal*: a byte of [`is_signal`] (a digit, `.`,
//!    `-`, `:`, `@`, `(`, `[`, `{`, `<`; but not a `.` followed by ASCII
//!    white space or the end of the text, which ends sentences) or one of
//!    the [`HINTS`] literals (`dot` of `john at example dot com`, `wdl` of
//!    a Washington licence), which the scanner's anchor automaton finds
//!    anyway and passes in;
//! 2. what a match holds before its first signal is a run of word bytes
//!    (`[A-Za-z0-9_%+-]` or non-ASCII) then spaces, or, for the
//!    `name at host dot com` shape, `word at word` around spaces (see
//!    [`extent`]).
//!
//! So from the next signal `p` at or after the search position, [`extent`]
//! steps back over what (2) allows to `q`: no match starts before `q`, and
//! the forward lazy DFA starts there ([`confirm`]). It stops as soon as it is
//! back in the start state for its position ("idle": no match can be under
//! way), and the search skips to the next signal. Leftmost-first order is
//! kept: a match is only ever reported by the same DFA run from a point no
//! match starts before, and its start comes from the same reverse search.
//! Clean prose has a signal every few dozen bytes and is idle again at the
//! next comma or full stop, so the DFA reads a fraction of it; the skip
//! reads the rest 32 bytes at a time in vector code. Dense text (matches
//! close together) gains nothing from skipping: there the search runs the
//! DFA to the next match as before (see [`DENSE`]).

use regex_automata::hybrid::{self, LazyStateID};
use regex_automata::{Anchored, Input, MatchKind, meta, nfa::thompson};
use regex_syntax::hir::Hir;

use crate::starts::StartStates;

/// Literals that signal a match without a signal byte (see the module
/// docs); the scanner's anchor automaton finds them (ASCII
/// case-insensitively) and passes their starts to [`Shapes::for_each`].
pub(crate) const HINTS: [&str; 2] = ["dot", "wdl"];

/// The compiled shapes.
pub(crate) struct Shapes {
    meta: meta::Regex,
    /// The same patterns as two lazy DFAs (forward leftmost-first, reverse
    /// all-matches); `None` when one could not be built or a pattern can
    /// match the empty string (the meta iterator's empty-match rules are
    /// not reproduced here).
    lazy: Option<hybrid::regex::Regex>,
    /// The same patterns restricted to their all-ASCII matches (see
    /// [`crate::hir::ascii_only`]), for ASCII texts: there they find exactly
    /// what `lazy` finds, and their automata are smaller (the patterns'
    /// non-ASCII classes no longer split the byte alphabet, so each state's
    /// row of transitions is shorter and more of them stay in the CPU's
    /// caches). `None` whenever `lazy` is.
    ascii: Option<hybrid::regex::Regex>,
    /// Whether the patterns have the property the skipping search relies on
    /// (see the module docs).
    skippable: bool,
}

/// Per-thread search state of [`Shapes`]: one [`LazyCache`] for each of
/// its lazy regexes.
pub(crate) struct ShapesCache {
    full: LazyCache,
    ascii: LazyCache,
}

/// The search state of one lazy regex.
struct LazyCache {
    lazy: Option<hybrid::regex::Cache>,
    /// The forward DFA's start states: where [`confirm`] starts, and its
    /// "idle" states.
    starts: StartStates,
}

/// One match: pattern index and byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ShapeMatch {
    pub(crate) pattern: usize,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

impl ShapeMatch {
    /// Where the search goes on after this (non-empty) match when its
    /// handler asked for `resume` (see [`Shapes::for_each`]).
    fn next(self, resume: usize) -> usize {
        if resume > self.start && resume <= self.end {
            resume
        } else {
            self.end
        }
    }
}

/// Matches at most this far apart are close. After [`STREAK`] close ones
/// in a row the text is dense: the skipping search lets the lazy DFA run
/// unrolled to the next match until one starts farther than this from
/// where the search began, or the next signal is farther than this.
const DENSE: usize = 128;
/// See [`DENSE`]. One pair of close matches is common in prose (a date
/// and a time) and is not worth leaving the skip for.
const STREAK: usize = 2;

/// Lazy DFA cache size per direction (per thread).
const CACHE: usize = 4 << 20;

impl Shapes {
    /// Compiles `patterns` (leftmost-first: at one start, the earlier
    /// pattern wins). `skippable` says that every pattern has the property
    /// of the module docs, so that [`Shapes::for_each`] may skip text; the
    /// built-in shapes have it (a differential test holds them to it).
    /// The error is the meta regex's build error, as text.
    pub(crate) fn new(
        patterns: &[&str],
        nfa_limit: usize,
        skippable: bool,
    ) -> Result<Shapes, String> {
        Shapes::with_cache(patterns, nfa_limit, skippable, CACHE)
    }

    /// [`Shapes::new`] with `cache` bytes per direction for the lazy DFAs
    /// (tests make them clear their caches often).
    fn with_cache(
        patterns: &[&str],
        nfa_limit: usize,
        skippable: bool,
        cache: usize,
    ) -> Result<Shapes, String> {
        // Parsed once, for the meta regex and the lazy ones.
        let hirs = regex_automata::util::syntax::parse_many(patterns).map_err(|e| e.to_string())?;
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
            .build_many_from_hir(&hirs)
            .map_err(|e| e.to_string())?;
        let lazy_pair = if hirs.iter().all(can_not_be_empty) {
            let ascii: Vec<Hir> = hirs.iter().map(crate::hir::ascii_only).collect();
            lazy_regex(&hirs, nfa_limit, cache).zip(lazy_regex(&ascii, nfa_limit, cache))
        } else {
            None
        };
        let (lazy, ascii) = lazy_pair.unzip();
        Ok(Shapes {
            meta,
            lazy,
            ascii,
            skippable,
        })
    }

    /// A fresh cache for searches of this regex.
    pub(crate) fn create_cache(&self) -> ShapesCache {
        let lazy_cache = |re: &Option<hybrid::regex::Regex>| LazyCache {
            lazy: re.as_ref().map(|re| re.create_cache()),
            starts: StartStates::new(),
        };
        ShapesCache {
            full: lazy_cache(&self.lazy),
            ascii: lazy_cache(&self.ascii),
        }
    }

    /// Calls `f` with every match in `text`, in order (non-overlapping,
    /// leftmost-first, as `meta::Regex::find_iter`). `f` returns where the
    /// search goes on: the match's end, or a position inside it when the
    /// handler used only its head (a URL cut at a comma: the next field is
    /// searched again). A position outside `start + 1..=end` means the end.
    /// `hints`: the starts of the [`HINTS`] literals in `text` (ASCII
    /// case-insensitive), ascending; only read when the patterns are
    /// skippable.
    pub(crate) fn for_each(
        &self,
        cache: &mut ShapesCache,
        text: &str,
        hints: &[usize],
        mut f: impl FnMut(ShapeMatch) -> usize,
    ) {
        let (lazy, cache) = match &self.ascii {
            Some(ascii) if text.is_ascii() => (ascii, &mut cache.ascii),
            _ => match &self.lazy {
                Some(lazy) => (lazy, &mut cache.full),
                None => return self.meta_from(text, 0, &mut f),
            },
        };
        if self.skippable {
            return self.skipping(lazy, cache, text, hints, &mut f);
        }
        let hay = text.as_bytes();
        let Some((re, c)) = Some(lazy).zip(cache.lazy.as_mut()) else {
            return self.meta_from(text, 0, &mut f);
        };
        let mut pos = 0usize;
        loop {
            match search(re, c, hay, pos) {
                // Never empty (see `lazy`), so `pos` moves on.
                Ok(Some(m)) if m.end > m.start => pos = m.next(f(m)),
                Ok(None) => return,
                // A lazy DFA could not go on: the rest of this text with the
                // meta regex. The last match (if any) ended at `pos` and was
                // not empty, so its iterator started at `pos` goes on exactly
                // as one that had found that match would.
                Ok(Some(_)) | Err(()) => return self.meta_from(text, pos, &mut f),
            }
        }
    }

    /// [`Shapes::for_each`] for skippable patterns (see the module docs).
    fn skipping(
        &self,
        re: &hybrid::regex::Regex,
        cache: &mut LazyCache,
        text: &str,
        hints: &[usize],
        f: &mut impl FnMut(ShapeMatch) -> usize,
    ) {
        let hay = text.as_bytes();
        let mut pos = 0usize;
        // The first signal byte at or after `pos` (`hay.len()`: none).
        let mut signal = next_signal(hay, 0);
        let mut hints = hints.iter().copied().peekable();
        // The end of the last match the skipping search found, how many
        // close ones came in a row, and whether the text is dense (see
        // `DENSE`).
        let mut last_end: Option<usize> = None;
        let mut dense = false;
        let mut close = 0;
        loop {
            if signal < pos {
                signal = next_signal(hay, pos);
            }
            while hints.next_if(|&h| h < pos).is_some() {}
            let p = hints.peek().map_or(signal, |&h| h.min(signal));
            if p >= hay.len() {
                return;
            }
            // No match starts before `q`.
            let q = extent(hay, pos, p);
            // Dense text (close matches in a row): the lazy DFA runs from
            // `q` on to the next match unrolled, as in `for_each` (skipping
            // saves nothing); but not towards a signal farther than `DENSE`
            // (every match holds one, so the next match is as far), which
            // the skip reaches sooner.
            if dense && p - pos <= DENSE {
                let Some(c) = cache.lazy.as_mut() else {
                    return self.meta_from(text, pos, f);
                };
                match search(re, c, hay, q) {
                    Ok(Some(m)) if m.end > m.start => {
                        dense = m.start - pos <= DENSE;
                        close = if dense { close } else { 0 };
                        last_end = Some(m.end);
                        pos = m.next(f(m));
                        continue;
                    }
                    Ok(None) => return,
                    Ok(Some(_)) | Err(()) => return self.meta_from(text, pos, f),
                }
            }
            if dense {
                dense = false;
                close = 0;
            }
            match confirm(re, cache, hay, q, pos) {
                Ok(Step::Match(m)) => {
                    // After a resume inside the last match (`Out::resume_at`)
                    // this one may start before that match ended.
                    close = if last_end.is_some_and(|e| m.start.saturating_sub(e) <= DENSE) {
                        close + 1
                    } else {
                        0
                    };
                    dense = close >= STREAK;
                    last_end = Some(m.end);
                    pos = m.next(f(m));
                }
                Ok(Step::Idle(at)) => pos = at,
                Ok(Step::Done) => return,
                // As in `for_each`: the rest with the meta regex.
                Err(()) => return self.meta_from(text, pos, f),
            }
        }
    }

    /// The meta regex's matches in `text[pos..]` (looking around `pos` in
    /// `text`), with `find_iter`'s rules for empty matches; a resume inside
    /// a match starts a new iteration there.
    fn meta_from(&self, text: &str, mut pos: usize, f: &mut impl FnMut(ShapeMatch) -> usize) {
        'search: loop {
            for m in self.meta.find_iter(Input::new(text).span(pos..text.len())) {
                let m = ShapeMatch {
                    pattern: m.pattern().as_usize(),
                    start: m.start(),
                    end: m.end(),
                };
                let next = m.next(f(m));
                if next < m.end {
                    pos = next;
                    continue 'search;
                }
            }
            return;
        }
    }
}

/// Byte classes of the skipping search: [`SIGNAL`], [`WORD`], [`SPACE`],
/// [`HOST`] bits.
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let mut c = 0;
        if is_signal(b) {
            c |= SIGNAL;
        }
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'%' | b'+' | b'-') || b >= 0x80 {
            c |= WORD;
        }
        if matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r') || b >= 0x80 {
            c |= SPACE;
        }
        if b.is_ascii_alphanumeric() || b == b'-' {
            c |= HOST;
        }
        t[i] = c;
        i += 1;
    }
    t
};
/// A signal byte (see the module docs).
const SIGNAL: u8 = 1;
/// A byte a match can hold before its first signal, other than spaces:
/// `[A-Za-z0-9_%+-]` or part of a non-ASCII character.
const WORD: u8 = 2;
/// A byte of a `\s` run: ASCII white space, or part of a non-ASCII
/// character (some of which are spaces).
const SPACE: u8 = 4;
/// A byte of an email host name label: `[A-Za-z0-9-]`.
const HOST: u8 = 8;

/// Whether `b` is a signal byte: `(`, `-`, `.`, `0`-`9`, `:`, `<`, `@`,
/// `[`, `{`.
#[inline(always)]
const fn is_signal(b: u8) -> bool {
    matches!(
        b,
        b'(' | b'-' | b'.' | b'0'..=b':' | b'<' | b'@' | b'[' | b'{'
    )
}

/// Whether `b` may be a signal byte (all signal bytes and `/`), in
/// arithmetic the compiler turns into vector code.
#[inline(always)]
fn maybe_signal(b: u8) -> bool {
    (b.wrapping_sub(b'-') <= b':' - b'-')
        | (b == b'(')
        | (b == b'<')
        | (b == b'@')
        | (b | 0x20 == b'{')
}

/// The first signal in `hay[from..]`, or `hay.len()`.
#[inline(never)]
fn next_signal(hay: &[u8], from: usize) -> usize {
    let mut at = from;
    loop {
        // Prose has a signal every few dozen bytes: 32 at a time,
        // branch-free (vector code), then byte by byte in the 32 that may
        // have one.
        for c in hay.get(at..).unwrap_or_default().chunks_exact(32) {
            let mut any = 0u8;
            for &b in <&[u8; 32]>::try_from(c).unwrap_or(&[0; 32]) {
                any |= u8::from(maybe_signal(b));
            }
            if any != 0 {
                break;
            }
            at += 32;
        }
        let Some(p) = hay
            .get(at..)
            .unwrap_or_default()
            .iter()
            .position(|&b| CLASS[usize::from(b)] & SIGNAL != 0)
            .map(|i| at + i)
        else {
            return hay.len();
        };
        // A full stop that ends a sentence (white space or the end of the
        // text after it) is not a signal: the shapes that hold a `.` have
        // more after it (`www.example.com`, `a.b@c.io`, `0123.4567.89ab`)
        // or another signal before it (`12 N. Main St.`, `10 a.m.`).
        let sentence_end = hay.get(p) == Some(&b'.')
            && hay
                .get(p + 1)
                .is_none_or(|&b| CLASS[usize::from(b)] & SPACE != 0 && b < 0x80);
        if !sentence_end {
            return p;
        }
        at = p + 1;
    }
}

/// `hay[lo..to]` stepped back over bytes of class `class`: the smallest
/// `i >= lo` with `hay[i..to]` all in it.
#[inline]
fn back(hay: &[u8], lo: usize, to: usize, class: u8) -> usize {
    let run = hay
        .get(lo..to)
        .unwrap_or_default()
        .iter()
        .rev()
        .take_while(|&&b| CLASS[usize::from(b)] & class != 0)
        .count();
    to - run
}

/// No match of a skippable pattern set starts in `lo..extent(hay, lo, p)`
/// when `p` is the first signal at or after `lo`. What may come before a
/// match's first signal is word bytes then spaces, or, in the `name at
/// host dot com` shape, `name at host` with spaces around the `at`, the
/// host part (ASCII, possibly empty) running up to `p` or to the spaces
/// before it. Both are stepped over generously (any word ending in `at`
/// counts; non-ASCII bytes count as word and as space).
#[inline(never)]
fn extent(hay: &[u8], lo: usize, p: usize) -> usize {
    let spaces = back(hay, lo, p, SPACE);
    // The host part is the tail of the word (host bytes are word bytes).
    let host = back(hay, lo, spaces, HOST);
    let word = back(hay, lo, host, WORD);
    let ends_at = |i: usize| {
        i >= lo + 2
            && hay
                .get(i - 2..i)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"at"))
    };
    // The name before an `at` ending at `i` (with spaces on both sides).
    let name = |i: usize| {
        let at = i.checked_sub(2).filter(|_| ends_at(i))?;
        let before = back(hay, lo, at, SPACE);
        (before < at).then(|| back(hay, lo, before, WORD))
    };
    // The `at` ends right before the spaces before `p` (no host part yet),
    // or before the spaces before the host part.
    let gap = back(hay, lo, host, SPACE);
    let mut q = word;
    if spaces < p {
        q = q.min(name(spaces).unwrap_or(q));
    }
    if gap < host {
        q = q.min(name(gap).unwrap_or(q));
    }
    q
}

/// What [`confirm`] found.
enum Step {
    /// The leftmost-first match from where the run started.
    Match(ShapeMatch),
    /// The DFA was idle after `hay[..at]`: no match starts before `at` that
    /// was not reported.
    Idle(usize),
    /// No match in the rest of the text.
    Done,
}

/// Runs the forward lazy DFA unanchored from `q` (no match starts in
/// `lo..q`) until it has the leftmost-first match or is idle; the start
/// of a match comes from the reverse DFA, as in [`search`]. `Err` when a
/// lazy DFA gave up or quit.
#[inline(never)]
fn confirm(
    re: &hybrid::regex::Regex,
    cache: &mut LazyCache,
    hay: &[u8],
    q: usize,
    lo: usize,
) -> Result<Step, ()> {
    let fwd = re.forward();
    let LazyCache { lazy, starts } = cache;
    let (fcache, rcache) = lazy.as_mut().ok_or(())?.as_parts_mut();
    starts.ensure(fwd, fcache)?;
    // After a quit byte there is no start state.
    let mut sid = starts.at(hay, q).ok_or(())?;
    let mut mat = None;
    let mut at = q;
    fcache.search_start(at);
    while let Some(&b) = hay.get(at) {
        let next = if sid.is_tagged() {
            None
        } else {
            Some(fwd.next_state_untagged(fcache, sid, b)).filter(|s| !s.is_unknown())
        };
        sid = match next {
            Some(s) => s,
            None => {
                fcache.search_update(at);
                let s = fwd.next_state(fcache, sid, b).map_err(drop)?;
                let generation = fcache.clear_count();
                // `s` survives a clear `next_state` made, but the start
                // states were renumbered. Should finding them again clear
                // the cache once more, `s` is gone too.
                starts.ensure(fwd, fcache)?;
                if fcache.clear_count() != generation {
                    return Err(());
                }
                s
            }
        };
        if sid.is_tagged() {
            if sid.is_match() {
                mat = Some((fwd.match_pattern(fcache, sid, 0), at));
            } else if sid.is_dead() {
                fcache.search_finish(at);
                // An unanchored search only dies after a match.
                if mat.is_none() {
                    return Err(());
                }
                return found(re, rcache, hay, lo, mat);
            } else if sid.is_quit() {
                fcache.search_finish(at);
                return Err(());
            }
        } else if mat.is_none() && starts.idle_after(b, sid) {
            fcache.search_finish(at);
            return Ok(Step::Idle(at + 1));
        }
        at += 1;
    }
    fcache.search_finish(hay.len());
    let eoi = fwd.next_eoi_state(fcache, sid).map_err(drop)?;
    if eoi.is_match() {
        mat = Some((fwd.match_pattern(fcache, eoi, 0), hay.len()));
    }
    found(re, rcache, hay, lo, mat)
}

/// The match whose forward search ended at `mat` (pattern, end), its start
/// found by the reverse DFA; [`Step::Done`] when there is none.
fn found(
    re: &hybrid::regex::Regex,
    rcache: &mut hybrid::dfa::Cache,
    hay: &[u8],
    lo: usize,
    mat: Option<(regex_automata::PatternID, usize)>,
) -> Result<Step, ()> {
    let Some((pattern, end)) = mat else {
        return Ok(Step::Done);
    };
    with_start(re, rcache, hay, lo, pattern, end).map(Step::Match)
}

#[cfg(test)]
impl Shapes {
    /// Every match of the meta regex, `meta::Regex::find_iter`'s way: what
    /// [`Shapes::for_each`] must report.
    pub(crate) fn meta_matches(&self, text: &str) -> Vec<ShapeMatch> {
        self.meta
            .find_iter(text)
            .map(|m| ShapeMatch {
                pattern: m.pattern().as_usize(),
                start: m.start(),
                end: m.end(),
            })
            .collect()
    }
}

/// Whether no match of `hir` can be empty.
fn can_not_be_empty(hir: &Hir) -> bool {
    hir.properties().minimum_len().is_none_or(|n| n > 0)
}

/// The patterns `hirs` as a lazy regex (forward leftmost-first, reverse
/// all-matches), configured as the meta regex configures its own lazy DFAs,
/// with `cache` bytes per direction; `None` if it cannot be built.
fn lazy_regex(hirs: &[Hir], nfa_limit: usize, cache: usize) -> Option<hybrid::regex::Regex> {
    let nfa = |reverse: bool| {
        thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .nfa_size_limit(Some(nfa_limit))
                    .which_captures(thompson::WhichCaptures::None)
                    .reverse(reverse),
            )
            .build_many_from_hir(hirs)
            .ok()
    };
    let config = hybrid::dfa::Config::new()
        .match_kind(MatchKind::LeftmostFirst)
        .unicode_word_boundary(true)
        .cache_capacity(cache)
        .skip_cache_capacity_check(false)
        .minimum_cache_clear_count(Some(3))
        .minimum_bytes_per_state(Some(10));
    let forward = hybrid::dfa::Builder::new()
        .configure(config.clone())
        .build_from_nfa(nfa(false)?)
        .ok()?;
    // As `hybrid::regex::Builder` makes its reverse DFA.
    let reverse = hybrid::dfa::Builder::new()
        .configure(
            config
                .prefilter(None)
                .specialize_start_states(false)
                .match_kind(MatchKind::All),
        )
        .build_from_nfa(nfa(true)?)
        .ok()?;
    Some(hybrid::regex::Builder::new().build_from_dfas(forward, reverse))
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
    with_start(re, rcache, hay, pos, end.pattern(), end.offset()).map(Some)
}

/// The match of `pattern` the forward search found ending at `end`, its
/// start found by the reverse DFA from `end` back to no further than `lo`.
fn with_start(
    re: &hybrid::regex::Regex,
    rcache: &mut hybrid::dfa::Cache,
    hay: &[u8],
    lo: usize,
    pattern: regex_automata::PatternID,
    end: usize,
) -> Result<ShapeMatch, ()> {
    // The reverse search always matches when the forward one did.
    let start = rev_start(re.reverse(), rcache, hay, lo, end)?.ok_or(())?;
    Ok(ShapeMatch {
        pattern: pattern.as_usize(),
        start,
        end,
    })
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
        s.meta_matches(text)
    }

    fn ours(s: &Shapes, text: &str) -> Vec<ShapeMatch> {
        let mut cache = s.create_cache();
        let mut v = Vec::new();
        s.for_each(&mut cache, text, &[], |m| {
            v.push(m);
            m.end
        });
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
        let s = Shapes::new(&patterns, 1 << 24, false).expect("compiles");
        assert!(s.lazy.is_some() && s.ascii.is_some());
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

    /// The skipping search over lazy DFAs whose caches fill up and clear
    /// (renumbering the states it keeps) or give up finds what the meta
    /// regex finds.
    #[test]
    fn skipping_survives_cache_clears() {
        let patterns = [
            r"[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*@(?:[A-Za-z0-9\-]+\.)+[A-Za-z]{2,24}",
            r"[0-9]{1,4}(?:[ .\-][0-9]{2,4}){1,4}",
            r"(?i:https?)://[^\s]+",
            r"[A-Za-z]{2}[0-9]{2}[0-9A-Z]{4,30}",
        ];
        let mut clears = [0, 0];
        for cache in [1 << 14, 1 << 15, 1 << 16] {
            let Ok(s) = Shapes::with_cache(&patterns, 1 << 24, true, cache) else {
                continue;
            };
            if s.lazy.is_none() {
                continue;
            }
            let mut c = s.create_cache();
            let mut rng = crate::testrand::Rng::new(0x0dd5_eed5);
            let words: Vec<&str> =
                "word|Jo.e|a-b@x.io|ab@|12|555-0100|http://x/y|DE89|370400440532|. |, | |\n|e|Q|9"
                    .split('|')
                    .collect();
            for round in 0..60 {
                let mut text = String::new();
                for _ in 0..2000 {
                    text.push_str(words[rng.below(words.len())]);
                }
                // Every other text is not ASCII (the full regex's turn).
                if round % 2 == 1 {
                    text.push('é');
                }
                let mut got = Vec::new();
                s.for_each(&mut c, &text, &[], |m| {
                    got.push(m);
                    m.end
                });
                assert_eq!(got, meta_all(&s, &text));
            }
            for (n, lazy) in clears.iter_mut().zip([&mut c.full, &mut c.ascii]) {
                *n += lazy
                    .lazy
                    .as_mut()
                    .map_or(0, |l| l.as_parts_mut().0.clear_count());
            }
        }
        assert!(
            clears.iter().all(|&n| n > 0),
            "small caches cleared: {clears:?}"
        );
    }

    /// A handler that uses only the head of a match has the search go on
    /// inside it, on every path (lazy, skipping, meta): the e-mail after a
    /// URL's comma is found.
    #[test]
    fn resume_inside_a_match_searches_the_rest() {
        let patterns = [r"https?://[^\s]+", r"[a-z]+@[a-z]+\.[a-z]+"];
        let unit = "go https://a.com/?x=1,jane@corp.com and bob@x.io; https://b.org/p ";
        let text = unit.repeat(12);
        // Cut a URL at its comma.
        let cut = |text: &str, m: ShapeMatch| {
            let hay = text.get(m.start..m.end).unwrap_or("");
            match (m.pattern, hay.find(',')) {
                (0, Some(i)) => m.start + i,
                _ => m.end,
            }
        };
        // The reference: one meta search at a time from where the last
        // match's handler said.
        let reference = |s: &Shapes| {
            let (mut v, mut pos) = (Vec::new(), 0);
            while let Some(m) = s.meta.search(&Input::new(&text).span(pos..text.len())) {
                let m = ShapeMatch {
                    pattern: m.pattern().as_usize(),
                    start: m.start(),
                    end: m.end(),
                };
                v.push(m);
                pos = cut(&text, m);
            }
            v
        };
        for skippable in [false, true] {
            let s = Shapes::new(&patterns, 1 << 24, skippable).expect("compiles");
            let want = reference(&s);
            assert_eq!(want.iter().filter(|m| m.pattern == 1).count(), 24);
            let mut cache = s.create_cache();
            let mut got = Vec::new();
            s.for_each(&mut cache, &text, &[], |m| {
                got.push(m);
                cut(&text, m)
            });
            assert_eq!(got, want, "skippable: {skippable}");
            let mut got = Vec::new();
            s.meta_from(&text, 0, &mut |m| {
                got.push(m);
                cut(&text, m)
            });
            assert_eq!(got, want, "meta");
        }
    }

    /// A pattern that can match the empty string leaves everything to the
    /// meta iterator, including its empty-match rules.
    #[test]
    fn empty_matches_use_meta() {
        let s = Shapes::new(&[r"\d*", r"a"], 1 << 24, false).expect("compiles");
        assert!(s.lazy.is_none() && s.ascii.is_none());
        for text in ["", "a1b22é3", "ééa", "12a"] {
            assert_eq!(ours(&s, text), meta_all(&s, text), "{text:?}");
        }
    }
}
