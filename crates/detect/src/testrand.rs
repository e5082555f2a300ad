//! The deterministic generator every randomized test of this crate draws
//! its inputs from (xorshift64), so a failure reproduces from its seed.

/// xorshift64 with shifts 13, 7, 17.
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator starting from `seed` (not 0).
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next value in `0..n`; `n` must not be 0.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}
