//! Calendar validation of dates, and month names in a few languages.

/// Whether `y` is a Gregorian leap year.
pub(crate) fn is_leap(y: u32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days in month `m` (1-12) of year `y`; 0 for an invalid month.
pub(crate) fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Whether `y-m-d` is a real calendar day within years 1000-2999.
pub(crate) fn is_valid_ymd(y: u32, m: u32, d: u32) -> bool {
    (1000..=2999).contains(&y) && d >= 1 && d <= days_in_month(y, m)
}

/// Whether `h:m[:s]` is a valid clock time (a leap second is allowed).
pub(crate) fn is_valid_hms(h: u32, m: u32, s: u32) -> bool {
    h <= 23 && m <= 59 && s <= 60
}

/// Parses a run of ASCII digits.
pub(crate) fn num(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 9 {
        return None;
    }
    let mut v = 0u32;
    for &b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(b - b'0');
    }
    Some(v)
}

/// The month (1-12) named by `word` (full or abbreviated, optional
/// trailing dot), in English, German, French, Spanish, Italian,
/// Portuguese or Dutch. Case-insensitive, ASCII and Latin-1 accents.
pub(crate) fn month_from_name(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    if w.len() < 3 || w.len() > 12 {
        return None;
    }
    let mut buf = [0u8; 16];
    let mut n = 0;
    for c in w.chars() {
        let c = match c.to_lowercase().next().unwrap_or(c) {
            'ä' => 'a',
            'é' | 'è' | 'ê' => 'e',
            'û' | 'ü' => 'u',
            'ç' => 'c',
            other => other,
        };
        if !c.is_ascii_lowercase() {
            return None;
        }
        let slot = buf.get_mut(n)?;
        *slot = c as u8;
        n += 1;
    }
    let w = buf.get(..n)?;
    const TABLE: &[(&str, u32)] = &[
        ("january", 1),
        ("jan", 1),
        ("januar", 1),
        ("janvier", 1),
        ("janv", 1),
        ("enero", 1),
        ("ene", 1),
        ("gennaio", 1),
        ("gen", 1),
        ("janeiro", 1),
        ("januari", 1),
        ("janner", 1),
        ("february", 2),
        ("feb", 2),
        ("febr", 2),
        ("februar", 2),
        ("fevrier", 2),
        ("fevr", 2),
        ("fev", 2),
        ("febrero", 2),
        ("febbraio", 2),
        ("fevereiro", 2),
        ("februari", 2),
        ("march", 3),
        ("mar", 3),
        ("marz", 3),
        ("mars", 3),
        ("marzo", 3),
        ("marco", 3),
        ("maart", 3),
        ("mrt", 3),
        ("april", 4),
        ("apr", 4),
        ("avril", 4),
        ("avr", 4),
        ("abril", 4),
        ("abr", 4),
        ("aprile", 4),
        ("may", 5),
        ("mai", 5),
        ("mayo", 5),
        ("maggio", 5),
        ("mag", 5),
        ("maio", 5),
        ("mei", 5),
        ("june", 6),
        ("jun", 6),
        ("juni", 6),
        ("juin", 6),
        ("junio", 6),
        ("giugno", 6),
        ("giu", 6),
        ("junho", 6),
        ("july", 7),
        ("jul", 7),
        ("juli", 7),
        ("juillet", 7),
        ("juil", 7),
        ("julio", 7),
        ("luglio", 7),
        ("lug", 7),
        ("julho", 7),
        ("august", 8),
        ("aug", 8),
        ("aout", 8),
        ("agosto", 8),
        ("ago", 8),
        ("augustus", 8),
        ("september", 9),
        ("sep", 9),
        ("sept", 9),
        ("septembre", 9),
        ("septiembre", 9),
        ("setiembre", 9),
        ("settembre", 9),
        ("set", 9),
        ("setembro", 9),
        ("october", 10),
        ("oct", 10),
        ("oktober", 10),
        ("okt", 10),
        ("octobre", 10),
        ("octubre", 10),
        ("ottobre", 10),
        ("ott", 10),
        ("outubro", 10),
        ("out", 10),
        ("november", 11),
        ("nov", 11),
        ("novembre", 11),
        ("noviembre", 11),
        ("novembro", 11),
        ("december", 12),
        ("dec", 12),
        ("dezember", 12),
        ("dez", 12),
        ("decembre", 12),
        ("diciembre", 12),
        ("dic", 12),
        ("dicembre", 12),
        ("dezembro", 12),
    ];
    TABLE
        .iter()
        .find(|(name, _)| name.as_bytes() == w)
        .map(|&(_, m)| m)
}

/// Whether `s` is a valid numeric date: `YYYY-MM-DD` (also with `/` or
/// `.`), or `MM/DD/YYYY`, `DD/MM/YYYY`, `DD.MM.YYYY`, `DD-MM-YYYY`.
pub(crate) fn is_valid_str(s: &str) -> bool {
    let b = s.trim().as_bytes();
    let mut parts = b.split(|c| matches!(c, b'-' | b'/' | b'.'));
    let (Some(p0), Some(p1), Some(p2), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Some(a), Some(m), Some(c)) = (num(p0), num(p1), num(p2)) else {
        return false;
    };
    if p0.len() == 4 {
        return p1.len() <= 2 && p2.len() <= 2 && is_valid_ymd(a, m, c);
    }
    if p2.len() != 4 || p0.len() > 2 || p1.len() > 2 {
        return false;
    }
    is_valid_ymd(c, a, m) || is_valid_ymd(c, m, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric() {
        assert!(is_valid_str("2020-02-29"));
        assert!(!is_valid_str("2019-02-29"));
        assert!(!is_valid_str("2019-13-01"));
        assert!(is_valid_str("04/21/2020"));
        assert!(is_valid_str("21.04.2020"));
        assert!(is_valid_str("21/04/2020"));
        assert!(!is_valid_str("31/02/2020"));
        assert!(!is_valid_str("08/27"));
        assert!(!is_valid_str("123-45-6789"));
        assert!(!is_valid_str(""));
    }

    #[test]
    fn months() {
        assert_eq!(month_from_name("Sept."), Some(9));
        assert_eq!(month_from_name("März"), Some(3));
        assert_eq!(month_from_name("février"), Some(2));
        assert_eq!(month_from_name("DECEMBER"), Some(12));
        assert_eq!(month_from_name("Monday"), None);
    }
}
