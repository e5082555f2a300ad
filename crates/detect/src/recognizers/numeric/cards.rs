//! Payment card numbers: issuer (IIN) ranges, lengths, groupings and the
//! well-known test numbers.

use crate::validate::luhn;

/// The brand of a PAN by its IIN prefix and length, if it is one we know.
pub(super) fn brand(d: &[u8]) -> Option<&'static str> {
    let n = d.len();
    let p = |k: usize| -> u32 { d.iter().take(k).fold(0u32, |a, &x| a * 10 + u32::from(x)) };
    let p1 = p(1);
    let p2 = p(2);
    let p3 = p(3);
    let p4 = p(4);
    let p6 = p(6);
    if p1 == 4 && matches!(n, 13 | 16 | 19) {
        return Some("visa");
    }
    if ((51..=55).contains(&p2) || (2221..=2720).contains(&p4)) && n == 16 {
        return Some("mastercard");
    }
    if matches!(p2, 34 | 37) && n == 15 {
        return Some("amex");
    }
    if (p4 == 6011 || (644..=649).contains(&p3) || p2 == 65 || (622_126..=622_925).contains(&p6))
        && (16..=19).contains(&n)
    {
        return Some("discover");
    }
    if (3528..=3589).contains(&p4) && (16..=19).contains(&n) {
        return Some("jcb");
    }
    if ((300..=305).contains(&p3) || matches!(p2, 36 | 38 | 39) || p3 == 309)
        && (14..=19).contains(&n)
    {
        return Some("diners");
    }
    None
}

/// Whether the group lengths are a way cards are written: one run, fours
/// (the last group may be shorter or up to 7 for 19-digit PANs), or the
/// Amex/Diners 4-6-5 / 4-6-4.
pub(super) fn grouping_ok(lens: &[u8]) -> bool {
    match lens {
        [_] => true,
        [4, 6, 5] | [4, 6, 4] => true,
        [init @ .., last] if init.len() >= 3 => {
            init.iter().all(|&l| l == 4) && (1..=4).contains(last)
        }
        _ => false,
    }
}

/// Published test PANs (Stripe, Braintree, Adyen, PayPal docs, …).
const TEST_PANS: &[&[u8]] = &[
    b"4111111111111111",
    b"4242424242424242",
    b"4012888888881881",
    b"4222222222222",
    b"4000056655665556",
    b"4005519200000004",
    b"4000000000000002",
    b"4000000000000077",
    b"4000000000003220",
    b"5555555555554444",
    b"5105105105105100",
    b"5200828282828210",
    b"2223003122003222",
    b"2221000000000009",
    b"5454545454545454",
    b"378282246310005",
    b"371449635398431",
    b"378734493671000",
    b"6011111111111117",
    b"6011000990139424",
    b"6011000400000000",
    b"3530111333300000",
    b"3566002020360505",
    b"3566111111111113",
    b"30569309025904",
    b"38520000023237",
    b"36227206271667",
];

/// Whether the digits are a published test number.
pub(super) fn is_test_pan(d: &[u8]) -> bool {
    TEST_PANS
        .iter()
        .any(|t| t.len() == d.len() && t.iter().zip(d).all(|(&a, &b)| a.wrapping_sub(b'0') == b))
}

/// Brand of a Luhn-valid PAN of a known issuer.
pub(super) fn check(d: &[u8]) -> Option<&'static str> {
    if !(13..=19).contains(&d.len()) {
        return None;
    }
    let b = brand(d)?;
    luhn::is_valid_digits(d).then_some(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ds(s: &str) -> Vec<u8> {
        s.bytes().map(|b| b - b'0').collect()
    }

    #[test]
    fn brands() {
        assert_eq!(check(&ds("4111111111111111")), Some("visa"));
        assert_eq!(check(&ds("5555555555554444")), Some("mastercard"));
        assert_eq!(check(&ds("378282246310005")), Some("amex"));
        assert_eq!(check(&ds("6011111111111117")), Some("discover"));
        assert_eq!(check(&ds("3530111333300000")), Some("jcb"));
        assert_eq!(check(&ds("30569309025904")), Some("diners"));
        assert_eq!(check(&ds("4111111111111112")), None);
        assert!(is_test_pan(&ds("4242424242424242")));
        assert!(!is_test_pan(&ds("4242424242424243")));
        assert!(grouping_ok(&[4, 4, 4, 4]));
        assert!(grouping_ok(&[4, 6, 5]));
        assert!(!grouping_ok(&[3, 3, 4]));
    }
}
