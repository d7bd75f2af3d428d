//! The hashing specification. Everything stored or compared across processes is hashed here.
//!
//! The algorithm is **XXH3-64** (`xxh3_64_with_seed`) over explicit little-endian bytes:
//! specified, stable across platforms, CPU features and processes. `std::hash::Hash`,
//! `RandomState` and ahash are never used for anything a signature depends on (ahash output
//! changes with CPU features and per process).
//!
//! Scheme version [`SCHEME_VERSION`] = 1:
//!
//! * a feature is `xxh3_64_with_seed([kind tag byte] ++ utf8(label), FEATURE_SEED)`
//!   ([`feature_hash`]);
//! * MinHash rehashes a feature `f` for a signature seed `s` as
//!   `xxh3_64_with_seed(le_bytes(f), s)` ([`permute`]);
//! * densification probes for empty bin `i`, attempt `a` are
//!   `xxh3_64_with_seed(le_bytes(i as u32) ++ le_bytes(a as u32), s ^ DENSIFY_SALT)`
//!   ([`densify_probe`]);
//! * one-permutation MinHash with `k` bins puts the rehash `h = permute(f, s)` in bin
//!   `((h >> 32) * k) >> 32` with value `h as u32` (the low 32 bits) and keeps the minimum per
//!   bin; an empty bin `i` copies the value of the first originally non-empty bin
//!   `densify_probe(i, a, s) % k` for `a = 0, 1, 2, …`; if [`DENSIFY_MAX_ATTEMPTS`] attempts
//!   all miss, it copies the first originally non-empty bin after `i` (circularly) instead;
//! * the naive reference construction keeps, in row `i`, the minimum of
//!   `permute(f, s.wrapping_add(i)) as u32` over the features;
//! * a feature `f` of integer weight `w` stands for the `w` elements
//!   `weighted_element(f, j) = f ^ WEIGHT_STEP.wrapping_mul(j)` for `j = 0 .. w`
//!   ([`weighted_element`]; copy 0 is `f` itself, so weight 1 is the unweighted feature).
//!
//! Golden-value tests (`tests/golden.rs`) pin these values: changing any of them is a new
//! scheme version.

use crate::feature::FeatureKind;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Version of the hashing scheme; stored in every signature.
pub const SCHEME_VERSION: u16 = 1;

/// Seed of feature hashing (`"lintas-f"` as little-endian bytes).
pub const FEATURE_SEED: u64 = u64::from_le_bytes(*b"lintas-f");

/// Salt XOR-ed into the signature seed for densification probes (`"densify!"`).
pub const DENSIFY_SALT: u64 = u64::from_le_bytes(*b"densify!");

/// Hashes a feature label of a kind into its `u64` feature value.
///
/// ```
/// use lintas::{hash::feature_hash, FeatureKind};
/// let a = feature_hash(FeatureKind::Anchor, "shanghai");
/// assert_eq!(a, feature_hash(FeatureKind::Anchor, "shanghai"));
/// assert_ne!(a, feature_hash(FeatureKind::Concept, "shanghai"));
/// ```
pub fn feature_hash(kind: FeatureKind, label: &str) -> u64 {
    let mut buf = [0u8; 64];
    let bytes = label.as_bytes();
    if bytes.len() < buf.len() {
        buf[0] = kind.tag();
        buf[1..=bytes.len()].copy_from_slice(bytes);
        xxh3_64_with_seed(&buf[..=bytes.len()], FEATURE_SEED)
    } else {
        let mut v = Vec::with_capacity(bytes.len() + 1);
        v.push(kind.tag());
        v.extend_from_slice(bytes);
        xxh3_64_with_seed(&v, FEATURE_SEED)
    }
}

/// Rehashes a feature value under a signature seed (the MinHash "permutation").
#[inline]
pub fn permute(feature: u64, seed: u64) -> u64 {
    xxh3_64_with_seed(&feature.to_le_bytes(), seed)
}

/// The densification probe for empty bin `bin`, attempt `attempt`, under a signature seed.
#[inline]
pub fn densify_probe(bin: u32, attempt: u32, seed: u64) -> u64 {
    let mut b = [0u8; 8];
    b[..4].copy_from_slice(&bin.to_le_bytes());
    b[4..].copy_from_slice(&attempt.to_le_bytes());
    xxh3_64_with_seed(&b, seed ^ DENSIFY_SALT)
}

/// Number of densification probes tried for one empty bin before falling back to a circular
/// scan (part of the scheme; see the module documentation).
///
/// With `m` of `k` bins non-empty a probe hits with probability `m / k`, so the fallback is
/// reached with probability `(1 − m/k)^65536`: never in practice for `k ≤ 4096`, but it bounds
/// the loop on every input.
pub const DENSIFY_MAX_ATTEMPTS: u32 = 1 << 16;

/// Odd multiplier (the 64-bit golden ratio) that spreads the copies of a weighted feature.
pub const WEIGHT_STEP: u64 = 0x9E37_79B9_7F4A_7C15;

/// The `copy`-th element standing for a weighted feature: `feature ^ WEIGHT_STEP * copy`.
///
/// A feature of integer weight `w` is sketched as the `w` distinct elements with
/// `copy = 0 .. w`; copy 0 is the feature itself.
///
/// ```
/// use lintas::hash::weighted_element;
/// assert_eq!(weighted_element(7, 0), 7);
/// assert_ne!(weighted_element(7, 1), weighted_element(7, 2));
/// ```
#[inline]
pub fn weighted_element(feature: u64, copy: u32) -> u64 {
    feature ^ WEIGHT_STEP.wrapping_mul(u64::from(copy))
}
