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
    /// (start, end, index) of each candidate, in output order.
    spans: Vec<(usize, usize, usize)>,
    /// (strength key, index) of the candidates of one overlap cluster.
    cluster: Vec<(u128, usize)>,
    keep: Vec<bool>,
    /// Bytes covered by kept findings, one bit each.
    taken: Vec<u64>,
    /// Where each output position takes its finding from.
    perm: Vec<usize>,
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

/// The bit range `start..end` as (word index, mask) pairs.
fn word_masks(start: usize, end: usize) -> impl Iterator<Item = (usize, u64)> {
    let mut i = start;
    std::iter::from_fn(move || {
        if i >= end {
            return None;
        }
        let lo = i % 64;
        let n = (end - i).min(64 - lo);
        let mask = if n == 64 {
            u64::MAX
        } else {
            ((1u64 << n) - 1) << lo
        };
        let w = i / 64;
        i += n;
        Some((w, mask))
    })
}

/// Whether any bit of `start..end` is set.
fn any_set(bits: &[u64], start: usize, end: usize) -> bool {
    word_masks(start, end).any(|(w, mask)| bits.get(w).is_some_and(|&x| x & mask != 0))
}

/// Sets (or, with `set == false`, clears) the bits of `start..end`.
fn mark_range(bits: &mut [u64], start: usize, end: usize, set: bool) {
    for (w, mask) in word_masks(start, end) {
        if let Some(x) = bits.get_mut(w) {
            if set {
                *x |= mask;
            } else {
                *x &= !mask;
            }
        }
    }
}

/// Resolves overlaps in place; see the module docs for the rules.
///
/// Candidates are walked in output order, (start, end, type name); a run
/// of candidates of one kind (value or injection) whose spans chain into
/// each other is an overlap cluster, and only within a cluster does
/// strength order matter: rule 2's greedy "strongest first" makes the same
/// choices cluster by cluster as over the whole list, since spans of
/// different clusters never overlap. Most findings overlap nothing.
pub(crate) fn resolve(findings: &mut Vec<Finding>, s: &mut Scratch) {
    if findings.len() <= 1 {
        return;
    }
    let n = findings.len();
    s.spans.clear();
    s.spans.extend(
        findings
            .iter()
            .enumerate()
            .map(|(i, f)| (f.span().start(), f.span().end(), i)),
    );
    sort_spans(findings, s);
    s.keep.clear();
    s.keep.resize(n, false);
    let words = s.spans.iter().map(|&(_, e, _)| e).max().unwrap_or(0) / 64 + 1;
    s.taken.clear();
    s.taken.resize(words, 0);
    for injection in [false, true] {
        s.cluster.clear();
        let mut cluster_end = 0;
        for &(start, end, i) in &s.spans {
            let Some(f) = findings.get(i) else { continue };
            if (f.entity_type() == &EntityType::PromptInjection) != injection {
                continue;
            }
            // Zero-length spans never reach here (modules drop them), but
            // guard anyway so one cannot slip between two others.
            if end <= start {
                continue;
            }
            if start >= cluster_end {
                settle(findings, &mut s.cluster, &mut s.keep, &mut s.taken);
            }
            s.cluster.push((strength_key(f), i));
            cluster_end = cluster_end.max(end);
        }
        settle(findings, &mut s.cluster, &mut s.keep, &mut s.taken);
    }
    // Kept findings in output order, then the dropped ones.
    s.perm.clear();
    s.perm.extend(
        s.spans
            .iter()
            .map(|&(_, _, i)| i)
            .filter(|&i| s.keep.get(i).copied().unwrap_or(false)),
    );
    let kept = s.perm.len();
    s.perm.extend(
        s.spans
            .iter()
            .map(|&(_, _, i)| i)
            .filter(|&i| !s.keep.get(i).copied().unwrap_or(false)),
    );
    // Position `k` takes the finding now at `perm[k]`: follow each cycle of
    // the permutation, marking placed entries with usize::MAX.
    for k in 0..n {
        let Some(&(mut src)) = s.perm.get(k) else {
            continue;
        };
        if src == usize::MAX {
            continue;
        }
        let mut dst = k;
        while src != k && src < n {
            findings.swap(dst, src);
            if let Some(e) = s.perm.get_mut(dst) {
                *e = usize::MAX;
            }
            dst = src;
            src = s.perm.get(dst).copied().unwrap_or(k);
        }
        if let Some(e) = s.perm.get_mut(dst) {
            *e = usize::MAX;
        }
    }
    findings.truncate(kept);
}

/// Sorts `s.spans` by (start, end), then type name, then index.
///
/// The tuples are sorted by (start, end, index) first, with no finding
/// looked at (a stable sort: candidates arrive as a few sorted runs, from
/// anchors, shapes and each module's whole-text pass, which it merges
/// cheaply); then each run of equal spans, rare, is sorted stably by type
/// name.
fn sort_spans(findings: &[Finding], s: &mut Scratch) {
    s.spans.sort();
    if !s
        .spans
        .windows(2)
        .any(|w| matches!(w, [a, b] if (a.0, a.1) == (b.0, b.1)))
    {
        return;
    }
    let name = |i: usize| findings.get(i).map(|f| f.entity_type().as_str());
    for run in s.spans.chunk_by_mut(|a, b| (a.0, a.1) == (b.0, b.1)) {
        if run.len() > 1 {
            run.sort_by(|&(_, _, x), &(_, _, y)| name(x).cmp(&name(y)));
        }
    }
}

/// Decides the candidates of one overlap cluster (`cluster`, emptied):
/// strongest first, each kept unless it overlaps one kept before it.
fn settle(
    findings: &[Finding],
    cluster: &mut Vec<(u128, usize)>,
    keep: &mut [bool],
    taken: &mut [u64],
) {
    match cluster.as_slice() {
        [] => {}
        &[(_, i)] => {
            if let Some(k) = keep.get_mut(i) {
                *k = true;
            }
        }
        _ => {
            // Strongest first; full ties keep the candidates' order.
            cluster.sort_unstable_by(|&(ka, a), &(kb, b)| {
                kb.cmp(&ka)
                    .then_with(|| match (findings.get(a), findings.get(b)) {
                        (Some(fa), Some(fb)) => stronger(fb, fa),
                        _ => Ordering::Equal,
                    })
                    .then(a.cmp(&b))
            });
            for &(_, i) in cluster.iter() {
                let Some(f) = findings.get(i) else { continue };
                let (start, end) = (f.span().start(), f.span().end());
                if !any_set(taken, start, end) {
                    mark_range(taken, start, end, true);
                    if let Some(k) = keep.get_mut(i) {
                        *k = true;
                    }
                }
            }
            // Clusters do not overlap: clear this one's bits for the next
            // kind's pass.
            for &(_, i) in cluster.iter() {
                if let Some(f) = findings.get(i) {
                    mark_range(taken, f.span().start(), f.span().end(), false);
                }
            }
        }
    }
    cluster.clear();
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

    /// The plain algorithm the rules describe: every candidate strongest
    /// first, kept unless it overlaps one kept before, then sorted.
    fn reference(v: &[Finding]) -> Vec<Finding> {
        let mut v = v.to_vec();
        if v.len() > 1 {
            let mut order: Vec<usize> = (0..v.len()).collect();
            order.sort_by(|&a, &b| stronger(&v[b], &v[a]));
            let mut keep = vec![false; v.len()];
            let mut taken: Vec<(bool, usize, usize)> = Vec::new();
            for i in order {
                let (s, e) = (v[i].span().start(), v[i].span().end());
                let inj = v[i].entity_type() == &EntityType::PromptInjection;
                if e > s && !taken.iter().any(|&(k, a, b)| k == inj && a < e && s < b) {
                    taken.push((inj, s, e));
                    keep[i] = true;
                }
            }
            let mut i = 0;
            v.retain(|_| {
                i += 1;
                keep[i - 1]
            });
        }
        v.sort_by(|a, b| {
            a.span()
                .cmp(&b.span())
                .then_with(|| a.entity_type().as_str().cmp(b.entity_type().as_str()))
        });
        v
    }

    #[test]
    fn same_as_reference_on_random_candidates() {
        let types = [
            EntityType::Person,
            EntityType::PhoneNumber,
            EntityType::DateTime,
            EntityType::Secret,
            EntityType::PromptInjection,
        ];
        let mut rng = crate::testrand::Rng::new(0x9e37_79b9_7f4a_7c15);
        let mut next = |m: u64| rng.below(m as usize);
        let mut scratch = Scratch::default();
        for round in 0..2000 {
            let n = 1 + round % 40;
            let mut v = Vec::new();
            for _ in 0..n {
                let a = next(200);
                let b = a + next(30);
                let t = types[next(types.len() as u64)].clone();
                let score = [0.5, 0.7, 0.9][next(3)];
                let rule = ["r1", "r2"][next(2)];
                let mut fi = Finding::new(t, Span::new(a, b).expect("ordered"), score, rule);
                if next(4) == 0 {
                    fi = fi.with_flags(FindingFlags::DECODED);
                }
                v.push(fi);
            }
            let want = reference(&v);
            let mut got = v.clone();
            resolve(&mut got, &mut scratch);
            assert_eq!(got, want, "round {round}");
        }
    }

    /// The packed-key sort gives the order of the plain tuple sort.
    #[test]
    fn sort_spans_matches_tuple_sort() {
        let types = [
            EntityType::Person,
            EntityType::PhoneNumber,
            EntityType::DateTime,
            EntityType::Secret,
        ];
        let mut rng = crate::testrand::Rng::new(0x2545_f491_4f6c_dd1d);
        let mut s = Scratch::default();
        for round in 0..1000 {
            let n = round % 60;
            let v: Vec<Finding> = (0..n)
                .map(|_| {
                    let a = rng.below(40);
                    let b = a + 1 + rng.below(4);
                    f(types[rng.below(types.len())].clone(), a, b, 0.5)
                })
                .collect();
            s.spans.clear();
            s.spans.extend(
                v.iter()
                    .enumerate()
                    .map(|(i, x)| (x.span().start(), x.span().end(), i)),
            );
            let mut want = s.spans.clone();
            let name = |i: usize| v[i].entity_type().as_str();
            want.sort_by(|&(sa, ea, a), &(sb, eb, b)| {
                (sa, ea)
                    .cmp(&(sb, eb))
                    .then_with(|| name(a).cmp(name(b)))
                    .then(a.cmp(&b))
            });
            sort_spans(&v, &mut s);
            assert_eq!(s.spans, want, "round {round}");
        }
    }
}
