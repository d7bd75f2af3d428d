//! The similarity core: it knows nothing about text.
//!
//! Features arrive as `u64` values (each with a [`FeatureKind`] for explanations);
//! the core sketches them with MinHash, indexes the sketches with LSH, verifies
//! candidates and explains matches.
//!
//! Stages, in pipeline order: [`hash`] (the hashing specification) → [`minhash`]
//! (signature construction) → [`signature`] (estimates, serialization) → [`lsh`]
//! (banding index) → [`exact`] (the exact oracle) → [`corpus`] (documents, pairs,
//! clusters, explanations).

pub mod corpus;
pub mod exact;
pub mod hash;
pub mod lsh;
pub mod minhash;
pub mod signature;

/// What a feature stands for, kept so that a match can say *why* two documents matched.
///
/// The kind is part of the feature's hash ([`hash::feature_hash`]), so a concept and an
/// anchor with the same label are different features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum FeatureKind {
    /// A language-neutral anchor: a name, number, amount, date, acronym or place.
    Anchor,
    /// A cross-language concept (an English stem or a lexicon concept).
    Concept,
    /// An order-free pair of concepts that occur close together.
    Pair,
    /// A word with no cross-language concept: it matches only the same language.
    Local,
}

impl FeatureKind {
    /// All kinds, in tag order.
    pub const ALL: [FeatureKind; 4] = [
        FeatureKind::Anchor,
        FeatureKind::Concept,
        FeatureKind::Pair,
        FeatureKind::Local,
    ];

    /// The one-byte tag hashed in front of a feature's label (part of the hash scheme).
    pub const fn tag(self) -> u8 {
        match self {
            FeatureKind::Anchor => b'A',
            FeatureKind::Concept => b'C',
            FeatureKind::Pair => b'P',
            FeatureKind::Local => b'L',
        }
    }

    /// A lowercase name for reports (`anchor`, `concept`, `pair`, `local`).
    pub const fn name(self) -> &'static str {
        match self {
            FeatureKind::Anchor => "anchor",
            FeatureKind::Concept => "concept",
            FeatureKind::Pair => "pair",
            FeatureKind::Local => "local",
        }
    }
}

/// One feature of a document: what the similarity core receives from the analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The feature value (see [`hash::feature_hash`]).
    pub hash: u64,
    /// What kind of evidence it is.
    pub kind: FeatureKind,
    /// A readable label for explanations (`name:shanghai`, `amt:USD:1400000`, `partnership`).
    pub label: std::sync::Arc<str>,
    /// Occurrences in the document.
    pub count: u32,
}

impl Feature {
    /// A feature with its hash computed from kind and label, occurring once.
    ///
    /// ```
    /// use lintas::{Feature, FeatureKind};
    /// let f = Feature::new(FeatureKind::Anchor, "name:shanghai");
    /// assert_eq!(f.hash, lintas::sketch::hash::feature_hash(FeatureKind::Anchor, "name:shanghai"));
    /// ```
    pub fn new(kind: FeatureKind, label: &str) -> Feature {
        Feature {
            hash: hash::feature_hash(kind, label),
            kind,
            label: label.into(),
            count: 1,
        }
    }
}

impl std::fmt::Display for FeatureKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
