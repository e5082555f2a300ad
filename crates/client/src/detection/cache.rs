use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use deepsentinel_core::Finding;
use sha2::{Digest, Sha256};

/// The SHA-256 of a text: what the cache and [`super::Precomputed`] keep
/// instead of the text.
pub(crate) type TextHash = [u8; 32];

pub(crate) fn text_hash(text: &str) -> TextHash {
    Sha256::digest(text.as_bytes()).into()
}

/// Remote answers by text hash, with a time to live and a maximum number of
/// entries (the oldest insertion is evicted first).
///
/// Time is a parameter of every method, so expiry is exact in tests.
#[derive(Debug)]
pub(crate) struct RemoteCache {
    ttl: Duration,
    max_entries: usize,
    entries: HashMap<TextHash, (Instant, Vec<Finding>)>,
    /// Insertion order; may hold hashes already removed or re-inserted
    /// (stale positions are skipped by comparing the stored instant).
    order: VecDeque<(TextHash, Instant)>,
}

impl RemoteCache {
    pub(crate) fn new(ttl: Duration, max_entries: usize) -> RemoteCache {
        RemoteCache {
            ttl,
            max_entries,
            entries: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    /// The findings cached for `hash`, if inserted less than `ttl` before
    /// `now`. An expired entry is removed.
    pub(crate) fn get(&mut self, hash: &TextHash, now: Instant) -> Option<Vec<Finding>> {
        let (at, findings) = self.entries.get(hash)?;
        if now.saturating_duration_since(*at) < self.ttl {
            return Some(findings.clone());
        }
        self.entries.remove(hash);
        None
    }

    pub(crate) fn insert(&mut self, hash: TextHash, findings: Vec<Finding>, now: Instant) {
        if self.max_entries == 0 || self.ttl.is_zero() {
            return;
        }
        self.entries.insert(hash, (now, findings));
        self.order.push_back((hash, now));
        while self.entries.len() > self.max_entries {
            let Some((old, at)) = self.order.pop_front() else {
                break;
            };
            if self.entries.get(&old).is_some_and(|(t, _)| *t == at) {
                self.entries.remove(&old);
            }
        }
        // Re-inserted or expired hashes leave stale positions behind; drop
        // them once they outnumber the live entries so `order` stays bounded.
        if self.order.len() > 2 * self.max_entries.max(16) {
            let entries = &self.entries;
            self.order
                .retain(|(h, at)| entries.get(h).is_some_and(|(t, _)| t == at));
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_after_ttl() {
        let t0 = Instant::now();
        let mut c = RemoteCache::new(Duration::from_secs(10), 4);
        let h = text_hash("a");
        c.insert(h, Vec::new(), t0);
        assert!(c.get(&h, t0 + Duration::from_secs(9)).is_some());
        assert!(c.get(&h, t0 + Duration::from_secs(10)).is_none());
        assert_eq!(c.len(), 0);
    }

    #[test]
    fn evicts_the_oldest() {
        let t0 = Instant::now();
        let mut c = RemoteCache::new(Duration::from_secs(60), 2);
        let (a, b, d) = (text_hash("a"), text_hash("b"), text_hash("d"));
        c.insert(a, Vec::new(), t0);
        c.insert(b, Vec::new(), t0 + Duration::from_secs(1));
        // Re-inserting `a` makes it the newest.
        c.insert(a, Vec::new(), t0 + Duration::from_secs(2));
        c.insert(d, Vec::new(), t0 + Duration::from_secs(3));
        let now = t0 + Duration::from_secs(4);
        assert!(c.get(&b, now).is_none());
        assert!(c.get(&a, now).is_some() && c.get(&d, now).is_some());
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn order_stays_bounded() {
        let t0 = Instant::now();
        let mut c = RemoteCache::new(Duration::from_secs(60), 1);
        for i in 0..1000u64 {
            c.insert(text_hash("same"), Vec::new(), t0 + Duration::from_millis(i));
        }
        assert_eq!(c.len(), 1);
        assert!(c.order.len() <= 33);
    }

    #[test]
    fn zero_capacity_or_ttl_caches_nothing() {
        let t0 = Instant::now();
        let mut c = RemoteCache::new(Duration::from_secs(60), 0);
        c.insert(text_hash("a"), Vec::new(), t0);
        assert_eq!(c.len(), 0);
        let mut c = RemoteCache::new(Duration::ZERO, 8);
        c.insert(text_hash("a"), Vec::new(), t0);
        assert_eq!(c.len(), 0);
    }
}
