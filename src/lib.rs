//! lintas: cross-language near-duplicate detection for news.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod analysis;
mod detector;
mod error;
mod lang;
pub mod sketch;

pub use analysis::{
    Analysis, Analyzer, AnalyzerBuilder, Detection, DetectionMethod, FreedictDirection, Lexicon,
    TokenClass,
};
pub use detector::{Detector, DetectorBuilder};
pub use error::{Error, Result};
pub use lang::Lang;
pub use sketch::corpus::{Corpus, CorpusBuilder, Explanation, Match, MemoryReport};
pub use sketch::{
    exact,
    lsh::{LshIndex, LshParams},
    minhash::MinHasher,
    signature::{Estimate, Signature},
};
pub use sketch::{Feature, FeatureKind};

/// Detects the language of a text with the default analyser settings.
///
/// See [`Detection`]; undetermined text gives `lang() == None`.
pub fn detect_language(text: &str) -> Detection {
    let norm = analysis::normalize::normalize(text);
    analysis::detect::detect(&norm, &analysis::tokenize::tokenize(&norm))
}
