//! DATE_TIME: absolute calendar dates and date-times.
//!
//! * ISO 8601 (`2020-12-09`, `2020-12-09T15:21:07Z`,
//!   `2019-01-19 16:46:54.043`, offsets), also `2020/12/09`.
//! * Numeric `04/21/2020`, `21/04/2020`, `21.04.2020`, `21-04-2020`
//!   (month-first or day-first, whichever is a real day), two-digit years
//!   only next to a date keyword.
//! * Month names in English, German, French, Spanish, Italian, Portuguese
//!   and Dutch: `April 3, 2023`, `3 April 2023`, `3. April 2023`,
//!   `3 de abril de 2023`, `03-Apr-2023`, with an optional weekday and
//!   time (`February 8, 2025 at 10:25 AM`,
//!   `Fri, 15 Jul 2025 15:21:03 -0500` as one span).
//! * Log timestamps: syslog `Jan 12 10:22:01`, Apache
//!   `02/May/2021:19:17:19 +0000`.
//! * CJK `2023年4月3日`, Korean `2023년 4월 3일`.
//!
//! Every candidate must be a real calendar day. Relative expressions,
//! durations, weekday names alone, epoch integers, `MM/YY` expiry dates
//! and fractions are never matched.

use deepsentinel_core::EntityType;

use crate::context::{Kw, KwSet};
use crate::engine::{Ctx, Hit, Module, Out, PendingFinding, Shape, prio};
use crate::text;
use crate::validate::date::{self, days_in_month, is_valid_hms, is_valid_ymd, num};

pub(crate) struct DateTime;

const ISO: u32 = 0;
const NUMERIC: u32 = 1;
const NAMED: u32 = 2;
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

const WEEKDAY: &str = r"(?:(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.?,?\s+)";

const TIME: &str = r"[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]{1,9})?)?(?:\s?(?i:[ap]\.m\.|[ap]m(?-u:\b)))?(?:\s?(?:[+-][0-9]{2}:?[0-9]{2}|(?:UTC|GMT|Z|[ECMP][SD]T|CES?T|BST|IST)(?-u:\b)))?";

impl Module for DateTime {
    fn name(&self) -> &'static str {
        "datetime"
    }

    fn types(&self) -> &'static [EntityType] {
        &[EntityType::DateTime]
    }

    fn shapes(&self) -> Vec<Shape> {
        let mut months: Vec<&str> = MONTHS.to_vec();
        months.sort_by_key(|m| std::cmp::Reverse(m.chars().count()));
        let mon = format!("(?i:{})", months.join("|"));
        let tsep = r"(?:,?\s+(?:(?i:at|um|à|a las|alle|às|om|@)\s+)?|T)";
        let iso = r"[0-9]{4}(?:-[0-9]{1,2}-[0-9]{1,2}|/[0-9]{1,2}/[0-9]{1,2})(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]{1,9})?)?(?:Z|[+-][0-9]{2}:?[0-9]{2}| ?UTC)?|(?-u:\b))".to_string();
        let numeric = format!(
            r"[0-9]{{1,2}}(?:[.\-][0-9]{{1,2}}[.\-][0-9]{{4}}|/[0-9]{{1,2}}/(?:[0-9]{{4}}|[0-9]{{2}}))(?-u:\b)(?:,?\s+{TIME})?"
        );
        let named = [
            // Month D, YYYY [time]
            format!(
                r"{WEEKDAY}?{mon}\.?\s+[0-9]{{1,2}}(?i:st|nd|rd|th)?,?\s+[0-9]{{4}}(?:{tsep}{TIME})?"
            ),
            // D Month YYYY [time]
            format!(
                r"{WEEKDAY}?[0-9]{{1,2}}(?:(?i:st|nd|rd|th|er)|\.)?\s+(?:(?i:of|de)\s+)?{mon}\.?,?\s+(?:(?i:de)\s+)?[0-9]{{4}}(?:{tsep}{TIME})?"
            ),
            // 03-Apr-2023, 3/Apr/23, Apache 02/May/2021:19:17:19 +0000
            format!(
                r"[0-9]{{1,2}}[\-/]{mon}[\-/](?:[0-9]{{4}}|[0-9]{{2}})(?::[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}(?:\s[+-][0-9]{{4}})?)?"
            ),
            // syslog / ctime: [Tue] Jan 12 10:22:01 [2021]
            format!(
                r"{WEEKDAY}?{mon}\s+[0-9]{{1,2}}\s+[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}(?:\s+[0-9]{{4}})?"
            ),
        ];
        let mut v = vec![
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
        v.extend(named.into_iter().map(|p| Shape::new(NAMED, prio::DATE, p)));
        v
    }

    fn on_shape(&self, shape: u32, hit: Hit, ctx: &Ctx<'_>, out: &mut Out<'_>) {
        let t = ctx.text;
        let b = t.as_bytes();
        // Not glued to a word or a longer dotted / dashed number run.
        if text::char_before(t, hit.start).is_some_and(|c| c.is_alphanumeric())
            || (hit.start >= 2
                && b.get(hit.start - 1)
                    .is_some_and(|c| matches!(c, b'.' | b'/' | b'-' | b':'))
                && b.get(hit.start - 2).is_some_and(u8::is_ascii_digit))
        {
            return;
        }
        let end = match shape {
            ISO => iso(hit, t),
            NUMERIC => numeric(hit, ctx),
            CJK => cjk(hit, t),
            BASIC => basic(hit, t),
            _ => named(hit, t),
        };
        let Some(end) = end else { return };
        if text::char_at(t, end).is_some_and(|c| c.is_alphanumeric())
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
            BASIC => "iso8601",
            _ => "named",
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

fn iso(hit: Hit, t: &str) -> Option<usize> {
    let s = t.as_bytes().get(hit.start..hit.end)?;
    let (y, rest) = digits(s);
    let sep = *rest.first()?;
    let (m, rest) = digits(rest.get(1..)?);
    let (d, rest) = digits(rest.get(1..)?);
    if !is_valid_ymd(num(y)?, num(m)?, num(d)?) {
        return None;
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
    let (a, m) = (num(a)?, num(m)?);
    let year = if y.len() == 2 {
        // `12/25/23`: only with a date keyword, never after an expiry
        // or card keyword, and never with dashes (phone / part numbers).
        if s1 == b'-'
            || !ctx.kw_before(hit.start, 24, DATE_KW)
            || ctx.kw_before(
                hit.start,
                24,
                KwSet::of(&[Kw::CardNegative, Kw::Card, Kw::Version]),
            )
        {
            return None;
        }
        2000 + num(y)?
    } else {
        num(y)?
    };
    if !(is_valid_ymd(year, a, m) || is_valid_ymd(year, m, a)) {
        return None;
    }
    // `1.2.2020` style dotted runs are often versions; demand a two-digit
    // day or month for dots.
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

/// Month-name forms: finds the month word, the day (1-2 digits not
/// followed by `:`), the year (4 digits, or 2 after a `-`/`/` month) and
/// the time, and validates them.
fn named(hit: Hit, t: &str) -> Option<usize> {
    let s = t.get(hit.start..hit.end)?;
    let bytes = s.as_bytes();
    let mut month = None;
    let mut day = None;
    let mut year = None;
    let mut time_at = None;
    let mut i = 0;
    while i < bytes.len() {
        let c = *bytes.get(i)?;
        if c.is_ascii_digit() {
            let (d, _) = digits(bytes.get(i..)?);
            let next = bytes.get(i + d.len()).copied();
            if next == Some(b':') && d.len() <= 2 && month.is_some() && day.is_some() {
                time_at = Some(i);
                break;
            }
            if d.len() == 4 && year.is_none() && day.is_some() {
                year = num(d);
            } else if d.len() <= 2 && day.is_none() {
                day = num(d);
            } else if d.len() == 2 && year.is_none() && month.is_some() && day.is_some() {
                year = num(d).map(|y| 2000 + y);
            } else if d.len() == 4 && year.is_none() {
                year = num(d);
            }
            i += d.len();
        } else if c.is_ascii_alphabetic() || c >= 0x80 {
            let start = i;
            while let Some(&b) = bytes.get(i) {
                if b.is_ascii_alphabetic() || b >= 0x80 {
                    i += 1;
                } else {
                    break;
                }
            }
            if month.is_none() {
                if let Some(m) = s.get(start..i).and_then(date::month_from_name) {
                    month = Some(m);
                }
            }
        } else {
            i += 1;
        }
    }
    let (m, d) = (month?, day?);
    // Syslog stamps carry no year: accept any day the month can have.
    let ok = match year {
        Some(y) => is_valid_ymd(y, m, d),
        None => time_at.is_some() && d >= 1 && d <= days_in_month(2000, m),
    };
    if !ok {
        return None;
    }
    if let Some(ti) = time_at {
        let tm = bytes.get(ti..)?;
        let twelve = tm
            .iter()
            .find(|b| !(b.is_ascii_digit() || **b == b':' || **b == b' '))
            .is_some_and(|b| matches!(b, b'a' | b'A' | b'p' | b'P'));
        if !time_ok(tm, twelve) {
            // Keep the date, drop the invalid time: cut before the
            // separator that led to it.
            let head = s.get(..ti)?;
            let cut = head
                .trim_end_matches(|c: char| c.is_whitespace() || c == ',' || c == '@' || c == 'T')
                .trim_end_matches(|c: char| c.is_alphabetic())
                .trim_end_matches(|c: char| c.is_whitespace() || c == ',');
            year?;
            return Some(hit.start + cut.len());
        }
    }
    Some(hit.end)
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
