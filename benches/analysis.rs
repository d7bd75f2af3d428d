//! Throughput of the text half of the pipeline, per language, in bytes of real text.
//!
//! Input: the English and the Indonesian documents of the evaluation pool
//! `../shared/eval/dev-en-id.jsonl` (read at run time, outside the repository; a document's text
//! is its title, a blank line and its body), split by their `lang` field. When that file is
//! absent the bundled sample `examples/data/sample.jsonl` is used instead, repeated to about
//! 1 MB per language (so the numbers stay comparable in size, not in vocabulary). The first line
//! printed names the input.
//!
//! Every benchmark iterates over **all** documents of one language per iteration, and criterion
//! reports bytes per second of that text ([`Throughput::Bytes`]):
//!
//! - `reference/tokenize_and_hash/{en,id}`: a bare reference written here, the least any
//!   word-level pipeline must do: split on non-alphanumeric characters, lowercase ASCII, hash each
//!   word with XXH3-64; the hashes are summed into a checksum compared with the one computed
//!   before timing.
//! - `end_to_end/text_to_signature/{en,id}`: [`Analyzer::analyze`] (normalise, detect, tokenize,
//!   anchors, stopwords, stems, concepts, features) then [`MinHasher::sketch`] of the feature
//!   hashes ([`Analysis::hashes`](lintas::Analysis::hashes)): text to signature, what a caller
//!   pays per document.
//! - `end_to_end/text_to_signature_with_labels/{en,id}`: the same, also making every feature's
//!   label ([`Analysis::features`](lintas::Analysis::features)), as a caller that keeps
//!   explanations (such as `Detector`) does.
//! - `end_to_end/text_to_signature_cold_cache/{en,id}`: the same with a fresh analyser per
//!   iteration (built outside the timed routine), so its word cache starts empty: the lower
//!   bound, for text whose words the process has not seen.
//! - `analysis_only/analyze/{en,id}`: [`Analyzer::analyze`] alone (labels not made).
//! - `sketch_only/sketch/{en,id}`: [`MinHasher::sketch`] alone, over the feature hashes of the
//!   same documents computed before timing; its throughput is in the same bytes of text, so its
//!   share of the end-to-end time is the ratio of the two throughputs.
//! - `detect_only/detect/{en,id}`: [`Analyzer::detect`] (normalise, tokenize, detect) alone.
//! - `end_to_end/gaoya_text_to_signature/{en,id}`: **a peer**, the `gaoya` crate (pinned in
//!   `benches/Cargo.toml`) on the same texts: each text lowercased (`str::to_lowercase`), split
//!   on whitespace (`split_whitespace`), every window of 5 words (`[&str]`, hashed by
//!   `MinHasher32`'s own FNV build hasher) given to `gaoya::minhash::MinHasher32::new(128)`'s
//!   `create_signature`: 128 hashes over word 5-grams, one core. (gaoya's own helpers do
//!   something else: `whitespace_split` also splits on punctuation and `shingle_tokens` joins a
//!   window into a new `String` without a separator.) Its check is the sum of every
//!   signature's values, computed before timing.
//! - `ratio/{en,id}`: lintas against gaoya in the same run. Each iteration makes the signature
//!   of every document of the language with lintas (as `text_to_signature`) and with gaoya (as
//!   `gaoya_text_to_signature`), in alternating order, each pass timed apart; criterion's time is
//!   that of the pair. After the group, the bench prints for each language the median throughput
//!   of each over the group's samples (10 interleaved samples of several passes each) and
//!   `ratio en: X.XX×`, lintas's median throughput over gaoya's. Only ratios from one run mean
//!   anything on a shared machine; this is the figure to cite.
//!
//! Every timed loop checks a count computed once before timing (total features, total
//! signature cardinality, documents detected as their language, the reference checksum), so a
//! broken pipeline cannot post a fast time.
//!
//! One [`Analyzer`] is built before timing and shared by all iterations. Its per-language word
//! cache is part of the design (a long-running process analyses many documents with one
//! analyser), so it is warmed by analysing every document once before timing: the numbers are
//! steady-state throughput, with every word of the set already cached (except
//! `text_to_signature_cold_cache`).
//!
//! Targets: end-to-end ≥ 50 MB/s per core and ≥ 0.22× the reference; sketching ≤ 10% of the
//! end-to-end time; text to signature ≥ 1.5× gaoya's throughput (`ratio`, goal 2×).
//!
//! Run with `cargo bench --bench analysis`; one stage with e.g. `cargo bench --bench analysis --
//! end_to_end`, one language with `-- /id`, the peer comparison alone with `-- ratio`. Timings
//! on a shared machine drift; instruction counts do not: `benches/examples/instructions.rs`
//! runs one pass of either pipeline for callgrind (DESIGN.md, "Measured speed").

use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BatchSize, BenchmarkGroup, BenchmarkId, Criterion,
    SamplingMode, Throughput,
};
use gaoya::minhash::{MinHasher as _, MinHasher32};
use lintas::{Analyzer, Lang, MinHasher};
use serde_json::Value;
use std::cell::RefCell;
use std::hash::BuildHasher;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};
use xxhash_rust::xxh3::xxh3_64;

/// The evaluation pool, outside the repository.
const EVAL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/eval/dev-en-id.jsonl"
);
/// The bundled sample, the fallback when the evaluation pool is absent.
const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/data/sample.jsonl");
/// Bytes per language the repeated fallback sample is grown to.
const FALLBACK_BYTES: usize = 1 << 20;

/// The documents of one language.
struct Docs {
    lang: Lang,
    code: &'static str,
    texts: Vec<String>,
    bytes: u64,
}

/// `(lang, title + "\n\n" + text)` of every line of a JSONL file.
fn read_jsonl(path: &str) -> Vec<(String, String)> {
    let data = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    data.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("valid JSON line");
            let lang = v["lang"].as_str().expect("lang").to_string();
            let body = v["text"].as_str().unwrap_or_default();
            let text = match v["title"].as_str() {
                Some(t) if !t.is_empty() => format!("{t}\n\n{body}"),
                _ => body.to_string(),
            };
            (lang, text)
        })
        .collect()
}

/// English and Indonesian documents: the evaluation pool, or the repeated sample.
fn load() -> Vec<Docs> {
    let (source, rows, repeat) = if Path::new(EVAL).exists() {
        (EVAL, read_jsonl(EVAL), false)
    } else {
        (SAMPLE, read_jsonl(SAMPLE), true)
    };
    let sets: Vec<Docs> = [(Lang::English, "en"), (Lang::Indonesian, "id")]
        .into_iter()
        .map(|(lang, code)| {
            let base: Vec<String> = rows
                .iter()
                .filter(|(l, _)| l == code)
                .map(|(_, t)| t.clone())
                .collect();
            assert!(!base.is_empty(), "no `{code}` document in {source}");
            let mut texts = base.clone();
            while repeat && texts.iter().map(String::len).sum::<usize>() < FALLBACK_BYTES {
                texts.extend(base.iter().cloned());
            }
            let bytes = texts.iter().map(|t| t.len() as u64).sum();
            Docs {
                lang,
                code,
                texts,
                bytes,
            }
        })
        .collect();
    eprintln!(
        "analysis bench input: {}{}",
        std::fs::canonicalize(source).map_or_else(|_| source.into(), |p| p.display().to_string()),
        if repeat { " (repeated)" } else { "" }
    );
    for d in &sets {
        eprintln!(
            "  {}: {} documents, {} bytes",
            d.code,
            d.texts.len(),
            d.bytes
        );
    }
    sets
}

/// The reference: split on non-alphanumeric characters, lowercase ASCII, XXH3-64 each word,
/// sum the hashes. `word` is a reused buffer.
fn reference_checksum(text: &str, word: &mut String) -> u64 {
    let mut sum = 0u64;
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        if w.is_empty() {
            continue;
        }
        word.clear();
        word.push_str(w);
        word.make_ascii_lowercase();
        sum = sum.wrapping_add(xxh3_64(word.as_bytes()));
    }
    sum
}

/// The peer's signature of one text: lowercase, split on whitespace, every window of
/// [`GAOYA_SHINGLE`] words hashed as `MinHasher32` hashes an item (its build hasher over the
/// window's `Hash`), [`GAOYA_HASHES`] values.
fn gaoya_signature<B: BuildHasher>(hasher: &MinHasher32<B>, text: &str) -> Vec<u32> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    hasher.create_signature(words.windows(GAOYA_SHINGLE))
}

/// Words per shingle of the peer.
const GAOYA_SHINGLE: usize = 5;
/// Hashes per signature of the peer (lintas's default too).
const GAOYA_HASHES: usize = 128;

/// The check of the peer's loops: the sum of every value of every signature.
fn gaoya_checksum<B: BuildHasher>(hasher: &MinHasher32<B>, docs: &Docs) -> u64 {
    docs.texts
        .iter()
        .flat_map(|t| gaoya_signature(hasher, black_box(t)))
        .map(u64::from)
        .sum()
}

/// One pass of lintas over a language's documents, text to signature; the features counted.
fn lintas_pass(analyzer: &Analyzer, hasher: &MinHasher, docs: &Docs) -> usize {
    let mut features = 0usize;
    for t in &docs.texts {
        let analysis = analyzer.analyze(black_box(t));
        let sig = hasher.sketch(analysis.hashes());
        features += analysis.hashes().len();
        black_box(&sig);
    }
    features
}

/// The median of a non-empty list.
fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

/// Counts computed once, before timing, that every timed loop must reproduce.
struct Expected {
    /// Sum of the reference checksums.
    checksum: u64,
    /// Features over all documents.
    features: usize,
    /// Feature hashes of every document (the input of `sketch_only`).
    hashes: Vec<Vec<u64>>,
    /// Documents detected as the set's language.
    detected: usize,
    /// Sum of the values of the peer's signatures.
    gaoya: u64,
}

fn expected<B: BuildHasher>(
    analyzer: &Analyzer,
    hasher: &MinHasher,
    peer: &MinHasher32<B>,
    docs: &Docs,
) -> Expected {
    let mut word = String::new();
    let checksum = docs.texts.iter().fold(0u64, |s, t| {
        s.wrapping_add(reference_checksum(t, &mut word))
    });
    assert_ne!(checksum, 0);
    // This pass also warms the analyser's word cache (see the module documentation).
    let hashes: Vec<Vec<u64>> = docs
        .texts
        .iter()
        .map(|t| {
            let analysis = analyzer.analyze(t);
            let hashes = analysis.hashes().to_vec();
            assert!(hashes
                .iter()
                .eq(analysis.features().iter().map(|f| &f.hash)));
            hashes
        })
        .collect();
    let features: usize = hashes.iter().map(Vec::len).sum();
    assert!(features > 0, "no feature in the {} documents", docs.code);
    let cardinality: u64 = hashes.iter().map(|h| hasher.sketch(h).cardinality()).sum();
    assert_eq!(cardinality, features as u64, "features are distinct");
    let detected = docs
        .texts
        .iter()
        .filter(|t| analyzer.detect(t).lang() == Some(docs.lang))
        .count();
    eprintln!(
        "  {}: {features} features ({:.1} per document), {detected} of {} documents detected as {}",
        docs.code,
        features as f64 / docs.texts.len() as f64,
        docs.texts.len(),
        docs.code,
    );
    let gaoya = gaoya_checksum(peer, docs);
    assert_ne!(gaoya, 0);
    Expected {
        checksum,
        features,
        hashes,
        detected,
        gaoya,
    }
}

/// A group with the settings of every group here: each iteration reads about a megabyte and
/// the machine is shared, so few samples of a fixed number of iterations each (flat sampling:
/// an iteration takes up to ~100 ms, too long for criterion's linear sampling).
fn configure<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    group
}

fn bench_analysis(c: &mut Criterion) {
    let sets = load();
    let analyzer = Analyzer::new();
    let hasher = MinHasher::new();
    let peer = MinHasher32::new(GAOYA_HASHES);
    let expected: Vec<Expected> = sets
        .iter()
        .map(|d| expected(&analyzer, &hasher, &peer, d))
        .collect();

    let mut group = configure(c, "reference");
    for (docs, exp) in sets.iter().zip(&expected) {
        group.throughput(Throughput::Bytes(docs.bytes));
        group.bench_function(BenchmarkId::new("tokenize_and_hash", docs.code), |b| {
            let mut word = String::new();
            b.iter(|| {
                let mut sum = 0u64;
                for t in &docs.texts {
                    sum = sum.wrapping_add(reference_checksum(black_box(t), &mut word));
                }
                assert_ne!(sum, 0);
                assert_eq!(sum, exp.checksum);
                sum
            })
        });
    }
    group.finish();

    let mut group = configure(c, "end_to_end");
    for (docs, exp) in sets.iter().zip(&expected) {
        group.throughput(Throughput::Bytes(docs.bytes));
        group.bench_function(BenchmarkId::new("text_to_signature", docs.code), |b| {
            b.iter(|| {
                let mut features = 0usize;
                let mut cardinality = 0u64;
                for t in &docs.texts {
                    let analysis = analyzer.analyze(black_box(t));
                    let sig = hasher.sketch(analysis.hashes());
                    features += analysis.hashes().len();
                    cardinality += sig.cardinality();
                    black_box(&sig);
                }
                assert_eq!(features, exp.features);
                assert_eq!(cardinality, exp.features as u64);
                features
            })
        });
        // The peer on the same texts (see the module documentation).
        group.bench_function(
            BenchmarkId::new("gaoya_text_to_signature", docs.code),
            |b| {
                b.iter(|| {
                    let sum = gaoya_checksum(&peer, docs);
                    assert_eq!(sum, exp.gaoya);
                    sum
                })
            },
        );
        // The same, also making every feature's label (what a caller that keeps explanations,
        // such as `Detector`, pays before indexing).
        group.bench_function(
            BenchmarkId::new("text_to_signature_with_labels", docs.code),
            |b| {
                b.iter(|| {
                    let mut features = 0usize;
                    let mut label_bytes = 0usize;
                    for t in &docs.texts {
                        let analysis = analyzer.analyze(black_box(t));
                        let sig = hasher.sketch(analysis.hashes());
                        features += analysis.features().len();
                        label_bytes += analysis
                            .features()
                            .iter()
                            .map(|f| f.label.len())
                            .sum::<usize>();
                        black_box(&sig);
                    }
                    assert_eq!(features, exp.features);
                    assert!(label_bytes > features);
                    features
                })
            },
        );
        // The same with an empty word cache: a fresh analyser per iteration (built outside
        // the timed routine), so every word of the set is looked up once. The lower bound,
        // for a process that sees each word for the first time.
        group.bench_function(
            BenchmarkId::new("text_to_signature_cold_cache", docs.code),
            |b| {
                b.iter_batched(
                    Analyzer::new,
                    |cold| {
                        let mut features = 0usize;
                        for t in &docs.texts {
                            let analysis = cold.analyze(black_box(t));
                            let sig = hasher.sketch(analysis.hashes());
                            features += analysis.hashes().len();
                            black_box(&sig);
                        }
                        assert_eq!(features, exp.features);
                        cold
                    },
                    BatchSize::PerIteration,
                )
            },
        );
    }
    group.finish();

    let mut group = configure(c, "analysis_only");
    for (docs, exp) in sets.iter().zip(&expected) {
        group.throughput(Throughput::Bytes(docs.bytes));
        group.bench_function(BenchmarkId::new("analyze", docs.code), |b| {
            b.iter(|| {
                let mut features = 0usize;
                for t in &docs.texts {
                    let analysis = analyzer.analyze(black_box(t));
                    features += analysis.hashes().len();
                    black_box(&analysis);
                }
                assert_eq!(features, exp.features);
                features
            })
        });
    }
    group.finish();

    let mut group = configure(c, "sketch_only");
    for (docs, exp) in sets.iter().zip(&expected) {
        group.throughput(Throughput::Bytes(docs.bytes));
        group.bench_function(BenchmarkId::new("sketch", docs.code), |b| {
            b.iter(|| {
                let mut cardinality = 0u64;
                for h in &exp.hashes {
                    let sig = hasher.sketch(black_box(h));
                    cardinality += sig.cardinality();
                    black_box(&sig);
                }
                assert_eq!(cardinality, exp.features as u64);
                cardinality
            })
        });
    }
    group.finish();

    let mut group = configure(c, "detect_only");
    for (docs, exp) in sets.iter().zip(&expected) {
        group.throughput(Throughput::Bytes(docs.bytes));
        group.bench_function(BenchmarkId::new("detect", docs.code), |b| {
            b.iter(|| {
                let detected = docs
                    .texts
                    .iter()
                    .filter(|t| analyzer.detect(black_box(t)).lang() == Some(docs.lang))
                    .count();
                assert_eq!(detected, exp.detected);
                detected
            })
        });
    }
    group.finish();

    // lintas against the peer, interleaved in one run (see the module documentation).
    let mut group = c.benchmark_group("ratio");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(RATIO_SAMPLES)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    let mut summaries = Vec::new();
    for (docs, exp) in sets.iter().zip(&expected) {
        // Per call of the routine (a warm-up round or a sample): (lintas, gaoya) seconds.
        let calls: RefCell<Vec<(f64, f64)>> = RefCell::new(Vec::new());
        group.throughput(Throughput::Bytes(2 * docs.bytes));
        group.bench_function(docs.code, |b| {
            b.iter_custom(|iters| {
                let (mut ours, mut theirs) = (Duration::ZERO, Duration::ZERO);
                for i in 0..iters {
                    let lintas = |total: &mut Duration| {
                        let start = Instant::now();
                        let features = lintas_pass(&analyzer, &hasher, docs);
                        *total += start.elapsed();
                        assert_eq!(features, exp.features);
                    };
                    let gaoya = |total: &mut Duration| {
                        let start = Instant::now();
                        let sum = gaoya_checksum(&peer, docs);
                        *total += start.elapsed();
                        assert_eq!(sum, exp.gaoya);
                    };
                    if i % 2 == 0 {
                        lintas(&mut ours);
                        gaoya(&mut theirs);
                    } else {
                        gaoya(&mut theirs);
                        lintas(&mut ours);
                    }
                }
                let per = |d: Duration| d.as_secs_f64() / iters as f64;
                calls.borrow_mut().push((per(ours), per(theirs)));
                ours + theirs
            })
        });
        // The samples are the last calls (flat sampling: warm-up calls come first).
        let calls = calls.into_inner();
        let samples = &calls[calls.len().saturating_sub(RATIO_SAMPLES)..];
        if !samples.is_empty() {
            let mbs = |s: f64| docs.bytes as f64 / s / 1e6;
            let ours = median(samples.iter().map(|&(l, _)| mbs(l)).collect());
            let theirs = median(samples.iter().map(|&(_, g)| mbs(g)).collect());
            summaries.push(format!(
                "ratio {}: {:.2}× (lintas {ours:.1} MB/s, gaoya {theirs:.1} MB/s; medians of {} interleaved samples)",
                docs.code,
                ours / theirs,
                samples.len()
            ));
        }
    }
    group.finish();
    for line in summaries {
        println!("{line}");
    }
}

/// Samples of the `ratio` group, each several interleaved passes of lintas and gaoya.
const RATIO_SAMPLES: usize = 10;

criterion_group!(benches, bench_analysis);
criterion_main!(benches);
