//! Street-address grammar (LOCATION as one span): US/UK `12 Oak St Apt 4,
//! Denver, CO 80211`, `228 Victoria Road, Sheffield S1 2HE`, `7 Leigh
//! Terrace, Guyton, BA7R 1PN`, Australian `12/34 George St, Sydney NSW
//! 2000` (also `, NSW, 2000`), Canadian `…, Toronto, ON M5H 1J9`, and
//! continental `Hauptstraße 5, 10115 Berlin` / `Kerkstraat 12, 1017 GM,
//! Amsterdam` / `Via Roma 12, 00184 Roma` / `ul. Długa 5, 00-238 Warszawa`
//! / `12 rue de Rivoli, 75001 Paris` / `Rua Augusta, 1500, 01310-100 São
//! Paulo` / `Praça Batista, S/N, 3837-731 Ourém`.
//!
//! Only the start of an English-style address is a regex shape (ASCII
//! classes, so the lazy DFA stays small); the unit / city / state / postcode
//! tail and the continental forms are parsed here by hand.

use crate::text;

/// Street suffixes (English).
const SUFFIX: &str = "Street|St|Avenue|Ave|Av|Boulevard|Blvd|Road|Rd|Drive|Dr|Lane|Ln|Way|Place|Pl|Court|Ct|Circle|Cir|Terrace|Ter|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Plaza|Plz|Crescent|Cres|Close|Grove|Gardens|Row|Mews|Alley|Loop|Pike|Path|Walk|Crossing|Hill|Green|Parade|Embankment";

/// Street suffixes that are also common words or surnames (`Park`,
/// `Lake`, `Point`): an address with one of these needs `, City, ST`, an
/// Australian state, a Canadian province and postcode or a UK postcode
/// after it ([`us_weak_pattern`]). USPS Publication 28, appendix C1, the
/// primary names and their usual abbreviations, and the Australian street
/// types (`Circuit`, `Esplanade`, `Concourse`).
const WEAK_SUFFIX: &str = "Annex|Approach|Arcade|Artery|Bayou|Beach|Bend|Bluffs?|Bottom|Branch|Bridge|Brooks?|Burgs?|Bypass|Camp|Canyon|Cape|Causeway|Centers?|Circles|Circuit|Cliffs?|Club|Commons?|Concourse|Corners?|Course|Courts|Coves?|Creek|Crest|Crossroads?|Ctr|Curve|Dale|Dam|Deviation|Distributor|Divide|Drives|Esplanade|Estates?|Expressway|Expy|Extensions?|Fairway|Falls?|Ferry|Fields?|Flats?|Fords?|Forest|Forges?|Forks?|Fort|Freeway|Fwy|Gap|Garden|Gateway|Glens?|Greens|Groves|Harbors?|Haven|Heights|Hills|Hollow|Hts|Inlet|Islands?|Isle|Jct|Junctions?|Keys?|Knolls?|Lakes?|Land|Landing|Lights?|Link|Loaf|Locks?|Lodge|Mall|Manors?|Meadows?|Mills?|Mission|Motorway|Mount|Mountains?|Mtn|Neck|Orchard|Oval|Overpass|Parks?|Parkways|Pass|Passage|Pines?|Plains?|Points?|Ports?|Prairie|Promenade|Radial|Ramp|Ranch|Rapids?|Reserve|Rest|Ride|Ridges?|Ridgeway|Rise|River|Roads|Route|Rue|Run|Shoals?|Shores?|Siding|Skyway|Slope|Springs?|Spurs?|Squares|Stairs|Station|Stravenue|Stream|Streets|Summit|Throughway|Top|Tpke|Trace|Track|Trafficway|Trailer|Tunnel|Turnpike|Underpass|Unions?|Vale|Valleys?|Via|Viaduct|Views?|Villages?|Ville|Vista|Walks|Wall|Ways|Wells?|Xing";

/// Words of a unit after the street (`Apt 4`, `Suite 573`, `#12`).
const UNITS: &[&str] = &[
    "Apartment",
    "Apt",
    "Suite",
    "Ste",
    "Unit",
    "Floor",
    "Fl",
    "Room",
    "Rm",
    "Building",
    "Bldg",
    "Flat",
    "#",
];

/// US state / territory codes.
pub(crate) const US_STATES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY", "DC", "PR", "GU", "VI", "AS", "MP", "FM", "MH", "PW",
];

pub(crate) fn is_state_code(s: &str) -> bool {
    US_STATES.contains(&s)
}

/// The end of a street that `us_pattern` matched up to `end`, without a
/// sentence's full stop after a whole word (`10 Downing Street.`); the
/// stop of an abbreviation (`Main St.`, `Elm Ave. N.`) stays.
pub(crate) fn street_end(t: &str, start: usize, end: usize) -> usize {
    const ABBREV: &[&str] = &[
        "st", "ave", "av", "blvd", "rd", "dr", "ln", "pl", "ct", "cir", "ter", "pkwy", "hwy", "sq",
        "trl", "plz", "cres", "n", "s", "e", "w", "ne", "nw", "se", "sw",
    ];
    let Some(head) = t.get(start..end).and_then(|h| h.strip_suffix('.')) else {
        return end;
    };
    let last = head.rsplit(' ').next().unwrap_or(head);
    if ABBREV.iter().any(|a| last.eq_ignore_ascii_case(a)) {
        end
    } else {
        end - 1
    }
}

/// English style, house number first, up to the street suffix, also all
/// in capitals (`123 MAIN ST`: forms, labels, HL7).
pub(crate) fn us_pattern() -> String {
    let upper = SUFFIX.to_uppercase();
    format!(
        r"[0-9]{{1,6}}(?:[-/][0-9]{{1,4}})?[A-Za-z]?[ ]+(?:(?:[NSEW]|NE|NW|SE|SW|North|South|East|West|NORTH|SOUTH|EAST|WEST)\.?[ ]+)?(?:(?:[A-Z][A-Za-z'.-]*|[0-9]{{1,3}}(?:st|nd|rd|th|ST|ND|RD|TH))[ ]+){{1,4}}(?:{SUFFIX}|{upper})(?-u:\b)\.?(?:[ ]+(?:NE|NW|SE|SW|N|S|E|W)(?-u:\b)\.?)?"
    )
}

/// [`us_pattern`] with a [`WEAK_SUFFIX`], through `, City, ST` (an
/// optional unit between): `8165 Harris Points, New Tina, MH`, or an
/// Australian `, Mariobury, QLD`, a UK `, Mooremouth, M2 4UP` or a
/// Canadian `, Hallburgh, PE E7A 8E4`. The postcode after a state is
/// [`postcode_after`]'s.
pub(crate) fn us_weak_pattern() -> String {
    let states = US_STATES.join("|");
    let au = AU_STATES.join("|");
    let ca = CA_PROVINCES.join("|");
    let units = UNITS.join("|");
    format!(
        r"[0-9]{{1,6}}(?:[-/][0-9]{{1,4}})?[A-Za-z]?[ ]+(?:(?:[NSEW]|NE|NW|SE|SW|North|South|East|West)\.?[ ]+)?(?:[A-Z][A-Za-z'.-]*[ ]+){{1,4}}(?:{WEAK_SUFFIX})(?-u:\b)\.?(?:[ ]+(?:NE|NW|SE|SW|N|S|E|W)(?-u:\b)\.?)?(?:,?[ ]+(?:{units})\.?[ ]?#?[0-9][0-9A-Za-z-]{{0,5}})?,[ ]+[A-Z][A-Za-z'.-]*(?:[ ][A-Z][A-Za-z'.-]*){{0,3}}(?:,?[ ]+[A-Z]{{1,2}}[0-9][0-9A-Z]?[ ][0-9][A-Z]{{2}}|,[ ]+(?:{ca})[ ][A-Z][0-9][A-Z][ ]?[0-9][A-Z][0-9]|,[ ]+(?:{au}|{states}))"
    )
}

/// The end of a ` 80211` / ` 80211-1234` ZIP at `pos`, else `pos`.
pub(crate) fn zip_after(t: &str, pos: usize) -> usize {
    if byte(t, pos) == Some(b' ')
        && let Some(z) = zip(t, pos + 1)
    {
        return z;
    }
    pos
}

/// After a state at `pos`: the end of a ZIP ([`zip_after`]) or of an
/// Australian ` 2000` / `, 2000` postcode, else `pos`.
pub(crate) fn postcode_after(t: &str, pos: usize) -> usize {
    let z = zip_after(t, pos);
    if z > pos {
        return z;
    }
    let p = pos + usize::from(byte(t, pos) == Some(b','));
    if byte(t, p) == Some(b' ')
        && let Some(e) = digits(t, p + 1, 4)
        && !byte(t, e).is_some_and(|c| c.is_ascii_alphanumeric())
    {
        return e;
    }
    pos
}

/// `, ST` or `, ST 80211` at `pos` (after a city): its end.
pub(crate) fn state_tail(t: &str, pos: usize) -> Option<usize> {
    if byte(t, pos) != Some(b',') || byte(t, pos + 1) != Some(b' ') {
        return None;
    }
    let code = t.get(pos + 2..pos + 4)?;
    if !is_state_code(code) || byte(t, pos + 4).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some(zip_after(t, pos + 4))
}

/// Australian states and territories, and Canadian provinces and
/// territories, as written before a postcode.
const AU_STATES: &[&str] = &["NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT"];
const CA_PROVINCES: &[&str] = &[
    "AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT",
];

/// After a city at `pos`: an Australian ` VIC 3065` / `, NSW 2000` /
/// `, SA, 2991` or a Canadian `, ON M5H 1J9` / ` QC H2Y1C6` (the code and
/// its postcode together: a code alone says little). Its end.
fn au_ca_tail(t: &str, pos: usize) -> Option<usize> {
    let mut p = pos;
    if byte(t, p) == Some(b',') {
        p += 1;
    }
    if byte(t, p) != Some(b' ') {
        return None;
    }
    p += 1;
    let b = t.as_bytes();
    let mut q = p;
    while q < p + 3 && b.get(q).is_some_and(u8::is_ascii_uppercase) {
        q += 1;
    }
    if !matches!(byte(t, q), Some(b' ' | b',')) {
        return None;
    }
    let code = t.get(p..q)?;
    let pc = q + 1;
    // `, SA, 2991`: a comma after an Australian state too.
    let au_pc = if byte(t, q) == Some(b',') && byte(t, q + 1) == Some(b' ') {
        q + 2
    } else {
        pc
    };
    if AU_STATES.contains(&code)
        && let Some(e) = digits(t, au_pc, 4)
        && !byte(t, e).is_some_and(|c| c.is_ascii_alphanumeric())
    {
        return Some(e);
    }
    if CA_PROVINCES.contains(&code) && byte(t, q) == Some(b' ') {
        let ok = |i: usize, digit: bool| {
            b.get(i).is_some_and(|c| {
                if digit {
                    c.is_ascii_digit()
                } else {
                    c.is_ascii_uppercase()
                }
            })
        };
        let mut i = pc;
        for (k, digit) in [false, true, false].into_iter().enumerate() {
            if !ok(i + k, digit) {
                return None;
            }
        }
        i += 3;
        if byte(t, i) == Some(b' ') {
            i += 1;
        }
        for (k, digit) in [true, false, true].into_iter().enumerate() {
            if !ok(i + k, digit) {
                return None;
            }
        }
        i += 3;
        if !byte(t, i).is_some_and(|c| c.is_ascii_alphanumeric()) {
            return Some(i);
        }
    }
    None
}

/// Street-type words written before the street name (continental forms),
/// matched as anchors (ASCII case-insensitive) and checked here.
pub(crate) const PREFIXES: &[&str] = &[
    "via ",
    "viale ",
    "piazza ",
    "corso ",
    "strada ",
    "vicolo ",
    "borgo ",
    "calle ",
    "avenida ",
    "paseo ",
    "plaza ",
    "camino ",
    "carretera ",
    "ronda ",
    "rambla ",
    "travesía ",
    "rua ",
    "travessa ",
    "largo ",
    "alameda ",
    "praça ",
    "estrada ",
    "av. ",
    "rue ",
    "avenue ",
    "boulevard ",
    "chemin ",
    "quai ",
    "impasse ",
    "ul. ",
    "al. ",
    "ulica ",
    "aleja ",
    "plac ",
    "pl. ",
];

/// [`PREFIXES`] that are also words, names or abbreviations of other
/// things (`pl.` abbreviates more than `plac`; `the Plaza Hotel 4 nights`,
/// `Ronda Rousey 3 fights`): an address with one of these needs its
/// postcode and city.
const WEAK_PREFIXES: &[&str] = &["pl. ", "av. ", "plaza ", "ronda ", "camino ", "borgo "];

/// `w` is a street-type word written before a street's name and nothing
/// else ([`PREFIXES`] less [`WEAK_PREFIXES`]): `Calle Mayor` names a
/// street, not a person.
pub(crate) fn street_prefix_word(w: &str) -> bool {
    PREFIXES.iter().any(|p| {
        !WEAK_PREFIXES.contains(p)
            && p.strip_suffix(' ')
                .is_some_and(|p| p.eq_ignore_ascii_case(w))
    })
}

/// Compound-street suffixes that are also common endings of other words
/// (`Engineering 12`, `Bahnhof 2`, `Notepad 3`).
const AMBIGUOUS_COMPOUND: &[&str] = &[
    "ring", "hof", "pad", "tie", "gate", "bakken", "backen", "tunet", "stien", "lunden", "moen",
];

/// Suffixes of compound street names (German, Dutch, Scandinavian,
/// Finnish).
const COMPOUND: &[&str] = &[
    "straße",
    "strasse",
    "weg",
    "gasse",
    "platz",
    "allee",
    "ring",
    "damm",
    "ufer",
    "straat",
    "laan",
    "boulevard",
    "gracht",
    "plein",
    "kade",
    "dijk",
    "steeg",
    "singel",
    "baan",
    "dreef",
    "hof",
    "pad",
    "gatan",
    "vägen",
    "gränd",
    "gata",
    "veien",
    "gade",
    "stræde",
    "vej",
    "katu",
    "tie",
    "torget",
    "stigen",
    "backen",
    "gate",
    "vegen",
    "bakken",
    "tunet",
    "stien",
    "lunden",
    "moen",
    "kuja",
    "polku",
    "bulevardi",
    "kaari",
];

const PARTICLES: &[&str] = &[
    "de", "del", "della", "di", "da", "do", "dos", "das", "la", "le", "les", "du", "des", "d'",
    "l'",
];

fn byte(t: &str, i: usize) -> Option<u8> {
    t.as_bytes().get(i).copied()
}

/// A capitalised word (Unicode letters, `'`, `-`, `.`) at `pos`: its end.
fn cap_word(t: &str, pos: usize) -> Option<usize> {
    let rest = t.get(pos..)?;
    let mut chars = rest.char_indices();
    let (_, c0) = chars.next()?;
    if !c0.is_uppercase() {
        return None;
    }
    let mut end = pos + c0.len_utf8();
    for (i, c) in chars {
        if c.is_alphabetic() || matches!(c, '\'' | '’' | '-' | '.') {
            end = pos + i + c.len_utf8();
        } else {
            break;
        }
    }
    // A dot after a whole word ends the sentence (`… 10115 Berlin.`); only
    // short abbreviations (`St.`, `Mt.`, `D.C.`) keep theirs.
    let word = t.get(pos..end)?;
    if let Some(stem) = word.strip_suffix('.') {
        if stem.chars().count() >= 4 && !stem.contains('.') {
            end -= 1;
        }
    }
    Some(end)
}

/// `n` ASCII digits at `pos`, not followed by another digit.
fn digits(t: &str, pos: usize, n: usize) -> Option<usize> {
    let b = t.as_bytes().get(pos..pos + n)?;
    if b.iter().all(u8::is_ascii_digit) && !byte(t, pos + n).is_some_and(|c| c.is_ascii_digit()) {
        Some(pos + n)
    } else {
        None
    }
}

/// 1-4 capitalised words separated by single spaces; returns the end of
/// each prefix (so a caller can choose the longest acceptable one).
fn cap_words(t: &str, pos: usize, ends: &mut [usize; 4]) -> usize {
    let mut n = 0;
    let mut p = pos;
    while n < 4 {
        let Some(e) = cap_word(t, p) else { break };
        if let Some(slot) = ends.get_mut(n) {
            *slot = e;
        }
        n += 1;
        if byte(t, e) != Some(b' ') {
            break;
        }
        p = e + 1;
    }
    n
}

/// US ZIP (`80211`, `80211-1234`) at `pos`.
fn zip(t: &str, pos: usize) -> Option<usize> {
    let e = digits(t, pos, 5)?;
    if byte(t, e) == Some(b'-')
        && let Some(e4) = digits(t, e + 1, 4)
    {
        return Some(e4);
    }
    Some(e)
}

/// UK postcode (`S1 2HE`, `SW1A 1AA`) at `pos`.
fn uk_postcode(t: &str, pos: usize) -> Option<usize> {
    let b = t.as_bytes().get(pos..)?;
    let mut i = 0;
    while i < 2 && b.get(i).is_some_and(u8::is_ascii_uppercase) {
        i += 1;
    }
    if i == 0 || !b.get(i).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    i += 1;
    if b.get(i)
        .is_some_and(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
    {
        i += 1;
    }
    if b.get(i) != Some(&b' ') {
        return None;
    }
    i += 1;
    let ok = b.get(i).is_some_and(u8::is_ascii_digit)
        && b.get(i + 1).is_some_and(u8::is_ascii_uppercase)
        && b.get(i + 2).is_some_and(u8::is_ascii_uppercase)
        && !b.get(i + 3).is_some_and(u8::is_ascii_alphanumeric);
    ok.then_some(pos + i + 3)
}

/// Continental postcode at `pos` (`10115`, `00-238`, `1017 GB`, `110 00`,
/// Portuguese `1100-053`, Brazilian `01310-100`).
fn eu_postcode(t: &str, pos: usize) -> Option<usize> {
    for n in [2, 4, 5] {
        if let Some(e) = digits(t, pos, n)
            && byte(t, e) == Some(b'-')
            && let Some(e) = digits(t, e + 1, 3)
        {
            return Some(e);
        }
    }
    if let Some(e) = digits(t, pos, 4) {
        let b = t.as_bytes();
        // Dutch `1017 GB` / `1017GB`.
        let l = e + usize::from(b.get(e) == Some(&b' '));
        if b.get(l).is_some_and(u8::is_ascii_uppercase)
            && b.get(l + 1).is_some_and(u8::is_ascii_uppercase)
            && !b.get(l + 2).is_some_and(u8::is_ascii_alphanumeric)
        {
            return Some(l + 2);
        }
        return Some(e);
    }
    if let Some(e) = digits(t, pos, 3)
        && byte(t, e) == Some(b' ')
        && let Some(e2) = digits(t, e + 1, 2)
    {
        return Some(e2);
    }
    digits(t, pos, 5)
}

/// After an English street (`… Oak St`): unit, then `, City, ST ZIP`,
/// `, City ZIP`, `, City POSTCODE` or `, City` when `is_city` says so.
pub(crate) fn english_tail(t: &str, pos: usize, is_city: &dyn Fn(&str) -> bool) -> usize {
    let mut end = pos;
    // Unit: `Apt 4`, `, Suite 573`, `#12`.
    {
        let mut p = end;
        if byte(t, p) == Some(b',') {
            p += 1;
        }
        if byte(t, p) == Some(b' ') {
            p += 1;
            let rest = t.get(p..).unwrap_or("");
            if let Some(u) = UNITS.iter().find(|u| rest.starts_with(**u)) {
                let mut q = p + u.len();
                if byte(t, q) == Some(b'.') {
                    q += 1;
                }
                if byte(t, q) == Some(b' ') {
                    q += 1;
                }
                if byte(t, q) == Some(b'#') {
                    q += 1;
                }
                let s = q;
                while q < s + 6
                    && byte(t, q).is_some_and(|c| c.is_ascii_alphanumeric() || c == b'-')
                {
                    q += 1;
                }
                if q > s
                    && byte(t, q - 1).is_some_and(|c| c.is_ascii_alphanumeric())
                    && !byte(t, q).is_some_and(|c| c.is_ascii_alphanumeric())
                    && t.get(s..q)
                        .is_some_and(|v| v.bytes().any(|c| c.is_ascii_digit()) || v.len() <= 2)
                {
                    end = q;
                }
            }
        }
    }
    // An HL7 address (XAD): `street^other^city^state^zip`.
    if byte(t, end) == Some(b'^')
        && let Some(e) = hl7_tail(t, end)
    {
        return e;
    }
    // City and what follows: after a comma, or on the next line of a
    // postal block (`965 Walker Row\nMichelemouth, FL 07740`), where only
    // a state, ZIP or postcode makes the line part of the address.
    let mut p = end + 1;
    let next_line = match byte(t, end) {
        Some(b',') => false,
        Some(b'\n') => true,
        Some(b'\r') if byte(t, end + 1) == Some(b'\n') => {
            p += 1;
            true
        }
        _ => return end,
    };
    if byte(t, p) == Some(b' ') && !next_line {
        p += 1;
    }
    let mut ends = [0usize; 4];
    let n = cap_words(t, p, &mut ends);
    let mut best_city = None;
    for k in (0..n).rev() {
        let Some(&ce) = ends.get(k) else { continue };
        // `, ST` / `, ST ZIP`
        if let Some(e) = state_tail(t, ce) {
            return e;
        }
        // `Fitzroy VIC 3065`, `Toronto, ON M5H 1J9`
        if let Some(e) = au_ca_tail(t, ce) {
            return e;
        }
        if byte(t, ce) == Some(b',') && byte(t, ce + 1) == Some(b' ') {
            if let Some(z) = zip(t, ce + 2) {
                return z;
            }
            // `, Guyton, BA7R 1PN`
            if let Some(z) = uk_postcode(t, ce + 2) {
                return z;
            }
        }
        if byte(t, ce) == Some(b' ') {
            if let Some(z) = zip(t, ce + 1) {
                return z;
            }
            if let Some(z) = uk_postcode(t, ce + 1) {
                return z;
            }
        }
        if !next_line && best_city.is_none() && t.get(p..ce).is_some_and(is_city) {
            best_city = Some(ce);
        }
    }
    best_city.unwrap_or(end)
}

/// After an HL7 address's street at `pos` (on its `^`): the other
/// designation, the city, a US state code and a ZIP, each a component of
/// its own. The end of the ZIP, if all are there.
fn hl7_tail(t: &str, pos: usize) -> Option<usize> {
    let b = t.as_bytes();
    let component = |from: usize| {
        let mut i = from;
        while b
            .get(i)
            .is_some_and(|c| !matches!(c, b'^' | b'|' | b'~' | b'\r' | b'\n'))
            && i < from + 64
        {
            i += 1;
        }
        (b.get(i) == Some(&b'^')).then_some(i)
    };
    let other = component(pos + 1)?;
    let city = component(other + 1)?;
    if city == other + 1
        || !t.get(other + 1..city).is_some_and(|c| {
            c.chars()
                .all(|ch| ch.is_alphabetic() || matches!(ch, ' ' | '.' | '\'' | '-'))
        })
    {
        return None;
    }
    let state = component(city + 1)?;
    if !t.get(city + 1..state).is_some_and(is_state_code) {
        return None;
    }
    let z = zip(t, state + 1)?;
    (!byte(t, z).is_some_and(|c| c.is_ascii_alphanumeric())).then_some(z)
}

/// After a continental house number: `, 10115 Berlin` / `, 00-238 Warszawa`
/// / `, 4218 YT, Schiphol`.
fn eu_tail(t: &str, pos: usize) -> usize {
    let mut p = pos;
    if byte(t, p) != Some(b',') {
        return pos;
    }
    p += 1;
    if byte(t, p) == Some(b' ') {
        p += 1;
    }
    let Some(pc) = eu_postcode(t, p) else {
        return pos;
    };
    // `10115 Berlin`, `4218 YT, Schiphol`
    let city = match (byte(t, pc), byte(t, pc + 1)) {
        (Some(b' '), _) => pc + 1,
        (Some(b','), Some(b' ')) => pc + 2,
        _ => return pos,
    };
    let mut ends = [0usize; 4];
    let n = cap_words(t, city, &mut ends);
    match n {
        0 => pos,
        _ => {
            let end = ends.get(n.min(3) - 1).copied().unwrap_or(pos);
            // A short town's name keeps the sentence's dot in `cap_word`
            // (`10908 Ii.`); an abbreviation ends no address.
            let last = t
                .get(city..end)
                .and_then(|c| c.rsplit(' ').next())
                .unwrap_or("");
            if last.ends_with('.') && last.matches('.').count() == 1 {
                end - 1
            } else {
                end
            }
        }
    }
}

/// A house number `12`, `12a`, `12/3`, `47-49` at `pos` (after a street
/// name), or Portuguese `S/N` (no number).
fn house_number(t: &str, pos: usize) -> Option<usize> {
    let b = t.as_bytes();
    if b.get(pos..pos + 3) == Some(b"S/N") && !b.get(pos + 3).is_some_and(u8::is_ascii_alphanumeric)
    {
        return Some(pos + 3);
    }
    let mut i = pos;
    while i < pos + 4 && b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if i == pos || b.get(i).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    if b.get(i).is_some_and(u8::is_ascii_lowercase)
        && !b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
    {
        i += 1;
    }
    if matches!(b.get(i), Some(b'/' | b'-')) && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if b.get(i).is_some_and(u8::is_ascii_alphanumeric) {
        return None;
    }
    Some(i)
}

/// A compound street word ending at `word_end` (`Hauptstraße`) followed
/// by a house number: the end of the address.
pub(crate) fn compound_street(t: &str, word_start: usize, word_end: usize) -> Option<usize> {
    // A house number (it starts with a digit) must follow after a space,
    // or after `. ` (`Hauptstr. 5`): checked before folding the word.
    let digit_at = |i: usize| byte(t, i).is_some_and(|b| b.is_ascii_digit());
    let numbered = match byte(t, word_end) {
        Some(b' ') => digit_at(word_end + 1),
        Some(b'.') => byte(t, word_end + 1) == Some(b' ') && digit_at(word_end + 2),
        _ => false,
    };
    if !numbered {
        return None;
    }
    let w = t.get(word_start..word_end)?;
    let mut buf = [0u8; 64];
    let lw = super::gazetteer::fold(w, &mut buf)?;
    let mut end = word_end;
    // `Hauptstr. 5` (a bare `Str. 5` is [`worded_street`]'s, with the
    // name before it).
    let abbreviated = lw.ends_with("str") && lw.len() > 3 && byte(t, end) == Some(b'.');
    let mut needs_tail = false;
    if abbreviated {
        end += 1;
    } else if let Some(suffix) = COMPOUND
        .iter()
        .find(|s| lw.ends_with(**s) && lw.len() > s.len() + 2)
    {
        // `-ring` also ends English words (`Engineering 12`, `Spring 3`):
        // only a following postcode and city makes it a street.
        needs_tail = AMBIGUOUS_COMPOUND.contains(suffix);
    } else {
        return None;
    }
    if byte(t, end) != Some(b' ') {
        return None;
    }
    let h = house_number(t, end + 1)?;
    let tail = eu_tail(t, h);
    if needs_tail && tail == h {
        return None;
    }
    Some(tail)
}

/// Street-type words written as a word of their own after the street's
/// name (`Berliner Straße 12`, `Bjernede Allé 6`, `Karl Johans gate 22`).
const STREET_WORDS: &[&str] = &[
    "straße", "strasse", "str", "allee", "allé", "gasse", "platz", "markt", "weg", "ring", "damm",
    "ufer", "gate", "gata", "gatan", "vägen", "väg", "vej", "vei", "veien", "vegen", "gade",
    "straat", "laan", "plein", "kade", "kuja", "katu", "tie",
];

/// [`STREET_WORDS`] that are also words of other things (`Der Weg 3`,
/// `Flea Markt 2`, `Access Gate 4`): such a street needs its postcode and
/// city after the number.
const AMBIGUOUS_STREET_WORDS: &[&str] = &[
    "markt", "weg", "ring", "damm", "ufer", "gate", "laan", "plein", "kade", "tie",
];

/// A street named by capitalised words and a street-type word of its own,
/// then a house number: `Berliner Straße 12`, `Am Alten Markt 3, 14467
/// Potsdam` (the type word is the run's last, `last_start..last_end`, and
/// not its first), or `Karl Johans gate 22` (the type word in lower case
/// right after the run). The end of the address, with the postcode and
/// city if they follow.
pub(crate) fn worded_street(
    t: &str,
    run_start: usize,
    last_start: usize,
    last_end: usize,
) -> Option<usize> {
    let is_type = |w: &str| -> Option<bool> {
        let mut buf = [0u8; 64];
        let lw = super::gazetteer::fold(w, &mut buf)?;
        STREET_WORDS
            .contains(&lw)
            .then(|| AMBIGUOUS_STREET_WORDS.contains(&lw))
    };
    let (mut type_end, ambiguous) = match is_type(t.get(last_start..last_end)?) {
        Some(a) if last_start > run_start => (last_end, a),
        _ => {
            // The type word in lower case after the run.
            if byte(t, last_end) != Some(b' ') {
                return None;
            }
            let ws = last_end + 1;
            let b = t.as_bytes();
            let mut we = ws;
            while we < ws + 8
                && b.get(we)
                    .is_some_and(|c| c.is_ascii_lowercase() || *c >= 0x80)
            {
                we += 1;
            }
            let w = t.get(ws..we)?;
            if w.is_empty() || w.chars().any(char::is_uppercase) {
                return None;
            }
            (we, is_type(w)?)
        }
    };
    // `Hauptstr. 5`
    if byte(t, type_end) == Some(b'.') {
        type_end += 1;
    }
    if byte(t, type_end) != Some(b' ') {
        return None;
    }
    let h = house_number(t, type_end + 1)?;
    let tail = eu_tail(t, h);
    (!ambiguous || tail > h).then_some(tail)
}

/// A street-type prefix at `start..pre_end` (`Via `, `ul. `): the end of
/// `Via Roma 12, 00184 Roma` or, for number-first forms, `(number start,
/// end)` of `12 rue de Rivoli, 75001 Paris`.
pub(crate) fn prefixed_street(t: &str, start: usize, pre_end: usize) -> Option<(usize, usize)> {
    if text::char_before(t, start).is_some_and(text::is_word_char) {
        return None;
    }
    // Name: particles and 1-4 capitalised words.
    let mut p = pre_end;
    loop {
        let rest = t.get(p..)?;
        let Some(part) = PARTICLES.iter().find(|pa| {
            rest.len() > pa.len()
                && rest
                    .get(..pa.len())
                    .is_some_and(|x| x.eq_ignore_ascii_case(pa))
                && (pa.ends_with('\'') || rest.as_bytes().get(pa.len()) == Some(&b' '))
        }) else {
            break;
        };
        p += part.len();
        if byte(t, p) == Some(b' ') {
            p += 1;
        }
    }
    let mut ends = [0usize; 4];
    let n = cap_words(t, p, &mut ends);
    if n == 0 {
        return None;
    }
    let name_end = *ends.get(n - 1)?;
    // Number first (`12 rue de Rivoli`, `12, rue …`).
    let before = t.get(..start)?.trim_end_matches([' ', ',']);
    let nb = before.len();
    let mut ds = nb;
    while ds > 0
        && before
            .as_bytes()
            .get(ds - 1)
            .is_some_and(u8::is_ascii_digit)
    {
        ds -= 1;
    }
    if ds < nb
        && nb - ds <= 4
        && nb < start
        && !text::char_before(t, ds).is_some_and(text::is_word_char)
    {
        return Some((ds, eu_tail(t, name_end)));
    }
    let weak = t
        .get(start..pre_end)
        .is_some_and(|pre| WEAK_PREFIXES.iter().any(|w| w.eq_ignore_ascii_case(pre)));
    // Number after the name (`Via Roma 12`).
    if byte(t, name_end) == Some(b' ')
        && let Some(h) = house_number(t, name_end + 1)
    {
        let tail = eu_tail(t, h);
        return (!weak || tail > h).then_some((start, tail));
    }
    // After a comma (`Rua Augusta, 1500, 01310-100 São Paulo`), only with
    // the postcode and city: `via Email, 5 messages` is no address.
    if byte(t, name_end) == Some(b',')
        && byte(t, name_end + 1) == Some(b' ')
        && let Some(h) = house_number(t, name_end + 2)
    {
        let tail = eu_tail(t, h);
        return (tail > h).then_some((start, tail));
    }
    // No number, but the postcode and city (`chemin des Vignes, 84000
    // Avignon`).
    let tail = eu_tail(t, name_end);
    (tail > name_end).then_some((start, tail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tails() {
        let never = |_: &str| false;
        let t = "12 Oak St Apt 4, Denver, CO 80211 x";
        assert_eq!(english_tail(t, 9, &never), t.len() - 2);
        let t = "3 Elm Rd, Sheffield S1 2HE";
        assert_eq!(english_tail(t, 8, &never), t.len());
        let t = "3 Elm Rd, London please";
        assert_eq!(english_tail(t, 8, &|c| c == "London"), 16);
        assert_eq!(english_tail("3 Elm Rd. Then", 8, &never), 8);
    }

    #[test]
    fn continental() {
        assert_eq!(cap_word("Berlin.", 0), Some(6));
        assert_eq!(cap_word("St. Louis", 0), Some(3));
        let t = "Hauptstraße 5, 10115 Berlin";
        assert_eq!(compound_street(t, 0, "Hauptstraße".len()), Some(t.len()));
        let t = "Via Roma 12, 00184 Roma";
        assert_eq!(prefixed_street(t, 0, 4), Some((0, t.len())));
        let t = "12 rue de Rivoli, 75001 Paris";
        assert_eq!(prefixed_street(t, 3, 7), Some((0, t.len())));
        assert_eq!(prefixed_street("via email", 0, 4), None);
        let t = "Rua Augusta, 1500, 01310-100 São Paulo";
        assert_eq!(prefixed_street(t, 0, 4), Some((0, t.len())));
        assert_eq!(prefixed_street("Via Email, 5 messages", 0, 4), None);
        let t = "Berliner Straße 12, 10115 Berlin";
        assert_eq!(worded_street(t, 0, 9, 16), Some(t.len()));
        let t = "Karl Johans gate 22, 0162 Oslo";
        assert_eq!(worded_street(t, 0, 5, 11), Some(t.len()));
        assert_eq!(worded_street("Berliner Straße 12 x", 0, 9, 16), Some(19));
        assert_eq!(worded_street("Access Gate 4 opens", 0, 7, 11), None);
        assert_eq!(worded_street("Straße 4", 0, 0, 7), None);
        assert_eq!(worded_street("Tom gave 4", 0, 0, 3), None);
    }

    #[test]
    fn state_tails() {
        assert_eq!(state_tail("Denver, CO 80211-1234 x", 6), Some(21));
        assert_eq!(state_tail("Denver, CO.", 6), Some(10));
        assert_eq!(state_tail("Denver, COLD", 6), None);
        assert_eq!(state_tail("Denver, XX", 6), None);
        assert_eq!(state_tail("Denver CO", 6), None);
        assert_eq!(postcode_after("QLD, 2685.", 3), 9);
        assert_eq!(postcode_after("NT 0800", 2), 7);
        assert_eq!(postcode_after("CA 94043-1351", 2), 13);
        assert_eq!(postcode_after("SA, 12345", 2), 2);
    }

    #[test]
    fn street_ends() {
        let t = "at 10 Downing Street. Then";
        assert_eq!(street_end(t, 3, 21), 20);
        let t = "at 5 Main St. Then";
        assert_eq!(street_end(t, 3, 13), 13);
        let t = "at 5 Elm Ave N. Then";
        assert_eq!(street_end(t, 3, 15), 15);
        let t = "at 5 Elm Way then";
        assert_eq!(street_end(t, 3, 12), 12);
    }

    #[test]
    fn hl7_tails() {
        let t = "123 MAIN ST^^SPRINGFIELD^IL^62704^USA|";
        assert_eq!(hl7_tail(t, 11), Some(33));
        assert_eq!(
            hl7_tail("1 A ST^Apt 2^Port Town^OR^97206-1234|", 6),
            Some(36)
        );
        assert_eq!(hl7_tail("1 A ST^^SPRINGFIELD^XX^62704", 6), None);
        assert_eq!(hl7_tail("1 A ST^^^IL^62704", 6), None);
        assert_eq!(hl7_tail("1 A ST^^SPRINGFIELD^IL", 6), None);
    }

    #[test]
    fn au_ca_tails() {
        assert_eq!(au_ca_tail("Fitzroy VIC 3065, x", 7), Some(16));
        assert_eq!(au_ca_tail("Sydney, NSW 2000", 6), Some(16));
        assert_eq!(au_ca_tail("Sydney NSW 20001", 6), None);
        assert_eq!(au_ca_tail("Sydney XYZ 2000", 6), None);
        assert_eq!(au_ca_tail("Toronto, ON M5H 1J9.", 7), Some(19));
        assert_eq!(au_ca_tail("Montréal QC H2Y1C6", 9), Some(19));
        assert_eq!(au_ca_tail("Toronto, ON M5H 1J", 7), None);
        assert_eq!(au_ca_tail("Toronto, ON", 7), None);
    }

    #[test]
    fn postcodes() {
        assert_eq!(uk_postcode("SW1A 1AA", 0), Some(8));
        assert_eq!(uk_postcode("S1 2HE.", 0), Some(6));
        assert_eq!(uk_postcode("ABC 123", 0), None);
        assert_eq!(eu_postcode("00-238 W", 0), Some(6));
        assert_eq!(eu_postcode("1017 GB A", 0), Some(7));
        assert_eq!(eu_postcode("1017GB, A", 0), Some(6));
        assert_eq!(eu_postcode("1100-053 L", 0), Some(8));
        assert_eq!(eu_postcode("01310-100 S", 0), Some(9));
        assert_eq!(zip("80211-1234", 0), Some(10));
    }
}
