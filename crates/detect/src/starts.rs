//! The unanchored start states of a forward lazy DFA, at the start of a
//! text and after each byte.
//!
//! A walk of the DFA whose state is the start state for its position has
//! no match under way ("idle"): what follows is exactly what a search
//! starting there would see. The skipping shapes search and the injection
//! phrase filter both stop walks, or start them, on that.

use regex_automata::Anchored;
use regex_automata::hybrid::{self, LazyStateID};
use regex_automata::util::start;

/// Start states, valid for one generation of one lazy DFA cache (a cache
/// clear renumbers states).
pub(crate) struct StartStates {
    /// The start state after each byte; the default ID (the unknown state's
    /// slot, which no transition yields) after a quit byte.
    after: Box<[LazyStateID; 256]>,
    /// The start state at the start of a text.
    text_start: LazyStateID,
    /// The cache generation the states are valid for.
    clears: Option<usize>,
}

impl StartStates {
    /// Start states valid for no cache yet.
    pub(crate) fn new() -> StartStates {
        StartStates {
            after: Box::new([LazyStateID::default(); 256]),
            text_start: LazyStateID::default(),
            clears: None,
        }
    }

    /// Makes the states valid for `cache`'s current generation. `Err` when
    /// computing them keeps clearing the cache.
    pub(crate) fn ensure(
        &mut self,
        dfa: &hybrid::dfa::DFA,
        cache: &mut hybrid::dfa::Cache,
    ) -> Result<(), ()> {
        if self.clears == Some(cache.clear_count()) {
            return Ok(());
        }
        self.refresh(dfa, cache)
    }

    #[cold]
    fn refresh(
        &mut self,
        dfa: &hybrid::dfa::DFA,
        cache: &mut hybrid::dfa::Cache,
    ) -> Result<(), ()> {
        // Computing a start state may itself clear the cache: retry a few
        // times, then give up (callers fall back to a search that always
        // finishes).
        for _ in 0..3 {
            let generation = cache.clear_count();
            let config = start::Config::new().anchored(Anchored::No);
            self.text_start = dfa.start_state(cache, &config).map_err(drop)?;
            for (b, slot) in (0..=255u8).zip(self.after.iter_mut()) {
                let config = start::Config::new()
                    .anchored(Anchored::No)
                    .look_behind(Some(b));
                *slot = dfa.start_state(cache, &config).unwrap_or_default();
            }
            if cache.clear_count() == generation {
                self.clears = Some(generation);
                return Ok(());
            }
        }
        Err(())
    }

    /// The start state at `pos` in `hay`; `None` after a quit byte.
    pub(crate) fn at(&self, hay: &[u8], pos: usize) -> Option<LazyStateID> {
        let sid = match pos.checked_sub(1).and_then(|i| hay.get(i)) {
            Some(&b) => self.after.get(usize::from(b)).copied().unwrap_or_default(),
            None => self.text_start,
        };
        (sid != LazyStateID::default()).then_some(sid)
    }

    /// Whether `sid`, a walk's state right after byte `b`, is idle.
    pub(crate) fn idle_after(&self, b: u8, sid: LazyStateID) -> bool {
        self.after.get(usize::from(b)) == Some(&sid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::Input;

    /// A walk from the start state at each position finds a match exactly
    /// when a search starting there does: the states see the byte before
    /// (line starts, word boundaries), and idle states are start states.
    #[test]
    fn walks_from_start_states_agree_with_searches() {
        let dfa = hybrid::dfa::DFA::new(r"(?m)^ab|(?-u:\b)cd|ef").expect("dfa");
        let mut cache = dfa.create_cache();
        let mut starts = StartStates::new();
        starts.ensure(&dfa, &mut cache).expect("start states");
        let hay = b"xab\nab zcd cd.ef\nxcd";
        let mut idle_seen = 0;
        for pos in 0..=hay.len() {
            let want = dfa
                .try_search_fwd(&mut cache, &Input::new(hay).span(pos..hay.len()))
                .expect("search")
                .is_some();
            let mut sid = starts.at(hay, pos).expect("no quit bytes");
            let mut found = false;
            for (i, &b) in hay.iter().enumerate().skip(pos) {
                sid = dfa.next_state(&mut cache, sid, b).expect("step");
                found |= sid.is_match();
                idle_seen += usize::from(starts.idle_after(b, sid));
                // Idle means: in the start state of the next position.
                assert_eq!(
                    starts.idle_after(b, sid),
                    starts.at(hay, i + 1) == Some(sid)
                );
            }
            found |= dfa.next_eoi_state(&mut cache, sid).expect("eoi").is_match();
            assert_eq!(found, want, "from {pos}");
        }
        assert!(idle_seen > 0);
    }
}
