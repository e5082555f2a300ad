//! DATE_TIME: absolute calendar dates and date-times.
//!
//! * ISO 8601 (`2020-12-09`, `2020-12-09T15:21:07Z`,
//!   `2019-01-19 16:46:54.043`, offsets), also `2020/12/09` and
//!   `2020.12.09` (not where it is a calendar version).
//! * Numeric `04/21/2020`, `21/04/2020`, `21.04.2020`, `21-04-2020`
//!   (month-first or day-first, whichever is a real day); two-digit years
//!   next to a date keyword (`Date: 4/21/20`, `am 21.04.20`), or slashed
//!   with a two-digit day and month (`04/21/20`).
//! * Month names in English, German, French, Spanish, Italian, Portuguese
//!   and Dutch: `April 3, 2023`, `3 April 2023`, `3. April 2023`,
//!   `3 de abril de 2023`, `03-Apr-2023`, with an optional weekday and
//!   time (`February 8, 2025 at 10:25 AM`,
//!   `Fri, 15 Jul 2025 15:21:03 -0500` as one span).
//! * Log timestamps: syslog `Jan 12 10:22:01`, Apache
//!   `02/May/2021:19:17:19 +0000`.
//! * CJK `2023年4月3日`, Korean `2023년 4월 3일`. Chinese, Japanese and
//!   Korean letters right next to a date do not glue it to a word.
//!
//! Every candidate must be a real calendar day. Relative expressions,
//! durations, weekday names alone, epoch integers, `MM/YY` expiry dates
//! and fractions are never matched.

use deepsentinel_core::EntityType;

use crate::context::{Kw, KwSet};
use crate::engine::{Anchor, Ctx, Hit, Module, Out, PendingFinding, Shape, prio};
use crate::text;
use crate::validate::date::{self, days_in_month, is_valid_hms, is_valid_ymd, num};

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
];

pub(crate) struct DateTime;

const ISO: u32 = 0;
const NUMERIC: u32 = 1;
const CJK: u32 = 3;
const BASIC: u32 = 4;

const DATE_KW: KwSet = KwSet::of(&[Kw::Date, Kw::Dob]);

/// Month names for the shapes (the handler maps them with
/// [`date::month_from_name`]).
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "febr",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec", // en
    "januar",
    "jänner",
    "februar",
    "märz",
    "marz",
    "mai",
    "juni",
    "juli",
    "oktober",
    "dezember",
    "okt",
    "dez", // de
    "janvier",
    "janv",
    "février",
    "fevrier",
    "févr",
    "fevr",
    "mars",
    "avril",
    "avr",
    "juin",
    "juillet",
    "juil",
    "août",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "decembre", // fr
    "enero",
    "ene",
    "febrero",
    "marzo",
    "abril",
    "abr",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "ago",
    "septiembre",
    "setiembre",
    "octubre",
    "noviembre",
    "diciembre",
    "dic", // es
    "gennaio",
    "gen",
    "febbraio",
    "aprile",
    "maggio",
    "mag",
    "giugno",
    "giu",
    "luglio",
    "lug",
    "settembre",
    "set",
    "ottobre",
    "ott",
    "dicembre", // it
    "janeiro",
    "fevereiro",
    "fev",
    "março",
    "marco",
    "maio",
    "junho",
    "julho",
    "setembro",
    "outubro",
    "out",
    "novembro",
    "dezembro", // pt
    "januari",
    "februari",
    "maart",
    "mrt",
    "mei",
    "augustus", // nl
];

/// Polish month names in the genitive, the form used in dates
/// (`3 marca 2024`), January first. Anchors too (see [`DateTime::anchors`]).
const PL_GENITIVE: [&str; 12] = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
];

/// What may follow a dotted date with a two-digit year (`04.04.22`),
/// consumed so that the shape does not take the first three numbers of an
/// IP address or a four-part version (`10.20.48.110`) away from their own
/// shapes: the end of the text, a space or closing punctuation, or a full
/// stop that ends a sentence.
const DOT_YY_END: &str = r#"(?:\z|[\s,;)\]"'<]|\.(?:\z|\s))"#;

const TIME: &str = r"[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9}|,[0-9]{3,9})?)?(?:\s?(?i:[ap]\.m\.|[ap]m(?-u:\b)))?(?:\s?(?:[+-][0-9]{2}:?[0-9]{2}|(?:UTC|GMT|Z|[ECMP][SD]T|CES?T|BST|IST)(?-u:\b)))?";

impl Module for DateTime {
    fn name(&self) -> &'static str {
        "datetime"
    }

    fn types(&self) -> &'static [EntityType] {
        &[EntityType::DateTime]
    }

    fn shapes(&self) -> Vec<Shape> {
        // Years 1000-2999, months 1-12, days 1-31 already in the shapes, so
        // number runs that are not dates (`0800-12-34`, `12-34-5678`)
        // do not match at all and stay visible to other shapes.
        let y4 = "[12][0-9]{3}";
        let mo = "(?:0?[1-9]|1[0-2])";
        let dd = "(?:0?[1-9]|[12][0-9]|3[01])";
        let iso = format!(
            r"{y4}(?:-{mo}-{dd}|/{mo}/{dd}|\.{mo}\.{dd})(?:[Tt ][0-9]{{2}}:[0-9]{{2}}(?::[0-9]{{2}}(?:\.[0-9]{{1,9}}|,[0-9]{{3,9}})?)?(?:[Zz]| ?[+-][0-9]{{2}}:?[0-9]{{2}}| ?UTC)?|(?-u:\b))"
        );
        let numeric = format!(
            r"{dd}(?:(?:[.\-]{dd}[.\-]{y4}|/{dd}/(?:{y4}|[0-9]{{2}}))(?-u:\b)(?:,?\s+{TIME})?|\.{dd}\.[0-9]{{2}}{DOT_YY_END})"
        );
        let v = vec![
            Shape::new(ISO, prio::DATE, iso),
            Shape::new(NUMERIC, prio::DATE, numeric),
            // ISO 8601 basic format date-time: 20230314T154500Z.
            Shape::new(
                BASIC,
                prio::DATE,
                r"[0-9]{8}T[0-9]{4}(?:[0-9]{2})?(?:Z|[+-][0-9]{4})?",
            ),
            Shape::new(
                CJK,
                prio::DATE,
                r"[0-9]{4}\s?[年년]\s?[0-9]{1,2}\s?[月월]\s?[0-9]{1,2}\s?[日일]",
            ),
        ];
        v
    }

    fn anchors(&self) -> Vec<Anchor> {
        // Month names are found by the literal automaton, not the shared
        // regex: a case-insensitive alternation of ~120 names in several
        // shapes multiplied the lazy DFA's states.
        MONTHS
            .iter()
            .chain(PL_GENITIVE.iter())
            .map(|m| Anchor::new(0, *m))
            .collect()
    }

    fn on_anchor(&self, _anchor: u32, hit: Hit, ctx: &Ctx<'_>, out: &mut Out<'_>) {
        let t = ctx.text;
        let Some((start, end)) = named(hit, t) else {
            return;
        };
        let score = if ctx.kw_before(start, 24, DATE_KW) {
            0.95
        } else {
            0.85
        };
        out.push(
            t,
            PendingFinding::new(EntityType::DateTime, start, end, score, "datetime")
                .subtype("named"),
        );
    }

    fn on_shape(&self, shape: u32, hit: Hit, ctx: &Ctx<'_>, out: &mut Out<'_>) {
        let t = ctx.text;
        let b = t.as_bytes();
        // Not glued to a word or a longer dotted / dashed number run, nor a
        // path segment (`logs/12/06/24`). Chinese, Japanese and Korean
        // write no space between words, so their letters do not glue.
        if text::char_before(t, hit.start).is_some_and(glues)
            || (hit.start >= 2
                && b.get(hit.start - 1)
                    .is_some_and(|c| matches!(c, b'.' | b'/' | b'-' | b':'))
                && b.get(hit.start - 2).is_some_and(u8::is_ascii_digit))
            || (shape == NUMERIC
                && hit.start >= 1
                && matches!(b.get(hit.start - 1), Some(b'/' | b'\\')))
        {
            return;
        }
        let end = match shape {
            ISO => iso(hit, ctx),
            NUMERIC => numeric(hit, ctx),
            CJK => cjk(hit, t),
            _ => basic(hit, t),
        };
        let Some(end) = end else { return };
        if text::char_at(t, end).is_some_and(glues)
            || (b
                .get(end)
                .is_some_and(|c| matches!(c, b'.' | b'/' | b'-' | b':'))
                && b.get(end + 1).is_some_and(u8::is_ascii_digit))
        {
            return;
        }
        let score = if ctx.kw_before(hit.start, 24, DATE_KW) {
            0.95
        } else {
            0.85
        };
        let subtype = match shape {
            ISO => "iso8601",
            NUMERIC => "numeric",
            CJK => "cjk",
            _ => "iso8601",
        };
        out.push(
            t,
            PendingFinding::new(EntityType::DateTime, hit.start, end, score, "datetime")
                .subtype(subtype),
        );
    }
}

/// Splits `s` at the first byte that is not an ASCII digit.
fn digits(s: &[u8]) -> (&[u8], &[u8]) {
    let n = s.iter().take_while(|b| b.is_ascii_digit()).count();
    s.split_at(n)
}

/// Validates an optional `hh:mm[:ss]` at the start of `s`; true when
/// there is none or it is a valid clock time.
fn time_ok(s: &[u8], twelve_hour: bool) -> bool {
    let (h, rest) = digits(s);
    let Some(rest) = rest.strip_prefix(b":") else {
        return true;
    };
    let (m, rest) = digits(rest);
    let sec = match rest.strip_prefix(b":") {
        Some(r) => num(digits(r).0),
        None => Some(0),
    };
    let (Some(h), Some(m), Some(sec)) = (num(h), num(m), sec) else {
        return false;
    };
    is_valid_hms(h, m, sec) && (!twelve_hour || (1..=12).contains(&h))
}

/// Whether a character next to a date glues it to a word: letters and
/// digits, except those of scripts written without spaces between words.
fn glues(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Whether `c` is a Chinese character, kana or Hangul.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' // hiragana, katakana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{1100}'..='\u{11FF}' // Hangul jamo
        | '\u{3130}'..='\u{318F}' // Hangul compatibility jamo
        | '\u{AC00}'..='\u{D7AF}' // Hangul syllables
    )
}

fn iso(hit: Hit, ctx: &Ctx<'_>) -> Option<usize> {
    let t = ctx.text;
    let s = t.as_bytes().get(hit.start..hit.end)?;
    let (y, rest) = digits(s);
    let sep = *rest.first()?;
    let (m, rest) = digits(rest.get(1..)?);
    let (d, rest) = digits(rest.get(1..)?);
    if !is_valid_ymd(num(y)?, num(m)?, num(d)?) {
        return None;
    }
    // `2024.05.01` (Korea, Hungary, Japan, China) is also how calendar
    // versions are written: not after a version word, a requirement
    // operator or a package name (`certifi==2024.02.02`,
    // `tzdata-2024.01.01`), and a month or day without its zero only
    // after a date keyword.
    if sep == b'.' {
        let before = hit
            .start
            .checked_sub(1)
            .and_then(|i| t.as_bytes().get(i).copied());
        let before2 = hit
            .start
            .checked_sub(2)
            .and_then(|i| t.as_bytes().get(i).copied());
        let glued_pin = match before {
            // `==`, `>=`, `~=`, `!=` (a `key=` is a field).
            Some(b'=') => matches!(before2, Some(b'=' | b'<' | b'>' | b'~' | b'!')),
            // `pkg@…`, `~…`, `^…`, `pkg_…` (a `>` ends an XML tag).
            Some(b'@' | b'~' | b'^' | b'_') => true,
            Some(b'-') => before2.is_some_and(|c| c.is_ascii_alphanumeric()),
            _ => false,
        };
        if glued_pin
            || ctx.kw_before(hit.start, 2, KwSet::of(&[Kw::Version]))
            || ((m.len() != 2 || d.len() != 2) && !ctx.kw_before(hit.start, 24, DATE_KW))
        {
            return None;
        }
    }
    let date_end = hit.end - rest.len();
    if sep == b'/' && (m.len() != 2 || d.len() != 2) && !rest.is_empty() {
        return Some(date_end);
    }
    match rest.get(1..) {
        Some(time) if time_ok(time, false) => Some(hit.end),
        _ => Some(date_end),
    }
}

fn numeric(hit: Hit, ctx: &Ctx<'_>) -> Option<usize> {
    let t = ctx.text;
    let s = t.as_bytes().get(hit.start..hit.end)?;
    let (a, rest) = digits(s);
    let s1 = *rest.first()?;
    let (m, rest) = digits(rest.get(1..)?);
    let s2 = *rest.first()?;
    let (y, rest) = digits(rest.get(1..)?);
    if s1 != s2 {
        return None;
    }
    let two_digit_day_month = a.len() == 2 && m.len() == 2;
    let (a, m) = (num(a)?, num(m)?);
    let year = if y.len() == 2 {
        // `12/25/23`, `25.12.23`: with a date keyword, or slashed with
        // both day and month in two digits (`12/06/24`; `5/1/24` is as
        // likely a ratio); dotted only with two-digit day and month
        // (`4.3.16` is a section); never after an expiry or card keyword,
        // nor right after a score word (`Scores: 10/10/10`), and never
        // with dashes (phone / part numbers).
        let padded = s1 == b'/' && two_digit_day_month;
        if s1 == b'-'
            || (s1 == b'.' && !two_digit_day_month)
            || !(padded || ctx.kw_before(hit.start, 24, DATE_KW))
            || ctx.kw_before(
                hit.start,
                24,
                KwSet::of(&[Kw::CardNegative, Kw::Card, Kw::Version]),
            )
            || ctx.kw_before(hit.start, 3, KwSet::of(&[Kw::Score]))
        {
            return None;
        }
        2000 + num(y)?
    } else {
        // A numeric date names a year people write that way (birth dates
        // and records since 1800); `10.4.1234` is a version number.
        let year = num(y)?;
        if !(1800..=2199).contains(&year) {
            return None;
        }
        year
    };
    if !(is_valid_ymd(year, a, m) || is_valid_ymd(year, m, a)) {
        return None;
    }
    // `version 10.4.2023`, `build 12.11.1900`: right after a version
    // word, a dotted or dashed run of three numbers is a version.
    if s1 != b'/' && ctx.kw_before(hit.start, 2, KwSet::of(&[Kw::Version])) {
        return None;
    }
    let date_end = hit.end - rest.len();
    let time = rest
        .iter()
        .position(u8::is_ascii_digit)
        .and_then(|i| rest.get(i..));
    match time {
        Some(tm) => {
            let twelve = tm.iter().any(|b| matches!(b, b'a' | b'A' | b'p' | b'P'));
            if time_ok(tm, twelve) {
                Some(hit.end)
            } else {
                Some(date_end)
            }
        }
        None => Some(date_end),
    }
}

fn basic(hit: Hit, t: &str) -> Option<usize> {
    let s = t.as_bytes().get(hit.start..hit.end)?;
    let y = num(s.get(..4)?)?;
    let m = num(s.get(4..6)?)?;
    let d = num(s.get(6..8)?)?;
    let h = num(s.get(9..11)?)?;
    let mi = num(s.get(11..13)?)?;
    let sec = match s.get(13..15) {
        Some(x) if x.iter().all(u8::is_ascii_digit) => num(x)?,
        _ => 0,
    };
    (is_valid_ymd(y, m, d) && is_valid_hms(h, mi, sec)).then_some(hit.end)
}

fn cjk(hit: Hit, t: &str) -> Option<usize> {
    let s = t.get(hit.start..hit.end)?;
    let mut it = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty());
    let y = num(it.next()?.as_bytes())?;
    let m = num(it.next()?.as_bytes())?;
    let d = num(it.next()?.as_bytes())?;
    is_valid_ymd(y, m, d).then_some(hit.end)
}

/// The month named by `word`: the shared table, then the Polish genitive
/// forms (`3 marca 2024`), which only occur inside a date.
fn month_of(word: &str) -> Option<u32> {
    if let Some(m) = date::month_from_name(word) {
        return Some(m);
    }
    const PL: [&str; 12] = PL_GENITIVE;
    let mut buf = [0u8; 16];
    let mut n = 0;
    for c in word.chars() {
        let mut tmp = [0u8; 4];
        for &x in c
            .to_lowercase()
            .next()
            .unwrap_or(c)
            .encode_utf8(&mut tmp)
            .as_bytes()
        {
            *buf.get_mut(n)? = x;
            n += 1;
        }
    }
    let w = buf.get(..n)?;
    PL.iter()
        .position(|m| m.as_bytes() == w)
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// Whether `c` belongs to a word (ASCII letter or any non-ASCII byte).
fn is_letter(c: u8) -> bool {
    c.is_ascii_alphabetic() || c >= 0x80
}

fn is_space(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|&c| is_space(c)) {
        i += 1;
    }
    i
}

fn back_spaces(b: &[u8], mut i: usize) -> usize {
    while i > 0 && b.get(i - 1).is_some_and(|&c| is_space(c)) {
        i -= 1;
    }
    i
}

/// A run of `min..=max` ASCII digits at `i` (not longer): its value and end.
fn digits_at(b: &[u8], i: usize, min: usize, max: usize) -> Option<(u32, usize)> {
    let n = b
        .get(i..)?
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if n < min || n > max {
        return None;
    }
    Some((num(b.get(i..i + n)?)?, i + n))
}

/// One of `words` (ASCII case-insensitive) at `i`, not followed by a
/// letter: its end.
fn word_at(b: &[u8], i: usize, words: &[&str]) -> Option<usize> {
    words.iter().find_map(|w| {
        let e = i + w.len();
        (b.get(i..e)
            .is_some_and(|s| s.eq_ignore_ascii_case(w.as_bytes()))
            && !b.get(e).is_some_and(|&c| is_letter(c)))
        .then_some(e)
    })
}

/// The start of a weekday name (`Fri, `, `Tuesday `) that ends, with an
/// optional `.`/`,` and at least one space, just before `i`.
fn weekday_before(b: &[u8], i: usize) -> Option<usize> {
    let mut j = back_spaces(b, i);
    if j == i {
        return None;
    }
    if j > 0 && b.get(j - 1) == Some(&b',') {
        j -= 1;
    }
    if j > 0 && b.get(j - 1) == Some(&b'.') {
        j -= 1;
    }
    let mut k = j;
    while k > 0 && b.get(k - 1).is_some_and(u8::is_ascii_alphabetic) {
        k -= 1;
    }
    if k == j
        || (k > 0
            && b.get(k - 1)
                .is_some_and(|&c| is_letter(c) || c.is_ascii_digit()))
    {
        return None;
    }
    let w = b.get(k..j)?;
    WEEKDAYS
        .iter()
        .any(|d| w.eq_ignore_ascii_case(d.as_bytes()))
        .then_some(k)
}

/// A clock time at `i`: `H:MM[:SS[.frac]]`, an optional am/pm and an
/// optional zone (`-0500`, `+01:00`, `UTC`, `EST`, …). Its end.
fn time_at(b: &[u8], i: usize) -> Option<usize> {
    let (h, e) = digits_at(b, i, 1, 2)?;
    if b.get(e) != Some(&b':') {
        return None;
    }
    let (m, mut e) = digits_at(b, e + 1, 2, 2)?;
    let mut sec = 0;
    if b.get(e) == Some(&b':') {
        if let Some((s, e3)) = digits_at(b, e + 1, 2, 2) {
            sec = s;
            e = e3;
            if matches!(b.get(e), Some(b'.' | b',')) {
                if let Some((_, e4)) = digits_at(b, e + 1, 1, 9) {
                    e = e4;
                }
            }
        }
    }
    if b.get(e) == Some(&b':') && b.get(e + 1).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut twelve = false;
    let p = if b.get(e) == Some(&b' ') { e + 1 } else { e };
    if let Some(e5) = word_at(b, p, &["a.m.", "p.m.", "am", "pm"]) {
        twelve = true;
        e = e5;
    }
    if !is_valid_hms(h, m, sec) || (twelve && !(1..=12).contains(&h)) {
        return None;
    }
    let p = if b.get(e) == Some(&b' ') { e + 1 } else { e };
    if matches!(b.get(p), Some(b'+' | b'-')) {
        if let Some((_, z)) = digits_at(b, p + 1, 4, 4) {
            return Some(z);
        }
        if let Some((_, z)) = digits_at(b, p + 1, 2, 2) {
            if b.get(z) == Some(&b':') {
                if let Some((_, z2)) = digits_at(b, z + 1, 2, 2) {
                    return Some(z2);
                }
            }
        }
        return Some(e);
    }
    const ZONES: &[&str] = &[
        "UTC", "GMT", "Z", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "CEST", "CET",
        "BST", "IST",
    ];
    for z in ZONES {
        let ze = p + z.len();
        if b.get(p..ze) == Some(z.as_bytes()) && !b.get(ze).is_some_and(|&c| is_letter(c)) {
            return Some(ze);
        }
    }
    Some(e)
}

/// A time after a date ending at `e`: `T15:21`, `, 10:25`, ` at 10:25 AM`,
/// ` um 14:30`, … Its end.
fn time_after(b: &[u8], e: usize) -> Option<usize> {
    if b.get(e) == Some(&b'T') {
        return time_at(b, e + 1);
    }
    let mut p = e;
    if b.get(p) == Some(&b',') {
        p += 1;
    }
    let q = skip_spaces(b, p);
    if q == p {
        return None;
    }
    let joined = if b.get(q) == Some(&b'@') {
        Some(q + 1)
    } else {
        word_at(b, q, &["at", "um", "à", "a las", "alle", "às", "om", "kl."])
    };
    if let Some(r) = joined {
        return time_at(b, skip_spaces(b, r));
    }
    time_at(b, q)
}

/// A date written with a month name, found from the month word at `hit`:
/// `April 3, 2023`, `3 April 2023`, `3. April 2023`, `3 de abril de 2023`,
/// `03-Apr-2023`, `02/May/2021:19:17:19 +0000`, syslog `Jan 12 10:22:01`,
/// with an optional weekday before and time after. Its byte range.
fn named(hit: Hit, t: &str) -> Option<(usize, usize)> {
    let b = t.as_bytes();
    let ms = hit.start;
    if ms > 0
        && b.get(ms - 1)
            .is_some_and(|&c| is_letter(c) || c.is_ascii_digit())
    {
        return None;
    }
    // Only the anchor that spells the whole word handles it.
    if b.get(hit.end).is_some_and(|&c| is_letter(c)) {
        return None;
    }
    let month = month_of(t.get(ms..hit.end)?)?;
    let we = hit.end;
    let bounded = |end: usize| {
        !b.get(end)
            .is_some_and(|&c| is_letter(c) || c.is_ascii_digit())
    };

    // 03-Apr-2023, 3/Apr/23, 02/May/2021:19:17:19 +0000; year first:
    // 2024-May-03, 2024/May/03.
    if let Some(&sep) = ms.checked_sub(1).and_then(|i| b.get(i)) {
        if (sep == b'-' || sep == b'/') && b.get(we) == Some(&sep) {
            let de = ms - 1;
            let mut ds = de;
            while ds > 0 && de - ds < 4 && b.get(ds - 1).is_some_and(u8::is_ascii_digit) {
                ds -= 1;
            }
            if ds > 0 && b.get(ds - 1).is_some_and(|&c| c.is_ascii_alphanumeric()) {
                return None;
            }
            if de - ds == 4 {
                let (year, _) = digits_at(b, ds, 4, 4)?;
                let (day, e) = digits_at(b, we + 1, 1, 2)?;
                if !is_valid_ymd(year, month, day) {
                    return None;
                }
                let e = time_after(b, e).unwrap_or(e);
                return bounded(e).then_some((ds, e));
            }
            let (day, _) = digits_at(b, ds, 1, 2)?;
            let (year, mut e) = match digits_at(b, we + 1, 4, 4) {
                Some(v) => v,
                None => {
                    let (y, e) = digits_at(b, we + 1, 2, 2)?;
                    (2000 + y, e)
                }
            };
            if !is_valid_ymd(year, month, day) {
                return None;
            }
            if sep == b'/' && b.get(e) == Some(&b':') {
                if let Some(te) = time_at(b, e + 1) {
                    e = te;
                }
            } else if let Some(te) = time_after(b, e) {
                e = te;
            }
            return bounded(e).then_some((ds, e));
        }
    }

    let mut me = we;
    if b.get(me) == Some(&b'.') {
        me += 1;
    }

    // Day before the month: 3 April 2023, 15 Jul 2025 15:21:03 -0500.
    let mut j = back_spaces(b, ms);
    if j < ms {
        if j >= 2 {
            let w = b.get(j - 2..j)?;
            if (w.eq_ignore_ascii_case(b"of") || w.eq_ignore_ascii_case(b"de"))
                && b.get(j.wrapping_sub(3)).is_some_and(|&c| is_space(c))
            {
                j = back_spaces(b, j - 2);
            }
        }
        let mut k = j;
        if k > 0 && b.get(k - 1) == Some(&b'.') {
            k -= 1;
        } else if k >= 3 {
            let suf = b.get(k - 2..k)?;
            if [&b"st"[..], b"nd", b"rd", b"th", b"er"]
                .iter()
                .any(|s| suf.eq_ignore_ascii_case(s))
            {
                k -= 2;
            }
        }
        let mut ds = k;
        while ds > 0 && k - ds < 3 && b.get(ds - 1).is_some_and(u8::is_ascii_digit) {
            ds -= 1;
        }
        if ds < k
            && k - ds <= 2
            && !(ds > 0
                && b.get(ds - 1)
                    .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'.'))
        {
            if let Some((day, _)) = digits_at(b, ds, 1, 2) {
                let mut p = me;
                if b.get(p) == Some(&b',') {
                    p += 1;
                }
                let q = skip_spaces(b, p);
                let q = match word_at(b, q, &["de"]) {
                    Some(r) if q > p => skip_spaces(b, r),
                    _ => q,
                };
                if q > p {
                    if let Some((year, mut e)) = digits_at(b, q, 4, 4) {
                        if is_valid_ymd(year, month, day) && bounded(e) {
                            if let Some(te) = time_after(b, e) {
                                e = te;
                            }
                            let start = weekday_before(b, ds).unwrap_or(ds);
                            return bounded(e).then_some((start, e));
                        }
                    }
                }
            }
        }
    }

    // Month first: April 3, 2023 [at 10:25 AM]; syslog Jan 12 10:22:01.
    let q = skip_spaces(b, me);
    if q == me {
        return None;
    }
    let (day, mut p) = digits_at(b, q, 1, 2)?;
    if let Some(e) = word_at(b, p, &["st", "nd", "rd", "th"]) {
        p = e;
    }
    let comma = b.get(p) == Some(&b',');
    if comma {
        p += 1;
    }
    let q = skip_spaces(b, p);
    if q == p {
        return None;
    }
    let start = weekday_before(b, ms).unwrap_or(ms);
    if let Some((year, mut e)) = digits_at(b, q, 4, 4) {
        if !is_valid_ymd(year, month, day) || !bounded(e) {
            return None;
        }
        if let Some(te) = time_after(b, e) {
            e = te;
        }
        return bounded(e).then_some((start, e));
    }
    if comma || day > days_in_month(2000, month) || day == 0 {
        return None;
    }
    // Syslog / ctime: a full hh:mm:ss is required without a year.
    let te = time_at(b, q)?;
    if b.get(q..te)
        .is_none_or(|s| s.iter().filter(|&&c| c == b':').count() < 2)
    {
        return None;
    }
    let mut e = te;
    let y = skip_spaces(b, te);
    if y > te {
        if let Some((year, ye)) = digits_at(b, y, 4, 4) {
            if is_valid_ymd(year, month, day) {
                e = ye;
            }
        }
    }
    bounded(e).then_some((start, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_validation() {
        assert!(time_ok(b"23:59:59", false));
        assert!(!time_ok(b"24:00", false));
        assert!(!time_ok(b"13:00 PM", true));
        assert!(time_ok(b"", false));
    }
}
