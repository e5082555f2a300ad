use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};

use deepsentinel_core::{Detector, Finding, Flow};
use deepsentinel_detect::Scanner;

use super::cache::{TextHash, text_hash};

/// A [`Detector`] that answers with findings computed ahead of time (by
/// [`Detection::detect_many`](super::Detection::detect_many), typically),
/// so a synchronous consumer such as the policy guard's
/// `protect_request_with` can use remote results.
///
/// Answers are given by position: the *n*-th call to
/// [`Detector::detect`] answers with the *n*-th precomputed entry, if and
/// only if the text asked about is the one that entry was computed for
/// (compared by SHA-256; the texts themselves are not kept). Any other call
/// — a different text, or more calls than entries — is answered by the
/// fallback [`Scanner`] instead, so findings never carry spans of another
/// text. [`Precomputed::fallbacks`] counts those calls.
///
/// One value serves one pass over one request's texts: the position is not
/// reset.
pub struct Precomputed {
    entries: Vec<(TextHash, Vec<Finding>)>,
    next: AtomicUsize,
    fallbacks: AtomicUsize,
    fallback: Scanner,
}

impl fmt::Debug for Precomputed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Precomputed")
            .field("entries", &self.entries.len())
            .field("next", &self.next.load(Ordering::Relaxed))
            .field("fallbacks", &self.fallbacks.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl Precomputed {
    /// Answers for `texts`, in order: `findings[i]` belongs to `texts[i]`.
    /// Texts without findings (when `findings` is shorter) are answered by
    /// `fallback`; extra findings are ignored.
    pub fn new(texts: &[&str], findings: Vec<Vec<Finding>>, fallback: Scanner) -> Precomputed {
        let entries = texts
            .iter()
            .zip(findings)
            .map(|(t, f)| (text_hash(t), f))
            .collect();
        Precomputed {
            entries,
            next: AtomicUsize::new(0),
            fallbacks: AtomicUsize::new(0),
            fallback,
        }
    }

    /// How many calls were answered by the fallback scanner.
    pub fn fallbacks(&self) -> usize {
        self.fallbacks.load(Ordering::Relaxed)
    }
}

impl Detector for Precomputed {
    fn detect(&self, text: &str, found: &mut dyn FnMut(Finding) -> Flow) {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        match self.entries.get(i) {
            Some((hash, findings)) if *hash == text_hash(text) => {
                for f in findings {
                    if found(f.clone()).is_stop() {
                        return;
                    }
                }
            }
            _ => {
                self.fallbacks.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(
                    position = i,
                    precomputed = self.entries.len(),
                    "no precomputed findings for this text; scanning it locally"
                );
                self.fallback.detect(text, found);
            }
        }
    }

    fn name(&self) -> &str {
        "precomputed"
    }
}
