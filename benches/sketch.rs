//! Benchmarks of the similarity core: signature construction (one-permutation vs the naive
//! k-hash baseline), estimates, and the LSH index at 10k / 100k / 1M signatures.
//!
//! Run one group with e.g. `cargo bench --bench sketch -- signature`. Every timed loop checks
//! its result, so a broken pipeline cannot post a fast time.

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use lintas::{LshIndex, LshParams, MinHasher, Signature};
use rayon::prelude::*;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// SplitMix64 finalizer: a bijection on `u64`, so distinct inputs give distinct features.
fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn random_features(n: usize, stream: u64) -> Vec<u64> {
    (0..n as u64)
        .map(|i| splitmix(i ^ (stream << 40)))
        .collect()
}

fn bench_signature(c: &mut Criterion) {
    let hasher = MinHasher::new();
    let mut group = c.benchmark_group("signature");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for n in [100usize, 1_000, 10_000] {
        let features = random_features(n, 1);
        let mut sorted = features.clone();
        sorted.sort_unstable();
        let weighted: Vec<(u64, u32)> = features.iter().map(|&f| (f, 1 + (f % 8) as u32)).collect();
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("oph", n), &features, |b, f| {
            b.iter(|| {
                let sig = hasher.sketch(black_box(f));
                assert_eq!(sig.cardinality(), n as u64);
                sig
            })
        });
        group.bench_with_input(BenchmarkId::new("oph_sorted_input", n), &sorted, |b, f| {
            b.iter(|| {
                let sig = hasher.sketch(black_box(f));
                assert_eq!(sig.cardinality(), n as u64);
                sig
            })
        });
        group.bench_with_input(BenchmarkId::new("naive_khash", n), &features, |b, f| {
            b.iter(|| {
                let sig = hasher.sketch_naive_khash(black_box(f));
                assert_eq!(sig.cardinality(), n as u64);
                sig
            })
        });
        let total: u64 = weighted.iter().map(|&(_, w)| u64::from(w)).sum();
        group.bench_with_input(BenchmarkId::new("weighted_1to8", n), &weighted, |b, f| {
            b.iter(|| {
                let sig = hasher.sketch_weighted(black_box(f));
                assert_eq!(sig.cardinality(), total);
                sig
            })
        });
    }
    group.finish();
}

fn bench_estimate(c: &mut Criterion) {
    let hasher = MinHasher::new();
    let a = random_features(1000, 2);
    let mut b_features = a[..700].to_vec();
    b_features.extend(random_features(300, 3));
    let (sa, sb) = (hasher.sketch(&a), hasher.sketch(&b_features));
    let mut group = c.benchmark_group("estimate");
    group.throughput(Throughput::Elements(1));
    group.bench_function("jaccard", |b| {
        b.iter(|| {
            let e = black_box(&sa).jaccard(black_box(&sb)).expect("compatible");
            assert!(e.value > 0.3 && e.value < 0.8);
            e
        })
    });
    group.bench_function("containment", |b| {
        b.iter(|| {
            let e = black_box(&sa)
                .containment(black_box(&sb))
                .expect("compatible");
            assert!(e.value > 0.4 && e.value <= 1.0);
            e
        })
    });
    group.bench_function("to_from_bytes", |b| {
        b.iter(|| {
            let back = Signature::from_bytes(&black_box(&sa).to_bytes()).expect("valid");
            assert_eq!(back.cardinality(), 1000);
            back
        })
    });
    group.finish();
}

/// Documents per near-duplicate group: one original and `GROUP - 1` perturbed copies.
const GROUP: usize = 20;
/// Features per document.
const DOC_FEATURES: usize = 300;
/// Fraction of an original's features replaced in each copy (in percent).
const REPLACED_PERCENT: u64 = 30;
/// Query signatures rotated through in the timed loops.
const QUERIES: usize = 1_000;

/// Document `member` of near-duplicate group `group`: member 0 is the original; any other
/// member (including the query members past the indexed ones) replaces ~30% of its features.
fn document(group: usize, member: u64) -> Vec<u64> {
    (0..DOC_FEATURES as u64)
        .map(|j| {
            let original = splitmix(((group as u64) << 20) ^ j ^ (7 << 60));
            if member == 0 {
                return original;
            }
            let r = splitmix(original ^ member.wrapping_mul(0xA24B_AED4_963E_E407));
            if r % 100 < REPLACED_PERCENT {
                splitmix(r ^ (9 << 60)) // a fresh random feature
            } else {
                original
            }
        })
        .collect()
}

struct Fixture {
    index: LshIndex<u64>,
    queries: Vec<Signature>,
    /// `top_k` result lengths of the queries, computed outside the timed loop.
    expected: Vec<usize>,
}

const MIN_SIMILARITY: f64 = 0.3;
const TOP: usize = 10;

fn build_fixture(n: usize, hasher: &MinHasher) -> Fixture {
    let start = Instant::now();
    let signatures: Vec<Signature> = (0..n)
        .into_par_iter()
        .map(|i| hasher.sketch(&document(i / GROUP, (i % GROUP) as u64)))
        .collect();
    let params = LshParams::from_threshold(0.5, hasher.num_hashes()).expect("valid threshold");
    let mut index = LshIndex::new(params);
    for (i, sig) in signatures.into_iter().enumerate() {
        index.insert(i as u64, sig).expect("compatible");
    }
    let groups = n / GROUP;
    let candidates: Vec<Signature> = (0..QUERIES * 2)
        .map(|q| {
            hasher.sketch(&document(
                splitmix(q as u64) as usize % groups,
                1_000 + q as u64,
            ))
        })
        .collect();
    let mut queries = Vec::new();
    let mut expected = Vec::new();
    let mut with_result = 0usize;
    for sig in candidates {
        let hits = index
            .top_k(&sig, TOP, MIN_SIMILARITY)
            .expect("compatible")
            .len();
        with_result += usize::from(hits > 0);
        if hits > 0 && queries.len() < QUERIES {
            queries.push(sig);
            expected.push(hits);
        }
    }
    assert!(!queries.is_empty(), "no query found a near-duplicate");
    let total_candidates: usize = queries
        .iter()
        .map(|q| index.query(q).expect("ok").len())
        .sum();
    eprintln!(
        "lsh/{n}: built in {:.1?} with {params:?}; memory_bytes = {} ({} per signature); \
         {} of {} perturbed copies have a result at >= {MIN_SIMILARITY}; \
         {:.1} candidates per timed query",
        start.elapsed(),
        index.memory_bytes(),
        index.memory_bytes() / index.len(),
        with_result,
        QUERIES * 2,
        total_candidates as f64 / queries.len() as f64,
    );
    Fixture {
        index,
        queries,
        expected,
    }
}

fn bench_lsh(c: &mut Criterion) {
    let hasher = MinHasher::new();
    let mut group = c.benchmark_group("lsh");
    group.throughput(Throughput::Elements(1));

    // Building from scratch: 10k signatures per iteration.
    let sigs: Vec<Signature> = (0..10_000)
        .map(|i| hasher.sketch(&document(i / GROUP, (i % GROUP) as u64)))
        .collect();
    let params = LshParams::from_threshold(0.5, 128).expect("valid");
    group.throughput(Throughput::Elements(sigs.len() as u64));
    group.sample_size(10);
    group.bench_function("build/10000", |b| {
        b.iter_batched(
            || sigs.clone(),
            |sigs| {
                let mut index = LshIndex::new(params);
                for (i, sig) in sigs.into_iter().enumerate() {
                    index.insert(i, sig).expect("compatible");
                }
                assert_eq!(index.len(), 10_000);
                index
            },
            BatchSize::LargeInput,
        )
    });
    drop(sigs);

    group.throughput(Throughput::Elements(1));
    for n in [10_000usize, 100_000, 1_000_000] {
        if n >= 1_000_000 {
            group
                .sample_size(10)
                .warm_up_time(Duration::from_secs(1))
                .measurement_time(Duration::from_secs(3));
        } else {
            group
                .sample_size(30)
                .warm_up_time(Duration::from_secs(1))
                .measurement_time(Duration::from_secs(3));
        }
        // Built lazily, so that a filter excluding this size does not pay for it.
        let mut fixture: Option<Fixture> = None;
        group.bench_function(BenchmarkId::new("top_k", n), |b| {
            let f = fixture.get_or_insert_with(|| build_fixture(n, &hasher));
            let mut next = 0usize;
            b.iter(|| {
                let i = next % f.queries.len();
                next += 1;
                let result = f
                    .index
                    .top_k(black_box(&f.queries[i]), TOP, MIN_SIMILARITY)
                    .expect("compatible");
                assert_eq!(result.len(), f.expected[i]);
                result.len()
            })
        });
        group.bench_function(BenchmarkId::new("query_candidates", n), |b| {
            let f = fixture.get_or_insert_with(|| build_fixture(n, &hasher));
            let mut next = 0usize;
            b.iter(|| {
                let i = next % f.queries.len();
                next += 1;
                let result = f.index.query(black_box(&f.queries[i])).expect("compatible");
                assert!(!result.is_empty());
                result.len()
            })
        });
        // Removing a stored signature and inserting it again (the index keeps its size).
        group.bench_function(BenchmarkId::new("remove_insert", n), |b| {
            let f = fixture.get_or_insert_with(|| build_fixture(n, &hasher));
            let mut next = 0u64;
            b.iter(|| {
                let key = splitmix(next) % n as u64;
                next += 1;
                let sig = f.index.remove(black_box(&key)).expect("stored");
                f.index.insert(key, sig).expect("compatible");
                assert_eq!(f.index.len(), n);
            })
        });
        drop(fixture);
    }
    group.finish();
}

criterion_group!(benches, bench_signature, bench_estimate, bench_lsh);
criterion_main!(benches);
