//! A quick answer to "can any phrase match this (ASCII) text?".
//!
//! Most prompts hold a trigger word (`system`, `prompt`, `model`, …) and
//! are analysed whole, and most of those hold no phrase at all. A lazy
//! DFA's walk is one chain of dependent table loads over the text; here a
//! lazy DFA of the phrases (in the module: of their keyed
//! preimages, over the text's keys before it is folded; see
//! `Phrases::may_match_unfolded`) runs over three parts of the text in
//! lockstep, so that the three chains' loads overlap. Only when a part
//! reaches a match (or the DFA cannot go on) does the caller fold the text
//! and search it for the phrases (`super::search`), which finds the matches
//! as before.
//!
//! Exactness: a part starts in the DFA's start state for its position (the
//! state a search starting there begins in). A match starting in a part is
//! seen by that part's walk as long as the walk runs to the match's end, so
//! each part's walk goes on past the part's end until its state is the
//! start state for where it is ("idle": no match under way), which leaves
//! every later match to the next part; the last part runs to the end of the
//! text.

use std::panic::{RefUnwindSafe, UnwindSafe};

use regex_automata::hybrid::{self, LazyStateID};
use regex_automata::util::pool::Pool;
use regex_syntax::hir::Hir;

use crate::starts::StartStates;

/// Texts shorter than this many bytes a part are not split.
const MIN_PART: usize = 64;

/// Number of parts walked in lockstep.
const PARTS: usize = 3;

type CreateScratch = Box<dyn Fn() -> Scratch + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// The phrases' forward lazy DFA and per-thread search state.
pub(super) struct Filter {
    dfa: hybrid::dfa::DFA,
    pool: Pool<Scratch, CreateScratch>,
}

/// Per-thread state of a [`Filter`].
struct Scratch {
    cache: hybrid::dfa::Cache,
    /// Where parts start, and when a walk is idle.
    starts: StartStates,
    /// The text mapped byte by byte ([`Filter::may_match_keyed`]).
    keyed: Vec<u8>,
}

impl Filter {
    /// The filter of the patterns `hirs` (in leftmost-first order, as the
    /// search it stands in front of); `None` if it cannot be built.
    pub(super) fn new(hirs: &[Hir]) -> Option<Filter> {
        // Never gives up for good: a walk the cache is cleared under leaves
        // that text to the search, and the next walk starts afresh.
        let dfa = super::phrase_dfa(hirs)?;
        let for_pool = dfa.clone();
        let create: CreateScratch = Box::new(move || Scratch {
            cache: for_pool.create_cache(),
            starts: StartStates::new(),
            keyed: Vec::new(),
        });
        Some(Filter {
            dfa,
            pool: Pool::new(create),
        })
    }

    /// Whether a phrase may match `hay` with every byte `b` replaced by
    /// `key(b)` (done in a per-thread buffer: nothing is allocated once it
    /// has grown): `false` only when none does. Texts too short to split
    /// are answered `true` (the caller's search is as quick).
    pub(super) fn may_match_keyed(&self, hay: &[u8], key: impl Fn(u8) -> u8) -> bool {
        if hay.len() < PARTS * MIN_PART {
            return true;
        }
        let mut scratch = self.pool.get();
        let mut keyed = std::mem::take(&mut scratch.keyed);
        keyed.clear();
        keyed.extend(hay.iter().map(|&b| key(b)));
        let found = walk(&self.dfa, &mut scratch, &keyed).unwrap_or(true);
        scratch.keyed = keyed;
        found
    }

    /// Whether a phrase may match `hay` itself, splitting texts of at least
    /// `min_part` bytes a part (tests make the parts tiny).
    #[cfg(test)]
    fn may_match_in_parts(&self, hay: &[u8], min_part: usize) -> bool {
        if hay.len() < PARTS * min_part.max(1) {
            return true;
        }
        let mut scratch = self.pool.get();
        walk(&self.dfa, &mut scratch, hay).unwrap_or(true)
    }
}

/// Whether a match of `dfa` lies in `hay` (at least [`PARTS`] bytes);
/// `Err` when the DFA cannot go on (its cache was cleared under the walk,
/// or it gave up or quit).
fn walk(dfa: &hybrid::dfa::DFA, s: &mut Scratch, hay: &[u8]) -> Result<bool, ()> {
    s.starts.ensure(dfa, &mut s.cache)?;
    let generation = s.cache.clear_count();
    let part = hay.len() / PARTS;
    let starts = [0, part, 2 * part];
    let [Some(s0), Some(s1), Some(s2)] = starts.map(|at| s.starts.at(hay, at)) else {
        return Err(());
    };
    let mut sids = [s0, s1, s2];
    // The parts in lockstep, as far as the shortest goes.
    let lanes = starts.map(|at| hay.get(at..at + part).unwrap_or_default());
    let [l0, l1, l2] = lanes;
    for ((&b0, &b1), &b2) in l0.iter().zip(l1).zip(l2) {
        let [s0, s1, s2] = sids;
        let n0 = step(dfa, &mut s.cache, generation, s0, b0)?;
        let n1 = step(dfa, &mut s.cache, generation, s1, b1)?;
        let n2 = step(dfa, &mut s.cache, generation, s2, b2)?;
        sids = [n0, n1, n2];
        if n0.is_tagged() || n1.is_tagged() || n2.is_tagged() {
            if let Some(found) = tagged(sids) {
                return found;
            }
        }
    }
    // Each part on alone: to its end, then past it until idle (the last
    // part: to the end of the text).
    for (k, (&from, &sid)) in starts.iter().zip(&sids).enumerate() {
        let end = if k + 1 < PARTS {
            from + part
        } else {
            hay.len()
        };
        let mut sid = sid;
        let mut at = from + part;
        loop {
            let Some(&b) = hay.get(at) else {
                let eoi = dfa.next_eoi_state(&mut s.cache, sid).map_err(drop)?;
                if eoi.is_match() {
                    return Ok(true);
                }
                // The next parts' states must have survived this step.
                if s.cache.clear_count() != generation {
                    return Err(());
                }
                break;
            };
            if at >= end
                && hay
                    .get(at - 1)
                    .is_some_and(|&p| s.starts.idle_after(p, sid))
            {
                break;
            }
            sid = step(dfa, &mut s.cache, generation, sid, b)?;
            if sid.is_tagged() {
                if let Some(found) = tagged([sid; PARTS]) {
                    return found;
                }
            }
            at += 1;
        }
    }
    Ok(false)
}

/// The state after `sid` reads `b`. `Err` when the DFA cannot go on, or
/// when computing the state cleared the cache (the cache's generation is
/// no longer `generation`): a clear renumbers the states the other parts
/// hold, so it is caught before a stale state is used. A transition
/// already computed is one table load: only computing a new state can
/// clear the cache.
#[inline(always)]
fn step(
    dfa: &hybrid::dfa::DFA,
    cache: &mut hybrid::dfa::Cache,
    generation: usize,
    sid: LazyStateID,
    b: u8,
) -> Result<LazyStateID, ()> {
    if !sid.is_tagged() {
        let next = dfa.next_state_untagged(cache, sid, b);
        if !next.is_unknown() {
            return Ok(next);
        }
    }
    compute_step(dfa, cache, generation, sid, b)
}

/// [`step`] when the transition is not in the cache yet (or `sid` is
/// tagged: a start or match state).
#[cold]
#[inline(never)]
fn compute_step(
    dfa: &hybrid::dfa::DFA,
    cache: &mut hybrid::dfa::Cache,
    generation: usize,
    sid: LazyStateID,
    b: u8,
) -> Result<LazyStateID, ()> {
    let next = dfa.next_state(cache, sid, b).map_err(drop)?;
    if cache.clear_count() == generation {
        Ok(next)
    } else {
        Err(())
    }
}

/// What tagged states among `sids` mean for [`walk`]: a match state, a
/// match; a dead or quit state, no answer (an unanchored search dies only
/// after a match); `None` when the walk goes on.
fn tagged(sids: [LazyStateID; PARTS]) -> Option<Result<bool, ()>> {
    if sids.iter().any(|s| s.is_match()) {
        Some(Ok(true))
    } else if sids
        .iter()
        .any(|s| s.is_dead() || s.is_quit() || s.is_unknown())
    {
        Some(Err(()))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::{MatchKind, nfa::thompson};

    /// The filter says "no match" exactly when the regex finds none, on
    /// texts long and short, split into parts of every size (part edges
    /// inside phrases), and through cache clears.
    #[test]
    fn filter_answers_as_the_regex() {
        // The phrases as one regex (the oracle), and a filter of the
        // phrases restricted to their all-ASCII matches: on ASCII texts
        // both find the same. Samples are of the phrases as written.
        let (hirs, oracle) = super::super::phrase_oracle();
        let re = &oracle;
        let ascii: Vec<Hir> = hirs.iter().map(crate::hir::ascii_only).collect();
        let filter = &Filter::new(&ascii).expect("filter");
        let prose = [
            "the ",
            "system ",
            "prompt ",
            "model ",
            "rules ",
            "said ",
            "and ",
            ". ",
            ", ",
            "\n",
            "ignore ",
            "previous ",
            "your ",
            "instructions ",
            "<!-- ",
            "end of document ",
        ];
        let mut rng = crate::testrand::Rng::new(0x1a7e_5eed);
        let (mut yes, mut no) = (0, 0);
        let (mut walks, mut gave_up) = (0, 0);
        for round in 0..800 {
            let mut text = Vec::new();
            for _ in 0..1 + rng.below(if round % 5 == 0 { 120 } else { 30 }) {
                if rng.below(25) == 0 {
                    // Now and then a phrase (its ASCII samples only).
                    let mut piece = Vec::new();
                    if let Some(h) = hirs.get(rng.below(hirs.len())) {
                        crate::hir::sample(h, &mut rng, &mut piece);
                    }
                    if piece.is_ascii() {
                        text.extend_from_slice(&piece);
                    }
                } else {
                    text.extend_from_slice(prose[rng.below(prose.len())].as_bytes());
                }
            }
            let want = re.is_match(&text[..]);
            for min_part in [1, 2, 5, 17, MIN_PART] {
                let got = filter.may_match_in_parts(&text, min_part);
                if text.len() < PARTS * min_part {
                    assert!(got, "unsplit texts are left to the search");
                    continue;
                }
                // Never "no" for a text with a phrase.
                assert!(got || !want, "{:?}", String::from_utf8_lossy(&text));
                // "Yes" for one without only where the walk gave up (its
                // cache was cleared under it).
                let mut scratch = filter.pool.get();
                match walk(&filter.dfa, &mut scratch, &text) {
                    Ok(found) => assert_eq!(found, want, "parts of {min_part}"),
                    Err(()) => gave_up += 1,
                }
                walks += 1;
            }
            if want {
                yes += 1;
            } else {
                no += 1;
            }
        }
        assert!(
            yes > 100 && no > 100,
            "{yes} texts with a phrase, {no} without"
        );
        assert!(gave_up * 50 < walks, "{gave_up} of {walks} walks gave up");
    }

    /// A filter whose cache keeps clearing still never says "no match"
    /// for a text with one.
    #[test]
    fn filter_survives_cache_clears() {
        let hirs = regex_automata::util::syntax::parse_many(&[
            r"ignore (?:all )?(?:previous|prior) (?:instructions|rules)",
            r"[a-z]{3}[0-9]{3}[a-z]{3}",
        ])
        .expect("parse");
        let nfa = thompson::Compiler::new()
            .configure(thompson::Config::new().which_captures(thompson::WhichCaptures::None))
            .build_many_from_hir(&hirs)
            .expect("nfa");
        let dfa = hybrid::dfa::Builder::new()
            .configure(
                hybrid::dfa::Config::new()
                    .match_kind(MatchKind::LeftmostFirst)
                    .cache_capacity(1)
                    .skip_cache_capacity_check(true)
                    .minimum_cache_clear_count(None),
            )
            .build_from_nfa(nfa)
            .expect("dfa");
        let mut s = Scratch {
            cache: dfa.create_cache(),
            starts: StartStates::new(),
            keyed: Vec::new(),
        };
        let re = regex_automata::meta::Regex::builder()
            .build_many_from_hir(&hirs)
            .expect("regex");
        let mut rng = crate::testrand::Rng::new(77);
        let words = [
            "ignore ",
            "all ",
            "previous ",
            "rules ",
            "abc123xyz ",
            "q1 ",
            "zz ",
        ];
        let mut errors = 0;
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..3 + rng.below(40) {
                text.push_str(words[rng.below(words.len())]);
            }
            match walk(&dfa, &mut s, text.as_bytes()) {
                Ok(found) => assert_eq!(found, re.is_match(&text), "{text:?}"),
                Err(()) => errors += 1,
            }
        }
        assert!(errors > 0, "the tiny cache made walks give up");
    }
}
