//! Locality-sensitive hashing by banding: an index that turns a signature into candidate
//! near-duplicates without comparing it with every stored signature.
//!
//! A signature of `k` slots is cut into `bands` bands of `rows` slots (`bands × rows ≤ k`; the
//! remaining slots are not used for candidate generation, but they are used to re-score
//! candidates in [`LshIndex::top_k`]). Two signatures become candidates when they agree on all
//! the rows of at least one band. Since each slot agrees with probability `s` (the Jaccard
//! similarity), the probability of becoming candidates is the S-curve
//!
//! ```text
//! P(s) = 1 − (1 − s^rows)^bands
//! ```
//!
//! ([`LshParams::probability`]; Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*,
//! ch. 3.4). [`LshParams::from_threshold`] chooses `bands` and `rows` for a similarity
//! threshold `t` by minimising the weighted sum of the false-positive area `∫₀ᵗ P(s) ds` and
//! the false-negative area `∫ₜ¹ (1 − P(s)) ds`, the method of datasketch's `_optimal_param`.

use super::minhash::{MAX_HASHES, MIN_HASHES};
use super::signature::Signature;
use crate::error::{Error, Result};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use xxhash_rust::xxh3::{xxh3_64_with_seed, Xxh3};

/// Intervals of the composite Simpson rule used for the error areas (even).
const INTEGRATION_INTERVALS: usize = 512;

/// Link sentinel: no slot.
const NONE: u32 = u32::MAX;

/// The banding of an LSH index: `bands` bands of `rows` slots each.
///
/// ```
/// use lintas::LshParams;
/// let params = LshParams::from_threshold(0.5, 128)?;
/// assert!(params.bands() * params.rows() <= 128);
/// assert!(params.probability(0.8) > 0.95);
/// assert!(params.probability(0.2) < 0.05);
/// # Ok::<(), lintas::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "LshParamsFields"))]
pub struct LshParams {
    bands: usize,
    rows: usize,
}

/// The unchecked fields of deserialized [`LshParams`], validated by [`LshParams::new`].
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct LshParamsFields {
    bands: usize,
    rows: usize,
}

#[cfg(feature = "serde")]
impl TryFrom<LshParamsFields> for LshParams {
    type Error = Error;

    fn try_from(f: LshParamsFields) -> Result<LshParams> {
        LshParams::new(f.bands, f.rows)
    }
}

/// `∫ₐᵇ f` by the composite Simpson rule with [`INTEGRATION_INTERVALS`] intervals.
fn integrate(f: impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    if b <= a {
        return 0.0;
    }
    let n = INTEGRATION_INTERVALS;
    let h = (b - a) / n as f64;
    let mut sum = f(a) + f(b);
    for i in 1..n {
        let x = a + i as f64 * h;
        sum += if i % 2 == 1 { 4.0 * f(x) } else { 2.0 * f(x) };
    }
    sum * h / 3.0
}

/// `P(s) = 1 − (1 − s^rows)^bands` for `s` in `[0, 1]`.
#[inline]
fn s_curve(s: f64, bands: usize, rows: usize) -> f64 {
    let rows = i32::try_from(rows).unwrap_or(i32::MAX);
    let bands = i32::try_from(bands).unwrap_or(i32::MAX);
    1.0 - (1.0 - s.powi(rows)).powi(bands)
}

impl LshParams {
    /// Banding with `bands` bands of `rows` rows each.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] if `bands` or `rows` is 0, or `bands × rows` exceeds the
    /// largest signature (4096 hashes).
    ///
    /// ```
    /// use lintas::LshParams;
    /// let p = LshParams::new(16, 8)?;
    /// assert_eq!(p.hashes_used(), 128);
    /// assert!(LshParams::new(0, 8).is_err());
    /// # Ok::<(), lintas::Error>(())
    /// ```
    pub fn new(bands: usize, rows: usize) -> Result<LshParams> {
        if bands == 0 {
            return Err(Error::invalid("bands", bands, "must be at least 1"));
        }
        if rows == 0 {
            return Err(Error::invalid("rows", rows, "must be at least 1"));
        }
        match bands.checked_mul(rows) {
            Some(n) if n <= MAX_HASHES => Ok(LshParams { bands, rows }),
            _ => Err(Error::invalid(
                "rows",
                rows,
                "bands × rows must be at most 4096 (the largest signature)",
            )),
        }
    }

    /// The banding for a similarity `threshold` and signatures of `num_hashes` slots, with
    /// false positives and false negatives weighted equally (0.5 / 0.5); see
    /// [`from_threshold_weighted`](Self::from_threshold_weighted).
    ///
    /// # Errors
    ///
    /// As [`from_threshold_weighted`](Self::from_threshold_weighted).
    ///
    /// ```
    /// use lintas::LshParams;
    /// let p = LshParams::from_threshold(0.5, 128)?;
    /// assert!(p.probability(0.5) > 0.5 && p.probability(0.3) < 0.5);
    /// # Ok::<(), lintas::Error>(())
    /// ```
    pub fn from_threshold(threshold: f64, num_hashes: usize) -> Result<LshParams> {
        LshParams::from_threshold_weighted(threshold, num_hashes, 0.5, 0.5)
    }

    /// The banding for a similarity `threshold` and `num_hashes` slots that minimises
    /// `fp_weight · ∫₀ᵗ P(s) ds + fn_weight · ∫ₜ¹ (1 − P(s)) ds` over all `bands × rows ≤
    /// num_hashes` (the false-positive and false-negative areas under the S-curve). The
    /// integrals use the composite Simpson rule with 512 intervals; ties go to fewer bands,
    /// then fewer rows. Raising `fn_weight` favours recall, raising `fp_weight` precision.
    ///
    /// Cost: about `num_hashes · ln(num_hashes)` pairs of integrals — some 4 ms for 128 hashes
    /// and 0.4 s for 4096 in an optimised build. The last 32 distinct results are remembered
    /// for the life of the process, so a second corpus with the same settings pays nothing.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] if `threshold` is not in `[0, 1]`, `num_hashes` is not in
    /// `8..=4096`, or a weight is negative or not finite, or both weights are 0.
    ///
    /// ```
    /// use lintas::LshParams;
    /// let recall = LshParams::from_threshold_weighted(0.5, 128, 0.1, 0.9)?;
    /// let balanced = LshParams::from_threshold(0.5, 128)?;
    /// assert!(recall.probability(0.5) >= balanced.probability(0.5));
    /// # Ok::<(), lintas::Error>(())
    /// ```
    pub fn from_threshold_weighted(
        threshold: f64,
        num_hashes: usize,
        fp_weight: f64,
        fn_weight: f64,
    ) -> Result<LshParams> {
        if !(0.0..=1.0).contains(&threshold) {
            return Err(Error::invalid("threshold", threshold, "must be in [0, 1]"));
        }
        if !(MIN_HASHES..=MAX_HASHES).contains(&num_hashes) {
            return Err(Error::invalid(
                "num_hashes",
                num_hashes,
                "must be in 8..=4096",
            ));
        }
        for (name, w) in [("fp_weight", fp_weight), ("fn_weight", fn_weight)] {
            if !(w.is_finite() && w >= 0.0) {
                return Err(Error::invalid(name, w, "must be finite and non-negative"));
            }
        }
        if fp_weight + fn_weight <= 0.0 {
            return Err(Error::invalid(
                "fn_weight",
                fn_weight,
                "fp_weight and fn_weight must not both be 0",
            ));
        }
        // The search is a pure function of its four inputs: remember the last few results, so
        // that building many corpora with the same settings (tests, fuzzing, one per request)
        // pays for it once per process.
        type Key = (u64, usize, u64, u64);
        static MEMO: std::sync::Mutex<Vec<(Key, LshParams)>> = std::sync::Mutex::new(Vec::new());
        let key = (
            threshold.to_bits(),
            num_hashes,
            fp_weight.to_bits(),
            fn_weight.to_bits(),
        );
        if let Some(&(_, p)) = MEMO
            .lock()
            .ok()
            .and_then(|m| m.iter().find(|(k, _)| *k == key).copied())
            .as_ref()
        {
            return Ok(p);
        }
        let mut best = LshParams { bands: 1, rows: 1 };
        let mut best_error = f64::INFINITY;
        for bands in 1..=num_hashes {
            for rows in 1..=num_hashes / bands {
                let fp = integrate(|s| s_curve(s, bands, rows), 0.0, threshold);
                let fn_ = integrate(|s| 1.0 - s_curve(s, bands, rows), threshold, 1.0);
                let error = fp_weight * fp + fn_weight * fn_;
                if error < best_error {
                    best_error = error;
                    best = LshParams { bands, rows };
                }
            }
        }
        if let Ok(mut m) = MEMO.lock() {
            if m.len() >= 32 {
                m.remove(0);
            }
            m.push((key, best));
        }
        Ok(best)
    }

    /// The number of bands.
    pub fn bands(&self) -> usize {
        self.bands
    }

    /// The number of rows (slots) per band.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// `bands × rows`: the number of signature slots used for banding. Signatures inserted in
    /// an index must have at least this many hashes.
    pub fn hashes_used(&self) -> usize {
        self.bands.saturating_mul(self.rows)
    }

    /// The probability `1 − (1 − s^rows)^bands` that two signatures of Jaccard similarity `s`
    /// become candidates (`s` is clamped to `[0, 1]`; NaN counts as 0).
    ///
    /// ```
    /// use lintas::LshParams;
    /// let p = LshParams::new(20, 5)?;
    /// assert_eq!(p.probability(0.0), 0.0);
    /// assert_eq!(p.probability(1.0), 1.0);
    /// assert_eq!(p.probability(f64::NAN), 0.0);
    /// assert_eq!(p.probability(7.0), 1.0);
    /// # Ok::<(), lintas::Error>(())
    /// ```
    pub fn probability(&self, s: f64) -> f64 {
        let s = if s.is_nan() { 0.0 } else { s.clamp(0.0, 1.0) };
        s_curve(s, self.bands, self.rows)
    }

    /// The bucket key of each band of a signature, band by band: two signatures are LSH
    /// candidates exactly when they share the key of some band `b` (compare keys of the same
    /// band only). This is the join key of a distributed candidate stage: explode
    /// `(band, key, document)` rows and self-join on `(band, key)`.
    ///
    /// A key is part of the hash scheme (pinned by `tests/golden.rs`): XXH3-64 of the band's
    /// `rows` values as little-endian `u32`s, seeded with the band number. An empty signature
    /// has no keys (it is never a candidate).
    ///
    /// ```
    /// use lintas::{LshIndex, LshParams, MinHasher};
    /// let h = MinHasher::new();
    /// let params = LshParams::new(32, 4)?;
    /// let a = h.sketch(&(0..100).collect::<Vec<u64>>());
    /// let b = h.sketch(&(5..105).collect::<Vec<u64>>());
    /// let (ka, kb) = (params.band_keys(&a)?, params.band_keys(&b)?);
    /// assert_eq!(ka.len(), 32);
    /// let shared = ka.iter().zip(&kb).any(|(x, y)| x == y);
    /// let mut index = LshIndex::new(params);
    /// index.insert("a", a)?;
    /// assert_eq!(index.query(&b)?.contains(&&"a"), shared);
    /// # Ok::<(), lintas::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] named `num_hashes` when the signature has fewer hashes than
    /// `bands × rows`.
    pub fn band_keys(&self, sig: &Signature) -> Result<Vec<u64>> {
        if sig.num_hashes() < self.hashes_used() {
            return Err(Error::invalid(
                "num_hashes",
                sig.num_hashes(),
                "must be at least bands × rows",
            ));
        }
        if sig.is_empty() {
            return Ok(Vec::new());
        }
        Ok((0..self.bands)
            .map(|b| band_key(sig.values(), b, self.rows))
            .collect())
    }
}

/// Passes a `u64` bucket key through as its own hash: bucket keys are already XXH3 outputs.
#[derive(Debug, Default, Clone, Copy)]
struct BucketKeyHasher(u64);

impl Hasher for BucketKeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
}

type BucketMap = HashMap<u64, u32, BuildHasherDefault<BucketKeyHasher>>;

/// One band: bucket key → first slot of the bucket, and the bucket lists as a doubly linked
/// list threaded through per-slot arrays.
#[derive(Debug, Clone, Default)]
struct Band {
    heads: BucketMap,
    next: Vec<u32>,
    prev: Vec<u32>,
}

/// Keys and slots in the order they are filed (see [`Band::file_new`]).
type Order = Vec<(u64, u32)>;

impl Band {
    /// Files new slots `at` (in insertion order) under their keys (`key(i)` for `at[i]`,
    /// `None` for an empty signature) as [`LshIndex::insert`] would one after the other: each
    /// becomes the head of its bucket, linked before the previous head. Slots of one key are
    /// filed in insertion order, so the lists are the same whatever the order of the keys;
    /// the keys go by their place in the bucket table, a region (a few pages) at a time,
    /// which turns random accesses into nearly sequential ones.
    fn file_new(
        &mut self,
        len: usize,
        at: &[u32],
        key: impl Fn(usize) -> Option<u64>,
        order: &mut Order,
    ) {
        if self.next.len() < len {
            self.next.resize(len, NONE);
            self.prev.resize(len, NONE);
        }
        for &s in at {
            self.next[s as usize] = NONE;
            self.prev[s as usize] = NONE;
        }
        self.heads.reserve(at.len());
        // hashbrown places a key (its own hash here, `BucketKeyHasher`) at `hash & (buckets
        // − 1)`, with `capacity = buckets × 7/8`. A wrong guess only costs speed.
        let buckets = (self.heads.capacity().saturating_mul(8) / 7)
            .next_power_of_two()
            .max(1);
        const REGION_BITS: u32 = 12;
        let regions = (buckets >> REGION_BITS).max(1);
        let region = |k: u64| (k as usize & (buckets - 1)) >> REGION_BITS;
        // A stable counting sort by region.
        let mut start = vec![0usize; regions + 1];
        let mut filed = 0;
        for i in 0..at.len() {
            if let Some(k) = key(i) {
                start[region(k) + 1] += 1;
                filed += 1;
            }
        }
        for r in 1..=regions {
            start[r] += start[r - 1];
        }
        order.clear();
        order.resize(filed, (0, 0));
        for (i, &s) in at.iter().enumerate() {
            if let Some(k) = key(i) {
                let r = region(k);
                order[start[r]] = (k, s);
                start[r] += 1;
            }
        }
        for &(k, s) in order.iter() {
            if let Some(head) = self.heads.insert(k, s) {
                self.next[s as usize] = head;
                if let Some(p) = self.prev.get_mut(head as usize) {
                    *p = s;
                }
            }
        }
    }
}

/// A stored signature.
#[derive(Debug, Clone)]
struct Entry<K> {
    key: K,
    signature: Signature,
    /// Insertion sequence number (ties in `top_k` go to the earlier insertion).
    seq: u64,
}

/// An in-memory LSH index over [`Signature`]s, keyed by `K`.
///
/// Inserting stores the signature and files it under one bucket per band; [`query`](Self::query)
/// returns the keys that share at least one bucket with a signature, and
/// [`top_k`](Self::top_k) re-scores those candidates by estimated Jaccard similarity.
///
/// The first inserted signature fixes the parameters (number of hashes, seed, scheme,
/// construction) that every later signature, inserted or queried, must share; they stay fixed
/// even if the index is emptied again.
///
/// Empty signatures can be stored (and [`get`](Self::get) returns them) but are never
/// candidates: an empty document is a duplicate of nothing.
///
/// # Internals
///
/// Documents live in dense `u32` slots (freed slots are reused). Each band has a map from the
/// bucket key — XXH3-64 of the band's `rows` values as little-endian bytes, seeded with the
/// band number; the map is in memory only, and XXH3 is used for its quality, not its stability
/// — to the first slot of the bucket, and two per-slot arrays `next`/`prev` linking the slots
/// of a bucket, so that a bucket costs one map entry however many documents share it and
/// removal unlinks in O(bands). Two different bands collide in a bucket only if their 64-bit
/// keys collide (probability about 2⁻⁶⁴ per pair), which at worst adds a candidate.
///
/// ```
/// use lintas::{LshIndex, LshParams, MinHasher};
/// let hasher = MinHasher::new();
/// let mut index = LshIndex::new(LshParams::from_threshold(0.5, 128)?);
/// let doc: Vec<u64> = (0..300).collect();
/// let near: Vec<u64> = (20..320).collect(); // Jaccard 280/320 = 0.875
/// let other: Vec<u64> = (1000..1300).collect();
/// index.insert("doc", hasher.sketch(&doc))?;
/// index.insert("other", hasher.sketch(&other))?;
/// let hits = index.top_k(&hasher.sketch(&near), 10, 0.5)?;
/// assert_eq!(hits.len(), 1);
/// assert_eq!(*hits[0].0, "doc");
/// # Ok::<(), lintas::Error>(())
/// ```
#[derive(Clone)]
pub struct LshIndex<K> {
    params: LshParams,
    /// Parameters of the first inserted signature (an empty signature).
    reference: Option<Signature>,
    slots: Vec<Option<Entry<K>>>,
    free: Vec<u32>,
    by_key: HashMap<K, u32, ahash::RandomState>,
    bands: Vec<Band>,
    next_seq: u64,
}

// The index must be shareable between threads for read-only queries.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<LshIndex<u64>>();
    assert_send_sync::<LshIndex<String>>();
};

impl<K> std::fmt::Debug for LshIndex<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LshIndex")
            .field("params", &self.params)
            .field("len", &self.by_key.len())
            .finish_non_exhaustive()
    }
}

/// The bucket key of band `band` of `values` (which has at least `(band + 1) × rows` values).
fn band_key(values: &[u32], band: usize, rows: usize) -> u64 {
    let start = band * rows;
    let chunk = values.get(start..start + rows).unwrap_or(&[]);
    let seed = band as u64;
    let mut buf = [0u8; 256];
    if chunk.len() * 4 <= buf.len() {
        for (dst, v) in buf.chunks_exact_mut(4).zip(chunk) {
            dst.copy_from_slice(&v.to_le_bytes());
        }
        xxh3_64_with_seed(&buf[..chunk.len() * 4], seed)
    } else {
        let mut hasher = Xxh3::with_seed(seed);
        for part in chunk.chunks(buf.len() / 4) {
            for (dst, v) in buf.chunks_exact_mut(4).zip(part) {
                dst.copy_from_slice(&v.to_le_bytes());
            }
            hasher.update(&buf[..part.len() * 4]);
        }
        hasher.digest()
    }
}

/// Estimated heap bytes of a std `HashMap` with `capacity` and entries of `entry` bytes
/// (hashbrown: a power-of-two number of buckets at most 7/8 full, one control byte each).
fn hash_map_bytes(capacity: usize, entry: usize) -> usize {
    if capacity == 0 {
        return 0;
    }
    let buckets = (capacity.saturating_mul(8) / 7).max(4).next_power_of_two();
    buckets * (entry + 1) + 16
}

impl<K: Clone + Eq + std::hash::Hash> LshIndex<K> {
    /// An empty index with the given banding.
    pub fn new(params: LshParams) -> Self {
        LshIndex {
            params,
            reference: None,
            slots: Vec::new(),
            free: Vec::new(),
            by_key: HashMap::default(),
            bands: vec![Band::default(); params.bands],
            next_seq: 0,
        }
    }

    /// The banding.
    pub fn params(&self) -> LshParams {
        self.params
    }

    /// The number of stored signatures.
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    /// Whether the index stores no signature.
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// Whether a signature is stored under `key`.
    pub fn contains(&self, key: &K) -> bool {
        self.by_key.contains_key(key)
    }

    /// The signature stored under `key`.
    pub fn get(&self, key: &K) -> Option<&Signature> {
        let slot = *self.by_key.get(key)?;
        self.entry(slot).map(|e| &e.signature)
    }

    /// The stored keys and signatures, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &Signature)> + '_ {
        self.slots.iter().flatten().map(|e| (&e.key, &e.signature))
    }

    fn entry(&self, slot: u32) -> Option<&Entry<K>> {
        self.slots.get(slot as usize).and_then(Option::as_ref)
    }

    /// Checks a signature against the banding and the index's reference parameters.
    fn check(&self, sig: &Signature) -> Result<()> {
        if sig.num_hashes() < self.params.hashes_used() {
            return Err(Error::invalid(
                "num_hashes",
                sig.num_hashes(),
                "must be at least the index's bands × rows",
            ));
        }
        match &self.reference {
            Some(reference) => reference.check_compatible(sig),
            None => Ok(()),
        }
    }

    /// Reserves room for `additional` more signatures, so that inserting them does not
    /// grow the bucket tables step by step (what restoring a stored corpus of known size
    /// does).
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.slots.reserve(additional);
        self.by_key.reserve(additional);
        for band in &mut self.bands {
            band.heads.reserve(additional);
            band.next.reserve(additional);
            band.prev.reserve(additional);
        }
    }

    /// Stores `sig` under `key`, replacing (and re-filing) any signature already stored under
    /// it; a replacement counts as a new insertion for the tie order of [`top_k`](Self::top_k).
    ///
    /// # Errors
    ///
    /// * [`Error::InvalidParameter`] named `num_hashes` if the signature has fewer hashes than
    ///   `bands × rows`;
    /// * [`Error::IncompatibleSignatures`] if its parameters differ from those of the first
    ///   signature inserted;
    /// * [`Error::InvalidParameter`] named `len` if the index already holds 2³² − 2 signatures.
    ///
    /// On error the index is unchanged.
    pub fn insert(&mut self, key: K, sig: Signature) -> Result<()> {
        self.check(&sig)?;
        if self.slots.len() >= (NONE - 1) as usize
            && self.free.is_empty()
            && !self.by_key.contains_key(&key)
        {
            return Err(Error::invalid(
                "len",
                self.slots.len(),
                "an index holds at most 2^32 - 2 signatures",
            ));
        }
        if self.reference.is_none() {
            self.reference = Some(sig.parameters_only());
        }
        self.remove(&key);

        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(None);
                (self.slots.len() - 1) as u32
            }
        };
        let s = slot as usize;
        let rows = self.params.rows;
        for (band_no, band) in self.bands.iter_mut().enumerate() {
            if band.next.len() <= s {
                band.next.resize(s + 1, NONE);
                band.prev.resize(s + 1, NONE);
            }
            band.prev[s] = NONE;
            band.next[s] = NONE;
            if sig.is_empty() {
                continue;
            }
            let bucket = band_key(sig.values(), band_no, rows);
            if let Some(head) = band.heads.insert(bucket, slot) {
                band.next[s] = head;
                if let Some(p) = band.prev.get_mut(head as usize) {
                    *p = slot;
                }
            }
        }
        self.slots[s] = Some(Entry {
            key: key.clone(),
            signature: sig,
            seq: self.next_seq,
        });
        self.next_seq += 1;
        self.by_key.insert(key, slot);
        Ok(())
    }

    /// Stores many signatures under keys not held yet (and distinct): the index
    /// [`insert`](Self::insert) would make one after the other, in order (same slots, bucket
    /// lists and insertion order), built band by band (on every core with the `parallel`
    /// feature) and each band's buckets filed in the order of their place in the bucket
    /// table rather than at random: what restoring a stored corpus of a million documents
    /// spends most of its time on otherwise, one cache and TLB miss per band and document.
    ///
    /// # Errors
    /// As [`insert`](Self::insert), for the first signature that fails: the ones before it
    /// are stored then, as with `insert` one after the other.
    ///
    /// # Panics
    /// When a key is already held or given twice.
    pub(crate) fn insert_new(&mut self, items: Vec<(K, Signature)>) -> Result<()> {
        let reference = self
            .reference
            .clone()
            .or_else(|| items.first().map(|(_, s)| s.parameters_only()));
        let fits = items.iter().all(|(_, s)| {
            s.num_hashes() >= self.params.hashes_used()
                && reference
                    .as_ref()
                    .is_some_and(|r| r.check_compatible(s).is_ok())
        });
        let grow = items.len().saturating_sub(self.free.len());
        if !fits || self.slots.len() + grow >= (NONE - 1) as usize {
            // Some insertion fails: one after the other, to fail where `insert` would.
            for (key, sig) in items {
                self.insert(key, sig)?;
            }
            return Ok(());
        }
        self.reference = reference;
        let n = items.len();
        self.slots.reserve(grow);
        self.by_key.reserve(n);
        let mut at: Vec<u32> = Vec::with_capacity(n);
        for (key, sig) in items {
            let slot = match self.free.pop() {
                Some(slot) => slot,
                None => {
                    self.slots.push(None);
                    (self.slots.len() - 1) as u32
                }
            };
            at.push(slot);
            self.slots[slot as usize] = Some(Entry {
                key: key.clone(),
                signature: sig,
                seq: self.next_seq,
            });
            self.next_seq += 1;
            let held = self.by_key.insert(key, slot);
            assert!(held.is_none(), "LshIndex::insert_new: a key held twice");
        }
        let (slots, bands, rows) = (&self.slots, &mut self.bands, self.params.rows);
        let sigs: Vec<&Signature> = at
            .iter()
            .filter_map(|&s| slots[s as usize].as_ref().map(|e| &e.signature))
            .collect();
        let len = slots.len();
        // The keys of a few bands at a time, computed signature by signature (one read of
        // each signature per group rather than per band); the buffers are reused from group
        // to group (fresh memory costs a page fault and zeroing per page).
        const GROUP: usize = 8;
        let mut keys: Vec<[u64; GROUP]> = vec![[0; GROUP]; sigs.len()];
        let mut orders: Vec<Order> = vec![Vec::new(); GROUP.min(bands.len())];
        for (g, group) in bands.chunks_mut(GROUP).enumerate() {
            let first = g * GROUP;
            let width = group.len();
            let fill = |(k, sig): (&mut [u64; GROUP], &&Signature)| {
                if !sig.is_empty() {
                    for (j, k) in k.iter_mut().enumerate().take(width) {
                        *k = band_key(sig.values(), first + j, rows);
                    }
                }
            };
            #[cfg(feature = "parallel")]
            {
                use rayon::prelude::*;
                keys.par_iter_mut().zip(&sigs).for_each(fill);
            }
            #[cfg(not(feature = "parallel"))]
            keys.iter_mut().zip(&sigs).for_each(fill);
            let (keys, sigs, at) = (&keys[..], &sigs[..], &at[..]);
            let file = move |(j, (band, order)): (usize, (&mut Band, &mut Order))| {
                band.file_new(
                    len,
                    at,
                    |i| (!sigs[i].is_empty()).then(|| keys[i][j]),
                    order,
                );
            };
            #[cfg(feature = "parallel")]
            {
                use rayon::prelude::*;
                group
                    .par_iter_mut()
                    .zip(&mut orders)
                    .enumerate()
                    .for_each(file);
            }
            #[cfg(not(feature = "parallel"))]
            group.iter_mut().zip(&mut orders).enumerate().for_each(file);
        }
        Ok(())
    }

    /// Removes the signature stored under `key` and returns it. Removed keys are never returned
    /// by later queries.
    pub fn remove(&mut self, key: &K) -> Option<Signature> {
        let slot = self.by_key.remove(key)?;
        let s = slot as usize;
        let entry = self.slots.get_mut(s)?.take()?;
        if !entry.signature.is_empty() {
            let rows = self.params.rows;
            for (band_no, band) in self.bands.iter_mut().enumerate() {
                let (p, n) = (band.prev[s], band.next[s]);
                if p == NONE {
                    let bucket = band_key(entry.signature.values(), band_no, rows);
                    if n == NONE {
                        band.heads.remove(&bucket);
                    } else {
                        band.heads.insert(bucket, n);
                    }
                } else {
                    band.next[p as usize] = n;
                }
                if n != NONE {
                    band.prev[n as usize] = p;
                }
                band.prev[s] = NONE;
                band.next[s] = NONE;
            }
        }
        self.free.push(slot);
        Some(entry.signature)
    }

    /// The slots sharing at least one bucket with `sig`, deduplicated, in insertion order.
    fn candidates(&self, sig: &Signature) -> Result<Vec<u32>> {
        self.check(sig)?;
        let mut found: Vec<u32> = Vec::new();
        if sig.is_empty() || self.is_empty() {
            return Ok(found);
        }
        let rows = self.params.rows;
        for (band_no, band) in self.bands.iter().enumerate() {
            let bucket = band_key(sig.values(), band_no, rows);
            let mut cur = band.heads.get(&bucket).copied().unwrap_or(NONE);
            while cur != NONE {
                found.push(cur);
                cur = band.next.get(cur as usize).copied().unwrap_or(NONE);
            }
        }
        found.sort_unstable();
        found.dedup();
        found.sort_by_key(|&slot| self.entry(slot).map_or(u64::MAX, |e| e.seq));
        Ok(found)
    }

    /// Calls `f` with the key of every stored signature in each band bucket `sig` falls in:
    /// [`query`](Self::query)'s candidates, unsorted and possibly repeated (once per band
    /// shared), without the sorting and the second pass over the entries that `query` spends
    /// on them: for a caller that collects candidates into a set of its own.
    ///
    /// # Errors
    ///
    /// As [`query`](Self::query).
    pub(crate) fn for_each_candidate(&self, sig: &Signature, mut f: impl FnMut(&K)) -> Result<()> {
        self.check(sig)?;
        if sig.is_empty() || self.is_empty() {
            return Ok(());
        }
        let rows = self.params.rows;
        for (band_no, band) in self.bands.iter().enumerate() {
            let bucket = band_key(sig.values(), band_no, rows);
            let mut cur = band.heads.get(&bucket).copied().unwrap_or(NONE);
            while cur != NONE {
                if let Some(e) = self.entry(cur) {
                    f(&e.key);
                }
                cur = band.next.get(cur as usize).copied().unwrap_or(NONE);
            }
        }
        Ok(())
    }

    /// The keys of the stored signatures that share at least one band bucket with `sig`
    /// (the LSH candidates), each once, in insertion order. An empty `sig` has no candidates.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] (`num_hashes` below `bands × rows`) or
    /// [`Error::IncompatibleSignatures`], as for [`insert`](Self::insert).
    ///
    /// ```
    /// use lintas::{LshIndex, LshParams, MinHasher};
    /// let h = MinHasher::new();
    /// let mut index = LshIndex::new(LshParams::new(32, 4)?);
    /// index.insert(1u32, h.sketch(&[1, 2, 3, 4, 5]))?;
    /// assert_eq!(index.query(&h.sketch(&[1, 2, 3, 4, 5]))?, vec![&1]);
    /// # Ok::<(), lintas::Error>(())
    /// ```
    pub fn query(&self, sig: &Signature) -> Result<Vec<&K>> {
        Ok(self
            .candidates(sig)?
            .into_iter()
            .filter_map(|slot| self.entry(slot).map(|e| &e.key))
            .collect())
    }

    /// The at most `k` candidates most similar to `sig`: candidates from [`query`](Self::query)
    /// re-scored by the Jaccard estimate of their stored signatures (all slots, not only the
    /// banded ones), kept if the score is at least `min_similarity`, sorted by score
    /// (descending), ties by insertion order.
    ///
    /// # Errors
    ///
    /// As [`query`](Self::query), and [`Error::InvalidParameter`] if `min_similarity` is NaN.
    ///
    /// ```
    /// use lintas::{LshIndex, LshParams, MinHasher};
    /// let h = MinHasher::new();
    /// let mut index = LshIndex::new(LshParams::from_threshold(0.5, 128)?);
    /// let base: Vec<u64> = (0..200).collect();
    /// index.insert("same", h.sketch(&base))?;
    /// index.insert("close", h.sketch(&(10..210).collect::<Vec<u64>>()))?;
    /// let top = index.top_k(&h.sketch(&base), 1, 0.0)?;
    /// assert_eq!(top, vec![(&"same", 1.0)]);
    /// # Ok::<(), lintas::Error>(())
    /// ```
    pub fn top_k(&self, sig: &Signature, k: usize, min_similarity: f64) -> Result<Vec<(&K, f64)>> {
        if min_similarity.is_nan() {
            return Err(Error::invalid(
                "min_similarity",
                min_similarity,
                "must be a number",
            ));
        }
        let candidates = self.candidates(sig)?;
        let slots = sig.values().len().max(1) as f64;
        let mut scored: Vec<(&Entry<K>, f64)> = candidates
            .into_iter()
            .filter_map(|slot| self.entry(slot))
            .map(|e| (e, e.signature.matching_slots(sig) as f64 / slots))
            .filter(|&(_, score)| score >= min_similarity)
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.seq.cmp(&b.0.seq)));
        scored.truncate(k);
        Ok(scored
            .into_iter()
            .map(|(e, score)| (&e.key, score))
            .collect())
    }

    /// An estimate of the heap memory the index holds, in bytes: the slot table, the stored
    /// signatures' values, the key map and, per band, the bucket map and the two link arrays.
    /// Hash maps are counted as hashbrown lays them out (a power-of-two number of buckets, at
    /// most 7/8 full, one control byte per bucket). Heap memory owned by the keys themselves
    /// (e.g. a `String`'s bytes) and allocator overhead are not counted.
    ///
    /// ```
    /// use lintas::{LshIndex, LshParams, MinHasher};
    /// let mut index = LshIndex::new(LshParams::new(16, 8)?);
    /// index.insert(0u64, MinHasher::new().sketch(&[1, 2, 3]))?;
    /// assert!(index.memory_bytes() > 512);
    /// # Ok::<(), lintas::Error>(())
    /// ```
    pub fn memory_bytes(&self) -> usize {
        use std::mem::size_of;
        let mut total = self.slots.capacity() * size_of::<Option<Entry<K>>>();
        total += self
            .slots
            .iter()
            .flatten()
            .map(|e| std::mem::size_of_val(e.signature.values()))
            .sum::<usize>();
        total += self.free.capacity() * size_of::<u32>();
        total += hash_map_bytes(self.by_key.capacity(), size_of::<(K, u32)>());
        total += self.bands.capacity() * size_of::<Band>();
        for band in &self.bands {
            total += hash_map_bytes(band.heads.capacity(), size_of::<(u64, u32)>());
            total += (band.next.capacity() + band.prev.capacity()) * size_of::<u32>();
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simpson_is_exact_on_cubics() {
        let v = integrate(|x| x * x * x, 0.0, 1.0);
        assert!((v - 0.25).abs() < 1e-12);
    }

    #[test]
    fn band_key_long_bands_use_streaming() {
        let values: Vec<u32> = (0..200).collect();
        let a = band_key(&values, 0, 100);
        let b = band_key(&values, 1, 100);
        assert_ne!(a, b);
        let mut bytes = Vec::new();
        for v in &values[..100] {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        assert_eq!(a, xxh3_64_with_seed(&bytes, 0));
    }

    #[test]
    fn bucket_lists_stay_consistent() {
        let h = crate::MinHasher::new();
        let mut index = LshIndex::new(LshParams::new(4, 2).unwrap());
        let sig = h.sketch(&[1, 2, 3]);
        for key in 0..5u32 {
            index.insert(key, sig.clone()).unwrap();
        }
        index.remove(&2);
        index.remove(&0);
        index.remove(&4);
        assert_eq!(index.query(&sig).unwrap(), vec![&1, &3]);
        index.remove(&1);
        index.remove(&3);
        assert!(index.query(&sig).unwrap().is_empty());
        assert!(index.bands.iter().all(|b| b.heads.is_empty()));
    }

    #[test]
    fn insert_new_builds_what_insert_builds() {
        let h = crate::MinHasher::new();
        // Many documents sharing buckets (a few stories), some empty, slots freed before.
        let sig = |i: u32| -> Signature {
            if i % 97 == 5 {
                return h.sketch(&[]);
            }
            let story = u64::from(i % 13);
            let own = (0..3).map(|j| 10_000 + u64::from(i) * 8 + j);
            h.sketch(
                &(0..40)
                    .map(|j| story * 100 + j)
                    .chain(own)
                    .collect::<Vec<_>>(),
            )
        };
        let params = LshParams::new(20, 3).unwrap();
        for (before, removed, added) in [(0, 0, 10), (50, 7, 300), (200, 40, 20_000)] {
            let mut a = LshIndex::new(params);
            for i in 0..before {
                a.insert(i, sig(i)).unwrap();
            }
            for i in (0..before).step_by(5).take(removed) {
                a.remove(&i);
            }
            let mut b = a.clone();
            let new: Vec<(u32, Signature)> =
                (before..before + added).map(|i| (i, sig(i))).collect();
            for (k, s) in new.clone() {
                a.insert(k, s).unwrap();
            }
            b.insert_new(new).unwrap();
            assert_eq!(a.by_key, b.by_key);
            assert_eq!(a.free, b.free);
            assert_eq!(a.next_seq, b.next_seq);
            let entries = |x: &LshIndex<u32>| -> Vec<Option<(u32, u64, Vec<u32>)>> {
                x.slots
                    .iter()
                    .map(|e| {
                        e.as_ref()
                            .map(|e| (e.key, e.seq, e.signature.values().to_vec()))
                    })
                    .collect()
            };
            assert_eq!(entries(&a), entries(&b));
            for (x, y) in a.bands.iter().zip(&b.bands) {
                assert_eq!(x.heads, y.heads);
                assert_eq!(x.next, y.next);
                assert_eq!(x.prev, y.prev);
            }
            for i in (0..before + added).step_by(331) {
                assert_eq!(a.query(&sig(i)).unwrap(), b.query(&sig(i)).unwrap());
            }
        }
    }
}
