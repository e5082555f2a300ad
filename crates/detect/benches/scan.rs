//! Scanner throughput on generated text: 2 KB prompts and 1 MB documents,
//! clean prose and PII-dense (see `inputs/mod.rs`), all recognizers on.
//! Throughput is reported in bytes. `cargo xtask bench` prints the same
//! inputs' figures as a Markdown table; this bench gives criterion's
//! statistics.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use deepsentinel_detect::Scanner;

mod inputs;

fn scan(c: &mut Criterion) {
    let scanner = Scanner::new();
    let mut group = c.benchmark_group("scan");
    for (name, text) in inputs::standard() {
        group.throughput(Throughput::Bytes(text.len() as u64));
        if text.len() > 100_000 {
            group.sample_size(20);
        } else {
            group.sample_size(100);
        }
        group.bench_function(name, |b| {
            b.iter(|| scanner.scan(std::hint::black_box(&text)))
        });
    }
    group.finish();
}

criterion_group!(benches, scan);
criterion_main!(benches);
