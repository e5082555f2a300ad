//! Telephone numbers: NANP, UK, DE, FR, IN, AU by their numbering plans,
//! other `+CC` numbers by E.164 length, written with the usual groupings.

/// What the classifier knows about a candidate for phone purposes.
pub(super) struct PhoneIn<'a> {
    /// All digits, in order.
    pub(super) digits: &'a [u8],
    /// Digit count of each group.
    pub(super) lens: &'a [u8],
    /// Whether group i was written in parentheses.
    pub(super) paren: &'a [bool],
    /// Started with `+`.
    pub(super) plus: bool,
    /// Uses `.` separators.
    pub(super) dots: bool,
}

fn nanp_ok(d: &[u8]) -> bool {
    // NPA [2-9][0-8]X not N11; NXX [2-9]XX. An N11 exchange (`718-411-…`)
    // is as valid as any other in libphonenumber's metadata.
    let (Some(&a0), Some(&a1), Some(&a2), Some(&e0)) = (d.first(), d.get(1), d.get(2), d.get(3))
    else {
        return false;
    };
    d.len() == 10 && a0 >= 2 && a1 != 9 && !(a1 == 1 && a2 == 1) && e0 >= 2
}

/// Whether ten digits are a valid NANP number (area code and exchange).
pub(super) fn is_nanp(d: &[u8]) -> bool {
    nanp_ok(d)
}

/// National significant number validity for a country code.
fn nsn_ok(cc: u32, d: &[u8]) -> Option<f32> {
    let n = d.len();
    let f = *d.first()?;
    let ok = match cc {
        1 => nanp_ok(d),
        44 => match f {
            7 => n == 10 && d.get(1).is_some_and(|&x| x != 0 && x != 6),
            2 | 3 | 8 => n == 10,
            // Premium rate `09xx`.
            9 => n == 10 && d.get(1).is_some_and(|&x| matches!(x, 0 | 1 | 8)),
            1 => n == 9 || n == 10,
            _ => false,
        },
        49 => {
            f != 0
                && if f == 1 && d.get(1).is_some_and(|&x| matches!(x, 5..=7)) {
                    (10..=11).contains(&n)
                } else {
                    (6..=11).contains(&n)
                }
        }
        33 => n == 9 && f != 0,
        // Spain: nine digits, no trunk prefix.
        34 => n == 9 && matches!(f, 6..=9),
        // Italy: landlines keep their leading 0, mobiles start with 3.
        39 => (f == 0 || f == 3) && (6..=11).contains(&n),
        // Netherlands: nine digits.
        31 => n == 9 && f != 0,
        91 => n == 10 && f >= 1,
        61 => n == 9 && matches!(f, 2 | 3 | 4 | 7 | 8),
        _ => return (f != 0 && (6..=12).contains(&n)).then_some(0.7),
    };
    ok.then_some(0.85)
}

/// The two-digit ITU country codes (zones 1 and 7 have one digit, every
/// other code has three).
const CC2: &[u8] = &[
    20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56,
    57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
];

/// Length of the country code at the start of a compact E.164 number.
fn cc_len(d: &[u8]) -> Option<usize> {
    match *d.first()? {
        0 => None,
        1 | 7 => Some(1),
        a => {
            let two = a * 10 + *d.get(1)?;
            Some(if CC2.contains(&two) { 2 } else { 3 })
        }
    }
}

fn num(d: &[u8]) -> u32 {
    d.iter().fold(0u32, |a, &x| a * 10 + u32::from(x))
}

/// Whether `d` is a 1-3 digit country code we accept after `+` or `00`.
fn cc_ok(d: &[u8]) -> bool {
    match d.first() {
        None | Some(0) => false,
        Some(_) => d.len() <= 3,
    }
}

/// International form: `+CC …` or `00CC …`. Returns the base score.
fn international(p: &PhoneIn<'_>, skip: usize) -> Option<f32> {
    // `skip` digits of the first group are the `00` prefix.
    let first = usize::from(*p.lens.first()?);
    let d = p.digits.get(skip..)?;
    if p.lens.len() == 1 || first == skip {
        // `+15037774364` or `00 44 …`: try the known codes as prefixes.
        let rest_lens = if first == skip {
            p.lens.get(1..)?
        } else {
            p.lens
        };
        if rest_lens.len() == 1 || first != skip {
            // Country codes are prefix-free, so the code of a compact
            // number is found by its length class.
            let k = cc_len(d)?;
            if d.len() > k && d.len() <= 15 {
                if let Some(s) = nsn_ok(num(d.get(..k)?), d.get(k..)?) {
                    // Without a numbering plan for the country, a short
                    // compact run is as likely a signed quantity
                    // (`+8612345678`): eleven digits at least.
                    if s >= 0.85 || d.len() >= 11 {
                        return Some(s - 0.05);
                    }
                }
            }
            return None;
        }
        // `00 44 20 …`: the CC is the next group.
        let cc_len = usize::from(*rest_lens.first()?);
        return after_cc(p, skip + cc_len, 2, d.get(..cc_len)?);
    }
    let cc = p.digits.get(skip..first)?;
    if first - skip > 3 && skip == 0 {
        // `+4420 7946 0958`, `+44141 496 0109`: the code written against
        // the first group of the number. Codes are prefix-free, so the
        // digits say where it ends.
        let k = cc_len(cc)?;
        if k >= cc.len() {
            return None;
        }
        let s = after_cc(p, k, 0, cc.get(..k)?)?;
        return Some(s - 0.05);
    }
    after_cc(p, first, 1, cc)
}

/// The number after its country code `cc`: the national significant
/// number is `p.digits[nsn_from..]`, and its groups are `p.lens[nsn_group..]`
/// (the first of them may hold the end of the code's group).
fn after_cc(p: &PhoneIn<'_>, nsn_from: usize, nsn_group: usize, cc: &[u8]) -> Option<f32> {
    if !cc_ok(cc) {
        return None;
    }
    let mut nsn = p.digits.get(nsn_from..)?;
    let mut groups = p.lens.get(nsn_group..)?;
    // `+44 (0)20 …`, `+49(0)6105248442`: a parenthesised trunk 0 is not
    // dialled, and is no group of the number.
    if p.paren.get(nsn_group).copied() == Some(true)
        && groups.first() == Some(&1)
        && nsn.first() == Some(&0)
    {
        nsn = nsn.get(1..)?;
        groups = groups.get(1..)?;
    }
    let ccv = num(cc);
    let s = nsn_ok(ccv, nsn)?;
    // Groups after the CC should be phone-sized (no 9-digit blobs unless
    // the whole NSN is one group).
    if groups.len() > 1 && groups.iter().any(|&l| l > 8) {
        return None;
    }
    Some(s)
}

/// Base score of a phone-number candidate from its format alone, and
/// whether it needs phone context to be reported (bare digit runs).
pub(super) fn check(p: &PhoneIn<'_>) -> Option<(f32, bool)> {
    let d = p.digits;
    let n = d.len();
    let lens = p.lens;
    if p.plus {
        return international(p, 0).map(|s| (s, false));
    }
    if n >= 11
        && d.first() == Some(&0)
        && d.get(1) == Some(&0)
        && lens.first().is_some_and(|&l| l == 2 || l >= 4)
    {
        return international(p, 2).map(|s| (s - 0.1, false));
    }
    let paren0 = p.paren.first().copied().unwrap_or(false);
    // NANP. Other groupings of ten digits that happen to be NANP-shaped
    // go on to the national formats below (`98765 43210` is Indian).
    if n == 10 && nanp_ok(d) {
        match lens {
            [3, 3, 4] => {
                return Some((
                    if paren0 {
                        0.85
                    } else if p.dots {
                        0.7
                    } else {
                        0.75
                    },
                    false,
                ));
            }
            [10] => return Some((0.6, true)),
            [3, 7] if paren0 => return Some((0.75, false)),
            _ => {}
        }
    }
    if n == 11 && d.first() == Some(&1) && d.get(1..).is_some_and(nanp_ok) {
        return match lens {
            [1, 3, 3, 4] => Some((0.8, false)),
            [11] => Some((0.55, true)),
            _ => None,
        };
    }
    // Trunk-0 national numbers (UK, DE, FR, AU, IN).
    if d.first() == Some(&0) && d.get(1).is_some_and(|&x| x != 0) && (9..=12).contains(&n) {
        if lens.len() == 1 {
            return Some((0.55, true));
        }
        if lens.iter().any(|&l| l < 2) || lens.len() > 5 {
            return None;
        }
        let second = d.get(1).copied().unwrap_or(0);
        // Ten digits in pairs; a run of consecutive pairs is a list of
        // numbers (`01 02 03 04 05`), not a phone. Merely rising pairs are
        // common in real numbers (`02 23 24 46 68`): they need context.
        let pairs = || d.chunks(2).map(|c| c.iter().fold(0u8, |a, &x| a * 10 + x));
        let rising = pairs().zip(pairs().skip(1)).all(|(a, b)| a < b);
        let counting = pairs().zip(pairs().skip(1)).all(|(a, b)| a + 1 == b);
        let fr = n == 10 && lens.iter().all(|&l| l == 2) && !counting;
        if fr && rising {
            return Some((0.7, true));
        }
        let uk = n == 11 && matches!(second, 1 | 2 | 3 | 7 | 8 | 9) && lens.len() <= 3;
        let au = n == 10 && matches!(second, 2 | 3 | 4 | 7 | 8) && lens.len() <= 3;
        let de = (10..=12).contains(&n) && lens.len() <= 3 && lens.first().is_some_and(|&l| l <= 5);
        if fr || uk || au || de {
            return Some((if p.dots && !fr { 0.55 } else { 0.7 }, false));
        }
        return None;
    }
    // Nine-digit national numbers without a trunk prefix (Spain
    // `612 34 56 78`, `912 345 678`): only next to a phone keyword.
    if n == 9
        && matches!(lens, [3, 2, 2, 2] | [3, 3, 3] | [2, 3, 2, 2])
        && d.first().is_some_and(|&x| matches!(x, 6..=9))
    {
        return Some((0.6, true));
    }
    // Indian mobiles written 5-5 without the +91.
    if n == 10 && matches!(lens, [5, 5]) && d.first().is_some_and(|&x| x >= 6) {
        return Some((0.6, true));
    }
    // Ten digits in one run that are no NANP number: Indian numbers
    // without the +91 or the trunk 0 (mobiles `98765 43210` written
    // compact, landlines `4023456789`). Only next to a phone keyword.
    if n == 10 && matches!(lens, [10]) && d.first().is_some_and(|&x| x != 0) {
        return Some((0.55, true));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_code_lengths() {
        assert_eq!(cc_len(&[1, 4, 1, 5]), Some(1));
        assert_eq!(cc_len(&[7, 9, 1, 6]), Some(1));
        assert_eq!(cc_len(&[3, 9, 3, 4]), Some(2));
        assert_eq!(cc_len(&[4, 9, 3, 0]), Some(2));
        assert_eq!(cc_len(&[3, 5, 1, 9]), Some(3));
        assert_eq!(cc_len(&[9, 7, 1, 5]), Some(3));
        assert_eq!(cc_len(&[0, 4, 4]), None);
        assert_eq!(cc_len(&[3]), None);
    }

    /// Parses a written number into groups the way the classifier does.
    fn check_str(s: &str) -> Option<(f32, bool)> {
        let mut digits = Vec::new();
        let mut lens = Vec::new();
        let mut paren = Vec::new();
        let mut cur = 0u8;
        let mut in_paren = false;
        let mut group_paren = false;
        for c in s.chars() {
            if let Some(d) = c.to_digit(10) {
                if cur == 0 {
                    group_paren = in_paren;
                }
                digits.push(d as u8);
                cur += 1;
            } else {
                if cur > 0 {
                    lens.push(cur);
                    paren.push(group_paren);
                    cur = 0;
                }
                in_paren = match c {
                    '(' => true,
                    ')' => false,
                    _ => in_paren,
                };
            }
        }
        if cur > 0 {
            lens.push(cur);
            paren.push(group_paren);
        }
        check(&PhoneIn {
            digits: &digits,
            lens: &lens,
            paren: &paren,
            plus: s.starts_with('+'),
            dots: s.contains('.'),
        })
    }

    #[test]
    fn valid_numbers() {
        for s in [
            "(503) 777-4364",
            "503-777-4364",
            "503.777.4364",
            "1-800-555-0199",
            "+1 503 777 4364",
            "+44 20 7023 1489",
            "+44 (0)20 7946 0958",
            "07507 927175",
            "+49 151 1739 8339",
            "+49 89 6575383",
            "0049 30 1234567",
            "+33 6 56 25 35 81",
            "06 76 10 59 57",
            "+91 93583 56714",
            "+61 412 345 678",
            "0412 345 678",
            "+44(0)1514960299",
            "+49(0) 551505877",
            "+49(0)6105248442",
            "+4420 7946 0958",
            "+44141 496 0109",
            "+4428 9018 0010",
            "+4915112345678",
            "+44(0)909 8790430",
            "718-411-6493",
        ] {
            assert!(check_str(s).is_some_and(|(_, ctx)| !ctx), "{s}");
        }
        for s in ["5037774364", "6936467031", "1527347129"] {
            assert_eq!(check_str(s).map(|(_, c)| c), Some(true), "{s}");
        }
    }

    #[test]
    fn invalid_numbers() {
        for s in [
            "123-456-7890",
            "503-177-4364",
            "+44 9 1234 5678",
            "+33 0 12 34 56 78",
            "+61 5 1234 5678",
            "01 02 03 04 05",
            "1234 5678 9012",
            "911-555-1234",
            "+4499 1234 5678",
            "+44(0)9 1234 5678",
            "+4412 345",
        ] {
            assert!(check_str(s).is_none(), "{s}");
        }
    }
}
