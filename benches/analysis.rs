//! Placeholder analysis benchmark (to be replaced): feature hashing of one label.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use lintas::sketch::{hash::feature_hash, FeatureKind};
use std::hint::black_box;

fn feature_hashing(c: &mut Criterion) {
    let mut group = c.benchmark_group("feature_hash");
    group.throughput(Throughput::Elements(1));
    group.bench_function("anchor", |b| {
        b.iter(|| {
            let h = feature_hash(FeatureKind::Anchor, black_box("shanghai"));
            assert_ne!(h, 0);
            h
        })
    });
    group.finish();
}

criterion_group!(benches, feature_hashing);
criterion_main!(benches);
