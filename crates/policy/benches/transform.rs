//! The request-side transform (scan + decide + pseudonymize, then restore
//! of the reply) on 2 KB prompts, and the streaming reply transform's
//! throughput and cost per chunk. Inputs are the detection bench's
//! generated texts; `cargo xtask bench` prints p50/p99 figures for the
//! same work.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use deepsentinel_detect::Scanner;
use deepsentinel_policy::stream::StreamConfig;
use deepsentinel_policy::{Anonymizer, CompliancePolicy, Guard, Keys, PolicySet, Vault};

#[path = "../../detect/benches/inputs/mod.rs"]
mod inputs;

fn guard() -> Guard {
    let policy =
        CompliancePolicy::preset("staging").unwrap_or_else(|_| CompliancePolicy::default_policy());
    let Ok(set) = PolicySet::single(policy) else {
        unreachable!("presets are valid")
    };
    Guard::new(Scanner::new(), set, Anonymizer::new(Keys::none()))
}

fn transform(c: &mut Criterion) {
    let g = guard();
    let mut group = c.benchmark_group("policy");
    for (name, dense) in [("2 KB clean", false), ("2 KB dense", true)] {
        let text = if dense {
            inputs::dense(2 << 10, 7)
        } else {
            inputs::clean(2 << 10, 7)
        };
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("protect+restore {name}"), |b| {
            b.iter(|| {
                let mut vault = Vault::new();
                let Ok(p) = g.protect(std::hint::black_box(&text), &mut vault) else {
                    return 0;
                };
                vault.restore(&p.text).len()
            })
        });
        let mut vault = Vault::new();
        let Ok(sent) = g.protect(&text, &mut vault) else {
            continue;
        };
        let cfg = StreamConfig::default();
        group.bench_function(format!("reply stream 16-byte chunks {name}"), |b| {
            b.iter(|| {
                let mut s = g.reply_stream(&vault, &cfg);
                let mut out = String::new();
                for chunk in sent.text.as_bytes().chunks(16) {
                    if s.push_bytes(chunk, &mut out).is_err() {
                        break;
                    }
                }
                let _ = s.finish(&mut out);
                out.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, transform);
criterion_main!(benches);
