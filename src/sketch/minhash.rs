//! MinHash signature construction: one-permutation hashing with optimal densification.

use super::signature::{Construction, Signature};
use crate::error::{Error, Result};
use crate::hash::{densify_probe, permute, weighted_element, DENSIFY_MAX_ATTEMPTS};

/// The default signature seed: the bytes `"lintas-m"` read as a little-endian `u64`.
pub const DEFAULT_SEED: u64 = u64::from_le_bytes(*b"lintas-m");

/// The default number of hashes (slots) of a signature.
pub const DEFAULT_NUM_HASHES: usize = 128;

/// The smallest valid number of hashes.
pub const MIN_HASHES: usize = 8;

/// The largest valid number of hashes.
pub const MAX_HASHES: usize = 4096;

/// The largest weight [`MinHasher::sketch_weighted`] honours; larger weights are capped to it,
/// which bounds the cost of a feature to `MAX_WEIGHT` hashes.
pub const MAX_WEIGHT: u32 = 64;

/// Words of the bitmap of non-empty bins (`MAX_HASHES / 64`).
const FILLED_WORDS: usize = MAX_HASHES / 64;

/// Builds MinHash [`Signature`]s of `u64` feature sets.
///
/// `MinHasher::new()` uses [`DEFAULT_NUM_HASHES`] (128) slots and [`DEFAULT_SEED`];
/// [`MinHasher::builder`] sets other values. Signatures are comparable only when they come from
/// hashers with equal parameters.
///
/// [`MinHasher::sketch`] hashes each feature **once** (Li, Owen & Zhang, "One Permutation
/// Hashing", NIPS 2012) and fills the bins that received no feature by *optimal
/// densification* (Shrivastava, "Optimal Densification for Fast and Accurate Minwise Hashing",
/// ICML 2017), so that every slot of the signature agrees between two sets with probability
/// exactly their Jaccard similarity, at the cost of one hash per feature instead of one per
/// feature *and* slot. The exact steps are part of the hash scheme (see [`hash`](crate::hash)):
///
/// 1. every feature `f` is rehashed once, `h = permute(f, seed)`;
/// 2. its bin is `((h >> 32) * k) >> 32` (multiply-shift on the high 32 bits) and its value is
///    `h as u32` (the low 32 bits); each bin keeps its minimum value;
/// 3. every empty bin `i` copies the value of the first *originally* non-empty bin among the
///    probes `densify_probe(i, attempt, seed) % k`, `attempt = 0, 1, 2, …` (after
///    [`DENSIFY_MAX_ATTEMPTS`] misses, the next non-empty
///    bin after `i`, circularly).
///
/// The result depends only on the *set* of features: not on their order, nor on repeats.
///
/// Values are stored as `u32`: two different minima agree by accident with probability about
/// 2⁻³², which is the floor of any similarity estimate (negligible next to the `1/√k`
/// sampling error).
///
/// [`MinHasher::sketch_naive_khash`] is the textbook construction with `k` independent hashes
/// per feature, kept as the accuracy and speed baseline; its signatures record a different
/// [`Construction`] and cannot be compared with one-permutation signatures.
///
/// ```
/// use lintas::MinHasher;
/// let hasher = MinHasher::new();
/// let a = hasher.sketch(&[1, 2, 3, 4, 5, 6, 7, 8]);
/// let b = hasher.sketch(&[8, 7, 6, 5, 4, 3, 2, 1, 1]);
/// assert_eq!(a, b); // order and repeats do not matter
/// assert_eq!(a.jaccard(&b)?.value, 1.0);
/// # Ok::<(), lintas::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinHasher {
    num_hashes: usize,
    seed: u64,
}

impl Default for MinHasher {
    fn default() -> Self {
        MinHasher::new()
    }
}

/// Sets the parameters of a [`MinHasher`]; made by [`MinHasher::builder`].
///
/// ```
/// use lintas::MinHasher;
/// let hasher = MinHasher::builder().num_hashes(256).seed(42).build()?;
/// assert_eq!(hasher.num_hashes(), 256);
/// assert!(MinHasher::builder().num_hashes(0).build().is_err());
/// # Ok::<(), lintas::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct MinHasherBuilder {
    num_hashes: usize,
    seed: u64,
}

impl MinHasherBuilder {
    /// The number of hashes (slots) per signature; default [`DEFAULT_NUM_HASHES`] (128).
    /// Valid: [`MIN_HASHES`]`..=`[`MAX_HASHES`] (8 to 4096), checked by
    /// [`build`](Self::build). The standard error of a Jaccard estimate is
    /// `sqrt(J(1 − J)/num_hashes)`.
    pub fn num_hashes(mut self, num_hashes: usize) -> Self {
        self.num_hashes = num_hashes;
        self
    }

    /// The signature seed; default [`DEFAULT_SEED`]. Any value is valid.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Validates the parameters and builds the hasher.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] named `num_hashes` if it is outside 8..=4096.
    pub fn build(self) -> Result<MinHasher> {
        if !(MIN_HASHES..=MAX_HASHES).contains(&self.num_hashes) {
            return Err(Error::invalid(
                "num_hashes",
                self.num_hashes,
                "must be in 8..=4096",
            ));
        }
        Ok(MinHasher {
            num_hashes: self.num_hashes,
            seed: self.seed,
        })
    }
}

/// The bins of a one-permutation sketch under construction.
struct Bins {
    values: Vec<u32>,
    filled: [u64; FILLED_WORDS],
    seed: u64,
}

impl Bins {
    fn new(num_hashes: usize, seed: u64) -> Bins {
        Bins {
            values: vec![u32::MAX; num_hashes],
            filled: [0; FILLED_WORDS],
            seed,
        }
    }

    /// Adds the element `x` (a feature, or a copy of a weighted feature).
    #[inline]
    fn add(&mut self, x: u64) {
        self.add_hash(permute(x, self.seed));
    }

    /// Adds an element whose rehash `permute(x, seed)` is `h`.
    #[inline]
    fn add_hash(&mut self, h: u64) {
        let k = self.values.len() as u64;
        let bin = (((h >> 32) * k) >> 32) as usize;
        let value = h as u32;
        if let Some(slot) = self.values.get_mut(bin) {
            if value < *slot {
                *slot = value;
            }
            self.filled[bin >> 6] |= 1u64 << (bin & 63);
        }
    }

    /// Densifies the empty bins; at least one bin must be filled (the caller checks).
    fn finish(self) -> Box<[u32]> {
        let Bins {
            mut values,
            filled,
            seed,
        } = self;
        let k = values.len();
        let is_filled = |bin: usize| filled[bin >> 6] & (1u64 << (bin & 63)) != 0;
        // The first probes of every bin depend only on (k, seed): for the default
        // parameters they are read from a table computed once instead of hashed again for
        // every signature (the same sequence, so the same result).
        let table = (k == DEFAULT_NUM_HASHES && seed == DEFAULT_SEED).then(default_probes);
        let from = if table.is_some() {
            TABLE_PROBES as u32
        } else {
            0
        };
        // The empty bins, read from the bitmap a word at a time.
        for (w, &word) in filled.iter().enumerate().take(k.div_ceil(64)) {
            let valid = if (w + 1) * 64 <= k {
                !0u64
            } else {
                (1u64 << (k - w * 64)) - 1
            };
            let mut empty = !word & valid;
            while empty != 0 {
                let i = w * 64 + empty.trailing_zeros() as usize;
                empty &= empty - 1;
                let first = table.and_then(|t| {
                    t[i * TABLE_PROBES..(i + 1) * TABLE_PROBES]
                        .iter()
                        .map(|&j| usize::from(j))
                        .find(|&j| is_filled(j))
                });
                let source = first
                    .or_else(|| {
                        (from..DENSIFY_MAX_ATTEMPTS)
                            .map(|attempt| {
                                (densify_probe(i as u32, attempt, seed) % k as u64) as usize
                            })
                            .find(|&j| is_filled(j))
                    })
                    .or_else(|| (1..k).map(|d| (i + d) % k).find(|&j| is_filled(j)))
                    .unwrap_or(i);
                // Only empty bins are written, so `source` still holds its original minimum.
                values[i] = values[source];
            }
        }
        values.into_boxed_slice()
    }
}

/// Probes per bin kept in the table of [`default_probes`]: with half the bins filled, all
/// of them miss for one empty bin in 256 (the rest are then hashed as usual).
const TABLE_PROBES: usize = 8;

/// For the default parameters ([`DEFAULT_NUM_HASHES`] bins, [`DEFAULT_SEED`]), the first
/// [`TABLE_PROBES`] densification probes of every bin, `densify_probe(bin, attempt, seed) % k`
/// for `attempt = 0 .. TABLE_PROBES`, bin after bin; computed on first use.
fn default_probes() -> &'static [u16] {
    static PROBES: std::sync::OnceLock<Box<[u16]>> = std::sync::OnceLock::new();
    const _: () = assert!(DEFAULT_NUM_HASHES <= 1 << 16);
    PROBES.get_or_init(|| {
        let k = DEFAULT_NUM_HASHES as u64;
        (0..DEFAULT_NUM_HASHES as u32)
            .flat_map(|bin| {
                (0..TABLE_PROBES as u32)
                    .map(move |attempt| (densify_probe(bin, attempt, DEFAULT_SEED) % k) as u16)
            })
            .collect()
    })
}

/// Counts distinct features exactly, by linear probing in an open-addressing table indexed by
/// the top bits of each feature's rehash (already computed for the sketch, and uniform).
struct DistinctCounter {
    /// Stored features; 0 marks a free slot (feature 0 itself is tracked by `has_zero`).
    table: Vec<u64>,
    shift: u32,
    has_zero: bool,
    count: u64,
}

impl DistinctCounter {
    fn new(capacity: usize) -> DistinctCounter {
        // At most half full.
        let size = capacity.saturating_mul(2).next_power_of_two().max(16);
        DistinctCounter {
            table: vec![0; size],
            shift: 64 - size.trailing_zeros(),
            has_zero: false,
            count: 0,
        }
    }

    /// Records `feature`, whose rehash is `h`.
    #[inline]
    fn insert(&mut self, feature: u64, h: u64) {
        if feature == 0 {
            self.has_zero = true;
            return;
        }
        let mask = self.table.len() - 1;
        let mut i = (h >> self.shift) as usize;
        loop {
            let Some(slot) = self.table.get_mut(i) else {
                return; // unreachable: `i` is masked
            };
            if *slot == feature {
                return;
            }
            if *slot == 0 {
                *slot = feature;
                self.count += 1;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    fn len(&self) -> u64 {
        self.count + u64::from(self.has_zero)
    }
}

/// Whether `features` is strictly increasing (so already a set).
fn is_strictly_increasing(features: &[u64]) -> bool {
    features.windows(2).all(|w| w[0] < w[1])
}

/// `features` with repeated keys merged (weights summed, saturating), sorted by key, unless
/// the keys are already strictly increasing.
fn merged_weights(features: &[(u64, u32)]) -> std::borrow::Cow<'_, [(u64, u32)]> {
    if features.windows(2).all(|w| w[0].0 < w[1].0) {
        return std::borrow::Cow::Borrowed(features);
    }
    let mut sorted = features.to_vec();
    sorted.sort_unstable_by_key(|&(f, _)| f);
    let mut merged: Vec<(u64, u32)> = Vec::with_capacity(sorted.len());
    for (f, w) in sorted {
        match merged.last_mut() {
            Some(last) if last.0 == f => last.1 = last.1.saturating_add(w),
            _ => merged.push((f, w)),
        }
    }
    std::borrow::Cow::Owned(merged)
}

impl MinHasher {
    /// A hasher with [`DEFAULT_NUM_HASHES`] (128) slots and [`DEFAULT_SEED`].
    pub fn new() -> MinHasher {
        MinHasher {
            num_hashes: DEFAULT_NUM_HASHES,
            seed: DEFAULT_SEED,
        }
    }

    /// A builder to choose the number of hashes and the seed.
    pub fn builder() -> MinHasherBuilder {
        MinHasherBuilder {
            num_hashes: DEFAULT_NUM_HASHES,
            seed: DEFAULT_SEED,
        }
    }

    /// The number of hashes (slots) per signature.
    pub fn num_hashes(&self) -> usize {
        self.num_hashes
    }

    /// The signature seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    fn empty(&self, construction: Construction) -> Signature {
        Signature::from_parts(Box::default(), self.num_hashes, self.seed, construction, 0)
    }

    /// Sketches a feature set by one-permutation hashing with optimal densification (see the
    /// [type documentation](MinHasher)).
    ///
    /// Order and repeats of `features` do not matter; the signature's cardinality is the number
    /// of distinct features (counted exactly in a scratch hash table of `2·n` to `4·n` `u64`,
    /// skipped when `features` is strictly increasing). An empty set gives an empty signature,
    /// similar to nothing.
    ///
    /// Cost: one hash per feature, plus on average `k / m` probes for each of the empty bins
    /// when only `m` of the `k` bins received a feature (sets much smaller than `k`).
    ///
    /// ```
    /// use lintas::MinHasher;
    /// let hasher = MinHasher::new();
    /// let sig = hasher.sketch(&[10, 20, 30]);
    /// assert_eq!(sig.values().len(), 128);
    /// assert_eq!(sig.cardinality(), 3);
    /// assert!(hasher.sketch(&[]).is_empty());
    /// ```
    pub fn sketch(&self, features: &[u64]) -> Signature {
        if features.is_empty() {
            return self.empty(Construction::OnePermutation);
        }
        let mut bins = Bins::new(self.num_hashes, self.seed);
        let cardinality = if is_strictly_increasing(features) {
            for &f in features {
                bins.add(f);
            }
            features.len() as u64
        } else {
            let mut distinct = DistinctCounter::new(features.len());
            for &f in features {
                let h = permute(f, self.seed);
                distinct.insert(f, h);
                bins.add_hash(h);
            }
            distinct.len()
        };
        Signature::from_parts(
            bins.finish(),
            self.num_hashes,
            self.seed,
            Construction::OnePermutation,
            cardinality,
        )
    }

    /// [`sketch`](Self::sketch) of features the caller knows to be distinct, in any order:
    /// the same signature, without sorting them or counting distinct ones.
    pub(crate) fn sketch_distinct(&self, features: &[u64]) -> Signature {
        if features.is_empty() {
            return self.empty(Construction::OnePermutation);
        }
        let mut bins = Bins::new(self.num_hashes, self.seed);
        for &f in features {
            bins.add(f);
        }
        Signature::from_parts(
            bins.finish(),
            self.num_hashes,
            self.seed,
            Construction::OnePermutation,
            features.len() as u64,
        )
    }

    /// Sketches a multiset: feature `f` with integer weight `w` counts as the `w` distinct
    /// elements `weighted_element(f, j)` for `j = 0 .. w`
    /// ([`hash::weighted_element`](crate::hash::weighted_element): `f ^ WEIGHT_STEP · j`), so
    /// the Jaccard estimate between two weighted signatures targets the weighted Jaccard
    /// `Σ min(wᴬ, wᴮ) / Σ max(wᴬ, wᴮ)` ([`exact::weighted_jaccard`](super::exact::weighted_jaccard)).
    ///
    /// Repeated features have their weights summed; weights are then capped at
    /// [`MAX_WEIGHT`] (64) and weight 0 removes a feature. The cardinality is the total capped
    /// weight. Copy 0 is the feature itself, so with all weights 1 this is exactly
    /// [`sketch`](Self::sketch), and the two kinds of signature are compatible.
    ///
    /// ```
    /// use lintas::MinHasher;
    /// let hasher = MinHasher::new();
    /// let w = hasher.sketch_weighted(&[(1, 1), (2, 1)]);
    /// assert_eq!(w, hasher.sketch(&[1, 2]));
    /// assert_eq!(hasher.sketch_weighted(&[(1, 3), (2, 100)]).cardinality(), 3 + 64);
    /// ```
    pub fn sketch_weighted(&self, features: &[(u64, u32)]) -> Signature {
        let merged = merged_weights(features);
        let cardinality: u64 = merged
            .iter()
            .map(|&(_, w)| u64::from(w.min(MAX_WEIGHT)))
            .sum();
        if cardinality == 0 {
            return self.empty(Construction::OnePermutation);
        }
        let mut bins = Bins::new(self.num_hashes, self.seed);
        for &(f, w) in merged.iter() {
            for copy in 0..w.min(MAX_WEIGHT) {
                bins.add(weighted_element(f, copy));
            }
        }
        Signature::from_parts(
            bins.finish(),
            self.num_hashes,
            self.seed,
            Construction::OnePermutation,
            cardinality,
        )
    }

    /// The naive reference construction: `k` independent hashes per feature, slot `i` keeping
    /// the minimum of `permute(f, seed + i) as u32`. `k` times slower than
    /// [`sketch`](Self::sketch) with the same accuracy; kept as the baseline of benchmarks and
    /// tests. Its signatures record [`Construction::KHash`] and are incompatible with
    /// one-permutation signatures.
    ///
    /// ```
    /// use lintas::MinHasher;
    /// let hasher = MinHasher::new();
    /// let naive = hasher.sketch_naive_khash(&[1, 2, 3]);
    /// assert!(naive.jaccard(&hasher.sketch(&[1, 2, 3])).is_err());
    /// assert_eq!(naive.jaccard(&naive)?.value, 1.0);
    /// # Ok::<(), lintas::Error>(())
    /// ```
    ///
    /// Hidden from the documentation: the textbook baseline kept for tests and benchmarks,
    /// not part of the supported API.
    #[doc(hidden)]
    pub fn sketch_naive_khash(&self, features: &[u64]) -> Signature {
        if features.is_empty() {
            return self.empty(Construction::KHash);
        }
        let cardinality = if is_strictly_increasing(features) {
            features.len() as u64
        } else {
            let mut distinct = DistinctCounter::new(features.len());
            for &f in features {
                distinct.insert(f, permute(f, self.seed));
            }
            distinct.len()
        };
        let mut values = vec![u32::MAX; self.num_hashes];
        for &f in features {
            for (i, slot) in values.iter_mut().enumerate() {
                let v = permute(f, self.seed.wrapping_add(i as u64)) as u32;
                if v < *slot {
                    *slot = v;
                }
            }
        }
        Signature::from_parts(
            values.into_boxed_slice(),
            self.num_hashes,
            self.seed,
            Construction::KHash,
            cardinality,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_features_in_any_order_sketch_as_sorted_ones() {
        let h = MinHasher::new();
        for n in [0u64, 1, 7, 300] {
            let mut sorted: Vec<u64> = (1..=n)
                .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
                .collect();
            sorted.sort_unstable();
            let mut shuffled = sorted.clone();
            shuffled.sort_by_key(|&x| x.rotate_left(17) ^ 0x5555);
            if n > 2 {
                assert_ne!(shuffled, sorted);
            }
            assert_eq!(h.sketch_distinct(&shuffled), h.sketch(&sorted));
        }
    }

    #[test]
    fn single_feature_fills_every_bin_with_its_value() {
        let h = MinHasher::new();
        let sig = h.sketch(&[99]);
        let v = permute(99, DEFAULT_SEED) as u32;
        assert!(sig.values().iter().all(|&x| x == v));
    }

    #[test]
    fn densification_copies_only_original_bins() {
        // With two features at most two distinct values can appear.
        let h = MinHasher::builder().num_hashes(512).build().unwrap();
        let sig = h.sketch(&[1, 2]);
        let a = permute(1, DEFAULT_SEED) as u32;
        let b = permute(2, DEFAULT_SEED) as u32;
        assert!(sig.values().iter().all(|&x| x == a || x == b));
    }

    #[test]
    fn distinct_counter_is_exact() {
        let mut c = DistinctCounter::new(3);
        for f in [0u64, 5, 5, 0, 7, u64::MAX, 7] {
            c.insert(f, permute(f, 1));
        }
        assert_eq!(c.len(), 4);
        // Everything colliding in one probe chain still counts right.
        let mut c = DistinctCounter::new(40);
        for f in 1..=40u64 {
            c.insert(f, 0);
            c.insert(f, 0);
        }
        assert_eq!(c.len(), 40);
    }

    #[test]
    fn the_probe_table_gives_the_hashed_probes() {
        // Sets of every size from one feature to more than the bins, with the default
        // parameters (which read the table) against a densification that hashes every probe.
        let h = MinHasher::new();
        for n in 1..=300u64 {
            let features: Vec<u64> = (0..n)
                .map(|f| f.wrapping_mul(0x9E37_79B9_7F4A_7C15))
                .collect();
            let mut bins = Bins::new(DEFAULT_NUM_HASHES, DEFAULT_SEED);
            for &f in &features {
                bins.add(f);
            }
            let k = DEFAULT_NUM_HASHES;
            let is_filled = |bin: usize| bins.filled[bin >> 6] & (1u64 << (bin & 63)) != 0;
            let mut want = bins.values.clone();
            for (i, v) in want.iter_mut().enumerate() {
                if is_filled(i) {
                    continue;
                }
                let j = (0..DENSIFY_MAX_ATTEMPTS)
                    .map(|a| (densify_probe(i as u32, a, DEFAULT_SEED) % k as u64) as usize)
                    .find(|&j| is_filled(j))
                    .expect("a probe hits");
                *v = bins.values[j];
            }
            assert_eq!(h.sketch(&features).values(), &want[..], "{n} features");
        }
    }

    #[test]
    fn builder_range() {
        assert!(MinHasher::builder().num_hashes(7).build().is_err());
        assert!(MinHasher::builder().num_hashes(8).build().is_ok());
        assert!(MinHasher::builder().num_hashes(4096).build().is_ok());
        assert!(MinHasher::builder().num_hashes(4097).build().is_err());
    }
}
