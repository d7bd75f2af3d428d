//! Benchmarks of the similarity core: signature construction (one-permutation vs the naive
//! k-hash baseline), estimates, and the LSH index at 10k / 100k / 1M signatures.
//!
//! Groups:
//!
//! - `signature`, `estimate`: synthetic features (SplitMix64 outputs).
//! - `lsh`: the index over synthetic documents (300 random features each, groups of 20
//!   near-duplicates): build, `top_k`, raw candidates, remove + insert.
//! - `index`: **the one to cite.** The index over perturbed copies of real documents: every
//!   document of `../shared/eval/dev-en-id.jsonl` (read at run time, outside the repository; the
//!   bundled `examples/data/sample.jsonl` when it is absent) is analysed once with
//!   [`Analyzer::new`] into its feature hashes; 10% of them are held out, and the index is
//!   filled with copies of random other ones, each with 20–30% of its features replaced by fresh
//!   random `u64`s (SplitMix64, fixed seed), until it holds N signatures. Queries are further
//!   copies: `top_k_indexed_base` copies bases that have copies in the index (so the result must
//!   not be empty), `top_k_held_out_base` copies held-out bases (the common case of a new story;
//!   its results are the same-topic or translated documents the pool holds). Both time one
//!   `top_k(query, 10, 0.3)` per iteration. After each build, the p50 / p99 latency of 2,000
//!   queries of each kind, timed one by one with `Instant`, and `memory_bytes() / len()` are
//!   printed. With ~1,260 bases, the 1M index holds ~790 copies of each base: every
//!   `top_k_indexed_base` query has hundreds of near-duplicates at Jaccard ≈ 0.4 to re-score, far
//!   more than a news stream holds, so read it as a dense-duplicate worst case.
//!
//! All LSH indexes use the bands of a default [`Corpus`] (`Corpus::new().lsh_params()`: the
//! candidate threshold 0.4 of 128 hashes, 32 bands × 4 rows), so the numbers are those of the
//! configuration users get.
//!
//! Run one group with e.g. `cargo bench --bench sketch -- index` (one size:
//! `-- index/top_k_indexed_base/1000000`). Every timed loop checks its result against a value
//! computed before timing, so a broken pipeline cannot post a fast time.

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use lintas::{Analyzer, Corpus, LshIndex, LshParams, MinHasher, Signature};
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

/// The LSH bands of a default [`Corpus`] (candidate threshold 0.4 over 128 hashes).
fn corpus_params(hasher: &MinHasher) -> LshParams {
    let params = Corpus::new().lsh_params();
    assert!(params.hashes_used() <= hasher.num_hashes());
    params
}

fn build_fixture(n: usize, hasher: &MinHasher) -> Fixture {
    let start = Instant::now();
    let signatures: Vec<Signature> = (0..n)
        .into_par_iter()
        .map(|i| hasher.sketch(&document(i / GROUP, (i % GROUP) as u64)))
        .collect();
    let params = corpus_params(hasher);
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
    let params = corpus_params(&hasher);
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

// ---------------------------------------------------------------------------------------------
// `index`: the LSH index over perturbed copies of real documents.

/// The evaluation pool, outside the repository.
const EVAL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/eval/dev-en-id.jsonl"
);
/// The bundled sample, the fallback when the evaluation pool is absent.
const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/data/sample.jsonl");
/// Seed of every random choice of the `index` group.
const SEED: u64 = 0x6c69_6e74_6173_2162;
/// Share of the real documents held out of the index (in percent).
const HELD_OUT_PERCENT: usize = 10;
/// A copy replaces between this many percent of its base's features…
const PERTURB_MIN_PERCENT: u64 = 20;
/// …and this many (inclusive), chosen per copy.
const PERTURB_MAX_PERCENT: u64 = 30;
/// Queries of each kind, timed one by one for the percentiles and rotated through by criterion.
const LATENCY_QUERIES: usize = 2_000;

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny deterministic generator, no dependency.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        let out = splitmix(self.0);
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        out
    }

    /// A number in `0..n` (modulo bias below 2^-40 for the sizes used here).
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// The feature hashes of every document of the evaluation pool (or the sample), analysed once.
fn real_feature_sets() -> Vec<Vec<u64>> {
    let path = if std::path::Path::new(EVAL).exists() {
        EVAL
    } else {
        SAMPLE
    };
    let data = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let texts: Vec<String> = data
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).expect("valid JSON line");
            let body = v["text"].as_str().unwrap_or_default();
            match v["title"].as_str() {
                Some(t) if !t.is_empty() => format!("{t}\n\n{body}"),
                _ => body.to_string(),
            }
        })
        .collect();
    let analyzer = Analyzer::new();
    let sets: Vec<Vec<u64>> = texts
        .par_iter()
        .map(|t| analyzer.analyze(t).hashes().to_vec())
        .filter(|h: &Vec<u64>| !h.is_empty())
        .collect();
    let features: usize = sets.iter().map(Vec::len).sum();
    eprintln!(
        "index: bases from {}: {} documents with features ({} without), {:.1} features per document",
        std::fs::canonicalize(path).map_or_else(|_| path.into(), |p| p.display().to_string()),
        sets.len(),
        texts.len() - sets.len(),
        features as f64 / sets.len() as f64,
    );
    assert!(sets.len() >= 2, "too few documents with features in {path}");
    sets
}

/// A copy of `base` with 20–30% of its features (each independently, with a rate drawn per
/// copy) replaced by fresh random `u64`s.
fn perturbed_copy(base: &[u64], rng: &mut Rng) -> Vec<u64> {
    let span = (PERTURB_MAX_PERCENT - PERTURB_MIN_PERCENT + 1) as usize;
    let percent = PERTURB_MIN_PERCENT + rng.below(span) as u64;
    base.iter()
        .map(|&f| {
            if rng.next_u64() % 100 < percent {
                rng.next_u64()
            } else {
                f
            }
        })
        .collect()
}

/// The real documents, split into bases that get copies in the index and held-out ones.
struct Bases {
    features: Vec<Vec<u64>>,
    indexed: Vec<usize>,
    held_out: Vec<usize>,
}

impl Bases {
    fn new() -> Bases {
        let features = real_feature_sets();
        // Fisher–Yates with the fixed seed, then the first 10% are held out.
        let mut order: Vec<usize> = (0..features.len()).collect();
        let mut rng = Rng::new(SEED);
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        let held = (features.len() * HELD_OUT_PERCENT / 100).max(1);
        let held_out = order[..held].to_vec();
        let indexed = order[held..].to_vec();
        Bases {
            features,
            indexed,
            held_out,
        }
    }

    /// Copy number `copy` of stream `stream`, of a base drawn from `pool`: deterministic
    /// whatever the thread that computes it.
    fn copy(&self, pool: &[usize], stream: u64, copy: u64) -> Vec<u64> {
        let mut rng = Rng::new(splitmix(SEED ^ (stream << 48) ^ copy));
        let base = pool[rng.below(pool.len())];
        perturbed_copy(&self.features[base], &mut rng)
    }
}

/// Queries of one kind and their `top_k` result lengths, computed before timing.
struct Queries {
    signatures: Vec<Signature>,
    expected: Vec<usize>,
}

struct RealFixture {
    index: LshIndex<u32>,
    /// Copies of bases that have copies in the index, each with a non-empty result.
    indexed_base: Queries,
    /// Copies of held-out bases.
    held_out_base: Queries,
}

/// `p`-quantile (nearest rank) of sorted durations.
fn quantile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Times each query once with `Instant`, prints the percentiles and the result statistics, and
/// returns the queries (only those with a result when `require_result`) with their result
/// lengths.
fn measure_queries(
    index: &LshIndex<u32>,
    signatures: Vec<Signature>,
    label: &str,
    require_result: bool,
) -> Queries {
    let mut times = Vec::with_capacity(signatures.len());
    let mut lengths = Vec::with_capacity(signatures.len());
    let mut candidates = 0usize;
    for sig in &signatures {
        let start = Instant::now();
        let hits = index
            .top_k(black_box(sig), TOP, MIN_SIMILARITY)
            .expect("compatible")
            .len();
        times.push(start.elapsed());
        lengths.push(hits);
        candidates += index.query(sig).expect("compatible").len();
    }
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    times.sort_unstable();
    let empty = lengths.iter().filter(|&&l| l == 0).count();
    eprintln!(
        "index/{}: {label}: {} queries: top_k latency p50 {:.1?}, p99 {:.1?}, mean {mean:.1?}, \
         max {:.1?}; {:.1} LSH candidates and {:.2} results (>= {MIN_SIMILARITY}, at most {TOP}) \
         per query; {empty} without a result",
        index.len(),
        signatures.len(),
        quantile(&times, 0.50),
        quantile(&times, 0.99),
        times[times.len() - 1],
        candidates as f64 / signatures.len() as f64,
        lengths.iter().sum::<usize>() as f64 / signatures.len() as f64,
    );
    let (signatures, expected): (Vec<Signature>, Vec<usize>) = signatures
        .into_iter()
        .zip(lengths)
        .filter(|&(_, l)| l > 0 || !require_result)
        .unzip();
    assert!(!signatures.is_empty(), "no {label} query has a result");
    Queries {
        signatures,
        expected,
    }
}

/// The resident set size of this process in bytes (Linux; `None` elsewhere): a check of the
/// index's own `memory_bytes` estimate, which leaves allocator overhead out.
fn resident_bytes() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn build_real_fixture(n: usize, bases: &Bases, hasher: &MinHasher) -> RealFixture {
    let rss_before = resident_bytes();
    let start = Instant::now();
    let signatures: Vec<Signature> = (0..n as u64)
        .into_par_iter()
        .map(|i| hasher.sketch(&bases.copy(&bases.indexed, 0, i)))
        .collect();
    let sketched = start.elapsed();
    let params = corpus_params(hasher);
    let mut index = LshIndex::new(params);
    for (i, sig) in signatures.into_iter().enumerate() {
        index
            .insert(u32::try_from(i).expect("fits"), sig)
            .expect("compatible");
    }
    assert_eq!(index.len(), n);
    let rss_growth = match (rss_before, resident_bytes()) {
        (Some(before), Some(after)) => format!(
            "{} per signature",
            after.saturating_sub(before) / index.len()
        ),
        _ => "unknown".to_string(),
    };
    eprintln!(
        "index/{n}: {n} copies of {} bases ({:.0} per base) sketched in {sketched:.1?}, \
         indexed in {:.1?} with {params:?}; memory_bytes = {} ({} per signature; \
         resident set grew by {rss_growth})",
        bases.indexed.len(),
        n as f64 / bases.indexed.len() as f64,
        start.elapsed() - sketched,
        index.memory_bytes(),
        index.memory_bytes() / index.len(),
    );
    let queries = |pool: &[usize], stream: u64| -> Vec<Signature> {
        (0..LATENCY_QUERIES as u64)
            .into_par_iter()
            .map(|q| hasher.sketch(&bases.copy(pool, stream, q)))
            .collect()
    };
    let indexed_base = measure_queries(
        &index,
        queries(&bases.indexed, 1),
        "copies of indexed bases",
        true,
    );
    let held_out_base = measure_queries(
        &index,
        queries(&bases.held_out, 2),
        "copies of held-out bases",
        false,
    );
    RealFixture {
        index,
        indexed_base,
        held_out_base,
    }
}

fn bench_index(c: &mut Criterion) {
    let hasher = MinHasher::new();
    // Analysed lazily, so that a filter excluding the group does not pay for it.
    let mut bases: Option<Bases> = None;
    let mut group = c.benchmark_group("index");
    group.throughput(Throughput::Elements(1));
    for n in [10_000usize, 100_000, 1_000_000] {
        group
            .sample_size(if n >= 1_000_000 { 10 } else { 30 })
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3));
        let mut fixture: Option<RealFixture> = None;
        group.bench_function(BenchmarkId::new("top_k_indexed_base", n), |b| {
            let bases = bases.get_or_insert_with(Bases::new);
            let f = fixture.get_or_insert_with(|| build_real_fixture(n, bases, &hasher));
            let q = &f.indexed_base;
            let mut next = 0usize;
            b.iter(|| {
                let i = next % q.signatures.len();
                next += 1;
                let result = f
                    .index
                    .top_k(black_box(&q.signatures[i]), TOP, MIN_SIMILARITY)
                    .expect("compatible");
                assert!(!result.is_empty());
                assert_eq!(result.len(), q.expected[i]);
                result.len()
            })
        });
        group.bench_function(BenchmarkId::new("top_k_held_out_base", n), |b| {
            let bases = bases.get_or_insert_with(Bases::new);
            let f = fixture.get_or_insert_with(|| build_real_fixture(n, bases, &hasher));
            let q = &f.held_out_base;
            let mut next = 0usize;
            b.iter(|| {
                let i = next % q.signatures.len();
                next += 1;
                let result = f
                    .index
                    .top_k(black_box(&q.signatures[i]), TOP, MIN_SIMILARITY)
                    .expect("compatible");
                assert_eq!(result.len(), q.expected[i]);
                result.len()
            })
        });
        drop(fixture);
    }
    group.finish();
}

criterion_group!(
    benches,
    bench_signature,
    bench_estimate,
    bench_lsh,
    bench_index
);
criterion_main!(benches);
