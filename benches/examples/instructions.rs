//! One pass of text → signature over the documents of one language, lintas or the gaoya peer,
//! inside a function of its own, so that callgrind counts exactly that pass: instruction
//! counts do not drift with the machine's load, so they compare two builds where timings on
//! a shared machine cannot.
//!
//! ```text
//! cargo build --release -p lintas-benches --example instructions
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='instructions::timed_*' \
//!     target/release/examples/instructions id lintas
//! ```
//!
//! Arguments: the language (`en` or `id`, default `en`) and `lintas` (default) or `gaoya`.
//! The input is that of `cargo bench --bench analysis` (`../shared/eval/dev-en-id.jsonl`,
//! title and text), without the fallback: the bundled sample is too small to count on. The
//! analyser's word cache is warmed by one untimed pass first, as in the bench; the number of
//! documents is printed, so `Collected` / documents is the count per document.

use gaoya::minhash::{MinHasher as _, MinHasher32};
use lintas::{Analyzer, MinHasher};
use serde_json::Value;
use std::hash::BuildHasher;
use std::hint::black_box;

const EVAL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/eval/dev-en-id.jsonl"
);

#[inline(never)]
fn timed_lintas(analyzer: &Analyzer, hasher: &MinHasher, texts: &[String]) -> usize {
    let mut features = 0;
    for t in texts {
        let analysis = analyzer.analyze(black_box(t));
        let sig = hasher.sketch(analysis.hashes());
        features += analysis.hashes().len();
        black_box(&sig);
    }
    features
}

/// The peer exactly as `benches/analysis.rs` runs it.
#[inline(never)]
fn timed_gaoya<B: BuildHasher>(hasher: &MinHasher32<B>, texts: &[String]) -> usize {
    let mut values = 0;
    for t in texts {
        let lower = black_box(t).to_lowercase();
        let words: Vec<&str> = lower.split_whitespace().collect();
        let sig = hasher.create_signature(words.windows(5));
        values += sig.len();
        black_box(&sig);
    }
    values
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let code = args.get(1).map_or("en", String::as_str);
    let peer = args.get(2).is_some_and(|a| a == "gaoya");
    let data = std::fs::read_to_string(EVAL).unwrap_or_else(|e| panic!("reading {EVAL}: {e}"));
    let texts: Vec<String> = data
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|line| {
            let v: Value = serde_json::from_str(line).expect("valid JSON line");
            (v["lang"].as_str() == Some(code)).then(|| {
                let body = v["text"].as_str().unwrap_or_default();
                match v["title"].as_str() {
                    Some(t) if !t.is_empty() => format!("{t}\n\n{body}"),
                    _ => body.to_string(),
                }
            })
        })
        .collect();
    assert!(!texts.is_empty(), "no `{code}` document in {EVAL}");
    let analyzer = Analyzer::new();
    let hasher = MinHasher::new();
    let counted = if peer {
        timed_gaoya(&MinHasher32::new(128), &texts)
    } else {
        // The word cache warmed, as in the bench.
        for t in &texts {
            black_box(analyzer.analyze(t));
        }
        timed_lintas(&analyzer, &hasher, &texts)
    };
    println!(
        "{} {code}: {} documents ({counted})",
        if peer { "gaoya" } else { "lintas" },
        texts.len()
    );
}
