//! EMAIL_ADDRESS: RFC 5321-shaped addresses with a dotted domain, plus the
//! common obfuscated spellings (`jane [at] corp [dot] com`,
//! `jane(at)corp.com`, `jane at corp dot com`). Package pins
//! (`lodash@4.17.21`, `pkg@1.0.0-beta.tag`) are not addresses.

use deepsentinel_core::EntityType;

use crate::context::{Kw, KwSet};
use crate::engine::{Ctx, Hit, Module, Out, PendingFinding, Shape, prio};
use crate::text;

pub(crate) struct Email;

const PLAIN: u32 = 0;
const BRACKETED: u32 = 1;
const SPELLED: u32 = 2;

/// A bracketed `at` / `dot` (`[at]`, `(dot)`, `{ at }`, `<at>`).
fn bracketed(word: &str) -> String {
    format!(r"\s*[\[\(\{{<]\s*(?i:{word})\s*[\]\)\}}>]\s*")
}

/// Top-level domains accepted after a spelled-out ` dot ` (the unbracketed
/// form is only reported for these, to keep prose like "meet at noon dot"
/// out).
const SPELLED_TLDS: &str =
    "com|org|net|edu|gov|io|co|de|uk|fr|es|it|nl|be|ch|at|ca|au|in|jp|us|eu|info|biz|me|dev|ai|app";

/// Words that end a sentence fragment before ` at ` rather than name a
/// mailbox.
const STOPWORDS: &[&str] = &[
    "me",
    "us",
    "him",
    "her",
    "them",
    "you",
    "it",
    "is",
    "was",
    "are",
    "be",
    "here",
    "there",
    "online",
    "home",
    "work",
    "look",
    "looking",
    "available",
    "site",
    "website",
    "visit",
];

impl Module for Email {
    fn name(&self) -> &'static str {
        "email"
    }

    fn types(&self) -> &'static [EntityType] {
        &[EntityType::EmailAddress]
    }

    fn shapes(&self) -> Vec<Shape> {
        let at = bracketed("at");
        let dot = bracketed("dot");
        // Non-ASCII is any code point here (checked in the handler):
        // Unicode letter classes multiply the states of the shared lazy
        // DFA and make it give up.
        let local = r"[A-Za-z0-9_%+\-\x{80}-\x{10FFFF}]+";
        let label = r"[A-Za-z0-9\-\x{80}-\x{10FFFF}]+";
        vec![
            Shape::new(
                PLAIN,
                prio::EMAIL,
                format!(r"{local}(?:\.{local})*@(?:{label}\.)+[A-Za-z]{{2,24}}"),
            ),
            Shape::new(
                BRACKETED,
                prio::EMAIL,
                format!(
                    r"{local}(?:(?:\.|{dot}){local})*{at}{label}(?:(?:\.|{dot}){label})*(?:\.|{dot})[A-Za-z]{{2,24}}"
                ),
            ),
            Shape::new(
                SPELLED,
                prio::EMAIL,
                format!(
                    r"[A-Za-z0-9_%+-]+(?:(?:\.|\s+(?i:dot)\s+)[A-Za-z0-9_%+-]+)*\s+(?i:at)\s+[A-Za-z0-9-]+(?:\s+(?i:dot)\s+[A-Za-z0-9-]+)*\s+(?i:dot)\s+(?i:{SPELLED_TLDS})"
                ),
            ),
        ]
    }

    fn on_shape(&self, shape: u32, hit: Hit, ctx: &Ctx<'_>, out: &mut Out<'_>) {
        let t = ctx.text;
        let start = hit.start;
        // The domain must not run on into a word (`a@b.comx` is cut short
        // by the TLD length limit, not an address).
        if text::char_at(t, hit.end).is_some_and(text::is_word_char) {
            return;
        }
        // Non-ASCII code points must be letters or digits; anything else
        // (curly quotes, CJK punctuation) delimits the address.
        let mut start = start;
        let Some(raw) = t.get(start..hit.end) else {
            return;
        };
        // (An ASCII match has no such character: skip the backward decode.)
        if let Some((i, c)) = (!raw.is_ascii())
            .then(|| raw.char_indices().rev())
            .into_iter()
            .flatten()
            .rev()
            .find(|&(_, c)| !c.is_ascii() && !c.is_alphanumeric())
        {
            let at = raw.find(['@', '[', '(', '{', '<']).unwrap_or(raw.len());
            if i > at {
                return;
            }
            start += i + c.len_utf8();
        }
        let Some(s) = t.get(start..hit.end) else {
            return;
        };
        if s.starts_with(['.', '-']) {
            return;
        }
        match shape {
            PLAIN => {
                let Some((local, domain)) = split_at_last_at(s) else {
                    return;
                };
                if is_package_pin(domain) || bad_label(domain) {
                    return;
                }
                // `git@github.com:org/repo.git` is an SSH remote.
                if local == "git" && t.as_bytes().get(hit.end) == Some(&b':') {
                    return;
                }
                out.push(
                    t,
                    PendingFinding::new(EntityType::EmailAddress, start, hit.end, 0.9, "email"),
                );
            }
            BRACKETED => {
                if text::char_before(t, start).is_some_and(text::is_word_char) {
                    return;
                }
                out.push(
                    t,
                    PendingFinding::new(
                        EntityType::EmailAddress,
                        start,
                        hit.end,
                        0.85,
                        "email.obfuscated",
                    )
                    .subtype("obfuscated"),
                );
            }
            _ => {
                if text::char_before(t, start).is_some_and(text::is_word_char) {
                    return;
                }
                // "reach me at example dot com": the word before `at` is
                // part of the sentence, not a mailbox.
                let local_end = s.find(|c: char| c.is_whitespace()).unwrap_or(s.len());
                let local = s.get(..local_end).unwrap_or("");
                if STOPWORDS.iter().any(|w| w.eq_ignore_ascii_case(local)) {
                    return;
                }
                let near = ctx
                    .keywords
                    .near(start, hit.end, 48, KwSet::of(&[Kw::Email]));
                let score = if near { 0.8 } else { 0.65 };
                out.push(
                    t,
                    PendingFinding::new(
                        EntityType::EmailAddress,
                        start,
                        hit.end,
                        score,
                        "email.spelled",
                    )
                    .subtype("obfuscated"),
                );
            }
        }
    }
}

/// Whether a matched domain is really a version (`4.17.21`,
/// `1.0.0-beta.tag`): its first two labels are numbers.
/// `s.rsplit_once('@')` by a byte loop (`@` is ASCII; on short strings
/// this beats the generic pattern search).
fn split_at_last_at(s: &str) -> Option<(&str, &str)> {
    let at = s.bytes().rposition(|b| b == b'@')?;
    Some((s.get(..at)?, s.get(at + 1..)?))
}

/// Whether a dot-separated label of `domain` is empty, starts or ends
/// with `-`, or is longer than 63 bytes (`.` and `-` are ASCII, so a byte
/// split gives the same labels as a `str` one).
fn bad_label(domain: &str) -> bool {
    domain.as_bytes().split(|&b| b == b'.').any(|l| {
        l.is_empty() || l.first() == Some(&b'-') || l.last() == Some(&b'-') || l.len() > 63
    })
}

fn is_package_pin(domain: &str) -> bool {
    // By bytes: `.` and `-` are ASCII (see `is_package_pin_str` in tests).
    let numeric = |l: &[u8]| !l.is_empty() && l.iter().all(u8::is_ascii_digit);
    let mut labels = domain.as_bytes().split(|&b| b == b'.');
    labels.next().is_some_and(numeric)
        && labels
            .next()
            .is_some_and(|l| l.split(|&b| b == b'-').next().is_some_and(numeric))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The former `str` definition of [`is_package_pin`].
    fn is_package_pin_str(domain: &str) -> bool {
        let mut labels = domain.split('.');
        let numeric = |l: Option<&str>| {
            l.is_some_and(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()))
        };
        numeric(labels.next()) && numeric(labels.next().map(|l| l.split('-').next().unwrap_or(l)))
    }

    /// The byte versions agree with the `str` definitions they replace.
    #[test]
    fn byte_splits_match_str_splits() {
        let pieces = ["a", "-", ".", "@", "é", "日", "x-y", "", "0", "12", "3"];
        let mut rng = crate::testrand::Rng::new(0x5851_f42d_4c95_7f2d);
        for _ in 0..20_000 {
            let mut s = String::new();
            for _ in 0..rng.below(12) {
                s.push_str(pieces[rng.below(pieces.len())]);
            }
            if rng.below(8) == 0 {
                s.push_str(&"z".repeat(60 + rng.below(8)));
            }
            assert_eq!(split_at_last_at(&s), s.rsplit_once('@'), "{s:?}");
            let want = s
                .split('.')
                .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-') || l.len() > 63);
            assert_eq!(bad_label(&s), want, "{s:?}");
            assert_eq!(is_package_pin(&s), is_package_pin_str(&s), "{s:?}");
        }
    }

    #[test]
    fn pins() {
        assert!(is_package_pin("1.0.0-beta.tag"));
        assert!(is_package_pin("18.0.2"));
        assert!(!is_package_pin("example.com"));
        assert!(!is_package_pin("163.com"));
    }
}
