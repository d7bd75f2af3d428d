//! The similarity core: it knows nothing about text.
//!
//! Features arrive as `u64` values (each with a [`FeatureKind`](crate::FeatureKind) for explanations);
//! the core sketches them with MinHash and indexes the sketches with LSH. Verification and
//! explanations are the matching stage's ([`crate::matching`]).
//!
//! Stages, in pipeline order: [`minhash`] (signature construction, over the hashing
//! specification of [`crate::hash`]) → [`signature`] (estimates, serialization) → [`lsh`]
//! (banding index) → [`exact`] (the exact oracle).

pub mod exact;
pub mod lsh;
pub mod minhash;
pub mod signature;
