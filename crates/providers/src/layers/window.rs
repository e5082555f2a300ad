//! A sliding window of two counters, in ten buckets.

use std::time::Duration;

use tokio::time::Instant;

const BUCKETS: usize = 10;

/// Counts `(a, b)` pairs over the last `span`, with a resolution of a
/// tenth of it. Memory is fixed whatever the request rate.
#[derive(Debug)]
pub(crate) struct Window {
    buckets: [(u64, u64); BUCKETS],
    bucket_len: Duration,
    head: usize,
    head_start: Instant,
}

impl Window {
    pub(crate) fn new(span: Duration, now: Instant) -> Window {
        Window {
            buckets: [(0, 0); BUCKETS],
            bucket_len: (span / BUCKETS as u32).max(Duration::from_nanos(1)),
            head: 0,
            head_start: now,
        }
    }

    fn rotate(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.head_start);
        let steps = elapsed.as_nanos() / self.bucket_len.as_nanos();
        if steps == 0 {
            return;
        }
        if steps >= BUCKETS as u128 {
            self.buckets = [(0, 0); BUCKETS];
            self.head_start = now;
            return;
        }
        for _ in 0..steps {
            self.head = (self.head + 1) % BUCKETS;
            self.buckets[self.head] = (0, 0);
            self.head_start += self.bucket_len;
        }
    }

    pub(crate) fn add(&mut self, now: Instant, a: u64, b: u64) {
        self.rotate(now);
        let slot = &mut self.buckets[self.head];
        slot.0 += a;
        slot.1 += b;
    }

    pub(crate) fn sums(&mut self, now: Instant) -> (u64, u64) {
        self.rotate(now);
        self.buckets
            .iter()
            .fold((0, 0), |(a, b), (x, y)| (a + x, b + y))
    }

    pub(crate) fn clear(&mut self, now: Instant) {
        self.buckets = [(0, 0); BUCKETS];
        self.head_start = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_buckets_fall_out_of_the_window() {
        let t0 = Instant::now();
        let mut w = Window::new(Duration::from_secs(10), t0);
        w.add(t0, 1, 2);
        w.add(t0 + Duration::from_secs(5), 3, 4);
        assert_eq!(w.sums(t0 + Duration::from_secs(9)), (4, 6));
        assert_eq!(w.sums(t0 + Duration::from_millis(10_500)), (3, 4));
        assert_eq!(w.sums(t0 + Duration::from_secs(30)), (0, 0));
    }
}
