//! Detection modes: local, remote and hybrid.
//!
//! [`Detection`] states the rules of each mode.
//!
//! All texts that need the gateway in one call go in one `/v1/scan`
//! request (identical texts once). Synchronous consumers (the policy guard)
//! get the results through [`Precomputed`], a
//! [`Detector`](deepsentinel_core::Detector) answering with
//! findings computed ahead of time.
//!
#![doc = include_str!("wire.md")]

mod cache;
mod precomputed;
mod remote;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use deepsentinel_core::{Error, Finding};
use deepsentinel_detect::Scanner;

use cache::{RemoteCache, TextHash, text_hash};
pub use precomputed::Precomputed;
pub use remote::{INVALID_SPAN, REMOTE_DETECTION, RemoteDetector};

#[cfg(test)]
use deepsentinel_core::Detector;

/// Where the findings for one text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DetectionSource {
    /// The local scanner (local mode, or a confident text in hybrid mode).
    Local,
    /// The remote gateway, asked during this call.
    Remote,
    /// A remote answer from the hybrid cache; no request was made.
    Cached,
    /// The local scanner, because the remote call failed (see
    /// [`DetectOutcome::remote_error`]).
    LocalFallback,
}

/// The result of [`Detection::detect_many`].
#[derive(Debug, Clone)]
pub struct DetectOutcome {
    /// One list of findings per text, in the order given, each sorted by
    /// `(start, end)` and valid for its text.
    pub findings: Vec<Vec<Finding>>,
    /// Where each text's findings came from (same length as `findings`).
    pub source: Vec<DetectionSource>,
    /// The remote failure that made some texts fall back to local, if any.
    pub remote_error: Option<Error>,
}

impl DetectOutcome {
    /// A [`Precomputed`] detector answering with these findings for
    /// `texts` (the texts given to `detect_many`, in the same order),
    /// falling back to `fallback` for any other text.
    pub fn to_precomputed(&self, texts: &[&str], fallback: Scanner) -> Precomputed {
        Precomputed::new(texts, self.findings.clone(), fallback)
    }
}

/// The detection mode switch: local, remote with local fallback, or hybrid.
///
/// - **local** (the default): the in-process [`Scanner`]; nothing leaves the
///   host.
/// - **remote**: every text goes to a DeepSentinel gateway's `/v1/scan`
///   endpoint ([`RemoteDetector`]) with a deadline; when that fails
///   (network, timeout, non-2xx, a malformed answer, a bad span) the texts
///   are scanned locally instead, the failure is logged (`tracing` warn)
///   and reported in [`DetectOutcome::remote_error`], and the request goes
///   on.
/// - **hybrid**: every text is scanned locally first. A text goes remote
///   only when its local findings include at least one with
///   `score < threshold`; a text with no findings, or only findings at or
///   above the threshold, is considered settled and stays local. The
///   remote answer *replaces* the local findings for that text. Remote
///   answers are cached by the SHA-256 of the text (never the text) for a
///   time to live, up to a maximum number of entries (oldest evicted
///   first); cache hits make no request.
///
/// Cheap to clone (clones share the hybrid cache); `Send + Sync`.
/// [`Detection::detect_many`] never fails: remote problems fall back to
/// the local scanner and are reported in the outcome.
#[derive(Clone)]
pub struct Detection {
    mode: Arc<Mode>,
}

enum Mode {
    Local {
        scanner: Scanner,
    },
    Remote {
        remote: RemoteDetector,
        scanner: Scanner,
    },
    Hybrid {
        remote: RemoteDetector,
        scanner: Scanner,
        threshold: f32,
        cache: Mutex<RemoteCache>,
    },
}

impl fmt::Debug for Detection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.mode {
            Mode::Local { .. } => f.debug_struct("Detection::Local").finish_non_exhaustive(),
            Mode::Remote { remote, .. } => f
                .debug_struct("Detection::Remote")
                .field("remote", remote)
                .finish_non_exhaustive(),
            Mode::Hybrid {
                remote, threshold, ..
            } => f
                .debug_struct("Detection::Hybrid")
                .field("remote", remote)
                .field("threshold", threshold)
                .finish_non_exhaustive(),
        }
    }
}

impl Default for Detection {
    /// Local mode with the default [`Scanner`].
    fn default() -> Detection {
        Detection::local(Scanner::new())
    }
}

impl Detection {
    /// Local mode: only `scanner`; nothing leaves the host.
    pub fn local(scanner: Scanner) -> Detection {
        Detection {
            mode: Arc::new(Mode::Local { scanner }),
        }
    }

    /// Remote mode: every text goes to `remote`; on failure, `scanner`
    /// answers instead.
    pub fn remote(remote: RemoteDetector, scanner: Scanner) -> Detection {
        Detection {
            mode: Arc::new(Mode::Remote { remote, scanner }),
        }
    }

    /// Hybrid mode: `scanner` first; `remote` only for texts with a local
    /// finding scoring below `threshold`. Remote answers are cached for
    /// `ttl`, at most `max_entries` of them (a zero `ttl` or `max_entries`
    /// disables the cache).
    pub fn hybrid(
        remote: RemoteDetector,
        scanner: Scanner,
        threshold: f32,
        ttl: Duration,
        max_entries: usize,
    ) -> Detection {
        Detection {
            mode: Arc::new(Mode::Hybrid {
                remote,
                scanner,
                threshold,
                cache: Mutex::new(RemoteCache::new(ttl, max_entries)),
            }),
        }
    }

    /// The local scanner (for [`Precomputed`]'s fallback).
    pub fn scanner(&self) -> &Scanner {
        match &*self.mode {
            Mode::Local { scanner }
            | Mode::Remote { scanner, .. }
            | Mode::Hybrid { scanner, .. } => scanner,
        }
    }

    /// `local`, `remote` or `hybrid`, for logs and metrics.
    pub fn mode_name(&self) -> &'static str {
        match &*self.mode {
            Mode::Local { .. } => "local",
            Mode::Remote { .. } => "remote",
            Mode::Hybrid { .. } => "hybrid",
        }
    }

    /// How many remote answers the hybrid cache holds (0 in other modes).
    pub fn cached_entries(&self) -> usize {
        match &*self.mode {
            Mode::Hybrid { cache, .. } => lock(cache).len(),
            _ => 0,
        }
    }

    /// Scans `texts` according to the mode. Never fails; see
    /// [`DetectOutcome`].
    pub async fn detect_many(&self, texts: &[&str]) -> DetectOutcome {
        self.detect_many_at(texts, Instant::now).await
    }

    /// [`Detection::detect_many`] with the cache's clock given (tests).
    async fn detect_many_at(&self, texts: &[&str], now: impl Fn() -> Instant) -> DetectOutcome {
        match &*self.mode {
            Mode::Local { scanner } => DetectOutcome {
                findings: texts.iter().map(|t| scanner.scan(t)).collect(),
                source: vec![DetectionSource::Local; texts.len()],
                remote_error: None,
            },
            Mode::Remote { remote, scanner } => match remote.detect_many(texts).await {
                Ok(findings) => DetectOutcome {
                    findings,
                    source: vec![DetectionSource::Remote; texts.len()],
                    remote_error: None,
                },
                Err(e) => {
                    warn_fallback(&e, texts.len());
                    DetectOutcome {
                        findings: texts.iter().map(|t| scanner.scan(t)).collect(),
                        source: vec![DetectionSource::LocalFallback; texts.len()],
                        remote_error: Some(e),
                    }
                }
            },
            Mode::Hybrid {
                remote,
                scanner,
                threshold,
                cache,
            } => hybrid(remote, scanner, *threshold, cache, texts, now).await,
        }
    }
}

async fn hybrid(
    remote: &RemoteDetector,
    scanner: &Scanner,
    threshold: f32,
    cache: &Mutex<RemoteCache>,
    texts: &[&str],
    now: impl Fn() -> Instant,
) -> DetectOutcome {
    let mut findings: Vec<Vec<Finding>> = texts.iter().map(|t| scanner.scan(t)).collect();
    let mut source = vec![DetectionSource::Local; texts.len()];
    // Distinct uncertain texts to ask about, and which positions each answers.
    let mut ask: Vec<(TextHash, &str, Vec<usize>)> = Vec::new();
    let mut asked: HashMap<TextHash, usize> = HashMap::new();
    {
        let mut cache = lock(cache);
        let t = now();
        for (i, text) in texts.iter().enumerate() {
            if !findings[i].iter().any(|f| f.score() < threshold) {
                continue;
            }
            let hash = text_hash(text);
            if let Some(cached) = cache.get(&hash, t) {
                findings[i] = cached;
                source[i] = DetectionSource::Cached;
            } else if let Some(&k) = asked.get(&hash) {
                ask[k].2.push(i);
            } else {
                asked.insert(hash, ask.len());
                ask.push((hash, text, vec![i]));
            }
        }
    }
    if ask.is_empty() {
        return DetectOutcome {
            findings,
            source,
            remote_error: None,
        };
    }
    let batch: Vec<&str> = ask.iter().map(|(_, t, _)| *t).collect();
    match remote.detect_many(&batch).await {
        Ok(answers) => {
            let mut cache = lock(cache);
            let t = now();
            for ((hash, _, positions), answer) in ask.into_iter().zip(answers) {
                for &i in &positions {
                    findings[i] = answer.clone();
                    source[i] = DetectionSource::Remote;
                }
                cache.insert(hash, answer, t);
            }
            DetectOutcome {
                findings,
                source,
                remote_error: None,
            }
        }
        Err(e) => {
            warn_fallback(&e, ask.iter().map(|(_, _, p)| p.len()).sum());
            for (_, _, positions) in &ask {
                for &i in positions {
                    source[i] = DetectionSource::LocalFallback;
                }
            }
            DetectOutcome {
                findings,
                source,
                remote_error: Some(e),
            }
        }
    }
}

fn warn_fallback(e: &Error, texts: usize) {
    tracing::warn!(
        error = %e,
        kind = e.label(),
        texts,
        "remote detection failed; scanning locally instead"
    );
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // The cache is only ever replaced entry by entry; a poisoned lock still
    // holds a usable map.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use deepsentinel_providers::testing::{FakeUpstream, Reply};

    fn _assert_send_sync<T: Send + Sync>() {}
    fn _assert_detector_is_object_safe(_: Box<dyn Detector>) {}

    #[test]
    fn types_are_send_and_sync() {
        _assert_send_sync::<Detection>();
        _assert_send_sync::<Precomputed>();
        _assert_send_sync::<RemoteDetector>();
    }

    #[tokio::test]
    async fn hybrid_cache_expires_with_an_injected_clock() {
        let up = FakeUpstream::start().await.expect("binds");
        up.fallback(Reply::json(200, r#"{"results":[{"findings":[]}]}"#));
        let remote = RemoteDetector::new(
            &up.url(""),
            None,
            Duration::from_secs(5),
            reqwest::Client::new(),
        );
        // A threshold of 1.1 sends every text with any finding remote.
        let d = Detection::hybrid(remote, Scanner::new(), 1.1, Duration::from_secs(60), 8);
        let text = ["mail jane.doe@example.com"];
        let t0 = Instant::now();
        let first = d.detect_many_at(&text, || t0).await;
        assert_eq!(first.source, vec![DetectionSource::Remote]);
        let later = t0 + Duration::from_secs(59);
        let hit = d.detect_many_at(&text, || later).await;
        assert_eq!(hit.source, vec![DetectionSource::Cached]);
        let expired = t0 + Duration::from_secs(60);
        let again = d.detect_many_at(&text, || expired).await;
        assert_eq!(again.source, vec![DetectionSource::Remote]);
        assert_eq!(up.requests().len(), 2);
    }
}
