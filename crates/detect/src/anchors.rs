//! The anchor automaton: every anchor literal of every module, found ASCII
//! case-insensitively and overlapping in one pass.
//!
//! The automaton is aho-corasick's DFA over the ASCII-lowercased literals,
//! copied into a table of our own at build time, for three reasons that all
//! come down to the cost per byte of the one loop that reads every byte of
//! every scanned text:
//!
//! - **Case folding in the byte classes.** Our byte-to-class map sends `A`–`Z`
//!   to the classes of `a`–`z`, so the walk reads the text as it is. Before,
//!   each chunk was copied and lowercased first (a case-insensitive DFA has
//!   twice the transitions and its table no longer fits the cache).
//! - **Match states numbered first.** "Is this a match state?" is one
//!   comparison of the (premultiplied) state id with a limit, a power of
//!   two that every other state's id reaches (and stays below twice), so
//!   the lockstep walk asks it of three states with one test of their AND.
//! - **Lanes.** A DFA walk is bound by the latency of one dependent table
//!   load per byte, so the text is split into [`LANES`] lanes walked in
//!   lockstep: independent chains of loads run in parallel.
//!
//! The table has the DFA's states and transitions exactly (it is made by
//! walking the DFA from its start state over every byte), so it reports the
//! same matches in the same order as aho-corasick's own overlapping search.

use std::collections::HashMap;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::{Anchored, MatchKind, dfa::DFA};

use crate::engine::Hit;

/// Number of lanes the automaton walks in lockstep.
pub(crate) const LANES: usize = 3;

/// Texts shorter than this are walked as one lane. Three lanes pay off on
/// short texts too, as each lane's lookups wait on the one before: a 1 KB
/// prompt scans ~9 % faster split, a 150-byte one ~2 %, though each lane
/// reads on by the longest literal.
const MIN_SPLIT: usize = 1 << 7;

/// An anchor occurrence: (module index, anchor id, hit).
pub(crate) type AnchorHit = (usize, u32, Hit);

/// The compiled anchor literals of a scanner.
#[derive(Debug)]
pub(crate) struct AnchorAutomaton {
    /// Byte -> equivalence class; ASCII capitals share their lowercase
    /// letter's class.
    classes: [u8; 256],
    /// Number of classes: the distance between two states' rows.
    stride: u32,
    /// Premultiplied transitions: the state after `sid` reads byte `b` is
    /// `trans[sid + classes[b]]`.
    trans: Vec<u32>,
    /// The unanchored start state.
    start: u32,
    /// States below this id are match states.
    match_limit: u32,
    /// For match state `sid / stride`: its range in `matches`.
    match_ranges: Vec<(u32, u32)>,
    /// (pattern index, literal length) of each match, in the order the DFA
    /// lists them.
    matches: Vec<(u32, u32)>,
    /// Pattern index -> (module index, anchor id).
    targets: Vec<(usize, u32)>,
    /// Length in bytes of the longest literal.
    max_len: usize,
}

impl AnchorAutomaton {
    /// Compiles `literals` (pattern `i` is reported as `targets[i]`). `None`
    /// when there are no literals.
    pub(crate) fn new(
        literals: &[String],
        targets: Vec<(usize, u32)>,
    ) -> Result<Option<AnchorAutomaton>, String> {
        if literals.is_empty() {
            return Ok(None);
        }
        let lowered: Vec<String> = literals.iter().map(|l| l.to_ascii_lowercase()).collect();
        let dfa = DFA::builder()
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(&lowered)
            .map_err(|e| e.to_string())?;
        let start = dfa.start_state(Anchored::No).map_err(|e| e.to_string())?;

        // Every state reachable from the start, in discovery order, with
        // its 256 successors.
        let mut index: HashMap<StateID, u32> = HashMap::new();
        let mut states: Vec<StateID> = vec![start];
        let mut rows: Vec<Vec<u32>> = Vec::new();
        index.insert(start, 0);
        let mut next = 0;
        while let Some(&sid) = states.get(next) {
            let mut row = Vec::with_capacity(256);
            for b in 0..=255u8 {
                let to = dfa.next_state(Anchored::No, sid, b);
                let id = match index.get(&to) {
                    Some(&id) => id,
                    None => {
                        let id = u32::try_from(states.len()).map_err(|e| e.to_string())?;
                        index.insert(to, id);
                        states.push(to);
                        id
                    }
                };
                row.push(id);
            }
            rows.push(row);
            next += 1;
        }

        // Byte classes: bytes whose columns are equal. Capitals are left
        // out and given their lowercase letter's class: the literals are
        // lowercased, so reading `A` must do what reading `a` does.
        let mut classes = [0u8; 256];
        let mut reps: Vec<u8> = Vec::new();
        let mut by_column: HashMap<Vec<u32>, u8> = HashMap::new();
        for b in 0..=255u8 {
            if b.is_ascii_uppercase() {
                continue;
            }
            let column: Vec<u32> = rows.iter().map(|r| r[usize::from(b)]).collect();
            let class = match by_column.get(&column) {
                Some(&c) => c,
                None => {
                    let c = u8::try_from(reps.len()).map_err(|e| e.to_string())?;
                    by_column.insert(column, c);
                    reps.push(b);
                    c
                }
            };
            classes[usize::from(b)] = class;
        }
        for b in b'A'..=b'Z' {
            classes[usize::from(b)] = classes[usize::from(b.to_ascii_lowercase())];
        }
        let stride = u32::try_from(reps.len()).map_err(|e| e.to_string())?;

        // Match states first, each group in discovery order. Match states
        // take ids below `half` (a power of two) and the others ids from
        // `half` on, below `2 * half`: a state is a match state iff its id
        // lacks the `half` bit, so "is any of three states a match state"
        // is one test of their bitwise AND (see [`walk3`]).
        let is_match: Vec<bool> = states.iter().map(|&s| dfa.is_match(s)).collect();
        let n_match = is_match.iter().filter(|&&m| m).count();
        let n_other = states.len() - n_match;
        let half = n_match
            .max(n_other)
            .checked_mul(reps.len())
            .map(usize::next_power_of_two)
            .filter(|&h| u32::try_from(h * 2).is_ok())
            .ok_or("anchor automaton too large")?;
        let mut order: Vec<usize> = (0..states.len()).filter(|&i| is_match[i]).collect();
        order.extend((0..states.len()).filter(|&i| !is_match[i]));
        let mut renumber = vec![0u32; states.len()];
        for (new, &old) in order.iter().enumerate() {
            let id = if new < n_match {
                new * reps.len()
            } else {
                half + (new - n_match) * reps.len()
            };
            renumber[old] = u32::try_from(id).map_err(|e| e.to_string())?;
        }
        // The whole table is allocated zeroed (fresh pages); the rows are
        // written where their ids say, so the gap after the match states
        // and the padding are never touched (not resident).
        let mut trans = vec![0u32; half * 2];
        let mut match_ranges = Vec::with_capacity(n_match);
        let mut matches = Vec::new();
        for &old in &order {
            let row = &rows[old];
            let at = renumber[old] as usize;
            for (slot, &b) in trans.iter_mut().skip(at).zip(&reps) {
                *slot = renumber[row[usize::from(b)] as usize];
            }
            if is_match[old] {
                let sid = states[old];
                let from = u32::try_from(matches.len()).map_err(|e| e.to_string())?;
                for j in 0..dfa.match_len(sid) {
                    let pid = dfa.match_pattern(sid, j);
                    let len = u32::try_from(dfa.pattern_len(pid)).map_err(|e| e.to_string())?;
                    matches.push((pid.as_u32(), len));
                }
                let to = u32::try_from(matches.len()).map_err(|e| e.to_string())?;
                match_ranges.push((from, to));
            }
        }
        let match_limit = u32::try_from(half).map_err(|e| e.to_string())?;
        Ok(Some(AnchorAutomaton {
            classes,
            stride,
            trans,
            start: renumber[0],
            match_limit,
            match_ranges,
            matches,
            targets,
            max_len: literals.iter().map(String::len).max().unwrap_or(0),
        }))
    }

    /// Number of literals.
    pub(crate) fn len(&self) -> usize {
        self.targets.len()
    }

    #[inline(always)]
    fn next(&self, sid: u32, b: u8) -> u32 {
        next(&self.trans, &self.classes, sid, b)
    }

    /// Every literal occurrence in `text`, ASCII case-insensitively,
    /// overlapping, in the order one pass reports them (by end; at one end,
    /// longer first). `lanes` is scratch space.
    ///
    /// Lane `k` owns a third of the text and reads on by the longest
    /// literal less one, so every occurrence starting in it ends in what it
    /// reads; it reports only the occurrences that start in what it owns, so
    /// each is reported exactly once. Its hits are appended after the
    /// previous lane's.
    pub(crate) fn find(
        &self,
        text: &str,
        hits: &mut Vec<AnchorHit>,
        lanes: &mut [Vec<AnchorHit>; LANES - 1],
    ) {
        let bytes = text.as_bytes();
        let len = bytes.len();
        let overlap = self.max_len.saturating_sub(1);
        let n = if len >= MIN_SPLIT { LANES } else { 1 };
        let mut bounds = [len; LANES + 1];
        for (k, b) in bounds.iter_mut().enumerate().take(n) {
            *b = len / n * k;
        }
        let mut input: [&[u8]; LANES] = [&[]; LANES];
        for (k, lane_in) in input.iter_mut().enumerate().take(n) {
            let to = bounds[k + 1].saturating_add(overlap).min(len);
            *lane_in = bytes.get(bounds[k]..to).unwrap_or_default();
        }
        for l in lanes.iter_mut() {
            l.clear();
        }
        let mut crossed = false;
        let mut sids = [self.start; LANES];
        let common = if n == LANES {
            input.iter().map(|l| l.len()).min().unwrap_or(0)
        } else {
            0
        };
        let heads = input.map(|l| l.get(..common).unwrap_or_default());
        let mut at = 0;
        while at < common {
            let from = heads.map(|h| h.get(at..).unwrap_or_default());
            let (read, now) = walk3(&self.trans, &self.classes, self.match_limit, from, sids);
            at += read;
            sids = now;
            for (k, &sid) in sids.iter().enumerate() {
                if sid < self.match_limit {
                    let out = lane_out(k, hits, lanes);
                    crossed |= self.report(sid, at, &bounds, k, out);
                }
            }
        }
        for (k, (sid, lane_in)) in sids.iter_mut().zip(&input).enumerate().take(n) {
            let out = lane_out(k, hits, lanes);
            for (i, &b) in lane_in.iter().enumerate().skip(common) {
                *sid = self.next(*sid, b);
                if *sid < self.match_limit {
                    crossed |= self.report(*sid, i + 1, &bounds, k, out);
                }
            }
        }
        for l in lanes.iter_mut() {
            hits.append(l);
        }
        if crossed {
            // A match that crosses into the next lane was reported before
            // that lane's earlier-ending ones; one pass reports by end
            // (stable: at one end, the longer match comes first).
            hits.sort_by_key(|&(_, _, h)| h.end);
        }
    }

    /// Pushes the matches of match state `sid`, reached at `end` (lane
    /// offset) in lane `k`, that start in what the lane owns. Returns
    /// whether one of them ends past it.
    #[cold]
    fn report(
        &self,
        sid: u32,
        end: usize,
        bounds: &[usize; LANES + 1],
        k: usize,
        out: &mut Vec<AnchorHit>,
    ) -> bool {
        let owned = bounds[k + 1] - bounds[k];
        let base = bounds[k];
        let mut crossed = false;
        let state = (sid / self.stride.max(1)) as usize;
        let Some(&(from, to)) = self.match_ranges.get(state) else {
            return false;
        };
        for &(pid, plen) in self
            .matches
            .get(from as usize..to as usize)
            .unwrap_or_default()
        {
            let hit_start = end.saturating_sub(plen as usize);
            if hit_start >= owned {
                continue;
            }
            crossed |= end > owned;
            if let Some(&(mi, id)) = self.targets.get(pid as usize) {
                out.push((
                    mi,
                    id,
                    Hit {
                        start: base + hit_start,
                        end: base + end,
                    },
                ));
            }
        }
        crossed
    }
}

/// The state after `sid` reads `b`. `trans` has a power-of-two length, so
/// the mask keeps every index in range without a bounds check (every real
/// index is below the length, so the mask never changes one).
#[inline(always)]
fn next(trans: &[u32], classes: &[u8; 256], sid: u32, b: u8) -> u32 {
    let at = sid.wrapping_add(u32::from(classes[usize::from(b)])) as usize;
    trans[at & trans.len().wrapping_sub(1)]
}

/// Walks three lanes of equal length in lockstep from states `sids` until
/// one of them reaches a match state or the lanes end. Returns the number of
/// bytes read and the states.
///
/// Written out for three lanes so that the states stay in registers and no
/// byte read is bounds-checked, and kept out of line so that reporting (a
/// call) does not make the compiler spill the loop's registers. Two bytes
/// a step; after each byte, one test of the states' bitwise AND against
/// `limit`, the power of two that only non-match ids reach (see
/// [`AnchorAutomaton::new`]): the AND is below it iff some state is.
#[inline(never)]
fn walk3(
    trans: &[u32],
    classes: &[u8; 256],
    limit: u32,
    lanes: [&[u8]; 3],
    sids: [u32; LANES],
) -> (usize, [u32; LANES]) {
    let [h0, h1, h2] = lanes;
    let [mut s0, mut s1, mut s2] = sids;
    let pair = |c: &[u8]| <[u8; 2]>::try_from(c).unwrap_or_default();
    let mut at = 0;
    for ((c0, c1), c2) in h0
        .chunks_exact(2)
        .zip(h1.chunks_exact(2))
        .zip(h2.chunks_exact(2))
    {
        let ([a0, b0], [a1, b1], [a2, b2]) = (pair(c0), pair(c1), pair(c2));
        s0 = next(trans, classes, s0, a0);
        s1 = next(trans, classes, s1, a1);
        s2 = next(trans, classes, s2, a2);
        if (s0 & s1 & s2) < limit {
            return (at + 1, [s0, s1, s2]);
        }
        s0 = next(trans, classes, s0, b0);
        s1 = next(trans, classes, s1, b1);
        s2 = next(trans, classes, s2, b2);
        at += 2;
        if (s0 & s1 & s2) < limit {
            return (at, [s0, s1, s2]);
        }
    }
    if let (Some(&b0), Some(&b1), Some(&b2)) = (h0.get(at), h1.get(at), h2.get(at)) {
        s0 = next(trans, classes, s0, b0);
        s1 = next(trans, classes, s1, b1);
        s2 = next(trans, classes, s2, b2);
        at += 1;
    }
    (at, [s0, s1, s2])
}

/// Where lane `k` pushes its hits: lane 0 straight into `hits`.
fn lane_out<'a>(
    k: usize,
    hits: &'a mut Vec<AnchorHit>,
    lanes: &'a mut [Vec<AnchorHit>; LANES - 1],
) -> &'a mut Vec<AnchorHit> {
    match k.checked_sub(1).and_then(|l| lanes.get_mut(l)) {
        Some(out) => out,
        None => hits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Single overlapping pass of aho-corasick itself over the lowercased
    /// text: what [`AnchorAutomaton::find`] must reproduce exactly.
    fn reference(literals: &[String], text: &str) -> Vec<(usize, usize, usize)> {
        let lower: Vec<String> = literals.iter().map(|l| l.to_ascii_lowercase()).collect();
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&lower)
            .expect("automaton");
        ac.find_overlapping_iter(&text.to_ascii_lowercase())
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect()
    }

    #[test]
    fn lanes_and_case_folding_match_one_lowercased_pass() {
        let literals: Vec<String> = ["auth", "authorization", "Token", "ab", "b", "BEGIN ", "é"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let targets = (0..literals.len()).map(|i| (i, 0)).collect();
        let auto = AnchorAutomaton::new(&literals, targets)
            .expect("builds")
            .expect("not empty");
        let words = [
            "Authorization ",
            "AUTH",
            "tok",
            "ToKeN",
            "aB",
            "b",
            "é",
            "É",
            "x ",
        ];
        let mut seed = 7u64;
        for len in [
            0,
            5,
            MIN_SPLIT - 1,
            MIN_SPLIT,
            MIN_SPLIT + 1,
            300,
            1025,
            3000,
            10_000,
        ] {
            let mut text = String::new();
            while text.len() < len {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                text.push_str(words[(seed >> 33) as usize % words.len()]);
            }
            let (mut hits, mut lanes) = (Vec::new(), Default::default());
            auto.find(&text, &mut hits, &mut lanes);
            let got: Vec<_> = hits.iter().map(|&(p, _, h)| (p, h.start, h.end)).collect();
            assert_eq!(got, reference(&literals, &text), "text of {len} bytes");
        }
    }

    #[test]
    fn no_literals_no_automaton() {
        assert!(AnchorAutomaton::new(&[], Vec::new()).expect("ok").is_none());
    }
}
