//! SSE decoder throughput on a realistic OpenAI stream (one small event per
//! token), fed whole and in network-sized reads.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use deepsentinel_providers::sse::{SseDecoder, SseEvent};

fn stream_bytes(target: usize) -> Vec<u8> {
    let words = [
        "Hello", " there", ",", " how", " can", " I", " help", " you", " today", "?", " 👋", " Ça",
        " va",
    ];
    let mut out = String::new();
    let mut i = 0;
    while out.len() < target {
        let w = words[i % words.len()];
        out.push_str(&format!(
            "data: {{\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,\"model\":\"gpt-4o-mini\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{w}\"}},\"logprobs\":null,\"finish_reason\":null}}]}}\n\n"
        ));
        i += 1;
    }
    out.into_bytes()
}

fn decode(bytes: &[u8], read: usize, out: &mut Vec<SseEvent>) -> usize {
    let mut d = SseDecoder::new();
    out.clear();
    for piece in bytes.chunks(read) {
        if d.decode(piece, out).is_err() {
            return 0;
        }
    }
    out.len()
}

fn bench(c: &mut Criterion) {
    let bytes = stream_bytes(1 << 20);
    let mut g = c.benchmark_group("sse_decode_1MB");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    let mut out = Vec::new();
    for read in [1 << 20, 16 << 10, 1 << 10] {
        g.bench_function(format!("reads_of_{read}"), |b| {
            b.iter(|| decode(black_box(&bytes), read, &mut out))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
