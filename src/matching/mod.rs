//! The matching stage: documents as feature sets: add them one by one and get their matches, or run a whole
//! corpus and get verified pairs and clusters, each match explained.
//!
//! # How a pair is found and decided
//!
//! 1. **Candidates** come from two sources: LSH banding over MinHash signatures (tuned for a
//!    moderate similarity), and *rare-feature blocking* — documents sharing at least
//!    [`CorpusBuilder::min_shared_rare`] rare features (names, amounts, unusual words whose
//!    document frequency is low). The decision weights rare features most, so blocking on
//!    them finds what banding over unweighted sets misses: pairs held together by a few rare
//!    features, and a short item inside a long article.
//! 2. **Verification** re-scores every candidate exactly from the stored features, with
//!    rarity (IDF) weights: weighted Jaccard, and weighted containment of the smaller document
//!    in the larger.
//! 3. **Decision**: a pair is flagged when its score reaches the threshold for its pair type
//!    (same language, cross-language). The score is the weighted Jaccard, or the containment
//!    scaled by [`CorpusBuilder::containment_factor`] when one document is much shorter.
//!    Documents whose dated anchors all disagree are penalised. That is the overlap score;
//!    the default verifier, [`Verifier::Combined`], decides a pair of one language (English
//!    or Indonesian, both documents with a headline or lead) instead by the probability of
//!    the same event, from the pair's [`Evidence`] (where the overlap sits, how specific it
//!    is, what conflicts), and [`Verifier::Event`] decides every pair so. Every match carries
//!    that evidence and probability whichever verifier decides.
//!
//! Pairs are the primary result. [`Corpus::clusters`] groups documents only through verified
//! pairs and merges two groups only when most cross pairs are flagged (average linkage, strict majority), so
//! one bridging document cannot chain unrelated groups together.

mod candidates;
mod cluster;
mod copies;
mod corpus;
mod engine;
pub(crate) mod event;
// Read by the persistent index (`crate::store`) once its segments hold the corpus encoding.
#[allow(dead_code)]
pub(crate) mod parts;
mod verify;

pub use cluster::{clusters, clusters_of_pairs};
pub use corpus::{
    Corpus, CorpusBuilder, CorpusSettings, MemoryReport, Verifier, COMBINED_THRESHOLD,
    DEFAULT_CONTAINMENT_ANCHORS, DEFAULT_CONTAINMENT_HEADLINE, DEFAULT_CROSS_THRESHOLD,
    DEFAULT_MAX_DAYS_APART, DEFAULT_THRESHOLD, DICTIONARY_THRESHOLD_INTERCEPT,
    DICTIONARY_THRESHOLD_SLOPE, EVENT_CROSS_THRESHOLD, EVENT_THRESHOLD, MAX_RARE_POSTINGS,
};
pub use engine::{Engine, Fingerprint, Frequencies, Key, KeySource};
pub use event::{EventModel, Evidence, OperatingPoint, EVENT_PRIOR, SPECIFIC_IDF};
pub use verify::{
    even_odds_discount, Explanation, Match, EVEN_ODDS, NAMES_ONLY_PENALTY, PRIOR_RATE,
};

/// `items` mapped by `f`, in order: on every core with the `parallel` feature, else on this
/// thread. The result never depends on the thread count.
#[cfg(feature = "parallel")]
pub(crate) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    use rayon::prelude::*;
    items.par_iter().map(f).collect()
}

/// `a` and `b`, on two threads.
#[cfg(feature = "parallel")]
pub(crate) fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    rayon::join(a, b)
}

/// `a` then `b` (the `parallel` feature is off).
#[cfg(not(feature = "parallel"))]
pub(crate) fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    (a(), b())
}

/// `items` mapped by `f`, in order (the `parallel` feature is off).
#[cfg(not(feature = "parallel"))]
pub(crate) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    items.iter().map(f).collect()
}
