//! Overlap resolution: turns the candidates of a scan into the reported
//! findings.
//!
//! Rules, applied in this order (documented in `docs/DESIGN.md`):
//!
//! 1. Exact duplicates (same type, same span) collapse into one: the higher
//!    score wins; on a tie the one found in the text itself beats one found
//!    in a decoded view.
//! 2. Among overlapping value findings, the stronger one is kept and the
//!    other dropped. Strength compares, in order: type priority
//!    ([`priority`]), span length (longer wins), score, then earlier start
//!    and rule id, so the outcome never depends on the order candidates
//!    were produced in.
//! 3. `PROMPT_INJECTION` findings describe an *attempt*, not a value: they
//!    never suppress, nor are suppressed by, value findings. Overlapping
//!    injection findings resolve among themselves by rule 2.
//! 4. The result is sorted by `(start, end)`, then type name.

use std::cmp::Ordering;

use deepsentinel_core::{EntityType, Finding, FindingFlags};

/// Per-scan buffers.
#[derive(Default)]
pub(crate) struct Scratch {
    /// (strength key, index) of each candidate.
    order: Vec<(u128, usize)>,
    keep: Vec<bool>,
    /// Bytes covered by kept value findings, one bit each.
    taken: Vec<u64>,
    /// Bytes covered by kept injection findings.
    taken_injection: Vec<u64>,
}

/// Type priority: higher wins an overlap. Checksummed identifiers rank above
/// free-form ones; secrets rank first because leaking part of one leaks it.
pub(crate) fn priority(t: &EntityType) -> u8 {
    match t {
        EntityType::Secret => 30,
        EntityType::Custom(_) => 29,
        EntityType::CreditCard => 28,
        EntityType::UsSsn => 27,
        EntityType::UsItin => 26,
        EntityType::IbanCode => 25,
        EntityType::Crypto => 24,
        EntityType::UkNhs => 23,
        EntityType::Npi => 22,
        EntityType::MedicalRecordNumber => 21,
        EntityType::UsBankNumber => 20,
        EntityType::UsPassport => 19,
        EntityType::UsDriverLicense => 18,
        EntityType::Url => 17,
        EntityType::EmailAddress => 16,
        EntityType::PhoneNumber => 15,
        EntityType::IpAddress => 14,
        EntityType::MacAddress => 13,
        EntityType::Location => 12,
        EntityType::Person => 11,
        EntityType::DateTime => 10,
        EntityType::PromptInjection => 5,
        _ => 1,
    }
}

fn stronger(a: &Finding, b: &Finding) -> Ordering {
    priority(a.entity_type())
        .cmp(&priority(b.entity_type()))
        .then(a.span().len().cmp(&b.span().len()))
        .then(a.score().total_cmp(&b.score()))
        .then(b.span().start().cmp(&a.span().start()))
        .then(b.rule().cmp(a.rule()))
        // Prefer the finding from the text itself over a decoded view.
        .then(
            b.flags()
                .contains(FindingFlags::DECODED)
                .cmp(&a.flags().contains(FindingFlags::DECODED)),
        )
}

/// A key that orders findings like [`stronger`] except that it may tie
/// where [`stronger`] does not (lengths and starts saturate, rule and flags
/// are left out): sorting by it first leaves few comparisons to
/// [`stronger`].
fn strength_key(f: &Finding) -> u128 {
    const LEN_MAX: usize = (1 << 40) - 1;
    const START_MAX: usize = (1 << 48) - 1;
    let bits = f.score().to_bits();
    // The bit pattern of `f32::total_cmp`'s order.
    let score = if bits & 0x8000_0000 != 0 {
        !bits
    } else {
        bits | 0x8000_0000
    };
    (u128::from(priority(f.entity_type())) << 120)
        | ((f.span().len().min(LEN_MAX) as u128) << 80)
        | (u128::from(score) << 48)
        | ((START_MAX - f.span().start().min(START_MAX)) as u128)
}

/// Whether any bit of `start..end` is set.
fn any_set(bits: &[u64], start: usize, end: usize) -> bool {
    let mut i = start;
    while i < end {
        let w = i / 64;
        let lo = i % 64;
        let n = (end - i).min(64 - lo);
        let mask = if n == 64 {
            u64::MAX
        } else {
            ((1u64 << n) - 1) << lo
        };
        if bits.get(w).is_some_and(|&x| x & mask != 0) {
            return true;
        }
        i += n;
    }
    false
}

/// Sets the bits of `start..end`.
fn set_range(bits: &mut [u64], start: usize, end: usize) {
    let mut i = start;
    while i < end {
        let w = i / 64;
        let lo = i % 64;
        let n = (end - i).min(64 - lo);
        let mask = if n == 64 {
            u64::MAX
        } else {
            ((1u64 << n) - 1) << lo
        };
        if let Some(x) = bits.get_mut(w) {
            *x |= mask;
        }
        i += n;
    }
}

/// Resolves overlaps in place; see the module docs for the rules.
pub(crate) fn resolve(findings: &mut Vec<Finding>, s: &mut Scratch) {
    if findings.len() > 1 {
        s.order.clear();
        s.order.extend(
            findings
                .iter()
                .enumerate()
                .map(|(i, f)| (strength_key(f), i)),
        );
        // Strongest first; full ties keep the candidates' order.
        s.order.sort_unstable_by(|&(ka, a), &(kb, b)| {
            kb.cmp(&ka)
                .then_with(|| match (findings.get(a), findings.get(b)) {
                    (Some(fa), Some(fb)) => stronger(fb, fa),
                    _ => Ordering::Equal,
                })
                .then(a.cmp(&b))
        });
        s.keep.clear();
        s.keep.resize(findings.len(), false);
        let words = findings.iter().map(|f| f.span().end()).max().unwrap_or(0) / 64 + 1;
        s.taken.clear();
        s.taken.resize(words, 0);
        s.taken_injection.clear();
        s.taken_injection.resize(words, 0);
        for &(_, i) in &s.order {
            let Some(f) = findings.get(i) else { continue };
            let (start, end) = (f.span().start(), f.span().end());
            let taken = if f.entity_type() == &EntityType::PromptInjection {
                &mut s.taken_injection
            } else {
                &mut s.taken
            };
            // Zero-length spans never reach here (modules drop them), but
            // guard anyway so one cannot slip between two others.
            if end > start && !any_set(taken, start, end) {
                set_range(taken, start, end);
                if let Some(k) = s.keep.get_mut(i) {
                    *k = true;
                }
            }
        }
        let mut i = 0;
        findings.retain(|_| {
            let k = s.keep.get(i).copied().unwrap_or(false);
            i += 1;
            k
        });
    }
    // Kept spans of one kind do not overlap, so no two findings tie here
    // and an unstable sort gives the same order.
    findings.sort_unstable_by(|a, b| {
        a.span()
            .cmp(&b.span())
            .then_with(|| a.entity_type().as_str().cmp(b.entity_type().as_str()))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use deepsentinel_core::Span;

    fn f(t: EntityType, a: usize, b: usize, score: f32) -> Finding {
        Finding::new(t, Span::new(a, b).expect("ordered"), score, "test")
    }

    fn run(mut v: Vec<Finding>) -> Vec<(String, usize, usize)> {
        resolve(&mut v, &mut Scratch::default());
        v.iter()
            .map(|f| {
                (
                    f.entity_type().to_string(),
                    f.span().start(),
                    f.span().end(),
                )
            })
            .collect()
    }

    #[test]
    fn higher_priority_wins_over_longer() {
        let got = run(vec![
            f(EntityType::Url, 0, 40, 0.9),
            f(EntityType::Secret, 10, 20, 0.8),
        ]);
        assert_eq!(got, vec![("SECRET".into(), 10, 20)]);
    }

    #[test]
    fn longer_wins_within_a_type_and_duplicates_collapse() {
        let got = run(vec![
            f(EntityType::Person, 0, 4, 0.9),
            f(EntityType::Person, 0, 13, 0.6),
            f(EntityType::Person, 0, 13, 0.7),
        ]);
        assert_eq!(got, vec![("PERSON".into(), 0, 13)]);
    }

    #[test]
    fn injection_coexists_with_values() {
        let got = run(vec![
            f(EntityType::PromptInjection, 0, 50, 0.9),
            f(EntityType::EmailAddress, 30, 45, 0.9),
        ]);
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn order_independent_and_sorted() {
        let a = vec![
            f(EntityType::DateTime, 20, 30, 0.9),
            f(EntityType::PhoneNumber, 25, 35, 0.9),
            f(EntityType::EmailAddress, 0, 10, 0.9),
        ];
        let mut b = a.clone();
        b.reverse();
        assert_eq!(run(a), run(b.clone()));
        assert_eq!(
            run(b),
            vec![
                ("EMAIL_ADDRESS".into(), 0, 10),
                ("PHONE_NUMBER".into(), 25, 35)
            ]
        );
    }

    #[test]
    fn adjacent_spans_do_not_overlap() {
        let got = run(vec![
            f(EntityType::Person, 0, 5, 0.9),
            f(EntityType::Person, 5, 9, 0.9),
        ]);
        assert_eq!(got.len(), 2);
    }
}
