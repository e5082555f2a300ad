//! Numeric and identifier recognizers: CREDIT_CARD, US_SSN, US_ITIN,
//! PHONE_NUMBER, NPI, UK_NHS, US_BANK_NUMBER, US_PASSPORT,
//! MEDICAL_RECORD_NUMBER and US_DRIVER_LICENSE.
//!
//! Digit sequences are ambiguous between these types, so one classifier
//! decides: a candidate run of digit groups is parsed into groups (stack
//! buffers, no allocation), split into space-separated *units*, and the
//! longest run of units that forms a value is reported. The nearest type
//! keyword before the value (`SSN`, `NPI`, `account`, `routing`, …) picks
//! the type for context-only identifiers and vetoes others; formats and
//! checksums (Luhn + IIN, SSN issuance, ITIN groups, NANP, mod 11, NPI
//! Luhn) carry the rest.

mod cards;
mod ids;
mod phone;

use deepsentinel_core::{EntityType, FindingFlags};

use crate::context::{Kw, KwSet};
use crate::engine::{Ctx, Hit, Module, Out, PendingFinding, Shape, prio};
use crate::text;
use crate::validate::{aba, nhs, npi, ssn};

pub(crate) struct Numeric;

const NUM: u32 = 0;

/// How every shape of this module ends: at the end of the text or on one
/// character that cannot continue a token. A number glued to letters or to
/// base64 / path characters (`1BoatSLR…`, `1234567/abc+…`) is then no match
/// at all, so the token shapes of other modules (wallets, secrets), which
/// rank after numbers, still see it. The extra character is not part of
/// any finding: spans come from the digit groups.
pub(super) const END: &str = r"(?:\z|[^A-Za-z0-9_/+=(])";

/// Keyword classes that say what a nearby number is.
const TYPE_KWS: KwSet = KwSet::of(&[
    Kw::Ssn,
    Kw::Itin,
    Kw::TaxId,
    Kw::Card,
    Kw::Account,
    Kw::Routing,
    Kw::Passport,
    Kw::DriverLicense,
    Kw::Mrn,
    Kw::Npi,
    Kw::Nhs,
    Kw::Phone,
    Kw::Fax,
    Kw::Order,
    Kw::Version,
    Kw::Iban,
    Kw::Dob,
]);

/// How far before a value its keyword may be.
const WINDOW: usize = 40;

const MAX_GROUPS: usize = 32;
const MAX_DIGITS: usize = 96;
const MAX_UNITS_PER_VALUE: usize = 7;

#[derive(Clone, Copy, Default)]
struct Group {
    /// Byte span (including brackets) in the text.
    start: usize,
    end: usize,
    /// Index of the first digit in the digit buffer, and count.
    d0: u8,
    nd: u8,
    /// Separator byte before this group (0 for the first / after `(`).
    sep: u8,
    paren: bool,
}

struct Cand {
    groups: [Group; MAX_GROUPS],
    ng: usize,
    digits: [u8; MAX_DIGITS],
    plus_at: Option<usize>,
    /// Where parsing stopped because the buffers were full.
    next: Option<usize>,
}

impl Cand {
    fn empty() -> Cand {
        Cand {
            groups: [Group::default(); MAX_GROUPS],
            ng: 0,
            digits: [0; MAX_DIGITS],
            plus_at: None,
            next: None,
        }
    }

    /// Parses `hit` into `c`, which must be [`Cand::empty`] (filled in
    /// place: the candidate is large, and returning it by value copied it).
    fn parse(c: &mut Cand, t: &str, hit: Hit) {
        let bytes = t.as_bytes();
        let mut i = hit.start;
        let mut nd = 0usize;
        let mut sep = 0u8;
        while i < hit.end {
            let Some(&b) = bytes.get(i) else { break };
            match b {
                b'+' => {
                    c.plus_at = Some(i);
                    i += 1;
                }
                b'0'..=b'9' | b'(' => {
                    let paren = b == b'(';
                    let start = i;
                    if paren {
                        i += 1;
                    }
                    let d0 = nd;
                    while let Some(&x) = bytes.get(i) {
                        if i >= hit.end || !x.is_ascii_digit() {
                            break;
                        }
                        if let Some(slot) = c.digits.get_mut(nd) {
                            *slot = x - b'0';
                        }
                        nd += 1;
                        i += 1;
                    }
                    if paren && bytes.get(i) == Some(&b')') {
                        i += 1;
                    }
                    if nd > MAX_DIGITS || c.ng >= MAX_GROUPS {
                        if c.ng > 0 {
                            c.next = Some(start);
                        }
                        return;
                    }
                    if let Some(g) = c.groups.get_mut(c.ng) {
                        *g = Group {
                            start,
                            end: i,
                            d0: d0 as u8,
                            nd: (nd - d0) as u8,
                            sep,
                            paren,
                        };
                        c.ng += 1;
                    }
                    sep = 0;
                }
                b' ' | b'-' | b'.' => {
                    sep = b;
                    i += 1;
                }
                // Only an extension follows (see the shape).
                b'x' | b'X' => break,
                _ => i += 1,
            }
        }
    }
}

/// The end of a phone extension written right after a number ending at
/// `pos`: `x204`, ` x204`, ` ext. 204`, ` ext 204`, `, ext. 204`,
/// ` extension 204` (one to six digits, then no letter or digit).
fn extension_end(t: &str, pos: usize) -> Option<usize> {
    let b = t.as_bytes();
    let mut i = pos;
    if b.get(i) == Some(&b',') {
        i += 1;
    }
    if b.get(i) == Some(&b' ') {
        i += 1;
    }
    let rest = b.get(i..)?;
    let word = if rest.first().is_some_and(|&c| c == b'x' || c == b'X') {
        1
    } else if rest.len() >= 9 && rest[..9].eq_ignore_ascii_case(b"extension") {
        9
    } else if rest.len() >= 3 && rest[..3].eq_ignore_ascii_case(b"ext") {
        3
    } else {
        return None;
    };
    // A comma or space only before a word: `555-0199, x204` is too loose.
    if word == 1 && i > pos + usize::from(b.get(pos) == Some(&b' ')) {
        return None;
    }
    i += word;
    if word == 3 && b.get(i) == Some(&b'.') {
        i += 1;
    }
    if word > 1 && b.get(i) == Some(&b' ') {
        i += 1;
    }
    let digits = b
        .get(i..)?
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let end = i + digits;
    if !(1..=6).contains(&digits) || b.get(end).is_some_and(u8::is_ascii_alphanumeric) {
        return None;
    }
    Some(end)
}

/// The nearest type keyword classes around a span.
#[derive(Clone, Copy)]
struct Near {
    /// Classes of the closest keyword(s) before (or, failing that, just
    /// after) the value.
    kws: KwSet,
    /// All type classes within the window before.
    any: KwSet,
}

impl Near {
    fn has(&self, k: Kw) -> bool {
        self.kws.contains(k)
    }
}

fn near(ctx: &Ctx<'_>, start: usize, end: usize) -> Near {
    // In a delimited row, keywords of earlier lines belong to other rows
    // or the header (looked up by column below).
    // Whether the line is a row matters only for a keyword before the
    // line start, so it is looked at only then (lines can be long).
    // The line start itself is found only then too.
    let mut row: Option<bool> = None;
    let mut is_row = || {
        *row.get_or_insert_with(|| {
            let ls = line_start(ctx.text.as_bytes(), start);
            ctx.text
                .as_bytes()
                .get(ls..start)
                .is_some_and(|s| memchr::memrchr3(b',', b'\t', b'|', s).is_some())
        })
    };
    // `end <= line_start(start)` for a keyword ending at most `WINDOW`
    // bytes before `start`: a newline lies in `end - 1..start`. Asked only
    // for such keywords, so `end - 1` is never before `start - WINDOW - 1`:
    // the last newline of that stretch, found once, answers every hit.
    let mut last_nl: Option<Option<usize>> = None;
    let mut before_line = |end: usize| {
        let nl = *last_nl.get_or_insert_with(|| last_newline_before(ctx.text.as_bytes(), start));
        nl.is_some_and(|p| p >= end.saturating_sub(1))
    };
    // A value of an SQL `INSERT … (cols) VALUES (…)` is typed by its
    // column, not by the column names just before the first values.
    if let Some(kws) = sql_column_kws(ctx, start) {
        return Near { kws, any: kws };
    }
    let lo = start.saturating_sub(WINDOW + 64);
    let (mut kws, mut any, best) = ctx.keywords.with_range(lo, start, |hits| {
        let mut best = usize::MAX;
        let mut best_start = usize::MAX;
        let mut kws = KwSet::EMPTY;
        let mut any = KwSet::EMPTY;
        for h in hits {
            if h.end > start
                || start - h.end > WINDOW
                || (before_line(h.end) && is_row())
                || crosses_sentence(ctx.text.as_bytes(), h.end, start)
            {
                continue;
            }
            let cls = h.classes.intersect(TYPE_KWS);
            if cls == KwSet::EMPTY {
                continue;
            }
            any = any.union(cls);
            let d = start - h.end;
            // Of keywords ending at the same place the longest is the
            // key: `tax_id` is a tax id, not an `id`.
            if d < best || (d == best && h.start < best_start) {
                best = d;
                best_start = h.start;
                kws = cls;
            } else if d == best && h.start == best_start {
                kws = kws.union(cls);
            }
        }
        (kws, any, best)
    });
    // A keyword in another field of a table row is that field's value (the
    // `ID` of `"Boise, ID 83701",6164334306`): the column's header, when it
    // names a type, says what the value is.
    // (The header is looked for first: most text has none, and finding
    // the fields walks the line.)
    let kw_end = start.saturating_sub(best);
    if kws != KwSet::EMPTY && delimiter_between(ctx.text.as_bytes(), kw_end, start) {
        let header = header_kws(ctx, start, Some(kw_end));
        if header != KwSet::EMPTY {
            kws = header;
            any = any.union(header);
        } else if hl7_field(ctx.text.as_bytes(), start).is_some() {
            // In an HL7 segment the field's place says what it holds
            // (below): the `MRN` of PID-3 does not make PID-7's date of
            // birth an MRN.
            kws = KwSet::EMPTY;
        }
    }
    if kws == KwSet::EMPTY {
        // A keyword after the value names it only within its sentence and
        // line (`… or 202.555.0143.\nBorn on …` is no date of birth).
        if let Some((h, _)) = ctx.keywords.after(end, 16, TYPE_KWS) {
            let b = ctx.text.as_bytes();
            let between = b.get(end..h.start).unwrap_or_default();
            if memchr::memchr(b'\n', between).is_none() && !crosses_sentence(b, end, h.start + 1) {
                kws = h.classes.intersect(TYPE_KWS);
            }
        }
    }
    if kws == KwSet::EMPTY {
        kws = hl7_type(ctx.text.as_bytes(), end);
        if kws == KwSet::EMPTY {
            kws = hl7_pid_field(ctx.text.as_bytes(), start);
        }
        any = any.union(kws);
    }
    if kws == KwSet::EMPTY {
        kws = header_kws(ctx, start, None);
        any = any.union(kws);
    }
    Near { kws, any }
}

/// Whether a field delimiter and no line break lies between `kw_end` and
/// `start`: a keyword ending at `kw_end` may lie in another field of the
/// row that holds a value at `start` (see [`header_kws`]).
fn delimiter_between(b: &[u8], kw_end: usize, start: usize) -> bool {
    b.get(kw_end..start).is_some_and(|between| {
        memchr::memchr(b'\n', between).is_none()
            && (memchr::memchr3(b',', b'\t', b'|', between).is_some()
                || memchr::memchr(b';', between).is_some())
    })
}

/// For a value inside the tuple of an SQL `INSERT INTO t (a, b, …)
/// VALUES (…)` on one line, the type keywords of its column (`None` when
/// the value is not in such a tuple or there is no column list).
fn sql_column_kws(ctx: &Ctx<'_>, start: usize) -> Option<KwSet> {
    let (f0, f1) = text::sql_column(ctx.text.as_bytes(), start, MAX_LINE)?;
    Some(ctx.keywords.with_range(f0, f1, |hits| {
        let mut kws = KwSet::EMPTY;
        for h in hits {
            if h.end <= f1 {
                kws = kws.union(h.classes.intersect(TYPE_KWS));
            }
        }
        kws
    }))
}

/// The identifier type code of an HL7 v2 CX field whose ID number ends at
/// `end` (`12345678^^^HOSP^MR`): components are `^`-separated, the type
/// code is the fifth (after check digit, check scheme, assigning
/// authority).
fn hl7_type(b: &[u8], end: usize) -> KwSet {
    if b.get(end) != Some(&b'^') {
        return KwSet::EMPTY;
    }
    let mut i = end;
    // Skip `^` + three components, each short and within the field.
    for _ in 0..3 {
        if b.get(i) != Some(&b'^') {
            return KwSet::EMPTY;
        }
        i += 1;
        let lim = i + 40;
        while let Some(&c) = b.get(i) {
            if c == b'^' || matches!(c, b'|' | b'~' | b'\r' | b'\n') || i >= lim {
                break;
            }
            i += 1;
        }
    }
    if b.get(i) != Some(&b'^') {
        return KwSet::EMPTY;
    }
    let s = i + 1;
    let mut e = s;
    while b.get(e).is_some_and(u8::is_ascii_alphanumeric) && e < s + 4 {
        e += 1;
    }
    if b.get(e)
        .is_some_and(|c| !matches!(c, b'^' | b'|' | b'~' | b'&' | b'\r' | b'\n'))
    {
        return KwSet::EMPTY;
    }
    match b.get(s..e).unwrap_or(&[]) {
        b"MR" | b"MRN" | b"PI" | b"PT" => KwSet::of(&[Kw::Mrn]),
        b"SS" => KwSet::of(&[Kw::Ssn]),
        b"DL" => KwSet::of(&[Kw::DriverLicense]),
        b"PPN" => KwSet::of(&[Kw::Passport]),
        b"NPI" => KwSet::of(&[Kw::Npi]),
        b"AN" => KwSet::of(&[Kw::Account]),
        _ => KwSet::EMPTY,
    }
}

/// The HL7 v2 segment a field value starting at `start` lies in: the
/// segment's 3-character id and the field's number (`PID|1||E1234567`:
/// `E1234567` is PID-3). `None` outside a segment, or when the value does
/// not start a field or component.
fn hl7_field(b: &[u8], start: usize) -> Option<([u8; 3], usize)> {
    if start < 4 || !matches!(b.get(start - 1), Some(b'|' | b'^')) {
        return None;
    }
    let mut fields = 0usize;
    let mut i = start;
    let lim = start.saturating_sub(1024);
    while i > lim {
        match b.get(i - 1)? {
            b'|' => fields += 1,
            b'\r' | b'\n' => break,
            _ => {}
        }
        i -= 1;
    }
    let id = b.get(i..i + 3)?;
    if (i > 0 && i == lim)
        || b.get(i + 3) != Some(&b'|')
        || !id
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        || !id.first().is_some_and(u8::is_ascii_uppercase)
    {
        return None;
    }
    let mut seg = [0u8; 3];
    seg.copy_from_slice(id);
    Some((seg, fields))
}

/// The type of an HL7 v2 PID segment field whose value starts at `start`
/// (`PID|1||E1234567^^^HOSP||DOE^JANE|…|123-45-6789|S1234567^CA|`), by the
/// field's position: PID-2 to PID-4 hold patient identifiers (MRNs),
/// PID-19 the SSN and PID-20 the driver's licence number.
fn hl7_pid_field(b: &[u8], start: usize) -> KwSet {
    if b.get(start.wrapping_sub(1)) != Some(&b'|') {
        return KwSet::EMPTY;
    }
    match hl7_field(b, start) {
        Some((id, 2..=4)) if &id == b"PID" => KwSet::of(&[Kw::Mrn]),
        Some((id, 19)) if &id == b"PID" => KwSet::of(&[Kw::Ssn]),
        Some((id, 20)) if &id == b"PID" => KwSet::of(&[Kw::DriverLicense]),
        _ => KwSet::EMPTY,
    }
}

/// Whether digits `d` are a compact date or date-time: `YYYYMMDD`,
/// `YYYYMMDDHHMM` or `YYYYMMDDHHMMSS`, year 1900-2099, calendar-valid.
fn compact_date(d: &[u8]) -> bool {
    let num = |a: usize, b: usize| {
        d.get(a..b)
            .map_or(0, |s| s.iter().fold(0u32, |x, &y| x * 10 + u32::from(y)))
    };
    if !matches!(d.len(), 8 | 12 | 14) {
        return false;
    }
    let (y, m, day) = (num(0, 4), num(4, 6), num(6, 8));
    if !(1900..=2099).contains(&y) || !(1..=12).contains(&m) || day == 0 {
        return false;
    }
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    day <= days
        && (d.len() < 12 || (num(8, 10) < 24 && num(10, 12) < 60))
        && (d.len() < 14 || num(12, 14) < 60)
}

/// Whether the value at `start` is assigned to a key that names a point in
/// time (`created_at=1702867813`, `"ts": 1702867813`, `updatedAt:`): its
/// digits are an epoch timestamp, not an identifier.
fn time_key(b: &[u8], start: usize) -> bool {
    let mut i = start;
    let back = |i: &mut usize, pred: &dyn Fn(u8) -> bool| {
        while *i > 0 && b.get(*i - 1).is_some_and(|&c| pred(c)) {
            *i -= 1;
        }
    };
    back(&mut i, &|c| c == b'"' || c == b'\'' || c == b' ');
    if !matches!(i.checked_sub(1).and_then(|k| b.get(k)), Some(b'=' | b':')) {
        return false;
    }
    i -= 1;
    back(&mut i, &|c| c == b'"' || c == b'\'' || c == b' ');
    let end = i;
    back(&mut i, &|c| {
        c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.'
    });
    let Some(key) = b.get(i..end).filter(|k| !k.is_empty() && k.len() <= 40) else {
        return false;
    };
    // The key's last word: after `_`, `-`, `.` or a lower-to-upper case
    // step (`createdAt`).
    let mut w = 0;
    for (k, pair) in key.windows(2).enumerate() {
        if matches!(pair[0], b'_' | b'-' | b'.')
            || (pair[0].is_ascii_lowercase() && pair[1].is_ascii_uppercase())
        {
            w = k + 1;
        }
    }
    let last = key.get(w..).unwrap_or_default();
    const WORDS: &[&[u8]] = &[
        b"at",
        b"ts",
        b"time",
        b"timestamp",
        b"epoch",
        b"created",
        b"updated",
        b"modified",
        b"iat",
        b"exp",
        b"nbf",
        b"date",
        b"datetime",
        b"since",
        b"until",
        b"expires",
    ];
    WORDS.iter().any(|w| last.eq_ignore_ascii_case(w))
}

/// Whether the value `start..end` is a whole HL7 field or component
/// (`|19800101|`, `|20240501103000^`).
fn hl7_value(b: &[u8], start: usize, end: usize) -> bool {
    matches!(b.get(end), None | Some(b'|' | b'^' | b'~' | b'\r' | b'\n'))
        && hl7_field(b, start).is_some()
}

/// Whether grouped digits read as a calendar date (`2019-01-19`,
/// `04 21 2020`, `19.01.2019`): those belong to the date recognizer.
fn is_date(d: &[u8], lens: &[u8]) -> bool {
    let num = |a: usize, b: usize| {
        d.get(a..b)
            .map_or(0, |s| s.iter().fold(0u32, |x, &y| x * 10 + u32::from(y)))
    };
    let md = |m: u32, day: u32| (1..=12).contains(&m) && (1..=31).contains(&day);
    let year = |y: u32| (1900..=2099).contains(&y);
    match lens {
        [4, 2, 2] => year(num(0, 4)) && md(num(4, 6), num(6, 8)),
        [2, 2, 4] => year(num(4, 8)) && (md(num(0, 2), num(2, 4)) || md(num(2, 4), num(0, 2))),
        [1, 2, 4] | [2, 1, 4] | [1, 1, 4] => {
            let k = usize::from(lens.first().copied().unwrap_or(0));
            let l = usize::from(lens.get(1).copied().unwrap_or(0));
            let (a, b) = (num(0, k), num(k, k + l));
            year(num(k + l, k + l + 4)) && (md(a, b) || md(b, a))
        }
        _ => false,
    }
}

/// Whether a sentence ends between `from` and `to` (`. ` / `! ` / `? `
/// before an upper-case letter, or a blank line): a keyword in an earlier
/// sentence does not describe the value (`Account closed. Call 503-…`).
/// `No. 123` and `no.: 123` do not end a sentence.
fn crosses_sentence(b: &[u8], from: usize, to: usize) -> bool {
    const fn splat(b: u8) -> u64 {
        0x0101_0101_0101_0101u64 * b as u64
    }
    /// High bit set in the lowest byte of `x` equal to `c` (bits above a
    /// match may be set too; only the lowest is used).
    const fn find(x: u64, c: u8) -> u64 {
        let y = x ^ splat(c);
        y.wrapping_sub(splat(1)) & !y & splat(0x80)
    }
    let Some(seg) = b.get(from..to) else {
        return false;
    };
    // A break starts at one of `.!?\n`: eight bytes at a time, jump to
    // the next such byte, then test the three bytes there.
    let starts = seg.len().saturating_sub(2);
    let mut i = 0;
    while i < starts {
        if let Some(chunk) = seg.get(i..i + 8) {
            let mut arr = [0u8; 8];
            arr.copy_from_slice(chunk);
            let x = u64::from_le_bytes(arr);
            let m = find(x, b'.') | find(x, b'!') | find(x, b'?') | find(x, b'\n');
            if m == 0 {
                i += 8;
                continue;
            }
            i += (m.trailing_zeros() / 8) as usize;
            if i >= starts {
                break;
            }
        }
        if seg.get(i..i + 3).is_some_and(is_break) {
            return true;
        }
        i += 1;
    }
    false
}

/// Whether three bytes are a break of [`crosses_sentence`].
fn is_break(w: &[u8]) -> bool {
    match *w {
        [w0, w1, w2] => {
            (matches!(w0, b'.' | b'!' | b'?')
                && matches!(w1, b' ' | b'\n')
                && w2.is_ascii_uppercase())
                || (w0 == b'\n' && w1 == b'\n')
        }
        _ => false,
    }
}

/// How far the row / header logic looks for line ends: long lines are not
/// table rows, and the bound keeps the work per candidate constant on
/// huge single-line inputs.
const MAX_LINE: usize = 1024;

/// Start of the line containing `pos`, or `pos - MAX_LINE` if the line
/// starts further back.
/// The last newline in the `WINDOW + 1` bytes before `start`: for `end`
/// at most `WINDOW` before `start`, a newline lies in `end - 1..start`
/// exactly when this one is at or after `end - 1`.
fn last_newline_before(b: &[u8], start: usize) -> Option<usize> {
    let lo = start.saturating_sub(WINDOW + 1);
    b.get(lo..start)
        .and_then(|s| memchr::memrchr(b'\n', s))
        .map(|i| lo + i)
}

fn line_start(b: &[u8], pos: usize) -> usize {
    text::line_start(b, pos, MAX_LINE)
}

/// The line containing `pos` if it is at most `MAX_LINE` bytes either
/// side.
fn bounded_line(b: &[u8], pos: usize) -> Option<(usize, usize)> {
    let lo = pos.saturating_sub(MAX_LINE);
    let s = match b.get(lo..pos).and_then(|s| memchr::memrchr(b'\n', s)) {
        Some(i) => lo + i + 1,
        None if lo == 0 => 0,
        None => return None,
    };
    let hi = (pos + MAX_LINE).min(b.len());
    let e = match b.get(pos..hi).and_then(|s| memchr::memchr(b'\n', s)) {
        Some(i) => pos + i,
        None if hi == b.len() => b.len(),
        None => return None,
    };
    Some((s, e))
}

/// For a value in a delimited row (CSV, TSV, a Markdown table), the type
/// keywords of its column header: the header is the first line of the
/// text, or one of the three lines above, that has the delimiter, letters
/// and no digits. With `other_than: Some(kw_end)`, none unless a keyword
/// ending at `kw_end` on the same line (see [`delimiter_between`]) lies
/// in another field than the value.
fn header_kws(ctx: &Ctx<'_>, pos: usize, other_than: Option<usize>) -> KwSet {
    let t = ctx.text;
    let b = t.as_bytes();
    let Some((ls, le)) = bounded_line(b, pos) else {
        return KwSet::EMPTY;
    };
    let Some(line) = b.get(ls..le) else {
        return KwSet::EMPTY;
    };
    let Some(delim) = crate::text::row_delimiter(line) else {
        return KwSet::EMPTY;
    };
    let is_header = |s: &[u8]| {
        s.contains(&delim)
            && s.iter().any(u8::is_ascii_alphabetic)
            && !s.iter().any(u8::is_ascii_digit)
    };
    let mut header = None;
    let first = bounded_line(b, 0);
    if let Some((fs, fe)) = first.filter(|&(fs, fe)| fs < ls && fe < ls) {
        if b.get(fs..fe).is_some_and(is_header) {
            header = Some((fs, fe));
        }
    }
    if header.is_none() {
        let mut end = ls;
        for _ in 0..3 {
            if end == 0 {
                break;
            }
            let Some((s0, e0)) = bounded_line(b, end - 1) else {
                break;
            };
            if b.get(s0..e0).is_some_and(is_header) {
                header = Some((s0, e0));
                break;
            }
            end = s0;
        }
    }
    let Some((hs, he)) = header else {
        return KwSet::EMPTY;
    };
    let col = crate::text::field_index(line, pos.saturating_sub(ls), delim);
    if other_than.is_some_and(|kw_end| {
        crate::text::field_index(line, kw_end.saturating_sub(ls + 1), delim) == col
    }) {
        return KwSet::EMPTY;
    }
    // The col-th field of the header.
    let Some((f0, f1)) = crate::text::field_range(b.get(hs..he).unwrap_or(&[]), col, delim) else {
        return KwSet::EMPTY;
    };
    let (f0, f1) = (hs + f0, hs + f1);
    ctx.keywords.with_range(f0, f1, |hits| {
        let mut kws = KwSet::EMPTY;
        for h in hits {
            if h.end <= f1 {
                kws = kws.union(h.classes.intersect(TYPE_KWS));
            }
        }
        kws
    })
}

/// One value interpretation of groups `a..=b`.
struct View<'a> {
    d: &'a [u8],
    lens: [u8; 16],
    paren: [bool; 16],
    ng: usize,
    start: usize,
    end: usize,
    plus: bool,
    /// Separators used between groups (bit 0 space, 1 dash, 2 dot).
    seps: u8,
}

const SP: u8 = 1;
const DASH: u8 = 2;
const DOT: u8 = 4;

impl View<'_> {
    fn lens(&self) -> &[u8] {
        self.lens.get(..self.ng).unwrap_or(&[])
    }
    fn single(&self) -> bool {
        self.ng == 1 && !self.plus && !self.paren[0]
    }
}

fn push(out: &mut Out<'_>, t: &str, ty: EntityType, v: &View<'_>, score: f32, rule: &'static str) {
    out.push(
        t,
        PendingFinding::new(ty, v.start, v.end, score.clamp(0.0, 1.0), rule),
    );
}

impl Numeric {
    fn handle_num(&self, hit: Hit, ctx: &Ctx<'_>, out: &mut Out<'_>) {
        let mut hit = hit;
        let mut c = Cand::empty();
        Cand::parse(&mut c, ctx.text, hit);
        if let Some(at) = hidden_start(&c, ctx.text, hit) {
            out.resume_at(at);
            return;
        }
        loop {
            self.handle_cand(&c, ctx, out);
            match c.next {
                Some(p) if p > hit.start && p < hit.end => {
                    hit.start = p;
                    c = Cand::empty();
                    Cand::parse(&mut c, ctx.text, hit);
                }
                _ => return,
            }
        }
    }

    fn handle_cand(&self, c: &Cand, ctx: &Ctx<'_>, out: &mut Out<'_>) {
        let t = ctx.text;
        if c.ng == 0 {
            return;
        }
        let total: usize = c.groups.iter().take(c.ng).map(|g| usize::from(g.nd)).sum();
        if total < 6 {
            return;
        }
        // Boundaries: drop an edge group glued to letters or that looks like
        // part of an amount / date / decimal.
        let mut lo = 0usize;
        let mut hi = c.ng;
        let start = c.plus_at.unwrap_or(c.groups[0].start);
        if text::char_before(t, start).is_some_and(char::is_alphanumeric) {
            // Glued to a word: part of some other token (postcode, IBAN, …).
            return;
        }
        // A dropped edge group takes the rest of its unit with it.
        // `(415) 555-…` and `988-74-…` cannot continue a thousands group,
        // nor can three spaced groups (`1,820 64 0917`: a CSV row's id
        // field, then an SSN).
        let not_thousands = c.groups[0].paren
            || (c.ng > 1 && c.groups[1].sep == b'-')
            || (c.ng == 3 && c.groups[1].sep == b' ' && c.groups[2].sep == b' ');
        if bad_before(t, start, c.groups[0].nd, not_thousands) {
            lo = 1;
            while lo < hi && c.groups[lo].sep != b' ' {
                lo += 1;
            }
        }
        // `098-01-671,172.31.…` is a CSV field before another: a dashed
        // number has no thousands groups.
        let last = c.groups[c.ng - 1];
        if bad_after(t, last.end, last.nd, last.sep == b'-') {
            hi -= 1;
            while hi > lo && c.groups[hi].sep != b' ' {
                hi -= 1;
            }
        }
        if lo >= hi {
            return;
        }
        // Units: runs of groups joined by non-space separators.
        let mut i = lo;
        while i < hi {
            if i > lo && c.groups[i].sep != b' ' {
                // Not the start of a unit.
                i += 1;
                continue;
            }
            let mut done = false;
            // Unit ends after i (exclusive ends of units), longest first.
            let mut ends = [0usize; MAX_UNITS_PER_VALUE];
            let mut ne = 0;
            let mut j = i + 1;
            while j <= hi && ne < MAX_UNITS_PER_VALUE {
                if j == hi || c.groups[j].sep == b' ' {
                    ends[ne] = j;
                    ne += 1;
                }
                j += 1;
            }
            for k in (0..ne).rev() {
                let e = ends[k];
                if self.classify(c, i, e, lo, ctx, out) {
                    i = e;
                    done = true;
                    break;
                }
            }
            if !done {
                i += 1;
            }
        }
    }

    /// Tries groups `a..b` as one value. Returns true when the groups are
    /// consumed (a finding was pushed, or context says they are a value we
    /// must not report, such as an ABA routing number).
    fn classify(
        &self,
        c: &Cand,
        a: usize,
        b: usize,
        lo: usize,
        ctx: &Ctx<'_>,
        out: &mut Out<'_>,
    ) -> bool {
        let t = ctx.text;
        if b <= a || b - a > 16 {
            return false;
        }
        let g0 = c.groups[a];
        let gl = c.groups[b - 1];
        let plus = a == lo && c.plus_at.is_some() && lo == 0;
        let start = if plus {
            c.plus_at.unwrap_or(g0.start)
        } else {
            g0.start
        };
        let d0 = usize::from(g0.d0);
        let d1 = usize::from(gl.d0) + usize::from(gl.nd);
        let Some(d) = c.digits.get(d0..d1) else {
            return false;
        };
        let mut v = View {
            d,
            lens: [0; 16],
            paren: [false; 16],
            ng: b - a,
            start,
            end: gl.end,
            plus,
            seps: 0,
        };
        for (k, g) in c.groups.iter().enumerate().take(b).skip(a) {
            v.lens[k - a] = g.nd;
            v.paren[k - a] = g.paren;
            if k > a {
                v.seps |= match g.sep {
                    b' ' => SP,
                    b'-' => DASH,
                    b'.' => DOT,
                    _ => 0,
                };
            }
        }
        let n = d.len();
        if !(6..=19).contains(&n) {
            return false;
        }
        // A lone `(` or `)` at the edges must balance.
        if t.as_bytes().get(v.end.wrapping_sub(1)) == Some(&b')') && !g0.paren && v.ng == 1 {
            return false;
        }
        let nr = near(ctx, start, v.end);
        let lens = v.lens();
        let single = v.single();
        // `DOB: 19800101`, HL7 `|20240501103000|`: compact dates (not
        // where a keyword or an HL7 field says another type: an MRN in
        // PID-3 may read as a date).
        if single
            && compact_date(d)
            && (nr.has(Kw::Dob)
                || (nr.kws == KwSet::EMPTY
                    && (ctx.kw_before(start, WINDOW, KwSet::of(&[Kw::Date]))
                        || hl7_value(t.as_bytes(), start, v.end))))
        {
            push(out, t, EntityType::DateTime, &v, 0.8, "date-compact");
            return true;
        }
        if nr.has(Kw::Dob) || is_date(d, lens) {
            return false;
        }
        // `created_at=1702867813`: an epoch timestamp (seconds or
        // milliseconds), whatever keyword the sentence before holds.
        if single && (10..=13).contains(&n) && time_key(t.as_bytes(), start) {
            return false;
        }

        // Context-only identifiers: the nearest keyword decides.
        if single {
            if nr.has(Kw::Routing) {
                return true;
            }
            if nr.has(Kw::Npi) && n == 10 {
                if npi::is_valid_digits(d) {
                    push(out, t, EntityType::Npi, &v, 0.95, "npi");
                }
                return true;
            }
            if nr.has(Kw::Nhs) && n == 10 {
                if nhs::is_valid_digits(d) {
                    push(out, t, EntityType::UkNhs, &v, 0.95, "nhs");
                }
                return true;
            }
            if (nr.has(Kw::Ssn) || nr.has(Kw::Itin) || nr.has(Kw::TaxId)) && n == 9 {
                return self.ssn(&v, nr, true, t, out);
            }
            if nr.has(Kw::Passport) && (n == 9 || n == 8) {
                push(out, t, EntityType::UsPassport, &v, 0.85, "passport");
                return true;
            }
            if nr.has(Kw::Mrn) && (7..=10).contains(&n) {
                push(out, t, EntityType::MedicalRecordNumber, &v, 0.85, "mrn");
                return true;
            }
            if nr.has(Kw::DriverLicense) && (5..=13).contains(&n) {
                push(out, t, EntityType::UsDriverLicense, &v, 0.8, "dl");
                return true;
            }
            if nr.has(Kw::Account) && !nr.has(Kw::Card) && (8..=17).contains(&n) {
                if n == 9 && aba::is_valid_digits(d) && nr.any.contains(Kw::Routing) {
                    return true;
                }
                push(out, t, EntityType::UsBankNumber, &v, 0.85, "bank-account");
                return true;
            }
        }

        let negative = (nr.has(Kw::Order) || nr.has(Kw::Version) || nr.has(Kw::Iban))
            && !nr.has(Kw::Card)
            && !nr.has(Kw::Phone);

        // Cards.
        if cards::grouping_ok(lens) && !v.plus && !v.paren.iter().any(|&p| p) && v.seps & DOT == 0 {
            if let Some(brand) = cards::check(d) {
                if crate::recognizers::iban::inside_grouped(t, v.start, v.end) {
                    return true;
                }
                let mut s = if v.ng > 1 { 0.85 } else { 0.75 };
                if nr.any.contains(Kw::Card) {
                    s += 0.1;
                }
                if negative {
                    s -= 0.3;
                }
                let mut f = PendingFinding::new(
                    EntityType::CreditCard,
                    v.start,
                    v.end,
                    f32::min(s, 1.0),
                    "card",
                )
                .subtype(brand);
                if cards::is_test_pan(d) {
                    f = f.flags(FindingFlags::TEST_VALUE);
                }
                out.push(t, f);
                return true;
            }
            if nr.has(Kw::Card) && n >= 13 {
                return true;
            }
        }

        // SSN / ITIN written 3-2-4 (an MRN when the keyword says so).
        if nr.has(Kw::Mrn) && matches!(lens, [3, 2, 4]) && v.seps == DASH {
            push(out, t, EntityType::MedicalRecordNumber, &v, 0.85, "mrn");
            return true;
        }
        if n == 9 && matches!(lens, [3, 2, 4]) && (v.seps == DASH || v.seps == SP) {
            return self.ssn(&v, nr, false, t, out);
        }

        // Other context-typed grouped formats.
        if nr.has(Kw::Mrn) && matches!(lens, [3, 2, 3]) && v.seps == DASH {
            push(out, t, EntityType::MedicalRecordNumber, &v, 0.85, "mrn");
            return true;
        }
        if nr.has(Kw::DriverLicense) && matches!(lens, [3, 3, 3]) && v.seps & DOT == 0 {
            push(out, t, EntityType::UsDriverLicense, &v, 0.8, "dl");
            return true;
        }
        let plain_groups = !v.plus && !v.paren.iter().any(|&p| p) && v.seps & DOT == 0;
        if nr.has(Kw::DriverLicense) && plain_groups && (7..=13).contains(&n) {
            push(out, t, EntityType::UsDriverLicense, &v, 0.75, "dl");
            return true;
        }
        if nr.has(Kw::Mrn) && plain_groups && v.seps == DASH && (6..=10).contains(&n) {
            push(out, t, EntityType::MedicalRecordNumber, &v, 0.8, "mrn");
            return true;
        }
        if nr.has(Kw::Passport) && matches!(lens, [3, 3, 3]) && v.seps & DOT == 0 {
            push(out, t, EntityType::UsPassport, &v, 0.8, "passport");
            return true;
        }

        // NHS numbers (3-3-4 or a run of ten).
        if n == 10 && (single || (matches!(lens, [3, 3, 4]) && v.seps & DOT == 0 && !v.paren[0])) {
            let valid = nhs::is_valid_digits(d);
            if nr.has(Kw::Nhs) {
                if valid {
                    push(out, t, EntityType::UkNhs, &v, 0.95, "nhs");
                }
                return true;
            }
            if valid
                && !single
                && v.seps == SP
                && !negative
                && !nr.has(Kw::Phone)
                && !nr.has(Kw::Fax)
            {
                if nr.any.contains(Kw::Nhs) {
                    push(out, t, EntityType::UkNhs, &v, 0.9, "nhs");
                    return true;
                }
                // Without any NHS keyword a valid US number reads as a phone.
                if !phone::is_nanp(d) {
                    push(out, t, EntityType::UkNhs, &v, 0.6, "nhs");
                    return true;
                }
            }
            if valid && single && nr.any.contains(Kw::Nhs) {
                push(out, t, EntityType::UkNhs, &v, 0.8, "nhs");
                return true;
            }
        }

        // NPI without its keyword right before: the provider context nearby.
        if single && n == 10 && npi::is_valid_digits(d) && nr.any.contains(Kw::Npi) {
            push(out, t, EntityType::Npi, &v, 0.8, "npi");
            return true;
        }

        // Phones.
        let p = phone::PhoneIn {
            digits: d,
            lens,
            paren: v.paren.get(..v.ng).unwrap_or(&[]),
            plus: v.plus,
            dots: v.seps & DOT != 0,
        };
        if let Some((base, needs_ctx)) = phone::check(&p) {
            let phone_ctx = nr.any.contains(Kw::Phone) || nr.any.contains(Kw::Fax);
            if needs_ctx && !phone_ctx {
                return false;
            }
            let mut s = base;
            if phone_ctx {
                s += 0.15;
            }
            if negative {
                s -= if needs_ctx { 0.3 } else { 0.2 };
            }
            // Another identifier's keyword right before: not a phone unless
            // the format is unmistakable.
            let other = nr.has(Kw::Ssn)
                || nr.has(Kw::Npi)
                || nr.has(Kw::Nhs)
                || nr.has(Kw::Mrn)
                || nr.has(Kw::Passport)
                || nr.has(Kw::DriverLicense)
                || nr.has(Kw::Account)
                || nr.has(Kw::Routing);
            if other && !nr.has(Kw::Phone) && !v.plus && !v.paren[0] {
                s -= 0.3;
            }
            if s >= 0.5 {
                if let Some(end) = extension_end(t, v.end) {
                    v.end = end;
                }
                push(out, t, EntityType::PhoneNumber, &v, s, "phone");
                return true;
            }
            return false;
        }
        false
    }

    fn ssn(&self, v: &View<'_>, nr: Near, bare: bool, t: &str, out: &mut Out<'_>) -> bool {
        let d = v.d;
        let explicit_ssn = nr.has(Kw::Ssn);
        let tax = nr.has(Kw::Itin) || nr.has(Kw::TaxId) || explicit_ssn;
        let negative = nr.has(Kw::Order) || nr.has(Kw::Version) || nr.has(Kw::Phone);
        if ssn::is_itin(d) {
            let mut s = 0.8;
            if tax {
                s = 0.95;
            }
            if negative && !tax {
                s -= 0.35;
            }
            push(out, t, EntityType::UsItin, v, s, "itin");
            return true;
        }
        if ssn::is_issuable(d) {
            if ssn::is_sample(d) {
                // Published sample numbers (078-05-1120, 219-09-9999, …):
                // in neutral text they are examples and not reported; a
                // value explicitly presented as an SSN is reported, flagged
                // as a test value, so a policy decides — a compliance tool
                // must not let a test SSN through silently.
                if explicit_ssn {
                    out.push(
                        t,
                        PendingFinding::new(EntityType::UsSsn, v.start, v.end, 0.55, "ssn")
                            .flags(FindingFlags::TEST_VALUE),
                    );
                }
                return true;
            }
            let mut s = if v.seps == SP { 0.6 } else { 0.85 };
            if tax {
                s = 0.95;
            }
            if negative && !tax {
                s -= 0.4;
            }
            push(out, t, EntityType::UsSsn, v, s, "ssn");
            return true;
        }
        if explicit_ssn && !bare {
            out.push(
                t,
                PendingFinding::new(EntityType::UsSsn, v.start, v.end, 0.55, "ssn")
                    .flags(FindingFlags::NOT_ISSUABLE),
            );
        }
        true
    }
}

/// Whether the text before a numeric candidate makes it part of something
/// else (a word, an amount, a decimal, a date, a path). `first_len` is the
/// digit count of the first group; `not_thousands` whether its form rules
/// out a thousands group (`7,(415) 555-…` and `1,988-74-0679` are CSV
/// fields).
fn bad_before(t: &str, pos: usize, first_len: u8, not_thousands: bool) -> bool {
    let Some(c) = text::char_before(t, pos) else {
        return false;
    };
    let p = pos - c.len_utf8();
    let prev = text::char_before(t, p);
    match c {
        // `#123456` may be a colour; longer runs after `#` are numbers
        // (`MRN #1234567`, `Order #5442874199`).
        '#' => matches!(first_len, 3 | 6),
        '$' | '€' | '£' | '¥' | '@' | '_' | '/' | '\\' => true,
        ',' => first_len == 3 && !not_thousands && thousands_lead(t.as_bytes(), p),
        ':' => prev.is_some_and(|x| x.is_ascii_digit()),
        '.' | '-' => prev.is_some_and(|x| x.is_alphanumeric()),
        _ => c.is_alphanumeric(),
    }
}

/// Whether the digits ending at `comma` (a `,` position) are 1-3 digits, as
/// the leading part of a thousands-grouped number (`12,345`) is; a longer
/// run before a comma is a separate field (`533142044,988`).
fn thousands_lead(b: &[u8], comma: usize) -> bool {
    let mut i = comma;
    let mut n = 0;
    while i > 0 && b.get(i - 1).is_some_and(u8::is_ascii_digit) {
        i -= 1;
        n += 1;
        if n > 3 {
            return false;
        }
    }
    n > 0
}

/// Whether the text after a numeric candidate makes it part of something
/// else. `last_len` is the digit count of the last group;
/// `not_thousands` whether the candidate's form rules out a thousands
/// group after it.
fn bad_after(t: &str, pos: usize, last_len: u8, not_thousands: bool) -> bool {
    let Some(c) = text::char_at(t, pos) else {
        return false;
    };
    let next = text::char_at(t, pos + c.len_utf8());
    // `555-0199x204`: a phone extension (kept with the number).
    if matches!(c, 'x' | 'X') && extension_end(t, pos).is_some() {
        return false;
    }
    match c {
        '%' | '@' | '_' => true,
        '/' | '\\' => next.is_some_and(|x| x.is_alphanumeric()),
        ':' => next.is_some_and(|x| x.is_ascii_digit()),
        // `83509468-b10a-…` (a UUID), `12345678.txt`, `2019-01-19`.
        '.' | '-' => next.is_some_and(|x| x.is_alphanumeric()),
        ',' => {
            // A thousands group (`,345` then no more digits).
            let b = t.as_bytes();
            let q = pos + 1;
            last_len <= 3
                && !not_thousands
                && (q..q + 3).all(|i| b.get(i).is_some_and(u8::is_ascii_digit))
                && !b.get(q + 3).is_some_and(u8::is_ascii_digit)
        }
        _ => c.is_alphanumeric(),
    }
}

impl Module for Numeric {
    fn name(&self) -> &'static str {
        "numeric"
    }

    fn types(&self) -> &'static [EntityType] {
        &[
            EntityType::CreditCard,
            EntityType::UsSsn,
            EntityType::UsItin,
            EntityType::PhoneNumber,
            EntityType::Npi,
            EntityType::UkNhs,
            EntityType::UsBankNumber,
            EntityType::UsPassport,
            EntityType::MedicalRecordNumber,
            EntityType::UsDriverLicense,
        ]
    }

    fn shapes(&self) -> Vec<Shape> {
        let mut v = vec![Shape::new(
            NUM,
            prio::NUMBER,
            format!(
                "{}{}{}{END}",
                r"(?:\+?[0-9]+|\([0-9]{1,5}\)[ .\-]?[0-9]+)",
                r"(?:[ .\-]?\([0-9]{1,5}\)[ .\-]?[0-9]+|[ .\-][0-9]+)*",
                // A phone extension glued on (`555-0199x204`); the digit
                // groups end before it (`Cand::parse`).
                r"(?:[xX][0-9]{1,6})?",
            ),
        )];
        v.extend(ids::shapes());
        v
    }

    fn on_shape(&self, shape: u32, hit: Hit, ctx: &Ctx<'_>, out: &mut Out<'_>) {
        if shape == NUM {
            self.handle_num(hit, ctx, out);
        } else {
            ids::handle(shape, hit, ctx, out);
        }
    }
}

/// Where a value that the number run `hit` (parsed into `c`) hides from
/// the other shapes starts, when the run is no number of its own:
/// - its first group is glued to a word (`IPv4 10.0.0.1`, `IPv6
///   2001:db8::1`, `H2 555 0100 1234`): the group after the first space;
/// - it is too short for any value and a capitalised word follows (`Unit
///   4 12 Smith Street`): its last group, which may be a house number.
///
/// The search goes on there ([`Out::resume_at`]). The match found from
/// there starts after a separator, so it is not glued; after the second
/// case it is one group, which resumes nothing. So no run is searched more
/// than three times.
fn hidden_start(c: &Cand, t: &str, hit: Hit) -> Option<usize> {
    let groups = c.groups.get(..c.ng)?;
    let first = groups.first()?;
    if text::char_before(t, c.plus_at.unwrap_or(first.start)).is_some_and(char::is_alphanumeric) {
        return groups
            .iter()
            .skip(1)
            .find(|g| g.sep == b' ')
            .map(|g| g.start);
    }
    let last = groups.last()?;
    let digits: usize = groups.iter().map(|g| usize::from(g.nd)).sum();
    let b = t.as_bytes();
    (c.next.is_none()
        && groups.len() > 1
        && digits < 6
        && last.sep == b' '
        && hit.end <= last.end + 1
        && b.get(last.end) == Some(&b' ')
        && b.get(last.end + 1).is_some_and(u8::is_ascii_uppercase))
    .then_some(last.start)
}

/// Shared with `ids`.
fn nearest(ctx: &Ctx<'_>, start: usize, end: usize) -> Near {
    near(ctx, start, end)
}

#[cfg(test)]
mod tests {
    use crate::engine::Module;

    /// The eight-bytes-at-a-time `crosses_sentence` agrees with the plain
    /// window test.
    #[test]
    fn crosses_sentence_matches_windows() {
        let pieces: &[&[u8]] = &[
            b".",
            b" ",
            b"\n",
            b"A",
            b"a",
            b"!",
            b"?",
            b". B",
            b"\n\n",
            b"xxxxxxx",
            b"\xc3\xa9",
        ];
        let mut rng = crate::testrand::Rng::new(0x6a09_e667_f3bc_c908);
        for _ in 0..20_000 {
            let mut b = Vec::new();
            for _ in 0..rng.below(30) {
                b.extend_from_slice(pieces[rng.below(pieces.len())]);
            }
            let (from, to) = (rng.below(b.len() + 2), rng.below(b.len() + 2));
            let want = b.get(from..to).is_some_and(|seg| {
                seg.windows(3).any(|w| {
                    (matches!(w[0], b'.' | b'!' | b'?')
                        && matches!(w[1], b' ' | b'\n')
                        && w[2].is_ascii_uppercase())
                        || (w[0] == b'\n' && w[1] == b'\n')
                })
            });
            assert_eq!(
                super::crosses_sentence(&b, from, to),
                want,
                "{from} {to} {b:?}"
            );
        }
    }

    /// One backward newline search per value answers each keyword's
    /// "newline in `end - 1..start`" question as a search per keyword did.
    #[test]
    fn last_newline_answers_before_line() {
        let mut rng = crate::testrand::Rng::new(0x1405_7b7e_f767_814f);
        for _ in 0..3000 {
            let n = rng.below(120);
            let b: Vec<u8> = (0..n)
                .map(|_| if rng.below(9) == 0 { b'\n' } else { b'a' })
                .collect();
            let start = rng.below(n + 1);
            let nl = super::last_newline_before(&b, start);
            for end in start.saturating_sub(super::WINDOW)..=start {
                let want = b
                    .get(end.saturating_sub(1)..start)
                    .is_some_and(|s| s.contains(&b'\n'));
                let got = nl.is_some_and(|p| p >= end.saturating_sub(1));
                assert_eq!(got, want, "{start} {end} {b:?}");
            }
        }
    }

    /// Tokens that start with digits but continue with letters or base64
    /// characters (wallets, secrets, hashes) are not matched at their start,
    /// so the token shapes of other modules still see them.
    #[test]
    #[allow(clippy::expect_used)]
    fn shapes_leave_glued_tokens_alone() {
        let shapes = super::Numeric.shapes();
        for s in &shapes {
            let re = regex_automata::meta::Regex::new(&s.pattern).expect("shape compiles");
            for tok in [
                "1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
                "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
                "1234567/abcdEFGH+ijkl=",
                "457dfa4",
                "0x1234567890",
                "DE52126005236581034683",
            ] {
                let m = re.find(tok);
                assert!(
                    m.is_none_or(|m| m.start() > 0),
                    "shape {} matched at the start of {tok}",
                    s.id
                );
            }
        }
    }

    /// Arbitrary mixes of digits, separators, brackets, letters and
    /// multi-byte characters never panic, including very long runs.
    #[test]
    fn no_panic_on_noise() {
        let scanner = crate::Scanner::new();
        let alphabet: Vec<char> = "0123456789 -.()+#,:/$A1é€\u{200b}\n9_MRNwdl"
            .chars()
            .collect();
        let mut rng = crate::testrand::Rng::new(0x2545_f491_4f6c_dd1d);
        for round in 0..300 {
            let len = 1 + (round * 7) % 400;
            let mut s = String::new();
            for _ in 0..len {
                let i = rng.below(alphabet.len());
                s.push(alphabet.get(i).copied().unwrap_or('0'));
            }
            let _ = scanner.scan(&s);
        }
        let long_run = "1 ".repeat(5000) + &"9".repeat(3000) + &"-12".repeat(2000);
        let _ = scanner.scan(&long_run);
        let phones = "+1 503 777 4364 ".repeat(200);
        let found = scanner.scan(&phones);
        assert_eq!(found.len(), 200);
    }
}
