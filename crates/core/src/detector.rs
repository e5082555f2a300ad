use std::sync::Arc;

use crate::Finding;

/// What a [`Detector`]'s sink wants next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Keep pushing findings.
    Continue,
    /// Stop: the caller has seen enough (for example, one finding is enough
    /// to block a request).
    Stop,
}

impl Flow {
    /// Whether this is [`Flow::Stop`].
    pub fn is_stop(self) -> bool {
        self == Flow::Stop
    }
}

/// Something that finds sensitive values in text.
///
/// The detector owns iteration and *pushes* each [`Finding`] into `found`, as
/// `grep-searcher` pushes matches into a sink: that lets an engine reuse its
/// buffers and stop early when the sink returns [`Flow::Stop`]. The trait is
/// synchronous and object-safe, so rule packs chosen by configuration can be
/// held as `Box<dyn Detector>` or `Arc<dyn Detector>`.
///
/// Contract for implementations:
/// - every span lies within `text` on UTF-8 character boundaries;
/// - findings are pushed in ascending order of `(start, end)`;
/// - nothing panics, whatever the input.
pub trait Detector: Send + Sync {
    /// Scans `text` and pushes each finding to `found`, stopping as soon as
    /// `found` returns [`Flow::Stop`].
    fn detect(&self, text: &str, found: &mut dyn FnMut(Finding) -> Flow);

    /// A short name for logs and metrics.
    fn name(&self) -> &str {
        "detector"
    }

    /// Collects every finding into a vector.
    fn detect_all(&self, text: &str) -> Vec<Finding> {
        let mut out = Vec::new();
        self.detect(text, &mut |f| {
            out.push(f);
            Flow::Continue
        });
        out
    }

    /// Whether `text` contains at least one finding. Stops at the first.
    fn is_match(&self, text: &str) -> bool {
        let mut hit = false;
        self.detect(text, &mut |_| {
            hit = true;
            Flow::Stop
        });
        hit
    }
}

impl<T: Detector + ?Sized> Detector for &T {
    fn detect(&self, text: &str, found: &mut dyn FnMut(Finding) -> Flow) {
        (**self).detect(text, found)
    }
    fn name(&self) -> &str {
        (**self).name()
    }
}

impl<T: Detector + ?Sized> Detector for Box<T> {
    fn detect(&self, text: &str, found: &mut dyn FnMut(Finding) -> Flow) {
        (**self).detect(text, found)
    }
    fn name(&self) -> &str {
        (**self).name()
    }
}

impl<T: Detector + ?Sized> Detector for Arc<T> {
    fn detect(&self, text: &str, found: &mut dyn FnMut(Finding) -> Flow) {
        (**self).detect(text, found)
    }
    fn name(&self) -> &str {
        (**self).name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EntityType, Span};

    struct Digits;

    impl Detector for Digits {
        fn detect(&self, text: &str, found: &mut dyn FnMut(Finding) -> Flow) {
            for (i, c) in text.char_indices() {
                if c.is_ascii_digit() {
                    let span = Span::new(i, i + 1).expect("ordered");
                    let f = Finding::new(EntityType::PhoneNumber, span, 0.5, "digit");
                    if found(f).is_stop() {
                        return;
                    }
                }
            }
        }
    }

    // Losing object safety must break the build, not a user.
    fn _assert_object_safe(_: Box<dyn Detector>) {}

    #[test]
    fn stop_ends_the_scan() {
        let mut seen = 0;
        Digits.detect("1 2 3", &mut |_| {
            seen += 1;
            Flow::Stop
        });
        assert_eq!(seen, 1);
        assert!(Digits.is_match("x9"));
        assert!(!Digits.is_match("none"));
    }

    #[test]
    fn blanket_impls_forward() {
        let boxed: Box<dyn Detector> = Box::new(Digits);
        assert_eq!(boxed.detect_all("12").len(), 2);
        let shared: Arc<dyn Detector> = Arc::new(Digits);
        // Generic callers go through the `&T` and `Arc<T>` impls.
        fn count<D: Detector>(d: D) -> usize {
            d.detect_all("1 2").len()
        }
        assert_eq!(count(&shared), 2);
        assert_eq!(count(shared), 2);
    }
}
