//! lintas: cross-language near-duplicate detection for news.
//!
//! Finds articles about the same event even when one is English and the other Indonesian,
//! with language-aware features and MinHash — no neural model.
//!
//! ```text
//! text ──► analysis ─────────────────────────────────► features (u64, kind, label)
//!          normalise → detect → tokenise → anchors         │
//!          → stopwords → stem → concepts                   ▼
//!                                          sketch: MinHash signature (reproducible, versioned)
//!                                                          │
//!                              candidates: LSH bands ∪ rare-feature blocking
//!                                                          │
//!                              verify: exact rarity-weighted Jaccard / containment
//!                                                          │
//!                                           matches (score, threshold, explanation)
//! ```
//!
//! * [`Detector`] — text in, explained matches out: the usual entry point
//!   ([`Detector::add_article`] takes a title and a body).
//! * [`Analyzer`] — text → [`Analysis`]: [`Feature`]s, each with its [`Position`] (headline,
//!   lead or body; [`Analyzer::analyze_article`] takes the title apart), or only their hashes
//!   when a signature is all that is wanted ([`Analysis::hashes`]); [`Lexicon`] — the cross-language lexicon
//!   (built-in, extensible at run time).
//! * [`MinHasher`], [`Signature`], [`LshIndex`], [`exact`] — the similarity core, which knows
//!   nothing about text; [`Corpus`] — documents as features, pairs, clusters.
//! * [`Index`] — a corpus that outlives the process: a directory of checksummed segments
//!   (format and crash safety: [`store`]); add a day's batch, get its matches, save.
//! * `jsonl` (feature `jsonl`, on by default) — documents from JSON Lines and flagged pairs as
//!   JSON lines, as the `dedup` example reads and writes them.
//! * `parquet` (feature `parquet`, off by default) — signatures, candidate keys
//!   and pairs as Parquet files that DuckDB, Polars or Spark join with built-in SQL.
//!
//! ```
//! use lintas::Detector;
//! let mut d = Detector::new();
//! d.add("en-1", "Floods in Semarang killed eight people on Monday and forced 12,000 residents \
//!     from their homes, the disaster agency BNPB said.").unwrap();
//! d.add("en-2", "The central bank kept its benchmark rate at 5.25 percent on Wednesday.").unwrap();
//! let found = d.add("id-1", "Banjir di Semarang menewaskan delapan orang pada Senin dan \
//!     memaksa 12.000 warga mengungsi, kata BNPB.").unwrap();
//! assert_eq!(found.len(), 1);
//! assert_eq!(&*found[0].a, "en-1");
//! ```
//!
//! The similarity core on its own, with features you make:
//!
//! ```
//! use lintas::{exact, MinHasher};
//! let a: Vec<u64> = (0..400).collect();
//! let b: Vec<u64> = (100..500).collect();
//! let h = MinHasher::new(); // 128 hashes, one-permutation hashing with densification
//! let est = h.sketch(&a).jaccard(&h.sketch(&b)).unwrap();
//! let truth = exact::jaccard(&a, &b); // 0.6
//! assert!((est.value - truth).abs() < 4.0 * est.std_error.max(0.02));
//! assert!(est.lower <= est.value && est.value <= est.upper);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod analysis;
mod date;
mod detector;
mod error;
mod feature;
pub mod hash;
#[cfg(feature = "jsonl")]
pub mod jsonl;
mod lang;
mod matching;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod sketch;
pub mod store;

pub use analysis::{
    Analysis, Analyzer, AnalyzerBuilder, Detection, DetectionMethod, FreedictDirection,
    FreedictLoad, Lexicon, TokenClass, DEFAULT_MAX_BYTES,
};
pub use date::Date;
pub use detector::{Detector, DetectorBuilder};
pub use error::{Error, Result};
pub use feature::{AnchorClass, Feature, FeatureKind, Position};
pub use lang::Lang;
pub use matching::{
    clusters, clusters_of_pairs, even_odds_discount, Corpus, CorpusBuilder, CorpusSettings, Engine,
    EventModel, Evidence, Explanation, Fingerprint, Frequencies, Key, KeySource, Match,
    MemoryReport, OperatingPoint, Verifier, COMBINED_THRESHOLD, DEFAULT_CONTAINMENT_ANCHORS,
    DEFAULT_CONTAINMENT_HEADLINE, DEFAULT_CROSS_THRESHOLD, DEFAULT_MAX_DAYS_APART,
    DEFAULT_THRESHOLD, DICTIONARY_THRESHOLD_INTERCEPT, DICTIONARY_THRESHOLD_SLOPE,
    EVENT_CROSS_THRESHOLD, EVENT_PRIOR, EVENT_THRESHOLD, EVEN_ODDS, MAX_RARE_POSTINGS,
    NAMES_ONLY_PENALTY, PRIOR_RATE, SPECIFIC_IDF,
};
pub use sketch::{
    exact,
    lsh::{LshIndex, LshParams},
    minhash::{MinHasher, MinHasherBuilder},
    signature::{Estimate, Signature},
};
pub use store::{Document, Index, IndexOptions, SEGMENT_MAX_DOCS};

/// Detects the language of a text with the default analyser settings (the built-in lexicon
/// votes when whatlang is unsure; [`Analyzer::detect`] uses the analyser's own lexicon).
///
/// See [`Detection`]; undetermined text gives `lang() == None`.
pub fn detect_language(text: &str) -> Detection {
    let norm = analysis::normalize::normalize(text);
    analysis::detect::detect(
        &norm,
        &analysis::tokenize::tokenize(&norm),
        &Lexicon::shared(),
    )
}

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
