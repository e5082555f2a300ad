//! Name and place lists, embedded in the binary and indexed once.
//!
//! Keys are stored lower-case, all lists in one open-addressing table whose
//! entry bits say which lists hold the word. A lookup folds the candidate
//! into stack words (printable ASCII 8 bytes at a time, no allocation, no
//! UTF-8 re-check), hashes them Fx-style and probes once for all lists.
//! See `crates/detect/data/README.md` for where each list comes from.

use std::borrow::Cow;
use std::sync::OnceLock;

const GIVEN: &str = include_str!("../../../data/given_names.txt");
const GIVEN_INTL: &str = include_str!("../../../data/given_names_intl.txt");
const SURNAMES: &str = include_str!("../../../data/surnames.txt");
const CITIES: &str = include_str!("../../../data/cities.tsv");
const REGIONS: &str = include_str!("../../../data/regions.tsv");
const COMMON: &str = include_str!("../../../data/common_words.txt");

/// FxHash-style multiplier: fast on short keys, not DoS resistant (keys
/// are ours).
const FX_K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

type Key = Cow<'static, [u8]>;

/// Receives one list entry: its folded key and how its entry bits change.
type SetEntry<'a> = dyn FnMut(Key, &dyn Fn(u32) -> u32) + 'a;

/// City tiers in `cities.tsv`.
pub(crate) const CITY_LARGE: u8 = 2;
pub(crate) const CITY_SMALL: u8 = 1;
/// Region kinds in `regions.tsv`.
pub(crate) const REGION_COUNTRY: u8 = 1;
pub(crate) const REGION_STATE: u8 = 2;

/// Bits of a word's entry: list membership, city tier, region kind, and
/// (from bit [`LIST_SHIFT`]) the flags of the small word lists of the
/// names module.
const B_GIVEN: u32 = 1;
const B_SURNAME: u32 = 1 << 1;
const B_COMMON: u32 = 1 << 2;
const CITY_SHIFT: u32 = 3;
const REGION_SHIFT: u32 = 5;
pub(crate) const LIST_SHIFT: u32 = 16;

/// The indexed lists: one table, so a word is folded and looked up once
/// for all of them.
pub(crate) struct Gazetteer {
    words: Table,
}

/// A folded key packed into little-endian words, zero-padded.
struct Packed {
    w: [u64; MAX_KEY / 8],
    len: usize,
}

impl Packed {
    /// The key's words (the used part of `w`).
    fn words(&self) -> &[u64] {
        self.w.get(..self.len.div_ceil(8)).unwrap_or(&[])
    }

    fn hash(&self) -> u64 {
        let mut h = self.len as u64;
        for &x in self.words() {
            h = (h.rotate_left(5) ^ x).wrapping_mul(FX_K);
        }
        h
    }

    /// Packs already folded bytes (`None` if longer than [`MAX_KEY`]).
    fn of_folded(b: &[u8]) -> Option<Packed> {
        if b.len() > MAX_KEY {
            return None;
        }
        let mut w = [0u64; MAX_KEY / 8];
        for (slot, c) in w.iter_mut().zip(b.chunks(8)) {
            let mut x = [0u8; 8];
            if let Some(d) = x.get_mut(..c.len()) {
                d.copy_from_slice(c);
            }
            *slot = u64::from_le_bytes(x);
        }
        Some(Packed { w, len: b.len() })
    }

    /// Folds `s` like [`fold`] and packs it. Printable ASCII words (no
    /// space or control byte) are lower-cased 8 bytes at a time; anything
    /// else takes the general path.
    fn of(s: &str) -> Option<Packed> {
        const HIGH: u64 = 0x8080_8080_8080_8080;
        const LO7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
        let b = s.as_bytes();
        if b.len() <= MAX_KEY {
            let mut w = [0u64; MAX_KEY / 8];
            let mut bad = 0u64;
            for (slot, c) in w.iter_mut().zip(b.chunks(8)) {
                let mut xb = [0u8; 8];
                if let Some(d) = xb.get_mut(..c.len()) {
                    d.copy_from_slice(c);
                }
                let x = u64::from_le_bytes(xb);
                let valid = if c.len() >= 8 {
                    u64::MAX
                } else {
                    (1u64 << (8 * c.len())) - 1
                };
                let lo = x & LO7;
                // High bit set per byte: non-ASCII, or below 0x21 (space,
                // controls), or 'A'..='Z'.
                let below = !(lo + 0x5F5F_5F5F_5F5F_5F5F) & HIGH;
                bad |= ((x & HIGH) | below) & valid;
                let upper = (lo + 0x3F3F_3F3F_3F3F_3F3F) & !(lo + 0x2525_2525_2525_2525) & HIGH;
                *slot = x | (upper >> 2);
            }
            if bad == 0 {
                return Some(Packed { w, len: b.len() });
            }
        }
        let mut buf = [0u8; MAX_KEY];
        Packed::of_folded(fold_chars(s, &mut buf)?)
    }
}

/// An open-addressing (linear probing) table from folded words to their
/// entry bits. A key of up to 8 bytes (most words) is stored in its slot,
/// so a lookup reads one slot per probe; longer keys live packed in an
/// arena the slot points to.
///
/// The capacity is the power of two at or above 4/3 of the number of keys
/// (load factor 0.375–0.75; 0.55 for the shipped lists), 16 bytes a slot.
struct Table {
    slots: Vec<Slot>,
    /// Packed words of the keys longer than 8 bytes.
    long: Vec<u64>,
    mask: usize,
    shift: u32,
}

#[derive(Clone, Copy, Default)]
struct Slot {
    /// Keys of up to 8 bytes: the packed key. Longer keys: the hash's low
    /// 32 bits above the key's offset in `long`.
    key: u64,
    /// 0: empty; else the key's length in bytes.
    len: u32,
    val: u32,
}

impl Table {
    fn with_capacity(n: usize) -> Table {
        let cap = (n.max(6) * 4 / 3 + 1).next_power_of_two();
        Table {
            slots: vec![Slot::default(); cap],
            long: Vec::new(),
            mask: cap - 1,
            shift: 64 - cap.trailing_zeros(),
        }
    }

    fn home(&self, h: u64) -> usize {
        (h >> self.shift) as usize & self.mask
    }

    /// The slot of `k` (`Ok`) or the empty slot where it would go (`Err`).
    fn find(&self, k: &Packed, h: u64) -> Result<usize, usize> {
        let len = k.len as u32;
        let words = k.words();
        let short = k.len <= 8;
        let first = words.first().copied().unwrap_or(0);
        let tag = u64::from(h as u32);
        let mut i = self.home(h);
        loop {
            let Some(s) = self.slots.get(i) else {
                return Err(i);
            };
            if s.len == 0 {
                return Err(i);
            }
            if s.len == len {
                if short {
                    if s.key == first {
                        return Ok(i);
                    }
                } else if s.key >> 32 == tag {
                    let off = (s.key & 0xFFFF_FFFF) as usize;
                    let same = self
                        .long
                        .get(off..off + words.len())
                        .is_some_and(|stored| stored == words);
                    if same {
                        return Ok(i);
                    }
                }
            }
            i = (i + 1) & self.mask;
        }
    }

    /// [`Table::get`] for a key of 1 to 8 bytes packed into `x` (`len` must
    /// be its length: 0 finds nothing).
    #[inline]
    fn get1(&self, x: u64, len: usize) -> u32 {
        let h = ((len as u64).rotate_left(5) ^ x).wrapping_mul(FX_K);
        let len = len as u32;
        let mut i = self.home(h);
        while let Some(s) = self.slots.get(i) {
            if s.key == x && s.len == len {
                return s.val;
            }
            if s.len == 0 {
                return 0;
            }
            i = (i + 1) & self.mask;
        }
        0
    }

    fn get(&self, k: &Packed) -> u32 {
        if k.len <= 8 {
            return self.get1(k.w[0], k.len);
        }
        match self.find(k, k.hash()) {
            Ok(i) => self.slots.get(i).map_or(0, |s| s.val),
            Err(_) => 0,
        }
    }

    /// The entry of folded key `key`, inserted as 0 if new (`None` for keys
    /// no lookup can produce: empty or longer than [`MAX_KEY`]).
    fn upsert(&mut self, key: &[u8]) -> Option<&mut u32> {
        if key.is_empty() {
            return None;
        }
        let k = Packed::of_folded(key)?;
        let h = k.hash();
        let i = match self.find(&k, h) {
            Ok(i) => i,
            Err(i) => {
                let stored = if k.len <= 8 {
                    k.w[0]
                } else {
                    let off = u64::try_from(self.long.len()).ok()?;
                    self.long.extend_from_slice(k.words());
                    (u64::from(h as u32) << 32) | off
                };
                let slot = self.slots.get_mut(i)?;
                *slot = Slot {
                    key: stored,
                    len: k.len as u32,
                    val: 0,
                };
                i
            }
        };
        self.slots.get_mut(i).map(|s| &mut s.val)
    }

    /// Bytes of the table's heap memory.
    #[cfg(test)]
    fn heap_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Slot>()
            + self.long.capacity() * std::mem::size_of::<u64>()
    }
}

/// Longest key (in bytes, lower-cased) we ever look up.
pub(crate) const MAX_KEY: usize = 64;

/// Lower-cases `s` into `buf` (whitespace runs become one space, `’` becomes
/// `'`). Returns the folded key, or `None` if it does not fit.
pub(crate) fn fold<'b>(s: &str, buf: &'b mut [u8; MAX_KEY]) -> Option<&'b str> {
    let k = fold_bytes(s, buf)?;
    std::str::from_utf8(k).ok()
}

/// [`fold`] without the UTF-8 check of the result (it is valid UTF-8 by
/// construction). ASCII words, most of them, take a byte loop.
pub(crate) fn fold_bytes<'b>(s: &str, buf: &'b mut [u8; MAX_KEY]) -> Option<&'b [u8]> {
    let b = s.as_bytes();
    if b.len() <= MAX_KEY && b.is_ascii() {
        let mut n = 0usize;
        let mut prev_space = false;
        for &c in b {
            let space = c.is_ascii_whitespace() || c == 0x0B;
            if space && prev_space {
                continue;
            }
            prev_space = space;
            let slot = buf.get_mut(n)?;
            *slot = if space { b' ' } else { c.to_ascii_lowercase() };
            n += 1;
        }
        return buf.get(..n);
    }
    fold_chars(s, buf)
}

fn fold_chars<'b>(s: &str, buf: &'b mut [u8; MAX_KEY]) -> Option<&'b [u8]> {
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
    buf.get(..n)
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
        Key::Owned(s.replace('’', "'").to_lowercase().into_bytes())
    } else {
        Key::Borrowed(s.as_bytes())
    }
}

impl Gazetteer {
    fn build() -> Gazetteer {
        let lists = super::word_lists();
        let n = [GIVEN, GIVEN_INTL, SURNAMES, COMMON, CITIES, REGIONS]
            .iter()
            .map(|src| lines(src).count())
            .sum::<usize>()
            + lists.iter().map(|(l, _)| l.len()).sum::<usize>();
        let mut words = Table::with_capacity(n);
        Gazetteer::entries(&mut |key: Key, f: &dyn Fn(u32) -> u32| {
            if let Some(e) = words.upsert(&key) {
                *e = f(*e);
            }
        });
        words.long.shrink_to_fit();
        Gazetteer { words }
    }

    /// Calls `set` with every folded key of every list and how its entry
    /// changes.
    fn entries(set: &mut SetEntry<'_>) {
        let lists = super::word_lists();
        for l in lines(GIVEN).chain(lines(GIVEN_INTL)) {
            set(lower(l), &|e| e | B_GIVEN);
        }
        for l in lines(SURNAMES) {
            set(lower(l), &|e| e | B_SURNAME);
        }
        for l in lines(COMMON) {
            set(lower(l), &|e| e | B_COMMON);
        }
        for l in lines(CITIES) {
            let (name, tier) = l.split_once('\t').unwrap_or((l, "C"));
            let t = u32::from(if tier == "B" { CITY_LARGE } else { CITY_SMALL });
            set(lower(name), &|e| {
                let old = (e >> CITY_SHIFT) & 3;
                (e & !(3 << CITY_SHIFT)) | (old.max(t) << CITY_SHIFT)
            });
        }
        for l in lines(REGIONS) {
            let (name, kind) = l.split_once('\t').unwrap_or((l, "country"));
            let k = u32::from(if kind == "state" {
                REGION_STATE
            } else {
                REGION_COUNTRY
            });
            // The last line for a name wins.
            set(lower(name), &|e| {
                (e & !(3 << REGION_SHIFT)) | (k << REGION_SHIFT)
            });
        }
        // The names module's small lists, stored as written (lower case).
        for (list, f) in lists {
            for w in list {
                let f = u32::from(f) << LIST_SHIFT;
                set(Key::Borrowed(w.as_bytes()), &|e| e | f);
            }
        }
    }

    /// The shared instance, built on first use.
    pub(crate) fn get() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(Gazetteer::build)
    }

    /// The entry of `s` (any case): 0 if no list has it.
    ///
    /// Inlined: most words are printable ASCII of up to 8 bytes, packed
    /// and probed in registers; the rest take [`Gazetteer::entry_slow`].
    #[inline]
    pub(crate) fn entry(&self, s: &str) -> u32 {
        let b = s.as_bytes();
        if b.len() <= 8 {
            const HIGH: u64 = 0x8080_8080_8080_8080;
            const LO7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
            let x = pack_le(b);
            let valid = if b.len() == 8 {
                u64::MAX
            } else {
                (1u64 << (8 * b.len())) - 1
            };
            let lo = x & LO7;
            let below = !(lo + 0x5F5F_5F5F_5F5F_5F5F) & HIGH;
            if ((x & HIGH) | below) & valid == 0 {
                let upper = (lo + 0x3F3F_3F3F_3F3F_3F3F) & !(lo + 0x2525_2525_2525_2525) & HIGH;
                return self.words.get1(x | (upper >> 2), b.len());
            }
        }
        self.entry_slow(s)
    }

    /// [`Gazetteer::entry`] for longer or non-printable-ASCII words.
    #[inline(never)]
    fn entry_slow(&self, s: &str) -> u32 {
        Packed::of(s).map_or(0, |k| self.words.get(&k))
    }

    /// The flags of the names module's small lists for `s`.
    pub(crate) fn list_flags(&self, s: &str) -> u16 {
        (self.entry(s) >> LIST_SHIFT) as u16
    }

    pub(crate) fn is_given(&self, s: &str) -> bool {
        self.entry(s) & B_GIVEN != 0
    }

    /// Everything the lists know about one word, folding it once (the hot
    /// path asks several of these questions about every capitalised word).
    pub(crate) fn facts(&self, s: &str) -> WordFacts {
        WordFacts::of(self.entry(s))
    }

    pub(crate) fn is_surname(&self, s: &str) -> bool {
        self.entry(s) & B_SURNAME != 0
    }

    pub(crate) fn is_common(&self, s: &str) -> bool {
        self.entry(s) & B_COMMON != 0
    }

    /// 0 if not a city, else [`CITY_SMALL`] or [`CITY_LARGE`].
    pub(crate) fn city(&self, s: &str) -> u8 {
        ((self.entry(s) >> CITY_SHIFT) & 3) as u8
    }

    /// 0 if not a region, else [`REGION_COUNTRY`] or [`REGION_STATE`].
    pub(crate) fn region(&self, s: &str) -> u8 {
        ((self.entry(s) >> REGION_SHIFT) & 3) as u8
    }
}

/// The bytes of `b` (at most 8) as a little-endian word, zero above: two
/// overlapping loads instead of a loop (the overlapping bytes are equal, so
/// OR-ing them is harmless).
#[inline]
pub(super) fn pack_le(b: &[u8]) -> u64 {
    let n = b.len();
    let w4 = |s: Option<&[u8]>| {
        s.and_then(|s| <[u8; 4]>::try_from(s).ok())
            .map_or(0, |a| u64::from(u32::from_le_bytes(a)))
    };
    let w2 = |s: Option<&[u8]>| {
        s.and_then(|s| <[u8; 2]>::try_from(s).ok())
            .map_or(0, |a| u64::from(u16::from_le_bytes(a)))
    };
    match n {
        4..=8 => w4(b.get(..4)) | (w4(b.get(n - 4..)) << (8 * (n - 4))),
        2..=3 => w2(b.get(..2)) | (w2(b.get(n - 2..)) << (8 * (n - 2))),
        1 => b.first().map_or(0, |&c| u64::from(c)),
        _ => 0,
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
    /// 0 if not a city, else [`CITY_SMALL`] or [`CITY_LARGE`].
    pub(crate) city: u8,
    /// 0 if not a region, else [`REGION_COUNTRY`] or [`REGION_STATE`].
    pub(crate) region: u8,
    /// The flags of the names module's small lists.
    pub(crate) lists: u16,
}

impl WordFacts {
    fn of(e: u32) -> WordFacts {
        WordFacts {
            given: e & B_GIVEN != 0,
            surname: e & B_SURNAME != 0,
            common: e & B_COMMON != 0,
            place: e & (3 << CITY_SHIFT | 3 << REGION_SHIFT) != 0,
            city: ((e >> CITY_SHIFT) & 3) as u8,
            region: ((e >> REGION_SHIFT) & 3) as u8,
            lists: (e >> LIST_SHIFT) as u16,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_le_is_the_byte_loop() {
        let src = b"\x01\xffAbcdefgh";
        for from in 0..src.len() {
            for to in from..=src.len().min(from + 8) {
                let b = &src[from..to];
                let mut want = 0u64;
                for (i, &c) in b.iter().enumerate() {
                    want |= u64::from(c) << (8 * i);
                }
                assert_eq!(pack_le(b), want, "{b:?}");
            }
        }
    }

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
    fn short_word_path_agrees_with_the_general_one() {
        let g = Gazetteer::get();
        for w in [
            "",
            "a",
            "Al",
            "Mary",
            "SMITH",
            "Denver",
            "ABCDEFGH",
            "Angelina",
            "Christopher",
            "new york",
            "a b",
            "Ab\tc",
            "Kraków",
            "O'Neil",
            "x\u{7f}",
            "Dr",
            "van",
            "12345678",
        ] {
            let general = Packed::of(w).map_or(0, |k| g.words.get(&k));
            assert_eq!(g.entry(w), general, "{w:?}");
        }
        assert_ne!(g.entry("Angelina"), 0);
        assert_ne!(g.entry("van"), 0);
    }

    /// The table against a `HashMap` built from the same entries: every
    /// key finds its entry, the table holds nothing else, and its load
    /// factor and size stay where the module docs say.
    #[test]
    fn table_matches_a_hash_map_of_the_lists() {
        let mut want: std::collections::HashMap<Vec<u8>, u32> = Default::default();
        Gazetteer::entries(&mut |key: Key, f: &dyn Fn(u32) -> u32| {
            if !key.is_empty() && key.len() <= MAX_KEY {
                let e = want.entry(key.into_owned()).or_insert(0);
                *e = f(*e);
            }
        });
        let g = Gazetteer::get();
        for (k, &v) in &want {
            let p = Packed::of_folded(k).expect("fits");
            assert_eq!(g.words.get(&p), v, "{:?}", String::from_utf8_lossy(k));
            let mut buf = [0u8; MAX_KEY];
            // Keys a lookup can produce (stored keys are folded; a few
            // list lines hold a double space, which no lookup yields).
            if let Ok(s) = std::str::from_utf8(k)
                && fold(s, &mut buf) == Some(s)
            {
                assert_eq!(g.entry(s), v, "{s:?}");
                assert_eq!(g.entry(&s.to_ascii_uppercase()), v, "{s:?} upper");
            }
        }
        let used = g.words.slots.iter().filter(|s| s.len != 0).count();
        assert_eq!(used, want.len());
        let cap = g.words.slots.len();
        assert!(used * 4 <= cap * 3, "load {used}/{cap}");
        assert!(
            g.words.heap_bytes() <= 5 << 20,
            "{} bytes",
            g.words.heap_bytes()
        );
        for miss in ["zzqx", "", "smithzzqx", "a b c d e f g h i", "\0"] {
            assert_eq!(g.entry(miss), 0, "{miss:?}");
        }
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
