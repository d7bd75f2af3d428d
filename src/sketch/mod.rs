//! The similarity core: it knows nothing about text.
//!
//! Features arrive as `u64` values (each with a [`FeatureKind`](crate::FeatureKind) for explanations);
//! the core sketches them with MinHash and indexes the sketches with LSH. Verification and
//! explanations are the matching stage's ([`Corpus`](crate::Corpus)).
//!
//! Stages, in pipeline order, one file each: minhash ([`MinHasher`](crate::MinHasher): signature
//! construction over the hashing specification of [`crate::hash`]) → signature
//! ([`Signature`](crate::Signature): estimates, serialization) → lsh
//! ([`LshIndex`](crate::LshIndex): the banding index) → [`exact`] (the exact oracle). The
//! types live at the crate root; this module holds the core's constants and format.

pub mod exact;
pub(crate) mod lsh;
pub(crate) mod minhash;
pub(crate) mod signature;

pub use minhash::{DEFAULT_NUM_HASHES, DEFAULT_SEED, MAX_HASHES, MAX_WEIGHT, MIN_HASHES};
pub use signature::{Construction, FORMAT_VERSION, HEADER_LEN, MAGIC};
