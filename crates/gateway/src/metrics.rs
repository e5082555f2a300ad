//! Prometheus counters and histograms, rendered in the text format.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Latency histogram bucket bounds, seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Debug, Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

#[derive(Debug, Default)]
struct Inner {
    requests: BTreeMap<(String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
    decisions: BTreeMap<String, u64>,
    findings: BTreeMap<String, u64>,
    upstream_errors: BTreeMap<String, u64>,
}

/// The gateway's metrics. Labels are low-cardinality: endpoint names,
/// statuses, decisions, entity types, error labels.
#[derive(Debug, Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        let mut g = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut g)
    }

    /// One finished request.
    pub fn request(&self, endpoint: &str, status: u16, took: Duration) {
        self.with(|m| {
            *m.requests.entry((endpoint.to_owned(), status)).or_insert(0) += 1;
            let h = m.latency.entry(endpoint.to_owned()).or_default();
            let secs = took.as_secs_f64();
            for (i, b) in BUCKETS.iter().enumerate() {
                if secs <= *b {
                    h.counts[i] += 1;
                }
            }
            h.sum += secs;
            h.count += 1;
        });
    }

    /// A compliance decision and its findings by type.
    pub fn decision(&self, decision: &str, findings: &BTreeMap<String, usize>) {
        self.with(|m| {
            *m.decisions.entry(decision.to_owned()).or_insert(0) += 1;
            for (t, n) in findings {
                *m.findings.entry(t.clone()).or_insert(0) += *n as u64;
            }
        });
    }

    /// An error from upstream (or a block), by its label.
    pub fn error(&self, label: &str) {
        self.with(|m| *m.upstream_errors.entry(label.to_owned()).or_insert(0) += 1);
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        self.with(|m| {
            let mut out = String::new();
            let _ = writeln!(out, "# HELP deepsentinel_requests_total Requests served, by endpoint and status.");
            let _ = writeln!(out, "# TYPE deepsentinel_requests_total counter");
            for ((e, s), n) in &m.requests {
                let _ = writeln!(out, "deepsentinel_requests_total{{endpoint=\"{e}\",status=\"{s}\"}} {n}");
            }
            let _ = writeln!(out, "# HELP deepsentinel_request_duration_seconds Request latency, by endpoint.");
            let _ = writeln!(out, "# TYPE deepsentinel_request_duration_seconds histogram");
            for (e, h) in &m.latency {
                for (i, b) in BUCKETS.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "deepsentinel_request_duration_seconds_bucket{{endpoint=\"{e}\",le=\"{b}\"}} {}",
                        h.counts[i]
                    );
                }
                let _ = writeln!(
                    out,
                    "deepsentinel_request_duration_seconds_bucket{{endpoint=\"{e}\",le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(out, "deepsentinel_request_duration_seconds_sum{{endpoint=\"{e}\"}} {}", h.sum);
                let _ = writeln!(out, "deepsentinel_request_duration_seconds_count{{endpoint=\"{e}\"}} {}", h.count);
            }
            let _ = writeln!(out, "# HELP deepsentinel_decisions_total Compliance decisions on requests.");
            let _ = writeln!(out, "# TYPE deepsentinel_decisions_total counter");
            for (d, n) in &m.decisions {
                let _ = writeln!(out, "deepsentinel_decisions_total{{decision=\"{d}\"}} {n}");
            }
            let _ = writeln!(out, "# HELP deepsentinel_findings_total Findings in requests, by entity type.");
            let _ = writeln!(out, "# TYPE deepsentinel_findings_total counter");
            for (t, n) in &m.findings {
                let _ = writeln!(out, "deepsentinel_findings_total{{entity_type=\"{t}\"}} {n}");
            }
            let _ = writeln!(out, "# HELP deepsentinel_errors_total Failed calls, by error label.");
            let _ = writeln!(out, "# TYPE deepsentinel_errors_total counter");
            for (l, n) in &m.upstream_errors {
                let _ = writeln!(out, "deepsentinel_errors_total{{label=\"{l}\"}} {n}");
            }
            out
        })
    }
}
