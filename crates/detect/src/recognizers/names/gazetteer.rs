//! Name and place lists, embedded in the binary and indexed once.
//!
//! Keys are stored lower-case. Lookups fold a candidate into a fixed stack
//! buffer (no allocation) and hash the bytes with a small Fx-style hasher.
//! See `crates/detect/data/README.md` for where each list comes from.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

const GIVEN: &str = include_str!("../../../data/given_names.txt");
const GIVEN_INTL: &str = include_str!("../../../data/given_names_intl.txt");
const SURNAMES: &str = include_str!("../../../data/surnames.txt");
const CITIES: &str = include_str!("../../../data/cities.tsv");
const REGIONS: &str = include_str!("../../../data/regions.tsv");
const COMMON: &str = include_str!("../../../data/common_words.txt");

/// FxHash-like hasher: fast on short keys, not DoS resistant (keys are ours).
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
        for &b in chunks.remainder() {
            h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
        self.0 = h;
    }

    fn write_u8(&mut self, i: u8) {
        self.write(&[i]);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FxBuild = BuildHasherDefault<Fx>;
type Key = std::borrow::Cow<'static, str>;
type Set = HashSet<Key, FxBuild>;
type Map = HashMap<Key, u8, FxBuild>;

/// City tiers in `cities.tsv`.
pub(crate) const CITY_LARGE: u8 = 2;
pub(crate) const CITY_SMALL: u8 = 1;
/// Region kinds in `regions.tsv`.
pub(crate) const REGION_COUNTRY: u8 = 1;
pub(crate) const REGION_STATE: u8 = 2;

/// The indexed lists.
pub(crate) struct Gazetteer {
    given: Set,
    surnames: Set,
    common: Set,
    cities: Map,
    regions: Map,
}

/// Longest key (in bytes, lower-cased) we ever look up.
pub(crate) const MAX_KEY: usize = 64;

/// Lower-cases `s` into `buf` (whitespace runs become one space, `’` becomes
/// `'`). Returns the folded key, or `None` if it does not fit.
pub(crate) fn fold<'b>(s: &str, buf: &'b mut [u8; MAX_KEY]) -> Option<&'b str> {
    let mut n = 0usize;
    let mut prev_space = false;
    for c in s.chars() {
        let c = if c == '’' { '\'' } else { c };
        if c.is_whitespace() {
            if prev_space {
                continue;
            }
            prev_space = true;
            let slot = buf.get_mut(n)?;
            *slot = b' ';
            n += 1;
            continue;
        }
        prev_space = false;
        if c.is_ascii() {
            let slot = buf.get_mut(n)?;
            *slot = c.to_ascii_lowercase() as u8;
            n += 1;
        } else {
            for lc in c.to_lowercase() {
                let mut tmp = [0u8; 4];
                let enc = lc.encode_utf8(&mut tmp).as_bytes();
                let dst = buf.get_mut(n..n + enc.len())?;
                dst.copy_from_slice(enc);
                n += enc.len();
            }
        }
    }
    std::str::from_utf8(buf.get(..n)?).ok()
}

fn lines(src: &'static str) -> impl Iterator<Item = &'static str> {
    src.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The lookup key of a list entry: borrowed when it is already folded
/// (the name files are stored lower-case), else an owned folded copy.
fn lower(s: &'static str) -> Key {
    if s.chars().any(|c| c.is_uppercase() || c == '’') {
        Key::Owned(s.replace('’', "'").to_lowercase())
    } else {
        Key::Borrowed(s)
    }
}

impl Gazetteer {
    fn build() -> Gazetteer {
        let mut given = Set::default();
        for l in lines(GIVEN).chain(lines(GIVEN_INTL)) {
            given.insert(lower(l));
        }
        let mut surnames = Set::default();
        for l in lines(SURNAMES) {
            surnames.insert(lower(l));
        }
        let mut common = Set::default();
        for l in lines(COMMON) {
            common.insert(lower(l));
        }
        let mut cities = Map::default();
        for l in lines(CITIES) {
            let (name, tier) = l.split_once('\t').unwrap_or((l, "C"));
            let t = if tier == "B" { CITY_LARGE } else { CITY_SMALL };
            let e = cities.entry(lower(name)).or_insert(t);
            *e = (*e).max(t);
        }
        let mut regions = Map::default();
        for l in lines(REGIONS) {
            let (name, kind) = l.split_once('\t').unwrap_or((l, "country"));
            let k = if kind == "state" {
                REGION_STATE
            } else {
                REGION_COUNTRY
            };
            regions.insert(lower(name), k);
        }
        Gazetteer {
            given,
            surnames,
            common,
            cities,
            regions,
        }
    }

    /// The shared instance, built on first use.
    pub(crate) fn get() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(Gazetteer::build)
    }

    fn has(set: &Set, s: &str) -> bool {
        let mut buf = [0u8; MAX_KEY];
        fold(s, &mut buf).is_some_and(|k| set.contains(k))
    }

    fn tier(map: &Map, s: &str) -> u8 {
        let mut buf = [0u8; MAX_KEY];
        fold(s, &mut buf)
            .and_then(|k| map.get(k).copied())
            .unwrap_or(0)
    }

    pub(crate) fn is_given(&self, s: &str) -> bool {
        Self::has(&self.given, s)
    }

    /// Everything the lists know about one word, folding it once (the hot
    /// path asks several of these questions about every capitalised word).
    pub(crate) fn facts(&self, s: &str) -> WordFacts {
        let mut buf = [0u8; MAX_KEY];
        let Some(k) = fold(s, &mut buf) else {
            return WordFacts::default();
        };
        WordFacts {
            given: self.given.contains(k),
            surname: self.surnames.contains(k),
            common: self.common.contains(k),
            place: self.cities.get(k).is_some_and(|&t| t > 0)
                || self.regions.get(k).is_some_and(|&t| t > 0),
        }
    }

    pub(crate) fn is_surname(&self, s: &str) -> bool {
        Self::has(&self.surnames, s)
    }

    pub(crate) fn is_common(&self, s: &str) -> bool {
        Self::has(&self.common, s)
    }

    /// 0 if not a city, else [`CITY_SMALL`] or [`CITY_LARGE`].
    pub(crate) fn city(&self, s: &str) -> u8 {
        Self::tier(&self.cities, s)
    }

    /// 0 if not a region, else [`REGION_COUNTRY`] or [`REGION_STATE`].
    pub(crate) fn region(&self, s: &str) -> u8 {
        Self::tier(&self.regions, s)
    }
}

/// What the word lists say about one word (see [`Gazetteer::facts`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct WordFacts {
    pub(crate) given: bool,
    pub(crate) surname: bool,
    pub(crate) common: bool,
    /// A city or a region (country, state).
    pub(crate) place: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_agree_with_the_single_questions() {
        let g = Gazetteer::get();
        for w in [
            "John", "Smith", "The", "Denver", "Texas", "Zzyzzx", "MAY", "Kraków",
        ] {
            let f = g.facts(w);
            assert_eq!(f.given, g.is_given(w), "{w}");
            assert_eq!(f.surname, g.is_surname(w), "{w}");
            assert_eq!(f.common, g.is_common(w), "{w}");
            assert_eq!(f.place, g.city(w) > 0 || g.region(w) > 0, "{w}");
        }
    }

    #[test]
    fn folding() {
        let mut b = [0u8; MAX_KEY];
        assert_eq!(fold("KRAKÓW", &mut b), Some("kraków"));
        let mut b = [0u8; MAX_KEY];
        assert_eq!(fold("New  Orleans", &mut b), Some("new orleans"));
        let mut b = [0u8; MAX_KEY];
        assert_eq!(fold(&"x".repeat(100), &mut b), None);
    }

    #[test]
    fn lookups() {
        let g = Gazetteer::get();
        assert!(g.is_given("Mary"));
        assert!(g.is_surname("SMITH"));
        assert!(g.is_common("May"));
        assert_eq!(g.city("Kraków"), CITY_LARGE);
        assert_eq!(g.city("Prague"), CITY_LARGE);
        assert_eq!(g.city("new orleans"), CITY_LARGE);
        assert_eq!(g.region("Germany"), REGION_COUNTRY);
        assert_eq!(g.region("Texas"), REGION_STATE);
        assert!(!g.is_given("Qwzx"));
    }
}
